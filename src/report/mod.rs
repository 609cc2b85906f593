//! Progress reports from spreadsheets: agency staff work in Excel, so
//! `plansite report template` writes a form of a plan's tasks ([`template`])
//! with what was last reported of each ([`current`]).
//!
//! The form is defined once here — its columns, the identity rows that say
//! which plan it is for, and the status values with their labels — so the
//! writer and the reader cannot drift apart.

pub mod current;
pub mod template;

use crate::model::Date;
use crate::text::{Lang, fold};

/// What an agency reports of a task (the contract's four values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::NotStarted, Status::InProgress, Status::Done, Status::Cancelled];

    /// The value written in progress files.
    pub fn id(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
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
    pub fn parse(cell: &str) -> Option<Status> {
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

/// Today, as builds see it: `SOURCE_DATE_EPOCH` if set, else the clock
/// (UTC), so tests and reproducible runs agree on what "the future" is.
pub fn today() -> Date {
    let now = crate::changes::now();
    now.get(..10).and_then(Date::parse_iso).unwrap_or(Date { year: 1970, month: 1, day: 1 })
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
            assert_eq!(Status::parse(cell), Some(status), "{cell:?}");
        }
        for cell in ["", "xong", "50%", "done done"] {
            assert_eq!(Status::parse(cell), None, "{cell:?}");
        }
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
