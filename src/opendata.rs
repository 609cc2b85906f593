//! Open data, version 1 (a contract, see docs/open-data.md): plans, tasks and
//! agencies as JSON, tasks and indicators as CSV, under `/data/`.

use crate::error::{Error, Result};
use crate::history::{PlanRecords, Records};
use crate::model::Plan;
use crate::output::OutputFile;
use crate::resolve::{Resolved, Role, TaskRef};
use crate::scope::Scope;
use crate::state::{Counts, TaskStatus};
use crate::text::Text;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Urls {
    vi: String,
    en: String,
}

#[derive(Serialize)]
struct PlanRecord<'a> {
    id: &'a str,
    number: Option<&'a str>,
    title: &'a Text,
    /// Additive in v1: the name people tell the plan by.
    short_name: &'a Text,
    jurisdiction: &'a str,
    date: Option<String>,
    status: &'static str,
    source: Option<&'a str>,
    implements: &'a [String],
    url: Urls,
    task_count: usize,
    /// Additive in v1: tasks by state, every state listed.
    states: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Due<'a> {
    text: &'a Text,
    start: Option<String>,
    end: Option<String>,
    ongoing: bool,
    recurring: Option<&'static str>,
}

#[derive(Serialize)]
struct TaskRecord<'a> {
    id: String,
    plan: &'a str,
    number: &'a str,
    heading: Option<&'a str>,
    title: &'a Text,
    lead: &'a [String],
    support: &'a [String],
    output: Option<&'a Text>,
    due: Option<Due<'a>>,
    source_line: Option<usize>,
    url: Urls,
    /// Additive in v1 (accountability): the state as of the build's date,
    /// the next date due, and what reports said.
    state: &'static str,
    next_due: Option<String>,
    progress: Option<Progress<'a>>,
}

/// What the reports say of a task: the latest status, then every update.
#[derive(Serialize)]
struct Progress<'a> {
    status: &'static str,
    percent: Option<u8>,
    as_of: String,
    updates: Vec<UpdateRecord<'a>>,
}

#[derive(Serialize)]
struct UpdateRecord<'a> {
    as_of: String,
    status: &'static str,
    percent: Option<u8>,
    note: Option<&'a Text>,
    evidence: Option<&'a str>,
    reported_by: Option<&'a str>,
    document: Option<&'a str>,
    report: &'a str,
}

/// One report, for `progress.json`.
#[derive(Serialize)]
struct ReportRecord<'a> {
    plan: &'a str,
    file: &'a str,
    as_of: String,
    reported_by: Option<&'a str>,
    document: Option<&'a str>,
    url: Option<&'a str>,
    tasks: Vec<ReportedTask<'a>>,
    indicators: Vec<ReportedValue<'a>>,
}

#[derive(Serialize)]
struct ReportedTask<'a> {
    task: String,
    status: &'static str,
    percent: Option<u8>,
    note: Option<&'a Text>,
    evidence: Option<&'a str>,
}

#[derive(Serialize)]
struct ReportedValue<'a> {
    indicator: &'a str,
    year: i32,
    value: &'a str,
}

#[derive(Serialize)]
struct AgencyTasks {
    lead: Vec<String>,
    support: Vec<String>,
}

#[derive(Serialize)]
struct AgencyRecord<'a> {
    id: &'a str,
    jurisdiction: &'a str,
    kind: &'a str,
    name: &'a Text,
    aliases: &'a [String],
    succeeded_by: Option<&'a str>,
    succeeded_on: Option<String>,
    url: Urls,
    tasks: AgencyTasks,
    /// Additive in v1: its tasks (inherited included) by state.
    states: BTreeMap<&'static str, usize>,
}

fn urls(r: &Resolved, path: &str) -> Urls {
    let base = &r.site.config.base_url;
    Urls { vi: format!("{base}vi/{path}"), en: format!("{base}en/{path}") }
}

/// Every state with its count: a stable shape for the data files.
fn state_map(counts: &Counts) -> BTreeMap<&'static str, usize> {
    counts.all().into_iter().map(|(s, n)| (s.as_str(), n)).collect()
}

