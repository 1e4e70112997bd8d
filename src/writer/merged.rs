//! The city's consolidated weekly workbook (SPEC 10): 报送情况, 附件2-5 in the template layout
//! with totals as SUM formulas carrying cached results, and 问题清单. Written atomically.

use std::borrow::Cow;
use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet};

use super::format::Styles;
use super::issues::{fit_cell, write_issues, Issue};
use super::layout::{
    needed_height, total_cells, write_footnotes, write_merged, write_sheet_frame, write_total_row,
    Layout, RowHeights, TotalCell, TotalRow, TITLE_HEIGHT,
};
use super::rows::RowXml;
use super::splice::{Chunk, Rows};
use super::{guarded, new_workbook_beside, stage_spliced, Formats, Staged, WriteError};
use crate::config::Config;
use crate::diag::Lang;
use crate::grid::format_number;
use crate::history::Diff;
use crate::merge::{attachment_list, Plan, StatusColumn, UnitStatus};
use crate::table::{Datum, Row, RowKind, Table};
use crate::template::{a2, a3, a4, a5, FieldRole, Key, Template, TemplateId};
use crate::values::{stage_label, YearMonth, SOURCES};

/// The leading column of 附件3-5.
pub const LEAD: &str = crate::template::LEAD_LABEL;
pub use super::ISSUES_SHEET;
pub use crate::merge::STATUS_SHEET;

/// Writes the consolidated workbook for `merge` to `path` (atomically).
pub fn write(
    merge: &Plan,
    changes: Option<&Diff>,
    config: &Config,
    path: &Path,
) -> Result<(), WriteError> {
    stage(merge, changes, config, path)?.commit()
}

/// Writes the consolidated workbook to a temporary beside `path`, to be put in place with
/// `Staged::commit` (so `merge --annotate-dir` replaces nothing unless every output is written).
pub fn stage(
    merge: &Plan,
    changes: Option<&Diff>,
    config: &Config,
    path: &Path,
) -> Result<Staged, WriteError> {
    guarded(path, || build(merge, changes, config, path))
}

