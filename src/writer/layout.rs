//! The sheet layout shared by the blank templates and the consolidated workbook: title rows,
//! fields, the multi-level header derived from the column paths, blank and total rows, dropdowns,
//! footnotes and print setup. Rows and columns are 0-based, as rust_xlsxwriter counts them.

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Formula, Worksheet};

use super::format::{FONT_SIZE, TITLE_FONT_SIZE};
use super::{Formats, WriteError};
use crate::grid::{format_number, CellRef};
use crate::template::{
    a2, Column, Field, FieldRole, Key, Kind, Template, TemplateId, DATE_PLACEHOLDER,
};
use crate::values::{stage_label, YearMonth, SOURCES, STAGES};

/// Width of an extra leading column such as `填报单位` (Excel character units).
pub const LEAD_WIDTH: f64 = 12.0;
/// Height of the title row (points).
pub const TITLE_HEIGHT: f64 = 32.0;
/// Height of one line of body text (points), used to size wrapped rows.
pub const LINE_HEIGHT: f64 = 13.5;
/// Paper size code for A3 (`set_paper_size`).
pub const PAPER_A3: u8 = 8;

/// Where a sheet's parts landed, as `write_sheet_frame` laid them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// First header row.
    pub header_row: u32,
    /// First row under the header (the total row of A2, the first data row of A3-A5).
    pub data_row: u32,
    /// 1 when the sheet has a leading column (`填报单位`), else 0.
    pub col_offset: u16,
    /// Last column of the table.
    pub last_col: u16,
}

impl Layout {
    /// The sheet column of the template's column `index`.
    pub fn col(&self, index: usize) -> u16 {
        self.col_offset + index as u16
    }

    /// The sheet column of the template column with this key; panics on an unknown key.
    pub fn col_of(&self, t: &Template, key: impl Into<Key>) -> u16 {
        self.col(t.index(key))
    }
}

/// The labels of the eleven stages as the dropdown and footnote show them: `1、未开工` …
pub fn stage_labels() -> Vec<String> {
    (0..STAGES.len()).map(stage_label).collect()
}

/// Writes a one-row header, each column's text in `fmt` and its width (character units).
pub fn write_column_heads(
    ws: &mut Worksheet,
    row: u32,
    cols: &[(&str, f64)],
    fmt: &Format,
) -> Result<(), WriteError> {
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, fmt)?;
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// Page setup of a list sheet (the week-over-week and stalled-project sheets): panes frozen
/// under the header, landscape, fit to width, header rows `1..=header_last` repeated.
pub fn set_list_print(ws: &mut Worksheet, header_last: u32) -> Result<(), WriteError> {
    ws.set_freeze_panes(header_last + 1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(1, header_last)?;
    Ok(())
}

/// Writes `text` over the range, merging only when it spans more than one cell
/// (rust_xlsxwriter refuses a one-cell merge).
pub fn write_merged(
    ws: &mut Worksheet,
    (r1, c1): (u32, u16),
    (r2, c2): (u32, u16),
    text: &str,
    fmt: &Format,
) -> Result<(), WriteError> {
    if r1 == r2 && c1 == c2 {
        ws.write_string_with_format(r1, c1, text, fmt)?;
    } else {
        ws.merge_range(r1, c1, r2, c2, text, fmt)?;
    }
    Ok(())
}

/// Excel's default row height (points): rows needing no more are left alone.
pub const DEFAULT_ROW_HEIGHT: f64 = 15.0;
/// Excel's largest row height (points).
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// Excel's default column width (character units), for columns no width was set for.
pub const DEFAULT_COL_WIDTH: f64 = 8.43;

/// Rough width of a text in Excel character units: a CJK character counts as two.
pub fn text_units(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.0 })
        .sum()
}

/// Lines a wrapped text needs in a cell `width` characters wide.
pub fn lines(s: &str, width: f64) -> f64 {
    s.split('\n')
        .map(|part| (text_units(part) / (width - 1.0).max(1.0)).ceil().max(1.0))
        .sum()
}

