//! The parts of an OOXML package (Open Packaging Conventions): zip members read within limits,
//! the relationships that lead from `_rels/.rels` to the workbook and its worksheets, and the
//! `<mergeCells>` of a worksheet read directly. The zip layer of the xlsx reader.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::guard::MAX_MEMBER_BYTES;
use super::xml::attr_string;
use super::OpenError;
use crate::grid::{CellRef, Merge};

/// A zip package opened once: its central directory parsed (by the sniffer), and its root
/// relationships `_rels/.rels` when they were read.
pub(crate) struct Package<'a> {
    pub zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    pub root_rels: Option<String>,
}

impl<'a> Package<'a> {
    /// Opens `data` as a zip package (used for a rewritten copy; files come through the sniffer).
    pub fn open(data: &'a [u8]) -> Option<Package<'a>> {
        Some(Package {
            zip: zip::ZipArchive::new(Cursor::new(data)).ok()?,
            root_rels: None,
        })
    }
}

pub(crate) fn zip_err(e: zip::result::ZipError) -> OpenError {
    OpenError::Corrupt(format!("zip: {e}"))
}

/// Reads at most `limit` bytes of one zip member as text.
pub(crate) fn zip_member_text<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Option<String> {
    let f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.take(limit).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// The target of the `officeDocument` relationship in `_rels/.rels`, without a leading `/`.
pub(crate) fn office_document_target(rels: &str) -> Option<String> {
    for chunk in rels.split("<Relationship").skip(1) {
        let tag = chunk.split('>').next().unwrap_or("");
        if !tag.contains("/officeDocument\"") {
            continue;
        }
        let start = tag.find("Target=\"")? + "Target=\"".len();
        let end = tag[start..].find('"')? + start;
        return Some(tag[start..end].trim_start_matches('/').to_string());
    }
    None
}

/// A copy of the xlsx package `data` whose workbook part no longer lists the sheets whose type is
/// none of worksheet, chart sheet and dialog sheet: Excel 4.0 macro sheets (宏表,
/// `xl/macrosheets/`, relationship type `xlMacrosheet`) and their international variant. They
/// hold no report data, but calamine knows no such type and refuses the whole workbook, so a file
/// with one was reported as damaged. Members other than the workbook part are copied without
/// being inflated. `None` when there is nothing to drop or the package cannot be rewritten.
pub(crate) fn without_unknown_sheets(data: &[u8]) -> Option<Vec<u8>> {
    use quick_xml::events::Event;
    use std::io::Write;
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let BookPart {
        name: book,
        xml,
        rels,
        ..
    } = BookPart::read(&mut zip, None)?;
    let mut unknown: Vec<String> = Vec::new();
    each_element(&rels, "Relationship", |e| {
        let typ = attr_string(e, "Type")?;
        let last = typ.rsplit('/').next().unwrap_or("");
        if !matches!(last, "worksheet" | "chartsheet" | "dialogsheet") {
            unknown.push(attr_string(e, "Id")?);
        }
        Some(())
    })?;
    // The byte ranges of the <sheet> elements pointing at those relationships.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().ok()? {
            Event::Empty(e)
                if e.local_name().as_ref() == "sheet"
                    && attr_string(&e, "id").is_some_and(|id| unknown.contains(&id)) =>
            {
                cuts.push((before, reader.buffer_position() as usize));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if cuts.is_empty() {
        return None;
    }
    let mut kept = String::with_capacity(xml.len());
    let mut at = 0;
    for (from, to) in cuts {
        kept.push_str(xml.get(at..from)?);
        at = to;
    }
    kept.push_str(xml.get(at..)?);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(data.len())));
    for i in 0..zip.len() {
        let member = zip.by_index_raw(i).ok()?;
        if member.name().ok()?.as_ref() == book {
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            drop(member);
            out.start_file(book.as_str(), opts).ok()?;
            out.write_all(kept.as_bytes()).ok()?;
        } else {
            out.raw_copy_file(member).ok()?;
        }
    }
    Some(out.finish().ok()?.into_inner())
}

/// The names of the sheets the workbook part lists, in workbook order, read without calamine
/// (which parses the shared strings before it can name a sheet). `None` when the workbook part
/// cannot be found or read.
pub(crate) fn sheet_names(package: Package<'_>) -> Option<Vec<String>> {
    let Package { mut zip, root_rels } = package;
    let book = BookPart::read(&mut zip, root_rels)?;
    let mut names = Vec::new();
    each_element(&book.xml, "sheet", |e| {
        names.push(attr_string(e, "name")?);
        Some(())
    })?;
    Some(names)
}

/// The workbook part of an xlsx package, found through `_rels/.rels`.
struct BookPart {
    /// Its zip member name (`xl/workbook.xml`).
    name: String,
    /// Its folder, with a trailing `/` (`xl/`), against which its relationships resolve.
    dir: String,
    xml: String,
    /// Its relationships part (`xl/_rels/workbook.xml.rels`).
    rels: String,
}

/// Sizes past which the package's relationship and workbook parts are cut short when read (the
/// direct reader declines rather than read more).
pub(crate) const ROOT_RELS_LIMIT: u64 = 1 << 20;
pub(crate) const BOOK_RELS_LIMIT: u64 = 1 << 22;
pub(crate) const BOOK_LIMIT: u64 = 1 << 24;

impl BookPart {
    /// Reads the workbook part of `zip`; `root` is `_rels/.rels` when already read.
    fn read<R: Read + std::io::Seek>(
        zip: &mut zip::ZipArchive<R>,
        root: Option<String>,
    ) -> Option<BookPart> {
        let root = match root {
            Some(r) => r,
            None => zip_member_text(zip, "_rels/.rels", ROOT_RELS_LIMIT)?,
        };
        let name = office_document_target(&root)?;
        let (dir, file) = match name.rfind('/') {
            Some(i) => (&name[..i + 1], &name[i + 1..]),
            None => ("", name.as_str()),
        };
        let rels = zip_member_text(zip, &format!("{dir}_rels/{file}.rels"), BOOK_RELS_LIMIT)?;
        let xml = zip_member_text(zip, &name, BOOK_LIMIT)?;
        Some(BookPart {
            dir: dir.to_string(),
            name,
            xml,
            rels,
        })
    }
}

/// The worksheet parts of an xlsx package, found through `_rels/.rels`, the workbook part and
/// its relationships: enough to read each sheet's `<mergeCells>` without calamine's full pass.
pub(crate) struct SheetParts<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Sheet name (as calamine reports it) → zip member name.
    paths: HashMap<String, String>,
}

