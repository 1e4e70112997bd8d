//! The annotated copy of a checked file (`validate --annotate OUT.xlsx`, `merge --annotate-dir`):
//! what the city sends back to the county. Every sheet of the file with every cell where it was
//! (values as read, formulas as formulas with their cached results, merged ranges, field lines
//! and extra columns as written); the template's formats, dropdowns, row heights and print setup
//! on each recognised table; each error cell filled red and each warning cell yellow with a note
//! (批注) on a visible cell (a merged range's top-left); a first sheet 问题清单 lists them and
//! links to each. The clerk corrects the marked cells, saves, and the copy validates clean.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Format, Formula, Note, Worksheet, XlsxError};

use super::issues::{fill, fit_cell, write_issues, Issue};
pub use super::issues::{Mark, ERROR_FILL, ISSUES_SHEET, WARNING_FILL};
use super::layout::{
    dropdown, freeze_after, list_validation, set_print, text_units, title_height, RowHeights,
    DEFAULT_COL_WIDTH, DEFAULT_ROW_HEIGHT,
};
use super::template::BLOCK_ROW_HEIGHT;
use super::{new_workbook, stage as stage_workbook, Formats, Staged, WriteError};
use crate::config::Config;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::grid::{Cell, CellRef, Sheet, Value};
use crate::report::severity_word;
use crate::table::{RowKind, Table};
use crate::template::{Kind, TemplateId};
use crate::validate::Validated;
use crate::values::normalize_label;

/// Excel's last row and column (0-based): cells beyond them cannot be written.
const MAX_ROW: u32 = 1_048_575;
const MAX_COL: u32 = 16_383;
/// Bounds (character units) of a column sized from its content.
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 40.0;

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

/// What a cell of the copy is, which decides its format.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// `附件2` above the title.
    Attachment,
    Title,
    /// Anything outside a table: field lines (`单位（盖章）：…`), notes, unrecognised sheets.
    Field,
    Header,
    /// A table cell: the template column's kind, `None` in a column the county added.
    Data(Option<Kind>),
    /// A 合计 / 小计 row's cell.
    Total(Option<Kind>),
    /// Under the table (备注, signatures).
    Footnote,
}

/// A source sheet and, when recognised, where its table lies.
struct Plan<'a> {
    sheet: &'a Sheet,
    table: Option<TablePlan<'a>>,
}

struct TablePlan<'a> {
    table: &'a Table,
    /// Sheet column → template column index.
    index: HashMap<u32, usize>,
    kinds: HashMap<u32, RowKind>,
    /// First and last sheet column of the table, the county's extra columns included.
    cols: (u32, u32),
    /// Last row of the table (its last data or total row; the header's last without rows).
    last_row: u32,
}

impl<'a> TablePlan<'a> {
    fn new(table: &'a Table) -> Self {
        let h = &table.header;
        let index: HashMap<u32, usize> = h
            .cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (c, i)))
            .collect();
        let known = index.keys().copied();
        let extra = h.unknown.iter().map(|(c, _)| *c);
        let all: Vec<u32> = known.chain(extra).chain([h.first_col]).collect();
        let cols = (
            all.iter().copied().min().unwrap_or(0),
            all.iter().copied().max().unwrap_or(0),
        );
        TablePlan {
            table,
            index,
            kinds: table.rows.iter().map(|r| (r.row, r.kind)).collect(),
            cols,
            last_row: table.rows.iter().map(|r| r.row).fold(h.bottom, u32::max),
        }
    }

    fn kind(&self, col: u32) -> Option<Kind> {
        self.index
            .get(&col)
            .map(|&i| self.table.template().columns[i].kind)
    }
}

