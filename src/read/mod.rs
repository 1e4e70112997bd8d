//! Reads .xlsx/.xlsm/.xls/.ods into pgcheck's grid (`grid::Workbook`). The only module that
//! touches calamine: it fills merged regions, marks formulas without a cached value, caps the
//! number of cells, and turns every failure — including a panic inside calamine — into an
//! `OpenError` with a message a clerk can act on.
//!
//! One file per concern, as calamine splits its own: `sniff` decides the format from the
//! content, `guard` holds the limits and the panic guard every read goes through, `xlsx` with
//! `opc` (the package parts), `xls` with `cfb` (the compound file), and `ods`, each behind the
//! `Book` trait; `cells` maps calamine's values. An xlsx is first read without calamine by
//! `direct` (with `unzip`, `tokens`, `sst`, `styles`, `sheet_xml`), to the same grid; what it
//! declines, calamine reads.

mod bytes;
mod cells;
mod cfb;
mod direct;
#[cfg(test)]
mod direct_tests;
mod error;
mod guard;
mod heights;
mod name;
mod ods;
mod opc;
mod shared;
mod sheet_xml;
mod sniff;
mod sst;
/// Excel's `_xHHHH_` escapes, which the writer must escape in a literal text.
pub(crate) use sst::parse_escape;
mod styles;
mod tokens;
mod unzip;
mod xls;
mod xlsx;
mod xml;

use std::path::Path;

use calamine::{SheetType, SheetVisible};

pub use direct::declines as xlsx_declines;
pub use error::{Foreign, OpenError, Special};
pub use guard::{
    panics_caught, read_regular_file, MAX_CELLS, MAX_DENSE_AREA, MAX_FILE_BYTES, MAX_MEMBER_BYTES,
    MAX_MERGES, MAX_TOTAL_UNCOMPRESSED,
};
pub use name::{show_path, ShownPath};

use crate::grid::{Cell, CellRef, Merge, Sheet, Value, Workbook};
use guard::{guarded, CellBudget};
use sniff::Format;

/// Opens any supported file. Never panics.
pub fn open(path: &Path) -> Result<Workbook, OpenError> {
    open_bytes(&guard::read_file(path)?)
}

/// Opens a workbook held in memory (the content decides the format). Never panics.
pub fn open_bytes(data: &[u8]) -> Result<Workbook, OpenError> {
    guarded(|| {
        let wb = match sniff::sniff(data)? {
            Format::Xlsx(package) => xlsx::read(data, package)?,
            Format::Ods(package) => ods::OdsBook::open(data, package)?.read()?,
            Format::Xls => xls::read(data)?,
        };
        if wb.sheets.is_empty() {
            return Err(OpenError::NoSheets);
        }
        Ok(wb)
    })
}

/// The sheet names of a workbook, in order, without reading any cell or, for an xlsx, the shared
/// strings (cheap even for a large file). The same guards as `open`. `None` when the file cannot
/// be opened as a workbook.
pub fn sheet_names(path: &Path) -> Option<Vec<String>> {
    guarded(|| {
        let data = guard::read_file(path)?;
        Ok(match sniff::sniff(&data)? {
            Format::Xlsx(package) => match opc::sheet_names(package) {
                Some(names) => names,
                None => {
                    let package = opc::Package::open(&data).ok_or_else(|| {
                        OpenError::Corrupt("zip: the package cannot be reopened".into())
                    })?;
                    xlsx::with_book(&data, package, |b| Ok(b.names()))?
                }
            },
            Format::Ods(package) => ods::OdsBook::open(&data, package)?.names(),
            Format::Xls => xls::XlsBook::open(&data, Default::default())?.names(),
        })
    })
    .ok()
}

/// One sheet as a workbook lists it.
pub(crate) struct SheetInfo {
    name: String,
    hidden: bool,
    /// False for chart, dialog and macro sheets, which hold no report data.
    worksheet: bool,
}

impl SheetInfo {
    fn list(metas: &[calamine::Sheet]) -> Vec<SheetInfo> {
        metas
            .iter()
            .map(|m| SheetInfo {
                name: m.name.clone(),
                hidden: !matches!(m.visible, SheetVisible::Visible),
                worksheet: m.typ == SheetType::WorkSheet,
            })
            .collect()
    }
}

