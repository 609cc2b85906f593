//! The build: load → resolve → render → write, with the stages in order and
//! nothing written unless every stage succeeded.

use crate::error::{Error, Result};
use crate::history::{History, Records};
use crate::model::{Date, Site, Status};
use crate::output::{self, OutputFile, WriteReport};
use crate::render::{self, Theme};
use crate::resolve::Resolved;
use crate::scope::Scope;
use crate::{changes, load, opendata, search};
use std::path::PathBuf;
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
    let started = Instant::now();
    let site = prepare(load::load(&options.root)?, options)?;
    let tasks: usize = site.plans.iter().map(|p| p.tasks.len()).sum();
    progress.stage(
        "load",
        &format!("{} plans, {tasks} tasks, {} agencies", site.plans.len(), site.agencies.len()),
        started.elapsed().as_secs_f64(),
    );
    render_prepared(&site, options, progress, started)
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

/// Makes the outputs that `scope` covers, taking the rest of what they
/// need from `memory`, and updates `memory` for the next build.
pub fn render_scoped(
    mut resolved: Resolved,
    theme: &Theme,
    options: &BuildOptions,
    scope: &Scope,
    memory: &mut Memory,
    progress: &mut dyn Progress,
    started: Instant,
) -> Result<Built> {
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

    let Made { pages, data, data_kept, index, index_seconds } =
        make_in_parallel(&resolved, theme, scope, memory)?;
    let render::Rendered { mut files, mut kept } = pages;
    kept.extend(data_kept);
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    files.extend(data);
    files.extend(changes::files(&resolved, &resolved.history, theme.strings())?);
    let sitemap = memory.sitemap(&site.config.base_url, &render::extras::indexable(&files, &kept));
    files.extend(sitemap);
    let index_bytes: usize = index.iter().map(|f| f.bytes.len()).sum();
    progress.stage("search", &format!("{} index files, {index_bytes} bytes", index.len()), index_seconds);
    files.extend(index);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(pair) = files.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(Error::Other(format!("two outputs want the same path `{}`", pair[0].path)));
    }
    lap(progress, "render", format!("{pages} pages and open data"));

    let report = BuildReport {
        plans: site.plans.len(),
        tasks,
        agencies: site.agencies.len(),
        pages: pages + kept.iter().filter(|p| p.ends_with(".html")).count(),
        rendered: pages,
        files: files.len() + kept.len(),
        write: WriteReport::default(),
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok(Built { files, kept, report })
}

/// Pages, data files and the search index only read the resolved site: they
/// are made together, each reusing its pieces in `memory` outside `scope`.
fn make_in_parallel(resolved: &Resolved, theme: &Theme, scope: &Scope, memory: &mut Memory) -> Result<Made> {
    if scope.is_all() {
        memory.search = search::SearchCache::default();
    }
    let changed = scope.plan_ids(resolved.site);
    let remember = memory.remember;
    let Memory { cards, fragments, search: index, .. } = memory;
    let (pages, (data, index)) = rayon::join(
        || render::render(resolved, theme, scope, remember.then_some(cards)),
        || {
            rayon::join(
                || {
                    let mut kept = Vec::new();
                    opendata::files(resolved, scope, remember.then_some(fragments), &mut kept)
                        .map(|f| (f, kept))
                },
                || {
                    let clock = Instant::now();
                    let files =
                        if remember { index.files(resolved, &changed) } else { search::files(resolved) };
                    (files, clock.elapsed().as_secs_f64())
                },
            )
        },
    );
    let (data, data_kept) = data?;
    let (index, index_seconds) = index;
    Ok(Made { pages: pages?, data, data_kept, index: index?, index_seconds })
}

/// The outputs made in parallel.
struct Made {
    pages: render::Rendered,
    data: Vec<OutputFile>,
    /// Data files kept as they were (agencies outside the scope).
    data_kept: Vec<String>,
    index: Vec<OutputFile>,
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

/// Builds the site and writes it to `options.out`.
pub fn build(options: &BuildOptions, progress: &mut dyn Progress) -> Result<BuildReport> {
    let started = Instant::now();
    let options = &BuildOptions { out: output::target(&options.root, &options.out)?, ..options.clone() };
    // Held from the reading of the last build's history to the swap.
    let _lock = output::OutputLock::acquire(&options.out, "plansite build", &mut |m| progress.note(m))?;
    let (files, mut report) = render_site(options, progress)?;
    let clock = Instant::now();
    report.write = output::write(&options.out, &files)?;
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
