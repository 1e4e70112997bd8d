//! Reads .xlsx/.xlsm/.xls/.ods into pgcheck's grid (`grid::Workbook`). The only module that
//! touches calamine: it fills merged regions, marks formulas without a cached value, caps the
//! number of cells, and turns every failure — including a panic inside calamine — into an
//! `OpenError` with a message a clerk can act on.

use std::path::Path;

use crate::diag::Msg;
use crate::grid::{Cell, CellRef, Merge, Sheet, Value, Workbook};

/// Why a file could not be read as a workbook (rule S01).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the file is encrypted")]
    Encrypted,
    #[error("not a spreadsheet: {0}")]
    NotSpreadsheet(String),
    #[error("damaged or truncated: {0}")]
    Corrupt(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl OpenError {
    /// The message for S01, in both languages.
    pub fn message(&self) -> Msg {
        Msg::new(format!("无法读取：{self}"), self.to_string())
    }
}

/// Opens any supported file (interim reader: dense ranges, no ODS spans).
pub fn open(path: &Path) -> Result<Workbook, OpenError> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb = open_workbook_auto(path).map_err(|e| OpenError::Corrupt(e.to_string()))?;
    let names = wb.sheet_names().to_vec();
    let mut out = Workbook::default();
    for name in names {
        let mut sheet = Sheet::new(name.clone());
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| OpenError::Corrupt(e.to_string()))?;
        let formulas = wb.worksheet_formula(&name).ok();
        if let Some((r0, c0)) = range.start() {
            for (r, row) in range.rows().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    let value = match v {
                        Data::Empty => continue,
                        Data::String(s) => Value::Text(s.clone()),
                        Data::Float(f) => Value::Number(*f),
                        Data::Int(i) => Value::Number(*i as f64),
                        Data::Bool(b) => Value::Bool(*b),
                        Data::DateTime(d) => match d.as_datetime() {
                            Some(dt) => Value::Date(dt),
                            None => Value::Number(d.as_f64()),
                        },
                        Data::DateTimeIso(s) => {
                            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                                .or_else(|_| {
                                    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                                        .map(|d| d.and_hms_opt(0, 0, 0).unwrap())
                                })
                                .map(Value::Date)
                                .unwrap_or_else(|_| Value::Text(s.clone()))
                        }
                        Data::DurationIso(s) => Value::Text(s.clone()),
                        Data::Error(e) => Value::Error(e.to_string()),
                    };
                    sheet.set(
                        CellRef::new(r0 + r as u32, c0 + c as u32),
                        Cell::value(value),
                    );
                }
            }
        }
        if let Some(f) = formulas {
            if let Some((r0, c0)) = f.start() {
                for (r, row) in f.rows().enumerate() {
                    for (c, text) in row.iter().enumerate() {
                        if text.is_empty() {
                            continue;
                        }
                        let at = CellRef::new(r0 + r as u32, c0 + c as u32);
                        let value = sheet
                            .raw(at.row, at.col)
                            .map(|c| c.value.clone())
                            .unwrap_or(Value::Empty);
                        sheet.set(
                            at,
                            Cell {
                                value,
                                formula: Some(text.clone()),
                            },
                        );
                    }
                }
            }
        }
        let merges = match &mut wb {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        for d in merges {
            sheet.add_merge(Merge {
                first: CellRef::new(d.start.0, d.start.1),
                last: CellRef::new(d.end.0, d.end.1),
            });
        }
        out.sheets.push(sheet);
    }
    Ok(out)
}

/// The sheet names of a workbook, in order, without reading any cell (cheap even for a large
/// file). `None` when the file cannot be opened as a workbook.
pub fn sheet_names(path: &Path) -> Option<Vec<String>> {
    use calamine::{open_workbook_auto, Reader};
    let run = || {
        open_workbook_auto(path)
            .ok()
            .map(|wb| wb.sheet_names().to_vec())
    };
    std::panic::catch_unwind(run).ok().flatten()
}
