//! A new jurisdiction's agency registry, started from the document that
//! brings it (`plansite import … --new-registry ID`): the jurisdiction, one
//! entry per distinct agency the document names as lead, support or
//! monitor (its spellings as aliases, a kind guessed from the head noun and
//! marked for review), and the collective groups of the other registries
//! that the document uses. The same entries, for names a known registry
//! lacks, are what the report offers to paste.

use super::patterns::slug;
use super::report::Unknown;
use crate::text::fold;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Kinds by the words a name begins with, longest first (docs/content.md lists the kinds).
const KINDS: &[(&str, &str)] = &[
    ("ủy ban nhân dân", "people-committee"),
    ("uỷ ban nhân dân", "people-committee"),
    ("ubnd", "people-committee"),
    ("hội đồng nhân dân", "council"),
    ("hđnd", "council"),
    ("ủy ban mặt trận", "association"),
    ("bộ chỉ huy", "military"),
    ("văn phòng", "office"),
    ("công an", "police"),
    ("cục thống kê", "statistics"),
    ("thống kê", "statistics"),
    ("ngân hàng", "bank"),
    ("đại học", "university"),
    ("học viện", "university"),
    ("trường", "university"),
    ("viện", "research"),
    ("đài", "media"),
    ("báo", "media"),
    ("tỉnh ủy", "party"),
    ("thành ủy", "party"),
    ("ban tuyên giáo", "party"),
    ("ban dân vận", "party"),
    ("ban tổ chức", "party"),
    ("liên hiệp", "association"),
    ("liên minh", "association"),
    ("hiệp hội", "association"),
    ("hội", "association"),
    ("đoàn", "association"),
    ("tổng công ty", "enterprise"),
    ("công ty", "enterprise"),
    ("sở", "department"),
    ("bộ", "central"),
];

/// The jurisdiction id the error for an unknown place proposes: "Bắc Ninh" → "bac-ninh".
pub fn slug_of(place: &str) -> String {
    slug(place)
}

/// The kind a name suggests, or "other".
pub fn guess_kind(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    KINDS.iter().find(|(k, _)| lower.starts_with(k)).map_or("other", |(_, kind)| kind)
}

/// An agency entry proposed for a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: &'static str,
    pub lines: BTreeSet<usize>,
    pub roles: BTreeSet<String>,
}

