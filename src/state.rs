//! The state of every task as of the build's date: from its latest progress
//! report and its deadline, one of nine states, so that every page, data
//! file and feed answers "is it done, and is it late?" the same way.
//!
//! Precedence, first that applies (docs/progress.md):
//! 1. `cancelled` — the latest report says so;
//! 2. `done` / `done_late` — the latest report says done; late if the first
//!    report of that unbroken run of "done" is dated after the deadline;
//! 3. `overdue` — the deadline has ended before the build's date;
//! 4. `due_soon` — it ends within [`DUE_SOON_DAYS`] days;
//! 5. `in_progress` / `not_started` — as the latest report says;
//! 6. `ongoing` — ongoing or recurring work ("Thường xuyên", "Hằng năm");
//! 7. `no_deadline` — no date is printed or understood;
//! 8. `not_started` — a deadline further ahead and no report yet.

use crate::deadline::Deadline;
use crate::model::{Date, Reported, Site, TaskUpdate};
use serde::Serialize;
use std::collections::BTreeMap;

/// "Due soon" means the deadline ends within this many days.
pub const DUE_SOON_DAYS: i64 = 90;

/// One task's state (contract: these names are in the open data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Overdue,
    DueSoon,
    InProgress,
    NotStarted,
    Ongoing,
    NoDeadline,
    DoneLate,
    Done,
    Cancelled,
}

impl State {
    /// In the order pages list them: what needs attention first.
    pub const ALL: [State; 9] = [
        State::Overdue,
        State::DueSoon,
        State::InProgress,
        State::NotStarted,
        State::Ongoing,
        State::NoDeadline,
        State::DoneLate,
        State::Done,
        State::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Done => "done",
            State::DoneLate => "done_late",
            State::Cancelled => "cancelled",
            State::Overdue => "overdue",
            State::DueSoon => "due_soon",
            State::InProgress => "in_progress",
            State::NotStarted => "not_started",
            State::Ongoing => "ongoing",
            State::NoDeadline => "no_deadline",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A report's entry for a task: which report, which entry in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateRef {
    pub report: usize,
    pub entry: usize,
}

/// A task's state, the next date it is due, and its reports, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStatus {
    pub state: State,
    pub next_due: Option<Date>,
    pub updates: Vec<UpdateRef>,
}

/// How many tasks are in each state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub BTreeMap<State, usize>);

impl Counts {
    pub fn of<'s>(states: impl IntoIterator<Item = &'s TaskStatus>) -> Counts {
        let mut counts = Counts::default();
        for s in states {
            *counts.0.entry(s.state).or_default() += 1;
        }
        counts
    }

    pub fn get(&self, state: State) -> usize {
        self.0.get(&state).copied().unwrap_or(0)
    }

    /// Every state with its count, zeros included, in [`State::ALL`] order.
    pub fn all(&self) -> Vec<(State, usize)> {
        State::ALL.iter().map(|&s| (s, self.get(s))).collect()
    }
}

/// Every task's status, per plan, in the site's plan and task order.
pub fn statuses(site: &Site) -> Vec<Vec<TaskStatus>> {
    let mut updates: BTreeMap<(&str, &str), Vec<UpdateRef>> = BTreeMap::new();
    // Reports are sorted by plan and date, so each list is oldest first.
    for (r, report) in site.reports.iter().enumerate() {
        for (e, update) in report.tasks.iter().enumerate() {
            updates.entry((&report.plan, &update.task)).or_default().push(UpdateRef { report: r, entry: e });
        }
    }
    site.plans
        .iter()
        .map(|plan| {
            plan.tasks
                .iter()
                .map(|task| {
                    let refs = updates.remove(&(plan.id.as_str(), task.id.as_str())).unwrap_or_default();
                    let reported: Vec<(Date, &TaskUpdate)> = refs
                        .iter()
                        .map(|u| (site.reports[u.report].as_of, &site.reports[u.report].tasks[u.entry]))
                        .collect();
                    TaskStatus {
                        state: state(task.deadline.as_ref(), &reported, site.today),
                        next_due: task.deadline.as_ref().and_then(|d| d.next_due(site.today)),
                        updates: refs,
                    }
                })
                .collect()
        })
        .collect()
}

