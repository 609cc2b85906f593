//! Renders the site's pages from the resolved model with a MiniJinja theme.
//! Pages are rendered in parallel into memory; `output` writes them.

mod calendar;
pub mod extras;
mod markdown;
mod views;

pub use markdown::to_html;

use crate::error::{Diagnostic, Error, Result};
use crate::output::{OutputFile, Sink};
use crate::resolve::Resolved;
use crate::resolve::TaskRef;
use crate::scope::Scope;
use crate::text::{Lang, fold};
use crate::web::{SEARCH_CLIENT, SEARCH_KINDS, Strings, base_path};
use minijinja::{Environment, UndefinedBehavior, Value, context};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
pub use views::Cards;
use views::Views;

/// One language's interface words, for templates: a map object looked up
/// by hashing, with each word already a template value, as every page
/// looks up dozens of them (a serialized map compares keys one by one).
fn words(strings: &Strings, lang: Lang) -> Value {
    let words = strings.table(lang).map(|table| {
        table.iter().map(|(k, v)| (k.clone(), (Value::from(k.as_str()), Value::from(v.as_str())))).collect()
    });
    Value::from_object(Words(words.unwrap_or_default()))
}

/// See [`words`]: key → (key as a value, word).
#[derive(Debug)]
struct Words(rustc_hash::FxHashMap<String, (Value, Value)>);

impl minijinja::value::Object for Words {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_str()?).map(|(_, word)| word.clone())
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        let mut keys: Vec<Value> = self.0.values().map(|(key, _)| key.clone()).collect();
        keys.sort();
        minijinja::value::Enumerator::Values(keys)
    }

    fn enumerator_len(self: &std::sync::Arc<Self>) -> Option<usize> {
        Some(self.0.len())
    }

    /// Two tables are told apart by identity: the engine compares values
    /// (a macro's arguments, say), and comparing word by word is waste.
    fn custom_cmp(
        self: &std::sync::Arc<Self>,
        other: &minijinja::value::DynObject,
    ) -> Option<std::cmp::Ordering> {
        let other = other.downcast_ref::<Words>()?;
        Some((std::sync::Arc::as_ptr(self) as usize).cmp(&(other as *const Words as usize)))
    }
}

/// A loaded theme: templates, strings and fingerprinted static assets.
pub struct Theme {
    env: Environment<'static>,
    strings: Strings,
    assets: Vec<OutputFile>,
    /// Logical asset name (`style.css`) → path under the site root.
    asset_paths: BTreeMap<String, String>,
}

impl Theme {
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// Asset URLs by logical name (`style.css`), under the site's base path.
    pub fn asset_urls(&self, base: &str) -> BTreeMap<String, String> {
        self.asset_paths.iter().map(|(k, v)| (k.clone(), format!("{base}{v}"))).collect()
    }

