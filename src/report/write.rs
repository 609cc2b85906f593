//! The progress file a checked form becomes:
//! `content/progress/<plan>/<as-of>-<agency>.toml`, in the shape the
//! content format defines (docs/progress.md), written whole or not at all
//! and never over an earlier report unless asked to.

use super::form::TaskReport;
use crate::error::{Error, Result};
use crate::model::Date;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One progress report: who reported what, as of when.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub plan: String,
    pub as_of: Date,
    pub reported_by: String,
    /// The report it comes from ("Báo cáo số 123/BC-SKHCN").
    pub document: Option<String>,
    /// Where that report is published.
    pub url: Option<String>,
    /// The file it was imported from, named in the header comment.
    pub source: Option<String>,
    pub tasks: Vec<TaskReport>,
}

impl Report {
    /// Where the report goes under the site root.
    pub fn path(&self, root: &Path) -> PathBuf {
        super::current::folder(root, &self.plan).join(format!("{}-{}.toml", self.as_of, self.reported_by))
    }

    /// The file's text. Keys come in the documented order and every
    /// string is a TOML basic string, escaped here, so no typed text can
    /// change the file's structure.
    pub fn toml(&self) -> String {
        let mut out = String::new();
        let source = self.source.as_deref().map(comment_safe).unwrap_or_default();
        let _ = writeln!(
            out,
            "# Progress of plan {} as of {}, reported by {}.",
            self.plan, self.as_of, self.reported_by
        );
        let _ = writeln!(out, "# Imported from {source} by `plansite report import`; review it, then build.");
        let _ = writeln!(out, "as_of = {}", self.as_of);
        let _ = writeln!(out, "reported_by = {}", quoted(&self.reported_by));
        if let Some(document) = &self.document {
            let _ = writeln!(out, "document = {}", quoted(document));
        }
        if let Some(url) = &self.url {
            let _ = writeln!(out, "url = {}", quoted(url));
        }
        for task in &self.tasks {
            let _ = writeln!(out, "\n[[tasks]]\ntask = {}", quoted(&task.task));
            let _ = writeln!(out, "status = {}", quoted(task.status.id()));
            if let Some(percent) = task.percent {
                let _ = writeln!(out, "percent = {percent}");
            }
            if let Some(note) = &task.note {
                let _ = writeln!(out, "note = {{ vi = {} }}", quoted(note));
            }
            if let Some(evidence) = &task.evidence {
                let _ = writeln!(out, "evidence = {}", quoted(evidence));
            }
        }
        out
    }
}

/// A TOML basic string, as the importer writes them.
fn quoted(s: &str) -> String {
    crate::import::toml_string(s)
}

/// A file name fit for a one-line comment.
fn comment_safe(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// Writes `text` to `path` through a temporary file beside it, so a reader
/// (a build, `serve`) never sees half a report. Without `force` an
/// existing report is never replaced, even one that appears meanwhile:
/// the file is linked into place, which fails if the name is taken.
pub fn save(path: &Path, text: &str, force: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = write_synced(&tmp, text).and_then(|()| place(&tmp, path, force));
    let _ = std::fs::remove_file(&tmp);
    written
}

fn write_synced(path: &Path, text: &str) -> Result<()> {
    let mut file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| Error::io(path, e))
}

fn place(tmp: &Path, path: &Path, force: bool) -> Result<()> {
    if force {
        return std::fs::rename(tmp, path).map_err(|e| Error::io(path, e));
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        // A file system without hard links: check, then rename.
        Err(_) if path.exists() => Err(exists(path)),
        Err(_) => std::fs::rename(tmp, path).map_err(|e| Error::io(path, e)),
    }
}

/// The error for a report that is there already.
pub fn exists(path: &Path) -> Error {
    Error::Other(format!(
        "{} exists already: this agency's report as of this date was imported before; nothing was written\n     hint: pass --force to replace it, or give the report's own date with --as-of",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;

    fn report(note: &str) -> Report {
        Report {
            plan: "p".into(),
            as_of: Date::parse_iso("2026-06-30").unwrap(),
            reported_by: "hue-so-khcn".into(),
            document: Some("Báo cáo số 123/BC-SKHCN".into()),
            url: None,
            source: Some("form\n.xlsx".into()),
            tasks: vec![TaskReport {
                task: "16".into(),
                status: Status::InProgress,
                percent: Some(40),
                note: Some(note.into()),
                evidence: Some("https://hue.gov.vn/a?b=1&c=\"2\"".into()),
            }],
        }
    }

    #[test]
    fn any_text_reads_back_exactly() {
        let hostile = "\"\"\"\n[[tasks]]\ntask = \"x\"\n\\u0000 'lit' \u{7f}\t=HYPERLINK(\"a\")\u{85}";
        let text = report(hostile).toml();
        let value: toml::Table = toml::from_str(&text).unwrap();
        let tasks = value["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0]["note"]["vi"].as_str(), Some(hostile));
        assert_eq!(tasks[0]["percent"].as_integer(), Some(40));
        assert_eq!(value["as_of"].to_string(), "2026-06-30");
        assert!(text.starts_with(
            "# Progress of plan p as of 2026-06-30, reported by hue-so-khcn.\n# Imported from form?.xlsx"
        ));
    }

    #[test]
    fn the_documented_shape() {
        let text = report("Đã ban hành").toml();
        let body: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            body,
            [
                "as_of = 2026-06-30",
                "reported_by = \"hue-so-khcn\"",
                "document = \"Báo cáo số 123/BC-SKHCN\"",
                "",
                "[[tasks]]",
                "task = \"16\"",
                "status = \"in_progress\"",
                "percent = 40",
                "note = { vi = \"Đã ban hành\" }",
                "evidence = \"https://hue.gov.vn/a?b=1&c=\\\"2\\\"\"",
            ]
        );
    }

    #[test]
    fn save_never_replaces_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/progress/p/2026-06-30-a.toml");
        save(&path, "one", false).unwrap();
        let e = save(&path, "two", false).unwrap_err().to_string();
        assert!(e.contains("exists already") && e.contains("--force"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        save(&path, "three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }
}
