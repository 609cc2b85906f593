//! Bytes → text: UTF-8 only (with or without a BOM), Windows line endings
//! accepted, composed to NFC so that "ế" typed two ways compares equal.
//! Empty files, binary files, UTF-16 and legacy 8-bit Vietnamese encodings
//! (Windows-1258, TCVN3) are refused with a message that says what to do.
//! A few stray bytes in a UTF-8 text are not an encoding: they become "�"
//! and are reported with their lines. Control characters are removed (the
//! loader refuses them in content). Line numbers are kept exactly as a
//! reader of the file counts them: no line is added or removed.

use super::ImportError;
use unicode_normalization::UnicodeNormalization;

/// The decoded document and what had to be undone to get it.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    pub text: String,
    pub had_bom: bool,
    pub crlf: bool,
    /// Control characters removed: (line, how many on it).
    pub controls: Vec<(usize, usize)>,
    /// Byte sequences that are not UTF-8, now "�": (line, offset in the file, length).
    pub stray: Vec<(usize, usize, usize)>,
}

/// Decodes a document, refusing what is not UTF-8 text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::new(Some(1), "the file is UTF-16, not UTF-8")
            .hint("save it again as UTF-8 text (in Word: Save As → Plain Text → Unicode (UTF-8))"));
    }
    if let Some(at) = binary_at(bytes) {
        return Err(ImportError::new(Some(line_at(bytes, at)), "this is a binary file, not text")
            .hint("export the plan as plain text (.txt, UTF-8) from Word or the PDF first"));
    }
    let had_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let skip = if had_bom { 3 } else { 0 };
    let body = &bytes[skip..];
    let runs = invalid_runs(body);
    let text = String::from_utf8_lossy(body);
    if is_legacy(body, &runs, &text) {
        return Err(legacy(body, runs[0].0));
    }
    let stray = runs.iter().map(|&(at, len)| (line_at(body, at), at + skip, len)).collect();
    let crlf = text.contains("\r\n");
    let (text, controls) = without_controls(&text.replace("\r\n", "\n"));
    let text: String = text.nfc().collect();
    if text.trim().is_empty() {
        return Err(empty());
    }
    Ok(Decoded { text, had_bom, crlf, controls, stray })
}

fn empty() -> ImportError {
    ImportError::new(None, "the file is empty").hint("import the plan's text, exported as UTF-8")
}

/// Removes control characters but tab and newline, and whatever else the
/// loader refuses in text (bidirectional overrides, U+FFFE/U+FFFF),
/// counting them by line.
/// A form feed (a page break from a PDF) stands between two lines already,
/// or it is inside one: there it becomes a space, so that the words on
/// either side stay apart and the lines keep their numbers.
fn without_controls(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '\t' => {}
            c if c.is_control() || crate::load::controls::forbidden(c).is_some() => {
                match removed.last_mut() {
                    Some((l, n)) if *l == line => *n += 1,
                    _ => removed.push((line, 1)),
                }
                let between =
                    out.is_empty() || out.ends_with('\n') || chars.peek().is_none_or(|&n| n == '\n');
                if c == '\u{c}' && !between {
                    out.push(' ');
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    (out, removed)
}

/// Where NUL bytes or other control bytes show this is binary (an image,
/// a Word or zip file, UTF-16 without its mark): more than one NUL and 1%
/// of the start, or 5% controls. A stray one in a text is just removed.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    let sample = &bytes[..bytes.len().min(8192)];
    let control = |b: u8| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C);
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    let controls = sample.iter().filter(|&&b| control(b)).count();
    let binary = (nuls > 1 && nuls * 100 >= sample.len()) || controls * 20 > sample.len();
    binary.then(|| sample.iter().position(|&b| b == 0).or_else(|| sample.iter().position(|&b| control(b))))?
}

/// The 1-based line of byte offset `at`.
fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The byte sequences that are not UTF-8: (offset, length).
fn invalid_runs(body: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut at = 0;
    while let Err(e) = std::str::from_utf8(&body[at..]) {
        let start = at + e.valid_up_to();
        let len = e.error_len().unwrap_or(body.len() - start);
        runs.push((start, len));
        at = start + len;
    }
    runs
}

/// Whether the bytes that are not UTF-8 are the text's encoding rather
/// than a few strays: they outnumber the UTF-8 letters beyond ASCII, and
/// they are a real share (2%) of the file. A Vietnamese text in TCVN3 or
/// Windows-1258 has a non-ASCII byte in most words and no UTF-8 letter; a
/// UTF-8 text with a damaged byte has thousands of good letters.
fn is_legacy(body: &[u8], runs: &[(usize, usize)], text: &str) -> bool {
    let invalid: usize = runs.iter().map(|r| r.1).sum();
    let letters = text.chars().filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER).count();
    invalid > letters && invalid * 50 >= body.len()
}

