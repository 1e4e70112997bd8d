//! The cells of one worksheet's XML, read as calamine's `next_cell_with_formula` yields them
//! (same positions, values and formula texts, shared formulas expanded the same way), for the
//! direct xlsx reader. Only plain SpreadsheetML is read: inside `<sheetData>` the elements
//! `row`, `c`, `v`, `f`, `is` (and the runs of `is`), unprefixed; anything else declines.

use calamine::{DataRef, ExcelDateTime, ExcelDateTimeType};

use super::cells::map_ref;
use super::sst::{item, unescape_excel, SharedStrings};
use super::styles::CellFormat;
use super::tokens::{same, text, Decline, Mark, Scan, Scanner, Token, Tokens};
use super::{Cells, OpenError};

/// What the cells of every sheet of a workbook are read against.
pub(crate) struct BookContext<'b> {
    pub strings: &'b SharedStrings,
    pub formats: &'b [CellFormat],
    pub is_1904: bool,
}

/// Shared formula groups kept per sheet at most (their index `si` must stay below it).
const MAX_SHARED_FORMULAS: usize = 1 << 20;

/// A sheet's cells: either stored, or why the direct reader declined.
pub(crate) enum Failure {
    Decline(Decline),
    Open(OpenError),
}

impl From<Decline> for Failure {
    fn from(d: Decline) -> Failure {
        Failure::Decline(d)
    }
}

impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Failure {
        Failure::Open(e)
    }
}

/// The declared dimension of the sheet, the number of cells it spans (0 when none).
pub(crate) fn declared_cells(dims: Option<((u32, u32), (u32, u32))>) -> u64 {
    dims.map_or(0, |(a, b)| {
        u64::from(b.0 - a.0 + 1).saturating_mul(u64::from(b.1 - a.1 + 1))
    })
}

