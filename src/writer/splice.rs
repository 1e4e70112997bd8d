//! The data rows of the big sheets of the consolidated workbook (the city's 附件2 and 附件3),
//! written by pgcheck as XML ([`super::rows::RowXml`]) and deflated in chunks on every core
//! while the other sheets build, then spliced into the package rust_xlsxwriter saved, where each
//! such sheet holds only its frame (title, header, 合计, footnotes) with a gap for the rows.
//!
//! rust_xlsxwriter builds a sheet on one thread and deflates the whole package on one thread
//! when saving: for a merge of 1,000 county workbooks that was 165 MB of XML written cell by
//! cell and deflated serially, about the last second of the run on one core. Each chunk here is a
//! raw deflate stream ended by a sync flush (byte-aligned, not final), so the chunks joined in
//! order are one stream, as pigz does; their CRCs combine.

use std::io::{self, Cursor, Read};

use flate2::{Compress, Compression, FlushCompress, Status};
use memchr::memmem;

/// A piece of a member's data, deflated.
#[derive(Debug)]
pub struct Chunk {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
    len: u64,
}

impl Chunk {
    /// Deflates `xml` at `level`: ended by a sync flush, or, when `last`, as the stream's end.
    pub fn deflate(xml: &[u8], level: u8, last: bool) -> Chunk {
        let mut crc = crc32fast::Hasher::new();
        crc.update(xml);
        let mut c = Compress::new(Compression::new(u32::from(level)), false);
        let flush = if last {
            FlushCompress::Finish
        } else {
            FlushCompress::Sync
        };
        let mut out = Vec::with_capacity(xml.len() / 4 + 1024);
        loop {
            if out.capacity() - out.len() < 256 {
                out.reserve(out.capacity() / 2 + 1024);
            }
            let done = c.total_in() as usize;
            // Deflating from memory to memory fails only on a misuse of the stream.
            let status = c
                .compress_vec(&xml[done..], &mut out, flush)
                .expect("deflate from memory");
            let consumed = c.total_in() as usize == xml.len();
            match status {
                Status::StreamEnd => break,
                // A flush is complete once a call leaves output space unused.
                _ if !last && consumed && out.len() < out.capacity() => break,
                _ => {}
            }
        }
        Chunk {
            deflated: out,
            crc,
            len: xml.len() as u64,
        }
    }
}

/// The rows to splice into a sheet.
#[derive(Debug)]
pub struct Rows {
    /// 1-based number of the sheet's last row above the gap: the rows go before the first
    /// `<row>` numbered higher (or at the end of `<sheetData>`).
    pub after_row: u32,
    /// The rows' XML, in order, each chunk ended by a sync flush.
    pub chunks: Vec<Chunk>,
}

/// A member of the saved package: where its data lies and what its headers say.
struct Member {
    name: String,
    method: u16,
    crc: u32,
    packed: u64,
    size: u64,
    start: u64,
}

fn bad(what: &str) -> io::Error {
    io::Error::other(format!("the saved workbook cannot be completed: {what}"))
}