impl<'a> SheetParts<'a> {
    pub fn new(package: Package<'a>) -> Option<SheetParts<'a>> {
        let Package { mut zip, root_rels } = package;
        let BookPart {
            dir,
            xml: book_xml,
            rels: book_rels,
            ..
        } = BookPart::read(&mut zip, root_rels)?;
        let dir = dir.as_str();
        let mut targets: HashMap<String, String> = HashMap::new();
        each_element(&book_rels, "Relationship", |e| {
            let id = attr_string(e, "Id")?;
            let target = attr_string(e, "Target")?;
            targets.insert(id, resolve_part(dir, &target)?);
            Some(())
        })?;
        let mut paths = HashMap::new();
        each_element(&book_xml, "sheet", |e| {
            let name = attr_string(e, "name")?;
            // r:id; its local name is `id` (no other attribute of <sheet> is).
            let id = attr_string(e, "id")?;
            paths.insert(name, targets.get(&id)?.clone());
            Some(())
        })?;
        Some(SheetParts { zip, paths })
    }

    /// The uncompressed size of the sheet `name`'s part, from the central directory.
    pub fn part_size(&self, name: &str) -> Option<u64> {
        let i = self.zip.index_for_name(self.paths.get(name)?)?;
        self.zip.by_index_data(i).ok().map(|e| e.size())
    }

    /// The merged regions of the sheet `name` (`None` inside when its `<mergeCells>` is not
    /// plainly well-formed: the caller then asks calamine) and the rows with a height of their
    /// own (`heights::xlsx_rows`), from one reading of its part; `None` when the part cannot be
    /// found or read.
    pub fn layout(
        &mut self,
        name: &str,
        budget: &mut u64,
    ) -> Option<(Option<Vec<Merge>>, super::heights::Heights)> {
        let path = self.paths.get(name)?;
        let f = self.zip.by_name(path).ok()?;
        let size = f.size();
        *budget = budget.checked_sub(size)?;
        let mut xml = Vec::with_capacity(size.min(MAX_MEMBER_BYTES) as usize);
        f.take(MAX_MEMBER_BYTES).read_to_end(&mut xml).ok()?;
        Some((merge_cells_in(&xml), super::heights::xlsx_rows(&xml)))
    }
}

/// Calls `f` on every element named `local` (start or empty tag) of `xml`; `None` as soon as the
/// XML is malformed or `f` gives `None`.
fn each_element(
    xml: &str,
    local: &str,
    mut f: impl FnMut(&quick_xml::events::BytesStart<'_>) -> Option<()>,
) -> Option<()> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => f(&e)?,
            Event::Eof => return Some(()),
            _ => {}
        }
    }
}

/// The part a relationship `target` names from the folder `dir` (`xl/`), joined as written:
/// an absolute target without its `/`, a relative one after `dir` (no `.` or `..` resolved).
pub(crate) fn join_part(dir: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    }
}

