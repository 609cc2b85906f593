//! Appendix tables in the shapes converters leave them in, read into one
//! form (columns named by meaning, rows of cells):
//!
//! - **tabs**: one row per line, cells separated by tabs; a line starting
//!   with a tab continues the row above, cell by cell; cells may hold HTML;
//! - **pipes**: a Markdown table;
//! - **flat**: one cell per line, rows starting at their number, with empty
//!   cells simply missing — the cells present are placed by what they hold;
//! - **pdf**: rows whose columns run together on one line ("… Tháng 1-12
//!   Sở KHCN Các sở, ngành …"), split by the deadline and the agency names.

use super::agencies::{Names, Scope};
use super::lines::{clean, join};
use super::patterns::{DEADLINE_IN_TEXT, ROMAN, is_deadline, next_letter, roman_value};
use crate::text::fold;
use regex::Regex;
use std::sync::LazyLock;

/// How a table arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Tabs,
    Pipes,
    Flat,
    Pdf,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Layout::Tabs => "tab-separated",
            Layout::Pipes => "Markdown table",
            Layout::Flat => "flattened, one cell per line",
            Layout::Pdf => "PDF text, columns run together",
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Number,
    Title,
    Detail,
    Lead,
    Support,
    Output,
    Deadline,
    Note,
    Unit,
    Target,
    Monitor,
    /// Who does it, both roles in one cell ("Chủ trì: X. Phối hợp: Y").
    Assign,
    /// Means the task needs ("Nguồn lực", "Kinh phí"): kept in the note.
    Resources,
    Other,
}

/// What a table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Tasks,
    Indicators,
    Plain,
}

/// A row: its number as printed and a cell per column ("" when empty).
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub number: String,
    pub cells: Vec<String>,
    /// A group row (Roman numeral, or a title with no other cell).
    pub group: bool,
    /// How missing cells were placed, for the report.
    pub guess: Option<String>,
}

/// A table read from the document.
#[derive(Debug, Clone)]
pub struct Table {
    pub layout: Layout,
    /// 1-based lines: the header's first and the table's last.
    pub first: usize,
    pub last: usize,
    pub columns: Vec<Col>,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn col(&self, c: Col) -> Option<usize> {
        self.columns.iter().position(|&x| x == c)
    }

    pub fn purpose(&self) -> Purpose {
        if self.col(Col::Lead).is_some() || self.col(Col::Assign).is_some() {
            Purpose::Tasks
        } else if self.col(Col::Unit).is_some() || self.col(Col::Monitor).is_some() {
            Purpose::Indicators
        } else {
            Purpose::Plain
        }
    }

    /// A row's cell for a column, trimmed; empty when absent.
    pub fn cell<'r>(&self, row: &'r Row, c: Col) -> &'r str {
        self.col(c).and_then(|i| row.cells.get(i)).map_or("", |s| s.trim())
    }

    /// The table as Markdown, for appendices that hold no tasks.
    pub fn markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let mut out =
            format!("| {} |\n", self.headers.iter().map(|h| esc(h)).collect::<Vec<_>>().join(" | "));
        out.push_str(&format!("|{}\n", " --- |".repeat(self.headers.len())));
        for r in &self.rows {
            let mut cells = r.cells.clone();
            cells.resize(self.headers.len(), String::new());
            if let Some(first) = cells.first_mut() {
                *first = r.number.clone();
            }
            out.push_str(&format!("| {} |\n", cells.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")));
        }
        out
    }
}

