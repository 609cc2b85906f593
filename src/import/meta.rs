//! The plan's metadata: its number (or none in a draft), date and place,
//! title, the documents it implements, and who signed it.

use super::header::Header;
use super::lines::{Marker, Para, clean, join};
use super::patterns::{CAPTION_NUMBER, DATE, NUMBER_LINE, references};
use super::sections::{Document, Kind};
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
    /// The title ends in a word a title cannot end in ("của", "và"): a
    /// line of it may be missing.
    pub title_cut: Option<String>,
    /// Where the implemented documents were read from, for the report.
    pub implements_from: Vec<usize>,
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

/// Reads the metadata of a structured document; `lines` are the file's
/// lines, `header` what its header cells say, `places` the place names a
/// capitalised title may hold ("Nghệ An", "Thừa Thiên Huế").
pub fn extract(doc: &Document, lines: &[&str], header: &Header, places: &[String]) -> Meta {
    let mut meta = Meta::default();
    number(&mut meta, doc, lines, header);
    date(&mut meta, doc, lines, header);
    title(&mut meta, doc, lines, places);
    implements(&mut meta, doc);
    meta.signer = signer(&doc.closing);
    meta.plan_year = TITLE_YEAR
        .captures(&meta.title)
        .and_then(|c| c[1].parse().ok())
        .filter(|y| meta.date.is_none_or(|(dy, _, _)| dy != *y));
    meta
}

/// The documents a plan implements: those its title names and those its
/// "Thực hiện / Triển khai" paragraphs name; when they name none, its legal
/// bases — every "Căn cứ" paragraph, a list of bases before section I, a
/// legal-bases section. A submission (Tờ trình, "…/TTr-…") proposes the
/// plan and implements nothing.
fn implements(meta: &mut Meta, doc: &Document) {
    let opens = |p: &Para, keys: &[&str]| {
        let f = fold(&p.text);
        keys.iter().any(|k| f.starts_with(k))
    };
    let mut refs = references(&meta.title);
    if let Some(l) = meta.title_line.filter(|_| !refs.is_empty()) {
        meta.implements_from.push(l);
    }
    for p in doc.preamble.iter().filter(|p| opens(p, &["thuc hien", "trien khai"])) {
        let found: Vec<String> = references(&p.text).into_iter().filter(|r| !submission(r)).collect();
        if !found.is_empty() {
            meta.implements_from.push(p.line);
        }
        refs.extend(found);
    }
    if refs.is_empty() {
        let after = &doc.preamble[meta.after_title.min(doc.preamble.len())..];
        let bases = after
            .iter()
            .filter(|p| opens(p, &["can cu", "theo"]) || matches!(p.marker, Marker::Bullet(_)))
            .chain(doc.sections.iter().filter(|s| s.kind == Kind::Basis).flat_map(|s| s.paras()));
        for p in bases {
            let found: Vec<String> = references(&p.text).into_iter().filter(|r| !submission(r)).collect();
            if !found.is_empty() {
                meta.implements_from.push(p.line);
            }
            refs.extend(found);
        }
    }
    let own = meta.number.clone();
    let mut out: Vec<String> = Vec::new();
    for r in refs {
        if !out.contains(&r) && Some(&r) != own.as_ref() {
            out.push(r);
        }
    }
    meta.implements = out;
}

/// A submission ("28/TTr-SKHCN") proposes a plan; it is not implemented by it.
fn submission(reference: &str) -> bool {
    reference.split(['/', '-']).any(|part| part.starts_with("TTr"))
}

