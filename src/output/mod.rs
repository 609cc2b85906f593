//! Puts a rendered site on disk safely: everything is written into a staging
//! folder beside the output, which then takes the output's place in one
//! atomic exchange. A failed or killed build never touches the published
//! folder, and a file whose bytes did not change keeps its inode and mtime
//! (so rsync and caches see no change). Callers hold an [`OutputLock`], so
//! there is one writer at a time.

mod lock;
mod sink;
mod swap;

pub use lock::OutputLock;
pub use sink::{Collect, Sink, Stream};

use crate::error::{Error, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// One file of the built site, by its path under the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative, `/`-separated: `vi/plans/x/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// What a write did, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Marks a folder as plansite output, so a mistyped `--out` is never replaced.
pub const MARKER: &str = ".plansite-output";

/// Writes `files` as the new content of `out`. The caller holds the
/// output's [`OutputLock`].
pub fn write(out: &Path, files: &[OutputFile]) -> Result<WriteReport> {
    let stream = Stream::begin(out)?;
    // Files are independent once their folders exist: write in parallel.
    files.par_iter().try_for_each(|file| stream.write(file))?;
    stream.publish()
}

/// Folders of the root that hold sources: an output there (or an output
/// that contains the root) would be replaced with the sources inside.
const SOURCES: [&str; 5] = ["content", "seeds", "themes", "src", ".git"];

/// Checks `--out` against the root and returns it as an absolute path, so
/// that `.` or a symlink names the folder it really is.
pub fn target(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let out = absolute(out)?;
    let refuse = |what: &str| {
        Err(Error::Other(format!(
            "--out {} {what}; a build replaces its output folder, so choose a folder of its own, like {}",
            out.display(),
            root.join("public").display()
        )))
    };
    if root.starts_with(&out) {
        return refuse(&format!("contains the site's root {}", root.display()));
    }
    if let Some(dir) = SOURCES.iter().map(|d| root.join(d)).find(|d| out.starts_with(d)) {
        return refuse(&format!("is inside the site's sources ({})", dir.display()));
    }
    Ok(out)
}

/// `out` made absolute with symlinks resolved, also when it does not exist
/// yet (then its nearest existing ancestor is resolved).
fn absolute(out: &Path) -> Result<PathBuf> {
    let out = std::path::absolute(out).map_err(|e| Error::io(out, e))?;
    let mut missing = Vec::new();
    let mut existing = out.as_path();
    loop {
        match fs::canonicalize(existing) {
            Ok(real) => return Ok(missing.iter().rev().fold(real, |p: PathBuf, part| p.join(part))),
            Err(_) => match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_os_string());
                    existing = parent;
                }
                _ => return Err(Error::Other(format!("--out {}: no such folder", out.display()))),
            },
        }
    }
}

/// What a session last published: each file's fingerprint, so that a
/// rebuild writes only the files whose bytes changed.
#[derive(Debug, Default)]
pub struct Published {
    /// Hashed with FxHash: a session looks up every file of a large site
    /// here after each edit, and paths are not adversarial input.
    files: FxHashMap<String, u128>,
}

impl Published {
    /// The fingerprints of a whole site just written by [`write`].
    pub fn of(files: &[OutputFile]) -> Published {
        Published { files: files.par_iter().map(|f| (f.path.clone(), fingerprint(&f.bytes))).collect() }
    }
}

