//! The validated domain model: what a site is made of once its content has
//! been read and checked. Later stages only ever see these types.

use crate::deadline::Deadline;
use crate::glossary::Glossary;
use crate::text::Text;
use std::fmt;
use std::path::PathBuf;

/// The whole site, sorted by id so that everything derived from it is stable.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub jurisdictions: Vec<Jurisdiction>,
    pub agencies: Vec<Agency>,
    pub plans: Vec<std::sync::Arc<Plan>>,
    pub glossary: Glossary,
    /// Progress reports, by plan, then date, then file name.
    pub reports: Vec<Report>,
    /// The date the build describes ("as of"): `--today`, else
    /// `SOURCE_DATE_EPOCH`, else the clock; set by the build.
    pub today: Date,
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: Text,
    pub description: Option<Text>,
    /// Absolute URL of the site's root, always ending in `/`.
    pub base_url: String,
    pub theme: String,
    /// Publish plans whose status is `draft` (each marked as a draft).
    pub publish_drafts: bool,
}

#[derive(Debug, Clone)]
pub struct Jurisdiction {
    pub id: String,
    pub name: Text,
    pub aliases: Vec<String>,
}

/// A body that tasks are assigned to: one agency, or a collective group.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub id: String,
    pub jurisdiction: String,
    pub name: Text,
    pub aliases: Vec<String>,
    /// `department`, `office`, …; `group` for collective assignees.
    pub kind: String,
    pub succeeded_by: Option<Succession>,
}

impl Agency {
    /// The kinds an agency may have (`group` is implied by the groups
    /// table); each has a label in the theme's strings.
    pub const KINDS: [&'static str; 16] = [
        "people-committee",
        "council",
        "office",
        "department",
        "police",
        "military",
        "university",
        "research",
        "media",
        "bank",
        "statistics",
        "party",
        "association",
        "enterprise",
        "central",
        "other",
    ];

    pub fn is_group(&self) -> bool {
        self.kind == "group"
    }
}

/// Where an agency's work went after a merger or renaming.
#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    pub agency: String,
    pub date: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Issued,
    Draft,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Issued => "issued",
            Status::Draft => "draft",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub number: Option<String>,
    pub date: Option<Date>,
    pub jurisdiction: String,
    pub issuer: Text,
    pub status: Status,
    /// The original document the plan was structured from.
    pub source: Option<SourceDoc>,
    pub title: Text,
    /// A reviewed short name ("Kế hoạch 343/KH-UBND: … · Huế") for titles,
    /// cards and breadcrumbs; `None` lets [`crate::names`] derive one.
    pub short_name: Option<Text>,
    pub implements: Vec<String>,
    pub signer: Option<Signer>,
    pub sections: Vec<Section>,
    pub objectives: Vec<Objective>,
    pub indicator_groups: Vec<Heading>,
    pub indicators: Vec<Indicator>,
    pub headings: Vec<Heading>,
    pub tasks: Vec<Task>,
    pub aliases: Vec<String>,
    /// How many English fields the glossary supplied (for `check`).
    pub glossary_filled: usize,
}

impl Plan {
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    pub fn heading(&self, number: &str) -> Option<&Heading> {
        self.headings.iter().find(|h| h.number == number)
    }

    /// Whether everything but the tasks is the same, so that pages showing
    /// the plan only as context (task and agency pages) need not change.
    /// Every field is named, so a new one cannot be forgotten here.
    pub fn same_but_tasks(&self, other: &Plan) -> bool {
        let Plan {
            id,
            number,
            date,
            jurisdiction,
            issuer,
            status,
            source,
            title,
            short_name,
            implements,
            signer,
            sections,
            objectives,
            indicator_groups,
            indicators,
            headings,
            tasks,
            aliases,
            glossary_filled: _,
        } = self;
        *id == other.id
            && *number == other.number
            && *date == other.date
            && *jurisdiction == other.jurisdiction
            && *issuer == other.issuer
            && *status == other.status
            && *source == other.source
            && *title == other.title
            && *short_name == other.short_name
            && *implements == other.implements
            && *signer == other.signer
            && *sections == other.sections
            && *objectives == other.objectives
            && *indicator_groups == other.indicator_groups
            && *indicators == other.indicators
            && *headings == other.headings
            && tasks.len() == other.tasks.len()
            && *aliases == other.aliases
    }

