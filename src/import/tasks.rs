//! Tasks, by the rules reviewers follow:
//!
//! 1. every row of an appendix task table (one with a lead-agency column) is
//!    a task; group rows become headings;
//! 2. in the implementation section, a numbered block headed by agencies
//!    assigns each of its lettered items or bullets to them (a block with no
//!    items is one task), and a numbered paragraph whose sentences open with
//!    an agency is a task led by it; "phối hợp (với) …" names support;
//! 3. in the tasks/measures section, an item is a task only if it names who
//!    does it: opening with an agency, "(X chủ trì)", "X chủ trì", "giao X";
//! 4. a prose task that an appendix table row repeats is that row, once.

use super::agencies::{Hit, Names, Scope, tokenize};
use super::lines::{Marker, Para};
use super::patterns::slug;
use super::report::Notes;
use super::sections::{Document, Kind, Section};
use super::tables::{Col, Purpose, Row, Table};
use crate::text::fold;
use std::collections::BTreeSet;

/// Where a task was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Table,
    Block,
    Prose,
}

/// A task as imported; an empty `lead` means none could be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: String,
    pub number: String,
    pub heading: Option<String>,
    pub title: String,
    pub detail: Option<String>,
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub output: Option<String>,
    pub deadline: Option<String>,
    pub note: Option<String>,
    pub line: usize,
    pub origin: Origin,
    /// Names given as lead or support that no registry covers, as printed:
    /// written as the task's `unresolved`, which `check` refuses until a
    /// person decides.
    pub unresolved: Vec<String>,
}

/// The unresolved names of several lists, each once.
fn unresolved_of(lists: &[&Names]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in lists.iter().flat_map(|l| &l.unresolved) {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// A heading tasks (or indicators) are grouped under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub number: String,
    pub title: String,
    pub line: usize,
}

/// A row of an indicator table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub number: String,
    pub group: Option<String>,
    pub name: String,
    pub unit: String,
    pub target: String,
    pub horizon: Option<String>,
    pub monitors: Vec<String>,
    pub line: usize,
}

/// Everything structured out of the sections and tables.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub tasks: Vec<Task>,
    pub headings: Vec<Heading>,
    pub indicator_groups: Vec<Heading>,
    pub indicators: Vec<Indicator>,
    pub objectives: Vec<(String, usize)>,
}

/// Reads the tasks, headings, indicators and objectives of a document.
pub fn extract(doc: &Document, tables: &[Table], scope: &Scope, notes: &mut Notes) -> Found {
    let mut found = Found::default();
    for t in tables {
        match t.purpose() {
            Purpose::Tasks => {
                let before = found.tasks.len();
                table_tasks(t, scope, notes, &mut found);
                if found.tasks.len() == before {
                    notes.unsure(
                        t.first,
                        format!(
                            "the task table (lines {}–{}) yields no task: {} rows, all read as headings; check its rows",
                            t.first,
                            t.last,
                            t.rows.len()
                        ),
                    );
                }
            }
            Purpose::Indicators => indicators(t, scope, notes, &mut found),
            Purpose::Plain => {}
        }
    }
    let table_tasks = found.tasks.len();
    let table_groups: BTreeSet<String> = found.headings.iter().map(|h| h.number.clone()).collect();
    for s in &doc.sections {
        match s.kind {
            Kind::Tasks => prose_tasks(s, scope, notes, &mut found),
            Kind::Implementation | Kind::Assignment => {
                implementation_tasks(s, scope, &table_groups, notes, &mut found)
            }
            Kind::Objectives => objectives(s, &mut found),
            _ => {}
        }
    }
    merge_duplicates(&mut found, table_tasks, notes);
    // Headings made for prose tasks that were merged into table rows go too.
    let used: BTreeSet<String> = found.tasks.iter().filter_map(|t| t.heading.clone()).collect();
    found.headings.retain(|h| table_groups.contains(&h.number) || used.contains(&h.number));
    unique_ids(&mut found.tasks, notes);
    found.tasks.sort_by_key(|t| t.line);
    found
}

