//! The change log across builds: history starts with the first build,
//! records additions, removals and modifications (with fields), survives
//! rebuilds, and is published as pages and valid Atom feeds. Only a build
//! records: a preview (`serve`) shows trial edits as unpublished.

mod common;

use common::TempSite;
use plansite::build::{BuildOptions, Silent, build};
use plansite::session::Session;
use serde_json::Value;

fn build_at(site: &TempSite, now: &str) {
    let mut options = site.options();
    options.now = Some(now.to_string());
    build(&options, &mut Silent).unwrap_or_else(|e| panic!("build: {e}"));
}

fn history(site: &TempSite) -> Value {
    serde_json::from_str(&site.read("public/data/changes.json")).expect("changes.json")
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array().expect("array").iter().map(|i| i["id"].as_str().expect("id")).collect()
}

/// Checks a feed against RFC 4287's required elements; returns its entries' ids.
fn assert_valid_atom(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{xml}"));
    let feed = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!((feed.tag_name().namespace(), feed.tag_name().name()), (Some(atom), "feed"));
    fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
        node.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .map(|c| c.text().unwrap_or(""))
    }
    let rfc3339 = |s: &str| s.len() == 20 && s.as_bytes()[10] == b'T' && s.ends_with('Z');
    assert!(child(feed, "id").is_some_and(|id| id.starts_with("https://")));
    assert!(child(feed, "title").is_some_and(|t| !t.is_empty()));
    assert!(child(feed, "updated").is_some_and(rfc3339));
    let author = feed.children().find(|c| c.tag_name().name() == "author").expect("feed author");
    assert!(child(author, "name").is_some());
    assert!(feed.children().any(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self")));
    let mut ids = Vec::new();
    for entry in feed.children().filter(|c| c.tag_name().name() == "entry") {
        let id = child(entry, "id").expect("entry id").to_string();
        assert!(child(entry, "title").is_some_and(|t| !t.is_empty()));
        assert!(child(entry, "updated").is_some_and(rfc3339));
        assert!(entry.children().any(|c| c.tag_name().name() == "link" && c.attribute("href").is_some()));
        assert!(!ids.contains(&id), "duplicate entry id {id}");
        ids.push(id);
    }
    ids
}

#[test]
fn the_change_log_across_builds() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();

    // The first build starts the history: nothing has changed yet.
    build_at(&site, "2026-11-01T09:00:00Z");
    assert_eq!(history(&site), serde_json::json!({ "version": 1, "changes": [] }));
    assert!(
        site.read("public/en/changes/index.html")
            .contains("Nothing has changed since the site was first published.")
    );
    assert!(assert_valid_atom(&site.read("public/en/feed.xml")).is_empty());

    // One task modified, one added, one removed; the plan's title edited.
    site.edit(
        &plan,
        "output = { vi = \"Đề án\", en = \"Scheme\" }",
        "output = { vi = \"Đề án mới\", en = \"New scheme\" }",
    );
    site.edit(&plan, "id = \"70\"", "id = \"71\"");
    site.edit(&plan, "title = { vi = \"Kế hoạch thực hiện", "title = { vi = \"Kế hoạch (sửa đổi) thực hiện");
    build_at(&site, "2026-11-02T09:00:00Z");
    let h = history(&site);
    let change = &h["changes"][0];
    assert_eq!(h["changes"].as_array().expect("changes").len(), 1);
    assert_eq!((change["number"].as_u64(), change["date"].as_str()), (Some(1), Some("2026-11-02T09:00:00Z")));
    assert_eq!(ids(&change["tasks"]["added"]), ["hue-2025-03-nq-cp/71"]);
    assert_eq!(ids(&change["tasks"]["removed"]), ["hue-2025-03-nq-cp/70"]);
    assert_eq!(ids(&change["tasks"]["modified"]), ["hue-2025-03-nq-cp/5"]);
    assert_eq!(change["tasks"]["modified"][0]["fields"], serde_json::json!(["output"]));
    assert_eq!(ids(&change["plans"]["modified"]), ["hue-2025-03-nq-cp"]);
    assert_eq!(change["plans"]["modified"][0]["fields"], serde_json::json!(["title"]));

    // Pages: site-wide and per plan, with links to what still exists.
    let page = site.read("public/en/changes/index.html");
    assert!(page.contains("id=\"change-1\""));
    assert!(page.contains("href=\"/en/plans/hue-2025-03-nq-cp/tasks/71/\""));
    assert!(page.contains("1 plans modified, 1 tasks added, 1 tasks removed, 1 tasks modified"), "{page}");
    // Old → new, as the history keeps them (the output field of task 5).
    assert_eq!(change["tasks"]["modified"][0]["values"][0]["old"]["en"], "Scheme");
    assert!(page.contains("<del>Scheme</del> → <ins>New scheme</ins>"), "{page}");
    assert!(
        site.read("public/vi/changes/index.html").contains("<del>Đề án</del> → <ins>Đề án mới</ins>"),
        "Vietnamese values on the Vietnamese page"
    );
    // The task's "last updated" is the day of that change.
    let task = site.read("public/en/plans/hue-2025-03-nq-cp/tasks/5/index.html");
    assert!(task.contains("Last updated: <time datetime=\"2026-11-02\">"), "task 5 last updated");
    assert!(site.read("public/vi/plans/hue-2025-03-nq-cp/changes/index.html").contains("id=\"change-1\""));
    assert!(
        !site.read("public/vi/plans/hue-261-kh-ubnd-2024/changes/index.html").contains("id=\"change-1\"")
    );

    // Feeds: site-wide, per plan, per agency; only where the change concerns them.
    assert_eq!(assert_valid_atom(&site.read("public/en/feed.xml")).len(), 1);
    assert_eq!(assert_valid_atom(&site.read("public/vi/plans/hue-2025-03-nq-cp/feed.xml")).len(), 1);
    assert!(assert_valid_atom(&site.read("public/vi/plans/hue-343-kh-ubnd-2026/feed.xml")).is_empty());
    let lead_of_5 = assert_valid_atom(&site.read("public/en/agencies/hue-so-noi-vu/feed.xml"));
    assert_eq!(lead_of_5, ["https://plans.example.org/en/changes/#change-1"]);
    assert!(assert_valid_atom(&site.read("public/en/agencies/hp-so-khcn/feed.xml")).is_empty());

    // A rebuild with nothing new keeps the history and adds nothing.
    let before = site.read("public/data/changes.json");
    build_at(&site, "2026-11-03T09:00:00Z");
    assert_eq!(site.read("public/data/changes.json"), before);

    // The next change is number 2, listed first.
    site.edit(&plan, "id = \"71\"", "id = \"72\"");
    build_at(&site, "2026-11-04T09:00:00Z");
    let h = history(&site);
    let numbers: Vec<u64> =
        h["changes"].as_array().expect("a").iter().map(|c| c["number"].as_u64().expect("n")).collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(assert_valid_atom(&site.read("public/vi/feed.xml")).len(), 2);
}