impl Plan<'_> {
    fn role(&self, r: u32, c: u32, v: &Value) -> Role {
        let Some(tp) = &self.table else {
            return Role::Field;
        };
        let h = &tp.table.header;
        let t = tp.table.template();
        let inside = c >= tp.cols.0 && c <= tp.cols.1;
        if r < h.top {
            if let Value::Text(s) = v {
                let s = normalize_label(s);
                if s == normalize_label(t.title) {
                    return Role::Title;
                }
                if s == normalize_label(t.attachment) {
                    return Role::Attachment;
                }
            }
            return Role::Field;
        }
        if !inside {
            return Role::Field;
        }
        if r <= h.bottom {
            return Role::Header;
        }
        if r <= tp.last_row {
            return match tp.kinds.get(&r) {
                Some(RowKind::Total | RowKind::Subtotal) => Role::Total(tp.kind(c)),
                _ => Role::Data(tp.kind(c)),
            };
        }
        Role::Footnote
    }
}

/// The format of a cell holding `v` in `role`.
fn format_for<'f>(fmt: &'f Formats, role: Role, v: &Value) -> &'f Format {
    let date = matches!(v, Value::Date(_));
    let number = matches!(v, Value::Number(_));
    match role {
        Role::Attachment => &fmt.attachment,
        Role::Title => &fmt.title,
        Role::Header => &fmt.header,
        Role::Field | Role::Footnote if date => &fmt.field_date,
        Role::Field => &fmt.field,
        Role::Footnote => &fmt.footnote,
        // A plain number in a date column (`2024.1` typed for a month) stays a plain number:
        // under the column's date format Excel would show it as a 1905 date.
        Role::Data(Some(Kind::Date | Kind::AgreementDate | Kind::Month)) if number => {
            &fmt.text_center
        }
        Role::Data(Some(Kind::Month)) if date => &fmt.month,
        Role::Data(_) if date => &fmt.date,
        Role::Data(Some(kind)) => fmt.for_kind(kind),
        Role::Data(None) => &fmt.text,
        Role::Total(Some(kind)) if number => fmt.for_total(kind),
        Role::Total(_) => &fmt.total_label,
    }
}

/// Excel's serial number of a date and time.
fn serial(d: &NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|e| e.and_hms_opt(0, 0, 0))
        .expect("a valid date");
    (*d - epoch).num_seconds() as f64 / 86_400.0
}

/// Writes one source cell as it was: a formula with its cached result, or its value.
fn write_cell(
    ws: &mut Worksheet,
    at: CellRef,
    cell: &Cell,
    f: &Format,
    lang: Lang,
) -> Result<(), XlsxError> {
    let (r, c) = (at.row, at.col as u16);
    if let Some(formula) = cell.formula_text() {
        let result = match &cell.value {
            Value::Date(d) => serial(d).to_string(),
            v => v.display(),
        };
        let formula = Formula::new(format!("={formula}")).set_result(result);
        ws.write_formula_with_format(r, c, formula, f)?;
        return Ok(());
    }
    match &cell.value {
        Value::Empty => ws.write_blank(r, c, f)?,
        Value::Text(s) | Value::Error(s) => {
            ws.write_string_with_format(r, c, fit_cell(s, lang), f)?
        }
        Value::Number(n) => ws.write_number_with_format(r, c, *n, f)?,
        Value::Bool(b) => ws.write_boolean_with_format(r, c, *b, f)?,
        Value::Date(d) => ws.write_number_with_format(r, c, serial(d), f)?,
    };
    Ok(())
}

fn note_text(d: &Diagnostic, lang: Lang, config: &Config, moved_from: Option<CellRef>) -> String {
    let mut s = format!(
        "[{} {}] {}\n{}{}",
        severity_word(d.severity, lang),
        d.rule,
        d.message(lang),
        Lang::pick("要求：", "wants: ", lang),
        d.help(lang, config)
    );
    if let Some(c) = moved_from {
        s.push_str(&match lang {
            Lang::Zh => format!("\n（指合并单元格中的 {c}）"),
            Lang::En => format!("\n(about {c}, inside this merged range)"),
        });
    }
    s
}