/// The height (points) that shows `lines` lines of body text, capped at Excel's maximum.
pub fn rows_height(lines: f64) -> f64 {
    (lines * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// The height (points) of a title row showing `text` at the title's 16 pt in a merged range
/// `width` characters wide: `TITLE_HEIGHT` for one line, more for a title that wraps.
pub fn title_height(text: &str, width: f64) -> f64 {
    let scale = TITLE_FONT_SIZE / FONT_SIZE;
    let lines = lines(text, width / scale);
    (lines * LINE_HEIGHT * scale + 4.0).clamp(TITLE_HEIGHT, MAX_ROW_HEIGHT)
}

/// The height a row needs for its wrapped texts, each given with the width (character units)
/// of the cell or merged range it sits in; `None` when the default height shows them whole.
pub fn needed_height<'s>(cells: impl IntoIterator<Item = (&'s str, f64)>) -> Option<f64> {
    let need = cells
        .into_iter()
        .filter(|(s, _)| !s.is_empty())
        .map(|(s, w)| rows_height(lines(s, w)))
        .fold(0.0, f64::max);
    (need > DEFAULT_ROW_HEIGHT).then_some(need)
}

/// Row heights collected cell by cell, for sheets written out of row order: a text merged over
/// several rows tops up the last of them with what the others lack. A row with a height of its
/// own (`keep`) keeps it, taller or shorter than the default, unless its texts need more.
#[derive(Debug, Default)]
pub struct RowHeights {
    single: std::collections::BTreeMap<u32, f64>,
    spans: Vec<(u32, u32, f64)>,
    own: std::collections::BTreeMap<u32, f64>,
}

impl RowHeights {
    /// Rows `first..=last` must together show `text` in a cell `width` characters wide.
    pub fn add(&mut self, first: u32, last: u32, text: &str, width: f64) {
        if text.is_empty() {
            return;
        }
        self.at_least(first, last, rows_height(lines(text, width)));
    }

    /// Rows `first..=last` must together be at least `height` points tall.
    pub fn at_least(&mut self, first: u32, last: u32, height: f64) {
        if first == last {
            let h = self.single.entry(first).or_insert(DEFAULT_ROW_HEIGHT);
            *h = h.max(height);
        } else {
            self.spans.push((first, last, height));
        }
    }

    /// Row `row` has `height` points of its own (the file's): it keeps them, growing only
    /// for what `add` and `at_least` ask beyond.
    pub fn keep(&mut self, row: u32, height: f64) {
        self.own.insert(row, height.clamp(0.0, MAX_ROW_HEIGHT));
    }

    /// True when `keep` gave row `row` a height of its own.
    pub fn has_own(&self, row: u32) -> bool {
        self.own.contains_key(&row)
    }

    /// The height of `row`: its own or the default, or what its texts need if more.
    fn height(&self, row: u32) -> f64 {
        let base = self.own.get(&row).copied().unwrap_or(DEFAULT_ROW_HEIGHT);
        self.single.get(&row).map_or(base, |&need| need.max(base))
    }

    /// Sets every row that needs more than the default height, and every row with its own.
    pub fn apply(mut self, ws: &mut Worksheet) -> Result<(), WriteError> {
        for &(first, last, need) in &self.spans.clone() {
            let have: f64 = (first..=last).map(|r| self.height(r)).sum();
            if have < need {
                let h = (self.height(last) + need - have).min(MAX_ROW_HEIGHT);
                self.single.insert(last, h);
            }
        }
        let rows: std::collections::BTreeSet<u32> =
            self.single.keys().chain(self.own.keys()).copied().collect();
        for row in rows {
            let h = self.height(row);
            if h > DEFAULT_ROW_HEIGHT || self.own.contains_key(&row) {
                ws.set_row_height(row, h)?;
            }
        }
        Ok(())
    }
}

/// Total width of the table: the template's columns plus a leading column.
pub fn table_width(t: &Template, lead: bool) -> f64 {
    t.columns.iter().map(|c| c.width).sum::<f64>() + if lead { LEAD_WIDTH } else { 0.0 }
}

