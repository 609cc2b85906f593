//! Builds the real content in `content/` and checks the site a reader gets.

mod common;

use common::{TempSite, attr_values, file_for};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

const BASE: &str = "https://plans.example.org/";

/// One build of the real content, shared by the read-only tests below.
fn site() -> &'static TempSite {
    static SITE: OnceLock<TempSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TempSite::copy_of_repo();
        site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
        site
    })
}

fn json(rel: &str) -> Value {
    serde_json::from_str(&site().read(&format!("public/data/{rel}"))).expect("valid JSON")
}

fn html_files(out: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect()
}

/// Every page of an agency (its first page, then `page/2/`… while they
/// exist): an agency with many tasks lists them over several pages.
fn agency_pages(lang: &str, id: &str) -> Vec<String> {
    let mut pages = vec![site().read(&format!("public/{lang}/agencies/{id}/index.html"))];
    for n in 2.. {
        let path = site().out().join(format!("{lang}/agencies/{id}/page/{n}/index.html"));
        match std::fs::read_to_string(&path) {
            Ok(html) => pages.push(html),
            Err(_) => break,
        }
    }
    pages
}

/// Task states in the order agency pages list them: what needs attention first.
const STATE_ORDER: [&str; 9] = [
    "overdue",
    "due_soon",
    "in_progress",
    "not_started",
    "ongoing",
    "no_deadline",
    "done_late",
    "done",
    "cancelled",
];

fn local(url: &str) -> &str {
    url.strip_prefix(BASE).expect("absolute URL on the site's base")
}

#[test]
fn every_task_has_a_page_at_both_urls() {
    let tasks = json("tasks.json");
    let tasks = tasks["tasks"].as_array().expect("tasks array");
    assert!(tasks.len() >= 73, "the Huế 03/NQ-CP plan alone has 73 tasks, got {}", tasks.len());
    for task in tasks {
        for lang in ["vi", "en"] {
            let url = task["url"][lang].as_str().expect("url");
            let page = file_for(&site().out(), local(url));
            let html = std::fs::read_to_string(&page).unwrap_or_else(|_| panic!("no page for {url}"));
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{url} lacks lang={lang}");
            let title = task["title"]["vi"].as_str().expect("title");
            let shown = if lang == "en" { task["title"]["en"].as_str().unwrap_or(title) } else { title };
            let escaped = shown
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;");
            assert!(html.contains(&escaped), "{url} does not show its title");
        }
    }
}

