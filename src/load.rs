//! Reads `content/` into the validated [`Site`] model. Every problem in every
//! file is collected, with its file and line, before anything is rejected.

pub(crate) mod controls;
mod depth;
mod progress;

pub use progress::from_the_future;

use crate::deadline::Context;
use crate::deadline::Deadline;
use crate::error::{Diagnostic, Error, Result, line_of};
use crate::glossary::{Glossary, key};
use crate::model::*;
use crate::text::{Text, is_slug};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Plans already checked by an earlier load of the same site, by file, so
/// that a long-lived session re-parses only the plan files that changed.
/// An entry is only valid while everything a plan is checked against
/// (registries, glossary, seeds) is unchanged: whoever keeps a cache drops
/// it when those change.
#[derive(Debug, Default)]
pub struct PlanCache {
    plans: HashMap<PathBuf, (String, Arc<Plan>)>,
}

impl PlanCache {
    fn get(&self, rel: &Path, text: &str) -> Option<Arc<Plan>> {
        self.plans.get(rel).filter(|(t, _)| t == text).map(|(_, p)| Arc::clone(p))
    }
}

/// A plan file: checked before and unchanged, or parsed now.
enum PlanFile {
    Cached(PathBuf, Arc<Plan>),
    Parsed(Box<Parsed<RawPlan>>),
}

/// Files that are never content, whatever folder they are in: hidden
/// files, and the swap, backup and lock files editors leave beside the
/// file being edited (`.plan.toml.swp`, `plan.toml~`, `#plan.toml#`).
pub fn is_scratch_file(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~')
}

/// Loads and validates the site under `root`.
pub fn load(root: &Path) -> Result<Site> {
    load_cached(root, &mut PlanCache::default())
}

/// Loads like [`load`], taking unchanged plan files from `cache` and
/// putting the newly checked ones in it.
pub fn load_cached(root: &Path, cache: &mut PlanCache) -> Result<Site> {
    let mut diags = Vec::new();
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Invalid(vec![
            Diagnostic::new(&content, None, "no content folder here")
                .hint("run plansite in a site folder, or pass --root DIR"),
        ]));
    }
    let glossary = match Glossary::load(root) {
        Ok(g) => g,
        Err(Error::Invalid(d)) => {
            diags.extend(d);
            Glossary::default()
        }
        Err(e) => return Err(e),
    };
    let mut files = Files { root, diags: &mut diags };
    let config = files.site_config();
    let registries = files.parse_dir::<RawRegistry>("content/agencies");
    let plan_files = files.plan_files(cache);
    let report_files = files.report_files();

    let mut checker = Checker::new(root, &mut diags, &glossary);
    let (jurisdictions, agencies) = checker.registries(registries);
    let plans = checker.plans(plan_files, cache);
    let reports = checker.reports(report_files, &plans);

    plan_aliases_are_unique(&plans, &mut diags);
    diags.sort();
    diags.dedup();
    match config {
        Some(config) if diags.is_empty() => {
            let today = Date::today();
            Ok(Site {
                root: root.to_path_buf(),
                config,
                jurisdictions,
                agencies,
                plans,
                glossary,
                reports,
                today,
            })
        }
        _ => Err(Error::Invalid(diags)),
    }
}

