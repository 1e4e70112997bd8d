//! Findings as data: a `Diagnostic` names its rule, the sheet and cell, the column's header label,
//! the value found and a message in Chinese and English. Printing lives in `report`.

use crate::config::Config;
use crate::grid::CellRef;
pub use crate::rules::{RuleId, Severity};

/// The message language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `--lang` wins; else `PGCHECK_LANG`; else Chinese.
    pub fn pick(zh: &'static str, en: &'static str, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

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

    /// The full message: the rule's title, then the specific detail.
    pub fn message(&self, lang: Lang) -> String {
        let title = self.rule.entry().title(lang);
        let detail = self.detail.get(lang);
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