fn build(
    merge: &Plan,
    changes: Option<&Diff>,
    config: &Config,
    path: &Path,
) -> Result<Staged, WriteError> {
    let fmt = Formats::new();
    // Constant-memory sheets spill beside the output, not to TMPDIR.
    let mut wb = new_workbook_beside(path)?;
    // The sheets are independent until saved: build them in parallel, then add them in their
    // order. 附件2 and 附件3 hold a row per project and per case of the whole city (a merge of
    // 1,000 county workbooks gives 38 and 127 MB of XML). rust_xlsxwriter lays out their frame
    // (title, header, 合计, footnotes) in its constant-memory mode (strings inline, rows spilt
    // to a temporary file); their rows are written by pgcheck in that mode's form
    // (`super::rows`) and deflated on every core (`a2_rows`, `a3_rows`), to be spliced into the
    // package when saving (`super::splice`). A build returns such rows.
    type Build<'a> =
        Box<dyn Fn(&mut Worksheet) -> Result<Option<Rows>, WriteError> + Send + Sync + 'a>;
    let none = |built: Result<(), WriteError>| built.map(|()| None);
    let fmt = &fmt;
    // Each sheet in its order, whether it is streamed (constant memory), and its turn to start
    // (see below).
    let mut builds: Vec<(bool, Turn, Build)> = vec![
        (
            false,
            Turn::Last,
            Box::new(|ws| none(status_sheet(ws, merge, config, fmt))),
        ),
        (
            true,
            Turn::Second,
            Box::new(|ws| a2_sheet(ws, merge, config, fmt).map(Some)),
        ),
        (
            true,
            Turn::First,
            Box::new(|ws| block_sheet(ws, TemplateId::A3, merge, config, fmt)),
        ),
        (
            false,
            Turn::Last,
            Box::new(|ws| block_sheet(ws, TemplateId::A4, merge, config, fmt)),
        ),
        (
            false,
            Turn::Last,
            Box::new(|ws| block_sheet(ws, TemplateId::A5, merge, config, fmt)),
        ),
        (
            false,
            Turn::Last,
            Box::new(|ws| none(issues_sheet(ws, merge, config, fmt))),
        ),
        (
            false,
            Turn::Last,
            Box::new(|ws| {
                // 约谈预警 reads the projects one at a time and of the week only which units
                // are in it; beside the other sheets rather than before them.
                let week = crate::history::Week::units_of_merge(merge, config);
                let projects = crate::history::Week::merged_projects(merge);
                let alerts = crate::history::alerts(projects, config);
                none(super::weekly::alerts_sheet(ws, &alerts, &week, config, fmt))
            }),
        ),
    ];
    if let Some(d) = changes {
        let sheet: Build =
            Box::new(move |ws| none(super::weekly::changes_sheet(ws, d, config, fmt)));
        builds.insert(1, (false, Turn::Last, sheet));
    }
    let mut blank = Vec::with_capacity(builds.len());
    for (streamed, _, _) in &builds {
        blank.push(if *streamed {
            wb.new_worksheet_with_constant_memory()
                .map_err(|e| WriteError::from(e).at(path))?
        } else {
            Worksheet::new()
        });
    }
    // The streamed sheets share the workbook's format table and would number a format when they
    // first use it, in whichever order the threads reach it. Every format is registered here
    // first, in a fixed order, so the same inputs always give the same bytes while all sheets
    // build in parallel (rust_xlsxwriter documents `register_format` for this use).
    for f in fmt.all() {
        wb.register_format(f);
    }
    let run = |(build, mut ws): (&Build, Worksheet)| build(&mut ws).map(|rows| (ws, rows));
    // The jobs in the order they should start: the city's 附件3 (a row per case) is the longest,
    // so it starts at once (its chunks then spread over every core), 附件2 next, then the small
    // sheets. Rayon's split of a list hands its first item to the first worker.
    let mut jobs: Vec<_> = builds
        .iter()
        .map(|(_, turn, build)| (turn, build))
        .zip(blank)
        .enumerate()
        .map(|(i, ((turn, build), ws))| (*turn, i, (build, ws)))
        .collect();
    jobs.sort_by_key(|(turn, i, _)| (*turn, *i));
    let mut sheets: Vec<_> = {
        use rayon::prelude::*;
        jobs.into_par_iter()
            .map(|(_, i, job)| (i, run(job)))
            .collect()
    };
    sheets.sort_by_key(|(i, _)| *i);
    let mut spliced = Vec::new();
    for (i, built) in sheets {
        let (ws, rows) = built.map_err(|e| e.at(path))?;
        wb.push_worksheet(ws);
        // rust_xlsxwriter names the sheets' parts by their position.
        if let Some(rows) = rows {
            spliced.push((format!("xl/worksheets/sheet{}.xml", i + 1), rows));
        }
    }
    let staged = stage_spliced(&mut wb, path, spliced);
    // Freeing the workbook (the sheets' cells, the streamed sheets' temporary files) happens
    // beside the rest (where no thread can be started, the closure and the workbook are dropped
    // here): it took about 1.4 % of a merge on one thread when the city's rows were its cells.
    let _ = std::thread::Builder::new().spawn(move || drop(wb));
    staged
}

/// When a sheet's build starts, relative to the others (the longest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Turn {
    First,
    Second,
    Last,
}

/// The tables of `id` from the merged files of `unit`, in input order.
fn tables_of<'a>(merge: &'a Plan, unit: &str, id: TemplateId) -> Vec<&'a Table> {
    merge
        .merged_files_of(unit)
        .into_iter()
        .flat_map(|v| v.tables.iter().filter(move |t| t.header.template == id))
        .collect()
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, WriteError> {
    Ok(ExcelDateTime::from_ymd(
        d.year() as u16,
        d.month() as u8,
        d.day() as u8,
    )?)
}

/// What a typed field is written as.
enum Written<'a> {
    Number(f64),
    Date(ExcelDateTime),
    Text(Cow<'a, str>),
    Blank,
}

