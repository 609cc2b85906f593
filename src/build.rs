//! The build: load → resolve → render → write, with the stages in order and
//! nothing written unless every stage succeeded.

use crate::error::{Error, Result};
use crate::history::{History, Records};
use crate::model::{Date, Site, Status};
use crate::output::{self, Collect, OutputFile, Sink, WriteReport};
use crate::render::{self, Theme};
use crate::resolve::Resolved;
use crate::scope::Scope;
use crate::{changes, load, opendata, search};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Checked options for one build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Publish plans whose status is `draft`.
    pub drafts: bool,
    /// The time this build records in the change history (RFC 3339);
    /// `None` for now (or `SOURCE_DATE_EPOCH`).
    pub now: Option<String>,
    /// The date the build describes ("as of"), which task states are
    /// computed from: `--today`; `None` for `SOURCE_DATE_EPOCH` or the clock.
    pub today: Option<Date>,
}

/// What a build did, for the summary line and for tests.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub plans: usize,
    pub tasks: usize,
    pub agencies: usize,
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered by this build: all of them, unless a session kept
    /// the ones a change did not touch.
    pub rendered: usize,
    pub files: usize,
    pub write: WriteReport,
    pub seconds: f64,
}

/// Progress of a build, reported as each stage finishes.
pub trait Progress {
    fn stage(&mut self, name: &str, detail: &str, seconds: f64);
    /// Something the user should know while waiting (another writer holds
    /// the output).
    fn note(&mut self, _message: &str) {}
}

/// Progress that goes nowhere (`--quiet`, tests).
pub struct Silent;

impl Progress for Silent {
    fn stage(&mut self, _: &str, _: &str, _: f64) {}
}

/// Renders the whole site into memory.
pub fn render_site(
    options: &BuildOptions,
    progress: &mut dyn Progress,
) -> Result<(Vec<OutputFile>, BuildReport)> {
    let collect = Collect::default();
    let report = render_site_into(options, progress, &collect)?;
    Ok((collect.into_files()?, report))
}

/// Loads and renders the whole site into `sink`.
fn render_site_into(
    options: &BuildOptions,
    progress: &mut dyn Progress,
    sink: &dyn Sink,
) -> Result<BuildReport> {
    let started = Instant::now();
    let site = prepare(load::load(&options.root)?, options)?;
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    progress.stage(
        "load",
        &format!("{} plans, {tasks} tasks, {} agencies", site.plans.len(), site.agencies.len()),
        started.elapsed().as_secs_f64(),
    );
    let theme = Theme::load(&options.root.join("themes").join(&site.config.theme))?;
    let mut memory = Memory::default();
    let (_, report) = make_scoped(
        Resolved::new(&site),
        &theme,
        options,
        &Scope::all(),
        &mut memory,
        progress,
        started,
        sink,
    )?;
    Ok(report)
}

/// Applies the options that change what is published: `--base-url`, and
/// whether drafts are in.
pub fn prepare(mut site: Site, options: &BuildOptions) -> Result<Site> {
    if let Some(url) = &options.base_url {
        site.config.base_url = check_base_url(url)?;
    }
    if !(options.drafts || site.config.publish_drafts) {
        site.plans.retain(|p| p.status != Status::Draft);
        let published: std::collections::BTreeSet<String> = site.plans.iter().map(|p| p.id.clone()).collect();
        site.reports.retain(|r| published.contains(&r.plan));
    }
    if let Some(today) = options.today {
        site.today = today;
    }
    let future = load::from_the_future(&site.reports, site.today);
    if !future.is_empty() {
        return Err(Error::Invalid(future));
    }
    Ok(site)
}

/// Everything after loading: resolve, history, pages, data, search, in
/// memory. `started` is when the build began, for the report.
pub fn render_prepared(
    site: &Site,
    options: &BuildOptions,
    progress: &mut dyn Progress,
    started: Instant,
) -> Result<(Vec<OutputFile>, BuildReport)> {
    let theme = Theme::load(&options.root.join("themes").join(&site.config.theme))?;
    let resolved = Resolved::new(site);
    let built =
        render_scoped(resolved, &theme, options, &Scope::all(), &mut Memory::default(), progress, started)?;
    Ok((built.files, built.report))
}

/// What a build can reuse from the previous build of the same session, and
/// leaves for the next: per plan, its task cards, data-file fragments,
/// records and search documents, and a preview's comparison with the
/// published build.
#[derive(Default)]
pub struct Memory {
    /// Whether to keep the pieces for a next build; a one-off build keeps
    /// nothing, so its peak memory is not raised for nothing.
    pub remember: bool,
    pub cards: render::Cards,
    pub fragments: opendata::Fragments,
    pub records: Records,
    pub search: search::SearchCache,
    /// For a preview (`plansite serve`): the published build it compares
    /// with, so that it shows the changes as pending and records none.
    /// `None` for a build, which records its changes in its output.
    pub preview: Option<changes::Preview>,
    /// The sitemap, by a fingerprint of the pages it lists.
    pub sitemap: Option<(u128, Vec<OutputFile>)>,
}

