//! A title printed in capitals, written as a sentence: lowercase, except
//! document references (57-NQ/TW), Roman numerals after "khóa", the names
//! of bodies ("Bộ Chính trị", "Ban Thường vụ Tỉnh ủy"), document types
//! that name a document ("Nghị quyết số …") and place names ("tỉnh Nghệ
//! An"). Only these lists are used: any other proper name stays lowercase
//! and the report asks the reviewer to check.

use crate::text::fold;

/// Bodies as they are written, longest first where one contains another.
const BODIES: &[&str] = &[
    "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Ban Chấp hành Đảng bộ",
    "Ban Thường vụ Tỉnh ủy",
    "Ban Thường vụ Thành ủy",
    "Ban Thường vụ Tỉnh uỷ",
    "Ban Thường vụ Thành uỷ",
    "Ban Chỉ đạo Trung ương",
    "Ban Bí thư",
    "Bộ Chính trị",
    "Thủ tướng Chính phủ",
    "Ủy ban Thường vụ Quốc hội",
    "Mặt trận Tổ quốc Việt Nam",
    "Trung ương Đảng",
    "Chính phủ",
    "Quốc hội",
    "Tỉnh ủy",
    "Tỉnh uỷ",
    "Thành ủy",
    "Thành uỷ",
    "Việt Nam",
    "Trung ương",
    "Đảng",
];

/// Document types, capitalised when they name a document ("Kế hoạch số …",
/// "Nghị quyết 57-NQ/TW"), not when they describe ("kế hoạch tổng thể").
const DOCUMENTS: &[&str] = &[
    "kế hoạch hành động",
    "chương trình hành động",
    "nghị quyết",
    "kế hoạch",
    "quyết định",
    "kết luận",
    "chỉ thị",
    "chương trình",
    "đề án",
    "nghị định",
    "thông tư",
    "luật",
    "hướng dẫn",
    "công văn",
    "thông báo",
];

/// Words a title does not end in: a line of it is probably missing.
const DANGLING: &[&str] = &[
    "của",
    "và",
    "năm",
    "về",
    "với",
    "cho",
    "tại",
    "trong",
    "theo",
    "để",
    "đến",
    "các",
    "những",
    "ngày",
    "giai đoạn",
    "thực hiện",
    "trên",
    "địa bàn",
];

/// The word's letters, for comparing ("(Khóa" → "khoa").
fn key(word: &str) -> String {
    fold(word.trim_matches(|c: char| !c.is_alphanumeric()))
}

/// Replaces the letters of `word` by those of `canon`, keeping punctuation around them.
fn respell(word: &str, canon: &str) -> String {
    let start = word.find(|c: char| c.is_alphanumeric()).unwrap_or(0);
    let end = word
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(word.len(), |i| i + word[i..].chars().next().map_or(0, char::len_utf8));
    format!("{}{canon}{}", &word[..start], &word[end..])
}

fn is_reference(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}

fn is_roman(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    !w.is_empty()
        && w.chars().all(|c| "IVXivx".contains(c))
        && super::patterns::roman_value(&w.to_uppercase()).is_some()
}

/// Does `phrase` (words as written) match the words at `i`?
fn matches_at(words: &[String], i: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, p)| words.get(i + k).is_some_and(|w| key(w) == fold(p)))
}

