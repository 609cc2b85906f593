//! The small grammars plan documents share: list markers, deadlines,
//! document references and dates, written once as patterns.

use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file; a bad one is a bug caught by the tests below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// "II. NHIỆM VỤ" — a Roman-numbered section heading.
pub static ROMAN: LazyLock<Regex> =
    LazyLock::new(|| re(r"^((?:X{0,3})(?:IX|IV|V?I{1,3}|V|X))\s*[.)]\s*(\S.*)$"));

/// "1. …", "1.2. …", "6.1 …", "2) …" — a numbered item (a bare "3 …" is not one in prose).
pub static NUMBER: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,2}(?:\.\d{1,2})*)(\.|\))?\s+(\S.*)$"));

/// "a) …", "đ) …" — a lettered item.
pub static LETTER: LazyLock<Regex> = LazyLock::new(|| re(r"^([a-zđ])\)\s*(\S.*)$"));

/// "- …", "+ …", "• …" — a bullet.
pub static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^([-+•–*])\s+(\S.*)$"));

/// A whole cell that is a deadline as printed ("2025", "Quý I/2025", "Thường xuyên", …).
pub static DEADLINE_CELL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?ix)^(
        (nhiệm\s+vụ\s+)?thường\s+xuyên
      | (hằng|hàng)\s+năm
      | ((trong\s+)?(năm|giai\s+đoạn)\s+)?\d{4}(\s*[-–]\s*\d{4})?(\s+và\s+(các|những)\s+năm\s+tiếp\s+theo)?
      | (tháng\s*)?\d{1,2}\s*/\s*\d{4}
      | (trong\s+)?quý\s+[IV]+\s*(/|năm)\s*\d{4}
      | tháng\s*\d{1,2}\s*[-–]\s*\d{1,2}(\s*/\s*\d{4})?
      | sau\s+khi\s+.+
      | (trình|báo\s+cáo|ban\s+hành|hoàn\s+thành)\s+.*(\d{4}|năm).*
    )\s*\.?$")
});

/// A deadline somewhere inside a line where columns run together ("… Tháng 1-12 Sở KHCN …").
pub static DEADLINE_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)tháng\s*\d{1,2}\s*[-–]\s*\d{1,2}(\s*/\s*\d{4})?|quý\s+[IV]+\s*/\s*\d{4}|(nhiệm\s+vụ\s+)?thường\s+xuyên|(hằng|hàng)\s+năm|\b\d{4}\s*[-–]\s*\d{4}\b|\b(năm\s+)?20\d{2}\b",
    )
});

/// A document reference: 57-NQ/TW, 03/NQ-CP, 22/2020/NQ-HĐND, 343 /KH-UBND.
pub static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\d{1,5})(?:\s*/\s*((?:19|20)\d{2}))?\s*([/-])\s*([A-ZĐ][A-ZĐa-zđ0-9]*(?:[-/][A-ZĐ][A-ZĐa-zđ0-9]*)*)",
    )
});

/// "ngày 24 tháng 6 năm 2024", "ngày 10 / 11 /2025", "ngày tháng năm 2026" (left blank in a draft).
pub static DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)ngày\s*(\d{1,2})?\s*(?:tháng|/)\s*(\d{1,2})?\s*(?:năm|/)\s*((?:19|20)\d{2})"));

/// "Số: 261/KH-UBND" or "Số: /KH-UBND" (a draft's blank number).
pub static NUMBER_LINE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^Số\s*:\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐa-zđ0-9-]*)"));

/// "(Kèm theo Kế hoạch số 343 /KH-UBND …)": the plan's own number in an appendix caption.
pub static CAPTION_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)kèm\s+theo\s+kế\s+hoạch\s+số\s*(\d*)\s*/\s*([A-ZĐ][A-ZĐa-zđ0-9-]*)"));

/// Normalises a reference as printed: "343 /KH-UBND" → "343/KH-UBND".
pub fn reference(caps: &regex::Captures) -> String {
    let mut out = caps[1].to_string();
    if let Some(year) = caps.get(2) {
        out.push('/');
        out.push_str(year.as_str());
    }
    out.push_str(&caps[3]);
    out.push_str(&caps[4]);
    out
}

/// Every reference in `text`, normalised, in order of appearance.
pub fn references(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for caps in REFERENCE.captures_iter(text) {
        let r = reference(&caps);
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Is this whole cell a deadline?
pub fn is_deadline(cell: &str) -> bool {
    DEADLINE_CELL.is_match(cell.trim())
}

/// Vietnamese letters in list order, for "a), b), … đ), e)".
pub const LETTERS: &str = "abcdđeghiklmnopqrstuvxy";

/// The letter that follows `c` in a lettered list.
pub fn next_letter(c: char) -> Option<char> {
    let mut it = LETTERS.chars().skip_while(|&x| x != c);
    it.next();
    it.next()
}

/// Roman numeral value (I..XX), for following group numbering.
pub fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0;
    let mut prev = 0;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            _ => return None,
        };
        if v < prev {
            total = u32::checked_sub(total, v)?; // "IIIIIIV" is no numeral
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0 && total <= 39).then_some(total)
}

/// A slug for ids: folded, lowercase ASCII, `-` between words.
pub fn slug(s: &str) -> String {
    let folded = crate::text::fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(&ROMAN.captures("II. NHIỆM VỤ").expect("roman")[1], "II");
        assert!(ROMAN.captures("Ia. x").is_none());
        assert_eq!(&NUMBER.captures("1.2. Sở").expect("n")[1], "1.2");
        assert_eq!(&NUMBER.captures("6.1 Triển khai").expect("n")[1], "6.1");
        assert_eq!(&LETTER.captures("đ) Báo cáo").expect("l")[1], "đ");
        assert_eq!(next_letter('d'), Some('đ'));
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("IIIIIIV"), None, "a fuzzed table cell made this overflow");
    }

    #[test]
    fn deadlines() {
        for d in [
            "2025",
            "Năm 2026",
            "Quý I/2025",
            "12/2025",
            "Tháng 11/2026",
            "Thường xuyên",
            "Nhiệm vụ thường xuyên",
            "Hàng năm",
            "2025- 2026",
            "Giai đoạn 2026 - 2030",
            "2025 và các năm tiếp theo",
            "Trong quý I năm 2026.",
            "Sau khi có hướng dẫn của Bộ Khoa học và Công nghệ.",
        ] {
            assert!(is_deadline(d), "{d}");
        }
        for d in ["Kế hoạch", "Sở Nội vụ", "Quyết định của UBND thành phố", "Đạt trên 50 nhiệm vụ"]
        {
            assert!(!is_deadline(d), "{d}");
        }
    }

    #[test]
    fn references_are_normalised() {
        assert_eq!(
            references(
                "Nghị quyết số 57-NQ/TW, số 03/NQ-CP, 22/2020/NQ-HĐND và Kế hoạch số 343 /KH-UBND ngày 23/7/2024"
            ),
            vec!["57-NQ/TW", "03/NQ-CP", "22/2020/NQ-HĐND", "343/KH-UBND"]
        );
        assert_eq!(references("Quyết định số 709/QĐ-TTg"), vec!["709/QĐ-TTg"]);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("709/QĐ-TTg"), "709-qd-ttg");
        assert_eq!(slug("MỤC ĐÍCH, YÊU CẦU"), "muc-dich-yeu-cau");
    }
}
