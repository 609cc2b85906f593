//! Deadlines: kept as printed, and understood as a date range where the text
//! says one ("Quý I/2025", "Tháng 1-12", "Thường xuyên"). Text that is not
//! understood keeps its words and gets no dates: never a guess.

use crate::glossary::Glossary;
use crate::model::Date;
use crate::text::Text;
use unicode_normalization::UnicodeNormalization;

/// What a deadline text means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// The calendar year ("2025", "Năm 2026").
    Year(i32),
    /// By the end of a month ("12/2025", "Tháng 11/2026").
    Month(i32, u32),
    /// A quarter ("Quý I/2025").
    Quarter(i32, u32),
    /// Months of the plan's year ("Tháng 1-12"); the year may be unknown.
    Months(Option<i32>, u32, u32),
    /// A span of years ("2025-2030", "Giai đoạn 2026-2030").
    Years(i32, i32),
    /// Continuous work ("Thường xuyên").
    Ongoing,
    /// Every year ("Hằng năm").
    Annual,
    /// From a year on ("2025 và các năm tiếp theo").
    From(i32),
    /// Every year in a given month ("tháng 12 hằng năm").
    AnnualMonth(u32),
    /// Every year by given days ("định kỳ … trước ngày 10/6 và 25/11",
    /// "trước ngày 15/12 hằng năm").
    AnnualDays(Days),
    /// Waits on something else ("Sau khi có hướng dẫn của Bộ …").
    Conditional,
    /// Several steps, each with its own time ("Trình trong năm 2026; Báo
    /// cáo trong tháng 12 hằng năm"): see [`Deadline::parts`].
    Milestones,
    /// Not understood: the printed text is all there is.
    Unknown,
}

/// Up to four days of the year, (month, day), in the order printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    days: [(u32, u32); 4],
    len: usize,
}

impl Days {
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.days[..self.len].iter().copied()
    }

    /// The first of these days on or after `today`.
    pub fn next(&self, today: Date) -> Option<Date> {
        [today.year, today.year + 1]
            .into_iter()
            .flat_map(|y| self.iter().filter_map(move |(m, d)| Date::new(y, m, d)))
            .filter(|d| *d >= today)
            .min()
    }
}

/// A task's deadline: the printed text and what it was understood to mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// As printed (vi) and as translated or generated (en).
    pub text: Text,
    pub kind: DueKind,
    /// The steps of a [`DueKind::Milestones`] deadline.
    pub parts: Vec<Milestone>,
}

/// One step of a deadline with several: what is due ("Trình", "Submit") and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub label: Text,
    pub kind: DueKind,
}

/// What understanding a deadline needs from the rest of the site: the
/// glossary, and English names of agencies named in conditions.
pub struct Context<'a> {
    pub plan_year: Option<i32>,
    pub glossary: &'a Glossary,
    pub agency_en: &'a dyn Fn(&str) -> Option<String>,
}

impl Deadline {
    /// Understands `printed` without a glossary (for tests and tools).
    pub fn new(printed: &str, en: Option<String>, plan_year: Option<i32>) -> Deadline {
        let glossary = Glossary::default();
        let ctx = Context { plan_year, glossary: &glossary, agency_en: &|_| None };
        Deadline::understand(printed, en, &ctx)
    }

    /// Understands `printed`; `en` is an author's translation, if any, which
    /// wins over the generated English.
    pub fn understand(printed: &str, en: Option<String>, ctx: &Context) -> Deadline {
        let printed = printed.trim();
        let mut kind = parse(printed, ctx.plan_year);
        let mut parts = Vec::new();
        if kind == DueKind::Unknown {
            parts = milestones(printed, ctx);
            if !parts.is_empty() {
                kind = DueKind::Milestones;
            }
        }
        let generated = match kind {
            DueKind::Conditional => ctx.glossary.condition(printed, ctx.agency_en),
            DueKind::Milestones => parts
                .iter()
                .map(|p| {
                    let (label, time) = (p.label.en.as_deref()?, english(p.kind)?);
                    Some(if label.is_empty() { time } else { format!("{label}: {time}") })
                })
                .collect::<Option<Vec<_>>>()
                .map(|v| v.join("; ")),
            k => english(k),
        };
        Deadline { text: Text { vi: printed.to_string(), en: en.or(generated) }, kind, parts }
    }

