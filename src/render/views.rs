//! Small serialisable views handed to templates, one set per language.
//! Templates see only these, never the domain model.

use super::markdown::to_html;
use crate::history::LastChanged;
use crate::model::{Agency, Date, Plan, Task};
use crate::resolve::{Assignment, Resolved, Role, TaskRef};
use crate::scope::Scope;
use crate::state::{Counts, State, TaskStatus};
use crate::text::{Lang, Text};
use crate::web::Strings;
use crate::web::escape;
use minijinja::{Environment, Value, context};
use serde::Serialize;
use std::sync::OnceLock;

/// Text in the page's language, with its markup ready: English pages show a
/// missing translation as the Vietnamese text, marked `lang="vi"`, and a note.
#[derive(Serialize)]
pub struct LText {
    pub text: String,
    pub lang: &'static str,
    pub fallback: bool,
    pub html: Value,
}

#[derive(Serialize)]
struct AgencyRef {
    id: String,
    name: LText,
    url: String,
    group: bool,
    /// Where a merged or renamed agency's work went, for "now: …".
    successor: Option<Successor>,
}

#[derive(Serialize)]
struct Successor {
    name: LText,
    url: String,
    date: String,
    date_iso: String,
}

/// A task's state for a badge: its id (the CSS class and data value) and
/// label, which says "no report yet" rather than "not started" when no
/// report says anything.
#[derive(Serialize)]
struct StateView {
    id: &'static str,
    label: String,
    next_due: Option<String>,
    next_due_iso: Option<String>,
}

/// The plan page's chart: per deadline year, its tasks by state, with the
/// bars' geometry worked out here so the template only draws.
#[derive(Serialize)]
struct YearBar {
    year: i32,
    total: usize,
    y: usize,
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct Segment {
    id: &'static str,
    label: String,
    count: usize,
    x: usize,
    width: usize,
}

/// A count of tasks in one state, for plan, agency and home pages.
#[derive(Serialize)]
struct StateCount {
    id: &'static str,
    label: String,
    count: usize,
}

#[derive(Serialize)]
struct TaskSummary {
    id: String,
    plan: String,
    /// As printed, or empty when the plan prints none ("", "-").
    number: String,
    /// The number with its heading's, to read out of the plan's context
    /// ("II.2 a)"); empty when there is neither.
    reference: String,
    /// The plan is a draft: every place the task shows says so.
    draft: bool,
    title: LText,
    url: String,
    lead: Vec<Value>,
    support: Vec<Value>,
    output: Option<LText>,
    deadline: Option<LText>,
    due: Option<String>,
    state: StateView,
}

#[derive(Serialize)]
struct PlanSummary {
    id: String,
    number: Option<String>,
    title: LText,
    /// The name people tell the plan by, in titles, cards and breadcrumbs.
    short_name: LText,
    place: Option<LText>,
    url: String,
    date: Option<String>,
    date_iso: Option<String>,
    draft: bool,
    task_count: usize,
    jurisdiction: Option<LText>,
    /// Tasks by state, the states with none left out.
    states: Vec<StateCount>,
    /// The day the plan or one of its tasks last changed.
    updated: Option<DateView>,
}

/// A date as shown and as `datetime`.
#[derive(Serialize, Clone)]
struct DateView {
    text: String,
    iso: String,
}

/// The views of one language, with the per-entity pieces built once and
/// shared by every page that shows them.
pub struct Views<'a> {
    pub r: &'a Resolved<'a>,
    pub lang: Lang,
    /// Path prefix of the site, `/` or `/sub/`.
    pub base: &'a str,
    strings: &'a Strings,
    /// When each plan, task and agency last changed.
    last: LastChanged,
    agencies: Vec<Value>,
    plans: Vec<Value>,
    tasks: Vec<Vec<Value>>,
    /// Each task's card, rendered once and placed on plan and agency pages.
    cards: Vec<Vec<Value>>,
    /// Per plan, per task: its row on the plan page.
    rows: Vec<Vec<Value>>,
    /// Per agency, made by its first page and read by the others.
    agency_work: Vec<OnceLock<AgencyWork<'a>>>,
}

/// An agency's link as its cards hold it, found with a searcher made once
/// per page (each card on the page is searched), and what replaces it.
struct OwnLink {
    link: memchr::memmem::Finder<'static>,
    name: String,
}

impl OwnLink {
    /// `card` with every link to the agency made its plain name. The link
    /// starts with `<` and is whole UTF-8, so every match is on character
    /// boundaries.
    fn unlink(&self, card: &str) -> String {
        let mut out = String::with_capacity(card.len());
        let mut last = 0;
        for at in self.link.find_iter(card.as_bytes()) {
            out.push_str(&card[last..at]);
            out.push_str(&self.name);
            last = at + self.link.needle().len();
        }
        out.push_str(&card[last..]);
        out
    }
}

/// What every page of one agency lists a part of.
struct AgencyWork<'a> {
    /// Its tasks in page order ([`Views::agency_tasks`]).
    tasks: Vec<(TaskRef, Vec<&'a Assignment>)>,
    /// The indicators it monitors.
    indicators: Vec<Value>,
    /// Its tasks by state.
    states: Vec<StateCount>,
    /// Its assignments: lead and support (its own), and inherited.
    counts: (usize, usize, usize),
    /// Its tasks with a deadline date (the calendar's events).
    dated: usize,
}

/// Each plan's task summaries and rendered cards per language, kept between
/// the builds of a session: a plan that did not change keeps its own.
#[derive(Default)]
pub struct Cards {
    plans: std::collections::HashMap<(Lang, String), PlanCards>,
}

#[derive(Clone)]
struct PlanCards {
    tasks: Vec<Value>,
    cards: Vec<Value>,
    /// The compact rows of the plan page's task list.
    rows: Vec<Value>,
}

