//! Counts and amounts (SPEC 6, rules V01/V02/V04).

use super::{is_nothing_mark, normalized, shown, shown_text, Read, ReadError};
use crate::grid::Value;
use crate::lang::Msg;

/// Binary noise tolerated around a whole number (`11.999999999999` is 12).
const NOISE: f64 = 1e-9;

/// Largest count accepted: beyond this an `f64` no longer holds every whole number.
const MAX_COUNT: f64 = 9.0e15;

/// Count: `Ok(None)` when blank; a whole number ≥ 0 from a number cell or text (`from_text`).
///
/// Blank also covers whitespace-only text and the "nothing" marks (`/`, `／`, `-`, `—`, `——`,
/// `无`). Text is folded and trimmed (`"１２"`, `" 12 "`, `"12.0"`, `"1,200"`). A unit suffix
/// (`12户`), a negative or fractional number, a logical, date or error cell is an error.
pub fn read_count(v: &Value) -> Result<Option<Read<i64>>, ReadError> {
    let (n, from_text) = match number_of(v, Kind::Count)? {
        None => return Ok(None),
        Some(x) => x,
    };
    // The value is quoted only in a message (most counts are fine).
    let found = || shown(v);
    if n < -NOISE {
        let found = found();
        return Err(Msg::new(
            format!("“{found}”是负数，数量不能为负"),
            format!("\"{found}\" is negative; a count cannot be negative"),
        ));
    }
    let r = n.round();
    if (n - r).abs() >= NOISE {
        let found = found();
        return Err(Msg::new(
            format!("“{found}”不是整数，数量应为整数"),
            format!("\"{found}\" is not a whole number; a count must be whole"),
        ));
    }
    if r > MAX_COUNT {
        let found = found();
        return Err(Msg::new(
            format!("“{found}”太大，不像是数量"),
            format!("\"{found}\" is too large to be a count"),
        ));
    }
    Ok(Some(Read {
        value: r.max(0.0) as i64,
        from_text,
        ambiguous_month: false,
    }))
}

/// Amount: `Ok(None)` when blank; a number ≥ 0.
///
/// Same readings as [`read_count`] (text with `from_text`, thousands separators `35,000`), but
/// fractions are allowed. A unit (`3.5万元`, `35000元`) is an error: the template's header gives
/// the unit.
pub fn read_amount(v: &Value) -> Result<Option<Read<f64>>, ReadError> {
    let (n, from_text) = match number_of(v, Kind::Amount)? {
        None => return Ok(None),
        Some(x) => x,
    };
    if n < -NOISE {
        let found = shown(v);
        return Err(Msg::new(
            format!("“{found}”是负数，金额不能为负"),
            format!("\"{found}\" is negative; an amount cannot be negative"),
        ));
    }
    Ok(Some(Read {
        value: if n < 0.0 { 0.0 } else { n },
        from_text,
        ambiguous_month: false,
    }))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Count,
    Amount,
}

/// The number a cell holds, and whether it came from text. `Ok(None)` when blank.
fn number_of(v: &Value, kind: Kind) -> Result<Option<(f64, bool)>, ReadError> {
    let what_zh = if kind == Kind::Count {
        "数量"
    } else {
        "金额"
    };
    let what_en = if kind == Kind::Count {
        "a count"
    } else {
        "an amount"
    };
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) if n.is_finite() => Ok(Some((*n, false))),
        Value::Number(_) => Err(Msg::new(
            "单元格不是有效数字",
            "the cell does not hold a valid number",
        )),
        Value::Bool(_) => {
            let found = shown(v);
            Err(Msg::new(
                format!("“{found}”是逻辑值，此处应填{what_zh}"),
                format!("\"{found}\" is a logical value; {what_en} is expected"),
            ))
        }
        Value::Date(_) => {
            let found = shown(v);
            Err(Msg::new(
                format!("“{found}”是日期，此处应填{what_zh}"),
                format!("\"{found}\" is a date; {what_en} is expected"),
            ))
        }
        Value::Error(e) => {
            let found = shown_text(e);
            Err(Msg::new(
                format!("单元格是错误值“{found}”"),
                format!("the cell holds the error value \"{found}\""),
            ))
        }
        Value::Text(t) => {
            let s = normalized(t);
            if s.is_empty() || is_nothing_mark(&s) {
                return Ok(None);
            }
            if let Some(n) = parse_decimal(&s) {
                return Ok(Some((n, true)));
            }
            let found = shown_text(t);
            if let Some(unit) = unit_suffix(&s) {
                return Err(Msg::new(
                    format!("“{found}”含有单位“{unit}”，请只填数字"),
                    format!("\"{found}\" contains the unit \"{unit}\"; enter the number only"),
                ));
            }
            Err(Msg::new(
                format!("“{found}”不是数字，此处应填{what_zh}"),
                format!("\"{found}\" is not a number; {what_en} is expected"),
            ))
        }
    }
}