/// Reads the worksheet `xml` into `cells`; `reserve` is told the declared dimension first.
/// Where the sheet data ends: only `<mergeCells>` and other sheet settings follow.
pub(crate) fn read(
    xml: &str,
    book: &BookContext<'_>,
    cells: &mut Cells<'_>,
    reserve: impl FnOnce(&mut Cells<'_>, Option<((u32, u32), (u32, u32))>),
) -> Result<usize, Failure> {
    let mut t = Tokens::new(xml)?;
    // Up to <sheetData>, as calamine's `XlsxCellReader::new`: a <dimension> must parse.
    let mut dims = None;
    loop {
        match t.next()? {
            Some(Token::Start(e)) => match e.local() {
                "dimension" => {
                    let r = e.attr("ref")?.ok_or(Decline("a dimension without ref"))?;
                    dims = Some(dimension(r)?);
                }
                "sheetData" if e.name == "sheetData" => break,
                // The schema puts the merged regions after the cells, where they are looked for.
                "mergeCells" => return Err(Decline("<mergeCells> before the cells").into()),
                "sheetData" => return Err(Decline("a prefixed <sheetData>").into()),
                _ => {}
            },
            Some(_) => {}
            None => return Err(Decline("no <sheetData>").into()),
        }
    }
    reserve(cells, dims);
    if t.at_empty() {
        return Ok(t.pos());
    }
    let mut sheet = SheetCells {
        at: Scanner { xml, pos: t.pos() },
        has_refs: t.has_refs(),
        book,
        shared: Vec::new(),
        row: 0,
        col: 0,
    };
    sheet.read(cells)
}

/// The reading position inside `<sheetData>`.
struct SheetCells<'x, 'b> {
    at: Scanner<'x>,
    /// Whether the sheet's XML holds an `&` anywhere (`Tokens::has_refs`).
    has_refs: bool,
    book: &'b BookContext<'b>,
    /// Shared formula groups by `si`: the anchor's formula and the first cell of its range.
    shared: Vec<Option<(String, (u32, u32))>>,
    /// Where a cell without `r` goes: the current row, the column after the last cell.
    row: u32,
    col: u32,
}

impl<'x, 'b> SheetCells<'x, 'b> {
    /// The rows and their cells, to `</sheetData>` (calamine's
    /// `next_cell_formula_record_impl`, called until the end).
    fn read(&mut self, cells: &mut Cells<'_>) -> Result<usize, Failure> {
        let mut in_row = false;
        loop {
            match self.at.tag()? {
                Mark::Start(n) if same(n, "row") && !in_row => {
                    let (empty, [r]) = self.at.get(["r"])?;
                    if let Some(r) = r {
                        self.row = row_number(r)?;
                    }
                    in_row = !empty;
                    if empty {
                        self.next_row()?;
                    }
                }
                Mark::End(n) if same(n, "row") && in_row => {
                    self.next_row()?;
                    in_row = false;
                }
                Mark::Start(n) if same(n, "c") && in_row => self.cell(cells)?,
                Mark::End(n) if same(n, "sheetData") && !in_row => return Ok(self.at.pos),
                _ => return Err(Decline("unusual content in <sheetData>").into()),
            }
        }
    }

    /// After a row's end: cells without `r` go to the next row, from column A.
    fn next_row(&mut self) -> Scan<()> {
        self.row = self.row.checked_add(1).ok_or(Decline("row overflow"))?;
        self.col = 0;
        Ok(())
    }

    /// One `<c>`, whose name was just read.
    fn cell(&mut self, cells: &mut Cells<'_>) -> Result<(), Failure> {
        let (empty, [r, style, typ]) = self.at.get(["r", "s", "t"])?;
        let pos = match r {
            Some(r) => {
                let (row, col) = cell_ref(r)?;
                self.col = col;
                (row, col)
            }
            None => (self.row, self.col),
        };
        let mut value = DataRef::Empty;
        let mut formula = None;
        if !empty {
            self.children(pos, style, typ, &mut value, &mut formula)?;
        }
        self.col = self.col.checked_add(1).ok_or(Decline("column overflow"))?;
        cells.store(pos, map_ref(value), formula)?;
        Ok(())
    }

    /// The children of the `<c>` at `pos` (of style `style` and type `typ`) up to its end tag:
    /// the value of a `<v>` or `<is>`, the text of an `<f>` (the last of each wins, as in
    /// calamine).
    fn children(
        &mut self,
        pos: (u32, u32),
        style: Option<&str>,
        typ: Option<&str>,
        value: &mut DataRef<'b>,
        formula: &mut Option<String>,
    ) -> Result<(), Failure> {
        loop {
            match self.at.tag()? {
                Mark::End(n) if same(n, "c") => return Ok(()),
                Mark::Start(n) => match n.as_bytes() {
                    b"v" => {
                        let raw = self.leaf("v")?;
                        *value = self.value(raw, style, typ)?;
                    }
                    b"f" => {
                        let (empty, [t, si, range]) = self.at.get(["t", "si", "ref"])?;
                        let raw = if empty { "" } else { self.at.leaf("f")? };
                        *formula = self.formula(raw, t, si, range, pos)?;
                    }
                    b"is" => {
                        let mut s = String::new();
                        if !self.at.get([])?.0 {
                            let mut t =
                                Tokens::within(self.at.xml, self.at.pos, "is", self.has_refs);
                            item(&mut t, "is", &mut s)?;
                            // Any element may sit in a string item: not a <mergeCells> (see
                            // `read`).
                            let inside = &self.at.xml.as_bytes()[self.at.pos..t.pos()];
                            if memchr::memmem::find(inside, b"mergeCells").is_some() {
                                return Err(Decline("<mergeCells> in a string").into());
                            }
                            self.at.pos = t.pos();
                        }
                        *value = DataRef::String(s);
                    }
                    _ => return Err(Decline("unusual content in a cell").into()),
                },
                Mark::End(_) => return Err(Decline("unusual content in a cell").into()),
            }
        }
    }

    /// The text of the leaf `name` whose name was just read (its attributes are not read).
    fn leaf(&mut self, name: &str) -> Scan<&'x str> {
        match self.at.get([])?.0 {
            true => Ok(""),
            false => self.at.leaf(name),
        }
    }

    /// The value of a `<v>` whose text is `raw` (calamine's `read_value` and `read_v`).
    fn value(&self, raw: &str, style: Option<&str>, typ: Option<&str>) -> Scan<DataRef<'b>> {
        match typ {
            // The value of an inline string is its <is>.
            Some("inlineStr" | "is") => Ok(DataRef::Empty),
            // Plain ASCII by calamine's reckoning: the raw text, no reference resolved.
            Some("n" | "s" | "b" | "e") | None => {
                if raw.contains('&') {
                    return Err(Decline("a reference in a plain value"));
                }
                self.plain(raw, style, typ)
            }
            Some("str") => Ok(DataRef::String(unescape_excel(&text(raw)?).into_owned())),
            Some("d") => Ok(DataRef::DateTimeIso(text(raw)?.into_owned())),
            Some(_) => Err(Decline("an unknown cell type")),
        }
    }

    /// A value of type `n`, `s`, `b` or `e` (or none).
    fn plain(&self, v: &str, style: Option<&str>, typ: Option<&str>) -> Scan<DataRef<'b>> {
        let book: &'b BookContext<'b> = self.book;
        match typ {
            Some("s") => {
                if v.is_empty() {
                    return Ok(DataRef::Empty);
                }
                let s = book
                    .strings
                    .get(digits(v)?)
                    .ok_or(Decline("a shared string that does not exist"))?;
                Ok(DataRef::SharedString(s))
            }
            Some("b") => match v.trim() {
                "" => Ok(DataRef::Empty),
                "0" => Ok(DataRef::Bool(false)),
                "1" => Ok(DataRef::Bool(true)),
                b if b.eq_ignore_ascii_case("false") => Ok(DataRef::Bool(false)),
                b if b.eq_ignore_ascii_case("true") => Ok(DataRef::Bool(true)),
                _ => Err(Decline("a boolean that is neither")),
            },
            Some("e") => v
                .parse::<calamine::CellErrorType>()
                .map(DataRef::Error)
                .map_err(|_| Decline("an unknown error value")),
            _ => {
                if v.is_empty() {
                    return Ok(DataRef::Empty);
                }
                let n = number(v)?;
                let format = match style {
                    // calamine reads a style it cannot parse as 0.
                    Some("") => book.formats.first().copied(),
                    Some(s) => book.formats.get(digits(s)?).copied(),
                    None => Some(CellFormat::Other),
                };
                let kind = match format {
                    Some(CellFormat::DateTime) => ExcelDateTimeType::DateTime,
                    Some(CellFormat::TimeDelta) => ExcelDateTimeType::TimeDelta,
                    _ => return Ok(DataRef::Float(n)),
                };
                Ok(DataRef::DateTime(ExcelDateTime::new(n, kind, book.is_1904)))
            }
        }
    }

    /// The formula of an `<f>` whose text is `raw` and attributes `typ`, `si`, `range`, in the
    /// cell at `pos` (calamine's `read_formula_record`, with shared formulas expanded for the
    /// cells after their anchor).
    fn formula(
        &mut self,
        raw: &str,
        typ: Option<&str>,
        si: Option<&str>,
        range: Option<&str>,
        pos: (u32, u32),
    ) -> Scan<Option<String>> {
        let body = text(raw)?.into_owned();
        if typ != Some("shared") {
            return Ok(Some(body));
        }
        let si = digits(si.ok_or(Decline("a shared formula without si"))?)?;
        if si >= MAX_SHARED_FORMULAS {
            return Err(Decline("too many shared formulas"));
        }
        match range {
            Some(range) => {
                let start = dimension(range)?.0;
                if self.shared.len() <= si {
                    self.shared.resize(si + 1, None);
                }
                self.shared[si] = Some((body.clone(), start));
                Ok(Some(body))
            }
            None => match self.shared.get(si).and_then(Option::as_ref) {
                Some((template, start)) => calamine::expand_shared_formula(template, *start, pos)
                    .map(Some)
                    .map_err(|_| Decline("a shared formula that does not expand")),
                None => Ok(None),
            },
        }
    }
}

