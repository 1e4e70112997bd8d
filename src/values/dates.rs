//! Dates, months and years (SPEC 6, rules V03/V05/S09).

use chrono::{Datelike, Duration, NaiveDate};

use super::{
    fold, folded, is_nothing_mark, normalized, shown, shown_text, Read, ReadError, YearMonth,
};
use crate::grid::Value;
use crate::lang::Msg;

/// Text longer than this (in characters, after folding) is never a date.
const MAX_DATE_TEXT: usize = 64;

/// One token of date text: a run of ASCII digits or one other character. Whitespace separates
/// tokens and is otherwise dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(&'a str),
    Ch(char),
}

fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(&(j, d)) = iter.peek() {
                if d.is_ascii_digit() {
                    end = j + 1;
                    iter.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Num(&s[i..end]));
        } else if !c.is_whitespace() {
            out.push(Tok::Ch(c));
        }
    }
    out
}

/// What a piece of text or a number names, before calendar checks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Full(i32, u32, u32),
    /// Year and month; `ambiguous` for a numeric `2024.1`.
    Month(i32, u32, bool),
    Year(i32),
}

fn num(t: Option<&Tok<'_>>, lens: std::ops::RangeInclusive<usize>) -> Option<u32> {
    match t {
        Some(Tok::Num(d)) if lens.contains(&d.len()) => d.parse().ok(),
        _ => None,
    }
}

fn ch(t: Option<&Tok<'_>>, set: &[char]) -> Option<char> {
    match t {
        Some(Tok::Ch(c)) if set.contains(c) => Some(*c),
        _ => None,
    }
}

