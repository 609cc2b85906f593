//! Progress reports: `content/progress/<plan>/<as-of>-<reporter>.toml`, one
//! file per report, read and checked like plans: an unknown task,
//! indicator, status or agency, a percent outside 0–100, a task reported
//! twice for the same date — every problem with its file and line. (A date
//! after the build's "as of" is checked by the build, which knows it.)

use super::{At, Checker, Files, Parsed};
use crate::error::Diagnostic;
use crate::model::{Date, IndicatorValue, Plan, Report, Reported, TaskUpdate};
use crate::text::Text;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReport {
    as_of: Spanned<RawDate>,
    reported_by: Option<Spanned<String>>,
    document: Option<String>,
    url: Option<Spanned<String>>,
    #[serde(default)]
    tasks: Vec<Spanned<RawUpdate>>,
    #[serde(default)]
    indicators: Vec<Spanned<RawValue>>,
}

/// `as_of = 2026-06-30` (a TOML date) or `"2026-06-30"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Date(toml::value::Datetime),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    task: Spanned<String>,
    status: Spanned<String>,
    percent: Option<Spanned<i64>>,
    note: Option<Text>,
    evidence: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    indicator: Spanned<String>,
    year: Spanned<i64>,
    value: Spanned<RawNumberOrText>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawNumberOrText {
    Integer(i64),
    Float(f64),
    Text(String),
}

/// A report file and the plan folder it sits in.
pub(super) struct ReportFile {
    plan: String,
    parsed: Parsed<RawReport>,
}

impl Files<'_> {
    /// Every report under `content/progress/`, sorted by path.
    pub(super) fn report_files(&mut self) -> Vec<ReportFile> {
        let dir = self.root.join("content/progress");
        if !dir.is_dir() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).min_depth(1).max_depth(2).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if super::is_scratch_file(&name) {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(self.root).map(Path::to_path_buf) else { continue };
            if entry.depth() == 1 && entry.file_type().is_file() {
                self.diags.push(
                    Diagnostic::new(&rel, None, "a report must sit in its plan's folder")
                        .hint("move it to content/progress/<plan id>/<as-of>-<reporter>.toml"),
                );
            }
            if entry.depth() != 2 || !entry.file_type().is_file() || !name.ends_with(".toml") {
                continue;
            }
            let plan = rel.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
            if let (Some(plan), Some(parsed)) = (plan, self.parse::<RawReport>(&rel)) {
                found.push(ReportFile { plan, parsed });
            }
        }
        found
    }
}

