//! Plans from provinces the registry does not know yet (issue 12): the
//! openings of five real plans as legal-document sites publish them
//! (tests/import/headers/, with the facts a correct import gives in
//! expected.json) import with the right number, date, jurisdiction,
//! issuer, title and implemented documents; an unknown province's error
//! says how to start its registry, `--new-registry` starts it and the plan
//! goes on to a `check`-clean build; a `--jurisdiction` the printed place
//! contradicts is refused unless forced; task tables in the layouts the
//! seeds lack come out with their roles and extra columns.

mod common;

use common::{TempSite, stderr};
use plansite::import::{Imported, Options, Registry, import};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn headers() -> PathBuf {
    repo().join("tests/import/headers")
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::load(repo()).expect("registry"));

fn expected() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(headers().join("expected.json")).expect("expected.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["documents"].as_array().expect("documents").clone()
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

/// The title a reviewer writes: expected.json sometimes explains it in brackets.
fn reviewed_title(doc: &serde_json::Value) -> String {
    let t = doc["title_vi"].as_str().expect("title");
    match t.split_once("(a reviewer would write '") {
        Some((_, rest)) => rest.trim_end_matches("')").to_string(),
        None => t.to_string(),
    }
}

fn slug(place: &str) -> String {
    plansite::import::new_registry::slug_of(place)
}

/// Imports a header fixture: against the registry when its place has one,
/// else (after checking the refusal) with `--new-registry`.
fn import_header(doc: &serde_json::Value) -> Imported {
    let file = doc["file"].as_str().expect("file");
    let bytes = std::fs::read(headers().join(file)).expect("fixture");
    let place = doc["place"].as_str().expect("place");
    match import(&bytes, &Options::new(&REGISTRY)) {
        Ok(i) => i,
        Err(e) => {
            let id = slug(place);
            assert!(e.message.contains(place), "{file}: the error names the place: {e}");
            let hint = e.hint.clone().unwrap_or_default();
            assert!(hint.contains(&format!("--new-registry {id}")), "{file}: {hint}");
            let opts = Options { new_registry: Some(id), ..Options::new(&REGISTRY) };
            import(&bytes, &opts).unwrap_or_else(|e| panic!("{file}: {e}"))
        }
    }
}

#[test]
fn five_real_headers_give_the_facts_a_reviewer_records() {
    for doc in expected() {
        let file = doc["file"].as_str().expect("file");
        let i = import_header(&doc);
        let p = &i.plan;
        assert_eq!(p.number.as_deref(), doc["number"].as_str(), "{file}: number");
        assert_eq!(p.date.as_deref(), doc["date"].as_str(), "{file}: date");
        assert_eq!(p.issuer, doc["issuer"].as_str().expect("issuer"), "{file}: issuer");
        assert_eq!(p.title, reviewed_title(&doc), "{file}: title");
        assert_eq!(p.year.map(i64::from), doc["year"].as_i64(), "{file}: year");
        let place = doc["place"].as_str().expect("place");
        match doc.get("expected_id").and_then(|v| v.as_str()) {
            Some(id) => assert_eq!(i.id, id, "{file}: plan id"),
            None => {
                assert_eq!(p.jurisdiction, slug(place), "{file}: jurisdiction");
                let (_, registry) = i.registry.as_ref().expect("a registry is started");
                assert!(registry.contains(place), "{file}: {registry}");
            }
        }
        // The report says which jurisdiction and why, first.
        let shown = i.report.to_string();
        assert!(shown.starts_with("  number:"), "{file}: the metadata comes first:\n{shown}");
        assert!(
            i.report.meta.jurisdiction_reason.contains(place),
            "{file}: {}",
            i.report.meta.jurisdiction_reason
        );
        // Implemented documents: every required one, nothing wrong.
        let required =
            doc.get("implements_minimum").map(strings).unwrap_or_else(|| strings(&doc["implements"]));
        for r in &required {
            assert!(p.implements.contains(r), "{file}: {r} missing from {:?}", p.implements);
        }
        let mut accepted = strings(&doc["implements"]);
        accepted.extend(strings(&doc["also_cited"]));
        for r in &p.implements {
            assert!(accepted.contains(r), "{file}: {r} is not a document it implements");
        }
        for bad in strings(&doc["must_not_include"]) {
            assert!(!p.implements.contains(&bad), "{file}: {bad}");
        }
        // Site furniture is no task, indicator or table; no signer is invented.
        assert_eq!(p.tasks.len() as u64, doc["tasks_in_text"].as_u64().expect("tasks"), "{file}: tasks");
        assert!(p.indicators.is_empty(), "{file}");
        assert!(p.signer.is_none(), "{file}: signer {:?}", p.signer);
        assert!(!i.toml().contains('|'), "{file}: a table pipe leaked:\n{}", i.toml());
        // The plan loads, with the registry it starts.
        let rel = PathBuf::from(format!("content/plans/{}.toml", i.id));
        i.checked_toml(repo(), &rel).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    }
}

#[test]
fn the_sites_metadata_table_signer_is_reported_not_taken() {
    let doc = expected().into_iter().find(|d| d["file"] == "nghe-an-348-2025.txt").expect("nghệ an");
    let i = import_header(&doc);
    assert!(i.plan.signer.is_none());
    assert!(
        i.report
            .unsure
            .iter()
            .any(|u| u.message.contains("Bùi Đình Long") && u.message.contains("metadata table")),
        "{:?}",
        i.report.unsure
    );
}

#[test]
fn a_jurisdiction_the_printed_place_contradicts_needs_force() {
    let bytes = std::fs::read(headers().join("hai-phong-238-2025.txt")).expect("fixture");
    let wrong = Options { jurisdiction: Some("hue".into()), ..Options::new(&REGISTRY) };
    let e = import(&bytes, &wrong).expect_err("Hải Phòng is not Huế");
    assert!(e.message.contains("contradicts") && e.message.contains("Hải Phòng"), "{e}");
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("--force")), "{e}");
    let forced = import(&bytes, &Options { force: true, ..wrong }).expect("forced");
    assert_eq!(forced.plan.jurisdiction, "hue");
    assert!(forced.report.unsure.iter().any(|u| u.message.contains("--force")), "{:?}", forced.report.unsure);
}