/// Parses the front of a token list; returns the shape and how many tokens it used.
fn parse_tokens(toks: &[Tok<'_>]) -> Option<(Shape, usize)> {
    let first = toks.first()?;
    let Tok::Num(d) = first else { return None };
    match d.len() {
        8 => {
            let (y, m, dd) = (&d[0..4], &d[4..6], &d[6..8]);
            let shape = Shape::Full(y.parse().ok()?, m.parse().ok()?, dd.parse().ok()?);
            return Some((shape, 1 + time_len(&toks[1..])));
        }
        6 => {
            let shape = Shape::Month(d[0..4].parse().ok()?, d[4..6].parse().ok()?, false);
            return Some((shape, 1));
        }
        4 => {}
        _ => return None,
    }
    let y: i32 = d.parse().ok()?;
    if let Some(sep) = ch(toks.get(1), &['-', '/', '.']) {
        let m = num(toks.get(2), 1..=2)?;
        if ch(toks.get(3), &[sep]).is_some() {
            if let Some(day) = num(toks.get(4), 1..=2) {
                return Some((Shape::Full(y, m, day), 5 + time_len(&toks[5..])));
            }
            return None;
        }
        return Some((Shape::Month(y, m, false), 3));
    }
    if ch(toks.get(1), &['年']).is_some() {
        if let (Some(m), Some(_)) = (num(toks.get(2), 1..=2), ch(toks.get(3), &['月'])) {
            if let Some(day) = num(toks.get(4), 1..=2) {
                let used = if ch(toks.get(5), &['日', '号']).is_some() {
                    6
                } else {
                    5
                };
                return Some((Shape::Full(y, m, day), used + time_len(&toks[used..])));
            }
            return Some((Shape::Month(y, m, false), 4));
        }
        let used = if ch(toks.get(2), &['度']).is_some() {
            3
        } else {
            2
        };
        return Some((Shape::Year(y), used));
    }
    Some((Shape::Year(y), 1))
}

/// Length of an optional time of day after a date: `[T]HH:MM[:SS[.fff]]`.
fn time_len(toks: &[Tok<'_>]) -> usize {
    let mut i = usize::from(ch(toks.first(), &['T']).is_some());
    if num(toks.get(i), 1..=2).is_none()
        || ch(toks.get(i + 1), &[':']).is_none()
        || num(toks.get(i + 2), 2..=2).is_none()
    {
        return 0;
    }
    i += 3;
    if ch(toks.get(i), &[':']).is_some() && num(toks.get(i + 1), 2..=2).is_some() {
        i += 2;
        if ch(toks.get(i), &['.']).is_some() && num(toks.get(i + 1), 1..=9).is_some() {
            i += 2;
        }
    }
    i
}

/// Characters allowed after a month (`2024年10月底`, `2024年7月份`, `2024年11月底前`).
const MONTH_SUFFIX: &[char] = &['底', '末', '前', '份', '初', '之', '以', '止'];

/// Parses folded text. `month_suffix` allows the trailing `底`/`末`/`前`/`份` of a month.
fn parse_text(s: &str, month_suffix: bool) -> Option<Shape> {
    if s.chars().count() > MAX_DATE_TEXT {
        return None;
    }
    let toks = tokenize(s);
    let (shape, used) = parse_tokens(&toks)?;
    let rest = &toks[used..];
    let ok = rest.is_empty()
        || (month_suffix
            && !matches!(shape, Shape::Year(_))
            && rest.iter().all(|t| ch(Some(t), MONTH_SUFFIX).is_some()));
    ok.then_some(shape)
}

/// Excel's 1900 date system (serial 61 and later; the fictitious 1900-02-29 is before our range).
fn excel_serial(n: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(Duration::days(n.floor() as i64))
}

/// What a number cell names: `20240731`, a serial date in 20000..80000, `202407`, `2024.07`,
/// `2024`. Serial dates come back as `Full`.
fn number_shape(n: f64) -> Option<Shape> {
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    let whole = (n - n.round()).abs() < 1e-9;
    if whole {
        let w = n.round() as i64;
        if (19_000_101..=29_991_231).contains(&w) {
            return Some(Shape::Full(
                (w / 10_000) as i32,
                (w / 100 % 100) as u32,
                (w % 100) as u32,
            ));
        }
        if (190_001..=299_912).contains(&w) {
            return Some(Shape::Month((w / 100) as i32, (w % 100) as u32, false));
        }
        if (1000..=9999).contains(&w) {
            return Some(Shape::Year(w as i32));
        }
    }
    if (20_000.0..80_000.0).contains(&n) {
        let d = excel_serial(n)?;
        return Some(Shape::Full(d.year(), d.month(), d.day()));
    }
    if !whole && (1900.0..3000.0).contains(&n) {
        // year.month with one or two decimals; anything finer is not a month.
        let hundredths = (n * 100.0).round();
        if (n * 100.0 - hundredths).abs() > 1e-6 {
            return None;
        }
        let h = hundredths as i64;
        let (year, frac) = ((h / 100) as i32, (h % 100) as u32);
        return Some(if frac % 10 == 0 {
            Shape::Month(year, frac / 10, frac == 10)
        } else {
            Shape::Month(year, frac, false)
        });
    }
    None
}

fn not_a_date(found: &str) -> Msg {
    Msg::new(
        format!("“{found}”不是日期，请按 2024-07-31 或 2024年7月31日 填写"),
        format!("\"{found}\" is not a date; write it as 2024-07-31 or \"2024年7月31日\""),
    )
}

fn not_a_month(found: &str) -> Msg {
    Msg::new(
        format!("“{found}”不是年月，请按 2024-07 或 2024年7月 填写"),
        format!("\"{found}\" is not a year and month; write it as 2024-07 or \"2024年7月\""),
    )
}

fn bad_month(found: impl std::fmt::Display, m: u32) -> Msg {
    Msg::new(
        format!("“{found}”的月份 {m} 不在 1 至 12 之间"),
        format!("\"{found}\": month {m} is not between 1 and 12"),
    )
}

/// A cell's value as quoted in a message, formatted only when a message is made (dates are
/// read by the hundred thousand; their messages are rare).
struct Shown<'a>(&'a Value);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shown(self.0))
    }
}

fn calendar_date(
    found: impl std::fmt::Display,
    y: i32,
    m: u32,
    d: u32,
) -> Result<NaiveDate, ReadError> {
    if !(1..=12).contains(&m) {
        return Err(bad_month(&found, m));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        Msg::new(
            format!("“{found}”不是有效日期：{y}年{m}月没有{d}日"),
            format!("\"{found}\" is not a valid date: {y}-{m:02} has no day {d}"),
        )
    })
}

/// The shape of a non-blank cell, or `Ok(None)` when blank. `Err` for cells that are no date.
fn shape_of(
    v: &Value,
    month_suffix: bool,
    not_this: fn(&str) -> Msg,
) -> Result<Option<Shape>, ReadError> {
    match v {
        Value::Empty => Ok(None),
        Value::Date(dt) => {
            let d = dt.date();
            Ok(Some(Shape::Full(d.year(), d.month(), d.day())))
        }
        Value::Number(n) => number_shape(*n)
            .map(Some)
            .ok_or_else(|| not_this(&shown(v))),
        Value::Text(t) => {
            if is_nothing_mark(&normalized(t)) || t.trim().is_empty() {
                return Ok(None);
            }
            let f = folded(t);
            if let Some(shape) = parse_text(&f, month_suffix) {
                return Ok(Some(shape));
            }
            let found = shown_text(t);
            if f.chars().count() <= MAX_DATE_TEXT {
                let toks = tokenize(&f);
                if num(toks.first(), 1..=2).is_some() && ch(toks.get(1), &['月']).is_some() {
                    return Err(Msg::new(
                        format!("“{found}”缺少年份，请写成如 2024年7月"),
                        format!(
                            "\"{found}\" has no year; write it as e.g. 2024-07 or \"2024年7月\""
                        ),
                    ));
                }
            }
            Err(not_this(&found))
        }
        Value::Error(e) => {
            let found = shown_text(e);
            Err(Msg::new(
                format!("单元格是错误值“{found}”"),
                format!("the cell holds the error value \"{found}\""),
            ))
        }
        Value::Bool(_) => Err(not_this(&shown(v))),
    }
}

