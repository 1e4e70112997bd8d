//! Writing xlsx: the blank templates (`pgcheck template`) and, later, the consolidated workbook.
//! The only module that imports rust_xlsxwriter. Every label comes from the template tables in
//! `crate::template`; the layout functions here are shared by every written sheet.

pub mod annotate;
mod format;
pub mod issues;
pub mod layout;
pub mod merged;
mod rows;
mod splice;
mod temp;
pub mod template;
pub mod trend;
pub mod weekly;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::diag::Lang;

pub use format::{Formats, AMOUNT_FORMAT, COUNT_FORMAT, DATE_FORMAT, FONT, MONTH_FORMAT};
pub use issues::ISSUES_SHEET;
pub use layout::{
    add_dropdowns, dropdown, field_text, set_column_widths, set_print, stage_labels, sum_formula,
    table_width, write_blank_rows, write_footnotes, write_header, write_merged, write_sheet_frame,
    write_total_row, Layout, TotalRow,
};
pub use template::{write_templates, TEMPLATE_FILES, WEEKLY_REPORT};

/// What can go wrong while writing a workbook. Every variant names the output, never the
/// temporary file it is written through.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Laying out a sheet failed (a bug in the layout, e.g. overlapping merges); not yet tied to
    /// a file. `WriteError::at` names the file.
    #[error("cannot lay out the workbook: {0}")]
    Layout(#[from] XlsxError),
    #[error("cannot build {path}: {source}")]
    Xlsx { path: PathBuf, source: XlsxError },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The output's folder could not be made.
    #[error("cannot create the folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl WriteError {
    /// Names the file a layout error happened in.
    pub fn at(self, path: &Path) -> WriteError {
        match self {
            WriteError::Layout(source) => WriteError::Xlsx {
                path: path.to_path_buf(),
                source,
            },
            other => other,
        }
    }

    fn io(path: &Path, source: std::io::Error) -> WriteError {
        WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The output (or its folder) it is about, when known.
    pub fn path(&self) -> Option<&Path> {
        match self {
            WriteError::Layout(_) => None,
            WriteError::Xlsx { path, .. }
            | WriteError::Io { path, .. }
            | WriteError::Folder { path, .. } => Some(path),
        }
    }

    /// Makes `dir` (and its parents) for an output.
    fn make_folder(dir: &Path) -> Result<(), WriteError> {
        fs::create_dir_all(dir).map_err(|source| WriteError::Folder {
            path: dir.to_path_buf(),
            source,
        })
    }

    /// The message in the run's language: the output's name and, for a file-system error, its
    /// reason (磁盘已满, 没有权限, …).
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        if let WriteError::Folder { path, source } = self {
            // create_dir_all says AlreadyExists when a file has the folder's name.
            let reason = match (source.kind(), zh) {
                (std::io::ErrorKind::AlreadyExists, true) => "已有同名文件，不是文件夹".into(),
                (std::io::ErrorKind::AlreadyExists, false) => {
                    "a file of that name is in the way".into()
                }
                _ => crate::oserror::reason(source, lang),
            };
            return match zh {
                true => format!("无法创建文件夹 {}：{reason}", path.display()),
                false => format!("cannot create the folder {}: {reason}", path.display()),
            };
        }
        let io = match self {
            WriteError::Io { source, .. } => Some(source),
            WriteError::Xlsx {
                source: XlsxError::IoError(e) | XlsxError::TempFileError(_, e),
                ..
            } => Some(e),
            _ => None,
        };
        let reason = match (io, self) {
            (Some(e), _) => crate::oserror::reason(e, lang),
            (None, WriteError::Layout(e) | WriteError::Xlsx { source: e, .. }) if zh => {
                format!("生成工作簿时出错：{e}")
            }
            (None, WriteError::Layout(e) | WriteError::Xlsx { source: e, .. }) => {
                format!("the workbook could not be laid out: {e}")
            }
            (None, WriteError::Io { .. } | WriteError::Folder { .. }) => {
                unreachable!("handled above")
            }
        };
        match (self.path(), zh) {
            (Some(p), true) => format!("无法写入 {}：{reason}", p.display()),
            (Some(p), false) => format!("cannot write {}: {reason}", p.display()),
            (None, _) => reason,
        }
    }
}

/// The deflate level of every written workbook. Saving deflates each part on one thread, after
/// every sheet is built, but for the rows of the city's 附件2 and 附件3 (165 of the 168 MB of
/// sheet XML of a merge of 1,000 `gen_counties` workbooks), deflated in chunks on every core as
/// they are built (`splice`). Level 2 (zlib-rs' fast strategy) deflates with a third fewer
/// instructions than level 3, Excel's own (medium strategy), for a file 12 % larger: 20.5 MB
/// instead of 18.4 MB. Level 1 would halve the instructions again but give 27.1 MB, over the
/// 25 MB many mail services accept. A workbook of a real week (seven units) is some 30 KB at
/// any level.
pub const DEFLATE_LEVEL: u8 = 2;