    pub fn load(dir: &Path) -> Result<Theme> {
        if !dir.is_dir() {
            return Err(Error::Other(format!(
                "theme folder {} not found; check `theme` in content/site.toml",
                dir.display()
            )));
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_formatter(html_formatter);
        for (name, source) in read_tree(&dir.join("templates"))? {
            env.add_template_owned(name, String::from_utf8_lossy(&source).into_owned())?;
        }
        let strings = load_strings(&dir.join("i18n"))?;
        let mut assets = Vec::new();
        let mut asset_paths = BTreeMap::new();
        for (name, bytes) in read_tree(&dir.join("static"))? {
            let path = format!("assets/{}", fingerprint(&name, &bytes));
            asset_paths.insert(name, path.clone());
            assets.push(OutputFile::new(path, bytes));
        }
        Ok(Theme { env, strings, assets, asset_paths })
    }
}

/// Escapes strings like every HTML tool does (`& < > " '`), leaving `/`
/// alone so URLs stay readable; everything else as MiniJinja would.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    match value.as_str() {
        Some(s) if !value.is_safe() && matches!(state.auto_escape(), minijinja::AutoEscape::Html) => {
            crate::web::escape_into(out, s)
                .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// Every file under `dir` as (relative `/` path, bytes), sorted.
fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::Other(format!("{}: {e}", dir.display())))?;
        if entry.file_type().is_file() && !crate::load::is_scratch_file(&entry.file_name().to_string_lossy())
        {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            files.push((rel.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
    Ok(files)
}

fn load_strings(dir: &Path) -> Result<Strings> {
    let mut tables = BTreeMap::new();
    let mut diags = Vec::new();
    for lang in Lang::ALL {
        let path = dir.join(format!("{}.toml", lang.code()));
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        match toml::from_str::<BTreeMap<String, String>>(&text) {
            Ok(table) => {
                tables.insert(lang, table);
            }
            Err(e) => diags.push(Diagnostic::new(
                &path,
                e.span().map(|s| crate::error::line_of(&text, s.start)),
                e.message().to_string(),
            )),
        }
    }
    if let (Some(vi), Some(en)) = (tables.get(&Lang::Vi), tables.get(&Lang::En)) {
        for (missing_in, have, lacks) in [("en", vi, en), ("vi", en, vi)] {
            for key in have.keys().filter(|k| !lacks.contains_key(*k)) {
                diags.push(
                    Diagnostic::new(
                        dir.join(format!("{missing_in}.toml")),
                        None,
                        format!("missing string `{key}`"),
                    )
                    .hint("both languages need the same keys"),
                );
            }
        }
    }
    if diags.is_empty() { Ok(Strings { tables }) } else { Err(Error::Invalid(diags)) }
}

/// `style.css` → `style.1a2b3c4d5e.css`: a new name whenever the bytes change,
/// so assets can be cached forever.
fn fingerprint(name: &str, bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{hash:016x}");
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hex[..10]),
        None => format!("{name}.{}", &hex[..10]),
    }
}

/// Sort key for names: folded first, so "Đại học" sorts among the D's.
pub fn sort_key(name: &str) -> (String, String) {
    (fold(name), name.to_string())
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
enum Page {
    Home,
    Plans,
    Plan(usize),
    Task(usize, usize),
    Source(usize),
    Agencies,
    /// An agency's page, from 0 ([`views::agency_page_count`]).
    Agency(usize, usize),
    Changes,
    PlanChanges(usize),
    Search,
}

impl Page {
    fn template(self) -> &'static str {
        match self {
            Page::Home => "home.html",
            Page::Plans => "plans.html",
            Page::Plan(_) => "plan.html",
            Page::Task(..) => "task.html",
            Page::Source(_) => "source.html",
            Page::Agencies => "agencies.html",
            Page::Agency(..) => "agency.html",
            Page::Changes | Page::PlanChanges(_) => "changes.html",
            Page::Search => "search.html",
        }
    }

    /// Whether the page shows something `scope` redoes. The site-wide pages
    /// (home, agencies, changes, search) list everything: always redone.
    fn in_scope(self, scope: &Scope) -> bool {
        match self {
            Page::Home | Page::Plans | Page::Agencies | Page::Changes | Page::Search => true,
            Page::Plan(p) | Page::Source(p) | Page::PlanChanges(p) => scope.plan(p),
            Page::Task(plan, task) => scope.task(TaskRef { plan, task }),
            Page::Agency(a, _) => scope.agency(a),
        }
    }
}

/// Renders the pages of the site that `scope` covers, plus the theme's
/// assets and the site-wide pages, into `sink` as each is made; returns
/// the paths of the pages it kept as they were (outside `scope`). `cache`
/// keeps each plan's task cards between the builds of a session.
pub fn render(
    r: &Resolved,
    theme: &Theme,
    scope: &Scope,
    mut cache: Option<&mut Cards>,
    sink: &dyn Sink,
) -> Result<Vec<String>> {
    let base = base_path(&r.site.config.base_url);
    let mut pages = vec![Page::Home, Page::Plans, Page::Agencies, Page::Changes, Page::Search];
    for (p, plan) in r.site.plans.iter().enumerate() {
        pages.push(Page::Plan(p));
        pages.push(Page::PlanChanges(p));
        if plan.source.is_some() {
            pages.push(Page::Source(p));
        }
        pages.extend((0..plan.tasks.len()).map(|t| Page::Task(p, t)));
    }
    for a in 0..r.site.agencies.len() {
        pages.extend((0..views::agency_page_count(r, a)).map(|n| Page::Agency(a, n)));
    }
    let (pages, skipped): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|p| p.in_scope(scope));

