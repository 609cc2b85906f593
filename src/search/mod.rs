//! Search: a static index written with the site, split so that a query
//! downloads only the pieces it needs, and read the same way by the browser
//! client (`search/plansite-search.mjs`) and by `plansite search`. The
//! format, the analysis and the ranking are specified in docs/search.md.

pub mod analyzer;
pub mod docs;
pub mod format;
mod incremental;
mod part;
pub mod query;
mod terms;
mod writer;

pub use incremental::SearchCache;

use crate::error::Result;
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::Lang;
use crate::web::{SEARCH_CLIENT, base_path};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The browser client, served at a stable URL: `search/plansite-search.mjs`.
/// Compiled in, so it always reads the format this binary writes.
pub const CLIENT: &str = include_str!("../../themes/default/search/plansite-search.mjs");
/// The client's English stemmer, which it loads only for English queries.
pub const CLIENT_STEMMER: &str = include_str!("../../themes/default/search/plansite-stem.mjs");

/// Every file of the search index, for both languages, plus the client.
pub fn files(r: &Resolved) -> Result<Vec<OutputFile>> {
    let base = base_path(&r.site.config.base_url);
    let (vi, en) = rayon::join(
        || writer::write(Lang::Vi, &docs::collect(r, Lang::Vi, &base)),
        || writer::write(Lang::En, &docs::collect(r, Lang::En, &base)),
    );
    Ok(with_client(vi, en))
}

/// Both languages' index files, then the client and its shared files.
fn with_client(vi: Vec<OutputFile>, en: Vec<OutputFile>) -> Vec<OutputFile> {
    let mut files = vi;
    files.extend(en);
    files.push(OutputFile::new(SEARCH_CLIENT, compact(CLIENT)));
    files.push(OutputFile::new("search/plansite-stem.mjs", compact(CLIENT_STEMMER)));
    files.push(OutputFile::new("search/fold.json", fold_json()));
    files
}

/// The client as published: without comment lines and indentation, which
/// are a third of its bytes (the source keeps them). The client is written
/// so that this is safe: no template, string or code line starts a line
/// with `//` or `/*`, and no comment shares a line with code.
fn compact(source: &str) -> String {
    let mut out = String::from("// plansite search (format 1): docs/search.md\n");
    let mut in_block = false;
    for line in source.lines().map(str::trim) {
        if in_block || line.starts_with("/*") {
            in_block = !line.ends_with("*/");
        } else if !line.is_empty() && !line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The folding table as JSON, grouped by what characters become:
/// `{ "a": "àáâ…", "ae": "æǣǽ", … }`, characters in code point order.
fn fold_json() -> Vec<u8> {
    static JSON: LazyLock<Vec<u8>> = LazyLock::new(|| {
        let mut grouped: BTreeMap<String, String> = BTreeMap::new();
        for (c, to) in analyzer::fold_table() {
            grouped.entry(to).or_default().push(c);
        }
        serde_json::to_vec(&grouped).unwrap_or_default()
    });
    JSON.clone()
}

#[cfg(test)]
mod tests {
    use super::docs::Doc;
    use super::query::{Memory, Options, search};
    use super::*;

    fn doc(url: &str, title: &str, body: &str) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            kind: "task",
            plan: Some("p".into()),
            fields: [title.into(), body.into(), String::new()],
            ..Doc::default()
        }
    }

    /// The URLs `query` finds in an index of `docs`, best first.
    fn found(docs: &[Doc], lang: Lang, query: &str) -> Vec<String> {
        let mut files = writer::write(lang, docs);
        files.push(OutputFile::new("search/fold.json", fold_json()));
        let options = Options { lang, ..Options::default() };
        let results = search(&Memory::new(&files), query, &options).expect("search");
        results.hits.into_iter().map(|h| h.url).collect()
    }

    #[test]
    fn without_diacritics_finds_with() {
        let docs =
            [doc("/quy", "Thành lập Quỹ đầu tư mạo hiểm", ""), doc("/dao-tao", "Đào tạo nhân lực", "")];
        assert_eq!(found(&docs, Lang::Vi, "dau tu mao hiem"), ["/quy"]);
        assert_eq!(found(&docs, Lang::Vi, "ĐẦU TƯ MẠO HIỂM"), ["/quy"]);
    }

    #[test]
    fn exact_diacritics_rank_first() {
        // "dương" is in a short title and comes first; "đường" still wins.
        let docs = [
            doc("/hai-duong", "Tỉnh Hải Dương", ""),
            doc("/tuyen-duong", "Nâng cấp và mở rộng tuyến đường ven biển", ""),
        ];
        assert_eq!(found(&docs, Lang::Vi, "đường"), ["/tuyen-duong", "/hai-duong"]);
        assert_eq!(found(&docs, Lang::Vi, "dương"), ["/hai-duong", "/tuyen-duong"]);
        assert_eq!(found(&docs, Lang::Vi, "duong").len(), 2, "without marks both match");
    }

    #[test]
    fn adjacent_syllables_rank_above_scattered() {
        // The scattered one is shorter and has both syllables in its title.
        let docs = [
            doc("/scattered", "Học khoa", "Tổ chức học tập cho khoa"),
            doc("/adjacent", "Chương trình phát triển khoa học của thành phố", ""),
        ];
        assert_eq!(found(&docs, Lang::Vi, "khoa học"), ["/adjacent", "/scattered"]);
        assert_eq!(found(&docs, Lang::Vi, "khoa hoc"), ["/adjacent", "/scattered"]);
    }

    #[test]
    fn english_is_stemmed_and_completed() {
        let docs =
            [doc("/fund", "Establish a venture capital fund", ""), doc("/other", "Train civil servants", "")];
        assert_eq!(found(&docs, Lang::En, "funds"), ["/fund"]);
        assert_eq!(found(&docs, Lang::En, "training"), ["/other"]);
        assert_eq!(found(&docs, Lang::En, "vent"), ["/fund"], "the last word is a prefix while typing");
        assert!(found(&docs, Lang::En, "vent ").is_empty(), "a finished word is not");
    }

    #[test]
    fn the_published_client_drops_only_comments_and_indentation() {
        let out = compact("// note\nconst a = 1;\n  /**\n   * doc\n   */\n  if (a) {\n    b();\n  }\n");
        assert_eq!(out.lines().skip(1).collect::<Vec<_>>(), ["const a = 1;", "if (a) {", "b();", "}"]);
    }
}