impl<'a> Views<'a> {
    pub fn new(
        r: &'a Resolved<'a>,
        lang: Lang,
        base: &'a str,
        strings: &'a Strings,
        env: &Environment,
        scope: &Scope,
        mut cache: Option<&mut Cards>,
    ) -> Result<Views<'a>, minijinja::Error> {
        let mut v = Views {
            r,
            lang,
            base,
            strings,
            last: r.history.last_changed(),
            agencies: Vec::new(),
            plans: Vec::new(),
            tasks: Vec::new(),
            cards: Vec::new(),
            rows: Vec::new(),
            agency_work: (0..r.site.agencies.len()).map(|_| OnceLock::new()).collect(),
        };
        v.agencies = (0..r.site.agencies.len()).map(|a| Value::from_serialize(v.agency_ref(a))).collect();
        v.plans = (0..r.site.plans.len()).map(|p| Value::from_serialize(v.plan_summary(p))).collect();
        let card = env.get_template("task_card.html")?;
        let row = env.get_template("task_row.html")?;
        let known = cache.as_deref();
        let plans: Vec<PlanCards> = scope.per_plan(
            r.site,
            |id| known.and_then(|c| c.plans.get(&(lang, id.to_string())).cloned()),
            |p, plan| {
                let tasks: Vec<Value> =
                    (0..plan.tasks.len()).map(|t| Value::from_serialize(v.task_summary(p, t))).collect();
                // Each plan its own copy of the words: see `render::Common`.
                let t = super::words(strings, lang);
                // One template state per plan and a macro call per task: a
                // render per task would import macros.html for each.
                let render = |template: &minijinja::Template, name: &str| {
                    let captured = template.render_captured(())?;
                    let state = captured.state();
                    if state.lookup(name).is_none() {
                        return Err(no_macro(template.name(), name));
                    }
                    tasks
                        .iter()
                        .map(|task| {
                            state.call_macro(name, &[t.clone(), task.clone()]).map(Value::from_safe_string)
                        })
                        .collect::<Result<Vec<_>, _>>()
                };
                let (cards, rows) = (render(&card, "card")?, render(&row, "row")?);
                Ok::<_, minijinja::Error>(PlanCards { tasks, cards, rows })
            },
        )?;
        if let Some(cache) = cache.as_deref_mut() {
            cache.plans.retain(|(l, _), _| *l != lang);
        }
        for (plan, cards) in r.site.plans.iter().zip(plans) {
            v.tasks.push(cards.tasks.clone());
            v.cards.push(cards.cards.clone());
            v.rows.push(cards.rows.clone());
            if let Some(cache) = cache.as_deref_mut() {
                cache.plans.insert((lang, plan.id.clone()), cards);
            }
        }
        Ok(v)
    }

    pub fn t<'k>(&'k self, key: &'k str) -> &'k str {
        self.strings.get(self.lang, key)
    }

    pub fn l(&self, text: &Text) -> LText {
        let l = text.get(self.lang);
        let html = if l.fallback {
            format!(
                "<span lang=\"vi\">{}</span> <small class=\"untranslated\">({})</small>",
                escape(l.text),
                escape(self.t("not_translated"))
            )
        } else {
            escape(l.text)
        };
        LText {
            text: l.text.to_string(),
            lang: l.lang.code(),
            fallback: l.fallback,
            html: Value::from_safe_string(html),
        }
    }

    /// Markdown text in the page's language, rendered and sanitised.
    pub fn markdown(&self, text: &Text) -> LText {
        let l = text.get(self.lang);
        let body = to_html(l.text);
        let html = if l.fallback {
            format!(
                "<p class=\"untranslated\">{}</p><div lang=\"vi\">{body}</div>",
                escape(self.t("not_translated_long"))
            )
        } else {
            body
        };
        LText {
            text: l.text.to_string(),
            lang: l.lang.code(),
            fallback: l.fallback,
            html: Value::from_safe_string(html),
        }
    }

    pub fn date(&self, d: Date) -> String {
        match self.lang {
            Lang::Vi => format!("{:02}/{:02}/{}", d.day, d.month, d.year),
            Lang::En => format!("{} {} {}", d.day, crate::deadline::month_name(d.month), d.year),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}/{}", self.base, self.lang.code(), path)
    }

    pub fn plan_url(&self, plan: &Plan) -> String {
        self.url(&format!("plans/{}/", plan.id))
    }

    pub fn task_url(&self, plan: &Plan, task: &Task) -> String {
        self.url(&format!("plans/{}/tasks/{}/", plan.id, task.id))
    }

    pub fn source_url(&self, plan: &Plan, line: Option<usize>) -> Option<String> {
        plan.source.as_ref()?;
        let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
        Some(format!("{}{anchor}", self.url(&format!("plans/{}/source/", plan.id))))
    }

    pub fn agency_url(&self, agency: &Agency) -> String {
        self.url(&format!("agencies/{}/", agency.id))
    }

    fn agency_ref(&self, i: usize) -> AgencyRef {
        let a = &self.r.site.agencies[i];
        let successor = a.succeeded_by.as_ref().and_then(|s| {
            let &n = self.r.agency_index.get(s.agency.as_str())?;
            let next = &self.r.site.agencies[n];
            Some(Successor {
                name: self.l(&self.r.names.agencies[n]),
                url: self.agency_url(next),
                date: self.date(s.date),
                date_iso: s.date.to_string(),
            })
        });
        AgencyRef {
            id: a.id.clone(),
            name: self.l(&self.r.names.agencies[i]),
            url: self.agency_url(a),
            group: a.is_group(),
            successor,
        }
    }

    fn state_view(&self, status: &TaskStatus) -> StateView {
        let key = if status.state == State::NotStarted && status.updates.is_empty() {
            "state_no_report".to_string()
        } else {
            format!("state_{}", status.state.as_str())
        };
        let label = self.t(&key).to_string();
        StateView {
            id: status.state.as_str(),
            label,
            next_due: status.next_due.map(|d| self.date(d)),
            next_due_iso: status.next_due.map(|d| d.to_string()),
        }
    }

    /// Tasks by the year they are next due and their state, as bars of a
    /// chart 600 units wide (labels in the first 60); `None` when no task
    /// has a date.
    fn deadline_chart(&self, p: usize) -> Option<Value> {
        let mut years: std::collections::BTreeMap<i32, Counts> = std::collections::BTreeMap::new();
        for status in &self.r.statuses[p] {
            if let Some(due) = status.next_due {
                *years.entry(due.year).or_default().0.entry(status.state).or_default() += 1;
            }
        }
        let widest = years.values().map(|c| c.0.values().sum::<usize>()).max().filter(|&n| n > 0)?;
        let bars: Vec<YearBar> = years
            .iter()
            .enumerate()
            .map(|(row, (&year, counts))| {
                let mut x = 60;
                let segments = counts
                    .all()
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(state, count)| {
                        let width = (count * 520).div_ceil(widest).max(2);
                        let segment = Segment {
                            id: state.as_str(),
                            label: self.t(&format!("states_{}", state.as_str())).to_string(),
                            count,
                            x,
                            width,
                        };
                        x += width;
                        segment
                    })
                    .collect();
                YearBar { year, total: counts.0.values().sum(), y: row * 28, segments }
            })
            .collect();
        let height = bars.len() * 28;
        Some(context! { bars => bars, height => height })
    }

    /// The states that have tasks, in [`State::ALL`] order.
    fn state_counts(&self, counts: &Counts) -> Vec<StateCount> {
        counts
            .all()
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(state, count)| StateCount {
                id: state.as_str(),
                label: self.t(&format!("states_{}", state.as_str())).to_string(),
                count,
            })
            .collect()
    }

    fn refs(&self, ids: &[String]) -> Vec<Value> {
        ids.iter()
            .filter_map(|id| self.r.agency_index.get(id.as_str()))
            .map(|&i| self.agencies[i].clone())
            .collect()
    }

    fn task_summary(&self, p: usize, t: usize) -> TaskSummary {
        let plan = &self.r.site.plans[p];
        let task = &plan.tasks[t];
        let number = printed_number(&task.number);
        let reference = match (task.heading.as_deref().map(printed_number), number.is_empty()) {
            (Some(h), false) if !h.is_empty() && !number.starts_with(h.as_str()) => format!("{h} {number}"),
            (Some(h), true) => h,
            _ => number.clone(),
        };
        TaskSummary {
            id: task.id.clone(),
            plan: plan.id.clone(),
            number,
            reference,
            draft: plan.status == crate::model::Status::Draft,
            title: self.l(&task.title),
            url: self.task_url(plan, task),
            lead: self.refs(&task.lead),
            support: self.refs(&task.support),
            output: task.output.as_ref().map(|o| self.l(o)),
            deadline: task.deadline.as_ref().map(|d| self.l(&d.text)),
            due: task.deadline.as_ref().and_then(|d| d.sort_key()).map(|d| d.to_string()),
            state: self.state_view(&self.r.statuses[p][t]),
        }
    }

    fn plan_summary(&self, p: usize) -> PlanSummary {
        let plan = &self.r.site.plans[p];
        let jurisdiction = self.r.site.jurisdictions.iter().find(|j| j.id == plan.jurisdiction);
        PlanSummary {
            id: plan.id.clone(),
            number: plan.number.clone(),
            title: self.l(&plan.title),
            short_name: self.l(&self.r.names.plans[p]),
            place: jurisdiction.map(|j| self.l(&crate::names::place(j))),
            url: self.plan_url(plan),
            date: plan.date.map(|d| self.date(d)),
            date_iso: plan.date.map(|d| d.to_string()),
            draft: plan.status == crate::model::Status::Draft,
            task_count: plan.tasks.len(),
            jurisdiction: jurisdiction.map(|j| self.l(&j.name)),
            states: self.state_counts(&self.r.plan_counts(p)),
            updated: Some(self.updated(self.last.plans.get(&plan.id))),
        }
    }

    /// "Last updated": the day of the last change, or the build's date when
    /// the history has none (a first build, a page outside it).
    fn updated(&self, day: Option<&String>) -> DateView {
        let date = day.and_then(|d| Date::parse_iso(d)).unwrap_or(self.r.site.today);
        DateView { text: self.date(date), iso: date.to_string() }
    }

    pub fn plans(&self) -> Value {
        Value::from(self.plans.clone())
    }

    pub fn plan(&self, p: usize) -> Value {
        self.plans[p].clone()
    }

    pub fn task(&self, p: usize, t: usize) -> Value {
        self.tasks[p][t].clone()
    }

    pub fn agency(&self, a: usize) -> Value {
        self.agencies[a].clone()
    }

    /// Everything the plan page shows beyond its summary.
    pub fn plan_page(&self, p: usize) -> Value {
        let plan = &self.r.site.plans[p];
        let sections: Vec<Value> = plan
            .sections
            .iter()
            .map(|s| {
                context! {
                    id => s.id, number => s.number, heading => self.l(&s.heading),
                    body => self.markdown(&s.body), source_url => self.source_url(plan, s.line),
                }
            })
            .collect();
        let objectives: Vec<LText> = plan.objectives.iter().map(|o| self.l(&o.text)).collect();
        context! {
            summary => self.plan(p),
            issuer => self.l(&plan.issuer),
            implements => plan.implements.iter().map(|r| match self.lang {
                Lang::En => self.r.site.glossary.reference(r).unwrap_or_else(|| r.clone()),
                Lang::Vi => r.clone(),
            }).collect::<Vec<_>>(),
            signer => plan.signer.as_ref().map(|s| context! { name => s.name, role => self.l(&s.role) }),
            source_url => self.source_url(plan, None),
            sections => sections,
            objectives => objectives,
            indicator_groups => self.indicator_groups(plan),
            has_values => self.r.site.reports.iter().any(|r| r.plan == plan.id && !r.indicators.is_empty()),
            task_groups => self.task_groups(p),
            chart => self.deadline_chart(p),
            top_leads => self.top_leads(p),
            json_ld => self.plan_json_ld(plan),
            as_of => self.date(self.r.site.today),
            as_of_iso => self.r.site.today.to_string(),
        }
    }

    /// The agencies that lead most of a plan's tasks, most first (at most
    /// five, none that leads only one when others lead more).
    fn top_leads(&self, p: usize) -> Vec<Value> {
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for task in &self.r.site.plans[p].tasks {
            for lead in &task.lead {
                *counts.entry(lead.as_str()).or_default() += 1;
            }
        }
        let mut list: Vec<(&str, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        list.into_iter()
            .take(5)
            .filter_map(|(id, n)| {
                let &i = self.r.agency_index.get(id)?;
                Some(context! { agency => self.agency(i), count => n })
            })
            .collect()
    }

    fn indicator_groups(&self, plan: &Plan) -> Vec<Value> {
        let values = self.r.indicator_values(&plan.id);
        let mut groups: Vec<(Option<&str>, Vec<Value>)> = Vec::new();
        for (ind, anchor) in plan.indicators.iter().zip(plan.indicator_anchors()) {
            let reported: Vec<Value> = values
                .get(anchor.trim_start_matches("indicator-"))
                .into_iter()
                .flatten()
                .map(|(year, value)| context! { year => year, value => value })
                .collect();
            let row = context! {
                values => reported,
                anchor => anchor,
                number => ind.number, name => self.l(&ind.name), unit => self.l(&ind.unit),
                target => self.l(&ind.target), horizon => ind.horizon.as_ref().map(|h| self.l(h)),
                monitors => self.refs(&ind.monitors),
            };
            match groups.last_mut() {
                Some((g, rows)) if *g == ind.group.as_deref() => rows.push(row),
                _ => groups.push((ind.group.as_deref(), vec![row])),
            }
        }
        groups
            .into_iter()
            .map(|(g, rows)| {
                let heading = g.and_then(|n| plan.indicator_groups.iter().find(|h| h.number == n));
                context! {
                    number => g, title => heading.map(|h| self.l(&h.title)), indicators => rows,
                }
            })
            .collect()
    }

    /// Tasks under their headings, in document order.
    fn task_groups(&self, p: usize) -> Vec<Value> {
        let plan = &self.r.site.plans[p];
        let mut groups: Vec<(Option<&str>, Vec<Value>)> = Vec::new();
        for (t, task) in plan.tasks.iter().enumerate() {
            match groups.last_mut() {
                Some((h, tasks)) if *h == task.heading.as_deref() => tasks.push(self.card_row(p, t)),
                _ => groups.push((task.heading.as_deref(), vec![self.card_row(p, t)])),
            }
        }
        groups
            .into_iter()
            .map(|(h, tasks)| {
                let heading = h.and_then(|n| plan.heading(n));
                context! { number => h, title => heading.map(|h| self.l(&h.title)), tasks => tasks }
            })
            .collect()
    }

    fn card_row(&self, p: usize, t: usize) -> Value {
        context! { id => self.r.site.plans[p].tasks[t].id, card => self.rows[p][t] }
    }

    pub fn task_page(&self, p: usize, t: usize) -> Value {
        let plan = &self.r.site.plans[p];
        let task = &plan.tasks[t];
        let heading = task.heading.as_deref().and_then(|n| plan.heading(n));
        let due = task.deadline.as_ref().map(|d| {
            context! {
                printed => d.text.vi, start => d.start().map(|x| self.date(x)), end => d.end().map(|x| self.date(x)),
                start_iso => d.start().map(|x| x.to_string()), end_iso => d.end().map(|x| x.to_string()),
                ongoing => d.ongoing(), recurring => d.recurring(),
            }
        });
        context! {
            summary => self.task(p, t),
            plan => self.plan(p),
            heading => heading.map(|h| context! { number => h.number, title => self.l(&h.title) }),
            detail => task.detail.as_ref().map(|d| self.markdown(d)),
            note => task.note.as_ref().map(|n| self.l(n)),
            due => due,
            source_url => self.source_url(plan, task.line),
            line => task.line,
            json_ld => self.task_json_ld(plan, task),
            updates => self.updates(p, t),
            updated => self.updated(self.last.tasks.get(&format!("{}/{}", plan.id, task.id))),
            title_short => crate::names::first_words(task.title.get(self.lang).text, 12),
            as_of => self.date(self.r.site.today),
            as_of_iso => self.r.site.today.to_string(),
        }
    }

    /// A task's reports, newest first, for its timeline.
    fn updates(&self, p: usize, t: usize) -> Vec<Value> {
        let reports = &self.r.site.reports;
        self.r.statuses[p][t]
            .updates
            .iter()
            .rev()
            .map(|u| {
                let report = &reports[u.report];
                let entry = &report.tasks[u.entry];
                let status = context! {
                    id => entry.status.as_str(),
                    label => self.t(&format!("state_{}", entry.status.as_str())),
                };
                let by = report
                    .reported_by
                    .as_deref()
                    .and_then(|id| self.r.agency_index.get(id))
                    .map(|&i| self.agency(i));
                context! {
                    as_of => self.date(report.as_of), as_of_iso => report.as_of.to_string(),
                    status => status, percent => entry.percent,
                    note => entry.note.as_ref().map(|n| self.l(n)), evidence => entry.evidence,
                    reported_by => by, document => report.document, url => report.url,
                }
            })
            .collect()
    }

    fn absolute(&self, path: &str) -> String {
        format!("{}{}/{path}", self.r.site.config.base_url, self.lang.code())
    }

    fn organization(&self, id: &str) -> serde_json::Value {
        let name = self.r.agency(id).map(|a| a.name.get(self.lang).text).unwrap_or(id);
        serde_json::json!({ "@type": "GovernmentOrganization", "name": name,
            "url": self.absolute(&format!("agencies/{id}/")) })
    }

    /// schema.org description of a plan, for search engines.
    fn plan_json_ld(&self, plan: &Plan) -> Value {
        json_ld(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "additionalType": "GovernmentPlan",
            "name": plan.title.get(self.lang).text,
            "inLanguage": self.lang.code(),
            "url": self.absolute(&format!("plans/{}/", plan.id)),
            "identifier": plan.number,
            "dateCreated": plan.date.map(|d| d.to_string()),
            "creativeWorkStatus": plan.status.as_str(),
            "publisher": { "@type": "GovernmentOrganization", "name": plan.issuer.get(self.lang).text },
            "isBasedOn": plan.implements,
        }))
    }

    /// schema.org description of a task: who acts, who helps, by when.
    fn task_json_ld(&self, plan: &Plan, task: &Task) -> Value {
        json_ld(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "PlanAction",
            "name": task.title.get(self.lang).text,
            "identifier": format!("{}/{}", plan.id, task.id),
            "url": self.absolute(&format!("plans/{}/tasks/{}/", plan.id, task.id)),
            "agent": task.lead.iter().map(|a| self.organization(a)).collect::<Vec<_>>(),
            "participant": task.support.iter().map(|a| self.organization(a)).collect::<Vec<_>>(),
            "result": task.output.as_ref().map(|o| o.get(self.lang).text),
            "startTime": task.deadline.as_ref().and_then(|d| d.start()).map(|d| d.to_string()),
            "endTime": task.deadline.as_ref().and_then(|d| d.end()).map(|d| d.to_string()),
            "isPartOf": { "@type": "CreativeWork", "name": plan.title.get(self.lang).text,
                "url": self.absolute(&format!("plans/{}/", plan.id)) },
        }))
    }

    /// Page `page` (from 0) of an agency's pages: its summary, and the
    /// [`AGENCY_PAGE_TASKS`] tasks of that page, what needs attention first.
    pub fn agency_page(&self, a: usize, page: usize) -> Value {
        let agency = &self.r.site.agencies[a];
        let successor = agency.succeeded_by.as_ref().map(|s| {
            let heir = self.r.agency_index.get(s.agency.as_str()).map(|&i| self.agency(i));
            context! { agency => heir, date => self.date(s.date) }
        });
        let predecessors: Vec<Value> = self.r.predecessors[a].iter().map(|&i| self.agency(i)).collect();
        let jurisdiction = self.r.site.jurisdictions.iter().find(|j| j.id == agency.jurisdiction);
        let work = self.agency_work[a].get_or_init(|| self.agency_work(a));
        let (tasks, indicators) = (&work.tasks, &work.indicators);
        let pages = pages_for(tasks.len(), indicators.len());
        let first = page * AGENCY_PAGE_TASKS;
        let on_page = &tasks[first.min(tasks.len())..(first + AGENCY_PAGE_TASKS).min(tasks.len())];
        let own = self.own_link(a);
        let rows: Vec<(TaskRef, Value)> =
            on_page.iter().map(|(t, roles)| (*t, self.work_row(*t, roles, &own))).collect();
        context! {
            agency => self.agency(a),
            kind => self.t(&format!("kind_{}", agency.kind)),
            aliases => agency.aliases,
            jurisdiction => jurisdiction.map(|j| self.l(&j.name)),
            lead_count => work.counts.0,
            support_count => work.counts.1,
            inherited_count => work.counts.2,
            successor => successor,
            predecessors => predecessors,
            states => work.states,
            as_of => self.date(self.r.site.today),
            as_of_iso => self.r.site.today.to_string(),
            groups => self.assignment_groups(&rows),
            plans => agency_plans(self, &rows),
            pager => (pages > 1).then(|| self.pager(agency, page, pages, first, on_page.len(), tasks.len())),
            indicators => page_slice(indicators, page),
            indicator_count => indicators.len(),
            updated => self.updated(self.last.agencies.get(&agency.id)),
            dated_count => work.dated,
            calendar => self.url(&format!("agencies/{}/calendar.ics", agency.id)),
            csv => format!("{}data/agencies/{}.csv", self.base, agency.id),
        }
    }

    /// For an agency of several pages, `pages.json`: each task's anchor
    /// (`t-plan-task`) → the page (from 1) that lists it, so that a link
    /// to a task's place in the list finds it on its new page.
    pub fn agency_page_map(&self, a: usize) -> Option<String> {
        let work = self.agency_work[a].get_or_init(|| self.agency_work(a));
        if pages_for(work.tasks.len(), work.indicators.len()) < 2 {
            return None;
        }
        let plans = &self.r.site.plans;
        let map: serde_json::Map<String, serde_json::Value> = work
            .tasks
            .iter()
            .enumerate()
            .map(|(i, (t, _))| {
                let (plan, task) = (&plans[t.plan], &plans[t.plan].tasks[t.task]);
                (format!("t-{}-{}", plan.id, task.id), serde_json::Value::from(i / AGENCY_PAGE_TASKS + 1))
            })
            .collect();
        serde_json::to_string(&map).ok()
    }

    /// What every page of agency `a` shows a part of, or the same.
    fn agency_work(&self, a: usize) -> AgencyWork<'a> {
        let assignments = &self.r.assignments[a];
        let count = |role: Role, inherited: bool| {
            assignments.iter().filter(|x| x.role == role && x.inherited_from.is_some() == inherited).count()
        };
        let inherited = assignments.iter().filter(|x| x.inherited_from.is_some()).count();
        AgencyWork {
            tasks: self.agency_tasks(a),
            indicators: self.monitored(a),
            states: self.state_counts(&self.r.agency_counts(a)),
            counts: (count(Role::Lead, false), count(Role::Support, false), inherited),
            dated: self.r.dated(a).len(),
        }
    }

    /// An agency's tasks in the order its pages list them: by state, what
    /// needs attention first (overdue, then due soon…), each state soonest
    /// due first, then in plan and document order. Each task once, with
    /// every role it holds.
    fn agency_tasks(&self, agency: usize) -> Vec<(TaskRef, Vec<&'a Assignment>)> {
        let mut tasks = roles_by_task(&self.r.assignments[agency]);
        let rank = |state: State| State::ALL.iter().position(|&s| s == state);
        tasks.sort_by_cached_key(|(t, _)| {
            let status = self.r.status(*t);
            (rank(status.state), status.next_due.is_none(), status.next_due, *t)
        });
        tasks
    }

    /// The links between an agency's pages: the first and last, and the
    /// two on each side of this one (a gap between is shown as "…"), so
    /// that an agency of 200 pages has pages of the same weight as one of 3.
    fn pager(
        &self,
        agency: &Agency,
        page: usize,
        pages: usize,
        first: usize,
        shown: usize,
        total: usize,
    ) -> Value {
        let url = |n: usize| self.url(&agency_page_path(&agency.id, n));
        let links: Vec<Value> = pager_window(page, pages)
            .into_iter()
            .map(|n| match n {
                Some(n) => context! { number => n + 1, url => url(n), current => n == page },
                None => context! { gap => true },
            })
            .collect();
        context! {
            page => page + 1, pages => pages, links => links,
            from => first + 1, to => first + shown, total => total,
            prev => page.checked_sub(1).map(url),
            next => (page + 1 < pages).then(|| url(page + 1)),
        }
    }

    /// The tasks of an agency's page grouped by state, in page order.
    fn assignment_groups(&self, rows: &[(TaskRef, Value)]) -> Vec<Value> {
        State::ALL
            .iter()
            .filter_map(|&state| {
                let rows: Vec<Value> = rows
                    .iter()
                    .filter(|(t, _)| self.r.status(*t).state == state)
                    .map(|(_, v)| v.clone())
                    .collect();
                if rows.is_empty() {
                    return None;
                }
                let label = self.t(&format!("states_{}", state.as_str())).to_string();
                Some(context! { state => state.as_str(), label => label, count => rows.len(), tasks => rows })
            })
            .collect()
    }

    /// One task of an agency's list: its card and the roles the agency holds
    /// in it, those inherited from a merged agency marked.
    fn work_row(&self, t: TaskRef, roles: &[&Assignment], own: &OwnLink) -> Value {
        let mut role_ids: Vec<&'static str> = roles.iter().map(|a| a.role.as_str()).collect();
        role_ids.dedup();
        let roles: Vec<Value> = roles
            .iter()
            .map(|a| context! { role => a.role.as_str(), inherited_from => a.inherited_from.map(|i| self.agency(i)) })
            .collect();
        context! {
            card => Value::from_safe_string(own.unlink(self.cards[t.plan][t.task].as_str().unwrap_or_default())),
            roles => roles, role_ids => role_ids.join(" "),
            plan => self.plan(t.plan), task => self.task(t.plan, t.task),
        }
    }

    /// An agency's link in its cards, and the plain name that replaces it
    /// on its own page: a page does not link to itself.
    fn own_link(&self, agency: usize) -> OwnLink {
        let name = escape(self.r.names.agencies[agency].get(self.lang).text);
        let url = self.agency_url(&self.r.site.agencies[agency]);
        let link = format!("<a href=\"{url}\">{name}</a>");
        OwnLink {
            link: memchr::memmem::Finder::new(link.as_bytes()).into_owned(),
            name: format!("<strong class=\"self\">{name}</strong>"),
        }
    }

    /// The indicators an agency monitors, with their plan.
    fn monitored(&self, a: usize) -> Vec<Value> {
        let id = &self.r.site.agencies[a].id;
        let mut out = Vec::new();
        for (p, plan) in self.r.site.plans.iter().enumerate() {
            for (ind, anchor) in plan.indicators.iter().zip(plan.indicator_anchors()) {
                if ind.monitors.contains(id) {
                    out.push(context! {
                        plan => self.plan(p), number => ind.number, name => self.l(&ind.name),
                        target => self.l(&ind.target), unit => self.l(&ind.unit),
                        url => format!("{}#{anchor}", self.plan_url(plan)),
                    });
                }
            }
        }
        out
    }

    /// The change log, site-wide or for one plan, newest first; in a
    /// preview, first what is not yet published.
    pub fn changes_page(&self, plan: Option<usize>) -> Value {
        let plan_id = plan.map(|p| self.r.site.plans[p].id.as_str());
        let t = |k: &str| self.t(k).to_string();
        let concerned = |c: &&crate::history::Change| plan_id.is_none_or(|id| c.concerns_plan(id));
        let entry = |c: &crate::history::Change| {
            let mut items = Vec::new();
            for (what, diff) in [("plan", &c.plans), ("task", &c.tasks)] {
                for (kind, list) in
                    [("added", &diff.added), ("removed", &diff.removed), ("modified", &diff.modified)]
                {
                    for i in list.iter().filter(|i| plan_id.is_none_or(|id| i.plan == id)) {
                        let url = (kind != "removed").then(|| match what {
                            "plan" => self.url(&format!("plans/{}/", i.id)),
                            _ => self.url(&format!(
                                "plans/{}/tasks/{}/",
                                i.plan,
                                i.id.rsplit('/').next().unwrap_or("")
                            )),
                        });
                        let fields: Vec<&str> = i.fields.iter().map(|f| self.t(field_label(f))).collect();
                        let values: Vec<Value> = i.values.iter().map(|v| context! {
                            field => self.t(field_label(&v.field)), old => self.value_text(&v.old), new => self.value_text(&v.new),
                        }).collect();
                        items.push(context! { what => what, kind => kind, title => self.l(&i.title), url => url, fields => fields, values => values });
                    }
                }
            }
            let date = c.date.get(..10).and_then(Date::parse_iso).map(|d| self.date(d));
            let reports: Vec<Value> = c
                    .reports
                    .iter()
                    .filter(|r| plan_id.is_none_or(|id| r.plan == id))
                    .map(|r| {
                        let by = r.reported_by.as_deref().and_then(|id| self.r.agency_index.get(id)).map(|&i| self.agency(i));
                        let as_of = Date::parse_iso(&r.as_of).map(|d| self.date(d)).unwrap_or_else(|| r.as_of.clone());
                        context! { as_of => as_of, by => by, tasks => r.tasks.len(), url => self.url(&format!("plans/{}/", r.plan)) }
                    })
                    .collect();
            context! {
                number => c.number, date => date, date_iso => c.date,
                summary => crate::history::summary(c, &t), items => items, reports => reports,
            }
        };
        let history = &self.r.history;
        let entries: Vec<Value> = history.changes.iter().filter(concerned).map(entry).collect();
        let pending = history.pending.as_ref().filter(concerned).map(entry);
        let feed = match plan {
            Some(p) => self.url(&format!("plans/{}/feed.xml", self.r.site.plans[p].id)),
            None => self.url("feed.xml"),
        };
        context! { plan => plan.map(|p| self.plan(p)), entries => entries, pending => pending, feed => feed }
    }

    /// An open-data value as a reader of this language reads it: the text of
    /// a `{vi, en}` pair or of a deadline, agency names for agency ids, a
    /// list joined; "—" for nothing.
    fn value_text(&self, v: &serde_json::Value) -> String {
        use serde_json::Value as J;
        match v {
            J::Null => "—".to_string(),
            J::String(s) => match self.r.agency_index.get(s.as_str()) {
                Some(&i) => self.r.names.agencies[i].get(self.lang).text.to_string(),
                None => s.clone(),
            },
            J::Array(items) if items.is_empty() => "—".to_string(),
            J::Array(items) => items.iter().map(|x| self.value_text(x)).collect::<Vec<_>>().join("; "),
            J::Object(o) => match (
                o.get(self.lang.code()).filter(|x| !x.is_null()),
                o.get("vi"),
                o.get("text"),
                o.get("status"),
            ) {
                (Some(text), ..)
                | (None, Some(text), ..)
                | (None, None, Some(text), _)
                | (None, None, None, Some(text)) => self.value_text(text),
                _ => serde_json::to_string(v).unwrap_or_default(),
            },
            other => other.to_string(),
        }
    }

    /// The agencies index: per jurisdiction, agencies then groups, with counts.
    pub fn agencies_page(&self) -> Value {
        let site = self.r.site;
        let jurisdictions: Vec<Value> = site
            .jurisdictions
            .iter()
            .map(|j| {
                let row = |(i, a): (usize, &Agency)| {
                    let list = &self.r.assignments[i];
                    let counts = self.r.agency_counts(i);
                    context! {
                        agency => self.agency(i),
                        lead => list.iter().filter(|x| x.role == Role::Lead).count(),
                        support => list.iter().filter(|x| x.role == Role::Support).count(),
                        overdue => counts.get(State::Overdue),
                        due_this_year => self.r.due_in_year(i, site.today.year),
                        merged => a.succeeded_by.is_some(),
                        no_task => list.is_empty().then(|| {
                            let monitors = site.plans.iter().flat_map(|p| &p.indicators)
                                .filter(|ind| ind.monitors.contains(&a.id)).count();
                            if monitors > 0 {
                                format!("{} ({monitors})", self.t("only_monitors"))
                            } else if a.succeeded_by.is_some() {
                                self.t("no_task_merged").to_string()
                            } else {
                                self.t("no_task_registry").to_string()
                            }
                        }),
                    }
                };
                let mine = || site.agencies.iter().enumerate().filter(|(_, a)| a.jurisdiction == j.id);
                let mut agencies: Vec<(usize, &Agency)> = mine().filter(|(_, a)| !a.is_group()).collect();
                agencies.sort_by_cached_key(|(_, a)| crate::render::sort_key(a.name.get(self.lang).text));
                let groups: Vec<Value> = mine().filter(|(_, a)| a.is_group()).map(row).collect();
                context! {
                    id => j.id, name => self.l(&j.name),
                    agencies => agencies.into_iter().map(row).collect::<Vec<_>>(),
                    groups => groups,
                }
            })
            .collect();
        context! {
            jurisdictions => jurisdictions,
            year => site.today.year,
            as_of => self.date(site.today),
            as_of_iso => site.today.to_string(),
        }
    }

    /// The source page: the original text, one anchored line at a time.
    pub fn source_page(&self, p: usize) -> Value {
        let plan = &self.r.site.plans[p];
        let lines: Vec<&str> = plan.source.as_ref().map(|s| s.text.lines().collect()).unwrap_or_default();
        context! {
            plan => self.plan(p),
            path => plan.source.as_ref().map(|s| s.path.clone()),
            lines => lines,
        }
    }
}