/// What `field` is written as, and in which format: its type's (counts, amounts, dates,
/// months) or else its column kind's `kind_fmt`.
fn written<'a>(
    field: &'a Datum,
    fmt: &'a Formats,
    kind_fmt: &'a Format,
) -> Result<(Written<'a>, &'a Format), WriteError> {
    let text = |s: Cow<'a, str>| match s {
        // A text longer than a cell holds (an .ods allows it) is cut, saying so.
        s if s.len() > super::issues::MAX_CELL_CHARS => {
            Written::Text(Cow::Owned(fit_cell(&s, Lang::Zh).into_owned()))
        }
        // An empty string is no cell at all: a blank carrying the format instead.
        s if s.is_empty() => Written::Blank,
        s => Written::Text(s),
    };
    Ok(match field {
        // A blank cell needs a format of its own to exist at all.
        Datum::Blank | Datum::Unreadable => (Written::Blank, kind_fmt),
        Datum::Text(s) => (text(Cow::Borrowed(s)), kind_fmt),
        Datum::Count(n) => (Written::Number(*n as f64), &fmt.count),
        Datum::Year(y) => (Written::Number(*y as f64), &fmt.count),
        Datum::Amount(a) => (Written::Number(*a), &fmt.amount),
        Datum::Date(d) => (Written::Date(excel_date(*d)?), &fmt.date),
        Datum::Month(m) => (
            Written::Date(ExcelDateTime::from_ymd(m.year as u16, m.month as u8, 1)?),
            &fmt.month,
        ),
        // The number as typed (`2024.1`), in a text-formatted cell as the blank template has it,
        // so the city workbook shows what the county wrote and still reads as V05, not January.
        Datum::AmbiguousMonth(m) => (Written::Number(typed_month(*m)), &fmt.month_blank),
        Datum::Stage(i) => (text(Cow::Owned(stage_label(*i))), kind_fmt),
        Datum::YesNo(b) => (text(Cow::Borrowed(if *b { "是" } else { "否" })), kind_fmt),
        Datum::Source(i) => (text(Cow::Borrowed(SOURCES[*i])), kind_fmt),
    })
}

/// Writes one typed field (see [`written`]).
fn write_field(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    field: &Datum,
    fmt: &Formats,
    kind_fmt: &Format,
) -> Result<(), WriteError> {
    let (value, f) = written(field, fmt, kind_fmt)?;
    match value {
        Written::Blank => ws.write_blank(row, col, f),
        Written::Number(n) => ws.write_number_with_format(row, col, n, f),
        Written::Date(d) => ws.write_datetime_with_format(row, col, d, f),
        Written::Text(s) => ws.write_string_with_format(row, col, s.as_ref(), f),
    }?;
    Ok(())
}

/// Writes one typed field (see [`written`]) into rows that pgcheck writes as XML itself.
fn xml_field(
    x: &mut RowXml,
    col: u16,
    field: &Datum,
    fmt: &Formats,
    styles: &Styles,
    kind_fmt: &Format,
) -> Result<(), WriteError> {
    let (value, f) = written(field, fmt, kind_fmt)?;
    let xf = styles.of(f);
    match value {
        Written::Blank => x.blank(col, xf),
        Written::Number(n) => x.number(col, n, xf),
        Written::Date(d) => x.number(col, d.to_excel(), xf),
        Written::Text(s) => x.text(col, &s, xf),
    }?;
    Ok(())
}

/// The number a clerk typed for an ambiguous month (`2024.1`: year, point, month).
fn typed_month(m: YearMonth) -> f64 {
    m.typed().parse().unwrap_or(f64::from(m.year))
}

/// The value of column `i` of `row` to write: a text as the file has it (folding is for
/// comparing only, SPEC 10), anything else as read.
fn as_written(row: &Row, i: usize) -> Cow<'_, Datum> {
    match row.written.iter().find(|(k, _)| *k == i) {
        Some((_, s)) => Cow::Owned(Datum::Text(s.clone())),
        None => Cow::Borrowed(&row.fields[i]),
    }
}

/// The text a value shows, where it may need more than one line.
fn shown_text(d: &Datum) -> Option<Cow<'_, str>> {
    match d {
        Datum::Text(s) => Some(Cow::Borrowed(s)),
        Datum::Stage(i) => Some(Cow::Owned(stage_label(*i))),
        Datum::Source(i) => Some(Cow::Borrowed(SOURCES[*i])),
        _ => None,
    }
}

/// The values of a data row to write, column by column: `overrides` replace the file's own
/// values (序号, 县区).
fn row_values<'r>(
    t: &Template,
    row: &'r Row,
    overrides: &'r [(Key, Datum)],
) -> Vec<Cow<'r, Datum>> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| match overrides.iter().find(|(k, _)| *k == c.key) {
            Some((_, v)) => Cow::Borrowed(v),
            None => as_written(row, i),
        })
        .collect()
}

/// The height a data row needs for its wrapped texts, when more than the default.
fn row_height(t: &Template, values: &[Cow<Datum>]) -> Option<f64> {
    let texts: Vec<(Cow<str>, f64)> = values
        .iter()
        .zip(t.columns)
        .filter_map(|(v, c)| shown_text(v).map(|s| (s, c.width)))
        .collect();
    needed_height(texts.iter().map(|(s, w)| (s.as_ref(), *w)))
}

/// Rows per chunk of XML that pgcheck writes and deflates itself: some 2–3 MB each, so that
/// both cores share a city's rows evenly.
const ROWS_PER_CHUNK: usize = 2048;

