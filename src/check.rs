//! What `plansite check` reports beyond validation: translation coverage
//! per plan and in the agency registry, and deadlines not understood.

use crate::model::{Plan, Site};
use crate::text::Text;
use serde::Serialize;
use std::path::Path;

/// How much of one plan (or of the registry) has English.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// A plan id, or `agencies` for the registry.
    pub scope: String,
    pub translated: usize,
    pub total: usize,
    /// Of `translated`, how many the glossary supplied.
    pub from_glossary: usize,
    /// Fields without English, like `task 12: output`.
    pub missing: Vec<String>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total == 0 { 100.0 } else { 100.0 * self.translated as f64 / self.total as f64 }
    }
}

/// The tasks of one plan that the plan assigns to nobody (no lead).
#[derive(Debug, Clone, Serialize)]
pub struct WithoutLead {
    pub plan: String,
    pub tasks: Vec<String>,
}

/// Per plan, the tasks without a lead agency; plans where every task has
/// one are left out.
pub fn without_lead(site: &Site) -> Vec<WithoutLead> {
    site.plans
        .iter()
        .map(|p| WithoutLead {
            plan: p.id.clone(),
            tasks: p.tasks.iter().filter(|t| t.lead.is_empty()).map(|t| t.id.clone()).collect(),
        })
        .filter(|w| !w.tasks.is_empty())
        .collect()
}

/// Tasks that still carry agency names the importer could not resolve
/// (`unresolved = […]`): a person must add each agency to the registry and
/// its id to `lead` or `support` (or decide it names none) before the plan
/// is published as reviewed, so each one is a problem.
pub fn unresolved_names(site: &Site) -> Vec<Problem> {
    let mut problems = Vec::new();
    for plan in &site.plans {
        for task in plan.tasks.iter().filter(|t| !t.unresolved.is_empty()) {
            let line = task.line.map(|l| format!(" (document line {l})")).unwrap_or_default();
            problems.push(Problem {
                kind: "unresolved-agency",
                place: format!("{}/{}", plan.id, task.id),
                message: format!(
                    "the task names agencies no registry knows{line}: {}",
                    task.unresolved.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ")
                ),
                hint: format!(
                    "add each to content/agencies/{}.toml (or as an alias of an agency there), put its id in the task's `lead` or `support`, then delete the task's `unresolved` line",
                    plan.jurisdiction
                ),
            });
        }
    }
    problems
}

/// Tasks that open with "Phối hợp với Y" but leave Y out of their leads:
/// in an agency's block that item is Y's to lead, with the block's agency
/// supporting (the rule the importer applies, `import::tasks::supports_first`),
/// so lead and support look swapped.
pub fn inverted_roles(site: &Site, registry: &crate::import::Registry) -> Vec<Problem> {
    let mut problems = Vec::new();
    for plan in &site.plans {
        let scope = registry.scope(&plan.jurisdiction);
        for task in plan.tasks.iter().filter(|t| crate::import::tasks::supports_first(&t.title.vi)) {
            let named = crate::import::tasks::support_of(&scope, &task.title.vi).ids();
            // A task that names no lead (a bullet outside an agency's block)
            // has partners, not a swapped lead.
            if !named.is_empty() && !task.lead.is_empty() && !named.iter().any(|n| task.lead.contains(n)) {
                problems.push(Problem {
                    kind: "inverted-roles",
                    place: format!("{}/{}", plan.id, task.id),
                    message: format!(
                        "the task opens with \"phối hợp với\" {} but lists {} as lead",
                        named.join(", "),
                        task.lead.join(", ")
                    ),
                    hint: "the agency named after \"phối hợp với\" leads; the block's agency supports: swap lead and support".into(),
                });
            }
        }
    }
    problems
}

/// A deadline whose text plansite did not understand (kept, never guessed).
#[derive(Debug, Clone, Serialize)]
pub struct UnclearDeadline {
    pub task: String,
    pub text: String,
}

#[derive(Default)]
struct Counter {
    translated: usize,
    total: usize,
    missing: Vec<String>,
}

impl Counter {
    fn field(&mut self, what: impl FnOnce() -> String, text: &Text) {
        self.total += 1;
        if text.is_translated() {
            self.translated += 1;
        } else {
            self.missing.push(what());
        }
    }

    fn done(self, scope: &str, from_glossary: usize) -> Coverage {
        Coverage {
            scope: scope.to_string(),
            translated: self.translated,
            total: self.total,
            from_glossary,
            missing: self.missing,
        }
    }
}

