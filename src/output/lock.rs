//! One writer at a time: an advisory lock on a file beside the output
//! folder (`.public.lock`), held by `build` for a whole build and by
//! `serve` for each rebuild. The operating system drops the lock when its
//! holder exits, even by `kill -9`, so a crash never leaves it stuck.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Held while a process writes an output folder; released on drop.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock on `out`, waiting for another writer to finish.
    /// `waiting` is told once, with the holder's description, if the lock
    /// is taken; `who` describes this process to a later waiter.
    pub fn acquire(out: &Path, who: &str, waiting: &mut dyn FnMut(&str)) -> Result<OutputLock> {
        let path = super::sibling(out, "lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match try_lock(&file) {
            Ok(true) => {}
            Ok(false) => {
                waiting(&format!(
                    "waiting for {} to finish writing {} (lock: {})",
                    holder(&mut file),
                    out.display(),
                    path.display()
                ));
                wait(&file, &path)?;
            }
            Err(e) => return Err(Error::io(&path, e)),
        }
        let mut lock = OutputLock { file, path };
        lock.describe(who)?;
        Ok(lock)
    }

    /// Records who holds the lock, for the message a waiter prints.
    fn describe(&mut self, who: &str) -> Result<()> {
        let text = format!("{who} (pid {})\n", std::process::id());
        let io = |e| Error::io(&self.path, e);
        self.file.set_len(0).map_err(io)?;
        self.file.seek(SeekFrom::Start(0)).map_err(io)?;
        self.file.write_all(text.as_bytes()).map_err(io)
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        // Closing the file releases the lock.
    }
}

/// Blocks until the lock is free, polling so that a signal can still stop
/// the waiting process.
fn wait(file: &File, path: &Path) -> Result<()> {
    loop {
        match try_lock(file) {
            Ok(true) => return Ok(()),
            Ok(false) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::io(path, e)),
        }
    }
}

/// An exclusive `flock` without waiting: `Ok(false)` if another open file
/// holds it. (std's `File::try_lock` needs Rust 1.89; this crate supports 1.85.)
#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: the descriptor belongs to `file`, which is open for the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.kind() == std::io::ErrorKind::WouldBlock { Ok(false) } else { Err(e) }
}

/// Elsewhere there is no lock: one writer at a time is up to the user.
#[cfg(not(unix))]
fn try_lock(_: &File) -> std::io::Result<bool> {
    Ok(true)
}

/// What the holder wrote about itself, or a plain word if it wrote nothing yet.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.take(512).read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() { "another plansite process".to_string() } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_and_learns_who_holds_the_lock() {
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, "plansite serve", &mut |_| panic!("free lock")).expect("first");
        let out2 = out.clone();
        let waiter = std::thread::spawn(move || {
            let mut told = Vec::new();
            let lock = OutputLock::acquire(&out2, "plansite build", &mut |m| told.push(m.to_string()));
            (lock.is_ok(), told)
        });
        std::thread::sleep(Duration::from_millis(300));
        assert!(!waiter.is_finished(), "the second writer waits");
        drop(first);
        let (locked, told) = waiter.join().expect("join");
        assert!(locked);
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(told[0].contains("plansite serve (pid "), "{}", told[0]);
    }
}
