//! Errors with the place they come from: a file, a line, and what to do.

use std::fmt;
use std::path::PathBuf;

/// One problem found in the content, pointing at the file and line to fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), line, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n     hint: {hint}")?;
        }
        Ok(())
    }
}

/// One problem in a spreadsheet (a filled report form), at the cell to fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellProblem {
    /// 1-based, as the spreadsheet shows it.
    pub row: usize,
    /// The column's letter and header, e.g. `H (Tình trạng thực hiện)`.
    pub column: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl CellProblem {
    pub fn new(row: usize, column: Option<String>, message: impl Into<String>) -> Self {
        CellProblem { row, column, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The OS error is part of the message and deliberately not a
    /// `source`, or `error: {e:#}` would print it twice.
    #[error("{}: {cause}", path.display())]
    Io { path: PathBuf, cause: std::io::Error },

    #[error("{}", numbered(.0))]
    Invalid(Vec<Diagnostic>),

    /// Every problem of a spreadsheet at once, each naming the file, sheet
    /// (none for CSV), row and column.
    #[error("{}", sheet_problems(file, sheet.as_deref(), problems))]
    Sheet { file: PathBuf, sheet: Option<String>, problems: Vec<CellProblem> },

    /// Not marked as the source: the message already holds the template
    /// error, and `{:#}` would print it a second time as its cause.
    #[error("template error: {0:#}")]
    Template(minijinja::Error),

    #[error("{0}")]
    Other(String),
}

impl From<minijinja::Error> for Error {
    fn from(e: minijinja::Error) -> Error {
        Error::Template(e)
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), cause: source }
    }
}

fn numbered(diags: &[Diagnostic]) -> String {
    let mut out =
        format!("the content has {} problem{}:", diags.len(), if diags.len() == 1 { "" } else { "s" });
    for (i, d) in diags.iter().enumerate() {
        out.push_str(&format!("\n  {}. {d}", i + 1));
    }
    out
}

fn sheet_problems(file: &std::path::Path, sheet: Option<&str>, problems: &[CellProblem]) -> String {
    let n = problems.len();
    let mut out =
        format!("{} has {n} problem{}; nothing was written:", file.display(), if n == 1 { "" } else { "s" });
    for (i, p) in problems.iter().enumerate() {
        out.push_str(&format!("\n  {}. {}", i + 1, file.display()));
        if let Some(sheet) = sheet {
            out.push_str(&format!(", sheet \"{sheet}\""));
        }
        out.push_str(&format!(", row {}", p.row));
        if let Some(column) = &p.column {
            out.push_str(&format!(", column {column}"));
        }
        out.push_str(&format!(": {}", p.message));
        if let Some(hint) = &p.hint {
            out.push_str(&format!("\n     hint: {hint}"));
        }
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