/// The error for a text in an 8-bit encoding, naming the likely one.
fn legacy(bytes: &[u8], at: usize) -> ImportError {
    let high: Vec<u8> = bytes.iter().copied().filter(|&b| b >= 0x80).collect();
    // TCVN3 puts precomposed letters (ă â ê ô ơ ư đ, à á ả ã ạ…) in
    // 0xA1–0xBF, where Windows-1258 has only symbols; Windows-1258 writes
    // tones as separate combining bytes after the letter.
    let tcvn = high.iter().filter(|&&b| (0xA1..=0xBF).contains(&b)).count();
    let combining = high.iter().filter(|b| matches!(b, 0xCC | 0xEC | 0xDE | 0xD2 | 0xF2)).count();
    let (name, hint) = if tcvn > 0 && tcvn * 4 >= high.len() {
        (
            "TCVN3 (ABC)",
            "convert it to Unicode UTF-8 with a Vietnamese converter (UniKey: Công cụ → Chuyển mã, TCVN3 → Unicode), then import that",
        )
    } else if combining > 0 {
        (
            "Windows-1258 (CP1258)",
            "convert it to UTF-8, for example: iconv -f CP1258 -t UTF-8 FILE > FILE.utf8.txt, then import that",
        )
    } else {
        ("a legacy 8-bit encoding", "convert it to UTF-8 (iconv -f <encoding> -t UTF-8), then import that")
    };
    ImportError::new(Some(line_at(bytes, at)), format!("the file is not UTF-8: it looks like {name}"))
        .hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_undone() {
        let d = decode(b"\xEF\xBB\xBFK\xE1\xBA\xBF HO\xE1\xBA\xA0CH\r\nS\xE1\xBB\x91: 1/KH-UBND\r\n")
            .expect("utf-8");
        assert!(d.had_bom && d.crlf);
        assert_eq!(d.text, "Kế HOẠCH\nSố: 1/KH-UBND\n");
    }

    #[test]
    fn decomposed_text_is_composed() {
        let d = decode("Ke\u{302}\u{301} hoa\u{323}ch".as_bytes()).expect("utf-8");
        assert_eq!(d.text, "Kế hoạch");
    }

    #[test]
    fn refusals_name_the_problem() {
        assert!(decode(b"").unwrap_err().message.contains("empty"));
        assert!(decode(b" \n\t\n").unwrap_err().message.contains("empty"));
        assert!(decode(b"PK\x03\x04\x00\x00binary").unwrap_err().message.contains("binary"));
        // "Kế hoạch" in Windows-1258: e + circumflex byte + combining acute.
        let e = decode(b"K\xEA\xEC ho\xE1\xF2ch\n").unwrap_err();
        assert!(e.message.contains("Windows-1258"), "{e}");
        assert_eq!(e.line, Some(1));
        // "Kế hoạch" in TCVN3.
        let e = decode(b"line one\nK\xD5 ho\xB9ch \xAE\xA8ng k\xFD\n").unwrap_err();
        assert!(e.message.contains("TCVN3"), "{e}");
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn control_characters_are_removed_and_counted_by_line() {
        let d = decode("a\u{1}b\n\u{c}Trang 2\u{7f}\u{85}\nx\u{c}y\n\u{c}".as_bytes()).expect("text");
        assert_eq!(d.text, "ab\nTrang 2\nx y\n");
        assert_eq!(d.controls, vec![(1, 1), (2, 3), (3, 1), (4, 1)]);
        assert_eq!(d.text.lines().count(), 3, "no line added or lost");
        assert!(decode(b"text\x00 with one NUL in a longer line of words, as a damaged file has\n").is_ok());
    }

    #[test]
    fn stray_bytes_are_replaced_and_placed() {
        let text =
            "Kế hoạch chuyển đổi số\nNăm 2026\u{1} và \u{2} sau\n".replace(['\u{1}', '\u{2}'], "\u{0}");
        let mut bytes = text.into_bytes();
        let strays: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == 0).map(|(i, _)| i).collect();
        (bytes[strays[0]], bytes[strays[1]]) = (0xFF, 0xC3);
        let d = decode(&bytes).expect("a stray byte is not an encoding");
        assert_eq!(d.text, "Kế hoạch chuyển đổi số\nNăm 2026� và � sau\n");
        assert_eq!(strays[0], "Kế hoạch chuyển đổi số\nNăm 2026".len());
        assert_eq!(d.stray, vec![(2, strays[0], 1), (2, strays[1], 1)]);
        // Offsets are the file's: a byte order mark counts.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), &bytes].concat();
        assert_eq!(decode(&with_bom).expect("bom").stray[0], (2, strays[0] + 3, 1));
    }
}
