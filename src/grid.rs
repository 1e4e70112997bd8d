//! pgcheck's own model of a spreadsheet: sparse cells at absolute positions (row 0 = Excel row 1),
//! merged regions, and formulas whose cached value is missing. The `read` module fills it from
//! calamine; everything else reads only this.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::NaiveDateTime;

/// A cell position, 0-based (`CellRef { row: 0, col: 0 }` is `A1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        CellRef { row, col }
    }

    /// The column letters as Excel shows them (`0` → `A`, `26` → `AA`).
    pub fn col_name(col: u32) -> String {
        let mut out = Vec::new();
        CellRef::push_col_name(col, &mut out);
        String::from_utf8(out).expect("ASCII letters")
    }

    /// Appends the letters of column `col` (0-based) to `out`, without allocating: for sheet
    /// XML written cell by cell.
    pub fn push_col_name(col: u32, out: &mut Vec<u8>) {
        let mut n = u64::from(col) + 1;
        // u32::MAX + 1 columns need seven letters (26^7 > 2^32).
        let mut letters = [0u8; 7];
        let mut i = letters.len();
        while n > 0 {
            i -= 1;
            letters[i] = b'A' + ((n - 1) % 26) as u8;
            n = (n - 1) / 26;
        }
        out.extend_from_slice(&letters[i..]);
    }

    /// Parses `H7` / `AB12` (case-insensitive); `None` for anything else.
    pub fn parse(s: &str) -> Option<CellRef> {
        let s = s.trim();
        let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
        let digits = &s[letters..];
        if letters == 0 || letters > 3 || digits.is_empty() {
            return None;
        }
        let mut col: u64 = 0;
        for c in s[..letters].bytes() {
            col = col * 26 + (c.to_ascii_uppercase() - b'A' + 1) as u64;
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // A row beyond u32 (a damaged or hostile file) is no cell, not a row wrapped around.
        let row = u32::try_from(digits.parse::<u64>().ok()?.checked_sub(1)?).ok()?;
        Some(CellRef::new(row, (col - 1) as u32))
    }

    /// 1-based row as Excel shows it.
    pub fn excel_row(&self) -> u32 {
        self.row + 1
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", CellRef::col_name(self.col), self.row + 1)
    }
}

/// A rectangle of merged cells, inclusive, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first: CellRef,
    pub last: CellRef,
}

impl Merge {
    pub fn contains(&self, r: u32, c: u32) -> bool {
        r >= self.first.row && r <= self.last.row && c >= self.first.col && c <= self.last.col
    }
}

/// A cell value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// Any numeric cell (xlsx floats and xls integers alike).
    Number(f64),
    Bool(bool),
    /// A date-formatted numeric cell or an ODS date, already converted.
    Date(NaiveDateTime),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl Value {
    /// The value of a date-formatted cell (an Excel serial, or an ODS date). A serial from 1 up to
    /// 3000 (1900-01-01 .. 1908-03-18) is a number the clerk typed into a cell the template
    /// formatted as a date, not a date: typed into a `yyyy-mm` cell, `2024.10` is stored as the
    /// serial 2024.1 and shown as 1905-07 (SPEC 6). No date of those years belongs in these
    /// reports, so such a cell is read as the number typed.
    pub fn from_date_cell(dt: NaiveDateTime) -> Value {
        let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a valid date");
        let serial = (dt - epoch).num_milliseconds() as f64 / 86_400_000.0;
        if (1.0..3000.0).contains(&serial) {
            Value::Number(serial)
        } else {
            Value::Date(dt)
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a person would read it in the cell (for messages).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(n) => format_number(*n),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.format("%Y-%m-%d").to_string()
                } else {
                    d.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Value::Error(e) => e.clone(),
        }
    }
}

/// Formats a number without a trailing `.0` and without binary noise (`0.1 + 0.2` prints `0.3`).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        let s = format!("{:.10}", n);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One cell: its value, and whether it is a formula whose cached value is missing (S05).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    /// The formula text (without `=`) when the cell holds a formula; empty when the file holds
    /// a formula whose text was not read (an `.xls` shared formula `read::shared` could not
    /// rebuild: `formula_text` is `None`).
    pub formula: Option<String>,
}

impl Cell {
    pub fn value(value: Value) -> Self {
        Cell {
            value,
            formula: None,
        }
    }

    /// The formula text, where the reader could spell it out.
    pub fn formula_text(&self) -> Option<&str> {
        self.formula.as_deref().filter(|f| !f.is_empty())
    }

    /// A formula whose cached result is missing: readers that do not recalculate see nothing.
    pub fn formula_without_value(&self) -> bool {
        self.formula.is_some() && matches!(self.value, Value::Empty)
    }
}

