//! Total and 小计 rows (SPEC 3.1, 4): A2-09 (a total equals the sum of the project rows it
//! covers), and what a total owes to a project row's own mistake: a negative amount summed into
//! it, or a text-stored number Excel's SUM skipped. Such a total is not reported again; the
//! project cell's diagnostic names it in `related` (one mistake, one diagnostic).

use super::finding::OnCell;
use crate::diag::{Diagnostic, RuleId};
use crate::grid::{format_number, CellRef, Sheet, Value};
use crate::table::{Datum, Row, RowKind, Table};

/// Amounts are compared to the cent (SPEC 4).
const CENT: f64 = 0.005;

/// Why a total's value is what its project cells made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cause {
    /// The total is the sum of its project cells, negative ones included (V01/V02 on those).
    Negative,
    /// The total falls short by exactly the column's text-stored numbers (V04 on those), which
    /// Excel's SUM skips; `short` is by how much.
    SkippedText { short: f64 },
}

/// A total cell whose value owes `cause` to the project cells `cells`.
#[derive(Debug, Clone, PartialEq)]
pub struct Owed {
    /// The total or 小计 cell.
    pub total: CellRef,
    pub subtotal: bool,
    pub cause: Cause,
    pub cells: Vec<CellRef>,
}

impl Owed {
    /// `合计 G6` / `小计 G9` (and in English `total G6`).
    pub fn named(&self) -> (String, String) {
        let (zh, en) = row_word(self.subtotal);
        (
            format!("{zh} {}", self.total),
            format!("{en} {}", self.total),
        )
    }
}

/// A total row as a message names it: `合计`/`total`, or `小计`/`subtotal`.
fn row_word(subtotal: bool) -> (&'static str, &'static str) {
    if subtotal {
        ("小计", "subtotal")
    } else {
        ("合计", "total")
    }
}

/// The total and 小计 rows of `t` with the project rows each covers (in a county file the total
/// covers all; in a consolidated file each 小计 covers the rows below it up to the next).
fn coverage(t: &Table) -> impl Iterator<Item = (&Row, Vec<&Row>)> {
    t.rows.iter().enumerate().filter_map(|(ti, total)| {
        let covered: Vec<&Row> = match total.kind {
            RowKind::Data => return None,
            RowKind::Total => t.data_rows().collect(),
            RowKind::Subtotal => t.rows[ti + 1..]
                .iter()
                .take_while(|r| r.kind == RowKind::Data)
                .collect(),
        };
        Some((total, covered))
    })
}

/// The template's summed columns the file has: (template index, sheet column).
fn summed_columns(t: &Table) -> Vec<(usize, u32)> {
    let template = t.template();
    (0..template.columns.len())
        .filter(|&i| template.columns[i].summed)
        .filter_map(|i| t.header.cols[i].map(|c| (i, c)))
        .collect()
}

/// Every total cell of `t` that owes its value to project cells reported on their own.
pub fn owed(sheet: &Sheet, t: &Table) -> Vec<Owed> {
    let summed = summed_columns(t);
    let mut out = Vec::new();
    for (total, covered) in coverage(t) {
        for &(i, c) in &summed {
            out.extend(owed_at(sheet, total, &covered, (i, c)));
        }
    }
    out
}

/// What the total cell of column `i` (sheet column `c`) in `total` owes to `covered`, if
/// anything.
fn owed_at(sheet: &Sheet, total: &Row, covered: &[&Row], (i, c): (usize, u32)) -> Option<Owed> {
    let at = CellRef::new(total.row, c);
    let make = |cause, cells| Owed {
        total: at,
        subtotal: total.kind == RowKind::Subtotal,
        cause,
        cells,
    };
    // A number cell as Excel's SUM sees it (a merged region counts once, at its top-left).
    let number = |r: u32| match sheet.raw(r, c).map(|cell| &cell.value) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    };
    match &total.fields[i] {
        // Unreadable: perhaps negative, as the SUM of a negative project cell is.
        Datum::Unreadable => {
            let have = number(total.row)?;
            let negative: Vec<CellRef> = covered
                .iter()
                .filter(|r| {
                    r.fields[i] == Datum::Unreadable && number(r.row).is_some_and(|n| n < 0.0)
                })
                .map(|r| CellRef::new(r.row, c))
                .collect();
            let sum: f64 = covered.iter().filter_map(|r| number(r.row)).sum();
            (!negative.is_empty() && (have - sum).abs() < CENT)
                .then(|| make(Cause::Negative, negative))
        }
        field => {
            let have = field.number_or_zero()?;
            let mut sum = 0.0;
            let mut short = 0.0;
            let mut texts = Vec::new();
            for r in covered {
                let v = r.fields[i].number_or_zero()?;
                sum += v;
                if matches!(
                    sheet.raw(r.row, c).map(|cell| &cell.value),
                    Some(Value::Text(_))
                ) && v != 0.0
                {
                    short += v;
                    texts.push(CellRef::new(r.row, c));
                }
            }
            let explained = !texts.is_empty()
                && (have + short - sum).abs() < CENT
                && (have - sum).abs() >= CENT;
            explained.then(|| make(Cause::SkippedText { short }, texts))
        }
    }
}

/// A2-09: each total row equals the sum of the project rows it covers, column by column; a
/// total short by exactly the column's text-stored numbers is V04's (SPEC 4.2), not A2-09.
pub fn check(sheet: &Sheet, t: &Table, out: &mut Vec<Diagnostic>) {
    let template = t.template();
    let summed = summed_columns(t);
    for (total, covered) in coverage(t) {
        for &(i, c) in &summed {
            let Some(have) = total.fields[i].number_or_zero() else {
                continue;
            };
            let Some(sum) = covered
                .iter()
                .map(|r| r.fields[i].number_or_zero())
                .sum::<Option<f64>>()
            else {
                continue;
            };
            if (have - sum).abs() < CENT || owed_at(sheet, total, &covered, (i, c)).is_some() {
                continue;
            }
            let what = row_word(total.kind == RowKind::Subtotal);
            let range = match (covered.first(), covered.last()) {
                (Some(a), Some(b)) => {
                    let range = format!("{}:{}", CellRef::new(a.row, c), CellRef::new(b.row, c));
                    (range.clone(), range)
                }
                _ => ("（无项目行）".to_string(), "(none)".to_string()),
            };
            let key = template.columns[i].key;
            out.push(t.diag(sheet, RuleId::A2_09, total, key).detail(
                format!(
                    "{} {}，{} 各项目之和为 {}",
                    what.0,
                    format_number(have),
                    range.0,
                    format_number(sum)
                ),
                format!(
                    "{} {} but the project rows {} sum to {}",
                    what.1,
                    format_number(have),
                    range.1,
                    format_number(sum)
                ),
            ));
        }
    }
}
