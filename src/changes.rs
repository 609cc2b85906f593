//! What changed: each build compares its plans and tasks with the previous
//! build's open data (`public/data/`) and keeps a history in
//! `data/changes.json`, from which the change pages and Atom feeds are made.
//! The first build only starts the history; a build that changes nothing
//! adds nothing, so rebuilding stays byte-identical.

use crate::error::{Error, Result};
use crate::history::{
    Change, Diff, FieldChange, History, Item, PlanRecords, Records, ReportItem, VERSION, summary,
};
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
    /// The report files the previous build published; `None` when they
    /// cannot have changed (a session's partial rebuild).
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
        return Ok(History { version: VERSION, changes: Vec::new() });
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

impl Previous {
    /// The previous build of a session, from memory: its history, and the
    /// records of the plans in `only` (the ones that may have changed).
    pub fn remembered(records: &Records, history: History, only: &BTreeSet<String>) -> Previous {
        let mine = || records.iter().filter(|(id, _)| only.contains(*id)).map(|(_, r)| r);
        let by_id = |v: &Value| Some((v.get("id")?.as_str()?.to_string(), v.clone()));
        Previous {
            plans: Some(mine().filter_map(|r| by_id(&r.plan)).collect()),
            tasks: Some(mine().flat_map(|r| &r.tasks).filter_map(by_id).collect()),
            // A changed report makes a session build everything again.
            reports: None,
            history,
        }
    }
}

/// The history after this build: the previous one, plus this build's
/// change if it changed anything. Only the plans in `only` are compared
/// (all when `None`); the previous records must be limited the same way.
pub fn update(
    previous: Previous,
    records: &Records,
    reports: &[ReportItem],
    only: Option<&BTreeSet<String>>,
    now: &str,
) -> History {
    let mine: Vec<&PlanRecords> =
        records.iter().filter(|(id, _)| only.is_none_or(|o| o.contains(*id))).map(|(_, r)| &**r).collect();
    let plans: Vec<Value> = mine.iter().map(|r| r.plan.clone()).collect();
    let tasks: Vec<&Value> = mine.iter().flat_map(|r| &r.tasks).collect();
    let mut history = previous.history;
    history.version = VERSION;
    let (Some(old_plans), Some(old_tasks)) = (previous.plans, previous.tasks) else {
        return history; // the first build starts the history
    };
    let change = Change {
        number: history.changes.first().map_or(1, |c| c.number + 1),
        date: now.to_string(),
        plans: diff(&old_plans, plans.iter()),
        tasks: diff(&old_tasks, tasks.into_iter()),
        reports: match &previous.reports {
            Some(known) => reports.iter().filter(|r| !known.contains(&r.file)).cloned().collect(),
            None => Vec::new(),
        },
    };
    if !(change.plans.is_empty() && change.tasks.is_empty() && change.reports.is_empty()) {
        history.changes.insert(0, change);
    }
    history
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

    fn records(title: &str) -> Records {
        let plan = json!({"id": "p", "title": {"vi": "p"}});
        let tasks = vec![json!({"id": "p/1", "plan": "p", "title": {"vi": title}})];
        [("p".to_string(), std::sync::Arc::new(PlanRecords { plan, tasks }))].into_iter().collect()
    }

    #[test]
    fn first_build_starts_an_empty_history_and_unchanged_builds_add_nothing() {
        let first = update(Previous::default(), &records("a"), &[], None, "2026-01-01T00:00:00Z");
        assert!(first.changes.is_empty());
        let only = ["p".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), first, &only);
        let same = update(previous, &records("a"), &[], Some(&only), "2026-01-02T00:00:00Z");
        assert!(same.changes.is_empty());
    }

    #[test]
    fn a_session_compares_only_the_plans_that_changed() {
        let only = ["p".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), History::default(), &only);
        let changed = update(previous, &records("b"), &[], Some(&only), "2026-01-02T00:00:00Z");
        assert_eq!(changed.changes[0].tasks.modified[0].fields, ["title"]);
        let elsewhere = ["q".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), History::default(), &elsewhere);
        let ignored = update(previous, &records("b"), &[], Some(&elsewhere), "2026-01-02T00:00:00Z");
        assert!(ignored.changes.is_empty(), "plans outside `only` are not compared");
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
        proptest::collection::vec(change, 0..4).prop_map(|changes| History { version: VERSION, changes })
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
            History { version: 1, changes: vec![] }
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
