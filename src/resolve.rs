//! Links the model together: which tasks each agency leads or supports,
//! including work inherited from agencies merged into it.

use crate::history::History;
use crate::model::{Agency, Plan, Site, Task};
use crate::names::Names;
use crate::state::{Counts, State, TaskStatus};
use std::collections::BTreeMap;

/// A task by position: `site.plans[plan].tasks[task]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TaskRef {
    pub plan: usize,
    pub task: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Lead,
    Support,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Support => "support",
        }
    }
}

/// One task on an agency's list: its role, and the predecessor it came from
/// if the agency inherited it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub task: TaskRef,
    pub role: Role,
    pub inherited_from: Option<usize>,
}

/// Everything derived from the site that more than one output needs.
#[derive(Debug)]
pub struct Resolved<'a> {
    pub site: &'a Site,
    /// Agency index by id.
    pub agency_index: BTreeMap<&'a str, usize>,
    /// Per agency (same order as `site.agencies`): its assignments, in plan
    /// and task order.
    pub assignments: Vec<Vec<Assignment>>,
    /// Per agency: the agencies that were merged into it.
    pub predecessors: Vec<Vec<usize>>,
    /// What changed in earlier builds and this one (set by the build).
    pub history: History,
    /// Per plan, per task: its state as of the build's date, next due date
    /// and reports.
    pub statuses: Vec<Vec<TaskStatus>>,
    /// Plans' short names and agencies' names with their place where shared.
    pub names: Names,
}

impl<'a> Resolved<'a> {
    pub fn new(site: &'a Site) -> Resolved<'a> {
        let agency_index: BTreeMap<&str, usize> =
            site.agencies.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
        let mut assignments = vec![Vec::new(); site.agencies.len()];
        let mut predecessors = vec![Vec::new(); site.agencies.len()];
        for (i, agency) in site.agencies.iter().enumerate() {
            if let Some(next) = agency.succeeded_by.as_ref().and_then(|s| agency_index.get(s.agency.as_str()))
            {
                predecessors[*next].push(i);
            }
        }
        for (p, plan) in site.plans.iter().enumerate() {
            for (t, task) in plan.tasks.iter().enumerate() {
                let task_ref = TaskRef { plan: p, task: t };
                let roles = task.lead.iter().map(|a| (a, Role::Lead));
                for (id, role) in roles.chain(task.support.iter().map(|a| (a, Role::Support))) {
                    let Some(&direct) = agency_index.get(id.as_str()) else {
                        continue;
                    };
                    assignments[direct].push(Assignment { task: task_ref, role, inherited_from: None });
                    for heir in successors(site, &agency_index, direct) {
                        assignments[heir].push(Assignment {
                            task: task_ref,
                            role,
                            inherited_from: Some(direct),
                        });
                    }
                }
            }
        }
        // A task the heir also has directly in the same role (a cell naming
        // both the old and the new department) is listed once, as its own.
        for list in &mut assignments {
            let direct: std::collections::BTreeSet<(TaskRef, bool)> = list
                .iter()
                .filter(|a| a.inherited_from.is_none())
                .map(|a| (a.task, a.role == Role::Lead))
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            list.retain(|a| {
                let key = (a.task, a.role == Role::Lead);
                (a.inherited_from.is_none() || !direct.contains(&key)) && seen.insert((key, a.inherited_from))
            });
        }
        let statuses = crate::state::statuses(site);
        let names = Names::new(site);
        Resolved {
            site,
            agency_index,
            assignments,
            predecessors,
            history: History::default(),
            statuses,
            names,
        }
    }

    pub fn agency(&self, id: &str) -> Option<&'a Agency> {
        self.agency_index.get(id).map(|&i| &self.site.agencies[i])
    }

    pub fn task(&self, r: TaskRef) -> (&'a Plan, &'a Task) {
        let plan = &self.site.plans[r.plan];
        (plan, &plan.tasks[r.task])
    }