/// Sets column widths from `Column::width` (and `LEAD_WIDTH` for a leading column). Chinese text
/// needs these: `autofit` counts a CJK character as one narrow character.
pub fn set_column_widths(ws: &mut Worksheet, t: &Template, lead: bool) -> Result<(), WriteError> {
    let offset = u16::from(lead);
    if lead {
        ws.set_column_width(0, LEAD_WIDTH)?;
    }
    for (i, c) in t.columns.iter().enumerate() {
        ws.set_column_width(offset + i as u16, c.width)?;
    }
    Ok(())
}

/// Writes the multi-level header of `t` from `top_row`, with an optional leading column (e.g.
/// `填报单位`) merged down over the header. Returns the first row under the header.
///
/// The merges come from the column paths: a group label is merged across the consecutive columns
/// that share the same path up to it; a leaf whose path is shorter than the header depth is merged
/// down to the deepest header row. Row heights are set so wrapped labels show whole.
pub fn write_header(
    ws: &mut Worksheet,
    t: &Template,
    top_row: u32,
    lead: Option<&str>,
    plan_deadline: NaiveDate,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    // The one label that follows the config: 附件2's plan group names the deadline.
    let plan = a2::plan_group(plan_deadline);
    let depth = t.header_depth();
    let last = top_row + depth as u32 - 1;
    let offset = u16::from(lead.is_some());
    // Each header cell: (first level, last level, first column, last column, label, width).
    let mut cells: Vec<(usize, usize, u16, u16, &str, f64)> = Vec::new();
    if let Some(label) = lead {
        cells.push((0, depth - 1, 0, 0, label, LEAD_WIDTH));
    }
    let cols = t.columns;
    for level in 0..depth {
        let mut i = 0;
        while i < cols.len() {
            let c = &cols[i];
            if level >= c.path.len() {
                i += 1;
                continue;
            }
            let label = match c.path[level] {
                a2::PLAN_BY => plan.as_str(),
                label => label,
            };
            let col = offset + i as u16;
            if level + 1 == c.path.len() {
                // A leaf: merged down to the deepest header row.
                cells.push((level, depth - 1, col, col, label, c.width));
                i += 1;
            } else {
                // A group: across every following column with the same path prefix.
                let prefix = &c.path[..=level];
                let end = i + cols[i..]
                    .iter()
                    .take_while(|d| d.path.len() > level + 1 && d.path[..=level] == *prefix)
                    .count();
                let width: f64 = cols[i..end].iter().map(|d| d.width).sum();
                cells.push((level, level, col, offset + end as u16 - 1, label, width));
                i = end;
            }
        }
    }
    // Heights first (a streamed sheet cannot size a row once a later one is written): single-row
    // cells, then merged-down cells add what their rows still lack.
    let mut heights = vec![rows_height(1.0); depth];
    for &(first, last_level, _, _, label, width) in &cells {
        if first == last_level {
            heights[first] = heights[first].max(rows_height(lines(label, width)));
        }
    }
    for &(first, last_level, _, _, label, width) in &cells {
        let need = rows_height(lines(label, width));
        let have: f64 = heights[first..=last_level].iter().sum();
        if first != last_level && have < need {
            heights[last_level] += need - have;
        }
    }
    for (level, h) in heights.iter().enumerate() {
        ws.set_row_height(top_row + level as u32, *h)?;
    }
    for level in 0..depth {
        for &(first, last_level, c1, c2, label, _) in cells.iter().filter(|c| c.0 == level) {
            let (r1, r2) = (top_row + first as u32, top_row + last_level as u32);
            write_merged(ws, (r1, c1), (r2, c2), label, &fmt.header)?;
        }
    }
    Ok(last + 1)
}

/// The text of a field above the header: `单位(盖章):`, `填报时间: 2024 年 月 日` (A3) or
/// `单位（盖章）：`, `填报时间：2024 年 月 日` (A4, A5). The colon follows the template's own
/// style (full-width when its labels use full-width brackets). With an empty `value`, a date
/// field (`…时间`) shows the blank date placeholder.
pub fn field_text(t: &Template, field: &Field, value: &str) -> String {
    let label = field.label;
    let value = if value.is_empty() && field.role == FieldRole::Date {
        DATE_PLACEHOLDER
    } else {
        value
    };
    let full_width = t.fields.iter().any(|f| f.label.contains('（'));
    match (full_width, value.is_empty()) {
        (true, _) => format!("{label}：{value}"),
        (false, true) => format!("{label}:"),
        (false, false) => format!("{label}: {value}"),
    }
}

