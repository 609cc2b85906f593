//! What is searchable: one document per plan, plan section, indicator, task
//! and agency, in one language, with the values the filters use.

use crate::model::{Plan, Status, Task};
use crate::resolve::{Resolved, TaskRef};
use crate::text::{Lang, Text};
use pulldown_cmark::{Event, Parser, TagEnd};
use std::collections::BTreeMap;

pub use crate::web::SEARCH_KINDS as KINDS;

/// Field weights: a word in the title counts more than one in the body,
/// which counts more than the metadata (numbers, deadlines, agency names).
pub const FIELD_WEIGHTS: [f64; 3] = [3.0, 1.0, 0.5];

/// Characters of body text kept in the index to make snippets from.
pub const SNIPPET_SOURCE_CHARS: usize = 300;

/// One searchable document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Site path, with the site's base path: `/vi/plans/x/tasks/1/`.
    pub url: String,
    pub title: String,
    pub kind: &'static str,
    pub plan: Option<String>,
    /// Agencies shown with the result: lead then support, monitors, or itself.
    pub agencies: Vec<String>,
    /// Agencies the `agency` filter matches, inherited work included.
    pub filter_agencies: Vec<String>,
    /// Years of the deadline, for the `year` filter.
    pub years: Vec<i32>,
    /// A task's state as of the build's date, for the `state` filter and
    /// the result's badge; `None` for other kinds.
    pub state: Option<&'static str>,
    /// Title, body and metadata, weighted by [`FIELD_WEIGHTS`].
    pub fields: [String; 3],
    /// Words searched with each field but not shown: a task's number
    /// ("nhiệm vụ 16"), its plan's number and place.
    pub extra: [String; 3],
    /// Names that, typed whole, put this document first: an agency's name
    /// and aliases.
    pub names: Vec<String>,
    /// The place (jurisdiction) shown in the result's meta line.
    pub place: String,
    /// The document belongs to a draft plan.
    pub draft: bool,
    /// A task's lead agency and deadline: its snippet when only the title
    /// matches.
    pub lead: String,
}

impl Doc {
    /// The start of the body (or of the metadata, for a document without
    /// one), where snippets are cut from.
    pub fn snippet_source(&self) -> String {
        let body = Some(self.fields[1].trim()).filter(|b| !b.is_empty()).unwrap_or(self.fields[2].trim());
        if body.chars().count() <= SNIPPET_SOURCE_CHARS + 20 {
            return body.to_string();
        }
        let cut: String = body.chars().take(SNIPPET_SOURCE_CHARS).collect();
        let at_space = cut.rfind(char::is_whitespace).filter(|&i| i > SNIPPET_SOURCE_CHARS / 2);
        format!("{} …", cut[..at_space.unwrap_or(cut.len())].trim_end())
    }
}

/// Per task, every agency it is assigned to, inherited work included.
pub type Assigned = BTreeMap<TaskRef, Vec<String>>;

/// The assignments of the tasks of the plans at indices `plans` (sorted):
/// what their documents' `agency` filter matches.
pub fn assigned(r: &Resolved, plans: &[usize]) -> Assigned {
    let mut assigned = Assigned::new();
    for (i, list) in r.assignments.iter().enumerate() {
        for a in list.iter().filter(|a| plans.binary_search(&a.task.plan).is_ok()) {
            assigned.entry(a.task).or_default().push(r.site.agencies[i].id.clone());
        }
    }
    assigned
}

/// Every document of the site in one language, in a stable order: each plan
/// with its sections, indicators and tasks, then the agencies.
pub fn collect(r: &Resolved, lang: Lang, base: &str) -> Vec<Doc> {
    let all: Vec<usize> = (0..r.site.plans.len()).collect();
    let assigned = assigned(r, &all);
    let mut docs: Vec<Doc> = all.iter().flat_map(|&p| plan_docs(r, p, lang, base, &assigned)).collect();
    docs.extend(agency_docs(r, lang, base));
    docs
}