/// Full date: date cells and text forms of SPEC 6.
///
/// `Ok(None)` when blank (also `/`, `-`, `无`). Reads date cells; text `2024-07-31`,
/// `2024/7/31`, `2024.7.31`, `2024年7月31日` (spaces allowed between parts, `号` for `日`),
/// `20240731`, `2024-07-31 00:00:00`; number cells `20240731` and Excel serial numbers between
/// 20000 and 80000 (a date cell that lost its format). A month or year alone is an error saying
/// a full date is needed; so is a day the calendar does not have.
pub fn read_date(v: &Value) -> Result<Option<NaiveDate>, ReadError> {
    let found = Shown(v);
    match shape_of(v, false, not_a_date)? {
        None => Ok(None),
        Some(Shape::Full(y, m, d)) => calendar_date(&found, y, m, d).map(Some),
        Some(Shape::Year(_)) => Err(Msg::new(
            format!("“{found}”只有年份，此处需要完整日期（年月日），如 2024-07-31"),
            format!("\"{found}\" gives only a year; a full date is needed, e.g. 2024-07-31"),
        )),
        Some(Shape::Month(..)) => Err(Msg::new(
            format!("“{found}”只有年月，此处需要完整日期（年月日），如 2024-07-31"),
            format!(
                "\"{found}\" gives only a year and month; a full date is needed, e.g. 2024-07-31"
            ),
        )),
    }
}

/// An agreement date (A2 签订时间, 约定交付时间; A3 协议签订时间, 协议明确回迁时间): given to the
/// day or, for a project whose households sign over weeks, to the month (SPEC 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    Day(NaiveDate),
    Month(YearMonth),
}

impl Dated {
    /// The month of the date (what rules compare when either side is given to the month).
    pub fn month(self) -> YearMonth {
        match self {
            Dated::Day(d) => YearMonth::of(d),
            Dated::Month(m) => m,
        }
    }

    /// Whether `self` is before `other`: by day when both are days, else by month.
    pub fn is_before(self, other: Dated) -> bool {
        match (self, other) {
            (Dated::Day(a), Dated::Day(b)) => a < b,
            _ => self.month() < other.month(),
        }
    }
}

impl std::fmt::Display for Dated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dated::Day(d) => write!(f, "{d}"),
            Dated::Month(m) => write!(f, "{m}"),
        }
    }
}

/// A year and month read from a month shape; `ambiguous` for a numeric `2024.1` (V05).
fn year_month(
    found: impl std::fmt::Display,
    y: i32,
    m: u32,
    ambiguous: bool,
) -> Result<Read<YearMonth>, ReadError> {
    if !(1..=12).contains(&m) {
        return Err(bad_month(found, m));
    }
    Ok(Read {
        value: YearMonth::new(y, m),
        from_text: false,
        ambiguous_month: ambiguous,
    })
}

/// An agreement date: every form of [`read_date`], or a year and month in any form of
/// [`read_month`] (`2016年10月`, `2016.10`, `201610`, a number `2016.10` typed into a date cell).
/// A numeric `2016.1` is January with `ambiguous_month` (V05), as in a month column. A year alone
/// is an error.
pub fn read_agreement_date(v: &Value) -> Result<Option<Read<Dated>>, ReadError> {
    let found = Shown(v);
    match shape_of(v, false, not_a_date)? {
        None => Ok(None),
        Some(Shape::Full(y, m, d)) => {
            calendar_date(&found, y, m, d).map(|d| Some(Read::plain(Dated::Day(d))))
        }
        Some(Shape::Month(y, m, ambiguous)) => {
            let read = year_month(&found, y, m, ambiguous)?;
            Ok(Some(Read {
                value: Dated::Month(read.value),
                from_text: read.from_text,
                ambiguous_month: read.ambiguous_month,
            }))
        }
        Some(Shape::Year(_)) => Err(Msg::new(
            format!("“{found}”只有年份，此处需要年月日或年月，如 2016-10-15 或 2016年10月"),
            format!(
                "\"{found}\" gives only a year; a date or a year and month is needed, e.g. 2016-10-15 or 2016-10"
            ),
        )),
    }
}

