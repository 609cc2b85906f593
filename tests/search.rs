//! Search over the real content: the committed query set answered alike by
//! `plansite search` and by the browser client under Node, the expected
//! pages found, filters and hostile input, the search page without
//! JavaScript, and the shared vectors that keep the Rust and JavaScript
//! readers of the index format in step (docs/search.md).
//!
//! Its own harness (libtest-mimic, `harness = false`), as tests/browser.rs:
//! without Node the tests that need it are *ignored*, with the reason
//! printed, rather than passing silently; with `CI=true` they fail.

mod common;

use common::{TempSite, stderr};
use plansite::search::analyzer::{Analyzer, normalize, query_words};
use plansite::search::format::{
    Entry, Postings, Target, decode_postings, decode_shard, encode_postings, encode_shard,
};
use plansite::search::query::{Dir, Options, search, snippet};
use plansite::text::Lang;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn queries() -> Vec<Value> {
    let text = std::fs::read_to_string(repo().join("tests/search/queries.json")).expect("queries.json");
    let set: Value = serde_json::from_str(&text).expect("queries.json is JSON");
    set["queries"].as_array().expect("a list of queries").clone()
}

/// The query text: `q`, repeated `repeat` times.
fn query_text(q: &Value) -> String {
    q["q"].as_str().expect("q").repeat(q["repeat"].as_u64().unwrap_or(1) as usize)
}

fn lang_of(q: &Value) -> &str {
    q["lang"].as_str().unwrap_or("vi")
}

/// `plansite search --json` for one query of the set.
fn cli_hits(site: &TempSite, q: &Value, limit: usize) -> Value {
    let text = query_text(q);
    let limit = limit.to_string();
    let mut args = vec!["search", text.as_str(), "--json", "--limit", &limit, "--lang", lang_of(q)];
    let filters: Vec<(String, String)> = q["filters"]
        .as_object()
        .map(|m| {
            m.iter().map(|(k, v)| (format!("--{k}"), v.to_string().trim_matches('"').to_string())).collect()
        })
        .unwrap_or_default();
    for (k, v) in &filters {
        args.push(k);
        args.push(v);
    }
    let out = site.cli(&args);
    if let Some(error) = q["cli_error"].as_str() {
        // An id the site does not have: the client finds nothing, the CLI
        // says so (docs/cli.md, `plansite search`).
        assert!(!out.status.success() && stderr(&out).contains(error), "{:?}: {}", q["id"], stderr(&out));
        return json!([]);
    }
    assert!(out.status.success(), "plansite search {:?} failed: {}", q["id"], stderr(&out));
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

/// `node` on PATH, if there is one.
fn node_on_path() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("node")).find(|p| p.is_file()))
}

fn run_node(node: &Path, args: &[&Path]) -> String {
    let out = Command::new(node).args(args).output().expect("run node");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "node {args:?} failed:\n{text}\n{}", stderr(&out));
    text
}

fn built() -> TempSite {
    let site = TempSite::copy_of_repo();
    site.build().unwrap_or_else(|e| panic!("the real content must build: {e}"));
    site
}

/// A test that needs Node, given where it is.
type NodeTest = fn(&Path);

fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let plain: [(&'static str, fn()); 9] = [
        ("the_query_set_covers_what_the_issue_asks_for", the_query_set_covers_what_the_issue_asks_for),
        ("the_expected_pages_are_in_the_top_five", the_expected_pages_are_in_the_top_five),
        (
            "every_result_url_resolves_to_its_page_and_anchor",
            every_result_url_resolves_to_its_page_and_anchor,
        ),
        (
            "diacritics_are_optional_and_exact_ones_rank_first",
            diacritics_are_optional_and_exact_ones_rank_first,
        ),
        ("filters_keep_only_what_they_name", filters_keep_only_what_they_name),
        ("hostile_queries_are_answered_safely", hostile_queries_are_answered_safely),
        ("a_site_without_an_index_gets_a_clear_error", a_site_without_an_index_gets_a_clear_error),
        (
            "the_search_page_has_a_form_results_region_and_links_without_javascript",
            the_search_page_has_a_form_results_region_and_links_without_javascript,
        ),
        ("the_rust_side_reproduces_the_shared_vectors", the_rust_side_reproduces_the_shared_vectors),
    ];
    let with_node: [(&'static str, NodeTest); 3] = [
        (
            "the_cli_and_the_browser_client_give_the_same_top_ten",
            the_cli_and_the_browser_client_give_the_same_top_ten,
        ),
        (
            "the_browser_client_reproduces_the_shared_vectors",
            the_browser_client_reproduces_the_shared_vectors,
        ),
        (
            "every_english_word_of_the_site_stems_alike_in_the_client",
            every_english_word_of_the_site_stems_alike_in_the_client,
        ),
    ];
    let node = node_on_path();
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    let ignore = node.is_none() && !in_ci;
    if ignore && !args.list {
        // Printed before the summary, which then counts them as ignored.
        eprintln!("skipping the tests that need Node: node is not on PATH");
    }
    let mut trials: Vec<libtest_mimic::Trial> = plain
        .into_iter()
        .map(|(name, test)| {
            libtest_mimic::Trial::test(name, move || {
                test();
                Ok(())
            })
        })
        .collect();
    for (name, test) in with_node {
        let node = node.clone();
        let trial = libtest_mimic::Trial::test(name, move || match (node, in_ci) {
            (Some(node), _) => {
                test(&node);
                Ok(())
            }
            (None, true) => Err("CI=true and node is not on PATH (see .ci/run)".into()),
            (None, false) => Err("node is not on PATH; it was run with --include-ignored".into()),
        });
        trials.push(trial.with_ignored_flag(ignore));
    }
    trials.push(libtest_mimic::Trial::test(
        "without_node_its_tests_are_ignored_outside_ci_and_fail_in_ci",
        without_node_its_tests_are_ignored_outside_ci_and_fail_in_ci,
    ));
    libtest_mimic::run(&args, trials).exit_code()
}

/// This harness run again, on one test that needs Node, with no `node` on PATH.
fn without_node_its_tests_are_ignored_outside_ci_and_fail_in_ci() -> Result<(), libtest_mimic::Failed> {
    let run = |ci: Option<&str>| -> Result<(Option<i32>, String), libtest_mimic::Failed> {
        let mut command = Command::new(std::env::current_exe()?);
        command
            .args(["--exact", "the_browser_client_reproduces_the_shared_vectors", "--color", "never"])
            .env("PATH", "")
            .env_remove("CI");
        if let Some(ci) = ci {
            command.env("CI", ci);
        }
        let out = command.output()?;
        Ok((out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out))))
    };
    let (code, text) = run(None)?;
    let summary = text.lines().find(|l| l.starts_with("test result:")).unwrap_or_default();
    if code != Some(0) || !summary.contains("0 passed") || !summary.contains("1 ignored") {
        return Err(format!("outside CI the test should be ignored, exit 0 (got {code:?}):\n{text}").into());
    }
    if !text.contains("skipping the tests that need Node: node is not on PATH") {
        return Err(format!("the reason is not printed:\n{text}").into());
    }
    let (code, text) = run(Some("true"))?;
    if code == Some(0) || !text.contains("CI=true and node is not on PATH") {
        return Err(format!("with CI=true a missing node must fail (got {code:?}):\n{text}").into());
    }
    Ok(())
}

fn the_query_set_covers_what_the_issue_asks_for() {
    let set = queries();
    assert!(set.len() >= 40, "{} queries", set.len());
    let kinds: Vec<&str> = set.iter().filter_map(|q| q["kind"].as_str()).collect();
    for needed in ["vi", "no diacritics", "en", "filter", "one letter", "nonsense", "hostile", "10 KB"] {
        assert!(kinds.iter().any(|k| k.contains(needed)), "no query of kind {needed}");
    }
    assert!(set.iter().any(|q| query_text(q).len() >= 10_000), "a 10 KB query");
    assert!(set.iter().any(|q| query_text(q).contains("<script>")), "a <script> query");
}

