//! The header of a plan as converters and legal-document sites leave it:
//! the issuing body, the national motto, the number, the place and date,
//! set as table cells (`… |`, a lone `|` between them), on one line or
//! two ("Ninh Bình," / "ngày 30 tháng 9 năm 2024"), after the site's own
//! page title and metadata table. This stage reads the header's facts from
//! its cells and blanks what is site furniture, keeping every line number.

use super::lines::clean;
use super::patterns::{DATE, NUMBER_LINE, ROMAN};
use crate::text::fold;

/// How far into the file a header may reach.
const REACH: usize = 60;

/// What the header says, with the (1-based) line of each fact.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// "177/KH-UBND" as printed ("" for a blank draft number) and its type ("KH-UBND").
    pub number: Option<(String, String, usize)>,
    /// The place printed before the date ("Ninh Bình").
    pub place: Option<(String, usize)>,
    /// (year, month, day) of the date line, and the line.
    pub date: Option<(PrintedDate, usize)>,
    /// The body's level and place from "ỦY BAN NHÂN DÂN / TỈNH NINH BÌNH".
    pub body: Option<(&'static str, String, usize)>,
    /// The signer a site's metadata table names ("| Người ký | … |"); the
    /// document text itself may not.
    pub site_signer: Option<(String, usize)>,
    /// Lines blanked as site furniture (1-based).
    pub furniture: Vec<usize>,
}

/// (year, month, day): month and day may be left blank in a draft.
pub type PrintedDate = (i32, Option<u32>, Option<u32>);

/// A cell of a header line, with its line.
struct Cell {
    line: usize,
    text: String,
}

/// Site metadata rows ("| Số hiệu | 348/KH-UBND |"), by their first cell.
const SITE_KEYS: &[&str] = &[
    "so hieu",
    "ngay ban hanh",
    "ngay co hieu luc",
    "loai van ban",
    "co quan ban hanh",
    "nguoi ky",
    "linh vuc",
    "tinh trang",
    "ngay dang cong bao",
    "so cong bao",
];

fn is_motto(folded: &str) -> bool {
    let motto = ["cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc"];
    let f = folded.trim_end_matches(['|', ' ']).trim();
    f.chars().count() >= 5 && motto.iter().any(|m| m.contains(f))
}

fn is_rule(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*' | '|' | ' '))
}

/// Is this cell the start of the issuing body's name ("ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN")?
fn is_body(folded: &str) -> bool {
    folded.starts_with("uy ban nhan") || folded.starts_with("hoi dong nhan")
}

/// Reads the header of `lines` (the whole file) and returns the lines with
/// its furniture blanked and its cell separators removed.
pub fn read(lines: &[&str]) -> (Vec<String>, Header) {
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut header = Header::default();
    let reach = lines.len().min(REACH);
    // Where the header ends: the first Roman-numbered section.
    let end = (0..reach).find(|&i| ROMAN.is_match(&clean(lines[i]))).unwrap_or(reach);
    let start = (0..end).find(|&i| {
        let f = fold(&clean(lines[i]));
        is_body(&f) || is_motto(&f) || NUMBER_LINE.is_match(&clean(lines[i]))
    });
    let mut cells: Vec<Cell> = Vec::new();
    for i in 0..end {
        let raw = lines[i];
        let text = clean(raw);
        let f = fold(&text);
        let site_row = text.starts_with('|') && {
            let first = text.trim_start_matches('|').split('|').next().unwrap_or("");
            SITE_KEYS.contains(&fold(first).trim())
        };
        if site_row {
            let parts: Vec<&str> = text.trim_matches('|').split('|').map(str::trim).collect();
            if parts.first().is_some_and(|k| fold(k) == "nguoi ky") {
                if let Some(name) = parts.get(1).filter(|n| !n.is_empty()) {
                    header.site_signer = Some((name.to_string(), i + 1));
                }
            }
        }
        let before_header = start.is_some_and(|s| i < s) && f != "ke hoach";
        let furniture = site_row || before_header || raw.trim_start().starts_with("# source:");
        if furniture {
            out[i] = String::new();
            header.furniture.push(i + 1);
            continue;
        }
        let cells_in_line = raw.contains('|') || raw.contains('\t');
        if !cells_in_line && !is_rule(raw) && !is_motto(&f) {
            cells.push(Cell { line: i + 1, text });
            continue;
        }
        // Cells: keep the meaningful ones, one line's worth, without pipes.
        let kept: Vec<String> = raw
            .split(['|', '\t'])
            .map(clean)
            .filter(|c| !c.is_empty() && !is_rule(c) && !is_motto(&fold(c)))
            .collect();
        for c in &kept {
            cells.push(Cell { line: i + 1, text: c.clone() });
        }
        out[i] = if is_rule(raw) { String::new() } else { kept.join(" ") };
    }
    facts(&cells, &mut header);
    // A number and a place-date cell on one line: the line keeps the
    // number for the paragraphs; the date was read here.
    if let (Some((_, _, nl)), Some((_, pl))) = (&header.number, &header.place) {
        if nl == pl {
            if let Some(c) = cells.iter().find(|c| c.line == *nl && NUMBER_LINE.is_match(&c.text)) {
                out[nl - 1] = c.text.clone();
            }
        }
    }
    (out, header)
}

