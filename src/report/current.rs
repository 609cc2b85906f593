//! What a plan's progress files last said of each task, for the form's
//! "last reported" columns: staff see where they left off.
//!
//! Reads only the fields the form shows and ignores the rest, so it never
//! refuses a report the build accepts; the build's loader validates them.

use super::Status;
use crate::error::{Error, Result};
use crate::model::Date;
use crate::text::Text;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The latest report of one task.
#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    pub as_of: Date,
    pub reported_by: Option<String>,
    pub status: Status,
    pub percent: Option<u8>,
    pub note: Option<Text>,
}

#[derive(Deserialize)]
struct RawReport {
    as_of: toml::value::Datetime,
    reported_by: Option<String>,
    #[serde(default)]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize)]
struct RawTask {
    task: String,
    status: String,
    percent: Option<u8>,
    note: Option<Text>,
}

/// The folder of a plan's progress files.
pub fn folder(root: &Path, plan: &str) -> PathBuf {
    root.join("content").join("progress").join(plan)
}

/// Task id → its latest report among the plan's progress files. Of two
/// reports with the same date, the later file name wins, so the answer
/// never depends on the order the folder is listed in.
pub fn latest(root: &Path, plan: &str) -> Result<BTreeMap<String, Latest>> {
    let mut latest: BTreeMap<String, Latest> = BTreeMap::new();
    for path in report_files(&folder(root, plan))? {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let raw: RawReport = toml::from_str(&text)
            .map_err(|e| Error::Other(format!("{}: {}", path.display(), e.message())))?;
        let Some(as_of) = date(&raw.as_of) else {
            return Err(Error::Other(format!("{}: as_of is not a date (YYYY-MM-DD)", path.display())));
        };
        for task in raw.tasks {
            let Some(status) = Status::parse(&task.status) else { continue };
            let entry = Latest {
                as_of,
                reported_by: raw.reported_by.clone(),
                status,
                percent: task.percent,
                note: task.note,
            };
            if latest.get(&task.task).is_none_or(|l| l.as_of <= as_of) {
                latest.insert(task.task, entry);
            }
        }
    }
    Ok(latest)
}

/// The `.toml` files of a folder in name order; none if it does not exist.
fn report_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.ends_with(".toml") && !crate::load::is_scratch_file(&name) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn date(d: &toml::value::Datetime) -> Option<Date> {
    match (d.date, d.time) {
        (Some(date), None) => Date::new(i32::from(date.year), u32::from(date.month), u32::from(date.day)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_report_of_each_task_wins() {
        let dir = tempfile::tempdir().unwrap();
        let plan = folder(dir.path(), "p");
        std::fs::create_dir_all(&plan).unwrap();
        let report =
            |as_of: &str, by: &str, tasks: &str| format!("as_of = {as_of}\nreported_by = \"{by}\"\n{tasks}");
        let task = |id: &str, status: &str| format!("[[tasks]]\ntask = \"{id}\"\nstatus = \"{status}\"\n");
        std::fs::write(
            plan.join("2026-06-30-a.toml"),
            report("2026-06-30", "a", &(task("1", "done") + &task("2", "in_progress"))),
        )
        .unwrap();
        std::fs::write(plan.join("2025-12-31-a.toml"), report("2025-12-31", "a", &task("1", "in_progress")))
            .unwrap();
        std::fs::write(plan.join(".2027-01-01-a.toml.swp"), "not toml").unwrap();
        let latest = latest(dir.path(), "p").unwrap();
        assert_eq!(latest["1"].status, Status::Done);
        assert_eq!(latest["1"].as_of, Date::parse_iso("2026-06-30").unwrap());
        assert_eq!(latest["2"].reported_by.as_deref(), Some("a"));
        assert!(super::latest(dir.path(), "none").unwrap().is_empty());
    }
}