/// Year and month: the date forms plus the month forms of SPEC 6.
///
/// Accepts every form of [`read_date`] (its month is taken) plus `2024-07`, `2024.07`, `2024.7`,
/// `2024/7`, `2024年7月`, `202407`, with an optional trailing `底`/`末`/`前`/`份`
/// (`2024年10月底前`). A number cell `2024.07` is July and `2024.12` December; `2024.1` is January
/// with `ambiguous_month` (Excel turns a typed `2024.10` into it, V05). Text `2024.1` is January
/// and text `2024.10` October, neither ambiguous. `from_text` is never set (V04 is not for months).
pub fn read_month(v: &Value) -> Result<Option<Read<YearMonth>>, ReadError> {
    let found = Shown(v);
    match shape_of(v, true, not_a_month)? {
        None => Ok(None),
        Some(Shape::Full(y, m, d)) => {
            calendar_date(&found, y, m, d).map(|d| Some(Read::plain(YearMonth::of(d))))
        }
        Some(Shape::Month(y, m, ambiguous)) => year_month(&found, y, m, ambiguous).map(Some),
        Some(Shape::Year(_)) => Err(Msg::new(
            format!("“{found}”只有年份，此处需要年月，如 2024年7月"),
            format!("\"{found}\" gives only a year; a year and month are needed, e.g. 2024-07"),
        )),
    }
}

/// Year: `2016`, `2016年`, `2016年度`, a number 2016, a date (cell or text) or month in that
/// year. Range checks are the caller's.
pub fn read_year(v: &Value) -> Result<Option<i32>, ReadError> {
    fn not_a_year(found: &str) -> Msg {
        Msg::new(
            format!("“{found}”不是年份，请填写如 2016"),
            format!("\"{found}\" is not a year; write it as 2016"),
        )
    }
    let found = Shown(v);
    if let Value::Number(n) = v {
        // `2016.5` is no year (in a month column it would be May 2016).
        if (n - n.round()).abs() > 1e-9 && *n < 20_000.0 {
            return Err(not_a_year(&shown(v)));
        }
    }
    match shape_of(v, true, not_a_year)? {
        None => Ok(None),
        Some(Shape::Year(y)) => Ok(Some(y)),
        Some(Shape::Month(y, m, _)) if (1..=12).contains(&m) => Ok(Some(y)),
        Some(Shape::Full(y, m, d)) => calendar_date(&found, y, m, d).map(|d| Some(d.year())),
        Some(Shape::Month(_, m, _)) => Err(bad_month(&found, m)),
    }
}

/// What a 填报时间 cell holds (rule S09).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillDate {
    /// A full, valid date.
    Full(NaiveDate),
    /// The template's untouched `2024 年 月 日` (or `年 月 日`, `xxxx年xx月xx日`).
    Untouched,
    /// Some parts filled but not all (`2024年10月`, `2024 年 10 月 日`).
    Partial,
    /// Anything else, including a day the calendar does not have.
    Invalid,
}

/// Reads a 填报时间 cell; `None` when blank. A leading label `填报时间:` / `填报日期：` is skipped
/// (the template puts label and date in one cell); a cell holding only the label is blank.
pub fn read_fill_date(v: &Value) -> Option<FillDate> {
    let text = match v {
        Value::Empty => return None,
        Value::Date(dt) => return Some(FillDate::Full(dt.date())),
        Value::Number(n) => {
            return Some(match number_shape(*n) {
                Some(Shape::Full(y, m, d)) => NaiveDate::from_ymd_opt(y, m, d)
                    .map(FillDate::Full)
                    .unwrap_or(FillDate::Invalid),
                Some(_) => FillDate::Partial,
                None => FillDate::Invalid,
            })
        }
        Value::Text(t) => fold(t),
        Value::Bool(_) | Value::Error(_) => return Some(FillDate::Invalid),
    };
    let mut s = text.as_str();
    for label in ["填报时间", "填报日期"] {
        if let Some(rest) = s.strip_prefix(label) {
            s = rest.trim_start();
            s = s.strip_prefix(':').unwrap_or(s).trim();
        }
    }
    if s.is_empty() || is_nothing_mark(&normalized(s)) {
        return None;
    }
    if s.chars().count() > MAX_DATE_TEXT {
        return Some(FillDate::Invalid);
    }
    if s.contains(['年', '月', '日']) {
        return Some(fill_by_markers(s));
    }
    Some(match parse_text(s, false) {
        Some(Shape::Full(y, m, d)) => NaiveDate::from_ymd_opt(y, m, d)
            .map(FillDate::Full)
            .unwrap_or(FillDate::Invalid),
        Some(_) => FillDate::Partial,
        None => FillDate::Invalid,
    })
}

