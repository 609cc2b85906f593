//! Where a build's files go as they are made. A one-off build streams each
//! page into the staging folder the moment it is rendered ([`Stream`]), so
//! its memory holds the site's model and not the site's 500-odd megabytes
//! of HTML; a session collects them ([`Collect`]) because it compares them
//! with what it published before it writes anything.

use super::{MARKER, OutputFile, WriteReport, count_removed, place, safe_relative, swap};
use crate::error::{Error, Result};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Takes the files of a build, from any thread, in any order.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;

    /// Puts every file of `files`, stopping at the first error.
    fn put_all(&self, files: Vec<OutputFile>) -> Result<()> {
        files.into_iter().try_for_each(|f| self.put(f))
    }
}

/// Keeps every file in memory, for a caller that looks at them before
/// they are written (a session's rebuild, `plansite check`).
#[derive(Default)]
pub struct Collect {
    files: Mutex<Vec<OutputFile>>,
}

impl Collect {
    /// The files, sorted by path; two files may not want one path.
    pub fn into_files(self) -> Result<Vec<OutputFile>> {
        let mut files = self.files.into_inner().unwrap_or_else(|p| p.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(pair) = files.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(Error::Other(format!("two outputs want the same path `{}`", pair[0].path)));
        }
        Ok(files)
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.files.lock().unwrap_or_else(|p| p.into_inner()).push(file);
        Ok(())
    }
}

/// Writes each file into a staging folder beside `out` as it arrives; the
/// folder takes `out`'s place in [`Stream::publish`], and is removed if the
/// stream is dropped unpublished (a failed build), so the published site is
/// never touched before the whole new one is on disk. A file whose bytes
/// match the published one is hard-linked, keeping its inode and mtime.
pub struct Stream {
    out: PathBuf,
    /// Whether a published site is there to compare each file with (a
    /// first build skips a failing look-up per file).
    published: bool,
    staging: swap::Staging,
    /// Folders made in the staging folder so far.
    dirs: Mutex<HashSet<String>>,
    /// Every path written: two files may not want one path, and the old
    /// output's files not among them are counted as removed.
    paths: Mutex<HashSet<String>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Stream {
    /// Starts a build's output. The caller holds the output's
    /// [`super::OutputLock`] until [`Stream::publish`] returns.
    pub fn begin(out: &Path) -> Result<Stream> {
        super::check_replaceable(out)?;
        swap::recover(out)?;
        let staging = swap::Staging::new(out)?;
        Ok(Stream {
            out: out.to_path_buf(),
            published: out.join(MARKER).is_file(),
            staging,
            dirs: Mutex::new(HashSet::new()),
            paths: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Marks the staged folder as plansite output and swaps it in.
    pub fn publish(self) -> Result<WriteReport> {
        let marker = OutputFile::new(MARKER, "built by plansite; this folder is replaced on every build\n");
        place(self.published.then_some(self.out.as_path()), self.staging.path(), &marker)?;
        let paths = self.paths.into_inner().unwrap_or_else(|p| p.into_inner());
        let report = WriteReport {
            written: self.written.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed: count_removed(&self.out, paths.iter().map(String::as_str)),
        };
        self.staging.publish(&self.out)?;
        Ok(report)
    }

    /// Makes the folder `dir` (relative) and its parents in the staging
    /// folder, once each.
    fn make_dir(&self, dir: &str) -> Result<()> {
        if self.dirs.lock().unwrap_or_else(|p| p.into_inner()).contains(dir) {
            return Ok(());
        }
        if let Some((parent, _)) = dir.rsplit_once('/') {
            self.make_dir(parent)?;
        }
        let path = self.staging.path().join(dir);
        match fs::create_dir(&path) {
            Ok(()) => {}
            // Another thread made it between the look-up and here.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        self.dirs.lock().unwrap_or_else(|p| p.into_inner()).insert(dir.to_string());
        Ok(())
    }
}

impl Stream {
    /// Writes one file into the staging folder.
    pub fn write(&self, file: &OutputFile) -> Result<()> {
        safe_relative(&file.path)?;
        if file.path == MARKER {
            return Err(Error::Other(format!("`{MARKER}` is the output folder's own marker")));
        }
        if !self.paths.lock().unwrap_or_else(|p| p.into_inner()).insert(file.path.clone()) {
            return Err(Error::Other(format!("two outputs want the same path `{}`", file.path)));
        }
        if let Some((dir, _)) = file.path.rsplit_once('/') {
            self.make_dir(dir)?;
        }
        let kept = place(self.published.then_some(self.out.as_path()), self.staging.path(), file)?;
        let count = if kept { &self.unchanged } else { &self.written };
        count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Sink for Stream {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.write(&file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_stream_dropped_half_way_leaves_the_published_site_alone() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        super::super::write(&out, &[OutputFile::new("a/index.html", "old")]).expect("first build");
        let stream = Stream::begin(&out).expect("begin");
        stream.write(&OutputFile::new("a/index.html", "new")).expect("write");
        stream.write(&OutputFile::new("b/c/index.html", "new")).expect("write");
        // The build fails here (a template error, say).
        drop(stream);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).expect("read"), "old");
        assert!(!out.join("b").exists());
        assert_eq!(names(tmp.path()), vec!["public".to_string()], "no staging folder left");
    }

    #[test]
    fn a_stream_refuses_two_files_at_one_path_and_keeps_unchanged_inodes() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        super::super::write(&out, &[OutputFile::new("same.txt", "x"), OutputFile::new("gone.txt", "y")])
            .expect("first build");
        let inode = fs::metadata(out.join("same.txt")).expect("stat").ino();
        let stream = Stream::begin(&out).expect("begin");
        stream.write(&OutputFile::new("same.txt", "x")).expect("write");
        stream.write(&OutputFile::new("d/new.txt", "z")).expect("write");
        let twice = stream.write(&OutputFile::new("d/new.txt", "again"));
        assert!(twice.is_err_and(|e| e.to_string().contains("two outputs want the same path `d/new.txt`")));
        let report = stream.publish().expect("publish");
        assert_eq!(report, WriteReport { written: 1, unchanged: 1, removed: 1 });
        assert_eq!(fs::metadata(out.join("same.txt")).expect("stat").ino(), inode);
        assert_eq!(names(&out), vec![MARKER.to_string(), "d".to_string(), "same.txt".to_string()]);
    }
}