/// Parses folded, whitespace-free text as a decimal number: optional sign, digits with optional
/// well-formed thousands separators (`1,234,567`), optional fraction. No exponent, no unit.
pub(crate) fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut clean = String::with_capacity(s.len());
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        if b[i] == b'-' {
            clean.push('-');
        }
        i += 1;
    }
    // Integer part, with groups.
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let first_group = i - start;
    clean.push_str(&s[start..i]);
    while i < b.len() && b[i] == b',' {
        if first_group == 0 || first_group > 3 {
            return None;
        }
        let g = i + 1;
        let mut j = g;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j - g != 3 {
            return None;
        }
        clean.push_str(&s[g..j]);
        i = j;
    }
    let int_digits = clean.trim_start_matches('-').len();
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        clean.push('.');
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
        clean.push_str(&s[f..i]);
        if frac_digits == 0 {
            return None;
        }
    }
    if i != b.len() || (int_digits == 0 && frac_digits == 0) || int_digits > 300 {
        return None;
    }
    if int_digits == 0 {
        // ".5"
        clean.insert(clean.len() - frac_digits - 1, '0');
    }
    clean.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// When the text is a number followed by a short non-numeric tail (`12户`, `3.5万元`), the tail.
fn unit_suffix(s: &str) -> Option<String> {
    let cut = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-' || c == '+'))
        .map(|(i, _)| i)?;
    let (num, tail) = s.split_at(cut);
    parse_decimal(num)?;
    let n = tail.chars().count();
    let plain = tail
        .chars()
        .all(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation());
    if (1..=4).contains(&n) && plain {
        Some(tail.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn count(v: Value) -> Option<(i64, bool)> {
        read_count(&v)
            .expect("readable")
            .map(|r| (r.value, r.from_text))
    }

    #[test]
    fn blank_and_nothing_marks_are_none() {
        for s in [
            "", " ", "\u{3000}", "\n\t", "/", "／", "-", "—", "——", "无", " 无 ", "－",
        ] {
            assert_eq!(read_count(&t(s)), Ok(None), "{s:?}");
            assert_eq!(read_amount(&t(s)), Ok(None), "{s:?}");
        }
        assert_eq!(read_count(&Value::Empty), Ok(None));
        assert_eq!(read_amount(&Value::Empty), Ok(None));
    }

    #[test]
    fn number_cells_are_counts() {
        assert_eq!(count(Value::Number(12.0)), Some((12, false)));
        assert_eq!(count(Value::Number(0.0)), Some((0, false)));
        assert_eq!(count(Value::Number(-0.0)), Some((0, false)));
        assert_eq!(count(Value::Number(11.999_999_999_999)), Some((12, false)));
        assert_eq!(count(Value::Number(12.000_000_000_01)), Some((12, false)));
        assert_eq!(count(Value::Number(-1e-12)), Some((0, false)));
        assert_eq!(count(Value::Number(1e12)), Some((1_000_000_000_000, false)));
    }

    #[test]
    fn text_numbers_are_counts_from_text() {
        for s in [
            "12",
            "１２",
            " 12 ",
            "12.0",
            "12.00",
            "+12",
            "\u{3000}１２\u{3000}",
            "1 2",
        ] {
            assert_eq!(count(t(s)), Some((12, true)), "{s:?}");
        }
        assert_eq!(count(t("1,200")), Some((1200, true)));
        assert_eq!(count(t("1，200")), Some((1200, true)));
        assert_eq!(count(t("0")), Some((0, true)));
        assert_eq!(count(t("12\u{200B}")), Some((12, true)));
        assert_eq!(count(t("\u{00A0}12\u{00A0}")), Some((12, true)));
    }

    #[test]
    fn bad_counts_are_errors() {
        for v in [
            Value::Number(-1.0),
            Value::Number(12.5),
            Value::Number(f64::NAN),
            Value::Number(f64::INFINITY),
            Value::Number(1e17),
            Value::Bool(true),
            Value::Date(
                chrono::NaiveDate::from_ymd_opt(2024, 7, 31)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
            ),
            Value::Error("#DIV/0!".into()),
            t("-3"),
            t("12.5"),
            t("abc"),
            t("12户"),
            t("1,20"),
            t("12,000,00"),
            t("1.2.3"),
            t("."),
            t("1e5"),
        ] {
            assert!(read_count(&v).is_err(), "{v:?}");
        }
    }

    #[test]
    fn messages_say_what_was_found() {
        let e = read_count(&t("12户")).unwrap_err();
        assert_eq!(e.zh, "“12户”含有单位“户”，请只填数字");
        assert!(e.en.contains("unit"), "{}", e.en);
        let e = read_count(&t("12套")).unwrap_err();
        assert!(e.zh.contains("单位"));
        let e = read_count(&Value::Number(-2.0)).unwrap_err();
        assert!(e.zh.contains("“-2”") && e.zh.contains("负"), "{}", e.zh);
        let e = read_count(&Value::Number(2.5)).unwrap_err();
        assert!(e.zh.contains("整数"), "{}", e.zh);
        let e = read_count(&Value::Error("#REF!".into())).unwrap_err();
        assert!(e.zh.contains("#REF!"));
        let e = read_amount(&t("3.5万元")).unwrap_err();
        assert!(e.zh.contains("“万元”"), "{}", e.zh);
        let e = read_count(&t("共计")).unwrap_err();
        assert!(e.zh.contains("不是数字"), "{}", e.zh);
    }

    #[test]
    fn amounts() {
        let a = |v: Value| read_amount(&v).unwrap().map(|r| (r.value, r.from_text));
        assert_eq!(a(Value::Number(3.5)), Some((3.5, false)));
        assert_eq!(a(Value::Number(0.0)), Some((0.0, false)));
        assert_eq!(a(t("35000")), Some((35000.0, true)));
        assert_eq!(a(t("35,000")), Some((35000.0, true)));
        assert_eq!(a(t("35,000.50")), Some((35000.5, true)));
        assert_eq!(a(t("３５０００．５")), Some((35000.5, true)));
        assert_eq!(a(t("0.5")), Some((0.5, true)));
        assert_eq!(a(t(".5")), Some((0.5, true)));
        assert!(read_amount(&Value::Number(-0.01)).is_err());
        assert!(read_amount(&t("-5")).is_err());
        assert!(read_amount(&t("3.5万元")).is_err());
        assert!(read_amount(&t("35000元")).is_err());
        assert!(read_amount(&Value::Bool(false)).is_err());
        assert!(read_amount(&t("5.")).is_err());
    }

    #[test]
    fn long_text_is_fast() {
        let long = "1".repeat(100_000);
        assert!(read_count(&t(&long)).is_err());
        let long = format!("{}户", "1".repeat(100_000));
        assert!(read_count(&t(&long)).is_err());
        let long = "户".repeat(100_000);
        let e = read_count(&t(&long)).unwrap_err();
        assert!(e.zh.chars().count() < 60);
        let long = "1,000".repeat(20_000);
        assert!(read_amount(&t(&long)).is_err());
    }

    #[test]
    fn every_small_count_round_trips() {
        for n in 0..2000i64 {
            assert_eq!(count(Value::Number(n as f64)), Some((n, false)));
            assert_eq!(count(t(&n.to_string())), Some((n, true)));
            let wide: String = n
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect();
            assert_eq!(count(t(&wide)), Some((n, true)));
        }
    }
}