#[test]
fn a_place_on_two_lines_wins_over_the_place_named_most() {
    // Huế is named three times in the body, the printed place is Hải Phòng.
    let doc = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\n|\nSố: 5/KH-UBND\n|\nHải Phòng,\nngày 4 tháng 5 năm 2026\n|\nKẾ HOẠCH\nHỢP TÁC VỚI THÀNH PHỐ HUẾ\nVỀ DU LỊCH NĂM 2026\nThực hiện chương trình hợp tác với thành phố Huế, Huế và Hải Phòng cùng phát triển du lịch Huế.\nI. MỤC TIÊU\n1. Tăng lượng khách.\n";
    let i = import(doc.as_bytes(), &Options::new(&REGISTRY)).expect("import");
    assert_eq!(i.plan.jurisdiction, "hai-phong");
    assert_eq!(i.plan.date.as_deref(), Some("2026-05-04"));
    assert_eq!(i.plan.title, "Kế hoạch hợp tác với thành phố Huế về du lịch năm 2026");
    assert!(i.report.meta.jurisdiction_reason.contains("(line 6)"), "{}", i.report.meta.jurisdiction_reason);
}

#[test]
fn a_title_cut_short_and_a_refusal_that_says_what_it_found() {
    let cut = "Số: 8/KH-UBND\nHuế, ngày 1 tháng 2 năm 2026\nKẾ HOẠCH\nTRIỂN KHAI CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ CỦA\n\nCăn cứ Quyết định số 749/QĐ-TTg;\nI. MỤC TIÊU\n1. Một.\n";
    let i = import(cut.as_bytes(), &Options::new(&REGISTRY)).expect("import");
    assert!(
        i.report.unsure.iter().any(|u| u.line == 4 && u.message.contains("“của”")),
        "{:?}",
        i.report.unsure
    );
    let prose = "Thông báo\nI. Lịch họp\nHọp vào thứ Hai.\n";
    let e = import(prose.as_bytes(), &Options::new(&REGISTRY)).expect_err("not a plan");
    for what in ["no “KẾ HOẠCH” heading", "no “Số: …/KH-…” number", "1 Roman-numbered section (first: line 2"]
    {
        assert!(e.message.contains(what), "{what}: {e}");
    }
    // A first section of legal bases is a plan's too.
    let bases = "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ NĂM 2026\nI. CĂN CỨ PHÁP LÝ\n- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;\n- Tờ trình số 12/TTr-SKHCN của Sở Khoa học và Công nghệ;\n";
    let opts = Options { jurisdiction: Some("hue".into()), ..Options::new(&REGISTRY) };
    let i = import(bases.as_bytes(), &opts).expect("a plan");
    assert_eq!(i.plan.implements, vec!["57-NQ/TW"]);
}

