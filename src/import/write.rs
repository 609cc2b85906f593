//! The imported plan as `content/plans/<id>.toml`, in the format of
//! docs/content.md: Vietnamese text as plain strings (English is added in
//! review), source lines on every section, indicator and task. A name no
//! registry covers is kept in the task's `unresolved` list, so the task is
//! neither lost nor given an invented agency, and `check` asks for a decision.

use super::Plan;
use super::tasks::Task;
use std::fmt::Write;

/// A TOML basic string.
pub fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML multi-line basic string, for Markdown bodies.
fn multiline(s: &str) -> String {
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\n\"\"\"");
    out
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| string(s)).collect::<Vec<_>>().join(", "))
}

fn field(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        let _ = writeln!(out, "{key} = {}", string(v));
    }
}

/// A text `build` requires: the first of `values` that is not blank, else
/// "–", the mark written for a table cell left empty, so that the file
/// loads and the reviewer sees the gap.
fn required(out: &mut String, key: &str, values: &[&str]) {
    let v = values.iter().map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("–");
    let _ = writeln!(out, "{key} = {}", string(v));
}

/// A number as printed; the loader takes any string, even an empty one.
fn number(out: &mut String, n: &str) {
    let _ = writeln!(out, "number = {}", string(n.trim()));
}

/// The plan file's text.
pub fn plan(p: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `plansite import`{}.",
        p.source.as_deref().map(|s| format!(" from {s}")).unwrap_or_default()
    );
    out.push_str(
        "# Review it against the source: the import report lists every place the importer was unsure of.\n",
    );
    field(&mut out, "number", p.number.as_deref());
    field(&mut out, "date", p.date.as_deref());
    if let Some(y) = p.year {
        let _ = writeln!(out, "year = {y}");
    }
    field(&mut out, "jurisdiction", Some(&p.jurisdiction));
    field(&mut out, "issuer", Some(&p.issuer));
    field(&mut out, "status", Some(p.status));
    field(&mut out, "source", p.source.as_deref());
    required(&mut out, "title", &[&p.title]);
    let _ = writeln!(out, "implements = {}", list(&p.implements));
    if let Some((name, role)) = &p.signer {
        let _ = writeln!(out, "signer = {{ name = {}, role = {} }}", string(name), string(role));
    }
    for s in &p.sections {
        out.push_str("\n[[sections]]\n");
        field(&mut out, "id", Some(&s.id));
        field(&mut out, "number", s.number.as_deref());
        required(&mut out, "heading", &[&s.heading]);
        let _ = writeln!(out, "line = {}", s.line);
        let body =
            [&s.body, &s.heading].into_iter().find(|b| !b.trim().is_empty()).map_or("–", |b| b.as_str());
        let _ = writeln!(out, "body = {}", multiline(body));
    }
    for (text, line) in p.objectives.iter().filter(|(t, _)| !t.trim().is_empty()) {
        out.push_str("\n[[objectives]]\n");
        field(&mut out, "text", Some(text));
        let _ = writeln!(out, "line = {line}");
    }
    for g in &p.indicator_groups {
        out.push_str("\n[[indicator_groups]]\n");
        number(&mut out, &g.number);
        required(&mut out, "title", &[&g.title, &g.number]);
    }
    for i in &p.indicators {
        out.push_str("\n[[indicators]]\n");
        number(&mut out, &i.number);
        field(&mut out, "group", i.group.as_deref());
        required(&mut out, "name", &[&i.name, &i.number]);
        required(&mut out, "unit", &[&i.unit]);
        required(&mut out, "target", &[&i.target]);
        field(&mut out, "horizon", i.horizon.as_deref());
        let _ = writeln!(out, "monitors = {}", list(&i.monitors));
        let _ = writeln!(out, "line = {}", i.line);
    }
    for h in &p.headings {
        out.push_str("\n[[headings]]\n");
        number(&mut out, &h.number);
        required(&mut out, "title", &[&h.title, &h.number]);
        let _ = writeln!(out, "line = {}", h.line);
    }
    for t in &p.tasks {
        out.push('\n');
        out.push_str(&task(t));
    }
    out
}

fn task(t: &Task) -> String {
    let mut out = String::from("[[tasks]]\n");
    field(&mut out, "id", Some(&t.id));
    number(&mut out, &t.number);
    field(&mut out, "heading", t.heading.as_deref());
    required(&mut out, "title", &[&t.title, &t.number]);
    field(&mut out, "detail", t.detail.as_deref());
    let _ = writeln!(out, "lead = {}", list(&t.lead));
    let _ = writeln!(out, "support = {}", list(&t.support));
    field(&mut out, "output", t.output.as_deref());
    field(&mut out, "deadline", t.deadline.as_deref());
    field(&mut out, "note", t.note.as_deref());
    let _ = writeln!(out, "line = {}", t.line);
    if !t.unresolved.is_empty() {
        out.push_str(
            "# Names the document gives that no registry knows: add each to content/agencies/ (or as an\n# alias), put its id in `lead` or `support`, then delete this line. `plansite check` refuses it.\n",
        );
        let _ = writeln!(out, "unresolved = {}", list(&t.unresolved));
    }
    out
}

/// A loader's problem with the plan file, followed by the line of the
/// document the entry comes from: the file was not written, so the
/// document is where the reader can look.
pub fn locate(d: &crate::error::Diagnostic, toml: &str) -> String {
    match d.line.and_then(|l| document_line(toml, l)) {
        Some(n) => format!("{d}\n     (the entry imported from the document's line {n})"),
        None => d.to_string(),
    }
}

/// The `line = N` of the `[[…]]` entry that TOML line `at` (1-based) is in.
fn document_line(toml: &str, at: usize) -> Option<usize> {
    let lines: Vec<&str> = toml.lines().map(|l| l.trim_start_matches("# ")).collect();
    let start = lines.get(..at.min(lines.len()))?.iter().rposition(|l| l.starts_with("[["))?;
    lines[start + 1..]
        .iter()
        .take_while(|l| !l.starts_with("[["))
        .find_map(|l| l.strip_prefix("line = ")?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
        let v: toml::Value =
            toml::from_str(&format!("x = {}", multiline("say \"\"\"hi\"\"\"\n\\n"))).expect("toml");
        assert_eq!(v["x"].as_str(), Some("say \"\"\"hi\"\"\"\n\\n\n"));
    }
}