/// A workbook opened by one format's reader: its sheets, their cells, their merged regions.
trait Book {
    /// Every sheet, in workbook order.
    fn sheets(&self) -> Vec<SheetInfo>;
    /// Stores the cells of the worksheet `name`.
    fn cells(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), OpenError>;
    /// The merged regions of the worksheet `name`; `None` when they cannot be known.
    fn merges(&mut self, name: &str) -> Result<Option<Vec<Merge>>, OpenError>;
    /// The rows of the worksheet `name` with a height of their own (`heights`), in points;
    /// asked after `merges`.
    fn row_heights(&mut self, name: &str) -> Vec<(u32, f64)>;

    /// The names of every sheet, in workbook order.
    fn names(&self) -> Vec<String> {
        self.sheets().into_iter().map(|s| s.name).collect()
    }

    /// Reads every worksheet into the grid, within the cell and merge limits.
    fn read(&mut self) -> Result<Workbook, OpenError> {
        let mut budget = CellBudget::default();
        let mut wb = Workbook::default();
        for info in self.sheets() {
            if !info.worksheet {
                continue;
            }
            let mut sheet = Sheet::new(info.name);
            sheet.hidden = info.hidden;
            self.cells(
                &sheet.name.clone(),
                &mut Cells {
                    sheet: &mut sheet,
                    budget: &mut budget,
                },
            )?;
            match self.merges(&sheet.name.clone())? {
                Some(merges) => add_merges(&mut sheet, merges)?,
                None => sheet.merges_unknown = true,
            }
            sheet.row_heights = self.row_heights(&sheet.name.clone()).into_iter().collect();
            sheet.seal();
            wb.sheets.push(sheet);
        }
        Ok(wb)
    }
}

/// Cells reserved for a sheet at most per byte of its XML (a stored cell takes at least
/// `<c r="A1"><v>1</v></c>`, about 20 bytes; files declare 1,048,576 × 16,384 and hold a few).
pub(crate) const BYTES_PER_CELL: u64 = 20;

/// Where a reader stores a sheet's cells, counted against the workbook's cell budget.
pub(crate) struct Cells<'a> {
    sheet: &'a mut Sheet,
    budget: &'a mut CellBudget,
}

impl Cells<'_> {
    /// Room for `n` more cells (capped by the workbook's cell limit).
    fn reserve(&mut self, n: u64) {
        self.sheet.reserve(n.min(MAX_CELLS as u64) as usize);
    }

    /// Stores `value` (and `formula`) at an absolute position; empty cells without a formula are
    /// skipped.
    fn store(
        &mut self,
        pos: (u32, u32),
        value: Value,
        formula: Option<String>,
    ) -> Result<(), OpenError> {
        let formula = formula.filter(|f| !f.trim().is_empty());
        if matches!(value, Value::Empty) && formula.is_none() {
            return Ok(());
        }
        self.budget.take()?;
        self.sheet
            .set(CellRef::new(pos.0, pos.1), Cell { value, formula });
        Ok(())
    }
}

impl Cells<'_> {
    /// Stores `value` at an absolute position as the cached result of a formula whose text the
    /// reader could not get (`Cell::formula` empty): an `.xls` cell of a shared formula.
    fn store_unspelt_formula(&mut self, pos: (u32, u32), value: Value) -> Result<(), OpenError> {
        self.budget.take()?;
        let cell = Cell {
            value,
            formula: Some(String::new()),
        };
        self.sheet.set(CellRef::new(pos.0, pos.1), cell);
        Ok(())
    }
}

fn add_merges(sheet: &mut Sheet, merges: Vec<Merge>) -> Result<(), OpenError> {
    if merges.len() > MAX_MERGES {
        return Err(OpenError::TooLarge(format!(
            "sheet {} has {} merged regions, limit {MAX_MERGES}",
            sheet.name,
            merges.len()
        )));
    }
    for m in merges {
        sheet.add_merge(m);
    }
    Ok(())
}

/// calamine's merged region as ours (an inverted region is clipped to its first cell).
fn to_merge(d: &calamine::Dimensions) -> Merge {
    Merge {
        first: CellRef::new(d.start.0, d.start.1),
        last: CellRef::new(d.end.0.max(d.start.0), d.end.1.max(d.start.1)),
    }
}
