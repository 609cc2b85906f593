//! What `plansite check` reports beyond validation: translation coverage
//! per plan and in the agency registry, and deadlines not understood.

use crate::model::{Plan, Site};
use crate::text::Text;
use serde::Serialize;

/// How much of one plan (or of the registry) has English.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// A plan id, or `agencies` for the registry.
    pub scope: String,
    pub translated: usize,
    pub total: usize,
    /// Of `translated`, how many the glossary supplied.
    pub from_glossary: usize,
    /// Fields without English, like `task 12: output`.
    pub missing: Vec<String>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total == 0 { 100.0 } else { 100.0 * self.translated as f64 / self.total as f64 }
    }
}

/// A deadline whose text plansite did not understand (kept, never guessed).
#[derive(Debug, Clone, Serialize)]
pub struct UnclearDeadline {
    pub task: String,
    pub text: String,
}

#[derive(Default)]
struct Counter {
    translated: usize,
    total: usize,
    missing: Vec<String>,
}

impl Counter {
    fn field(&mut self, what: impl FnOnce() -> String, text: &Text) {
        self.total += 1;
        if text.is_translated() {
            self.translated += 1;
        } else {
            self.missing.push(what());
        }
    }

    fn done(self, scope: &str, from_glossary: usize) -> Coverage {
        Coverage {
            scope: scope.to_string(),
            translated: self.translated,
            total: self.total,
            from_glossary,
            missing: self.missing,
        }
    }
}

/// Translation coverage of every plan, then of the agency registry.
pub fn coverage(site: &Site) -> Vec<Coverage> {
    let mut all: Vec<Coverage> = site.plans.iter().map(plan_coverage).collect();
    let mut registry = Counter::default();
    for j in &site.jurisdictions {
        registry.field(|| format!("jurisdiction {}: name", j.id), &j.name);
    }
    for a in &site.agencies {
        registry
            .field(|| format!("{} {}: name", if a.is_group() { "group" } else { "agency" }, a.id), &a.name);
    }
    all.push(registry.done("agencies", 0));
    all
}

fn plan_coverage(plan: &Plan) -> Coverage {
    let mut c = Counter::default();
    c.field(|| "title".into(), &plan.title);
    c.field(|| "issuer".into(), &plan.issuer);
    if let Some(s) = &plan.signer {
        c.field(|| "signer: role".into(), &s.role);
    }
    for s in &plan.sections {
        c.field(|| format!("section {}: heading", s.id), &s.heading);
        c.field(|| format!("section {}: body", s.id), &s.body);
    }
    for (i, o) in plan.objectives.iter().enumerate() {
        c.field(|| format!("objective {}", i + 1), &o.text);
    }
    for h in plan.indicator_groups.iter().chain(&plan.headings) {
        c.field(|| format!("heading {}: title", h.number), &h.title);
    }
    for i in &plan.indicators {
        let n = &i.number;
        c.field(|| format!("indicator {n}: name"), &i.name);
        c.field(|| format!("indicator {n}: unit"), &i.unit);
        c.field(|| format!("indicator {n}: target"), &i.target);
        if let Some(h) = &i.horizon {
            c.field(|| format!("indicator {n}: horizon"), h);
        }
    }
    for t in &plan.tasks {
        let id = &t.id;
        c.field(|| format!("task {id}: title"), &t.title);
        for (what, text) in [("detail", &t.detail), ("output", &t.output), ("note", &t.note)] {
            if let Some(text) = text {
                c.field(|| format!("task {id}: {what}"), text);
            }
        }
        if let Some(d) = &t.deadline {
            c.field(|| format!("task {id}: deadline"), &d.text);
        }
    }
    c.done(&plan.id, plan.glossary_filled)
}

/// Deadlines kept as printed because they were not understood.
pub fn unclear_deadlines(site: &Site) -> Vec<UnclearDeadline> {
    site.plans
        .iter()
        .flat_map(|p| p.tasks.iter().map(move |t| (p, t)))
        .filter_map(|(p, t)| {
            let d = t.deadline.as_ref()?;
            (!d.understood())
                .then(|| UnclearDeadline { task: format!("{}/{}", p.id, t.id), text: d.text.vi.clone() })
        })
        .collect()
}
