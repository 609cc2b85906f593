//! The form an agency fills in: the plan's tasks (or one agency's, inherited
//! ones included), what was last reported of each, and empty columns for
//! the new report. One grid of cells is built, then written as XLSX (with a
//! drop-down, number validation, frozen header and an instructions sheet)
//! or as CSV, so the two always hold the same rows.

use super::current::{Latest, latest};
use super::{Column, FORM_KIND, HEADER_ROW, Identity, Status};
use crate::error::{Error, Result};
use crate::model::{Date, Plan, Task};
use crate::resolve::Resolved;
use crate::text::{Lang, spreadsheet_cell};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeSet;
use std::path::Path;

/// What form to make.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub plan: &'a str,
    /// Only the tasks this agency leads or supports, directly or inherited.
    pub agency: Option<&'a str>,
    pub lang: Lang,
}

/// A form's cells, row by row, each row as wide as the header and every
/// cell already made safe for spreadsheets.
#[derive(Debug, Clone)]
pub struct Form {
    pub lang: Lang,
    pub rows: Vec<Vec<String>>,
    /// How many task rows follow the header.
    pub tasks: usize,
    /// "03/NQ-CP: Kế hoạch …", for the instructions.
    plan_name: String,
}

/// The two file types a form is written as, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Xlsx,
    Csv,
}

impl FileType {
    pub fn of(path: &Path) -> Result<FileType> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "xlsx" => Ok(FileType::Xlsx),
            "csv" => Ok(FileType::Csv),
            _ => Err(Error::Other(format!(
                "{}: a form is written as .xlsx or .csv; name the file FILE.xlsx (for Excel) or FILE.csv",
                path.display()
            ))),
        }
    }
}

/// Builds the form of a plan, or of one agency's tasks in it.
pub fn form(resolved: &Resolved, options: &Options) -> Result<Form> {
    let site = resolved.site;
    let Some(plan_index) = site.plans.iter().position(|p| p.id == options.plan) else {
        let known: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
        return Err(Error::Other(format!(
            "no plan `{}`\n     hint: known plans: {}",
            options.plan,
            known.join(", ")
        )));
    };
    let plan = &site.plans[plan_index];
    let agency = match options.agency {
        Some(id) => Some(agency_index(resolved, id)?),
        None => None,
    };
    let tasks = tasks_of(resolved, plan_index, agency);
    if tasks.is_empty() {
        return Err(Error::Other(format!(
            "agency `{}` has no task in plan `{}`, directly or inherited\n     hint: leave out --agency for a form of the whole plan",
            options.agency.unwrap_or(""),
            plan.id
        )));
    }
    let reported = latest(site, &plan.id);
    let lang = options.lang;
    let mut rows = top_rows(resolved, plan, agency, lang);
    rows.push(Column::ALL.iter().map(|c| c.header(lang).to_string()).collect());
    for task in &tasks {
        rows.push(task_row(resolved, task, reported.get(&task.id), lang));
    }
    let rows = rows.into_iter().map(safe_row).collect();
    Ok(Form { lang, rows, tasks: tasks.len(), plan_name: plan_name(plan, lang) })
}

fn agency_index(resolved: &Resolved, id: &str) -> Result<usize> {
    resolved.agency_index.get(id).copied().ok_or_else(|| {
        Error::Other(format!(
            "no agency `{id}` in content/agencies/\n     hint: use an agency id as on its page, e.g. hue-so-khcn"
        ))
    })
}

/// The plan's tasks in plan order: all, or those the agency leads or
/// supports, inherited ones included (the resolver already knows them).
fn tasks_of<'a>(resolved: &Resolved<'a>, plan: usize, agency: Option<usize>) -> Vec<&'a Task> {
    let tasks = &resolved.site.plans[plan].tasks;
    let Some(agency) = agency else { return tasks.iter().collect() };
    let picked: BTreeSet<usize> =
        resolved.assignments[agency].iter().filter(|a| a.task.plan == plan).map(|a| a.task.task).collect();
    picked.into_iter().map(|t| &tasks[t]).collect()
}

fn plan_name(plan: &Plan, lang: Lang) -> String {
    let title = plan.title.get(lang).text;
    match &plan.number {
        Some(number) => format!("{number}: {title}"),
        None => title.to_string(),
    }
}

