//! Human-readable output: each diagnostic with severity, rule, file, cell, header label, value,
//! message and what the rule wants; then a summary table. Chinese unless `Lang::En`.

use std::fmt::Write;

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

use crate::config::Config;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::report::{count_en, location, severity_word};
use crate::validate::{FileReport, Status};

/// Output settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub lang: Lang,
    /// ANSI colours (only for a terminal without `NO_COLOR`).
    pub color: bool,
}

fn paint(s: &str, code: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// One diagnostic, three or four lines; what the rule wants as `config` words it.
pub fn diagnostic(out: &mut String, file: &str, d: &Diagnostic, config: &Config, style: Style) {
    let lang = style.lang;
    let sev = severity_word(d.severity, lang);
    let sev = match d.severity {
        Severity::Error => paint(sev, "1;31", style),
        Severity::Warning => paint(sev, "1;33", style),
    };
    let loc = location(d);
    let mut head = format!("{sev} {} {file}", d.rule);
    if !loc.is_empty() {
        let _ = write!(head, " {}", paint(&loc, "1", style));
    }
    match (&d.field, &d.value) {
        (Some(f), Some(_)) => {
            let v = d.shown_value(lang).unwrap_or_default();
            let _ = write!(head, "  {f} = “{v}”");
        }
        (Some(f), None) => {
            let _ = write!(head, "  {f}");
        }
        _ => {}
    }
    let _ = writeln!(out, "{head}");
    let _ = writeln!(out, "    {}", d.message(lang));
    if !d.related.is_empty() {
        let cells: Vec<String> = d.related.iter().map(|c| c.to_string()).collect();
        let label = if lang == Lang::Zh {
            "相关单元格："
        } else {
            "related: "
        };
        let _ = writeln!(out, "    {label}{}", cells.join(", "));
    }
    let want = if lang == Lang::Zh {
        "要求："
    } else {
        "wants: "
    };
    let _ = writeln!(out, "    {want}{}", d.help(lang, config));
}

fn notice_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "注意",
        Lang::En => "note",
    }
}

fn status_word(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Valid, Lang::Zh) => "通过",
        (Status::Invalid, Lang::Zh) => "未通过",
        (Status::Unreadable, Lang::Zh) => "无法读取",
        (Status::Valid, Lang::En) => "valid",
        (Status::Invalid, Lang::En) => "invalid",
        (Status::Unreadable, Lang::En) => "unreadable",
    }
}

/// A table styled for a terminal or a pipe alike.
pub fn new_table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .force_no_tty()
        .set_header(headers.iter().map(Cell::new));
    t
}

/// The whole `validate` output: every file's diagnostics, then one summary table.
pub fn validate_output(files: &[FileReport], config: &Config, style: Style) -> String {
    let lang = style.lang;
    let mut out = String::new();
    for f in files {
        let shown = crate::read::show_path(&f.path);
        let name = shown.text;
        if let Some(note) = &shown.note {
            let _ = writeln!(
                out,
                "{} {name}\n    {}\n",
                paint(notice_word(lang), "1;33", style),
                note.get(lang)
            );
        }
        for d in &f.diagnostics {
            diagnostic(&mut out, &name, d, config, style);
        }
        if !f.diagnostics.is_empty() {
            out.push('\n');
        }
    }
    let zh = lang == Lang::Zh;
    let headers: &[&str] = if zh {
        &["文件", "单位", "工作表", "状态", "错误", "警告"]
    } else {
        &["file", "unit", "sheets", "status", "errors", "warnings"]
    };
    let mut t = new_table(headers);
    for f in files {
        let sheets: Vec<String> = f
            .sheets
            .iter()
            .map(|s| format!("{}({}, {})", s.sheet, s.template.as_str(), s.rows))
            .collect();
        let status = Cell::new(status_word(f.status(), lang));
        let status = if style.color {
            status.fg(if f.status() == Status::Valid {
                Color::Green
            } else {
                Color::Red
            })
        } else {
            status
        };
        t.add_row(vec![
            Cell::new(f.display_path()),
            Cell::new(f.unit.clone().unwrap_or_else(|| "-".into())),
            Cell::new(if sheets.is_empty() {
                "-".to_string()
            } else {
                sheets.join(" ")
            }),
            status,
            Cell::new(f.errors()),
            Cell::new(f.warnings()),
        ]);
    }
    let _ = writeln!(out, "{t}");
    let errors: usize = files.iter().map(|f| f.errors()).sum();
    let warnings: usize = files.iter().map(|f| f.warnings()).sum();
    let valid = files.iter().filter(|f| f.status() == Status::Valid).count();
    let _ = if zh {
        writeln!(
            out,
            "共 {} 个文件，{valid} 个通过；错误 {errors} 个，警告 {warnings} 个。",
            files.len()
        )
    } else {
        writeln!(
            out,
            "{}, {valid} valid; {}, {}.",
            count_en(files.len(), "file"),
            count_en(errors, "error"),
            count_en(warnings, "warning")
        )
    };
    out
}