/// The most tasks one agency page lists: an agency with more gets more
/// pages (`agencies/{id}/page/2/`…), so that every page stays within the
/// weight budget of a plan page however much work the agency has.
pub const AGENCY_PAGE_TASKS: usize = 50;

/// How many pages an agency has: enough for its tasks and for the
/// indicators it monitors, [`AGENCY_PAGE_TASKS`] of each a page; one when
/// it has none.
/// A card template from before cards were macros: say what it must hold.
fn no_macro(template: &str, name: &str) -> minijinja::Error {
    let detail = format!(
        "{template} must define `{{% macro {name}(t, task) %}}…{{% endmacro %}}`, rendered once per task \
         (see themes/default/templates/{template})"
    );
    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, detail)
}

pub fn agency_page_count(r: &Resolved, a: usize) -> usize {
    let tasks = r.assignments[a].iter().map(|x| x.task).collect::<std::collections::BTreeSet<_>>().len();
    let id = &r.site.agencies[a].id;
    let indicators: usize =
        r.site.plans.iter().map(|p| p.indicators.iter().filter(|i| i.monitors.contains(id)).count()).sum();
    pages_for(tasks, indicators)
}

/// Pages for `tasks` tasks and `indicators` indicators, 50 of each a page.
fn pages_for(tasks: usize, indicators: usize) -> usize {
    tasks.max(indicators).div_ceil(AGENCY_PAGE_TASKS).max(1)
}

