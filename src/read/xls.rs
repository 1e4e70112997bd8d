//! `.xls` (BIFF5/BIFF8 in a compound file) through calamine, behind the checks calamine needs:
//! looping sector chains, the dense area its ranges will take, XOR-obfuscated files, and GBK
//! text in old BIFF5 files without a code page.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Reader, Xls, XlsOptions};

use super::bytes::Le;
use super::cells::fill_from_ranges;
use super::guard::{BoundingBox, MAX_DENSE_AREA};
use super::shared::Shared;
use super::{cfb, Book, Cells, OpenError, SheetInfo};
use crate::grid::{Merge, Value, Workbook};

/// The BIFF record types pgcheck looks at ([MS-XLS] 2.3).
mod record {
    pub const FORMULA: u16 = 0x0006;
    pub const EOF: u16 = 0x000A;
    pub const FILEPASS: u16 = 0x002F;
    pub const BOUNDSHEET: u16 = 0x0085;
    pub const MULRK: u16 = 0x00BD;
    pub const RSTRING: u16 = 0x00D6;
    pub const LABELSST: u16 = 0x00FD;
    pub const DIMENSIONS: u16 = 0x0200;
    pub const NUMBER: u16 = 0x0203;
    pub const LABEL: u16 = 0x0204;
    pub const BOOLERR: u16 = 0x0205;
    /// A formula's string result; it follows the FORMULA record and holds no position.
    pub const STRING: u16 = 0x0207;
    pub const RK: u16 = 0x027E;
    /// A shared formula: its range and tokens; it follows the range's first FORMULA record.
    pub const SHRFMLA: u16 = 0x04BC;
    pub const ROW: u16 = 0x0208;
    pub const BOF: u16 = 0x0809;
    /// BOF substream type of a worksheet.
    pub const BOF_WORKSHEET: u16 = 0x0010;
}

/// One BIFF record: its type, its body (read through into the following bytes, as a size
/// estimate that must not fail may), its declared length, and whether the stream holds all of it.
struct Record<'a> {
    typ: u16,
    body: Le<'a>,
    len: usize,
    complete: bool,
}

/// The records of `stream` from offset `at` while a record header can be read.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let le = Le(stream);
        let typ = le.u16(at)?;
        let len = le.u16(at.checked_add(2)?)? as usize;
        let body = at + 4;
        let record = Record {
            typ,
            body: Le(stream.get(body..).unwrap_or(&[])),
            len,
            complete: body + len <= stream.len(),
        };
        at = body + len;
        Some(record)
    })
}

/// Where calamine puts the cells of one worksheet's records: value cells and formulas, each a
/// bounding box (calamine's dense ranges).
#[derive(Default)]
struct SheetCells {
    values: BoundingBox,
    formulas: BoundingBox,
    /// The last FORMULA's cell: calamine stores a STRING record's text there ((0, 0) before any).
    last_formula: (u64, u64),
}

impl SheetCells {
    /// Counts `r` if it is one of the cell records calamine reads.
    fn add(&mut self, r: &Record<'_>) {
        use record::*;
        let (row, col) = (r.body.u16_or0(0), r.body.u16_or0(2));
        match r.typ {
            NUMBER | LABEL | RSTRING | BOOLERR | RK | LABELSST => {
                self.values.add(row, col, row, col)
            }
            STRING => {
                let (row, col) = self.last_formula;
                self.values.add(row, col, row, col);
            }
            FORMULA => {
                self.values.add(row, col, row, col);
                self.formulas.add(row, col, row, col);
                self.last_formula = (row, col);
            }
            MULRK if r.len >= 6 => self.values.add(row, col, row, r.body.u16_or0(r.len - 2)),
            _ => {}
        }
    }

    /// Cells of both dense ranges.
    fn area(&self) -> u64 {
        self.values.area().saturating_add(self.formulas.area())
    }
}

fn xls_err(e: calamine::XlsError) -> OpenError {
    match e {
        calamine::XlsError::Password => OpenError::Encrypted,
        other => OpenError::Corrupt(format!("xls: {other}")),
    }
}

/// An `.xls` opened by calamine (which reads every sheet when it opens), after the checks, with
/// each sheet's formula cells (`formula_cells`, in calamine's sheet order).
pub(crate) struct XlsBook<'a> {
    xls: Xls<Cursor<&'a [u8]>>,
    formula_cells: Vec<HashMap<(u32, u32), String>>,
    /// Per sheet (in calamine's order) the rows with a height of their own.
    row_heights: Vec<Vec<(u32, f64)>>,
}

