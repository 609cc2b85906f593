//! A build session: the builds `plansite serve` makes one after another.
//! It keeps what the last build made, so that after a plan file changes a
//! rebuild parses only that file, renders only the pages that show what
//! changed (see [`Scope`]) and writes only the files whose bytes changed.
//! Anything else changing (site.toml, agencies, glossary, seeds, theme)
//! makes the next build a full one.
//!
//! A session is a preview: it writes its own output folder, never the
//! published one, and records no change. Its changes pages show the
//! published history, and as pending what `plansite build` would record
//! now ([`crate::changes::Preview`]).

use crate::build::{self, BuildOptions, BuildReport, Memory, Progress};
use crate::error::{Error, Result};
use crate::load::{self, PlanCache};
use crate::model::{Plan, Site};
use crate::output::{self, Published, WriteReport};
use crate::render::Theme;
use crate::resolve::Resolved;
use crate::scope::{self, Listings, Scope};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime};

/// Builds that remember the previous one.
pub struct Session {
    /// `out` is the preview's own folder.
    options: BuildOptions,
    /// The published build's folder (usually `public/`), only ever read.
    published: PathBuf,
    /// Fingerprint of every input but the plan files; `None` before the first build.
    inputs: Option<u128>,
    plans: PlanCache,
    theme: Option<Theme>,
    memory: Memory,
    last: Option<Last>,
    /// Held for writing while a rebuild renames its files into place; a
    /// server holds it for reading while it answers, so no reader sees
    /// half of a rebuild.
    gate: Option<Arc<RwLock<()>>>,
}

/// What the last good build was made of and wrote.
struct Last {
    plans: Vec<Arc<Plan>>,
    report: BuildReport,
    listings: Listings,
    published: Published,
    /// Which output folder it wrote: another session may have swapped in
    /// a new folder.
    folder: Option<Folder>,
    /// Which published build it compared with: `plansite build` run beside
    /// the server publishes a new one, and then everything is compared again.
    baseline: Option<Folder>,
}

impl Session {
    /// A session writing its preview into `options.out` and comparing with
    /// the build published in `published`.
    pub fn new(options: BuildOptions, published: PathBuf) -> Session {
        Session {
            options,
            published,
            inputs: None,
            plans: PlanCache::default(),
            theme: None,
            memory: Memory::remembering(),
            last: None,
            gate: None,
        }
    }

    /// Shares `gate` with a server (see [`output::update`]).
    pub fn with_gate(mut self, gate: Arc<RwLock<()>>) -> Session {
        self.gate = Some(gate);
        self
    }

    /// Builds the site again, redoing only what the changes since the last
    /// build need. A failed build leaves the output as it was.
    pub fn rebuild(&mut self, progress: &mut dyn Progress) -> Result<BuildReport> {
        let started = Instant::now();
        self.options.out = output::target(&self.options.root, &self.options.out)?;
        let inputs = inputs(&self.options)?;
        if self.inputs != Some(inputs) {
            self.forget();
            self.plans = PlanCache::default();
            self.inputs = Some(inputs);
        }
        let site = build::prepare(load::load_cached(&self.options.root, &mut self.plans)?, &self.options)?;
        let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
        progress.stage(
            "load",
            &format!("{} plans, {tasks} tasks, {} agencies", site.plans.len(), site.agencies.len()),
            started.elapsed().as_secs_f64(),
        );
        let result = self.render_and_write(&site, progress, started);
        if result.is_err() {
            // What the caches hold may now be ahead of what was published.
            self.forget();
        }
        result
    }

