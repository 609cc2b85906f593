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
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!(
        "PRODID:-//plansite//plansite {}//{}",
        env!("CARGO_PKG_VERSION"),
        lang.code().to_uppercase()
    ));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(agency.name.get(lang).text)));
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
    line("END:VCALENDAR");
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
    /// Each line is made in one reused buffer: a calendar has tens of
    /// thousands of lines on a large site.
    fn write(&self, line: &mut impl FnMut(&str), assignment: &Assignment, due: Date, yearly: Option<Yearly>) {
        use std::fmt::Write;
        let (plan, task) = self.r.task(assignment.task);
        let (lang, strings) = (self.lang, self.strings);
        let role = match assignment.role {
            Role::Lead => strings.get(lang, "lead"),
            Role::Support => strings.get(lang, "support"),
        };
        let base = &self.r.site.config.base_url;
        let url = format!("{base}{}/plans/{}/tasks/{}/", lang.code(), plan.id, task.id);
        let printed = task.deadline.as_ref().map(|d| d.text.get(lang).text).unwrap_or("");
        let mut buf = String::with_capacity(256);
        let mut put = |buf: &mut String| {
            line(buf);
            buf.clear();
        };
        buf.push_str("BEGIN:VEVENT");
        put(&mut buf);
        let _ = write!(buf, "UID:{}-{}-{}-{}", plan.id, task.id, self.agency, assignment.role.as_str());
        if let Some(y) = &yearly {
            let _ = write!(buf, "-yearly-{}-{}", y.month, y.day);
        }
        let _ = write!(buf, "@{}", self.host);
        put(&mut buf);
        // DTSTAMP must be stable for byte-identical builds: the plan's date
        // when known, else the deadline itself.
        let _ = write!(buf, "DTSTAMP:{}T000000Z", IcalDate(plan.date.unwrap_or(due)));
        put(&mut buf);
        let _ = write!(buf, "DTSTART;VALUE=DATE:{}", IcalDate(due));
        put(&mut buf);
        let _ = write!(buf, "DTEND;VALUE=DATE:{}", IcalDate(due.next_day()));
        put(&mut buf);
        match yearly {
            Some(Yearly { month, day: 0 }) => {
                let _ = write!(buf, "RRULE:FREQ=YEARLY;BYMONTH={month};BYMONTHDAY=-1");
                put(&mut buf);
            }
            Some(_) => {
                buf.push_str("RRULE:FREQ=YEARLY");
                put(&mut buf);
            }
            None => {}
        }
        buf.push_str("SUMMARY:");
        for part in [
            "[",
            role,
            "] ",
            strings.get(lang, "task"),
            " ",
            task.number.trim_end_matches('.'),
            ": ",
            task.title.get(lang).text,
        ] {
            escape_into(&mut buf, part);
        }
        put(&mut buf);
        // The description's lines, escaped, joined by escaped newlines.
        buf.push_str("DESCRIPTION:");
        escape_into(&mut buf, strings.get(lang, "deadline"));
        buf.push_str(": ");
        escape_into(&mut buf, printed);
        buf.push_str("\\n");
        escape_into(&mut buf, strings.get(lang, "plan"));
        buf.push_str(": ");
        escape_into(&mut buf, plan.title.get(lang).text);
        buf.push_str("\\n");
        escape_into(&mut buf, &url);
        put(&mut buf);
        buf.push_str("URL:");
        buf.push_str(&url);
        put(&mut buf);
        buf.push_str("TRANSP:TRANSPARENT");
        put(&mut buf);
        buf.push_str("END:VEVENT");
        put(&mut buf);
    }
}

/// A date as iCalendar writes it: `20261231`.
struct IcalDate(Date);

impl std::fmt::Display for IcalDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}{:02}{:02}", self.0.year, self.0.month, self.0.day)
    }
}

/// Escapes TEXT values: backslash, semicolon, comma and newlines.
/// RFC 5545 TEXT: backslash, `;`, `,` and newlines escaped; a carriage
/// return (alone or before a newline) and other control characters, which
/// TEXT may not hold and which would split or corrupt the content line,
/// are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// [`escape`] into `out`, copying the runs between the characters it
/// changes whole. Works on bytes: every such character is ASCII or a C1
/// control (U+0080–U+009F, `C2 80`–`C2 9F` in UTF-8), and no other
/// character's encoding holds those bytes.
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let (width, replacement) = match bytes[i] {
            b'\\' => (1, "\\\\"),
            b';' => (1, "\\;"),
            b',' => (1, "\\,"),
            b'\n' => (1, "\\n"),
            b'\t' => (0, ""),
            b if b < 0x20 || b == 0x7f => (1, ""),
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => (2, ""),
            _ => (0, ""),
        };
        if width == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += width;
        start = i;
    }
    out.push_str(&text[start..]);
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
