//! Rows of a worksheet written as XML by pgcheck itself, byte for byte as rust_xlsxwriter 0.102
//! writes them in its constant-memory mode (inline strings), for the data rows of a streamed
//! sheet that are built in parallel and spliced into the saved package (`super::splice`).
//! `tests` compare the bytes with rust_xlsxwriter's own for every kind of cell.

use rust_xlsxwriter::XlsxError;

use super::issues::MAX_CELL_CHARS;
use crate::grid::CellRef;
use crate::read::parse_escape;

/// Excel's default row height in pixels (15 points): a row of this height gets no `ht`.
const DEFAULT_ROW_PIXELS: u32 = 20;
/// Rows and columns Excel has.
const ROW_MAX: u32 = 1_048_576;
const COL_MAX: u16 = 16_384;

/// XML of consecutive rows, each opened with [`RowXml::row`] and closed with [`RowXml::end`].
#[derive(Debug, Default)]
pub struct RowXml {
    buf: Vec<u8>,
    /// 1-based number of the open row.
    row: u32,
    /// The open row's attributes after `r`.
    attrs: String,
    /// The open row has a height of its own (written even without cells).
    options: bool,
    cells: bool,
}

impl RowXml {
    pub fn with_capacity(bytes: usize) -> Self {
        RowXml {
            buf: Vec::with_capacity(bytes),
            ..RowXml::default()
        }
    }

    /// Opens 0-based row `row`, `height` points tall (as `Worksheet::set_row_height`) or of
    /// the default height.
    pub fn row(&mut self, row: u32, height: Option<f64>) -> Result<(), XlsxError> {
        if row >= ROW_MAX {
            return Err(XlsxError::RowColumnLimitError);
        }
        self.row = row + 1;
        self.attrs.clear();
        self.options = height.is_some();
        if let Some(h) = height {
            let pixels = (h * 4.0 / 3.0).round() as u32;
            if pixels == 0 {
                self.attrs.push_str(" hidden=\"1\"");
            } else if pixels != DEFAULT_ROW_PIXELS {
                let points = f64::from(pixels) * 0.75;
                self.attrs = format!(" ht=\"{points}\" customHeight=\"1\"");
            }
        }
        self.cells = false;
        Ok(())
    }

    /// Closes the open row: a row with cells is written whole; one without cells only when it
    /// was given a height, as an empty element.
    pub fn end(&mut self) {
        if self.cells {
            self.buf.extend_from_slice(b"</row>");
        } else if self.options {
            let tag = format!("<row r=\"{}\"{}/>", self.row, self.attrs);
            self.buf.extend_from_slice(tag.as_bytes());
        }
    }

    /// Opens the row's start tag at its first cell (even one that writes nothing).
    fn open(&mut self, col: u16) -> Result<(), XlsxError> {
        if col >= COL_MAX {
            return Err(XlsxError::RowColumnLimitError);
        }
        if !self.cells {
            self.cells = true;
            let tag = format!("<row r=\"{}\"{}>", self.row, self.attrs);
            self.buf.extend_from_slice(tag.as_bytes());
        }
        Ok(())
    }

    fn cell_start(&mut self, col: u16, xf: u32) -> Result<(), XlsxError> {
        self.open(col)?;
        self.buf.extend_from_slice(b"<c r=\"");
        CellRef::push_col_name(u32::from(col), &mut self.buf);
        push_u32(&mut self.buf, self.row);
        self.buf.push(b'"');
        if xf > 0 {
            self.buf.extend_from_slice(b" s=\"");
            push_u32(&mut self.buf, xf);
            self.buf.push(b'"');
        }
        Ok(())
    }

    /// A number (or a date's serial) in style `xf`; NaN and infinities become the texts
    /// rust_xlsxwriter writes for them.
    pub fn number(&mut self, col: u16, n: f64, xf: u32) -> Result<(), XlsxError> {
        if n.is_nan() {
            return self.text(col, "NAN", xf);
        }
        if n.is_infinite() {
            return self.text(col, if n > 0.0 { "INF" } else { "-INF" }, xf);
        }
        self.cell_start(col, xf)?;
        self.buf.extend_from_slice(b"><v>");
        if n.fract() == 0.0 && n.abs() < 1e15 && !(n == 0.0 && n.is_sign_negative()) {
            // f64's Display writes an integral value as the integer (and -0.0 as `-0`).
            push_i64(&mut self.buf, n as i64);
        } else {
            use std::io::Write;
            let _ = write!(self.buf, "{n}");
        }
        self.buf.extend_from_slice(b"</v></c>");
        Ok(())
    }

