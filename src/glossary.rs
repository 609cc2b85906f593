//! The vi → en glossary (`content/glossary.toml`): the word list translators
//! follow, and English for formulaic text (units, section headings, document
//! references, deadline conditions and milestones) so that a plan nobody has
//! translated yet is already partly English.

use crate::error::{Diagnostic, Error, Result, line_of};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    terms: BTreeMap<String, String>,
    #[serde(default)]
    document_types: BTreeMap<String, String>,
    #[serde(default)]
    issuers: BTreeMap<String, String>,
    #[serde(default)]
    politburo: Politburo,
    #[serde(default)]
    units: BTreeMap<String, String>,
    #[serde(default)]
    headings: BTreeMap<String, String>,
    #[serde(default)]
    conditions: BTreeMap<String, String>,
    #[serde(default)]
    milestones: BTreeMap<String, String>,
    #[serde(default)]
    outputs: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Politburo {
    #[serde(default)]
    references: Vec<String>,
}

/// The loaded glossary, with keys normalised for matching.
#[derive(Debug, Default, Clone)]
pub struct Glossary {
    /// The word list, as written (for docs and translators).
    pub terms: BTreeMap<String, String>,
    document_types: BTreeMap<String, String>,
    issuers: BTreeMap<String, String>,
    politburo: BTreeSet<String>,
    units: BTreeMap<String, String>,
    headings: BTreeMap<String, String>,
    /// Longest prefix first, so "… hướng dẫn của" wins over "… hướng dẫn".
    conditions: Vec<(String, String)>,
    milestones: Vec<(String, String)>,
    outputs: BTreeMap<String, String>,
}

