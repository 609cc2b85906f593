//! What a rebuild must redo. A full build redoes everything; a rebuild in a
//! session (after a plan file changed, with the registry, glossary, seeds,
//! theme and options as they were) redoes only the pages and pieces that
//! show something that changed: the changed plans' pages, the pages of the
//! tasks that changed, and the agencies whose task lists changed.

use crate::model::{Plan, Site};
use crate::resolve::{Resolved, TaskRef};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// The outputs a build redoes; everything else is kept as it was.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    all: bool,
    /// Plans (by index in the new site) with any change.
    plans: BTreeSet<usize>,
    /// Tasks whose own page or card changes.
    tasks: BTreeSet<TaskRef>,
    /// Agencies whose page, calendar or CSV changes.
    agencies: BTreeSet<usize>,
}

impl Scope {
    /// Everything: a full build.
    pub fn all() -> Scope {
        Scope { all: true, ..Scope::default() }
    }

    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Whether nothing is to be redone (no plan changed).
    pub fn is_empty(&self) -> bool {
        !self.all && self.plans.is_empty() && self.tasks.is_empty() && self.agencies.is_empty()
    }

    /// Whether plan `p`'s own pages (plan, source, changes) are redone.
    pub fn plan(&self, p: usize) -> bool {
        self.all || self.plans.contains(&p)
    }

    pub fn task(&self, task: TaskRef) -> bool {
        self.all || self.tasks.contains(&task)
    }

    pub fn agency(&self, a: usize) -> bool {
        self.all || self.agencies.contains(&a)
    }

    /// One value per plan of the site, in order: taken from the last build
    /// (`kept`, by plan id) for plans outside the scope, made by `make`, in
    /// parallel, for the others and for any the last build did not have.
    /// The one place that decides which per-plan pieces may be reused.
    pub fn per_plan<T: Send, E: Send>(
        &self,
        site: &Site,
        kept: impl Fn(&str) -> Option<T> + Sync,
        make: impl Fn(usize, &Plan) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, E> {
        site.plans
            .par_iter()
            .enumerate()
            .map(|(p, plan)| match Some(&plan.id).filter(|_| !self.plan(p)).and_then(|id| kept(id)) {
                Some(value) => Ok(value),
                None => make(p, plan),
            })
            .collect()
    }

    /// Ids of the plans that changed (all plans for a full build).
    pub fn plan_ids(&self, site: &Site) -> BTreeSet<String> {
        site.plans
            .iter()
            .enumerate()
            .filter(|(p, _)| self.plan(*p))
            .map(|(_, plan)| plan.id.clone())
            .collect()
    }

    /// What changed between the last build (its plans and [`listings`]) and
    /// this one (`new`, with `new_listings`), whose registry is the same.
    pub fn between(
        old_plans: &[std::sync::Arc<Plan>],
        old_listings: &Listings,
        new: &Resolved,
        new_listings: &Listings,
    ) -> Scope {
        let old: HashMap<&str, &Plan> = old_plans.iter().map(|p| (p.id.as_str(), &**p)).collect();
        let mut scope = Scope::default();
        for (p, plan) in new.site.plans.iter().enumerate() {
            let tasks = (0..plan.tasks.len()).map(|t| TaskRef { plan: p, task: t });
            match old.get(plan.id.as_str()) {
                Some(before) if std::ptr::eq(*before, &**plan) || **before == **plan => {}
                Some(before) if before.same_but_tasks(plan) => {
                    scope.plans.insert(p);
                    let by_id: HashMap<&str, _> = before.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
                    scope.tasks.extend(
                        tasks.filter(|r| {
                            by_id.get(plan.tasks[r.task].id.as_str()) != Some(&&plan.tasks[r.task])
                        }),
                    );
                }
                _ => {
                    scope.plans.insert(p);
                    scope.tasks.extend(tasks);
                }
            }
        }
        for (a, agency) in new.site.agencies.iter().enumerate() {
            let moved = old_listings.get(&agency.id) != new_listings.get(&agency.id);
            if moved || new.assignments[a].iter().any(|x| scope.tasks.contains(&x.task)) {
                scope.agencies.insert(a);
            }
        }
        scope
    }
}

/// Per agency id, a fingerprint of its task list (which tasks, in what
/// role, inherited from whom), to see whose list a rebuild changed.
pub type Listings = HashMap<String, u64>;

pub fn listings(r: &Resolved) -> Listings {
    let site = r.site;
    site.agencies
        .iter()
        .zip(&r.assignments)
        .map(|(agency, list)| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for a in list {
                let (plan, task) = r.task(a.task);
                (plan.id.as_str(), task.id.as_str(), a.role.as_str(), a.inherited_from).hash(&mut h);
            }
            (agency.id.clone(), h.finish())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn site() -> Site {
        crate::load::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("content loads")
    }

    /// The scope from `site` to `site` changed by `edit` on plan 0.
    fn after(edit: impl Fn(&mut Plan)) -> (Scope, Site) {
        let old = site();
        let listings = listings(&Resolved::new(&old));
        let mut new = old.clone();
        edit(Arc::make_mut(&mut new.plans[0]));
        let r = Resolved::new(&new);
        let scope = Scope::between(&old.plans, &listings, &r, &super::listings(&r));
        (scope, new)
    }

    #[test]
    fn a_task_edit_covers_that_task_its_plan_and_its_agencies() {
        let (scope, new) = after(|p| p.tasks[2].title.vi.push_str(" (sửa)"));
        assert_eq!(scope.tasks.iter().collect::<Vec<_>>(), [&TaskRef { plan: 0, task: 2 }]);
        assert_eq!(scope.plans.iter().collect::<Vec<_>>(), [&0]);
        let r = Resolved::new(&new);
        let expected: BTreeSet<usize> = (0..new.agencies.len())
            .filter(|&a| r.assignments[a].iter().any(|x| x.task == TaskRef { plan: 0, task: 2 }))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(scope.agencies, expected);
        assert!(!scope.plan(1) && !scope.task(TaskRef { plan: 0, task: 3 }));
    }

    #[test]
    fn a_plan_edit_covers_all_its_tasks_and_nothing_else() {
        let (scope, new) = after(|p| p.title.vi.push_str(" (sửa)"));
        assert_eq!(scope.tasks.len(), new.plans[0].tasks.len());
        assert!(scope.tasks.iter().all(|t| t.plan == 0));
        assert_eq!(scope.plan_ids(&new).into_iter().collect::<Vec<_>>(), [new.plans[0].id.clone()]);
        let (same, _) = after(|_| {});
        assert!(same.plans.is_empty() && same.tasks.is_empty() && same.agencies.is_empty());
    }
}