// ---------------------------------------------------------------------------
// Raw TOML shapes. `deny_unknown_fields` turns typos into errors.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: Text,
    description: Option<Text>,
    base_url: String,
    theme: Option<String>,
    #[serde(default)]
    publish_drafts: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    jurisdiction: RawJurisdiction,
    #[serde(default)]
    agencies: Vec<Spanned<RawAgency>>,
    #[serde(default)]
    groups: Vec<Spanned<RawAgency>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJurisdiction {
    name: Text,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    id: Spanned<String>,
    name: Text,
    #[serde(default)]
    aliases: Vec<String>,
    kind: Option<Spanned<String>>,
    succeeded_by: Option<RawSuccession>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuccession {
    agency: Spanned<String>,
    date: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    number: Option<String>,
    date: Option<Spanned<String>>,
    year: Option<i32>,
    jurisdiction: Spanned<String>,
    issuer: Text,
    status: Status,
    source: Option<Spanned<String>>,
    title: Text,
    short_name: Option<Text>,
    #[serde(default)]
    implements: Vec<String>,
    signer: Option<RawSigner>,
    #[serde(default)]
    sections: Vec<Spanned<RawSection>>,
    #[serde(default)]
    objectives: Vec<RawObjective>,
    #[serde(default)]
    indicator_groups: Vec<RawHeading>,
    #[serde(default)]
    indicators: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    headings: Vec<RawHeading>,
    #[serde(default)]
    tasks: Vec<Spanned<RawTask>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "issued" => Ok(Status::Issued),
            "draft" => Ok(Status::Draft),
            other => Err(serde::de::Error::custom(format!(
                "unknown status `{other}`, expected `issued` or `draft`"
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigner {
    name: String,
    role: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    number: Option<String>,
    heading: Text,
    body: Text,
    line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    text: Text,
    line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeading {
    number: String,
    title: Text,
    line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    number: String,
    group: Option<Spanned<String>>,
    name: Text,
    unit: Text,
    target: Text,
    horizon: Option<Text>,
    #[serde(default)]
    monitors: Vec<Spanned<String>>,
    line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Spanned<String>,
    number: String,
    heading: Option<Spanned<String>>,
    title: Text,
    detail: Option<Text>,
    #[serde(default)]
    lead: Vec<Spanned<String>>,
    #[serde(default)]
    support: Vec<Spanned<String>>,
    output: Option<Text>,
    deadline: Option<Text>,
    note: Option<Text>,
    line: Option<usize>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    unresolved: Vec<String>,
}

// ---------------------------------------------------------------------------
// Reading files.

/// A parsed file: its path relative to the root, its text, its value.
struct Parsed<T> {
    rel: PathBuf,
    text: String,
    stem: String,
    value: T,
}

struct Files<'a> {
    root: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
}

impl Files<'_> {
    fn site_config(&mut self) -> Option<SiteConfig> {
        let parsed = self.parse::<RawSite>(Path::new("content/site.toml"))?;
        let raw = parsed.value;
        let line = parsed.text.lines().position(|l| l.trim_start().starts_with("base_url")).map(|i| i + 1);
        let base_url = crate::text::base_url(&raw.base_url).unwrap_or_else(|why| {
            self.diags.push(
                Diagnostic::new(&parsed.rel, line, format!("base_url {why}"))
                    .hint("write it like \"https://plans.example.org\""),
            );
            String::new()
        });
        Some(SiteConfig {
            title: raw.title,
            description: raw.description,
            base_url,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            publish_drafts: raw.publish_drafts,
        })
    }

    /// Every `*.toml` in `dir`, sorted by name, parsed; bad files become diagnostics.
    fn parse_dir<T: for<'de> Deserialize<'de> + Send>(&mut self, dir: &str) -> Vec<Parsed<T>> {
        let root = self.root;
        let rels = self.toml_files(dir);
        // Parsing is most of loading and files are independent: in parallel.
        let results: Vec<Result<Parsed<T>, Diagnostic>> =
            rels.par_iter().map(|rel| parse(root, rel)).collect();
        self.keep_ok(results)
    }

    /// The plan files, parsed unless `cache` has them with the same text.
    fn plan_files(&mut self, cache: &PlanCache) -> Vec<PlanFile> {
        let root = self.root;
        let rels = self.toml_files("content/plans");
        let results: Vec<Result<PlanFile, Diagnostic>> = rels
            .par_iter()
            .map(|rel| {
                let text = read_text(root, rel)?;
                match cache.get(rel, &text) {
                    Some(plan) => Ok(PlanFile::Cached(rel.clone(), plan)),
                    None => parse_text(rel, text).map(|p| PlanFile::Parsed(Box::new(p))),
                }
            })
            .collect();
        self.keep_ok(results)
    }

    fn keep_ok<T>(&mut self, results: Vec<Result<T, Diagnostic>>) -> Vec<T> {
        let mut kept = Vec::new();
        for result in results {
            match result {
                Ok(p) => kept.push(p),
                Err(d) => self.diags.push(d),
            }
        }
        kept
    }

    /// Every `*.toml` in `dir`, relative to the root, sorted by name.
    fn toml_files(&mut self, dir: &str) -> Vec<PathBuf> {
        let abs = self.root.join(dir);
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&abs) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter(|p| !p.file_name().is_some_and(|n| is_scratch_file(&n.to_string_lossy())))
                .collect(),
            Err(e) => {
                self.diags.push(Diagnostic::new(dir, None, format!("cannot read the folder: {e}")));
                return Vec::new();
            }
        };
        paths.sort();
        let root = self.root;
        paths.iter().filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf)).collect()
    }

    fn parse<T: for<'de> Deserialize<'de> + Send>(&mut self, rel: &Path) -> Option<Parsed<T>> {
        parse(self.root, rel).map_err(|d| self.diags.push(d)).ok()
    }
}