    fn render_and_write(
        &mut self,
        site: &Site,
        progress: &mut dyn Progress,
        started: Instant,
    ) -> Result<BuildReport> {
        // Held while this rebuild compares with and writes the output.
        let _lock =
            output::OutputLock::acquire(&self.options.out, "plansite serve", &mut |m| progress.note(m))?;
        let theme = match &mut self.theme {
            Some(theme) => theme,
            slot => slot.insert(Theme::load(&self.options.root.join("themes").join(&site.config.theme))?),
        };
        let baseline = folder(&self.published);
        if self.last.as_ref().is_some_and(|l| {
            l.folder.is_none() || l.folder != folder(&self.options.out) || l.baseline != baseline
        }) {
            // The output folder went away or another build replaced it, or
            // a new build was published.
            self.last = None;
        }
        let resolved = Resolved::new(site);
        let listings = scope::listings(&resolved);
        let scope = match &self.last {
            Some(last) => Scope::between(&last.plans, &last.listings, &resolved, &listings),
            None => Scope::all(),
        };
        if scope.is_all() || self.memory.preview.is_none() {
            self.memory.preview = Some(crate::changes::Preview::read(&self.published)?);
        }
        if let Some(last) = self.last.as_ref().filter(|l| scope.is_empty() && same_ids(&l.plans, &site.plans))
        {
            // Saved without a change: the site would be the same bytes.
            let mut report = last.report.clone();
            (report.rendered, report.write) =
                (0, WriteReport { unchanged: report.files, ..WriteReport::default() });
            report.seconds = started.elapsed().as_secs_f64();
            return Ok(report);
        }
        let built = build::render_scoped(
            resolved,
            theme,
            &self.options,
            &scope,
            &mut self.memory,
            progress,
            started,
        )?;
        let mut report = built.report;
        let clock = Instant::now();
        let published = match self.last.take() {
            Some(mut last) => {
                report.write = output::update(
                    &self.options.out,
                    &mut last.published,
                    &built.files,
                    &built.kept,
                    self.gate.as_deref(),
                )?;
                last.published
            }
            None => {
                report.write = output::write(&self.options.out, &built.files)?;
                Published::of(&built.files)
            }
        };
        build::write_stage(progress, report.write, clock);
        let folder = folder(&self.options.out);
        self.last = Some(Last {
            plans: site.plans.clone(),
            report: report.clone(),
            listings,
            published,
            folder,
            baseline,
        });
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Drops what the last build left, so the next one is a full build.
    fn forget(&mut self) {
        self.theme = None;
        self.memory = Memory::remembering();
        self.last = None;
    }
}

/// What tells one output folder from another at the same path: its inode
/// (a full build swaps a new folder in), with its marker file's time.
type Folder = (u64, SystemTime);

fn folder(out: &Path) -> Option<Folder> {
    let marker = std::fs::metadata(out.join(output::MARKER)).and_then(|m| m.modified()).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(out).ok()?);
    #[cfg(not(unix))]
    let inode = 0;
    Some((inode, marker))
}

/// Whether two builds have the same plans in the same order.
fn same_ids(a: &[Arc<Plan>], b: &[Arc<Plan>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.id == b.id)
}

/// A fingerprint of everything a build reads except the plan files: the
/// options, and the bytes of every other file under content/, themes/ and
/// seeds/, leaving out editors' scratch files, so that saving a plan in
/// an editor that writes a swap file beside it stays an incremental build.
fn inputs(options: &BuildOptions) -> Result<u128> {
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    // The date decides task states: a session running past midnight (or
    // given another --today) builds everything again.
    let today = options.today.unwrap_or_else(crate::model::Date::today);
    let settings = format!("{:?}|{}|{}|{today}", options.base_url, options.drafts, options.out.display());
    hash.update(settings.as_bytes());
    for dir in ["content", "themes", "seeds"] {
        let root = options.root.join(dir);
        if !root.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", root.display())))?;
            let rel = entry.path().strip_prefix(&options.root).unwrap_or(entry.path());
            let scratch = load::is_scratch_file(&entry.file_name().to_string_lossy());
            if !entry.file_type().is_file() || scratch || is_plan_file(rel) {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            hash.update(rel.to_string_lossy().as_bytes());
            hash.update(&(bytes.len() as u64).to_le_bytes());
            hash.update(&bytes);
        }
    }
    Ok(hash.digest128())
}

/// `content/plans/*.toml`, which the plan cache follows file by file.
fn is_plan_file(rel: &Path) -> bool {
    rel.parent() == Some(Path::new("content/plans")) && rel.extension().is_some_and(|x| x == "toml")
}