fn the_cli_and_the_browser_client_give_the_same_top_ten(node: &Path) {
    let site = built();
    let set = queries();
    let output = run_node(
        node,
        &[&repo().join("tests/search/run.mjs"), &site.out(), &repo().join("tests/search/queries.json")],
    );
    let lines: Vec<Value> = output.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), set.len(), "one line per query");
    let mut with_results = 0;
    for (q, js) in set.iter().zip(&lines) {
        let rust = cli_hits(&site, q, 10);
        assert_eq!(js["id"], q["id"]);
        assert_eq!(rust, js["hits"], "query {} ({:?}): the CLI and the client differ", q["id"], q["q"]);
        with_results += usize::from(!rust.as_array().expect("a list").is_empty());
    }
    assert!(with_results >= 30, "only {with_results} queries found anything");
}

fn the_expected_pages_are_in_the_top_five() {
    let site = built();
    let dir = Dir::new(site.out().join("search"));
    for q in queries().iter().filter(|q| q["expect"].is_string()) {
        let lang = if lang_of(q) == "en" { Lang::En } else { Lang::Vi };
        let options = Options { lang, limit: 5, ..Options::default() };
        let results = search(&dir, &query_text(q), &options).expect("search");
        let urls: Vec<&str> = results.hits.iter().map(|h| h.url.as_str()).collect();
        assert!(
            urls.contains(&q["expect"].as_str().expect("url")),
            "{}: {} not in {urls:?}",
            q["id"],
            q["expect"]
        );
    }
}

/// Every result the index can return leads to a page of the built site, and
/// to the exact place on it: indicators to their own row.
fn every_result_url_resolves_to_its_page_and_anchor() {
    let site = built();
    let out = site.out();
    let mut seen = 0;
    let mut indicators = std::collections::BTreeSet::new();
    let mut passages = 0;
    for lang in ["vi", "en"] {
        let fragments = out.join("search").join(lang).join("f");
        for entry in std::fs::read_dir(&fragments).expect("fragments") {
            let rows: Value =
                serde_json::from_slice(&std::fs::read(entry.expect("entry").path()).expect("read"))
                    .expect("json");
            for row in rows.as_array().expect("rows") {
                let url = row[0].as_str().expect("url");
                let page = common::file_for(&out, url);
                let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{url}: {e}"));
                if let Some((_, fragment)) = url.split_once('#') {
                    // A passage: the section's id, then the words a browser scrolls to.
                    let (anchor, text) = fragment.split_once(":~:text=").unwrap_or((fragment, ""));
                    let ids = common::attr_values(&html, "id");
                    assert!(ids.iter().any(|id| id == anchor), "{url}: no element with id `{anchor}`");
                    if !text.is_empty() {
                        let words = percent_decode(text);
                        let first = words.split_whitespace().next().unwrap_or("");
                        assert!(html.contains(first), "{url}: the page lacks the passage's words {words:?}");
                        passages += 1;
                    }
                    if row[2] == "indicator" {
                        assert!(indicators.insert(url.to_string()), "two indicators share {url}");
                    }
                }
                seen += 1;
            }
        }
    }
    assert!(seen > 500, "only {seen} results in the index");
    assert!(indicators.len() > 40, "indicators link to their own rows ({})", indicators.len());
    assert!(passages > 20, "long sections are searched in passages ({passages})");
}

/// `%XX` escapes decoded (UTF-8).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn diacritics_are_optional_and_exact_ones_rank_first() {
    let site = built();
    let dir = Dir::new(site.out().join("search"));
    let top = |q: &str| {
        let r = search(&dir, q, &Options::default()).expect("search");
        r.hits.into_iter().map(|h| (h.url, h.title)).collect::<Vec<_>>()
    };
    assert_eq!(top("dau tu mao hiem"), top("đầu tư mạo hiểm"), "same results with and without marks");
    assert!(top("dau tu mao hiem")[0].1.contains("đầu tư mạo hiểm"));
    // "Hải Dương" has a short title, where a match weighs most; a task
    // with "đường" still comes first.
    let duong = top("đường");
    let hai_duong = duong.iter().position(|(_, t)| t.contains("Hải Dương")).expect("a Hải Dương result");
    assert!(duong[0].1.contains("đường") && hai_duong > 0, "{duong:?}");
    assert!(top("duong").iter().position(|(_, t)| t.contains("Hải Dương")) < Some(hai_duong));
}