// ---------------------------------------------------------------------------
// Rule 1: table rows.

fn letter_slug(c: char) -> String {
    if c == 'đ' { "dd".to_string() } else { c.to_string() }
}

fn number_slug(n: &str) -> String {
    let n = n.trim().trim_end_matches(['.', ')']);
    match n.chars().next() {
        Some(c) if n.chars().count() == 1 && c.is_alphabetic() && c.is_lowercase() => letter_slug(c),
        _ => slug(n),
    }
}

fn cell_or_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t != "-").then(|| t.to_string())
}

fn table_tasks(t: &Table, scope: &Scope, notes: &mut Notes, found: &mut Found) {
    let mut group: Option<String> = None;
    for row in &t.rows {
        if row.group {
            let number = row.number.trim().trim_end_matches('.').to_string();
            found.headings.push(Heading {
                number: number.clone(),
                title: t.cell(row, Col::Title).to_string(),
                line: row.line,
            });
            group = Some(number);
            continue;
        }
        if let Some(g) = &row.guess {
            notes.unsure(row.line, format!("row {}: {g}", row.number));
        }
        found.tasks.push(table_task(t, row, group.as_deref(), scope, notes));
    }
}

fn table_task(t: &Table, row: &Row, group: Option<&str>, scope: &Scope, notes: &mut Notes) -> Task {
    let lettered = row.number.trim().ends_with(')');
    let id = match group {
        Some(g) if lettered => format!("{}-{}", slug(g), number_slug(&row.number)),
        _ => number_slug(&row.number),
    };
    // One cell may hold both roles ("Chủ trì: X. Phối hợp: Y").
    let (mut lead_text, mut support_text) =
        (t.cell(row, Col::Lead).to_string(), t.cell(row, Col::Support).to_string());
    for both in [t.cell(row, Col::Assign), t.cell(row, Col::Lead)] {
        let (l, s) = super::tables::split_roles(both);
        if !both.is_empty() && (t.col(Col::Assign).is_some() || !s.is_empty()) {
            lead_text = l;
            if support_text.is_empty() {
                support_text = s;
            }
            break;
        }
    }
    let (lead_text, support_text) = (lead_text.as_str(), support_text.as_str());
    let lead = scope.cell(lead_text);
    let support = scope.cell(support_text);
    notes.names(row.line, "lead", lead_text, &lead);
    notes.names(row.line, "support", support_text, &support);
    let mut note: Vec<String> = cell_or_none(t.cell(row, Col::Note)).into_iter().collect();
    // Columns the model has no field for are kept in the note, labelled by their header.
    for (i, _) in t.columns.iter().enumerate().filter(|(_, c)| **c == Col::Resources) {
        if let (Some(h), Some(v)) = (t.headers.get(i), row.cells.get(i).and_then(|c| cell_or_none(c))) {
            note.push(format!("{}: {v}", h.trim_end_matches(':')));
        }
    }
    if let Some(q) = &lead.qualifier {
        note.push(format!("Cơ quan chủ trì: {q}"));
        notes.unsure(row.line, format!("lead cell goes on after its agencies (“{q}”): kept as a note"));
    }
    if let Some(q) = &support.qualifier {
        note.push(format!("Cơ quan phối hợp: {q}"));
        notes.unsure(row.line, format!("support cell goes on after its agencies (“{q}”): kept as a note"));
    }
    let title = t.cell(row, Col::Title);
    Task {
        id: if id.is_empty() { format!("row-{}", row.line) } else { id },
        number: row.number.trim().to_string(),
        heading: group.map(str::to_string),
        title: if title.is_empty() { row.number.clone() } else { title.to_string() },
        detail: cell_or_none(t.cell(row, Col::Detail)),
        lead: lead.ids(),
        support: support.ids(),
        output: cell_or_none(t.cell(row, Col::Output)),
        deadline: cell_or_none(t.cell(row, Col::Deadline)),
        note: (!note.is_empty()).then(|| note.join(" ")),
        line: row.line,
        origin: Origin::Table,
        unresolved: unresolved_of(&[&lead, &support]),
    }
}