/// Runs `write` on each item into rows of XML, each item's rows deflated as one chunk, on
/// every core; the chunks in item order, or the first item's error.
fn in_chunks<T: Sync>(
    items: &[T],
    write: impl Fn(&mut RowXml, &T) -> Result<(), WriteError> + Sync,
) -> Result<Vec<Chunk>, WriteError> {
    use rayon::prelude::*;
    items
        .par_iter()
        .map(|item| {
            // About 1.3 KB of XML per row (1,000 gen_counties workbooks: 127 MB of 附件3 in
            // 96,800 rows).
            let mut x = RowXml::with_capacity(ROWS_PER_CHUNK * 1536);
            write(&mut x, item)?;
            Ok(Chunk::deflate(&x.into_bytes(), super::DEFLATE_LEVEL, false))
        })
        .collect::<Vec<Result<_, WriteError>>>()
        // The first error in row order, whichever thread met it first.
        .into_iter()
        .collect()
}

/// Writes a data row into XML rows: led by `lead` (a text and its style) when the sheet has a
/// leading column, as tall as its wrapped texts need; `overrides` replace the file's own values
/// (序号, 县区).
#[allow(clippy::too_many_arguments)]
fn xml_row(
    x: &mut RowXml,
    t: &Template,
    layout: &Layout,
    at: u32,
    lead: Option<(&str, u32)>,
    row: &Row,
    overrides: &[(Key, Datum)],
    fmt: &Formats,
    styles: &Styles,
) -> Result<(), WriteError> {
    let values = row_values(t, row, overrides);
    x.row(at, row_height(t, &values))?;
    // As rust_xlsxwriter, which writes no cell for an unformatted empty text.
    if let Some((text, xf)) = lead.filter(|(text, _)| !text.is_empty()) {
        x.text(0, text, xf)?;
    }
    for (i, (c, v)) in t.columns.iter().zip(&values).enumerate() {
        xml_field(x, layout.col(i), v, fmt, styles, fmt.for_kind(c.kind))?;
    }
    x.end();
    Ok(())
}

/// Writes a 合计 / 小计 row ([`total_cells`]) into XML rows.
fn xml_total_row(
    x: &mut RowXml,
    t: &Template,
    layout: &Layout,
    total: &TotalRow,
    fmt: &Formats,
    styles: &Styles,
) -> Result<(), WriteError> {
    let label = styles.of(&fmt.total_label);
    x.row(total.row, None)?;
    for (col, cell) in total_cells(t, layout, total, fmt) {
        match cell {
            TotalCell::Label(text) => x.text(col, text, label),
            TotalCell::Sum {
                formula,
                cached,
                format,
            } => {
                let formula = formula.strip_prefix('=').unwrap_or(&formula);
                x.formula(col, formula, &format_number(cached), styles.of(format))
            }
            TotalCell::Blank => x.blank(col, label),
        }?;
    }
    x.end();
    Ok(())
}

/// `blocks` in runs of whole units, each of at least `min_rows` rows (its 小计 rows included)
/// but the last.
fn unit_runs<'b, 'r>(blocks: &'b [UnitBlock<'r>], min_rows: usize) -> Vec<&'b [UnitBlock<'r>]> {
    let mut runs = Vec::new();
    let (mut from, mut rows) = (0, 0);
    for (i, b) in blocks.iter().enumerate() {
        rows += 1 + b.rows.len();
        if rows >= min_rows || i + 1 == blocks.len() {
            runs.push(&blocks[from..=i]);
            (from, rows) = (i + 1, 0);
        }
    }
    runs
}

/// The data rows of the city's 附件3 from row `first` down: a row per case in unit order, led
/// by the unit and numbered anew; as deflated XML chunks built on every core
/// ([`super::splice`]). Returns how many rows and their chunks.
fn a3_rows(
    merge: &Plan,
    layout: &Layout,
    first: u32,
    fmt: &Formats,
) -> Result<(u32, Vec<Chunk>), WriteError> {
    let t = TemplateId::A3.template();
    let rows: Vec<(&str, &Row)> = merge
        .units
        .iter()
        .flat_map(|u| {
            let unit = u.unit.name.as_str();
            tables_of(merge, unit, TemplateId::A3)
                .into_iter()
                .flat_map(move |tb| tb.data_rows().map(move |r| (unit, r)))
        })
        .collect();
    let styles = Styles::of_registered(fmt);
    let lead = styles.of(&fmt.text_center);
    let parts: Vec<(usize, &[(&str, &Row)])> = rows
        .chunks(ROWS_PER_CHUNK)
        .enumerate()
        .map(|(k, part)| (k * ROWS_PER_CHUNK, part))
        .collect();
    let chunks = in_chunks(&parts, |x, (start, part)| {
        for (j, (unit, row)) in part.iter().enumerate() {
            let i = start + j;
            let seq = [(a3::Col::Seq.into(), Datum::Count(i as i64 + 1))];
            let at = u32::try_from(i).map_or(u32::MAX, |i| first.saturating_add(i));
            xml_row(
                x,
                t,
                layout,
                at,
                Some((unit, lead)),
                row,
                &seq,
                fmt,
                &styles,
            )?;
        }
        Ok(())
    })?;
    Ok((rows.len() as u32, chunks))
}