/// Translation coverage of every plan, then of the agency registry.
pub fn coverage(site: &Site) -> Vec<Coverage> {
    let mut all: Vec<Coverage> = site.plans.iter().map(|p| plan_coverage(p)).collect();
    let mut registry = Counter::default();
    for j in &site.jurisdictions {
        registry.field(|| format!("jurisdiction {}: name", j.id), &j.name);
    }
    for a in &site.agencies {
        registry
            .field(|| format!("{} {}: name", if a.is_group() { "group" } else { "agency" }, a.id), &a.name);
    }
    all.push(registry.done("agencies", 0));
    all
}

fn plan_coverage(plan: &Plan) -> Coverage {
    let mut c = Counter::default();
    c.field(|| "title".into(), &plan.title);
    c.field(|| "issuer".into(), &plan.issuer);
    if let Some(s) = &plan.signer {
        c.field(|| "signer: role".into(), &s.role);
    }
    for s in &plan.sections {
        c.field(|| format!("section {}: heading", s.id), &s.heading);
        c.field(|| format!("section {}: body", s.id), &s.body);
    }
    for (i, o) in plan.objectives.iter().enumerate() {
        c.field(|| format!("objective {}", i + 1), &o.text);
    }
    for h in plan.indicator_groups.iter().chain(&plan.headings) {
        c.field(|| format!("heading {}: title", h.number), &h.title);
    }
    for i in &plan.indicators {
        let n = &i.number;
        c.field(|| format!("indicator {n}: name"), &i.name);
        c.field(|| format!("indicator {n}: unit"), &i.unit);
        c.field(|| format!("indicator {n}: target"), &i.target);
        if let Some(h) = &i.horizon {
            c.field(|| format!("indicator {n}: horizon"), h);
        }
    }
    for t in &plan.tasks {
        let id = &t.id;
        c.field(|| format!("task {id}: title"), &t.title);
        for (what, text) in [("detail", &t.detail), ("output", &t.output), ("note", &t.note)] {
            if let Some(text) = text {
                c.field(|| format!("task {id}: {what}"), text);
            }
        }
        if let Some(d) = &t.deadline {
            c.field(|| format!("task {id}: deadline"), &d.text);
        }
    }
    c.done(&plan.id, plan.glossary_filled)
}

/// Deadlines kept as printed because they were not understood.
pub fn unclear_deadlines(site: &Site) -> Vec<UnclearDeadline> {
    site.plans
        .iter()
        .flat_map(|p| p.tasks.iter().map(move |t| (p, t)))
        .filter_map(|(p, t)| {
            let d = t.deadline.as_ref()?;
            (!d.understood())
                .then(|| UnclearDeadline { task: format!("{}/{}", p.id, t.id), text: d.text.vi.clone() })
        })
        .collect()
}

/// A problem in the built site or against the previous build.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// `broken-link`, `missing-anchor`, `orphan`, `missing-twin`, `vanished-id`.
    pub kind: &'static str,
    /// The page (or id) the problem is on.
    pub place: String,
    pub message: String,
    pub hint: String,
}

/// Values of `attr="…"` in HTML, `&amp;` decoded (the link checker's
/// scanner; the integration tests use it too).
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// The output path a root-relative URL is served from, or `None` for a URL
/// outside the site.
fn target(url: &str, base: &str) -> Option<(String, Option<String>)> {
    let rest = url.strip_prefix(base)?;
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (rest, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let file =
        if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() };
    Some((file, anchor))
}

