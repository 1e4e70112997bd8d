//! The 问题清单 sheet, one writer for the consolidated workbook and the annotated copy: one row
//! per diagnostic (unit, file, sheet, cell, rule, severity, field, value, message, what the rule
//! wants), filled by severity, rows tall enough for their text, printable on A4 landscape.

use rust_xlsxwriter::{Color, Format, Url, Worksheet};

use super::layout::{needed_height, PAPER_A4};
use super::{Formats, WriteError};
use crate::config::Config;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::grid::CellRef;
use crate::report::severity_word;

/// The sheet listing every diagnostic, in the consolidated and the annotated workbooks.
pub const ISSUES_SHEET: &str = "问题清单";

/// Fill colours of marked cells and of their rows in 问题清单.
pub const ERROR_FILL: u32 = 0xFF9999;
pub const WARNING_FILL: u32 = 0xFFEB84;

/// Excel's limit on the text of one cell, in UTF-16 units: a character beyond the Basic
/// Multilingual Plane (an emoji, a rare CJK ideograph) counts two.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Where a diagnostic landed in an annotated workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub sheet: String,
    pub cell: CellRef,
}

/// One row of 问题清单.
pub struct Issue<'a> {
    pub unit: &'a str,
    pub file: &'a str,
    pub diag: &'a Diagnostic,
    /// The marked cell in the annotated copy: the 单元格 column links to it.
    pub mark: Option<&'a Mark>,
}

/// The columns: (Chinese label, English label, width in character units).
const COLUMNS: [(&str, &str, f64); 11] = [
    ("序号", "no.", 5.0),
    ("单位", "unit", 8.0),
    ("文件", "file", 16.0),
    ("工作表", "sheet", 8.0),
    ("单元格", "cell", 7.0),
    ("规则", "rule", 6.0),
    ("级别", "severity", 6.0),
    ("列", "column", 12.0),
    ("值", "value", 12.0),
    ("说明", "message", 40.0),
    ("要求", "wants", 30.0),
];

/// `format` with the fill colour of `sev`.
pub fn fill(format: &Format, sev: Severity) -> Format {
    format.clone().set_background_color(Color::RGB(match sev {
        Severity::Error => ERROR_FILL,
        Severity::Warning => WARNING_FILL,
    }))
}

/// `text` cut to what one cell can hold, saying how many characters were cut.
pub fn fit_cell(text: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    // A UTF-16 unit is at least one byte: most texts are known to fit without counting.
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    // Room for the note on what was cut.
    let keep = MAX_CELL_CHARS - 40;
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > keep
        })
        .map_or(text.len(), |(i, _)| i);
    let kept = &text[..end];
    let cut = text[end..].chars().count();
    match lang {
        Lang::Zh => format!("{kept}…（另有 {cut} 个字符未显示）"),
        Lang::En => format!("{kept}… ({cut} more characters not shown)"),
    }
    .into()
}

/// Writes 问题清单 into `ws` (named by the caller), in `lang`, for the city of `config`.
pub fn write_issues<'a>(
    ws: &mut Worksheet,
    issues: impl IntoIterator<Item = Issue<'a>>,
    lang: Lang,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    for (c, (zh, en, w)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, Lang::pick(zh, en, lang), &fmt.header)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let error = fill(&fmt.text, Severity::Error);
    let warning = fill(&fmt.text, Severity::Warning);
    let mut r = 0;
    for issue in issues {
        r += 1;
        let d = issue.diag;
        let row_fmt = match d.severity {
            Severity::Error => &error,
            Severity::Warning => &warning,
        };
        let cell = d.cell.map(|c| c.to_string()).unwrap_or_default();
        let texts = [
            String::new(),
            issue.unit.to_string(),
            issue.file.to_string(),
            d.sheet.clone().unwrap_or_default(),
            cell.clone(),
            d.rule.to_string(),
            severity_word(d.severity, lang).to_string(),
            d.field.clone().unwrap_or_default(),
            d.shown_value(lang).unwrap_or_default().into_owned(),
            d.message(lang),
            d.help(lang, config),
        ];
        ws.write_number_with_format(r, 0, f64::from(r), row_fmt)?;
        for (c, text) in texts.iter().enumerate().skip(1) {
            let text = fit_cell(text, lang);
            match issue.mark {
                Some(m) if c == 4 => {
                    let url = Url::new(format!("internal:'{}'!{}", m.sheet, m.cell))
                        .set_text(text.as_ref());
                    ws.write_url_with_format(r, 4, url, row_fmt)?;
                }
                _ => {
                    ws.write_string_with_format(r, c as u16, text.as_ref(), row_fmt)?;
                }
            }
        }
        let widths = COLUMNS.iter().map(|c| c.2);
        if let Some(h) = needed_height(texts.iter().map(|s| s.as_str()).zip(widths)) {
            ws.set_row_height(r, h)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_repeat_rows(0, 0)?;
    ws.set_landscape();
    ws.set_paper_size(PAPER_A4);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_a_cell_is_cut_with_a_count() {
        let long = "长".repeat(MAX_CELL_CHARS + 100);
        let cut = fit_cell(&long, Lang::Zh);
        assert!(cut.chars().count() <= MAX_CELL_CHARS);
        assert!(
            cut.contains("另有 140 个字符"),
            "{}",
            &cut[cut.len() - 80..]
        );
        assert_eq!(fit_cell("短", Lang::En), "短");
    }

    /// Excel (and rust_xlsxwriter) count a cell's text in UTF-16 units: 20,000 emoji are 40,000
    /// of them, over the limit though under it in characters.
    #[test]
    fn a_cell_limit_counts_utf16_units() {
        let emoji = "😀".repeat(20_000);
        let cut = fit_cell(&emoji, Lang::Zh);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS);
        let kept = (MAX_CELL_CHARS - 40) / 2;
        assert!(
            cut.contains(&format!("另有 {} 个字符", 20_000 - kept)),
            "{}",
            &cut[cut.len() - 80..]
        );
        let mut wb = rust_xlsxwriter::Workbook::new();
        assert!(wb.add_worksheet().write_string(0, 0, cut.as_ref()).is_ok());
        // Exactly at the limit, in units, it is kept whole.
        let full = format!("{}a", "😀".repeat((MAX_CELL_CHARS - 1) / 2));
        assert_eq!(fit_cell(&full, Lang::Zh), full);
    }
}