/// Hashes `CellRef` keys (two `u32`s) by multiply-rotate, FxHash's scheme: several times faster
/// than the default SipHash on the merge lookups every cell read makes. The keys come from
/// merged regions, whose number is capped, so no defence against flooding is needed.
#[derive(Default)]
struct CellHasher(u64);

impl CellHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for CellHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type CellMap<V> = HashMap<CellRef, V, std::hash::BuildHasherDefault<CellHasher>>;

/// One worksheet, sparse.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Stored cells in row-major order, one per position (see `set` and `seal`).
    cells: Vec<(CellRef, Cell)>,
    /// False after an out-of-order `set` until `seal` sorts again.
    unsorted: bool,
    merges: Vec<Merge>,
    /// Covered cell → index into `merges`, for merges of modest area (lookups stay O(1)).
    merge_index: CellMap<usize>,
    /// Merges too large to index cell by cell, scanned linearly (few in any real file).
    big_merges: Vec<usize>,
    /// First and last row covered by any merge: most lookups (data rows under a merged header)
    /// fall outside and skip the index.
    merge_rows: Option<(u32, u32)>,
    /// True when merged regions could not be read for this format (they are then not filled).
    pub merges_unknown: bool,
    /// Rows the file gives a height of their own (set by hand, shown), in points.
    pub row_heights: BTreeMap<u32, f64>,
}

/// Below this many cells an out-of-order `set` inserts in place (see `Sheet::set`).
const SMALL_SHEET: usize = 4096;
/// Cells indexed per sheet before further merges go to the linear list.
const MERGE_INDEX_CAP: u64 = 2_000_000;
/// Merges above this area are never indexed cell by cell.
const BIG_MERGE_AREA: u64 = 10_000;
/// Large merges kept; a file with more is hostile, and the rest are ignored.
const BIG_MERGE_CAP: usize = 1_000;

static EMPTY: Value = Value::Empty;