fn number(meta: &mut Meta, doc: &Document, lines: &[&str], printed: &Header) {
    if let Some((n, kind, line)) = &printed.number {
        meta.number_line = Some(*line);
        if n.is_empty() {
            meta.blank_number = true;
        } else {
            meta.number = Some(format!("{n}/{kind}"));
        }
        return;
    }
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

fn date(meta: &mut Meta, doc: &Document, lines: &[&str], header: &Header) {
    if let Some((place, line)) = &header.place {
        meta.place = Some(place.clone());
        meta.date = header.date.map(|d| d.0);
        meta.date_line = Some(*line);
        return;
    }
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

/// The title follows the "KẾ HOẠCH" line (or, where a site dropped that
/// line, the date line): the paragraphs after it up to the first that
/// opens the text ("Căn cứ …", a sentence ending in ":"); a title in
/// capitals goes on over every line in capitals. A title line starting in
/// lowercase was joined to the heading's paragraph: what follows the
/// heading there is the title's beginning.
fn title(meta: &mut Meta, doc: &Document, lines: &[&str], places: &[String]) {
    let is_heading = |l: usize| lines.get(l.wrapping_sub(1)).is_some_and(|l| fold(&clean(l)) == "ke hoach");
    let heading = doc
        .preamble
        .iter()
        .position(|p| fold(&p.full()) == "ke hoach" || (p.printed.is_empty() && is_heading(p.line)));
    // No "KẾ HOẠCH" line: a title in capitals right after the date line.
    let after_date = || {
        let d = meta.date_line.or(meta.number_line)?;
        let k = doc.preamble.iter().rposition(|p| p.line <= d)?;
        doc.preamble.get(k + 1).filter(|p| is_capitals(&p.full()) && p.marker == Marker::None).map(|_| k)
    };
    let Some(k) = heading.or_else(after_date) else {
        meta.after_title = 0;
        return;
    };
    let first = doc.preamble.get(k + 1);
    let styled = first.is_some_and(|p| p.heading);
    let mut parts: Vec<String> = Vec::new();
    let rest = if heading.is_some() {
        doc.preamble[k].text.split_whitespace().skip(2).collect::<Vec<_>>().join(" ")
    } else {
        String::new()
    };
    if !rest.is_empty() {
        meta.title_line = (doc.preamble[k].line + 1..=lines.len()).find(|&l| !lines[l - 1].trim().is_empty());
        parts.push(rest);
    }
    let mut end = k + 1;
    for p in doc.preamble.iter().skip(k + 1).take(12) {
        let f = fold(&p.text);
        let opens = ["can cu", "thuc hien ", "trien khai ", "theo "]
            .iter()
            .any(|o| !parts.is_empty() && f.starts_with(o))
            || f.starts_with("can cu")
            || p.text.ends_with(':')
            || p.marker != Marker::None;
        // A title in capitals goes on over lines in capitals, short ones too ("NĂM 2026").
        let capitals = !parts.is_empty() && is_capitals(&parts.join(" ")) && all_caps(&p.full());
        if opens || (styled && !p.heading) || (!parts.is_empty() && !styled && !capitals) {
            break;
        }
        if meta.title_line.is_none() {
            meta.title_line = Some(p.line);
        }
        parts.push(p.full());
        end += 1;
    }
    meta.after_title = end;
    let mut joined = String::new();
    for part in &parts {
        join(&mut joined, part);
    }
    meta.title_in_capitals = is_capitals(&joined);
    let body =
        if meta.title_in_capitals { super::recase::recase(&joined, places) } else { lower_first(&joined) };
    meta.title_cut = super::recase::dangling(&body);
    let body = body.trim_end_matches([',', ';', ':']).trim();
    meta.title = if body.is_empty() { "Kế hoạch".to_string() } else { format!("Kế hoạch {body}") };
}

fn all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
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
        let m = extract(&d, &lines, &Header::default(), &[]);
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
        let m = extract(&d, &lines, &Header::default(), &[]);
        assert!(m.blank_number && m.number.is_none());
        assert_eq!(m.date, Some((2026, None, None)));
        assert!(m.title_in_capitals);
        assert_eq!(m.title, "Kế hoạch thực hiện Nghị quyết số 03/NQ-CP của Chính phủ năm 2027");
        assert_eq!(m.plan_year, Some(2027));
    }
}