fn indicators(t: &Table, scope: &Scope, notes: &mut Notes, found: &mut Found) {
    let mut group: Option<(String, String)> = None;
    for row in &t.rows {
        let number = row.number.trim().trim_end_matches('.').to_string();
        if row.group {
            let title = t.cell(row, Col::Title).to_string();
            found.indicator_groups.push(Heading {
                number: number.clone(),
                title: title.clone(),
                line: row.line,
            });
            group = Some((number, title));
            continue;
        }
        if let Some(g) = &row.guess {
            notes.unsure(row.line, format!("row {}: {g}", row.number));
        }
        let monitor_text = t.cell(row, Col::Monitor);
        let monitors = scope.cell(monitor_text);
        notes.names(row.line, "monitoring agency", monitor_text, &monitors);
        let horizon = group.as_ref().map(|(_, title)| title.clone()).filter(|h| {
            let f = fold(h);
            ["den nam", "nam ", "giai doan", "trong nam"].iter().any(|k| f.starts_with(k))
        });
        found.indicators.push(Indicator {
            number,
            group: group.as_ref().map(|(n, _)| n.clone()),
            name: t.cell(row, Col::Title).to_string(),
            unit: cell_or_none(t.cell(row, Col::Unit)).unwrap_or_else(|| "–".to_string()),
            target: cell_or_none(t.cell(row, Col::Target)).unwrap_or_else(|| "–".to_string()),
            horizon,
            monitors: monitors.ids(),
            line: row.line,
        });
    }
}

// ---------------------------------------------------------------------------
// Who a sentence names.

/// The sentences of a paragraph.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(3) {
        if w[0].1 == '.' && w[1].1 == ' ' && w[2].1.is_uppercase() {
            out.push(&text[start..w[0].0]);
            start = w[2].0;
        }
    }
    out.push(&text[start..]);
    out
}

/// Words that introduce an assignee: "Giao …", "Đề nghị …", "Yêu cầu …".
fn skip_intro(toks: &[super::agencies::Tok]) -> usize {
    let w = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    match (w(0), w(1)) {
        (Some("giao"), Some("cho")) => 2,
        (Some("giao"), _) => 1,
        (Some("de"), Some("nghi")) | (Some("yeu"), Some("cau")) => 2,
        _ => 0,
    }
}

/// Who leads the work a prose item describes (rule 3), with names no
/// registry covers.
pub fn prose_lead(scope: &Scope, text: &str) -> Names {
    let mut names = Names::default();
    let offset = |sentence: &str| sentence.as_ptr() as usize - text.as_ptr() as usize;
    let shift = |hits: Vec<Hit>, by: usize| {
        hits.into_iter().map(move |mut h| {
            h.from += by;
            h.to += by;
            h
        })
    };
    for (k, sentence) in sentences(text).into_iter().enumerate() {
        let toks = tokenize(sentence);
        let p = skip_intro(&toks);
        let hits = scope.chain(&toks, p, false);
        if hits.is_empty() {
            if k == 0 {
                names.unresolved.extend(unknown_lead(sentence, &toks, p));
            }
            continue;
        }
        names.hits.extend(shift(hits, offset(sentence)));
    }
    if names.hits.is_empty() && names.unresolved.is_empty() {
        let first = sentences(text).into_iter().next().unwrap_or(text);
        names.hits.extend(shift(named_lead(scope, first), offset(first)));
    }
    names
}

/// "Sở X chủ trì …" with X in no registry: the words before "chủ trì".
/// The names are followed by what they do: "chủ trì", "có trách nhiệm",
/// "phối hợp", "tham mưu", "thực hiện", "triển khai", or a colon.
fn name_boundary(toks: &[super::agencies::Tok], p: usize) -> Option<usize> {
    (p + 1..toks.len().min(p + 32))
        .find(|&i| (toks[i].hard && toks[i].lower.is_empty()) || super::agencies::verb_at(toks, i))
}