    /// Whether the text was understood (a date, a span, ongoing, …), so that
    /// `check` can list the ones a person should look at.
    pub fn understood(&self) -> bool {
        !matches!(self.kind, DueKind::Unknown)
    }

    pub fn start(&self) -> Option<Date> {
        if self.kind == DueKind::Milestones {
            return self.parts.iter().filter_map(|p| start(p.kind)).min();
        }
        start(self.kind)
    }

    pub fn end(&self) -> Option<Date> {
        if self.kind == DueKind::Milestones {
            return self.parts.iter().filter_map(|p| end(p.kind)).max();
        }
        end(self.kind)
    }

    /// The calendar years the deadline spans (at most 50): the year filter
    /// of search and the deadline-year counts of a plan.
    pub fn years(&self) -> Vec<i32> {
        span_years(self.start(), self.end())
    }

    pub fn ongoing(&self) -> bool {
        let ongoing = |k: DueKind| matches!(k, DueKind::Ongoing | DueKind::From(_));
        ongoing(self.kind) || self.parts.iter().any(|p| ongoing(p.kind))
    }

    pub fn recurring(&self) -> Option<&'static str> {
        let annual =
            |k: DueKind| matches!(k, DueKind::Annual | DueKind::AnnualMonth(_) | DueKind::AnnualDays(_));
        (annual(self.kind) || self.parts.iter().any(|p| annual(p.kind))).then_some("annual")
    }

    /// The next date the task is due on or after `today`: the next
    /// occurrence of a yearly deadline, else the end of its range (which
    /// may have passed); `None` for open-ended, ongoing or conditional ones.
    pub fn next_due(&self, today: Date) -> Option<Date> {
        if self.kind == DueKind::Milestones {
            let ends: Vec<Date> = self.parts.iter().filter_map(|p| next_due(p.kind, today)).collect();
            return ends.iter().copied().filter(|d| *d >= today).min().or_else(|| ends.into_iter().max());
        }
        next_due(self.kind, today)
    }

    /// The days of the year a recurring deadline falls on, for calendars'
    /// yearly events: (month, Some(day)), or (month, None) for "by the end
    /// of that month every year".
    pub fn yearly(&self) -> Vec<(u32, Option<u32>)> {
        let one = |k: DueKind| -> Vec<(u32, Option<u32>)> {
            match k {
                DueKind::AnnualDays(days) => days.iter().map(|(m, d)| (m, Some(d))).collect(),
                DueKind::AnnualMonth(m) => vec![(m, None)],
                _ => Vec::new(),
            }
        };
        let mut all = one(self.kind);
        self.parts.iter().for_each(|p| all.extend(one(p.kind)));
        all
    }

    /// The date a task is due by, to put the soonest first: the end of its
    /// range; open-ended, ongoing and conditional deadlines have none.
    pub fn sort_key(&self) -> Option<Date> {
        self.end()
    }
}

/// "Trình trong năm 2026; Báo cáo trong tháng 12 hàng năm" or "Ban hành Kế
/// hoạch trong năm 2026. Triển khai thường xuyên hằng năm" → steps, each a
/// label and the time it ends with; nothing unless every step has a time.
fn milestones(printed: &str, ctx: &Context) -> Vec<Milestone> {
    let mut parts = Vec::new();
    for sentence in printed.split([';', '.']).map(str::trim).filter(|p| !p.is_empty()) {
        // "… trong năm 2026 và triển khai hằng năm": two steps joined by "và".
        let pair =
            sentence.split_once(" và ").and_then(|(a, b)| Some([milestone(a, ctx)?, milestone(b, ctx)?]));
        match (pair, milestone(sentence, ctx)) {
            (Some(pair), _) => parts.extend(pair),
            (None, Some(one)) => parts.push(one),
            (None, None) => return Vec::new(),
        }
    }
    parts
}

/// One step: the longest ending of `part` that is a time, and what precedes it.
fn milestone(part: &str, ctx: &Context) -> Option<Milestone> {
    let starts = std::iter::once(0).chain(part.match_indices(' ').map(|(i, _)| i + 1));
    for start in starts {
        let kind = parse(&part[start..], ctx.plan_year);
        if kind != DueKind::Unknown {
            let label = part[..start].trim();
            let en = if label.is_empty() { Some(String::new()) } else { ctx.glossary.milestone_label(label) };
            return Some(Milestone { label: Text { vi: label.to_string(), en }, kind });
        }
    }
    None
}

