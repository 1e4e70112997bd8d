//! Row heights a file sets by hand (a clerk's taller 附件4 rows, a shorter spacer row), in
//! points, from each format's own record: xlsx `<row ht=".." customHeight="1">`, the `.xls` ROW
//! record (0x0208) with its fUnsynced flag, an ODS row style without optimal height. Rows at the
//! height their content gives and hidden rows are left out: the annotated copy sizes those itself.

use std::collections::HashMap;

use super::bytes::Le;

/// Rows (0-based) with a height of their own, in points, in the order the file gives them.
pub(crate) type Heights = Vec<(u32, f64)>;

/// Excel's largest row height (points); a larger claim is clipped to it.
const MAX_HEIGHT: f64 = 409.5;
/// Rows kept per sheet: a style repeated down a million empty rows is padding, not a choice.
const MAX_ROWS: usize = 65_536;

/// A height read from a file, if it is one a row can have.
fn height(points: f64) -> Option<f64> {
    (points.is_finite() && points >= 0.0).then(|| points.min(MAX_HEIGHT))
}

/// The value of attribute `name` (local name, any prefix) in the text of one start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut from = 0;
    loop {
        let at = from + tag[from..].find(name)?;
        let before = tag[..at].chars().next_back();
        from = at + 1;
        let Some(value) = tag[at + name.len()..].strip_prefix("=\"") else {
            continue;
        };
        if matches!(before, Some(' ' | '\t' | '\r' | '\n' | ':')) {
            return value.split('"').next();
        }
    }
}

fn is_true(v: Option<&str>) -> bool {
    matches!(v.map(str::trim), Some("1" | "true"))
}

