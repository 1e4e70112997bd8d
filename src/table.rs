//! Reading a recognised sheet's data rows into typed values, by column kind (SPEC 6). What a cell
//! could not be read as, or what a rule should know about it, is noted (`CellNote`); the rules
//! under `rules/` turn notes and typed rows into findings.

use std::borrow::Cow;

use chrono::Datelike;

use crate::config::Config;
use crate::diag::Msg;
use crate::grid::{Cell, CellRef, Merge, RowCells, Sheet, Value};
use crate::header::HeaderMatch;
use crate::template::{a2, Key, Kind, Template, TemplateId};
use crate::values::{self, normalized, Dated, YearMonth};

/// A typed cell value. `Unreadable` means reading noted why (a finding is made of it), so
/// rules that need the value skip the row (one mistake, one diagnostic).
#[derive(Debug, Clone, PartialEq)]
pub enum Datum {
    Blank,
    Unreadable,
    Text(String),
    Count(i64),
    Amount(f64),
    Date(chrono::NaiveDate),
    Month(YearMonth),
    /// A month typed as a number `2024.1` (V05): read as January, but Excel makes the same number
    /// of a typed `2024.10`. `month()` and `dated()` are `None`; a rule that compares months uses
    /// `month_readings()`/`dated_readings()` and reports only what both readings agree on.
    AmbiguousMonth(YearMonth),
    Year(i32),
    Stage(usize),
    YesNo(bool),
    Source(usize),
}

impl Datum {
    pub fn is_blank(&self) -> bool {
        matches!(self, Datum::Blank)
    }

    /// A count, with blank read as 0; `None` when unreadable or not a count.
    pub fn count_or_zero(&self) -> Option<i64> {
        match self {
            Datum::Count(n) => Some(*n),
            Datum::Blank => Some(0),
            _ => None,
        }
    }

