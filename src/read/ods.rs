//! `.ods` through calamine, with pgcheck's own pass over `content.xml` first: calamine has no
//! merged regions for ODS, and its dense ranges need a size check before it allocates them.

use std::io::{Cursor, Read};

use calamine::{Ods, Reader};

use super::cells::fill_from_ranges;
use super::guard::{BoundingBox, MAX_DENSE_AREA, MAX_MEMBER_BYTES, MAX_MERGES};
use super::opc::{zip_err, zip_member_text, Package};
use super::xml::{attr_string, attr_u64};
use super::{Book, Cells, OpenError, SheetInfo};
use crate::grid::{CellRef, Merge};

/// ODS: repeat counts above this are clamped when collecting merged spans.
const MAX_REPEAT: u64 = 100_000;

fn ods_err(e: calamine::OdsError) -> OpenError {
    match e {
        calamine::OdsError::Password => OpenError::Encrypted,
        calamine::OdsError::CellLimitExceeded { requested, .. } => {
            OpenError::TooLarge(format!("a sheet asks for {requested} cells"))
        }
        other => OpenError::Corrupt(format!("ods: {other}")),
    }
}

/// What `content.xml` says about one table.
#[derive(Debug, Default, Clone)]
pub(crate) struct OdsTableLayout {
    pub name: String,
    pub merges: Vec<Merge>,
    /// Bounding box of the non-empty cells.
    pub used: BoundingBox,
}