/// The width of a 报送情况 column, in character units.
fn status_width(c: StatusColumn) -> f64 {
    match c {
        StatusColumn::Seq => 6.0,
        StatusColumn::Unit | StatusColumn::Phone | StatusColumn::Status => 12.0,
        StatusColumn::Email => 24.0,
        StatusColumn::FileCount => 10.0,
        StatusColumn::MergedAttachments | StatusColumn::LeftOutAttachments => 16.0,
        StatusColumn::Errors | StatusColumn::Warnings => 8.0,
        StatusColumn::FillDate => 12.0,
        StatusColumn::Files => 48.0,
    }
}

/// A cell of 报送情况: a number or a text.
enum StatusCell {
    Number(f64),
    Text(String),
}

fn status_sheet(
    ws: &mut Worksheet,
    merge: &Plan,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(STATUS_SHEET)?;
    let last = StatusColumn::ALL.len() as u16 - 1;
    write_merged(
        ws,
        (0, 0),
        (0, last),
        &format!(
            "{}棚改居民逾期未回迁安置问题整治 报送情况（{}）",
            config.city.name, config.as_of
        ),
        &fmt.title,
    )?;
    ws.set_row_height(0, TITLE_HEIGHT)?;
    for c in StatusColumn::ALL {
        ws.write_string_with_format(1, c.col(), c.label(), &fmt.header)?;
        ws.set_column_width(c.col(), status_width(c))?;
    }
    let mut r = 2;
    let mut status_row = |ws: &mut Worksheet,
                          cell: &dyn Fn(StatusColumn) -> StatusCell,
                          row_fmt: &Format|
     -> Result<(), WriteError> {
        let mut texts = Vec::new();
        for c in StatusColumn::ALL {
            match cell(c) {
                StatusCell::Number(n) => {
                    ws.write_number_with_format(r, c.col(), n, row_fmt)?;
                }
                StatusCell::Text(s) => {
                    ws.write_string_with_format(r, c.col(), fit_cell(&s, Lang::Zh), row_fmt)?;
                    texts.push((s, status_width(c)));
                }
            }
        }
        if let Some(h) = needed_height(texts.iter().map(|(s, w)| (s.as_str(), *w))) {
            ws.set_row_height(r, h)?;
        }
        r += 1;
        Ok(())
    };
    for (n, u) in merge.units.iter().enumerate() {
        let row_fmt = match u.status {
            UnitStatus::Merged => &fmt.text,
            UnitStatus::Partial => &fmt.partial,
            UnitStatus::LeftOut => &fmt.invalid,
            UnitStatus::Missing => &fmt.missing,
        };
        // A partly merged unit's left-out files are marked as such.
        let files: Vec<String> = u
            .files
            .iter()
            .map(|&i| {
                let v = &merge.files[i];
                let name = file_name(&v.report.path);
                let left_out = v.report.status() != crate::validate::Status::Valid;
                if u.status == UnitStatus::Partial && left_out {
                    format!("{name}（未汇总）")
                } else {
                    name
                }
            })
            .collect();
        let cell = |c: StatusColumn| {
            use StatusCell::{Number, Text};
            match c {
                StatusColumn::Seq => Number((n + 1) as f64),
                StatusColumn::Unit => Text(u.unit.name.clone()),
                StatusColumn::Phone => Text(u.unit.phone.clone()),
                StatusColumn::Email => Text(u.unit.email.clone()),
                StatusColumn::Status => Text(u.status.label().to_string()),
                StatusColumn::FileCount => Number(u.files.len() as f64),
                StatusColumn::MergedAttachments => Text(attachment_list(&u.merged_attachments)),
                StatusColumn::LeftOutAttachments => Text(attachment_list(&u.left_out_attachments)),
                StatusColumn::Errors => Number(u.errors as f64),
                StatusColumn::Warnings => Number(u.warnings as f64),
                StatusColumn::FillDate => {
                    Text(u.fill_date.map(|d| d.to_string()).unwrap_or_default())
                }
                StatusColumn::Files => Text(files.join("、")),
            }
        };
        status_row(ws, &cell, row_fmt)?;
    }
    for &i in &merge.orphans {
        let rep = &merge.files[i].report;
        let cell = |c: StatusColumn| {
            use StatusCell::{Number, Text};
            match c {
                StatusColumn::Unit => Text("（未识别单位）".to_string()),
                StatusColumn::Status => Text(UnitStatus::LeftOut.label().to_string()),
                StatusColumn::FileCount => Number(1.0),
                StatusColumn::Errors => Number(rep.errors() as f64),
                StatusColumn::Warnings => Number(rep.warnings() as f64),
                StatusColumn::Files => Text(file_name(&rep.path)),
                _ => Text(String::new()),
            }
        };
        status_row(ws, &cell, &fmt.invalid)?;
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(1, 1)?;
    Ok(())
}

fn file_name(p: &Path) -> String {
    crate::read::show_path(p.file_name().map_or(p, Path::new)).text
}

/// A unit's block of the city's 附件2: its 小计 row, then its project rows.
struct UnitBlock<'a> {
    unit: &'a str,
    subtotal_row: u32,
    /// 序号 of its first project (the projects are numbered across units).
    first_seq: i64,
    rows: Vec<&'a Row>,
}