fn filters_keep_only_what_they_name() {
    let site = built();
    let dir = Dir::new(site.out().join("search"));
    let run = |o: Options| search(&dir, "khoa học", &Options { limit: 100, ..o }).expect("search");
    let plan = "hue-343-kh-ubnd-2026";
    let r = run(Options { plan: Some(plan.into()), ..Options::default() });
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| h.plan.as_deref() == Some(plan)));
    let r = run(Options { kind: Some("agency".into()), ..Options::default() });
    assert!(
        !r.hits.is_empty() && r.hits.iter().all(|h| h.kind == "agency" && h.url.starts_with("/vi/agencies/"))
    );
    let r =
        run(Options { agency: Some("hue-so-khcn".into()), kind: Some("task".into()), ..Options::default() });
    assert!(r.hits.len() >= 10, "the Department of Science leads or supports many tasks");
    let r = run(Options { year: Some(2026), ..Options::default() });
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| h.kind == "task"), "years come from deadlines");
    let unknown = run(Options { plan: Some("no-such-plan".into()), ..Options::default() });
    assert_eq!(unknown.total, 0);
    let en = search(&dir, "science", &Options { lang: Lang::En, ..Options::default() }).expect("search");
    assert!(!en.hits.is_empty() && en.hits.iter().all(|h| h.url.starts_with("/en/")));
}

fn hostile_queries_are_answered_safely() {
    let site = built();
    for q in queries().iter().filter(|q| q["kind"].as_str().is_some_and(|k| k.contains("hostile"))) {
        let started = std::time::Instant::now();
        let hits = cli_hits(&site, q, 10);
        let text = hits.to_string();
        assert!(!text.contains("<script"), "{}: markup must come back escaped", q["id"]);
        for hit in hits.as_array().expect("a list") {
            let snippet = hit["snippet"].as_str().expect("snippet");
            let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
            assert!(!without_marks.contains('<'), "{}: only <mark> in snippets: {snippet}", q["id"]);
        }
        assert!(started.elapsed().as_secs() < 20, "{} took {:?}", q["id"], started.elapsed());
    }
}

