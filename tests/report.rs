//! `plansite report template` and `plansite report import` on the real
//! content, through the real binary: the form lists an agency's tasks
//! (inherited ones included) with its drop-down and number validation, a
//! filled XLSX or CSV becomes the documented progress file, every bad row
//! is reported at once with its row and column and nothing is written,
//! and no text from content or from a form can run as a formula.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{TempSite, stderr};
use plansite::report::{Column, HEADER_ROW};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

const PLAN: &str = "hue-2025-03-nq-cp";
/// Took over the Department of Information and Communications'
/// (`hue-so-tttt`) work on 1 March 2025.
const AGENCY: &str = "hue-so-khcn";
const PREDECESSOR: &str = "hue-so-tttt";
/// "Today" for every run: 2026-07-15 (UTC).
const TODAY_EPOCH: &str = "1784073600";

/// Runs the binary in the site with a fixed "today".
fn run(site: &TempSite, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .output()
        .expect("run plansite")
}

fn ok(site: &TempSite, args: &[&str]) -> String {
    let out = run(site, args);
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(site: &TempSite, args: &[&str]) -> String {
    let out = run(site, args);
    assert!(!out.status.success(), "{args:?} should fail; stdout: {}", String::from_utf8_lossy(&out.stdout));
    stderr(&out)
}

fn template(site: &TempSite, out: &Path, extra: &[&str]) {
    let out = out.to_str().expect("path");
    let mut args = vec!["report", "template", "--plan", PLAN, "--agency", AGENCY, "--out", out];
    args.extend(extra);
    ok(site, &args);
}

fn import(site: &TempSite, file: &Path, as_of: &str, extra: &[&str]) -> Output {
    let file = file.to_str().expect("path");
    let mut args = vec!["report", "import", file, "--plan", PLAN, "--as-of", as_of, "--by", AGENCY];
    args.extend(extra);
    run(site, &args)
}

/// The agency's tasks in the plan, worked out from the plan file itself:
/// those naming it or its predecessor as lead or support, in plan order;
/// and those it has only through the predecessor.
fn expected_tasks() -> (Vec<String>, BTreeSet<String>) {
    let site = plansite::load::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("load");
    let plan = site.plans.iter().find(|p| p.id == PLAN).expect("plan");
    let names = |t: &plansite::model::Task, who: &str| t.lead.iter().chain(&t.support).any(|a| a == who);
    let all = plan.tasks.iter().filter(|t| names(t, AGENCY) || names(t, PREDECESSOR)).map(|t| t.id.clone());
    let inherited = plan.tasks.iter().filter(|t| !names(t, AGENCY) && names(t, PREDECESSOR));
    (all.collect(), inherited.map(|t| t.id.clone()).collect())
}

/// Every sheet of a workbook: its name and its cells as text, by row.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open xlsx");
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::String(s) => s.clone(),
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

/// The XML of the form sheet inside the XLSX.
fn form_sheet_xml(path: &Path) -> String {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1"), &mut xml)
        .expect("read");
    xml
}

/// Writes a workbook like one Excel saves after staff filled it: the
/// instructions sheet first (import must find the form by its header, not
/// by position), then the form with `fill` applied (row index → column →
/// value; percents as numbers, as Excel stores them).
/// The sheet's `<dataValidation type="{kind}" …>…</dataValidation>`.
fn validation<'x>(xml: &'x str, kind: &str) -> &'x str {
    let start = xml
        .find(&format!(r#"<dataValidation type="{kind}""#))
        .unwrap_or_else(|| panic!("no {kind} validation"));
    let end = xml[start..].find("</dataValidation>").expect("closed");
    &xml[start..start + end]
}

fn filled_xlsx(path: &Path, form: &[Vec<String>], fill: &[(usize, Column, &str)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Hướng dẫn").expect("name").write_string(0, 0, "…").expect("write");
    let sheet = book.add_worksheet();
    sheet.set_name("Báo cáo").expect("name");
    for (r, row) in form.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("write");
        }
    }
    for (r, column, value) in fill {
        let (r, c) = (*r as u32, column.index() as u16);
        match value.parse::<f64>() {
            Ok(n) if *column == Column::Percent => sheet.write_number(r, c, n),
            _ => sheet.write_string(r, c, *value),
        }
        .expect("fill");
    }
    book.save(path).expect("save");
}

