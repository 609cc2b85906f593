//! What changed: each build compares its plans and tasks with the previous
//! build's open data (`public/data/`) and keeps a history in
//! `data/changes.json`, from which the change pages and Atom feeds are made.
//! The first build only starts the history; a build that changes nothing
//! adds nothing, so rebuilding stays byte-identical. Only `plansite build`
//! records: a preview (`plansite serve`) compares with the published build
//! and shows what the next build would record ([`Preview`]), writing nothing
//! into the published history.

use crate::error::{Error, Result};
use crate::history::{Change, Diff, FieldChange, History, Item, Records, ReportItem, VERSION, summary};
use crate::output::OutputFile;
use crate::resolve::Resolved;
use crate::text::{Lang, Text};
use crate::web::{Strings, escape};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The reports of this build, as the history keeps them.
pub fn report_items(r: &Resolved) -> Vec<ReportItem> {
    r.site
        .reports
        .iter()
        .map(|report| {
            let plan = r.site.plans.iter().find(|p| p.id == report.plan);
            let mut agencies: BTreeSet<String> = report.reported_by.iter().cloned().collect();
            for update in &report.tasks {
                if let Some(task) = plan.and_then(|p| p.tasks.iter().find(|t| t.id == update.task)) {
                    agencies.extend(task.lead.iter().chain(&task.support).cloned());
                }
            }
            ReportItem {
                file: report.file.clone(),
                plan: report.plan.clone(),
                as_of: report.as_of.to_string(),
                reported_by: report.reported_by.clone(),
                tasks: report.tasks.iter().map(|u| format!("{}/{}", report.plan, u.task)).collect(),
                agencies: agencies.into_iter().collect(),
            }
        })
        .collect()
}

/// The previous build's records and history, read from its output folder.
#[derive(Debug, Default)]
pub struct Previous {
    plans: Option<BTreeMap<String, Value>>,
    tasks: Option<BTreeMap<String, Value>>,
    /// The report files the previous build published.
    reports: Option<BTreeSet<String>>,
    history: History,
}

impl Previous {
    /// Reads `out/data/`; a site never built before has no previous data.
    pub fn read(out: &Path) -> Result<Previous> {
        let data = out.join("data");
        Ok(Previous {
            plans: records(&data.join("plans.json"), "plans")?,
            tasks: records(&data.join("tasks.json"), "tasks")?,
            reports: Some(report_files(&data.join("progress.json"))?),
            history: read_history(&data.join("changes.json"))?,
        })
    }
}

/// The published history; none yet when the file is not there. A file
/// that cannot be read stops the build (the build publishes nothing, so the
/// history on the site is kept) with what to do: carrying on would replace
/// every earlier change with an empty history.
fn read_history(path: &Path) -> Result<History> {
    let Some(bytes) = read_bytes(path)? else {
        return Ok(History { version: VERSION, ..History::default() });
    };
    let history: History = serde_json::from_slice(&bytes).map_err(|e| bad(path, e))?;
    if history.version > VERSION {
        return Err(bad(
            path,
            format!("version {} was written by a newer plansite (this one reads {VERSION})", history.version),
        ));
    }
    Ok(history)
}

/// An unreadable file of the previous build, and the ways out. serde_json
/// errors end with "at line L column C", so the place is in `e`.
fn bad(path: &Path, e: impl std::fmt::Display) -> Error {
    let without = if path.ends_with("changes.json") {
        "a new history starts (keep the file: it holds the earlier changes)"
    } else {
        "this build records no changes, the history is kept"
    };
    Error::Other(format!(
        "{}: {e}; the change history cannot be continued, and nothing was published\n     \
         hint: repair the file at the place named, or put back a good copy (the published one, or \
         a backup of the output folder); or move the file away and build again: {without}",
        path.display()
    ))
}

fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

fn read_json(path: &Path) -> Result<Option<Value>> {
    let Some(bytes) = read_bytes(path)? else { return Ok(None) };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| bad(path, e))
}