/// Reads and parses one TOML file; a problem becomes a diagnostic.
fn parse<T: for<'de> Deserialize<'de> + Send>(root: &Path, rel: &Path) -> Result<Parsed<T>, Diagnostic> {
    parse_text(rel, read_text(root, rel)?)
}

fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes =
        std::fs::read(root.join(rel)).map_err(|e| Diagnostic::new(rel, None, format!("cannot read: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| Diagnostic::new(rel, None, "not UTF-8 text").hint("save the file as UTF-8"))
}

fn parse_text<T: for<'de> Deserialize<'de>>(rel: &Path, text: String) -> Result<Parsed<T>, Diagnostic> {
    if let Some(problem) = controls::check(rel, &text) {
        return Err(problem);
    }
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match toml::from_str::<T>(&text) {
        Ok(value) => Ok(Parsed { rel: rel.to_path_buf(), text, stem, value }),
        Err(e) => {
            let line = e.span().map(|s| line_of(&text, s.start));
            Err(Diagnostic::new(rel, line, e.message().trim().to_string())
                .hint("see docs/content.md for the format"))
        }
    }
}

// ---------------------------------------------------------------------------
// Validation and conversion into the model.

/// Where a known agency id was defined, for duplicate reports and hints.
struct Known {
    file: PathBuf,
    line: usize,
    names: Vec<String>,
}

struct Checker<'a> {
    root: &'a Path,
    diags: &'a mut Vec<Diagnostic>,
    glossary: &'a Glossary,
    /// English agency names by any of their Vietnamese names, for
    /// deadlines like "Sau khi có hướng dẫn của Bộ …".
    english_names: BTreeMap<String, String>,
    agencies: BTreeMap<String, Known>,
    jurisdictions: BTreeSet<String>,
}

/// The file being checked, to turn spans into lines.
struct At<'a> {
    rel: &'a Path,
    text: &'a str,
}

impl At<'_> {
    fn diag(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.rel, Some(line_of(self.text, span.start)), message)
    }
}

impl<'a> Checker<'a> {
    fn new(root: &'a Path, diags: &'a mut Vec<Diagnostic>, glossary: &'a Glossary) -> Self {
        Checker {
            root,
            diags,
            glossary,
            english_names: BTreeMap::new(),
            agencies: BTreeMap::new(),
            jurisdictions: BTreeSet::new(),
        }
    }

    fn slug(&mut self, at: &At, id: &Spanned<String>, what: &str) -> bool {
        if is_slug(id.get_ref()) {
            return true;
        }
        self.diags.push(
            at.diag(id.span(), format!("{what} id `{}` is not a slug", id.get_ref()))
                .hint("use lowercase ASCII letters, digits and single hyphens, like `hue-so-khcn`"),
        );
        false
    }

