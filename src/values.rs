//! Reading cell values (SPEC 6) and the controlled vocabularies (SPEC 7): counts, amounts,
//! dates, months, years, stages, 是/否, 信息来源, phone numbers, placeholders. Pure functions
//! over `grid::Value`; no rule logic here.
//!
//! Conventions shared by every reader:
//! - text is folded ([`fold`]: full-width ASCII and the ideographic space to half-width) before
//!   any comparison, and nothing here is slower than linear in the length of the text;
//! - `Ok(None)` means blank: empty, whitespace only, or a "nothing" mark (`/`, `／`, `-`, `—`,
//!   `——`, `无`); deciding whether blank is allowed is the caller's;
//! - an `Err` carries a short message in both languages quoting what was found (cut to 30
//!   characters).
//!
//! The code lives in `numbers` (counts, amounts), `dates` (dates, months, years, 填报时间),
//! `vocab` (stages, 是/否, 信息来源) and `text` (placeholders, phones, dates in prose);
//! everything is re-exported here.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::lang::Msg;

mod dates;
mod numbers;
mod text;
mod vocab;

pub use dates::{
    read_agreement_date, read_date, read_fill_date, read_month, read_year, Dated, FillDate,
};
pub use numbers::{read_amount, read_count};
pub(crate) use text::is_han;
pub use text::{has_contact, has_phone, is_placeholder, names_a_date};
pub use vocab::{closest, read_source, read_stage, read_yes_no, stage_label};

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

    /// The number a clerk typed, as Excel keeps it (`2024.1`): how an ambiguous month (V05) is
    /// shown.
    pub fn typed(&self) -> String {
        format!("{}.{}", self.year, self.month)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Folds full-width ASCII (`１２`, `（`, `：`), the ideographic and the no-break space to
/// half-width, drops zero-width characters (U+200B..U+200D, U+2060, U+FEFF: pasted from web pages
/// and WeChat), and trims.
pub fn fold(s: &str) -> String {
    folded(s).into_owned()
}

/// [`fold`] without copying a text that needs no folding (only trimming): the text itself.
pub fn folded(s: &str) -> Cow<'_, str> {
    // Every character folded here is encoded with one of these first bytes (never a continuation
    // byte), so the text is walked by its bytes and decoded only there; the runs between the
    // characters folded are copied whole.
    let may_fold = |b: &u8| matches!(b, 0xC2 | 0xE2 | 0xE3 | 0xEF);
    let bytes = s.as_bytes();
    let Some(mut i) = bytes.iter().position(may_fold) else {
        return Cow::Borrowed(s.trim());
    };
    let mut out = String::new();
    // `s[..copied]` is in `out`, folded.
    let mut copied = 0;
    while i < bytes.len() {
        if !may_fold(&bytes[i]) {
            i += 1;
            continue;
        }
        let c = s[i..]
            .chars()
            .next()
            .expect("a character starts at a lead byte");
        let to = match c {
            c if is_zero_width(c) => None,
            '\u{3000}' | '\u{00A0}' => Some(' '),
            c => Some(half_width(c)),
        };
        if to != Some(c) {
            if out.is_empty() {
                out.reserve(s.len());
            }
            out.push_str(&s[copied..i]);
            out.extend(to);
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    if copied == 0 {
        return Cow::Borrowed(s.trim());
    }
    out.push_str(&s[copied..]);
    let end = out.trim_end().len();
    out.truncate(end);
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    Cow::Owned(out)
}

/// The zero-width characters `fold` drops (U+200B..U+200D, U+2060, U+FEFF).
pub(crate) fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A full-width ASCII character (`１`, `（`, `：`) as its half-width one; any other as it is.
pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// A header label for comparison: folded, every whitespace and line break removed.
pub fn normalize_label(s: &str) -> String {
    normalized(s).into_owned()
}

/// [`normalize_label`] without copying a text that is its own label once trimmed.
pub fn normalized(s: &str) -> Cow<'_, str> {
    let folded = folded(s);
    // Most texts hold no inner whitespace.
    if !folded.contains(char::is_whitespace) {
        return folded;
    }
    Cow::Owned(folded.chars().filter(|c| !c.is_whitespace()).collect())
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

/// The "nothing to report" marks people type into a blank cell: `/`, `／`, `-`, `—`, `——`, `无`.
/// `s` must already be normalised (`normalize_label`).
pub(crate) fn is_nothing_mark(s: &str) -> bool {
    matches!(s, "/" | "-" | "—" | "——" | "无" | "--" | "－")
}

/// A value as quoted in a message: the cell's display text, cut to 30 characters.
pub(crate) fn shown(v: &crate::grid::Value) -> String {
    shown_text(&v.display())
}

/// Text as quoted in a message, cut to 30 characters.
pub(crate) fn shown_text(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 30 {
        let mut out: String = s.chars().take(30).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("  １２（ａ）：\u{3000}"), "12(a):");
        assert_eq!(fold("\u{3000}是\u{3000}"), "是");
        assert_eq!(normalize_label(" 来信 来访\n来电 "), "来信来访来电");
        assert_eq!(normalize_label("序 号"), "序号");
        assert_eq!(fold(""), "");
        assert_eq!(fold("12\u{200B}"), "12");
        assert_eq!(fold("\u{FEFF}是"), "是");
        assert_eq!(normalize_label("1\u{00A0}2"), "12");
    }

    /// `fold` as it was first written, character by character: the byte walk must agree.
    fn fold_by_chars(s: &str) -> String {
        let mut folded = String::new();
        for c in s.chars() {
            match c {
                c if is_zero_width(c) => {}
                '\u{3000}' | '\u{00A0}' => folded.push(' '),
                c => folded.push(half_width(c)),
            }
        }
        folded.trim().to_string()
    }

    #[test]
    fn folding_by_bytes_folds_as_by_characters() {
        // Folded characters, characters sharing their first bytes (€ U+20AC, U+2028, ｦ U+FF66,
        // ｟ U+FF5F, é U+00E9), whitespace and plain text, in every sequence of three.
        let parts = [
            "", " ", "\u{3000}", "\u{A0}", "\u{200B}", "\u{200D}", "\u{2060}", "\u{FEFF}", "１",
            "（", "ａ", "\u{FF5E}", "\u{FF5F}", "ｦ", "，", "是", "x", "é", "€", "\u{2028}",
        ];
        let mut n = 0;
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(fold(&s), fold_by_chars(&s), "{s:?}");
                    if let Cow::Borrowed(b) = folded(&s) {
                        assert_eq!(b, s.trim(), "{s:?}");
                    }
                    n += 1;
                }
            }
        }
        assert_eq!(n, 8000);
    }

    #[test]
    fn nothing_marks() {
        for s in ["/", "／", "-", "－", "—", "——", "无", "--"] {
            assert!(is_nothing_mark(&normalize_label(s)), "{s}");
        }
        for s in ["", "0", "无需", "///", "x"] {
            assert!(!is_nothing_mark(&normalize_label(s)), "{s}");
        }
    }

    #[test]
    fn messages_quote_at_most_thirty_chars() {
        assert_eq!(shown_text(" 12户 "), "12户");
        let long = "户".repeat(100);
        assert_eq!(shown_text(&long).chars().count(), 31);
        assert!(shown_text(&long).ends_with('…'));
        assert_eq!(shown(&crate::grid::Value::Number(2024.1)), "2024.1");
    }

    #[test]
    fn year_months_order_and_print() {
        assert!(YearMonth::new(2024, 12) < YearMonth::new(2025, 1));
        assert!(YearMonth::new(2024, 7) > YearMonth::new(2024, 6));
        assert_eq!(YearMonth::new(2024, 7).to_string(), "2024-07");
        let d = NaiveDate::from_ymd_opt(2024, 7, 31).unwrap();
        assert_eq!(YearMonth::of(d), YearMonth::new(2024, 7));
    }
}
