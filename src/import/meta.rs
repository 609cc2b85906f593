//! The plan's metadata: its number (or none in a draft), date and place,
//! title, the documents it implements, and who signed it.

use super::lines::{Marker, Para, clean};
use super::patterns::{CAPTION_NUMBER, DATE, NUMBER_LINE, references};
use super::sections::Document;
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// What the header, the appendix captions and the signature say.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// "261/KH-UBND"; `None` when absent or left blank.
    pub number: Option<String>,
    /// The number was printed blank ("Số: /KH-UBND"): a draft.
    pub blank_number: bool,
    /// Where the number (or its blank) is printed.
    pub number_line: Option<usize>,
    /// (year, month, day); month and day may be left blank in a draft.
    pub date: Option<(i32, Option<u32>, Option<u32>)>,
    pub date_line: Option<usize>,
    /// The place before the date ("Thừa Thiên Huế").
    pub place: Option<String>,
    pub title: String,
    pub title_line: Option<usize>,
    /// The title was printed in capitals and had to be lowercased.
    pub title_in_capitals: bool,
    pub implements: Vec<String>,
    /// (name, role)
    pub signer: Option<(String, String)>,
    /// The year a one-year plan covers, when its title names one.
    pub plan_year: Option<i32>,
    /// Index in the preamble of the first paragraph after the title.
    pub after_title: usize,
}

static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)năm\s+((?:19|20)\d{2})\s*$").unwrap_or_else(|e| panic!("{e}")));
static PLACE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^,]{2,40}),\s*ngày").unwrap_or_else(|e| panic!("{e}")));

/// Reads the metadata of a structured document; `lines` are the file's lines.
pub fn extract(doc: &Document, lines: &[&str]) -> Meta {
    let mut meta = Meta::default();
    number(&mut meta, doc, lines);
    date(&mut meta, doc, lines);
    title(&mut meta, doc, lines);
    meta.implements = references(&meta.title);
    if meta.implements.is_empty() {
        let basis = doc.preamble[meta.after_title.min(doc.preamble.len())..]
            .iter()
            .find(|p| matches!(fold(&p.text).split_whitespace().next(), Some("can" | "thuc")));
        meta.implements = basis.map(|p| references(&p.text)).unwrap_or_default();
    }
    meta.implements.retain(|r| Some(r) != meta.number.as_ref());
    meta.signer = signer(&doc.closing);
    meta.plan_year = TITLE_YEAR
        .captures(&meta.title)
        .and_then(|c| c[1].parse().ok())
        .filter(|y| meta.date.is_none_or(|(dy, _, _)| dy != *y));
    meta
}

fn number(meta: &mut Meta, doc: &Document, lines: &[&str]) {
    let header = doc
        .preamble
        .iter()
        .find_map(|p| NUMBER_LINE.captures(&p.full()).map(|c| (c[1].to_string(), c[2].to_string(), p.line)));
    let caption = || {
        lines.iter().enumerate().find_map(|(i, l)| {
            CAPTION_NUMBER.captures(l).map(|c| (c[1].to_string(), c[2].to_string(), i + 1))
        })
    };
    if let Some((n, kind, line)) = header.or_else(caption) {
        meta.number_line = Some(line);
        if n.is_empty() {
            meta.blank_number = true;
        } else {
            meta.number = Some(format!("{n}/{kind}"));
        }
    }
}

fn date(meta: &mut Meta, doc: &Document, lines: &[&str]) {
    let from_header = doc.preamble.iter().find_map(|p| {
        let text = p.full();
        let c = DATE.captures(&text)?;
        let place = PLACE_DATE.captures(&text).map(|m| m[1].trim().to_string());
        place.as_ref()?;
        Some((parts(&c), place, p.line))
    });
    let from_caption = || {
        lines.iter().enumerate().find_map(|(i, l)| {
            if !CAPTION_NUMBER.is_match(l) {
                return None;
            }
            DATE.captures(l).map(|c| (parts(&c), None, i + 1))
        })
    };
    if let Some((d, place, line)) = from_header.or_else(from_caption) {
        meta.date = d;
        meta.place = place;
        meta.date_line = Some(line);
    }
}

fn parts(c: &regex::Captures) -> Option<(i32, Option<u32>, Option<u32>)> {
    let year = c.get(3)?.as_str().parse().ok()?;
    let month = c.get(2).and_then(|m| m.as_str().parse().ok());
    let day = c.get(1).and_then(|m| m.as_str().parse().ok());
    Some((year, month, day))
}