impl Memory {
    /// Memory for a session, which keeps the pieces between builds.
    pub fn remembering() -> Memory {
        Memory { remember: true, ..Memory::default() }
    }

    /// The sitemap of `pages`, made again only if they changed.
    fn sitemap(&mut self, base_url: &str, pages: &[&str]) -> Vec<OutputFile> {
        let mut key = xxhash_rust::xxh3::Xxh3::new();
        key.update(base_url.as_bytes());
        for page in pages {
            key.update(page.as_bytes());
            key.update(b"\n");
        }
        let key = key.digest128();
        match &self.sitemap {
            Some((k, files)) if *k == key => files.clone(),
            _ => {
                let files = render::extras::sitemap_of(base_url, pages);
                self.sitemap = Some((key, files.clone()));
                files
            }
        }
    }
}

/// A build in memory: the files it made, and the paths of the files it
/// left as the previous build wrote them (outside its scope).
pub struct Built {
    pub files: Vec<OutputFile>,
    pub kept: Vec<String>,
    pub report: BuildReport,
}

/// Makes the outputs that `scope` covers, in memory, taking the rest of
/// what they need from `memory`, and updates `memory` for the next build.
pub fn render_scoped(
    resolved: Resolved,
    theme: &Theme,
    options: &BuildOptions,
    scope: &Scope,
    memory: &mut Memory,
    progress: &mut dyn Progress,
    started: Instant,
) -> Result<Built> {
    let collect = Collect::default();
    let (kept, report) = make_scoped(resolved, theme, options, scope, memory, progress, started, &collect)?;
    Ok(Built { files: collect.into_files()?, kept, report })
}

/// Makes the outputs that `scope` covers into `sink`, and returns the
/// paths of the files it kept as the previous build wrote them.
#[allow(clippy::too_many_arguments)]
fn make_scoped(
    mut resolved: Resolved,
    theme: &Theme,
    options: &BuildOptions,
    scope: &Scope,
    memory: &mut Memory,
    progress: &mut dyn Progress,
    started: Instant,
    sink: &dyn Sink,
) -> Result<(Vec<String>, BuildReport)> {
    let mut clock = Instant::now();
    let mut lap = |progress: &mut dyn Progress, name: &str, detail: String| {
        progress.stage(name, &detail, clock.elapsed().as_secs_f64());
        clock = Instant::now();
    };
    let site = resolved.site;
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    let records = opendata::records(&resolved, scope, &memory.records)?;
    resolved.history = history(&resolved, scope, memory, &records, options)?;
    memory.records = if memory.remember { records } else { Records::new() };
    lap(
        progress,
        "resolve",
        format!("agencies, successions, theme; {} changes in the history", resolved.history.changes.len()),
    );

    let tally = Tally::new(sink);
    let Made { mut kept, data_kept, index_files, index_bytes, index_seconds } =
        make_in_parallel(&resolved, theme, scope, memory, &tally)?;
    kept.extend(data_kept);
    tally.put_all(changes::files(&resolved, &resolved.history, theme.strings())?)?;
    let Tally { pages, mut listed, files, .. } = tally;
    let (pages, files) = (pages.into_inner(), files.into_inner());
    let listed = listed.get_mut().unwrap_or_else(|p| p.into_inner());
    listed.extend(kept.iter().filter_map(|p| render::extras::sitemap_path(p, None).map(str::to_string)));
    listed.sort_unstable();
    let listed: Vec<&str> = listed.iter().map(String::as_str).collect();
    let sitemap = memory.sitemap(&site.config.base_url, &listed);
    let files = files + sitemap.len();
    sink.put_all(sitemap)?;
    progress.stage("search", &format!("{index_files} index files, {index_bytes} bytes"), index_seconds);
    lap(progress, "render", format!("{pages} pages and open data"));

    let report = BuildReport {
        plans: site.plans.len(),
        tasks,
        agencies: site.agencies.len(),
        pages: pages + kept.iter().filter(|p| p.ends_with(".html")).count(),
        rendered: pages,
        files: files + kept.len(),
        write: WriteReport::default(),
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((kept, report))
}

/// Passes files on to a sink, counting them and noting the pages the
/// sitemap lists.
struct Tally<'a> {
    sink: &'a dyn Sink,
    files: AtomicUsize,
    pages: AtomicUsize,
    listed: Mutex<Vec<String>>,
}