    fn registries(&mut self, files: Vec<Parsed<RawRegistry>>) -> (Vec<Jurisdiction>, Vec<Agency>) {
        let mut jurisdictions = Vec::new();
        let mut agencies = Vec::new();
        let mut successions = Vec::new();
        for file in &files {
            let at = At { rel: &file.rel, text: &file.text };
            if !is_slug(&file.stem) {
                self.diags.push(
                    Diagnostic::new(
                        &file.rel,
                        None,
                        format!("jurisdiction id `{}` (the file name) is not a slug", file.stem),
                    )
                    .hint("rename the file, e.g. content/agencies/hue.toml"),
                );
            }
            self.jurisdictions.insert(file.stem.clone());
            jurisdictions.push(Jurisdiction {
                id: file.stem.clone(),
                name: file.value.jurisdiction.name.clone(),
                aliases: file.value.jurisdiction.aliases.clone(),
            });
            let entries = file.value.agencies.iter().map(|a| (a, false));
            let entries = entries.chain(file.value.groups.iter().map(|g| (g, true)));
            for (raw, is_group) in entries {
                if let Some(agency) = self.agency(&at, &file.stem, raw, is_group) {
                    if let Some(s) = &raw.get_ref().succeeded_by {
                        successions.push((file.rel.clone(), file.text.as_str(), agencies.len(), s));
                    }
                    agencies.push(agency);
                }
            }
        }
        for (rel, text, index, raw) in successions {
            let at = At { rel: &rel, text };
            let date = Date::parse_iso(raw.date.get_ref());
            if date.is_none() {
                self.diags.push(
                    at.diag(raw.date.span(), format!("`{}` is not a date", raw.date.get_ref()))
                        .hint("write dates as YYYY-MM-DD"),
                );
            }
            let known = self.reference(&at, &raw.agency);
            if let (Some(date), true) = (date, known) {
                agencies[index].succeeded_by =
                    Some(Succession { agency: raw.agency.get_ref().clone(), date });
            }
        }
        agencies.sort_by(|a, b| a.id.cmp(&b.id));
        (jurisdictions, agencies)
    }

    fn agency(
        &mut self,
        at: &At,
        jurisdiction: &str,
        raw: &Spanned<RawAgency>,
        is_group: bool,
    ) -> Option<Agency> {
        let a = raw.get_ref();
        let id = a.id.get_ref();
        let ok = self.slug(at, &a.id, "agency");
        let line = line_of(at.text, a.id.span().start);
        if let Some(prev) = self.agencies.get(id) {
            self.diags.push(at.diag(a.id.span(), format!("agency id `{id}` is defined twice")).hint(
                format!("the first is at {}:{}; give one of them another id", prev.file.display(), prev.line),
            ));
            return None;
        }
        let kind = match (&a.kind, is_group) {
            (Some(k), false) if !Agency::KINDS.contains(&k.get_ref().as_str()) => {
                self.diags.push(
                    at.diag(k.span(), format!("agency `{id}` has unknown kind `{}`", k.get_ref()))
                        .hint(format!("use one of: {}", Agency::KINDS.join(", "))),
                );
                return None;
            }
            (Some(k), false) => k.get_ref().clone(),
            (None, true) => "group".to_string(),
            (None, false) => {
                self.diags.push(at.diag(raw.span(), format!("agency `{id}` has no `kind`")).hint(
                    "add kind = \"department\" (or office, police, university, …; see docs/content.md)",
                ));
                return None;
            }
            (Some(k), true) => {
                self.diags.push(
                    at.diag(k.span(), format!("group `{id}` has a `kind`"))
                        .hint("groups are collective assignees and have no kind; remove it"),
                );
                return None;
            }
        };
        let mut names = a.aliases.clone();
        names.push(a.name.vi.clone());
        if let Some(en) = &a.name.en {
            for name in &names {
                self.english_names.insert(key(name), en.clone());
            }
        }
        self.agencies.insert(id.clone(), Known { file: at.rel.to_path_buf(), line, names });
        ok.then(|| Agency {
            id: id.clone(),
            jurisdiction: jurisdiction.to_string(),
            name: a.name.clone(),
            aliases: a.aliases.clone(),
            kind,
            succeeded_by: None,
        })
    }

