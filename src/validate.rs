//! The one entry point of checking (`check`): open each file, recognise each sheet's template,
//! read its rows, ask every rule under `rules/`, then the checks across files; one `FileReport`
//! per file, whose status follows from its findings. Directory expansion lives here too.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diag::{Diagnostic, Msg, RuleId, Severity};
use crate::grid::{CellRef, Sheet, Workbook};
use crate::header;
use crate::read;
use crate::rules::{self, cross, cross::FileView, structure};
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
    pub unit: Option<String>,
    pub sheets: Vec<SheetInfo>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// The file's status, from its findings: S01 makes it unreadable, any error invalid.
    pub fn status(&self) -> Status {
        if self.diagnostics.iter().any(|d| d.rule == RuleId::S01) {
            Status::Unreadable
        } else if self.diagnostics.iter().any(|d| d.is_error()) {
            Status::Invalid
        } else {
            Status::Valid
        }
    }

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

    /// `--deny-warnings`: every warning becomes an error (and the status follows).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.diagnostics {
            d.severity = Severity::Error;
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

impl Validated {
    /// What the checks across files read of this file.
    pub fn view(&self) -> FileView<'_> {
        FileView {
            shown: self.report.display_path(),
            unit: self.report.unit.as_deref(),
            tables: &self.tables,
            grid: self.workbook.as_ref(),
            valid: self.report.status() == Status::Valid,
        }
    }
}

/// What to check and keep.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Warnings count as errors (after every check, those across files included).
    pub deny_warnings: bool,
    /// Keep of each file's grid only the cells that checks across files still read (for runs
    /// that write no annotated copy): a folder of 3,000 workbooks then needs a third of the
    /// memory, and freeing happens while the other files are still being read.
    pub slim: bool,
    /// The files are one week's submissions to consolidate: also X03 (an attachment sent twice)
    /// and A2-10 across files (SPEC 4.3, 4.8).
    pub consolidate: bool,
}

/// Checks `paths`: reads each file and runs every rule on it (in parallel; files are
/// independent), then the checks across files. The results are in the order of `paths`. This is
/// what validate, merge, the benchmark and the tests all run.
pub fn check(paths: &[PathBuf], config: &Config, opts: Options) -> Vec<Validated> {
    use rayon::prelude::*;
    let mut files: Vec<Validated> = paths
        .par_iter()
        .map(|p| check_file(p, read::open(p), config, opts))
        .collect();
    check_across(&mut files, config, opts);
    files
}

/// Checks one file already opened (or the error opening it), reported under `path`, with the
/// checks across files that one file can fail (X01, X02 within the file). The fuzz targets use
/// this with `read::open_bytes`.
pub fn check_opened(
    path: &Path,
    opened: Result<Workbook, read::OpenError>,
    config: &Config,
    opts: Options,
) -> Validated {
    let mut files = vec![check_file(path, opened, config, opts)];
    check_across(&mut files, config, opts);
    files.pop().expect("one file in, one out")
}