/// Lays out a sheet's frame: row 1 `附件N`; row 2 the title merged over all columns; one row per
/// field (`单位(盖章):` …, with `field_values[i]` after the label when given); the header; column
/// widths; print setup (landscape, A3, one page wide, header rows repeated) and frozen panes
/// below the header. `lead` adds a leading column (e.g. `填报单位`).
pub fn write_sheet_frame(
    ws: &mut Worksheet,
    t: &Template,
    lead: Option<&str>,
    field_values: &[&str],
    plan_deadline: NaiveDate,
    fmt: &Formats,
) -> Result<Layout, WriteError> {
    let col_offset = u16::from(lead.is_some());
    let last_col = col_offset + t.columns.len() as u16 - 1;
    ws.write_string_with_format(0, 0, t.attachment, &fmt.attachment)?;
    write_merged(ws, (1, 0), (1, last_col), t.title, &fmt.title)?;
    ws.set_row_height(1, TITLE_HEIGHT)?;
    for (i, field) in t.fields.iter().enumerate() {
        let value = field_values.get(i).copied().unwrap_or("");
        ws.write_string_with_format(2 + i as u32, 0, field_text(t, field, value), &fmt.field)?;
    }
    let header_row = 2 + t.fields.len() as u32;
    let data_row = write_header(ws, t, header_row, lead, plan_deadline, fmt)?;
    set_column_widths(ws, t, lead.is_some())?;
    let layout = Layout {
        header_row,
        data_row,
        col_offset,
        last_col,
    };
    set_print(
        ws,
        t,
        (header_row, data_row - 1),
        freeze_after(t).map_or(0, |i| col_offset + i as u16 + 1),
    )?;
    Ok(layout)
}

/// Paper size code for A4 (`set_paper_size`).
pub const PAPER_A4: u8 = 9;

/// How a template's sheet prints: 附件2 and 附件3 (wide) on A3 landscape, 附件4 and 附件5 on A4
/// landscape, always one page wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// `set_paper_size` code.
    pub code: u8,
    /// Printable width in points at 100 % (paper width less Excel's default 0.7 in margins).
    pub printable_width: f64,
}

pub const A3_LANDSCAPE: Paper = Paper {
    code: PAPER_A3,
    printable_width: 420.0 / 25.4 * 72.0 - 2.0 * 0.7 * 72.0,
};
pub const A4_LANDSCAPE: Paper = Paper {
    code: PAPER_A4,
    printable_width: 297.0 / 25.4 * 72.0 - 2.0 * 0.7 * 72.0,
};

/// The paper template `t` prints on.
pub fn paper(t: &Template) -> Paper {
    match t.id {
        TemplateId::A2 | TemplateId::A3 => A3_LANDSCAPE,
        TemplateId::A4 | TemplateId::A5 => A4_LANDSCAPE,
    }
}

/// The printed width (points at 100 %) of columns `widths` (Excel character units): Excel draws
/// a column `w` characters wide as `7w + 5` pixels of the default font, 96 pixels to the inch.
pub fn print_width(widths: impl IntoIterator<Item = f64>) -> f64 {
    widths
        .into_iter()
        .map(|w| (w * 7.0 + 5.0).trunc() * 72.0 / 96.0)
        .sum()
}

/// The scale at which columns `widths` fit `paper` one page wide (at most 100 %).
pub fn print_scale(widths: impl IntoIterator<Item = f64>, paper: Paper) -> f64 {
    (paper.printable_width / print_width(widths)).min(1.0)
}

/// The template column panes are frozen right of: 项目名称 where the template has one near the
/// left (附件2), so that it stays in view on the wide sheet; else none.
pub fn freeze_after(t: &Template) -> Option<usize> {
    t.columns
        .iter()
        .position(|c| c.key == Key::A2(a2::Col::ProjectName))
        .filter(|&i| i < 4)
}

