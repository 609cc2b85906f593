//! A filled form checked row by row against its plan. Every problem is
//! collected with its row and column before anything is accepted, so the
//! person fixes the sheet once, not once per error.

use super::read::{Grid, has_header};
use super::{Column, Identity, Status, clean, parse_percent};
use crate::error::{CellProblem, Error, Result};
use crate::model::Plan;
use crate::text::is_web_url;
use std::collections::BTreeMap;

/// One task's line of a progress report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskReport {
    pub task: String,
    pub status: Status,
    pub percent: Option<u8>,
    /// What was done, as filled (Vietnamese).
    pub note: Option<String>,
    pub evidence: Option<String>,
}

/// What a form says, once every row passed.
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    /// In the plan's task order.
    pub tasks: Vec<TaskReport>,
    /// Task rows with nothing filled in.
    pub blank: usize,
    /// Things changed on the way (characters removed, old task ids).
    pub warnings: Vec<String>,
}

/// The sheet being checked and what was found in it.
struct Sheet<'a> {
    grid: &'a Grid,
    /// Column of the sheet → what it holds, from the header row.
    columns: BTreeMap<Column, (usize, String)>,
    problems: Vec<CellProblem>,
    warnings: Vec<String>,
}

/// Checks the first sheet of `grids` that has the form's header, for
/// `plan`, reported by `by`.
pub fn check(grids: &[Grid], plan: &Plan, by: &str) -> Result<Filled> {
    let Some((grid, header)) = grids.iter().find_map(|g| header_row(g).map(|h| (g, h))) else {
        let file = grids.first().map(|g| g.file.display().to_string()).unwrap_or_default();
        return Err(Error::Other(format!(
            "{file}: no header row naming the columns “{}” and “{}”: is this a form from `plansite report template`?\n     hint: make one with `plansite report template --plan {} --out FILE.xlsx`",
            Column::TaskId.header(crate::text::Lang::Vi),
            Column::Status.header(crate::text::Lang::Vi),
            plan.id
        )));
    };
    let mut sheet = Sheet { grid, columns: BTreeMap::new(), problems: Vec::new(), warnings: Vec::new() };
    sheet.read_header(header);
    sheet.check_identity(header, plan, by);
    let (tasks, blank) = sheet.task_rows(header, plan);
    if !sheet.problems.is_empty() {
        sheet.problems.sort();
        return Err(Error::Sheet {
            file: grid.file.clone(),
            sheet: grid.sheet.clone(),
            problems: sheet.problems,
        });
    }
    if tasks.is_empty() {
        return Err(Error::Other(format!(
            "{}: every task row is blank ({blank}), so there is nothing to import\n     hint: fill in “{}” for the tasks to report on",
            grid.file.display(),
            Column::Status.header(crate::text::Lang::Vi)
        )));
    }
    Ok(Filled { tasks, blank, warnings: sheet.warnings })
}

/// The index in `grid.rows` of the header row.
fn header_row(grid: &Grid) -> Option<usize> {
    grid.rows.iter().position(|(_, cells)| has_header(cells))
}

