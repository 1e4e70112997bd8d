//! The annotated copy of a checked file (`validate --annotate OUT.xlsx`): the file's data in the
//! canonical template layout, every value as read, each error cell filled red and each warning
//! cell yellow with a note (批注) saying what is wrong; a first sheet 问题清单 links to each cell.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Color, ExcelDateTime, Format, Note, Url, Worksheet};

use super::layout::{write_footnotes, write_sheet_frame, Layout};
use super::{new_workbook, save_atomic, Formats, WriteError};
use crate::diag::{Diagnostic, Lang, Severity};
use crate::fields;
use crate::grid::{CellRef, Sheet, Value};
use crate::report::severity_word;
use crate::table::Table;
use crate::validate::Validated;
use chrono::{Datelike, Timelike};

/// Fill colours of marked cells.
pub const ERROR_FILL: u32 = 0xFF9999;
pub const WARNING_FILL: u32 = 0xFFEB84;
pub use super::ISSUES_SHEET;

/// Where a diagnostic landed in the annotated workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub sheet: String,
    pub cell: CellRef,
}

/// One sheet of the output: the source table and where its parts went.
struct Placed<'a> {
    table: &'a Table,
    source: &'a Sheet,
    name: String,
    layout: Layout,
    fields: Vec<fields::FieldValue>,
}

impl Placed<'_> {
    /// The output cell of a source cell of this sheet.
    fn map(&self, at: CellRef) -> CellRef {
        let h = &self.table.header;
        let col_of = |c: u32| -> u32 {
            h.cols
                .iter()
                .position(|x| *x == Some(c))
                .map(|i| self.layout.col(i) as u32)
                .unwrap_or(0)
        };
        if let Some(k) = self.table.rows.iter().position(|r| r.row == at.row) {
            return CellRef::new(self.layout.data_row + k as u32, col_of(at.col));
        }
        if at.row >= h.top && at.row <= h.bottom {
            let depth = self.layout.data_row - self.layout.header_row;
            let r = self.layout.header_row + (at.row - h.top).min(depth.saturating_sub(1));
            return CellRef::new(r, col_of(at.col));
        }
        if let Some(i) = self
            .fields
            .iter()
            .position(|f| f.cell == at || f.label_cell == at)
        {
            return CellRef::new(2 + i as u32, 0);
        }
        if at.row < h.top {
            return CellRef::new(2, 0);
        }
        CellRef::new(self.layout.data_row, col_of(at.col))
    }
}

fn sheet_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let mut n = clean.clone();
    let mut k = 2;
    while n == ISSUES_SHEET || taken.contains(&n) {
        n = format!("{clean}{k}");
        k += 1;
    }
    n
}

fn fill(base: &Format, sev: Severity) -> Format {
    base.clone().set_background_color(Color::RGB(match sev {
        Severity::Error => ERROR_FILL,
        Severity::Warning => WARNING_FILL,
    }))
}

fn write_value(
    ws: &mut Worksheet,
    at: CellRef,
    v: &Value,
    fmt: &Formats,
    base: &Format,
    sev: Option<Severity>,
) -> Result<(), WriteError> {
    let (r, c) = (at.row, at.col as u16);
    let f = |b: &Format| sev.map_or_else(|| b.clone(), |s| fill(b, s));
    match v {
        Value::Empty => ws.write_blank(r, c, &f(base))?,
        Value::Text(s) => ws.write_string_with_format(r, c, s, &f(base))?,
        Value::Number(n) => ws.write_number_with_format(r, c, *n, &f(base))?,
        Value::Bool(b) => ws.write_boolean_with_format(r, c, *b, &f(base))?,
        Value::Error(e) => ws.write_string_with_format(r, c, e, &f(base))?,
        Value::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?
                .and_hms(d.hour() as u16, d.minute() as u8, d.second() as f64)?;
            let date_fmt = if d.time() == chrono::NaiveTime::MIN {
                &fmt.date
            } else {
                base
            };
            ws.write_datetime_with_format(r, c, dt, &f(date_fmt))?
        }
    };
    Ok(())
}

fn note_text(d: &Diagnostic) -> String {
    let mut s = format!(
        "[{} {}] {}\n要求：{}",
        severity_word(d.severity, Lang::Zh),
        d.rule,
        d.message(Lang::Zh),
        d.help(Lang::Zh)
    );
    if let Some(c) = d.cell {
        s.push_str(&format!("\n原文件单元格：{c}"));
    }
    s
}