/// A new workbook with fixed document properties, so writing the same content twice gives the
/// same file (no creation timestamp of today).
pub fn new_workbook() -> Result<Workbook, WriteError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(DEFLATE_LEVEL);
    let created = ExcelDateTime::from_ymd(2024, 10, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("pgcheck")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

/// A new workbook (as `new_workbook`) whose constant-memory sheets spill to the folder of
/// `path`, made if missing, instead of TMPDIR: the output's folder must have room anyway, and
/// a full TMPDIR then cannot fail a merge whose output disk has space.
pub fn new_workbook_beside(path: &Path) -> Result<Workbook, WriteError> {
    let dir = folder_of(path);
    WriteError::make_folder(&dir)?;
    let mut wb = new_workbook()?;
    wb.set_tempdir(&dir).map_err(|e| match e {
        XlsxError::TempFileError(_, io) => WriteError::io(path, io),
        other => WriteError::from(other).at(path),
    })?;
    Ok(wb)
}

/// Runs `build` (laying out and spilling a workbook for `path`); a panic inside it, which
/// rust_xlsxwriter raises when it cannot write its temporary files (a full disk), becomes a
/// `WriteError` naming `path` instead of aborting the run.
pub fn guarded<T>(
    path: &Path,
    build: impl FnOnce() -> Result<T, WriteError>,
) -> Result<T, WriteError> {
    crate::panics::catch_everywhere(build)
        .unwrap_or_else(|text| Err(WriteError::io(path, temp::error_in_panic(&text))))
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A workbook written in full to a temporary file beside its target, not yet in place. Dropped
/// without `commit`, the temporary is removed (and SIGINT/SIGTERM remove it too).
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    tmp: temp::Temp,
}

impl Staged {
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the temporary over the target.
    pub fn commit(self) -> Result<(), WriteError> {
        fs::rename(self.tmp.path(), &self.target).map_err(|e| WriteError::io(&self.target, e))?;
        self.tmp.forget();
        Ok(())
    }
}

/// Puts every staged output in place, in order; they were all written before, so an error here
/// is a rename in an already-writable folder.
pub fn commit_all(staged: Vec<Staged>) -> Result<(), WriteError> {
    staged.into_iter().try_for_each(Staged::commit)
}

/// Writes `wb` to a short, fixed-length temporary name in `path`'s folder (made if missing),
/// synced to disk; `Staged::commit` puts it in place. Stale temporaries of earlier, killed runs
/// in that folder are removed first.
pub fn stage(wb: &mut Workbook, path: &Path) -> Result<Staged, WriteError> {
    stage_spliced(wb, path, Vec::new())
}

/// As [`stage`], with the rows pgcheck wrote itself for some sheet parts ([`splice`]) put in
/// place as the package is completed.
fn stage_spliced(
    wb: &mut Workbook,
    path: &Path,
    spliced: Vec<(String, splice::Rows)>,
) -> Result<Staged, WriteError> {
    let dir = folder_of(path);
    WriteError::make_folder(&dir)?;
    temp::clean_stale(&dir);
    let bytes = guarded(path, || {
        wb.save_to_buffer()
            .map_err(|e| WriteError::from(e).at(path))
    })?;
    let bytes = match spliced.is_empty() {
        true => bytes,
        false => {
            splice::splice(&bytes, DEFLATE_LEVEL, spliced).map_err(|e| WriteError::io(path, e))?
        }
    };
    let tmp = temp::Temp::new(&dir).map_err(|e| WriteError::io(path, e))?;
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp.path())
        .and_then(|mut f| {
            f.write_all(&bytes)?;
            f.sync_all()
        });
    written.map_err(|e| WriteError::io(path, e))?;
    Ok(Staged {
        target: path.to_path_buf(),
        tmp,
    })
}

/// Saves `wb` to `path` atomically: the bytes go to a hidden temporary file in the same folder,
/// which is then renamed over `path`; a failure leaves no partial file behind.
pub fn save_atomic(wb: &mut Workbook, path: &Path) -> Result<(), WriteError> {
    stage(wb, path)?.commit()
}

/// The text of the part `part` (`xl/worksheets/sheet1.xml`) of `wb`, saved: for tests that
/// compare what rust_xlsxwriter writes.
#[cfg(test)]
pub(crate) fn saved_part(wb: &mut Workbook, part: &str) -> String {
    use std::io::Read;
    let bytes = wb.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    xml
}
