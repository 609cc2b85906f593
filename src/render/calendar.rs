//! An agency's dated tasks as an iCalendar file (RFC 5545): one all-day
//! event on each task's deadline, and a yearly recurring one for each day
//! a recurring duty falls on, so an agency can subscribe in any calendar.

use crate::model::Date;
use crate::resolve::{Assignment, Resolved, Role};
use crate::text::Lang;

/// The `.ics` text for agency `a` in `lang`.
pub fn agency_calendar(r: &Resolved, a: usize, lang: Lang, strings: &crate::web::Strings) -> String {
    let site = r.site;
    let agency = &site.agencies[a];
    let host = site
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("plansite")
        .split('/')
        .next()
        .unwrap_or("plansite");
    let mut out = String::new();
    let mut line = |l: String| fold_into(&mut out, &l);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!(
        "PRODID:-//plansite//plansite {}//{}",
        env!("CARGO_PKG_VERSION"),
        lang.code().to_uppercase()
    ));
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(agency.name.get(lang).text)));
    let event = Event { r, lang, strings, agency: &agency.id, host };
    for assignment in r.dated(a) {
        let Some(due) = r.task(assignment.task).1.deadline.as_ref().and_then(|d| d.end()) else { continue };
        event.write(&mut line, assignment, due, None);
    }
    // Yearly duties ("trước ngày 15/12 hằng năm") recur: one event each,
    // from their first date on or after the plan's date.
    for assignment in &r.assignments[a] {
        let (plan, task) = r.task(assignment.task);
        let Some(deadline) = &task.deadline else { continue };
        let from = plan.date.unwrap_or(site.today);
        for (month, day) in deadline.yearly() {
            let first = [from.year, from.year + 1]
                .into_iter()
                .filter_map(|y| match day {
                    Some(d) => Date::new(y, month, d),
                    None => Date::end_of_month(y, month),
                })
                .find(|d| *d >= from);
            let Some(first) = first else { continue };
            let rule = match day {
                Some(d) => Yearly { month, day: d },
                None => Yearly { month, day: 0 },
            };
            event.write(&mut line, assignment, first, Some(rule));
        }
    }
    line("END:VCALENDAR".into());
    out
}

/// A yearly recurrence: on `day` of `month`, or its last day when `day` is 0.
struct Yearly {
    month: u32,
    day: u32,
}

/// What every event of one agency's calendar shares.
struct Event<'a> {
    r: &'a Resolved<'a>,
    lang: Lang,
    strings: &'a crate::web::Strings,
    agency: &'a str,
    host: &'a str,
}

impl Event<'_> {
    /// One all-day event on `due` for an assignment, recurring if `yearly`.
    fn write(
        &self,
        line: &mut impl FnMut(String),
        assignment: &Assignment,
        due: Date,
        yearly: Option<Yearly>,
    ) {
        let (plan, task) = self.r.task(assignment.task);
        let (lang, strings) = (self.lang, self.strings);
        let role = match assignment.role {
            Role::Lead => strings.get(lang, "lead"),
            Role::Support => strings.get(lang, "support"),
        };
        let base = &self.r.site.config.base_url;
        let url = format!("{base}{}/plans/{}/tasks/{}/", lang.code(), plan.id, task.id);
        let printed = task.deadline.as_ref().map(|d| d.text.get(lang).text).unwrap_or("");
        let description = format!(
            "{}: {printed}\n{}: {}\n{url}",
            strings.get(lang, "deadline"),
            strings.get(lang, "plan"),
            plan.title.get(lang).text
        );
        let suffix = yearly.as_ref().map(|y| format!("-yearly-{}-{}", y.month, y.day)).unwrap_or_default();
        line("BEGIN:VEVENT".into());
        line(format!(
            "UID:{}-{}-{}-{}{suffix}@{}",
            plan.id,
            task.id,
            self.agency,
            assignment.role.as_str(),
            self.host
        ));
        // DTSTAMP must be stable for byte-identical builds: the plan's date
        // when known, else the deadline itself.
        line(format!("DTSTAMP:{}T000000Z", ical_date(plan.date.unwrap_or(due))));
        line(format!("DTSTART;VALUE=DATE:{}", ical_date(due)));
        line(format!("DTEND;VALUE=DATE:{}", ical_date(due.next_day())));
        match yearly {
            Some(Yearly { month, day: 0 }) => {
                line(format!("RRULE:FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1"))
            }
            Some(_) => line("RRULE:FREQ=YEARLY".into()),
            None => {}
        }
        line(format!(
            "SUMMARY:{}",
            escape(&format!(
                "[{role}] {} {}: {}",
                strings.get(lang, "task"),
                task.number.trim_end_matches('.'),
                task.title.get(lang).text
            ))
        ));
        line(format!("DESCRIPTION:{}", escape(&description)));
        line(format!("URL:{url}"));
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
}

fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year, d.month, d.day)
}

/// Escapes TEXT values: backslash, semicolon, comma and newlines.
/// RFC 5545 TEXT: backslash, `;`, `,` and newlines escaped; a carriage
/// return (alone or before a newline) and other control characters, which
/// TEXT may not hold and which would split or corrupt the content line,
/// are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a
/// character, and ended with CRLF as RFC 5545 requires.
fn fold_into(out: &mut String, mut line: &str) {
    let mut width = 0;
    while line.len() > 75 - width {
        // The longest run of whole characters that fits on this line.
        let mut cut = 75 - width;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&line[..cut]);
        out.push_str("\r\n ");
        line = &line[cut..];
        width = 1;
    }
    out.push_str(line);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_at_75_octets() {
        let mut out = String::new();
        fold_into(&mut out, &format!("SUMMARY:{}", "Đầu tư ".repeat(20)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "Đầu tư ".repeat(20)));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape("a\r\nb\rc\u{c}d\u{85}e"), "a\\nbcde");
    }
}