    let mut kept = Vec::new();
    sink.put_all(theme.assets.clone())?;
    sink.put(landing(r, theme, &base)?)?;
    sink.put_all(extras::site_files(r, theme, &base)?)?;
    for lang in Lang::ALL {
        let views = Views::new(r, lang, &base, &theme.strings, &theme.env, scope, cache.as_deref_mut())?;
        pages.par_iter().try_for_each_init(
            || Common::new(r, theme, &views),
            |common, &page| sink.put(render_page(theme, &views, common, page)?),
        )?;
        kept.extend(skipped.iter().map(|&page| page_file(r, lang, page)));
        for a in (0..r.site.agencies.len()).filter(|&a| views::agency_page_count(r, a) > 1) {
            let path = format!("{}/agencies/{}/pages.json", lang.code(), r.site.agencies[a].id);
            match scope.agency(a).then(|| views.agency_page_map(a)).flatten() {
                Some(map) => sink.put(OutputFile::new(path, map))?,
                None => kept.push(path),
            }
        }
        let calendars = |a: usize| format!("{}/agencies/{}/calendar.ics", lang.code(), r.site.agencies[a].id);
        let (made, skipped): (Vec<usize>, Vec<usize>) =
            (0..r.site.agencies.len()).partition(|&a| scope.agency(a));
        made.par_iter().try_for_each(|&a| {
            sink.put(OutputFile::new(calendars(a), calendar::agency_calendar(r, a, lang, &theme.strings)))
        })?;
        kept.extend(skipped.into_iter().map(calendars));
    }
    Ok(kept)
}

/// Context shared by the pages of one language. Each rayon job makes its
/// own: the template engine clones and drops these values on every look-up
/// (`{{ t.x }}`), and one copy shared by both threads made their reference
/// counts a cache line the cores fought over.
struct Common {
    strings: Value,
    site: Value,
    assets: Value,
}

impl Common {
    fn new(r: &Resolved, theme: &Theme, views: &Views) -> Common {
        let config = &r.site.config;
        let base = views.base;
        let assets = theme.asset_urls(base);
        Common {
            strings: words(&theme.strings, views.lang),
            site: context! {
                title => views.l(&config.title),
                description => config.description.as_ref().map(|d| views.l(d)),
                base => base,
                base_url => config.base_url,
                home => views.url(""),
                agencies => views.url("agencies/"),
                data => format!("{base}data/"),
                updated => site_updated(r, views),
            },
            assets: Value::from_serialize(assets),
        }
    }
}

/// The day the site last changed (its newest change), or the build's date
/// when the history has none yet, for the site-wide pages (always redone;
/// a footer on every page would rewrite every page on every change).
fn site_updated(r: &Resolved, views: &Views) -> Value {
    let date =
        r.history.changes.first().and_then(|c| c.date.get(..10)).and_then(crate::model::Date::parse_iso);
    let date = date.unwrap_or(r.site.today);
    context! { text => views.date(date), iso => date.to_string() }
}

