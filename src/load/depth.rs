//! How deeply a Markdown field nests (quotes, lists, raw HTML elements).
//! The HTML sanitiser takes time quadratic in nesting depth (100 KB of
//! nested quotes took 84 s), so one hostile field could stall every build;
//! no real plan nests more than a few levels, so the loader refuses fields
//! deeper than [`MAX_DEPTH`].

use pulldown_cmark::{Event, Options, Parser};

/// Far above any real document (plans nest 3–4 levels), far below what
/// makes sanitising slow.
pub const MAX_DEPTH: usize = 48;

/// The deepest nesting of `markdown`, counting Markdown containers and raw
/// HTML elements together, as the page would nest them. Linear time.
pub fn depth(markdown: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                deepest = deepest.max(depth + html_depth(&html));
                continue;
            }
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}

/// The deepest element nesting within a piece of raw HTML: open tags
/// count up, closing tags down; void and self-closing tags do not count.
fn html_depth(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(name) = tag.strip_prefix('/') {
            if !name.is_empty() {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() || tag.ends_with('/') || VOID.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_quotes_lists_and_raw_html() {
        assert_eq!(depth("plain text"), 1);
        assert_eq!(depth("> > > deep"), 4);
        assert!(depth(&"<div>".repeat(1000)) >= 1000);
        assert!(depth(&(">".repeat(500) + " x")) >= 500);
        assert_eq!(depth("a<br>b<img src=x/>c"), 1);
        let list: String = (0..10).map(|i| "  ".repeat(i) + "- x\n").collect();
        assert!(depth(&list) >= 10);
    }

    #[test]
    fn real_plans_are_far_from_the_limit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::load::load(root).expect("the repository's content loads");
        for plan in &site.plans {
            for s in &plan.sections {
                assert!(depth(&s.body.vi) < MAX_DEPTH / 4, "{} {}", plan.id, s.id);
            }
        }
    }
}