/// The marks of one sheet: cell → worst severity and the notes.
type SheetMarks = BTreeMap<CellRef, (Severity, Vec<String>)>;

/// Writes the annotated copy of `v` to `path` in `lang` (the rules as `config` words them); returns where each diagnostic was
/// marked (`None` for a diagnostic without a cell, listed only in 问题清单).
pub fn write(
    v: &Validated,
    path: &Path,
    lang: Lang,
    config: &Config,
) -> Result<Vec<Option<Mark>>, WriteError> {
    let (staged, marks) = stage(v, path, lang, config)?;
    staged.commit()?;
    Ok(marks)
}

/// Writes the annotated copy to a temporary beside `path` (see `write`), to be put in place with
/// `Staged::commit`.
pub fn stage(
    v: &Validated,
    path: &Path,
    lang: Lang,
    config: &Config,
) -> Result<(Staged, Vec<Option<Mark>>), WriteError> {
    let fmt = Formats::new();
    let mut wb = new_workbook()?;
    // A 问题清单 from an earlier round (a returned copy checked again) is replaced by this one.
    let sheets: Vec<&Sheet> = v
        .workbook
        .iter()
        .flat_map(|b| &b.sheets)
        .filter(|s| s.name != ISSUES_SHEET || v.tables.iter().any(|t| t.sheet == s.name))
        .collect();
    let mut names: Vec<String> = Vec::new();
    for s in &sheets {
        let name = sheet_name(&s.name, &names);
        names.push(name);
    }
    // Where each diagnostic goes: its cell, or the top-left of the merged range holding it.
    let mut per_sheet: Vec<SheetMarks> = vec![SheetMarks::new(); sheets.len()];
    let marks: Vec<Option<Mark>> = v
        .report
        .diagnostics
        .iter()
        .map(|d| {
            let (sheet, cell) = (d.sheet.as_ref()?, d.cell?);
            let i = sheets.iter().position(|s| &s.name == sheet)?;
            if cell.row > MAX_ROW || cell.col > MAX_COL {
                return None;
            }
            let at = sheets[i]
                .merge_at(cell.row, cell.col)
                .map_or(cell, |m| m.first);
            let e = per_sheet[i].entry(at).or_insert((d.severity, Vec::new()));
            e.0 = e.0.min(d.severity);
            e.1.push(note_text(d, lang, config, (at != cell).then_some(cell)));
            Some(Mark {
                sheet: names[i].clone(),
                cell: at,
            })
        })
        .collect();

    let ws = wb.add_worksheet();
    ws.set_name(ISSUES_SHEET)
        .map_err(|e| WriteError::from(e).at(path))?;
    let file = v
        .report
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unit = v.report.unit.clone().unwrap_or_default();
    let issues = v.report.diagnostics.iter().zip(&marks).map(|(d, m)| Issue {
        unit: &unit,
        file: &file,
        diag: d,
        mark: m.as_ref(),
    });
    write_issues(ws, issues, lang, config, &fmt).map_err(|e| e.at(path))?;

    for (i, sheet) in sheets.iter().enumerate() {
        let plan = Plan {
            sheet,
            table: v
                .tables
                .iter()
                .find(|t| t.sheet == sheet.name)
                .map(TablePlan::new),
        };
        let ws = wb.add_worksheet();
        ws.set_name(&names[i])
            .map_err(|e| WriteError::from(e).at(path))?;
        copy_sheet(ws, &plan, &per_sheet[i], &fmt, lang).map_err(|e| e.at(path))?;
        if sheet.hidden {
            ws.set_hidden(true);
        }
    }
    let staged = stage_workbook(&mut wb, path)?;
    Ok((staged, marks))
}

