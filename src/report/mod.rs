//! Progress reports from spreadsheets: agency staff work in Excel, so
//! `plansite report template` writes a form of a plan's tasks ([`template`])
//! and `plansite report import` reads the filled form back ([`read`]),
//! checks every row ([`form`]) and writes a progress file for
//! `content/progress/` ([`write`]).
//!
//! The form is defined once here — its columns, the identity rows that say
//! which plan it is for, and the status values with their labels — so the
//! writer and the reader cannot drift apart.

pub mod current;
pub mod form;
pub mod read;
pub mod template;
pub mod write;

use crate::error::{Error, Result};
use crate::model::{Date, Site};
use crate::text::{Lang, fold, is_web_url};
use std::path::Path;

/// What an agency reports of a task: the model's four values, with the
/// words forms use for them.
pub use crate::model::Reported as Status;

// Forms' words for the model's statuses live with the forms (an inherent
// impl may sit in any module of the crate).
impl Status {
    /// The value written in progress files.
    pub fn id(self) -> &'static str {
        self.as_str()
    }

    /// The label the form's drop-down offers, in the words reports use.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::NotStarted, Lang::Vi) => "chưa triển khai",
            (Status::InProgress, Lang::Vi) => "đang thực hiện",
            (Status::Done, Lang::Vi) => "đã hoàn thành",
            (Status::Cancelled, Lang::Vi) => "không thực hiện",
            (Status::NotStarted, Lang::En) => "not started",
            (Status::InProgress, Lang::En) => "in progress",
            (Status::Done, Lang::En) => "done",
            (Status::Cancelled, Lang::En) => "cancelled",
        }
    }

    /// Other words reports use for the same status. "Hoàn thành chậm"
    /// (done late) is done: lateness is worked out from the deadline.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Status::NotStarted => &["chưa thực hiện", "chưa bắt đầu"],
            Status::InProgress => &["đang triển khai"],
            Status::Done => &["hoàn thành", "hoàn thành chậm", "hoàn thành chậm so với tiến độ", "completed"],
            Status::Cancelled => &["dừng", "dừng thực hiện", "canceled"],
        }
    }

    /// Reads a status as staff type it: the id, either language's label or
    /// a synonym, in any case and with or without diacritics.
    pub fn from_cell(cell: &str) -> Option<Status> {
        let wanted = normalise(cell);
        Status::ALL.into_iter().find(|s| {
            let words = [s.id(), s.label(Lang::Vi), s.label(Lang::En)];
            words.iter().chain(s.synonyms()).any(|w| normalise(w) == wanted)
        })
    }
}

/// Lowercase, no diacritics (đ → d), `_` as a space, spaces collapsed: how
/// typed labels and headers are compared.
fn normalise(s: &str) -> String {
    let folded = fold(s).replace('_', " ");
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form's columns, in order. The first ones describe the task; the
/// last four are for the agency to fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    TaskId,
    Number,
    Title,
    Lead,
    Deadline,
    Reported,
    ReportedNote,
    Status,
    Percent,
    Note,
    Evidence,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::TaskId,
        Column::Number,
        Column::Title,
        Column::Lead,
        Column::Deadline,
        Column::Reported,
        Column::ReportedNote,
        Column::Status,
        Column::Percent,
        Column::Note,
        Column::Evidence,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The header row's text.
    pub fn header(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Column::TaskId => ("Mã nhiệm vụ", "Task id"),
            Column::Number => ("Số", "Number"),
            Column::Title => ("Nhiệm vụ", "Title"),
            Column::Lead => ("Cơ quan chủ trì", "Lead"),
            Column::Deadline => ("Thời hạn hoàn thành", "Deadline"),
            Column::Reported => ("Tình trạng đã báo cáo", "Last reported status"),
            Column::ReportedNote => ("Kết quả đã báo cáo", "Last reported result"),
            Column::Status => ("Tình trạng thực hiện", "Status"),
            Column::Percent => ("Tỷ lệ hoàn thành (%)", "Percent done"),
            Column::Note => ("Kết quả thực hiện", "What was done"),
            Column::Evidence => ("Minh chứng (đường dẫn)", "Evidence (link)"),
        };
        if lang == Lang::Vi { vi } else { en }
    }

    /// Whether the agency fills this column in.
    pub fn to_fill(self) -> bool {
        self >= Column::Status
    }

    /// A width in characters that shows the usual content without
    /// scrolling sideways for ever.
    pub fn width(self) -> u16 {
        match self {
            Column::TaskId => 17,
            Column::Number => 8,
            Column::Title => 60,
            Column::Lead => 30,
            Column::Deadline => 18,
            Column::Reported => 24,
            Column::ReportedNote => 36,
            Column::Status => 20,
            Column::Percent => 12,
            Column::Note => 50,
            Column::Evidence => 36,
        }
    }

    /// The spreadsheet's letter for the column (A, B, …).
    pub fn letter(self) -> char {
        char::from(b'A' + self as u8)
    }

    /// Which column a header cell names: either language's header or the
    /// progress file's key (`task`, `status`, …), for hand-made sheets.
    pub fn from_header(cell: &str) -> Option<Column> {
        let wanted = normalise(cell);
        Column::ALL.into_iter().find(|c| {
            let key = match c {
                Column::TaskId => "task",
                Column::Status => "status",
                Column::Percent => "percent",
                Column::Note => "note",
                Column::Evidence => "evidence",
                _ => "",
            };
            [c.header(Lang::Vi), c.header(Lang::En), key]
                .iter()
                .any(|h| !h.is_empty() && normalise(h) == wanted)
        })
    }
}