fn next_due(kind: DueKind, today: Date) -> Option<Date> {
    match kind {
        DueKind::AnnualDays(days) => days.next(today),
        DueKind::AnnualMonth(m) => [today.year, today.year + 1]
            .into_iter()
            .filter_map(|y| Date::end_of_month(y, m))
            .find(|d| *d >= today),
        k => end(k),
    }
}

/// "trước ngày 10/6 và 25/11", "trước ngày 10 tháng 6": days of the year
/// with no year printed, in a text that says the duty recurs.
fn annual_days(s: &str) -> Option<Days> {
    static DAY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?:ngày\s+|và\s+)(\d{1,2})\s*(?:/|\s+tháng\s+)\s*(\d{1,2})(\s*(?:/|năm)\s*\d{4})?",
        )
        .unwrap_or_else(|e| unreachable!("a fixed pattern: {e}"))
    });
    let recurs = ["hằng năm", "hàng năm", "định kỳ"].iter().any(|w| s.contains(w));
    if !recurs || !s.contains("ngày") {
        return None;
    }
    let mut days = Days { days: [(0, 0); 4], len: 0 };
    for c in DAY.captures_iter(s) {
        let (d, m) = (c[1].parse().ok()?, c[2].parse().ok()?);
        // A date with its year is a one-off date, not a yearly one.
        if c.get(3).is_some() || Date::new(2024, m, d).is_none() || days.len == 4 {
            return None;
        }
        days.days[days.len] = (m, d);
        days.len += 1;
    }
    (days.len > 0).then_some(days)
}

fn start(kind: DueKind) -> Option<Date> {
    match kind {
        DueKind::Year(y) | DueKind::Years(y, _) | DueKind::From(y) => Date::new(y, 1, 1),
        DueKind::Quarter(y, q) => Date::new(y, q * 3 - 2, 1),
        DueKind::Months(Some(y), from, _) => Date::new(y, from, 1),
        _ => None,
    }
}

fn end(kind: DueKind) -> Option<Date> {
    match kind {
        DueKind::Year(y) | DueKind::Years(_, y) => Date::new(y, 12, 31),
        DueKind::Month(y, m) | DueKind::Months(Some(y), _, m) => Date::end_of_month(y, m),
        DueKind::Quarter(y, q) => Date::end_of_month(y, q * 3),
        _ => None,
    }
}

/// Lowercased, NFC, single-spaced, with dashes made ASCII.
fn normalize(s: &str) -> String {
    let s: String = s.nfc().collect::<String>().to_lowercase();
    let s = s.replace(['–', '—', '‐'], "-");
    let s = s.trim().trim_end_matches(['.', ';', ',']).trim();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> &'a str {
    for p in prefixes {
        if let Some(rest) = s.strip_prefix(p) {
            return rest.trim_start();
        }
    }
    s
}

fn year(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
        .filter(|y| (1900..=2200).contains(y))
}

fn month(s: &str) -> Option<u32> {
    (1..=2).contains(&s.len()).then(|| s.parse().ok()).flatten().filter(|m| (1..=12).contains(m))
}