/// The pages a pager links (from 0), `None` for a gap: the first, the
/// last, and two each side of `page`.
fn pager_window(page: usize, pages: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last: Option<usize> = None;
    for n in (0..pages).filter(|&n| n == 0 || n + 1 == pages || n.abs_diff(page) <= 2) {
        if last.is_some_and(|l| n > l + 1) {
            out.push(None);
        }
        out.push(Some(n));
        last = Some(n);
    }
    out
}

/// The part of `items` page `page` (from 0) shows.
fn page_slice<T: Clone>(items: &[T], page: usize) -> Vec<T> {
    items.iter().skip(page * AGENCY_PAGE_TASKS).take(AGENCY_PAGE_TASKS).cloned().collect()
}

/// The path of page `page` (from 0) of an agency: the first is the
/// agency's own address, which never changes.
pub fn agency_page_path(id: &str, page: usize) -> String {
    match page {
        0 => format!("agencies/{id}/"),
        n => format!("agencies/{id}/page/{}/", n + 1),
    }
}

/// The plans of an agency's page with its tasks in each as compact rows:
/// the jump links at the top and the printable "phụ lục" tables.
fn agency_plans(views: &Views, rows: &[(TaskRef, Value)]) -> Vec<Value> {
    let mut plans: Vec<usize> = rows.iter().map(|(t, _)| t.plan).collect();
    plans.sort_unstable();
    plans.dedup();
    plans
        .into_iter()
        .map(|p| {
            let mut tasks: Vec<&(TaskRef, Value)> = rows.iter().filter(|(t, _)| t.plan == p).collect();
            tasks.sort_by_key(|(t, _)| *t);
            let tasks: Vec<Value> = tasks.into_iter().map(|(_, v)| v.clone()).collect();
            context! { plan => views.plan(p), count => tasks.len(), tasks => tasks }
        })
        .collect()
}

