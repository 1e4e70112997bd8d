//! The direct xlsx reader: the package the sniffer opened, read with our own tokenizer — the
//! root and workbook relationships, the workbook part, the shared strings and the cell styles
//! once per book, then each worksheet inflated once for its cells, merged regions and row
//! heights — into what the calamine path (`xlsx::XlsxBook`) gives, cell for cell.
//!
//! Whatever it cannot be sure to read as calamine does (a prefixed element in the sheet data,
//! strict OOXML, a missing or oddly named part, an unknown sheet type, an encoding other than
//! UTF-8, anything calamine would report as an error) it declines, for the whole workbook, and
//! calamine reads the package (`xlsx::read`): never worse than calamine alone.

use std::sync::atomic::{AtomicUsize, Ordering};

use calamine::{SheetType, SheetVisible};

use super::guard::{MAX_MEMBER_BYTES, MAX_TOTAL_UNCOMPRESSED};
use super::heights::{xlsx_rows, Heights};
use super::opc::{
    join_part, merge_cells_in, office_document_target, resolve_part, Package, BOOK_LIMIT,
    BOOK_RELS_LIMIT, ROOT_RELS_LIMIT,
};
use super::sheet_xml::{self, declared_cells, BookContext, Failure};
use super::sst::SharedStrings;
use super::styles::{cell_formats, CellFormat};
use super::tokens::{attr_value, local, text, Decline, Scan, Token, Tokens};
use super::unzip::{Members, Spelling};
use super::{Book, Cells, OpenError, SheetInfo, BYTES_PER_CELL};
use crate::grid::{Merge, Workbook};

static DECLINES: AtomicUsize = AtomicUsize::new(0);

/// How many xlsx packages the direct reader has handed to calamine in this process.
pub fn declines() -> usize {
    DECLINES.load(Ordering::Relaxed)
}

/// Reads the package directly; `Err` (counted) when it declines, the reason inside, or when
/// reading fails (calamine then gives the error it gives).
pub(crate) fn read<'a>(package: &mut Package<'a>, data: &'a [u8]) -> Result<Workbook, Decline> {
    let members = Members::new(&mut package.zip, data);
    let outcome = DirectBook::open(members, package.root_rels.as_deref()).and_then(|mut book| {
        book.read().map_err(|_| {
            book.declined
                .unwrap_or(Decline("an error left to calamine"))
        })
    });
    if outcome.is_err() {
        DECLINES.fetch_add(1, Ordering::Relaxed);
    }
    outcome
}

struct DirectBook<'p, 'a> {
    members: Members<'p, 'a>,
    /// Every sheet in workbook order, with its part's zip member name.
    sheets: Vec<(calamine::Sheet, String)>,
    strings: SharedStrings,
    formats: Vec<CellFormat>,
    is_1904: bool,
    /// The XML of the sheet read last (the buffer is kept from sheet to sheet).
    xml: Vec<u8>,
    /// Uncompressed bytes left for the sheets.
    budget: u64,
    /// The merged regions and row heights of the sheet read last.
    layout: Option<(Vec<Merge>, Heights)>,
    /// Why a sheet was declined, when it was.
    declined: Option<Decline>,
}

impl<'p, 'a> DirectBook<'p, 'a> {
    /// Reads the workbook's parts as calamine's `Xlsx::new` does; `root_rels` is `_rels/.rels`
    /// as the sniffer read it.
    fn open(mut zip: Members<'p, 'a>, root_rels: Option<&str>) -> Scan<DirectBook<'p, 'a>> {
        let read_root;
        let root = match root_rels {
            Some(r) if r.len() + 4 < ROOT_RELS_LIMIT as usize && !r.contains('\u{FFFD}') => {
                zip.find("_rels/.rels", Spelling::Exact)?
                    .ok_or(Decline("no _rels/.rels"))?;
                r
            }
            _ => {
                read_root = zip
                    .text("_rels/.rels", Spelling::Exact, ROOT_RELS_LIMIT)?
                    .ok_or(Decline("no _rels/.rels"))?;
                &read_root
            }
        };
        let target = office_document(root)?;
        let target = target.strip_prefix('/').unwrap_or(&target);
        if office_document_target(root).as_deref() != Some(target) {
            return Err(Decline("the workbook part named two ways"));
        }
        let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
        if name.is_empty() {
            return Err(Decline("a workbook part without a name"));
        }
        let strings = match zip.text(
            &format!("{dir}sharedStrings.xml"),
            Spelling::Loose,
            MAX_MEMBER_BYTES,
        )? {
            Some(xml) => SharedStrings::parse(&xml)?,
            None => SharedStrings::default(),
        };
        let formats = match zip.text(
            &format!("{dir}styles.xml"),
            Spelling::Loose,
            MAX_MEMBER_BYTES,
        )? {
            Some(xml) => cell_formats(&xml)?,
            None => Vec::new(),
        };
        let rels = zip
            .text(
                &format!("{dir}_rels/{name}.rels"),
                Spelling::Exact,
                BOOK_RELS_LIMIT,
            )?
            .ok_or(Decline("no workbook relationships"))?;
        let targets = relationships(&rels, dir)?;
        let book = zip
            .text(&format!("{dir}{name}"), Spelling::Exact, BOOK_LIMIT)?
            .ok_or(Decline("no workbook part"))?;
        let (sheets, is_1904) = workbook(&book, &targets, dir)?;
        Ok(DirectBook {
            members: zip,
            sheets,
            strings,
            formats,
            is_1904,
            xml: Vec::new(),
            budget: MAX_TOTAL_UNCOMPRESSED,
            layout: None,
            declined: None,
        })
    }