/// A sentence that opens with names no registry knows, up to what they do
/// ("Sở Ngoại vụ, Sở Tư pháp chủ trì …", "Ban Dân tộc có trách nhiệm …").
fn unknown_lead(sentence: &str, toks: &[super::agencies::Tok], p: usize) -> Vec<String> {
    let Some(end) = name_boundary(toks, p) else { return Vec::new() };
    let mut out = Vec::new();
    let mut q = p;
    loop {
        let (from, e) = if q >= end {
            break;
        } else if super::agencies::head_noun(toks, q) {
            (toks[q].start, super::agencies::unknown_name_end(toks, q).min(end))
        } else if let (Some((from, true)), true) =
            (toks[q].plural, super::agencies::collective_name_at(toks, q))
        {
            (from, super::agencies::collective_end(sentence, toks, q).min(end))
        } else {
            break;
        };
        let last = (q..e).rev().find(|&k| toks[k].word.is_some()).unwrap_or(q);
        out.push(sentence[from..toks[last].end].trim().to_string());
        q = e;
        while q < end && toks[q].word.is_none() {
            q += 1;
        }
    }
    // A last short collective after a comma ("…, hội quần chúng phát huy"):
    // part of the list; other words before the verb mean no list.
    let rest: Vec<usize> = (q..end).filter(|&k| toks[k].word.is_some()).collect();
    if !out.is_empty() && q < end && rest.len() <= 4 && toks[q - 1].comma {
        if let (Some(&a), Some(&b)) = (rest.first(), rest.last()) {
            out.push(sentence[toks[a].start..toks[b].end].trim().to_string());
            q = end;
        }
    }
    if q < end { Vec::new() } else { out }
}

fn chu_tri(toks: &[super::agencies::Tok]) -> Option<usize> {
    (0..toks.len().saturating_sub(1))
        .find(|&i| toks[i].word.as_deref() == Some("chu") && toks[i + 1].word.as_deref() == Some("tri"))
}

/// A lead named inside the sentence: "(Sở X chủ trì)", "Sở X chủ trì", "giao Sở X".
fn named_lead(scope: &Scope, sentence: &str) -> Vec<Hit> {
    let toks = tokenize(sentence);
    if let Some(c) = chu_tri(&toks) {
        for s in c.saturating_sub(30)..c {
            let boundary =
                s == 0 || toks[s - 1].word.is_none() || toks[s - 1].word.as_deref() == Some("giao");
            if !boundary || toks[s].word.is_none() {
                continue;
            }
            let hits = scope.chain(&toks, s, false);
            if hits.last().is_some_and(|h| h.end == c) {
                return hits;
            }
        }
    }
    for g in (0..toks.len()).filter(|&i| toks[i].word.as_deref() == Some("giao")) {
        let after =
            if toks.get(g + 1).and_then(|t| t.word.as_deref()) == Some("cho") { g + 2 } else { g + 1 };
        let hits = scope.chain(&toks, after, false);
        if !hits.is_empty() {
            return hits;
        }
    }
    Vec::new()
}

/// Agencies named after "phối hợp (với)": the task's support, with names
/// no registry covers.
pub fn support_of(scope: &Scope, text: &str) -> Names {
    let toks = tokenize(text);
    let mut all = Names::default();
    let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    for i in (0..toks.len()).filter(|&i| word(i) == Some("phoi") && word(i + 1) == Some("hop")) {
        let mut j = i + 2;
        // "phối hợp chặt chẽ với": a few words may come before "với".
        let words_ahead: Vec<usize> = (j..toks.len()).filter(|&k| toks[k].word.is_some()).take(4).collect();
        if let Some(&v) = words_ahead.iter().find(|&&k| word(k) == Some("voi")) {
            j = v + 1;
        }
        while toks.get(j).is_some_and(|t| t.word.is_none() && !t.hard) {
            j += 1;
        }
        let Some(start) = toks.get(j).map(|t| t.start) else { continue };
        let rest = &text[start..];
        let names = scope.cell(rest);
        // Only a list that starts right there: a verb means "phối hợp" had no object.
        let starts_here = |at: usize| tokenize(&rest[..at.min(rest.len())]).iter().all(|t| t.word.is_none());
        let first_known = names.hits.first().map(|h| h.from);
        let first_unknown = names.unresolved.first().and_then(|u| rest.find(u.as_str()));
        if first_known.into_iter().chain(first_unknown).min().is_some_and(starts_here) {
            all.hits.extend(names.hits.into_iter().map(|mut h| {
                h.from += start;
                h.to += start;
                h
            }));
            all.unresolved.extend(names.unresolved);
        }
    }
    all
}

