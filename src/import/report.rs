//! What an import found and every place it was unsure, with the source line,
//! so that the person reviewing the result knows where to look.

use super::agencies::Names;
use std::fmt;

/// Collects counts and doubts while a document is read.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    pub unsure: Vec<(usize, String)>,
    /// Prose tasks dropped because an appendix table row holds the same task.
    pub merged: Vec<(usize, String)>,
    pub resolved: usize,
    pub unresolved: usize,
}

impl Notes {
    pub fn unsure(&mut self, line: usize, message: impl Into<String>) {
        self.unsure.push((line, message.into()));
    }

    /// Counts the names of one mention list and notes what was not certain.
    pub fn names(&mut self, line: usize, role: &str, text: &str, names: &Names) {
        self.resolved += names.hits.len();
        self.unresolved += names.unresolved.len();
        for u in &names.unresolved {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsure {
    pub line: usize,
    pub message: String,
    /// The source line, shortened.
    pub source: String,
}

/// The report for one imported file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub shape: String,
    pub sections: usize,
    pub indicators: usize,
    pub headings: usize,
    pub tasks_table: usize,
    pub tasks_block: usize,
    pub tasks_prose: usize,
    /// Tasks written commented out because no lead could be resolved.
    pub tasks_without_lead: usize,
    pub resolved: usize,
    pub unresolved: usize,
    pub merged: Vec<Unsure>,
    pub unsure: Vec<Unsure>,
    /// What was changed in the text before reading it.
    pub repaired: Vec<String>,
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

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "  shape:    {}", self.shape)?;
        for r in &self.repaired {
            writeln!(f, "  text:     {r}")?;
        }
        writeln!(
            f,
            "  found:    {} sections, {} indicators, {} headings, {} tasks ({} from tables, {} from agency blocks, {} from prose; {} prose duplicates merged into table rows)",
            self.sections,
            self.indicators,
            self.headings,
            self.tasks(),
            self.tasks_table,
            self.tasks_block,
            self.tasks_prose,
            self.merged.len()
        )?;
        writeln!(f, "  agencies: {} mentions resolved, {} unresolved", self.resolved, self.unresolved)?;
        if self.tasks_without_lead > 0 {
            writeln!(
                f,
                "  {} tasks have no resolvable lead: written commented out, see below",
                self.tasks_without_lead
            )?;
        }
        for m in &self.merged {
            writeln!(f, "  merged    line {}: {}", m.line, m.message)?;
        }
        if self.unsure.is_empty() {
            return writeln!(f, "  unsure:   nothing");
        }
        writeln!(f, "  unsure ({}):", self.unsure.len())?;
        for u in &self.unsure {
            writeln!(f, "    line {}: {}\n      | {}", u.line, u.message, u.source)?;
        }
        Ok(())
    }
}