#[test]
fn every_agency_with_tasks_links_each_of_them() {
    let agencies = json("agencies.json");
    let tasks = json("tasks.json");
    let mut checked = 0;
    for agency in agencies["agencies"].as_array().expect("agencies") {
        let ids: Vec<&str> = ["lead", "support"]
            .iter()
            .flat_map(|role| {
                agency["tasks"][role].as_array().expect("ids").iter().map(|v| v.as_str().expect("id"))
            })
            .collect();
        if ids.is_empty() {
            continue;
        }
        for lang in ["vi", "en"] {
            let page = file_for(&site().out(), local(agency["url"][lang].as_str().expect("url")));
            assert!(page.is_file(), "the agency page exists at its URL");
            let id = agency["id"].as_str().expect("id");
            let links: BTreeSet<String> =
                agency_pages(lang, id).iter().flat_map(|html| attr_values(html, "href")).collect();
            for id in &ids {
                let task =
                    tasks["tasks"].as_array().expect("tasks").iter().find(|t| t["id"] == *id).expect("task");
                let url = format!("/{}", local(task["url"][lang].as_str().expect("url")));
                assert!(links.contains(&url), "{} ({lang}) does not link task {id}", agency["id"]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 20, "expected many agencies with tasks, found {checked}");
}

#[test]
fn every_page_links_its_other_language_twin() {
    let out = site().out();
    let pages = html_files(&out);
    assert!(pages.len() > 250);
    for page in pages {
        let rel = page.strip_prefix(&out).expect("prefix").to_string_lossy().replace('\\', "/");
        let Some((lang, rest)) = rel.split_once('/') else {
            continue;
        }; // the landing page
        let other = if lang == "vi" { "en" } else { "vi" };
        let html = std::fs::read_to_string(&page).expect("read");
        let twin_path = format!("/{other}/{}", rest.trim_end_matches("index.html"));
        assert!(
            html.contains(&format!("href=\"{twin_path}\" hreflang=\"{other}\"")),
            "{rel}: no switcher to {twin_path}"
        );
        assert!(
            html.contains(&format!(
                "<link rel=\"alternate\" hreflang=\"{other}\" href=\"{BASE}{}\">",
                &twin_path[1..]
            )),
            "{rel}: no hreflang alternate"
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{BASE}{lang}/")),
            "{rel}: no canonical"
        );
        assert!(file_for(&out, &twin_path).is_file(), "{rel}: twin {twin_path} missing");
    }
}

#[test]
fn internal_links_and_assets_resolve() {
    let out = site().out();
    let mut checked = 0;
    for page in html_files(&out) {
        let html = std::fs::read_to_string(&page).expect("read");
        for url in attr_values(&html, "href").into_iter().chain(attr_values(&html, "src")) {
            if url.starts_with("http") || url.starts_with('#') {
                continue;
            }
            // A relative link (plan pages link their task rows so) is read
            // against the page's own folder.
            let url = if url.starts_with('/') {
                url
            } else {
                let folder = page.parent().expect("page folder").strip_prefix(&out).expect("under out");
                assert!(!url.contains(".."), "{}: relative link {url} leaves its folder", page.display());
                format!("/{}/{url}", folder.display())
            };
            assert!(file_for(&out, &url).is_file(), "{}: broken link {url}", page.display());
            if let Some((path, anchor)) = url.split_once('#') {
                let target = std::fs::read_to_string(file_for(&out, path)).expect("read");
                assert!(target.contains(&format!("id=\"{anchor}\"")), "{}: no anchor {url}", page.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 5000, "only {checked} links checked");
}

#[test]
fn open_data_matches_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/open-data-v1.schema.json"),
        )
        .expect("schema"),
    )
    .expect("schema JSON");
    for (file, def) in [
        ("plans.json", "plans_file"),
        ("tasks.json", "tasks_file"),
        ("agencies.json", "agencies_file"),
        ("progress.json", "progress_file"),
    ] {
        let mut s = schema.clone();
        s["$ref"] = Value::String(format!("#/$defs/{def}"));
        s.as_object_mut().expect("object").remove("oneOf");
        let validator = jsonschema::validator_for(&s).expect("schema compiles");
        let doc = json(file);
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
        assert_eq!(doc["version"], 1);
    }
    // The whole-file schema rejects a file that breaks the contract.
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut broken = json("tasks.json");
    broken["tasks"][0]["state"] = serde_json::json!("late-ish");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn data_is_consistent_across_files() {
    let plans = json("plans.json");
    let tasks = json("tasks.json");
    let agencies = json("agencies.json");
    let plan = plans["plans"]
        .as_array()
        .expect("plans")
        .iter()
        .find(|p| p["id"] == "hue-2025-03-nq-cp")
        .expect("plan");
    // Every commitment is a task: the 70 rows of Appendix II, the bullets of
    // section II no row covers, and the duties of section IV.
    let file = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/plans/hue-2025-03-nq-cp.toml"),
    )
    .expect("plan file");
    assert_eq!(plan["task_count"], file.matches("\n[[tasks]]\n").count());
    assert!(plan["task_count"].as_u64().is_some_and(|n| n >= 129));
    let ids: BTreeSet<&str> =
        agencies["agencies"].as_array().expect("a").iter().map(|a| a["id"].as_str().expect("id")).collect();
    for t in tasks["tasks"].as_array().expect("t") {
        for role in ["lead", "support"] {
            for a in t[role].as_array().expect("ids") {
                assert!(ids.contains(a.as_str().expect("id")), "{} names unknown {a}", t["id"]);
            }
        }
    }
    // CSV: a header and one row per task / indicator.
    let mut reader = csv::Reader::from_path(site().out().join("data/tasks.csv")).expect("csv");
    assert_eq!(reader.records().count(), tasks["tasks"].as_array().expect("t").len());
    let mut reader = csv::Reader::from_path(site().out().join("data/indicators.csv")).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "plan");
    assert_eq!(reader.records().count(), 40, "Appendix I of seed 002 has 40 indicator rows");
}

#[test]
fn merged_agency_points_to_its_successor_which_inherits_its_tasks() {
    let agencies = json("agencies.json");
    let find = |id: &str| {
        agencies["agencies"].as_array().expect("a").iter().find(|a| a["id"] == id).cloned().expect(id)
    };
    let old = find("hue-so-tttt");
    let new = find("hue-so-khcn");
    assert_eq!(old["succeeded_by"], "hue-so-khcn");
    assert_eq!(old["succeeded_on"], "2025-03-01");
    for role in ["lead", "support"] {
        for task in old["tasks"][role].as_array().expect("ids") {
            assert!(
                new["tasks"][role].as_array().expect("ids").contains(task),
                "{task} not inherited as {role}"
            );
        }
    }
    let old_page = site().read("public/en/agencies/hue-so-tttt/index.html");
    assert!(old_page.contains("its tasks passed to <a href=\"/en/agencies/hue-so-khcn/\">"));
    let new_page = site().read("public/en/agencies/hue-so-khcn/index.html");
    assert!(new_page.contains("inherited from <a href=\"/en/agencies/hue-so-tttt/\">"));
}

#[test]
fn english_pages_mark_vietnamese_fallback() {
    // Take the English away from one task title and one section body: the
    // English pages then show the Vietnamese, marked as such.
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    let text = site.read(&plan);
    let task = text.split("\n[[tasks]]\n").find(|t| t.starts_with("id = \"1\"\n")).expect("task 1");
    let title = task.lines().find(|l| l.starts_with("title = ")).expect("title line");
    let vi = title.split("vi = \"").nth(1).expect("vi").split('"').next().expect("vi text");
    site.edit(&plan, title, &format!("title = {{ vi = \"{vi}\" }}"));
    let body_en = text.find("\"\"\", en = \"\"\"");
    if let Some(start) = body_en {
        let opening = "\"\"\", en = \"\"\"".len();
        let end = start + opening + text[start + opening..].find("\"\"\"").expect("end of en") + 3;
        site.edit(&plan, &text[start..end], "\"\"\"");
    }
    site.build().expect("build");
    let en = site.read("public/en/plans/hue-2025-03-nq-cp/tasks/1/index.html");
    assert!(en.contains(&format!(
        "<h1><span lang=\"vi\">{vi}</span> <small class=\"untranslated\">(not yet translated)</small></h1>"
    )));
    let en_plan = site.read("public/en/plans/hue-2025-03-nq-cp/index.html");
    assert!(en_plan.contains("<p class=\"untranslated\">This part is not yet translated"));
    assert!(en_plan.contains("<div lang=\"vi\"><ol>\n<li>Tạo sự thống nhất"));
    let vi_page = site.read("public/vi/plans/hue-2025-03-nq-cp/index.html");
    assert!(!vi_page.contains("class=\"untranslated\""));
}

#[test]
fn task_pages_link_their_line_in_the_source_page() {
    let task = site().read("public/vi/plans/hue-2025-03-nq-cp/tasks/1/index.html");
    assert!(task.contains("href=\"/vi/plans/hue-2025-03-nq-cp/source/#L363\""));
    let source = site().read("public/vi/plans/hue-2025-03-nq-cp/source/index.html");
    let line = source.split("id=\"L363\"").nth(1).expect("line anchor");
    assert!(
        line.contains("<span class=\"lt\">1.</span>"),
        "line 363 of seed 002 is the number cell of task 1"
    );
}

#[test]
fn landing_page_offers_both_languages_without_javascript() {
    let html = site().read("public/index.html");
    assert!(html.contains("href=\"/vi/\" hreflang=\"vi\""));
    assert!(html.contains("href=\"/en/\" hreflang=\"en\""));
}

#[test]
fn all_five_plans_are_published_with_every_task() {
    let plans = json("plans.json");
    let plans = plans["plans"].as_array().expect("plans");
    let ids: Vec<&str> = plans.iter().map(|p| p["id"].as_str().expect("id")).collect();
    assert_eq!(
        ids,
        [
            "hai-phong-2026-709-qd-ttg",
            "hue-2025-03-nq-cp",
            "hue-261-kh-ubnd-2024",
            "hue-343-kh-ubnd-2026",
            "hue-439-kh-ubnd-2025"
        ]
    );
    let draft = &plans[0];
    assert_eq!(draft["status"], "draft");
    let page = site().read("public/en/plans/hai-phong-2026-709-qd-ttg/index.html");
    assert!(page.contains("This is a draft, not an official document."));
    let tasks = json("tasks.json");
    for plan in plans {
        let n = tasks["tasks"].as_array().expect("tasks").iter().filter(|t| t["plan"] == plan["id"]).count();
        assert_eq!(plan["task_count"].as_u64(), Some(n as u64));
        assert!(n > 10, "{} has only {n} tasks", plan["id"]);
    }
}

#[test]
fn the_english_site_is_complete() {
    let loaded = plansite::load::load(site().root()).expect("load");
    for c in plansite::check::coverage(&loaded) {
        assert!(
            c.missing.is_empty(),
            "{}: {} fields without English: {:?}",
            c.scope,
            c.missing.len(),
            c.missing
        );
    }
    let unclear = plansite::check::unclear_deadlines(&loaded);
    assert!(unclear.is_empty(), "deadlines not understood: {unclear:?}");
    let en = site().read("public/en/plans/hue-2025-03-nq-cp/index.html");
    assert!(en.contains("Resolution 57-NQ/TW of the Politburo"));
    assert!(en.contains("Resolution 03/NQ-CP of the Government"));
    assert!(!en.contains("class=\"untranslated\""), "no Vietnamese fallback left on the English plan page");
}

#[test]
fn agency_calendar_is_valid_icalendar() {
    let ics = site().read("public/en/agencies/hue-so-khcn/calendar.ics");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "every line ends with CRLF");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line}");
    }
    let unfolded = ics.replace("\r\n ", "");
    let events: Vec<&str> = unfolded.split("BEGIN:VEVENT\r\n").skip(1).collect();
    let csv_rows = csv::Reader::from_path(site().out().join("data/agencies/hue-so-khcn.csv"))
        .expect("csv")
        .records()
        .count();
    assert_eq!(events.len(), csv_rows, "calendar and CSV list the same dated tasks");
    assert!(events.len() > 10);
    let mut uids = BTreeSet::new();
    for event in &events {
        for field in
            ["UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:", "URL:https://"]
        {
            assert!(event.lines().any(|l| l.starts_with(field)), "event lacks {field}: {event}");
        }
        let uid = event.lines().find(|l| l.starts_with("UID:")).expect("uid");
        assert!(uids.insert(uid.to_string()), "duplicate {uid}");
    }
    let page = site().read("public/en/agencies/hue-so-khcn/index.html");
    assert!(page.contains("href=\"/en/agencies/hue-so-khcn/calendar.ics\""));
    assert!(page.contains("href=\"/data/agencies/hue-so-khcn.csv\""));
}