/// The support of a task written at `line`, noting what was not resolved.
fn support(scope: &Scope, text: &str, line: usize, notes: &mut Notes) -> Names {
    let names = support_of(scope, text);
    notes.names(line, "support", text, &names);
    names
}

// ---------------------------------------------------------------------------
// Rule 3: the tasks and measures section.

fn section_key(s: &Section) -> String {
    s.number.as_deref().map(|n| n.to_lowercase()).unwrap_or_else(|| s.id())
}

fn prose_tasks(s: &Section, scope: &Scope, notes: &mut Notes, found: &mut Found) {
    let sec = section_key(s);
    let roman = s.number.clone().unwrap_or_default();
    let mut block: Option<&Para> = None;
    let mut letter: Option<char> = None;
    let (mut in_block, mut in_letter) = (0, 0);
    for p in s.paras() {
        let key: Vec<String> = match &p.marker {
            Marker::Number(n) if !n.contains('.') => {
                block = Some(p);
                letter = None;
                in_block = 0;
                vec![n.clone()]
            }
            Marker::Number(n) => n.split('.').map(str::to_string).collect(),
            Marker::Letter(c) => {
                letter = Some(*c);
                in_letter = 0;
                block.map(block_number).into_iter().chain([letter_slug(*c)]).collect()
            }
            Marker::Bullet(_) => {
                let mut k: Vec<String> = block.map(block_number).into_iter().collect();
                match letter {
                    Some(c) => {
                        in_letter += 1;
                        k.extend([letter_slug(c), in_letter.to_string()]);
                    }
                    None => {
                        in_block += 1;
                        k.push(in_block.to_string());
                    }
                }
                k
            }
            Marker::None | Marker::Roman(_) => continue,
        };
        let names = prose_lead(scope, &p.text);
        if names.hits.is_empty() && names.unresolved.is_empty() {
            continue;
        }
        notes.names(p.line, "lead", &p.text, &names);
        let lead = names.ids();
        let heading = block.map(|b| {
            let number = format!("{roman}.{}", block_number(b));
            ensure_heading(found, &number, &b.text, b.line);
            number
        });
        let support = support(scope, &p.text, p.line, notes);
        found.tasks.push(Task {
            id: format!("{sec}-{}", key.join("-")),
            number: p.printed.clone(),
            heading,
            title: p.text.clone(),
            detail: None,
            lead,
            support: support.ids(),
            output: None,
            deadline: None,
            note: None,
            line: p.line,
            origin: Origin::Prose,
            unresolved: unresolved_of(&[&names, &support]),
        });
    }
}

fn block_number(p: &Para) -> String {
    match &p.marker {
        Marker::Number(n) => n.clone(),
        _ => p.printed.trim_end_matches(['.', ')']).to_string(),
    }
}

fn ensure_heading(found: &mut Found, number: &str, title: &str, line: usize) {
    if !found.headings.iter().any(|h| h.number == number) {
        found.headings.push(Heading { number: number.to_string(), title: title.to_string(), line });
    }
}

// ---------------------------------------------------------------------------
// Rule 2: the implementation section.