    /// A count that is present.
    pub fn count(&self) -> Option<i64> {
        match self {
            Datum::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// A number (count or amount), blank as 0.
    pub fn number_or_zero(&self) -> Option<f64> {
        match self {
            Datum::Count(n) => Some(*n as f64),
            Datum::Amount(a) => Some(*a),
            Datum::Blank => Some(0.0),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Datum::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<chrono::NaiveDate> {
        match self {
            Datum::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// An agreement date as read: to the day or to the month (SPEC 6).
    pub fn dated(&self) -> Option<Dated> {
        match self {
            Datum::Date(d) => Some(Dated::Day(*d)),
            Datum::Month(m) => Some(Dated::Month(*m)),
            _ => None,
        }
    }

    /// An agreement date's readings: the one read, or both months of an ambiguous month (V05).
    pub fn dated_readings(&self) -> Option<Readings<Dated>> {
        match self {
            Datum::AmbiguousMonth(m) => Some(Readings::Either {
                typed: *m,
                january: Dated::Month(YearMonth::new(m.year, 1)),
                october: Dated::Month(YearMonth::new(m.year, 10)),
            }),
            d => d.dated().map(Readings::One),
        }
    }

    /// A month's readings: the one read, or both months of an ambiguous month (V05).
    pub fn month_readings(&self) -> Option<Readings<YearMonth>> {
        self.dated_readings().map(|r| r.map(Dated::month))
    }

    pub fn month(&self) -> Option<YearMonth> {
        match self {
            Datum::Month(m) => Some(*m),
            Datum::Date(d) => Some(YearMonth::of(*d)),
            _ => None,
        }
    }

    pub fn yes_no(&self) -> Option<bool> {
        match self {
            Datum::YesNo(b) => Some(*b),
            _ => None,
        }
    }
}

/// What a month cell may mean: the value read, or for an ambiguous month (V05: `2024.1`, which
/// is January or a typed `2024.10` Excel stored as the same number) both readings. A rule reports
/// on it only when its finding holds for every reading (`all`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Readings<T> {
    One(T),
    Either {
        typed: YearMonth,
        january: T,
        october: T,
    },
}

impl<T: Copy + std::fmt::Display> Readings<T> {
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Readings<U> {
        match self {
            Readings::One(v) => Readings::One(f(v)),
            Readings::Either {
                typed,
                january,
                october,
            } => Readings::Either {
                typed,
                january: f(january),
                october: f(october),
            },
        }
    }

    /// Whether `f` holds for every reading.
    pub fn all(self, f: impl Fn(T) -> bool) -> bool {
        match self {
            Readings::One(v) => f(v),
            Readings::Either {
                january, october, ..
            } => f(january) && f(october),
        }
    }

    /// The value in a message: `2020-01`, or `2020.1（按 2020-01 或 2020-10 都如此）`.
    pub fn zh(self) -> String {
        self.shown(|typed, j, o| format!("{typed}（按 {j} 或 {o} 都如此）"))
    }

    /// The value followed by the space that parts it from the Chinese text after it, none after
    /// a full-width bracket: `2020-01 `, or `2020.1（按 2020-01 或 2020-10 都如此）`.
    pub fn zh_spaced(self) -> String {
        let value = self.zh();
        if value.ends_with('）') {
            value
        } else {
            value + " "
        }
    }

    /// The value in an English message: `2020-01`, or `2020.1 (as 2020-01 or 2020-10 alike)`.
    pub fn en(self) -> String {
        self.shown(|typed, j, o| format!("{typed} (as {j} or {o} alike)"))
    }

    /// The one reading, or `either(typed, january, october)`.
    fn shown(self, either: impl Fn(String, T, T) -> String) -> String {
        match self {
            Readings::One(v) => v.to_string(),
            Readings::Either {
                typed,
                january,
                october,
            } => either(typed.typed(), january, october),
        }
    }
}

/// What a data row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// 合计 / 总计, or the unlabelled first row under an A2 header: covers every project row.
    Total,
    /// 小计: covers the project rows below it up to the next 小计 (consolidated files).
    Subtotal,
    Data,
}

/// One data row: its sheet row and a field per template column (template order).
#[derive(Debug, Clone)]
pub struct Row {
    pub row: u32,
    pub kind: RowKind,
    pub fields: Vec<Datum>,
    /// The texts as the file has them, for the text columns whose value folding changed
    /// (full-width punctuation, odd spaces): `(column index, text)`. Folding is for comparing;
    /// the consolidated workbook copies these (SPEC 10).
    pub written: Vec<(usize, String)>,
}

/// A recognised sheet read into typed rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    pub header: HeaderMatch,
    pub rows: Vec<Row>,
    /// What reading noticed, cell by cell, in reading order.
    pub notes: Vec<CellNote>,
}

impl Table {
    pub fn template(&self) -> &'static Template {
        self.header.template()
    }

    /// The value of column `key` in `row`.
    pub fn field<'a>(&self, row: &'a Row, key: impl Into<Key>) -> &'a Datum {
        &row.fields[self.template().index(key)]
    }

    /// The cell of `key` in `row` (the column as found in the file; column A when missing).
    pub fn cell(&self, row: &Row, key: impl Into<Key>) -> CellRef {
        CellRef::new(
            row.row,
            self.header.col(key).unwrap_or(self.header.first_col),
        )
    }

    pub fn data_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.kind == RowKind::Data)
    }

    /// Groups a block template's rows into blocks: a block starts where the first column holds a
    /// value of its own (merged regions start there too).
    pub fn blocks<'a>(&'a self, sheet: &Sheet) -> Vec<Vec<&'a Row>> {
        let first_col = self.header.cols[0].unwrap_or(self.header.first_col);
        let mut out: Vec<Vec<&Row>> = Vec::new();
        for row in self.data_rows() {
            let starts = sheet
                .raw(row.row, first_col)
                .is_some_and(|c| !c.value.is_empty())
                && sheet
                    .merge_at(row.row, first_col)
                    .is_none_or(|m| m.first.row == row.row);
            match out.last_mut() {
                Some(b) if !starts => b.push(row),
                _ => out.push(vec![row]),
            }
        }
        out
    }
}