    /// Each indicator's anchor on the plan page, in order: `indicator-i-3`
    /// for number 3 of group I. A repeated one gets `-2`, `-3`… so every
    /// anchor is unique; search results link to them.
    pub fn indicator_anchors(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.indicators
            .iter()
            .enumerate()
            .map(|(k, ind)| {
                let parts = [ind.group.as_deref().unwrap_or(""), ind.number.as_str()];
                let mut base = String::from("indicator");
                for part in parts.iter().map(|p| anchor_part(p)).filter(|p| !p.is_empty()) {
                    base.push('-');
                    base.push_str(&part);
                }
                if base == "indicator" {
                    base = format!("indicator-{}", k + 1);
                }
                let mut anchor = base.clone();
                let mut n = 1;
                while !seen.insert(anchor.clone()) {
                    n += 1;
                    anchor = format!("{base}-{n}");
                }
                anchor
            })
            .collect()
    }

    /// The year a one-year plan's month ranges ("Tháng 1-12") refer to.
    pub fn year(&self) -> Option<i32> {
        self.date.map(|d| d.year)
    }
}

/// `8.9` → `8-9`, `II` → `ii`: ASCII letters and digits, the rest as
/// single hyphens.
fn anchor_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The original text of a plan, as received, for the line-anchored source page.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDoc {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    pub name: String,
    pub role: Text,
}

/// A prose part of the plan, kept as Markdown with the document's numbering.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub number: Option<String>,
    pub heading: Text,
    pub body: Text,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub text: Text,
    pub line: Option<usize>,
}

/// A numbered heading that tasks or indicators are grouped under.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub number: String,
    pub title: Text,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub number: String,
    pub group: Option<String>,
    pub name: Text,
    pub unit: Text,
    pub target: Text,
    pub horizon: Option<Text>,
    pub monitors: Vec<String>,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub number: String,
    pub heading: Option<String>,
    pub title: Text,
    pub detail: Option<Text>,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub output: Option<Text>,
    pub deadline: Option<Deadline>,
    pub note: Option<Text>,
    pub line: Option<usize>,
    pub aliases: Vec<String>,
    /// Agency names the document gives for this task that no registry
    /// entry covers yet, as printed. The importer keeps them so that no
    /// assignment is lost; `check` refuses them until a person adds the
    /// agencies to the registry (or decides otherwise) and removes them.
    pub unresolved: Vec<String>,
}

/// The build's time in seconds since 1970: `SOURCE_DATE_EPOCH` (so that
/// builds are reproducible), else the clock. The change history's times
/// and the build's date both come from it.
pub fn build_time() -> i64 {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
    epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    })
}

/// One progress report: as of a date, by an agency, from a document, how
/// far tasks and indicators of one plan have got. Never invented: each is
/// a file a publisher added (`content/progress/<plan>/<as-of>-<by>.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub plan: String,
    /// The file, relative to the root, for errors and provenance.
    pub file: String,
    pub as_of: Date,
    /// The line of `as_of` in the file.
    pub as_of_line: Option<usize>,
    pub reported_by: Option<String>,
    /// The document it comes from ("Báo cáo số 123/BC-SKHCN").
    pub document: Option<String>,
    /// Where that document is published.
    pub url: Option<String>,
    pub tasks: Vec<TaskUpdate>,
    pub indicators: Vec<IndicatorValue>,
}

/// What a report says of one task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskUpdate {
    pub task: String,
    pub status: Reported,
    pub percent: Option<u8>,
    pub note: Option<Text>,
    pub evidence: Option<String>,
}

/// A status as agencies report it (chưa triển khai, đang thực hiện, đã hoàn
/// thành, không thực hiện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reported {
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

