//! Helpers for integration tests: a throwaway copy of the repository's site,
//! builds, and small readers for the output.
#![allow(dead_code)]

pub mod server;

use plansite::build::{BuildOptions, BuildReport, Silent, build};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

/// A copy of the repository's content, themes and seeds in a temporary folder,
/// so tests can break it and build it without touching the real `public/`.
pub struct TempSite {
    dir: tempfile::TempDir,
}

impl TempSite {
    pub fn copy_of_repo() -> TempSite {
        TempSite::copy_of_repo_at(&source_site())
    }

    /// A copy of the site in `repo` (its content, themes and seeds).
    pub fn copy_of_repo_at(repo: &Path) -> TempSite {
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["content", "themes", "seeds"] {
            copy_tree(&repo.join(part), &dir.path().join(part));
        }
        TempSite { dir }
    }

    /// A site folder holding only the repository's agency registries and
    /// glossary: enough to check one plan file as `build` would.
    pub fn registry_only() -> TempSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = source_site();
        let repo = repo.as_path();
        copy_tree(&repo.join("content/agencies"), &dir.path().join("content/agencies"));
        std::fs::copy(repo.join("content/glossary.toml"), dir.path().join("content/glossary.toml"))
            .expect("copy the glossary");
        TempSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Where `serve` writes its preview of this site.
    pub fn preview(&self) -> PathBuf {
        plansite::serve::preview_folder(self.root())
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            out: self.out(),
            base_url: None,
            drafts: false,
            now: None,
            today: None,
        }
    }

    pub fn build(&self) -> plansite::Result<BuildReport> {
        build(&self.options(), &mut Silent)
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Replaces the first occurrence of `from` in a file, insisting it is there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs the real binary in this site.
    pub fn cli(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run plansite")
    }

    pub fn plan_file(&self) -> String {
        "content/plans/hue-2025-03-nq-cp.toml".to_string()
    }
}

/// The site the tests copy: the repository, or the folder named by
/// `PLANSITE_TEST_SITE` (with content/, themes/ and seeds/), which
/// tests/content_edits.rs uses to run the tests on edited content.
pub fn source_site() -> PathBuf {
    std::env::var_os("PLANSITE_TEST_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`: relative path → (bytes, mtime).
pub fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix").to_string_lossy().replace('\\', "/");
            let meta = e.metadata().expect("metadata");
            (rel, (std::fs::read(e.path()).expect("read"), meta.modified().expect("mtime")))
        })
        .collect()
}

#[allow(unused_imports)] // not every test file uses it
pub use plansite::check::attr_values;

/// The file a site-root URL path (`/vi/plans/x/`) is served from.
pub fn file_for(out: &Path, url_path: &str) -> PathBuf {
    let path = url_path.split(['#', '?']).next().unwrap_or("").trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') { out.join(path).join("index.html") } else { out.join(path) }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts two trees are the same, naming the paths that differ.
pub fn assert_same_tree(
    before: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    after: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    what: &str,
) {
    let paths: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let differ: Vec<&&String> = paths.iter().filter(|p| before.get(**p) != after.get(**p)).take(10).collect();
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}
