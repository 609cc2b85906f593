//! Small serialisable views handed to templates, one set per language.
//! Templates see only these, never the domain model.

use super::markdown::to_html;
use crate::model::{Agency, Date, Plan, Task};
use crate::resolve::{Assignment, Resolved, Role};
use crate::scope::Scope;
use crate::state::{Counts, State, TaskStatus};
use crate::text::{Lang, Text};
use crate::web::Strings;
use crate::web::escape;
use minijinja::{Environment, Value, context};
use serde::Serialize;

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
    number: String,
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
    url: String,
    date: Option<String>,
    date_iso: Option<String>,
    draft: bool,
    task_count: usize,
    jurisdiction: Option<LText>,
    /// Tasks by state, the states with none left out.
    states: Vec<StateCount>,
}

/// The views of one language, with the per-entity pieces built once and
/// shared by every page that shows them.
pub struct Views<'a> {
    pub r: &'a Resolved<'a>,
    pub lang: Lang,
    /// Path prefix of the site, `/` or `/sub/`.
    pub base: &'a str,
    strings: &'a Strings,
    agencies: Vec<Value>,
    plans: Vec<Value>,
    tasks: Vec<Vec<Value>>,
    /// Each task's card, rendered once and placed on plan and agency pages.
    cards: Vec<Vec<Value>>,
    /// Per plan, per task: its row on the plan page.
    rows: Vec<Vec<Value>>,
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
            agencies: Vec::new(),
            plans: Vec::new(),
            tasks: Vec::new(),
            cards: Vec::new(),
            rows: Vec::new(),
        };
        v.agencies = r.site.agencies.iter().map(|a| Value::from_serialize(v.agency_ref(a))).collect();
        v.plans = (0..r.site.plans.len()).map(|p| Value::from_serialize(v.plan_summary(p))).collect();
        let card = env.get_template("task_card.html")?;
        let row = env.get_template("task_row.html")?;
        let t = super::words(strings, lang);
        let known = cache.as_deref();
        let plans: Vec<PlanCards> = scope.per_plan(
            r.site,
            |id| known.and_then(|c| c.plans.get(&(lang, id.to_string())).cloned()),
            |p, plan| {
                let tasks: Vec<Value> =
                    (0..plan.tasks.len()).map(|t| Value::from_serialize(v.task_summary(p, t))).collect();
                let render = |template: &minijinja::Template| {
                    tasks
                        .iter()
                        .map(|task| {
                            template.render(context! { t => t, task => task }).map(Value::from_safe_string)
                        })
                        .collect::<Result<Vec<_>, _>>()
                };
                let (cards, rows) = (render(&card)?, render(&row)?);
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

    fn agency_ref(&self, a: &Agency) -> AgencyRef {
        let successor = a.succeeded_by.as_ref().and_then(|s| {
            let next = self.r.agency(&s.agency)?;
            Some(Successor {
                name: self.l(&next.name),
                url: self.agency_url(next),
                date: self.date(s.date),
                date_iso: s.date.to_string(),
            })
        });
        AgencyRef {
            id: a.id.clone(),
            name: self.l(&a.name),
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
        TaskSummary {
            id: task.id.clone(),
            number: task.number.clone(),
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
            url: self.plan_url(plan),
            date: plan.date.map(|d| self.date(d)),
            date_iso: plan.date.map(|d| d.to_string()),
            draft: plan.status == crate::model::Status::Draft,
            task_count: plan.tasks.len(),
            jurisdiction: jurisdiction.map(|j| self.l(&j.name)),
            states: self.state_counts(&self.r.plan_counts(p)),
        }
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
            json_ld => self.plan_json_ld(plan),
            as_of => self.date(self.r.site.today),
            as_of_iso => self.r.site.today.to_string(),
        }
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

    pub fn agency_page(&self, a: usize) -> Value {
        let agency = &self.r.site.agencies[a];
        let assignments = &self.r.assignments[a];
        let count = |role: Role, inherited: bool| {
            assignments.iter().filter(|x| x.role == role && x.inherited_from.is_some() == inherited).count()
        };
        let successor = agency.succeeded_by.as_ref().map(|s| {
            let heir = self.r.agency_index.get(s.agency.as_str()).map(|&i| self.agency(i));
            context! { agency => heir, date => self.date(s.date) }
        });
        let predecessors: Vec<Value> = self.r.predecessors[a].iter().map(|&i| self.agency(i)).collect();
        let jurisdiction = self.r.site.jurisdictions.iter().find(|j| j.id == agency.jurisdiction);
        context! {
            agency => self.agency(a),
            kind => self.t(&format!("kind_{}", agency.kind)),
            aliases => agency.aliases,
            jurisdiction => jurisdiction.map(|j| self.l(&j.name)),
            lead_count => count(Role::Lead, false),
            support_count => count(Role::Support, false),
            inherited_count => assignments.iter().filter(|x| x.inherited_from.is_some()).count(),
            successor => successor,
            predecessors => predecessors,
            states => self.state_counts(&self.r.agency_counts(a)),
            as_of => self.date(self.r.site.today),
            as_of_iso => self.r.site.today.to_string(),
            plans => self.assignment_groups(assignments),
            dated_count => self.r.dated(a).len(),
            calendar => self.url(&format!("agencies/{}/calendar.ics", agency.id)),
            csv => format!("{}data/agencies/{}.csv", self.base, agency.id),
        }
    }

    /// An agency's tasks grouped by state, what needs attention first
    /// (overdue, then due soon…), each group soonest due first, then in
    /// plan and document order.
    fn assignment_groups(&self, assignments: &[Assignment]) -> Vec<Value> {
        State::ALL
            .iter()
            .filter_map(|&state| {
                let mut list: Vec<&Assignment> =
                    assignments.iter().filter(|a| self.r.status(a.task).state == state).collect();
                if list.is_empty() {
                    return None;
                }
                list.sort_by_key(|a| {
                    let due = self.r.status(a.task).next_due;
                    (due.is_none(), due, a.task, a.role == Role::Support)
                });
                let rows: Vec<Value> = list
                    .iter()
                    .map(|a| {
                        context! {
                            card => self.cards[a.task.plan][a.task.task], role => a.role.as_str(),
                            inherited_from => a.inherited_from.map(|i| self.agency(i)),
                            plan => self.plan(a.task.plan),
                        }
                    })
                    .collect();
                let label = self.t(&format!("states_{}", state.as_str())).to_string();
                // Tasks, not rows: one task may be listed in two roles.
                let count = crate::resolve::distinct_tasks(list.iter().copied()).len();
                Some(context! { state => state.as_str(), label => label, count => count, tasks => rows })
            })
            .collect()
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
                        items.push(context! { what => what, kind => kind, title => self.l(&i.title), url => url, fields => fields });
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
