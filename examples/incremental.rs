//! Times a session's rebuilds (what `plansite serve` does after an edit) on
//! a site of any size, usually a synthetic one:
//!
//!     cargo run --release --example synth -- --plans 100 --tasks-per-plan 200 --out /tmp/synth
//!     cargo run --release --example incremental -- --root /tmp/synth --out /dev/shm/synth-out
//!
//! It makes a full build, then edits one task's title in one plan file at a
//! time (in place, restoring every file at the end), rebuilding after each
//! edit, and prints each time with the median. See docs/benchmark.md.

use plansite::build::{BuildOptions, Progress};
use plansite::session::Session;
use std::path::PathBuf;
use std::time::Instant;

/// As in the binary: `plansite serve` runs with mimalloc, so its rebuilds
/// are timed with it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints each stage's time when `--stages` is given.
struct Stages(bool);

impl Progress for Stages {
    fn stage(&mut self, name: &str, detail: &str, seconds: f64) {
        if self.0 {
            eprintln!("    {name:>8} {:>7.1} ms  {detail}", seconds * 1000.0);
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut root = PathBuf::from("target/synth");
    let mut out = PathBuf::from("/dev/shm/plansite-incremental");
    let mut edits = 7;
    let mut stages = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--root" => root = args.next().ok_or("--root needs a folder")?.into(),
            "--out" => out = args.next().ok_or("--out needs a folder")?.into(),
            "--edits" => edits = args.next().ok_or("--edits needs a number")?.parse()?,
            "--stages" => stages = true,
            _ => return Err(format!("unknown argument {flag}").into()),
        }
    }
    let options = BuildOptions {
        root: root.clone(),
        out,
        base_url: None,
        drafts: true,
        now: Some("2026-01-01T00:00:00Z".into()),
        today: None,
    };
    let mut progress = Stages(stages);
    // Compared with what is published in the synthetic site, if anything.
    let mut session = Session::new(options, root.join("public"));
    let clock = Instant::now();
    let first = session.rebuild(&mut progress)?;
    println!(
        "full build: {} tasks, {} pages, {} files in {:.0} ms",
        first.tasks,
        first.pages,
        first.files,
        clock.elapsed().as_secs_f64() * 1000.0
    );
    let clock = Instant::now();
    let same = session.rebuild(&mut progress)?;
    println!(
        "rebuild, nothing changed: {:.1} ms ({} files written)",
        clock.elapsed().as_secs_f64() * 1000.0,
        same.write.written
    );

    let mut plans: Vec<PathBuf> = std::fs::read_dir(root.join("content/plans"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    plans.sort();
    let mut times = Vec::new();
    for i in 0..edits {
        let path = &plans[(i * 37) % plans.len()];
        let original = std::fs::read_to_string(path)?;
        let edited = edit_one_title(&original, i).ok_or("the plan file has no task title to edit")?;
        std::fs::write(path, edited)?;
        let clock = Instant::now();
        let report = session.rebuild(&mut progress);
        let ms = clock.elapsed().as_secs_f64() * 1000.0;
        std::fs::write(path, &original)?;
        let report = report?;
        println!(
            "one-task edit in {}: {ms:.1} ms ({} pages, {} files written, {} unchanged)",
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            report.pages,
            report.write.written,
            report.write.unchanged
        );
        times.push(ms);
        // Back to the original, so the next edit starts from the same site.
        session.rebuild(&mut Stages(false))?;
    }
    times.sort_by(f64::total_cmp);
    if let Some(median) = times.get(times.len() / 2) {
        println!("one-task rebuild: median {median:.1} ms over {} edits", times.len());
    }
    Ok(())
}

/// The plan file with the title of its middle task changed.
fn edit_one_title(text: &str, n: usize) -> Option<String> {
    let tasks: Vec<usize> = text.match_indices("[[tasks]]").map(|(i, _)| i).collect();
    let start = *tasks.get(tasks.len() / 2)?;
    let marker = "title = { vi = \"";
    let at = start + text[start..].find(marker)? + marker.len();
    Some(format!("{}Sửa lần {n}: {}", &text[..at], &text[at..]))
}