/// Does a numbered paragraph head a block for the agencies it names?
fn heads_block(p: &Para, names: &Names, text: &str) -> bool {
    let first_known = names.hits.first().map(|h| h.from);
    let Some(first) = first_known.into_iter().chain(names.unresolved_at.first().map(|s| s.0)).min() else {
        return false;
    };
    let before = &text[super::agencies::distributive_prefix(text).min(first)..first];
    if tokenize(before).iter().any(|t| t.word.is_some()) {
        return false;
    }
    match &names.qualifier {
        None => true,
        Some(q) => text.trim_end().ends_with(':') || (p.heading && q.split_whitespace().count() <= 3),
    }
}

fn implementation_tasks(
    s: &Section,
    scope: &Scope,
    table_groups: &BTreeSet<String>,
    notes: &mut Notes,
    found: &mut Found,
) {
    let sec = section_key(s);
    let roman = s.number.clone().unwrap_or_default();
    let mut blocks: Vec<(&Para, Vec<&Para>)> = Vec::new();
    // Paragraphs of their own: unnumbered ones before any block, and the
    // closing "Trong quá trình thực hiện, … các X báo cáo …" wherever it is.
    let mut loose: Vec<&Para> = Vec::new();
    for p in s.paras() {
        match &p.marker {
            Marker::Number(n) if !n.contains('.') => blocks.push((p, Vec::new())),
            Marker::None
                if s.kind == Kind::Implementation
                    && (blocks.is_empty() || closing_duty(&p.text))
                    && !fold(&p.text).contains("phu luc") =>
            {
                loose.push(p)
            }
            _ => {
                if let Some(b) = blocks.last_mut() {
                    b.1.push(p);
                }
            }
        }
    }
    let numbered = blocks.len();
    for (k, p) in loose.into_iter().enumerate() {
        let mut names = prose_lead(scope, &p.text);
        if names.hits.is_empty() && names.unresolved.is_empty() {
            names = duty_lead(scope, &p.text);
        }
        if names.hits.is_empty() && names.unresolved.is_empty() {
            continue;
        }
        notes.names(p.line, "lead", &p.text, &names);
        let number = if table_groups.contains(&roman) { format!("§{roman}") } else { roman.clone() };
        ensure_heading(found, &number, &s.heading, s.line);
        let support = support(scope, &p.text, p.line, notes);
        found.tasks.push(Task {
            id: format!("{sec}-{}", numbered + 1 + k),
            number: String::new(),
            heading: Some(number),
            title: p.text.clone(),
            detail: None,
            lead: names.ids(),
            support: support.ids(),
            output: None,
            deadline: None,
            note: None,
            line: p.line,
            origin: Origin::Block,
            unresolved: unresolved_of(&[&names, &support]),
        });
    }
    for (head, body) in blocks {
        let names = scope.cell(&head.text);
        let n = block_number(head);
        if heads_block(head, &names, &head.text) {
            notes.names(head.line, "lead", &head.text, &names);
            let number = format!("{roman}.{n}");
            let before = found.tasks.len();
            block_tasks(&sec, &n, (&names.ids(), &names.unresolved), &body, scope, notes, found);
            if found.tasks.len() == before {
                notes.unsure(
                    head.line,
                    format!("block {} names agencies but holds no item: no task made from it, check the text under it", head.printed),
                );
            }
            if found.tasks.len() > before {
                ensure_heading(found, &number, &head.text, head.line);
                for t in &mut found.tasks[before..] {
                    t.heading = Some(number.clone());
                    if t.number.is_empty() {
                        t.number = head.printed.clone();
                    }
                }
            }
            continue;
        }
        let mut names = prose_lead(scope, &head.text);
        if names.hits.is_empty() && names.unresolved.is_empty() && closing_duty(&head.text) {
            names = duty_lead(scope, &head.text);
        }
        if names.hits.is_empty() && names.unresolved.is_empty() {
            continue;
        }
        notes.names(head.line, "lead", &head.text, &names);
        let lead = names.ids();
        // A section-level heading; "§V" when a table group already uses "V".
        let number = if table_groups.contains(&roman) { format!("§{roman}") } else { roman.clone() };
        ensure_heading(found, &number, &s.heading, s.line);
        let support = support(scope, &head.text, head.line, notes);
        found.tasks.push(Task {
            id: format!("{sec}-{}", slug(&n)),
            number: head.printed.clone(),
            heading: Some(number),
            title: head.text.clone(),
            detail: None,
            lead,
            support: support.ids(),
            output: None,
            deadline: None,
            note: None,
            line: head.line,
            origin: Origin::Block,
            unresolved: unresolved_of(&[&names, &support]),
        });
    }
}