/// A link as a root-relative URL: a relative one (`tasks/1/`, which plan
/// pages use to stay light) resolved against its page's folder; `None` for
/// other schemes (`https:`, `mailto:`) and links within the page (`#x`).
fn root_relative(url: &str, page: &str, base: &str) -> Option<String> {
    if url.starts_with('/') {
        return Some(url.to_string());
    }
    let scheme = url.find(':').is_some_and(|i| !url[..i].contains('/'));
    if url.is_empty() || url.starts_with('#') || url.starts_with('?') || scheme {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in url.split_inclusive('/') {
        match segment {
            "./" | "." => {}
            "../" | ".." => {
                parts.pop();
            }
            s => parts.push(s.trim_end_matches('/')),
        }
    }
    let trailing = if url.ends_with('/') { "/" } else { "" };
    Some(format!("{base}{}{trailing}", parts.join("/")))
}

/// Links, anchors, orphans and language twins in a rendered site: every
/// internal link and asset resolves, every page is reachable from a home
/// page, and every page has its other-language twin.
pub fn site_problems(files: &[crate::output::OutputFile], base: &str) -> Vec<Problem> {
    let pages: std::collections::BTreeMap<&str, String> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(|f| (f.path.as_str(), String::from_utf8_lossy(&f.bytes).into_owned()))
        .collect();
    let exists: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut problems = Vec::new();
    let mut linked: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for (path, html) in &pages {
        let urls = attr_values(html, "href").into_iter().chain(attr_values(html, "src"));
        for url in urls.filter_map(|u| root_relative(&u, path, base)) {
            let Some((file, anchor)) = target(&url, base) else {
                problems.push(Problem {
                    kind: "broken-link",
                    place: path.to_string(),
                    message: format!("link `{url}` is outside the site's base path `{base}`"),
                    hint: "links in templates should start with the site's base path (site.base)".into(),
                });
                continue;
            };
            if !exists.contains(file.as_str()) {
                problems.push(Problem {
                    kind: "broken-link",
                    place: path.to_string(),
                    message: format!("link `{url}` leads nowhere (no {file})"),
                    hint: "fix the link in the template or content, or the id it points to".into(),
                });
                continue;
            }
            if let (Some(anchor), Some(html)) = (anchor, pages.get(file.as_str())) {
                if !anchor.is_empty() && !html.contains(&format!("id=\"{anchor}\"")) {
                    problems.push(Problem {
                        kind: "missing-anchor",
                        place: path.to_string(),
                        message: format!("link `{url}`: {file} has no element with id `{anchor}`"),
                        hint: "check the anchor (a source line beyond the document's end?)".into(),
                    });
                }
            }
            linked.entry(path).or_default().push(file);
        }
    }
    problems.extend(orphans(&pages, &linked));
    problems.extend(missing_twins(&pages));
    problems.sort();
    problems.dedup();
    problems
}

/// Pages no link leads to, starting from the landing, home and 404 pages.
fn orphans(
    pages: &std::collections::BTreeMap<&str, String>,
    linked: &std::collections::BTreeMap<&str, Vec<String>>,
) -> Vec<Problem> {
    let mut seen: std::collections::BTreeSet<String> =
        ["index.html", "vi/index.html", "en/index.html", "404.html"].iter().map(|s| s.to_string()).collect();
    let mut queue: Vec<String> = seen.iter().cloned().collect();
    while let Some(page) = queue.pop() {
        for next in linked.get(page.as_str()).into_iter().flatten() {
            if seen.insert(next.clone()) {
                queue.push(next.clone());
            }
        }
    }
    pages
        .iter()
        .filter(|(path, html)| !seen.contains(**path) && !crate::render::extras::is_noindex(html.as_bytes()))
        .map(|(path, _)| Problem {
            kind: "orphan",
            place: path.to_string(),
            message: "no page links to this page".into(),
            hint: "link it from a plan, agency or home page, or stop generating it".into(),
        })
        .collect()
}

fn missing_twins(pages: &std::collections::BTreeMap<&str, String>) -> Vec<Problem> {
    let mut out = Vec::new();
    for path in pages.keys() {
        for (lang, other) in [("vi/", "en/"), ("en/", "vi/")] {
            if let Some(rest) = path.strip_prefix(lang) {
                let twin = format!("{other}{rest}");
                if !pages.contains_key(twin.as_str()) {
                    out.push(Problem {
                        kind: "missing-twin",
                        place: path.to_string(),
                        message: format!("no {} twin: {twin} is missing", other.trim_end_matches('/')),
                        hint: "every page must exist in both languages; render it for both".into(),
                    });
                }
            }
        }
    }
    out
}

/// Plans and tasks of the previous build (its `data/tasks.json`) that the
/// content no longer has under their id or an alias: their URLs would break.
pub fn vanished_ids(site: &Site, previous_tasks: &Path) -> crate::error::Result<Vec<Problem>> {
    let bytes = match std::fs::read(previous_tasks) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(crate::error::Error::io(previous_tasks, e)),
    };
    let data: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| crate::error::Error::Other(format!("{}: {e}", previous_tasks.display())))?;
    let mut known: std::collections::BTreeSet<String> = Default::default();
    let mut plans: std::collections::BTreeSet<&str> = Default::default();
    for plan in &site.plans {
        for p in std::iter::once(&plan.id).chain(&plan.aliases) {
            plans.insert(p);
            for task in &plan.tasks {
                for t in std::iter::once(&task.id).chain(&task.aliases) {
                    known.insert(format!("{p}/{t}"));
                }
            }
        }
    }
    let previous = data.get("tasks").and_then(|t| t.as_array()).into_iter().flatten();
    Ok(previous
        .filter_map(|t| t.get("id").and_then(|i| i.as_str()))
        .filter(|id| !known.contains(*id))
        .map(|id| {
            let plan = id.split('/').next().unwrap_or("");
            let (message, hint) = if plans.contains(plan) {
                (
                    format!("task `{id}` was published by the previous build and is gone"),
                    format!(
                        "if it was renamed, add its old id to the new task: aliases = [\"{}\"]",
                        id.rsplit('/').next().unwrap_or("")
                    ),
                )
            } else {
                (
                    format!(
                        "plan `{plan}` (with task `{id}`) was published by the previous build and is gone"
                    ),
                    format!("if the plan was renamed, add aliases = [\"{plan}\"] to its file"),
                )
            };
            Problem { kind: "vanished-id", place: id.to_string(), message, hint }
        })
        .collect())
}

