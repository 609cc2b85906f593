//! The search page in a real browser: headless Chromium, driven over the
//! DevTools protocol by tests/search/browser.mjs, types a query into the
//! search box of the built site, sees the expected result, moves to it with
//! the arrow keys and follows it. Needs Node and Chromium.
//!
//! Its own harness (libtest-mimic, `harness = false`), as tests/browser.rs:
//! without Node or Chromium the tests are *ignored*, with the reason
//! printed, rather than passing silently; with `CI=true` they fail.

mod common;

use common::TempSite;
use common::server::StaticServer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a driver of tests/search/ in Chromium and reads its JSON report;
/// a failed run fails the test with what the driver printed.
fn drive(node: &Path, driver: &str, chromium: &Path, args: &[&str]) -> serde_json::Value {
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search").join(driver);
    let out = Command::new(node).arg(driver).arg(chromium).args(args).output().expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser run failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).expect("a JSON report")
}

/// A test that needs Node and Chromium, given where they are.
type BrowserTest = fn(&Path, &Path);

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let tests: [(&'static str, BrowserTest); 2] = [
        (
            "typing_a_query_shows_the_expected_result_and_following_it_opens_the_page",
            typing_a_query_shows_the_expected_result_and_following_it_opens_the_page,
        ),
        (
            "the_search_page_keeps_its_state_and_speaks_both_languages",
            the_search_page_keeps_its_state_and_speaks_both_languages,
        ),
    ];
    let found = tools();
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    let ignore = found.is_err() && !in_ci;
    if let (Err(why), true) = (&found, ignore && !args.list) {
        // Printed before the summary, which then counts the tests as ignored.
        eprintln!("skipping the search page tests: {why}");
    }
    let mut trials: Vec<libtest_mimic::Trial> = tests
        .into_iter()
        .map(|(name, test)| {
            let found = found.clone();
            libtest_mimic::Trial::test(name, move || match (found, in_ci) {
                (Ok((node, chromium)), _) => {
                    test(&node, &chromium);
                    Ok(())
                }
                (Err(why), true) => Err(format!("CI=true and {why} (see .ci/run)").into()),
                (Err(why), false) => Err(format!("{why}; it was run with --include-ignored").into()),
            })
            .with_ignored_flag(ignore)
        })
        .collect();
    trials.push(libtest_mimic::Trial::test(
        "without_chromium_the_tests_are_ignored_outside_ci_and_fail_in_ci",
        without_chromium_the_tests_are_ignored_outside_ci_and_fail_in_ci,
    ));
    libtest_mimic::run(&args, trials).exit_code()
}

/// This harness run again, on one test, with Chromium missing.
fn without_chromium_the_tests_are_ignored_outside_ci_and_fail_in_ci() -> Result<(), libtest_mimic::Failed> {
    let run = |ci: Option<&str>| -> Result<(Option<i32>, String), libtest_mimic::Failed> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args([
                "--exact",
                "the_search_page_keeps_its_state_and_speaks_both_languages",
                "--color",
                "never",
            ])
            .env("PLANSITE_CHROMIUM", "/nonexistent/chromium")
            .env_remove("CI");
        if let Some(ci) = ci {
            command.env("CI", ci);
        }
        let out = command.output()?;
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        Ok((out.status.code(), text))
    };
    let (code, text) = run(None)?;
    let summary = text.lines().find(|l| l.starts_with("test result:")).unwrap_or_default();
    if code != Some(0) || !summary.contains("0 passed") || !summary.contains("1 ignored") {
        return Err(format!("outside CI the test should be ignored, exit 0 (got {code:?}):\n{text}").into());
    }
    if !text.contains(
        "skipping the search page tests: the search page test needs Chromium at /nonexistent/chromium",
    ) {
        return Err(format!("the reason is not printed:\n{text}").into());
    }
    let (code, text) = run(Some("true"))?;
    if code == Some(0) || !text.contains("CI=true and the search page test needs Chromium") {
        return Err(format!("with CI=true a missing Chromium must fail (got {code:?}):\n{text}").into());
    }
    Ok(())
}