impl Checker<'_> {
    /// Turns report files into reports, checking every reference.
    pub(super) fn reports(&mut self, files: Vec<ReportFile>, plans: &[Arc<Plan>]) -> Vec<Report> {
        let by_id: BTreeMap<&str, &Plan> = plans.iter().map(|p| (p.id.as_str(), p.as_ref())).collect();
        let mut reports = Vec::new();
        let mut seen: BTreeMap<(String, String, Date), String> = BTreeMap::new();
        for file in files {
            let at = At { rel: &file.parsed.rel, text: &file.parsed.text };
            let Some(plan) = by_id.get(file.plan.as_str()) else {
                let known: Vec<&str> = by_id.keys().copied().collect();
                self.diags.push(
                    Diagnostic::new(
                        &file.parsed.rel,
                        None,
                        format!("no plan `{}` for this report", file.plan),
                    )
                    .hint(format!("the folder must be a plan id: {}", known.join(", "))),
                );
                continue;
            };
            if let Some((report, lines)) = self.report(&at, plan, &file.parsed.value) {
                for (update, line) in report.tasks.iter().zip(lines) {
                    let key = (report.plan.clone(), update.task.clone(), report.as_of);
                    if let Some(other) = seen.insert(key, report.file.clone()) {
                        self.diags.push(
                            Diagnostic::new(
                                &file.parsed.rel,
                                Some(line),
                                format!(
                                    "task `{}` is also reported as of {} in {other}",
                                    update.task, report.as_of
                                ),
                            )
                            .hint("one report per task and date: merge the two, or correct a date"),
                        );
                    }
                }
                reports.push(report);
            }
        }
        reports.sort_by(|a, b| (&a.plan, a.as_of, &a.file).cmp(&(&b.plan, b.as_of, &b.file)));
        reports
    }

    /// A report, with the line of each of its task entries.
    fn report(&mut self, at: &At, plan: &Plan, raw: &RawReport) -> Option<(Report, Vec<usize>)> {
        let before = self.diags.len();
        let as_of = match raw.as_of.get_ref() {
            RawDate::Date(d) => {
                d.date.and_then(|d| Date::new(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
            }
            RawDate::Text(s) => Date::parse_iso(s),
        };
        if as_of.is_none() || matches!(raw.as_of.get_ref(), RawDate::Date(d) if d.time.is_some()) {
            self.diags
                .push(at.diag(raw.as_of.span(), "as_of is not a date").hint("write it as_of = 2026-06-30"));
        }
        if let Some(by) = &raw.reported_by {
            self.reference(at, by);
        }
        if let Some(url) = &raw.url {
            self.web_link(at, url, "url");
        }
        let (tasks, lines): (Vec<TaskUpdate>, Vec<usize>) =
            self.updates(at, plan, &raw.tasks).into_iter().unzip();
        let indicators = self.values(at, plan, &raw.indicators);
        if tasks.is_empty() && indicators.is_empty() && self.diags.len() == before {
            self.diags.push(
                Diagnostic::new(at.rel, None, "this report reports nothing")
                    .hint("add [[tasks]] or [[indicators]] entries, or delete the file"),
            );
        }
        (self.diags.len() == before).then(|| {
            let report = Report {
                plan: plan.id.clone(),
                file: at.rel.to_string_lossy().replace('\\', "/"),
                as_of: as_of.unwrap_or(Date { year: 1970, month: 1, day: 1 }),
                as_of_line: Some(super::line_of(at.text, raw.as_of.span().start)),
                reported_by: raw.reported_by.as_ref().map(|b| b.get_ref().clone()),
                document: raw.document.clone(),
                url: raw.url.as_ref().map(|u| u.get_ref().clone()),
                tasks,
                indicators,
            };
            (report, lines)
        })
    }

    fn updates(&mut self, at: &At, plan: &Plan, raw: &[Spanned<RawUpdate>]) -> Vec<(TaskUpdate, usize)> {
        let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
        for t in &plan.tasks {
            ids.insert(&t.id, &t.id);
            for alias in &t.aliases {
                ids.insert(alias, &t.id);
            }
        }
        let mut in_this = BTreeSet::new();
        let mut updates = Vec::new();
        for r in raw {
            let u = r.get_ref();
            let Some(&task) = ids.get(u.task.get_ref().as_str()) else {
                self.diags.push(
                    at.diag(u.task.span(), format!("plan `{}` has no task `{}`", plan.id, u.task.get_ref()))
                        .hint("use the task id from its page address: …/tasks/<id>/"),
                );
                continue;
            };
            if !in_this.insert(task) {
                self.diags.push(
                    at.diag(u.task.span(), format!("task `{task}` is reported twice in this report"))
                        .hint("keep one entry per task"),
                );
            }
            let status = Reported::parse(u.status.get_ref());
            if status.is_none() {
                self.diags.push(
                    at.diag(u.status.span(), format!("unknown status `{}`", u.status.get_ref()))
                        .hint("status is one of not_started, in_progress, done, cancelled"),
                );
            }
            let percent = u.percent.as_ref().and_then(|p| {
                let ok = (0..=100).contains(p.get_ref());
                if !ok {
                    self.diags.push(
                        at.diag(p.span(), format!("percent {} is outside 0–100", p.get_ref()))
                            .hint("write how much is done as a whole number from 0 to 100"),
                    );
                }
                ok.then(|| *p.get_ref() as u8)
            });
            if let Some(evidence) = &u.evidence {
                self.web_link(at, evidence, "evidence");
            }
            if let Some(status) = status {
                let update = TaskUpdate {
                    task: task.to_string(),
                    status,
                    percent,
                    note: u.note.clone(),
                    evidence: u.evidence.as_ref().map(|e| e.get_ref().clone()),
                };
                updates.push((update, super::line_of(at.text, u.task.span().start)));
            }
        }
        updates
    }

    fn values(&mut self, at: &At, plan: &Plan, raw: &[Spanned<RawValue>]) -> Vec<IndicatorValue> {
        let anchors = plan.indicator_anchors();
        let ids: BTreeSet<&str> = anchors.iter().filter_map(|a| a.strip_prefix("indicator-")).collect();
        let mut values = Vec::new();
        for r in raw {
            let v = r.get_ref();
            let id = v.indicator.get_ref();
            if !ids.contains(id.as_str()) {
                let known: Vec<&str> = ids.iter().copied().take(12).collect();
                self.diags.push(
                    at.diag(v.indicator.span(), format!("plan `{}` has no indicator `{id}`", plan.id)).hint(
                        format!("indicator ids are those of the plan page's anchors: {}", known.join(", ")),
                    ),
                );
                continue;
            }
            let year = *v.year.get_ref();
            if !(1900..=2200).contains(&year) {
                self.diags.push(
                    at.diag(v.year.span(), format!("{year} is not a year")).hint("write the year, like 2025"),
                );
                continue;
            }
            let value = match v.value.get_ref() {
                RawNumberOrText::Integer(n) => n.to_string(),
                RawNumberOrText::Float(x) => x.to_string(),
                RawNumberOrText::Text(s) if !s.trim().is_empty() => s.trim().to_string(),
                RawNumberOrText::Text(_) => {
                    self.diags.push(
                        at.diag(v.value.span(), "empty value")
                            .hint("write the value as reported, with its unit"),
                    );
                    continue;
                }
            };
            values.push(IndicatorValue { indicator: id.clone(), year: year as i32, value });
        }
        values
    }

    /// A link must be an absolute http(s) URL ([`crate::text::is_web_url`],
    /// the rule report forms apply): it is published as one.
    fn web_link(&mut self, at: &At, url: &Spanned<String>, what: &str) {
        let u = url.get_ref();
        if !crate::text::is_web_url(u) {
            self.diags.push(
                at.diag(url.span(), format!("{what} `{u}` is not an http(s) address"))
                    .hint("write the full address, like https://example.gov.vn/…"),
            );
        }
    }
}

/// Reports dated after the build's "as of" date: a report describes the past.
pub fn from_the_future(reports: &[Report], today: Date) -> Vec<Diagnostic> {
    reports
        .iter()
        .filter(|r| r.as_of > today)
        .map(|r| {
            Diagnostic::new(
                &r.file,
                r.as_of_line,
                format!("as_of {} is after the build's date {today}", r.as_of),
            )
            .hint("a report describes what was done by a past date; correct the date, or build with --today")
        })
        .collect()
}