/// The rows above the header that say what the form is: the first cell
/// is the label, the second the id import checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Plan,
    Agency,
    Form,
}

impl Identity {
    pub const ALL: [Identity; 3] = [Identity::Plan, Identity::Agency, Identity::Form];

    /// Both languages always, so a form in either reads back the same way.
    pub fn label(self) -> &'static str {
        match self {
            Identity::Plan => "Kế hoạch / Plan",
            Identity::Agency => "Cơ quan / Agency",
            Identity::Form => "Biểu mẫu / Form",
        }
    }

    pub fn from_label(cell: &str) -> Option<Identity> {
        let wanted = normalise(cell);
        Identity::ALL.into_iter().find(|i| {
            let label = i.label();
            let halves = label.split(" / ");
            normalise(label) == wanted || halves.into_iter().any(|h| normalise(h) == wanted)
        })
    }
}

/// What the form row names as its kind, so a random spreadsheet that
/// happens to have a "Plan" row is not taken for a form.
pub const FORM_KIND: &str = "plansite-report-1";

/// The rows above the header (identity, title, hint), then the header:
/// the first task is on the row after it. Rows are 0-based here, as the
/// XLSX writer counts them.
pub const HEADER_ROW: usize = Identity::ALL.len() + 2;

/// Text as typed into a cell, made fit for content: line breaks as `\n`,
/// composed (NFC) Vietnamese, ends trimmed, and the characters content may
/// not hold (controls, bidirectional overrides; see the loader) removed.
/// Also says whether any were removed, so the user can be told.
pub fn clean(text: &str) -> (String, bool) {
    use unicode_normalization::UnicodeNormalization;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let kept: String = text.chars().filter(|&c| crate::load::controls::forbidden(c).is_none()).collect();
    let removed = kept.chars().count() != text.chars().count();
    (kept.nfc().collect::<String>().trim().to_string(), removed)
}

/// A percentage as typed: a whole number from 0 to 100, maybe with `%` or
/// a zero fraction (`40`, `40 %`, `40.0`, `40,0`).
pub fn parse_percent(cell: &str) -> Option<u8> {
    let cell = cell.trim().trim_end_matches('%').trim_end();
    let (whole, fraction) = match cell.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (cell, "0"),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || fraction.bytes().any(|b| b != b'0') {
        return None;
    }
    whole.parse::<u8>().ok().filter(|p| *p <= 100)
}

/// What `plansite report import` was asked to do.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    pub plan: &'a str,
    /// `YYYY-MM-DD`, the date the report describes.
    pub as_of: &'a str,
    /// The reporting agency's id.
    pub by: &'a str,
    pub document: Option<&'a str>,
    pub url: Option<&'a str>,
    /// Reports from after this date are refused.
    pub today: Date,
}

/// A form turned into a progress report, not yet written.
#[derive(Debug, Clone)]
pub struct Imported {
    pub report: write::Report,
    /// Task rows left blank.
    pub blank: usize,
    pub warnings: Vec<String>,
}

/// Reads a filled form and checks it, and the options, against the site.
/// Writes nothing: the caller saves [`Imported::report`].
pub fn import(site: &Site, file: &Path, options: &ImportOptions) -> Result<Imported> {
    let mut warnings = Vec::new();
    let (plan, as_of) = check_options(site, options)?;
    let document = options.document.map(|d| {
        let (text, removed) = clean(d);
        if removed {
            warnings.push("--document: removed control characters that content cannot hold".to_string());
        }
        text
    });
    let filled = form::check(&read::read(file)?, plan, options.by)?;
    warnings.extend(filled.warnings);
    let report = write::Report {
        plan: plan.id.clone(),
        as_of,
        reported_by: options.by.to_string(),
        document: document.filter(|d| !d.is_empty()),
        url: options.url.map(str::to_string),
        source: file.file_name().map(|n| n.to_string_lossy().into_owned()),
        tasks: filled.tasks,
    };
    Ok(Imported { report, blank: filled.blank, warnings })
}

