//! `plansite import`: a plan document as received (text converted from Word
//! or PDF, in one of several shapes) → a structured plan for
//! `content/plans/`, and a report of what was found and where the importer
//! was unsure. The stages, one module each: `decode` the bytes, detect the
//! `shape`, read `lines` into paragraphs and `sections`, `tables` into rows,
//! the `meta`data, the [`tasks`] (resolving [`agencies`]), then `write` the
//! plan and the [`report`].

pub mod agencies;
mod decode;
mod header;
mod jurisdiction;
mod lines;
mod meta;
pub mod new_registry;
mod patterns;
mod recase;
pub mod report;
mod sections;
mod shape;
mod tables;
pub mod tasks;
mod write;

pub use write::string as toml_string;

pub use agencies::Registry;
pub use report::Report;
pub use tasks::{Heading, Indicator, Origin, Task};

use crate::text::fold;
use regex::Regex;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

/// A document the importer cannot read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl ImportError {
    pub fn new(line: Option<usize>, message: impl Into<String>) -> Self {
        ImportError { line, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n     hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// What an import needs besides the document.
pub struct Options<'a> {
    pub registry: &'a Registry,
    /// The jurisdiction, when the document does not say (or says wrongly).
    pub jurisdiction: Option<String>,
    /// The document's path relative to the site root, for `source`.
    pub source: Option<String>,
    /// Start `content/agencies/<id>.toml` from the document and import against it.
    pub new_registry: Option<String>,
    /// Let `jurisdiction` (or `new_registry`) override the place the document prints.
    pub force: bool,
}

impl<'a> Options<'a> {
    /// Options that read the jurisdiction from the document.
    pub fn new(registry: &'a Registry) -> Options<'a> {
        Options { registry, jurisdiction: None, source: None, new_registry: None, force: false }
    }
}

/// A section of the imported plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: String,
    pub number: Option<String>,
    pub heading: String,
    pub line: usize,
    pub body: String,
}

/// The imported plan, in the shape of `content/plans/<id>.toml`.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub number: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub jurisdiction: String,
    pub issuer: String,
    pub status: &'static str,
    pub source: Option<String>,
    pub title: String,
    pub implements: Vec<String>,
    pub signer: Option<(String, String)>,
    pub sections: Vec<Section>,
    pub objectives: Vec<(String, usize)>,
    pub indicator_groups: Vec<Heading>,
    pub indicators: Vec<Indicator>,
    pub headings: Vec<Heading>,
    pub tasks: Vec<Task>,
}

/// An imported document: the proposed id, the plan and the report.
#[derive(Debug, Clone)]
pub struct Imported {
    pub id: String,
    pub plan: Plan,
    pub report: Report,
    /// With `--new-registry`: the jurisdiction id and the registry file's
    /// text, to be written as `content/agencies/<id>.toml`.
    pub registry: Option<(String, String)>,
}

impl Imported {
    /// The plan as `content/plans/<id>.toml`.
    pub fn toml(&self) -> String {
        write::plan(&self.plan)
    }

    /// The plan file's text, if `build` would load it from the site at
    /// `root` as the file `rel`; else the loader's problems, each with the
    /// document line of the entry it is in. An import writes only what loads.
    pub fn checked_toml(&self, root: &Path, rel: &Path) -> Result<String, Vec<String>> {
        let toml = self.toml();
        let extra = self.registry.as_ref().map(|(id, text)| {
            (std::path::PathBuf::from(format!("content/agencies/{id}.toml")), text.clone())
        });
        match crate::load::check_plan_with(root, rel, &toml, extra) {
            Ok(()) => Ok(toml),
            Err(crate::error::Error::Invalid(diags)) => {
                Err(diags.iter().map(|d| write::locate(d, &toml)).collect())
            }
            Err(e) => Err(vec![e.to_string()]),
        }
    }
}

/// Imports one document: against the registry as it is, or, with
/// `new_registry`, against a registry started from the document itself.
pub fn import(bytes: &[u8], opts: &Options) -> Result<Imported, ImportError> {
    let decoded = decode::decode(bytes)?;
    let raw: Vec<&str> = decoded.text.lines().collect();
    let (cleaned, header) = header::read(&raw);
    let lines: Vec<&str> = cleaned.iter().map(String::as_str).collect();
    looks_like_a_plan(&lines, &header)?;
    let printed = jurisdiction::printed(&header, &lines);
    let text = lines.join("\n");
    let doc = Document { decoded: &decoded, raw: &raw, lines: &lines, header: &header };
    let Some(id) = &opts.new_registry else {
        let chosen =
            jurisdiction::choose(opts.registry, &printed, &text, opts.jurisdiction.as_deref(), opts.force)?;
        return read(&doc, opts.registry, chosen, opts);
    };
    start_registry(&doc, id, &printed, &text, opts)
}