/// The checks across files, filed with the file each finding concerns; then `deny_warnings`.
fn check_across(files: &mut [Validated], config: &Config, opts: Options) {
    let views: Vec<FileView> = files.iter().map(Validated::view).collect();
    let found = cross::check(&views, config);
    let mut touched: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
    for (i, d) in found {
        files[i].report.diagnostics.push(d);
    }
    touched.sort_unstable();
    touched.dedup();
    for i in touched {
        sort(&mut files[i].report.diagnostics);
    }
    if opts.consolidate {
        // X03 first: a file left out for it gives no projects to A2-10 across files.
        let views: Vec<FileView> = files.iter().map(Validated::view).collect();
        let found = cross::duplicate_attachments(&views);
        for (i, d) in found {
            files[i].report.diagnostics.push(d);
        }
        let views: Vec<FileView> = files.iter().map(Validated::view).collect();
        let found = cross::duplicate_projects(&views, config);
        for (i, d) in found {
            files[i].report.diagnostics.push(d);
        }
    }
    if opts.deny_warnings {
        files.iter_mut().for_each(|f| f.report.deny_warnings());
    }
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Reads one file and runs every rule of one file on it. Never fails: an unreadable file is an
/// S01 finding, and so is a panic while checking it (the other files go on).
fn check_file(
    path: &Path,
    opened: Result<Workbook, read::OpenError>,
    config: &Config,
    opts: Options,
) -> Validated {
    match opened {
        Ok(wb) => guarded(path, || check_workbook(path, wb, config, opts)),
        Err(e) => unreadable(path, e.message()),
    }
}

/// A file that could not be checked, for the reason `why` (S01).
fn unreadable(path: &Path, why: Msg) -> Validated {
    Validated {
        report: FileReport {
            path: path.to_path_buf(),
            unit: None,
            sheets: Vec::new(),
            diagnostics: vec![structure::unreadable(&read::show_path(path).text, why)],
        },
        workbook: None,
        tables: Vec::new(),
    }
}

/// Runs `check` on the file at `path`; a panic inside it (a bug) becomes S01 for this file
/// instead of ending the run for every file, and is not printed (the S01 says it).
fn guarded(path: &Path, check: impl FnOnce() -> Validated) -> Validated {
    crate::panics::catch(check).unwrap_or_else(|what| {
        unreadable(
            path,
            Msg::new(
                format!("检查此文件时 pgcheck 出错（{what}），请将文件发给维护人员"),
                format!(
                    "pgcheck failed while checking this file ({what}); please send it to the maintainers"
                ),
            ),
        )
    })
}

/// Every rule of one file: the header and cells of each recognised sheet, its template's rules,
/// the unit across sheets.
fn check_workbook(path: &Path, wb: Workbook, config: &Config, opts: Options) -> Validated {
    let mut diagnostics = Vec::new();
    let mut sheets = Vec::new();
    let mut tables = Vec::new();
    let mut units: Vec<(String, structure::UnitCell)> = Vec::new();
    for sheet in wb.sheets.iter().filter(|s| !s.hidden) {
        let Some(h) = header::detect(sheet) else {
            continue;
        };
        structure::check_header(sheet, &h, &mut diagnostics);
        let table = table::read(sheet, h, config);
        rules::values::check(sheet, &table, &mut diagnostics);
        let out = &mut diagnostics;
        let unit = match table.header.template {
            TemplateId::A2 => rules::a2::check(sheet, &table, config, out),
            id @ (TemplateId::A3 | TemplateId::A4 | TemplateId::A5) => {
                let unit = structure::check_fields(sheet, &table, config, out);
                match id {
                    TemplateId::A3 => rules::a3::check_a3(sheet, &table, config, out),
                    TemplateId::A4 => rules::a4::check_a4(sheet, &table, out),
                    _ => rules::a5::check_a5(sheet, &table, out),
                }
                unit
            }
        };
        if let Some(u) = unit {
            units.push((sheet.name.clone(), u));
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
        diagnostics.push(structure::no_template(&names));
    }
    if units.is_empty() && !diagnostics.iter().any(|d| d.rule == RuleId::S06) {
        let a2 = tables
            .iter()
            .filter(|t| t.header.template == TemplateId::A2);
        diagnostics.extend(a2.filter_map(rules::a2::unit_untold));
    }
    sort(&mut diagnostics);
    // After sorting: the odd sheet out is listed last, as the workbook's own finding.
    structure::check_units_agree(&units, &mut diagnostics);
    let report = FileReport {
        path: path.to_path_buf(),
        unit: units.first().map(|(_, u)| u.unit.clone()),
        sheets,
        diagnostics,
    };
    let workbook = if opts.slim { slim(&wb, &tables) } else { wb };
    Validated {
        report,
        workbook: Some(workbook),
        tables,
    }
}

/// The part of a grid that checks across files still read, as a new small grid: per recognised
/// sheet the cells above the header (the 单位/填报时间 lines merge reads) and, in the data rows,
/// the cells of the columns those checks quote (marked `quoted_across_files` in the template), merged regions
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
        // The column left of the table too: the city workbook's 填报单位, which X02 reads.
        let cols: Vec<u32> = (t.template().columns.iter().zip(&t.header.cols))
            .filter(|(c, _)| c.quoted_across_files)
            .filter_map(|(_, col)| *col)
            .chain(t.header.first_col.checked_sub(1))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_checking_a_file_is_s01_for_that_file() {
        let path = Path::new("泽州县.xlsx");
        let v = guarded(path, || panic!("index out of bounds"));
        assert_eq!(v.report.status(), Status::Unreadable);
        let [d] = v.report.diagnostics.as_slice() else {
            panic!("{:?}", v.report.diagnostics)
        };
        assert_eq!(d.rule, RuleId::S01);
        assert!(
            d.detail.zh.contains("index out of bounds"),
            "{}",
            d.detail.zh
        );
        assert_eq!(d.value.as_deref(), Some("泽州县.xlsx"));
        let fine = guarded(path, || unreadable(path, Msg::new("x", "x")));
        assert_eq!(fine.report.diagnostics[0].detail.en, "x");
    }

    /// Child half of `a_caught_panic_prints_nothing_and_a_crash_still_does`: a panic caught
    /// while checking a file, then one that nothing catches. Does nothing in a normal test run.
    #[test]
    fn panic_child() {
        if std::env::var_os("PGCHECK_PANIC_CHILD").is_none() {
            return;
        }
        let v = guarded(Path::new("泽州县.xlsx"), || panic!("planted in a rule"));
        assert_eq!(v.report.status(), Status::Unreadable);
        let crash = std::thread::spawn(|| panic!("a crash nothing catches")).join();
        assert!(crash.is_err());
    }

    /// The S01 says what happened; Rust's panic text on stderr would only alarm a clerk. A panic
    /// nothing catches (a crash) is still printed.
    #[test]
    fn a_caught_panic_prints_nothing_and_a_crash_still_does() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "validate::tests::panic_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("PGCHECK_PANIC_CHILD", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "child failed: {stdout}\n{stderr}");
        assert!(stdout.contains("1 passed"), "{stdout}");
        assert!(!stderr.contains("planted in a rule"), "{stderr}");
        assert!(stderr.contains("a crash nothing catches"), "{stderr}");
    }

    #[test]
    fn status_follows_from_the_findings() {
        let mut r = FileReport {
            path: "a.xlsx".into(),
            unit: None,
            sheets: Vec::new(),
            diagnostics: vec![Diagnostic::new(RuleId::V04)],
        };
        assert_eq!(r.status(), Status::Valid);
        r.deny_warnings();
        assert_eq!(r.status(), Status::Invalid);
        r.diagnostics.push(Diagnostic::new(RuleId::S01));
        assert_eq!(r.status(), Status::Unreadable);
    }
}