/// The capitalised title `s` as a sentence; `places` are names to keep
/// capitalised ("Nghệ An", "Thừa Thiên Huế").
pub fn recase(s: &str, places: &[String]) -> String {
    let original: Vec<&str> = s.split_whitespace().collect();
    let mut words: Vec<String> =
        original.iter().map(|w| if is_reference(w) { w.to_string() } else { w.to_lowercase() }).collect();
    let mut names: Vec<Vec<String>> = BODIES
        .iter()
        .map(|b| b.split(' ').map(str::to_string).collect())
        .chain(places.iter().map(|p| p.split_whitespace().map(str::to_string).collect()))
        .filter(|n: &Vec<String>| !n.is_empty())
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut i = 0;
    while i < words.len() {
        if let Some(name) =
            names.iter().find(|n| matches_at(&words, i, &n.iter().map(String::as_str).collect::<Vec<_>>()))
        {
            for (k, canon) in name.iter().enumerate() {
                words[i + k] = respell(&words[i + k], canon);
            }
            i += name.len();
            continue;
        }
        let doc =
            DOCUMENTS.iter().map(|d| d.split(' ').collect::<Vec<_>>()).find(|d| matches_at(&words, i, d));
        if let Some(doc) = doc {
            let after = &words[i + doc.len()..];
            // "Nghị quyết số …", "Nghị quyết 57-NQ/TW", or what is issued:
            // "ban hành Chương trình hành động …", "phê duyệt Đề án …".
            let issued = i >= 2
                && matches!(
                    (key(&words[i - 2]).as_str(), key(&words[i - 1]).as_str()),
                    ("ban", "hanh") | ("phe", "duyet")
                );
            let names_one = issued || after.iter().take(2).any(|w| key(w) == "so" || is_reference(w));
            if names_one {
                words[i] = capitalise(&words[i]);
            }
            i += doc.len();
            continue;
        }
        if (key(&words[i]) == "khoa") && words.get(i + 1).is_some_and(|w| is_roman(w)) {
            words[i + 1] = words[i + 1].to_uppercase();
            i += 2;
            continue;
        }
        i += 1;
    }
    words.join(" ")
}

fn capitalise(word: &str) -> String {
    let start = word.find(|c: char| c.is_alphabetic()).unwrap_or(0);
    let mut out = word[..start].to_string();
    let mut rest = word[start..].chars();
    if let Some(c) = rest.next() {
        out.extend(c.to_uppercase());
    }
    out.extend(rest);
    out
}

/// The word (or two) a title ends in when it cannot end there ("của", "và", "năm").
pub fn dangling(title: &str) -> Option<String> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let last = |n: usize| words.len().checked_sub(n).map(|s| words[s..].join(" "));
    let plain = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric() && c != ' ').to_lowercase();
    [2, 1].into_iter().filter_map(last).find(|w| DANGLING.contains(&plain(w).as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_documents_places_and_numerals() {
        let s = "THỰC HIỆN KẾ HOẠCH SỐ 183-KH/TU CỦA BAN THƯỜNG VỤ TỈNH ỦY VỀ KẾT LUẬN SỐ 69-KL/TW CỦA BỘ CHÍNH TRỊ VÀ NGHỊ QUYẾT SỐ 20-NQ/TW CỦA BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XI VỀ KẾ HOẠCH TỔNG THỂ TRÊN ĐỊA BÀN TỈNH NGHỆ AN";
        assert_eq!(
            recase(s, &["Nghệ An".to_string()]),
            "thực hiện Kế hoạch số 183-KH/TU của Ban Thường vụ Tỉnh ủy về Kết luận số 69-KL/TW của Bộ Chính trị và Nghị quyết số 20-NQ/TW của Ban Chấp hành Trung ương Đảng khóa XI về kế hoạch tổng thể trên địa bàn tỉnh Nghệ An"
        );
        assert_eq!(
            recase("CHUYỂN ĐỔI SỐ TỈNH ĐẮK LẮK NĂM 2026", &["Đắk Lắk".into()]),
            "chuyển đổi số tỉnh Đắk Lắk năm 2026"
        );
    }

    #[test]
    fn what_is_issued_is_a_document() {
        assert_eq!(
            recase("CỦA CHÍNH PHỦ BAN HÀNH CHƯƠNG TRÌNH HÀNH ĐỘNG THỰC HIỆN KẾ HOẠCH TỔNG THỂ", &[]),
            "của Chính phủ ban hành Chương trình hành động thực hiện kế hoạch tổng thể"
        );
    }

    #[test]
    fn a_title_cut_short() {
        assert_eq!(dangling("Kế hoạch thực hiện Nghị quyết của").as_deref(), Some("của"));
        assert_eq!(dangling("Kế hoạch chuyển đổi số năm"), Some("năm".to_string()));
        assert_eq!(dangling("Kế hoạch chuyển đổi số năm 2026"), None);
    }
}