#[test]
fn a_damaged_history_stops_the_build_and_keeps_the_site() {
    let site = TempSite::copy_of_repo();
    build_at(&site, "2026-11-01T09:00:00Z");
    site.write("public/data/changes.json", "{ not json");
    let out = site.cli(&["build"]);
    assert!(!out.status.success());
    let message = common::stderr(&out);
    assert!(message.contains("changes.json") && message.contains("history"), "{message}");
    assert!(message.contains("line 1 column 3") && message.contains("move the file away"), "{message}");
    assert_eq!(site.read("public/data/changes.json"), "{ not json");
    // The way out the message gives: moved away, the site builds again.
    std::fs::rename(site.path("public/data/changes.json"), site.path("changes.json.damaged")).expect("move");
    let out = site.cli(&["build"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(history(&site), serde_json::json!({ "version": 1, "changes": [] }));
}

/// Issue 12: an imported plan has no English, and its change (titles with
/// `"en": null`) used to make every later build and check fail reading the
/// history back. The real binary, as a publisher runs it.
#[test]
fn a_site_rebuilds_after_an_import() {
    let site = TempSite::copy_of_repo();
    let seed = site.path("seeds/markdown_table.md");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/fixtures/markdown_table.md"),
        &seed,
    )
    .expect("copy the document");
    let run = |args: &[&str]| {
        let out = site.cli(args);
        assert!(out.status.success(), "plansite {args:?}: {}", common::stderr(&out));
    };
    run(&["build"]);
    run(&["import", seed.to_str().expect("path")]);
    let plan = "content/plans/hue-12-kh-ubnd-2026.toml";
    assert!(!site.read(plan).contains("en ="), "imported without English");
    // The review the report asks for: "các đơn vị", a name the registry
    // lacks, is kept on its task, and `check` refuses it until decided.
    let out = site.cli(&["check"]);
    assert!(!out.status.success(), "check refuses the unresolved name");
    assert!(String::from_utf8_lossy(&out.stdout).contains("[unresolved-agency]"));
    site.edit(plan, "lead = []", "lead = [\"hue-cac-co-quan-to-chuc-lien-quan\"]");
    site.edit(plan, "unresolved = [\"các đơn vị\"]\n", "");
    run(&["build"]);
    let h = history(&site);
    let change = &h["changes"][0];
    assert_eq!(ids(&change["plans"]["added"]), ["hue-12-kh-ubnd-2026"]);
    assert_eq!(change["plans"]["added"][0]["title"]["en"], Value::Null);
    assert_eq!(change["tasks"]["added"].as_array().expect("tasks").len(), 7);
    run(&["build"]);
    run(&["build"]);
    run(&["check"]);
    assert_eq!(history(&site), h, "the rebuilds keep the history as it was");
    let page = site.read("public/en/changes/index.html");
    assert!(page.contains("Kế hoạch chuyển đổi số trong giáo dục năm 2026"), "shown in Vietnamese");
}

/// Every Atom feed of a built site: path → bytes.
fn feeds(out: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    common::tree(out)
        .into_iter()
        .filter(|(path, _)| path.ends_with("feed.xml"))
        .map(|(path, (bytes, _))| (path, bytes))
        .collect()
}

/// A preview session of `site`, as `plansite serve` runs it.
fn preview(site: &TempSite, now: &str) -> Session {
    let options = BuildOptions { out: site.preview(), now: Some(now.to_string()), ..site.options() };
    Session::new(options, site.out())
}

#[test]
fn trial_edits_in_a_preview_are_shown_as_unpublished_and_never_recorded() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    build_at(&site, "2026-11-01T09:00:00Z");
    site.edit(&plan, "id = \"70\"", "id = \"71\"");
    build_at(&site, "2026-11-02T09:00:00Z");
    let published = common::tree(&site.out());
    let history_before = site.read("public/data/changes.json");
    let feeds_before = feeds(&site.out());
    assert_eq!(history(&site)["changes"].as_array().map(Vec::len), Some(1), "one published change");

    let mut session = preview(&site, "2026-11-03T09:00:00Z");
    session.rebuild(&mut Silent).expect("first preview");
    let changes_page = |lang: &str| {
        std::fs::read_to_string(site.preview().join(lang).join("changes/index.html")).expect("changes page")
    };
    assert!(!changes_page("en").contains("id=\"unpublished\""), "nothing to show before an edit");

    // A trial edit: shown on the preview's changes pages as not yet published.
    let (from, to) =
        ("output = { vi = \"Đề án\", en = \"Scheme\" }", "output = { vi = \"Thử\", en = \"Trial\" }");
    site.edit(&plan, from, to);
    session.rebuild(&mut Silent).expect("rebuild after the edit");
    let page = changes_page("en");
    let unpublished = page.split("id=\"unpublished\"").nth(1).expect("an unpublished section");
    assert!(unpublished.contains("Not yet published"), "{page}");
    assert!(unpublished.contains("1 tasks modified"), "{page}");
    assert!(unpublished.contains("href=\"/en/plans/hue-2025-03-nq-cp/tasks/5/\""), "{page}");
    assert!(page.contains("id=\"change-1\""), "the published change is still listed");
    assert!(changes_page("vi").contains("Chưa công bố"));
    let plan_page =
        std::fs::read_to_string(site.preview().join("en/plans/hue-2025-03-nq-cp/changes/index.html"))
            .expect("plan changes page");
    assert!(plan_page.contains("id=\"unpublished\""), "{plan_page}");
    let other_plan =
        std::fs::read_to_string(site.preview().join("en/plans/hue-261-kh-ubnd-2024/changes/index.html"))
            .expect("another plan's changes page");
    assert!(!other_plan.contains("id=\"unpublished\""), "only the plans it concerns");
    // The preview's own history file and feeds are the published ones.
    let preview_history = std::fs::read_to_string(site.preview().join("data/changes.json")).expect("history");
    assert_eq!(preview_history, history_before);
    assert_eq!(feeds(&site.preview()), feeds_before);

    // Reverted: nothing pending; the published site was never touched.
    site.edit(&plan, to, from);
    session.rebuild(&mut Silent).expect("rebuild after the revert");
    assert!(!changes_page("en").contains("id=\"unpublished\""));
    common::assert_same_tree(&published, &common::tree(&site.out()), "the published site after a preview");

    // The next build records nothing of the trial.
    build_at(&site, "2026-11-04T09:00:00Z");
    assert_eq!(site.read("public/data/changes.json"), history_before);
    assert_eq!(feeds(&site.out()), feeds_before);
}

