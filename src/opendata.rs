//! Open data, version 1 (a contract, see docs/open-data.md): plans, tasks and
//! agencies as JSON, tasks and indicators as CSV, under `/data/`.

use crate::error::{Error, Result};
use crate::model::{Plan, Task};
use crate::output::OutputFile;
use crate::resolve::{Resolved, Role};
use crate::text::Text;
use serde::Serialize;

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
    jurisdiction: &'a str,
    date: Option<String>,
    status: &'static str,
    source: Option<&'a str>,
    implements: &'a [String],
    url: Urls,
    task_count: usize,
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
}

/// The open-data files of the site.
fn urls(r: &Resolved, path: &str) -> Urls {
    let base = &r.site.config.base_url;
    Urls { vi: format!("{base}vi/{path}"), en: format!("{base}en/{path}") }
}

fn plan_records<'a>(r: &'a Resolved) -> Vec<PlanRecord<'a>> {
    r.site
        .plans
        .iter()
        .map(|p| PlanRecord {
            id: &p.id,
            number: p.number.as_deref(),
            title: &p.title,
            jurisdiction: &p.jurisdiction,
            date: p.date.map(|d| d.to_string()),
            status: p.status.as_str(),
            source: p.source.as_ref().map(|s| s.path.as_str()),
            implements: &p.implements,
            url: urls(r, &format!("plans/{}/", p.id)),
            task_count: p.tasks.len(),
        })
        .collect()
}

fn task_records<'a>(r: &'a Resolved) -> Vec<TaskRecord<'a>> {
    r.site
        .plans
        .iter()
        .flat_map(|p| p.tasks.iter().map(move |t| (p, t)))
        .map(|(p, t)| task_record(p, t, urls(r, &format!("plans/{}/tasks/{}/", p.id, t.id))))
        .collect()
}

/// Plans and tasks as the JSON records of `plans.json` and `tasks.json`,
/// for comparing one build with the previous one.
pub fn values(r: &Resolved) -> Result<(Vec<serde_json::Value>, Vec<serde_json::Value>)> {
    let err = |e: serde_json::Error| Error::Other(format!("open data: {e}"));
    let plans = plan_records(r).iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(err)?;
    let tasks = task_records(r).iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(err)?;
    Ok((plans, tasks))
}

pub fn files(r: &Resolved) -> Result<Vec<OutputFile>> {
    let site = r.site;
    let url = |path: &str| urls(r, path);
    let plans = plan_records(r);
    let tasks = task_records(r);
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
        })
        .collect();
    let mut files = vec![
        json("data/plans.json", "plans", &plans)?,
        json("data/tasks.json", "tasks", &tasks)?,
        json("data/agencies.json", "agencies", &agencies)?,
        OutputFile::new("data/tasks.csv", tasks_csv(&tasks)?),
        OutputFile::new("data/indicators.csv", indicators_csv(&site.plans)?),
    ];
    for (i, agency) in site.agencies.iter().enumerate() {
        files.push(OutputFile::new(format!("data/agencies/{}.csv", agency.id), agency_csv(r, i, &url)?));
    }
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

fn task_record<'a>(p: &'a Plan, t: &'a Task, url: Urls) -> TaskRecord<'a> {
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
    }
}

/// `{ "version": 1, "<key>": [ … ] }`, written straight from the records
/// (no intermediate JSON tree), fields in declaration order.
fn json<T: Serialize>(path: &str, key: &str, items: &[T]) -> Result<OutputFile> {
    struct File<'a, T> {
        key: &'a str,
        items: &'a [T],
    }
    impl<T: Serialize> Serialize for File<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(Some(2))?;
            map.serialize_entry("version", &VERSION)?;
            map.serialize_entry(self.key, self.items)?;
            map.end()
        }
    }
    let mut bytes =
        serde_json::to_vec_pretty(&File { key, items }).map_err(|e| Error::Other(format!("{path}: {e}")))?;
    bytes.push(b'\n');
    Ok(OutputFile::new(path, bytes))
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Other(format!("writing CSV: {e}"));
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner().map_err(|e| Error::Other(format!("writing CSV: {e}")))
}

fn en(t: Option<&Text>) -> String {
    t.and_then(|t| t.en.clone()).unwrap_or_default()
}

fn vi(t: Option<&Text>) -> String {
    t.map(|t| t.vi.clone()).unwrap_or_default()
}

fn tasks_csv(tasks: &[TaskRecord]) -> Result<Vec<u8>> {
    let header = [
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
    ];
    csv_bytes(
        &header,
        tasks.iter().map(|t| {
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
            ]
        }),
    )
}

fn indicators_csv(plans: &[Plan]) -> Result<Vec<u8>> {
    let header = [
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
    ];
    csv_bytes(
        &header,
        plans.iter().flat_map(|p| {
            p.indicators.iter().map(move |i| {
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
                ]
            })
        }),
    )
}