/// The documents of the plan at index `p`: the plan, its sections,
/// indicators and tasks. `assigned` must cover its tasks.
pub fn plan_docs(r: &Resolved, p: usize, lang: Lang, base: &str, assigned: &Assigned) -> Vec<Doc> {
    let plan = &r.site.plans[p];
    let l = |t: &Text| t.get(lang).text.to_string();
    let url = |path: &str| format!("{base}{}/{path}", lang.code());
    let plan_url = url(&format!("plans/{}/", plan.id));
    let place = place_of(r, &plan.jurisdiction, lang);
    let draft = plan.status == Status::Draft;
    let mut docs = vec![plan_doc(r, plan, lang, &plan_url)];
    for s in &plan.sections {
        let heading = match &s.number {
            Some(n) => format!("{n}. {}", l(&s.heading)),
            None => l(&s.heading),
        };
        let number = plan.number.clone().unwrap_or_default();
        let section_url = format!("{plan_url}#{}", s.id);
        for (k, text) in passages(&plain(&l(&s.body))).into_iter().enumerate() {
            // Later passages link to their own words (a text fragment,
            // falling back to the section); the heading is their metadata.
            let (url, title_field, meta) = match k {
                0 => (section_url.clone(), heading.clone(), number.clone()),
                _ => (
                    format!("{section_url}:~:text={}", text_directive(&text)),
                    String::new(),
                    format!("{heading} · {number}"),
                ),
            };
            docs.push(Doc {
                url,
                title: heading.clone(),
                kind: "section",
                plan: Some(plan.id.clone()),
                fields: [title_field, text, meta],
                place: place.clone(),
                draft,
                ..Doc::default()
            });
        }
    }
    for (ind, anchor) in plan.indicators.iter().zip(plan.indicator_anchors()) {
        let horizon = ind.horizon.as_ref().map(l).unwrap_or_default();
        let group = ind.group.as_deref().and_then(|g| plan.indicator_groups.iter().find(|h| h.number == g));
        docs.push(Doc {
            url: format!("{plan_url}#{anchor}"),
            title: l(&ind.name),
            kind: "indicator",
            plan: Some(plan.id.clone()),
            agencies: ind.monitors.clone(),
            filter_agencies: ind.monitors.clone(),
            fields: [
                l(&ind.name),
                [l(&ind.target), l(&ind.unit), horizon].join(" · "),
                group.map(|h| l(&h.title)).unwrap_or_default(),
            ],
            place: place.clone(),
            draft,
            ..Doc::default()
        });
    }
    for (t, task) in plan.tasks.iter().enumerate() {
        let url = url(&format!("plans/{}/tasks/{}/", plan.id, task.id));
        let assigned = assigned.get(&TaskRef { plan: p, task: t }).map_or(&[][..], Vec::as_slice);
        docs.push(task_doc(r, p, t, lang, &url, assigned));
    }
    docs
}

/// One document per agency, in registry order.
pub fn agency_docs(r: &Resolved, lang: Lang, base: &str) -> Vec<Doc> {
    let site = r.site;
    let l = |t: &Text| t.get(lang).text.to_string();
    site.agencies
        .iter()
        .map(|agency| {
            let jurisdiction = site.jurisdictions.iter().find(|j| j.id == agency.jurisdiction);
            let mut names = vec![l(&agency.name)];
            names.extend(agency.aliases.iter().cloned());
            Doc {
                url: format!("{base}{}/agencies/{}/", lang.code(), agency.id),
                title: l(&agency.name),
                kind: "agency",
                agencies: vec![agency.id.clone()],
                filter_agencies: vec![agency.id.clone()],
                fields: [
                    l(&agency.name),
                    agency.aliases.join(" · "),
                    jurisdiction.map(|j| l(&j.name)).unwrap_or_default(),
                ],
                names,
                place: jurisdiction.map(|j| l(&j.name)).unwrap_or_default(),
                ..Doc::default()
            }
        })
        .collect()
}