impl Reported {
    pub const ALL: [Reported; 4] =
        [Reported::NotStarted, Reported::InProgress, Reported::Done, Reported::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Reported::NotStarted => "not_started",
            Reported::InProgress => "in_progress",
            Reported::Done => "done",
            Reported::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Reported> {
        Reported::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A target's value as reported for a year ("Top 10", "55%").
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    /// The indicator's id in its plan: its anchor without `indicator-`.
    pub indicator: String,
    pub year: i32,
    pub value: String,
}

/// A calendar date; plans only ever need days, so no time zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// The last day of a month.
    pub fn end_of_month(year: i32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    /// The day after, for all-day calendar events that end exclusively.
    pub fn next_day(self) -> Date {
        if self.day < days_in_month(self.year, self.month) {
            Date { day: self.day + 1, ..self }
        } else if self.month < 12 {
            Date { month: self.month + 1, day: 1, ..self }
        } else {
            Date { year: self.year + 1, month: 1, day: 1 }
        }
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date of a Unix time (UTC), for `SOURCE_DATE_EPOCH` and the clock.
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today as the build sees it when no `--today` is given: the date of
    /// [`build_time`].
    pub fn today() -> Date {
        Date::from_unix(build_time())
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    fn day_number(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (self.year as i64 - 1, self.month as i64 + 9)
        } else {
            (self.year as i64, self.month as i64 - 3)
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * m + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
impl Plan {
    /// A plan with nothing in it, for unit tests to fill the fields they test.
    pub(crate) fn empty_for_tests() -> Plan {
        Plan {
            id: "p".into(),
            number: None,
            date: None,
            jurisdiction: "j".into(),
            issuer: Text::vi("x"),
            status: Status::Issued,
            source: None,
            title: Text::vi("x"),
            short_name: None,
            implements: Vec::new(),
            signer: None,
            sections: Vec::new(),
            objectives: Vec::new(),
            indicator_groups: Vec::new(),
            indicators: Vec::new(),
            headings: Vec::new(),
            tasks: Vec::new(),
            aliases: Vec::new(),
            glossary_filled: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse_iso("2024-02-29").map(|d| d.to_string()), Some("2024-02-29".into()));
        assert_eq!(Date::parse_iso("2025-02-29"), None);
        assert_eq!(Date::parse_iso("2025-13-01"), None);
        assert_eq!(Date::parse_iso("25-01-01"), None);
        assert_eq!(Date::end_of_month(2025, 4), Date::new(2025, 4, 30));
        let d = |s: &str| Date::parse_iso(s).expect("date");
        assert_eq!(d("2025-12-31").next_day(), d("2026-01-01"));
        assert_eq!(d("2024-02-28").next_day(), d("2024-02-29"));
        assert_eq!(d("2025-04-30").next_day(), d("2025-05-01"));
        assert_eq!(Date::from_unix(0), d("1970-01-01"));
        assert_eq!(Date::from_unix(1_782_777_599), d("2026-06-29"));
        assert_eq!(Date::from_unix(951_782_400), d("2000-02-29"));
        assert_eq!(d("2025-12-31").days_until(d("2026-03-31")), 90);
        assert_eq!(d("2026-03-01").days_until(d("2026-02-28")), -1);
    }

    #[test]
    fn indicator_anchors_are_readable_and_unique() {
        let indicator = |group: Option<&str>, number: &str| Indicator {
            number: number.into(),
            group: group.map(str::to_string),
            name: Text::vi("x"),
            unit: Text::vi("%"),
            target: Text::vi("1"),
            horizon: None,
            monitors: Vec::new(),
            line: None,
        };
        let plan = Plan {
            indicators: vec![
                indicator(Some("I"), "8.9"),
                indicator(None, "3"),
                indicator(Some("I"), "8.9"),
                indicator(None, "—"),
            ],
            ..Plan::empty_for_tests()
        };
        assert_eq!(
            plan.indicator_anchors(),
            ["indicator-i-8-9", "indicator-3", "indicator-i-8-9-2", "indicator-4"]
        );
    }
}