/// An agency's assignments as tasks, each once with its roles, in plan
/// and document order.
fn roles_by_task(assignments: &[Assignment]) -> Vec<(TaskRef, Vec<&Assignment>)> {
    let mut map: std::collections::BTreeMap<TaskRef, Vec<&Assignment>> = std::collections::BTreeMap::new();
    for a in assignments {
        map.entry(a.task).or_default().push(a);
    }
    for roles in map.values_mut() {
        roles.sort_by_key(|a| (a.role == Role::Support, a.inherited_from.is_some()));
    }
    map.into_iter().collect()
}

/// A task number as printed, or empty for the placeholders plans print
/// where there is none ("-", "•").
fn printed_number(number: &str) -> String {
    let n = number.trim();
    if n.chars().all(|c| matches!(c, '-' | '–' | '—' | '•' | '.' | '+' | '*')) {
        String::new()
    } else {
        n.to_string()
    }
}

/// The i18n key naming an open-data field in the change log.
fn field_label(field: &str) -> &str {
    match field {
        "title" => "field_title",
        "due" => "deadline",
        "source_line" => "source_line",
        other => other,
    }
}

/// JSON-LD ready to sit inside `<script>`: `<` is escaped so no text from
/// content can close the element.
fn json_ld(value: serde_json::Value) -> Value {
    let text = serde_json::to_string(&value).unwrap_or_default().replace('<', "\\u003c");
    Value::from_safe_string(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pager_links_the_ends_and_its_neighbours_whatever_the_number_of_pages() {
        let shown = |page, pages| -> Vec<String> {
            pager_window(page, pages).iter().map(|n| n.map_or("…".into(), |n| (n + 1).to_string())).collect()
        };
        assert_eq!(shown(0, 1), ["1"]);
        assert_eq!(shown(1, 2), ["1", "2"]);
        assert_eq!(shown(0, 220), ["1", "2", "3", "…", "220"]);
        assert_eq!(shown(99, 220), ["1", "…", "98", "99", "100", "101", "102", "…", "220"]);
        assert_eq!(shown(3, 8), ["1", "2", "3", "4", "5", "6", "…", "8"]);
        assert_eq!(shown(219, 220), ["1", "…", "218", "219", "220"]);
    }
}
