//! `plansite import`: a plan document as received (text converted from Word
//! or PDF, in one of several shapes) → a structured plan for
//! `content/plans/`, and a report of what was found and where the importer
//! was unsure. The stages, one module each: `decode` the bytes, detect the
//! `shape`, read `lines` into paragraphs and `sections`, `tables` into rows,
//! the `meta`data, the [`tasks`] (resolving [`agencies`]), then `write` the
//! plan and the [`report`].

pub mod agencies;
mod decode;
mod lines;
mod meta;
mod patterns;
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
        match crate::load::check_plan(root, rel, &toml) {
            Ok(()) => Ok(toml),
            Err(crate::error::Error::Invalid(diags)) => {
                Err(diags.iter().map(|d| write::locate(d, &toml)).collect())
            }
            Err(e) => Err(vec![e.to_string()]),
        }
    }
}

/// Imports one document.
pub fn import(bytes: &[u8], opts: &Options) -> Result<Imported, ImportError> {
    let decoded = decode::decode(bytes)?;
    let lines: Vec<&str> = decoded.text.lines().collect();
    looks_like_a_plan(&lines)?;
    let jurisdiction = jurisdiction(&lines, opts)?;
    let scope = opts.registry.scope(&jurisdiction);
    let shape = shape::Shape::detect(&lines, &scope);
    let doc = sections::structure(sections::blocks(&lines, &shape));
    if doc.sections.is_empty() && shape.tables.is_empty() {
        return Err(ImportError::new(
            None,
            "this does not look like a plan: it has no numbered sections (I., II., …) and no task table",
        )
        .hint("import the text of a plan (Kế hoạch); check that the right file was given"));
    }
    let meta = meta::extract(&doc, &lines);
    if meta.title.trim().is_empty() {
        return Err(no_title(&doc, &lines));
    }
    let mut notes = report::Notes::default();
    let found = tasks::extract(&doc, &shape.tables, &scope, &mut notes);

    let mut plan = Plan {
        jurisdiction: jurisdiction.clone(),
        issuer: issuer(&lines, &meta, opts.registry, &jurisdiction),
        status: if meta.blank_number { "draft" } else { "issued" },
        source: opts.source.clone(),
        title: meta.title.clone(),
        implements: meta.implements.clone(),
        signer: meta.signer.clone(),
        number: meta.number.clone(),
        ..Plan::default()
    };
    let year = dates(&mut plan, &meta, &lines, &mut notes);
    plan.sections = plan_sections(&doc, &meta, &shape);
    plan.objectives = found.objectives;
    plan.indicator_groups = found.indicator_groups;
    plan.indicators = found.indicators;
    plan.headings = found.headings;
    plan.tasks = found.tasks;
    doubts(&plan, &meta, &mut notes);

    let report = build_report(&plan, &shape, notes, &lines, &decoded);
    Ok(Imported { id: plan_id(&plan, year), plan, report })
}