/// Lowercased NFC with single spaces and no final punctuation: how
/// glossary keys and the text looked up are compared.
pub fn key(s: &str) -> String {
    let s: String = s.nfc().collect::<String>().to_lowercase();
    let s = s.trim().trim_end_matches(['.', ':', ';', ',']);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn keyed(map: BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.into_iter().map(|(k, v)| (key(&k), v)).collect()
}

fn by_length(map: BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = map.into_iter().map(|(k, v)| (key(&k), v)).collect();
    v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Glossary {
    /// Loads `content/glossary.toml`; a site without one gets an empty glossary.
    pub fn load(root: &Path) -> Result<Glossary> {
        let rel = Path::new("content/glossary.toml");
        let text = match std::fs::read_to_string(root.join(rel)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Glossary::default()),
            Err(e) => return Err(Error::io(root.join(rel), e)),
        };
        let raw: RawGlossary = toml::from_str(&text).map_err(|e| {
            Error::Invalid(vec![
                Diagnostic::new(rel, e.span().map(|s| line_of(&text, s.start)), e.message().trim())
                    .hint("see docs/translation.md for the glossary format"),
            ])
        })?;
        Ok(Glossary {
            terms: raw.terms,
            document_types: raw.document_types,
            issuers: raw.issuers,
            politburo: raw.politburo.references.into_iter().collect(),
            units: keyed(raw.units),
            headings: keyed(raw.headings),
            conditions: by_length(raw.conditions),
            milestones: by_length(raw.milestones),
            outputs: keyed(raw.outputs),
        })
    }

    pub fn unit(&self, vi: &str) -> Option<String> {
        self.units.get(&key(vi)).cloned()
    }

    /// A task output that plans name again and again ("Kế hoạch", "Đề án").
    pub fn output(&self, vi: &str) -> Option<String> {
        self.outputs.get(&key(vi)).cloned()
    }

    /// A section heading shared by every plan ("TỔ CHỨC THỰC HIỆN").
    pub fn heading(&self, vi: &str) -> Option<String> {
        self.headings.get(&key(vi)).cloned()
    }

    /// "Đến năm 2030" → "By 2030"; "Giai đoạn 2026-2030" → "2026–2030".
    pub fn horizon(&self, vi: &str) -> Option<String> {
        let k = key(vi);
        if let Some(y) = k.strip_prefix("đến năm ").filter(|y| is_year(y)) {
            return Some(format!("By {y}"));
        }
        let span = k.strip_prefix("giai đoạn ").unwrap_or(&k);
        let (a, b) = span.split_once('-')?;
        (is_year(a.trim()) && is_year(b.trim())).then(|| format!("{}–{}", a.trim(), b.trim()))
    }

    /// "57-NQ/TW" → "Resolution 57-NQ/TW of the Politburo";
    /// "709/QĐ-TTg" → "Decision 709/QĐ-TTg of the Prime Minister".
    pub fn reference(&self, r: &str) -> Option<String> {
        let r = r.trim();
        // The type and issuer follow the number: "57-NQ/TW" or "709/QĐ-TTg"
        // or "22/2020/NQ-HĐND".
        let tail = r.rsplit_once(|c: char| c.is_ascii_digit()).map(|(_, t)| t)?;
        let tail = tail.trim_start_matches(['-', '/']);
        let (kind, issuer) = tail.split_once(['/', '-'])?;
        let kind = self.document_types.get(kind)?;
        let of = if self.politburo.contains(r) {
            "the Politburo".to_string()
        } else {
            self.issuers.get(issuer).cloned().unwrap_or_default()
        };
        Some(if of.is_empty() { format!("{kind} {r}") } else { format!("{kind} {r} of {of}") })
    }

    /// English for a conditional deadline, naming the agency through
    /// `agency_en` ("Sau khi có hướng dẫn của Bộ KH&CN" → "After guidance
    /// from the Ministry of Science and Technology"). `None` when part of it
    /// is not known: only a person can translate it then.
    pub fn condition(&self, vi: &str, agency_en: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let k = key(vi);
        let (prefix, en) = self.conditions.iter().find(|(p, _)| k.starts_with(p.as_str()))?;
        let rest = vi.trim().chars().skip(prefix.chars().count()).collect::<String>();
        let rest = rest.trim().trim_end_matches(['.', ';']);
        if rest.is_empty() {
            return Some(en.clone());
        }
        agency_en(rest).map(|agency| format!("{en} {}", with_article(&agency)))
    }

    /// English for what a milestone asks ("Trình" → "Submit", "Ban hành Kế
    /// hoạch" → "Issue plan"): a glossary verb, then a known output if any.
    pub fn milestone_label(&self, vi: &str) -> Option<String> {
        let k = key(vi);
        let (verb, en) = self.milestones.iter().find(|(v, _)| k.starts_with(v.as_str()))?;
        let rest = k[verb.len()..].trim();
        if rest.is_empty() {
            return Some(en.clone());
        }
        self.outputs.get(rest).map(|object| format!("{en} {}", object.to_lowercase()))
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// "Ministry of Science and Technology" → "the Ministry of …"; names that
/// are not institutions ("Hue University") stay as they are.
fn with_article(name: &str) -> String {
    let institutional =
        ["Ministry", "Department", "Office", "Government", "People's", "Committee", "State Bank"];
    if institutional.iter().any(|w| name.starts_with(w)) { format!("the {name}") } else { name.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the repository's glossary loads")
    }

    #[test]
    fn references() {
        let g = glossary();
        assert_eq!(g.reference("57-NQ/TW").as_deref(), Some("Resolution 57-NQ/TW of the Politburo"));
        assert_eq!(g.reference("03/NQ-CP").as_deref(), Some("Resolution 03/NQ-CP of the Government"));
        assert_eq!(g.reference("709/QĐ-TTg").as_deref(), Some("Decision 709/QĐ-TTg of the Prime Minister"));
        assert_eq!(
            g.reference("22/2020/NQ-HĐND").as_deref(),
            Some("Resolution 22/2020/NQ-HĐND of the People's Council")
        );
        assert_eq!(g.reference("183-KH/TU").as_deref(), Some("Plan 183-KH/TU of the City Party Committee"));
        assert_eq!(g.reference("abc"), None);
    }

    #[test]
    fn formulaic_fields() {
        let g = glossary();
        assert_eq!(g.unit(" Thứ bậc ").as_deref(), Some("Rank"));
        assert_eq!(g.heading("TỔ CHỨC THỰC HIỆN").as_deref(), Some("IMPLEMENTATION"));
        assert_eq!(g.heading("tổ chức thực hiện:").as_deref(), Some("IMPLEMENTATION"));
        assert_eq!(g.horizon("Đến năm 2030").as_deref(), Some("By 2030"));
        assert_eq!(g.horizon("Giai đoạn 2026-2030").as_deref(), Some("2026–2030"));
    }

    #[test]
    fn conditions_name_the_agency() {
        let g = glossary();
        let lookup = |name: &str| {
            (name == "Bộ Khoa học và Công nghệ").then(|| "Ministry of Science and Technology".to_string())
        };
        assert_eq!(
            g.condition("Sau khi có hướng dẫn của Bộ Khoa học và Công nghệ", &lookup).as_deref(),
            Some("After guidance from the Ministry of Science and Technology")
        );
        assert_eq!(g.condition("Sau khi có hướng dẫn", &lookup).as_deref(), Some("After guidance is issued"));
        assert_eq!(g.condition("Sau khi có hướng dẫn của Bộ", &lookup), None);
    }

    #[test]
    fn milestone_labels() {
        let g = glossary();
        assert_eq!(g.milestone_label("Trình").as_deref(), Some("Submit"));
        assert_eq!(g.milestone_label("Ban hành Kế hoạch").as_deref(), Some("Issue plan"));
        assert_eq!(g.milestone_label("Ban hành quy chế lạ"), None);
    }
}