fn plan_records<'a>(r: &'a Resolved) -> Vec<PlanRecord<'a>> {
    r.site
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| PlanRecord {
            id: &p.id,
            number: p.number.as_deref(),
            title: &p.title,
            short_name: &r.names.plans[i],
            jurisdiction: &p.jurisdiction,
            date: p.date.map(|d| d.to_string()),
            status: p.status.as_str(),
            source: p.source.as_ref().map(|s| s.path.as_str()),
            implements: &p.implements,
            url: urls(r, &format!("plans/{}/", p.id)),
            task_count: p.tasks.len(),
            states: state_map(&r.plan_counts(i)),
        })
        .collect()
}

fn task_records<'a>(r: &'a Resolved, p: usize) -> Vec<TaskRecord<'a>> {
    (0..r.site.plans[p].tasks.len()).map(|t| task_record(r, TaskRef { plan: p, task: t })).collect()
}

/// Each plan's records as JSON values, by plan id, for comparing one build
/// with the previous one; plans outside `scope` are taken from `cache`.
pub fn records(r: &Resolved, scope: &Scope, cache: &Records) -> Result<Records> {
    let err = |e: serde_json::Error| Error::Other(format!("open data: {e}"));
    let plans = plan_records(r);
    let made = scope.per_plan(
        r.site,
        |id| cache.get(id).cloned(),
        |p, _| {
            let tasks = task_records(r, p).iter().map(serde_json::to_value).collect::<Result<_, _>>();
            let plan_record = PlanRecords {
                plan: serde_json::to_value(&plans[p]).map_err(err)?,
                tasks: tasks.map_err(err)?,
            };
            Ok::<_, Error>(Arc::new(plan_record))
        },
    )?;
    Ok(r.site.plans.iter().map(|p| p.id.clone()).zip(made).collect())
}

/// A plan's share of the site-wide data files, kept between the builds of
/// a session: `tasks.json` items, `tasks.csv` and `indicators.csv` rows.
#[derive(Debug, Default)]
pub struct Fragments {
    plans: HashMap<String, Arc<PlanFragments>>,
}

#[derive(Debug)]
struct PlanFragments {
    tasks_json: Vec<Vec<u8>>,
    tasks_csv: Vec<u8>,
    indicators_csv: Vec<u8>,
}

impl PlanFragments {
    fn new(r: &Resolved, p: usize) -> Result<PlanFragments> {
        let plan = &r.site.plans[p];
        let tasks = task_records(r, p);
        let tasks_json = tasks.iter().map(|t| json_item(t, "data/tasks.json")).collect::<Result<_>>()?;
        Ok(PlanFragments {
            tasks_json,
            tasks_csv: csv_rows(tasks.iter().map(task_row))?,
            indicators_csv: csv_rows(indicator_rows(r, plan))?,
        })
    }
}

/// The open-data files; the data of plans outside `scope` comes from
/// `cache`, and agencies outside it keep their CSV file as it was (its path
/// goes to `kept`).
pub fn files(
    r: &Resolved,
    scope: &Scope,
    cache: Option<&mut Fragments>,
    kept: &mut Vec<String>,
) -> Result<Vec<OutputFile>> {
    let site = r.site;
    let url = |path: &str| urls(r, path);
    let parts: Vec<Arc<PlanFragments>> = scope.per_plan(
        site,
        |id| cache.as_ref().and_then(|c| c.plans.get(id).cloned()),
        |p, _| PlanFragments::new(r, p).map(Arc::new),
    )?;
    if let Some(cache) = cache {
        cache.plans = site.plans.iter().map(|p| p.id.clone()).zip(parts.iter().cloned()).collect();
    }

    let plans = plan_records(r);
    let agencies: Vec<AgencyRecord> = site
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| AgencyRecord {
            id: &a.id,
            jurisdiction: &a.jurisdiction,
            kind: &a.kind,
            name: &a.name,
            aliases: &a.aliases,
            succeeded_by: a.succeeded_by.as_ref().map(|s| s.agency.as_str()),
            succeeded_on: a.succeeded_by.as_ref().map(|s| s.date.to_string()),
            url: url(&format!("agencies/{}/", a.id)),
            tasks: AgencyTasks { lead: r.task_ids(i, Role::Lead), support: r.task_ids(i, Role::Support) },
            states: state_map(&r.agency_counts(i)),
        })
        .collect();
    let task_items = parts.iter().flat_map(|f| f.tasks_json.iter());
    let as_of = site.today.to_string();
    let mut files = vec![
        json("data/plans.json", "plans", &plans, &as_of)?,
        OutputFile::new("data/tasks.json", json_file("tasks", task_items, &as_of)),
        json("data/agencies.json", "agencies", &agencies, &as_of)?,
        json("data/progress.json", "reports", &report_records(r), &as_of)?,
        OutputFile::new("data/tasks.csv", csv_file(&TASKS_HEADER, parts.iter().map(|f| &f.tasks_csv))?),
        OutputFile::new(
            "data/indicators.csv",
            csv_file(&INDICATORS_HEADER, parts.iter().map(|f| &f.indicators_csv))?,
        ),
    ];
    let path = |i: usize| format!("data/agencies/{}.csv", site.agencies[i].id);
    let (made, skipped): (Vec<usize>, Vec<usize>) = (0..site.agencies.len()).partition(|&i| scope.agency(i));
    let csvs: Vec<OutputFile> = made
        .par_iter()
        .map(|&i| agency_csv(r, i, &url).map(|bytes| OutputFile::new(path(i), bytes)))
        .collect::<Result<_>>()?;
    files.extend(csvs);
    kept.extend(skipped.into_iter().map(path));
    Ok(files)
}