/// The rows above the header: three that tell import which plan (and
/// agency) the form is for — label, then id, with the cell after the id
/// left empty so a long id shows whole — then a title and a hint for the
/// person filling it in.
fn top_rows(resolved: &Resolved, plan: &Plan, agency: Option<usize>, lang: Lang) -> Vec<Vec<String>> {
    let (agency_id, agency_name) = match agency {
        Some(i) => {
            let a = &resolved.site.agencies[i];
            (a.id.clone(), a.name.get(lang).text.to_string())
        }
        None => (String::new(), words(lang, "tất cả các cơ quan", "all agencies").to_string()),
    };
    let title = format!(
        "{} — {}: {agency_name}",
        words(lang, "Báo cáo tiến độ", "Progress report"),
        plan_name(plan, lang)
    );
    let hint = words(
        lang,
        "Điền các cột tô vàng, mỗi dòng một nhiệm vụ; xem trang Hướng dẫn. Không sửa ba dòng đầu và cột Mã nhiệm vụ.",
        "Fill in the yellow columns, one row per task; see the Instructions sheet. Keep the first three rows and the task ids as they are.",
    );
    vec![
        vec![Identity::Plan.label().into(), plan.id.clone()],
        vec![Identity::Agency.label().into(), agency_id],
        vec![Identity::Form.label().into(), FORM_KIND.into()],
        vec![title],
        vec![hint.into()],
    ]
}

fn words(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Vi { vi } else { en }
}

fn task_row(resolved: &Resolved, task: &Task, reported: Option<&Latest>, lang: Lang) -> Vec<String> {
    let mut row = vec![String::new(); Column::ALL.len()];
    row[Column::TaskId.index()] = task.id.clone();
    row[Column::Number.index()] = task.number.clone();
    row[Column::Title.index()] = task.title.get(lang).text.to_string();
    row[Column::Lead.index()] = leads(resolved, task, lang);
    row[Column::Deadline.index()] =
        task.deadline.as_ref().map(|d| d.text.get(lang).text.to_string()).unwrap_or_default();
    if let Some(r) = reported {
        row[Column::Reported.index()] = reported_status(r, lang);
        row[Column::ReportedNote.index()] =
            r.note.as_ref().map(|n| n.get(lang).text.to_string()).unwrap_or_default();
    }
    row
}