/// The custom row heights of a worksheet's XML: every `<row>` with `customHeight` true, by its
/// `r` (1-based), not hidden. Markup starts only at a `<` and text holds none unescaped, so the
/// `<` before a `customHeight="` opens the tag it belongs to.
pub(super) fn xlsx_rows(xml: &[u8]) -> Heights {
    const NEEDLE: &[u8] = b"customHeight=\"";
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(xml, NEEDLE) {
        let from = at + NEEDLE.len();
        if !matches!(xml.get(from), Some(b'1' | b't')) {
            continue;
        }
        let Some(open) = xml[..at].iter().rposition(|&b| b == b'<') else {
            continue;
        };
        let end = xml[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(xml.len(), |e| at + e);
        let Ok(tag) = std::str::from_utf8(&xml[open + 1..end]) else {
            continue;
        };
        let name = tag.split([' ', '\t', '\r', '\n']).next().unwrap_or("");
        if name.rsplit(':').next() != Some("row") || is_true(attr(tag, "hidden")) {
            continue;
        }
        let row = attr(tag, "r").and_then(|r| r.trim().parse::<u32>().ok());
        let ht = attr(tag, "ht").and_then(|h| h.trim().parse::<f64>().ok());
        if let (Some(row @ 1..), Some(ht)) = (row, ht.and_then(height)) {
            out.push((row - 1, ht));
            if out.len() >= MAX_ROWS {
                break;
            }
        }
    }
    out
}

/// The row and height of a BIFF ROW record's `body` ([MS-XLS] 2.4.221: rw, colMic, colMac,
/// miyRw in twips, then flags with fDyZero 0x20, hidden, and fUnsynced 0x40, a height set by
/// hand); `None` unless the height is the row's own and the row is shown.
pub(super) fn xls_row(body: &[u8]) -> Option<(u32, f64)> {
    const HIDDEN: u32 = 0x20;
    const UNSYNCED: u32 = 0x40;
    let le = Le(body.get(..16)?);
    let flags = le.u32(12)?;
    if flags & HIDDEN != 0 || flags & UNSYNCED == 0 {
        return None;
    }
    let twips = le.u16(6)? & 0x7FFF;
    Some((u32::from(le.u16(0)?), height(f64::from(twips) / 20.0)?))
}

/// A length of ODF (`0.5in`, `1.2cm`, `12pt`) in points.
fn length_pt(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let n: f64 = s[..split].parse().ok()?;
    let per = match &s[split..] {
        "pt" => 1.0,
        "in" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "pc" => 12.0,
        "px" => 0.75,
        _ => return None,
    };
    height(n * per)
}

/// Per table of an ODS `content.xml` (by name), the rows whose style gives a height of its own
/// (`style:use-optimal-row-height` not true) and that are shown.
pub(super) fn ods_rows(content: &[u8]) -> HashMap<String, Heights> {
    use quick_xml::events::Event;
    use quick_xml::Reader;
    let text = |e: &quick_xml::events::BytesStart<'_>, name: &str| super::xml::attr_string(e, name);
    let mut reader = Reader::from_reader(content);
    let mut buf = Vec::new();
    // Row style name → its height, when it is not the optimal one.
    let mut styles: HashMap<String, f64> = HashMap::new();
    let mut style: Option<String> = None;
    let mut out: HashMap<String, Heights> = HashMap::new();
    let mut table: Option<(String, u64, Heights)> = None;
    let mut depth = 0usize;
    while let Ok(ev) = reader.read_event_into(&mut buf) {
        let (start, e) = match &ev {
            Event::Start(e) => (true, e),
            Event::Empty(e) => (false, e),
            Event::End(e) => {
                if e.local_name().as_ref() == "table" {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        if let Some((name, _, rows)) = table.take() {
                            out.entry(name).or_insert(rows);
                        }
                    }
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
            "style" if text(e, "family").as_deref() == Some("table-row") => {
                style = text(e, "name");
            }
            "table-row-properties" => {
                let optimal = text(e, "use-optimal-row-height").as_deref() == Some("true");
                let h = text(e, "row-height").as_deref().and_then(length_pt);
                if let (Some(name), Some(h), false) = (&style, h, optimal) {
                    styles.insert(name.clone(), h);
                }
            }
            "table" if start => {
                depth += 1;
                if depth == 1 {
                    table = Some((text(e, "name").unwrap_or_default(), 0, Vec::new()));
                }
            }
            "table-row" if depth == 1 => {
                let Some((_, row, rows)) = table.as_mut() else {
                    continue;
                };
                let repeat = super::xml::attr_u64(e, "number-rows-repeated").unwrap_or(1);
                let shown = text(e, "visibility").is_none_or(|v| v == "visible");
                let own = text(e, "style-name").and_then(|s| styles.get(&s).copied());
                if let (Some(h), true) = (own, shown) {
                    let room = (MAX_ROWS - rows.len()) as u64;
                    for r in *row..row.saturating_add(repeat.max(1).min(room)) {
                        if let Ok(r) = u32::try_from(r) {
                            rows.push((r, h));
                        }
                    }
                }
                *row = row.saturating_add(repeat.max(1));
            }
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_custom_rows_only() {
        let xml = br#"<worksheet><sheetData>
<row r="1" ht="12.8" customHeight="false"><c r="A1" t="inlineStr"><is><t>customHeight="1" &lt;row</t></is></c></row>
<row r="2" customFormat="false" ht="36" hidden="false" customHeight="true"/>
<row r="5" ht="9" customHeight="1" spans="1:3"><c r="A5"/></row>
<row r="6" ht="40" customHeight="1" hidden="1"/>
<x:row r="8" x:ht="600" customHeight="1"/>
<row ht="20" customHeight="1"/>
</sheetData></worksheet>"#;
        assert_eq!(
            xlsx_rows(xml),
            vec![(1, 36.0), (4, 9.0), (7, MAX_HEIGHT)],
            "a row without r is left out"
        );
        assert_eq!(xlsx_rows(b"<worksheet><sheetData/></worksheet>"), vec![]);
    }

    #[test]
    fn xls_row_record_custom_and_shown() {
        let record = |row: u16, twips: u16, flags: u32| {
            let mut b = Vec::new();
            b.extend_from_slice(&row.to_le_bytes());
            b.extend_from_slice(&[0, 0, 3, 0]);
            b.extend_from_slice(&twips.to_le_bytes());
            b.extend_from_slice(&[0; 4]);
            b.extend_from_slice(&flags.to_le_bytes());
            b
        };
        assert_eq!(xls_row(&record(7, 1200, 0x0F_0140)), Some((7, 60.0)));
        assert_eq!(
            xls_row(&record(7, 300, 0x0F_0100)),
            None,
            "synced: automatic"
        );
        assert_eq!(xls_row(&record(7, 1200, 0x0F_0160)), None, "hidden");
        assert_eq!(xls_row(&record(7, 1200, 0x40)[..12]), None, "short");
    }

    #[test]
    fn ods_rows_from_styles_and_repeats() {
        let xml = r#"<office:document-content><office:automatic-styles>
<style:style style:name="ro1" style:family="table-row"><style:table-row-properties style:row-height="0.2083in" style:use-optimal-row-height="true"/></style:style>
<style:style style:name="ro2" style:family="table-row"><style:table-row-properties style:row-height="0.5in" style:use-optimal-row-height="false"/></style:style>
<style:style style:name="ro3" style:family="table-row"><style:table-row-properties style:row-height="1cm" style:use-optimal-row-height="false"/></style:style>
</office:automatic-styles><office:body><office:spreadsheet>
<table:table table:name="附件4">
<table:table-row table:style-name="ro1"><table:table-cell/></table:table-row>
<table:table-row table:style-name="ro2" table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row table:style-name="ro3" table:visibility="collapse"><table:table-cell/></table:table-row>
<table:table-row table:style-name="ro3"><table:table-cell/></table:table-row>
<table:table-row table:style-name="ro2" table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>
</table:table>
<table:table table:name="B"><table:table-row table:style-name="ro1"/></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let got = ods_rows(xml.as_bytes());
        let a4 = &got["附件4"];
        assert_eq!(a4[..3], [(1, 36.0), (2, 36.0), (4, 72.0 / 2.54)]);
        assert_eq!(a4.len(), MAX_ROWS, "a repeated style stops at the cap");
        assert_eq!(got["B"], vec![]);
    }
}
