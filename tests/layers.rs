//! The crate's stages keep their layers: the output stages (pages, open
//! data, search index, change history) depend on the resolved site and on
//! `web`, never on each other, and only `build` and the serve session know
//! them all. Read from the source, so a new `use` across a layer fails here
//! with the file and line rather than growing a circle of imports.

use std::path::{Path, PathBuf};

const OUTPUT_STAGES: [&str; 4] = ["render", "opendata", "search", "changes"];
const DRIVERS: [&str; 3] = ["build", "session", "serve"];

/// The `.rs` files of a module: `src/<m>.rs` and everything under `src/<m>/`.
fn module_files(m: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let single = src.join(format!("{m}.rs"));
    if single.is_file() {
        files.push(single);
    }
    let dir = src.join(m);
    if dir.is_dir() {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("read src dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    assert!(!files.is_empty(), "module {m} has no source files");
    files
}

/// Every `crate::<module>` a module's non-test code names, with file:line.
fn uses(m: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for file in module_files(m) {
        let text = std::fs::read_to_string(&file).expect("read source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let at = format!("{}:{}", file.display(), n + 1);
                for name in first_segments(&line[i + 7..]) {
                    found.push((name, at.clone()));
                }
            }
        }
    }
    found
}

/// `render::x` → `render`; `{changes, opendata::Records}` → both.
fn first_segments(path: &str) -> Vec<String> {
    let ident =
        |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    match path.strip_prefix('{') {
        Some(group) => {
            let inner = group.split('}').next().unwrap_or_default();
            inner.split(',').map(|p| ident(p.trim())).filter(|n| !n.is_empty()).collect()
        }
        None => vec![ident(path)],
    }
}

fn assert_none_of(m: &str, forbidden: &[&str]) {
    let bad: Vec<String> = uses(m)
        .into_iter()
        .filter(|(name, _)| name != m && forbidden.contains(&name.as_str()))
        .map(|(name, at)| format!("{at}: {m} uses crate::{name}"))
        .collect();
    assert!(bad.is_empty(), "layering broken:\n{}", bad.join("\n"));
}

#[test]
fn output_stages_do_not_depend_on_each_other_or_on_the_drivers() {
    let forbidden: Vec<&str> = OUTPUT_STAGES.iter().chain(&DRIVERS).copied().collect();
    for stage in OUTPUT_STAGES {
        assert_none_of(stage, &forbidden);
    }
}

#[test]
fn the_resolved_site_and_the_shared_home_sit_below_the_output_stages() {
    let forbidden: Vec<&str> = OUTPUT_STAGES.iter().chain(&DRIVERS).copied().collect();
    for low in ["resolve", "scope", "state", "history", "web", "model", "text", "load"] {
        assert_none_of(low, &forbidden);
    }
    // The shared home is the bottom: it names nothing of the site.
    assert_none_of("web", &["resolve", "model", "scope", "state", "history", "load"]);
}

#[test]
fn the_check_sees_a_real_use() {
    // Guards the reader itself: build does use the stages it runs.
    let names: Vec<String> = uses("build").into_iter().map(|(n, _)| n).collect();
    for stage in OUTPUT_STAGES {
        assert!(names.iter().any(|n| n == stage), "build should use {stage}: {names:?}");
    }
}