/// One entry per unknown name: its fullest spelling is the name, the
/// others aliases; ids `<jurisdiction>-<name>`, unique among `taken`.
pub fn propose(
    jurisdiction: &str,
    unknown: &BTreeMap<String, Unknown>,
    taken: &BTreeSet<String>,
) -> Vec<Proposed> {
    let mut used = taken.clone();
    let mut out = Vec::new();
    for u in unknown.values() {
        let mut spellings = u.spellings.clone();
        // The fullest spelling names the agency; abbreviations stay aliases.
        spellings
            .sort_by_key(|s| (std::cmp::Reverse(s.chars().filter(|c| c.is_lowercase()).count()), s.clone()));
        let Some(name) = spellings.first().cloned() else { continue };
        let words: Vec<String> =
            slug(&name).split('-').filter(|w| *w != "va").take(7).map(str::to_string).collect();
        let base = format!("{jurisdiction}-{}", words.join("-"));
        let mut id = base.clone();
        let mut k = 2;
        while used.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        used.insert(id.clone());
        out.push(Proposed {
            id,
            kind: guess_kind(&name),
            name,
            aliases: spellings[1..].to_vec(),
            lines: u.lines.clone(),
            roles: u.roles.clone(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn quoted(s: &str) -> String {
    super::write::string(s)
}

/// The entries as TOML, each with the lines it was seen on and its kind
/// marked as guessed.
pub fn entries_toml(entries: &[Proposed]) -> String {
    let mut out = String::new();
    for e in entries {
        let lines: Vec<String> = e.lines.iter().map(usize::to_string).collect();
        let roles: Vec<&str> = e.roles.iter().map(String::as_str).collect();
        let _ = writeln!(
            out,
            "\n# seen as {} on line{} {}",
            roles.join(", "),
            if lines.len() == 1 { "" } else { "s" },
            lines.join(", ")
        );
        out.push_str("[[agencies]]\n");
        let _ = writeln!(out, "id = {}", quoted(&e.id));
        let _ = writeln!(out, "name = {{ vi = {} }}", quoted(&e.name));
        if !e.aliases.is_empty() {
            let _ = writeln!(
                out,
                "aliases = [{}]",
                e.aliases.iter().map(|a| quoted(a)).collect::<Vec<_>>().join(", ")
            );
        }
        let _ = writeln!(out, "kind = {}  # guessed from the name: review", quoted(e.kind));
    }
    out
}

/// A group copied from another registry for a new jurisdiction.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

/// Template groups under the new jurisdiction's prefix: "hue-cac-so-nganh"
/// becomes "nghe-an-cac-so-nganh"; the same name is offered once.
pub fn template_groups(jurisdiction: &str, templates: &[(String, String, Vec<String>)]) -> Vec<Group> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (id, name, aliases) in templates {
        let key = super::agencies::words(name).join(" ");
        if !seen.insert(key) {
            continue;
        }
        let rest = id.split_once('-').map_or(id.as_str(), |(_, r)| r);
        let mut new_id = format!("{jurisdiction}-{rest}");
        let mut k = 2;
        while !ids.insert(new_id.clone()) {
            new_id = format!("{jurisdiction}-{rest}-{k}");
            k += 1;
        }
        out.push(Group { id: new_id, name: name.clone(), aliases: aliases.clone() });
    }
    out
}

/// The registry file: the jurisdiction, the groups used, the agencies named.
pub fn file(jurisdiction: &str, name: &str, groups: &[Group], entries: &[Proposed], source: &str) -> String {
    let mut out = format!(
        "# Started by `plansite import --new-registry {jurisdiction}` from {source}.\n# Review every entry: names and aliases are as the document prints them, kinds are\n# guessed; add English names (name = {{ vi = \"…\", en = \"…\" }}) and merge entries that\n# are one agency.\n\n[jurisdiction]\nname = {{ vi = {} }}\n",
        quoted(name)
    );
    let core = fold(name);
    let place = name
        .split_whitespace()
        .skip(if core.starts_with("thanh pho") {
            2
        } else if core.starts_with("tinh") {
            1
        } else {
            0
        })
        .collect::<Vec<_>>()
        .join(" ");
    if place != name && !place.is_empty() {
        let _ = writeln!(out, "aliases = [{}]", quoted(&place));
    }
    out.push_str(&entries_toml(entries));
    for g in groups {
        out.push_str("\n[[groups]]\n");
        let _ = writeln!(out, "id = {}", quoted(&g.id));
        let _ = writeln!(out, "name = {{ vi = {} }}", quoted(&g.name));
        if !g.aliases.is_empty() {
            let _ = writeln!(
                out,
                "aliases = [{}]",
                g.aliases.iter().map(|a| quoted(a)).collect::<Vec<_>>().join(", ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_ids() {
        assert_eq!(guess_kind("Sở Ngoại vụ"), "department");
        assert_eq!(guess_kind("Công an tỉnh"), "police");
        assert_eq!(guess_kind("Ủy ban nhân dân tỉnh"), "people-committee");
        assert_eq!(guess_kind("Nhà xuất bản"), "other");
        let mut unknown = BTreeMap::new();
        unknown.insert(
            "so khoa hoc cong nghe".to_string(),
            Unknown {
                spellings: vec!["Sở KH&CN".into(), "Sở Khoa học và Công nghệ".into()],
                lines: [4, 9].into(),
                roles: ["lead".to_string()].into(),
            },
        );
        let p = propose("nghe-an", &unknown, &BTreeSet::new());
        assert_eq!(p[0].id, "nghe-an-so-khoa-hoc-cong-nghe");
        assert_eq!(p[0].name, "Sở Khoa học và Công nghệ");
        assert_eq!(p[0].aliases, vec!["Sở KH&CN"]);
        let toml = file("nghe-an", "Tỉnh Nghệ An", &[], &p, "seeds/x.txt");
        let v: toml::Value = toml::from_str(&toml).expect("toml");
        assert_eq!(v["agencies"][0]["kind"].as_str(), Some("department"));
        assert_eq!(v["jurisdiction"]["aliases"][0].as_str(), Some("Nghệ An"));
    }
}
