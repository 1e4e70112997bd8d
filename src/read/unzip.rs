//! The members of a zip package read in one go: each inflated in one call into a buffer of the
//! size the central directory gives, by one inflater kept per thread, its CRC checked as the zip
//! crate checks it — the zip crate's reader sets up an inflater and its buffers for every member,
//! which costs more than inflating a small part. For the direct xlsx reader (`direct`), which
//! finds members as calamine does and declines on anything else (encryption, a method other than
//! stored or deflated, a size or CRC that does not match), and for the sniffer.

use std::cell::RefCell;
use std::io::Cursor;

use flate2::{Decompress, FlushDecompress, Status};
use zip::CompressionMethod;

use super::tokens::{Decline, Scan};

/// How a part must be named for the direct reader to read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// As calamine finds it: without case, `\` read as `/`.
    Loose,
    /// Exactly so: the merged-region reading (`opc::SheetParts`) looks these parts up exactly.
    Exact,
}

thread_local! {
    /// The inflater of this thread, reset for each member.
    static INFLATER: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// A package's members, read.
pub(crate) struct Members<'p, 'a> {
    zip: &'p mut zip::ZipArchive<Cursor<&'a [u8]>>,
    /// The package's bytes, which the zip archive reads.
    data: &'a [u8],
}

impl<'p, 'a> Members<'p, 'a> {
    pub fn new(zip: &'p mut zip::ZipArchive<Cursor<&'a [u8]>>, data: &'a [u8]) -> Self {
        Members { zip, data }
    }

    /// The index of the member `name` as calamine finds it (names compared without case, `\`
    /// read as `/`); declines when more than one member matches, or when the one that does is not
    /// spelt `name` and `spelling` is `Exact`.
    pub fn find(&self, name: &str, spelling: Spelling) -> Scan<Option<usize>> {
        let same = |m: &str| {
            m.len() == name.len()
                && m.bytes()
                    .zip(name.bytes())
                    .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (a == b'\\' && b == b'/'))
        };
        let mut found = None;
        for (i, m) in self.zip.file_names().enumerate() {
            let m = m.map_err(|_| Decline("a member name that does not decode"))?;
            if same(&m) {
                if found.is_some() || (spelling == Spelling::Exact && m != name) {
                    return Err(Decline("member names that differ only in case"));
                }
                found = Some(i);
            }
        }
        Ok(found)
    }

    /// Inflates member `i` into `buf` (replacing its content); declines past `limit` bytes.
    pub fn inflate(&mut self, i: usize, buf: &mut Vec<u8>, limit: u64) -> Scan<()> {
        inflate(self.zip, self.data, i, buf, limit)
    }

    /// The member `name` as UTF-8 text, `None` when the package has none.
    pub fn text(&mut self, name: &str, spelling: Spelling, limit: u64) -> Scan<Option<String>> {
        let Some(i) = self.find(name, spelling)? else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        self.inflate(i, &mut buf, limit)?;
        String::from_utf8(buf)
            .map(Some)
            .map_err(|_| Decline("a part not in UTF-8"))
    }
}

/// Inflates member `i` of `zip`, which reads `data`, into `buf` (replacing its content);
/// declines past `limit` bytes.
fn inflate(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    data: &[u8],
    i: usize,
    buf: &mut Vec<u8>,
    limit: u64,
) -> Scan<()> {
    const BAD: Decline = Decline("a member that does not inflate");
    let f = zip.by_index_raw(i).map_err(|_| BAD)?;
    let (method, size, packed, crc) = (f.compression(), f.size(), f.compressed_size(), f.crc32());
    if f.encrypted() {
        return Err(Decline("an encrypted member"));
    }
    if size > limit {
        return Err(Decline("a member larger than its limit"));
    }
    let start = f.data_start().ok_or(BAD)?;
    drop(f);
    let raw = usize::try_from(start)
        .ok()
        .zip(usize::try_from(start.saturating_add(packed)).ok())
        .and_then(|(from, to)| data.get(from..to))
        .ok_or(BAD)?;
    buf.clear();
    match method {
        CompressionMethod::Stored if packed == size => buf.extend_from_slice(raw),
        CompressionMethod::Deflated => {
            buf.reserve_exact(size as usize + 1);
            let status = INFLATER.with_borrow_mut(|inflater| {
                inflater.reset(false);
                inflater.decompress_vec(raw, buf, FlushDecompress::Finish)
            });
            if status.map_err(|_| BAD)? != Status::StreamEnd || buf.len() as u64 != size {
                return Err(BAD);
            }
        }
        _ => return Err(Decline("a member neither stored nor deflated")),
    }
    if crc32fast::hash(buf) != crc {
        return Err(Decline("a member whose CRC does not match"));
    }
    Ok(())
}

/// The member `name` (exactly so) of `zip`, which reads `data`, as text: at most `limit` bytes,
/// invalid UTF-8 replaced. `opc::zip_member_text`, which this reads in one go when the member
/// is whole within the limit and sound, and asks otherwise (for the same text, or none).
pub(crate) fn member_text(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    data: &[u8],
    name: &str,
    limit: u64,
) -> Option<String> {
    let i = zip.index_for_name(name)?;
    let mut buf = Vec::new();
    match inflate(zip, data, i, &mut buf, limit) {
        Ok(()) => Some(match String::from_utf8(buf) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
        Err(_) => super::opc::zip_member_text(zip, name, limit),
    }
}