/// Print setup of a template's sheet whose header spans rows `header` (first, last): its paper,
/// landscape, one page wide, header rows repeated on every page, panes frozen below the header
/// and right of `freeze_col`.
pub fn set_print(
    ws: &mut Worksheet,
    t: &Template,
    header: (u32, u32),
    freeze_col: u16,
) -> Result<(), WriteError> {
    ws.set_landscape();
    ws.set_paper_size(paper(t).code);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header.0, header.1)?;
    ws.set_freeze_panes(header.1 + 1, freeze_col)?;
    Ok(())
}

/// Writes bordered blank cells (each column with its kind's format) in `count` rows from
/// `first_row`, so a clerk's typed dates and numbers get the right format (months: text).
pub fn write_blank_rows(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    first_row: u32,
    count: u32,
    fmt: &Formats,
) -> Result<(), WriteError> {
    for row in first_row..first_row + count {
        if layout.col_offset > 0 {
            ws.write_blank(row, 0, &fmt.text_center)?;
        }
        for (i, c) in t.columns.iter().enumerate() {
            ws.write_blank(row, layout.col(i), fmt.for_blank(c.kind))?;
        }
    }
    Ok(())
}

/// The `SUM` formula of a column over one or more row ranges (0-based, inclusive):
/// `=SUM(G7:G16)`, `=SUM(G8:G10,G12:G15)`.
pub fn sum_formula(col: u16, ranges: &[(u32, u32)]) -> String {
    let name = CellRef::col_name(u32::from(col));
    let parts: Vec<String> = ranges
        .iter()
        .map(|(a, b)| format!("{name}{}:{name}{}", a + 1, b + 1))
        .collect();
    format!("=SUM({})", parts.join(","))
}

/// A 合计 / 小计 row for `write_total_row`.
pub struct TotalRow<'a> {
    pub row: u32,
    /// `(column key, text)`, e.g. `[(a2::Col::Seq.into(), "合计"), …]`.
    pub labels: &'a [(Key, &'a str)],
    /// Row ranges (0-based, inclusive) the sums cover; empty: no formulas.
    pub ranges: &'a [(u32, u32)],
    /// The cached result of the summed column with this template index (what the sum evaluates
    /// to now; readers that do not recalculate, calamine and `validate` among them, see it).
    pub cached: &'a dyn Fn(usize) -> f64,
}

/// A cell of a 合计 / 小计 row.
pub enum TotalCell<'a> {
    /// A label (合计, the unit) in `Formats::total_label`.
    Label(&'a str),
    /// A `SUM` over the total's ranges (`=SUM(G7:G16)`) with its cached result, in its kind's
    /// total format.
    Sum {
        formula: String,
        cached: f64,
        format: &'a Format,
    },
    /// A bordered blank in `Formats::total_label`.
    Blank,
}

/// The cells of a 合计 / 小计 row, by sheet column: the labels, a `SUM` over the ranges with
/// its cached result in every summed column, bordered blanks elsewhere.
pub fn total_cells<'a>(
    t: &Template,
    layout: &Layout,
    total: &TotalRow<'a>,
    fmt: &'a Formats,
) -> Vec<(u16, TotalCell<'a>)> {
    let lead = (layout.col_offset > 0).then_some((0, TotalCell::Blank));
    let columns = t.columns.iter().enumerate().map(|(i, c)| {
        let col = layout.col(i);
        let cell = if let Some((_, text)) = total.labels.iter().find(|(key, _)| *key == c.key) {
            TotalCell::Label(text)
        } else if c.summed && !total.ranges.is_empty() {
            TotalCell::Sum {
                formula: sum_formula(col, total.ranges),
                cached: (total.cached)(i),
                format: fmt.for_total(c.kind),
            }
        } else {
            TotalCell::Blank
        };
        (col, cell)
    });
    lead.into_iter().chain(columns).collect()
}

/// Writes a 合计 / 小计 row ([`total_cells`]).
pub fn write_total_row(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    total: &TotalRow,
    fmt: &Formats,
) -> Result<(), WriteError> {
    let row = total.row;
    for (col, cell) in total_cells(t, layout, total, fmt) {
        match cell {
            TotalCell::Label(text) => ws.write_string_with_format(row, col, text, &fmt.total_label),
            TotalCell::Sum {
                formula,
                cached,
                format,
            } => {
                let f = Formula::new(formula).set_result(format_number(cached));
                ws.write_formula_with_format(row, col, f, format)
            }
            TotalCell::Blank => ws.write_blank(row, col, &fmt.total_label),
        }?;
    }
    Ok(())
}