fn roman_quarter(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// Splits "a-b" or "a - b" into two trimmed parts.
fn range(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once('-')?;
    Some((a.trim(), b.trim()))
}

/// Reads the meaning of a deadline text.
pub fn parse(printed: &str, plan_year: Option<i32>) -> DueKind {
    let s = normalize(printed);
    let s = s.as_str();
    if matches!(s, "thường xuyên" | "nhiệm vụ thường xuyên" | "liên tục") {
        return DueKind::Ongoing;
    }
    if matches!(s, "hằng năm" | "hàng năm" | "định kỳ hằng năm" | "định kỳ hàng năm") {
        return DueKind::Annual;
    }
    if s.starts_with("sau khi") {
        return DueKind::Conditional;
    }
    if let Some(days) = annual_days(s) {
        return DueKind::AnnualDays(days);
    }
    for suffix in [" hằng năm", " hàng năm"] {
        if let Some(m) = s
            .strip_suffix(suffix)
            .map(|r| strip_any(r, &["trong tháng", "tháng", "trước tháng"]))
            .and_then(month)
        {
            return DueKind::AnnualMonth(m);
        }
    }
    if let Some(y) = s
        .strip_suffix("và các năm tiếp theo")
        .or_else(|| s.strip_suffix("và những năm tiếp theo"))
        .map(|r| strip_any(r.trim(), &["năm"]))
        .or_else(|| s.strip_prefix("từ năm"))
        .and_then(|r| year(r.trim()))
    {
        return DueKind::From(y);
    }
    if matches!(s, "thường xuyên hằng năm" | "thường xuyên hàng năm") {
        return DueKind::Annual;
    }
    if let Some(rest) = strip_any(s, &["trong"]).strip_prefix("quý") {
        let rest = rest.trim();
        let (q, y) = rest.split_once('/').or_else(|| rest.split_once(" năm ")).unwrap_or((rest, ""));
        if let (Some(q), Some(y)) = (roman_quarter(q.trim()), year(y.trim())) {
            return DueKind::Quarter(y, q);
        }
        return DueKind::Unknown;
    }
    let body = strip_any(s, &["trong tháng", "tháng", "trước tháng"]);
    if body.len() != s.len() || s.contains('/') {
        let split = body.split_once('/').or_else(|| body.split_once(" năm "));
        if let Some((m, y)) = split {
            if let (Some(m), Some(y)) = (month(m.trim()), year(y.trim())) {
                return DueKind::Month(y, m);
            }
        }
        if let Some((a, b)) = range(body) {
            if let (Some(a), Some(b)) = (month(a), month(b)) {
                if a <= b && body.len() != s.len() {
                    return DueKind::Months(plan_year, a, b);
                }
            }
        }
    }
    let body = strip_any(s, &["giai đoạn", "trong năm", "năm", "đến năm", "trước năm"]);
    if let Some((a, b)) = range(body) {
        if let (Some(a), Some(b)) = (year(a), year(b)) {
            if a <= b {
                return DueKind::Years(a, b);
            }
        }
    }
    if let Some(y) = year(body) {
        return DueKind::Year(y);
    }
    DueKind::Unknown
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The English name of a month (1–12).
pub fn month_name(m: u32) -> &'static str {
    MONTHS[(m.clamp(1, 12) - 1) as usize]
}

/// English for what was understood; `None` where only a person can translate.
pub fn english(kind: DueKind) -> Option<String> {
    Some(match kind {
        DueKind::Year(y) => y.to_string(),
        DueKind::Month(y, m) => format!("By {} {y}", month_name(m)),
        DueKind::Quarter(y, q) => format!("Q{q} {y}"),
        DueKind::Months(Some(y), a, b) if a == b => format!("{} {y}", month_name(a)),
        DueKind::Months(Some(y), a, b) => format!("{}–{} {y}", month_name(a), month_name(b)),
        DueKind::Months(None, a, b) => format!("{}–{}", month_name(a), month_name(b)),
        DueKind::Years(a, b) => format!("{a}–{b}"),
        DueKind::Ongoing => "Ongoing".to_string(),
        DueKind::Annual => "Every year".to_string(),
        DueKind::AnnualMonth(m) => format!("{} every year", month_name(m)),
        DueKind::AnnualDays(days) => {
            let list: Vec<String> = days.iter().map(|(m, d)| format!("{d} {}", month_name(m))).collect();
            format!("Every year by {}", list.join(" and "))
        }
        DueKind::From(y) => format!("From {y} onwards"),
        DueKind::Conditional | DueKind::Milestones | DueKind::Unknown => return None,
    })
}

fn span_years(start: Option<Date>, end: Option<Date>) -> Vec<i32> {
    match (start, end) {
        (Some(s), Some(e)) if s.year <= e.year => (s.year..=e.year.min(s.year + 49)).collect(),
        (Some(d), _) | (None, Some(d)) => vec![d.year],
        (None, None) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_spanned() {
        let d = |y| Date::new(y, 1, 1);
        assert_eq!(span_years(d(2025), d(2027)), [2025, 2026, 2027]);
        assert_eq!(span_years(None, d(2026)), [2026]);
        assert!(span_years(None, None).is_empty());
        assert_eq!(span_years(d(2000), d(2100)).len(), 50);
    }

    fn kind(s: &str) -> DueKind {
        parse(s, Some(2026))
    }

    #[test]
    fn every_form_in_the_domain_notes() {
        assert_eq!(kind("2025"), DueKind::Year(2025));
        assert_eq!(kind("Năm 2026"), DueKind::Year(2026));
        assert_eq!(kind("Trong năm 2026"), DueKind::Year(2026));
        assert_eq!(kind("12/2025"), DueKind::Month(2025, 12));
        assert_eq!(kind("Tháng 11/2026"), DueKind::Month(2026, 11));
        assert_eq!(kind("tháng 03 năm 2025"), DueKind::Month(2025, 3));
        assert_eq!(kind("Quý I/2025"), DueKind::Quarter(2025, 1));
        assert_eq!(kind("Quý IV/2026"), DueKind::Quarter(2026, 4));
        assert_eq!(kind("Trong quý I năm 2026."), DueKind::Quarter(2026, 1));
        assert_eq!(kind("Tháng 1-12"), DueKind::Months(Some(2026), 1, 12));
        assert_eq!(kind("Tháng 2-6"), DueKind::Months(Some(2026), 2, 6));
        assert_eq!(kind("2025-2030"), DueKind::Years(2025, 2030));
        assert_eq!(kind("2025 - 2026"), DueKind::Years(2025, 2026));
        assert_eq!(kind("2025- 2030"), DueKind::Years(2025, 2030));
        assert_eq!(kind("Giai đoạn 2026-2030"), DueKind::Years(2026, 2030));
        assert_eq!(kind("Thường xuyên"), DueKind::Ongoing);
        assert_eq!(kind("Nhiệm vụ thường xuyên"), DueKind::Ongoing);
        assert_eq!(kind("Hằng năm"), DueKind::Annual);
        assert_eq!(kind("Hàng năm"), DueKind::Annual);
        assert_eq!(kind("2025 và các năm tiếp theo"), DueKind::From(2025));
        assert_eq!(kind("2025 và những năm tiếp theo"), DueKind::From(2025));
        assert_eq!(kind("3/2026"), DueKind::Month(2026, 3));
        assert_eq!(kind("Sau khi có hướng dẫn của Bộ Khoa học và Công nghệ"), DueKind::Conditional);
    }

    #[test]
    fn decomposed_diacritics_are_understood() {
        let decomposed: String = "Thường xuyên".nfd().collect();
        assert_eq!(kind(&decomposed), DueKind::Ongoing);
    }

    #[test]
    fn milestones_with_the_glossary() {
        let glossary = Glossary::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).expect("glossary");
        let ctx = Context { plan_year: Some(2026), glossary: &glossary, agency_en: &|_| None };
        let d = Deadline::understand("Trình trong năm 2026; Báo cáo trong tháng 12 hàng năm", None, &ctx);
        assert_eq!(d.kind, DueKind::Milestones);
        assert_eq!(d.parts.len(), 2);
        assert_eq!(d.text.en.as_deref(), Some("Submit: 2026; Report: December every year"));
        assert_eq!(d.start().map(|x| x.to_string()).as_deref(), Some("2026-01-01"));
        assert_eq!(d.end().map(|x| x.to_string()).as_deref(), Some("2026-12-31"));
        assert_eq!(d.recurring(), Some("annual"));
        let d = Deadline::understand(
            "Ban hành Kế hoạch trong năm 2026. Triển khai thường xuyên hằng năm.",
            None,
            &ctx,
        );
        assert_eq!(d.text.en.as_deref(), Some("Issue plan: 2026; Implement: Every year"));
        let d = Deadline::understand(
            "Ban hành Kế hoạch triển khai trong năm 2026 và triển khai hằng năm",
            None,
            &ctx,
        );
        assert_eq!(d.kind, DueKind::Milestones);
        assert_eq!(d.parts.len(), 2);
        let agency_en = |n: &str| {
            (n == "Bộ Khoa học và Công nghệ").then(|| "Ministry of Science and Technology".to_string())
        };
        let ctx = Context { plan_year: None, glossary: &glossary, agency_en: &agency_en };
        let d = Deadline::understand("Sau khi có hướng dẫn của Bộ Khoa học và Công nghệ", None, &ctx);
        assert_eq!(d.text.en.as_deref(), Some("After guidance from the Ministry of Science and Technology"));
        assert!(d.understood() && d.start().is_none());
    }

    #[test]
    fn annual_in_a_month() {
        assert_eq!(kind("tháng 12 hằng năm"), DueKind::AnnualMonth(12));
        assert_eq!(english(DueKind::AnnualMonth(6)).as_deref(), Some("June every year"));
    }

    #[test]
    fn yearly_days_have_a_next_occurrence() {
        let d = |s: &str| Date::parse_iso(s).expect("date");
        for (text, en) in [
            ("Định kỳ hằng năm trước ngày 15/12", "Every year by 15 December"),
            ("trước ngày 10/6 và 25/11 hằng năm", "Every year by 10 June and 25 November"),
            (
                "Định kỳ 6 tháng, trước ngày 10 tháng 6 và trước ngày 25 tháng 11",
                "Every year by 10 June and 25 November",
            ),
        ] {
            let deadline = Deadline::new(text, None, None);
            assert!(matches!(deadline.kind, DueKind::AnnualDays(_)), "{text}");
            assert_eq!(deadline.text.en.as_deref(), Some(en));
            assert_eq!(deadline.recurring(), Some("annual"));
            assert!(deadline.end().is_none() && !deadline.ongoing());
        }
        let twice = Deadline::new("trước ngày 10/6 và 25/11 hằng năm", None, None);
        assert_eq!(twice.next_due(d("2026-01-05")), Some(d("2026-06-10")));
        assert_eq!(twice.next_due(d("2026-06-10")), Some(d("2026-06-10")));
        assert_eq!(twice.next_due(d("2026-06-11")), Some(d("2026-11-25")));
        assert_eq!(twice.next_due(d("2026-12-01")), Some(d("2027-06-10")));
        assert_eq!(
            Deadline::new("tháng 12 hằng năm", None, None).next_due(d("2026-12-31")),
            Some(d("2026-12-31"))
        );
        assert_eq!(Deadline::new("Quý I/2025", None, None).next_due(d("2026-12-01")), Some(d("2025-03-31")));
        // A date with its year is no yearly duty; nor is a day without a recurrence.
        assert!(!matches!(kind("Định kỳ trước ngày 15/12/2026"), DueKind::AnnualDays(_)));
        assert!(!matches!(kind("trước ngày 15/12"), DueKind::AnnualDays(_)));
        assert!(!matches!(kind("định kỳ trước ngày 31/2"), DueKind::AnnualDays(_)));
    }

    #[test]
    fn nonsense_is_not_guessed() {
        assert_eq!(kind("Trình trong năm 2026; Báo cáo trong tháng 12 hàng năm"), DueKind::Unknown);
        assert_eq!(kind("13/2025"), DueKind::Unknown);
        assert_eq!(kind("2030-2025"), DueKind::Unknown);
        assert_eq!(kind("Quý V/2025"), DueKind::Unknown);
        assert_eq!(kind(""), DueKind::Unknown);
        assert_eq!(kind("sớm"), DueKind::Unknown);
    }

    #[test]
    fn ranges_and_english() {
        let d = Deadline::new("Quý I/2025", None, None);
        assert_eq!(d.start().map(|d| d.to_string()).as_deref(), Some("2025-01-01"));
        assert_eq!(d.end().map(|d| d.to_string()).as_deref(), Some("2025-03-31"));
        assert_eq!(d.text.en.as_deref(), Some("Q1 2025"));
        let d = Deadline::new("12/2025", None, None);
        assert_eq!((d.start(), d.end().map(|d| d.to_string())), (None, Some("2025-12-31".into())));
        assert_eq!(d.text.en.as_deref(), Some("By December 2025"));
        let d = Deadline::new("Tháng 1-12", None, Some(2026));
        assert_eq!(d.text.en.as_deref(), Some("January–December 2026"));
        assert_eq!(d.end().map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
        let d = Deadline::new("Thường xuyên", None, None);
        assert!(d.ongoing() && d.start().is_none() && d.recurring().is_none());
        let d = Deadline::new("Hằng năm", None, None);
        assert_eq!(d.recurring(), Some("annual"));
        let d = Deadline::new("Sau khi có hướng dẫn", Some("After guidance".into()), None);
        assert_eq!(d.text.en.as_deref(), Some("After guidance"));
        assert_eq!(Deadline::new("sớm", None, None).text.en, None);
    }
}