impl Sheet {
    pub fn new(name: impl Into<String>) -> Self {
        Sheet {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Stores a cell (a later cell at the same position wins). Readers deliver cells in row-major
    /// order, which costs a push. Out of that order, a small sheet inserts in place; a large one
    /// appends and must be `seal`ed before it is read (the workbook readers do), so no order of
    /// input can make storing quadratic.
    pub fn set(&mut self, at: CellRef, cell: Cell) {
        if self.unsorted || self.cells.last().is_none_or(|(last, _)| *last < at) {
            self.cells.push((at, cell));
            return;
        }
        if self.cells.len() < SMALL_SHEET {
            // Small (hand-built) sheets stay sorted as they go.
            match self.cells.binary_search_by_key(&at, |(a, _)| *a) {
                Ok(i) => self.cells[i].1 = cell,
                Err(i) => self.cells.insert(i, (at, cell)),
            }
            return;
        }
        self.unsorted = true;
        self.cells.push((at, cell));
    }

    /// Room for `n` more cells (a reader that knows about how many are coming).
    pub fn reserve(&mut self, n: usize) {
        self.cells.reserve(n);
    }

    pub fn set_value(&mut self, row: u32, col: u32, value: Value) {
        self.set(CellRef::new(row, col), Cell::value(value));
    }

    /// Restores row-major order after out-of-order `set`s; a no-op otherwise.
    pub fn seal(&mut self) {
        if !self.unsorted {
            return;
        }
        // Stable: among equal positions the last stored comes last, and is the one kept.
        self.cells.sort_by_key(|(at, _)| *at);
        let mut kept: Vec<(CellRef, Cell)> = Vec::with_capacity(self.cells.len());
        for (at, cell) in self.cells.drain(..) {
            match kept.last_mut() {
                Some(last) if last.0 == at => *last = (at, cell),
                _ => kept.push((at, cell)),
            }
        }
        self.cells = kept;
        self.unsorted = false;
    }

    fn lookup(&self, at: CellRef) -> Option<&Cell> {
        debug_assert!(!self.unsorted, "sheet {} read before seal()", self.name);
        self.cells
            .binary_search_by_key(&at, |(a, _)| *a)
            .ok()
            .map(|i| &self.cells[i].1)
    }

    /// Records a merged region (one-cell and inverted regions are ignored).
    pub fn add_merge(&mut self, m: Merge) {
        if m.last.row < m.first.row || m.last.col < m.first.col || m.first == m.last {
            return;
        }
        let area = (m.last.row - m.first.row + 1) as u64 * (m.last.col - m.first.col + 1) as u64;
        let idx = self.merges.len();
        if area <= BIG_MERGE_AREA && self.merge_index.len() as u64 + area <= MERGE_INDEX_CAP {
            for r in m.first.row..=m.last.row {
                for c in m.first.col..=m.last.col {
                    self.merge_index.insert(CellRef::new(r, c), idx);
                }
            }
        } else if self.big_merges.len() < BIG_MERGE_CAP {
            self.big_merges.push(idx);
        } else {
            self.merges_unknown = true;
            return;
        }
        self.merge_rows = Some(match self.merge_rows {
            None => (m.first.row, m.last.row),
            Some((a, b)) => (a.min(m.first.row), b.max(m.last.row)),
        });
        self.merges.push(m);
    }

    pub fn merges(&self) -> &[Merge] {
        &self.merges
    }

    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// The merged region that covers (r, c), if any.
    pub fn merge_at(&self, r: u32, c: u32) -> Option<&Merge> {
        match self.merge_rows {
            Some((a, b)) if r >= a && r <= b => {}
            _ => return None,
        }
        if let Some(&i) = self.merge_index.get(&CellRef::new(r, c)) {
            return Some(&self.merges[i]);
        }
        self.big_merges
            .iter()
            .map(|&i| &self.merges[i])
            .find(|m| m.contains(r, c))
    }

    /// The cell as stored (no merge filling).
    pub fn raw(&self, r: u32, c: u32) -> Option<&Cell> {
        self.lookup(CellRef::new(r, c))
    }

    /// The cell as a reader sees it: a cell inside a merged region reads the region's top-left.
    pub fn cell(&self, r: u32, c: u32) -> Option<&Cell> {
        if let Some(m) = self.merge_at(r, c) {
            return self.lookup(m.first);
        }
        self.lookup(CellRef::new(r, c))
    }

    /// The value as a reader sees it (merged regions filled).
    pub fn get(&self, r: u32, c: u32) -> &Value {
        self.cell(r, c).map(|c| &c.value).unwrap_or(&EMPTY)
    }

    /// Last used row and column (0-based), or `None` for an empty sheet.
    pub fn extent(&self) -> Option<(u32, u32)> {
        let mut max_r = None::<u32>;
        let mut max_c = 0u32;
        for (at, cell) in self.iter() {
            if matches!(cell.value, Value::Empty) && cell.formula.is_none() {
                continue;
            }
            max_r = Some(max_r.map_or(at.row, |r| r.max(at.row)));
            max_c = max_c.max(at.col);
        }
        max_r.map(|r| (r, max_c))
    }

    /// All stored cells in row-major order.
    pub fn iter(&self) -> impl Iterator<Item = (&CellRef, &Cell)> {
        debug_assert!(!self.unsorted, "sheet {} read before seal()", self.name);
        self.cells.iter().map(|(at, cell)| (at, cell))
    }

    /// The stored cells of row `r`, for looking up several columns of one row.
    pub fn row(&self, r: u32) -> RowCells<'_> {
        debug_assert!(!self.unsorted, "sheet {} read before seal()", self.name);
        let from = self.cells.partition_point(|(at, _)| at.row < r);
        let to = self.cells.partition_point(|(at, _)| at.row <= r);
        RowCells(&self.cells[from..to])
    }

    /// The rows from `first` on that hold a stored cell, in order, each with its cells: one walk
    /// over the sheet instead of a search per row.
    pub fn rows_from(&self, first: u32) -> impl Iterator<Item = (u32, RowCells<'_>)> {
        debug_assert!(!self.unsorted, "sheet {} read before seal()", self.name);
        let from = self.cells.partition_point(|(at, _)| at.row < first);
        self.cells[from..]
            .chunk_by(|a, b| a.0.row == b.0.row)
            .map(|row| (row[0].0.row, RowCells(row)))
    }

    /// The stored cells of one row, in column order.
    pub fn row_cells(&self, r: u32) -> impl Iterator<Item = (&CellRef, &Cell)> {
        debug_assert!(!self.unsorted, "sheet {} read before seal()", self.name);
        let from = self.cells.partition_point(|(at, _)| at.row < r);
        let to = self.cells.partition_point(|(at, _)| at.row <= r);
        self.cells[from..to].iter().map(|(at, cell)| (at, cell))
    }
}

/// The stored cells of one row (`Sheet::row`), in column order.
pub struct RowCells<'a>(&'a [(CellRef, Cell)]);

impl<'a> RowCells<'a> {
    /// The cell as stored in column `c` (no merge filling).
    pub fn raw(&self, c: u32) -> Option<&'a Cell> {
        self.0
            .binary_search_by_key(&c, |(at, _)| at.col)
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// The stored cells of the row, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a CellRef, &'a Cell)> + Clone {
        self.0.iter().map(|(at, cell)| (at, cell))
    }
}