/// The dropdown list of a column kind, if it has one: the stages, the 信息来源, 是/否.
pub fn dropdown(kind: Kind) -> Option<Vec<String>> {
    match kind {
        Kind::Stage => Some(stage_labels()),
        Kind::Source => Some(SOURCES.iter().map(|s| s.to_string()).collect()),
        Kind::YesNo => Some(vec!["是".to_string(), "否".to_string()]),
        _ => None,
    }
}

/// Adds a dropdown (data validation) to every column with a controlled vocabulary, over rows
/// `first_row..=last_row`. Warning style: a clerk may still keep another value, which `validate`
/// then reports.
pub fn add_dropdowns(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    first_row: u32,
    last_row: u32,
) -> Result<(), WriteError> {
    for (i, c) in t.columns.iter().enumerate() {
        if let Some(list) = dropdown(c.kind) {
            let dv = list_validation(c, &list)?;
            let col = layout.col(i);
            ws.add_data_validation(first_row, col, last_row, col, &dv)?;
        }
    }
    Ok(())
}

pub fn list_validation(c: &Column, list: &[String]) -> Result<DataValidation, WriteError> {
    Ok(DataValidation::new()
        .allow_list_strings(list)?
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title(c.leaf())?
        .set_error_message("请从下拉列表中选择。")?)
}

/// Writes the footnotes of `t` from `first_row`, each merged across the table, wrapped, with a
/// row height that shows it whole. Returns the row after the last footnote. 附件2's first
/// names `paid_through_min`.
pub fn write_footnotes(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    first_row: u32,
    paid_through_min: YearMonth,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let width = table_width(t, layout.col_offset > 0);
    let paid = a2::paid_note(paid_through_min);
    let mut row = first_row;
    for &note in t.footnotes {
        let note = match note {
            a2::PAID_NOTE => paid.as_str(),
            note => note,
        };
        write_merged(ws, (row, 0), (row, layout.last_col), note, &fmt.footnote)?;
        ws.set_row_height(row, rows_height(lines(note, width)))?;
        row += 1;
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{a2, a3, a4};

    #[test]
    fn sum_formula_names_rows_as_excel_shows_them() {
        assert_eq!(sum_formula(6, &[(6, 15)]), "=SUM(G7:G16)");
        assert_eq!(
            sum_formula(33, &[(7, 9), (11, 14)]),
            "=SUM(AH8:AH10,AH12:AH15)"
        );
    }

    #[test]
    fn field_text_follows_the_template_colon_style() {
        assert_eq!(
            field_text(&a3::TEMPLATE, &a3::TEMPLATE.fields[0], ""),
            "单位(盖章):"
        );
        assert_eq!(
            field_text(&a3::TEMPLATE, &a3::TEMPLATE.fields[1], ""),
            "填报时间: 2024 年 月 日"
        );
        assert_eq!(
            field_text(&a3::TEMPLATE, &a3::TEMPLATE.fields[0], "泽州县"),
            "单位(盖章): 泽州县"
        );
        assert_eq!(
            field_text(&a4::TEMPLATE, &a4::TEMPLATE.fields[1], ""),
            "填报人："
        );
        assert_eq!(
            field_text(&a4::TEMPLATE, &a4::TEMPLATE.fields[2], "2024-10-11"),
            "填报时间：2024-10-11"
        );
    }

    #[test]
    fn stage_list_fits_a_data_validation() {
        let labels = stage_labels();
        assert_eq!(labels.len(), 11);
        assert_eq!(labels[0], "1、未开工");
        assert_eq!(labels[6], "5-3、主体施工2/3以上");
        // Excel's limit on an inline list: under 255 UTF-16 units, commas included.
        assert!(labels.join(",").encode_utf16().count() < 255);
    }

    #[test]
    fn the_footnote_lists_the_same_stages() {
        let footnote = a2::FOOTNOTES[1];
        for label in stage_labels() {
            assert!(footnote.contains(&label), "{label}");
        }
    }
}