impl<'a> XlsBook<'a> {
    pub fn open(data: &'a [u8], options: XlsOptions) -> Result<XlsBook<'a>, OpenError> {
        cfb::check_chains(data)?;
        let stream = cfb::workbook_stream(data);
        if let Some(stream) = &stream {
            check_stream_area(stream)?;
        }
        let xls = Xls::new_with_options(Cursor::new(data), options).map_err(xls_err)?;
        let formula_cells = stream.as_deref().map(formula_cells).unwrap_or_default();
        let row_heights = stream.as_deref().map(row_heights).unwrap_or_default();
        Ok(XlsBook {
            xls,
            formula_cells,
            row_heights,
        })
    }

    /// The index of the sheet `name` in calamine's order (that of the BOUNDSHEET records).
    fn index(&self, name: &str) -> Option<usize> {
        self.xls
            .sheets_metadata()
            .iter()
            .position(|s| s.name == name)
    }
}

impl Book for XlsBook<'_> {
    fn sheets(&self) -> Vec<SheetInfo> {
        SheetInfo::list(self.xls.sheets_metadata())
    }

    fn cells(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), OpenError> {
        let range = self.xls.worksheet_range(name).map_err(xls_err)?;
        let formulas = self.xls.worksheet_formula(name).map_err(xls_err)?;
        let known = self.index(name).and_then(|i| self.formula_cells.get(i));
        fill_from_ranges(cells, &range, &formulas, known)
    }

    fn merges(&mut self, name: &str) -> Result<Option<Vec<Merge>>, OpenError> {
        let dims = self.xls.merge_cells_by_sheet_name(name).map_err(xls_err)?;
        Ok(Some(dims.iter().map(super::to_merge).collect()))
    }

