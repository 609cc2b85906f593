//! The files every real site has beside its pages: a bilingual 404 page,
//! redirects from former ids (`aliases`), `favicon.ico`, `robots.txt` and
//! the sitemap.

use super::{Theme, words};
use crate::error::Result;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::Lang;
use crate::web::escape;
use minijinja::context;

/// 404 page, redirects, favicon and robots.txt.
pub fn site_files(r: &Resolved, theme: &Theme, base: &str) -> Result<Vec<OutputFile>> {
    let config = &r.site.config;
    let mut files = vec![
        OutputFile::new("favicon.ico", favicon_ico()),
        OutputFile::new(
            "robots.txt",
            format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", config.base_url),
        ),
    ];
    let ctx = context! {
        title => config.title, base => base, assets => theme.asset_urls(base),
        vi => words(&theme.strings, Lang::Vi), en => words(&theme.strings, Lang::En),
    };
    files.push(OutputFile::new("404.html", theme.env.get_template("404.html")?.render(ctx)?));
    for (from, to) in redirects(r) {
        for lang in Lang::ALL {
            let target = format!("{base}{}/{to}", lang.code());
            let ctx = context! {
                lang => lang.code(), t => words(&theme.strings, lang), target => target,
                canonical => format!("{}{}/{to}", config.base_url, lang.code()),
            };
            let html = theme.env.get_template("redirect.html")?.render(ctx)?;
            files.push(OutputFile::new(format!("{}/{from}index.html", lang.code()), html));
        }
    }
    Ok(files)
}

/// (old path, new path) for every alias: a renamed plan moves its task and
/// source pages too, so links shared before the rename keep working.
pub fn redirects(r: &Resolved) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for plan in &r.site.plans {
        let mut plan_ids = vec![plan.id.as_str()];
        plan_ids.extend(plan.aliases.iter().map(String::as_str));
        for old in &plan.aliases {
            out.push((format!("plans/{old}/"), format!("plans/{}/", plan.id)));
            if plan.source.is_some() {
                out.push((format!("plans/{old}/source/"), format!("plans/{}/source/", plan.id)));
            }
        }
        for task in &plan.tasks {
            let mut task_ids = vec![task.id.as_str()];
            task_ids.extend(task.aliases.iter().map(String::as_str));
            for p in &plan_ids {
                for t in &task_ids {
                    if (*p, *t) != (plan.id.as_str(), task.id.as_str()) {
                        out.push((
                            format!("plans/{p}/tasks/{t}/"),
                            format!("plans/{}/tasks/{}/", plan.id, task.id),
                        ));
                    }
                }
            }
        }
    }
    out
}

/// The path (under the language folder) a sitemap lists for the file at
/// `path`, if it lists it: Vietnamese pages (the sitemap names both
/// languages of each), not `noindex`. `bytes` is `None` for a page a
/// session kept, which is a plan, task or agency page, never a redirect.
pub fn sitemap_path<'a>(path: &'a str, bytes: Option<&[u8]>) -> Option<&'a str> {
    let page = path.starts_with("vi/") && path.ends_with("index.html");
    (page && !bytes.is_some_and(is_noindex))
        .then(|| path.trim_start_matches("vi/").trim_end_matches("index.html"))
}

/// The sitemap files listing `pages` (sorted, from [`sitemap_path`]).
pub fn sitemap_of(base_url: &str, pages: &[&str]) -> Vec<OutputFile> {
    let mut urls: Vec<String> = Vec::with_capacity(pages.len() * 2);
    for path in pages {
        for lang in Lang::ALL {
            let alternates: String = Lang::ALL
                .iter()
                .map(|l| {
                    let href = escape(&format!("{base_url}{}/{path}", l.code()));
                    format!("<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>", l.code())
                })
                .collect();
            let loc = escape(&format!("{base_url}{}/{path}", lang.code()));
            urls.push(format!("<url><loc>{loc}</loc>{alternates}</url>\n"));
        }
    }
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
    let chunks: Vec<String> =
        urls.chunks(50_000).map(|c| format!("{HEAD}{}</urlset>\n", c.concat())).collect();
    if chunks.len() <= 1 {
        let body = chunks.into_iter().next().unwrap_or_else(|| format!("{HEAD}</urlset>\n"));
        return vec![OutputFile::new("sitemap.xml", body)];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in chunks.into_iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!("<sitemap><loc>{base_url}{name}</loc></sitemap>\n"));
        out.push(OutputFile::new(name, chunk));
    }
    index.push_str("</sitemapindex>\n");
    out.push(OutputFile::new("sitemap.xml", index));
    out
}

