//! The JSON document of SPEC 9.

use serde_json::{json, Value};

use crate::config::Config;
use crate::diag::{Diagnostic, Lang};
use crate::grid::CellRef;
use crate::validate::{FileReport, Status};

/// One diagnostic in the SPEC 9 shape, its help worded for the city of `config`.
pub fn diagnostic(d: &Diagnostic, lang: Lang, config: &Config) -> Value {
    json!({
        "rule": d.rule.as_str(),
        "severity": d.severity,
        "sheet": d.sheet,
        "cell": d.cell.map(|c| c.to_string()),
        "row": d.cell.map(|c| c.excel_row()),
        "col": d.cell.map(|c| CellRef::col_name(c.col)),
        "field": d.field,
        "value": d.value,
        "related": d.related.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "message": d.message(lang),
        "help": d.help(lang, config),
    })
}

/// One file in the SPEC 9 shape.
pub fn file(f: &FileReport, lang: Lang, config: &Config) -> Value {
    let mut v = json!({
        "path": f.display_path(),
        "status": f.status().as_str(),
        "unit": f.unit,
        "sheets": f.sheets.iter().map(|s| json!({"sheet": s.sheet, "template": s.template.as_str(), "rows": s.rows})).collect::<Vec<_>>(),
        "errors": f.errors(),
        "warnings": f.warnings(),
        "diagnostics": f.diagnostics.iter().map(|d| diagnostic(d, lang, config)).collect::<Vec<_>>(),
    });
    // Only for a name that is not UTF-8 (see `read::show_path`).
    if let Some(note) = crate::read::show_path(&f.path).note {
        v["path_note"] = note.get(lang).into();
    }
    v
}

/// The counts of the `summary` object.
pub fn summary(files: &[FileReport]) -> Value {
    let count = |s: Status| files.iter().filter(|f| f.status() == s).count();
    json!({
        "files": files.len(),
        "valid": count(Status::Valid),
        "invalid": count(Status::Invalid),
        "unreadable": count(Status::Unreadable),
        "errors": files.iter().map(|f| f.errors()).sum::<usize>(),
        "warnings": files.iter().map(|f| f.warnings()).sum::<usize>(),
    })
}

/// The whole `validate --format json` document.
pub fn validate_document(files: &[FileReport], config: &Config, lang: Lang) -> Value {
    json!({
        "tool": "pgcheck",
        "schema": 1,
        "as_of": config.as_of.format("%Y-%m-%d").to_string(),
        "files": files.iter().map(|f| file(f, lang, config)).collect::<Vec<_>>(),
        "summary": summary(files),
    })
}

/// Pretty JSON with CJK kept as UTF-8 (serde_json never escapes non-ASCII).
pub fn to_string(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