/// The column a header names.
fn column_of(header: &str, has_unit: bool, seen_title: bool) -> Col {
    let h = fold(header);
    let has = |k: &str| h.contains(k);
    if matches!(h.trim().trim_end_matches('.'), "tt" | "stt" | "so tt") {
        Col::Number
    } else if has("chu tri") && (has("theo doi") || has("danh gia")) || has("theo doi") {
        Col::Monitor
    } else if has("chu tri") {
        Col::Lead
    } else if has("phoi hop") {
        Col::Support
    } else if has("phan cong") || has("don vi thuc hien") || has("co quan thuc hien") {
        Col::Assign
    } else if has("thoi gian") || has("thoi han") || has("tien do") {
        Col::Deadline
    } else if has("ghi chu") {
        Col::Note
    } else if has("nguon luc") || has("kinh phi") || has("nguon von") {
        Col::Resources
    } else if has("phuong phap") || has("cach thuc") || has("giai phap thuc hien") {
        Col::Detail
    } else if has_unit && (has("ket qua") || has("muc tieu") || has("gia tri") || has("chi tieu nam")) {
        Col::Target
    } else if has("ket qua") || has("san pham") {
        Col::Output
    } else if h.trim() == "don vi" || has("don vi tinh") || h.trim() == "dvt" {
        Col::Unit
    } else if has("noi dung")
        || has("nhiem vu")
        || has("chi tieu")
        || has("tieu chi")
        || has("chuong trinh")
        || has("hoat dong")
        || has("cong viec")
        || has("ten ")
    {
        if seen_title { Col::Detail } else { Col::Title }
    } else {
        Col::Other
    }
}

fn columns_of(headers: &[String]) -> Vec<Col> {
    let has_unit = headers.iter().any(|h| column_of(h, false, true) == Col::Unit);
    let mut seen_title = false;
    headers
        .iter()
        .map(|h| {
            let c = column_of(h, has_unit, seen_title);
            seen_title |= c == Col::Title;
            c
        })
        .collect()
}

/// Words a header line is made of.
fn header_like(s: &str) -> bool {
    let h = fold(s);
    [
        "chu tri",
        "phoi hop",
        "thoi gian",
        "noi dung",
        "nhiem vu",
        "chi tieu",
        "don vi",
        "ket qua",
        "san pham",
        "ghi chu",
        "tieu chi",
        "phan cong",
        "tien do",
    ]
    .iter()
    .any(|k| h.contains(k))
}

fn is_number_header(s: &str) -> bool {
    matches!(fold(s).trim().trim_end_matches('.'), "tt" | "stt")
}

/// Finds and reads every table in `lines` (all the file's lines).
pub fn find(lines: &[&str], scope: &Scope) -> Vec<Table> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let table = tabs(lines, i)
            .or_else(|| pipes(lines, i))
            .or_else(|| flat(lines, i, scope))
            .or_else(|| pdf(lines, i, scope));
        match table {
            Some(t) => {
                i = t.last;
                out.push(t);
            }
            None => i += 1,
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tabs and pipes: the cells are delimited; continuation rows fill the row above.

fn split_cells(line: &str, pipes: bool) -> Vec<String> {
    if pipes {
        let t = line.trim();
        let t = t.strip_prefix('|').unwrap_or(t);
        let t = t.strip_suffix('|').unwrap_or(t);
        t.split('|').map(clean).collect()
    } else {
        line.split('\t').map(clean).collect()
    }
}

fn tabs(lines: &[&str], i: usize) -> Option<Table> {
    let cells = split_cells(lines[i], false);
    (lines[i].contains('\t') && cells.len() >= 2 && is_number_header(&cells[0]))
        .then(|| delimited(lines, i, Layout::Tabs, cells))
}

fn pipes(lines: &[&str], i: usize) -> Option<Table> {
    let sep = lines.get(i + 1)?.trim();
    let is_sep = sep.starts_with('|') && sep.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    let cells = split_cells(lines[i], true);
    (lines[i].trim().starts_with('|') && is_sep && cells.len() >= 2 && header_like(lines[i]))
        .then(|| delimited(lines, i, Layout::Pipes, cells))
}

fn delimited(lines: &[&str], header: usize, layout: Layout, headers: Vec<String>) -> Table {
    let pipes = layout == Layout::Pipes;
    let columns = columns_of(&headers);
    let mut rows: Vec<Row> = Vec::new();
    let mut last = header;
    for (k, raw) in lines.iter().enumerate().skip(header + 1) {
        if raw.trim().is_empty() {
            continue;
        }
        let in_table = if pipes { raw.trim().starts_with('|') } else { raw.contains('\t') };
        // A cell broken over lines (Word's text export, a wrapped Markdown
        // row): the row above is short of cells and this line starts no row.
        let short = rows.last().is_some_and(|r| r.cells.len() < headers.len());
        let first = split_cells(raw, pipes).into_iter().next().unwrap_or_default();
        let broken = short && !first.is_empty() && !starts_row(&first) && !ends_table(&clean(raw));
        if !in_table && !broken {
            break;
        }
        last = k;
        let cells = split_cells(raw, pipes);
        if cells.iter().all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))) {
            continue;
        }
        if broken {
            if let Some(row) = rows.last_mut() {
                let mut pieces = cells.into_iter();
                if let (Some(cell), Some(piece)) = (row.cells.last_mut(), pieces.next()) {
                    join(cell, &piece);
                }
                row.cells.extend(pieces);
                *row = delimited_row(row.line, std::mem::take(&mut row.cells), &columns);
            }
            continue;
        }
        match rows.last_mut() {
            Some(row) if cells[0].is_empty() => {
                for (ci, c) in cells.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                    if row.cells.len() <= ci {
                        row.cells.resize(ci + 1, String::new());
                    }
                    let rest = without_repeat(&row.cells[ci], c);
                    if !rest.is_empty() {
                        join(&mut row.cells[ci], rest);
                    }
                }
            }
            _ if cells[0].is_empty() => {}
            _ => rows.push(delimited_row(k + 1, cells, &columns)),
        }
    }
    Table { layout, first: header + 1, last: last + 1, columns, headers, rows }
}

