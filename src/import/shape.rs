//! What shape a document arrived in: Markdown-like or plain text, lines
//! hard-wrapped by a PDF or whole paragraphs, and where its tables are and
//! in which layout. The rest of the importer parses according to this.

use super::agencies::Scope;
use super::tables::{self, Purpose, Table};

/// The document's shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// `**bold**` and `#` headings.
    pub markdown: bool,
    /// Lines wrapped at a fixed width (text extracted from a PDF).
    pub hard_wrapped: bool,
    pub tables: Vec<Table>,
}

impl Shape {
    /// Detects the shape of `lines` (the whole file).
    pub fn detect(lines: &[&str], scope: &Scope) -> Shape {
        let tables = tables::find(lines, scope);
        let in_table = |i: usize| tables.iter().any(|t| (t.first..=t.last).contains(&(i + 1)));
        let markdown =
            lines.iter().any(|l| l.contains("**") || l.trim_start().starts_with("# ") || l.starts_with("##"));
        let prose: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| !in_table(*i) && !l.trim().is_empty())
            .map(|(_, l)| l.trim())
            .collect();
        let wrapped = prose
            .iter()
            .filter(|l| {
                let n = l.chars().count();
                (30..=100).contains(&n) && !l.ends_with(['.', ':', ';', '!', '?', ')', '”', '"', '*'])
            })
            .count();
        let hard_wrapped = !prose.is_empty() && wrapped * 10 >= prose.len() * 3;
        Shape { markdown, hard_wrapped, tables }
    }

    /// The table (if any) starting at 1-based `line`.
    pub fn table_at(&self, line: usize) -> Option<usize> {
        self.tables.iter().position(|t| t.first == line)
    }

    /// One line for the report.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            if self.markdown { "Markdown-like text" } else { "plain text" }.to_string(),
            if self.hard_wrapped { "lines hard-wrapped (PDF)" } else { "one paragraph per line" }.to_string(),
        ];
        for t in &self.tables {
            let what = match t.purpose() {
                Purpose::Tasks => "tasks",
                Purpose::Indicators => "indicators",
                Purpose::Plain => "plain",
            };
            parts.push(format!("{what} table, {} (lines {}–{})", t.layout.describe(), t.first, t.last));
        }
        parts.join("; ")
    }
}
