//! Findings as data: a `Diagnostic` names its rule, the sheet and cell, the column's header label,
//! the value found and a message in Chinese and English. Printing lives in `report`.

use crate::config::Config;
use crate::grid::CellRef;
pub use crate::lang::{Lang, Msg};
pub use crate::rules::{RuleId, Severity};

/// A place a finding points to besides its own cell: a cell of the same sheet (`G7`) or a cell
/// elsewhere, named in full (`附件2!B7`, or `file!sheet!cell` for another workbook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Related {
    Cell(CellRef),
    Elsewhere(String),
}

impl From<CellRef> for Related {
    fn from(c: CellRef) -> Related {
        Related::Cell(c)
    }
}

impl std::fmt::Display for Related {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Related::Cell(c) => write!(f, "{c}"),
            Related::Elsewhere(s) => f.write_str(s),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
    /// The column's header label (`开工套数`).
    pub field: Option<String>,
    /// The value found, as the cell shows it.
    pub value: Option<String>,
    pub related: Vec<Related>,
    /// A copy of a finding told in full with another file: one finding that concerns several
    /// files (X03, an attachment sent in several files) is filed with each, so each is left out,
    /// but listings of a whole merge (its console output, 问题清单) show it once, with the first
    /// file, where it names them all.
    pub repeats: bool,
    /// What is wrong here, specifically (`开工套数 10 小于应安置户数 12`).
    pub detail: Msg,
}

impl Diagnostic {
    /// A finding of `rule`, with the catalogue's severity.
    pub fn new(rule: RuleId) -> Self {
        Diagnostic {
            rule,
            severity: rule.entry().severity,
            sheet: None,
            cell: None,
            field: None,
            value: None,
            related: Vec::new(),
            repeats: false,
            detail: Msg::default(),
        }
    }

    pub fn at(mut self, sheet: &str, cell: CellRef) -> Self {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell);
        self
    }

    pub fn in_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn field(mut self, label: impl Into<String>) -> Self {
        self.field = Some(label.into());
        self
    }

    pub fn value(mut self, v: impl Into<String>) -> Self {
        let v = v.into();
        self.value = if v.is_empty() { None } else { Some(v) };
        self
    }

    pub fn related<R: Into<Related>>(mut self, places: impl IntoIterator<Item = R>) -> Self {
        self.related.extend(places.into_iter().map(Into::into));
        self
    }

    pub fn detail(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.detail = Msg::new(zh, en);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The value as a person is shown it (console, 问题清单): see `shown`.
    pub fn shown_value(&self, lang: Lang) -> Option<std::borrow::Cow<'_, str>> {
        self.value.as_deref().map(|v| shown(v, lang))
    }

    /// The full message: the rule's title, then the specific detail, each value it quotes
    /// (`“…”`, `"…"`) as `shown` (JSON's `value` keeps the whole value).
    pub fn message(&self, lang: Lang) -> String {
        let title = self.rule.entry().title(lang);
        let detail = shown_quotes(self.detail.get(lang), lang);
        if detail.is_empty() {
            title.to_string()
        } else {
            match lang {
                Lang::Zh => format!("{title}：{detail}"),
                Lang::En => format!("{title}: {detail}"),
            }
        }
    }

    /// What the rule wants, for the city of `config`, with the passage it comes from.
    pub fn help(&self, lang: Lang, config: &Config) -> String {
        let rule = self.rule.entry();
        let want = rule.want(lang, config);
        let source = rule.source(lang, config);
        if source.is_empty() {
            want
        } else {
            match lang {
                Lang::Zh => format!("{want}（依据：{source}）"),
                Lang::En => format!("{want} (source: {source})"),
            }
        }
    }

    /// Sort key: sheet, row, column, rule.
    pub fn sort_key(&self) -> (Option<String>, Option<(u32, u32)>, &'static str) {
        (
            self.sheet.clone(),
            self.cell.map(|c| (c.row, c.col)),
            self.rule.as_str(),
        )
    }
}

/// Display columns of a quoted cell value in text meant for a person; a longer value is cut.
pub const SHOWN_VALUE_WIDTH: usize = 100;

/// Display columns of `c`: two for CJK and other wide characters, one otherwise.
fn columns(c: char) -> usize {
    if c.is_ascii() {
        1
    } else {
        2
    }
}

