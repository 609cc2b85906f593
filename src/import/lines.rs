//! Lines → paragraphs: strips Markdown and HTML decoration, recognises list
//! markers, and joins lines that a PDF or a converter hard-wrapped back into
//! the paragraph they belong to. Every paragraph remembers its first line.

use super::patterns::{BULLET, LETTER, NUMBER, ROMAN};
use regex::Regex;
use std::sync::LazyLock;

/// How a paragraph is marked at its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    None,
    /// "II." — a Roman numeral.
    Roman(String),
    /// "1.", "1.2." — the number without its trailing punctuation.
    Number(String),
    /// "a)" — the letter.
    Letter(char),
    /// "-", "+", "•".
    Bullet(char),
}

/// One paragraph of prose.
#[derive(Debug, Clone)]
pub struct Para {
    /// 1-based line of the paragraph's first line in the file.
    pub line: usize,
    /// The text without its marker.
    pub text: String,
    /// The marker as printed ("1.", "a)", "-"), empty when there is none.
    pub printed: String,
    pub marker: Marker,
    /// A Markdown heading (`#`) or a line set entirely in bold.
    pub heading: bool,
}

impl Para {
    /// The text with its marker, as a reader sees it.
    pub fn full(&self) -> String {
        if self.printed.is_empty() { self.text.clone() } else { format!("{} {}", self.printed, self.text) }
    }
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^>]*>").unwrap_or_else(|e| panic!("{e}")));

/// Removes HTML tags and entities, Markdown emphasis and heading marks, and
/// collapses whitespace.
pub fn clean(raw: &str) -> String {
    let no_tags = TAG.replace_all(raw, " ");
    let decoded = no_tags
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let mut s = decoded.trim().trim_start_matches('#').replace("**", "");
    s = s.replace("\\", "");
    let trimmed = s.trim();
    // "*(Kèm theo …)*": italics wrapping the whole line.
    let unwrapped = if trimmed.len() > 2 && trimmed.starts_with('*') && trimmed.ends_with('*') {
        &trimmed[1..trimmed.len() - 1]
    } else {
        trimmed
    };
    unwrapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the raw line is styled as a heading (`#`, or bold from end to end).
fn styled_heading(raw: &str) -> bool {
    let t = raw.trim();
    t.starts_with('#') || (t.starts_with("**") && t.trim_end().ends_with("**") && t.len() > 4)
}

/// Splits off a paragraph's marker.
pub fn marker(text: &str) -> (Marker, String, String) {
    if let Some(c) = ROMAN.captures(text) {
        return (Marker::Roman(c[1].to_string()), format!("{}.", &c[1]), c[2].to_string());
    }
    if let Some(c) = NUMBER.captures(text) {
        // "3 Đẩy mạnh" is not a numbered item in prose: a dot, a bracket or a sub-number is needed.
        if c.get(2).is_some() || c[1].contains('.') {
            let printed = format!("{}{}", &c[1], c.get(2).map_or("", |m| m.as_str()));
            return (Marker::Number(c[1].to_string()), printed, c[3].to_string());
        }
    }
    if let Some(c) = LETTER.captures(text) {
        let letter = c[1].chars().next().unwrap_or('a');
        return (Marker::Letter(letter), format!("{})", &c[1]), c[2].to_string());
    }
    if let Some(c) = BULLET.captures(text) {
        let b = c[1].chars().next().unwrap_or('-');
        return (Marker::Bullet(b), c[1].to_string(), c[2].to_string());
    }
    (Marker::None, String::new(), text.to_string())
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

/// A line in capitals is a heading ("KẾ HOẠCH", "TM. ỦY BAN NHÂN DÂN"): never wrapped text.
pub fn mostly_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', ':', ';', '!', '?', '”', '"', ')'])
}

/// Paragraphs of `lines` (the file's lines `first..`, 1-based `first`).
/// `hard_wrapped`: the text came from a PDF, where a line that does not end a
/// sentence continues on the next one.
pub fn paragraphs(lines: &[&str], first: usize, hard_wrapped: bool) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut blank_before = true;
    for (i, raw) in lines.iter().enumerate() {
        let no = first + i;
        // "**I. MỤC TIÊU****1. Mục tiêu tổng quát**": two bold headings glued together.
        let pieces: Vec<&str> = if raw.contains("****") { raw.split("****").collect() } else { vec![raw] };
        let glued = pieces.len() > 1;
        for piece in pieces {
            let text = clean(piece);
            if text.is_empty() {
                blank_before = true;
                continue;
            }
            let heading = glued || styled_heading(piece);
            let (marker, printed, rest) = marker(&text);
            let joins = marker == Marker::None
                && !heading
                && out.last().is_some_and(|p| !p.heading)
                && (starts_lowercase(&text)
                    || (hard_wrapped
                        && !blank_before
                        && !mostly_upper(&text)
                        && out.last().is_some_and(|p| !ends_sentence(&p.text) && !mostly_upper(&p.text))));
            let heading_goes_on =
                marker == Marker::None && out.last().is_some_and(|p| wrapped_heading(p, &text));
            match out.last_mut() {
                Some(prev) if joins || heading_goes_on => join(&mut prev.text, &text),
                _ => out.push(Para { line: no, text: rest, printed, marker, heading }),
            }
            blank_before = false;
        }
    }
    out
}