/// Column widths: a template column's own width, any other column sized to the texts of its
/// unmerged cells (within the table's rows on a recognised sheet).
fn column_widths(plan: &Plan) -> BTreeMap<u32, f64> {
    let mut widths = BTreeMap::new();
    let rows = plan
        .table
        .as_ref()
        .map(|tp| (tp.table.header.top, tp.last_row));
    for (at, cell) in plan.sheet.iter() {
        if at.col > MAX_COL
            || rows.is_some_and(|(a, b)| at.row < a || at.row > b)
            || plan.sheet.merge_at(at.row, at.col).is_some()
        {
            continue;
        }
        let units = text_units(&cell.value.display()) + 2.0;
        let w = widths.entry(at.col).or_insert(MIN_WIDTH);
        *w = units.clamp(*w, MAX_WIDTH);
    }
    if let Some(tp) = &plan.table {
        let columns = tp.table.template().columns;
        for (&col, &i) in &tp.index {
            widths.insert(col, columns[i].width);
        }
    }
    widths
}

fn copy_sheet(
    ws: &mut Worksheet,
    plan: &Plan,
    marks: &SheetMarks,
    fmt: &Formats,
    lang: Lang,
) -> Result<(), WriteError> {
    // Excel shows a note's author above its text: sign them pgcheck, not "Author".
    ws.set_default_note_author("pgcheck");
    // A formula the file holds without a result stays without one (not a made-up 0).
    ws.set_formula_result_default("");
    let sheet = plan.sheet;
    let widths = column_widths(plan);
    for (&col, &w) in &widths {
        ws.set_column_width(col as u16, w)?;
    }
    let width_of = |c: u32| widths.get(&c).copied().unwrap_or(DEFAULT_COL_WIDTH);
    let marked = |at: CellRef, f: &Format| match marks.get(&at) {
        Some((sev, _)) => fill(f, *sev),
        None => f.clone(),
    };
    // The county's own row heights (a clerk's taller rows), grown only where a text needs more.
    let mut heights = RowHeights::default();
    for (&row, &h) in sheet.row_heights.range(..=MAX_ROW) {
        heights.keep(row, h);
    }
    let in_limits = |at: CellRef| at.row <= MAX_ROW && at.col <= MAX_COL;

    // Merged ranges first, in their top-left cell's format; the cells then fill them.
    for m in sheet.merges() {
        if !in_limits(m.last) {
            continue;
        }
        let value = sheet.get(m.first.row, m.first.col);
        let role = plan.role(m.first.row, m.first.col, value);
        let f = marked(m.first, format_for(fmt, role, value));
        let (r1, c1, r2, c2) = (
            m.first.row,
            m.first.col as u16,
            m.last.row,
            m.last.col as u16,
        );
        // Overlapping ranges (a damaged file) cannot all be merged: the cells are still copied.
        if ws.merge_range(r1, c1, r2, c2, "", &f).is_ok() && role != Role::Field {
            let width: f64 = (m.first.col..=m.last.col).map(width_of).sum();
            heights.add(r1, r2, &value.display(), width);
        }
    }
    for (&at, cell) in sheet.iter() {
        if !in_limits(at) {
            continue;
        }
        let covering = sheet.merge_at(at.row, at.col);
        if covering.is_some_and(|m| m.first != at) {
            continue; // covered by a merged range: its value is the top-left's
        }
        if matches!(cell.value, Value::Empty) && cell.formula.is_none() {
            continue; // blank cells of the table get their borders below
        }
        let role = plan.role(at.row, at.col, &cell.value);
        let f = marked(at, format_for(fmt, role, &cell.value));
        write_cell(ws, at, cell, &f, lang)?;
        if covering.is_none() && !matches!(role, Role::Field | Role::Attachment) {
            heights.add(at.row, at.row, &cell.value.display(), width_of(at.col));
        } else if heights.has_own(at.row) && !cell.value.is_empty() {
            // A line that runs on (附件4, 填报人：…) in a row made shorter: one line high.
            heights.at_least(at.row, at.row, DEFAULT_ROW_HEIGHT);
        }
    }
    if let Some(tp) = &plan.table {
        table_setup(ws, plan, tp, marks, fmt, &mut heights, &width_of)?;
    }
    // Marks on cells that hold nothing outside a table: filled all the same.
    for (&at, (sev, notes)) in marks {
        let stored = sheet
            .raw(at.row, at.col)
            .is_some_and(|c| !matches!(c.value, Value::Empty) || c.formula.is_some());
        let in_table = plan.table.as_ref().is_some_and(|tp| {
            let h = &tp.table.header;
            at.row >= h.top && at.row <= tp.last_row && at.col >= tp.cols.0 && at.col <= tp.cols.1
        });
        if !stored && !in_table && sheet.merge_at(at.row, at.col).is_none() {
            ws.write_blank(at.row, at.col as u16, &fill(&fmt.field, *sev))?;
        }
        let note = Note::new(fit_cell(&notes.join("\n\n"), lang))
            .set_width(420)
            .set_height(160);
        ws.insert_note(at.row, at.col as u16, &note)?;
    }
    heights.apply(ws)
}

