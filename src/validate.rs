//! Validating files: open, recognise each sheet's template, read its rows, run its rules, and
//! collect one `FileReport` per file. Directory expansion lives here too.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, RuleId, Severity};
use crate::grid::{CellRef, Sheet, Workbook};
use crate::header;
use crate::read;
use crate::rules;
use crate::table::{self, Table};
use crate::template::TemplateId;

/// The outcome of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Valid,
    Invalid,
    /// S01: not readable as a workbook.
    Unreadable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Unreadable => "unreadable",
        }
    }
}

/// A recognised sheet.
#[derive(Debug, Clone)]
pub struct SheetInfo {
    pub sheet: String,
    pub template: TemplateId,
    /// Data rows read (totals included).
    pub rows: usize,
}

/// Everything validate found in one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub status: Status,
    pub unit: Option<String>,
    pub sheets: Vec<SheetInfo>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// `--deny-warnings`: every warning becomes an error, and the status follows.
    pub fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
        }
        if self.status == Status::Valid && !self.diagnostics.is_empty() {
            self.status = Status::Invalid;
        }
    }

    /// The path as given on the command line (for messages), decoded as `read::show_path` does.
    pub fn display_path(&self) -> String {
        read::show_path(&self.path).text
    }
}

/// A validated file with what merge needs: the workbook and its typed tables.
#[derive(Debug)]
pub struct Validated {
    pub report: FileReport,
    pub workbook: Option<Workbook>,
    pub tables: Vec<Table>,
}

/// Options that change how findings count.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Warnings count as errors.
    pub deny_warnings: bool,
    /// Keep of each file's grid only the cells that checks across files still read (for runs
    /// that write no annotated copy): a folder of 3,000 workbooks then needs a third of the
    /// memory, and freeing happens while the other files are still being read.
    pub slim: bool,
}

/// Validates many files, in parallel (files are independent), returning the results in the
/// order of `paths`. The per-file work is `validate_file`; checks across files run afterwards.
pub fn validate_files(paths: &[PathBuf], config: &Config, opts: Options) -> Vec<Validated> {
    use rayon::prelude::*;
    paths
        .par_iter()
        .map(|p| validate_file(p, config, opts))
        .collect()
}

/// Validates one file. Never fails: an unreadable file is an S01 finding.
pub fn validate_file(path: &Path, config: &Config, opts: Options) -> Validated {
    validate_opened(path, read::open(path), config, opts)
}