    /// Reads the sheet `name` (the first of that name, as calamine finds it).
    fn sheet(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), Failure> {
        let path = &self
            .sheets
            .iter()
            .find(|(s, _)| s.name == name)
            .ok_or(Decline("no such sheet"))?
            .1;
        let i = self
            .members
            .find(path, Spelling::Exact)?
            .ok_or(Decline("a sheet part that is missing"))?;
        self.members.inflate(i, &mut self.xml, MAX_MEMBER_BYTES)?;
        let size = self.xml.len() as u64;
        self.budget = self
            .budget
            .checked_sub(size)
            .ok_or(Decline("the sheets unpack to too much"))?;
        let xml = std::str::from_utf8(&self.xml).map_err(|_| Decline("a sheet not in UTF-8"))?;
        let book = BookContext {
            strings: &self.strings,
            formats: &self.formats,
            is_1904: self.is_1904,
        };
        let cells_end = sheet_xml::read(xml, &book, cells, |cells, dims| {
            cells.reserve(declared_cells(dims).min(size / BYTES_PER_CELL));
        })?;
        // No <mergeCells> can start before (`sheet_xml::read` declines one there): the last one,
        // which `merge_cells_in` reads, is found in the rest.
        let merges = self
            .xml
            .get(cells_end..)
            .and_then(merge_cells_in)
            .ok_or(Decline("unusual <mergeCells>"))?;
        self.layout = Some((merges, xlsx_rows(&self.xml)));
        Ok(())
    }
}

impl Book for DirectBook<'_, '_> {
    fn sheets(&self) -> Vec<SheetInfo> {
        let metas: Vec<calamine::Sheet> = self.sheets.iter().map(|(s, _)| s.clone()).collect();
        SheetInfo::list(&metas)
    }

    fn cells(&mut self, name: &str, cells: &mut Cells<'_>) -> Result<(), OpenError> {
        self.layout = None;
        self.sheet(name, cells).map_err(|f| match f {
            Failure::Open(e) => e,
            Failure::Decline(d) => {
                self.declined = Some(d);
                OpenError::Corrupt(format!("the direct reader declined: {}", d.0))
            }
        })
    }

    fn merges(&mut self, _name: &str) -> Result<Option<Vec<Merge>>, OpenError> {
        Ok(self.layout.as_mut().map(|l| std::mem::take(&mut l.0)))
    }

    fn row_heights(&mut self, _name: &str) -> Vec<(u32, f64)> {
        self.layout.take().map(|l| l.1).unwrap_or_default()
    }
}

/// The target of the `officeDocument` relationship of `_rels/.rels`, decoded (calamine's
/// `read_package_relationships`).
fn office_document(xml: &str) -> Scan<String> {
    let mut t = Tokens::new(xml)?;
    loop {
        match t.next()? {
            Some(Token::Start(e)) if e.local() == "Relationships" => break,
            Some(_) => {}
            None => return Err(Decline("no <Relationships>")),
        }
    }
    let mut target = None;
    loop {
        match t.next()? {
            Some(Token::Start(e)) if e.local() == "Relationship" => {
                let [typ, to] = e.get(["Type", "Target"])?;
                let typ = typ.unwrap_or("");
                if typ.ends_with("/relationships/officeDocument") {
                    if typ.starts_with("http://purl.oclc.org/") {
                        return Err(Decline("strict OOXML"));
                    }
                    if let Some(to) = to {
                        target = Some(attr_value(to)?.into_owned());
                    }
                }
            }
            Some(Token::End(n)) if local(n) == "Relationships" => break,
            Some(_) => {}
            None => return Err(Decline("the root relationships do not end")),
        }
    }
    target.ok_or(Decline("no officeDocument relationship"))
}

/// A relationship of the workbook part: its raw target and type.
struct Relationship<'r> {
    id: &'r str,
    target: &'r str,
    typ: &'r str,
}