    pub fn status(&self, r: TaskRef) -> &TaskStatus {
        &self.statuses[r.plan][r.task]
    }

    /// Tasks in each state: of one plan, or of an agency's list (each task
    /// once, whatever its roles).
    pub fn plan_counts(&self, plan: usize) -> Counts {
        Counts::of(&self.statuses[plan])
    }

    pub fn agency_counts(&self, agency: usize) -> Counts {
        Counts::of(distinct_tasks(&self.assignments[agency]).into_iter().map(|t| self.status(t)))
    }

    /// How many of an agency's tasks (each once) are due in `year` and not
    /// done or cancelled: its next due date falls in that year.
    pub fn due_in_year(&self, agency: usize, year: i32) -> usize {
        distinct_tasks(&self.assignments[agency])
            .into_iter()
            .map(|t| self.status(t))
            .filter(|s| !matches!(s.state, State::Done | State::DoneLate | State::Cancelled))
            .filter(|s| s.next_due.is_some_and(|d| d.year == year))
            .count()
    }

    /// The years that task deadlines span, each once, for the search page's
    /// year filter.
    pub fn deadline_years(&self) -> Vec<i32> {
        let tasks = self.site.plans.iter().flat_map(|p| &p.tasks);
        let years: std::collections::BTreeSet<i32> =
            tasks.filter_map(|t| t.deadline.as_ref()).flat_map(|d| d.years()).collect();
        years.into_iter().collect()
    }

    /// Each indicator's reported values in `plan`, oldest year first, the
    /// latest report of a year winning: indicator id → `[(year, value)]`.
    /// What the plan page and `indicators.csv` both show.
    pub fn indicator_values(&self, plan: &str) -> BTreeMap<&'a str, Vec<(i32, &'a str)>> {
        let mut by_year: BTreeMap<(&str, i32), &str> = BTreeMap::new();
        for report in self.site.reports.iter().filter(|r| r.plan == plan) {
            for v in &report.indicators {
                by_year.insert((&v.indicator, v.year), &v.value);
            }
        }
        let mut out: BTreeMap<&str, Vec<(i32, &str)>> = BTreeMap::new();
        for ((id, year), value) in by_year {
            out.entry(id).or_default().push((year, value));
        }
        out
    }

    /// An agency's assignments whose task has a deadline date, soonest
    /// first: what goes into its calendar and CSV.
    pub fn dated(&self, agency: usize) -> Vec<&Assignment> {
        let mut dated: Vec<&Assignment> = self.assignments[agency]
            .iter()
            .filter(|a| self.task(a.task).1.deadline.as_ref().and_then(|d| d.end()).is_some())
            .collect();
        dated.sort_by_key(|a| (self.task(a.task).1.deadline.as_ref().and_then(|d| d.end()), a.task));
        dated
    }

    /// Ids of the tasks an agency has in `role`, inherited ones included.
    pub fn task_ids(&self, agency: usize, role: Role) -> Vec<String> {
        self.assignments[agency]
            .iter()
            .filter(|a| a.role == role)
            .map(|a| {
                let (plan, task) = self.task(a.task);
                format!("{}/{}", plan.id, task.id)
            })
            .collect()
    }
}

/// The tasks of a list of assignments, each once whatever its roles.
pub fn distinct_tasks<'x>(
    list: impl IntoIterator<Item = &'x Assignment>,
) -> std::collections::BTreeSet<TaskRef> {
    list.into_iter().map(|a| a.task).collect()
}

/// The chain of agencies that took over `start`'s work, nearest first. A
/// cycle in the registry stops the walk instead of looping.
fn successors(site: &Site, index: &BTreeMap<&str, usize>, start: usize) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = start;
    while let Some(next) =
        site.agencies[current].succeeded_by.as_ref().and_then(|s| index.get(s.agency.as_str()))
    {
        if *next == start || chain.contains(next) {
            break;
        }
        chain.push(*next);
        current = *next;
    }
    chain
}