/// Reads the merged spans and the used area of every table from an ODS `content.xml`.
pub(crate) fn ods_layout(content_xml: &[u8]) -> Result<Vec<OdsTableLayout>, OpenError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(content_xml);
    let mut buf = Vec::new();
    let mut tables: Vec<OdsTableLayout> = Vec::new();
    let mut depth = 0usize; // table:table nesting
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut row_repeat: u64 = 1;
    // The cell whose content is being read: (row, col, repeat).
    let mut open_cell: Option<(u64, u64, u64)> = None;
    let mut open_cell_has_content = false;

    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| OpenError::Corrupt(format!("ods content.xml: {e}")))?;
        let (is_start, e) = match &ev {
            Event::Start(e) => (true, e.clone()),
            Event::Empty(e) => (false, e.clone()),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "table" => depth = depth.saturating_sub(1),
                    "table-row" if depth == 1 => {
                        row = row.saturating_add(row_repeat);
                    }
                    "table-cell" | "covered-table-cell" if depth == 1 => {
                        if let Some((r, c, rep)) = open_cell.take() {
                            if open_cell_has_content {
                                if let Some(t) = tables.last_mut() {
                                    t.used
                                        .add(r, c, r + row_repeat - 1, c.saturating_add(rep - 1));
                                }
                            }
                        }
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Event::Text(t) => {
                if open_cell.is_some() && !t.trim().is_empty() {
                    open_cell_has_content = true;
                }
                buf.clear();
                continue;
            }
            Event::CData(_) => {
                if open_cell.is_some() {
                    open_cell_has_content = true;
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.local_name().as_ref() {
            "table" => {
                if is_start {
                    depth += 1;
                }
                if depth == 1 && is_start {
                    tables.push(OdsTableLayout {
                        name: attr_string(&e, "name").unwrap_or_default(),
                        ..Default::default()
                    });
                    row = 0;
                }
            }
            "table-row" if depth == 1 => {
                row_repeat = attr_u64(&e, "number-rows-repeated")
                    .unwrap_or(1)
                    .clamp(1, 1 << 32);
                col = 0;
                if !is_start {
                    row = row.saturating_add(row_repeat);
                }
            }
            name @ ("table-cell" | "covered-table-cell") if depth == 1 => {
                let rep = attr_u64(&e, "number-columns-repeated")
                    .unwrap_or(1)
                    .clamp(1, 1 << 32);
                let has_value = attr_string(&e, "value-type").is_some();
                if let Some(t) = tables.last_mut() {
                    if name == "table-cell" {
                        let cs = attr_u64(&e, "number-columns-spanned").unwrap_or(1).max(1);
                        let rs = attr_u64(&e, "number-rows-spanned").unwrap_or(1).max(1);
                        if cs > 1 || rs > 1 {
                            for dr in 0..row_repeat.min(MAX_REPEAT) {
                                for dc in 0..rep.min(MAX_REPEAT) {
                                    let (r, c) = (row + dr, col + dc);
                                    let (r1, c1) = (r + rs - 1, c + cs - 1);
                                    if r1 <= u32::MAX as u64 && c1 <= u32::MAX as u64 {
                                        t.merges.push(Merge {
                                            first: CellRef::new(r as u32, c as u32),
                                            last: CellRef::new(r1 as u32, c1 as u32),
                                        });
                                    }
                                    if t.merges.len() > MAX_MERGES {
                                        return Err(OpenError::TooLarge(
                                            "too many merged regions".into(),
                                        ));
                                    }
                                }
                            }
                        }
                    }
                    if has_value {
                        t.used
                            .add(row, col, row + row_repeat - 1, col.saturating_add(rep - 1));
                    }
                }
                if is_start {
                    open_cell = Some((row, col, rep));
                    open_cell_has_content = has_value;
                }
                col = col.saturating_add(rep);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(tables)
}

/// An `.ods` opened by calamine, with the merged spans of each table from our own pass.
pub(crate) struct OdsBook<'a> {
    ods: Ods<Cursor<&'a [u8]>>,
    layouts: Vec<OdsTableLayout>,
    /// Table name → the rows with a height of their own.
    heights: std::collections::HashMap<String, Vec<(u32, f64)>>,
}

impl<'a> OdsBook<'a> {
    /// Opens `data` (`package`, as the sniffer opened it).
    pub fn open(data: &'a [u8], package: Package<'a>) -> Result<OdsBook<'a>, OpenError> {
        // Our own pass over content.xml first: merged spans, and a size check before calamine
        // allocates dense ranges.
        let layouts = {
            let mut zip = package.zip;
            // An encrypted package has an unreadable content.xml: let calamine say Password.
            let encrypted = zip_member_text(&mut zip, "META-INF/manifest.xml", 4 << 20)
                .map(|m| m.contains("encryption-data"))
                .unwrap_or(false);
            if encrypted {
                return Err(OpenError::Encrypted);
            }
            let mut content = Vec::new();
            zip.by_name("content.xml")
                .map_err(zip_err)?
                .take(MAX_MEMBER_BYTES)
                .read_to_end(&mut content)
                .map_err(|e| OpenError::Corrupt(format!("ods content.xml: {e}")))?;
            (ods_layout(&content)?, super::heights::ods_rows(&content))
        };
        let (layouts, heights) = layouts;
        let mut total: u64 = 0;
        for t in &layouts {
            if let Some((r0, c0, r1, c1)) = t.used.corners() {
                total = total.saturating_add(t.used.area());
                if total > MAX_DENSE_AREA || r1 > u32::MAX as u64 || c1 > u32::MAX as u64 {
                    return Err(OpenError::TooLarge(format!(
                        "sheet {} spans {} rows × {} columns",
                        t.name,
                        r1 - r0 + 1,
                        c1 - c0 + 1
                    )));
                }
            }
        }
        let ods = Ods::new(Cursor::new(data)).map_err(ods_err)?;
        Ok(OdsBook {
            ods,
            layouts,
            heights,
        })
    }
}

impl Book for OdsBook<'_> {
    fn sheets(&self) -> Vec<SheetInfo> {
        SheetInfo::list(self.ods.sheets_metadata())
    }

    fn cells(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), OpenError> {
        let range = self.ods.worksheet_range(name).map_err(ods_err)?;
        let formulas = self.ods.worksheet_formula(name).map_err(ods_err)?;
        fill_from_ranges(cells, &range, &formulas, None)
    }

    /// Unknown (`None`) for a table our pass did not find.
    fn merges(&mut self, name: &str) -> Result<Option<Vec<Merge>>, OpenError> {
        Ok(self
            .layouts
            .iter_mut()
            .find(|t| t.name == name)
            .map(|t| std::mem::take(&mut t.merges)))
    }

    fn row_heights(&mut self, name: &str) -> Vec<(u32, f64)> {
        self.heights.remove(name).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merges(xml: &str) -> Vec<(u32, u32, u32, u32)> {
        let t = ods_layout(xml.as_bytes()).unwrap();
        t[0].merges
            .iter()
            .map(|m| (m.first.row, m.first.col, m.last.row, m.last.col))
            .collect()
    }

    const NS: &str = r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;

    #[test]
    fn ods_spans_respect_repeats_and_covered_cells() {
        let xml = format!(
            r#"<office:document-content {NS}><office:body><office:spreadsheet>
<table:table table:name="S">
<table:table-column table:number-columns-repeated="5"/>
<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
<table:table-row>
  <table:table-cell table:number-columns-repeated="2"/>
  <table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="3" office:value-type="string"><text:p>合并</text:p></table:table-cell>
  <table:covered-table-cell/>
  <table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>
</table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="2"/></table:table-row>
<table:table-row><table:table-cell/></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>"#
        );
        assert_eq!(merges(&xml), vec![(3, 2, 5, 3), (4, 4, 5, 4)]);
        let t = ods_layout(xml.as_bytes()).unwrap();
        assert_eq!(t[0].name, "S");
        assert_eq!(t[0].used.corners(), Some((3, 2, 3, 4)));
    }

    #[test]
    fn ods_huge_repeats_do_not_loop() {
        let xml = format!(
            r#"<office:document-content {NS}><office:body><office:spreadsheet>
<table:table table:name="S">
<table:table-row table:number-rows-repeated="999999999"><table:table-cell table:number-columns-repeated="999999999" table:number-columns-spanned="2" office:value-type="float" office:value="1"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        // Merges are capped; the used area reports the huge extent for the size check.
        let r = ods_layout(xml.as_bytes());
        assert!(matches!(r, Err(OpenError::TooLarge(_))), "{r:?}");
    }
}
