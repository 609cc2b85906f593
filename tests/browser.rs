//! Builds the real content, serves it on 127.0.0.1 and runs the browser suite
//! (tests/browser/suite.mjs: axe-core, keyboard, phone, no-JavaScript, print,
//! budgets) in headless Chromium against it.
//!
//! Its own harness (libtest-mimic, `harness = false`): without Chromium,
//! Node or the npm packages the test is *ignored*, so the summary says
//! `1 ignored` with the reason printed above it, rather than counting a
//! skip as a pass. With `CI=true` a missing tool fails the test instead.

mod common;

use common::TempSite;
use common::server::StaticServer;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's Chromium, which `.ci/run` installs; `PLANSITE_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let missing = missing_tools();
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    let test = libtest_mimic::Trial::test("every_page_type_passes_the_browser_suite", move || {
        match (tools(), in_ci) {
            (Ok(tools), _) => every_page_type_passes_the_browser_suite(tools),
            (Err(why), true) => Err(format!("CI=true and {why} (see .ci/run)").into()),
            (Err(why), false) => Err(format!("{why}; it was run with --include-ignored").into()),
        }
    });
    let ignore = !in_ci && !missing.is_empty();
    if ignore && !args.list {
        // Printed before the summary, which then counts the test as ignored.
        eprintln!("skipping the browser suite: {}", missing.join(", "));
    }
    let skip =
        libtest_mimic::Trial::test("without_a_tool_the_suite_is_ignored_outside_ci_and_fails_in_ci", || {
            without_a_tool_the_suite_is_ignored_outside_ci_and_fails_in_ci()
        });
    libtest_mimic::run(&args, vec![test.with_ignored_flag(ignore), skip]).exit_code()
}

/// This harness run again, on the suite alone, with Chromium missing.
fn without_a_tool_the_suite_is_ignored_outside_ci_and_fails_in_ci() -> Result<(), libtest_mimic::Failed> {
    let run = |ci: Option<&str>| -> Result<(Option<i32>, String), libtest_mimic::Failed> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(["--exact", "every_page_type_passes_the_browser_suite", "--color", "never"])
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
        return Err(format!("outside CI the suite should be ignored, exit 0 (got {code:?}):\n{text}").into());
    }
    if !text.contains("skipping the browser suite: Chromium at /nonexistent/chromium") {
        return Err(format!("the reason is not printed:\n{text}").into());
    }
    let (code, text) = run(Some("true"))?;
    if code == Some(0) || !text.contains("CI=true and the browser suite needs: Chromium") {
        return Err(format!("with CI=true a missing Chromium must fail (got {code:?}):\n{text}").into());
    }
    Ok(())
}

fn every_page_type_passes_the_browser_suite(tools: Tools) -> Result<(), libtest_mimic::Failed> {
    let site = TempSite::copy_of_repo();
    site.build().map_err(|e| format!("the real content must build: {e}"))?;
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
    if !output.status.success() {
        return Err(format!("the browser suite failed:\n{report}").into());
    }
    let passed = passed_checks(&report);
    if passed < 100 {
        return Err(format!("the suite ran only {passed} checks:\n{report}").into());
    }
    Ok(())
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

/// Chromium, Node and the suite's npm packages, or what is missing.
fn tools() -> Result<Tools, String> {
    let missing = missing_tools();
    if missing.is_empty() {
        Ok(Tools { chromium: chromium() })
    } else {
        Err(format!("the browser suite needs: {}", missing.join(", ")))
    }
}

/// Debian's Chromium, or the one `PLANSITE_CHROMIUM` names.
fn chromium() -> PathBuf {
    std::env::var_os("PLANSITE_CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

/// What the suite needs and this machine lacks, each with how to get it.
fn missing_tools() -> Vec<String> {
    let chromium = chromium();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium at {} (apt-get update && apt-get install -y chromium)",
            chromium.display()
        ));
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node (Node.js 20 or later)".to_string());
    }
    for package in ["playwright-core", "axe-core"] {
        if !repo.join("node_modules").join(package).join("package.json").is_file() {
            missing.push(format!("node_modules/{package} (npm ci)"));
        }
    }
    missing
}