/// `2024 年 10 月 11 日` and its partly filled forms: each part before 年/月/日 is a number,
/// empty, or a placeholder (`xx`, `×`).
fn fill_by_markers(s: &str) -> FillDate {
    let mut parts: [Option<u32>; 3] = [None; 3];
    let mut seen = [false; 3];
    let mut next = 0usize;
    let mut cur = String::new();
    for c in s.chars() {
        let slot = match c {
            '年' => Some(0),
            '月' => Some(1),
            '日' | '号' => Some(2),
            _ => None,
        };
        match slot {
            Some(k) => {
                if k < next {
                    return FillDate::Invalid;
                }
                let piece: String = cur.chars().filter(|c| !c.is_whitespace()).collect();
                cur.clear();
                if piece
                    .chars()
                    .all(|c| matches!(c, 'x' | 'X' | '×' | '*' | '_'))
                {
                    // empty or placeholder
                } else if piece.len() <= 4 && piece.bytes().all(|b| b.is_ascii_digit()) {
                    parts[k] = piece.parse().ok();
                } else {
                    return FillDate::Invalid;
                }
                seen[k] = true;
                next = k + 1;
            }
            None => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        return FillDate::Invalid;
    }
    match parts {
        [Some(y), Some(m), Some(d)] => NaiveDate::from_ymd_opt(y as i32, m, d)
            .map(FillDate::Full)
            .unwrap_or(FillDate::Invalid),
        [_, None, None] if seen[1] || seen[2] || parts[0].is_none() => FillDate::Untouched,
        _ => FillDate::Partial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn date(v: Value) -> NaiveDate {
        read_date(&v)
            .unwrap_or_else(|e| panic!("{v:?}: {}", e.zh))
            .expect("not blank")
    }

    fn month(v: Value) -> (YearMonth, bool) {
        let r = read_month(&v)
            .unwrap_or_else(|e| panic!("{v:?}: {}", e.zh))
            .expect("not blank");
        assert!(!r.from_text);
        (r.value, r.ambiguous_month)
    }

    fn ym(y: i32, m: u32) -> (YearMonth, bool) {
        (YearMonth::new(y, m), false)
    }

    #[test]
    fn date_text_forms() {
        for s in [
            "2024-07-31",
            "2024/7/31",
            "2024.7.31",
            "2024年7月31日",
            "2024 年 7 月 31 日",
            "2024年07月31日",
            "2024年7月31号",
            "2024年7月31",
            "20240731",
            "2024-07-31 00:00:00",
            "2024-07-31 12:30",
            "2024-07-31T00:00:00",
            "2024-07-31 00:00:00.000",
            " ２０２４－０７－３１ ",
            "2024．7．31",
            "2024 - 7 - 31",
        ] {
            assert_eq!(date(t(s)), ymd(2024, 7, 31), "{s}");
        }
    }

    #[test]
    fn date_cells_and_numbers() {
        let dt = ymd(2024, 7, 31).and_hms_opt(15, 0, 0).unwrap();
        assert_eq!(date(Value::Date(dt)), ymd(2024, 7, 31));
        assert_eq!(date(Value::Number(20240731.0)), ymd(2024, 7, 31));
        // Serial numbers of the 1900 system.
        assert_eq!(date(Value::Number(45504.0)), ymd(2024, 7, 31));
        assert_eq!(date(Value::Number(45504.75)), ymd(2024, 7, 31));
        assert_eq!(date(Value::Number(20000.0)), ymd(1954, 10, 3));
        assert_eq!(date(Value::Number(44927.0)), ymd(2023, 1, 1));
        assert!(read_date(&Value::Number(19999.0)).is_err());
        assert!(read_date(&Value::Number(80000.0)).is_err());
        assert!(read_date(&Value::Number(12.0)).is_err());
        assert!(read_date(&Value::Number(-45504.0)).is_err());
        assert!(read_date(&Value::Number(20240231.0)).is_err());
    }

    #[test]
    fn date_blanks() {
        for v in [Value::Empty, t(""), t("  "), t("/"), t("无"), t("—")] {
            assert_eq!(read_date(&v), Ok(None), "{v:?}");
            assert_eq!(read_month(&v), Ok(None), "{v:?}");
            assert_eq!(read_year(&v), Ok(None), "{v:?}");
        }
    }

    #[test]
    fn date_errors() {
        for s in [
            "2024-02-30",
            "2023年2月29日",
            "2024-13-01",
            "2024-00-10",
            "2024/7-31",
            "24-07-31",
            "7月31日",
            "abc",
            "2024-07-31-01",
            "2024年7月31日前",
            "2024-07-31 25",
            "2024-7-",
        ] {
            assert!(read_date(&t(s)).is_err(), "{s}");
        }
        assert!(read_date(&Value::Bool(true)).is_err());
        assert!(read_date(&Value::Error("#N/A".into())).is_err());
        assert_eq!(date(t("2024-02-29")), ymd(2024, 2, 29));
        let e = read_date(&t("2024-02-30")).unwrap_err();
        assert!(e.zh.contains("没有30日"), "{}", e.zh);
        let e = read_date(&t("2024-13-01")).unwrap_err();
        assert!(e.zh.contains("月份 13"), "{}", e.zh);
    }

    #[test]
    fn month_only_in_a_date_column() {
        for v in [
            t("2024-07"),
            t("2024年7月"),
            t("202407"),
            Value::Number(202407.0),
            Value::Number(2024.07),
            t("2024"),
        ] {
            let e = read_date(&v).unwrap_err();
            assert!(e.zh.contains("完整日期"), "{v:?}: {}", e.zh);
            assert!(e.en.contains("full date"), "{v:?}: {}", e.en);
        }
    }

    #[test]
    fn agreement_dates_may_be_given_to_the_month() {
        let read = |v: Value| {
            read_agreement_date(&v)
                .unwrap_or_else(|e| panic!("{v:?}: {}", e.zh))
                .expect("not blank")
        };
        let day = |y, m, d| Dated::Day(ymd(y, m, d));
        let month = |y, m| Dated::Month(YearMonth::new(y, m));
        assert_eq!(read(t("2016-10-15")).value, day(2016, 10, 15));
        assert_eq!(read(t("2016年10月15日")).value, day(2016, 10, 15));
        let dt = ymd(2016, 10, 15).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(read(Value::Date(dt)).value, day(2016, 10, 15));
        for v in [
            t("2016年10月"),
            t("2016-10"),
            t("2016.10"),
            t("201610"),
            t("２０１６年１０月"),
            Value::Number(201610.0),
        ] {
            let r = read(v.clone());
            assert_eq!(r.value, month(2016, 10), "{v:?}");
            assert!(!r.ambiguous_month && !r.from_text, "{v:?}");
        }
        assert_eq!(read(Value::Number(2018.06)).value, month(2018, 6));
        let r = read(Value::Number(2016.1));
        assert_eq!((r.value, r.ambiguous_month), (month(2016, 1), true));
        for v in [
            t("2016"),
            t("2016年"),
            t("2016年13月"),
            t("10月"),
            t("2016年10月底"),
        ] {
            assert!(read_agreement_date(&v).is_err(), "{v:?}");
        }
        assert_eq!(read_agreement_date(&t("/")), Ok(None));
        let e = read_agreement_date(&t("2016年")).unwrap_err();
        assert!(e.zh.contains("只有年份"), "{}", e.zh);
    }

    #[test]
    fn agreement_dates_compare_by_month_when_either_is_a_month() {
        let day = |y, m, d| Dated::Day(ymd(y, m, d));
        let month = |y, m| Dated::Month(YearMonth::new(y, m));
        assert!(day(2016, 10, 1).is_before(day(2016, 10, 2)));
        assert!(!month(2016, 10).is_before(day(2016, 10, 31)));
        assert!(!day(2016, 10, 1).is_before(month(2016, 10)));
        assert!(month(2016, 9).is_before(day(2016, 10, 1)));
        assert!(month(2016, 9).is_before(month(2016, 10)));
        assert!(!month(2016, 10).is_before(month(2016, 10)));
        assert_eq!(month(2016, 10).to_string(), "2016-10");
        assert_eq!(day(2016, 10, 5).to_string(), "2016-10-05");
    }

    #[test]
    fn month_text_forms() {
        for s in [
            "2024-07",
            "2024.07",
            "2024.7",
            "2024/7",
            "2024年7月",
            "2024 年 7 月",
            "202407",
            "2024年7月底",
            "2024年7月末",
            "2024年7月前",
            "2024年7月份",
            "2024年7月底前",
            "2024年07月",
            "2024-07-31",
            "2024年7月31日",
            "2024/7/31",
            "20240731",
            "２０２４年７月",
        ] {
            assert_eq!(month(t(s)), ym(2024, 7), "{s}");
        }
        assert_eq!(month(t("2024年10月底")), ym(2024, 10));
        assert_eq!(month(t("2024.1")), ym(2024, 1));
        assert_eq!(month(t("2024.10")), ym(2024, 10));
        assert_eq!(month(t("2024.12")), ym(2024, 12));
    }

    #[test]
    fn month_numbers() {
        assert_eq!(month(Value::Number(2024.07)), ym(2024, 7));
        assert_eq!(month(Value::Number(2024.0699999999)), ym(2024, 7));
        assert_eq!(month(Value::Number(2024.0700000001)), ym(2024, 7));
        assert_eq!(month(Value::Number(2024.12)), ym(2024, 12));
        assert_eq!(month(Value::Number(2024.11)), ym(2024, 11));
        assert_eq!(
            month(Value::Number(2024.1)),
            (YearMonth::new(2024, 1), true)
        );
        assert_eq!(
            month(Value::Number(2024.099999999)),
            (YearMonth::new(2024, 1), true)
        );
        assert_eq!(month(Value::Number(2024.2)), ym(2024, 2));
        assert_eq!(month(Value::Number(2024.9)), ym(2024, 9));
        assert_eq!(month(Value::Number(2024.01)), ym(2024, 1));
        assert_eq!(month(Value::Number(202407.0)), ym(2024, 7));
        assert_eq!(month(Value::Number(20240731.0)), ym(2024, 7));
        assert_eq!(month(Value::Number(45504.0)), ym(2024, 7));
        let dt = ymd(2024, 10, 11).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(month(Value::Date(dt)), ym(2024, 10));
    }

    #[test]
    fn month_errors() {
        for v in [
            t("2024-13"),
            t("2024-00"),
            t("2024年13月"),
            t("202413"),
            t("2024年0月"),
            Value::Number(2024.13),
            Value::Number(2024.0),
            Value::Number(2024.071),
            Value::Number(202400.0),
            t("2024"),
            t("2024年"),
            t("7月"),
            t("24年7月"),
            t("2024年7月中下旬左右"),
            t("xxx年xx月"),
            Value::Bool(false),
        ] {
            assert!(read_month(&v).is_err(), "{v:?}");
        }
        let e = read_month(&t("2024-13")).unwrap_err();
        assert!(e.zh.contains("1 至 12"), "{}", e.zh);
        let e = read_month(&t("7月")).unwrap_err();
        assert!(e.zh.contains("缺少年份"), "{}", e.zh);
        let e = read_date(&t("7月31日")).unwrap_err();
        assert!(e.zh.contains("缺少年份"), "{}", e.zh);
        let e = read_month(&t("2024")).unwrap_err();
        assert!(e.zh.contains("只有年份"), "{}", e.zh);
    }

    #[test]
    fn years() {
        let y = |v: Value| read_year(&v).unwrap_or_else(|e| panic!("{v:?}: {}", e.zh));
        assert_eq!(y(t("2016")), Some(2016));
        assert_eq!(y(t("2016年")), Some(2016));
        assert_eq!(y(t("2016年度")), Some(2016));
        assert_eq!(y(t("2016 年度")), Some(2016));
        assert_eq!(y(t("２０１６年")), Some(2016));
        assert_eq!(y(Value::Number(2016.0)), Some(2016));
        assert_eq!(y(t("2016-05-01")), Some(2016));
        assert_eq!(y(t("2016年5月")), Some(2016));
        assert_eq!(y(Value::Number(42370.0)), Some(2016));
        let dt = ymd(2016, 3, 1).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(y(Value::Date(dt)), Some(2016));
        assert_eq!(y(Value::Number(1999.0)), Some(1999));
        for v in [
            t("16年"),
            t("2016年棚改计划"),
            t("二〇一六"),
            Value::Number(2016.5),
            Value::Number(16.0),
            Value::Bool(true),
        ] {
            assert!(read_year(&v).is_err(), "{v:?}");
        }
    }

    #[test]
    fn fill_dates() {
        let f = |s: &str| read_fill_date(&t(s));
        assert_eq!(
            f("2024 年 10 月 11 日"),
            Some(FillDate::Full(ymd(2024, 10, 11)))
        );
        assert_eq!(f("2024年10月11日"), Some(FillDate::Full(ymd(2024, 10, 11))));
        assert_eq!(f("2024-10-11"), Some(FillDate::Full(ymd(2024, 10, 11))));
        assert_eq!(
            f("填报时间: 2024 年 10 月 11 日"),
            Some(FillDate::Full(ymd(2024, 10, 11)))
        );
        assert_eq!(
            f("填报时间：2024年10月11日"),
            Some(FillDate::Full(ymd(2024, 10, 11)))
        );
        assert_eq!(f("2024 年 月 日"), Some(FillDate::Untouched));
        assert_eq!(f("填报时间: 2024 年 月 日"), Some(FillDate::Untouched));
        assert_eq!(f("年 月 日"), Some(FillDate::Untouched));
        assert_eq!(f("xxxx年xx月xx日"), Some(FillDate::Untouched));
        assert_eq!(f("2024年10月"), Some(FillDate::Partial));
        assert_eq!(f("2024 年 10 月 日"), Some(FillDate::Partial));
        assert_eq!(f("2024 年  月 11 日"), Some(FillDate::Partial));
        assert_eq!(f("2024-10"), Some(FillDate::Partial));
        assert_eq!(f("2024年"), Some(FillDate::Partial));
        assert_eq!(f("2024年2月30日"), Some(FillDate::Invalid));
        assert_eq!(f("下周一"), Some(FillDate::Invalid));
        assert_eq!(f("2024年10月11日上午"), Some(FillDate::Invalid));
        assert_eq!(f("10月2024年"), Some(FillDate::Invalid));
        assert_eq!(f(""), None);
        assert_eq!(f("填报时间："), None);
        assert_eq!(read_fill_date(&Value::Empty), None);
        let dt = ymd(2024, 10, 11).and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(
            read_fill_date(&Value::Date(dt)),
            Some(FillDate::Full(ymd(2024, 10, 11)))
        );
        assert_eq!(
            read_fill_date(&Value::Number(45576.0)),
            Some(FillDate::Full(ymd(2024, 10, 11)))
        );
        assert_eq!(
            read_fill_date(&Value::Number(2024.1)),
            Some(FillDate::Partial)
        );
        assert_eq!(read_fill_date(&Value::Number(3.0)), Some(FillDate::Invalid));
        assert_eq!(read_fill_date(&Value::Bool(true)), Some(FillDate::Invalid));
        assert_eq!(f(&"年".repeat(100_000)), Some(FillDate::Invalid));
    }

    #[test]
    fn every_month_round_trips() {
        for year in 2000..=2030 {
            for m in 1..=12u32 {
                let want = ym(year, m);
                for s in [
                    format!("{year}年{m}月"),
                    format!("{year}-{m:02}"),
                    format!("{year}.{m}"),
                    format!("{year}/{m}"),
                    format!("{year}{m:02}"),
                    format!("{year} 年 {m} 月底"),
                    YearMonth::new(year, m).to_string(),
                ] {
                    assert_eq!(month(t(&s)), want, "{s}");
                }
                // Typed as a number: two decimals survive except for October (→ one decimal).
                let typed: f64 = format!("{year}.{m:02}").parse().unwrap();
                assert_eq!(
                    month(Value::Number(typed)),
                    (YearMonth::new(year, if m == 10 { 1 } else { m }), m == 10),
                    "{typed}"
                );
                assert_eq!(month(Value::Number(year as f64 * 100.0 + m as f64)), want);
            }
        }
    }

    #[test]
    fn every_day_round_trips() {
        let mut d = ymd(2000, 1, 1);
        let end = ymd(2030, 12, 31);
        while d <= end {
            let (y, m, dd) = (d.year(), d.month(), d.day());
            for s in [
                format!("{y}-{m:02}-{dd:02}"),
                format!("{y}/{m}/{dd}"),
                format!("{y}.{m}.{dd}"),
                format!("{y}年{m}月{dd}日"),
                format!("{y}{m:02}{dd:02}"),
            ] {
                assert_eq!(date(t(&s)), d, "{s}");
            }
            let serial = (d - ymd(1899, 12, 30)).num_days() as f64;
            assert_eq!(date(Value::Number(serial)), d);
            assert_eq!(
                read_fill_date(&t(&format!("{y} 年 {m} 月 {dd} 日"))),
                Some(FillDate::Full(d))
            );
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn long_text_is_fast() {
        let long = "2024-07-31".repeat(10_000);
        assert!(read_date(&t(&long)).is_err());
        assert!(read_month(&t(&long)).is_err());
        assert!(read_year(&t(&long)).is_err());
        let long = "1".repeat(100_000);
        assert!(read_date(&t(&long)).is_err());
        let e = read_month(&t(&"月".repeat(100_000))).unwrap_err();
        assert!(e.zh.chars().count() < 80);
    }
}