/// "Trong quá trình thực hiện, nếu có khó khăn, …": the closing duty to report.
fn closing_duty(text: &str) -> bool {
    let f = fold(text);
    f.starts_with("trong qua trinh") || f.starts_with("qua trinh")
}

/// Those a sentence charges after its opening clause: "Trong quá trình …,
/// nếu …, các sở, ngành, địa phương chủ động báo cáo …" — the first names
/// after a comma that a verb follows ("Thủ trưởng" before them is theirs).
fn duty_lead(scope: &Scope, text: &str) -> Names {
    let first = sentences(text).into_iter().next().unwrap_or(text);
    let toks = tokenize(first);
    let word = |i: usize| toks.get(i).and_then(|t| t.word.as_deref());
    let acts = |end: usize| {
        super::agencies::verb_at(&toks, end)
            || [["kip", "thoi"], ["phan", "anh"]]
                .iter()
                .any(|v| word(end) == Some(v[0]) && word(end + 1) == Some(v[1]))
    };
    let mut names = Names::default();
    for i in (1..toks.len()).filter(|&i| toks[i - 1].comma) {
        let at = if word(i) == Some("thu") && word(i + 1) == Some("truong") { i + 2 } else { i };
        let hits = scope.chain(&toks, at, false);
        if hits.last().is_some_and(|h| acts(h.end)) {
            names.hits = hits;
            return names;
        }
        // Names no registry covers ("các sở, ngành, UBND các xã, phường"),
        // up to the verb.
        let mut q = at;
        let mut found: Vec<(usize, usize)> = Vec::new();
        while q < toks.len() {
            let span = if super::agencies::collective_noun_at(&toks, q) {
                toks[q].plural.map(|(from, _)| (from, super::agencies::collective_end(first, &toks, q)))
            } else if super::agencies::head_noun(&toks, q) {
                Some((toks[q].start, super::agencies::unknown_name_end(&toks, q)))
            } else {
                None
            };
            let Some((from, end)) = span else { break };
            let last = (q..end).rev().find(|&k| toks[k].word.is_some()).unwrap_or(q);
            found.push((from, toks[last].end));
            q = end;
            while q < toks.len() && toks[q].word.is_none() && !toks[q].hard {
                q += 1;
            }
            if acts(q) {
                for (a, b) in found {
                    names.unresolved.push(first[a..b].trim().to_string());
                    names.unresolved_at.push((a, b));
                }
                return names;
            }
        }
    }
    names
}

/// Whether an item opens with "Phối hợp với …": in an agency's block, it
/// names the agency that leads, and the block's agency supports.
pub fn supports_first(text: &str) -> bool {
    crate::text::fold(text).trim_start().starts_with("phoi hop voi")
}

