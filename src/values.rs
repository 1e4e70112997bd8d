//! Reading cell values (SPEC 6) and the controlled vocabularies (SPEC 7): counts, amounts,
//! dates, months, years, stages, 是/否, 信息来源, phone numbers, placeholders. Pure functions
//! over `grid::Value`; no rule logic here.

use chrono::NaiveDate;

use crate::diag::Msg;
use crate::grid::Value;

/// A year and month (`2024-07`), ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Self {
        YearMonth { year, month }
    }

    pub fn of(d: NaiveDate) -> Self {
        use chrono::Datelike;
        YearMonth::new(d.year(), d.month())
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Folds full-width ASCII (`１２`, `（`, `：`) and the ideographic space to half-width, and trims.
pub fn fold(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    folded.trim().to_string()
}

/// A header label for comparison: folded, every whitespace and line break removed.
pub fn normalize_label(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Why a value could not be read: a short explanation in both languages.
pub type ReadError = Msg;

/// A value read from a cell, with what a warning needs to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Read<T> {
    pub value: T,
    /// The number was stored as text (V04).
    pub from_text: bool,
    /// A numeric `2024.1` read as a month: January, but maybe October typed as `2024.10` (V05).
    pub ambiguous_month: bool,
}

impl<T> Read<T> {
    pub fn plain(value: T) -> Self {
        Read {
            value,
            from_text: false,
            ambiguous_month: false,
        }
    }
}

/// The eleven stages of 工程形象进度 (SPEC 7).
pub const STAGES: &[(&str, &str)] = &[
    ("1", "未开工"),
    ("2", "基坑开挖"),
    ("3", "地基桩基处理"),
    ("4", "地下施工"),
    ("5-1", "主体施工1/3以下"),
    ("5-2", "主体施工1/3-2/3"),
    ("5-3", "主体施工2/3以上"),
    ("6", "主体封顶"),
    ("7", "基本建成"),
    ("8", "竣工验收"),
    ("9", "准备交付"),
];

/// The four 信息来源 of Attachment 3 (备注2).
pub const SOURCES: &[&str] = &["来信来访来电", "信访转办", "电信举报", "其他转办"];

/// Count: `Ok(None)` when blank; a whole number ≥ 0 from a number cell or text (`from_text`).
pub fn read_count(_v: &Value) -> Result<Option<Read<i64>>, ReadError> {
    todo!()
}

/// Amount: `Ok(None)` when blank; a number ≥ 0.
pub fn read_amount(_v: &Value) -> Result<Option<Read<f64>>, ReadError> {
    todo!()
}

/// Full date: date cells and text forms of SPEC 6.
pub fn read_date(_v: &Value) -> Result<Option<NaiveDate>, ReadError> {
    todo!()
}

/// Year and month: the date forms plus the month forms of SPEC 6.
pub fn read_month(_v: &Value) -> Result<Option<Read<YearMonth>>, ReadError> {
    todo!()
}

/// Year: `2016`, `2016年`, a date in that year. Range checks are the caller's.
pub fn read_year(_v: &Value) -> Result<Option<i32>, ReadError> {
    todo!()
}

/// A stage: index into `STAGES`, or `Err(Some(closest))` with the closest stage's index.
pub fn read_stage(_v: &Value) -> Result<usize, Option<usize>> {
    todo!()
}

/// 是 → true, 否 → false.
pub fn read_yes_no(_v: &Value) -> Option<bool> {
    todo!()
}

/// Index into `SOURCES`.
pub fn read_source(_v: &Value) -> Option<usize> {
    todo!()
}

/// A template placeholder left in place (`× × ×`, `xx`, `202X.XX`, `2024 年 月 日`).
pub fn is_placeholder(_s: &str) -> bool {
    todo!()
}

/// Contains a mobile number (`1[3-9]` + 9 digits) or a landline (7-8 digits, optional area code).
pub fn has_phone(_s: &str) -> bool {
    todo!()
}

/// `5-1、主体施工1/3以下`, for messages.
pub fn stage_label(_i: usize) -> String {
    todo!()
}

/// A2-07: names a government body or competent department, and no company.
pub fn is_government_body(_s: &str) -> bool {
    todo!()
}

/// A2-08: a name-like part and a phone number.
pub fn has_person_and_phone(_s: &str) -> bool {
    todo!()
}

/// A2-29: the text names a date or month.
pub fn names_a_date(_s: &str) -> bool {
    todo!()
}

/// A3-09: a phone number or an e-mail address.
pub fn has_contact(_s: &str) -> bool {
    todo!()
}

/// A3-01: starts with a county/district and has a street or estate part.
pub fn address_has_shape(_s: &str, _counties: &[&str]) -> bool {
    todo!()
}

/// A3-03: states the agreed date and 不属于逾期未回迁, or that the person was resettled.
pub fn states_not_overdue(_s: &str) -> bool {
    todo!()
}

/// A3-04: states 不属于棚改征收 and the kind.
pub fn states_not_shantytown(_s: &str) -> bool {
    todo!()
}

/// 填报时间 as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillDate {
    Full(NaiveDate),
    Untouched,
    Partial,
    Invalid,
}

/// Reads 填报时间; `None` when blank.
pub fn read_fill_date(_v: &Value) -> Option<FillDate> {
    todo!()
}