fn fingerprint(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Updates a folder that [`write`] made, in place: writes the files whose
/// bytes differ from what `published` says is there, deletes the files no
/// longer built, and leaves the `kept` files alone. Meant for a session's
/// rebuilds, where a staging copy of a large site would cost more than the
/// rebuild.
///
/// It goes in two steps so that readers never see a mix of two builds:
/// every changed file is first written beside its place (a failure there,
/// such as a full disk, removes them all and leaves the folder exactly as
/// it was), then, holding `gate` for writing (the server holds it for
/// reading while it answers), all are renamed into place and gone files
/// deleted. The caller holds the output's [`OutputLock`].
pub fn update(
    out: &Path,
    published: &mut Published,
    files: &[OutputFile],
    kept: &[String],
    gate: Option<&RwLock<()>>,
) -> Result<WriteReport> {
    check_replaceable(out)?;
    let fresh: Vec<(&OutputFile, u128)> = files
        .par_iter()
        .map(|f| safe_relative(&f.path).map(|_| (f, fingerprint(&f.bytes))))
        .collect::<Result<_>>()?;
    let (changed, hashes): (Vec<&OutputFile>, Vec<u128>) =
        fresh.into_iter().filter(|(f, hash)| published.files.get(&f.path) != Some(hash)).unzip();
    let staged = stage_all(out, &changed)?;
    let mut live: FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    live.extend(kept.iter().map(String::as_str));
    let gone: Vec<String> = published.files.keys().filter(|p| !live.contains(p.as_str())).cloned().collect();
    {
        let _readers_wait = gate.map(|g| g.write().unwrap_or_else(|p| p.into_inner()));
        for (temp, target) in &staged {
            fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
        }
        for path in &gone {
            remove(out, path)?;
        }
    }
    for path in &gone {
        published.files.remove(path);
    }
    let report = WriteReport {
        written: changed.len(),
        unchanged: files.len() - changed.len() + kept.len(),
        removed: gone.len(),
    };
    for (file, hash) in changed.into_iter().zip(hashes) {
        published.files.insert(file.path.clone(), hash);
    }
    Ok(report)
}

/// Writes every changed file beside its place; if any fails, removes the
/// ones written and returns the first error.
fn stage_all(out: &Path, changed: &[&OutputFile]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let results: Vec<Result<(PathBuf, PathBuf)>> = changed.par_iter().map(|file| stage(out, file)).collect();
    if results.iter().all(Result::is_ok) {
        return results.into_iter().collect();
    }
    let mut first = None;
    for result in results {
        match result {
            Ok((temp, _)) => {
                let _ = fs::remove_file(&temp);
                remove_empty_parents(out, &temp);
            }
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    Err(first.unwrap_or_else(|| Error::Other("writing the changed files failed".into())))
}

/// Writes one file beside its place, under a name no page has.
fn stage(out: &Path, file: &OutputFile) -> Result<(PathBuf, PathBuf)> {
    let target = out.join(&file.path);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.plansite-new"));
    if let Err(e) = fs::write(&temp, &file.bytes) {
        let _ = fs::remove_file(&temp);
        remove_empty_parents(out, &temp);
        return Err(Error::io(&temp, e));
    }
    Ok((temp, target))
}

/// Deletes a file no longer built, and its folders once they are empty.
fn remove(out: &Path, path: &str) -> Result<()> {
    let target = out.join(path);
    match fs::remove_file(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&target, e)),
    }
    remove_empty_parents(out, &target);
    Ok(())
}

/// Removes the folders above `path` that are now empty, up to `out`.
fn remove_empty_parents(out: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if fs::remove_dir(d).is_err() {
            break; // not empty
        }
        dir = d.parent();
    }
}

/// Puts one file into the staging folder: a hard link to the published
/// file if its bytes are the same (keeping its mtime), else a new file.
/// Returns whether the old file was kept.
/// `out` is `None` when there is no published site to compare with.
fn place(out: Option<&Path>, staging: &Path, file: &OutputFile) -> Result<bool> {
    let target = staging.join(&file.path);
    let previous = out.map(|out| out.join(&file.path));
    if let Some(previous) = previous.filter(|p| same_bytes(p, &file.bytes))
        && fs::hard_link(&previous, &target).is_ok()
    {
        return Ok(true);
    }
    fs::write(&target, &file.bytes).map_err(|e| Error::io(&target, e))?;
    Ok(false)
}