    fn row_heights(&mut self, name: &str) -> Vec<(u32, f64)> {
        self.index(name)
            .and_then(|i| self.row_heights.get_mut(i))
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

/// GBK `.xls` written by old Chinese tools: a BIFF5 `Book` stream without a CodePage record.
/// calamine then decodes the 8-bit strings as Latin-1 (`泽州县` → `ÔóÖÝÏØ`); read it again as
/// code page 936 and keep that if it decodes cleanly.
pub(crate) fn read(data: &[u8]) -> Result<Workbook, OpenError> {
    let first = match XlsBook::open(data, XlsOptions::default()).and_then(|mut b| b.read()) {
        Ok(wb) => wb,
        // XOR-obfuscated files fail on a garbled code page before calamine sees FilePass.
        Err(OpenError::Corrupt(_)) if has_filepass_record(data) => {
            return Err(OpenError::Encrypted)
        }
        Err(e) => return Err(e),
    };
    if !(is_biff5_without_codepage(data) && has_latin1_high_chars(&first)) {
        return Ok(first);
    }
    let mut options = XlsOptions::default();
    options.force_codepage = Some(936);
    match XlsBook::open(data, options).and_then(|mut b| b.read()) {
        Ok(gbk) if !has_replacement_chars(&gbk) => Ok(gbk),
        _ => Ok(first),
    }
}

/// Estimates what calamine's dense xls ranges will cost (bounding box of the cells, of the
/// formulas, and the space the DIMENSIONS record asks to reserve, per worksheet) from the
/// workbook stream, and refuses a file over `MAX_DENSE_AREA` before calamine allocates it.
fn check_stream_area(stream: &[u8]) -> Result<(), OpenError> {
    if dimension_claim(stream) > MAX_DENSE_AREA {
        return Err(OpenError::TooLarge(format!(
            "the sheets span or claim more than {MAX_DENSE_AREA} cells"
        )));
    }
    let mut total: u64 = 0;
    let mut cells = SheetCells::default();
    let mut in_sheet = false;
    for r in records(stream, 0) {
        let rd = |at: usize| r.body.u16_or0(at);
        let rd32 = |at: usize| r.body.u32(at).map_or(0, u64::from);
        match r.typ {
            // FilePass: the rest is encrypted; calamine will say so.
            record::FILEPASS => return Ok(()),
            record::BOF => {
                in_sheet = rd(2) == u64::from(record::BOF_WORKSHEET);
                cells = SheetCells::default();
            }
            record::EOF if in_sheet => {
                total = total.saturating_add(cells.area());
                in_sheet = false;
            }
            record::DIMENSIONS if in_sheet => {
                let len = r.len;
                let (rows, cols) = match len {
                    10 => (rd(2).saturating_sub(rd(0)), rd(6)),
                    14 | 16 => (rd32(4).saturating_sub(rd32(0)), rd(10)),
                    _ => (0, 0),
                };
                let cols = cols.saturating_sub(rd(if len == 10 { 4 } else { 8 }));
                total = total.saturating_add(rows.saturating_mul(cols));
            }
            _ if in_sheet => cells.add(&r),
            _ => {}
        }
        if total > MAX_DENSE_AREA {
            return Err(OpenError::TooLarge(format!(
                "the sheets span more than {MAX_DENSE_AREA} cells"
            )));
        }
    }
    Ok(())
}

/// The stream positions of the sheets' substreams, from the BOUNDSHEET records of the globals
/// (the order calamine lists sheets in); `None` when the file is encrypted (FILEPASS).
fn sheet_positions(stream: &[u8]) -> Option<Vec<u32>> {
    let mut positions = Vec::new();
    for r in records(stream, 0).take_while(|r| r.complete) {
        match r.typ {
            record::BOUNDSHEET if r.len >= 4 => positions.extend(r.body.u32(0)),
            // FilePass: the rest is encrypted and calamine stops here.
            record::FILEPASS => return None,
            record::EOF => break,
            _ => {}
        }
    }
    Some(positions)
}

/// The records of the sheet substream at `pos` that calamine reads as the sheet's own: up to its
/// EOF, nested substreams (embedded charts) and their BOF/EOF left out, bodies held whole.
fn sheet_records(stream: &[u8], pos: usize) -> impl Iterator<Item = Record<'_>> {
    let (mut depth, mut seen_bof) = (0usize, false);
    records(stream, pos)
        .take_while(|r| r.complete)
        .scan((), move |_, r| match r.typ {
            record::BOF if seen_bof => {
                depth += 1;
                Some(None)
            }
            record::BOF => {
                seen_bof = true;
                Some(None)
            }
            record::EOF if depth == 0 => None,
            record::EOF => {
                depth -= 1;
                Some(None)
            }
            _ if depth == 0 => Some(Some(r)),
            _ => Some(None),
        })
        .flatten()
}

/// What calamine would allocate for the worksheets, in cells: per sheet the larger of what its
/// DIMENSIONS record asks to reserve (computed as calamine does, with u32 arithmetic that wraps
/// when the last row precedes the first) and the bounding box of its cell and formula records
/// (the dense range calamine builds), summed over the sheets. Sheets are found through the
/// BOUNDSHEET records of the globals, as calamine finds them. Fuzzer-made files asked for
/// petabytes (an abort) and for gigabytes this way.
fn dimension_claim(stream: &[u8]) -> u64 {
    let Some(positions) = sheet_positions(stream) else {
        return 0;
    };
    let mut worst = 0u64;
    let mut total = 0u64;
    for pos in positions {
        let mut cells = SheetCells::default();
        for r in sheet_records(stream, pos as usize) {
            let u16_at = |at: usize| r.body.u16(at).map_or(0, u32::from);
            match r.typ {
                record::DIMENSIONS => {
                    let (rf, rl, mut cf, cl) = match r.len {
                        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                        14 | 16 => (
                            r.body.u32(0).unwrap_or(0),
                            r.body.u32(4).unwrap_or(0),
                            u16_at(8),
                            u16_at(10),
                        ),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    let (end_r, end_c) = if rl >= 1 && cl >= 1 {
                        (rl - 1, cl - 1)
                    } else {
                        (rf, cf)
                    };
                    let rows = end_r.wrapping_sub(rf).wrapping_add(1) as u64;
                    let cols = end_c.wrapping_sub(cf).wrapping_add(1) as u64;
                    worst = worst.max(rows.saturating_mul(cols));
                }
                _ => cells.add(&r),
            }
        }
        total = total.saturating_add(cells.area());
    }
    worst.max(total)
}

/// Per sheet (in calamine's order) the cells of FORMULA records whose formula is only a pointer
/// into a shared formula, array or data table (first token PtgExp or PtgTbl, [MS-XLS] 2.5.198),
/// each with its formula's text where `read::shared` can rebuild it from the SHRFMLA record, else
/// empty. calamine 0.38 gives no text for those (LibreOffice writes `=H7-I7` filled down a column
/// as a SHRFMLA and such pointers) and so reads the cell as a typed value; the blank-row rule
/// (SPEC 3.1) needs to know it is a formula, and a marked-up copy writes the formula back.
fn formula_cells(stream: &[u8]) -> Vec<HashMap<(u32, u32), String>> {
    // FORMULA: row, col, ixfe, value (8), flags (2), chn (4), cce (2), then the tokens.
    const FIRST_TOKEN: usize = 22;
    const PTG_EXP: u8 = 0x01;
    const PTG_TBL: u8 = 0x02;
    let positions = sheet_positions(stream).unwrap_or_default();
    positions
        .into_iter()
        .map(|pos| {
            let mut shared: Vec<Shared> = Vec::new();
            // (cell, the first cell of the shared formula a PtgExp points to)
            type At = (u32, u32);
            let mut pointers: Vec<(At, Option<At>)> = Vec::new();
            for r in sheet_records(stream, pos as usize) {
                let body = r.body.0.get(..r.len).unwrap_or_default();
                let at = |i: usize| r.body.u16_or0(i) as u32;
                match (r.typ, body.get(FIRST_TOKEN)) {
                    (record::SHRFMLA, _) => shared.extend(Shared::parse(body)),
                    (record::FORMULA, Some(&PTG_EXP)) if r.len >= FIRST_TOKEN + 5 => {
                        pointers.push((
                            (at(0), at(2)),
                            Some((at(FIRST_TOKEN + 1), at(FIRST_TOKEN + 3))),
                        ))
                    }
                    (record::FORMULA, Some(&(PTG_EXP | PTG_TBL))) => {
                        pointers.push(((at(0), at(2)), None))
                    }
                    _ => {}
                }
            }
            pointers
                .into_iter()
                .map(|((row, col), base)| {
                    let of = base.and_then(|(br, bc)| {
                        let named = shared.iter().find(|s| s.starts_at(br, bc));
                        named.or_else(|| shared.iter().find(|s| s.covers(row, col)))
                    });
                    let text = of.and_then(|s| s.text_at(row, col)).unwrap_or_default();
                    ((row, col), text)
                })
                .collect()
        })
        .collect()
}

/// Per sheet (in calamine's order) the rows whose ROW record gives a height of their own.
fn row_heights(stream: &[u8]) -> Vec<Vec<(u32, f64)>> {
    let positions = sheet_positions(stream).unwrap_or_default();
    positions
        .into_iter()
        .map(|pos| {
            sheet_records(stream, pos as usize)
                .filter(|r| r.typ == record::ROW)
                .filter_map(|r| super::heights::xls_row(r.body.0.get(..r.len)?))
                .collect()
        })
        .collect()
}

/// Looks for a FilePass record among the first records after a workbook-globals BOF (BIFF5 or
/// BIFF8). Those records stay unencrypted in an encrypted file.
fn has_filepass_record(data: &[u8]) -> bool {
    const BOFS: [[u8; 8]; 2] = [
        [0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00],
        [0x09, 0x08, 0x08, 0x00, 0x00, 0x05, 0x05, 0x00],
    ];
    (0..data.len().saturating_sub(8))
        .filter(|&start| BOFS.iter().any(|b| data[start..].starts_with(b)))
        .any(|start| {
            records(data, start)
                .take(8)
                .any(|r| r.typ == record::FILEPASS)
        })
}

fn is_biff5_without_codepage(data: &[u8]) -> bool {
    let names = cfb::entry_names(data);
    let biff5 = names.iter().any(|n| n.eq_ignore_ascii_case("Book"))
        && !names.iter().any(|n| n.eq_ignore_ascii_case("Workbook"));
    // A CodePage record is type 0x0042 with length 2; absent bytes mean surely absent.
    let codepage = data.windows(4).any(|w| w == [0x42, 0x00, 0x02, 0x00]);
    biff5 && !codepage
}

fn workbook_texts(wb: &Workbook) -> impl Iterator<Item = &str> {
    wb.sheets.iter().flat_map(|s| {
        std::iter::once(s.name.as_str()).chain(s.iter().filter_map(|(_, c)| match &c.value {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        }))
    })
}

fn has_latin1_high_chars(wb: &Workbook) -> bool {
    workbook_texts(wb).any(|t| t.chars().any(|c| ('\u{80}'..='\u{ff}').contains(&c)))
}

fn has_replacement_chars(wb: &Workbook) -> bool {
    workbook_texts(wb).any(|t| t.contains('\u{fffd}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(body.len() as u16).to_le_bytes());
        out.extend_from_slice(body);
    }

    /// A BIFF8 workbook stream with one worksheet holding the records `sheet`.
    fn stream(sheet: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let bof = |dt: u16| [&0x0600u16.to_le_bytes()[..], &dt.to_le_bytes(), &[0; 12]].concat();
        let mut globals = Vec::new();
        push(&mut globals, record::BOF, &bof(0x0005));
        let boundsheet_at = globals.len();
        push(&mut globals, record::BOUNDSHEET, &[0; 8]);
        push(&mut globals, record::EOF, &[]);
        let pos = globals.len() as u32;
        globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&pos.to_le_bytes());
        push(&mut globals, record::BOF, &bof(record::BOF_WORKSHEET));
        for (typ, body) in sheet {
            push(&mut globals, *typ, body);
        }
        push(&mut globals, record::EOF, &[]);
        globals
    }

    fn formula(row: u16, col: u16) -> (u16, Vec<u8>) {
        let mut body = [&row.to_le_bytes()[..], &col.to_le_bytes()].concat();
        body.resize(22, 0);
        (record::FORMULA, body)
    }

    /// A formula's text result of 200 characters: its STRING record starts with the length
    /// (200) and the first character ('A', 0x41), which read as a position would be row 200,
    /// column 0x4100.
    fn string_result() -> (u16, Vec<u8>) {
        let mut body = [&200u16.to_le_bytes()[..], &[0]].concat();
        body.extend(std::iter::repeat_n(b'A', 200));
        (record::STRING, body)
    }

    /// Both scanners count a STRING record (0x0207) where calamine stores it: at the formula
    /// before it, not at a position read from its text (which made a sheet of one formula look
    /// like 196 × 16,640 cells, over the limit).
    #[test]
    fn a_formula_string_result_is_counted_at_its_formula() {
        let s = stream(&[formula(5, 1), string_result()]);
        assert_eq!(dimension_claim(&s), 2, "one value cell and one formula");
        assert!(check_stream_area(&s).is_ok());
        // Before any formula calamine puts it at A1.
        let s = stream(&[string_result(), formula(5, 1)]);
        assert_eq!(dimension_claim(&s), 6 * 2 + 1);
    }

    /// A FORMULA record whose formula points into a shared formula (PtgExp, then the shared
    /// formula's first cell, K7).
    fn shared_formula(row: u16, col: u16) -> (u16, Vec<u8>) {
        let (_, mut body) = formula(row, col);
        body[20..22].copy_from_slice(&5u16.to_le_bytes());
        body.push(0x01);
        body.extend_from_slice(&6u16.to_le_bytes());
        body.extend_from_slice(&10u16.to_le_bytes());
        (record::FORMULA, body)
    }

    /// The cell of a FORMULA record pointing into a shared formula (whose text calamine does
    /// not give) is a formula cell of its sheet; a formula with tokens of its own is left to
    /// calamine; records of a nested substream (an embedded chart) are not the sheet's.
    #[test]
    fn shared_formula_records_mark_their_cells() {
        let bof = [
            &0x0600u16.to_le_bytes()[..],
            &0x0020u16.to_le_bytes(),
            &[0; 12],
        ]
        .concat();
        let mut own = formula(5, 10);
        own.1[20..22].copy_from_slice(&3u16.to_le_bytes());
        own.1.extend_from_slice(&[0x1E, 7, 0]); // PtgInt 7: =7
                                                // The shared formula of K7:K8, =H7-I7 there: PtgRefN three and two columns left, PtgSub.
        let shrfmla = [
            &[6, 0, 7, 0, 10, 10, 0, 2][..],
            &11u16.to_le_bytes(),
            &[0x4C, 0, 0, 0xFD, 0xC0, 0x4C, 0, 0, 0xFE, 0xC0, 0x04],
        ]
        .concat();
        let s = stream(&[
            own,
            shared_formula(6, 10),
            (record::SHRFMLA, shrfmla),
            (record::BOF, bof),
            shared_formula(40, 40),
            (record::EOF, Vec::new()),
            shared_formula(7, 10),
        ]);
        let cells = formula_cells(&s);
        assert_eq!(cells.len(), 1);
        // Each cell's text, its references moved with it.
        let texts = |r: u32| ((r - 1, 10), format!("H{r}-I{r}"));
        assert_eq!(cells[0], HashMap::from([texts(7), texts(8)]));
    }

    #[test]
    fn cell_records_grow_the_claim_and_the_limit_holds() {
        let number = |row: u16, col: u16| {
            let mut body = [&row.to_le_bytes()[..], &col.to_le_bytes()].concat();
            body.resize(14, 0);
            (record::NUMBER, body)
        };
        let s = stream(&[number(0, 0), number(9, 3)]);
        assert_eq!(dimension_claim(&s), 40);
        let s = stream(&[number(0, 0), number(60_000, 200)]);
        assert!(dimension_claim(&s) > MAX_DENSE_AREA);
        assert!(matches!(check_stream_area(&s), Err(OpenError::TooLarge(_))));
    }
}