/// Writes the annotated workbook of `v` to `path`; returns where each diagnostic was marked
/// (`None` for a diagnostic without a cell, listed only in 问题清单).
pub fn write(v: &Validated, path: &Path) -> Result<Vec<Option<Mark>>, WriteError> {
    let fmt = Formats::new();
    let mut wb = new_workbook()?;
    let mut placed: Vec<Placed> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // Lay out each recognised sheet first (the issue list links into them).
    let issues_ws = wb.add_worksheet();
    issues_ws
        .set_name(ISSUES_SHEET)
        .map_err(|e| WriteError::from(e).at(path))?;
    if let Some(book) = &v.workbook {
        for t in &v.tables {
            let Some(source) = book.sheets.iter().find(|s| s.name == t.sheet) else {
                continue;
            };
            let name = sheet_name(&t.sheet, &names);
            names.push(name.clone());
            let found = fields::read(source, t.template().fields, t.header.top);
            let values: Vec<String> = t
                .template()
                .fields
                .iter()
                .map(|l| {
                    found
                        .iter()
                        .find(|f| f.label == *l)
                        .map(|f| f.text.clone())
                        .unwrap_or_default()
                })
                .collect();
            let ws = wb.add_worksheet();
            ws.set_name(&name)
                .map_err(|e| WriteError::from(e).at(path))?;
            let refs: Vec<&str> = values.iter().map(|s| s.as_str()).collect();
            let layout =
                write_sheet_frame(ws, t.template(), None, &refs, &fmt).map_err(|e| e.at(path))?;
            placed.push(Placed {
                table: t,
                source,
                name,
                layout,
                fields: found,
            });
        }
    }
    // Where each diagnostic goes.
    let marks: Vec<Option<(usize, Mark)>> = v
        .report
        .diagnostics
        .iter()
        .map(|d| {
            let (sheet, cell) = (d.sheet.as_ref()?, d.cell?);
            let i = placed.iter().position(|p| &p.table.sheet == sheet)?;
            Some((
                i,
                Mark {
                    sheet: placed[i].name.clone(),
                    cell: placed[i].map(cell),
                },
            ))
        })
        .collect();
    for (i, p) in placed.iter().enumerate() {
        let mut cell_marks: BTreeMap<CellRef, (Severity, Vec<String>)> = BTreeMap::new();
        for (d, m) in v.report.diagnostics.iter().zip(&marks) {
            if let Some((j, m)) = m {
                if *j == i {
                    let e = cell_marks.entry(m.cell).or_insert((d.severity, Vec::new()));
                    e.0 = e.0.min(d.severity);
                    e.1.push(note_text(d));
                }
            }
        }
        let ws = wb
            .worksheet_from_name(&p.name)
            .map_err(|e| WriteError::from(e).at(path))?;
        // Excel shows a note's author above its text: sign them pgcheck, not "Author".
        ws.set_default_note_author("pgcheck");
        let t = p.table.template();
        let first_row = p.table.rows.first().map_or(0, |r| r.row);
        for (k, row) in p.table.rows.iter().enumerate() {
            let out_row = p.layout.data_row + k as u32;
            for (ci, c) in t.columns.iter().enumerate() {
                let at = CellRef::new(out_row, p.layout.col(ci) as u32);
                let value = match p.table.header.cols[ci] {
                    Some(src) => p.source.get(row.row, src).clone(),
                    None => Value::Empty,
                };
                let sev = cell_marks.get(&at).map(|m| m.0);
                // A plain number in a date column (`2024.1` typed for a month) stays a plain
                // number: under the column's date format Excel would show it as a 1905 date.
                let base = match (&value, c.kind) {
                    (
                        Value::Number(_),
                        crate::template::Kind::Date | crate::template::Kind::Month,
                    ) => &fmt.text_center,
                    _ => fmt.for_kind(c.kind),
                };
                // A cell merged down data rows in the file (县区, 附件4's 实事名称 and 件数,
                // 附件5's blocks) stays one merged cell in the copy: written once at its top,
                // over the copy's rows for the same file rows. Written row by row instead, the
                // copy would say 件数 2 on every row and read differently (A4-03).
                let down = p.table.header.cols[ci]
                    .and_then(|src| p.source.merge_at(row.row, src))
                    .filter(|m| {
                        m.first.col == m.last.col
                            && m.last.row > m.first.row
                            && m.first.row >= first_row
                    });
                if let Some(m) = down {
                    if m.first.row != row.row {
                        continue; // covered: the range written at the region's top holds it
                    }
                    let span = p.table.rows[k..]
                        .iter()
                        .take_while(|r| r.row <= m.last.row)
                        .count() as u32;
                    if span > 1 {
                        let f = sev.map_or_else(|| base.clone(), |s| fill(base, s));
                        ws.merge_range(
                            out_row,
                            at.col as u16,
                            out_row + span - 1,
                            at.col as u16,
                            "",
                            &f,
                        )
                        .map_err(|e| WriteError::from(e).at(path))?;
                    }
                }
                write_value(ws, at, &value, &fmt, base, sev).map_err(|e| e.at(path))?;
            }
        }
        // The template's footnotes (备注) under the table, one blank row below it, as in the
        // consolidated workbook.
        let last = p.layout.data_row + p.table.rows.len() as u32;
        write_footnotes(ws, t, &p.layout, last + 1, &fmt).map_err(|e| e.at(path))?;
        // Marks outside the data rows (header, fields): fill the cell as it stands.
        for (at, (sev, notes)) in &cell_marks {
            if at.row < p.layout.data_row || at.row >= last {
                let text = if at.row < p.layout.header_row {
                    p.fields
                        .get((at.row - 2) as usize)
                        .map(|f| format!("{}: {}", f.label, f.text))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                let base = if at.row < p.layout.header_row {
                    &fmt.field
                } else {
                    &fmt.header
                };
                if at.row >= p.layout.header_row && at.row < p.layout.data_row {
                    // Header cell: keep its label, add the fill by rewriting the leaf text.
                    let label = t
                        .columns
                        .get((at.col as usize).saturating_sub(p.layout.col_offset as usize))
                        .map(|c| c.leaf())
                        .unwrap_or("");
                    ws.write_string_with_format(at.row, at.col as u16, label, &fill(base, *sev))
                        .map_err(|e| WriteError::from(e).at(path))?;
                } else {
                    ws.write_string_with_format(at.row, at.col as u16, text, &fill(base, *sev))
                        .map_err(|e| WriteError::from(e).at(path))?;
                }
            }
            let note = Note::new(notes.join("\n\n")).set_width(420).set_height(160);
            ws.insert_note(at.row, at.col as u16, &note)
                .map_err(|e| WriteError::from(e).at(path))?;
        }
    }
    // 问题清单
    let ws = wb
        .worksheet_from_name(ISSUES_SHEET)
        .map_err(|e| WriteError::from(e).at(path))?;
    let headers = [
        "序号",
        "工作表",
        "原单元格",
        "标注位置",
        "规则",
        "级别",
        "列",
        "值",
        "说明",
        "要求",
    ];
    let widths = [6.0, 10.0, 10.0, 14.0, 8.0, 6.0, 16.0, 16.0, 60.0, 50.0];
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fmt.header)
            .map_err(|e| WriteError::from(e).at(path))?;
        ws.set_column_width(c as u16, w)
            .map_err(|e| WriteError::from(e).at(path))?;
    }
    for (k, (d, m)) in v.report.diagnostics.iter().zip(&marks).enumerate() {
        let r = k as u32 + 1;
        let row_fmt = fill(&fmt.text, d.severity);
        let cells = [
            String::new(),
            d.sheet.clone().unwrap_or_default(),
            d.cell.map(|c| c.to_string()).unwrap_or_default(),
            String::new(),
            d.rule.to_string(),
            severity_word(d.severity, Lang::Zh).to_string(),
            d.field.clone().unwrap_or_default(),
            d.value.clone().unwrap_or_default(),
            d.message(Lang::Zh),
            d.help(Lang::Zh),
        ];
        (|| -> Result<(), rust_xlsxwriter::XlsxError> {
            ws.write_number_with_format(r, 0, r as f64, &row_fmt)?;
            for (c, text) in cells.iter().enumerate().skip(1) {
                if c == 3 {
                    match m {
                        Some((_, m)) => {
                            let url = Url::new(format!("internal:'{}'!{}", m.sheet, m.cell))
                                .set_text(format!("{}!{}", m.sheet, m.cell));
                            ws.write_url_with_format(r, 3, url, &row_fmt)?;
                        }
                        None => {
                            ws.write_string_with_format(r, 3, "", &row_fmt)?;
                        }
                    }
                } else {
                    ws.write_string_with_format(r, c as u16, text, &row_fmt)?;
                }
            }
            Ok(())
        })()
        .map_err(|e| WriteError::from(e).at(path))?;
    }
    ws.set_freeze_panes(1, 0)
        .map_err(|e| WriteError::from(e).at(path))?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    save_atomic(&mut wb, path)?;
    Ok(marks.into_iter().map(|m| m.map(|(_, m)| m)).collect())
}