fn task_row(form: &[Vec<String>], id: &str) -> usize {
    form.iter().position(|r| r[0] == id).unwrap_or_else(|| panic!("no row for task {id}"))
}

fn progress(site: &TempSite, as_of: &str) -> toml::Table {
    let text = site.read(&format!("content/progress/{PLAN}/{as_of}-{AGENCY}.toml"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn progress_files(site: &TempSite) -> Vec<String> {
    let dir = site.path("content/progress");
    if !dir.exists() {
        return Vec::new();
    }
    common::tree(&dir).into_keys().collect()
}

/// `[[tasks]]` of a progress file as (task, status, percent, note, evidence).
type Line = (String, String, Option<i64>, Option<String>, Option<String>);
fn lines(report: &toml::Table) -> Vec<Line> {
    let tasks = report["tasks"].as_array().expect("tasks");
    tasks
        .iter()
        .map(|t| {
            let s = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let note = t.get("note").map(|n| n["vi"].as_str().expect("vi").to_string());
            (
                s("task").expect("task"),
                s("status").expect("status"),
                t.get("percent").and_then(|p| p.as_integer()),
                note,
                s("evidence"),
            )
        })
        .collect()
}

#[test]
fn the_xlsx_form_lists_the_agencys_tasks_inherited_ones_included() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.xlsx");
    template(&site, &path, &[]);
    let sheets = sheets(&path);
    assert_eq!(sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["Báo cáo", "Hướng dẫn"]);
    let form = &sheets[0].1;
    assert_eq!(form[0][..2], ["Kế hoạch / Plan".to_string(), PLAN.to_string()]);
    assert_eq!(form[1][..2], ["Cơ quan / Agency".to_string(), AGENCY.to_string()]);
    let header: Vec<&str> = form[HEADER_ROW].iter().map(String::as_str).collect();
    assert_eq!(header[0], "Mã nhiệm vụ");
    assert_eq!(header[Column::Status.index()], "Tình trạng thực hiện");
    assert_eq!(header[Column::Evidence.index()], "Minh chứng (đường dẫn)");

    let (expected, inherited) = expected_tasks();
    let ids: Vec<String> = form[HEADER_ROW + 1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(ids, expected, "the agency's tasks in plan order");
    assert!(!inherited.is_empty() && inherited.iter().all(|t| ids.contains(t)), "inherited {inherited:?}");
    let first_inherited = &form[task_row(form, inherited.first().expect("one"))];
    assert!(
        first_inherited[Column::Lead.index()]
            .contains("Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ")
    );
    for row in &form[HEADER_ROW + 1..] {
        assert!(!row[Column::Title.index()].is_empty(), "every task has its title");
        assert!(row[Column::Status.index()..].iter().all(String::is_empty), "the columns to fill are empty");
    }

    let (first, last) = (HEADER_ROW + 2, HEADER_ROW + 1 + expected.len());
    let xml = form_sheet_xml(&path);
    let status = validation(&xml, "list");
    assert!(status.contains(&format!(r#"sqref="H{first}:H{last}""#)), "on every task row: {status}");
    assert!(
        status.contains(
            "<formula1>\"chưa triển khai,đang thực hiện,đã hoàn thành,không thực hiện\"</formula1>"
        )
    );
    let percent = validation(&xml, "whole");
    assert!(percent.contains(&format!(r#"sqref="I{first}:I{last}""#)), "{percent}");
    assert!(percent.contains("<formula1>0</formula1><formula2>100</formula2>"), "percent 0–100: {percent}");
    assert!(xml.contains(r#"state="frozen""#), "frozen header");
    assert!(xml.contains(r#"<col min="3" max="3" width="60.7109375""#), "a wide title column");

    let again = site.path("again.xlsx");
    template(&site, &again, &[]);
    assert!(
        std::fs::read(&again).expect("read") == std::fs::read(&path).expect("read"),
        "the same bytes each time"
    );

    let instructions = sheets[1].1.concat().join("\n");
    assert!(
        instructions.contains("Cách điền") || instructions.contains("Mỗi dòng là một nhiệm vụ"),
        "{instructions}"
    );
    assert!(instructions.contains("Each row is a task") && instructions.contains("không thực hiện"));
}

#[test]
fn a_filled_xlsx_becomes_the_documented_progress_file() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.xlsx");
    template(&site, &path, &[]);
    let form = sheets(&path).remove(0).1;
    let (expected, inherited) = expected_tasks();
    let (a, b, c) =
        (expected[0].as_str(), inherited.iter().last().expect("inherited").as_str(), expected[2].as_str());
    let filled = site.path("filled.xlsx");
    filled_xlsx(
        &filled,
        &form,
        &[
            (task_row(&form, a), Column::Status, "đang thực hiện"),
            (task_row(&form, a), Column::Percent, "40"),
            (task_row(&form, a), Column::Note, "Đã xây dựng dự thảo \"Kế hoạch\"\nchờ ban hành"),
            (task_row(&form, a), Column::Evidence, "https://hue.gov.vn/bao-cao/123"),
            (task_row(&form, b), Column::Status, "đã hoàn thành"),
            (task_row(&form, b), Column::Percent, "100"),
            (task_row(&form, c), Column::Status, "chưa triển khai"),
        ],
    );
    let out = import(
        &site,
        &filled,
        "2026-06-30",
        &["--document", "Báo cáo số 123/BC-SKHCN", "--url", "https://hue.gov.vn/bc-123"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    let blank = expected.len() - 3;
    assert_eq!(
        summary.trim(),
        format!(
            "wrote content/progress/{PLAN}/2026-06-30-{AGENCY}.toml: 3 tasks (1 done, 1 in progress, 1 not started); {blank} rows left blank"
        )
    );
    let report = progress(&site, "2026-06-30");
    assert_eq!(report["as_of"].to_string(), "2026-06-30", "a TOML date");
    assert!(report["as_of"].is_datetime());
    assert_eq!(report["reported_by"].as_str(), Some(AGENCY));
    assert_eq!(report["document"].as_str(), Some("Báo cáo số 123/BC-SKHCN"));
    assert_eq!(report["url"].as_str(), Some("https://hue.gov.vn/bc-123"));
    let mut want = vec![
        (
            a.to_string(),
            "in_progress".to_string(),
            Some(40),
            Some("Đã xây dựng dự thảo \"Kế hoạch\"\nchờ ban hành".to_string()),
            Some("https://hue.gov.vn/bao-cao/123".to_string()),
        ),
        (b.to_string(), "done".to_string(), Some(100), None, None),
        (c.to_string(), "not_started".to_string(), None, None, None),
    ];
    want.sort_by_key(|l| expected.iter().position(|t| *t == l.0));
    assert_eq!(lines(&report), want, "in plan order");
    assert!(
        report.keys().all(|k| ["as_of", "reported_by", "document", "url", "tasks"].contains(&k.as_str()))
    );
    // The round trip ends in the published site: check passes, and the
    // reported statuses are on the task pages and in the open data.
    ok(&site, &["check"]);
    ok(&site, &["build", "--quiet"]);
    let tasks: serde_json::Value =
        serde_json::from_str(&site.read("public/data/tasks.json")).expect("tasks.json");
    let task = |id: &str| {
        tasks["tasks"]
            .as_array()
            .expect("tasks")
            .iter()
            .find(|t| t["id"] == format!("{PLAN}/{id}"))
            .cloned()
            .expect("task")
    };
    assert_eq!(task(a)["progress"]["status"], "in_progress");
    assert_eq!(task(a)["progress"]["percent"], 40);
    assert_eq!(task(b)["progress"]["status"], "done");
    assert!(matches!(task(b)["state"].as_str(), Some("done" | "done_late")), "{}", task(b)["state"]);
    assert_eq!(task(c)["progress"]["status"], "not_started");
    let page = site.read(&format!("public/vi/plans/{PLAN}/tasks/{a}/index.html"));
    assert!(page.contains("Báo cáo số 123/BC-SKHCN") && page.contains("https://hue.gov.vn/bao-cao/123"));
}

#[test]
fn a_filled_csv_with_a_bom_and_the_words_reports_use_imports_too() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.csv");
    template(&site, &path, &[]);
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut rows = csv_rows(&bytes);
    let (expected, _) = expected_tasks();
    let ids: Vec<&str> = rows[HEADER_ROW + 1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, expected, "same rows as the XLSX form");
    assert!(rows.iter().all(|r| r.len() == Column::ALL.len()), "every row as wide as the header");

    let fill = |rows: &mut Vec<Vec<String>>, id: &str, status: &str, percent: &str| {
        let r = task_row(rows, id);
        rows[r][Column::Status.index()] = status.into();
        rows[r][Column::Percent.index()] = percent.into();
    };
    fill(&mut rows, &expected[0], "đang triển khai", "40%");
    fill(&mut rows, &expected[1], "Dừng", "");
    fill(&mut rows, &expected[2], "in_progress", "75");
    fill(&mut rows, &expected[3], "Đã hoàn thành", "100");
    let filled = site.path("filled.csv");
    write_csv(&filled, &rows, b';');
    let out = import(&site, &filled, "2026-06-30", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 tasks (1 done, 2 in progress, 1 cancelled)"));
    let got: Vec<(String, String, Option<i64>)> =
        lines(&progress(&site, "2026-06-30")).into_iter().map(|l| (l.0, l.1, l.2)).collect();
    let want = [
        (expected[0].clone(), "in_progress".to_string(), Some(40)),
        (expected[1].clone(), "cancelled".to_string(), None),
        (expected[2].clone(), "in_progress".to_string(), Some(75)),
        (expected[3].clone(), "done".to_string(), Some(100)),
    ];
    assert_eq!(got, want);
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect()
}

/// Writes rows as Excel's "CSV UTF-8" does in a locale with `;`.
fn write_csv(path: &Path, rows: &[Vec<String>], delimiter: u8) {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(&mut out);
        rows.iter().for_each(|r| writer.write_record(r).expect("write"));
        writer.flush().expect("flush");
    }
    std::fs::write(path, out).expect("write csv");
}

#[test]
fn every_bad_row_is_listed_with_its_row_and_column_and_nothing_is_written() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.csv");
    template(&site, &path, &[]);
    let mut rows = csv_rows(&std::fs::read(&path).expect("read"));
    let (expected, _) = expected_tasks();
    let set = |rows: &mut Vec<Vec<String>>, i: usize, column: Column, value: &str| {
        rows[HEADER_ROW + 1 + i][column.index()] = value.into();
    };
    set(&mut rows, 0, Column::TaskId, "9999"); // unknown task
    set(&mut rows, 0, Column::Status, "done");
    set(&mut rows, 1, Column::Status, "xong"); // unknown status
    set(&mut rows, 2, Column::Status, "done");
    set(&mut rows, 2, Column::Percent, "40.5"); // not whole
    set(&mut rows, 3, Column::Status, "done");
    set(&mut rows, 3, Column::Percent, "140"); // over 100
    set(&mut rows, 4, Column::Status, "done");
    set(&mut rows, 4, Column::Evidence, "hue.gov.vn/bao-cao"); // not http(s)
    set(&mut rows, 5, Column::Percent, "50"); // no status
    set(&mut rows, 6, Column::Status, "done");
    set(&mut rows, 7, Column::TaskId, &expected[6]); // the same task twice
    set(&mut rows, 7, Column::Status, "in_progress");
    set(&mut rows, 8, Column::Status, "done"); // a good row among bad ones
    let filled = site.path("bad.csv");
    write_csv(&filled, &rows, b',');
    let e = stderr(&import(&site, &filled, "2026-06-30", &[]));
    let row = |i: usize| HEADER_ROW + 2 + i; // 1-based, as the spreadsheet shows it
    for (i, (column, message)) in [
        (0, ("A (Mã nhiệm vụ)", "no task `9999` in plan")),
        (1, ("H (Tình trạng thực hiện)", "`xong` is not a status")),
        (2, ("I (Tỷ lệ hoàn thành (%))", "`40.5` is not a whole number from 0 to 100")),
        (3, ("I (Tỷ lệ hoàn thành (%))", "`140` is not a whole number from 0 to 100")),
        (4, ("K (Minh chứng (đường dẫn))", "`hue.gov.vn/bao-cao` is not a web link")),
        (5, ("H (Tình trạng thực hiện)", "a percent but no status")),
    ] {
        let want = format!("bad.csv, row {}, column {column}: {message}", row(i));
        assert!(e.contains(&want), "missing {want:?} in:\n{e}");
    }
    let twice = format!(
        "row {}, column A (Mã nhiệm vụ): task `{}` is reported twice, in rows {} and {}",
        row(7),
        expected[6],
        row(6),
        row(7)
    );
    assert!(e.contains(&twice), "{e}");
    assert!(
        e.contains("bad.csv has 7 problems; nothing was written:") && e.contains("\n  7. "),
        "numbered: {e}"
    );
    assert!(progress_files(&site).is_empty(), "nothing written");
}

#[test]
fn a_report_is_replaced_only_with_force() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.csv");
    template(&site, &path, &[]);
    let mut rows = csv_rows(&std::fs::read(&path).expect("read"));
    rows[HEADER_ROW + 1][Column::Status.index()] = "in_progress".into();
    write_csv(&path, &rows, b',');
    assert!(import(&site, &path, "2026-06-30", &[]).status.success());
    let before = site.read(&format!("content/progress/{PLAN}/2026-06-30-{AGENCY}.toml"));

    rows[HEADER_ROW + 1][Column::Status.index()] = "done".into();
    write_csv(&path, &rows, b',');
    let e = stderr(&import(&site, &path, "2026-06-30", &[]));
    assert!(e.contains("exists already") && e.contains("--force"), "{e}");
    assert_eq!(site.read(&format!("content/progress/{PLAN}/2026-06-30-{AGENCY}.toml")), before);

    assert!(import(&site, &path, "2026-06-30", &["--force"]).status.success());
    assert_eq!(lines(&progress(&site, "2026-06-30"))[0].1, "done");
    assert_eq!(progress_files(&site), [format!("{PLAN}/2026-06-30-{AGENCY}.toml")], "no temporary file left");

    // The template itself never overwrites a file (a filled form!) either.
    let e = fails(&site, &["report", "template", "--plan", PLAN, "--out", path.to_str().expect("path")]);
    assert!(e.contains("exists already") && e.contains("--force"), "{e}");
}

#[test]
fn the_options_and_the_forms_identity_are_checked_before_anything_is_written() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.csv");
    template(&site, &path, &[]);
    let mut rows = csv_rows(&std::fs::read(&path).expect("read"));
    rows[HEADER_ROW + 1][Column::Status.index()] = "done".into();
    write_csv(&path, &rows, b',');
    let file = path.to_str().expect("path");

    let e = stderr(&import(&site, &path, "2026-07-16", &[]));
    assert!(e.contains("--as-of: 2026-07-16 is in the future (today is 2026-07-15)"), "{e}");
    let e = stderr(&import(&site, &path, "30/06/2026", &[]));
    assert!(e.contains("`30/06/2026` is not a date") && e.contains("YYYY-MM-DD"), "{e}");
    let e = stderr(&import(&site, &path, "2026-06-30", &["--url", "javascript:alert(1)"]));
    assert!(e.contains("--url"), "{e}");
    let e = fails(
        &site,
        &["report", "import", file, "--plan", PLAN, "--as-of", "2026-06-30", "--by", "hue-so-nope"],
    );
    assert!(e.contains("--by: no agency `hue-so-nope`"), "{e}");
    let other = "hue-439-kh-ubnd-2025";
    let e =
        fails(&site, &["report", "import", file, "--plan", other, "--as-of", "2026-06-30", "--by", AGENCY]);
    assert!(
        e.contains(&format!(
            "row 1, column B (Kế hoạch / Plan): this form is for plan `{PLAN}`, not `{other}`"
        )),
        "{e}"
    );
    let e = fails(
        &site,
        &["report", "import", file, "--plan", PLAN, "--as-of", "2026-06-30", "--by", PREDECESSOR],
    );
    assert!(e.contains(&format!("this form is for agency `{AGENCY}`, but --by says `{PREDECESSOR}`")), "{e}");
    assert!(progress_files(&site).is_empty(), "nothing written");
}

#[test]
fn hostile_text_is_neutralised_in_the_form_and_imported_as_text() {
    let site = TempSite::copy_of_repo();
    let hostile = "=HYPERLINK(\"http://evil.example\",\"bấm vào đây\")";
    // A task title in the content that would run as a formula, too.
    site.edit(
        &site.plan_file(),
        "title = { vi = \"Xây dựng, trình UBND",
        "title = { vi = \"@SUM(1+1) Xây dựng, trình UBND",
    );
    let path = site.path("form.csv");
    template(&site, &path, &[]);
    let mut rows = csv_rows(&std::fs::read(&path).expect("read"));
    let first = HEADER_ROW + 1;
    let task = rows[first][0].clone();
    rows[first][Column::Status.index()] = "in_progress".into();
    rows[first][Column::Note.index()] = format!("{hostile}\u{7}");
    write_csv(&path, &rows, b',');
    let out = import(&site, &path, "2025-12-31", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning =
        format!("warning: row {}, column J (Kết quả thực hiện): removed control characters", HEADER_ROW + 2);
    assert!(stderr(&out).contains(&warning), "{}", stderr(&out));
    assert_eq!(lines(&progress(&site, "2025-12-31"))[0].3.as_deref(), Some(hostile), "kept as text");

    // The next form shows what was reported, as text that cannot run.
    let xlsx = site.path("next.xlsx");
    let csv = site.path("next.csv");
    template(&site, &xlsx, &[]);
    template(&site, &csv, &[]);
    let form = sheets(&xlsx).remove(0).1;
    let row = &form[task_row(&form, &task)];
    assert_eq!(row[Column::ReportedNote.index()], format!("'{hostile}"));
    assert_eq!(row[Column::Reported.index()], format!("đang thực hiện (2025-12-31, {AGENCY})"));
    let rows = csv_rows(&std::fs::read(&csv).expect("read"));
    assert_eq!(rows[task_row(&rows, &task)][Column::ReportedNote.index()], format!("'{hostile}"));
    assert!(rows.iter().flatten().any(|c| c.starts_with("'@SUM(1+1) Xây dựng")), "the title as text");
    for cell in rows.iter().flatten().chain(form.iter().flatten()) {
        assert!(
            !cell.starts_with(['=', '+', '@', '\t', '\r']) && !cell.starts_with("-"),
            "formula cell {cell:?}"
        );
    }

    // Copied into the new report, the `'` the form added goes again.
    let mut rows = rows;
    let r = task_row(&rows, &task);
    rows[r][Column::Status.index()] = "done".into();
    rows[r][Column::Note.index()] = rows[r][Column::ReportedNote.index()].clone();
    write_csv(&csv, &rows, b',');
    assert!(import(&site, &csv, "2026-06-30", &[]).status.success());
    assert_eq!(lines(&progress(&site, "2026-06-30"))[0].3.as_deref(), Some(hostile));
}

#[test]
fn an_english_form_reads_back_with_english_labels() {
    let site = TempSite::copy_of_repo();
    let path = site.path("form.xlsx");
    template(&site, &path, &["--lang", "en"]);
    let sheets = sheets(&path);
    assert_eq!(sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["Report", "Instructions"]);
    let form = &sheets[0].1;
    assert_eq!(form[HEADER_ROW][..3], ["Task id".to_string(), "Number".to_string(), "Title".to_string()]);
    let plan = plansite::load::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("load");
    let plan = plan.plans.iter().find(|p| p.id == PLAN).expect("plan").clone();
    let first = &form[HEADER_ROW + 1];
    let task = plan.task(&first[0]).expect("task");
    assert_eq!(Some(first[Column::Title.index()].as_str()), task.title.en.as_deref());
    assert!(
        form_sheet_xml(&path).contains("<formula1>\"not started,in progress,done,cancelled\"</formula1>")
    );

    let filled = site.path("filled.xlsx");
    filled_xlsx(
        &filled,
        form,
        &[(HEADER_ROW + 1, Column::Status, "in progress"), (HEADER_ROW + 1, Column::Percent, "10")],
    );
    assert!(import(&site, &filled, "2026-06-30", &[]).status.success());
    assert_eq!(lines(&progress(&site, "2026-06-30"))[0].1, "in_progress");
}