/// Validates a workbook already opened (or the error opening it), reported under `path`. The
/// fuzz targets use this with `read::open_bytes`.
pub fn validate_opened(
    path: &Path,
    opened: Result<Workbook, read::OpenError>,
    config: &Config,
    opts: Options,
) -> Validated {
    let wb = match opened {
        Ok(wb) => wb,
        Err(e) => {
            let m = e.message();
            let d = Diagnostic::new(RuleId::S01)
                .value(read::show_path(path).text)
                .detail(m.zh, m.en);
            return Validated {
                report: FileReport {
                    path: path.to_path_buf(),
                    status: Status::Unreadable,
                    unit: None,
                    sheets: Vec::new(),
                    diagnostics: vec![d],
                },
                workbook: None,
                tables: Vec::new(),
            };
        }
    };
    let mut diagnostics = Vec::new();
    let mut sheets = Vec::new();
    let mut tables = Vec::new();
    let mut units: Vec<(String, String, crate::grid::CellRef)> = Vec::new();
    for sheet in wb.sheets.iter().filter(|s| !s.hidden) {
        let Some(h) = header::detect(sheet) else {
            continue;
        };
        let t = h.template();
        // S03: required columns missing; S04: unknown columns.
        let header_first = crate::grid::CellRef::new(h.bottom, h.first_col);
        for (i, c) in t.columns.iter().enumerate() {
            if c.required && h.cols[i].is_none() {
                diagnostics.push(
                    Diagnostic::new(RuleId::S03)
                        .at(&sheet.name, header_first)
                        .field(t.display_label(i))
                        .detail(
                            format!("缺少必填列“{}”", c.label()),
                            format!("required column \"{}\" is missing", c.label()),
                        ),
                );
            }
        }
        let top_left = crate::grid::CellRef::new(h.top, h.first_col);
        for (col, label) in &h.unknown {
            diagnostics.push(
                Diagnostic::new(RuleId::S04)
                    .at(&sheet.name, top_left)
                    .field(label.clone())
                    .value(label.clone())
                    .related([crate::grid::CellRef::new(h.bottom, *col)])
                    .detail(
                        format!(
                            "{} 列的表头“{}”不是模板中的列",
                            crate::grid::CellRef::col_name(*col),
                            label.trim()
                        ),
                        format!(
                            "column {} header \"{}\" is not a template column",
                            crate::grid::CellRef::col_name(*col),
                            label.trim()
                        ),
                    ),
            );
        }
        let table = table::read(sheet, h, config, &mut diagnostics);
        let unit = match table.header.template {
            TemplateId::A2 => rules::a2::check(sheet, &table, config, &mut diagnostics),
            TemplateId::A3 | TemplateId::A4 | TemplateId::A5 => {
                let unit = rules::fields::check_fields(sheet, &table, config, &mut diagnostics);
                match table.header.template {
                    TemplateId::A3 => rules::a3::check_a3(sheet, &table, config, &mut diagnostics),
                    TemplateId::A4 => rules::a4::check_a4(sheet, &table, &mut diagnostics),
                    _ => rules::a5::check_a5(sheet, &table, &mut diagnostics),
                }
                unit
            }
        };
        if let Some((u, at)) = unit {
            units.push((u, sheet.name.clone(), at));
        }
        sheets.push(SheetInfo {
            sheet: sheet.name.clone(),
            template: table.header.template,
            rows: table.rows.len(),
        });
        tables.push(table);
    }
    if sheets.is_empty() {
        let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
        diagnostics.push(Diagnostic::new(RuleId::S02).detail(
            format!(
                "工作表 {} 均不是附件2-5的模板（未找到表头）",
                names.join("、")
            ),
            format!(
                "sheets {} match no template of Attachments 2-5 (no header found)",
                names.join(", ")
            ),
        ));
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // One workbook, one unit: every sheet must name the same one (S06 on the odd one out).
    if let Some((first, first_sheet, first_at)) = units.first() {
        for (u, sheet, at) in &units[1..] {
            if u != first {
                diagnostics.push(
                    Diagnostic::new(RuleId::S06)
                        .at(sheet, *at)
                        .value(u.clone())
                        .related([*first_at])
                        .detail(
                            format!("本工作表的单位是“{u}”，而工作表“{first_sheet}”是“{first}”"),
                            format!(
                                "this sheet's unit is {u} but sheet {first_sheet} says {first}"
                            ),
                        ),
                );
            }
        }
    }
    let unit = units.first().map(|u| u.0.clone());
    let status = if diagnostics.iter().any(|d| d.is_error()) {
        Status::Invalid
    } else {
        Status::Valid
    };
    let mut report = FileReport {
        path: path.to_path_buf(),
        status,
        unit,
        sheets,
        diagnostics,
    };
    if opts.deny_warnings {
        report.deny_warnings();
    }
    let workbook = if opts.slim { slim(&wb, &tables) } else { wb };
    Validated {
        report,
        workbook: Some(workbook),
        tables,
    }
}

/// The part of a grid that checks across files still read, as a new small grid: per recognised
/// sheet the cells above the header (the 单位/填报时间 lines merge reads) and, in the data rows,
/// the cells of the columns those checks quote (`rules::cross::QUOTED_KEYS`), merged regions
/// already filled in. The full grid is freed by the caller, on the worker thread.
fn slim(wb: &Workbook, tables: &[Table]) -> Workbook {
    let mut sheets = Vec::new();
    for t in tables {
        let Some(full) = wb.sheets.iter().find(|s| s.name == t.sheet) else {
            continue;
        };
        let mut sheet = Sheet::new(full.name.clone());
        sheet.hidden = full.hidden;
        for (at, cell) in full.iter() {
            if at.row >= t.header.top {
                break;
            }
            sheet.set(*at, cell.clone());
        }
        let cols: Vec<u32> = rules::cross::QUOTED_KEYS
            .iter()
            .filter(|k| k.template() == t.header.template)
            .filter_map(|k| t.header.col(*k))
            .collect();
        for r in &t.rows {
            for &c in &cols {
                if let Some(cell) = full.cell(r.row, c) {
                    sheet.set(CellRef::new(r.row, c), cell.clone());
                }
            }
        }
        sheet.seal();
        sheets.push(sheet);
    }
    Workbook { sheets }
}

/// Spreadsheet extensions pgcheck reads (compared case-insensitively).
pub const EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// True for a file a directory scan should pick up: a spreadsheet extension, not an Excel/WPS
/// lock file (`~$…`), not hidden.
pub fn is_candidate(path: &Path) -> bool {
    // By bytes: a name need not be UTF-8 (GBK names from a zip made on Chinese Windows).
    let Some(name) = path.file_name().map(|n| n.as_encoded_bytes()) else {
        return false;
    };
    if name.starts_with(b"~$") || name.starts_with(b".") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Lists the spreadsheets in `dir` (sorted; recursing when asked).
pub fn scan_dir(dir: &Path, recurse: bool) -> std::io::Result<Vec<PathBuf>> {
    Ok(scan(dir, recurse)?.files)
}

/// What a folder holds for pgcheck: its spreadsheets, and what was not read.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: Vec<PathBuf>,
    /// Sub-folders that could not be read (with `recurse`); the rest were read.
    pub unreadable: Vec<(PathBuf, std::io::Error)>,
    /// Without `recurse`: spreadsheets in sub-folders, not read.
    pub in_subfolders: usize,
}

/// Lists `dir`'s spreadsheets (and its sub-folders' with `recurse`, hidden folders aside). Only
/// `dir` itself not being readable is an error.
pub fn scan(dir: &Path, recurse: bool) -> std::io::Result<Scan> {
    let mut found = Scan::default();
    scan_into(dir, recurse, true, &mut found)?;
    Ok(found)
}

fn scan_into(dir: &Path, recurse: bool, top: bool, found: &mut Scan) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        let ft = e.file_type()?;
        if ft.is_dir() {
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if recurse {
                if let Err(err) = scan_into(&p, true, false, found) {
                    found.unreadable.push((p, err));
                }
            } else if top {
                let mut below = Scan::default();
                if scan_into(&p, true, false, &mut below).is_ok() {
                    found.in_subfolders += below.files.len();
                }
            }
        } else if is_candidate(&p) {
            found.files.push(p);
        }
    }
    Ok(())
}

/// Expands command-line arguments: files as given, directories scanned.
pub fn expand(args: &[PathBuf]) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for a in args {
        if a.is_dir() {
            out.extend(scan_dir(a, false).map_err(|e| (a.clone(), e))?);
        } else if a.exists() {
            out.push(a.clone());
        } else {
            return Err((
                a.clone(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "not found"),
            ));
        }
    }
    Ok(out)
}
