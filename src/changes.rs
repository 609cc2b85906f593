//! What changed: each build compares its plans and tasks with the previous
//! build's open data (`public/data/`) and keeps a history in
//! `data/changes.json`, from which the change pages and Atom feeds are made.
//! The first build only starts the history; a build that changes nothing
//! adds nothing, so rebuilding stays byte-identical.

use crate::error::{Error, Result};
use crate::opendata::{PlanRecords, Records};
use crate::output::OutputFile;
use crate::render::escape;
use crate::resolve::Resolved;
use crate::text::{Lang, Text};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const VERSION: u32 = 1;

/// The change log, newest change first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct History {
    pub version: u32,
    pub changes: Vec<Change>,
}

/// What one build changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    /// 1 for the first change, counting up: stable anchors and feed ids.
    pub number: u32,
    /// When the build ran (RFC 3339, UTC).
    pub date: String,
    pub plans: Diff,
    pub tasks: Diff,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Diff {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub modified: Vec<Item>,
}

/// A plan or task that changed, self-contained so that the history can
/// still show it after it is gone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub id: String,
    /// The plan the task belongs to (the plan's own id for plans).
    pub plan: String,
    pub title: Text,
    /// Lead and supporting agencies, for the agencies' feeds.
    #[serde(default)]
    pub agencies: Vec<String>,
    /// For modified items: the fields that differ.
    #[serde(default)]
    pub fields: Vec<String>,
}

impl Diff {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }

    fn items(&self) -> impl Iterator<Item = (&'static str, &Item)> {
        let tag = |t: &'static str| move |i| (t, i);
        self.added
            .iter()
            .map(tag("added"))
            .chain(self.removed.iter().map(tag("removed")))
            .chain(self.modified.iter().map(tag("modified")))
    }
}

impl Change {
    /// Whether the change touches a plan (its own record or its tasks).
    pub fn concerns_plan(&self, plan: &str) -> bool {
        self.plans.items().chain(self.tasks.items()).any(|(_, i)| i.plan == plan)
    }

    pub fn concerns_agency(&self, agency: &str) -> bool {
        self.tasks.items().any(|(_, i)| i.agencies.iter().any(|a| a == agency))
    }
}

/// The previous build's records and history, read from its output folder.
#[derive(Debug, Default)]
pub struct Previous {
    plans: Option<BTreeMap<String, Value>>,
    tasks: Option<BTreeMap<String, Value>>,
    history: History,
}

impl Previous {
    /// Reads `out/data/`; a site never built before has no previous data.
    pub fn read(out: &Path) -> Result<Previous> {
        let data = out.join("data");
        Ok(Previous {
            plans: records(&data.join("plans.json"), "plans")?,
            tasks: records(&data.join("tasks.json"), "tasks")?,
            history: match read_json(&data.join("changes.json"))? {
                Some(v) => serde_json::from_value(v).map_err(|e| bad(&data.join("changes.json"), e))?,
                None => History { version: VERSION, changes: Vec::new() },
            },
        })
    }
}

fn bad(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Other(format!(
        "{}: {e}; the change history cannot be continued — restore the previous build's data/ or delete the file to start a new history",
        path.display()
    ))
}

fn read_json(path: &Path) -> Result<Option<Value>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| bad(path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
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
            history,
        }
    }
}

/// The history after this build: the previous one, plus this build's
/// change if it changed anything. Only the plans in `only` are compared
/// (all when `None`); the previous records must be limited the same way.
pub fn update(previous: Previous, records: &Records, only: Option<&BTreeSet<String>>, now: &str) -> History {
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
    };
    if !(change.plans.is_empty() && change.tasks.is_empty()) {
        history.changes.insert(0, change);
    }
    history
}

/// Fields not compared: URLs follow `--base-url`, counts follow the tasks.
const IGNORED: [&str; 2] = ["url", "task_count"];

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
                    d.modified.push(item(id, record, fields));
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
    }
}

/// `data/changes.json` and the Atom feeds: site-wide, per plan, per agency,
/// in each language.
pub fn files(r: &Resolved, history: &History, strings: &crate::render::Strings) -> Result<Vec<OutputFile>> {
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
fn atom(
    r: &Resolved,
    lang: Lang,
    path: &str,
    title: &str,
    changes: &[&Change],
    strings: &crate::render::Strings,
) -> String {
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

/// "2 tasks added, 1 task modified".
pub fn summary(c: &Change, t: &dyn Fn(&str) -> String) -> String {
    let mut parts = Vec::new();
    for (what, diff) in [("plans", &c.plans), ("tasks", &c.tasks)] {
        for (kind, n) in
            [("added", diff.added.len()), ("removed", diff.removed.len()), ("modified", diff.modified.len())]
        {
            if n > 0 {
                parts.push(format!(
                    "{n} {} {}",
                    t(&format!("changes_{what}")),
                    t(&format!("changes_{kind}"))
                ));
            }
        }
    }
    parts.join(", ")
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
    html.push_str("</ul>");
    html
}

/// The current time as RFC 3339 UTC; `SOURCE_DATE_EPOCH` (seconds) wins,
/// for reproducible builds.
pub fn now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    rfc3339(secs)
}

/// Seconds since 1970 → `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days).
pub fn rfc3339(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
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
        let first = update(Previous::default(), &records("a"), None, "2026-01-01T00:00:00Z");
        assert!(first.changes.is_empty());
        let only = ["p".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), first, &only);
        let same = update(previous, &records("a"), Some(&only), "2026-01-02T00:00:00Z");
        assert!(same.changes.is_empty());
    }

    #[test]
    fn a_session_compares_only_the_plans_that_changed() {
        let only = ["p".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), History::default(), &only);
        let changed = update(previous, &records("b"), Some(&only), "2026-01-02T00:00:00Z");
        assert_eq!(changed.changes[0].tasks.modified[0].fields, ["title"]);
        let elsewhere = ["q".to_string()].into_iter().collect();
        let previous = Previous::remembered(&records("a"), History::default(), &elsewhere);
        let ignored = update(previous, &records("b"), Some(&elsewhere), "2026-01-02T00:00:00Z");
        assert!(ignored.changes.is_empty(), "plans outside `only` are not compared");
    }
}