/// A recognised table's borders on blank cells, dropdowns, minimum row heights and print setup.
fn table_setup(
    ws: &mut Worksheet,
    plan: &Plan,
    tp: &TablePlan,
    marks: &SheetMarks,
    fmt: &Formats,
    heights: &mut RowHeights,
    width_of: &dyn Fn(u32) -> f64,
) -> Result<(), WriteError> {
    let sheet = plan.sheet;
    let h = &tp.table.header;
    let t = tp.table.template();
    for r in h.top..=tp.last_row {
        for c in tp.cols.0..=tp.cols.1 {
            let empty = sheet
                .raw(r, c)
                .is_none_or(|cell| matches!(cell.value, Value::Empty) && cell.formula.is_none());
            if empty && sheet.merge_at(r, c).is_none() {
                let f = format_for(fmt, plan.role(r, c, &Value::Empty), &Value::Empty);
                let at = CellRef::new(r, c);
                match marks.get(&at) {
                    Some((sev, _)) => ws.write_blank(r, c as u16, &fill(f, *sev))?,
                    None => ws.write_blank(r, c as u16, f)?,
                };
            }
        }
    }
    // The title row as tall as its 16 pt text needs (the template's height at least); the
    // blocks of 附件4 / 附件5 as tall as the template makes them unless the file gives them
    // heights of their own.
    for (&at, cell) in sheet.iter() {
        if at.row < h.top && plan.role(at.row, at.col, &cell.value) == Role::Title {
            let width: f64 = match sheet.merge_at(at.row, at.col) {
                Some(m) => (m.first.col..=m.last.col).map(width_of).sum(),
                None => width_of(at.col),
            };
            heights.at_least(at.row, at.row, title_height(&cell.value.display(), width));
        }
    }
    let data_rows: Vec<u32> = tp
        .table
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Data)
        .map(|r| r.row)
        .collect();
    if matches!(t.id, TemplateId::A4 | TemplateId::A5) {
        for &r in &data_rows {
            if !heights.has_own(r) {
                heights.at_least(r, r, BLOCK_ROW_HEIGHT);
            }
        }
    }
    // The template's dropdowns over the data rows.
    if let (Some(&first), Some(&last)) = (data_rows.first(), data_rows.last()) {
        for (i, c) in t.columns.iter().enumerate() {
            if let (Some(list), Some(col)) = (dropdown(c.kind), h.cols[i]) {
                let dv = list_validation(c, &list)?;
                ws.add_data_validation(first, col as u16, last, col as u16, &dv)?;
            }
        }
    }
    let freeze = freeze_after(t)
        .and_then(|i| h.cols[i])
        .map_or(0, |c| c as u16 + 1);
    set_print(ws, t, (h.top, h.bottom), freeze)
}