fn fixture(name: &str) -> Imported {
    let bytes = std::fs::read(repo().join("tests/import/fixtures").join(name)).expect("fixture");
    import(&bytes, &Options::new(&REGISTRY)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn task<'a>(i: &'a Imported, id: &str) -> &'a plansite::import::Task {
    i.plan.tasks.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no task {id}"))
}

#[test]
fn cells_wrapped_by_word_and_markdown_and_roles_in_one_cell() {
    let w = fixture("word_multiline_cells.txt");
    assert_eq!(w.plan.tasks.len(), 4, "three rows and the section's own paragraph");
    let section = w.plan.tasks.iter().find(|t| t.line == 18).expect("the paragraph of section III");
    assert_eq!(section.lead, vec!["hue-cac-so-nganh-dia-phuong"]);
    let one = task(&w, "1");
    assert_eq!(one.title, "Xây dựng cơ sở dữ liệu quy hoạch đô thị dùng chung");
    assert_eq!(one.lead, vec!["hue-so-xay-dung"]);
    assert_eq!(one.support, vec!["hue-so-nnmt", "hue-ubnd-cap-xa"]);
    assert_eq!(
        one.detail.as_deref(),
        Some("Số hóa hồ sơ, kết nối cơ sở dữ liệu hiện có"),
        "a “Phương pháp” column"
    );
    assert_eq!(one.deadline.as_deref(), Some("Quý III/2026"));
    assert_eq!(task(&w, "3").detail, None, "an empty method cell stays empty");

    let m = fixture("markdown_wrapped_assignments.md");
    assert_eq!(m.plan.tasks.len(), 3, "two rows and the section's own paragraph");
    let two = task(&m, "2");
    assert_eq!(
        two.title,
        "Tích hợp thanh toán trực tuyến vào các dịch vụ công có phí, lệ phí trên Cổng dịch vụ công"
    );
    assert_eq!(
        (two.lead.clone(), two.support.clone()),
        (vec!["hp-so-tai-chinh".into()], vec!["hp-so-khcn".into()])
    );
    let one = task(&m, "1");
    assert_eq!(one.note.as_deref(), Some("Nguồn lực: Ngân sách thành phố"), "a “Nguồn lực” column");
    assert_eq!(one.deadline.as_deref(), Some("Quý II/2026"), "a “Tiến độ” column");
}