/// First words of a row that ends the table (footnotes, signatures).
const END_MARKERS: &[&str] = &[
    "备注",
    "注:",
    "说明",
    "填表说明",
    "填表人",
    "填报人",
    "审核人",
    "制表人",
    "单位负责人",
];
const TOTAL_WORDS: &[&str] = &["合计", "总计"];
const SUBTOTAL_WORDS: &[&str] = &["小计"];

fn own_text(sheet: &Sheet, r: u32, c: u32) -> Option<Cow<'_, str>> {
    match sheet.raw(r, c).map(|c| &c.value) {
        Some(Value::Text(s)) if !s.trim().is_empty() => Some(normalized(s)),
        _ => None,
    }
}

/// Reads the data rows under `header` into typed values, noting what it could not read.
pub fn read(sheet: &Sheet, header: HeaderMatch, config: &Config) -> Table {
    let t = header.template();
    let mapped: Vec<(usize, u32)> = header
        .cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .collect();
    let last_col = mapped
        .iter()
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(header.first_col);

    let mut table = Table {
        sheet: sheet.name.clone(),
        header,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let first_col = table.header.first_col;
    let is_a2 = t.id == TemplateId::A2;
    let mut notes = Vec::new();
    let mut merged_rows = MergedRows::below(sheet, table.header.bottom + 1);
    // The rows below the header, walked in order, each with its stored cells.
    for (r, cells) in sheet.rows_from(table.header.bottom + 1) {
        let mut own = cells
            .iter()
            .filter(|(at, _)| at.col >= first_col && at.col <= last_col);
        // A candidate row holds a cell of its own in the table's span.
        if !own
            .clone()
            .any(|(_, cell)| !cell.value.is_empty() || cell.formula.is_some())
        {
            continue;
        }
        // The table ends at footnotes or signature lines.
        // (Only text can start with a marker: numbers, dates and errors are not looked at.)
        let first = own.find_map(|(_, cell)| (!cell.value.is_empty()).then_some(&cell.value));
        if let Some(Value::Text(first)) = first {
            if may_end_the_table(first)
                && starts_with_end_marker(&normalized(first))
                && !is_row_of_data(&table, sheet, r)
            {
                break;
            }
        }
        let kind = if is_a2 {
            classify_a2(&table, sheet, r)
        } else {
            RowKind::Data
        };
        if kind == RowKind::Data && nothing_typed(t, &cells, &mapped) {
            continue;
        }
        // A column the header lacks reads blank if optional. A required one is S03, and the
        // rules that need it skip (one mistake, one diagnostic) instead of taking it as blank,
        // i.e. 0: a missing 未回迁安置户数 column gave A5-03 and X02 besides S03.
        let mut fields: Vec<Datum> = t
            .columns
            .iter()
            .map(|c| {
                if c.required {
                    Datum::Unreadable
                } else {
                    Datum::Blank
                }
            })
            .collect();
        let noted = notes.len();
        let mut written = Vec::new();
        let row_merged = merged_rows.covers(r);
        for &(i, c) in &mapped {
            let merged = if row_merged {
                sheet.merge_at(r, c)
            } else {
                None
            };
            let (datum, value) =
                read_cell(sheet, &cells, &table, (r, c, merged), i, config, &mut notes);
            if let (Datum::Text(folded), Value::Text(s)) = (&datum, value) {
                if s != folded {
                    written.push((i, s.clone()));
                }
            }
            fields[i] = datum;
        }
        table.rows.push(Row {
            row: r,
            kind,
            fields,
            written,
        });
        // Every note made while reading this row points at it.
        debug_assert!(notes[noted..].iter().all(|n| n.row + 1 == table.rows.len()));
    }
    table.notes = notes;
    table
}

/// A blank row (SPEC 3.1): no cell of its own holds a typed value beyond 序号 and 县区; formulas
/// (`=ROW()-6`, `=H7-I7` pre-filled down the template) are not typed values.
fn nothing_typed(t: &Template, cells: &RowCells<'_>, mapped: &[(usize, u32)]) -> bool {
    mapped.iter().all(|&(i, c)| {
        t.columns[i].labels_the_row()
            || cells
                .raw(c)
                .is_none_or(|cell| cell.formula.is_some() || cell.value.is_empty())
    })
}

/// False when `text` cannot start with an end marker (`END_MARKERS`) once normalised: its first
/// character that `normalize_label` keeps is none of theirs. Most rows are cleared so without
/// normalising their first text.
fn may_end_the_table(text: &str) -> bool {
    let kept = text.chars().find(|c| {
        !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    });
    kept.is_some_and(|k| END_MARKERS.iter().any(|m| m.starts_with(k)))
}

/// True when a normalised text starts with an end marker (`END_MARKERS`).
fn starts_with_end_marker(normalized: &str) -> bool {
    END_MARKERS.iter().any(|m| normalized.starts_with(m))
}

/// A row whose first cell starts like a footnote but which is clearly data (has a number in a
/// count column) is not the end: `说明` could be a project name.
fn is_row_of_data(table: &Table, sheet: &Sheet, r: u32) -> bool {
    let t = table.template();
    table.header.cols.iter().enumerate().any(|(i, c)| {
        matches!(t.columns[i].kind, Kind::Count | Kind::Amount)
            && c.is_some_and(|c| matches!(sheet.get(r, c), Value::Number(_)))
    })
}

fn classify_a2(table: &Table, sheet: &Sheet, r: u32) -> RowKind {
    let h = &table.header;
    let word = |key: a2::Col| {
        h.col(key)
            .and_then(|c| own_text(sheet, r, c).or_else(|| text_of(sheet.get(r, c))))
    };
    for key in [a2::Col::Seq, a2::Col::Unit] {
        if let Some(w) = word(key) {
            if SUBTOTAL_WORDS.iter().any(|t| w.starts_with(t)) {
                return RowKind::Subtotal;
            }
            if TOTAL_WORDS.iter().any(|t| w.starts_with(t)) {
                return RowKind::Total;
            }
        }
    }
    let blank = |key: a2::Col| h.col(key).is_none_or(|c| sheet.get(r, c).is_empty());
    if table.rows.is_empty() && blank(a2::Col::ProjectName) && blank(a2::Col::SupervisionNo) {
        return RowKind::Total;
    }
    RowKind::Data
}

fn text_of(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Text(s) if !s.trim().is_empty() => Some(normalized(s)),
        _ => None,
    }
}

