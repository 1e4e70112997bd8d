//! calamine's cell values as pgcheck's, and the dense ranges of `.xls`/`.ods` stored sparse.

use std::collections::HashMap;

use calamine::{Data, DataRef};
use chrono::{NaiveDate, NaiveDateTime};

use super::{Cells, OpenError};
use crate::grid::Value;

fn parse_iso_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.naive_local())
}

fn excel_datetime(d: &calamine::ExcelDateTime) -> Value {
    if d.is_duration() {
        return Value::Number(d.as_f64());
    }
    match d.as_datetime() {
        Some(dt) => Value::from_date_cell(dt),
        None => Value::Number(d.as_f64()),
    }
}

fn iso_value(s: &str) -> Value {
    match parse_iso_datetime(s) {
        Some(d) => Value::from_date_cell(d),
        None => Value::Text(s.to_string()),
    }
}

fn map_data(d: &Data) -> Value {
    match d {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => excel_datetime(dt),
        Data::DateTimeIso(s) => iso_value(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

pub(crate) fn map_ref(d: DataRef<'_>) -> Value {
    match d {
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(dt) => excel_datetime(&dt),
        DataRef::DateTimeIso(s) => iso_value(&s),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

/// Stores the cells of a dense value range and its formula range (.xls, .ods), lined up by
/// absolute position; a formula whose value cell is empty is stored as such (S05). `formula_cells`
/// are cells the file says hold a formula (.xls), with the text pgcheck rebuilt (empty if none):
/// one calamine gives no text for is stored as a formula all the same, with that text.
pub(crate) fn fill_from_ranges(
    cells: &mut Cells<'_>,
    range: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    formula_cells: Option<&HashMap<(u32, u32), String>>,
) -> Result<(), OpenError> {
    let mut formula_at: HashMap<(u32, u32), String> = HashMap::new();
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, f) in formulas.used_cells() {
            if !f.trim().is_empty() {
                formula_at.insert((r0 + r as u32, c0 + c as u32), f.clone());
            }
        }
    }
    if let Some((r0, c0)) = range.start() {
        for (r, c, d) in range.used_cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let known = formula_cells.and_then(|known| known.get(&pos));
            let f = formula_at
                .remove(&pos)
                .or_else(|| known.filter(|t| !t.is_empty()).cloned());
            if f.is_none() && known.is_some() {
                cells.store_unspelt_formula(pos, map_data(d))?;
            } else {
                cells.store(pos, map_data(d), f)?;
            }
        }
    }
    let mut rest: Vec<_> = formula_at.into_iter().collect();
    rest.sort();
    for (pos, f) in rest {
        cells.store(pos, Value::Empty, Some(f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            iso_value("2024-10-14"),
            Value::Date(d(2024, 10, 14).and_hms_opt(0, 0, 0).unwrap())
        );
        assert_eq!(
            iso_value("2024-10-14T08:30:00"),
            Value::Date(d(2024, 10, 14).and_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(iso_value("下周一"), Value::Text("下周一".into()));
    }
}
