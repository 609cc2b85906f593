//! How a build behaves: safe on failure, deterministic, escaping hostile
//! content, and reporting every problem with its file and line.

mod common;

use common::{TempSite, assert_same_tree, stderr, tree};

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let a = TempSite::copy_of_repo();
    let b = TempSite::copy_of_repo();
    a.build().expect("build a");
    b.build().expect("build b");
    let (ta, tb) = (tree(&a.out()), tree(&b.out()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, (bytes, _)) in &ta {
        assert!(tb[path].0 == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_their_mtime() {
    let site = TempSite::copy_of_repo();
    site.build().expect("first build");
    let before = tree(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build().expect("second build");
    assert_eq!(report.write.written, 0);
    assert_eq!(report.write.unchanged, report.files);
    assert_same_tree(&before, &tree(&site.out()), "bytes and mtimes must be untouched");

    // One edited task: its pages change, the rest keep their mtime.
    site.edit(&site.plan_file(), "Kế hoạch/ Báo cáo", "Kế hoạch, Báo cáo");
    let report = site.build().expect("third build");
    // Its task, plan and agency pages in both languages, the open data and
    // the change log with its pages and feeds: a few dozen of over a thousand.
    assert!(report.write.written > 0 && report.write.written < 40, "{:?}", report.write);
    let after = tree(&site.out());
    let changed: Vec<&String> =
        after.iter().filter(|(p, v)| before.get(*p) != Some(v)).map(|(p, _)| p).collect();
    assert!(changed.contains(&&"vi/plans/hue-2025-03-nq-cp/tasks/15/index.html".to_string()), "{changed:?}");
    assert!(!changed.contains(&&"vi/plans/hue-2025-03-nq-cp/tasks/16/index.html".to_string()));
}

/// Breaks the site in some way and checks the CLI fails clearly, leaving
/// the previously published output exactly as it was.
/// Returns the failed build's message, for checks beyond `expect`.
fn assert_fails_keeping_output(break_it: impl FnOnce(&TempSite), expect: &[&str]) -> String {
    let site = TempSite::copy_of_repo();
    let ok = site.cli(&["build", "--quiet"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = tree(&site.out());
    break_it(&site);
    let failed = site.cli(&["build"]);
    let message = stderr(&failed);
    assert!(!failed.status.success(), "the build should fail");
    for part in expect {
        assert!(message.contains(part), "message lacks {part:?}:\n{message}");
    }
    assert_same_tree(&before, &tree(&site.out()), "public/ changed after a failed build");
    let leftovers: Vec<_> =
        std::fs::read_dir(site.root()).expect("ls").filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("staging")), "{leftovers:?}");
    message
}

#[test]
fn bad_toml_fails_with_file_and_line_and_keeps_output() {
    assert_fails_keeping_output(
        |s| s.edit(&s.plan_file(), "status = \"issued\"", "status = \"issued"),
        &["content/plans/hue-2025-03-nq-cp.toml:", "see docs/content.md"],
    );
}

#[test]
fn unknown_agency_fails_with_a_hint_and_keeps_output() {
    assert_fails_keeping_output(
        |s| s.edit(&s.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = [\"hue-so-tttx\"]"),
        &["unknown agency `hue-so-tttx`", "did you mean `hue-so-tttt`?"],
    );
}

#[test]
fn agency_named_instead_of_id_gets_the_id_as_hint() {
    assert_fails_keeping_output(
        |s| s.edit(&s.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = [\"Sở Thông tin và Truyền thông\"]"),
        &["unknown agency `Sở Thông tin và Truyền thông`", "is a name of `hue-so-tttt`"],
    );
}

#[test]
fn template_error_fails_and_keeps_output() {
    let message = assert_fails_keeping_output(
        |s| {
            s.edit(
                "themes/default/templates/task.html",
                "{% block main %}",
                "{% block main %}{{ data.summary.title.html(",
            )
        },
        &["template error", "task.html"],
    );
    assert_eq!(message.matches("task.html:").count(), 1, "the place said once:\n{message}");
}

#[test]
fn a_card_template_without_its_macro_fails_and_keeps_output() {
    // A theme copied before cards became macros renders a card per call of
    // `card(t, task)`; without it the build says what to add.
    let message = assert_fails_keeping_output(
        |s| {
            s.edit(
                "themes/default/templates/task_card.html",
                "{% macro card(t, task) %}",
                "{% macro tile(t, task) %}",
            )
        },
        &["task_card.html must define", "macro card(t, task)"],
    );
    assert_eq!(message.matches("must define").count(), 1, "said once:\n{message}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    site.edit(&plan, "id = \"1\"\n", "id = \"Task 1\"\n");
    site.edit(&plan, "id = \"2\"\n", "id = \"3\"\n");
    site.edit(&plan, "lead = [\"hue-so-noi-vu\"]", "lead = [\"hue-no-such\"]");
    site.edit(
        "content/agencies/hue.toml",
        "kind = \"department\"",
        "kind = \"department\"\ncolour = \"blue\"",
    );
    let out = site.cli(&["build"]);
    let message = stderr(&out);
    assert!(!out.status.success());
    for part in [
        "task id `Task 1` is not a slug",
        "task id `3` is used twice",
        "unknown agency `hue-no-such`",
        "content/agencies/hue.toml:",
        "unknown field `colour`",
    ] {
        assert!(message.contains(part), "lacks {part:?}:\n{message}");
    }
    assert!(message.contains("problems:"), "{message}");
    assert!(!site.out().exists(), "nothing is written when the content is invalid");
}

#[test]
fn check_validates_without_writing() {
    let site = TempSite::copy_of_repo();
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ok: 5 plans"), "{stdout}");
    assert!(stdout.contains("English translation coverage:"), "{stdout}");
    assert!(!site.out().exists());

    // Take one English text away: check names what is missing.
    site.edit(
        &site.plan_file(),
        "output = { vi = \"Đề án\", en = \"Scheme\" }",
        "output = { vi = \"Đề án mới\" }",
    );
    let out = site.cli(&["check", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let plan = report["coverage"]
        .as_array()
        .expect("coverage")
        .iter()
        .find(|c| c["scope"] == "hue-2025-03-nq-cp")
        .expect("plan");
    assert_eq!(plan["translated"].as_u64().expect("n") + 1, plan["total"].as_u64().expect("n"));
    assert!(plan["missing"][0].as_str().expect("missing").ends_with(": output"), "{plan}");
}

#[test]
fn hostile_content_is_escaped_everywhere() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    let text = site.read(&plan);
    let first_title =
        text.split("title = { vi = \"").nth(2).expect("a task title").split('"').next().expect("title");
    site.edit(&plan, first_title, r#"<script>alert('task')</script> \" onmouseover=\"x"#);
    site.edit(
        &plan,
        "body = { vi = \"\"\"",
        "body = { vi = \"\"\"\n<script>alert('md')</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(2))\n",
    );
    site.edit(
        "content/agencies/hue.toml",
        "name = { vi = \"Sở Khoa học và Công nghệ\"",
        "name = { vi = \"Sở <b>KHCN</b>\"",
    );
    site.build().expect("hostile text is content, not an error");
    for (path, (bytes, _)) in tree(&site.out()).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["<script>alert", "onerror=", "href=\"javascript:", "\" onmouseover=", "<b>KHCN"] {
            assert!(!text.contains(bad), "{path} contains {bad:?}");
        }
    }
    let plan = site.read("public/vi/plans/hue-2025-03-nq-cp/index.html");
    assert!(
        plan.contains("&lt;script&gt;alert(&#39;task&#39;)&lt;/script&gt; &quot; onmouseover="),
        "the text is shown, escaped"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = TempSite::copy_of_repo();
    site.write("public/precious.txt", "not a plansite build");
    let out = site.cli(&["build"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("refusing to replace it"), "{}", stderr(&out));
    assert_eq!(site.read("public/precious.txt"), "not a plansite build");
}

#[test]
fn base_url_flag_rewrites_absolute_urls() {
    let site = TempSite::copy_of_repo();
    let out = site.cli(&["build", "--quiet", "--base-url", "https://example.gov.vn/ke-hoach"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = site.read("public/vi/agencies/index.html");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.gov.vn/ke-hoach/vi/agencies/\">"));
    assert!(page.contains("href=\"/ke-hoach/en/agencies/\""), "internal links carry the base path");
    assert!(
        site.read("public/data/plans.json").contains("\"vi\": \"https://example.gov.vn/ke-hoach/vi/plans/")
    );
    let bad = site.cli(&["build", "--base-url", "example.gov.vn"]);
    assert!(!bad.status.success() && stderr(&bad).contains("not an absolute http(s) URL"));
}

#[test]
fn drafts_are_published_only_when_asked() {
    let site = TempSite::copy_of_repo();
    site.edit("content/site.toml", "publish_drafts = true", "publish_drafts = false");
    site.edit(&site.plan_file(), "status = \"issued\"", "status = \"draft\"");
    site.build().expect("build");
    assert!(!site.out().join("vi/plans/hue-2025-03-nq-cp/index.html").exists());
    let out = site.cli(&["build", "--quiet", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.read("public/vi/plans/hue-2025-03-nq-cp/index.html").contains("Dự thảo"));
}

#[test]
fn renamed_ids_keep_their_old_urls_as_redirects() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    // Task 5 becomes "danh-gia-cds", keeping "5" as an alias; the plan gets
    // a former id too.
    site.edit(&plan, "id = \"5\"\n", "id = \"danh-gia-cds\"\naliases = [\"5\"]\n");
    site.edit(&plan, "jurisdiction = \"hue\"\n", "jurisdiction = \"hue\"\naliases = [\"hue-03-2025\"]\n");
    site.build().expect("build");
    let new_url = "/vi/plans/hue-2025-03-nq-cp/tasks/danh-gia-cds/";
    assert!(site.out().join(new_url.trim_start_matches('/')).join("index.html").is_file());
    for old in [
        "vi/plans/hue-2025-03-nq-cp/tasks/5/",
        "vi/plans/hue-03-2025/tasks/5/",
        "vi/plans/hue-03-2025/tasks/danh-gia-cds/",
    ] {
        let page = site.read(&format!("public/{old}index.html"));
        assert!(
            page.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={new_url}\">")),
            "{old}: {page}"
        );
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
    let plan_redirect = site.read("public/en/plans/hue-03-2025/index.html");
    assert!(plan_redirect.contains("url=/en/plans/hue-2025-03-nq-cp/\""));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("tasks/danh-gia-cds/</loc>") && !sitemap.contains("hue-03-2025"));

    // An alias may not take another plan's id.
    site.edit(&plan, "aliases = [\"hue-03-2025\"]", "aliases = [\"hue-261-kh-ubnd-2024\"]");
    let out = site.cli(&["build"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("plan alias `hue-261-kh-ubnd-2024` is already used"), "{}", stderr(&out));
}