/// Refuses text that has neither a plan's title nor its numbered sections.
fn looks_like_a_plan(lines: &[&str]) -> Result<(), ImportError> {
    let folded: Vec<String> = lines.iter().map(|l| fold(&lines::clean(l))).collect();
    let title = folded.iter().any(|l| l == "ke hoach" || l.starts_with("ke hoach "));
    let sections = folded
        .iter()
        .filter(|l| {
            patterns::ROMAN.is_match(&l.to_uppercase())
                && ["muc", "nhiem vu", "giai phap", "to chuc thuc hien", "kinh phi", "phan cong"]
                    .iter()
                    .any(|k| l.contains(k))
        })
        .count();
    let table = folded.iter().any(|l| {
        let first = l.split(['\t', ' ', '|']).find(|w| !w.is_empty()).unwrap_or("");
        matches!(first.trim_end_matches('.'), "tt" | "stt")
    });
    if (title || sections >= 2) && (sections >= 1 || table) {
        return Ok(());
    }
    Err(ImportError::new(
        None,
        "this does not look like a plan: no “KẾ HOẠCH” title with numbered sections (I. MỤC TIÊU, II. NHIỆM VỤ…) or a task table",
    )
    .hint("import the text of a plan (Kế hoạch); check that the right file was given"))
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

static PLACE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\**([^,*]{2,40}),\s*ngày\b").unwrap_or_else(|e| panic!("{e}")));

/// The jurisdiction: as given, else the place before the date, else the place the text names most.
fn jurisdiction(lines: &[&str], opts: &Options) -> Result<String, ImportError> {
    let known = || {
        opts.registry
            .jurisdictions
            .iter()
            .filter(|j| !j.central)
            .map(|j| j.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(j) = &opts.jurisdiction {
        if opts.registry.has_jurisdiction(j) {
            return Ok(j.clone());
        }
        return Err(ImportError::new(None, format!("unknown jurisdiction `{j}`"))
            .hint(format!("use one of: {} (files in content/agencies/)", known())));
    }
    let from_place = lines
        .iter()
        .take(40)
        .find_map(|l| PLACE_DATE.captures(l).and_then(|c| opts.registry.jurisdiction_of_place(&c[1])));
    from_place.or_else(|| opts.registry.most_mentioned(&lines.join("\n"))).ok_or_else(|| {
        ImportError::new(None, "cannot tell which jurisdiction issued this plan")
            .hint(format!("pass --jurisdiction ID, one of: {}", known()))
    })
}

static ISSUING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|thành phố)[^,.;]{0,30}?\s+ban\s+hành\s+kế\s+hoạch",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// "Ủy ban nhân dân tỉnh Thừa Thiên Huế": the level the issuing sentence
/// uses, and the place of the date line (or the jurisdiction's name).
fn issuer(lines: &[&str], meta: &meta::Meta, registry: &Registry, jurisdiction: &str) -> String {
    let text = lines.iter().take(60).copied().collect::<Vec<_>>().join(" ");
    let level = ISSUING.captures_iter(&text).last().map(|c| c[1].to_lowercase());
    let name = registry
        .jurisdictions
        .iter()
        .find(|j| j.id == jurisdiction)
        .map(|j| j.name.clone())
        .unwrap_or_default();
    let level = level.unwrap_or_else(|| {
        if fold(&name).starts_with("tinh") { "tỉnh".into() } else { "thành phố".into() }
    });
    let core: String = {
        let w: Vec<&str> = name.split_whitespace().collect();
        let skip = if fold(&name).starts_with("thanh pho") {
            2
        } else if fold(&name).starts_with("tinh") {
            1
        } else {
            0
        };
        w[skip.min(w.len())..].join(" ")
    };
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
fn doubts(plan: &Plan, meta: &meta::Meta, notes: &mut report::Notes) {
    let title_line = meta.title_line.unwrap_or(1);
    if meta.title_in_capitals {
        notes.unsure(title_line, "the title is printed in capitals: it was lowercased, check proper names");
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
    for t in plan.tasks.iter().filter(|t| t.lead.is_empty()) {
        notes.unsure(
            t.line,
            format!("task {} names no agency the registry knows as lead: written commented out", t.id),
        );
    }
}

fn build_report(
    plan: &Plan,
    shape: &shape::Shape,
    mut notes: report::Notes,
    lines: &[&str],
    decoded: &decode::Decoded,
) -> Report {
    let count = |o: Origin| plan.tasks.iter().filter(|t| t.origin == o && !t.lead.is_empty()).count();
    let mut describe = shape.describe();
    if decoded.had_bom {
        describe.push_str("; UTF-8 byte order mark");
    }
    if decoded.crlf {
        describe.push_str("; Windows line endings");
    }
    let repaired = report::repairs(&decoded.controls, &decoded.stray, &mut notes);
    let (resolved, unresolved) = (notes.resolved, notes.unresolved);
    let (unsure, merged) = Report::from_notes(notes, lines);
    Report {
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