/// The relationships of the workbook part (calamine's `read_relationships`), each of which the
/// merged-region reading must resolve too (`opc::SheetParts`), against `dir`.
fn relationships<'r>(xml: &'r str, dir: &str) -> Scan<Vec<Relationship<'r>>> {
    let mut t = Tokens::new(xml)?;
    let mut out: Vec<Relationship<'r>> = Vec::new();
    loop {
        match t.next()? {
            Some(Token::Start(e)) if e.local() == "Relationship" => {
                // The merged-region reading finds Id and Target by their local names.
                let prefixed = |k: &str| k.contains(':') && matches!(local(k), "Id" | "Target");
                if e.attrs().any(|a| a.is_ok_and(|(k, _)| prefixed(k))) {
                    return Err(Decline("a prefixed relationship attribute"));
                }
                let [id, target, typ] = e.get(["Id", "Target", "Type"])?;
                let (Some(id), Some(target)) = (id, target) else {
                    return Err(Decline("a relationship without Id or Target"));
                };
                let plain = |s: &str| !s.contains(['&', '\t', '\r', '\n']);
                if !plain(id) || !plain(target) || resolve_part(dir, target).is_none() {
                    return Err(Decline("an unusual relationship"));
                }
                if out.iter().any(|r| r.id == id) {
                    return Err(Decline("a relationship Id given twice"));
                }
                out.push(Relationship {
                    id,
                    target,
                    typ: typ.unwrap_or(""),
                });
            }
            Some(Token::End(n)) if local(n) == "Relationships" => return Ok(out),
            Some(_) => {}
            None => return Err(Decline("the workbook relationships do not end")),
        }
    }
}

/// The sheets the workbook part lists, with their parts, and whether it counts dates from 1904
/// (calamine's `read_workbook`).
fn workbook(
    xml: &str,
    rels: &[Relationship<'_>],
    dir: &str,
) -> Scan<(Vec<(calamine::Sheet, String)>, bool)> {
    if memchr::memmem::find(xml.as_bytes(), b"purl.oclc.org/ooxml/spreadsheetml").is_some() {
        return Err(Decline("strict OOXML"));
    }
    let mut t = Tokens::new(xml)?;
    let mut sheets: Vec<(calamine::Sheet, String)> = Vec::new();
    let mut is_1904 = false;
    loop {
        let e = match t.next()? {
            Some(Token::Start(e)) => e,
            Some(Token::End(n)) if local(n) == "workbook" => return Ok((sheets, is_1904)),
            Some(_) => continue,
            None => return Err(Decline("the workbook part does not end")),
        };
        match e.local() {
            "sheet" => {
                let (mut name, mut visible, mut id, mut ids) = (None, SheetVisible::Visible, "", 0);
                for a in e.attrs() {
                    let (k, v) = a?;
                    match k {
                        "name" => name = Some(v),
                        "state" => {
                            visible = match v {
                                "visible" => SheetVisible::Visible,
                                "hidden" => SheetVisible::Hidden,
                                "veryHidden" => SheetVisible::VeryHidden,
                                _ => return Err(Decline("an unknown sheet state")),
                            }
                        }
                        k if local(k) == "id" => (id, ids) = (v, ids + 1),
                        // The merged-region reading finds the name by its local name.
                        k if local(k) == "name" => return Err(Decline("a prefixed sheet name")),
                        _ => {}
                    }
                }
                let raw = name.ok_or(Decline("a sheet without a name"))?;
                if ids != 1 || raw.contains(['\t', '\r', '\n']) {
                    return Err(Decline("an unusual sheet"));
                }
                let name = attr_value(raw)?.into_owned();
                let rel = rels
                    .iter()
                    .find(|r| r.id == id)
                    .ok_or(Decline("a sheet without its relationship"))?;
                // calamine's path, as joined; the merged-region reading resolves it.
                let path = join_part(dir, rel.target);
                if resolve_part(dir, rel.target).as_deref() != Some(path.as_str()) {
                    return Err(Decline("a sheet part named two ways"));
                }
                let typ = match rel.typ.rsplit('/').next() {
                    Some("worksheet") => SheetType::WorkSheet,
                    Some("chartsheet") => SheetType::ChartSheet,
                    Some("dialogsheet") => SheetType::DialogSheet,
                    _ => return Err(Decline("an unknown sheet type")),
                };
                if sheets.iter().any(|(s, _)| s.name == name) {
                    return Err(Decline("two sheets of the same name"));
                }
                sheets.push((calamine::Sheet { name, typ, visible }, path));
            }
            "workbookPr" => {
                if let Some(v) = e.attr("date1904")? {
                    is_1904 = v == "1" || v == "true";
                }
            }
            "definedName" => {
                if let Some(n) = e.attr("name")? {
                    attr_value(n)?;
                    loop {
                        match t.next()? {
                            Some(Token::End(n)) if n == e.name => break,
                            Some(Token::Text(s)) => {
                                text(s)?;
                            }
                            Some(_) => {}
                            None => return Err(Decline("a defined name that does not end")),
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