/// What every pass over one document reads.
struct Document<'a> {
    decoded: &'a decode::Decoded,
    /// The lines as received (the report quotes them).
    raw: &'a [&'a str],
    /// The lines with the header's furniture blanked.
    lines: &'a [&'a str],
    header: &'a header::Header,
}

/// `--new-registry ID`: a first pass against the jurisdiction with only
/// the groups other registries share collects the names the document
/// gives; the registry made of them is what the plan is imported against.
fn start_registry(
    doc: &Document,
    id: &str,
    printed: &[jurisdiction::Printed],
    text: &str,
    opts: &Options,
) -> Result<Imported, ImportError> {
    let registry = opts.registry;
    if !crate::text::is_slug(id) {
        return Err(ImportError::new(None, format!("--new-registry {id}: a jurisdiction id is a slug"))
            .hint("use lowercase ASCII letters, digits and hyphens, e.g. --new-registry bac-ninh"));
    }
    if registry.has_jurisdiction(id) {
        return Err(ImportError::new(None, format!("content/agencies/{id}.toml exists already")).hint(
            format!(
                "import against it with --jurisdiction {id} (or without an option), or choose another id"
            ),
        ));
    }
    let Some(place) = printed.first() else {
        return Err(ImportError::new(None, "cannot start a registry: the document prints no place before its date")
            .hint("put the header back from the original document, or pass --jurisdiction ID for a registry you have"));
    };
    if let Some(other) =
        printed.iter().find_map(|p| registry.jurisdiction_of_place(&p.place)).filter(|_| !opts.force)
    {
        return Err(ImportError::new(
            Some(place.line),
            format!("{} “{}” belongs to the jurisdiction `{other}` already", place.what, place.place),
        )
        .hint(format!("import against it (drop --new-registry), or pass --force to start `{id}` anyway")));
    }
    let name = match jurisdiction::level_of(place, text) {
        Some("tỉnh") => format!("Tỉnh {}", place.place),
        Some(_) => format!("Thành phố {}", place.place),
        None => place.place.clone(),
    };
    let source = opts.source.clone().unwrap_or_else(|| "the document".to_string());
    let chosen = jurisdiction::Chosen {
        id: id.to_string(),
        reason: format!(
            "a new registry, content/agencies/{id}.toml, started from this document: {}, “{}” (line {})",
            place.what, place.place, place.line
        ),
        line: Some(place.line),
        guessed: false,
    };
    let groups = new_registry::template_groups(id, &registry.group_templates());
    let mut first_registry = registry.clone();
    first_registry.add_file(id, &new_registry::file(id, &name, &groups, &[], &source))?;
    let first = read(doc, &first_registry, chosen.clone(), opts)?;
    let groups: Vec<_> = groups.into_iter().filter(|g| first.report.used.contains(&g.id)).collect();
    let taken = groups.iter().map(|g| g.id.clone()).collect();
    let entries = new_registry::propose(id, &first.report.unknown, &taken);
    let toml = new_registry::file(id, &name, &groups, &entries, &source);
    let mut full = registry.clone();
    full.add_file(id, &toml)?;
    let mut imported = read(doc, &full, chosen, opts)?;
    imported.report.registry = Some(report::NewRegistry {
        path: format!("content/agencies/{id}.toml"),
        name,
        agencies: entries.len(),
        groups: groups.len(),
    });
    imported.registry = Some((id.to_string(), toml));
    Ok(imported)
}