fn facts(cells: &[Cell], header: &mut Header) {
    for (k, c) in cells.iter().enumerate() {
        if header.number.is_none() {
            if let Some(m) = NUMBER_LINE.captures(&c.text) {
                header.number = Some((m[1].to_string(), m[2].to_string(), c.line));
            }
        }
        if header.place.is_none() {
            if let Some((place, date, line)) = place_date(cells, k) {
                header.place = Some((place, line));
                header.date = date.map(|d| (d, line));
            }
        }
        if header.body.is_none() {
            let f = fold(&c.text);
            let after_body = k > 0 && {
                let prev = fold(&cells[k - 1].text);
                is_body(&prev) || prev == "dan" || prev.ends_with("nhan dan")
            };
            // "TỈNH X" under the body's name, or "UBND TỈNH X" in one cell.
            let (f, after_body, skip_body) =
                match ["uy ban nhan dan ", "ubnd "].iter().find(|b| f.starts_with(*b)) {
                    Some(b) => (f[b.len()..].to_string(), true, b.split_whitespace().count()),
                    None => (f, after_body, 0),
                };
            let level = if f.starts_with("tinh ") {
                Some(("tỉnh", 1 + skip_body))
            } else if f.starts_with("thanh pho ") {
                Some(("thành phố", 2 + skip_body))
            } else {
                None
            };
            if let (true, Some((level, skip)), true) =
                (after_body, level, super::lines::mostly_upper(&c.text))
            {
                let place: Vec<&str> = c.text.split_whitespace().skip(skip).collect();
                if !place.is_empty() {
                    header.body = Some((level, title_case(&place.join(" ")), c.line));
                }
            }
        }
    }
}

/// "Hải Phòng, ngày 13 tháng 9 năm 2025" in one cell, or "Ninh Bình," in
/// one and "ngày 30 tháng 9 năm 2024" in the next.
type PlaceDate = (String, Option<PrintedDate>, usize);

fn place_date(cells: &[Cell], k: usize) -> Option<PlaceDate> {
    let text = &cells[k].text;
    let (place, date_text) = match text.split_once(',') {
        Some((p, rest)) if fold(rest.trim()).starts_with("ngay") => (p, rest.to_string()),
        Some((p, rest)) if rest.trim().is_empty() => {
            let next = cells.get(k + 1)?;
            if !fold(&next.text).starts_with("ngay") {
                return None;
            }
            (p, next.text.clone())
        }
        _ => return None,
    };
    let place = place.trim().trim_start_matches('*').trim();
    // "TP. Hồ Chí Minh", "Thành phố Huế": the place without its level.
    let words: Vec<&str> = place.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let skip = match folded.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["tp." | "tp", _, ..] | ["tinh", _, ..] => 1,
        ["thanh", "pho", _, ..] => 2,
        _ => 0,
    };
    let place = words[skip..].join(" ");
    let place = place.as_str();
    let words = place.split_whitespace().count();
    if !(1..=6).contains(&words) || place.chars().any(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let date = DATE.captures(&date_text).and_then(|c| {
        let year = c.get(3)?.as_str().parse().ok()?;
        Some((
            year,
            c.get(2).and_then(|m| m.as_str().parse().ok()),
            c.get(1).and_then(|m| m.as_str().parse().ok()),
        ))
    });
    Some((place.to_string(), date, cells[k].line))
}

/// "NINH BÌNH" → "Ninh Bình": place names are written with a capital per word.
pub fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(c) => c.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_lines_and_furniture() {
        let text = "Kế hoạch 12/KH-UBND năm 2025 về chuyển đổi số\n| Số hiệu | 12/KH-UBND |\n| Người ký | Trần Văn B |\n|\nỦY BAN NHÂN\nDÂN\nTỈNH NINH BÌNH\n--------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM |\nSố: 12/KH-UBND |\nNinh Bình,\nngày 30 tháng 9 năm 2024\n|\nKẾ HOẠCH\n";
        let lines: Vec<&str> = text.lines().collect();
        let (out, h) = read(&lines);
        assert_eq!(out.len(), lines.len());
        assert_eq!(h.furniture, vec![1, 2, 3, 4]);
        assert_eq!(h.site_signer, Some(("Trần Văn B".to_string(), 3)));
        assert_eq!(h.number, Some(("12".into(), "KH-UBND".into(), 12)));
        assert_eq!(h.place, Some(("Ninh Bình".into(), 13)));
        assert_eq!(h.date.map(|d| d.0), Some((2024, Some(9), Some(30))));
        assert_eq!(h.body, Some(("tỉnh", "Ninh Bình".into(), 7)));
        assert_eq!(out[11], "Số: 12/KH-UBND");
        assert!(out[3].is_empty() && out[10].is_empty(), "{out:?}");
    }

    #[test]
    fn number_and_date_in_one_row() {
        let lines = [
            "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |",
            "Số: 238/KH-UBND | Hải Phòng, ngày 13 tháng 9 năm 2025 |",
            "KẾ HOẠCH",
        ];
        let (out, h) = read(&lines);
        assert_eq!(h.place, Some(("Hải Phòng".into(), 2)));
        assert_eq!(h.number.map(|n| n.0), Some("238".into()));
        assert_eq!(out[0], "ỦY BAN NHÂN DÂN");
        assert_eq!(out[1], "Số: 238/KH-UBND");
    }
}