/// An agency's dated tasks, soonest first, with its role in each.
fn agency_csv(r: &Resolved, agency: usize, url: &dyn Fn(&str) -> Urls) -> Result<Vec<u8>> {
    let header = [
        "due_end",
        "due_start",
        "role",
        "inherited_from",
        "task",
        "plan",
        "number",
        "title_vi",
        "title_en",
        "deadline_vi",
        "deadline_en",
        "url_vi",
        "url_en",
    ];
    let rows = r.dated(agency).into_iter().map(|a| {
        let (plan, task) = r.task(a.task);
        let due = task.deadline.as_ref();
        let urls = url(&format!("plans/{}/tasks/{}/", plan.id, task.id));
        vec![
            due.and_then(|d| d.end()).map(|d| d.to_string()).unwrap_or_default(),
            due.and_then(|d| d.start()).map(|d| d.to_string()).unwrap_or_default(),
            a.role.as_str().to_string(),
            a.inherited_from.map(|i| r.site.agencies[i].id.clone()).unwrap_or_default(),
            format!("{}/{}", plan.id, task.id),
            plan.id.clone(),
            task.number.clone(),
            task.title.vi.clone(),
            en(Some(&task.title)),
            vi(due.map(|d| &d.text)),
            en(due.map(|d| &d.text)),
            urls.vi,
            urls.en,
        ]
    });
    csv_bytes(&header, rows)
}

fn task_record<'a>(r: &'a Resolved, at: TaskRef) -> TaskRecord<'a> {
    let (p, t) = r.task(at);
    let status = r.status(at);
    let url = urls(r, &format!("plans/{}/tasks/{}/", p.id, t.id));
    TaskRecord {
        id: format!("{}/{}", p.id, t.id),
        plan: &p.id,
        number: &t.number,
        heading: t.heading.as_deref(),
        title: &t.title,
        lead: &t.lead,
        support: &t.support,
        output: t.output.as_ref(),
        due: t.deadline.as_ref().map(|d| Due {
            text: &d.text,
            start: d.start().map(|x| x.to_string()),
            end: d.end().map(|x| x.to_string()),
            ongoing: d.ongoing(),
            recurring: d.recurring(),
        }),
        source_line: t.line,
        url,
        state: status.state.as_str(),
        next_due: status.next_due.map(|d| d.to_string()),
        progress: progress(r, status),
    }
}

fn progress<'a>(r: &'a Resolved, status: &TaskStatus) -> Option<Progress<'a>> {
    let reports = &r.site.reports;
    let updates: Vec<UpdateRecord> = status
        .updates
        .iter()
        .map(|u| {
            let report = &reports[u.report];
            let entry = &report.tasks[u.entry];
            UpdateRecord {
                as_of: report.as_of.to_string(),
                status: entry.status.as_str(),
                percent: entry.percent,
                note: entry.note.as_ref(),
                evidence: entry.evidence.as_deref(),
                reported_by: report.reported_by.as_deref(),
                document: report.document.as_deref(),
                report: &report.file,
            }
        })
        .collect();
    let latest = updates.last()?;
    Some(Progress { status: latest.status, percent: latest.percent, as_of: latest.as_of.clone(), updates })
}

