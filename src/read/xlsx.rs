//! `.xlsx`/`.xlsm`: read directly (`direct`) or, when the direct reader declines, through
//! calamine's streaming cell reader, into a sparse grid (no dense range), with each sheet's
//! merged regions read from its `<mergeCells>` directly.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::cells::map_ref;
use super::guard::MAX_TOTAL_UNCOMPRESSED;
use super::opc::{without_unknown_sheets, Package, SheetParts};
use super::{Book, Cells, OpenError, SheetInfo, BYTES_PER_CELL};
use crate::grid::{Merge, Workbook};

fn xlsx_err(e: calamine::XlsxError) -> OpenError {
    match e {
        calamine::XlsxError::Password => OpenError::Encrypted,
        calamine::XlsxError::Io(io) => OpenError::Corrupt(format!("xlsx: {io}")),
        other => OpenError::Corrupt(format!("xlsx: {other}")),
    }
}

/// Cells reserved for a sheet whose part size is unknown.
const UNSIZED_RESERVE: u64 = 4096;

/// An xlsx package opened by calamine, with the worksheet parts located for `<mergeCells>`.
pub(crate) struct XlsxBook<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
    parts: Option<SheetParts<'a>>,
    /// Uncompressed bytes left for reading sheets a second time (for their merged regions).
    budget_bytes: u64,
    /// The rows with a height of their own of the sheet whose merged regions were read last.
    heights: Vec<(u32, f64)>,
}

impl<'a> XlsxBook<'a> {
    fn new(xlsx: Xlsx<Cursor<&'a [u8]>>, package: Option<Package<'a>>) -> XlsxBook<'a> {
        XlsxBook {
            xlsx,
            parts: package.and_then(SheetParts::new),
            budget_bytes: MAX_TOTAL_UNCOMPRESSED,
            heights: Vec::new(),
        }
    }
}

/// Reads the package `data` (`package`, as the sniffer opened it): directly (`direct`) when the
/// direct reader understands it, else through calamine.
pub(crate) fn read<'a>(data: &'a [u8], mut package: Package<'a>) -> Result<Workbook, OpenError> {
    match super::direct::read(&mut package, data) {
        Ok(wb) => Ok(wb),
        Err(_) => with_book(data, package, |b| b.read()),
    }
}

/// Opens the package `data` (`package`, as the sniffer opened it) and hands it to `f`. calamine
/// refuses the whole workbook when one sheet is of a type it does not know (an Excel 4.0 macro
/// sheet): such a package is opened from a copy without them.
pub(crate) fn with_book<'a, T>(
    data: &'a [u8],
    package: Package<'a>,
    f: impl FnOnce(&mut XlsxBook<'_>) -> Result<T, OpenError>,
) -> Result<T, OpenError> {
    match Xlsx::new(Cursor::new(data)) {
        Ok(xlsx) => f(&mut XlsxBook::new(xlsx, Some(package))),
        Err(calamine::XlsxError::Unrecognized {
            typ: "sheet:type", ..
        }) if let Some(copy) = without_unknown_sheets(data) => {
            let xlsx = Xlsx::new(Cursor::new(&copy[..])).map_err(xlsx_err)?;
            f(&mut XlsxBook::new(xlsx, Package::open(&copy)))
        }
        Err(e) => Err(xlsx_err(e)),
    }
}

impl Book for XlsxBook<'_> {
    fn sheets(&self) -> Vec<SheetInfo> {
        SheetInfo::list(self.xlsx.sheets_metadata())
    }

    /// Reserves room for the cells first: the declared dimension, but never more than the part's
    /// size allows (a stored cell takes at least `<c r="A1"><v>1</v></c>`, about 20 bytes; files
    /// declare 1,048,576 × 16,384 and hold a few cells), so a large sheet is not copied as it
    /// grows.
    fn cells(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), OpenError> {
        let mut reader = self.xlsx.worksheet_cells_reader(name).map_err(xlsx_err)?;
        let room = self.parts.as_ref().and_then(|p| p.part_size(name));
        let declared = reader.dimensions().len();
        cells.reserve(declared.min(room.map_or(UNSIZED_RESERVE, |b| b / BYTES_PER_CELL)));
        while let Some(c) = reader.next_cell_with_formula().map_err(xlsx_err)? {
            cells.store(c.pos, map_ref(c.value), c.formula)?;
        }
        Ok(())
    }

    /// The merged regions sit after the cell data: they are found in the sheet's XML directly
    /// when the sheet's part can be located, instead of parsing the whole sheet a second time
    /// (calamine's way, a sixth of the validation time); calamine is the fallback.
    /// The rows' own heights are read from the same XML (none on calamine's way).
    fn merges(&mut self, name: &str) -> Result<Option<Vec<Merge>>, OpenError> {
        let layout = self
            .parts
            .as_mut()
            .and_then(|p| p.layout(name, &mut self.budget_bytes));
        let merges = layout.and_then(|(merges, heights)| {
            self.heights = heights;
            merges
        });
        if let Some(m) = merges {
            return Ok(Some(m));
        }
        let dims = self
            .xlsx
            .merge_cells_by_sheet_name(name)
            .map_err(xlsx_err)?;
        Ok(Some(dims.iter().map(super::to_merge).collect()))
    }

    fn row_heights(&mut self, _name: &str) -> Vec<(u32, f64)> {
        std::mem::take(&mut self.heights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The direct `<mergeCells>` reading gives what calamine's full pass gives, and the sheet
    /// names read from the workbook part are calamine's, on every xlsx the project ships
    /// (openpyxl, LibreOffice, rust_xlsxwriter and hostile files).
    #[test]
    fn direct_reading_agrees_with_calamine_on_every_fixture() {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("xlsx") || x.eq_ignore_ascii_case("xlsm")
                }) {
                    out.push(p);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("fixtures"), &mut files);
        walk(&root.join("templates-xlsx"), &mut files);
        let (mut sheets, mut with_merges) = (0, 0);
        for f in &files {
            let data = std::fs::read(f).unwrap();
            let Some(mut parts) = Package::open(&data).and_then(SheetParts::new) else {
                continue;
            };
            let Ok(mut xlsx) = Xlsx::new(Cursor::new(&data[..])) else {
                continue;
            };
            let names: Vec<String> = xlsx.sheet_names().to_vec();
            let direct = Package::open(&data).and_then(super::super::opc::sheet_names);
            assert_eq!(direct.as_ref(), Some(&names), "{}", f.display());
            for name in names {
                let Ok(want) = xlsx.merge_cells_by_sheet_name(&name) else {
                    continue;
                };
                let want: Vec<Merge> = want.iter().map(super::super::to_merge).collect();
                let got = parts.layout(&name, &mut u64::MAX.clone()).and_then(|l| l.0);
                let got = got
                    .unwrap_or_else(|| panic!("{}: sheet {name} not read directly", f.display()));
                assert_eq!(got, want, "{} sheet {name}", f.display());
                sheets += 1;
                with_merges += usize::from(!want.is_empty());
            }
        }
        assert!(
            sheets > 100 && with_merges > 50,
            "{sheets} sheets, {with_merges} with merges"
        );
    }
}