/// The state of a task with `deadline` and `reported` (oldest first) on `today`.
pub fn state(deadline: Option<&Deadline>, reported: &[(Date, &TaskUpdate)], today: Date) -> State {
    let latest = reported.last().map(|(_, u)| u.status);
    let end = deadline.and_then(|d| d.end());
    match latest {
        Some(Reported::Cancelled) => return State::Cancelled,
        Some(Reported::Done) => {
            let done_since = reported.iter().rev().take_while(|(_, u)| u.status == Reported::Done).last();
            let late = matches!((done_since, end), (Some((date, _)), Some(end)) if *date > end);
            return if late { State::DoneLate } else { State::Done };
        }
        _ => {}
    }
    if let Some(end) = end {
        let days = today.days_until(end);
        if days < 0 {
            return State::Overdue;
        }
        if days <= DUE_SOON_DAYS {
            return State::DueSoon;
        }
    }
    match latest {
        Some(Reported::InProgress) => State::InProgress,
        Some(_) => State::NotStarted,
        None => match deadline {
            Some(d) if d.ongoing() || d.recurring().is_some() => State::Ongoing,
            Some(_) if end.is_some() => State::NotStarted,
            _ => State::NoDeadline,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).expect("date")
    }

    fn update(status: Reported) -> TaskUpdate {
        TaskUpdate { task: "1".into(), status, percent: None, note: None, evidence: None }
    }

    #[test]
    fn every_state_by_its_precedence() {
        let today = d("2026-06-30");
        let due = |text: &str| Deadline::new(text, None, Some(2026));
        let (done, doing, cancelled, not_started) = (
            update(Reported::Done),
            update(Reported::InProgress),
            update(Reported::Cancelled),
            update(Reported::NotStarted),
        );
        let year_2025 = due("2025");
        let june_2026 = due("Tháng 7/2026");
        let later = due("2028");
        assert_eq!(state(Some(&year_2025), &[(d("2025-10-01"), &done)], today), State::Done);
        assert_eq!(state(Some(&year_2025), &[(d("2026-02-01"), &done)], today), State::DoneLate);
        // Late is judged by when it was first reported done.
        let run = [(d("2025-11-01"), &done), (d("2026-03-01"), &done)];
        assert_eq!(state(Some(&year_2025), &run, today), State::Done);
        assert_eq!(state(Some(&year_2025), &[(d("2025-06-01"), &cancelled)], today), State::Cancelled);
        assert_eq!(state(Some(&year_2025), &[(d("2025-06-01"), &doing)], today), State::Overdue);
        assert_eq!(state(Some(&year_2025), &[], today), State::Overdue);
        assert_eq!(state(Some(&june_2026), &[(d("2026-06-01"), &doing)], today), State::DueSoon);
        assert_eq!(state(Some(&later), &[(d("2026-06-01"), &doing)], today), State::InProgress);
        assert_eq!(state(Some(&later), &[(d("2026-06-01"), &not_started)], today), State::NotStarted);
        assert_eq!(state(Some(&later), &[], today), State::NotStarted);
        assert_eq!(state(Some(&due("Thường xuyên")), &[], today), State::Ongoing);
        assert_eq!(state(Some(&due("trước ngày 15/12 hằng năm")), &[], today), State::Ongoing);
        assert_eq!(state(Some(&due("Sau khi có hướng dẫn")), &[], today), State::NoDeadline);
        assert_eq!(state(None, &[], today), State::NoDeadline);
        // The latest report wins over an earlier "done".
        let reopened = [(d("2025-06-01"), &done), (d("2026-01-01"), &doing)];
        assert_eq!(state(Some(&later), &reopened, today), State::InProgress);
    }

    #[test]
    fn names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }
}