/// Whether a page asks not to be indexed (redirects, the 404 page). The
/// meta element sits in the head, so only the first bytes are searched.
pub fn is_noindex(html: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"<meta name=\"robots\" content=\"noindex\">";
    memchr::memmem::find(&html[..html.len().min(2048)], NEEDLE).is_some()
}

/// A 16×16 icon in the theme's colour (a list on a dark-blue tile), as an
/// ICO holding one 32-bit BMP, for browsers that ask for /favicon.ico.
fn favicon_ico() -> Vec<u8> {
    const SIZE: u32 = 16;
    let (tile, ink) = ([0x6c, 0x4f, 0x0b, 0xff], [0xff, 0xff, 0xff, 0xff]); // BGRA
    let mut pixels = Vec::with_capacity((SIZE * SIZE * 4) as usize);
    for row in (0..SIZE).rev() {
        for col in 0..SIZE {
            let bar =
                matches!(row, 4 | 5 | 7 | 8 | 10 | 11) && (3..13).contains(&col) && !(row >= 10 && col > 9);
            pixels.extend_from_slice(if bar { &ink } else { &tile });
        }
    }
    let mask = vec![0u8; (SIZE * 4) as usize]; // AND mask: 16 rows of 4 bytes
    let image_len = 40 + pixels.len() + mask.len();
    let mut ico = Vec::with_capacity(22 + image_len);
    ico.extend_from_slice(&[0, 0, 1, 0, 1, 0]); // ICONDIR: icon, one image
    ico.extend_from_slice(&[SIZE as u8, SIZE as u8, 0, 0, 1, 0, 32, 0]);
    ico.extend_from_slice(&(image_len as u32).to_le_bytes());
    ico.extend_from_slice(&22u32.to_le_bytes());
    ico.extend_from_slice(&40u32.to_le_bytes()); // BITMAPINFOHEADER
    ico.extend_from_slice(&(SIZE as i32).to_le_bytes());
    ico.extend_from_slice(&((SIZE * 2) as i32).to_le_bytes()); // XOR + AND heights
    ico.extend_from_slice(&1u16.to_le_bytes());
    ico.extend_from_slice(&32u16.to_le_bytes());
    ico.extend_from_slice(&[0; 24]); // no compression, sizes and palette unused
    ico.extend_from_slice(&pixels);
    ico.extend_from_slice(&mask);
    ico
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn favicon_is_a_well_formed_ico() {
        let ico = favicon_ico();
        assert_eq!(&ico[..4], &[0, 0, 1, 0]);
        let len = u32::from_le_bytes([ico[14], ico[15], ico[16], ico[17]]) as usize;
        assert_eq!(ico.len(), 22 + len);
    }

    #[test]
    fn sitemap_lists_both_languages_and_skips_redirects() {
        let files = [
            OutputFile::new("vi/index.html", "<html>"),
            OutputFile::new("en/index.html", "<html>"),
            OutputFile::new("vi/plans/old/index.html", "<meta name=\"robots\" content=\"noindex\">"),
        ];
        let mut pages: Vec<&str> =
            files.iter().filter_map(|f| sitemap_path(&f.path, Some(&f.bytes))).collect();
        pages.extend(sitemap_path("vi/plans/kept/index.html", None));
        pages.sort_unstable();
        let map = sitemap_of("https://x.org/", &pages);
        let text = String::from_utf8(map[0].bytes.clone()).expect("utf-8");
        assert!(text.contains("<loc>https://x.org/vi/</loc>"));
        assert!(text.contains("<loc>https://x.org/en/</loc>"));
        assert!(!text.contains("old"));
        assert!(text.contains("<loc>https://x.org/en/plans/kept/</loc>"), "a kept page is listed");
    }
}