    /// A text in style `xf` (0: none); an empty text is a blank cell in that style, or nothing
    /// without one.
    pub fn text(&mut self, col: u16, s: &str, xf: u32) -> Result<(), XlsxError> {
        if s.is_empty() {
            return match xf {
                0 => Ok(()),
                _ => self.blank(col, xf),
            };
        }
        if s.len() > MAX_CELL_CHARS && s.encode_utf16().count() > MAX_CELL_CHARS {
            return Err(XlsxError::MaxStringLengthExceeded);
        }
        self.cell_start(col, xf)?;
        self.buf.extend_from_slice(b" t=\"inlineStr\"><is><t");
        let edge = |c: Option<char>| matches!(c, Some('\t' | '\n' | ' '));
        if edge(s.chars().next()) || edge(s.chars().next_back()) {
            self.buf.extend_from_slice(b" xml:space=\"preserve\"");
        }
        self.buf.push(b'>');
        push_escaped(&mut self.buf, s);
        self.buf.extend_from_slice(b"</t></is></c>");
        Ok(())
    }

    /// A formula (as `Formula::new` keeps it: without its `=`, and with no function Excel
    /// would need `_xlfn.` for, such as `SUM(G7:G16)`) with its cached `result`, in style `xf`.
    pub fn formula(
        &mut self,
        col: u16,
        formula: &str,
        result: &str,
        xf: u32,
    ) -> Result<(), XlsxError> {
        self.cell_start(col, xf)?;
        // rust_xlsxwriter types a result that is not a number as an error, a boolean or a text.
        let kind: &[u8] = match result {
            _ if result.parse::<f64>().is_ok() => b"",
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
            | "#GETTING_DATA" => b" t=\"e\"",
            "TRUE" | "FALSE" => b" t=\"b\"",
            _ => b" t=\"str\"",
        };
        self.buf.extend_from_slice(kind);
        self.buf.extend_from_slice(b"><f>");
        push_data(&mut self.buf, formula);
        self.buf.extend_from_slice(b"</f><v>");
        match result {
            "TRUE" => self.buf.push(b'1'),
            "FALSE" => self.buf.push(b'0'),
            _ => push_data(&mut self.buf, result),
        }
        self.buf.extend_from_slice(b"</v></c>");
        Ok(())
    }