impl<'a> Tally<'a> {
    fn new(sink: &'a dyn Sink) -> Tally<'a> {
        Tally { sink, files: AtomicUsize::new(0), pages: AtomicUsize::new(0), listed: Mutex::new(Vec::new()) }
    }
}

impl Sink for Tally<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.files.fetch_add(1, Ordering::Relaxed);
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(path) = render::extras::sitemap_path(&file.path, Some(&file.bytes)) {
            self.listed.lock().unwrap_or_else(|p| p.into_inner()).push(path.to_string());
        }
        self.sink.put(file)
    }
}

/// Pages, data files and the search index only read the resolved site: they
/// are made together, each reusing its pieces in `memory` outside `scope`.
fn make_in_parallel(
    resolved: &Resolved,
    theme: &Theme,
    scope: &Scope,
    memory: &mut Memory,
    sink: &dyn Sink,
) -> Result<Made> {
    if scope.is_all() {
        memory.search = search::SearchCache::default();
    }
    let changed = scope.plan_ids(resolved.site);
    let remember = memory.remember;
    let Memory { cards, fragments, search: index, .. } = memory;
    let (kept, (data, index)) = rayon::join(
        || render::render(resolved, theme, scope, remember.then_some(cards), sink),
        || {
            rayon::join(
                || {
                    let mut kept = Vec::new();
                    opendata::files(resolved, scope, remember.then_some(fragments), &mut kept)
                        .and_then(|f| sink.put_all(f))
                        .map(|()| kept)
                },
                || {
                    let clock = Instant::now();
                    let files =
                        if remember { index.files(resolved, &changed) } else { search::files(resolved) };
                    let files = files.and_then(|files| {
                        let summary = (files.len(), files.iter().map(|f| f.bytes.len()).sum::<usize>());
                        sink.put_all(files).map(|()| summary)
                    });
                    (files, clock.elapsed().as_secs_f64())
                },
            )
        },
    );
    let (index, index_seconds) = index;
    let (index_files, index_bytes) = index?;
    Ok(Made { kept: kept?, data_kept: data?, index_files, index_bytes, index_seconds })
}

/// What the outputs made in parallel leave for the report.
struct Made {
    /// Pages kept as they were (outside the scope).
    kept: Vec<String>,
    /// Data files kept as they were (agencies outside the scope).
    data_kept: Vec<String>,
    index_files: usize,
    index_bytes: usize,
    index_seconds: f64,
}

/// The change history after this build. A build compares everything with
/// the previous build's data in its output folder and records what changed;
/// a preview compares with the published build, only the plans that changed
/// (or went) since its last build, and records nothing.
fn history(
    r: &Resolved,
    scope: &Scope,
    memory: &mut Memory,
    records: &Records,
    options: &BuildOptions,
) -> Result<History> {
    let now = options.now.clone().unwrap_or_else(changes::now);
    let reports = changes::report_items(r);
    match &mut memory.preview {
        Some(preview) => {
            let mut only = scope.plan_ids(r.site);
            only.extend(memory.records.keys().filter(|id| !records.contains_key(*id)).cloned());
            Ok(preview.history(records, &reports, (!scope.is_all()).then_some(&only), &now))
        }
        None => Ok(changes::update(changes::Previous::read(&options.out)?, records, &reports, &now)),
    }
}

/// Builds the site and writes it to `options.out`: each file goes into
/// a staging folder as it is made, and the staging folder replaces the
/// output once everything succeeded.
pub fn build(options: &BuildOptions, progress: &mut dyn Progress) -> Result<BuildReport> {
    let started = Instant::now();
    let options = &BuildOptions { out: output::target(&options.root, &options.out)?, ..options.clone() };
    // Held from the reading of the last build's history to the swap.
    let _lock = output::OutputLock::acquire(&options.out, "plansite build", &mut |m| progress.note(m))?;
    let stream = output::Stream::begin(&options.out)?;
    let mut report = render_site_into(options, progress, &stream)?;
    let clock = Instant::now();
    report.write = stream.publish()?;
    write_stage(progress, report.write, clock);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Reports the write stage, which began at `clock`.
pub fn write_stage(progress: &mut dyn Progress, w: WriteReport, clock: Instant) {
    let detail = format!("{} written, {} unchanged, {} removed", w.written, w.unchanged, w.removed);
    progress.stage("write", &detail, clock.elapsed().as_secs_f64());
}

/// A `--base-url`, checked as site.toml's is ([`crate::text::base_url`]).
pub fn check_base_url(url: &str) -> Result<String> {
    crate::text::base_url(url)
        .map_err(|why| Error::Other(format!("--base-url {why}; write it like https://plans.example.org/")))
}
