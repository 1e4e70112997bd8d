//! Reads .xlsx/.xlsm/.xls/.ods into pgcheck's grid (`grid::Workbook`). The only module that
//! touches calamine: it fills merged regions, marks formulas without a cached value, caps the
//! number of cells, and turns every failure — including a panic inside calamine — into an
//! `OpenError` with a message a clerk can act on.

use std::path::Path;

use crate::diag::Msg;
use crate::grid::Workbook;

/// Why a file could not be read as a workbook (rule S01).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the file is encrypted")]
    Encrypted,
    #[error("not a spreadsheet: {0}")]
    NotSpreadsheet(String),
    #[error("damaged or truncated: {0}")]
    Corrupt(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl OpenError {
    /// The message for S01, in both languages.
    pub fn message(&self) -> Msg {
        todo!()
    }
}

/// Opens any supported file. Never panics.
pub fn open(_path: &Path) -> Result<Workbook, OpenError> {
    todo!()
}