fn plan_doc(r: &Resolved, plan: &Plan, lang: Lang, url: &str) -> Doc {
    let l = |t: &Text| t.get(lang).text.to_string();
    let jurisdiction = r.site.jurisdictions.iter().find(|j| j.id == plan.jurisdiction);
    let body: Vec<String> = plan.objectives.iter().map(|o| l(&o.text)).collect();
    let meta = [
        plan.number.clone().unwrap_or_default(),
        plan.implements.join(" "),
        l(&plan.issuer),
        jurisdiction.map(|j| l(&j.name)).unwrap_or_default(),
        plan.signer.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
    ];
    Doc {
        url: url.to_string(),
        title: l(&plan.title),
        kind: "plan",
        plan: Some(plan.id.clone()),
        fields: [l(&plan.title), body.join("\n"), meta.join(" · ")],
        extra: [plan_words(plan, lang), String::new(), String::new()],
        place: place_of(r, &plan.jurisdiction, lang),
        draft: plan.status == Status::Draft,
        ..Doc::default()
    }
}

fn task_doc(r: &Resolved, p: usize, t: usize, lang: Lang, url: &str, assigned: &[String]) -> Doc {
    let plan = &r.site.plans[p];
    let task: &Task = &plan.tasks[t];
    let l = |t: &Text| t.get(lang).text.to_string();
    let mut agencies: Vec<String> = Vec::new();
    for id in task.lead.iter().chain(&task.support) {
        if !agencies.contains(id) {
            agencies.push(id.clone());
        }
    }
    let names: Vec<String> = agencies.iter().filter_map(|id| r.agency(id)).map(|a| l(&a.name)).collect();
    let heading = task.heading.as_deref().and_then(|n| plan.heading(n)).map(|h| l(&h.title));
    let body =
        [task.detail.as_ref().map(|d| plain(&l(d))), task.output.as_ref().map(l), task.note.as_ref().map(l)];
    // In the order a snippet of a task without a body reads best.
    let meta = [
        heading,
        task.deadline.as_ref().map(|d| l(&d.text)),
        Some(names.join(" · ")),
        Some(task.number.clone()),
    ];
    let task_word = match lang {
        Lang::Vi => "nhiệm vụ",
        Lang::En => "task",
    };
    let number = task.number.trim_end_matches(['.', ')']).trim();
    let place = place_of(r, &plan.jurisdiction, lang);
    let lead_name = task.lead.first().and_then(|id| r.agency(id)).map(|a| l(&a.name));
    let lead = join(&[lead_name, task.deadline.as_ref().map(|d| l(&d.text))], " · ");
    let mut filter_agencies = assigned.to_vec();
    filter_agencies.sort();
    filter_agencies.dedup();
    Doc {
        url: url.to_string(),
        title: l(&task.title),
        kind: "task",
        plan: Some(plan.id.clone()),
        agencies,
        filter_agencies,
        years: task.deadline.as_ref().map(|d| d.years()).unwrap_or_default(),
        state: Some(r.status(TaskRef { plan: p, task: t }).state.as_str()),
        fields: [l(&task.title), join(&body, "\n"), join(&meta, " · ")],
        extra: [
            if number.is_empty() || number == "-" { String::new() } else { format!("{task_word} {number}") },
            String::new(),
            format!("{place} · {}", plan_words(plan, lang)),
        ],
        names: Vec::new(),
        place,
        draft: plan.status == Status::Draft,
        lead,
    }
}

