//! Progress reports and task states: a site with fixture reports (never in
//! content/: the real plans have none) shows every state on task, plan and
//! agency pages and in the open data; a build with --today is the same
//! bytes every time; bad reports are refused with file:line and nothing
//! is published.

mod common;

use common::{TempSite, tree};
use plansite::build::{BuildOptions, Silent, build};
use plansite::model::Date;

const PLAN: &str = "hue-2025-03-nq-cp";
const TODAY: &str = "2026-10-15";

const FIRST: &str = r#"as_of = 2025-12-20
reported_by = "hue-so-khcn"
document = "Báo cáo số 12/BC-SKHCN"

[[tasks]]
task = "1"
status = "done"
percent = 100
evidence = "https://example.gov.vn/ke-hoach-tuyen-truyen"

[[tasks]]
task = "4"
status = "in_progress"

[[tasks]]
task = "21"
status = "in_progress"
percent = 30
"#;

const SECOND: &str = r#"as_of = 2026-06-30
reported_by = "hue-so-khcn"
document = "Báo cáo số 98/BC-SKHCN"
url = "https://example.gov.vn/bao-cao-98"

[[tasks]]
task = "4"
status = "done"

[[tasks]]
task = "5"
status = "cancelled"
note = { vi = "Không thực hiện do sáp nhập", en = "Not carried out because of the merger" }

[[tasks]]
task = "21"
status = "in_progress"
percent = 60
note = { vi = "Đã xây dựng dự thảo", en = "A draft has been prepared" }

[[tasks]]
task = "27"
status = "not_started"

[[indicators]]
indicator = "i-1"
year = 2025
value = "Top 10"
"#;

/// The repository's site with two fixture reports.
fn reported() -> TempSite {
    let site = TempSite::copy_of_repo();
    site.write(&format!("content/progress/{PLAN}/2025-12-20-hue-so-khcn.toml"), FIRST);
    site.write(&format!("content/progress/{PLAN}/2026-06-30-hue-so-khcn.toml"), SECOND);
    site
}

fn options(site: &TempSite) -> BuildOptions {
    BuildOptions { today: Date::parse_iso(TODAY), ..site.options() }
}

fn json(site: &TempSite, file: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(&format!("public/data/{file}"))).expect("JSON")
}

/// Each task the fixture reports on (or that its deadline decides), with
/// the state it must have on 15 October 2026.
const EXPECTED: [(&str, &str); 9] = [
    ("1", "done"),         // done in 2025, due 2025
    ("4", "done_late"),    // first reported done in June 2026, due 2025
    ("5", "cancelled"),    // reported cancelled
    ("8", "overdue"),      // due 2025, no report
    ("13", "due_soon"),    // due 2026, no report
    ("21", "in_progress"), // due 2030, reported in progress
    ("27", "not_started"), // due 12/2028, reported not started
    ("2", "ongoing"),      // "Thường xuyên"
    ("ii-1-4", "no_deadline"),
];