/// `package` (as rust_xlsxwriter saved it) with each `Rows` inserted into its sheet part
/// (`xl/worksheets/sheetN.xml`). Every other member is copied as it was deflated.
pub fn splice(package: &[u8], level: u8, sheets: Vec<(String, Rows)>) -> io::Result<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).map_err(io::Error::other)?;
    let mut members = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(io::Error::other)?;
        let method = match f.compression() {
            zip::CompressionMethod::Stored => 0,
            zip::CompressionMethod::Deflated => 8,
            _ => return Err(bad("a member neither stored nor deflated")),
        };
        members.push(Member {
            name: f
                .name()
                .map_err(|_| bad("a member name that does not decode"))?
                .into_owned(),
            method,
            crc: f.crc32(),
            packed: f.compressed_size(),
            size: f.size(),
            start: f.data_start().ok_or_else(|| bad("a member without data"))?,
        });
    }
    // Each completed part: its frame up to the gap, the rows, the rest of the frame.
    let mut completed: Vec<(usize, Vec<Chunk>)> = Vec::with_capacity(sheets.len());
    for (part, rows) in sheets {
        let target = members
            .iter()
            .position(|m| m.name == part)
            .ok_or_else(|| bad("the sheet to complete is missing"))?;
        let mut frame = Vec::new();
        zip.by_index(target)
            .and_then(|mut f| f.read_to_end(&mut frame).map_err(Into::into))
            .map_err(io::Error::other)?;
        let at = gap(&frame, rows.after_row).ok_or_else(|| bad("the sheet has no row data"))?;
        let mut chunks = Vec::with_capacity(rows.chunks.len() + 2);
        chunks.push(Chunk::deflate(&frame[..at], level, false));
        chunks.extend(rows.chunks);
        chunks.push(Chunk::deflate(&frame[at..], level, true));
        completed.push((target, chunks));
    }

    let added: usize = completed
        .iter()
        .flat_map(|(_, chunks)| chunks)
        .map(|c| c.deflated.len())
        .sum();
    let mut out = Vec::with_capacity(package.len() + added);
    let mut central = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let offset = out.len() as u64;
        let parts = completed.iter().find(|(t, _)| *t == i).map(|(_, c)| c);
        let (method, crc, packed, size) = match parts {
            Some(parts) => {
                let mut crc = crc32fast::Hasher::new();
                let (mut packed, mut size) = (0u64, 0u64);
                for c in parts {
                    crc.combine(&c.crc);
                    packed += c.deflated.len() as u64;
                    size += c.len;
                }
                (8, crc.finalize(), packed, size)
            }
            None => (m.method, m.crc, m.packed, m.size),
        };
        let entry = Entry {
            name: &m.name,
            method,
            crc,
            packed: small(packed)?,
            size: small(size)?,
            offset: small(offset)?,
        };
        entry.local(&mut out);
        match parts {
            Some(parts) => parts
                .iter()
                .for_each(|c| out.extend_from_slice(&c.deflated)),
            None => {
                let from = usize::try_from(m.start).map_err(|_| bad("a member out of range"))?;
                let data = from
                    .checked_add(m.packed as usize)
                    .and_then(|to| package.get(from..to))
                    .ok_or_else(|| bad("a member out of range"))?;
                out.extend_from_slice(data);
            }
        }
        entry.central(&mut central);
    }
    let cd_offset = small(out.len() as u64)?;
    let cd_size = small(central.len() as u64)?;
    out.extend_from_slice(&central);
    // 0xFFFF members would also mean a Zip64 record.
    let n = u16::try_from(members.len())
        .ok()
        .filter(|&n| n < u16::MAX)
        .ok_or_else(|| bad("too many members"))?;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]); // this disk, the central directory's disk
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&[0, 0]); // no comment
    Ok(out)
}

/// A size or offset that fits the zip format without Zip64 (as rust_xlsxwriter writes without
/// its large-file option, which refuses more than 4 GB). 0xFFFFFFFF itself would tell a reader
/// to look for a Zip64 record.
fn small(n: u64) -> io::Result<u32> {
    u32::try_from(n)
        .ok()
        .filter(|&n| n < u32::MAX)
        .ok_or_else(|| bad("a part of more than 4 GB"))
}

/// Where the rows go: before the first `<row r="K"` with K above `after_row`, else before
/// `</sheetData>`.
fn gap(xml: &[u8], after_row: u32) -> Option<usize> {
    const ROW: &[u8] = b"<row r=\"";
    let data = memmem::find(xml, b"<sheetData>")? + b"<sheetData>".len();
    let end = data + memmem::find(&xml[data..], b"</sheetData>")?;
    for at in memmem::find_iter(&xml[data..end], ROW).map(|i| data + i) {
        let n = xml[at + ROW.len()..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .try_fold(0u32, |n, b| {
                n.checked_mul(10)?.checked_add(u32::from(b - b'0'))
            })?;
        if n > after_row {
            return Some(at);
        }
    }
    Some(end)
}

/// A member's headers.
struct Entry<'a> {
    name: &'a str,
    method: u16,
    crc: u32,
    packed: u32,
    size: u32,
    offset: u32,
}

/// DOS date of 1980-01-01 (time 00:00), as rust_xlsxwriter dates every member.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Version 2.0 needed (deflate); made by Unix, so that the permissions below are read.
const VERSION: u16 = 20;
const MADE_BY: u16 = (3 << 8) | 20;
/// A regular file, read-write for its owner only (rust_xlsxwriter's 0o600).
const EXTERNAL: u32 = 0o100_600 << 16;

impl Entry<'_> {
    fn flags(&self) -> u16 {
        // Bit 11: the name is UTF-8.
        if self.name.is_ascii() {
            0
        } else {
            1 << 11
        }
    }

    fn common(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.flags().to_le_bytes());
        out.extend_from_slice(&self.method.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&self.packed.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
    }

    fn local(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.common(out);
        out.extend_from_slice(self.name.as_bytes());
    }

    fn central(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&MADE_BY.to_le_bytes());
        self.common(out);
        out.extend_from_slice(&0u16.to_le_bytes()); // no comment
        out.extend_from_slice(&0u16.to_le_bytes()); // disk 0
        out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        out.extend_from_slice(&EXTERNAL.to_le_bytes());
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
    }
}