/// `progress.json`: every report as it was read, oldest first per plan.
fn report_records<'a>(r: &'a Resolved) -> Vec<ReportRecord<'a>> {
    r.site
        .reports
        .iter()
        .map(|report| ReportRecord {
            plan: &report.plan,
            file: &report.file,
            as_of: report.as_of.to_string(),
            reported_by: report.reported_by.as_deref(),
            document: report.document.as_deref(),
            url: report.url.as_deref(),
            tasks: report
                .tasks
                .iter()
                .map(|u| ReportedTask {
                    task: format!("{}/{}", report.plan, u.task),
                    status: u.status.as_str(),
                    percent: u.percent,
                    note: u.note.as_ref(),
                    evidence: u.evidence.as_deref(),
                })
                .collect(),
            indicators: report
                .indicators
                .iter()
                .map(|v| ReportedValue { indicator: &v.indicator, year: v.year, value: &v.value })
                .collect(),
        })
        .collect()
}

/// `{ "version": 1, "<key>": [ … ] }`, written straight from the records
/// (no intermediate JSON tree), fields in declaration order.
fn json<T: Serialize>(path: &str, key: &str, items: &[T], as_of: &str) -> Result<OutputFile> {
    struct File<'a, T> {
        key: &'a str,
        items: &'a [T],
        as_of: &'a str,
    }
    impl<T: Serialize> Serialize for File<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(3))?;
            map.serialize_entry("version", &VERSION)?;
            map.serialize_entry("as_of", self.as_of)?;
            map.serialize_entry(self.key, self.items)?;
            map.end()
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&File { key, items, as_of })
        .map_err(|e| Error::Other(format!("{path}: {e}")))?;
    bytes.push(b'\n');
    Ok(OutputFile::new(path, bytes))
}

/// CSV lines for `rows`, without a header: files are a header line and
/// then each plan's rows, so a plan's rows can be kept between builds.
fn csv_rows(rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
    for row in rows {
        for cell in &row {
            w.write_field(crate::text::spreadsheet_cell(cell).as_bytes()).map_err(err)?;
        }
        w.write_record(None::<&[u8]>).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Other(format!("writing CSV: {e}")))
}

/// The UTF-8 byte order mark: without it Excel reads a CSV file as the
/// local legacy code page and garbles Vietnamese.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file: the BOM, the header line, then the rows made by [`csv_rows`].
fn csv_file<'a>(header: &[&str], parts: impl Iterator<Item = &'a Vec<u8>>) -> Result<Vec<u8>> {
    let mut file = BOM.to_vec();
    file.extend(csv_rows(std::iter::once(header.iter().map(|h| h.to_string()).collect()))?);
    for part in parts {
        file.extend_from_slice(part);
    }
    Ok(file)
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    csv_file(header, std::iter::once(&csv_rows(rows)?))
}

/// One item of a `{ "version": 1, "<key>": [ … ] }` file, pretty-printed
/// and indented to sit in the array, as [`json`] would print it.
fn json_item<T: Serialize>(item: &T, path: &str) -> Result<Vec<u8>> {
    let bytes = serde_json::to_vec_pretty(item).map_err(|e| Error::Other(format!("{path}: {e}")))?;
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    out.extend_from_slice(b"    ");
    for b in bytes {
        out.push(b);
        if b == b'\n' {
            // Newlines inside strings are escaped, so every raw one is layout.
            out.extend_from_slice(b"    ");
        }
    }
    Ok(out)
}

/// A `{ "version": 1, "<key>": [ … ] }` file from items made by [`json_item`].
fn json_file<'a>(key: &str, items: impl Iterator<Item = &'a Vec<u8>>, as_of: &str) -> Vec<u8> {
    let mut out =
        format!("{{\n  \"version\": {VERSION},\n  \"as_of\": \"{as_of}\",\n  \"{key}\": [").into_bytes();
    let mut first = true;
    for item in items {
        out.extend_from_slice(if first { b"\n" } else { b",\n" });
        out.extend_from_slice(item);
        first = false;
    }
    out.extend_from_slice(if first { b"]\n}\n" } else { b"\n  ]\n}\n" });
    out
}

fn en(t: Option<&Text>) -> String {
    t.and_then(|t| t.en.clone()).unwrap_or_default()
}

fn vi(t: Option<&Text>) -> String {
    t.map(|t| t.vi.clone()).unwrap_or_default()
}