/// "I. MỤC" / "ĐÍCH, YÊU CẦU": a Roman heading cut after a word that
/// cannot end it goes on in the next line in capitals.
fn wrapped_heading(prev: &Para, next: &str) -> bool {
    let words: Vec<&str> = prev.text.split_whitespace().collect();
    let cut = words.len() <= 1
        || prev.text.ends_with([',', '-'])
        || words.last().is_some_and(|w| ["VÀ", "CỦA", "VỀ", "CHO", "TẠI"].contains(w));
    matches!(prev.marker, Marker::Roman(_)) && cut && mostly_upper(&prev.text) && mostly_upper(next)
}

/// Appends a wrapped line: no space after a hyphen that split a reference ("57-" + "NQ/TW").
pub fn join(prev: &mut String, next: &str) {
    let next = next.trim();
    let glue = (prev.ends_with('-') && !prev.ends_with(" -") && !starts_lowercase(next))
        || next.starts_with([',', ';', '.', ':', ')']);
    if !glue && !prev.is_empty() {
        prev.push(' ');
    }
    prev.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean("### **1. Sở Khoa học và Công nghệ**"), "1. Sở Khoa học và Công nghệ");
        assert_eq!(clean("<b>TT</b>"), "TT");
        assert_eq!(clean("<p>Sở &amp; ngành</p>"), "Sở & ngành");
        assert_eq!(clean("*(Kèm theo Kế hoạch)*"), "(Kèm theo Kế hoạch)");
    }

    #[test]
    fn wrapped_lines_join() {
        let lines = ["- Các tổ chức phát huy vai trò và phản", "", "biện xã hội.", "- Biểu dương"];
        let p = paragraphs(&lines, 10, false);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].text, "Các tổ chức phát huy vai trò và phản biện xã hội.");
        assert_eq!((p[0].line, p[1].line), (10, 13));
        let pdf =
            ["Căn cứ Quyết định của UBND tỉnh Thừa", "Thiên Huế ban hành.", "I. MỤC TIÊU", "1. Mục tiêu"];
        let p = paragraphs(&pdf, 1, true);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0].text, "Căn cứ Quyết định của UBND tỉnh Thừa Thiên Huế ban hành.");
        assert_eq!(p[1].marker, Marker::Roman("I".into()));
    }

    #[test]
    fn glued_headings_split() {
        let p = paragraphs(&["**I. MỤC TIÊU****1. Mục tiêu tổng quát**"], 9, false);
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].marker, Marker::Number("1".into()));
        assert!(p.iter().all(|p| p.heading && p.line == 9));
    }
}