/// Resolves a relationship target against the folder of its source part (`xl/`), giving a zip
/// member name; `None` for external or escaping targets.
pub(crate) fn resolve_part(dir: &str, target: &str) -> Option<String> {
    let joined = join_part(dir, target);
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The `ref` of every `<mergeCell>` in a worksheet's XML. Markup can only start at a `<`, and
/// text cannot hold one unescaped, so a `<mergeCells` (or `<x:mergeCells`) start tag is the
/// element. The schema puts it after the cell data, so it is looked for from the end, and only
/// that fragment is parsed. A sheet without one has no merged regions.
pub(crate) fn merge_cells_in(xml: &[u8]) -> Option<Vec<Merge>> {
    use quick_xml::events::Event;
    let needle = b"mergeCells";
    // The last start tag, found by a forward (SIMD) search: a reverse one is byte by byte.
    let start_tag = |at: usize| {
        // Walk back over an optional prefix (`x:`) to the `<`.
        let mut j = at;
        if j > 0 && xml[j - 1] == b':' {
            j -= 1;
            while j > 0 && (xml[j - 1].is_ascii_alphanumeric() || xml[j - 1] == b'_') {
                j -= 1;
            }
        }
        let follows = xml.get(at + needle.len()).copied();
        (j > 0
            && xml[j - 1] == b'<'
            && matches!(follows, Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n')))
        .then(|| j - 1)
    };
    let Some(start) = memchr::memmem::find_iter(xml, needle)
        .filter_map(start_tag)
        .last()
    else {
        return Some(Vec::new());
    };
    let mut reader = quick_xml::Reader::from_reader(&xml[start..]);
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                let r = e.attributes().flatten().find(|a| a.key.as_ref() == "ref")?;
                out.push(dimension(&r.value)?);
            }
            Event::Empty(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => break,
            Event::Eof => return None,
            _ => {}
        }
    }
    Some(out)
}

/// `A1:C2` or `B4` as a merged region (an inverted `C2:A1` is clipped to its first cell, as
/// calamine's regions are).
fn dimension(r: &str) -> Option<Merge> {
    let (a, b) = match r.split_once(':') {
        Some((a, b)) => (CellRef::parse(a)?, CellRef::parse(b)?),
        None => {
            let a = CellRef::parse(r)?;
            (a, a)
        }
    };
    Some(Merge {
        first: a,
        last: CellRef::new(b.row.max(a.row), b.col.max(a.col)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Span = ((u32, u32), (u32, u32));

    fn refs(xml: &str) -> Option<Vec<Span>> {
        merge_cells_in(xml.as_bytes()).map(|v| {
            v.iter()
                .map(|m| ((m.first.row, m.first.col), (m.last.row, m.last.col)))
                .collect()
        })
    }

    #[test]
    fn merge_cells_fragment_is_found_from_the_end() {
        let xml = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCells &lt;mergeCells</t></is></c></row></sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B4"/></mergeCells><pageMargins/></worksheet>"#;
        assert_eq!(refs(xml), Some(vec![((0, 0), (0, 2)), ((3, 1), (3, 1))]));
        let prefixed = r#"<x:worksheet><x:sheetData/><x:mergeCells count="1"><x:mergeCell ref="D2:E9"></x:mergeCell></x:mergeCells></x:worksheet>"#;
        assert_eq!(refs(prefixed), Some(vec![((1, 3), (8, 4))]));
        assert_eq!(refs("<worksheet><sheetData/></worksheet>"), Some(vec![]));
        assert_eq!(refs("<worksheet><mergeCells/></worksheet>"), Some(vec![]));
        // Anything odd goes back to calamine.
        assert_eq!(
            refs(r#"<worksheet><mergeCells><mergeCell ref="1A:??"/></mergeCells>"#),
            None
        );
        assert_eq!(
            refs(r#"<worksheet><mergeCells><mergeCell ref="A1:B2"/>"#),
            None
        );
        assert_eq!(
            refs(r#"<worksheet><mergeCells><mergeCell/></mergeCells></worksheet>"#),
            None
        );
    }

    #[test]
    fn relationship_targets_resolve_like_paths() {
        assert_eq!(
            resolve_part("xl/", "worksheets/sheet1.xml").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(
            resolve_part("xl/", "/xl/worksheets/sheet1.xml").as_deref(),
            Some("xl/worksheets/sheet1.xml")
        );
        assert_eq!(
            resolve_part("xl/", "../sheets/./s.xml").as_deref(),
            Some("sheets/s.xml")
        );
        assert_eq!(resolve_part("", "../../x.xml"), None);
    }
}
