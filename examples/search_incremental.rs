//! Times the search index of a one-task edit in a `plansite serve` session
//! against a full rebuild of the index:
//!
//!     cargo run --release --example synth -- --plans 100 --tasks-per-plan 200 --out /tmp/s20k
//!     cargo run --release --example search_incremental -- /tmp/s20k [runs] [edits]
//!
//! Prints the median of `runs` (default 7) for a full `search::files` and
//! the first `SearchCache::files`, and of `edits` (default `runs`) for
//! `SearchCache::files` after one task title changed in one plan; checks
//! the last result equals a full build.

use plansite::build::{BuildOptions, prepare};
use plansite::resolve::Resolved;
use plansite::search::{self, SearchCache};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

/// As in the binary: the session runs with mimalloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/s20k".to_string()));
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(7);
    let edits: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(runs);
    let options = BuildOptions {
        root: root.clone(),
        out: root.join("public"),
        base_url: None,
        drafts: false,
        now: None,
        today: None,
    };
    let site = prepare(plansite::load::load(&root)?, &options)?;
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    let threads = rayon::current_num_threads();
    println!("{}: {} plans, {tasks} tasks, {runs} runs, {threads} threads", root.display(), site.plans.len());

    let resolved = Resolved::new(&site);
    let full = median(runs, || timed(|| search::files(&resolved)).map(|(t, _)| t))?;
    let first =
        median(runs, || timed(|| SearchCache::default().files(&resolved, &BTreeSet::new())).map(|(t, _)| t))?;

    let mut cache = SearchCache::default();
    cache.files(&resolved, &BTreeSet::new())?;
    let plan = site.plans.len() / 2;
    let Some(in_plan) = site.plans.get(plan).map(|p| p.tasks.len()).filter(|&n| n > 0) else {
        return Err("the site needs a plan with tasks to edit".into());
    };
    let changed = BTreeSet::from([site.plans[plan].id.clone()]);
    let mut edited = site.clone();
    let mut last = None;
    let mut run = 0;
    let one_task = median(edits, || {
        run += 1;
        let task = &mut std::sync::Arc::make_mut(&mut edited.plans[plan]).tasks[run % in_plan];
        task.title.vi.push_str(" chỉnh sửa");
        if let Some(en) = &mut task.title.en {
            en.push_str(" edited");
        }
        let resolved = Resolved::new(&edited);
        let (time, files) = timed(|| cache.files(&resolved, &changed))?;
        last = Some(files);
        Ok(time)
    })?;
    let same = last == Some(search::files(&Resolved::new(&edited))?);

    println!("                                 wall ms   cpu ms (all threads)");
    for (name, t) in [
        ("full search::files", full),
        ("first SearchCache::files", first),
        ("one task changed, cached", one_task),
    ] {
        println!("{name:<30} {:>9.1} {:>8.1}", t.wall * 1e3, t.cpu * 1e3);
    }
    println!("cached result equals a full build: {same}");
    if !same {
        return Err("the cached index differs from a full build".into());
    }
    Ok(())
}

/// Wall and CPU seconds of one call.
#[derive(Clone, Copy)]
struct Time {
    wall: f64,
    cpu: f64,
}

fn timed<T>(f: impl FnOnce() -> plansite::Result<T>) -> plansite::Result<(Time, T)> {
    let (clock, cpu) = (Instant::now(), cpu_seconds());
    let value = f()?;
    Ok((Time { wall: clock.elapsed().as_secs_f64(), cpu: cpu_seconds() - cpu }, value))
}

/// CPU time of every thread of this process so far, from Linux's
/// schedstat (nanoseconds on a CPU): a shared machine's other work does not
/// count. 0 where it cannot be read.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0.0 };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e9
}

/// The median of `runs` timings, wall and CPU each (none: NaN).
fn median(
    runs: usize,
    mut time: impl FnMut() -> plansite::Result<Time>,
) -> Result<Time, Box<dyn std::error::Error>> {
    let times = (0..runs).map(|_| time()).collect::<plansite::Result<Vec<Time>>>()?;
    let mid = |f: fn(&Time) -> f64| {
        let mut v: Vec<f64> = times.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    Ok(Time { wall: mid(|t| t.wall), cpu: mid(|t| t.cpu) })
}