    /// Checks that an agency reference names a known agency or group.
    fn reference(&mut self, at: &At, r: &Spanned<String>) -> bool {
        let id = r.get_ref();
        if self.agencies.contains_key(id) {
            return true;
        }
        let hint = self.suggest(id);
        self.diags.push(at.diag(r.span(), format!("unknown agency `{id}`")).hint(hint));
        false
    }

    fn suggest(&self, unknown: &str) -> String {
        let folded = unknown.to_lowercase();
        if let Some((id, _)) =
            self.agencies.iter().find(|(_, k)| k.names.iter().any(|n| n.to_lowercase() == folded))
        {
            return format!("`{unknown}` is a name of `{id}`: refer to agencies by id");
        }
        let closest = self
            .agencies
            .keys()
            .map(|id| (strsim::levenshtein(unknown, id), id))
            .filter(|(d, _)| *d <= 3)
            .min();
        match closest {
            Some((_, id)) => format!("did you mean `{id}`?"),
            None => "add the agency to a file in content/agencies/, or fix the id".to_string(),
        }
    }

    /// Checks the plans that were parsed now and caches those without
    /// problems; takes the others from the cache as they were.
    fn plans(&mut self, files: Vec<PlanFile>, cache: &mut PlanCache) -> Vec<Arc<Plan>> {
        let mut plans = Vec::new();
        let mut fresh = HashMap::new();
        for file in files {
            match file {
                PlanFile::Cached(rel, plan) => {
                    if let Some(entry) = cache.plans.remove(&rel) {
                        fresh.insert(rel, entry);
                    }
                    plans.push(plan);
                }
                PlanFile::Parsed(parsed) => {
                    let before = self.diags.len();
                    let (rel, text) = (parsed.rel.clone(), parsed.text.clone());
                    if let Some(plan) = self.plan(*parsed).map(Arc::new) {
                        if self.diags.len() == before {
                            fresh.insert(rel, (text, Arc::clone(&plan)));
                        }
                        plans.push(plan);
                    }
                }
            }
        }
        cache.plans = fresh; // files that are gone leave the cache
        plans
    }