const TASKS_HEADER: [&str; 20] = [
    "id",
    "plan",
    "number",
    "title_vi",
    "title_en",
    "lead",
    "support",
    "output_vi",
    "output_en",
    "deadline_vi",
    "deadline_en",
    "due_start",
    "due_end",
    "ongoing",
    "recurring",
    "url_vi",
    "url_en",
    "state",
    "next_due",
    "percent",
];

fn task_row(t: &TaskRecord) -> Vec<String> {
    let due = t.due.as_ref();
    vec![
        t.id.clone(),
        t.plan.to_string(),
        t.number.to_string(),
        t.title.vi.clone(),
        en(Some(t.title)),
        t.lead.join(";"),
        t.support.join(";"),
        vi(t.output),
        en(t.output),
        vi(due.map(|d| d.text)),
        en(due.map(|d| d.text)),
        due.and_then(|d| d.start.clone()).unwrap_or_default(),
        due.and_then(|d| d.end.clone()).unwrap_or_default(),
        due.is_some_and(|d| d.ongoing).to_string(),
        due.and_then(|d| d.recurring).unwrap_or_default().to_string(),
        t.url.vi.clone(),
        t.url.en.clone(),
        t.state.to_string(),
        t.next_due.clone().unwrap_or_default(),
        t.progress.as_ref().and_then(|p| p.percent).map(|p| p.to_string()).unwrap_or_default(),
    ]
}

const INDICATORS_HEADER: [&str; 14] = [
    "plan",
    "number",
    "group",
    "name_vi",
    "name_en",
    "unit_vi",
    "unit_en",
    "target_vi",
    "target_en",
    "horizon_vi",
    "horizon_en",
    "monitors",
    "id",
    "values",
];

fn indicator_rows<'a>(r: &Resolved, p: &'a Plan) -> impl Iterator<Item = Vec<String>> + 'a {
    // "2025: Top 10; 2026: 55%"
    let values: BTreeMap<String, String> = r
        .indicator_values(&p.id)
        .into_iter()
        .map(|(id, v)| {
            (id.to_string(), v.iter().map(|(y, x)| format!("{y}: {x}")).collect::<Vec<_>>().join("; "))
        })
        .collect();
    let ids: Vec<String> =
        p.indicator_anchors().into_iter().map(|a| a.trim_start_matches("indicator-").to_string()).collect();
    p.indicators.iter().zip(ids).map(move |(i, id)| {
        let reported = values.get(&id).cloned().unwrap_or_default();
        vec![
            p.id.clone(),
            i.number.clone(),
            i.group.clone().unwrap_or_default(),
            i.name.vi.clone(),
            en(Some(&i.name)),
            i.unit.vi.clone(),
            en(Some(&i.unit)),
            i.target.vi.clone(),
            en(Some(&i.target)),
            vi(i.horizon.as_ref()),
            en(i.horizon.as_ref()),
            i.monitors.join(";"),
            id,
            reported,
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files built from per-plan fragments are the ones a single
    /// serialisation of every record would give.
    #[test]
    fn fragments_make_the_same_files_as_whole_records() {
        let site =
            crate::load::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("content loads");
        let r = Resolved::new(&site);
        let files = files(&r, &Scope::all(), None, &mut Vec::new()).expect("data");
        let get = |path: &str| files.iter().find(|f| f.path == path).map(|f| f.bytes.clone());
        let tasks: Vec<TaskRecord> = (0..site.plans.len()).flat_map(|p| task_records(&r, p)).collect();
        let as_of = site.today.to_string();
        assert_eq!(
            get("data/tasks.json"),
            Some(json("data/tasks.json", "tasks", &tasks, &as_of).expect("json").bytes)
        );
        let rows = tasks.iter().map(task_row);
        assert_eq!(get("data/tasks.csv"), Some(csv_bytes(&TASKS_HEADER, rows).expect("csv")));
        let rows = site.plans.iter().flat_map(|p| indicator_rows(&r, p));
        assert_eq!(get("data/indicators.csv"), Some(csv_bytes(&INDICATORS_HEADER, rows).expect("csv")));
        let empty: Vec<TaskRecord> = Vec::new();
        assert_eq!(
            json_file("tasks", std::iter::empty(), &as_of),
            json("x", "tasks", &empty, &as_of).expect("json").bytes
        );
    }
}