/// What reading noticed about a cell: why it could not be read as its column's kind, or what a
/// rule should know about a value it did read. Reading notes; `rules::values` makes findings.
#[derive(Debug, Clone, PartialEq)]
pub enum Noticed {
    /// A formula without a stored result (the formula, without `=`).
    FormulaWithoutValue(String),
    /// A template placeholder (`× × ×`, `xx`), trimmed.
    Placeholder(String),
    /// A required column's cell left blank.
    BlankRequired,
    /// A number stored as text, read all the same.
    NumberAsText,
    /// A month typed as a number that Excel may have changed (`2024.1` for 2024.10).
    AmbiguousMonth(YearMonth),
    /// Not a value of the column's kind (count, amount, date, month, year): why.
    NotItsKind(Msg),
    /// None of the eleven stages; the one probably meant, if any.
    NotAStage(Option<usize>),
    /// Neither 是 nor 否.
    NotYesNo,
    /// None of the four 信息来源.
    NotASource,
}

/// A note on one cell (only the cell that holds a merged value is noted).
#[derive(Debug, Clone, PartialEq)]
pub struct CellNote {
    /// Index into `Table::rows`.
    pub row: usize,
    /// The template column (index into the template's columns).
    pub column: usize,
    pub at: CellRef,
    /// The value as the cell shows it.
    pub shown: String,
    pub noticed: Noticed,
}