/// `value` as a person is shown it: whole when it fits `SHOWN_VALUE_WIDTH` columns, else its
/// start, an ellipsis and its length (a 40,000-character cell is not printed whole).
pub fn shown(value: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    // A character takes at most two columns: most values are known to fit without counting.
    if value.chars().count() * 2 <= SHOWN_VALUE_WIDTH
        || value.chars().map(columns).sum::<usize>() <= SHOWN_VALUE_WIDTH
    {
        return value.into();
    }
    let mut used = 0;
    let kept: String = value
        .chars()
        .take_while(|&c| {
            used += columns(c);
            used <= SHOWN_VALUE_WIDTH
        })
        .collect();
    let total = value.chars().count();
    match lang {
        Lang::Zh => format!("{kept}…（共 {total} 字）"),
        Lang::En => format!("{kept}… ({total} characters)"),
    }
    .into()
}

/// `text` with every quoted part (`“…”`, or `"…"`) that is longer than `SHOWN_VALUE_WIDTH`
/// columns cut as `shown` cuts a value.
fn shown_quotes(text: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    if text.len() <= SHOWN_VALUE_WIDTH {
        return text.into();
    }
    let mut out = String::with_capacity(text.len().min(1024));
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find(['“', '"']) {
        let close_char = if rest[open..].starts_with('“') {
            '”'
        } else {
            '"'
        };
        let start = open + rest[open..].chars().next().map_or(1, char::len_utf8);
        let Some(len) = rest[start..].find(close_char) else {
            break;
        };
        let inner = &rest[start..start + len];
        out.push_str(&rest[..start]);
        let cut = shown(inner, lang);
        changed |= cut.len() != inner.len();
        out.push_str(&cut);
        out.push(close_char);
        rest = &rest[start + len + close_char.len_utf8()..];
    }
    if !changed {
        return text.into();
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn a_long_value_is_cut_to_the_display_width_with_its_length() {
        let long = "很长的说明".repeat(8000);
        let zh = shown(&long, Lang::Zh);
        assert!(zh.ends_with("…（共 40000 字）"), "{zh}");
        let kept = zh.trim_end_matches("…（共 40000 字）");
        assert_eq!(kept.chars().count(), SHOWN_VALUE_WIDTH / 2);
        assert!(long.starts_with(kept));
        let xs = "x".repeat(40_000);
        let en = shown(&xs, Lang::En);
        assert_eq!(en, format!("{}… (40000 characters)", "x".repeat(100)));
        // What fits is shown whole, to the column.
        let fits = "阳".repeat(SHOWN_VALUE_WIDTH / 2);
        assert_eq!(shown(&fits, Lang::Zh), fits.as_str());
        assert!(shown(&format!("{fits}x"), Lang::Zh).contains("（共 51 字）"));
    }

    #[test]
    fn a_message_cuts_each_long_quoted_part_only() {
        let long = "某".repeat(40_000);
        let d = Diagnostic::new(RuleId::A2_07).value(long.clone()).detail(
            format!("“{long}”不是政府部门，“甲公司”亦然"),
            format!("\"{long}\" and \"ACME\""),
        );
        let zh = d.message(Lang::Zh);
        assert!(
            zh.contains(&format!(
                "“{}…（共 40000 字）”不是政府部门，“甲公司”亦然",
                "某".repeat(50)
            )),
            "{zh}"
        );
        let en = d.message(Lang::En);
        assert!(
            en.ends_with(&format!(
                "\"{}… (40000 characters)\" and \"ACME\"",
                "某".repeat(50)
            )),
            "{en}"
        );
        assert_eq!(
            d.shown_value(Lang::Zh).unwrap().chars().count(),
            50 + "…（共 40000 字）".chars().count()
        );
        // The value itself stays whole (JSON).
        assert_eq!(d.value.as_deref(), Some(long.as_str()));
        // A short message is untouched; an unclosed quote is left as it is.
        let plain = Diagnostic::new(RuleId::A2_07).detail("“甲公司”", "\"ACME");
        assert_eq!(plain.detail.zh, "“甲公司”");
        assert!(plain.message(Lang::En).ends_with("\"ACME"));
    }
}
