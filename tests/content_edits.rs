//! Publishers edit `content/` as docs/content.md describes; the tests must
//! follow the content rather than hard-code it (issue 15). This runs the
//! test binaries that read the real content again, on a copy of it with a
//! task and an agency added (`PLANSITE_TEST_SITE`, see tests/common), and
//! requires them all to pass.
//!
//! It runs the binaries `cargo test` built beside this one, so run it as
//! part of the whole suite, or after `cargo test --release --no-run`.

mod common;

use common::{TempSite, copy_tree, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The test binaries whose tests read the real content and check what it
/// holds (pages, open data, search, checks, reports, the history). The
/// others use it only as a sample to break (hostile, serve, incremental) or
/// need a browser.
const READERS: [&str; 8] = ["site", "build", "check", "integrity", "search", "progress", "report", "changes"];

/// A task added to a plan, led by an agency added to the registry. Both are
/// plainly test data: this copy is never published.
const TASK: &str = "
[[tasks]]
id = \"kiem-thu-them\"
number = \"99.\"
title = { vi = \"Nhiệm vụ kiểm thử do tests/content_edits.rs thêm vào\", en = \"A test task added by tests/content_edits.rs\" }
lead = [\"hue-co-quan-kiem-thu\"]
support = [\"hue-so-khcn\"]
deadline = { vi = \"Năm 2027\", en = \"2027\" }
";
const AGENCY: &str = "
[[agencies]]
id = \"hue-co-quan-kiem-thu\"
name = { vi = \"Cơ quan kiểm thử\", en = \"Test agency\" }
kind = \"other\"
";

/// The newest build of test binary `name` beside this one
/// (`<target>/<profile>/deps/<name>-<hash>`).
fn sibling(name: &str) -> Option<PathBuf> {
    let me = std::env::current_exe().ok()?;
    let dir = me.parent()?;
    let prefix = format!("{name}-");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let file = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
            let hash = file.strip_prefix(&prefix).unwrap_or("");
            hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && p.extension().is_none()
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH))
}

/// The repository's content, themes and seeds, with the task and agency added.
fn edited_site(dir: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "themes", "seeds"] {
        copy_tree(&repo.join(part), &dir.join(part));
    }
    let append = |rel: &str, text: &str| {
        let path = dir.join(rel);
        let old = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        std::fs::write(&path, format!("{old}{text}")).unwrap_or_else(|e| panic!("{rel}: {e}"));
    };
    append("content/plans/hue-261-kh-ubnd-2024.toml", TASK);
    append("content/agencies/hue.toml", AGENCY);
}

#[test]
fn the_tests_that_read_the_content_pass_after_a_task_and_an_agency_are_added() {
    let edited = tempfile::tempdir().expect("temp dir");
    edited_site(edited.path());
    // The edit itself is good content: it builds, with the new pages.
    let site = TempSite::copy_of_repo_at(edited.path());
    site.build().unwrap_or_else(|e| panic!("the edited content must build: {e}"));
    assert!(site.out().join("en/agencies/hue-co-quan-kiem-thu/index.html").is_file());
    assert!(site.out().join("vi/plans/hue-261-kh-ubnd-2024/tasks/kiem-thu-them/index.html").is_file());

    let mut failed = Vec::new();
    for name in READERS {
        let binary = sibling(name).unwrap_or_else(|| {
            panic!("no test binary `{name}` beside this one: run the whole suite, or `cargo test --release --no-run` first")
        });
        let out = Command::new(&binary)
            .env("PLANSITE_TEST_SITE", edited.path())
            .env_remove("UPDATE_SEARCH_VECTORS")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
        let summary = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("test result:") || l.ends_with("FAILED"))
            .collect::<Vec<_>>()
            .join("\n");
        eprintln!("{name} on the edited content: {summary}");
        if !out.status.success() {
            failed.push(format!(
                "{name} ({}):\n{}\n{}",
                binary.display(),
                String::from_utf8_lossy(&out.stdout),
                stderr(&out)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "tests that fail once a task and an agency are added:\n{}",
        failed.join("\n\n")
    );
}