    /// A blank cell in style `xf`; without a style (0) it writes no `<c>` but still opens the
    /// row, as rust_xlsxwriter's unformatted blank does.
    pub fn blank(&mut self, col: u16, xf: u32) -> Result<(), XlsxError> {
        if xf == 0 {
            return self.open(col);
        }
        self.cell_start(col, xf)?;
        self.buf.extend_from_slice(b"/>");
        Ok(())
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

fn push_u32(buf: &mut Vec<u8>, n: u32) {
    push_i64(buf, i64::from(n));
}

fn push_i64(buf: &mut Vec<u8>, n: i64) {
    if n < 0 {
        buf.push(b'-');
    }
    let mut v = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Escapes XML data as rust_xlsxwriter's `escape_xml_data`: `&`, `<`, `>` as entities, control
/// characters other than tab and line feed (and U+FFFE, U+FFFF) as `_xHHHH_`.
fn push_data(buf: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        push_char(buf, c);
    }
}

fn push_char(buf: &mut Vec<u8>, c: char) {
    match c {
        '&' => buf.extend_from_slice(b"&amp;"),
        '<' => buf.extend_from_slice(b"&lt;"),
        '>' => buf.extend_from_slice(b"&gt;"),
        '\t' | '\n' => buf.push(c as u8),
        '\0'..='\x1F' | '\u{FFFE}' | '\u{FFFF}' => {
            let escaped = format!("_x{:04X}_", c as u32);
            buf.extend_from_slice(escaped.as_bytes());
        }
        _ => {
            let mut tmp = [0u8; 4];
            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

/// Escapes a cell text as rust_xlsxwriter does: a literal `_xHHHH_` gets its underscore escaped
/// (`_x005F_xHHHH_`), then `&`, `<`, `>` become entities and control characters other than tab
/// and line feed (and U+FFFE, U+FFFF) become `_xHHHH_`.
fn push_escaped(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let special = |i: usize, b: u8| match b {
        0..=0x1F | b'&' | b'<' | b'>' | b'_' => true,
        // U+FFFE and U+FFFF: EF BF BE / EF BF BF.
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    };
    if !bytes.iter().enumerate().any(|(i, &b)| special(i, b)) {
        buf.extend_from_slice(s.as_bytes());
        return;
    }
    for (i, c) in s.char_indices() {
        if c == '_' && parse_escape(s, i).is_some() {
            buf.extend_from_slice(b"_x005F_");
        } else {
            push_char(buf, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format, Formula, Workbook};

    /// One cell of the comparison: what to write, in which column.
    #[derive(Debug, Clone)]
    enum Cell {
        Number(f64),
        Text(String),
        Formula(&'static str, &'static str),
        Blank,
    }

    /// A row to write: its height and its cells (column, value, style as 1 + the index into
    /// the formats, 0 = none).
    type TestRow = (Option<f64>, Vec<(u16, Cell, usize)>);

    /// The `<sheetData>` rust_xlsxwriter writes for `rows`.
    fn theirs(rows: &[TestRow], formats: &[Format]) -> String {
        let mut wb = Workbook::new();
        let mut ws = wb.new_worksheet_with_constant_memory().unwrap();
        for f in formats {
            wb.register_format(f);
        }
        for (r, (height, cells)) in rows.iter().enumerate() {
            let r = r as u32;
            if let Some(h) = height {
                ws.set_row_height(r, *h).unwrap();
            }
            for (col, cell, f) in cells {
                let f = (*f > 0).then(|| &formats[*f - 1]);
                match (cell, f) {
                    (Cell::Number(n), Some(f)) => ws.write_number_with_format(r, *col, *n, f),
                    (Cell::Number(n), None) => ws.write_number(r, *col, *n),
                    (Cell::Text(s), Some(f)) => ws.write_string_with_format(r, *col, s, f),
                    (Cell::Text(s), None) => ws.write_string(r, *col, s),
                    (Cell::Formula(text, result), f) => {
                        let formula = Formula::new(format!("={text}")).set_result(*result);
                        match f {
                            Some(f) => ws.write_formula_with_format(r, *col, formula, f),
                            None => ws.write_formula(r, *col, formula),
                        }
                    }
                    (Cell::Blank, Some(f)) => ws.write_blank(r, *col, f),
                    (Cell::Blank, None) => ws.write_blank(r, *col, &Format::new()),
                }
                .unwrap();
            }
        }
        wb.push_worksheet(ws);
        let xml = crate::writer::saved_part(&mut wb, "xl/worksheets/sheet1.xml");
        let start = xml
            .find("<sheetData>")
            .map_or(0, |i| i + "<sheetData>".len());
        let end = xml.find("</sheetData>").unwrap_or(start);
        xml[start..end].to_string()
    }

    fn ours(rows: &[TestRow]) -> String {
        let mut x = RowXml::default();
        for (r, (height, cells)) in rows.iter().enumerate() {
            x.row(r as u32, *height).unwrap();
            for (col, cell, f) in cells {
                let xf = *f as u32;
                match cell {
                    Cell::Number(n) => x.number(*col, *n, xf),
                    Cell::Text(s) => x.text(*col, s, xf),
                    Cell::Formula(text, result) => x.formula(*col, text, result, xf),
                    Cell::Blank => x.blank(*col, xf),
                }
                .unwrap();
            }
            x.end();
        }
        String::from_utf8(x.into_bytes()).unwrap()
    }

    fn formats() -> Vec<Format> {
        vec![
            Format::new().set_bold(),
            Format::new().set_num_format("0.00"),
            Format::new().set_italic(),
        ]
    }

    #[test]
    fn rows_are_written_as_rust_xlsxwriter_writes_them() {
        let texts = [
            "plain",
            "宋体 text",
            " leading",
            "trailing\n",
            "\ttab",
            "a & b < c > d \"q\" 'a'",
            "ctl\u{1}\u{1F}\r\u{B}end",
            "_x0041_ and _x00zz_ and _x12345_ _x",
            "__x0041__",
            "non\u{FFFE}char\u{FFFF}",
            "x_",
            "😀 astral",
            "",
        ];
        let numbers = [
            0.0,
            -0.0,
            1.0,
            -17.0,
            3.5,
            0.1,
            1.0 / 3.0,
            123456789.125,
            1e15,
            1e16,
            1e21,
            -2.5e-7,
            45580.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let heights = [
            None,
            Some(15.0),
            Some(15.2),
            Some(27.5),
            Some(31.0),
            Some(409.0),
            Some(0.2),
        ];
        let mut rows = Vec::new();
        for (i, h) in heights.iter().enumerate() {
            let mut cells = Vec::new();
            for (k, t) in texts.iter().enumerate() {
                cells.push((k as u16, Cell::Text(t.to_string()), (i + k) % 4));
            }
            for (k, n) in numbers.iter().enumerate() {
                cells.push((20 + k as u16, Cell::Number(*n), (i + k) % 4));
            }
            cells.push((40, Cell::Blank, 0));
            cells.push((41, Cell::Blank, 2));
            cells.push((700, Cell::Text("far".into()), 1));
            cells.push((16_383, Cell::Number(1.0), 0));
            rows.push((*h, cells));
        }
        // Sums with their cached results, as the 小计 rows have them, and other results.
        let formulas = [
            ("SUM(G7:G16)", "1234"),
            ("SUM(G7:G16,G20:G30)", "-0.25"),
            ("SUM(AB7:AB9)", "0"),
            ("SUM(A1:A2)", "TRUE"),
            ("SUM(A1:A2)", "FALSE"),
            ("SUM(A1:A2)", "#N/A"),
            ("SUM(A1:A2)", "a <b> & \u{1}"),
        ];
        rows.push((
            None,
            formulas
                .iter()
                .enumerate()
                .map(|(k, (text, result))| (k as u16, Cell::Formula(text, result), k % 4))
                .collect(),
        ));
        // Rows with nothing but a height, and with nothing at all.
        rows.push((Some(30.0), vec![(3, Cell::Blank, 0)]));
        rows.push((None, vec![(3, Cell::Text(String::new()), 0)]));
        rows.push((None, vec![(0, Cell::Text("last".into()), 3)]));
        assert_eq!(ours(&rows), theirs(&rows, &formats()));
    }

    /// 400 rows of generated cells (texts drawn from the characters the escapes care about,
    /// numbers from random bit patterns, random heights and columns), written both ways.
    #[test]
    fn generated_rows_are_written_as_rust_xlsxwriter_writes_them() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pool = [
            "a", "_", "x", "0", "F", "5", "_x", "_x0041_", "&", "<", ">", "\t", "\n", " ", "\r",
            "\u{1}", "\u{1F}", "长", "😀", "\u{FFFE}", "\u{FFFF}", "\"", "'", "\u{7F}", "\u{2028}",
        ];
        let mut rows = Vec::new();
        for _ in 0..400 {
            let height = match next() % 4 {
                0 => Some((next() % 5000) as f64 / 10.0),
                _ => None,
            };
            let mut col = 0u16;
            let mut cells = Vec::new();
            for _ in 0..next() % 12 {
                col += 1 + (next() % 40) as u16;
                let style = (next() % 4) as usize;
                let cell = match next() % 3 {
                    0 => Cell::Text(
                        (0..next() % 12)
                            .map(|_| pool[(next() % pool.len() as u64) as usize])
                            .collect(),
                    ),
                    1 => Cell::Number(match next() % 3 {
                        0 => (next() % 100_000) as f64 / 8.0 - 5_000.0,
                        _ => f64::from_bits(next()),
                    }),
                    _ => Cell::Blank,
                };
                cells.push((col, cell, style));
            }
            rows.push((height, cells));
        }
        assert_eq!(ours(&rows), theirs(&rows, &formats()));
    }

    #[test]
    fn limits_are_rust_xlsxwriters() {
        let mut x = RowXml::default();
        assert!(matches!(
            x.row(ROW_MAX, None),
            Err(XlsxError::RowColumnLimitError)
        ));
        x.row(0, None).unwrap();
        assert!(matches!(
            x.number(COL_MAX, 1.0, 0),
            Err(XlsxError::RowColumnLimitError)
        ));
        let long = "😀".repeat(MAX_CELL_CHARS / 2 + 1);
        assert!(matches!(
            x.text(0, &long, 0),
            Err(XlsxError::MaxStringLengthExceeded)
        ));
        assert!(x.text(0, &"长".repeat(MAX_CELL_CHARS), 0).is_ok());
    }
}
