//! Text is checked once, at load, for characters no output can carry:
//! control characters other than tab and newline (a form feed makes an
//! Atom feed invalid XML, a carriage return splits an ICS line), the
//! non-characters U+FFFE and U+FFFF (not XML), and the bidirectional
//! overrides that make text read differently from how it is stored.
//! TOML itself refuses most raw controls; these arrive as escapes
//! (`"\f"`, `"\u0007"`) or as raw C1 characters.

use crate::error::{Diagnostic, line_of};
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Why `c` may not be in content text, or `None` if it may.
pub fn forbidden(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' => None,
        '\r' => Some("a carriage return (use a newline)"),
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some("a control character"),
        '\u{80}'..='\u{9f}' => Some("a C1 control character"),
        '\u{fffe}' | '\u{ffff}' => Some("a Unicode non-character"),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some("a bidirectional override"),
        _ => None,
    }
}

/// The first forbidden character in a TOML file's strings, as a
/// diagnostic with its line, or `None`. Cheap when the file has no escape
/// or raw character that could be one, which is nearly always.
pub fn check(rel: &Path, text: &str) -> Option<Diagnostic> {
    let may_have = text.contains('\\') || text.chars().any(|c| c != '\r' && forbidden(c).is_some());
    if !may_have {
        return None;
    }
    // A file that does not parse is reported by the real parse.
    let table = DeTable::parse(text).ok()?;
    let mut found = Vec::new();
    table_strings(table.get_ref(), &mut found);
    found.sort_unstable();
    let (&(start, c), rest) = found.split_first()?;
    let what = forbidden(c).unwrap_or("a control character");
    let more =
        if rest.is_empty() { String::new() } else { format!(" (and {} more in this file)", rest.len()) };
    Some(
        Diagnostic::new(rel, Some(line_of(text, start)), format!("this text holds {what}, U+{:04X}{more}", c as u32))
            .hint("remove it: only tab and newline are allowed in text, since pages, feeds and calendars cannot carry it"),
    )
}

fn table_strings(table: &DeTable<'_>, found: &mut Vec<(usize, char)>) {
    for (key, value) in table {
        note(key.span().start, key.get_ref(), found);
        value_strings(value, found);
    }
}

fn value_strings(value: &Spanned<DeValue<'_>>, found: &mut Vec<(usize, char)>) {
    match value.get_ref() {
        DeValue::String(s) => note(value.span().start, s, found),
        DeValue::Array(items) => items.iter().for_each(|v| value_strings(v, found)),
        DeValue::Table(t) => table_strings(t, found),
        _ => {}
    }
}

fn note(start: usize, s: &str, found: &mut Vec<(usize, char)>) {
    found.extend(s.chars().filter(|&c| forbidden(c).is_some()).map(|c| (start, c)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_raw_c1_are_found_with_their_line() {
        let text = "id = \"x\"\n\n[title]\nvi = \"Kế\\fhoạch\"\nen = \"ok\\u0007 \u{85}\"\n";
        let d = check(Path::new("p.toml"), text).expect("found");
        assert_eq!(d.line, Some(4));
        assert!(d.message.contains("U+000C") && d.message.contains("and 2 more"), "{}", d.message);
    }

    #[test]
    fn tabs_newlines_and_escaped_backslashes_are_fine() {
        let text = "a = \"tab\\there\\nnew line, C:\\\\f\"\nb = '''raw \\f stays text'''\n";
        assert_eq!(check(Path::new("p.toml"), text), None);
    }

    #[test]
    fn bidi_overrides_and_carriage_returns_are_refused() {
        assert!(check(Path::new("p.toml"), "a = \"x\\u202Ey\"").is_some());
        assert!(check(Path::new("p.toml"), "a = \"x\\ry\"").is_some());
        assert!(check(Path::new("p.toml"), "a = \"x\\uFFFFy\"").is_some());
    }
}
