//! The change history as data: what each build changed, as
//! `data/changes.json` keeps it. Low in the crate so that the resolved site
//! can carry the history and every output stage can show it; the
//! [`changes`](crate::changes) stage computes and publishes it.

use crate::text::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const VERSION: u32 = 1;

/// The change log, newest change first. Reading is lenient about what may
/// be absent (null or missing lists, English, agencies) so that whatever a
/// build wrote, the next build reads back: the history lives only in the
/// published output and cannot be regenerated.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct History {
    pub version: u32,
    #[serde(default, deserialize_with = "lenient::list")]
    pub changes: Vec<Change>,
    /// In a preview only: what the next `plansite build` would record, shown
    /// on the changes pages as unpublished; never written to changes.json
    /// or the feeds.
    #[serde(skip)]
    pub pending: Option<Change>,
}

/// What one build changed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Change {
    /// 1 for the first change, counting up: stable anchors and feed ids.
    pub number: u32,
    /// When the build ran (RFC 3339, UTC).
    pub date: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub plans: Diff,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub tasks: Diff,
    /// Progress reports this build published for the first time.
    #[serde(default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ReportItem>,
}

/// A progress report as the history keeps it: enough for feeds to say who
/// reported on what, and to reach the agencies whose tasks it covers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportItem {
    /// Its file under `content/progress/`: what tells reports apart.
    pub file: String,
    #[serde(default)]
    pub plan: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub reported_by: Option<String>,
    /// The tasks it reports on, as `<plan>/<task>`.
    #[serde(default, deserialize_with = "lenient::list")]
    pub tasks: Vec<String>,
    /// The reporter and the agencies leading or supporting those tasks.
    #[serde(default, deserialize_with = "lenient::list")]
    pub agencies: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Diff {
    #[serde(default, deserialize_with = "lenient::list")]
    pub added: Vec<Item>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub removed: Vec<Item>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub modified: Vec<Item>,
}

/// A plan or task that changed, self-contained so that the history can
/// still show it after it is gone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Item {
    pub id: String,
    /// The plan the task belongs to (the plan's own id for plans).
    pub plan: String,
    /// As the open data had it: English may be missing (an imported plan
    /// not yet translated), even the Vietnamese in a record without a title.
    #[serde(default, deserialize_with = "lenient::text")]
    pub title: Text,
    /// Lead and supporting agencies, for the agencies' feeds.
    #[serde(default, deserialize_with = "lenient::list")]
    pub agencies: Vec<String>,
    /// For modified items: the fields that differ.
    #[serde(default, deserialize_with = "lenient::list")]
    pub fields: Vec<String>,
    /// Additive: for modified items, each changed field's value before and
    /// after, as the open data had them. Histories written before it have
    /// none; pages then name the fields only.
    #[serde(default, deserialize_with = "lenient::list", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<FieldChange>,
}

/// One field of a modified record, before and after.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldChange {
    pub field: String,
    #[serde(default)]
    pub old: serde_json::Value,
    #[serde(default)]
    pub new: serde_json::Value,
}

/// Readers for the history's fields that take every value a build may
/// have written. [`Text`]'s own reader is for content files and refuses
/// what the history must keep: a null or missing `en`, an empty `vi`.
mod lenient {
    use crate::text::Text;
    use serde::{Deserialize, Deserializer};

    /// A list; `null` is the empty list.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        or_default(d)
    }

    /// A value; `null` is its default.
    pub fn or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }

    /// `{ "vi": …, "en": … }` with either null or missing, or a plain string.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Plain(String),
        Pair {
            #[serde(default)]
            vi: Option<String>,
            #[serde(default)]
            en: Option<String>,
        },
    }

    /// A title exactly as it was written: nothing trimmed or refused.
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(match Option::<Shape>::deserialize(d)? {
            None => Text::default(),
            Some(Shape::Plain(vi)) => Text::vi(vi),
            Some(Shape::Pair { vi, en }) => Text { vi: vi.unwrap_or_default(), en },
        })
    }
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }

    pub fn extend(&mut self, other: &Diff) {
        self.added.extend(other.added.iter().cloned());
        self.removed.extend(other.removed.iter().cloned());
        self.modified.extend(other.modified.iter().cloned());
    }

    pub fn items(&self) -> impl Iterator<Item = (&'static str, &Item)> {
        let tag = |t: &'static str| move |i| (t, i);
        self.added
            .iter()
            .map(tag("added"))
            .chain(self.removed.iter().map(tag("removed")))
            .chain(self.modified.iter().map(tag("modified")))
    }
}

impl Change {
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty() && self.tasks.is_empty() && self.reports.is_empty()
    }

    /// Whether the change touches a plan (its own record or its tasks).
    pub fn concerns_plan(&self, plan: &str) -> bool {
        self.plans.items().chain(self.tasks.items()).any(|(_, i)| i.plan == plan)
            || self.reports.iter().any(|r| r.plan == plan)
    }

    pub fn concerns_agency(&self, agency: &str) -> bool {
        self.tasks.items().any(|(_, i)| i.agencies.iter().any(|a| a == agency))
            || self.reports.iter().any(|r| r.agencies.iter().any(|a| a == agency))
    }
}

/// A plan's records as JSON values (its own, and its tasks'), as the open
/// data writes them: what one build compares with the previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRecords {
    pub plan: serde_json::Value,
    pub tasks: Vec<serde_json::Value>,
}

/// Every plan's records, by plan id.
pub type Records = BTreeMap<String, Arc<PlanRecords>>;

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
    if !c.reports.is_empty() {
        parts.push(format!("{} {}", c.reports.len(), t("changes_reports")));
    }
    parts.join(", ")
}

/// The day (`YYYY-MM-DD`) each plan, task (`<plan>/<task>`) and agency last
/// changed: the newest change touching it, a report included. Pages show
/// it as "last updated".
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LastChanged {
    pub plans: BTreeMap<String, String>,
    pub tasks: BTreeMap<String, String>,
    pub agencies: BTreeMap<String, String>,
}

impl History {
    pub fn last_changed(&self) -> LastChanged {
        let mut last = LastChanged::default();
        // Newest first: the first date seen for a key is its last change.
        for c in &self.changes {
            let day = c.date.get(..10).unwrap_or(&c.date).to_string();
            let mark = |map: &mut BTreeMap<String, String>, key: &str| {
                map.entry(key.to_string()).or_insert_with(|| day.clone());
            };
            for (_, i) in c.plans.items().chain(c.tasks.items()) {
                mark(&mut last.plans, &i.plan);
                for a in &i.agencies {
                    mark(&mut last.agencies, a);
                }
            }
            for (_, i) in c.tasks.items() {
                mark(&mut last.tasks, &i.id);
            }
            for r in &c.reports {
                mark(&mut last.plans, &r.plan);
                for t in &r.tasks {
                    mark(&mut last.tasks, t);
                }
                for a in &r.agencies {
                    mark(&mut last.agencies, a);
                }
            }
        }
        last
    }
}