/// One pass: the document structured against `registry` for `chosen`.
fn read(
    d: &Document,
    registry: &Registry,
    chosen: jurisdiction::Chosen,
    opts: &Options,
) -> Result<Imported, ImportError> {
    let lines = d.lines;
    let jurisdiction = chosen.id.clone();
    let scope = registry.scope(&jurisdiction);
    let shape = shape::Shape::detect(lines, &scope);
    let doc = sections::structure(sections::blocks(lines, &shape));
    let places = place_names(registry, d.header);
    let meta = meta::extract(&doc, lines, d.header, &places);
    if meta.title.trim().is_empty() {
        return Err(no_title(&doc, lines));
    }
    let mut notes = report::Notes::default();
    let found = tasks::extract(&doc, &shape.tables, &scope, &mut notes);

    let mut plan = Plan {
        jurisdiction: jurisdiction.clone(),
        issuer: issuer(lines, &meta, d.header, registry, &jurisdiction),
        status: if meta.blank_number { "draft" } else { "issued" },
        source: opts.source.clone(),
        title: meta.title.clone(),
        implements: meta.implements.clone(),
        signer: meta.signer.clone(),
        number: meta.number.clone(),
        ..Plan::default()
    };
    let year = dates(&mut plan, &meta, lines, &mut notes);
    plan.sections = plan_sections(&doc, &meta, &shape);
    plan.objectives = found.objectives;
    plan.indicator_groups = found.indicator_groups;
    plan.indicators = found.indicators;
    plan.headings = found.headings;
    plan.tasks = found.tasks;
    doubts(&plan, &meta, d.header, &chosen, &mut notes);

    let mut report = build_report(&plan, &shape, notes, d.raw, d.decoded);
    report.meta = report::Extracted::of(&plan, &meta, &chosen);
    Ok(Imported { id: plan_id(&plan, year), plan, report, registry: None })
}

/// Place names a capitalised title may hold: every registry's place names
/// and the places the header prints.
fn place_names(registry: &Registry, header: &header::Header) -> Vec<String> {
    let mut out: Vec<String> = registry
        .jurisdictions
        .iter()
        .filter(|j| !j.central)
        .flat_map(|j| std::iter::once(&j.name).chain(&j.aliases))
        .map(|n| agencies::core_place_as_written(n))
        .collect();
    out.extend(header.place.iter().map(|p| p.0.clone()));
    out.extend(header.body.iter().map(|b| b.1.clone()));
    out.retain(|p| !p.is_empty());
    out.sort();
    out.dedup();
    out
}

/// Refuses text that is not a plan, saying what it found. A plan is
/// recognised by its number ("Số: …/KH-…"), or by its "KẾ HOẠCH" title
/// with a Roman-numbered section or a task table, or by two sections a
/// plan has (I. MỤC TIÊU, II. NHIỆM VỤ…).
fn looks_like_a_plan(lines: &[&str], header: &header::Header) -> Result<(), ImportError> {
    let cleaned: Vec<String> = lines.iter().map(|l| lines::clean(l)).collect();
    let folded: Vec<String> = cleaned.iter().map(|l| fold(l)).collect();
    let title = folded.iter().position(|l| l == "ke hoach" || l.starts_with("ke hoach "));
    let number = header.number.as_ref().filter(|n| n.1.starts_with("KH")).map(|n| n.2).or_else(|| {
        cleaned
            .iter()
            .position(|l| patterns::NUMBER_LINE.captures(l).is_some_and(|c| c[2].starts_with("KH")))
            .map(|i| i + 1)
    });
    let romans: Vec<usize> =
        (0..cleaned.len()).filter(|&i| patterns::ROMAN.is_match(&cleaned[i].to_uppercase())).collect();
    let known = romans
        .iter()
        .filter(|&&i| {
            ["muc", "nhiem vu", "giai phap", "to chuc thuc hien", "kinh phi", "phan cong", "can cu", "co so"]
                .iter()
                .any(|k| folded[i].contains(k))
        })
        .count();
    let table = folded.iter().position(|l| {
        let first = l.split(['\t', ' ', '|']).find(|w| !w.is_empty()).unwrap_or("");
        matches!(first.trim_end_matches('.'), "tt" | "stt")
    });
    let plan = number.is_some()
        || (title.is_some() && (!romans.is_empty() || table.is_some()))
        || known >= 2
        || (known >= 1 && table.is_some());
    if plan {
        return Ok(());
    }
    let at = |what: &str, l: Option<usize>| match l {
        Some(l) => format!("{what} (line {l})"),
        None => format!("no {what}"),
    };
    let found = [
        at("“KẾ HOẠCH” heading", title.map(|i| i + 1)),
        at("“Số: …/KH-…” number", number),
        match romans.first() {
            Some(&i) => format!(
                "{} Roman-numbered section{} (first: line {}, “{}”)",
                romans.len(),
                if romans.len() == 1 { "" } else { "s" },
                i + 1,
                cleaned[i]
            ),
            None => "no Roman-numbered section".to_string(),
        },
        at("table with a “TT” column", table.map(|i| i + 1)),
    ];
    Err(ImportError::new(None, format!("this does not look like a plan: found {}", found.join(", "))).hint(
        "a plan has a “KẾ HOẠCH” title with a “Số: …/KH-…” number or numbered sections (I. MỤC TIÊU, II. NHIỆM VỤ…); check that the right file was given",
    ))
}