/// A plan as people name it: "kế hoạch 343/KH-UBND", "plan 343/KH-UBND",
/// and its reviewed short name. A plan with no number yet (a draft: "Số:
/// /KH-UBND") is named after the first document it implements: "kế hoạch
/// 709/QĐ-TTg".
fn plan_words(plan: &Plan, lang: Lang) -> String {
    let word = match lang {
        Lang::Vi => "kế hoạch",
        Lang::En => "plan",
    };
    let own = plan.number.as_deref().map(str::trim).filter(|n| n.chars().any(|c| c.is_ascii_digit()));
    let number = own.or_else(|| plan.implements.first().map(String::as_str)).map(|n| format!("{word} {n}"));
    let short = plan.short_name.as_ref().map(|s| s.get(lang).text.to_string());
    join(&[number, short], " · ")
}

/// The name of a jurisdiction in `lang`, or nothing if it is unknown.
fn place_of(r: &Resolved, jurisdiction: &str, lang: Lang) -> String {
    let j = r.site.jurisdictions.iter().find(|j| j.id == jurisdiction);
    j.map(|j| j.name.get(lang).text.to_string()).unwrap_or_default()
}

fn join(parts: &[Option<String>], sep: &str) -> String {
    parts.iter().flatten().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(sep)
}

/// A section longer than this many words is searched in passages.
pub const PASSAGE_WORDS: usize = 150;
/// Paragraphs shorter than this join the next one in a passage.
pub const MIN_PASSAGE_WORDS: usize = 40;

/// A section's text in passages: whole paragraphs, short ones together, each
/// at most about [`PASSAGE_WORDS`] words, so that a long section competes
/// paragraph by paragraph rather than by its length. A short text is one
/// passage.
pub fn passages(text: &str) -> Vec<String> {
    let words = |s: &str| s.split_whitespace().count();
    if words(text) <= PASSAGE_WORDS {
        return vec![text.to_string()];
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for para in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        if !current.is_empty() && words(&current) + words(para) > PASSAGE_WORDS {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(para);
        if words(&current) >= MIN_PASSAGE_WORDS {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        match out.last_mut() {
            Some(last) if words(&current) < MIN_PASSAGE_WORDS => {
                last.push('\n');
                last.push_str(&current);
            }
            _ => out.push(current),
        }
    }
    out
}

/// The start of a passage as a text fragment directive (`:~:text=`): its
/// first words, percent-encoded, that a browser scrolls to.
fn text_directive(passage: &str) -> String {
    // From its first block only: a browser matches words within one.
    let first = passage.lines().next().unwrap_or("");
    let start: Vec<&str> = first.split_whitespace().take(6).collect();
    let mut out = String::new();
    for b in start.join(" ").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The words of a Markdown text, without its markup.
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell) => {
                out.push('\n')
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_words() {
        assert_eq!(plain("### Tiêu đề\n\n- **Một** ý\n- hai `x`"), "Tiêu đề\nMột ý\nhai x");
    }

    #[test]
    fn snippet_sources_are_cut_at_a_space() {
        let doc = Doc { fields: [String::new(), "từ ".repeat(400), String::new()], ..Doc::default() };
        let s = doc.snippet_source();
        assert!(s.ends_with("từ …"), "{s}");
        assert!(s.chars().count() <= SNIPPET_SOURCE_CHARS + 2);
    }

    #[test]
    fn long_texts_are_cut_into_passages_of_whole_paragraphs() {
        let para = |n: usize, w: &str| vec![w; n].join(" ");
        assert_eq!(passages("ngắn"), ["ngắn"]);
        let text = [para(100, "a"), para(10, "b"), para(10, "c"), para(140, "d"), para(5, "e")].join("\n");
        let parts = passages(&text);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert!(parts[1].starts_with('b') && parts[1].contains('c'), "short paragraphs go together");
        assert!(parts[2].ends_with('e'), "a short last paragraph joins the one before");
        assert_eq!(
            text_directive("Tổ chức, thực hiện"),
            "T%E1%BB%95%20ch%E1%BB%A9c%2C%20th%E1%BB%B1c%20hi%E1%BB%87n"
        );
    }
}