/// The report files `progress.json` lists; none for a build before reports.
fn report_files(path: &Path) -> Result<BTreeSet<String>> {
    let Some(v) = read_json(path)? else { return Ok(BTreeSet::new()) };
    let list = v.get("reports").and_then(Value::as_array).ok_or_else(|| bad(path, "no `reports` array"))?;
    Ok(list.iter().filter_map(|r| Some(r.get("file")?.as_str()?.to_string())).collect())
}

/// `{ "<key>": [ { "id": … }, … ] }` → records by id.
fn records(path: &Path, key: &str) -> Result<Option<BTreeMap<String, Value>>> {
    let Some(v) = read_json(path)? else { return Ok(None) };
    let list = v.get(key).and_then(Value::as_array).ok_or_else(|| bad(path, format!("no `{key}` array")))?;
    Ok(Some(list.iter().filter_map(|r| Some((r.get("id")?.as_str()?.to_string(), r.clone()))).collect()))
}

/// The history after this build: the previous one, plus this build's
/// change if it changed anything.
pub fn update(previous: Previous, records: &Records, reports: &[ReportItem], now: &str) -> History {
    let mut history = History { pending: None, ..previous.history };
    history.version = VERSION;
    let (Some(old_plans), Some(old_tasks)) = (&previous.plans, &previous.tasks) else {
        return history; // the first build starts the history
    };
    let change = Change {
        number: next_number(&history),
        date: now.to_string(),
        plans: diff(old_plans, records.values().map(|r| &r.plan)),
        tasks: diff(old_tasks, records.values().flat_map(|r| &r.tasks)),
        reports: new_reports(&previous.reports, reports),
    };
    if !change.is_empty() {
        history.changes.insert(0, change);
    }
    history
}

fn next_number(history: &History) -> u32 {
    history.changes.first().map_or(1, |c| c.number + 1)
}

/// The reports not among the `known` ones of the previous build.
fn new_reports(known: &Option<BTreeSet<String>>, reports: &[ReportItem]) -> Vec<ReportItem> {
    match known {
        Some(known) => reports.iter().filter(|r| !known.contains(&r.file)).cloned().collect(),
        None => Vec::new(),
    }
}

/// The change history as a preview (`plansite serve`) shows it: the
/// published history exactly as `plansite build` left it, and as pending
/// what the next build would record, found by comparing with the published
/// build's records. Kept per plan, so that a session's rebuild after an
/// edit compares only the plans it touched. An edit and its revert leave
/// nothing pending, and nothing is ever recorded.
#[derive(Debug, Default)]
pub struct Preview {
    published: Previous,
    /// Per plan: the changes of its record and of its tasks, when any.
    pending: BTreeMap<String, (Diff, Diff)>,
}

impl Preview {
    /// Reads the published build in `published` (usually `public/`); a
    /// site never built has nothing to compare with, so nothing is pending.
    pub fn read(published: &Path) -> Result<Preview> {
        Ok(Preview { published: Previous::read(published)?, pending: BTreeMap::new() })
    }