/// The lead agencies' names; a merged one as "old → its successor", since
/// the successor is who answers for the task now.
fn leads(resolved: &Resolved, task: &Task, lang: Lang) -> String {
    let name = |id: &str| resolved.agency(id).map(|a| a.name.get(lang).text.to_string());
    task.lead
        .iter()
        .map(|id| {
            let own = name(id).unwrap_or_else(|| id.clone());
            match holder(resolved, id) {
                Some(now) if now != id.as_str() => format!("{own} → {}", name(now).unwrap_or_default()),
                _ => own,
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The agency that holds `id`'s work today, following mergers; a cycle in
/// the registry stops the walk.
fn holder<'a>(resolved: &Resolved<'a>, id: &str) -> Option<&'a str> {
    let mut current = resolved.agency(id)?;
    for _ in 0..resolved.site.agencies.len() {
        match current.succeeded_by.as_ref().and_then(|s| resolved.agency(&s.agency)) {
            Some(next) => current = next,
            None => break,
        }
    }
    Some(current.id.as_str())
}

/// "đang thực hiện, 40% (2026-06-30, hue-so-khcn)".
fn reported_status(r: &Latest, lang: Lang) -> String {
    let mut text = r.status.label(lang).to_string();
    if let Some(p) = r.percent {
        text.push_str(&format!(", {p}%"));
    }
    match &r.reported_by {
        Some(by) => format!("{text} ({}, {by})", r.as_of),
        None => format!("{text} ({})", r.as_of),
    }
}

/// Pads a row to the header's width and makes every cell safe: nothing
/// the content says may run as a formula, even after a re-save as CSV.
fn safe_row(row: Vec<String>) -> Vec<String> {
    let mut row: Vec<String> = row.iter().map(|c| spreadsheet_cell(c).into_owned()).collect();
    row.resize(Column::ALL.len(), String::new());
    row
}

impl Form {
    /// The form as CSV: UTF-8 with a byte-order mark, which Excel needs to
    /// show Vietnamese instead of mojibake.
    pub fn csv(&self) -> Result<Vec<u8>> {
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            for row in &self.rows {
                writer.write_record(row).map_err(|e| Error::Other(format!("CSV: {e}")))?;
            }
            writer.flush().map_err(|e| Error::Other(format!("CSV: {e}")))?;
        }
        Ok(out)
    }

    /// The form as an XLSX workbook: the form sheet, then the instructions.
    pub fn xlsx(&self) -> Result<Vec<u8>> {
        self.workbook().map_err(|e| Error::Other(format!("XLSX: {e}")))
    }

    fn workbook(&self) -> std::result::Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        // Dated today (SOURCE_DATE_EPOCH honoured), not to the second, so
        // the same content on the same day gives the same file.
        let today = Date::today();
        let year = u16::try_from(today.year).unwrap_or(1970);
        let created = ExcelDateTime::from_ymd(year, today.month as u8, today.day as u8)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_title(self.plan_name.as_str())
                .set_author("plansite")
                .set_creation_datetime(&created),
        );
        let sheet = workbook.add_worksheet();
        self.form_sheet(sheet)?;
        let instructions = workbook.add_worksheet();
        self.instructions_sheet(instructions)?;
        workbook.save_to_buffer()
    }

    fn form_sheet(&self, sheet: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        sheet.set_name(words(self.lang, "Báo cáo", "Report"))?;
        let styles = Styles::new();
        for (r, row) in self.rows.iter().enumerate() {
            let r32 = r as u32;
            for (c, cell) in row.iter().enumerate() {
                if r < HEADER_ROW && cell.is_empty() {
                    continue;
                }
                let column = Column::ALL[c];
                let format = styles.pick(r, column);
                match format {
                    Some(f) if cell.is_empty() => sheet.write_blank(r32, c as u16, f)?,
                    Some(f) => sheet.write_string_with_format(r32, c as u16, cell, f)?,
                    None if cell.is_empty() => continue,
                    None => sheet.write_string(r32, c as u16, cell)?,
                };
            }
        }
        for column in Column::ALL {
            sheet.set_column_width(column.index() as u16, column.width())?;
        }
        for (r, row) in self.rows.iter().enumerate().skip(HEADER_ROW) {
            sheet.set_row_height(r as u32, 15 * lines(row) as u16)?;
        }
        let (first, last) = (HEADER_ROW as u32 + 1, (HEADER_ROW + self.tasks) as u32);
        let last_col = (Column::ALL.len() - 1) as u16;
        sheet.set_freeze_panes(first, Column::Title.index() as u16)?;
        // Printed, it fits the page's width and repeats the header.
        sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(HEADER_ROW as u32, HEADER_ROW as u32)?;
        sheet.autofilter(HEADER_ROW as u32, 0, last, last_col)?;
        let status = Column::Status.index() as u16;
        sheet.add_data_validation(first, status, last, status, &self.status_rule()?)?;
        let percent = Column::Percent.index() as u16;
        sheet.add_data_validation(first, percent, last, percent, &self.percent_rule()?)?;
        Ok(())
    }

    /// A drop-down of the four statuses in the form's language.
    fn status_rule(&self) -> std::result::Result<DataValidation, XlsxError> {
        let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label(self.lang)).collect();
        DataValidation::new()
            .allow_list_strings(&labels)?
            .set_input_title(words(self.lang, "Tình trạng", "Status"))?
            .set_input_message(words(
                self.lang,
                "Chọn trong danh sách. Để trống nếu chưa báo cáo nhiệm vụ này.",
                "Pick one from the list. Leave empty to report nothing on this task.",
            ))?
            .set_error_title(words(self.lang, "Tình trạng không hợp lệ", "Not a status"))?
            .set_error_message(format!(
                "{}: {}",
                words(self.lang, "Chọn một trong", "Choose one of"),
                labels.join(", ")
            ))
    }

    /// A whole number from 0 to 100.
    fn percent_rule(&self) -> std::result::Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 100))
            .set_input_title(words(self.lang, "Tỷ lệ hoàn thành", "Percent done"))?
            .set_input_message(words(
                self.lang,
                "Số nguyên từ 0 đến 100, không có dấu %. Không bắt buộc.",
                "A whole number from 0 to 100, without %. Optional.",
            ))?
            .set_error_title(words(self.lang, "Tỷ lệ không hợp lệ", "Not a percentage"))?
            .set_error_message(words(
                self.lang,
                "Nhập số nguyên từ 0 đến 100.",
                "Type a whole number from 0 to 100.",
            ))
    }

    fn instructions_sheet(&self, sheet: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        sheet.set_name(words(self.lang, "Hướng dẫn", "Instructions"))?;
        sheet.set_column_width(0, 110)?;
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let bold = wrap.clone().set_bold();
        let safe = |s: &str| spreadsheet_cell(s).into_owned();
        let mut r = 0u32;
        for (heading, lines) in instructions(&self.plan_name) {
            sheet.write_string_with_format(r, 0, safe(&heading), &bold)?;
            r += 1;
            for line in lines {
                sheet.write_string_with_format(r, 0, safe(&line), &wrap)?;
                r += 1;
            }
            r += 1;
        }
        Ok(())
    }
}

/// How many lines the row's longest cell wraps to in its column, at most
/// 27 (Excel's tallest row). Spreadsheets do not grow rows for wrapped
/// text on their own, so the form sets each row's height.
fn lines(row: &[String]) -> usize {
    let wrapped = |cell: &String, column: Column| -> usize {
        // About five characters of text fit in four units of column width.
        let per_line = usize::from(column.width()) * 5 / 4;
        cell.split('\n').map(|l| l.chars().count().div_ceil(per_line).max(1)).sum()
    };
    row.iter().zip(Column::ALL).map(|(cell, column)| wrapped(cell, column)).max().unwrap_or(1).min(27)
}