/// A plan needs a title, and none is invented: it is read under the
/// "KẾ HOẠCH" heading above the first section, so say where it was missed.
fn no_title(doc: &sections::Document, lines: &[&str]) -> ImportError {
    let heading = lines.iter().position(|l| fold(&lines::clean(l)) == "ke hoach").map(|i| i + 1);
    let first = doc.sections.first().map(|s| (s.line, s.number.clone().unwrap_or_default()));
    let (line, why) = match (heading, first) {
        (Some(h), Some((f, n))) if h > f => {
            (h, format!("this “KẾ HOẠCH” comes after section {n} (line {f}), so it heads no plan"))
        }
        (h, Some((f, n))) => {
            (h.unwrap_or(f), format!("no “KẾ HOẠCH” heading with the title under it before section {n}"))
        }
        (h, None) => (h.unwrap_or(1), "no “KẾ HOẠCH” heading with the title under it".to_string()),
    };
    ImportError::new(Some(line), format!("no title found near line {line}: {why}")).hint(
        "the title is the line after “KẾ HOẠCH” in the header; put the header back from the original document, then import again",
    )
}

static ISSUING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|thành phố)[^,.;]{0,30}?\s+ban\s+hành\s+kế\s+hoạch",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// "Ủy ban nhân dân tỉnh Thừa Thiên Huế": the level the issuing sentence
/// uses (else the header's, else the jurisdiction's), and the place of the
/// date line (or the jurisdiction's name).
fn issuer(
    lines: &[&str],
    meta: &meta::Meta,
    header: &header::Header,
    registry: &Registry,
    jurisdiction: &str,
) -> String {
    let text = lines.iter().take(60).copied().collect::<Vec<_>>().join(" ");
    let level = ISSUING.captures_iter(&text).last().map(|c| c[1].to_lowercase());
    let name = registry
        .jurisdictions
        .iter()
        .find(|j| j.id == jurisdiction)
        .map(|j| j.name.clone())
        .unwrap_or_default();
    let level = level.or_else(|| header.body.as_ref().map(|b| b.0.to_string())).unwrap_or_else(|| {
        if fold(&name).starts_with("tinh") { "tỉnh".into() } else { "thành phố".into() }
    });
    let core = agencies::core_place_as_written(&name);
    let place = meta.place.clone().filter(|_| level == "tỉnh").unwrap_or(core);
    format!("Ủy ban nhân dân {level} {place}").trim().to_string()
}

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b((?:19|20)\d{2})\b").unwrap_or_else(|e| panic!("{e}")));

/// Fills `date` and `year`; returns the year for the plan's id.
fn dates(plan: &mut Plan, meta: &meta::Meta, lines: &[&str], notes: &mut report::Notes) -> Option<i32> {
    let line = meta.date_line.unwrap_or(1);
    match meta.date {
        Some((y, Some(m), Some(d))) => match crate::model::Date::new(y, m, d) {
            Some(date) => plan.date = Some(date.to_string()),
            None => notes.unsure(line, format!("the date {d}/{m}/{y} does not exist: left out")),
        },
        Some((y, _, _)) => {
            notes.unsure(line, format!("the date is left blank (only the year {y} is printed)"))
        }
        None => {}
    }
    plan.year = meta.plan_year.filter(|_| plan.date.is_some());
    if let Some(y) = meta.date.map(|d| d.0) {
        return Some(y);
    }
    let title_line = meta.title_line.unwrap_or(1);
    let cited =
        YEAR.captures_iter(&meta.title).filter_map(|c| c[1].parse::<i32>().ok()).max().or_else(|| {
            lines
                .iter()
                .take(20)
                .flat_map(|l| {
                    YEAR.captures_iter(l).filter_map(|c| c[1].parse::<i32>().ok()).collect::<Vec<_>>()
                })
                .max()
        });
    if let Some(y) = cited {
        notes
            .unsure(title_line, format!("no date printed: the id uses {y}, the latest year the title cites"));
    }
    cited
}

