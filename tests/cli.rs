//! The rough edges a new user meets on the command line (issue 15): ids
//! that do not exist, results that hold line breaks, a busy port, help that
//! says each default once, and exit statuses that match docs/cli.md.

mod common;

use common::{TempSite, stderr};
use std::process::Command;
use std::time::{Duration, Instant};

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn search_with_an_unknown_plan_or_agency_is_an_error_that_names_the_closest_id() {
    let site = TempSite::copy_of_repo();
    site.build().expect("build");
    for (flag, typo, meant) in
        [("--plan", "hue-2025-03-nq-cq", "hue-2025-03-nq-cp"), ("--agency", "hue-so-khcm", "hue-so-khcn")]
    {
        let out = site.cli(&["search", "khoa học", flag, typo]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{flag} {typo}: {err}");
        assert!(err.contains(&format!("{flag} `{typo}`")), "{err}");
        assert!(err.contains(&format!("did you mean `{meant}`?")), "{err}");
        assert!(stdout(&out).is_empty(), "no results are printed: {}", stdout(&out));

        let known = site.cli(&["search", "khoa học", flag, meant]);
        assert!(known.status.success(), "{flag} {meant}: {}", stderr(&known));
    }
    let far = site.cli(&["search", "khoa học", "--plan", "nothing-like-any-plan-at-all"]);
    let err = stderr(&far);
    assert_eq!(far.status.code(), Some(1));
    assert!(err.contains("data/plans.json") && !err.contains("did you mean"), "{err}");
}

#[test]
fn search_results_with_line_breaks_keep_three_lines_each() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    let task = "\n[[tasks]]\nid = \"xuong-dong\"\nnumber = \"-\"\nheading = \"§II.1\"\n\
                title = { vi = \"Quvexa thứ nhất\\nquvexa thứ hai\", en = \"Quvexa one\\nquvexa two\" }\n\
                lead = [\"hue-so-khcn\"]\n";
    site.write(&plan, &format!("{}{task}", site.read(&plan)));
    site.build().expect("build");
    let out = site.cli(&["search", "quvexa", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("1 result"), "{text}");
    assert_eq!(lines.len(), 1 + 3, "a heading and three lines for the one result: {text}");
    assert!(lines[1].contains("Quvexa one quvexa two"), "{text}");
    assert!(lines[2].trim_start().starts_with("/en/plans/"), "{text}");
    let json = site.cli(&["search", "quvexa", "--lang", "en", "--json"]);
    let hits: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(hits[0]["title"], "Quvexa one\nquvexa two", "--json keeps the text as it is");
}

#[test]
fn serve_on_a_busy_port_fails_at_once_without_building() {
    let site = TempSite::copy_of_repo();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("address").port().to_string();
    let started = Instant::now();
    let out = site.cli(&["serve", "--port", &port]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{err}");
    assert!(err.contains("--port"), "the hint names the way out: {err}");
    assert!(!err.contains("built") && !site.preview().exists(), "it built before failing: {err}");
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

/// `--help` of every command, as a user reads it.
fn help(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_plansite")).args(args).arg("--help").output().expect("run");
    assert!(out.status.success(), "{args:?} --help: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn help_says_each_default_once() {
    let serve = help(&["serve"]);
    assert!(serve.contains("[default: a free one, printed]"), "{serve}");
    for command in [
        &["build"][..],
        &["check"],
        &["serve"],
        &["search"],
        &["import"],
        &["report", "template"],
        &["report", "import"],
    ] {
        let text = help(command);
        // One option's help, from its flag to the next flag.
        for option in text.split("\n  -").skip(1) {
            let defaults = option.matches("[default:").count();
            assert!(defaults <= 1, "{command:?}: an option with {defaults} defaults:\n{option}");
        }
    }
}

#[test]
fn exit_statuses_are_those_docs_cli_md_lists() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).expect("docs");
    let table = docs.split("## Exit status").nth(1).expect("an exit status section");
    for row in ["| `0` |", "| `1` |", "| `2` |"] {
        assert!(table.contains(row), "docs/cli.md lists {row}");
    }
    let site = TempSite::copy_of_repo();
    assert_eq!(site.cli(&["check"]).status.code(), Some(0), "valid content");
    assert_eq!(site.cli(&["build", "--no-such-option"]).status.code(), Some(2), "a bad argument");
    assert_eq!(site.cli(&["build", "--today", "30/06/2026"]).status.code(), Some(2), "a bad value");
    site.edit(&site.plan_file(), "lead = [\"hue-so-tttt\"]", "lead = [\"hue-so-nowhere\"]");
    let broken = site.cli(&["build"]);
    assert_eq!(broken.status.code(), Some(1), "invalid content: {}", stderr(&broken));
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn check_after_a_task_rename_lists_the_alias_first_and_links_point_at_it() {
    let site = TempSite::copy_of_repo();
    let plan = site.plan_file();
    site.build().expect("first build");
    // The history now links to task 5's page.
    site.edit(
        &plan,
        "output = { vi = \"Đề án\", en = \"Scheme\" }",
        "output = { vi = \"Đề án mới\", en = \"New scheme\" }",
    );
    site.build().expect("a build that records a change to task 5");
    site.edit(&plan, "id = \"5\"\n", "id = \"danh-gia-cds\"\n");
    let out = site.cli(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    let problems = report.split("Problems in the built site:").nth(1).expect("problems listed");
    let first = problems.lines().find(|l| l.trim_start().starts_with("1.")).expect("a first problem");
    assert!(first.contains("[vanished-id] hue-2025-03-nq-cp/5"), "{report}");
    assert!(problems.contains("aliases = [\"5\"]"), "{report}");
    let lines: Vec<&str> = problems.lines().collect();
    let links: Vec<(&str, &str)> = lines
        .windows(2)
        .filter(|pair| pair[0].contains("[broken-link]"))
        .map(|pair| (pair[0], pair[1]))
        .collect();
    assert!(!links.is_empty(), "the history's links to the old page: {report}");
    for (link, hint) in &links {
        assert!(link.contains("/tasks/5/"), "{link}");
        assert!(hint.contains("problem 1 reports gone: its alias fixes this link too"), "{link}\n{hint}");
    }

    // The fix the first problem names mends all of them.
    site.edit(&plan, "id = \"danh-gia-cds\"\n", "id = \"danh-gia-cds\"\naliases = [\"5\"]\n");
    let fixed = site.cli(&["check"]);
    assert!(fixed.status.success(), "{}{}", stdout(&fixed), stderr(&fixed));
}
