//! Decides a file's format from its content, never from its extension alone: county clerks
//! send `.XLS` files that are really xlsx, "Excel exports" that are HTML, Word documents, and so
//! on. Also checks a zip package's declared sizes before anything is inflated.

use std::io::Cursor;

use super::guard::{MAX_MEMBER_BYTES, MAX_TOTAL_UNCOMPRESSED};
use super::opc::{office_document_target, zip_err, zip_member_text, Package};
use super::unzip::member_text;
use super::{cfb, Foreign, OpenError};

/// What a readable file is; a zip package comes opened, for its reader to go on with.
pub(crate) enum Format<'a> {
    Xlsx(Package<'a>),
    Ods(Package<'a>),
    Xls,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn sniff(data: &[u8]) -> Result<Format<'_>, OpenError> {
    if data.is_empty() {
        return Err(OpenError::foreign(Foreign::Empty, "zero bytes"));
    }
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") {
        return sniff_zip(data);
    }
    if data.starts_with(&CFB_MAGIC) {
        return sniff_cfb(data);
    }
    if data.len() >= 4 && data[0] == 0x09 && matches!(data[1], 0x00 | 0x02 | 0x04) {
        // BOF record of a raw BIFF2/3/4 stream.
        return Err(OpenError::foreign(
            Foreign::OldExcel,
            "raw BIFF2-4 worksheet",
        ));
    }
    if data.starts_with(b"PK") {
        return Err(OpenError::Corrupt("damaged zip header".into()));
    }
    Err(sniff_text(data))
}

fn sniff_text(data: &[u8]) -> OpenError {
    let head = &data[..data.len().min(4096)];
    // "Unicode text" / HTML saved by Excel may be UTF-16 with a byte-order mark.
    let utf16 = |be: bool| -> String {
        let units: Vec<u16> = head[2..]
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    let (text, head): (String, &[u8]) = match head {
        [0xFF, 0xFE, ..] => (utf16(false), b"utf-16"),
        [0xFE, 0xFF, ..] => (utf16(true), b"utf-16"),
        _ => (String::from_utf8_lossy(head).into_owned(), head),
    };
    let text = text.to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.contains("urn:schemas-microsoft-com:office:spreadsheet") && !text.contains("<html") {
        return OpenError::foreign(Foreign::Xml2003, "XML Spreadsheet 2003");
    }
    if text.contains("<html") || text.contains("<!doctype html") || text.contains("<table") {
        return OpenError::foreign(Foreign::Html, "HTML page");
    }
    let binary = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    if binary * 20 < head.len().max(1) {
        OpenError::foreign(Foreign::Text, "plain text")
    } else {
        OpenError::foreign(Foreign::Unknown, "unknown binary content")
    }
}

fn sniff_zip(data: &[u8]) -> Result<Format<'_>, OpenError> {
    sniff_zip_with_limits(data, MAX_MEMBER_BYTES, MAX_TOTAL_UNCOMPRESSED)
}