/// A continuation without the words the cell already ends with: converters
/// repeat a cell's last words after a page break ("… và Công nghệ" +
/// "nghệ; triển khai …", "Sở Khoa học và Công nghệ" + "Công nghệ").
fn without_repeat<'c>(cell: &str, continuation: &'c str) -> &'c str {
    let key = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let tail: Vec<String> = cell.split_whitespace().map(key).collect();
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for w in continuation.split_whitespace() {
        let start = at + continuation[at..].find(w).unwrap_or(0);
        words.push((start, w));
        at = start + w.len();
    }
    for k in (1..=words.len().min(tail.len()).min(4)).rev() {
        let head: Vec<String> = words[..k].iter().map(|(_, w)| key(w)).collect();
        if head.iter().all(|w| w.chars().count() >= 3) && tail[tail.len() - k..] == head[..] {
            // Keep what followed the repeated words, punctuation included ("nghệ; …" → "; …").
            let (start, last) = words[k - 1];
            let end = last
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(0, |(i, c)| i + c.len_utf8());
            return continuation[start + end..].trim();
        }
    }
    continuation
}

/// Whether a first cell starts a row: a number ("1", "2.3", "a)", "II", "II. TITLE").
fn starts_row(cell: &str) -> bool {
    let c = cell.trim();
    ARABIC.is_match(c)
        || ROMAN_ONLY.is_match(c)
        || LETTER_ONLY.is_match(c)
        || ROMAN.is_match(c)
        || is_number_header(c)
}

/// A delimited row: "I. TITLE" in the number cell is a group row.
fn delimited_row(line: usize, mut cells: Vec<String>, columns: &[Col]) -> Row {
    let title_col = columns.iter().position(|&c| c == Col::Title).unwrap_or(1);
    let mut number = cells[0].clone();
    if let Some(c) = ROMAN.captures(&cells[0]) {
        number = c[1].to_string();
        let title = c[2].to_string();
        if cells.len() <= title_col {
            cells.resize(title_col + 1, String::new());
        }
        if cells[title_col].is_empty() {
            cells[title_col] = title;
        }
    }
    let others =
        cells.iter().enumerate().filter(|(i, c)| *i != 0 && *i != title_col && !c.is_empty()).count();
    let group = roman_value(number.trim_end_matches('.')).is_some() || others == 0;
    Row { line, number, cells, group, guess: None }
}

// ---------------------------------------------------------------------------
// Row numbering: which line can start the next row.

/// The numbers seen so far, to tell a row number from a cell holding a number.
#[derive(Default)]
struct Numbering {
    roman: u32,
    arabic: Vec<u32>,
    letter: Option<char>,
}

static ARABIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*)\.?$").unwrap_or_else(|e| panic!("{e}")));
static ROMAN_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVX]{1,5})\.?$").unwrap_or_else(|e| panic!("{e}")));
static LETTER_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([a-zđ])\)$").unwrap_or_else(|e| panic!("{e}")));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Roman,
    Arabic,
    Letter,
}

impl Numbering {
    /// Whether `s` (a whole line or a line's first word) continues the numbering.
    fn accepts(&self, s: &str) -> Option<Step> {
        if let Some(c) = ROMAN_ONLY.captures(s) {
            if roman_value(&c[1]) == Some(self.roman + 1) {
                return Some(Step::Roman);
            }
        }
        if let Some(c) = ARABIC.captures(s) {
            let parts: Vec<u32> = c[1].split('.').filter_map(|p| p.parse().ok()).collect();
            if self.arabic_follows(&parts) {
                return Some(Step::Arabic);
            }
        }
        if let Some(c) = LETTER_ONLY.captures(s) {
            let l = c[1].chars().next()?;
            let expected = self.letter.map_or(Some('a'), next_letter);
            if !self.arabic.is_empty() && Some(l) == expected {
                return Some(Step::Letter);
            }
        }
        None
    }

    fn arabic_follows(&self, parts: &[u32]) -> bool {
        let last = &self.arabic;
        if last.is_empty() {
            return parts.iter().all(|&p| p == 1) || parts == [1];
        }
        if parts.len() == last.len() + 1 {
            return parts[..last.len()] == last[..] && parts[last.len()] == 1;
        }
        if parts.len() > last.len() || parts.is_empty() {
            return false;
        }
        let d = parts.len();
        parts[..d - 1] == last[..d - 1] && parts[d - 1] == last[d - 1] + 1
    }

    fn take(&mut self, s: &str, step: Step) {
        match step {
            Step::Roman => {
                self.roman =
                    ROMAN_ONLY.captures(s).and_then(|c| roman_value(&c[1])).unwrap_or(self.roman + 1);
                self.letter = None;
            }
            Step::Arabic => {
                self.arabic = ARABIC
                    .captures(s)
                    .map(|c| c[1].split('.').filter_map(|p| p.parse().ok()).collect())
                    .unwrap_or_default();
                self.letter = None;
            }
            Step::Letter => self.letter = s.chars().next(),
        }
    }
}

// ---------------------------------------------------------------------------
// Flat: one cell per line.

fn flat(lines: &[&str], i: usize, scope: &Scope) -> Option<Table> {
    let head = clean(lines[i]);
    if lines[i].contains('\t') || !is_number_header(&head) {
        return None;
    }
    let mut headers = vec![head];
    let mut k = i + 1;
    let numbering = Numbering::default();
    while k < lines.len() {
        let c = clean(lines[k]);
        if c.is_empty() || numbering.accepts(&c).is_some() {
            break;
        }
        if c.chars().count() > 80 || !header_like(&c) && c.split_whitespace().count() > 4 {
            return None;
        }
        headers.push(c);
        k += 1;
    }
    let columns = columns_of(&headers);
    if headers.len() < 3 || !columns.contains(&Col::Title) {
        return None;
    }
    let (rows, last) = flat_rows(lines, k, &columns, scope);
    (!rows.is_empty()).then(|| Table { layout: Layout::Flat, first: i + 1, last, columns, headers, rows })
}

/// Whether a line ends a flat table.
fn ends_table(line: &str) -> bool {
    let f = fold(line);
    let footnote = ["ghi chu", "nguon", "chu thich"].iter().any(|k| {
        f.strip_prefix(k)
            .is_some_and(|rest| rest.trim_start().starts_with(':') || rest.starts_with(" tra cuu"))
    });
    footnote || ["noi nhan", "phu luc", "tm.", "kt."].iter().any(|k| f.starts_with(k))
}