/// The problems in the order to fix them: ids that vanished first, since
/// after a rename their alias is the fix, and it also mends the links to
/// the old pages (from the change history, say), whose hints then point at
/// it rather than at the links.
pub fn vanished_first(vanished: Vec<Problem>, others: Vec<Problem>) -> Vec<Problem> {
    let mut others = others;
    for link in others.iter_mut().filter(|p| p.kind == "broken-link") {
        let cause = vanished.iter().enumerate().find(|(_, v)| {
            let (plan, task) = v.place.split_once('/').unwrap_or((v.place.as_str(), ""));
            let gone_plan = v.message.starts_with("plan ");
            let page =
                if gone_plan { format!("/plans/{plan}/") } else { format!("/plans/{plan}/tasks/{task}/") };
            link.message.contains(&page)
        });
        if let Some((i, v)) = cause {
            link.hint = format!(
                "the page of `{}`, which problem {} reports gone: its alias fixes this link too",
                v.place,
                i + 1
            );
        }
    }
    vanished.into_iter().chain(others).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    #[test]
    fn relative_links_resolve_against_their_page() {
        let page = "vi/plans/p/index.html";
        assert_eq!(root_relative("tasks/1/", page, "/").as_deref(), Some("/vi/plans/p/tasks/1/"));
        assert_eq!(root_relative("../q/#x", page, "/sub/").as_deref(), Some("/sub/vi/plans/q/#x"));
        assert_eq!(root_relative("/vi/", page, "/").as_deref(), Some("/vi/"));
        for other in ["#task-1", "https://example.org/", "mailto:a@b.c", ""] {
            assert_eq!(root_relative(other, page, "/"), None, "{other}");
        }
    }

    fn page(path: &str, body: &str) -> OutputFile {
        OutputFile::new(path, format!("<html><body>{body}</body></html>"))
    }

    #[test]
    fn finds_broken_links_orphans_and_missing_twins() {
        let files = vec![
            page("index.html", r#"<a href="/vi/">vi</a> <a href="/en/">en</a>"#),
            page(
                "vi/index.html",
                r#"<a href="/vi/a/">a</a> <a href="/vi/a/#x">x</a> <a href="/vi/gone/">g</a>"#,
            ),
            page("en/index.html", r#"<a href="/en/a/">a</a>"#),
            page("vi/a/index.html", r#"<p id="y">a</p>"#),
            page("en/a/index.html", ""),
            page("vi/lonely/index.html", ""),
        ];
        let problems = site_problems(&files, "/");
        let kinds: Vec<(&str, &str)> = problems.iter().map(|p| (p.kind, p.place.as_str())).collect();
        assert!(kinds.contains(&("broken-link", "vi/index.html")), "{problems:#?}");
        assert!(kinds.contains(&("missing-anchor", "vi/index.html")), "{problems:#?}");
        assert!(kinds.contains(&("orphan", "vi/lonely/index.html")), "{problems:#?}");
        assert!(kinds.contains(&("missing-twin", "vi/lonely/index.html")), "{problems:#?}");
        assert_eq!(problems.len(), 4, "{problems:#?}");
    }
}