/// The sum of column `i` over `rows` (the cached result of a 小计 / 合计).
fn column_sum(rows: &[&Row], i: usize) -> f64 {
    rows.iter()
        .filter_map(|r| r.fields[i].number_or_zero())
        .sum::<f64>()
}

/// 附件2: the city's 合计 row, then per unit a 小计 row and its project rows, numbered anew.
/// The 小计 and project rows are written as XML on every core ([`a2_rows`]); returns them.
fn a2_sheet(
    ws: &mut Worksheet,
    merge: &Plan,
    config: &Config,
    fmt: &Formats,
) -> Result<Rows, WriteError> {
    let t = TemplateId::A2.template();
    ws.set_name(t.attachment)?;
    let layout = write_sheet_frame(ws, t, None, &[], config.plan_deadline, fmt)?;
    // Lay out the rows first: per unit a 小计 row, then its project rows.
    let mut blocks = Vec::new();
    let mut next = layout.data_row + 1;
    let mut seq = 1;
    for u in &merge.units {
        let rows: Vec<&Row> = tables_of(merge, &u.unit.name, TemplateId::A2)
            .into_iter()
            .flat_map(|tb| tb.rows.iter().filter(|r| r.kind == RowKind::Data))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let n = rows.len();
        blocks.push(UnitBlock {
            unit: &u.unit.name,
            subtotal_row: next,
            first_seq: seq,
            rows,
        });
        next += 1 + n as u32;
        seq += n as i64;
    }
    let all: Vec<&Row> = blocks.iter().flat_map(|b| b.rows.iter().copied()).collect();
    let ranges: Vec<(u32, u32)> = blocks
        .iter()
        .map(|b| (b.subtotal_row + 1, b.subtotal_row + b.rows.len() as u32))
        .collect();
    write_total_row(
        ws,
        t,
        &layout,
        &TotalRow {
            row: layout.data_row,
            labels: &[
                (a2::Col::Seq.into(), "合计"),
                (a2::Col::Unit.into(), config.city.name.as_str()),
            ],
            ranges: &ranges,
            cached: &|i| column_sum(&all, i),
        },
        fmt,
    )?;
    let chunks = a2_rows(&layout, &blocks, fmt)?;
    // The footnotes below the gap also make the sheet's `<dimension>` reach below the rows.
    const _: () = assert!(!a2::FOOTNOTES.is_empty());
    write_footnotes(ws, t, &layout, next + 1, config.paid_through_min, fmt)?;
    Ok(Rows {
        after_row: layout.data_row + 1,
        chunks,
    })
}

