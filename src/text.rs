//! Bilingual text: every human-language field is Vietnamese, maybe English.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A site language. Vietnamese is the language of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// A field in both languages; `en` is absent until someone translates it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub vi: String,
    pub en: Option<String>,
}

/// Text chosen for one language, and whether it fell back to Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub fallback: bool,
}

impl Text {
    pub fn vi(vi: impl Into<String>) -> Self {
        Text { vi: vi.into(), en: None }
    }

    pub fn both(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Text { vi: vi.into(), en: Some(en.into()) }
    }

    /// The text for `lang`, falling back to Vietnamese where English is missing.
    pub fn get(&self, lang: Lang) -> Localized<'_> {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => Localized { text: en, lang: Lang::En, fallback: false },
            (Lang::En, None) => Localized { text: &self.vi, lang: Lang::Vi, fallback: true },
            (Lang::Vi, _) => Localized { text: &self.vi, lang: Lang::Vi, fallback: false },
        }
    }

    pub fn is_translated(&self) -> bool {
        self.en.is_some()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"a string or a table { vi = "…", en = "…" }"#)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        non_empty(v).map(Text::vi)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let (mut vi, mut en) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "vi" => vi = Some(map.next_value::<String>()?),
                "en" => en = Some(map.next_value::<String>()?),
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown language `{other}` in a text field, expected `vi` or `en`"
                    )));
                }
            }
        }
        let vi = vi.ok_or_else(|| de::Error::custom("text without `vi`: the Vietnamese text is required"))?;
        Ok(Text { vi: non_empty(&vi)?, en: en.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) })
    }
}

fn non_empty<E: de::Error>(v: &str) -> Result<String, E> {
    let v = v.trim();
    if v.is_empty() {
        Err(E::custom("empty text: write the text or leave the field out"))
    } else {
        Ok(v.to_string())
    }
}

/// True for a lowercase ASCII slug: `[a-z0-9]` runs joined by single `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("hue-so-khcn"));
        assert!(is_slug("12"));
        assert!(!is_slug("Hue"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a_b"));
        assert!(!is_slug("huế"));
        assert!(!is_slug(""));
    }

    #[test]
    fn english_falls_back_to_vietnamese() {
        let t = Text::vi("Kế hoạch");
        let l = t.get(Lang::En);
        assert_eq!((l.text, l.lang, l.fallback), ("Kế hoạch", Lang::Vi, true));
        let t = Text::both("Kế hoạch", "Plan");
        assert_eq!(t.get(Lang::En).text, "Plan");
        assert!(!t.get(Lang::En).fallback);
    }

    #[test]
    fn parses_both_shapes() {
        #[derive(Deserialize)]
        struct D {
            a: Text,
            b: Text,
        }
        let d: D = toml::from_str("a = \"x\"\nb = { vi = \"y\", en = \"z\" }").unwrap();
        assert_eq!(d.a, Text::vi("x"));
        assert_eq!(d.b, Text::both("y", "z"));
        let e = toml::from_str::<D>("a = \"x\"\nb = { vi = \"y\", fr = \"z\" }").err().unwrap();
        assert!(e.to_string().contains("unknown language `fr`"), "{e}");
    }
}

/// Folds Vietnamese for comparison: NFD, combining marks dropped, `đ` → `d`,
/// lowercased. "Đầu tư" and "dau tu" fold to the same string.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod fold_tests {
    #[test]
    fn folds_tones_marks_and_d() {
        assert_eq!(super::fold("Đầu tư mạo hiểm"), "dau tu mao hiem");
        assert_eq!(super::fold("ĐƯỜNG"), "duong");
    }
}

/// A cell made safe for spreadsheets (OWASP's advice on CSV injection): text
/// that Excel, LibreOffice or Sheets would run as a formula (it begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which
/// they show as text. Plain numbers ("-5", "+2.5%") and a lone sign stay as
/// they are: they cannot run anything.
pub fn spreadsheet_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || is_plain_number(cell) || matches!(cell, "-" | "+") {
        return std::borrow::Cow::Borrowed(cell);
    }
    std::borrow::Cow::Owned(format!("'{cell}"))
}

/// `-5`, `+2.5`, `-3,2%`: a sign, digits with one decimal mark, maybe `%`.
fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let body = body.strip_suffix('%').unwrap_or(body);
    let mut parts = body.splitn(2, ['.', ',']);
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.next().is_none_or(digits)
}

#[cfg(test)]
mod spreadsheet_tests {
    use super::spreadsheet_cell;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("-5", "-5"),
            ("+2.5%", "+2.5%"),
            ("-3,2", "-3,2"),
            ("-", "-"),
            ("Sở Tài chính", "Sở Tài chính"),
            ("", ""),
            ("1-2", "1-2"),
        ] {
            assert_eq!(spreadsheet_cell(cell), safe, "{cell:?}");
        }
    }
}

/// An absolute http(s) link with a host and nothing a link cannot hold
/// unescaped (spaces, controls): what report links (evidence, the
/// report's own address) must be, in a form and in a progress file alike.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A site's base URL, checked once for every place it goes (pages, feeds,
/// sitemap, calendars): absolute http(s), a host, a path, and only
/// characters that need escaping nowhere (no query, fragment, quote or
/// `&`; percent-encode anything else), so it can never break out of an
/// attribute, an XML element or an ICS line. Kept with a trailing `/`.
pub fn base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(format!("`{}` is not an absolute http(s) URL", url.escape_debug()));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(format!("`{}` has no host name", url.escape_debug()));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/[]@%".contains(c);
    if let Some(bad) = url.chars().find(|&c| !allowed(c)) {
        return Err(format!(
            "`{}` holds {:?}, which a URL cannot hold unescaped (percent-encode it)",
            url.escape_debug(),
            bad
        ));
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

#[cfg(test)]
mod base_url_tests {
    use super::base_url;

    #[test]
    fn only_plain_absolute_urls_pass() {
        assert_eq!(base_url(" https://plans.example.org ").as_deref(), Ok("https://plans.example.org/"));
        assert_eq!(
            base_url("http://127.0.0.1:8000/ke-hoach/").as_deref(),
            Ok("http://127.0.0.1:8000/ke-hoach/")
        );
        for bad in [
            "plans.example.org",
            "https://",
            "https://x.org/\r\nX-Injected: 1",
            "https://x.org/\"><script>",
            "https://x.org/a b",
            "https://x.org/\u{c}a",
            "https://x.org/đ",
            "https://x.org/?a=1&b=2",
            "https://x.org/#top",
            "javascript:alert(1)",
        ] {
            assert!(base_url(bad).is_err(), "{bad:?}");
        }
    }
}