/// The tasks of an agency-headed block: one per lettered item or bullet,
/// or one for the whole block when it has none.
fn block_tasks(
    sec: &str,
    n: &str,
    (lead, unknown): (&[String], &[String]),
    body: &[&Para],
    scope: &Scope,
    notes: &mut Notes,
    found: &mut Found,
) {
    let mut task = |id: String, number: String, title: String, line: usize| {
        let names = support(scope, &title, line, notes);
        let named = names.ids();
        let mut unresolved = unknown.to_vec();
        unresolved.extend(names.unresolved.iter().filter(|u| !unknown.contains(u)).cloned());
        // "c) Phối hợp với Sở Y …" in agency X's block: Y leads it and X
        // supports (the rule `check` applies too).
        let (lead, support) = if supports_first(&title) && !named.is_empty() {
            (named, lead.to_vec())
        } else {
            (lead.to_vec(), named)
        };
        Task {
            unresolved,
            id,
            number,
            heading: None,
            support,
            title,
            detail: None,
            lead,
            output: None,
            deadline: None,
            note: None,
            line,
            origin: Origin::Block,
        }
    };
    let lettered = body.iter().any(|p| matches!(p.marker, Marker::Letter(_)));
    let items: Vec<&&Para> = body
        .iter()
        .filter(|p| {
            matches!(p.marker, Marker::Letter(_)) || (!lettered && matches!(p.marker, Marker::Bullet(_)))
        })
        .collect();
    if items.is_empty() {
        let text: Vec<&str> = body.iter().map(|p| p.text.as_str()).collect();
        if let Some(first) = body.first() {
            found.tasks.push(task(format!("{sec}-{}", slug(n)), String::new(), text.join(" "), first.line));
        }
        return;
    }
    let mut bullets = 0;
    for p in items {
        let key = match p.marker {
            Marker::Letter(c) => letter_slug(c),
            _ => {
                bullets += 1;
                bullets.to_string()
            }
        };
        found.tasks.push(task(format!("{sec}-{}-{key}", slug(n)), p.printed.clone(), p.text.clone(), p.line));
    }
}

// ---------------------------------------------------------------------------
// Objectives, rule 4 and ids.

fn objectives(s: &Section, found: &mut Found) {
    let mut specific = false;
    for p in s.paras() {
        match p.marker {
            Marker::Number(_) | Marker::Letter(_) => specific = fold(&p.text).contains("cu the"),
            Marker::Bullet(_) if specific => found.objectives.push((p.text.clone(), p.line)),
            _ => {}
        }
    }
}

/// Word pairs of a text, for comparing two wordings of one task.
fn bigrams(text: &str) -> BTreeSet<(String, String)> {
    let w: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    w.windows(2).map(|p| (p[0].clone(), p[1].clone())).collect()
}

/// How much of the shorter wording the longer one repeats.
pub fn similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (bigrams(a), bigrams(b));
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f32 / shorter as f32
}

/// How much of its wording two mentions of one task share (true repeats in
/// the seeds share 80–100% of their word pairs; different tasks under 60%).
const SAME_TASK: f32 = 0.7;

fn merge_duplicates(found: &mut Found, table_tasks: usize, notes: &mut Notes) {
    let (table, rest) = found.tasks.split_at(table_tasks);
    let mut keep = Vec::new();
    for t in rest {
        let best = table
            .iter()
            .map(|row| {
                let text = format!("{} {}", row.title, row.detail.as_deref().unwrap_or(""));
                (similarity(&t.title, &text), row)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((score, row)) if score >= SAME_TASK => notes.merged.push((
                t.line,
                format!(
                    "the same task as table row {} (line {}): kept once, as the row",
                    row.number, row.line
                ),
            )),
            _ => keep.push(t.clone()),
        }
    }
    found.tasks.truncate(table_tasks);
    found.tasks.extend(keep);
}

/// Ids become URLs, so each is a slug (a number printed in other digits,
/// "١.", leaves nothing of itself in one) and unique within the plan.
fn unique_ids(tasks: &mut [Task], notes: &mut Notes) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for t in tasks.iter_mut() {
        if !crate::text::is_slug(&t.id) {
            let base = slug(&t.id);
            let id =
                if base.is_empty() { format!("line-{}", t.line) } else { format!("{base}-line-{}", t.line) };
            notes.unsure(
                t.line,
                format!("task number “{}” makes no id of its own: id `{id}` given", t.number),
            );
            t.id = id;
        }
        if !seen.insert(t.id.clone()) {
            let base = t.id.clone();
            let mut k = 2;
            while seen.contains(&format!("{base}-{k}")) {
                k += 1;
            }
            t.id = format!("{base}-{k}");
            notes.unsure(
                t.line,
                format!("task number {} is printed twice: id `{}` given to the second", t.number, t.id),
            );
            seen.insert(t.id.clone());
        }
    }
}
