//! Builds the real content, serves it on 127.0.0.1 and runs the browser suite
//! (tests/browser/suite.mjs: axe-core, keyboard, phone, no-JavaScript, print,
//! budgets) in headless Chromium against it.

mod common;

use common::TempSite;
use common::server::StaticServer;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's Chromium, which `.ci/run` installs; `PLANSITE_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";

#[test]
fn every_page_type_passes_the_browser_suite() {
    let Some(tools) = tools_or_skip() else { return };
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let screenshots = repo.join("target/screenshots");
    let server = StaticServer::start(site.out());
    let output = Command::new("node")
        .arg(repo.join("tests/browser/suite.mjs"))
        .args(["--base", &server.base_url()])
        .arg("--site")
        .arg(site.out())
        .arg("--screenshots")
        .arg(&screenshots)
        .env("PLANSITE_CHROMIUM", &tools.chromium)
        .current_dir(repo)
        .output()
        .expect("run node");
    drop(server);
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    println!("{report}\nscreenshots: {}", screenshots.display());
    assert!(output.status.success(), "the browser suite failed:\n{report}");
    let passed = passed_checks(&report);
    assert!(passed >= 100, "the suite ran only {passed} checks:\n{report}");
}

/// The number in the suite's closing line, `browser checks: N passed, 0 failed`.
fn passed_checks(report: &str) -> usize {
    report
        .lines()
        .find_map(|l| l.strip_prefix("browser checks: "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

struct Tools {
    chromium: PathBuf,
}

/// Chromium, Node and the suite's npm packages, or `None` (with the reason
/// printed) when one is missing outside CI. In CI a missing tool fails.
fn tools_or_skip() -> Option<Tools> {
    let chromium =
        std::env::var_os("PLANSITE_CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (apt-get install -y chromium)", chromium.display()));
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node (Node.js 20 or later)".to_string());
    }
    for package in ["playwright-core", "axe-core"] {
        if !repo.join("node_modules").join(package).join("package.json").is_file() {
            missing.push(format!("node_modules/{package} (npm ci)"));
        }
    }
    if missing.is_empty() {
        return Some(Tools { chromium });
    }
    let why = format!("the browser suite needs: {}", missing.join(", "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true and {why}");
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = writeln!(std::io::stderr(), "skipping the browser suite: {why}");
    None
}