fn flat_rows(lines: &[&str], from: usize, columns: &[Col], scope: &Scope) -> (Vec<Row>, usize) {
    let mut numbering = Numbering::default();
    let mut raw_rows: Vec<(usize, String, Vec<String>)> = Vec::new();
    let mut last = from;
    for (k, raw) in lines.iter().enumerate().skip(from) {
        let c = clean(raw);
        if c.is_empty() || ends_table(&c) {
            break;
        }
        if let Some(step) = numbering.accepts(&c) {
            numbering.take(&c, step);
            raw_rows.push((k + 1, c, Vec::new()));
        } else if let Some(row) = raw_rows.last_mut() {
            if row.2.len() + 1 >= columns.len() {
                break;
            }
            row.2.push(c);
        } else {
            break;
        }
        last = k + 1;
    }
    let rows = raw_rows
        .into_iter()
        .map(|(line, number, cells)| place_cells(line, number, cells, columns, scope))
        .collect();
    (rows, last)
}

/// Puts a flat row's cells in their columns: the first is the title, the
/// rest go where their content fits, in order (empty cells are missing).
fn place_cells(line: usize, number: String, cells: Vec<String>, columns: &[Col], scope: &Scope) -> Row {
    let n = columns.len();
    let mut out = vec![String::new(); n];
    let group = roman_value(number.trim_end_matches('.')).is_some();
    let title_col = columns.iter().position(|&c| c == Col::Title).unwrap_or(1.min(n - 1));
    let mut guess = None;
    if let Some((first, rest)) = cells.split_first() {
        out[title_col] = first.clone();
        let free: Vec<usize> = (title_col + 1..n).collect();
        let placed = align(rest, &free, columns, scope);
        for (cell, col) in rest.iter().zip(&placed) {
            if cell.trim() != "-" {
                out[*col] = cell.clone();
            }
        }
        if !group && rest.len() < free.len() {
            let names: Vec<&str> = placed.iter().map(|&c| col_name(columns[c])).collect();
            guess = Some(format!(
                "{} of {} cells after the title; read as {}",
                rest.len(),
                free.len(),
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ));
        }
    }
    Row { line, number, cells: out, group, guess }
}

pub fn col_name(c: Col) -> &'static str {
    match c {
        Col::Number => "number",
        Col::Title => "title",
        Col::Detail => "detail",
        Col::Lead => "lead",
        Col::Support => "support",
        Col::Output => "output",
        Col::Deadline => "deadline",
        Col::Note => "note",
        Col::Unit => "unit",
        Col::Target => "target",
        Col::Monitor => "monitor",
        Col::Assign => "assignment",
        Col::Resources => "resources",
        Col::Other => "other",
    }
}

/// How well a cell fits a column.
/// What a cell looks like, read once per cell.
struct Looks<'c> {
    text: &'c str,
    agency: bool,
    deadline: bool,
}

impl<'c> Looks<'c> {
    fn of(cell: &'c str, scope: &Scope) -> Looks<'c> {
        let text = cell.trim();
        Looks { text, agency: agency_like(&scope.cell(text)), deadline: is_deadline(text) }
    }
}

fn fit(looks: &Looks, col: Col) -> f32 {
    let (t, agency, deadline) = (looks.text, looks.agency, looks.deadline);
    if t == "-" || t.is_empty() {
        return 0.5;
    }
    match col {
        Col::Lead | Col::Support | Col::Monitor | Col::Assign => {
            if agency {
                3.0
            } else {
                -3.0
            }
        }
        Col::Deadline => {
            if deadline {
                3.0
            } else {
                -3.0
            }
        }
        Col::Unit => {
            if t.split_whitespace().count() <= 6 && !t.chars().any(|c| c.is_ascii_digit()) {
                1.5
            } else {
                0.2
            }
        }
        Col::Target => {
            let f = fold(t);
            if t.chars().any(|c| c.is_ascii_digit() || "≥≤<>".contains(c))
                || ["top", "dat", "thuoc", "toi thieu", "tren"].iter().any(|k| f.starts_with(k))
            {
                2.0
            } else {
                0.5
            }
        }
        _ if agency || deadline => -1.0,
        _ => 1.0,
    }
}

/// Does a cell read as a list of agencies?
pub fn agency_like(names: &Names) -> bool {
    (!names.hits.is_empty() || !names.unresolved.is_empty())
        && names.coverage >= 0.5
        && names.qualifier.as_ref().is_none_or(|q| q.split_whitespace().count() <= 8)
}

/// Best order-preserving placement of `cells` into the `free` columns.
fn align(cells: &[String], free: &[usize], columns: &[Col], scope: &Scope) -> Vec<usize> {
    let (n, m) = (cells.len(), free.len());
    let looks: Vec<Looks> = cells.iter().map(|c| Looks::of(c, scope)).collect();
    if n == 0 || n > m {
        return free.iter().copied().take(n).collect();
    }
    // score[i][j]: best for cells[i..] using free[j..]; earlier columns win ties.
    let mut score = vec![vec![f32::NEG_INFINITY; m + 1]; n + 1];
    score[n].fill(0.0);
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = score[i][j + 1];
            let take = fit(&looks[i], columns[free[j]]) - 0.01 * j as f32 + score[i + 1][j + 1];
            score[i][j] = skip.max(take);
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let take = fit(&looks[i], columns[free[j]]) - 0.01 * j as f32 + score[i + 1][j + 1];
        if (take - score[i][j]).abs() < 1e-4 {
            out.push(free[j]);
            i += 1;
        }
        j += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// PDF: the header wraps over several lines; row cells run together.

static PDF_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}|[IVX]{1,5}|[a-zđ]\))\.?\s+(\S.*)$").unwrap_or_else(|e| panic!("{e}"))
});