/// The 小计 and project rows of the city's 附件2, unit by unit, as deflated XML chunks of whole
/// units built on every core ([`super::splice`]).
fn a2_rows(layout: &Layout, blocks: &[UnitBlock], fmt: &Formats) -> Result<Vec<Chunk>, WriteError> {
    let t = TemplateId::A2.template();
    let styles = Styles::of_registered(fmt);
    in_chunks(&unit_runs(blocks, ROWS_PER_CHUNK), |x, run| {
        for b in *run {
            let total = TotalRow {
                row: b.subtotal_row,
                labels: &[
                    (a2::Col::Seq.into(), "小计"),
                    (a2::Col::Unit.into(), b.unit),
                ],
                ranges: &[(b.subtotal_row + 1, b.subtotal_row + b.rows.len() as u32)],
                cached: &|i| column_sum(&b.rows, i),
            };
            xml_total_row(x, t, layout, &total, fmt, &styles)?;
            for (k, row) in b.rows.iter().enumerate() {
                let overrides = [
                    (a2::Col::Seq.into(), Datum::Count(b.first_seq + k as i64)),
                    (a2::Col::Unit.into(), Datum::Text(b.unit.to_string())),
                ];
                let at = b.subtotal_row + 1 + k as u32;
                xml_row(x, t, layout, at, None, row, &overrides, fmt, &styles)?;
            }
        }
        Ok(())
    })
}

/// 附件3, 附件4, 附件5: a leading 填报单位 column, rows in unit order; A3 renumbered; A4/A5 blocks
/// merged down as in the template; A5 led by a city row holding the sums.
fn block_sheet(
    ws: &mut Worksheet,
    id: TemplateId,
    merge: &Plan,
    config: &Config,
    fmt: &Formats,
) -> Result<Option<Rows>, WriteError> {
    let t = id.template();
    ws.set_name(t.attachment)?;
    let date = format!(
        "{}年{}月{}日",
        config.as_of.year(),
        config.as_of.month(),
        config.as_of.day()
    );
    let values: Vec<&str> = t
        .fields
        .iter()
        .map(|f| match f.role {
            FieldRole::Unit => config.city.full_name.as_str(),
            FieldRole::Date => date.as_str(),
            FieldRole::Filler => "",
        })
        .collect();
    let layout = write_sheet_frame(ws, t, Some(LEAD), &values, config.plan_deadline, fmt)?;
    let mut r = layout.data_row;
    if id == TemplateId::A5 {
        r = a5_city_row(ws, t, &layout, merge, config, fmt)?;
    }
    // 附件3's rows are written as XML on every core and spliced in when the workbook is saved,
    // into the gap rust_xlsxwriter leaves between the header and the footnotes; the footnotes
    // also make its `<dimension>` reach below the rows.
    const _: () = assert!(!a3::FOOTNOTES.is_empty());
    let (spliced, end) = match id {
        TemplateId::A3 => {
            let (n, chunks) = a3_rows(merge, &layout, r, fmt)?;
            let rows = Rows {
                after_row: r,
                chunks,
            };
            (Some(rows), r + n)
        }
        _ => (None, unit_blocks(ws, id, &layout, r, merge, fmt)?),
    };
    write_footnotes(ws, t, &layout, end + 1, config.paid_through_min, fmt)?;
    Ok(spliced)
}

/// The blocks of 附件4 or 附件5 from row `first` down, a unit's rows after another's, its name
/// and the template's merged-down columns merged over the block, each row as tall as its texts
/// need; returns the row below the last block.
fn unit_blocks(
    ws: &mut Worksheet,
    id: TemplateId,
    layout: &Layout,
    first: u32,
    merge: &Plan,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let t = id.template();
    let mut r = first;
    // Rows are sized at the end: a merged-down text spreads over its block's rows.
    let mut heights = RowHeights::default();
    for u in &merge.units {
        for tb in tables_of(merge, &u.unit.name, id) {
            let rows: Vec<&Row> = tb.data_rows().collect();
            if rows.is_empty() {
                continue;
            }
            let last = r + rows.len() as u32 - 1;
            write_merged(ws, (r, 0), (last, 0), &u.unit.name, &fmt.text_center)?;
            for (k, row) in rows.iter().enumerate() {
                for (i, c) in t.columns.iter().enumerate() {
                    let col = layout.col(i);
                    let at = r + k as u32;
                    let value = as_written(row, i);
                    let down = c.merged_down;
                    if down && k > 0 {
                        continue;
                    }
                    let end = if down { last } else { at };
                    if let Some(s) = shown_text(&value) {
                        heights.add(at, end, &s, c.width);
                    }
                    if down {
                        merged_field(ws, (at, col), (end, col), &value, fmt, c.kind)?;
                    } else {
                        write_field(ws, at, col, &value, fmt, fmt.for_kind(c.kind))?;
                    }
                }
            }
            r = last + 1;
        }
    }
    heights.apply(ws)?;
    Ok(r)
}

