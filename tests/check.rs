//! `plansite check` on the real content: clean content passes, and a broken
//! link, a vanished id and an unknown agency each fail with a clear message.

mod common;

use common::{TempSite, stderr};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn clean_content_passes() {
    let site = TempSite::copy_of_repo();
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("ok: 5 plans"), "{}", stdout(&out));
    let json = site.cli(&["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(report["ok"], true);
    assert_eq!(report["problems"], serde_json::json!([]));
}

#[test]
fn a_broken_link_fails() {
    let site = TempSite::copy_of_repo();
    site.edit(
        "themes/default/templates/home.html",
        "<h2 id=\"plans\">",
        "<a href=\"{{ site.home }}nowhere/\">x</a><h2 id=\"plans\">",
    );
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("[broken-link] vi/index.html: link `/vi/nowhere/` leads nowhere"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("problems in the built site"), "{}", stderr(&out));
    let json = site.cli(&["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"][0]["kind"], "broken-link");
}

#[test]
fn a_vanished_id_fails_until_it_has_an_alias() {
    let site = TempSite::copy_of_repo();
    site.build().expect("the previous build");
    site.edit(&site.plan_file(), "id = \"70\"\n", "id = \"co-so-du-lieu-chuyen-gia\"\n");
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    let text = stdout(&out);
    assert!(text.contains("[vanished-id] hue-2025-03-nq-cp/70: task `hue-2025-03-nq-cp/70` was published by the previous build and is gone"), "{text}");
    assert!(text.contains("aliases = [\"70\"]"), "{text}");

    site.edit(
        &site.plan_file(),
        "id = \"co-so-du-lieu-chuyen-gia\"\n",
        "id = \"co-so-du-lieu-chuyen-gia\"\naliases = [\"70\"]\n",
    );
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn an_unknown_agency_fails() {
    let site = TempSite::copy_of_repo();
    site.edit(&site.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = [\"hue-so-ttt\"]");
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown agency `hue-so-ttt`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("content/plans/hue-2025-03-nq-cp.toml:"), "{}", stderr(&out));
}

#[test]
fn a_task_the_plan_assigns_to_nobody_is_published_and_counted() {
    let site = TempSite::copy_of_repo();
    let leadless = |site: &TempSite| -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_slice(&site.cli(&["check", "--json"]).stdout).expect("JSON");
        let plans = json["without_lead"].as_array().expect("without_lead").clone();
        let plan = plans.iter().find(|p| p["plan"] == "hue-2025-03-nq-cp");
        plan.map(|p| {
            p["tasks"]
                .as_array()
                .expect("tasks")
                .iter()
                .map(|t| t.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
    };
    let before = leadless(&site);
    assert!(!before.contains(&"1".to_string()));
    site.edit(&site.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = []");
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let listed = format!("  hue-2025-03-nq-cp: {} (", before.len() + 1);
    assert!(
        stdout(&out).contains("Tasks the plan assigns to no lead agency (their pages say so):"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(&listed), "{}", stdout(&out));
    let after = leadless(&site);
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&"1".to_string()));
    site.build().expect("build");
    for (lang, says) in
        [("vi", "Kế hoạch không nêu cơ quan chủ trì"), ("en", "The plan names no lead agency")]
    {
        let page = site.read(&format!("public/{lang}/plans/hue-2025-03-nq-cp/tasks/1/index.html"));
        assert!(page.contains(says), "{lang} task page");
    }
}

#[test]
fn a_task_whose_lead_and_support_are_swapped_is_a_problem() {
    let site = TempSite::copy_of_repo();
    // 439/KH-UBND IV.3.b: "Phối hợp với Sở Khoa học và Công nghệ …" in the
    // block of seven departments: Sở KH&CN leads, they support.
    let plan = "content/plans/hue-439-kh-ubnd-2025.toml";
    let support = "[\"hue-so-cong-thuong\", \"hue-so-nnmt\", \"hue-so-xay-dung\", \"hue-so-vhtt\", \"hue-so-du-lich\", \"hue-so-y-te\", \"hue-so-gddt\", \"hue-ubnd-cap-xa\"]";
    site.edit(
        plan,
        &format!("lead = [\"hue-so-khcn\"]\nsupport = {support}"),
        &format!("lead = {support}\nsupport = [\"hue-so-khcn\"]"),
    );
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains(
            "[inverted-roles] hue-439-kh-ubnd-2025/iv-3-b: the task opens with \"phối hợp với\" hue-so-khcn"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_reader_that_stops_early_is_no_panic() {
    let site = TempSite::copy_of_repo();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["check", "--all", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start check");
    // The reader goes away before check prints, as `plansite check | head`
    // does once it has its lines.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn an_unknown_agency_kind_fails_with_the_valid_kinds() {
    let site = TempSite::copy_of_repo();
    let registry = "content/agencies/hue.toml";
    let text = site.read(registry);
    let first = text.find("kind = \"department\"").expect("a department in the registry");
    site.write(registry, &format!("{}kind = \"centre\"{}", &text[..first], &text[first + 19..]));
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("content/agencies/hue.toml:"), "{message}");
    assert!(message.contains("unknown kind `centre`"), "{message}");
    for kind in plansite::model::Agency::KINDS {
        assert!(message.contains(kind), "the hint lists `{kind}`: {message}");
    }
}
