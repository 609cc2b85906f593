//! What an import found and every place it was unsure, with the source line,
//! so that the person reviewing the result knows where to look.

use super::agencies::Names;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Collects counts and doubts while a document is read.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    pub unsure: Vec<(usize, String)>,
    /// Prose tasks dropped because an appendix table row holds the same task.
    pub merged: Vec<(usize, String)>,
    pub resolved: usize,
    pub unresolved: usize,
    /// Every name no registry covers: its words as compared → the
    /// spellings seen and the lines they are on.
    pub unknown: BTreeMap<String, Unknown>,
    /// The registry ids the names resolved to.
    pub used: BTreeSet<String>,
}

/// A name no registry covers, as the document spells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// Spellings seen, the most frequent first once sorted by the report.
    pub spellings: Vec<String>,
    pub lines: BTreeSet<usize>,
    /// As lead, support or monitoring agency.
    pub roles: BTreeSet<String>,
}

impl Notes {
    pub fn unsure(&mut self, line: usize, message: impl Into<String>) {
        self.unsure.push((line, message.into()));
    }

    /// Counts the names of one mention list and notes what was not certain.
    pub fn names(&mut self, line: usize, role: &str, text: &str, names: &Names) {
        self.resolved += names.hits.len();
        self.unresolved += names.unresolved.len();
        self.used.extend(names.hits.iter().map(|h| h.id.clone()));
        for u in &names.unresolved {
            let key = super::agencies::words(u).join(" ");
            let entry = self.unknown.entry(key).or_default();
            if !entry.spellings.contains(u) {
                entry.spellings.push(u.clone());
            }
            entry.lines.insert(line);
            entry.roles.insert(role.to_string());
            self.unsure(
                line,
                format!("{role} “{u}” is in no registry: add it to content/agencies/ (or as an alias), then import again"),
            );
        }
        for h in names.hits.iter().filter(|h| h.fuzzy) {
            let said = text.get(h.from..h.to).unwrap_or(text);
            self.unsure(line, format!("{role} “{said}” read as `{}` (approximate match)", h.id));
        }
    }
}

/// What was changed in the text itself before it was read, for the report,
/// from the control characters removed (line, count) and the byte
/// sequences that were not UTF-8 (line, file offset, length); each of
/// those is also a place to check, since a letter is missing there.
pub fn repairs(
    controls: &[(usize, usize)],
    stray: &[(usize, usize, usize)],
    notes: &mut Notes,
) -> Vec<String> {
    let mut out = Vec::new();
    if !controls.is_empty() {
        let n: usize = controls.iter().map(|c| c.1).sum();
        out.push(format!(
            "{n} control character{} removed ({}): page breaks and invisible characters content may not hold",
            plural(n),
            lines(controls.iter().map(|c| c.0))
        ));
    }
    if !stray.is_empty() {
        let n: usize = stray.iter().map(|s| s.2).sum();
        out.push(format!(
            "{n} byte{} not UTF-8 ({}), imported as “�”: write the letters meant there in review",
            plural(n),
            lines(stray.iter().map(|s| s.0))
        ));
    }
    for &(line, at, len) in stray {
        notes.unsure(
            line,
            format!("byte{} at offset {at} of the file not UTF-8: imported as “�”", plural(len)),
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "line 4", "lines 4, 9, 12", "lines 4, 9, … (23 lines)".
fn lines(list: impl Iterator<Item = usize>) -> String {
    let mut list: Vec<usize> = list.collect();
    list.dedup();
    let shown: Vec<String> = list.iter().take(10).map(usize::to_string).collect();
    match list.len() {
        1 => format!("line {}", shown[0]),
        n if n > 10 => format!("lines {}, … ({n} lines)", shown.join(", ")),
        _ => format!("lines {}", shown.join(", ")),
    }
}

/// One place the importer was unsure of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unsure {
    pub line: usize,
    pub message: String,
    /// The source line, shortened.
    pub source: String,
}

/// The metadata the import read, shown first so that a reviewer checks
/// it without opening the plan file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extracted {
    pub number: Option<String>,
    pub number_line: Option<usize>,
    pub date: Option<String>,
    pub date_line: Option<usize>,
    pub status: String,
    pub jurisdiction: String,
    /// Why this jurisdiction: the place printed, the header, the option…
    pub jurisdiction_reason: String,
    pub issuer: String,
    pub title: String,
    pub title_line: Option<usize>,
    /// The year a one-year plan covers, from its title.
    pub year: Option<i32>,
    pub implements: Vec<String>,
    /// The lines the implemented documents were read from.
    pub implements_lines: Vec<usize>,
    pub signer: Option<String>,
}

impl Extracted {
    pub fn of(
        plan: &super::Plan,
        meta: &super::meta::Meta,
        chosen: &super::jurisdiction::Chosen,
    ) -> Extracted {
        Extracted {
            number: plan.number.clone(),
            number_line: meta.number_line,
            date: plan.date.clone(),
            date_line: meta.date_line,
            status: plan.status.to_string(),
            jurisdiction: plan.jurisdiction.clone(),
            jurisdiction_reason: chosen.reason.clone(),
            issuer: plan.issuer.clone(),
            title: plan.title.clone(),
            title_line: meta.title_line,
            year: plan.year,
            implements: plan.implements.clone(),
            implements_lines: meta.implements_from.clone(),
            signer: plan.signer.as_ref().map(|(name, role)| format!("{name} ({role})")),
        }
    }
}

/// A registry file an import starts (`--new-registry`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewRegistry {
    pub path: String,
    pub name: String,
    pub agencies: usize,
    pub groups: usize,
}