/// The title follows the "KẾ HOẠCH" line: the paragraphs after it up to the
/// first that opens the text ("Căn cứ …", a sentence ending in ":"). A
/// title line starting in lowercase was joined to the heading's paragraph:
/// what follows the heading there is the title's beginning.
fn title(meta: &mut Meta, doc: &Document, lines: &[&str]) {
    let is_heading = |l: usize| lines.get(l.wrapping_sub(1)).is_some_and(|l| fold(&clean(l)) == "ke hoach");
    let Some(k) = doc
        .preamble
        .iter()
        .position(|p| fold(&p.full()) == "ke hoach" || (p.printed.is_empty() && is_heading(p.line)))
    else {
        meta.after_title = 0;
        return;
    };
    let first = doc.preamble.get(k + 1);
    let styled = first.is_some_and(|p| p.heading);
    let mut parts = Vec::new();
    let rest = doc.preamble[k].text.split_whitespace().skip(2).collect::<Vec<_>>().join(" ");
    if !rest.is_empty() {
        meta.title_line = (doc.preamble[k].line + 1..=lines.len()).find(|&l| !lines[l - 1].trim().is_empty());
        parts.push(rest);
    }
    let mut end = k + 1;
    for p in doc.preamble.iter().skip(k + 1).take(4) {
        let f = fold(&p.text);
        let opens = f.starts_with("can cu") || p.text.ends_with(':') || matches!(p.marker, Marker::Roman(_));
        if opens || (styled && !p.heading) || (!parts.is_empty() && !styled) {
            break;
        }
        if meta.title_line.is_none() {
            meta.title_line = Some(p.line);
        }
        parts.push(p.full());
        end += 1;
    }
    meta.after_title = end;
    let joined = parts.join(" ");
    meta.title_in_capitals = is_capitals(&joined);
    let body = if meta.title_in_capitals { lower_keeping_references(&joined) } else { lower_first(&joined) };
    meta.title = if body.is_empty() { "Kế hoạch".to_string() } else { format!("Kế hoạch {body}") };
}

fn is_capitals(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 10 && letters.iter().all(|c| c.is_uppercase())
}

/// "Triển khai …" → "triển khai …" (it follows "Kế hoạch").
fn lower_first(s: &str) -> String {
    let mut words = s.split(' ');
    let first = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    let keep = first.chars().skip(1).any(|c| c.is_uppercase()) || first.chars().any(|c| c.is_ascii_digit());
    let first = if keep { first.to_string() } else { first.to_lowercase() };
    std::iter::once(first.as_str()).chain(rest).collect::<Vec<_>>().join(" ")
}

/// A title printed in capitals, in lowercase except document references.
fn lower_keeping_references(s: &str) -> String {
    s.split(' ')
        .map(|w| if w.chars().any(|c| c.is_ascii_digit()) { w.to_string() } else { w.to_lowercase() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The signer: the role above the signature, and the name under it.
fn signer(closing: &[Para]) -> Option<(String, String)> {
    let role_at = closing.iter().rposition(|p| {
        let f = fold(&p.full());
        f.trim_start_matches("kt.").trim() == "chu tich" || f.trim() == "pho chu tich"
    })?;
    let role =
        if fold(&closing[role_at].full()).contains("pho") { "Phó Chủ tịch" } else { "Chủ tịch" };
    let name = closing[role_at + 1..].iter().map(|p| p.full()).find(|n| is_name(n))?;
    Some((name, role.to_string()))
}

fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) && w.chars().all(char::is_alphabetic))
        && !is_capitals(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::lines::paragraphs;
    use crate::import::sections::{blocks, structure};

    fn doc(text: &str) -> (Document, Vec<&str>) {
        let lines: Vec<&str> = text.lines().collect();
        let shape = crate::import::shape::Shape { markdown: false, hard_wrapped: false, tables: Vec::new() };
        let _ = paragraphs;
        (structure(blocks(&lines, &shape)), lines)
    }

    #[test]
    fn header_title_and_signer() {
        let text = "Số: 261/KH-UBND\nThừa Thiên Huế, ngày 24 tháng 6 năm 2024\nKẾ HOẠCH\nTriển khai Kế hoạch số 183-KH/TU về Kết luận số 69-KL/TW\nCăn cứ Nghị quyết 54-NQ/TW.\nI. MỤC ĐÍCH\n- Một.\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thanh Bình\n";
        let (d, lines) = doc(text);
        let m = extract(&d, &lines);
        assert_eq!(m.number.as_deref(), Some("261/KH-UBND"));
        assert_eq!(m.date, Some((2024, Some(6), Some(24))));
        assert_eq!(m.place.as_deref(), Some("Thừa Thiên Huế"));
        assert_eq!(m.title, "Kế hoạch triển khai Kế hoạch số 183-KH/TU về Kết luận số 69-KL/TW");
        assert_eq!(m.implements, vec!["183-KH/TU", "69-KL/TW"]);
        assert_eq!(m.signer, Some(("Nguyễn Thanh Bình".to_string(), "Phó Chủ tịch".to_string())));
    }

    #[test]
    fn a_draft_and_a_title_in_capitals() {
        let text = "Số: /KH-UBND\nHải Phòng, ngày tháng năm 2026\nKẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT SỐ 03/NQ-CP CỦA CHÍNH PHỦ NĂM 2027\nI. MỤC ĐÍCH\n";
        let (d, lines) = doc(text);
        let m = extract(&d, &lines);
        assert!(m.blank_number && m.number.is_none());
        assert_eq!(m.date, Some((2026, None, None)));
        assert!(m.title_in_capitals);
        assert_eq!(m.title, "Kế hoạch thực hiện nghị quyết số 03/NQ-CP của chính phủ năm 2027");
        assert_eq!(m.plan_year, Some(2027));
    }
}