#[test]
fn a_plan_from_a_new_province_goes_from_text_to_a_check_clean_site() {
    let site = TempSite::copy_of_repo();
    let rel = "seeds/new_province_roles_in_one_cell.txt";
    let text =
        std::fs::read_to_string(repo().join("tests/import/fixtures/new_province_roles_in_one_cell.txt"));
    site.write(rel, &text.expect("fixture"));
    let path = site.path(rel);
    let doc = path.to_str().expect("path");
    // Without a registry: refused, saying what to do.
    let out = site.cli(&["import", doc]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--new-registry bac-ninh"), "{}", stderr(&out));
    // With one started from the document: both files written.
    let out = site.cli(&["import", doc, "--new-registry", "bac-ninh"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let registry = site.read("content/agencies/bac-ninh.toml");
    let v: toml::Value = toml::from_str(&registry).expect("registry TOML");
    assert_eq!(v["jurisdiction"]["name"]["vi"].as_str(), Some("Tỉnh Bắc Ninh"));
    let names: Vec<&str> =
        v["agencies"].as_array().expect("agencies").iter().filter_map(|a| a["name"]["vi"].as_str()).collect();
    for n in [
        "Sở Công Thương",
        "Sở Tài chính",
        "Sở Khoa học và Công nghệ",
        "Sở Nông nghiệp và Môi trường",
        "Hiệp hội Doanh nghiệp tỉnh",
        "Liên minh Hợp tác xã tỉnh",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(registry.contains("# guessed from the name: review"), "{registry}");
    assert!(
        v["groups"].as_array().is_some_and(|g| g
            .iter()
            .any(|g| g["name"]["vi"].as_str() == Some("Ủy ban nhân dân các xã, phường"))),
        "{registry}"
    );
    let plan: toml::Value =
        toml::from_str(&site.read("content/plans/bac-ninh-57-kh-ubnd-2026.toml")).expect("plan");
    let tasks = plan["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 6, "3 table rows and 3 block items");
    let first = tasks.iter().find(|t| t["line"].as_integer() == Some(23)).expect("row 1");
    assert_eq!(first["lead"].as_array().map(Vec::len), Some(1));
    assert_eq!(first["support"].as_array().map(Vec::len), Some(2));
    assert!(tasks.iter().all(|t| t.get("unresolved").is_none()));
    // The site builds and checks clean.
    let out = site.cli(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = site.cli(&["check"]);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(site.path("public/vi/plans/bac-ninh-57-kh-ubnd-2026/index.html").exists());
}

#[test]
fn check_refuses_a_task_that_keeps_an_unresolved_name() {
    let site = TempSite::copy_of_repo();
    let rel = "seeds/unknown.txt";
    let path = site.path(rel);
    let doc = path.to_str().expect("path");
    site.write(rel, "Số: 9/KH-UBND\nHuế, ngày 3 tháng 3 năm 2026\nKẾ HOẠCH\nThử nghiệm dữ liệu lao động\nI. NHIỆM VỤ, GIẢI PHÁP\n1. Dữ liệu\n- Sở Lao động, Thương binh và Xã hội chủ trì rà soát dữ liệu người lao động.\n");
    let out = site.cli(&["import", doc]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("unresolved names (1)") && report.contains("# seen as lead on line 7"),
        "{report}"
    );
    let out = site.cli(&["check"]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("[unresolved-agency]") && stdout.contains("Sở Lao động, Thương binh và Xã hội"),
        "{stdout}"
    );
    // --json prints the same report for tools.
    let out = site.cli(&["import", doc, "--dry-run", "--json", "--force"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let r = &v["imports"][0]["report"];
    assert_eq!(r["meta"]["number"], "9/KH-UBND");
    assert!(r["unknown"].as_object().is_some_and(|u| u.len() == 1), "{r}");
}

/// The repository's registries with one jurisdiction's agencies and groups
/// taken out: what an import meets in a province whose registry is new.
fn registry_without(jurisdiction: &str) -> Registry {
    let dir = repo().join("content/agencies");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("registry folder") {
        let path = entry.expect("entry").path();
        let id = path.file_stem().expect("stem").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("registry file");
        let text =
            if id == jurisdiction { text.split("\n[[").next().unwrap_or("").to_string() } else { text };
        files.push((id, text));
    }
    files.sort();
    Registry::from_files(&files).expect("registry")
}

#[test]
fn no_seed_loses_a_task_when_its_registry_lacks_every_agency() {
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(repo().join("seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    for path in seeds {
        let bytes = std::fs::read(&path).expect("seed");
        let full = import(&bytes, &Options::new(&REGISTRY)).expect("import");
        let empty = registry_without(&full.plan.jurisdiction);
        let bare = import(&bytes, &Options::new(&empty)).expect("import against an empty registry");
        let name = path.display();
        let lines = |i: &Imported| i.plan.tasks.iter().map(|t| t.line).collect::<Vec<_>>();
        assert_eq!(lines(&bare), lines(&full), "{name}: the same tasks, at the same lines");
        // Every assignment the full registry resolves is kept as a name.
        for (t, f) in bare.plan.tasks.iter().zip(&full.plan.tasks) {
            let local = |ids: &[String]| ids.iter().any(|id| !id.starts_with("vn-"));
            if local(&f.lead) || local(&f.support) {
                assert!(!t.unresolved.is_empty(), "{name}: task {} (line {}) kept no name", t.id, t.line);
            }
        }
        // The report's list holds every name the tasks keep, once.
        let listed: Vec<&String> = bare.report.unknown.values().flat_map(|u| &u.spellings).collect();
        for t in &bare.plan.tasks {
            for u in &t.unresolved {
                assert!(
                    listed.contains(&u),
                    "{name}: “{u}” (task {}) is missing from the report's list",
                    t.id
                );
            }
        }
        let keys: std::collections::BTreeSet<&String> = bare.report.unknown.keys().collect();
        assert_eq!(keys.len(), bare.report.unknown.len());
    }
}

#[test]
fn headers_in_tab_cells_one_line_bodies_and_abbreviated_places() {
    // A Word table exported as tabs; "TP." before the place.
    let tabs = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTHÀNH PHỐ HỒ CHÍ MINH\tĐộc lập - Tự do - Hạnh phúc\nSố: 1234/KH-UBND\tTP. Hồ Chí Minh, ngày 10 tháng 4 năm 2026\nKẾ HOẠCH\nPhát triển kinh tế số năm 2026\nI. MỤC TIÊU\n1. Tăng tỷ trọng kinh tế số.\n";
    let e = import(tabs.as_bytes(), &Options::new(&REGISTRY)).expect_err("no registry for the city");
    assert!(e.message.contains("“Hồ Chí Minh”") && e.line == Some(3), "{e}");
    let opts = Options { new_registry: Some("ho-chi-minh".into()), ..Options::new(&REGISTRY) };
    let i = import(tabs.as_bytes(), &opts).expect("import");
    assert_eq!(
        (i.plan.number.as_deref(), i.plan.date.as_deref()),
        (Some("1234/KH-UBND"), Some("2026-04-10"))
    );
    assert_eq!(i.plan.issuer, "Ủy ban nhân dân thành phố Hồ Chí Minh");
    let (_, registry) = i.registry.as_ref().expect("registry");
    assert!(registry.contains("name = { vi = \"Thành phố Hồ Chí Minh\" }"), "{registry}");
    // The body's name and level on one line, the title in capitals over two.
    let one = "UBND TỈNH QUẢNG NINH\nSố: 88/KH-UBND\nQuảng Ninh, ngày 05 tháng 03 năm 2026\nKẾ HOẠCH\nỨNG DỤNG TRÍ TUỆ NHÂN TẠO TRONG\nQUẢN LÝ NHÀ NƯỚC TỈNH QUẢNG NINH NĂM 2026\nCăn cứ Quyết định số 127/QĐ-TTg ngày 26/01/2021 của Thủ tướng Chính phủ;\nI. MỤC TIÊU\n1. Một mục tiêu.\n";
    let opts = Options { new_registry: Some("quang-ninh".into()), ..Options::new(&REGISTRY) };
    let i = import(one.as_bytes(), &opts).expect("import");
    assert_eq!(
        i.plan.title,
        "Kế hoạch ứng dụng trí tuệ nhân tạo trong quản lý nhà nước tỉnh Quảng Ninh năm 2026"
    );
    assert_eq!(i.plan.issuer, "Ủy ban nhân dân tỉnh Quảng Ninh");
    assert_eq!(i.plan.implements, vec!["127/QĐ-TTg"]);
    let (_, registry) = i.registry.as_ref().expect("registry");
    assert!(registry.contains("name = { vi = \"Tỉnh Quảng Ninh\" }"), "{registry}");
}