/// The report for one imported file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub meta: Extracted,
    pub shape: String,
    pub sections: usize,
    pub indicators: usize,
    pub headings: usize,
    pub tasks_table: usize,
    pub tasks_block: usize,
    pub tasks_prose: usize,
    /// Tasks the plan assigns to nobody (no lead printed).
    pub tasks_without_lead: usize,
    /// Tasks that keep names no registry knows (`unresolved`).
    pub tasks_unresolved: usize,
    pub resolved: usize,
    pub unresolved: usize,
    pub merged: Vec<Unsure>,
    pub unsure: Vec<Unsure>,
    /// What was changed in the text before reading it.
    pub repaired: Vec<String>,
    /// Names no registry covers, by their words as compared.
    pub unknown: BTreeMap<String, Unknown>,
    /// Registry ids the document's names resolved to.
    #[serde(skip)]
    pub used: BTreeSet<String>,
    /// The jurisdiction, for the registry entries the report proposes.
    #[serde(skip)]
    pub jurisdiction: String,
    /// With `--new-registry`: the registry started.
    pub registry: Option<NewRegistry>,
}

impl Report {
    pub fn tasks(&self) -> usize {
        self.tasks_table + self.tasks_block + self.tasks_prose
    }

    /// Attaches the source text of each line noted.
    pub fn from_notes(notes: Notes, lines: &[&str]) -> (Vec<Unsure>, Vec<Unsure>) {
        let source = |line: usize| {
            let text: String =
                lines.get(line.wrapping_sub(1)).map(|l| super::lines::clean(l)).unwrap_or_default();
            if text.chars().count() > 90 {
                format!("{}…", text.chars().take(89).collect::<String>())
            } else {
                text
            }
        };
        let make = |v: Vec<(usize, String)>| {
            let mut out: Vec<Unsure> =
                v.into_iter().map(|(line, message)| Unsure { line, source: source(line), message }).collect();
            out.sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
            out.dedup();
            out
        };
        (make(notes.unsure), make(notes.merged))
    }
}

fn or_none<T: fmt::Display>(v: &Option<T>, none: &str) -> String {
    v.as_ref().map_or_else(|| none.to_string(), |v| v.to_string())
}

fn at(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = &self.meta;
        writeln!(f, "  number:       {}{}", or_none(&m.number, "none printed"), at(m.number_line))?;
        writeln!(f, "  date:         {}{}", or_none(&m.date, "none printed"), at(m.date_line))?;
        writeln!(f, "  status:       {}", m.status)?;
        writeln!(f, "  jurisdiction: {} — {}", m.jurisdiction, m.jurisdiction_reason)?;
        if let Some(r) = &self.registry {
            writeln!(
                f,
                "  registry:     {} (new: “{}”, {} agenc{} and {} group{} from the document; kinds guessed, review them)",
                r.path,
                r.name,
                r.agencies,
                if r.agencies == 1 { "y" } else { "ies" },
                r.groups,
                plural(r.groups)
            )?;
        }
        writeln!(f, "  issuer:       {}", m.issuer)?;
        writeln!(f, "  title:        {}{}", m.title, at(m.title_line))?;
        if let Some(y) = m.year {
            writeln!(f, "  year:         {y} (the year the title names)")?;
        }
        let from = match m.implements_lines.as_slice() {
            [] => String::new(),
            l => format!(" ({})", lines(l.iter().copied())),
        };
        let implements =
            if m.implements.is_empty() { "none found".to_string() } else { m.implements.join(", ") };
        writeln!(f, "  implements:   {implements}{from}")?;
        writeln!(f, "  signer:       {}", or_none(&m.signer, "none found"))?;
        writeln!(f, "  shape:        {}", self.shape)?;
        for r in &self.repaired {
            writeln!(f, "  text:         {r}")?;
        }
        writeln!(
            f,
            "  found:        {} sections, {} indicators, {} headings, {} tasks ({} from tables, {} from agency blocks, {} from prose; {} prose duplicates merged into table rows)",
            self.sections,
            self.indicators,
            self.headings,
            self.tasks(),
            self.tasks_table,
            self.tasks_block,
            self.tasks_prose,
            self.merged.len()
        )?;
        writeln!(f, "  agencies:     {} mentions resolved, {} unresolved", self.resolved, self.unresolved)?;
        if self.tasks_unresolved > 0 {
            writeln!(
                f,
                "  {} task{} keep names no registry knows as `unresolved` (`plansite check` refuses them until decided)",
                self.tasks_unresolved,
                if self.tasks_unresolved == 1 { "" } else { "s" }
            )?;
        }
        for m in &self.merged {
            writeln!(f, "  merged    line {}: {}", m.line, m.message)?;
        }
        if self.unsure.is_empty() {
            writeln!(f, "  unsure:   nothing")?;
        } else {
            writeln!(f, "  unsure ({}):", self.unsure.len())?;
            for u in &self.unsure {
                writeln!(f, "    line {}: {}\n      | {}", u.line, u.message, u.source)?;
            }
        }
        if !self.unknown.is_empty() {
            writeln!(
                f,
                "  unresolved names ({}): add them to content/agencies/{}.toml (review each entry), then import again:",
                self.unknown.len(),
                self.jurisdiction
            )?;
            for line in self.paste().lines() {
                writeln!(f, "    {line}")?;
            }
        }
        Ok(())
    }
}

impl Report {
    /// Registry entries for the unresolved names, ready to paste.
    pub fn paste(&self) -> String {
        let entries = super::new_registry::propose(&self.jurisdiction, &self.unknown, &self.used);
        super::new_registry::entries_toml(&entries).trim_start().to_string()
    }
}