/// The cell formats: the header stands out, the columns to fill are
/// yellow, long text wraps.
struct Styles {
    label: Format,
    title: Format,
    hint: Format,
    header: Format,
    header_fill: Format,
    body: Format,
    body_fill: Format,
}

impl Styles {
    fn new() -> Styles {
        let body = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
        let header = body.clone().set_bold().set_background_color(Color::RGB(0xD9D9D9));
        Styles {
            label: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(13),
            hint: Format::new().set_italic(),
            header_fill: header.clone().set_background_color(Color::RGB(0xFFD966)),
            header,
            body_fill: body.clone().set_background_color(Color::RGB(0xFFF2CC)).set_unlocked(),
            body,
        }
    }

    fn pick(&self, row: usize, column: Column) -> Option<&Format> {
        match (row.cmp(&HEADER_ROW), column.to_fill()) {
            (std::cmp::Ordering::Less, _) if column != Column::TaskId => None,
            (std::cmp::Ordering::Less, _) if row == HEADER_ROW - 2 => Some(&self.title),
            (std::cmp::Ordering::Less, _) if row == HEADER_ROW - 1 => Some(&self.hint),
            (std::cmp::Ordering::Less, _) => Some(&self.label),
            (std::cmp::Ordering::Equal, false) => Some(&self.header),
            (std::cmp::Ordering::Equal, true) => Some(&self.header_fill),
            (std::cmp::Ordering::Greater, false) => Some(&self.body),
            (std::cmp::Ordering::Greater, true) => Some(&self.body_fill),
        }
    }
}

/// The instructions sheet: Vietnamese, then English.
fn instructions(plan_name: &str) -> Vec<(String, Vec<String>)> {
    let vi_status: Vec<&str> = Status::ALL.iter().map(|s| s.label(Lang::Vi)).collect();
    let en_status: Vec<&str> = Status::ALL.iter().map(|s| s.label(Lang::En)).collect();
    let h = |l: Lang, c: Column| format!("“{}”", c.header(l));
    let vi = vec![
        format!("Biểu mẫu báo cáo tiến độ thực hiện: {plan_name}."),
        format!(
            "1. Mỗi dòng là một nhiệm vụ. Chỉ điền bốn cột tô vàng: {}, {}, {}, {}.",
            h(Lang::Vi, Column::Status),
            h(Lang::Vi, Column::Percent),
            h(Lang::Vi, Column::Note),
            h(Lang::Vi, Column::Evidence)
        ),
        format!("2. {}: chọn trong danh sách: {}.", h(Lang::Vi, Column::Status), vi_status.join("; ")),
        format!("3. {}: số nguyên từ 0 đến 100 (không bắt buộc).", h(Lang::Vi, Column::Percent)),
        format!(
            "4. {}: nêu ngắn gọn kết quả (văn bản đã ban hành, sản phẩm đã hoàn thành…).",
            h(Lang::Vi, Column::Note)
        ),
        format!(
            "5. {}: một đường dẫn bắt đầu bằng http:// hoặc https:// tới văn bản hoặc sản phẩm (không bắt buộc).",
            h(Lang::Vi, Column::Evidence)
        ),
        "6. Nhiệm vụ chưa có gì để báo cáo thì để trống cả dòng. Không sửa cột Mã nhiệm vụ và ba dòng đầu trang."
            .to_string(),
        "7. Lưu tệp (định dạng .xlsx, hoặc CSV UTF-8) và gửi lại cho cơ quan tổng hợp.".to_string(),
    ];
    let en = vec![
        format!("Progress report form: {plan_name}."),
        format!(
            "1. Each row is a task. Fill in only the four yellow columns: {}, {}, {}, {}.",
            h(Lang::En, Column::Status),
            h(Lang::En, Column::Percent),
            h(Lang::En, Column::Note),
            h(Lang::En, Column::Evidence)
        ),
        format!("2. {}: pick one from the list: {}.", h(Lang::En, Column::Status), en_status.join("; ")),
        format!("3. {}: a whole number from 0 to 100 (optional).", h(Lang::En, Column::Percent)),
        format!("4. {}: what was done, briefly (the document issued, the output delivered…).", h(Lang::En, Column::Note)),
        format!(
            "5. {}: one link starting with http:// or https:// to the document or output (optional).",
            h(Lang::En, Column::Evidence)
        ),
        "6. Leave the whole row empty for a task with nothing to report. Do not change the task id column or the first three rows.".to_string(),
        "7. Save the file (as .xlsx, or CSV UTF-8) and send it back to the agency that compiles the reports.".to_string(),
    ];
    vec![("Hướng dẫn".to_string(), vi), ("Instructions".to_string(), en)]
}