fn pdf(lines: &[&str], i: usize, scope: &Scope) -> Option<Table> {
    let head = clean(lines[i]);
    let first_word = head.split_whitespace().next()?;
    if !is_number_header(first_word) || head.split_whitespace().count() < 2 || !header_like(&head) {
        return None;
    }
    let numbering = Numbering::default();
    let mut header_text = head.clone();
    let mut k = i + 1;
    while k < lines.len() && k < i + 15 {
        let c = clean(lines[k]);
        if let Some(m) = PDF_ROW.captures(&c) {
            if numbering.accepts(&m[1]).is_some() {
                break;
            }
        }
        join(&mut header_text, &c);
        k += 1;
    }
    let columns = pdf_columns(&header_text);
    if !columns.contains(&Col::Lead) {
        return None;
    }
    let headers = columns.iter().map(|&c| col_name(c).to_string()).collect();
    let (rows, last) = pdf_rows(lines, k, &columns, scope);
    Some(Table { layout: Layout::Pdf, first: i + 1, last, columns, headers, rows })
}

/// Columns in the order their names appear in a header that wrapped.
fn pdf_columns(header: &str) -> Vec<Col> {
    let h = fold(header);
    let keys: [(&[&str], Col); 7] = [
        (&["noi dung", "nhiem vu", "ten ", "chi tieu"], Col::Title),
        (&["thoi gian", "thoi han"], Col::Deadline),
        (&["chu tri"], Col::Lead),
        (&["phoi hop"], Col::Support),
        (&["ket qua", "san pham"], Col::Output),
        (&["ghi chu"], Col::Note),
        (&["don vi tinh"], Col::Unit),
    ];
    let mut found: Vec<(usize, Col)> = keys
        .iter()
        .filter_map(|(ks, c)| ks.iter().filter_map(|k| h.find(k)).min().map(|p| (p, *c)))
        .collect();
    found.sort_by_key(|(p, _)| *p);
    std::iter::once(Col::Number).chain(found.into_iter().map(|(_, c)| c)).collect()
}

fn pdf_rows(lines: &[&str], from: usize, columns: &[Col], scope: &Scope) -> (Vec<Row>, usize) {
    let mut numbering = Numbering::default();
    let mut texts: Vec<(usize, String, String)> = Vec::new();
    let mut last = from;
    for (k, raw) in lines.iter().enumerate().skip(from) {
        let c = clean(raw);
        if c.is_empty() {
            continue;
        }
        if ends_table(&c) {
            break;
        }
        let step = PDF_ROW.captures(&c).and_then(|m| numbering.accepts(&m[1]).map(|s| (s, m)));
        match step {
            Some((step, m)) => {
                let number = m[1].to_string();
                numbering.take(&number, step);
                texts.push((k + 1, number, m[2].to_string()));
            }
            None => match texts.last_mut() {
                Some(t) => join(&mut t.2, &c),
                None => break,
            },
        }
        last = k + 1;
    }
    let rows =
        texts.into_iter().map(|(line, number, text)| pdf_row(line, number, &text, columns, scope)).collect();
    (rows, last)
}