#[test]
fn agency_pages_group_tasks_by_state_and_put_the_soonest_deadline_first() {
    let page = site().read("public/vi/agencies/hue-so-khcn/index.html");
    assert!(page.contains("id=\"role-lead\"") && page.contains("id=\"role-support\""));
    // Groups in the order that needs attention first: overdue, due soon…
    let groups: Vec<&str> = page
        .split("<section class=\"agency-state\" id=\"state-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(groups.len() >= 3, "{groups:?}");
    let positions: Vec<usize> =
        groups.iter().map(|g| STATE_ORDER.iter().position(|o| o == g).expect("a state")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "groups out of order: {groups:?}");
    assert_eq!(groups[0], "overdue", "overdue first");
    for section in page.split("<section class=\"agency-state\"").skip(1) {
        assert!(
            section.split("</h2>").next().is_some_and(|h| h.contains("class=\"state state-")),
            "labelled group"
        );
        let mut seen_undated = false;
        let mut last = String::new();
        for card in section.split("<li class=\"task\"").skip(1) {
            let state_line =
                card.split("class=\"task-state\"").nth(1).and_then(|r| r.split("</p>").next()).unwrap_or("");
            match state_line.split("<time datetime=\"").nth(1).map(|r| r[..10].to_string()) {
                Some(date) => {
                    assert!(!seen_undated, "a dated task after an undated one");
                    assert!(date >= last, "{date} listed after {last}");
                    last = date;
                }
                None => seen_undated = true,
            }
        }
    }
    // Inherited work is marked on the successor's page and counted.
    assert!(page.contains("tiếp nhận từ <a href=\"/vi/agencies/hue-so-tttt/\">"));
}

#[test]
fn the_site_has_what_every_real_site_has() {
    let robots = site().read("public/robots.txt");
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));
    let sitemap = site().read("public/sitemap.xml");
    let pages = html_files(&site().out()).len();
    let urls = sitemap.matches("<url>").count();
    assert!(urls > 500 && urls < pages, "{urls} URLs for {pages} pages (landing and 404 excluded)");
    assert!(sitemap.contains(&format!(
        "<loc>{BASE}en/plans/hue-2025-03-nq-cp/tasks/1/</loc><xhtml:link rel=\"alternate\" hreflang=\"vi\""
    )));
    let not_found = site().read("public/404.html");
    assert!(not_found.contains("Không tìm thấy trang") && not_found.contains("Page not found"));
    let ico = std::fs::read(site().out().join("favicon.ico")).expect("favicon.ico");
    assert_eq!(&ico[..4], &[0, 0, 1, 0]);

    let task = site().read("public/en/plans/hue-2025-03-nq-cp/tasks/1/index.html");
    assert!(task.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(task.contains(&format!(
        "<meta property=\"og:url\" content=\"{BASE}en/plans/hue-2025-03-nq-cp/tasks/1/\">"
    )));
    assert!(task.contains("<meta property=\"og:locale\" content=\"en_GB\">"));
    let ld = task
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|r| r.split("</script>").next())
        .expect("JSON-LD");
    let ld: Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "PlanAction");
    assert_eq!(ld["agent"][0]["@type"], "GovernmentOrganization");
    assert_eq!(ld["endTime"], "2025-12-31");
    let plan = site().read("public/vi/plans/hue-2025-03-nq-cp/index.html");
    assert!(
        plan.contains("\"@type\":\"CreativeWork\"")
            && plan.contains("<meta property=\"og:locale\" content=\"vi_VN\">")
    );
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn plans_json() -> Vec<Value> {
    json("plans.json")["plans"].as_array().expect("plans").clone()
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn plan_pages_lead_with_a_summary_whose_counts_are_the_open_data() {
    for plan in plans_json() {
        let id = plan["id"].as_str().expect("id");
        for lang in ["vi", "en"] {
            let page = site().read(&format!("public/{lang}/plans/{id}/index.html"));
            let short = plan["short_name"][lang].as_str().expect("short name in both languages");
            assert!(
                page.contains(&format!("<h1>{}</h1>", escaped(short))),
                "{id}/{lang}: h1 is the short name"
            );
            assert!(page.contains(&format!("<title>{} · ", escaped(short))), "{id}/{lang}: title");
            // Summary, then tasks, then indicators, then the full text behind a disclosure.
            let at = |needle: &str| page.find(needle);
            let summary = at("<section class=\"plan-summary\"").expect("summary");
            let tasks = at("<section id=\"tasks\"").expect("tasks");
            assert!(summary < tasks, "{id}/{lang}: summary before tasks");
            if let Some(indicators) = at("<section id=\"indicators\"") {
                assert!(tasks < indicators, "{id}/{lang}: tasks before indicators");
            }
            if let Some(text) = at("<section id=\"text\"") {
                assert!(tasks < text, "{id}/{lang}: the full text comes after the tasks");
                assert!(between(&page, "<section id=\"text\"", "</section>").contains("<details>"));
            }
            let box_ = between(&page, "<section class=\"plan-summary\"", "</section>");
            let number = plan["number"].as_str().map(str::to_string);
            let none = if lang == "vi" { "Chưa có số" } else { "No number" };
            assert!(
                box_.contains(number.as_deref().unwrap_or(none)),
                "{id}/{lang}: number or 'not numbered'"
            );
            for (state, count) in plan["states"].as_object().expect("states") {
                let badge = format!("<span class=\"state state-{state}\"><strong>{count}</strong>");
                assert_eq!(
                    box_.contains(&badge),
                    count.as_u64() != Some(0),
                    "{id}/{lang}: {state} = {count}"
                );
            }
            assert!(box_.contains("class=\"updated\""), "{id}/{lang}: last updated");
        }
    }
}

#[test]
fn agency_pages_list_each_task_once_with_its_badge_and_no_link_to_themselves() {
    let agencies = json("agencies.json");
    for agency in agencies["agencies"].as_array().expect("agencies") {
        let id = agency["id"].as_str().expect("id");
        let mut expected: BTreeSet<&str> = BTreeSet::new();
        for role in ["lead", "support"] {
            expected.extend(
                agency["tasks"][role].as_array().expect("ids").iter().map(|t| t.as_str().expect("id")),
            );
        }
        let mut ids: Vec<String> = Vec::new();
        for page in agency_pages("vi", id) {
            let list = page.split("<section class=\"appendix\"").next().expect("work list");
            let cards: Vec<&str> = list.split("<li class=\"task\" id=\"t-").skip(1).collect();
            for card in &cards {
                assert!(card.contains("<span class=\"state state-"), "{id}: a card without its state badge");
                assert!(
                    !card.contains(&format!("href=\"/vi/agencies/{id}/\"")),
                    "{id}: a card links to its own page"
                );
            }
            let on_page: Vec<&str> = cards.iter().map(|c| c.split('"').next().expect("id")).collect();
            if !on_page.is_empty() {
                // Jump links: one per plan of the page, with the number of
                // this agency's tasks of that plan on the page.
                let jump = between(&page, "<nav class=\"jump\"", "</nav>");
                let mut per_plan: std::collections::BTreeMap<&str, usize> = Default::default();
                for card in &cards {
                    let plan = between(card, "· <a href=\"/vi/plans/", "/\"");
                    *per_plan.entry(plan).or_default() += 1;
                }
                for (plan, n) in per_plan {
                    assert!(
                        jump.contains(&format!("href=\"#plan-{plan}\""))
                            && page.contains(&format!("id=\"plan-{plan}\"")),
                        "{id}: jump link to {plan}"
                    );
                    let after = between(jump, &format!("href=\"#plan-{plan}\""), "</a>");
                    assert!(
                        after.contains(&format!("<span class=\"count\">{n}</span>")),
                        "{id}: {plan} has {n}"
                    );
                }
            }
            ids.extend(on_page.into_iter().map(str::to_string));
        }
        let distinct: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{id}: a task listed twice");
        assert_eq!(ids.len(), expected.len(), "{id}: one card per task it leads or supports");
    }
}

#[test]
fn names_shared_by_agencies_of_two_places_carry_their_place() {
    let agencies = json("agencies.json");
    let list = agencies["agencies"].as_array().expect("agencies");
    let mut shared = 0;
    for lang in ["vi", "en"] {
        for a in list {
            let name = a["name"][lang].as_str().expect("name");
            let twins: Vec<&Value> = list
                .iter()
                .filter(|b| b["name"][lang] == name && b["jurisdiction"] != a["jurisdiction"])
                .collect();
            if twins.is_empty() {
                continue;
            }
            shared += 1;
            let h1 = |agency: &Value| {
                let page = site().read(&format!(
                    "public/{lang}/agencies/{}/index.html",
                    agency["id"].as_str().expect("id")
                ));
                between(&page, "<h1>", "</h1>").to_string()
            };
            let mine = h1(a);
            assert!(mine.starts_with(&escaped(name)), "{mine:?} starts with {name:?}");
            for twin in twins {
                assert_ne!(mine, h1(twin), "{lang}: two agencies of different places with one heading");
            }
        }
    }
    assert!(shared >= 4, "the real content has Sở Khoa học và Công nghệ in Huế and Hải Phòng");
}

#[test]
fn task_pages_carry_state_draft_marker_and_last_updated_and_no_bare_number() {
    let plans = plans_json();
    let tasks = json("tasks.json");
    for t in tasks["tasks"].as_array().expect("tasks") {
        let url = t["url"]["vi"].as_str().expect("url");
        let page = std::fs::read_to_string(file_for(&site().out(), local(url))).expect("task page");
        let plan = plans.iter().find(|p| p["id"] == t["plan"]).expect("its plan");
        assert!(page.contains(&format!("data-state=\"{}\"", t["state"].as_str().expect("state"))), "{url}");
        assert!(page.contains("<p class=\"updated\">"), "{url}: last updated");
        let draft = page.contains("<p class=\"notice\">Nhiệm vụ này thuộc một dự thảo kế hoạch");
        assert_eq!(draft, plan["status"] == "draft", "{url}: draft marker");
        let eyebrow = between(&page, "<p class=\"eyebrow\">", "</p>");
        assert!(!eyebrow.starts_with("Nhiệm vụ ·") && !eyebrow.contains("Nhiệm vụ  ·"), "{url}: {eyebrow}");
        assert!(eyebrow.contains(&escaped(plan["short_name"]["vi"].as_str().expect("short"))), "{url}");
    }
}

#[test]
fn plans_index_404_and_csv_byte_order_marks() {
    for lang in ["vi", "en"] {
        let index = site().read(&format!("public/{lang}/plans/index.html"));
        for plan in plans_json() {
            assert!(index.contains(&format!("href=\"/{lang}/plans/{}/\"", plan["id"].as_str().expect("id"))));
            assert!(index.contains(&escaped(plan["short_name"][lang].as_str().expect("short"))));
        }
    }
    let not_found = site().read("public/404.html");
    assert!(not_found.contains("role=\"search\"") && not_found.contains("action=\"/vi/search/\""));
    for link in ["/vi/plans/", "/en/plans/", "/vi/agencies/", "/en/agencies/"] {
        assert!(not_found.contains(&format!("href=\"{link}\"")), "404 links {link}");
    }
    for csv in ["data/tasks.csv", "data/indicators.csv", "data/agencies/hue-so-khcn.csv"] {
        let bytes = std::fs::read(site().out().join(csv)).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{csv} starts with a UTF-8 BOM");
    }
}

#[test]
fn an_agency_with_many_tasks_lists_them_over_pages_most_urgent_first() {
    let agencies = json("agencies.json");
    let mut paged = 0;
    for agency in agencies["agencies"].as_array().expect("agencies") {
        let id = agency["id"].as_str().expect("id");
        let tasks: BTreeSet<&str> = ["lead", "support"]
            .iter()
            .flat_map(|r| {
                agency["tasks"][*r].as_array().expect("ids").iter().map(|t| t.as_str().expect("id"))
            })
            .collect();
        for lang in ["vi", "en"] {
            let pages = agency_pages(lang, id);
            assert_eq!(pages.len(), tasks.len().div_ceil(50).max(1), "{id}: 50 tasks a page");
            if pages.len() == 1 {
                assert!(!pages[0].contains("class=\"pager\""), "{id}: one page needs no pager");
                continue;
            }
            paged += 1;
            let mut ranks = Vec::new();
            for (n, page) in pages.iter().enumerate() {
                let cards = page.matches("<li class=\"task\"").count();
                assert!(cards <= 50 && cards > 0, "{id} page {}: {cards} tasks", n + 1);
                // Every page links the first, the last and its neighbours,
                // and says which tasks it shows.
                let pager = between(page, "<nav class=\"pager\"", "</nav>");
                let linked = |other: usize| other == 1 || other == pages.len() || other.abs_diff(n + 1) <= 2;
                for other in (1..=pages.len()).filter(|&o| linked(o)) {
                    let url = match other {
                        1 => format!("/{lang}/agencies/{id}/"),
                        k => format!("/{lang}/agencies/{id}/page/{k}/"),
                    };
                    if other == n + 1 {
                        assert!(pager.contains(&format!("<span aria-current=\"page\">{other}</span>")));
                    } else {
                        assert!(
                            pager.contains(&format!("href=\"{url}\"")),
                            "{id} page {}: no link to {url}",
                            n + 1
                        );
                    }
                }
                assert!(pager.contains(&format!("{}–{}", n * 50 + 1, n * 50 + cards)), "{id}: range shown");
                assert_eq!(page.contains("rel=\"prev\""), n > 0);
                assert_eq!(page.contains("rel=\"next\""), n + 1 < pages.len());
                ranks.extend(
                    page.split("<section class=\"agency-state\" id=\"state-")
                        .skip(1)
                        .filter_map(|s| s.split('"').next())
                        .map(|g| STATE_ORDER.iter().position(|o| *o == g).expect("a state")),
                );
            }
            // What needs attention first: states never go back across pages.
            assert!(
                ranks.windows(2).all(|w| w[0] <= w[1]),
                "{id}: states out of order across pages: {ranks:?}"
            );
            let twin = site()
                .out()
                .join(format!("{}/agencies/{id}/page/2/index.html", if lang == "vi" { "en" } else { "vi" }));
            assert!(twin.is_file(), "page 2 has its other-language twin");
        }
        if tasks.len() > 50 {
            let sitemap = site().read("public/sitemap.xml");
            assert!(
                sitemap.contains(&format!("<loc>{BASE}vi/agencies/{id}/page/2/</loc>")),
                "{id}: page 2 in the sitemap"
            );
        }
    }
    assert!(paged >= 2, "the real content has agencies with more than 50 tasks (hue-so-khcn): {paged}");
}
