//! The search page in a real browser: headless Chromium, driven over the
//! DevTools protocol by tests/search/browser.mjs, types a query into the
//! search box of the built site, sees the expected result, moves to it with
//! the arrow keys and follows it. Needs Node and Chromium; with CI=true a
//! missing one fails the test.

mod common;

use common::TempSite;
use common::server::StaticServer;
use std::io::Write;
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

#[test]
fn typing_a_query_shows_the_expected_result_and_following_it_opens_the_page() {
    let Some((node, chromium)) = tools() else { return };
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
        let seen = drive(&node, "browser.mjs", &chromium, &[page.as_str(), query, expected]);
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

#[test]
fn the_search_page_keeps_its_state_and_speaks_both_languages() {
    let Some((node, chromium)) = tools() else { return };
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    let server = StaticServer::start(site.out());
    let seen = drive(&node, "page.mjs", &chromium, &[server.base_url().as_str()]);
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
/// `None` with the reason printed; with CI=true a missing tool fails.
fn tools() -> Option<(PathBuf, PathBuf)> {
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
    if let (Some(node), true) = (node, missing.is_empty()) {
        return Some((node, chromium));
    }
    let why = format!("the search page test needs {}", missing.join(" and "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true and {why}");
    let _ = writeln!(std::io::stderr(), "skipping: {why}");
    None
}