/// The rows from some row down that merged regions cover, as sorted disjoint ranges, walked in
/// step with the rows: the cells of a row no region covers need no merge lookup. (A sheet's
/// regions are mostly in its header and its footnotes, but those below the data put every data
/// row within the range that `Sheet::merge_at` looks up cell by cell.)
struct MergedRows {
    ranges: Vec<(u32, u32)>,
    /// The first range not wholly above the last row asked about.
    next: usize,
}

impl MergedRows {
    fn below(sheet: &Sheet, first: u32) -> MergedRows {
        let mut spans: Vec<(u32, u32)> = (sheet.merges().iter())
            .filter(|m| m.last.row >= first)
            .map(|m| (m.first.row, m.last.row))
            .collect();
        spans.sort_unstable();
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for (a, b) in spans {
            match ranges.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => ranges.push((a, b)),
            }
        }
        MergedRows { ranges, next: 0 }
    }

    /// Whether a merged region covers row `r`; `r` never decreases from one call to the next.
    fn covers(&mut self, r: u32) -> bool {
        while self
            .ranges
            .get(self.next)
            .is_some_and(|&(_, last)| last < r)
        {
            self.next += 1;
        }
        self.ranges
            .get(self.next)
            .is_some_and(|&(first, _)| first <= r)
    }
}

/// Reads one cell as its column's kind, given the merged region that covers it (`merged`).
/// What it notices goes to `notes` (the row index is filled in by the caller).
/// Also gives the value as a reader sees it (a merged region reads its top-left).
fn read_cell<'s>(
    sheet: &'s Sheet,
    cells: &RowCells<'s>,
    table: &Table,
    (r, c, merged): (u32, u32, Option<&Merge>),
    i: usize,
    config: &Config,
    notes: &mut Vec<CellNote>,
) -> (Datum, &'s Value) {
    let at = CellRef::new(r, c);
    // One merge lookup for both: the cell as read and whether this cell owns the value.
    let cell = match merged {
        Some(m) => sheet.raw(m.first.row, m.first.col),
        None => cells.raw(c),
    };
    let value = cell.map(|c| &c.value).unwrap_or(&Value::Empty);
    // Only the cell that holds a merged value is noted; covered cells read it silently.
    let owner = merged.is_none_or(|m| m.first == at);
    let datum = read_value(cell, value, owner, table, at, i, config, notes);
    (datum, value)
}