fn plan_sections(doc: &sections::Document, meta: &meta::Meta, shape: &shape::Shape) -> Vec<Section> {
    let mut out = Vec::new();
    let basis: Vec<&lines::Para> = doc.preamble.iter().skip(meta.after_title).collect();
    if let Some(first) = basis.first() {
        let body: Vec<String> = basis.iter().map(|p| p.full()).collect();
        out.push(Section {
            id: "can-cu".into(),
            number: None,
            heading: "Căn cứ".into(),
            line: first.line,
            body: body.join("\n\n"),
        });
    }
    for s in &doc.sections {
        let body = sections::markdown(s, &shape.tables);
        let body = if body.trim().is_empty() { s.heading.clone() } else { body };
        let number = s.number.clone().filter(|_| s.kind != sections::Kind::Appendix);
        let mut id = s.id();
        let mut k = 2;
        while out.iter().any(|o: &Section| o.id == id) {
            id = format!("{}-{k}", s.id());
            k += 1;
        }
        out.push(Section { id, number, heading: s.heading.clone(), line: s.line, body });
    }
    out
}

/// Things the reviewer should check that no single task shows.
fn doubts(
    plan: &Plan,
    meta: &meta::Meta,
    header: &header::Header,
    chosen: &jurisdiction::Chosen,
    notes: &mut report::Notes,
) {
    let title_line = meta.title_line.unwrap_or(1);
    if chosen.guessed {
        notes.unsure(chosen.line.unwrap_or(1), format!("jurisdiction `{}`: {}", chosen.id, chosen.reason));
    }
    if meta.title_in_capitals {
        notes.unsure(
            title_line,
            "the title is printed in capitals: lowercased, with the names of bodies, documents and places recased; check other proper names",
        );
    }
    if let Some(w) = &meta.title_cut {
        notes.unsure(
            title_line,
            format!("the title ends in “{w}”: a line of it may be missing, compare with the document"),
        );
    }
    if let (None, Some((name, line))) = (&plan.signer, &header.site_signer) {
        notes.unsure(
            *line,
            format!("the document text names no signer; the site's metadata table says “{name}”: add it in review if the original confirms"),
        );
    }
    if meta.title_line.is_none() {
        notes.unsure(1, "no title found after “KẾ HOẠCH”: write the title by hand");
    }
    if plan.number.is_none() && !meta.blank_number {
        notes.unsure(1, "no plan number found (“Số: …/KH-UBND”)");
    }
    if meta.blank_number {
        notes.unsure(meta.number_line.unwrap_or(1), "the number is left blank: imported as a draft");
    }
    if plan.signer.is_none() {
        notes.unsure(1, "no signer found under the signature block");
    }
}

fn build_report(
    plan: &Plan,
    shape: &shape::Shape,
    mut notes: report::Notes,
    lines: &[&str],
    decoded: &decode::Decoded,
) -> Report {
    let count = |o: Origin| plan.tasks.iter().filter(|t| t.origin == o).count();
    let mut describe = shape.describe();
    if decoded.had_bom {
        describe.push_str("; UTF-8 byte order mark");
    }
    if decoded.crlf {
        describe.push_str("; Windows line endings");
    }
    let repaired = report::repairs(&decoded.controls, &decoded.stray, &mut notes);
    let (resolved, unresolved) = (notes.resolved, notes.unresolved);
    let unknown = std::mem::take(&mut notes.unknown);
    let used = std::mem::take(&mut notes.used);
    let (unsure, merged) = Report::from_notes(notes, lines);
    Report {
        tasks_unresolved: plan.tasks.iter().filter(|t| !t.unresolved.is_empty()).count(),
        unknown,
        used,
        jurisdiction: plan.jurisdiction.clone(),
        meta: report::Extracted::default(),
        registry: None,
        shape: describe,
        sections: plan.sections.len(),
        indicators: plan.indicators.len(),
        headings: plan.headings.len(),
        tasks_table: count(Origin::Table),
        tasks_block: count(Origin::Block),
        tasks_prose: count(Origin::Prose),
        tasks_without_lead: plan.tasks.iter().filter(|t| t.lead.is_empty()).count(),
        resolved,
        unresolved,
        merged,
        unsure,
        repaired,
    }
}

/// "hue-343-kh-ubnd-2026"; without a number, "hue-2025-03-nq-cp".
fn plan_id(plan: &Plan, year: Option<i32>) -> String {
    let year = year.map(|y| y.to_string());
    let parts: Vec<String> = match &plan.number {
        Some(n) => vec![plan.jurisdiction.clone(), patterns::slug(n)].into_iter().chain(year).collect(),
        None => {
            let main =
                plan.implements.first().map(|r| patterns::slug(r)).unwrap_or_else(|| "ke-hoach".into());
            vec![plan.jurisdiction.clone()].into_iter().chain(year).chain([main]).collect()
        }
    };
    parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}