/// The spreadsheet's name for a 0-based column: A…Z, AA…
fn letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Sheet<'_> {
    fn read_header(&mut self, header: usize) {
        let grid = self.grid;
        let (row, cells) = &grid.rows[header];
        for (i, cell) in cells.iter().enumerate() {
            let Some(column) = Column::from_header(cell) else { continue };
            if let Some((first, _)) = self.columns.get(&column) {
                let message =
                    format!("a second column “{}” (the first is column {})", cell.trim(), letters(*first));
                self.problems.push(
                    CellProblem::new(*row, Some(letters(i)), message)
                        .hint("keep one column of each; delete or rename the other"),
                );
                continue;
            }
            self.columns.insert(column, (i, cell.trim().to_string()));
        }
    }

    /// The place of a column in messages: `H (Tình trạng thực hiện)`.
    fn place(&self, column: Column) -> Option<String> {
        self.columns.get(&column).map(|(i, header)| format!("{} ({header})", letters(*i)))
    }

    /// The cell of `column` in a row, trimmed; empty if the sheet lacks it.
    fn cell<'c>(&self, cells: &'c [String], column: Column) -> &'c str {
        self.columns.get(&column).and_then(|(i, _)| cells.get(*i)).map_or("", |c| c.trim())
    }

    /// The rows above the header must name this plan, and an agency form
    /// the agency reporting: a form sent back to the wrong publisher, or
    /// imported under the wrong plan, is refused.
    fn check_identity(&mut self, header: usize, plan: &Plan, by: &str) {
        let mut found_plan = false;
        let grid = self.grid;
        for (row, cells) in &grid.rows[..header] {
            let Some(identity) = cells.first().and_then(|c| Identity::from_label(c)) else { continue };
            let id = cells.get(1).map_or("", |c| c.trim());
            let place = Some(format!("B ({})", identity.label()));
            match identity {
                Identity::Plan => {
                    found_plan = true;
                    if id != plan.id {
                        self.problems.push(
                            CellProblem::new(*row, place, format!("this form is for plan `{id}`, not `{}`", plan.id))
                                .hint(format!("import it with --plan {id}, or make a form for {} with `plansite report template --plan {}`", plan.id, plan.id)),
                        );
                    }
                }
                Identity::Agency if !id.is_empty() && id != by => {
                    self.problems.push(
                        CellProblem::new(
                            *row,
                            place,
                            format!("this form is for agency `{id}`, but --by says `{by}`"),
                        )
                        .hint(format!(
                            "pass --by {id} if {id} filled it in, or make a form for {by} with --agency {by}"
                        )),
                    );
                }
                _ => {}
            }
        }
        if !found_plan {
            let row = self.grid.rows.first().map_or(1, |(r, _)| *r);
            self.problems.push(
                CellProblem::new(
                    row,
                    Some("A".into()),
                    format!(
                        "no “{}” row above the header, so the form's plan is unknown",
                        Identity::Plan.label()
                    ),
                )
                .hint(format!(
                    "keep the first rows of the form as `plansite report template --plan {}` wrote them",
                    plan.id
                )),
            );
        }
    }

    /// Checks every row below the header; returns the reported tasks in
    /// plan order and how many task rows were left blank.
    fn task_rows(&mut self, header: usize, plan: &Plan) -> (Vec<TaskReport>, usize) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut tasks = Vec::new();
        let mut blank = 0;
        let grid = self.grid;
        for (row, cells) in &grid.rows[header + 1..] {
            let filled = [Column::Status, Column::Percent, Column::Note, Column::Evidence]
                .into_iter()
                .filter(|c| !self.cell(cells, *c).is_empty())
                .collect::<Vec<_>>();
            let id = self.cell(cells, Column::TaskId);
            match (id.is_empty(), filled.is_empty()) {
                (true, true) => continue,
                (false, true) => {
                    blank += 1;
                    continue;
                }
                _ => {}
            }
            let Some(report) = self.task_row(*row, cells, plan, &filled) else { continue };
            if let Some(first) = seen.insert(report.task.clone(), *row) {
                self.problems.push(
                    CellProblem::new(
                        *row,
                        self.place(Column::TaskId),
                        format!("task `{}` is reported twice, in rows {first} and {row}", report.task),
                    )
                    .hint("keep one row per task"),
                );
                continue;
            }
            tasks.push(report);
        }
        let order: BTreeMap<&str, usize> =
            plan.tasks.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        tasks.sort_by_key(|t| order.get(t.task.as_str()).copied());
        (tasks, blank)
    }

    /// One filled row, or `None` after noting its problems.
    fn task_row(
        &mut self,
        row: usize,
        cells: &[String],
        plan: &Plan,
        filled: &[Column],
    ) -> Option<TaskReport> {
        let before = self.problems.len();
        let task = self.task_id(row, cells, plan);
        let status = self.status(row, cells, filled);
        let percent = match self.cell(cells, Column::Percent) {
            "" => None,
            typed => {
                let p = parse_percent(typed);
                if p.is_none() {
                    self.problems.push(
                        CellProblem::new(row, self.place(Column::Percent), format!("`{typed}` is not a whole number from 0 to 100"))
                            .hint("type the percentage done as a number, e.g. 40 (not 40% in a percent-formatted cell, which is 0.4)"),
                    );
                }
                p
            }
        };
        let evidence = match self.cell(cells, Column::Evidence) {
            "" => None,
            url if is_web_url(url) => Some(url.to_string()),
            url => {
                self.problems.push(
                    CellProblem::new(
                        row,
                        self.place(Column::Evidence),
                        format!("`{}` is not a web link", url.escape_debug()),
                    )
                    .hint("give one link starting with http:// or https://; put anything else in the note"),
                );
                None
            }
        };
        let note = self.text(row, cells, Column::Note);
        if self.problems.len() > before {
            return None;
        }
        Some(TaskReport { task: task?, status: status?, percent, note, evidence })
    }

    /// The row's task, by id or by an old id the plan keeps as an alias.
    fn task_id(&mut self, row: usize, cells: &[String], plan: &Plan) -> Option<String> {
        let id = self.cell(cells, Column::TaskId);
        if id.is_empty() {
            self.problems.push(
                CellProblem::new(row, self.place(Column::TaskId), "a report but no task id")
                    .hint("fill in rows of the form's tasks only; do not add rows or clear the task id"),
            );
            return None;
        }
        if plan.task(id).is_some() {
            return Some(id.to_string());
        }
        if let Some(task) = plan.tasks.iter().find(|t| t.aliases.iter().any(|a| a == id)) {
            self.warnings
                .push(format!("row {row}: task `{id}` is now `{}`; reported under its new id", task.id));
            return Some(task.id.clone());
        }
        self.problems.push(
            CellProblem::new(
                row,
                self.place(Column::TaskId),
                format!("no task `{}` in plan `{}`", id.escape_debug(), plan.id),
            )
            .hint("keep the task ids as the form gave them"),
        );
        None
    }

    fn status(&mut self, row: usize, cells: &[String], filled: &[Column]) -> Option<Status> {
        let typed = self.cell(cells, Column::Status);
        if typed.is_empty() {
            let what: Vec<&str> = filled
                .iter()
                .map(|c| match c {
                    Column::Percent => "a percent",
                    Column::Note => "a note",
                    _ => "evidence",
                })
                .collect();
            self.problems.push(
                CellProblem::new(
                    row,
                    self.place(Column::Status),
                    format!("{} but no status", what.join(" and ")),
                )
                .hint("choose the status too, or clear the row"),
            );
            return None;
        }
        let status = Status::from_cell(typed);
        if status.is_none() {
            let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label(crate::text::Lang::Vi)).collect();
            self.problems.push(
                CellProblem::new(
                    row,
                    self.place(Column::Status),
                    format!("`{}` is not a status", typed.escape_debug()),
                )
                .hint(format!(
                    "choose one of: {} (or {})",
                    labels.join(", "),
                    Status::ALL.map(|s| s.id()).join(", ")
                )),
            );
        }
        status
    }

    /// A text cell, cleaned; removed characters are reported as a warning.
    fn text(&mut self, row: usize, cells: &[String], column: Column) -> Option<String> {
        let (text, removed) = clean(self.cell(cells, column));
        if removed {
            let place = self.place(column).unwrap_or_default();
            self.warnings.push(format!(
                "row {row}, column {place}: removed control characters that content cannot hold"
            ));
        }
        (!text.is_empty()).then_some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::letters;

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(10), "K");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