/// `read_cell` once the cell is found: `owner` when notes on it are to be made.
#[allow(clippy::too_many_arguments)]
fn read_value(
    cell: Option<&Cell>,
    value: &Value,
    owner: bool,
    table: &Table,
    at: CellRef,
    i: usize,
    config: &Config,
    notes: &mut Vec<CellNote>,
) -> Datum {
    let t = table.template();
    let column = &t.columns[i];
    let mut note = |noticed: Noticed| {
        if owner {
            notes.push(CellNote {
                row: table.rows.len(),
                column: i,
                at,
                shown: value.display(),
                noticed,
            });
        }
    };

    if let Some(f) = cell.filter(|c| c.formula_without_value()) {
        note(Noticed::FormulaWithoutValue(
            f.formula.clone().unwrap_or_default(),
        ));
        return Datum::Unreadable;
    }
    if let Value::Text(s) = value {
        if values::is_placeholder(s) {
            note(Noticed::Placeholder(s.trim().to_string()));
            return Datum::Unreadable;
        }
    }
    if value.is_empty() {
        if column.required {
            note(Noticed::BlankRequired);
        }
        return Datum::Blank;
    }
    let mut bad = |noticed: Noticed| {
        note(noticed);
        Datum::Unreadable
    };
    match column.kind {
        Kind::Text | Kind::Unit => Datum::Text(match value {
            Value::Text(s) => values::fold(s),
            // A number or date shown as text: kept as shown when folding leaves it so.
            other => {
                let shown = other.display();
                match values::folded(&shown) {
                    Cow::Borrowed(same) if same.len() == shown.len() => shown,
                    folded => folded.into_owned(),
                }
            }
        }),
        Kind::Count => match values::read_count(value) {
            Ok(Some(rd)) => {
                if rd.from_text {
                    note(Noticed::NumberAsText);
                }
                Datum::Count(rd.value)
            }
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::Amount => match values::read_amount(value) {
            Ok(Some(rd)) => {
                if rd.from_text {
                    note(Noticed::NumberAsText);
                }
                Datum::Amount(rd.value)
            }
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::Date => match values::read_date(value) {
            Ok(Some(d)) if (1950..=2100).contains(&d.year()) => Datum::Date(d),
            Ok(Some(d)) => bad(Noticed::NotItsKind(Msg::new(
                format!("年份 {} 不合理", d.year()),
                format!("year {} is implausible", d.year()),
            ))),
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::AgreementDate => match values::read_agreement_date(value) {
            Ok(Some(rd)) if (1950..=2100).contains(&rd.value.month().year) => match rd.value {
                Dated::Day(d) => Datum::Date(d),
                Dated::Month(m) if rd.ambiguous_month => {
                    note(Noticed::AmbiguousMonth(m));
                    Datum::AmbiguousMonth(m)
                }
                Dated::Month(m) => Datum::Month(m),
            },
            Ok(Some(rd)) => bad(Noticed::NotItsKind(Msg::new(
                format!("年份 {} 不合理", rd.value.month().year),
                format!("year {} is implausible", rd.value.month().year),
            ))),
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::Month => match values::read_month(value) {
            Ok(Some(rd)) if (1950..=2100).contains(&rd.value.year) => {
                if rd.ambiguous_month {
                    note(Noticed::AmbiguousMonth(rd.value));
                    Datum::AmbiguousMonth(rd.value)
                } else {
                    Datum::Month(rd.value)
                }
            }
            Ok(Some(m)) => bad(Noticed::NotItsKind(Msg::new(
                format!("年份 {} 不合理", m.value.year),
                format!("year {} is implausible", m.value.year),
            ))),
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::Year => match values::read_year(value) {
            Ok(Some(y)) if (2000..=config.as_of.year()).contains(&y) => Datum::Year(y),
            Ok(Some(y)) => bad(Noticed::NotItsKind(Msg::new(
                format!("年份 {y} 应在 2000 至 {} 之间", config.as_of.year()),
                format!("year {y} must be within 2000..={}", config.as_of.year()),
            ))),
            Ok(None) => Datum::Blank,
            Err(m) => bad(Noticed::NotItsKind(m)),
        },
        Kind::Stage => match values::read_stage(value) {
            Ok(s) => Datum::Stage(s),
            Err(suggest) => bad(Noticed::NotAStage(suggest)),
        },
        Kind::YesNo => match values::read_yes_no(value) {
            Some(b) => Datum::YesNo(b),
            None => bad(Noticed::NotYesNo),
        },
        Kind::Source => match values::read_source(value) {
            Some(s) => Datum::Source(s),
            None => bad(Noticed::NotASource),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_rows_are_the_rows_a_region_covers() {
        let mut s = Sheet::new("x");
        let merge = |s: &mut Sheet, (r0, c0), (r1, c1)| {
            s.add_merge(Merge {
                first: CellRef::new(r0, c0),
                last: CellRef::new(r1, c1),
            })
        };
        merge(&mut s, (4, 0), (5, 0)); // the header, above the rows asked about
        merge(&mut s, (9, 2), (10, 2));
        merge(&mut s, (11, 0), (11, 3)); // next to the one above: one range
        merge(&mut s, (10, 5), (10, 6)); // inside it
        merge(&mut s, (20, 0), (22, 0));
        merge(&mut s, (30, 1), (30, 1)); // one cell: no region
        let mut rows = MergedRows::below(&s, 6);
        let covered: Vec<u32> = (6..40).filter(|&r| rows.covers(r)).collect();
        assert_eq!(covered, [9, 10, 11, 20, 21, 22]);
        let every: Vec<u32> = (6..40)
            .filter(|&r| (0..8).any(|c| s.merge_at(r, c).is_some()))
            .collect();
        assert_eq!(covered, every);
    }
}