    fn plan(&mut self, file: Parsed<RawPlan>) -> Option<Plan> {
        let at = At { rel: &file.rel, text: &file.text };
        let raw = file.value;
        let id = file.stem.clone();
        let mut ok = true;
        if !is_slug(&id) {
            self.diags.push(
                Diagnostic::new(&file.rel, None, format!("plan id `{id}` (the file name) is not a slug"))
                    .hint("rename the file to lowercase ASCII letters, digits and hyphens"),
            );
            ok = false;
        }
        if !self.jurisdictions.contains(raw.jurisdiction.get_ref()) {
            self.diags.push(
                at.diag(
                    raw.jurisdiction.span(),
                    format!("unknown jurisdiction `{}`", raw.jurisdiction.get_ref()),
                )
                .hint("it must name a file in content/agencies/ (without .toml)"),
            );
            ok = false;
        }
        let date = raw.date.as_ref().and_then(|d| {
            let parsed = Date::parse_iso(d.get_ref());
            if parsed.is_none() {
                self.diags.push(
                    at.diag(d.span(), format!("`{}` is not a date", d.get_ref()))
                        .hint("write dates as YYYY-MM-DD"),
                );
            }
            parsed
        });
        let source = raw.source.as_ref().and_then(|s| self.source(&at, s));
        let source_lines = source.as_ref().map(|s| s.text.lines().count());
        let headings: BTreeSet<&str> = raw.headings.iter().map(|h| h.number.as_str()).collect();
        let groups: BTreeSet<&str> = raw.indicator_groups.iter().map(|h| h.number.as_str()).collect();

        let mut seen = BTreeMap::new();
        for s in &raw.sections {
            ok &= self.shallow(&at, s.span(), &s.get_ref().body, "this section's body");
            ok &= self.slug(&at, &s.get_ref().id, "section");
            ok &= self.unique(&at, &mut seen, &s.get_ref().id, "section");
        }
        let mut indicators = Vec::new();
        for raw_ind in &raw.indicators {
            let i = raw_ind.get_ref();
            for m in &i.monitors {
                ok &= self.reference(&at, m);
            }
            ok &= self.known_number(&at, i.group.as_ref(), &groups, "indicator group", "indicator_groups");
            self.line_in_source(&at, raw_ind.span(), i.line, source_lines);
            indicators.push(Indicator {
                number: i.number.clone(),
                group: i.group.as_ref().map(|g| g.get_ref().clone()),
                name: i.name.clone(),
                unit: i.unit.clone(),
                target: i.target.clone(),
                horizon: i.horizon.clone(),
                monitors: i.monitors.iter().map(|m| m.get_ref().clone()).collect(),
                line: i.line,
            });
        }

        // The year a one-year plan covers: "Tháng 1-12" means months of it.
        let year = raw.year.or(date.map(|d: Date| d.year));
        let mut task_ids = BTreeMap::new();
        let mut tasks = Vec::new();
        for raw_task in &raw.tasks {
            let t = raw_task.get_ref();
            ok &= self.slug(&at, &t.id, "task");
            ok &= self.unique(&at, &mut task_ids, &t.id, "task");
            for alias in &t.aliases {
                ok &= self.slug(&at, alias, "task alias");
                ok &= self.unique(&at, &mut task_ids, alias, "task");
            }
            if let Some(detail) = &t.detail {
                ok &= self.shallow(&at, raw_task.span(), detail, "this task's detail");
            }
            // A task the plan assigns to nobody has no lead: its page says
            // so, and `check` counts such tasks.
            for r in t.lead.iter().chain(&t.support) {
                ok &= self.reference(&at, r);
            }
            ok &= self.known_number(&at, t.heading.as_ref(), &headings, "heading", "headings");
            self.line_in_source(&at, raw_task.span(), t.line, source_lines);
            tasks.push(Task {
                id: t.id.get_ref().clone(),
                number: t.number.clone(),
                heading: t.heading.as_ref().map(|h| h.get_ref().clone()),
                title: t.title.clone(),
                detail: t.detail.clone(),
                lead: t.lead.iter().map(|r| r.get_ref().clone()).collect(),
                support: t.support.iter().map(|r| r.get_ref().clone()).collect(),
                output: t.output.clone(),
                deadline: t.deadline.as_ref().map(|d| {
                    let names = &self.english_names;
                    let ctx = Context {
                        plan_year: year,
                        glossary: self.glossary,
                        agency_en: &|name: &str| names.get(&key(name)).cloned(),
                    };
                    Deadline::understand(&d.vi, d.en.clone(), &ctx)
                }),
                note: t.note.clone(),
                line: t.line,
                aliases: t.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                unresolved: t.unresolved.clone(),
            });
        }
        for a in &raw.aliases {
            ok &= self.slug(&at, a, "plan alias");
        }
        for s in &raw.sections {
            let s = s.get_ref();
            self.line_in_source(&at, s.id.span(), s.line, source_lines);
        }
        let glossary = self.glossary;
        ok.then(|| Plan {
            id,
            number: raw.number.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            date,
            jurisdiction: raw.jurisdiction.into_inner(),
            issuer: raw.issuer,
            status: raw.status,
            source,
            title: raw.title,
            short_name: raw.short_name,
            implements: raw.implements,
            signer: raw.signer.map(|s| Signer { name: s.name, role: s.role }),
            sections: raw.sections.into_iter().map(Spanned::into_inner).map(section).collect(),
            objectives: raw
                .objectives
                .into_iter()
                .map(|o| Objective { text: o.text, line: o.line })
                .collect(),
            indicator_groups: raw.indicator_groups.into_iter().map(heading).collect(),
            indicators,
            headings: raw.headings.into_iter().map(heading).collect(),
            tasks,
            aliases: raw.aliases.into_iter().map(Spanned::into_inner).collect(),
            glossary_filled: 0,
        })
        .map(|mut plan| {
            plan.glossary_filled = fill_english(&mut plan, glossary);
            plan
        })
    }