#[test]
fn every_state_shows_on_pages_and_in_the_open_data() {
    let site = reported();
    build(&options(&site), &mut Silent).expect("build with reports");
    let tasks = json(&site, "tasks.json");
    assert_eq!(tasks["as_of"], TODAY);
    let find = |id: &str| {
        tasks["tasks"].as_array().expect("tasks").iter().find(|t| t["id"] == format!("{PLAN}/{id}")).cloned()
    };
    for (id, state) in EXPECTED {
        let task = find(id).unwrap_or_else(|| panic!("task {id}"));
        assert_eq!(task["state"], state, "task {id}");
        let page = site.read(&format!("public/en/plans/{PLAN}/tasks/{id}/index.html"));
        assert!(page.contains(&format!("data-state=\"{state}\"")), "task {id}'s page shows {state}");
    }
    // The timeline and progress of one task, newest first.
    let t21 = find("21").expect("task 21");
    assert_eq!(t21["progress"]["percent"], 60);
    assert_eq!(t21["progress"]["as_of"], "2026-06-30");
    assert_eq!(t21["progress"]["updates"].as_array().map(Vec::len), Some(2));
    assert_eq!(t21["next_due"], "2030-12-31");
    let page = site.read(&format!("public/en/plans/{PLAN}/tasks/21/index.html"));
    let (newer, older) =
        (page.find("A draft has been prepared").expect("note"), page.find("30%").expect("older"));
    assert!(newer < older, "newest report first");
    assert!(page.contains("Báo cáo số 98/BC-SKHCN") && page.contains("https://example.gov.vn/bao-cao-98"));
    // Where nothing was reported, the page says so instead of a status.
    let page = site.read(&format!("public/vi/plans/{PLAN}/tasks/65/index.html"));
    assert!(page.contains("Chưa có báo cáo") && page.contains("Chưa có báo cáo tiến độ nào"));
    // Counts by state on the plan and the agency, in pages and data.
    let plans = json(&site, "plans.json");
    let plan =
        plans["plans"].as_array().expect("plans").iter().find(|p| p["id"] == PLAN).expect("plan").clone();
    let total: u64 = plan["states"].as_object().expect("states").values().filter_map(|v| v.as_u64()).sum();
    assert_eq!(total, plan["task_count"].as_u64().expect("count"));
    for (_, state) in EXPECTED {
        assert!(plan["states"][state].as_u64().unwrap_or(0) >= 1, "plan counts {state}");
    }
    let page = site.read(&format!("public/en/plans/{PLAN}/index.html"));
    assert!(page.contains("class=\"state-counts\"") && page.contains("<strong>1</strong> Done late"));
    let agencies = json(&site, "agencies.json");
    let khcn = agencies["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .find(|a| a["id"] == "hue-so-khcn")
        .expect("khcn")
        .clone();
    assert!(khcn["states"]["overdue"].as_u64().unwrap_or(0) > 0);
    assert!(site.read("public/vi/agencies/hue-so-khcn/index.html").contains("class=\"state-counts\""));
    // Every report, and the indicator's value.
    let progress = json(&site, "progress.json");
    assert_eq!(progress["reports"].as_array().map(Vec::len), Some(2));
    assert_eq!(progress["reports"][1]["tasks"][0]["task"], format!("{PLAN}/4"));
    assert!(site.read("public/data/indicators.csv").contains("i-1,2025: Top 10"));
    let page = site.read(&format!("public/en/plans/{PLAN}/index.html"));
    let row =
        page.split("id=\"indicator-i-1\"").nth(1).and_then(|r| r.split("</tr>").next()).expect("row i-1");
    assert!(
        row.contains("2025: <strong>Top 10</strong>"),
        "the plan's indicator table shows the value: {row}"
    );
    assert!(
        site.read("public/data/tasks.csv")
            .lines()
            .next()
            .expect("header")
            .ends_with(",state,next_due,percent")
    );
}

#[test]
fn a_build_for_a_given_day_is_the_same_bytes_every_time() {
    let site = reported();
    build(&options(&site), &mut Silent).expect("first");
    let first = tree(&site.out());
    build(&options(&site), &mut Silent).expect("second");
    let second = tree(&site.out());
    assert_eq!(first.len(), second.len());
    for (path, (bytes, _)) in &first {
        assert!(second.get(path).is_some_and(|(b, _)| b == bytes), "{path} differs");
    }
    // A later day moves states but records no change in the history.
    let later = BuildOptions { today: Date::parse_iso("2027-02-01"), ..site.options() };
    build(&later, &mut Silent).expect("later");
    let changes = json(&site, "changes.json");
    assert_eq!(changes["changes"].as_array().map(Vec::len), Some(0), "{changes}");
    let tasks = json(&site, "tasks.json");
    let t13 = tasks["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["id"] == format!("{PLAN}/13"))
        .expect("13")
        .clone();
    assert_eq!(t13["state"], "overdue");
}

#[test]
fn bad_reports_are_refused_with_their_lines_and_nothing_is_published() {
    let site = reported();
    build(&options(&site), &mut Silent).expect("good build");
    let before = tree(&site.out());
    let bad = r#"as_of = 2026-09-30
reported_by = "hue-so-khcm"
url = "ftp://x"

[[tasks]]
task = "999"
status = "done"

[[tasks]]
task = "2"
status = "finished"

[[tasks]]
task = "3"
status = "in_progress"
percent = 150

[[tasks]]
task = "3"
status = "done"

[[indicators]]
indicator = "i-99"
year = 2025
value = 3
"#;
    site.write(&format!("content/progress/{PLAN}/2026-09-30-bad.toml"), bad);
    let run = site.cli(&["build", "--today", TODAY]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    let file = format!("content/progress/{PLAN}/2026-09-30-bad.toml");
    for (line, says) in [
        (2, "unknown agency `hue-so-khcm`"),
        (3, "url `ftp://x` is not an http(s) address"),
        (6, "has no task `999`"),
        (11, "unknown status `finished`"),
        (16, "percent 150 is outside 0–100"),
        (19, "task `3` is reported twice in this report"),
        (23, "has no indicator `i-99`"),
    ] {
        assert!(stderr.contains(&format!("{file}:{line}: ")) && stderr.contains(says), "{says}: {stderr}");
    }
    assert_eq!(tree(&site.out()), before, "the published site is untouched");

    // A date after the build's.
    std::fs::remove_file(site.path(&file)).expect("remove");
    let future = format!("content/progress/{PLAN}/2027-01-01-x.toml");
    site.write(&future, "as_of = 2027-01-01\n[[tasks]]\ntask = \"2\"\nstatus = \"in_progress\"\n");
    let run = site.cli(&["build", "--today", TODAY]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("{future}:1: as_of 2027-01-01 is after the build's date 2026-10-15")),
        "{stderr}"
    );
    assert_eq!(tree(&site.out()), before);
    // Two reports of one task on one date.
    std::fs::remove_file(site.path(&future)).expect("remove");
    let other = format!("content/progress/{PLAN}/2026-06-30-other.toml");
    site.write(&other, "as_of = 2026-06-30\n\n[[tasks]]\ntask = \"21\"\nstatus = \"done\"\n");
    let run = site.cli(&["build", "--today", TODAY]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&format!("{other}:4: task `21` is also reported as of 2026-06-30")), "{stderr}");
    assert_eq!(tree(&site.out()), before);
    std::fs::remove_file(site.path(&other)).expect("remove");
    // A folder that is no plan.
    site.write("content/progress/no-such-plan/2026-01-01-x.toml", "as_of = 2026-01-01\n");
    let run = site.cli(&["check", "--today", TODAY]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("no plan `no-such-plan` for this report"));
}

#[test]
fn a_bad_today_is_refused() {
    let site = TempSite::copy_of_repo();
    let run = site.cli(&["build", "--today", "15/10/2026"]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("write it as YYYY-MM-DD"));
}

#[test]
fn a_new_report_is_an_entry_in_the_plan_agency_and_site_feeds() {
    let site = TempSite::copy_of_repo();
    build(&options(&site), &mut Silent).expect("first build, without reports");
    site.write(&format!("content/progress/{PLAN}/2026-06-30-hue-so-khcn.toml"), SECOND);
    build(&options(&site), &mut Silent).expect("a build with a new report");
    let changes = json(&site, "changes.json");
    let latest = &changes["changes"][0];
    assert_eq!(latest["reports"][0]["file"], format!("content/progress/{PLAN}/2026-06-30-hue-so-khcn.toml"));
    assert_eq!(latest["reports"][0]["tasks"].as_array().map(Vec::len), Some(4));
    assert_eq!(latest["tasks"]["modified"].as_array().map(Vec::len), Some(0), "a report changes no task");
    for feed in ["en/feed.xml", &format!("en/plans/{PLAN}/feed.xml"), "en/agencies/hue-so-khcn/feed.xml"] {
        let text = site.read(&format!("public/{feed}"));
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{feed}: {e}"));
        assert!(text.contains("1 progress reports") && text.contains("Progress report as of"), "{feed}");
    }
    // The lead of a reported task (task 5: Sở Nội vụ) follows it in its feed.
    let lead = site.read("public/vi/agencies/hue-so-noi-vu/feed.xml");
    assert!(lead.contains("Báo cáo tiến độ ngày"), "the task lead's feed has the report");
    assert!(site.read("public/en/changes/index.html").contains("Progress report as of"));
    // Building again records nothing new.
    build(&options(&site), &mut Silent).expect("again");
    assert_eq!(json(&site, "changes.json")["changes"].as_array().map(Vec::len), Some(1));
}