/// The plan, agency, date and link given on the command line, all checked
/// before the form is read; every problem is listed at once.
fn check_options<'s>(site: &'s Site, o: &ImportOptions) -> Result<(&'s crate::model::Plan, Date)> {
    let mut problems = Vec::new();
    let plan = site.plans.iter().find(|p| p.id == o.plan);
    if plan.is_none() {
        let known: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
        problems.push(format!("--plan: no plan `{}`\n     hint: known plans: {}", o.plan, known.join(", ")));
    }
    if !site.agencies.iter().any(|a| a.id == o.by) {
        problems.push(format!(
            "--by: no agency `{}` in content/agencies/\n     hint: give the reporting agency's id, as on its page (e.g. hue-so-khcn)",
            o.by
        ));
    }
    let as_of = Date::parse_iso(o.as_of);
    match as_of {
        None => problems.push(format!(
            "--as-of: `{}` is not a date\n     hint: write the date the report describes as YYYY-MM-DD, e.g. 2026-06-30",
            o.as_of
        )),
        Some(d) if d > o.today => problems.push(format!(
            "--as-of: {d} is in the future (today is {})\n     hint: give the date the report describes, which has passed",
            o.today
        )),
        Some(_) => {}
    }
    if let Some(url) = o.url.filter(|u| !is_web_url(u)) {
        problems.push(format!("--url: `{}` is not an http(s) link", url.escape_debug()));
    }
    match (plan, as_of) {
        (Some(plan), Some(as_of)) if problems.is_empty() => Ok((plan, as_of)),
        _ => Err(Error::Other(if problems.len() == 1 {
            problems.remove(0)
        } else {
            let list: Vec<String> =
                problems.iter().enumerate().map(|(i, p)| format!("  {}. {p}", i + 1)).collect();
            format!("{} problems with the options:\n{}", problems.len(), list.join("\n"))
        })),
    }
}

impl Imported {
    /// "wrote content/progress/…toml: 12 tasks (3 done, 7 in progress, 2
    /// not started); 30 rows left blank".
    pub fn summary(&self, path: &Path) -> String {
        let tasks = &self.report.tasks;
        let counts: Vec<String> = [Status::Done, Status::InProgress, Status::NotStarted, Status::Cancelled]
            .into_iter()
            .map(|s| (s, tasks.iter().filter(|t| t.status == s).count()))
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", s.label(Lang::En)))
            .collect();
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "wrote {}: {} ({}); {} left blank",
            path.display(),
            plural(tasks.len(), "task", "tasks"),
            counts.join(", "),
            plural(self.blank, "row", "rows")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_staff_type_them() {
        for (cell, status) in [
            ("chưa triển khai", Status::NotStarted),
            ("Đang thực hiện", Status::InProgress),
            ("đang triển khai", Status::InProgress),
            ("dang trien khai", Status::InProgress),
            ("  ĐÃ HOÀN THÀNH ", Status::Done),
            ("hoàn thành chậm so với tiến độ", Status::Done),
            ("không thực hiện", Status::Cancelled),
            ("Dừng", Status::Cancelled),
            ("in_progress", Status::InProgress),
            ("In progress", Status::InProgress),
            ("not started", Status::NotStarted),
            ("cancelled", Status::Cancelled),
        ] {
            assert_eq!(Status::from_cell(cell), Some(status), "{cell:?}");
        }
        for cell in ["", "xong", "50%", "done done"] {
            assert_eq!(Status::from_cell(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn percents_are_whole_numbers_from_0_to_100() {
        for (cell, p) in [("40", 40), ("0", 0), ("100", 100), (" 40 % ", 40), ("40.0", 40), ("40,00", 40)] {
            assert_eq!(parse_percent(cell), Some(p), "{cell:?}");
        }
        for cell in ["", "-1", "101", "40.5", "4O", "0.4", "1e2", "+5", "%"] {
            assert_eq!(parse_percent(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn links_are_http_or_https_with_a_host() {
        assert!(is_web_url("https://hue.gov.vn/bao-cao/123"));
        assert!(is_web_url("HTTP://x.vn"));
        for url in ["hue.gov.vn", "https://", "javascript:alert(1)", "https://x.vn/a b", "ftp://x.vn"] {
            assert!(!is_web_url(url), "{url:?}");
        }
    }

    #[test]
    fn cleaning_keeps_text_and_drops_controls() {
        assert_eq!(clean(" Đã ban hành\r\nQuyết định\t1 "), ("Đã ban hành\nQuyết định\t1".into(), false));
        assert_eq!(clean("a\u{7}b\u{202e}c"), ("abc".into(), true));
        // Decomposed Vietnamese (some keyboards type it) is composed.
        assert_eq!(clean("Vie\u{302}\u{323}t").0, "Việt");
    }

    #[test]
    fn headers_and_labels_read_back_in_either_language() {
        for column in Column::ALL {
            for lang in Lang::ALL {
                assert_eq!(Column::from_header(column.header(lang)), Some(column));
            }
        }
        assert_eq!(Column::from_header("status"), Some(Column::Status));
        assert_eq!(Column::from_header("tinh trang thuc hien"), Some(Column::Status));
        assert_eq!(Column::from_header("Tình trạng"), None);
        for identity in Identity::ALL {
            assert_eq!(Identity::from_label(identity.label()), Some(identity));
        }
        assert_eq!(Identity::from_label("plan"), Some(Identity::Plan));
        assert_eq!(Column::Evidence.letter(), 'K');
    }
}