fn a_site_without_an_index_gets_a_clear_error() {
    let site = TempSite::copy_of_repo();
    let out = site.cli(&["search", "khoa học"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("run `plansite build` first"), "{}", stderr(&out));
}

fn the_search_page_has_a_form_results_region_and_links_without_javascript() {
    let site = built();
    for lang in ["vi", "en"] {
        let html = site.read(&format!("public/{lang}/search/index.html"));
        assert!(html.contains(&format!("action=\"/{lang}/search/\" method=\"get\"")), "a plain GET form");
        assert!(html.contains("<label for=\"search-q\">"), "a labelled search box");
        assert!(html.contains("role=\"status\" aria-live=\"polite\""), "a live region for the count");
        assert!(html.contains("<noscript>"), "a message without JavaScript");
        for plan in ["hue-2025-03-nq-cp", "hai-phong-2026-709-qd-ttg"] {
            assert!(html.contains(&format!("href=\"/{lang}/plans/{plan}/\"")), "links to every plan");
        }
        assert!(html.contains(&format!("href=\"/{lang}/agencies/hue-so-y-te/\"")), "links to agencies");
        let home = site.read(&format!("public/{lang}/index.html"));
        assert!(
            home.contains(&format!(
                "<form class=\"header-search\" role=\"search\" action=\"/{lang}/search/\""
            ))
        );
    }
    assert!(site.path("public/search/plansite-search.mjs").is_file());
    assert!(site.path("public/search/plansite-stem.mjs").is_file());
}

// ------------------------------------------------------------ shared vectors

/// Texts whose analysis the vectors fix, per language.
const TEXTS: &[(&str, &str)] = &[
    ("vi", "Đầu tư mạo hiểm"),
    ("vi", "ĐƯỜNG dương Đường đường"),
    ("vi", "khoa học, công  nghệ\tvà\u{a0}đổi mới"),
    ("vi", "Nền tảng Hue-S, 5G và IoT (2025–2030)"),
    ("vi", "Thừa Thiên Hue\u{0302}\u{0301}: ho\u{0323}c tâ\u{0323}p"),
    ("vi", "ﬁ Ⓐ ǅ İstanbul ½ ² ⑴ Σίσυφος 日本語 x\u{200b}y"),
    ("vi", "ngắn aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa dài"),
    ("en", "Planning plans planned; the Planner's plan"),
    ("en", "Investments in Huế's venture-capital funds"),
    ("en", "generously skies dying news only communication organisations"),
    ("vi", "Cổ phần hoá, thuỷ lợi, Uỷ ban, khoẻ mạnh, quý, hóa"),
    ("en", "organization of a data center program; e-commerce start-up"),
];

/// Queries whose analysis the vectors fix (the last word may be a prefix).
const QUERIES: &[(&str, &str)] = &[
    ("vi", "khoa ho"),
    ("vi", "khoa h"),
    ("vi", "chuyển đổi s"),
    ("vi", "khoa học "),
    ("vi", "<script>alert(1)</script>"),
    ("vi", "a"),
    ("vi", "   "),
    ("en", "venture capi"),
    ("vi", "ai chịu trách nhiệm về quỹ đầu tư mạo hiểm"),
    ("vi", "khi nao hoan thanh khu cong nghe cao"),
    ("vi", "không gian số"),
    ("vi", "ve sinh an toan thuc pham"),
    ("vi", "Hue-S và KH&CN"),
    ("vi", "là gì"),
    ("en", "who is in charge of the startup centers"),
];

/// Words whose English stems the vectors fix: Snowball's special cases.
const STEMS: &[&str] = &[
    "skies",
    "skis",
    "dying",
    "lying",
    "tying",
    "news",
    "only",
    "singly",
    "early",
    "gently",
    "ugly",
    "idly",
    "atlas",
    "cosmos",
    "bias",
    "andes",
    "howe",
    "sky",
    "generous",
    "generously",
    "general",
    "generate",
    "generation",
    "communication",
    "community",
    "commune",
    "universe",
    "university",
    "arsenal",
    "emergency",
    "interest",
    "organisation",
    "organization",
    "past",
    "pasted",
    "succeed",
    "proceed",
    "exceed",
    "exceeding",
    "agreed",
    "feed",
    "hoping",
    "hopping",
    "caring",
    "cared",
    "filing",
    "inning",
    "outing",
    "canning",
    "herring",
    "earring",
    "evening",
    "yesterday",
    "fly",
    "flies",
    "flying",
    "cry",
    "crying",
    "saying",
    "yes",
    "ycleped",
    "playy",
    "relational",
    "conditional",
    "rational",
    "valenci",
    "hesitanci",
    "digitizer",
    "conformabli",
    "radicalli",
    "differentli",
    "vileli",
    "analogousli",
    "vietnamization",
    "predication",
    "operator",
    "feudalism",
    "decisiveness",
    "hopefulness",
    "callousness",
    "formaliti",
    "sensitiviti",
    "sensibiliti",
    "triplicate",
    "formative",
    "formalize",
    "electriciti",
    "electrical",
    "hopeful",
    "goodness",
    "revival",
    "allowance",
    "inference",
    "airliner",
    "gyroscopic",
    "adjustable",
    "defensible",
    "irritant",
    "replacement",
    "adjustment",
    "dependent",
    "adoption",
    "homologou",
    "communism",
    "activate",
    "angulariti",
    "homologous",
    "effective",
    "bowdlerize",
    "probate",
    "rate",
    "cease",
    "controll",
    "roll",
    "geology",
    "biology",
    "apology",
    "ecologist",
    "fully",
    "lessly",
    "tly",
    "a",
    "is",
    "ski",
    "5g",
    "2030",
    "x中ing",
    "中ly",
    "naïve",
    "y",
    "yy",
    "ayy",
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn lang(code: &str) -> Lang {
    if code == "en" { Lang::En } else { Lang::Vi }
}

/// Posting lists and dictionary shards the vectors fix.
fn format_cases() -> (Vec<(Postings, bool)>, Vec<Vec<Entry>>) {
    let postings = vec![
        (Postings { docs: vec![3, 90, 1000], impacts: vec![1, 15, 7] }, true),
        (Postings { docs: (10..60).collect(), impacts: (0..50).map(|i| (i % 15 + 1) as u8).collect() }, true),
        (Postings { docs: vec![0], impacts: vec![9] }, true),
        (Postings { docs: vec![5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 40], impacts: vec![] }, false),
        (Postings { docs: vec![200_000, 200_001], impacts: vec![] }, false),
    ];
    let entry = |term: &str, df, scale, target| Entry { term: term.into(), df, scale, target };
    let shards = vec![vec![
        entry(
            "=đường",
            2,
            4095,
            Target::Inline(encode_postings(&Postings { docs: vec![1, 4], impacts: vec![15, 3] })),
        ),
        entry("^planning", 0, 0, Target::Alias("plan".into())),
        entry("hoc", 300, 17, Target::File { file: 12, offset: 1024, len: 700 }),
        entry(
            "hoc tap",
            1,
            1,
            Target::Inline(encode_postings(&Postings { docs: vec![7], impacts: vec![1] })),
        ),
        entry("~khoa hoc", 52, 900, Target::File { file: 0, offset: 0, len: 140 }),
        entry(
            "thanh",
            20_404,
            12,
            Target::Split { head_df: 1024, head: [31, 200, 1580], tail: [32, 0, 11_300] },
        ),
        entry("日本語", 1, 3, Target::Inline(encode_postings(&Postings { docs: vec![2], impacts: vec![8] }))),
    ]];
    (postings, shards)
}

fn entry_json(e: &Entry) -> Value {
    let mut v = json!({ "term": e.term, "df": e.df, "scale": e.scale });
    match &e.target {
        Target::Inline(b) => v["inline"] = json!(hex(b)),
        Target::File { file, offset, len } => {
            v["file"] = json!(file);
            v["offset"] = json!(offset);
            v["len"] = json!(len);
        }
        Target::Alias(to) => v["alias"] = json!(to),
        Target::Split { head_df, head, tail } => {
            v["headDf"] = json!(head_df);
            v["head"] = json!(head);
            v["tail"] = json!(tail);
        }
    }
    v
}

/// What the Rust side computes for every vector.
fn rust_vectors() -> Value {
    let analysis: Vec<Value> = TEXTS
        .iter()
        .map(|(code, text)| {
            let words: Vec<Value> = Analyzer::new(lang(code))
                .tokens(&normalize(text))
                .iter()
                .map(|t| json!([t.exact, t.folded, t.loose, t.joined]))
                .collect();
            json!({ "lang": code, "text": text, "words": words })
        })
        .collect();
    let queries: Vec<Value> = QUERIES
        .iter()
        .map(|(code, q)| {
            let w = query_words(&mut Analyzer::new(lang(code)), q);
            let loose: Vec<&str> = w.words.iter().map(|t| t.loose.as_str()).collect();
            json!({ "lang": code, "query": q, "loose": loose, "prefix": w.prefix })
        })
        .collect();
    let mut en = Analyzer::new(Lang::En);
    let stems: Vec<Value> = STEMS.iter().map(|w| json!([w, en.stem(w)])).collect();
    let (postings, shards) = format_cases();
    let postings: Vec<Value> = postings
        .iter()
        .map(|(p, impacts)| {
            json!({ "bytes": hex(&encode_postings(p)), "df": p.docs.len(), "impacts": impacts,
                    "docs": p.docs, "impact": p.impacts })
        })
        .collect();
    let shards: Vec<Value> = shards
        .iter()
        .map(|s| json!({ "bytes": hex(&encode_shard(s)), "entries": s.iter().map(entry_json).collect::<Vec<_>>() }))
        .collect();
    let long = "Nghiên cứu triển khai quy định về việc thành lập, tổ chức hoạt động của các quỹ đầu tư mạo hiểm \
                cho khởi nghiệp sáng tạo, ươm tạo công nghệ và chuyển đổi số; thí điểm cơ chế <b>&</b> \"mới\".";
    let snippet_cases = [
        ("vi", long, "dau tu mao hiem"),
        ("vi", long, "chuyển đổi s"),
        ("vi", long, "khong co"),
        ("vi", long, "<b>"),
        ("en", "Establish venture-capital funds for innovative start-ups", "fund start"),
        ("en", "Establish venture-capital funds for innovative start-ups", "startup"),
        ("vi", long, "thí điểm cơ chế"),
        ("vi", "Đầu tư hạ tầng Khu Công nghệ cao", "sở y tế"),
        // A syllable of a query phrase is lit only inside the phrase ("quy"
        // of "quy định" is not), unless the text has no phrase of the query.
        ("vi", long, "quỹ đầu tư"),
        ("vi", long, "quy mạo"),
    ];
    let snippets: Vec<Value> = snippet_cases
        .iter()
        .map(|(code, text, q)| {
            let mut a = Analyzer::new(lang(code));
            let words = query_words(&mut a, q);
            let lead = "Sở Khoa học và Công nghệ · Năm 2026";
            let snippet = snippet(&mut a, &normalize(text), lead, &words);
            json!({ "lang": code, "text": text, "query": q, "lead": lead, "snippet": snippet })
        })
        .collect();
    json!({
        "about": "Shared test vectors of docs/search.md: the Rust side (tests/search.rs) and the browser client \
                  (tests/search/vectors.mjs) must both reproduce them. Regenerate with UPDATE_SEARCH_VECTORS=1.",
        "analysis": analysis, "queries": queries, "stems": stems,
        "postings": postings, "shards": shards, "snippets": snippets,
    })
}

fn the_rust_side_reproduces_the_shared_vectors() {
    let path = repo().join("tests/search/vectors.json");
    let computed = rust_vectors();
    if std::env::var("UPDATE_SEARCH_VECTORS").is_ok() {
        let text = serde_json::to_string_pretty(&computed).expect("json") + "\n";
        std::fs::write(&path, text).expect("write vectors.json");
    }
    let committed: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("vectors.json"))
        .expect("vectors.json is JSON");
    for key in ["analysis", "queries", "stems", "postings", "shards", "snippets"] {
        assert_eq!(
            computed[key], committed[key],
            "vectors `{key}` changed; if on purpose, UPDATE_SEARCH_VECTORS=1"
        );
    }
    // The bytes decode back to what they encode.
    let (postings, shards) = format_cases();
    for (p, impacts) in &postings {
        assert_eq!(&decode_postings(&encode_postings(p), p.docs.len(), *impacts).expect("decode"), p);
    }
    for s in &shards {
        assert_eq!(&decode_shard(&encode_shard(s)).expect("decode"), s);
    }
}

fn the_browser_client_reproduces_the_shared_vectors(node: &Path) {
    let site = built();
    let out = run_node(
        node,
        &[&repo().join("tests/search/vectors.mjs"), &site.out(), &repo().join("tests/search/vectors.json")],
    );
    assert!(out.contains("vectors: ") && out.contains(" passed, 0 failed"), "{out}");
}

fn every_english_word_of_the_site_stems_alike_in_the_client(node: &Path) {
    let site = built();
    let loaded = plansite::load::load(site.root()).expect("load");
    let resolved = plansite::resolve::Resolved::new(&loaded);
    let mut words = std::collections::BTreeMap::new();
    let mut en = Analyzer::new(Lang::En);
    for doc in plansite::search::docs::collect(&resolved, Lang::En, "/") {
        for field in &doc.fields {
            for t in en.tokens(&normalize(field)) {
                words.insert(t.folded, t.loose);
            }
        }
    }
    assert!(words.len() > 1000, "{} English words", words.len());
    let list = site.path("stems.json");
    std::fs::write(&list, json!({ "words": words }).to_string()).expect("write stems.json");
    let out = run_node(node, &[&repo().join("tests/search/vectors.mjs"), &site.out(), &list]);
    assert!(out.contains(&format!("stems: {} passed, 0 failed", words.len())), "{out}");
}
