//! Writing xlsx: the blank templates (`pgcheck template`) and, later, the consolidated workbook.
//! The only module that imports rust_xlsxwriter. Every label comes from the template tables in
//! `crate::template`; the layout functions here are shared by every written sheet.

pub mod annotate;
mod format;
pub mod issues;
pub mod layout;
pub mod merged;
pub mod template;
pub mod weekly;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

pub use format::{Formats, AMOUNT_FORMAT, COUNT_FORMAT, DATE_FORMAT, FONT, MONTH_FORMAT};
pub use issues::ISSUES_SHEET;
pub use layout::{
    add_dropdowns, dropdown, field_text, set_column_widths, set_print, stage_labels, sum_formula,
    table_width, write_blank_rows, write_footnotes, write_header, write_merged, write_sheet_frame,
    write_total_row, Layout, TotalRow,
};
pub use template::{write_templates, TEMPLATE_FILES, WEEKLY_REPORT};

/// What can go wrong while writing a workbook.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Laying out a sheet failed (a bug in the layout, e.g. overlapping merges); not yet tied to
    /// a file. `WriteError::at` names the file.
    #[error("cannot lay out the workbook: {0}")]
    Layout(#[from] XlsxError),
    #[error("cannot build {path}: {source}")]
    Xlsx { path: PathBuf, source: XlsxError },
    #[error(
        "cannot write {path}: {source} (is the folder writable, or the file open in Excel or WPS?)"
    )]
    Io {
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
}

/// A new workbook with fixed document properties, so writing the same content twice gives the
/// same file (no creation timestamp of today).
pub fn new_workbook() -> Result<Workbook, WriteError> {
    let mut wb = Workbook::new();
    // Deflate level 3, the level Excel itself uses: about a third faster to save than the
    // default 6, for files a few percent larger.
    wb.set_zip_compression_level(3);
    let created = ExcelDateTime::from_ymd(2024, 10, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_author("pgcheck")
            .set_creation_datetime(&created),
    );
    Ok(wb)
}

/// Saves `wb` to `path` atomically: the bytes go to a hidden temporary file in the same folder,
/// which is then renamed over `path`; a failure leaves no partial file behind.
pub fn save_atomic(wb: &mut Workbook, path: &Path) -> Result<(), WriteError> {
    let bytes = wb
        .save_to_buffer()
        .map_err(|e| WriteError::from(e).at(path))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(&bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(WriteError::io(&tmp, e));
    }
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        WriteError::io(path, e)
    })
}