    /// The published history with this preview's pending change. Only the
    /// plans in `only` are compared again (all when `None`).
    pub fn history(
        &mut self,
        records: &Records,
        reports: &[ReportItem],
        only: Option<&BTreeSet<String>>,
        now: &str,
    ) -> History {
        let mut history = History { pending: None, ..self.published.history.clone() };
        history.version = VERSION;
        let (Some(old_plans), Some(old_tasks)) = (&self.published.plans, &self.published.tasks) else {
            return history;
        };
        let again: BTreeSet<String> = match only {
            Some(only) => only.clone(),
            None => {
                self.pending.clear();
                let published = old_plans.keys().cloned().chain(old_tasks.values().filter_map(plan_of));
                records.keys().cloned().chain(published).collect()
            }
        };
        for plan in again {
            let old_plan: BTreeMap<String, Value> =
                old_plans.get(&plan).map(|v| (plan.clone(), v.clone())).into_iter().collect();
            let prefix = format!("{plan}/");
            let old_tasks: BTreeMap<String, Value> = old_tasks
                .range(prefix.clone()..)
                .take_while(|(id, _)| id.starts_with(&prefix))
                .map(|(id, v)| (id.clone(), v.clone()))
                .collect();
            let new = records.get(&plan);
            let plans = diff(&old_plan, new.map(|r| &r.plan).into_iter());
            let tasks = diff(&old_tasks, new.into_iter().flat_map(|r| &r.tasks));
            if plans.is_empty() && tasks.is_empty() {
                self.pending.remove(&plan);
            } else {
                self.pending.insert(plan, (plans, tasks));
            }
        }
        let mut change = Change {
            number: next_number(&history),
            date: now.to_string(),
            plans: Diff::default(),
            tasks: Diff::default(),
            reports: new_reports(&self.published.reports, reports),
        };
        for (plans, tasks) in self.pending.values() {
            change.plans.extend(plans);
            change.tasks.extend(tasks);
        }
        // In the order a build's comparison of all the records gives.
        for diff in [&mut change.plans, &mut change.tasks] {
            for items in [&mut diff.added, &mut diff.removed, &mut diff.modified] {
                items.sort_by(|a, b| a.id.cmp(&b.id));
            }
        }
        history.pending = (!change.is_empty()).then_some(change);
        history
    }
}

/// The plan of a published task record.
fn plan_of(task: &Value) -> Option<String> {
    Some(task.get("plan")?.as_str()?.to_string())
}

/// Fields not compared: URLs follow `--base-url`, counts follow the tasks,
/// and states, next due dates and progress follow the build's date and the
/// reports (a day passing is no change to a plan).
const IGNORED: [&str; 6] = ["url", "task_count", "states", "state", "next_due", "progress"];

fn diff<'a>(old: &BTreeMap<String, Value>, new: impl Iterator<Item = &'a Value>) -> Diff {
    let new: BTreeMap<String, &Value> =
        new.filter_map(|r| Some((r.get("id")?.as_str()?.to_string(), r))).collect();
    let mut d = Diff::default();
    for (id, record) in &new {
        match old.get(id) {
            None => d.added.push(item(id, record, Vec::new())),
            Some(before) => {
                let fields = changed_fields(before, record);
                if !fields.is_empty() {
                    let values = fields
                        .iter()
                        .map(|f| FieldChange {
                            field: f.clone(),
                            old: before.get(f).cloned().unwrap_or_default(),
                            new: record.get(f).cloned().unwrap_or_default(),
                        })
                        .collect();
                    d.modified.push(Item { values, ..item(id, record, fields) });
                }
            }
        }
    }
    for (id, record) in old {
        if !new.contains_key(id) {
            d.removed.push(item(id, record, Vec::new()));
        }
    }
    d
}

fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let keys: BTreeSet<&String> = before
        .as_object()
        .into_iter()
        .chain(after.as_object())
        .flat_map(|o| o.keys())
        .filter(|k| !IGNORED.contains(&k.as_str()))
        .collect();
    keys.into_iter().filter(|k| before.get(k.as_str()) != after.get(k.as_str())).cloned().collect()
}