    fn unique(
        &mut self,
        at: &At,
        seen: &mut BTreeMap<String, usize>,
        id: &Spanned<String>,
        what: &str,
    ) -> bool {
        // Offsets, not lines: counting lines for every id would be quadratic.
        if let Some(first) = seen.insert(id.get_ref().clone(), id.span().start) {
            let first = line_of(at.text, first);
            self.diags.push(
                at.diag(id.span(), format!("{what} id `{}` is used twice", id.get_ref()))
                    .hint(format!("the first is on line {first}; ids must be unique within a plan")),
            );
            return false;
        }
        true
    }

    /// Checks that a reference to a heading or indicator group names one
    /// the plan defines.
    fn known_number(
        &mut self,
        at: &At,
        number: Option<&Spanned<String>>,
        known: &BTreeSet<&str>,
        what: &str,
        table: &str,
    ) -> bool {
        match number {
            Some(n) if !known.contains(n.get_ref().as_str()) => {
                self.diags.push(
                    at.diag(n.span(), format!("unknown {what} `{}`", n.get_ref()))
                        .hint(format!("add a [[{table}]] entry with that number")),
                );
                false
            }
            _ => true,
        }
    }

    /// Refuses Markdown nested deeper than [`depth::MAX_DEPTH`], which would
    /// make rendering slow (see [`depth`]).
    fn shallow(&mut self, at: &At, span: Range<usize>, text: &Text, what: &str) -> bool {
        let deepest = [Some(&text.vi), text.en.as_ref()].into_iter().flatten().map(|t| depth::depth(t)).max();
        match deepest {
            Some(d) if d > depth::MAX_DEPTH => {
                self.diags.push(
                    at.diag(span, format!("{what} nests {d} levels deep (quotes, lists or HTML elements)"))
                        .hint(format!("at most {} levels are allowed; flatten it", depth::MAX_DEPTH)),
                );
                false
            }
            _ => true,
        }
    }

