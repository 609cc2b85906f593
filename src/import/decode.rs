//! Bytes → text: UTF-8 only (with or without a BOM), Windows line endings
//! accepted, composed to NFC so that "ế" typed two ways compares equal.
//! Empty files, binary files, UTF-16 and legacy 8-bit Vietnamese encodings
//! (Windows-1258, TCVN3) are refused with a message that says what to do.
//! Line numbers are kept exactly as a reader of the file counts them.

use super::ImportError;
use unicode_normalization::UnicodeNormalization;

/// The decoded document and what had to be undone to get it.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub had_bom: bool,
    pub crlf: bool,
}

/// Decodes a document, refusing what is not UTF-8 text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(
            ImportError::new(None, "the file is empty").hint("import the plan's text, exported as UTF-8")
        );
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
    let body = if had_bom { &bytes[3..] } else { bytes };
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => return Err(legacy(body, e.valid_up_to())),
    };
    let crlf = text.contains("\r\n");
    let text = normalise_text(text);
    if text.trim().is_empty() {
        return Err(
            ImportError::new(None, "the file is empty").hint("import the plan's text, exported as UTF-8")
        );
    }
    Ok(Decoded { text, had_bom, crlf })
}

/// CRLF → LF, other control characters (form feeds from PDF page breaks)
/// → spaces, so lines stay where `str::lines` puts them; then NFC.
fn normalise_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n");
    let cleaned: String =
        unified.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { ' ' } else { c }).collect();
    cleaned.nfc().collect()
}

/// Where a NUL byte (or a run of control bytes no text has) shows this is binary.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Some(i);
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    (controls * 20 > sample.len()).then(|| {
        sample.iter().position(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).unwrap_or(0)
    })
}

fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The error for bytes that are not UTF-8, naming the likely legacy encoding.
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
}
