//! The staging folder and the swap that publishes it. On Linux the swap is
//! one atomic exchange of the two folders (`renameat2(RENAME_EXCHANGE)`), so
//! at every instant the output path holds a complete site, the old or the
//! new. Elsewhere it is two renames, and [`recover`] puts the old site back
//! if a crash fell between them.

use super::{MARKER, sibling};
use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A staging folder with a name no other build uses; removed when dropped
/// unless it was published.
#[derive(Debug)]
pub struct Staging {
    path: Option<PathBuf>,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        let path = unique(out, "staging");
        fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        Ok(Staging { path: Some(path) })
    }

    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Puts the staged site in `out`'s place and deletes the old one.
    pub fn publish(mut self, out: &Path) -> Result<()> {
        let Some(staging) = self.path.take() else { return Ok(()) };
        let result = swap_in(&staging, out);
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

/// `public` → `.public.staging-<pid>-<n>`: unique per process and call.
fn unique(out: &Path, what: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    sibling(out, &format!("{what}-{}-{n}", std::process::id()))
}

fn swap_in(staging: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| Error::io(out, e));
    }
    match exchange(staging, out) {
        // The old site is now where the staging folder was.
        Ok(()) => fs::remove_dir_all(staging).map_err(|e| Error::io(staging, e)),
        Err(e) if unsupported(&e) => two_renames(staging, out),
        Err(e) => Err(Error::io(out, e)),
    }
}

/// Moves the old output aside, the staging folder into place, and deletes
/// the old one; if the second step fails the old output is put back.
fn two_renames(staging: &Path, out: &Path) -> Result<()> {
    let backup = unique(out, "old");
    fs::rename(out, &backup).map_err(|e| Error::io(out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&backup, out);
        return Err(Error::io(out, e));
    }
    fs::remove_dir_all(&backup).map_err(|e| Error::io(&backup, e))
}

/// Run under the lock before a write: what earlier writers left beside the
/// output (they were killed or failed) is cleaned up, and if one was killed
/// between the two renames of [`two_renames`], its old site is put back.
pub fn recover(out: &Path) -> Result<()> {
    let mut leftovers = leftovers(out);
    if !out.exists() {
        // Newest first: the site that was published last.
        leftovers.sort_by_key(|p| std::cmp::Reverse(fs::metadata(p).and_then(|m| m.modified()).ok()));
        if let Some(old) = leftovers.iter().find(|p| is_old(out, p) && p.join(MARKER).is_file()) {
            fs::rename(old, out).map_err(|e| Error::io(old, e))?;
        }
    }
    for path in leftovers.iter().filter(|p| p.exists()) {
        fs::remove_dir_all(path).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// Staging and old folders of `out` left by earlier writers.
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else { return Vec::new() };
    let name = name.to_string_lossy();
    let prefixes = [format!(".{name}.staging"), format!(".{name}.old")];
    let Ok(entries) = fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent })
    else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            prefixes.iter().any(|p| n == *p || n.starts_with(&format!("{p}-")))
        })
        .map(|e| out.with_file_name(e.file_name()))
        .collect();
    found.sort();
    found
}

fn is_old(out: &Path, path: &Path) -> bool {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!(".{name}.old")))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let cstr = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (cstr(a)?, cstr(b)?);
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if rc == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The file system or kernel cannot exchange two folders.
fn unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, page: &str) {
        fs::create_dir_all(dir).expect("mkdir");
        fs::write(dir.join(MARKER), "").expect("marker");
        fs::write(dir.join("index.html"), page).expect("page");
    }

    #[test]
    fn exchange_leaves_the_new_site_and_removes_the_old() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        site(&out, "old");
        let staging = Staging::new(&out).expect("staging");
        site(staging.path(), "new");
        staging.publish(&out).expect("publish");
        assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "new");
        assert_eq!(fs::read_dir(tmp.path()).expect("ls").count(), 1, "only public/ is left");
    }

    #[test]
    fn a_crash_between_two_renames_is_recovered() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        // As a killed writer leaves it: the old site moved aside, its
        // staging half written, no public/.
        site(&out.with_file_name(".public.old-999-0"), "old");
        fs::create_dir_all(out.with_file_name(".public.staging-999-0/vi")).expect("mkdir");
        recover(&out).expect("recover");
        assert_eq!(fs::read_to_string(out.join("index.html")).expect("read"), "old");
        assert_eq!(fs::read_dir(tmp.path()).expect("ls").count(), 1, "leftovers removed");
    }

    #[test]
    fn a_dropped_staging_folder_is_removed() {
        let tmp = tempfile::tempdir().expect("dir");
        let out = tmp.path().join("public");
        let staging = Staging::new(&out).expect("staging");
        let path = staging.path().to_path_buf();
        assert!(path.is_dir());
        drop(staging);
        assert!(!path.exists());
    }
}