fn typing_a_query_shows_the_expected_result_and_following_it_opens_the_page(node: &Path, chromium: &Path) {
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    let server = StaticServer::start(site.out());
    let cases = [
        // Typed without diacritics; the second result, reached with ↓ ↓.
        ("vi", "dau tu mao hiem", "/vi/plans/hue-2025-03-nq-cp/tasks/16/", "quỹ đầu tư mạo hiểm"),
        ("en", "venture capital", "/en/plans/hai-phong-2026-709-qd-ttg/tasks/3-12/", "Venture Capital Fund"),
    ];
    for (lang, query, expected, heading) in cases {
        let page = format!("{}{lang}/search/", server.base_url());
        let seen = drive(node, "browser.mjs", chromium, &[page.as_str(), query, expected]);
        assert_eq!(seen["landed"], expected, "{seen}");
        assert_eq!(seen["focused"], expected, "the arrow keys reach the result: {seen}");
        let h1 = seen["h1"].as_str().unwrap_or("");
        assert!(h1.to_lowercase().contains(&heading.to_lowercase()), "{h1}");
        assert!(seen["marks"].as_u64().unwrap_or(0) > 0, "matches are highlighted: {seen}");
        let status = seen["status"].as_str().unwrap_or("");
        assert!(status.contains(query), "the live region announces the count: {status}");
        assert_eq!(seen["live"], "polite");
        let url = seen["url"].as_str().unwrap_or("");
        assert!(url.starts_with(&format!("/{lang}/search/?q=")), "the query is kept in the URL: {url}");
    }
}

fn the_search_page_keeps_its_state_and_speaks_both_languages(node: &Path, chromium: &Path) {
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    let server = StaticServer::start(site.out());
    let seen = drive(node, "page.mjs", chromium, &[server.base_url().as_str()]);
    // One letter that finds nothing yet: neither a count nor "no results".
    assert_eq!(seen["oneLetter"]["status"], "", "{seen}");
    assert_eq!(seen["oneLetter"]["none"], false, "{seen}");
    // Each result's meta line names its place; a draft plan's tasks say so.
    let meta = seen["meta"].as_array().expect("results");
    for hit in meta {
        let line = hit["meta"].as_str().unwrap_or("");
        assert!(line.starts_with("Thành phố Huế") || line.starts_with("Thành phố Hải Phòng"), "{hit}");
        let draft_plan = hit["href"].as_str().unwrap_or("").contains("hai-phong-2026-709-qd-ttg");
        assert_eq!(hit["draft"], draft_plan, "{hit}");
    }
    assert!(meta.iter().any(|h| h["state"].is_string()), "task results carry their state: {seen}");
    // The header's language switch keeps the query.
    assert!(seen["switchHref"].as_str().unwrap_or("").starts_with("/en/search/?q="), "{seen}");
    // Vietnamese typed on an English page searches the Vietnamese pages, and says so.
    let english = &seen["english"];
    assert!(english["first"].as_str().unwrap_or("").starts_with("/vi/"), "{english}");
    assert!(english["status"].as_str().unwrap_or("").contains("Vietnamese pages"), "{english}");
    // "Show more" is in the URL and survives Back.
    assert!(seen["moreUrl"].as_str().unwrap_or("").contains("limit=40"), "{seen}");
    assert_eq!(seen["afterBack"]["again"], seen["afterBack"]["shown"], "{seen}");
    // On a phone the filters wait behind a disclosure that counts them.
    assert_eq!(seen["phone"]["open"], false, "{seen}");
    assert_eq!(seen["phone"]["summary"], "Lọc (1)", "{seen}");
}

/// Node and Chromium (`PLANSITE_CHROMIUM`, else /usr/bin/chromium), or
/// what is missing, with how to get it.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("PLANSITE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let node = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("node")).find(|p| p.is_file()));
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (apt-get install -y chromium)", chromium.display()));
    }
    if node.is_none() {
        missing.push("node".to_string());
    }
    match node {
        Some(node) if missing.is_empty() => Ok((node, chromium)),
        _ => Err(format!("the search page test needs {}", missing.join(" and "))),
    }
}