/// A field written over a merged range (the value in the top-left cell).
fn merged_field(
    ws: &mut Worksheet,
    first: (u32, u16),
    last: (u32, u16),
    field: &Datum,
    fmt: &Formats,
    kind: crate::template::Kind,
) -> Result<(), WriteError> {
    if first == last {
        return write_field(ws, first.0, first.1, field, fmt, fmt.for_kind(kind));
    }
    let f = match field {
        Datum::Count(_) | Datum::Year(_) => &fmt.count,
        Datum::Amount(_) => &fmt.amount,
        _ => fmt.for_kind(kind),
    };
    ws.merge_range(first.0, first.1, last.0, last.1, "", f)?;
    write_field(ws, first.0, first.1, field, fmt, f)
}

/// A5's first row: the city, whose counts are the sums of every unit's block.
fn a5_city_row(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    merge: &Plan,
    config: &Config,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let r = layout.data_row;
    let firsts: Vec<&Row> = merge
        .units
        .iter()
        .flat_map(|u| tables_of(merge, &u.unit.name, TemplateId::A5))
        .filter_map(|tb| tb.data_rows().next())
        .collect();
    ws.write_string_with_format(r, 0, &config.city.name, &fmt.total_label)?;
    for (i, c) in t.columns.iter().enumerate() {
        let col = layout.col(i);
        match c.kind {
            crate::template::Kind::Count => {
                let s: i64 = firsts
                    .iter()
                    .filter_map(|row| row.fields[i].count_or_zero())
                    .sum();
                ws.write_number_with_format(r, col, s as f64, &fmt.total_count)?;
            }
            _ if c.key == a5::Col::Matter.into() => {
                ws.write_string_with_format(r, col, a4::MATTER, &fmt.total_label)?;
            }
            _ => {
                ws.write_blank(r, col, &fmt.total_label)?;
            }
        }
    }
    let matter = t.column(a5::Col::Matter).1;
    if let Some(h) = needed_height([(a4::MATTER, matter.width)]) {
        ws.set_row_height(r, h)?;
    }
    Ok(r + 1)
}

fn issues_sheet(
    ws: &mut Worksheet,
    merge: &Plan,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(ISSUES_SHEET)?;
    let files: Vec<(String, String)> = merge
        .files
        .iter()
        .map(|v| {
            let rep = &v.report;
            (rep.unit.clone().unwrap_or_default(), file_name(&rep.path))
        })
        .collect();
    let issues = merge
        .files
        .iter()
        .zip(&files)
        .flat_map(|(v, (unit, file))| {
            // Once per finding: X03's copies are told with the first file (`repeats`).
            let told = v.report.diagnostics.iter().filter(|d| !d.repeats);
            told.map(move |d| Issue {
                unit,
                file,
                diag: d,
                mark: None,
            })
        });
    write_issues(ws, issues, Lang::Zh, config, fmt)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunks come back in item order, whichever core built them: a city's rows span many.
    #[test]
    fn chunks_keep_the_items_order() {
        let items: Vec<u32> = (0..300).collect();
        let chunks = in_chunks(&items, |x, &i| {
            x.row(i, None)?;
            x.number(0, f64::from(i), 0)?;
            x.end();
            Ok(())
        })
        .unwrap();
        assert_eq!(chunks.len(), 300);
        let want: String = (0..300)
            .map(|i| {
                format!(
                    "<row r=\"{r}\"><c r=\"A{r}\"><v>{i}</v></c></row>",
                    r = i + 1
                )
            })
            .collect();
        assert_eq!(super::super::splice::inflated(&chunks), want);
    }

    /// 附件2's chunks hold whole units, each run at least the minimum but the last.
    #[test]
    fn units_are_run_together_whole() {
        let row = Row {
            row: 0,
            kind: RowKind::Data,
            fields: Vec::new(),
            written: Vec::new(),
        };
        let block = |n: usize| UnitBlock {
            unit: "城区",
            subtotal_row: 0,
            first_seq: 1,
            rows: vec![&row; n],
        };
        let blocks: Vec<UnitBlock> = [3, 1, 5, 0, 2, 9, 1].map(block).into();
        let runs = unit_runs(&blocks, 6);
        let sizes: Vec<Vec<usize>> = runs
            .iter()
            .map(|run| run.iter().map(|b| b.rows.len()).collect())
            .collect();
        // 3+1 and 1+1 rows (with their 小计) reach 6; so do 5+1; 0+1, 2+1 and 9+1; 1 is left.
        assert_eq!(sizes, vec![vec![3, 1], vec![5], vec![0, 2, 9], vec![1]]);
        assert!(unit_runs(&[], 6).is_empty());
    }
}