/// The text of `chunks` joined and inflated (tests of the chunks' writers).
#[cfg(test)]
pub(crate) fn inflated(chunks: &[Chunk]) -> String {
    let mut joined: Vec<u8> = chunks.iter().flat_map(|c| c.deflated.clone()).collect();
    joined.extend(Chunk::deflate(b"", 1, true).deflated);
    let mut back = String::new();
    flate2::read::DeflateDecoder::new(&joined[..])
        .read_to_string(&mut back)
        .unwrap();
    back
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut z = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut buf = Vec::new();
                f.read_to_end(&mut buf).unwrap();
                (f.name().unwrap().into_owned(), buf)
            })
            .collect()
    }

    /// A workbook of two constant-memory sheets (inline strings, rows without spans), the
    /// first holding `rows`.
    fn package(rows: &[(u32, &str)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let mut ws = wb.new_worksheet_with_constant_memory().unwrap();
        for (r, s) in rows {
            ws.write_string(*r, 0, *s).unwrap();
        }
        wb.push_worksheet(ws);
        let mut ws = wb.new_worksheet_with_constant_memory().unwrap();
        ws.write_string(0, 0, "second").unwrap();
        wb.push_worksheet(ws);
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn chunks_joined_inflate_to_the_whole_and_crcs_combine() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("<c r=\"A{i}\"><v>{}</v></c>", i * 7 % 1000).into_bytes())
            .collect();
        let pieces: Vec<&[u8]> = text.chunks(300_001).collect();
        let chunks: Vec<Chunk> = pieces
            .iter()
            .enumerate()
            .map(|(i, p)| Chunk::deflate(p, 2, i + 1 == pieces.len()))
            .collect();
        let joined: Vec<u8> = chunks.iter().flat_map(|c| c.deflated.clone()).collect();
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&joined[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let mut crc = crc32fast::Hasher::new();
        chunks.iter().for_each(|c| crc.combine(&c.crc));
        assert_eq!(crc.finalize(), crc32fast::hash(&text));
        // An empty chunk joins too.
        let empty = Chunk::deflate(b"", 2, false);
        let end = Chunk::deflate(b"x", 2, true);
        let mut back = Vec::new();
        let joined = [empty.deflated, end.deflated].concat();
        flate2::read::DeflateDecoder::new(&joined[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, b"x");
    }

    /// The spliced package holds what rust_xlsxwriter would have written with the rows in place:
    /// every member the same after inflating, the sheet's rows where they belong.
    #[test]
    fn a_spliced_package_equals_the_one_written_whole() {
        let whole = package(&[(0, "title"), (1, "r2"), (2, "r3"), (4, "foot")]);
        let frame = package(&[(0, "title"), (4, "foot")]);
        let rows_xml = b"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>r2</t></is></c></row>\
<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>r3</t></is></c></row>";
        let (a, b) = rows_xml.split_at(40);
        let rows = Rows {
            after_row: 1,
            chunks: vec![Chunk::deflate(a, 1, false), Chunk::deflate(b, 1, false)],
        };
        let spliced = splice(&frame, 2, vec![("xl/worksheets/sheet1.xml".into(), rows)]).unwrap();
        assert_eq!(members(&spliced), members(&whole));
        // calamine reads it.
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(Cursor::new(spliced)).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(
            range.get_value((2, 0)),
            Some(&calamine::Data::String("r3".into()))
        );
        assert_eq!(
            range.get_value((4, 0)),
            Some(&calamine::Data::String("foot".into()))
        );
    }

    #[test]
    fn sizes_that_would_need_zip64_are_refused() {
        assert_eq!(small(u64::from(u32::MAX) - 1).unwrap(), u32::MAX - 1);
        assert!(small(u64::from(u32::MAX)).is_err());
        assert!(small(1 << 40).is_err());
    }

    #[test]
    fn rows_after_the_last_go_at_the_end_of_the_sheet_data() {
        let xml = b"<sheetData><row r=\"1\"></row><row r=\"12\"></row></sheetData>";
        assert_eq!(gap(xml, 1), Some(28));
        assert_eq!(gap(xml, 12), Some(xml.len() - "</sheetData>".len()));
        assert_eq!(gap(b"<sheetData/>", 1), None);
    }
}