/// A page's path under its language folder: `plans/x/` (empty for home).
fn page_path(r: &Resolved, page: Page) -> String {
    match page {
        Page::Home => String::new(),
        Page::Plans => "plans/".to_string(),
        Page::Plan(p) => format!("plans/{}/", r.site.plans[p].id),
        Page::Task(p, t) => {
            let plan = &r.site.plans[p];
            format!("plans/{}/tasks/{}/", plan.id, plan.tasks[t].id)
        }
        Page::Source(p) => format!("plans/{}/source/", r.site.plans[p].id),
        Page::Agencies => "agencies/".to_string(),
        Page::Agency(a, n) => views::agency_page_path(&r.site.agencies[a].id, n),
        Page::Changes => "changes/".to_string(),
        Page::PlanChanges(p) => format!("plans/{}/changes/", r.site.plans[p].id),
        Page::Search => "search/".to_string(),
    }
}

/// The file a page is written to: `vi/plans/x/index.html`.
fn page_file(r: &Resolved, lang: Lang, page: Page) -> String {
    format!("{}/{}index.html", lang.code(), page_path(r, page))
}

fn render_page(theme: &Theme, views: &Views, common: &Common, page: Page) -> Result<OutputFile> {
    let r = views.r;
    let path = page_path(r, page);
    let data = match page {
        Page::Home | Page::Plans => {
            context! { plans => views.plans(), as_of => views.date(r.site.today), as_of_iso => r.site.today.to_string() }
        }
        Page::Plan(p) => views.plan_page(p),
        Page::Task(p, t) => views.task_page(p, t),
        Page::Source(p) => views.source_page(p),
        Page::Agencies => views.agencies_page(),
        Page::Agency(a, n) => views.agency_page(a, n),
        Page::Changes => views.changes_page(None),
        Page::PlanChanges(p) => views.changes_page(Some(p)),
        Page::Search => search_page(views),
    };
    let lang = views.lang;
    let base_url = &r.site.config.base_url;
    let absolute = |l: Lang| format!("{base_url}{}/{path}", l.code());
    let ctx = context! {
        lang => lang.code(),
        t => common.strings,
        site => common.site,
        assets => common.assets,
        page => context! {
            path => path,
            url => views.url(&path),
            canonical => absolute(lang),
            other => context! {
                lang => lang.other().code(),
                url => format!("{}{}/{path}", views.base, lang.other().code()),
                label => views.t(&format!("language_{}", lang.other().code())),
            },
            alternates => Lang::ALL.iter().map(|&l| context! { lang => l.code(), href => absolute(l) }).collect::<Vec<_>>(),
        },
        data => data,
    };
    let html = theme.env.get_template(page.template())?.render(ctx)?;
    Ok(OutputFile::new(page_file(r, lang, page), html))
}

/// The search page's filters and its no-JavaScript lists: plans, agencies
/// by jurisdiction, deadline years and kinds of result.
fn search_page(views: &Views) -> Value {
    context! {
        plans => views.plans(),
        agencies => views.agencies_page(),
        years => views.r.deadline_years(),
        kinds => SEARCH_KINDS,
        states => crate::state::State::ALL.map(|s| s.as_str()),
        client => format!("{}{}", views.base, SEARCH_CLIENT),
    }
}

/// The root page: a bilingual chooser that sends readers to their language.
fn landing(r: &Resolved, theme: &Theme, base: &str) -> Result<OutputFile> {
    let config = &r.site.config;
    let assets = theme.asset_urls(base);
    let ctx = context! {
        title => config.title,
        base => base,
        base_url => config.base_url,
        assets => assets,
        vi => words(&theme.strings, Lang::Vi),
        en => words(&theme.strings, Lang::En),
    };
    let html = theme.env.get_template("landing.html")?.render(ctx)?;
    Ok(OutputFile::new("index.html", html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_bytes() {
        assert_ne!(fingerprint("style.css", b"a"), fingerprint("style.css", b"b"));
        assert!(fingerprint("style.css", b"a").starts_with("style."));
        assert!(fingerprint("style.css", b"a").ends_with(".css"));
    }
}