fn sniff_zip_with_limits(
    data: &[u8],
    member_limit: u64,
    total_limit: u64,
) -> Result<Format<'_>, OpenError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).map_err(zip_err)?;
    let mut names = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(zip_err)?;
        let name = f.name().map_err(zip_err)?.into_owned();
        let size = f.size();
        if size > member_limit {
            return Err(OpenError::TooLarge(format!(
                "{name} unpacks to {} MB, limit {} MB",
                size / (1024 * 1024),
                member_limit / (1024 * 1024)
            )));
        }
        total = total.saturating_add(size);
        names.push(name);
    }
    if total > total_limit {
        return Err(OpenError::TooLarge(format!(
            "the package unpacks to {} MB, limit {} MB",
            total / (1024 * 1024),
            total_limit / (1024 * 1024)
        )));
    }
    let has = |n: &str| names.iter().any(|m| m == n);

    if has("mimetype") || has("content.xml") {
        let mime = zip_member_text(&mut zip, "mimetype", 200).unwrap_or_default();
        let mime = mime.trim();
        if mime.is_empty() || mime.contains("spreadsheet") {
            if !has("content.xml") {
                return Err(OpenError::Corrupt("ODS package without content.xml".into()));
            }
            return Ok(Format::Ods(Package {
                zip,
                root_rels: None,
            }));
        }
        if mime.contains("opendocument.text") {
            return Err(OpenError::foreign(Foreign::Word, "OpenDocument text"));
        }
        return Err(OpenError::foreign(
            Foreign::OtherDocument,
            format!("OpenDocument of type {mime}"),
        ));
    }

    let types = member_text(&mut zip, data, "[Content_Types].xml", 1 << 20).unwrap_or_default();
    if has("word/document.xml") || types.contains("wordprocessingml.document.main") {
        return Err(OpenError::foreign(Foreign::Word, "Word document (docx)"));
    }
    let root_rels = member_text(&mut zip, data, "_rels/.rels", super::opc::ROOT_RELS_LIMIT);
    let main_part = root_rels.as_deref().and_then(office_document_target);
    if let Some(part) = &main_part {
        if part.to_ascii_lowercase().ends_with(".bin") {
            return Err(OpenError::foreign(Foreign::Xlsb, "xlsb"));
        }
    }
    let xlsx_types = (types.contains("spreadsheetml") && types.contains(".main+xml"))
        || types.contains("ms-excel.sheet.macroEnabled.main+xml")
        || types.contains("ms-excel.template.macroEnabled.main+xml");
    if has("xl/workbook.xml") || xlsx_types {
        if let Some(part) = &main_part {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(part)) {
                return Err(OpenError::Corrupt(format!(
                    "the workbook part {part} is missing"
                )));
            }
        }
        return Ok(Format::Xlsx(Package { zip, root_rels }));
    }
    if has("xl/workbook.bin") || types.contains("sheet.binary.macroEnabled.main") {
        return Err(OpenError::foreign(Foreign::Xlsb, "xlsb"));
    }
    if has("ppt/presentation.xml") || types.contains("presentationml") {
        return Err(OpenError::foreign(
            Foreign::OtherDocument,
            "PowerPoint presentation",
        ));
    }
    if has("[Content_Types].xml") || names.iter().any(|n| n.starts_with("xl/")) {
        return Err(OpenError::Corrupt(
            "OOXML package without a workbook part".into(),
        ));
    }
    Err(OpenError::foreign(
        Foreign::Unknown,
        "zip archive that is not a workbook",
    ))
}

fn sniff_cfb(data: &[u8]) -> Result<Format<'static>, OpenError> {
    let names = cfb::entry_names(data);
    let has = |n: &str| names.iter().any(|m| m.eq_ignore_ascii_case(n));
    if has("EncryptionInfo") || has("EncryptedPackage") {
        return Err(OpenError::Encrypted);
    }
    if has("Workbook") || has("Book") {
        return Ok(Format::Xls);
    }
    if has("WordDocument") {
        return Err(OpenError::foreign(Foreign::Word, "Word document (doc)"));
    }
    if has("PowerPoint Document") {
        return Err(OpenError::foreign(
            Foreign::OtherDocument,
            "PowerPoint presentation",
        ));
    }
    // Unknown or truncated directory: let the xls reader decide (and fail cleanly).
    Ok(Format::Xls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_member_size_is_checked_before_reading() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/workbook.xml", opts).unwrap();
        w.write_all(&[b' '; 4096]).unwrap();
        let data = w.finish().unwrap().into_inner();
        assert!(matches!(
            sniff_zip_with_limits(&data, 1024, u64::MAX),
            Err(OpenError::TooLarge(_))
        ));
        assert!(matches!(
            sniff_zip_with_limits(&data, u64::MAX, 1024),
            Err(OpenError::TooLarge(_))
        ));
        assert!(matches!(
            sniff_zip_with_limits(&data, u64::MAX, u64::MAX),
            Ok(Format::Xlsx(_))
        ));
    }
}