/// A workbook read from one file.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_into_date_cells_stay_numbers() {
        let at = |y, m, d, secs| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + chrono::Duration::seconds(secs)
        };
        // 2024.10 typed into a `yyyy-mm` cell: the serial 2024.1 = 1905-07-16 02:24.
        let Value::Number(n) = Value::from_date_cell(at(1905, 7, 16, 8640)) else {
            panic!("not a number")
        };
        assert!((n - 2024.1).abs() < 1e-9, "{n}");
        assert_eq!(
            Value::from_date_cell(at(1905, 7, 16, 8640)).display(),
            "2024.1"
        );
        // 2025.06 → serial 2025.06 (0.06 day = 5184 s); 2016 → 1905-07-08.
        assert_eq!(
            Value::from_date_cell(at(1905, 7, 17, 5184)).display(),
            "2025.06"
        );
        assert_eq!(
            Value::from_date_cell(at(1905, 7, 8, 0)),
            Value::Number(2016.0)
        );
        // Real dates stay dates, also the earliest of the campaign's years.
        let real = at(2016, 10, 1, 0);
        assert_eq!(Value::from_date_cell(real), Value::Date(real));
        let early = at(1950, 1, 1, 0);
        assert_eq!(Value::from_date_cell(early), Value::Date(early));
    }

    #[test]
    fn cell_names_round_trip() {
        for (s, r, c) in [
            ("A1", 0, 0),
            ("H7", 6, 7),
            ("Z1", 0, 25),
            ("AA1", 0, 26),
            ("AJ12", 11, 35),
        ] {
            assert_eq!(CellRef::new(r, c).to_string(), s);
            assert_eq!(CellRef::parse(s), Some(CellRef::new(r, c)));
        }
        assert_eq!(CellRef::parse("7H"), None);
        // Rows that do not fit are no cell (A4294967297 once read as A1), as are signs and 0.
        assert_eq!(
            CellRef::parse("A4294967296"),
            Some(CellRef::new(u32::MAX, 0))
        );
        assert_eq!(CellRef::parse("A4294967297"), None);
        assert_eq!(CellRef::parse("A99999999999999999999999"), None);
        assert_eq!(CellRef::parse("A+5"), None);
        assert_eq!(CellRef::parse("A0"), None);
    }

    #[test]
    fn merged_cells_read_their_top_left() {
        let mut s = Sheet::new("x");
        s.set_value(6, 1, Value::Text("泽州县".into()));
        s.add_merge(Merge {
            first: CellRef::new(6, 1),
            last: CellRef::new(9, 1),
        });
        assert_eq!(s.get(8, 1), &Value::Text("泽州县".into()));
        assert_eq!(s.get(10, 1), &Value::Empty);
    }

    #[test]
    fn large_and_many_merges_stay_cheap() {
        let mut s = Sheet::new("x");
        s.set_value(0, 0, Value::Text("top".into()));
        // A whole-column merge is kept without indexing a million cells.
        s.add_merge(Merge {
            first: CellRef::new(0, 0),
            last: CellRef::new(1_048_575, 0),
        });
        for r in 0..50_000 {
            s.add_merge(Merge {
                first: CellRef::new(r, 2),
                last: CellRef::new(r, 3),
            });
        }
        assert_eq!(s.get(1_000_000, 0), &Value::Text("top".into()));
        assert_eq!(
            s.merge_at(49_999, 3).map(|m| m.first),
            Some(CellRef::new(49_999, 2))
        );
        assert!(s.merge_at(60_000, 3).is_none());
    }

    #[test]
    fn cells_stored_out_of_order_read_in_order_and_the_last_wins() {
        let text = |s: &str| Cell::value(Value::Text(s.into()));
        // Small: sorted as it goes.
        let mut s = Sheet::new("x");
        s.set(CellRef::new(2, 0), text("c"));
        s.set(CellRef::new(0, 1), text("a"));
        s.set(CellRef::new(2, 0), text("c2"));
        s.set(CellRef::new(1, 0), text("b"));
        let order: Vec<String> = s.iter().map(|(at, _)| at.to_string()).collect();
        assert_eq!(order, ["B1", "A2", "A3"]);
        assert_eq!(s.get(2, 0), &Value::Text("c2".into()));
        assert_eq!(s.row_cells(2).count(), 1);
        // Large, in reverse order (a hostile file): appended, then sorted once by seal().
        let mut s = Sheet::new("y");
        let n = 3 * SMALL_SHEET as u32;
        for r in (0..n).rev() {
            s.set_value(r, 0, Value::Number(r as f64));
        }
        s.set_value(7, 0, Value::Number(-1.0));
        s.seal();
        assert_eq!(s.cell_count(), n as usize);
        assert_eq!(s.get(7, 0), &Value::Number(-1.0));
        assert_eq!(s.get(n - 1, 0), &Value::Number((n - 1) as f64));
        assert!(s.iter().map(|(at, _)| *at).collect::<Vec<_>>().is_sorted());
        assert_eq!(
            s.row_cells(5).map(|(at, _)| at.row).collect::<Vec<_>>(),
            [5]
        );
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(2024.1), "2024.1");
    }
}
