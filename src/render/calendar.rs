//! An agency's dated tasks as an iCalendar file (RFC 5545): one all-day
//! event on each task's deadline, so an agency can subscribe in any calendar.

use crate::model::Date;
use crate::resolve::{Resolved, Role};
use crate::text::Lang;

/// The `.ics` text for agency `a` in `lang`.
pub fn agency_calendar(r: &Resolved, a: usize, lang: Lang, strings: &super::Strings) -> String {
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
    for assignment in r.dated(a) {
        let (plan, task) = r.task(assignment.task);
        let Some(deadline) = &task.deadline else { continue };
        let Some(due) = deadline.end() else { continue };
        let role = match assignment.role {
            Role::Lead => strings.get(lang, "lead"),
            Role::Support => strings.get(lang, "support"),
        };
        let url = format!("{}{}/plans/{}/tasks/{}/", site.config.base_url, lang.code(), plan.id, task.id);
        let description = format!(
            "{}: {}\n{}: {}\n{url}",
            strings.get(lang, "deadline"),
            deadline.text.get(lang).text,
            strings.get(lang, "plan"),
            plan.title.get(lang).text
        );
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}-{}-{}-{}@{host}", plan.id, task.id, agency.id, assignment.role.as_str()));
        // DTSTAMP must be stable for byte-identical builds: the plan's date
        // when known, else the deadline itself.
        line(format!("DTSTAMP:{}T000000Z", ical_date(plan.date.unwrap_or(due))));
        line(format!("DTSTART;VALUE=DATE:{}", ical_date(due)));
        line(format!("DTEND;VALUE=DATE:{}", ical_date(due.next_day())));
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
    line("END:VCALENDAR".into());
    out
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
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
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