/// A non-negative integer of plain digits (an index or a style), as `atoi_simd` reads it.
fn digits(s: &str) -> Scan<usize> {
    if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Decline("not a plain number"));
    }
    s.parse().map_err(|_| Decline("not a plain number"))
}

/// A number as Excel writes it (`-12`, `3.5`, `1.2E-3`); both calamine's parser and Rust's are
/// correctly rounded, so they agree on it. Anything else declines.
fn number(s: &str) -> Scan<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut ok = i > int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        ok &= i > exp_start;
    }
    ok &= i == b.len();
    match ok {
        true => s.parse().map_err(|_| Decline("not a number")),
        false => Err(Decline("not a plain number")),
    }
}

/// Column letters (1–3, either case) and row digits (1–7) of a reference, 0-based, as
/// calamine's `get_row_and_optional_column`; the column is `None` when there are no letters.
fn parse_ref(s: &str) -> Scan<(u32, Option<u32>)> {
    const BAD: Decline = Decline("an unusual cell reference");
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let digits = &b[letters..];
    if letters > 3
        || digits.is_empty()
        || digits.len() > 7
        || !digits.iter().all(u8::is_ascii_digit)
    {
        return Err(BAD);
    }
    let col = b[..letters].iter().fold(0u32, |n, c| {
        n * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits
        .iter()
        .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    Ok((row.checked_sub(1).ok_or(BAD)?, col.checked_sub(1)))
}

/// A cell reference (`B5`): row and column, 0-based.
fn cell_ref(s: &str) -> Scan<(u32, u32)> {
    match parse_ref(s)? {
        (row, Some(col)) => Ok((row, col)),
        _ => Err(Decline("a reference without a column")),
    }
}

/// A row's `r` (`5`, or a reference whose column is ignored), 0-based.
fn row_number(s: &str) -> Scan<u32> {
    Ok(parse_ref(s)?.0)
}

/// A range (`A1:C3`, or one cell) as its first and last cell; an inverted one declines.
fn dimension(s: &str) -> Scan<((u32, u32), (u32, u32))> {
    let mut parts = s.split(':');
    let first = cell_ref(parts.next().unwrap_or(""))?;
    let last = match parts.next() {
        Some(p) => cell_ref(p)?,
        None => first,
    };
    if parts.next().is_some() || last.0 < first.0 || last.1 < first.1 {
        return Err(Decline("an unusual range"));
    }
    Ok((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_as_calamine_parses_them() {
        assert_eq!(cell_ref("A1"), Ok((0, 0)));
        assert_eq!(cell_ref("xfd1048576"), Ok((1_048_575, 16_383)));
        assert_eq!(row_number("7"), Ok(6));
        assert_eq!(row_number("C7"), Ok(6));
        for bad in ["", "A", "1", "A0", "$A$1", "A1B", "AAAA1", "A12345678"] {
            assert!(cell_ref(bad).is_err(), "{bad}");
        }
        assert_eq!(dimension("B2:D9"), Ok(((1, 1), (8, 3))));
        assert!(dimension("D9:B2").is_err());
        assert!(dimension("A1:B2:C3").is_err());
    }

    #[test]
    fn numbers_are_plain_decimals() {
        for (s, n) in [
            ("12", 12.0),
            ("-0.5", -0.5),
            ("1.", 1.0),
            ("1E3", 1000.0),
            ("2.5e-1", 0.25),
        ] {
            assert_eq!(number(s), Ok(n), "{s}");
        }
        for bad in [
            "", "-", ".5", " 1", "1 ", "+1", "1e", "inf", "NaN", "0x10", "1,5",
        ] {
            assert!(number(bad).is_err(), "{bad}");
        }
        assert_eq!(digits("007"), Ok(7));
        assert!(digits("-1").is_err());
    }
}