/// Splits a row's run-together text: title, then the deadline and the
/// agency columns; where two names meet with no separator, a column ends.
fn pdf_row(line: usize, number: String, text: &str, columns: &[Col], scope: &Scope) -> Row {
    let mut cells = vec![String::new(); columns.len()];
    let title_col = columns.iter().position(|&c| c == Col::Title).unwrap_or(1);
    let deadline_first =
        columns.iter().position(|&c| c == Col::Deadline) < columns.iter().position(|&c| c == Col::Lead);
    let matches: Vec<regex::Match> = DEADLINE_IN_TEXT.find_iter(text).collect();
    let mut title_end = text.len();
    let mut agencies = "";
    let mut deadline = None;
    if deadline_first {
        // The last deadline after which only agency names follow.
        let pick = matches
            .iter()
            .rev()
            .find(|m| {
                let rest = text[m.end()..].trim();
                rest.is_empty() || full_names(&scope.cell(rest))
            })
            // Names no registry knows: the last deadline that agency names follow.
            .or_else(|| matches.iter().rev().find(|m| starts_with_names(&text[m.end()..], scope)));
        if let Some(m) = pick {
            title_end = m.start();
            deadline = Some(m.as_str().to_string());
            agencies = &text[m.end()..];
        }
    } else if let Some(m) = matches.last().filter(|m| text[m.end()..].trim().is_empty()) {
        deadline = Some(m.as_str().to_string());
        title_end = m.start();
    }
    if agencies.is_empty() {
        let start = names_suffix(&text[..title_end], scope);
        agencies = &text[start..title_end];
        title_end = start;
    }
    cells[title_col] = text[..title_end].trim().to_string();
    if let (Some(d), Some(c)) = (deadline, columns.iter().position(|&c| c == Col::Deadline)) {
        cells[c] = d.trim().to_string();
    }
    let (lead, support) = split_columns(agencies.trim(), scope);
    if let Some(c) = columns.iter().position(|&c| c == Col::Lead) {
        cells[c] = lead;
    }
    if let Some(c) = columns.iter().position(|&c| c == Col::Support) {
        cells[c] = support;
    }
    let group = cells.iter().enumerate().all(|(i, c)| i == title_col || c.is_empty());
    Row { line, number, cells, group, guess: None }
}

/// Whether `text` opens with an agency's name, known or not.
fn starts_with_names(text: &str, scope: &Scope) -> bool {
    let names = scope.cell(text.trim());
    let first = names.hits.iter().map(|h| h.from).chain(names.unresolved_at.iter().map(|s| s.0)).min();
    first.is_some_and(|at| text.trim()[..at].trim().is_empty())
}

/// Every word is part of a name, known to the registry or not (a name it
/// lacks still ends the title: the row keeps it, unresolved).
fn full_names(n: &Names) -> bool {
    (!n.hits.is_empty() || !n.unresolved.is_empty()) && n.qualifier.is_none()
}

/// Where the agency names that end `text` begin (text.len() when none do).
fn names_suffix(text: &str, scope: &Scope) -> usize {
    let toks = super::agencies::tokenize(text);
    toks.iter()
        .filter(|t| t.word.is_some())
        .map(|t| t.start)
        .find(|&s| full_names(&scope.cell(&text[s..])))
        .unwrap_or(text.len())
}

