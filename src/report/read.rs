//! A filled form as text cells, whatever it was saved as: XLSX from Excel,
//! ODS from LibreOffice (or XLS), or CSV — UTF-8 with or without a BOM,
//! with `,`, `;` (Excel in locales that write decimals with a comma) or tab
//! between cells. Row numbers are the ones the spreadsheet shows, so
//! errors point where the person looks.

use super::Column;
use crate::error::{Error, Result};
use calamine::{Data, Reader, SheetType, open_workbook_auto};
use std::path::{Path, PathBuf};

/// One sheet's cells as text, each row with its 1-based number and its
/// cells from column A on.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub file: PathBuf,
    /// The sheet's name; `None` for CSV, which has no sheets.
    pub sheet: Option<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads every sheet of a workbook, or the one table of a CSV file.
pub fn read(path: &Path) -> Result<Vec<Grid>> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Ok(vec![csv_grid(path, &bytes)?])
        }
        "xlsx" | "xlsm" | "xls" | "ods" => workbook_grids(path),
        _ => Err(Error::Other(format!(
            "{}: not a form: give the .xlsx (or .ods, .xls) or .csv file filled from `plansite report template`",
            path.display()
        ))),
    }
}

fn workbook_grids(path: &Path) -> Result<Vec<Grid>> {
    let mut workbook = open_workbook_auto(path).map_err(|e| {
        Error::Other(format!(
            "{}: cannot read the spreadsheet: {e}\n     hint: save it from Excel or LibreOffice as .xlsx and try again",
            path.display()
        ))
    })?;
    let sheets: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut grids = Vec::new();
    for name in sheets {
        let range = workbook.worksheet_range(&name).map_err(|e| {
            Error::Other(format!("{}, sheet \"{name}\": cannot read it: {e}", path.display()))
        })?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut row = vec![String::new(); left as usize];
                row.extend(cells.iter().map(cell_text));
                (top as usize + i + 1, row)
            })
            .collect();
        grids.push(Grid { file: path.to_path_buf(), sheet: Some(name), rows });
    }
    Ok(grids)
}

/// A cell as the person sees it: whole numbers without `.0`, errors as
/// `#N/A`. A text cell loses the `'` the template put before a formula-like
/// text.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => unquote(s).to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Undoes [`crate::text::spreadsheet_cell`]: one leading `'` before what
/// would have run as a formula goes, any other `'` is the person's own.
pub fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::text::spreadsheet_cell(rest).len() != rest.len() => rest,
        _ => cell,
    }
}

fn csv_grid(path: &Path, bytes: &[u8]) -> Result<Grid> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Error::Other(format!(
            "{}: this CSV is not UTF-8, so its Vietnamese would be garbled\n     hint: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"; in LibreOffice choose the character set Unicode (UTF-8)",
            path.display()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parse = |delimiter: u8| -> Result<Vec<(usize, Vec<String>)>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| Error::Other(format!("{}: {e}", path.display())))?;
            rows.push((i + 1, record.iter().map(|c| unquote(c).to_string()).collect()));
        }
        Ok(rows)
    };
    // The delimiter is the one that splits the header row into its columns.
    let mut fallback = None;
    for delimiter in [b',', b';', b'\t'] {
        let Ok(rows) = parse(delimiter) else { continue };
        if rows.iter().any(|(_, cells)| has_header(cells)) {
            return Ok(Grid { file: path.to_path_buf(), sheet: None, rows });
        }
        fallback.get_or_insert(rows);
    }
    match fallback {
        Some(rows) => Ok(Grid { file: path.to_path_buf(), sheet: None, rows }),
        None => parse(b',').map(|rows| Grid { file: path.to_path_buf(), sheet: None, rows }),
    }
}

/// Whether a row is the form's header: it names the task id and status
/// columns.
pub fn has_header(cells: &[String]) -> bool {
    let columns: Vec<Column> = cells.iter().filter_map(|c| Column::from_header(c)).collect();
    columns.contains(&Column::TaskId) && columns.contains(&Column::Status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::spreadsheet_cell;

    #[test]
    fn unquote_undoes_exactly_what_the_template_added() {
        for cell in
            ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "-x", "plain", "'quoted'", "-5", ""]
        {
            assert_eq!(unquote(&spreadsheet_cell(cell)), cell, "{cell:?}");
        }
        assert_eq!(unquote("'it's"), "'it's");
    }

    #[test]
    fn csv_with_semicolons_and_a_bom_reads() {
        let text =
            "\u{feff}Kế hoạch / Plan;p;Kế hoạch, có dấu phẩy\nMã nhiệm vụ;Tình trạng thực hiện\n1;done\n";
        let grid = csv_grid(Path::new("f.csv"), text.as_bytes()).unwrap();
        assert_eq!(grid.rows[0].1, ["Kế hoạch / Plan", "p", "Kế hoạch, có dấu phẩy"]);
        assert_eq!(grid.rows[2], (3, vec!["1".to_string(), "done".to_string()]));
        let latin1 = b"Ti\xeanh tr\xe1ng";
        let e = csv_grid(Path::new("f.csv"), latin1).unwrap_err().to_string();
        assert!(e.contains("not UTF-8") && e.contains("CSV UTF-8"), "{e}");
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(40.0)), "40");
        assert_eq!(cell_text(&Data::Float(0.4)), "0.4");
        assert_eq!(cell_text(&Data::Int(16)), "16");
        assert_eq!(cell_text(&Data::String("'=1+1".into())), "=1+1");
    }
}