/// Refuses to replace a folder that has content but was not built by plansite.
fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Other(format!(
            "{} exists and is not a folder; choose another --out",
            out.display()
        )));
    }
    let empty = fs::read_dir(out).map_err(|e| Error::io(out, e))?.next().is_none();
    if empty || out.join(MARKER).exists() {
        return Ok(());
    }
    Err(Error::Other(format!(
        "{} has files that plansite did not write (no {MARKER} in it); \
         refusing to replace it: choose an empty or new --out folder",
        out.display()
    )))
}

/// `public` → `.public.staging` in the same parent, so the final rename
/// stays on one file system.
fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{what}"))
}

/// Rejects absolute paths and `..`, which would escape the output folder.
fn safe_relative(path: &str) -> Result<PathBuf> {
    let ok = !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    if ok {
        Ok(PathBuf::from(path))
    } else {
        Err(Error::Other(format!("refusing to write outside the output folder: `{path}`")))
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Files of the old output that the new one (`new`) no longer has.
fn count_removed<'a>(out: &Path, new: impl Iterator<Item = &'a str>) -> usize {
    let new: HashSet<&str> = new.collect();
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
        .filter_map(|e| e.path().strip_prefix(out).ok().map(|p| p.to_string_lossy().replace('\\', "/")))
        .filter(|p| !new.contains(p.as_str()))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(n: usize, version: &str) -> Vec<OutputFile> {
        (0..n).map(|i| OutputFile::new(format!("p/{i}/index.html"), format!("{version} {i}"))).collect()
    }

    #[test]
    fn a_failed_update_leaves_the_folder_exactly_as_it_was() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        let old = site(40, "old");
        write(&out, &old).expect("write");
        let before = snapshot(&out);
        let mut published = Published::of(&old);
        // One file cannot be written (as on a full disk): its temporary
        // name is taken by a folder.
        fs::create_dir_all(out.join("p/17/.index.html.plansite-new/x")).expect("block");
        let mut new = site(40, "new");
        new.push(OutputFile::new("q/new/index.html", "new page"));
        assert!(update(&out, &mut published, &new, &[], None).is_err());
        fs::remove_dir_all(out.join("p/17/.index.html.plansite-new")).expect("unblock");
        assert_eq!(snapshot(&out), before, "no file new, none half-written, no temp left");
    }

    #[test]
    fn readers_holding_the_gate_see_the_old_site_until_they_let_go() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        let old = site(10, "old");
        write(&out, &old).expect("write");
        let gate = std::sync::Arc::new(RwLock::new(()));
        let reading = gate.read().expect("read");
        let (out2, gate2) = (out.clone(), std::sync::Arc::clone(&gate));
        let writer = std::thread::spawn(move || {
            update(&out2, &mut Published::of(&old), &site(10, "new"), &[], Some(&gate2)).is_ok()
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        let seen: Vec<String> = (0..10)
            .map(|i| fs::read_to_string(out.join(format!("p/{i}/index.html"))).expect("read"))
            .collect();
        assert!(seen.iter().all(|s| s.starts_with("old")), "{seen:?}");
        drop(reading);
        assert!(writer.join().expect("join"));
        assert_eq!(fs::read_to_string(out.join("p/3/index.html")).expect("read"), "new 3");
    }

    #[test]
    fn a_failed_write_removes_its_staging_folder() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        write(&out, &site(3, "old")).expect("write");
        let before = snapshot(&out);
        // A file and a folder at the same path cannot both be written.
        let clash = vec![OutputFile::new("a", "file"), OutputFile::new("a/b", "file below")];
        assert!(write(&out, &clash).is_err());
        assert_eq!(snapshot(&out), before);
        let names: Vec<String> = fs::read_dir(tmp.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["public".to_string()], "no staging folder left behind");
    }

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut all: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.expect("walk"))
            .map(|e| {
                let rel = e.path().strip_prefix(dir).expect("prefix").to_string_lossy().into_owned();
                (rel, if e.file_type().is_file() { fs::read(e.path()).expect("read") } else { Vec::new() })
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_relative("vi/index.html").is_ok());
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("a//b").is_err());
    }
}