/// Splits run-together agency text where two names meet with no separator.
fn split_columns(text: &str, scope: &Scope) -> (String, String) {
    if text.is_empty() {
        return (String::new(), String::new());
    }
    let names = scope.cell(text);
    let cut = |at: usize| {
        (text[..at].trim().trim_end_matches([',', ';']).trim().to_string(), text[at..].trim().to_string())
    };
    if let Some(h) = names.hits.iter().skip(1).find(|h| !h.separated) {
        return cut(h.from);
    }
    // Names no registry knows: the lead is the first, when another follows it
    // with no separator ("Sở KHCN Các sở, ngành …").
    let starts: Vec<usize> =
        names.hits.iter().map(|h| h.from).chain(names.unresolved_at.iter().map(|s| s.0)).collect();
    match names.unresolved_at.first() {
        Some(&(at, end)) if starts.iter().all(|&s| s >= at) => {
            let next = starts.iter().copied().filter(|&s| s >= end).min();
            match next.filter(|&s| text[end..s].trim().is_empty()) {
                Some(s) => cut(s),
                None => (text.to_string(), String::new()),
            }
        }
        None | Some(_) => (text.to_string(), String::new()),
    }
}

static ROLE_LABELS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:cơ\s+quan\s+|đơn\s+vị\s+)?(chủ\s*trì|phối\s*hợp)(?:\s+thực\s+hiện)?\s*:")
        .unwrap_or_else(|e| panic!("{e}"))
});

/// A cell holding both roles, "Chủ trì: Sở Công Thương. Phối hợp: Sở Tài
/// chính, …": (lead, support); a cell without the labels is all lead.
pub fn split_roles(cell: &str) -> (String, String) {
    let labels: Vec<(usize, usize, bool)> = ROLE_LABELS
        .captures_iter(cell)
        .filter_map(|c| {
            let (m, role) = (c.get(0)?, c.get(1)?);
            Some((m.start(), m.end(), fold(role.as_str()).starts_with("chu")))
        })
        .collect();
    if labels.is_empty() {
        return (cell.trim().to_string(), String::new());
    }
    let (mut lead, mut support) = (Vec::new(), Vec::new());
    let before = cell[..labels[0].0].trim().trim_end_matches([';', ',', '.']).trim();
    let before =
        before.strip_suffix("chủ trì").or_else(|| before.strip_suffix("Chủ trì")).unwrap_or(before).trim();
    if !before.is_empty() {
        lead.push(before.to_string());
    }
    for (k, &(_, end, is_lead)) in labels.iter().enumerate() {
        let stop = labels.get(k + 1).map_or(cell.len(), |l| l.0);
        let text = cell[end..stop].trim().trim_end_matches(['.', ';', ',']).trim().to_string();
        if text.is_empty() {
            continue;
        }
        if is_lead { lead.push(text) } else { support.push(text) }
    }
    (lead.join(", "), support.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_roles_in_one_cell() {
        assert_eq!(
            split_roles("Chủ trì: Sở Công Thương. Phối hợp: Sở Tài chính, Sở NN&MT, UBND các xã"),
            ("Sở Công Thương".to_string(), "Sở Tài chính, Sở NN&MT, UBND các xã".to_string())
        );
        assert_eq!(
            split_roles("Sở Y tế chủ trì; phối hợp: Công an tỉnh"),
            ("Sở Y tế".to_string(), "Công an tỉnh".to_string())
        );
        assert_eq!(split_roles("Sở Nội vụ"), ("Sở Nội vụ".to_string(), String::new()));
    }

    #[test]
    fn numbering_tells_rows_from_numbers_in_cells() {
        let mut n = Numbering::default();
        for (s, ok) in [
            ("I", true),
            ("1", true),
            ("12", false),
            ("2", true),
            ("2.1", true),
            ("90", false),
            ("3", true),
            ("II", true),
            ("4", true),
        ] {
            let step = n.accepts(s);
            assert_eq!(step.is_some(), ok, "{s}");
            if let Some(step) = step {
                n.take(s, step);
            }
        }
    }

    #[test]
    fn headers_name_columns() {
        let h: Vec<String> =
            ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        assert_eq!(
            columns_of(&h),
            vec![Col::Number, Col::Title, Col::Lead, Col::Support, Col::Output, Col::Deadline]
        );
        let h: Vec<String> = ["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(columns_of(&h), vec![Col::Number, Col::Title, Col::Unit, Col::Target, Col::Monitor]);
        assert_eq!(
            pdf_columns("STT Nội dung thực hiện Thời gian thực hiện Chủ trì thực hiện Phối hợp thực hiện"),
            vec![Col::Number, Col::Title, Col::Deadline, Col::Lead, Col::Support]
        );
    }
}
