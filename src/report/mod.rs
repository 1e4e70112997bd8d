//! Turning findings into text: `human` (Chinese by default, a summary table) and `json`
//! (SPEC 9). The only place that formats diagnostics for people or programs.

pub mod human;
pub mod json;
pub mod week;

use crate::diag::{Diagnostic, Lang, Severity};

/// `错误` / `error`.
pub fn severity_word(s: Severity, lang: Lang) -> &'static str {
    s.word(lang)
}

/// `1 file`, `2 files`: an English count with its noun in the singular or the plural (`-s`).
pub fn count_en(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `附件2!H7`, or the sheet alone, or nothing.
pub fn location(d: &Diagnostic) -> String {
    match (&d.sheet, d.cell) {
        (Some(s), Some(c)) => format!("{s}!{c}"),
        (Some(s), None) => s.clone(),
        (None, Some(c)) => c.to_string(),
        (None, None) => String::new(),
    }
}
