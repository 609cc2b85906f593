//! What every output stage shares, below all of them: escaping text into
//! HTML and XML, the site's URL paths, and the interface's words. Pages,
//! open data, the search index and the change history each depend on the
//! resolved site and on this module, never on each other.

use crate::text::Lang;
use std::collections::BTreeMap;

/// Where the search client is published, relative to the base path: the
/// pages load it, the search stage writes it.
pub const SEARCH_CLIENT: &str = "search/plansite-search.mjs";

/// Kinds of search documents, as the `kind` filter and results name them.
pub const SEARCH_KINDS: [&str; 5] = ["plan", "section", "indicator", "task", "agency"];

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text).unwrap_or_default();
    out
}

/// [`escape`] written straight into `out`: the text between the characters
/// that need escaping goes in whole, so a page's common case (nothing to
/// escape) is one copy and no allocation.
pub fn escape_into<W: std::fmt::Write + ?Sized>(out: &mut W, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Jump from one byte that may start a character to change to the next.
    while let Some(skip) = bytes[i..].iter().position(|&b| MAY_ESCAPE[usize::from(b)]) {
        i += skip;
        let c = text[i..].chars().next().unwrap_or_default();
        let replacement = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\'' => Some("&#39;"),
            c if not_xml(c) => Some(""),
            _ => None,
        };
        if let Some(r) = replacement {
            out.write_str(&text[start..i])?;
            out.write_str(r)?;
            start = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    out.write_str(&text[start..])
}

/// The first bytes of every character [`escape_into`] escapes or drops:
/// the five ASCII specials, a C0 control, or 0xEF (U+FFFE and U+FFFF are
/// EF BF BE and EF BF BF). A table, as every byte of every page's text is
/// looked up here.
static MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    let specials = [b'&', b'<', b'>', b'"', b'\'', 0xef];
    let mut k = 0;
    while k < specials.len() {
        table[specials[k] as usize] = true;
        k += 1;
    }
    table
};

/// Characters XML 1.0 cannot hold even escaped (so a feed would not
/// parse); the loader refuses them, and escaping drops any that get past.
fn not_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// The path part of the base URL: `https://x.org/plans/` → `/plans/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map(|(_, rest)| rest).unwrap_or(base_url);
    match after_scheme.find('/') {
        Some(i) => {
            let p = &after_scheme[i..];
            if p.ends_with('/') { p.to_string() } else { format!("{p}/") }
        }
        None => "/".to_string(),
    }
}

/// The theme's i18n string tables, one per language.
pub struct Strings {
    pub(crate) tables: BTreeMap<Lang, BTreeMap<String, String>>,
}

impl Strings {
    /// The string for `key`; the key itself if the table lacks it (which
    /// `Theme::load` has already reported).
    pub fn get<'a>(&'a self, lang: Lang, key: &'a str) -> &'a str {
        self.tables.get(&lang).and_then(|t| t.get(key)).map(String::as_str).unwrap_or(key)
    }

    /// One language's table, for templates.
    pub fn table(&self, lang: Lang) -> Option<&BTreeMap<String, String>> {
        self.tables.get(&lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a\u{c}b\u{0}c\u{ffff}\td\ne"), "abc\td\ne");
        assert_eq!(escape("<\u{1b}>"), "&lt;&gt;");
        assert_eq!(escape("Sở \u{fffe}KH&CN “x” 'y' \u{ef}"), "Sở KH&amp;CN “x” &#39;y&#39; \u{ef}");
    }

    #[test]
    fn escapes() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    proptest::proptest! {
        /// The byte-table scan gives what escaping character by character gives.
        #[test]
        fn escaping_matches_a_char_by_char_reference(text in "\\PC*|[&<>\"'\\x00-\\x1f\\u{fffe}\\u{ffff}a-zđơư ]*") {
            let reference: String = text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c if not_xml(c) => String::new(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(escape(&text), reference);
        }
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://x.org/"), "/");
        assert_eq!(base_path("https://x.org"), "/");
        assert_eq!(base_path("https://x.org/plans/"), "/plans/");
    }
}