#[test]
fn what_a_preview_shows_as_pending_is_what_the_next_build_records() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    build_at(&site, "2026-11-01T09:00:00Z");
    let mut session = preview(&site, "2026-11-02T09:00:00Z");
    session.rebuild(&mut Silent).expect("first preview");
    site.edit(&plan, "id = \"70\"", "id = \"71\"");
    session.rebuild(&mut Silent).expect("rebuild after the edit");
    let page = std::fs::read_to_string(site.preview().join("en/changes/index.html")).expect("page");
    let unpublished = page.split("id=\"unpublished\"").nth(1).expect("an unpublished section");
    assert!(unpublished.contains("1 tasks added, 1 tasks removed"), "{page}");
    assert_eq!(history(&site)["changes"], serde_json::json!([]), "not recorded by the preview");

    build_at(&site, "2026-11-02T09:00:00Z");
    let change = &history(&site)["changes"][0];
    assert_eq!(ids(&change["tasks"]["added"]), ["hue-2025-03-nq-cp/71"]);
    assert_eq!(ids(&change["tasks"]["removed"]), ["hue-2025-03-nq-cp/70"]);
    // Published beside the running preview: it compares with the new build.
    session.rebuild(&mut Silent).expect("rebuild after the build");
    let page = std::fs::read_to_string(site.preview().join("en/changes/index.html")).expect("page");
    assert!(!page.contains("id=\"unpublished\""), "{page}");
    assert!(page.contains("id=\"change-1\""), "the change the build recorded");
}