    fn source(&mut self, at: &At, s: &Spanned<String>) -> Option<SourceDoc> {
        let path = s.get_ref();
        let abs = match confined_source(self.root, path) {
            Ok(abs) => abs,
            Err(problem) => {
                self.diags.push(at.diag(s.span(), format!("the source document `{path}` {problem}")).hint(
                    "source is a file in the site's seeds/ folder, written relative to the root, \
                     like seeds/002_….txt; only files there are published",
                ));
                return None;
            }
        };
        match std::fs::read(&abs) {
            Ok(bytes) => Some(SourceDoc {
                path: path.replace('\\', "/"),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            Err(e) => {
                self.diags.push(
                    at.diag(s.span(), format!("cannot read the source document `{path}`: {e}"))
                        .hint("source is a path relative to the site root, like seeds/002_….txt"),
                );
                None
            }
        }
    }

    fn line_in_source(&mut self, at: &At, span: Range<usize>, line: Option<usize>, lines: Option<usize>) {
        if let (Some(line), Some(lines)) = (line, lines) {
            if line == 0 || line > lines {
                self.diags.push(
                    at.diag(span, format!("line {line} is outside the source document ({lines} lines)"))
                        .hint("`line` is the 1-based line in the file named by `source`"),
                );
            }
        }
    }
}

/// The real path of a plan's `source`, which must be a file inside the
/// root's `seeds/` once symlinks are resolved: the source page publishes
/// the file, so a path out of the root (`/etc/passwd`, `../`, a symlink)
/// would publish whatever it names.
fn confined_source(root: &Path, path: &str) -> std::result::Result<PathBuf, String> {
    let rel = Path::new(path);
    if rel.is_absolute() || path.starts_with(['/', '\\']) {
        return Err("is an absolute path".into());
    }
    if rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
        return Err("contains `..` or `.`".into());
    }
    if !rel.starts_with("seeds") {
        return Err("is not in seeds/".into());
    }
    let seeds =
        std::fs::canonicalize(root.join("seeds")).map_err(|e| format!("cannot be read: seeds/: {e}"))?;
    let real = std::fs::canonicalize(root.join(rel)).map_err(|e| format!("cannot be read: {e}"))?;
    if !real.starts_with(&seeds) {
        return Err(format!("leads out of seeds/ (to {})", real.display()));
    }
    if !real.is_file() {
        return Err("is not a file".into());
    }
    Ok(real)
}

/// A plan alias keeps an old URL alive, so it may not be another plan's id
/// or alias.
fn plan_aliases_are_unique(plans: &[Arc<Plan>], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &str> = plans.iter().map(|p| (p.id.as_str(), p.id.as_str())).collect();
    for plan in plans {
        for alias in &plan.aliases {
            if let Some(owner) = seen.insert(alias, &plan.id) {
                diags.push(
                    Diagnostic::new(
                        format!("content/plans/{}.toml", plan.id),
                        None,
                        format!("plan alias `{alias}` is already used by plan `{owner}`"),
                    )
                    .hint("an alias is a former id of this plan; it must not name another plan"),
                );
            }
        }
    }
}

/// Gives formulaic fields without English their glossary English (units,
/// shared section headings, horizons, common outputs); returns how many.
fn fill_english(plan: &mut Plan, glossary: &Glossary) -> usize {
    let mut filled = 0;
    let mut fill = |text: &mut Text, english: &dyn Fn(&str) -> Option<String>| {
        if text.en.is_none() {
            if let Some(en) = english(&text.vi) {
                text.en = Some(en);
                filled += 1;
            }
        }
    };
    for s in &mut plan.sections {
        fill(&mut s.heading, &|vi| glossary.heading(vi));
    }
    for g in &mut plan.indicator_groups {
        fill(&mut g.title, &|vi| glossary.horizon(vi));
    }
    for i in &mut plan.indicators {
        fill(&mut i.unit, &|vi| glossary.unit(vi));
        if let Some(h) = &mut i.horizon {
            fill(h, &|vi| glossary.horizon(vi));
        }
    }
    for t in &mut plan.tasks {
        if let Some(o) = &mut t.output {
            fill(o, &|vi| glossary.output(vi));
        }
    }
    filled
}

fn section(s: RawSection) -> Section {
    Section { id: s.id.into_inner(), number: s.number, heading: s.heading, body: s.body, line: s.line }
}

fn heading(h: RawHeading) -> Heading {
    Heading { number: h.number, title: h.title, line: h.line }
}

/// Checks one plan file's text as [`load`] checks it (the same parsing and
/// validation, against the registries, glossary and source documents under
/// `root`) without reading the other plans, so that the importer writes
/// only plans that build. `rel` names the file; its stem is the plan id.
/// Only the plan's own problems are returned: the rest of the site is
/// `load`'s business.
pub fn check_plan(root: &Path, rel: &Path, text: &str) -> Result<()> {
    check_plan_with(root, rel, text, None)
}

/// [`check_plan`] with one more registry file (its path relative to the
/// root and its text), one an import is about to write beside the plan;
/// its problems are returned too.
pub fn check_plan_with(
    root: &Path,
    rel: &Path,
    text: &str,
    registry: Option<(PathBuf, String)>,
) -> Result<()> {
    let mut diags = Vec::new();
    let glossary = Glossary::load(root).unwrap_or_default();
    let mut registries = Files { root, diags: &mut diags }.parse_dir::<RawRegistry>("content/agencies");
    let extra = registry.as_ref().map(|(r, _)| r.clone());
    if let Some((reg_rel, reg_text)) = registry {
        registries.retain(|r| r.rel != reg_rel);
        match parse_text::<RawRegistry>(&reg_rel, reg_text) {
            Ok(parsed) => registries.push(parsed),
            Err(d) => diags.push(d),
        }
    }
    let mut checker = Checker::new(root, &mut diags, &glossary);
    checker.registries(registries);
    match parse_text::<RawPlan>(rel, text.to_string()) {
        Ok(parsed) => drop(checker.plan(parsed)),
        Err(d) => diags.push(d),
    }
    diags.retain(|d| d.file == rel || extra.as_ref().is_some_and(|e| d.file == *e));
    diags.sort();
    diags.dedup();
    if diags.is_empty() { Ok(()) } else { Err(Error::Invalid(diags)) }
}