fn item(id: &str, record: &Value, fields: Vec<String>) -> Item {
    let text = |v: &Value| Text {
        vi: v.get("vi").and_then(Value::as_str).unwrap_or_default().to_string(),
        en: v.get("en").and_then(Value::as_str).map(str::to_string),
    };
    let ids = |key: &str| -> Vec<String> {
        record
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let mut agencies = ids("lead");
    agencies.extend(ids("support"));
    Item {
        id: id.to_string(),
        plan: record.get("plan").and_then(Value::as_str).unwrap_or(id).to_string(),
        title: record.get("title").map(text).unwrap_or_default(),
        agencies,
        fields,
        values: Vec::new(),
    }
}

/// `data/changes.json` and the Atom feeds: site-wide, per plan, per agency,
/// in each language.
pub fn files(r: &Resolved, history: &History, strings: &Strings) -> Result<Vec<OutputFile>> {
    let mut bytes =
        serde_json::to_vec_pretty(history).map_err(|e| Error::Other(format!("changes.json: {e}")))?;
    bytes.push(b'\n');
    let mut files = vec![OutputFile::new("data/changes.json", bytes)];
    let feed = |lang: Lang, path: &str, title: String, keep: &dyn Fn(&Change) -> bool| {
        let changes: Vec<&Change> = history.changes.iter().filter(|c| keep(c)).collect();
        OutputFile::new(format!("{}/{path}", lang.code()), atom(r, lang, path, &title, &changes, strings))
    };
    for lang in Lang::ALL {
        let site_title = r.site.config.title.get(lang).text.to_string();
        files.push(feed(lang, "feed.xml", site_title, &|_| true));
        for plan in &r.site.plans {
            let title = plan.title.get(lang).text.to_string();
            files.push(feed(lang, &format!("plans/{}/feed.xml", plan.id), title, &|c| {
                c.concerns_plan(&plan.id)
            }));
        }
        for agency in &r.site.agencies {
            let title = agency.name.get(lang).text.to_string();
            let path = format!("agencies/{}/feed.xml", agency.id);
            files.push(feed(lang, &path, title, &|c| c.concerns_agency(&agency.id)));
        }
    }
    Ok(files)
}

/// One Atom 1.0 feed (RFC 4287).
fn atom(r: &Resolved, lang: Lang, path: &str, title: &str, changes: &[&Change], strings: &Strings) -> String {
    let base = &r.site.config.base_url;
    let l = lang.code();
    let t = |k: &str| strings.get(lang, k).to_string();
    let updated = changes.first().map_or("1970-01-01T00:00:00Z", |c| c.date.as_str());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{l}\">\n\
         <title>{} · {}</title>\n<id>{base}{l}/{path}</id>\n<link rel=\"self\" href=\"{base}{l}/{path}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}{l}/changes/\"/>\n<updated>{updated}</updated>\n\
         <author><name>{}</name></author>\n",
        escape(&t("changes_title")),
        escape(title),
        escape(r.site.config.title.get(lang).text),
    );
    for c in changes {
        let summary = summary(c, &t);
        let link = format!("{base}{l}/changes/#change-{}", c.number);
        out.push_str(&format!(
            "<entry>\n<id>{link}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<content type=\"html\">{}</content>\n</entry>\n",
            escape(&summary),
            c.date,
            escape(&entry_html(r, lang, c, &t)),
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// The change as an HTML list, for feed entries.
fn entry_html(r: &Resolved, lang: Lang, c: &Change, t: &dyn Fn(&str) -> String) -> String {
    let base = &r.site.config.base_url;
    let mut html = String::from("<ul>");
    for (what, diff) in [("plan", &c.plans), ("task", &c.tasks)] {
        for (kind, i) in diff.items() {
            let url = match what {
                "plan" => format!("{base}{}/plans/{}/", lang.code(), i.id),
                _ => format!(
                    "{base}{}/plans/{}/tasks/{}/",
                    lang.code(),
                    i.plan,
                    i.id.rsplit('/').next().unwrap_or("")
                ),
            };
            let title = escape(i.title.get(lang).text);
            let label = if kind == "removed" { title } else { format!("<a href=\"{url}\">{title}</a>") };
            let fields =
                if i.fields.is_empty() { String::new() } else { format!(" ({})", i.fields.join(", ")) };
            html.push_str(&format!("<li>{}: {label}{fields}</li>", t(&format!("changes_{kind}"))));
        }
    }
    for report in &c.reports {
        let url = format!("{base}{}/plans/{}/", lang.code(), report.plan);
        let by = report.reported_by.as_deref().and_then(|id| r.agency(id)).map(|a| a.name.get(lang).text);
        let who = by.map(|b| format!(" · {}", escape(b))).unwrap_or_default();
        html.push_str(&format!(
            "<li>{} <a href=\"{url}\">{}</a> ({}{who}): {} {}</li>",
            t("changes_report"),
            escape(&report.as_of),
            escape(&report.plan),
            report.tasks.len(),
            t("changes_tasks")
        ));
    }
    html.push_str("</ul>");
    html
}

/// The current time as RFC 3339 UTC; `SOURCE_DATE_EPOCH` (seconds) wins,
/// for reproducible builds.
pub fn now() -> String {
    rfc3339(crate::model::build_time())
}

/// Seconds since 1970 → `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    let date = crate::model::Date::from_unix(secs);
    format!("{date}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::PlanRecords;
    use serde_json::json;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_510_000), "2026-11-24T08:46:40Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn diffs_by_id_and_field() {
        let old: BTreeMap<String, Value> = [
            ("p/1", json!({"id": "p/1", "plan": "p", "title": {"vi": "a"}, "lead": ["x"], "url": "u1"})),
            ("p/2", json!({"id": "p/2", "plan": "p", "title": {"vi": "b"}, "lead": ["y"]})),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let new = [
            json!({"id": "p/1", "plan": "p", "title": {"vi": "a2"}, "lead": ["x"], "url": "u2"}),
            json!({"id": "p/3", "plan": "p", "title": {"vi": "c"}, "lead": ["z"], "support": ["x"]}),
        ];
        let d = diff(&old, new.iter());
        assert_eq!(d.modified.len(), 1);
        assert_eq!(d.modified[0].fields, vec!["title"], "urls are not compared");
        assert_eq!(
            d.modified[0].values,
            [FieldChange { field: "title".into(), old: json!({"vi": "a"}), new: json!({"vi": "a2"}) }],
            "the old and the new value"
        );
        assert_eq!(d.added[0].id, "p/3");
        assert_eq!(d.added[0].agencies, vec!["z", "x"]);
        assert_eq!(d.removed[0].id, "p/2");
    }

    /// Plans `p` and `p-2` (whose task ids sort among `p`'s), one task each.
    fn records(title: &str) -> Records {
        let plan = |id: &str, title: &str| {
            let plan = json!({"id": id, "title": {"vi": id}});
            let tasks = vec![json!({"id": format!("{id}/1"), "plan": id, "title": {"vi": title}})];
            (id.to_string(), std::sync::Arc::new(PlanRecords { plan, tasks }))
        };
        [plan("p", title), plan("p-2", "x")].into_iter().collect()
    }

    /// What a build that wrote `records` leaves for the next one.
    fn published(records: &Records, history: History) -> Previous {
        let by_id = |v: &Value| Some((v.get("id")?.as_str()?.to_string(), v.clone()));
        Previous {
            plans: Some(records.values().filter_map(|r| by_id(&r.plan)).collect()),
            tasks: Some(records.values().flat_map(|r| &r.tasks).filter_map(by_id).collect()),
            reports: Some(BTreeSet::new()),
            history,
        }
    }

    #[test]
    fn first_build_starts_an_empty_history_and_unchanged_builds_add_nothing() {
        let first = update(Previous::default(), &records("a"), &[], "2026-01-01T00:00:00Z");
        assert!(first.changes.is_empty());
        let same = update(published(&records("a"), first), &records("a"), &[], "2026-01-02T00:00:00Z");
        assert!(same.changes.is_empty());
        let changed = update(published(&records("a"), same), &records("b"), &[], "2026-01-03T00:00:00Z");
        assert_eq!(changed.changes[0].number, 1);
        assert_eq!(changed.changes[0].tasks.modified[0].id, "p/1");
        assert_eq!(changed.changes[0].tasks.modified[0].fields, ["title"]);
    }

    #[test]
    fn a_preview_keeps_the_published_history_and_pends_what_a_build_would_record() {
        let earlier =
            update(published(&records("a"), History::default()), &records("z"), &[], "2026-01-01T00:00:00Z");
        let mut preview =
            Preview { published: published(&records("z"), earlier.clone()), ..Preview::default() };
        let now = "2026-01-02T00:00:00Z";
        let shown = preview.history(&records("z"), &[], None, now);
        assert_eq!(shown, earlier, "nothing pending while the content is as published");

        let only: BTreeSet<String> = ["p".to_string()].into_iter().collect();
        let shown = preview.history(&records("b"), &[], Some(&only), now);
        assert_eq!(shown.changes, earlier.changes, "the published history is kept as it is");
        let pending = shown.pending.expect("the edit is pending");
        let would_record = update(published(&records("z"), earlier.clone()), &records("b"), &[], now);
        assert_eq!(Some(&pending), would_record.changes.first(), "what the next build records");
        assert_eq!(pending.number, 2);

        let elsewhere: BTreeSet<String> = ["q".to_string()].into_iter().collect();
        let shown = preview.history(&records("c"), &[], Some(&elsewhere), now);
        assert_eq!(shown.pending, Some(pending), "plans outside `only` keep their comparison");
        let reverted = preview.history(&records("z"), &[], Some(&only), now);
        assert_eq!(reverted, earlier, "an edit and its revert leave nothing pending");
        let mut gone = records("z");
        gone.remove("p-2");
        let removed = preview.history(&gone, &[], None, now).pending.expect("a plan removed");
        assert_eq!(removed.plans.removed[0].id, "p-2");
        assert_eq!(removed.tasks.removed[0].id, "p-2/1", "its tasks, not the tasks of `p`");
        assert!(removed.tasks.modified.is_empty());
    }

    #[test]
    fn a_preview_of_a_site_never_built_has_nothing_pending() {
        let dir = tempfile::tempdir().expect("dir");
        let mut preview = Preview::read(&dir.path().join("public")).expect("no published build");
        let shown = preview.history(&records("a"), &[], None, "2026-01-02T00:00:00Z");
        assert_eq!(shown, History { version: VERSION, ..History::default() });
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn any_text() -> impl Strategy<Value = Text> {
        let s = "[ -~àđế\u{0}-\u{1f}\"\\\\]{0,8}";
        (s, proptest::option::of(s)).prop_map(|(vi, en)| Text { vi, en })
    }

    fn any_item() -> impl Strategy<Value = Item> {
        let ids = proptest::collection::vec("[a-z0-9-]{0,6}", 0..3);
        ("[a-z0-9/-]{0,8}", "[a-z0-9-]{0,6}", any_text(), ids.clone(), ids).prop_map(
            |(id, plan, title, agencies, fields)| Item {
                id,
                plan,
                title,
                agencies,
                values: fields
                    .iter()
                    .map(|f| FieldChange { field: f.clone(), old: Value::Null, new: Value::from(f.as_str()) })
                    .collect(),
                fields,
            },
        )
    }

    fn any_diff() -> impl Strategy<Value = Diff> {
        let list = || proptest::collection::vec(any_item(), 0..3);
        (list(), list(), list()).prop_map(|(added, removed, modified)| Diff { added, removed, modified })
    }

    fn any_history() -> impl Strategy<Value = History> {
        let change = (any::<u32>(), "[0-9TZ:-]{0,20}", any_diff(), any_diff()).prop_map(
            |(number, date, plans, tasks)| Change { number, date, plans, tasks, reports: Vec::new() },
        );
        proptest::collection::vec(change, 0..4).prop_map(|changes| History {
            version: VERSION,
            changes,
            pending: None,
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever a build writes, the next build reads back as it was.
        #[test]
        fn every_history_reads_back_as_written(h in any_history()) {
            let bytes = serde_json::to_vec_pretty(&h).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: History = serde_json::from_slice(&bytes)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&bytes))))?;
            prop_assert_eq!(back, h);
        }
    }

    #[test]
    fn records_with_nothing_optional_make_items_that_read_back() {
        // An imported plan: no English anywhere, no agencies, null output;
        // and a record that has lost even its title.
        let old = BTreeMap::new();
        let new = [
            json!({"id": "p/1", "plan": "p", "title": {"vi": "Một", "en": null}, "lead": [], "support": [], "output": null}),
            json!({"id": "p/2", "plan": "p", "title": {"vi": "Hai"}}),
            json!({"id": "p/3"}),
        ];
        let d = diff(&old, new.iter());
        assert_eq!(d.added[0].title, Text::vi("Một"));
        assert_eq!(d.added[2].title, Text::default());
        let h = History {
            version: VERSION,
            changes: vec![Change {
                number: 1,
                date: "2026-01-01T00:00:00Z".into(),
                plans: Diff::default(),
                tasks: d,
                reports: Vec::new(),
            }],
            pending: None,
        };
        let text = serde_json::to_string_pretty(&h).expect("json");
        assert!(text.contains("\"en\": null"), "{text}");
        assert_eq!(serde_json::from_str::<History>(&text).expect("reads back"), h);
    }

    #[test]
    fn histories_without_values_read_back() {
        let h: History = serde_json::from_value(json!({"version": 1, "changes": [{"number": 1, "date": "2026-01-01T00:00:00Z",
            "tasks": {"modified": [{"id": "p/1", "plan": "p", "title": {"vi": "a"}, "fields": ["title"]}]}}]}))
        .expect("an old history reads");
        assert_eq!(h.changes[0].tasks.modified[0].values, []);
        let h: History = serde_json::from_value(
            json!({"version": 1, "changes": [{"number": 1, "date": "2026-01-01T00:00:00Z",
            "tasks": {"modified": [{"id": "p/1", "plan": "p", "values": null}]}}]}),
        )
        .expect("null values read");
        assert_eq!(h.changes[0].tasks.modified[0].values, []);
    }

    #[test]
    fn absent_and_null_fields_read_as_empty() {
        let text = r#"{"version": 1, "changes": [
            {"number": 2, "date": "2026-01-02T00:00:00Z", "tasks": {"added": [
                {"id": "p/1", "plan": "p", "title": {"en": "One"}, "agencies": null, "fields": null},
                {"id": "p/2", "plan": "p", "title": "Hai"},
                {"id": "p/3", "plan": "p", "title": null}
            ], "removed": null}},
            {"number": 1, "date": "2026-01-01T00:00:00Z", "plans": null, "tasks": null}
        ]}"#;
        let h: History = serde_json::from_str(text).expect("lenient");
        let added = &h.changes[0].tasks.added;
        assert_eq!(added[0].title, Text { vi: String::new(), en: Some("One".into()) });
        assert!(added[0].agencies.is_empty() && added[0].fields.is_empty());
        assert_eq!(added[1].title, Text::vi("Hai"));
        assert_eq!(added[2].title, Text::default());
        assert_eq!(h.changes[1].plans, Diff::default());
        assert_eq!(
            serde_json::from_str::<History>(r#"{"version": 1}"#).expect("no changes"),
            History { version: 1, changes: vec![], pending: None }
        );
    }

    #[test]
    fn an_unreadable_history_names_the_place_and_the_ways_out() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("changes.json");
        std::fs::write(&path, "{\"version\": 1,\n \"changes\": [ {\"number\": \"one\"} ]}").expect("write");
        let e = read_history(&path).expect_err("a number that is text").to_string();
        assert!(e.contains("changes.json") && e.contains("line 2"), "{e}");
        assert!(e.contains("nothing was published") && e.contains("move the file away"), "{e}");
        std::fs::write(&path, "{\"version\": 2, \"changes\": []}").expect("write");
        let e = read_history(&path).expect_err("newer").to_string();
        assert!(e.contains("newer plansite"), "{e}");
        assert!(read_history(&dir.path().join("none.json")).expect("absent").changes.is_empty());
    }
}
