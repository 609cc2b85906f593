//! What a plan's progress reports last said of each task, for the form's
//! "last reported" columns: staff see where they left off. The reports
//! are the loaded site's (`Site::reports`), checked by the loader, so the
//! form never shows a status the build would refuse.

use super::Status;
use crate::model::{Date, Site};
use crate::text::Text;
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

/// The folder of a plan's progress files.
pub fn folder(root: &Path, plan: &str) -> PathBuf {
    root.join("content").join("progress").join(plan)
}

/// Task id → its latest report in `plan`. The site's reports are sorted by
/// plan, date and file name, so of two reports with the same date the
/// later file name wins, whatever order the folder is listed in.
pub fn latest(site: &Site, plan: &str) -> BTreeMap<String, Latest> {
    let mut latest = BTreeMap::new();
    for report in site.reports.iter().filter(|r| r.plan == plan) {
        for task in &report.tasks {
            let entry = Latest {
                as_of: report.as_of,
                reported_by: report.reported_by.clone(),
                status: task.status,
                percent: task.percent,
                note: task.note.clone(),
            };
            latest.insert(task.task.clone(), entry);
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_report_of_each_task_wins() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("dir");
        for part in ["content", "seeds"] {
            for entry in walkdir::WalkDir::new(repo.join(part)) {
                let entry = entry.expect("walk");
                let to = dir.path().join(entry.path().strip_prefix(repo).expect("prefix"));
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).expect("mkdir");
                } else {
                    std::fs::copy(entry.path(), &to).expect("copy");
                }
            }
        }
        let plan = folder(dir.path(), "hue-2025-03-nq-cp");
        std::fs::create_dir_all(&plan).expect("mkdir");
        let report =
            |as_of: &str, tasks: &str| format!("as_of = {as_of}\nreported_by = \"hue-so-khcn\"\n{tasks}");
        let task = |id: &str, status: &str| format!("[[tasks]]\ntask = \"{id}\"\nstatus = \"{status}\"\n");
        let newer = report("2026-06-30", &(task("1", "done") + &task("2", "in_progress")));
        std::fs::write(plan.join("2026-06-30-a.toml"), newer).expect("write");
        std::fs::write(plan.join("2025-12-31-a.toml"), report("2025-12-31", &task("1", "in_progress")))
            .expect("write");
        std::fs::write(plan.join(".2027-01-01-a.toml.swp"), "not toml").expect("write");
        let site = crate::load::load(dir.path()).expect("loads");
        let latest = latest(&site, "hue-2025-03-nq-cp");
        assert_eq!(latest["1"].status, Status::Done);
        assert_eq!(latest["1"].as_of, Date::parse_iso("2026-06-30").expect("date"));
        assert_eq!(latest["2"].reported_by.as_deref(), Some("hue-so-khcn"));
        assert!(super::latest(&site, "hue-343-kh-ubnd-2026").is_empty());
    }
}
