//! Reads .xlsx/.xlsm/.xls/.ods into pgcheck's grid (`grid::Workbook`). The only module that
//! touches calamine: it fills merged regions, marks formulas without a cached value, caps the
//! number of cells, and turns every failure — including a panic inside calamine — into an
//! `OpenError` with a message a clerk can act on.
//!
//! The format is decided by sniffing the content, never by the extension alone: county clerks
//! send `.XLS` files that are really xlsx, "Excel exports" that are HTML, and so on.

use std::cell::Cell as StdCell;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use calamine::{Data, DataRef, Ods, Reader, SheetType, SheetVisible, Xls, XlsOptions, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};

use crate::diag::Msg;
use crate::grid::{Cell, CellRef, Merge, Sheet, Value, Workbook};

/// At most this many stored cells per workbook (all sheets together).
pub const MAX_CELLS: usize = 5_000_000;
/// At most this many bytes on disk.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// At most this many uncompressed bytes for one zip member (a sheet's XML, shared strings …).
pub const MAX_MEMBER_BYTES: u64 = 500 * 1024 * 1024;
/// At most this many uncompressed bytes for all zip members together.
pub const MAX_TOTAL_UNCOMPRESSED: u64 = 2 * 1024 * 1024 * 1024;
/// xls and ods: calamine builds dense ranges (about 60 bytes per cell of the bounding box, also
/// for the space the xls DIMENSIONS record declares). At most this many cells of bounding box
/// over all sheets, checked before calamine reads the file.
pub const MAX_DENSE_AREA: u64 = 2_500_000;
/// At most this many merged regions per sheet (real reports have a few hundred).
pub const MAX_MERGES: usize = 100_000;
/// ODS: repeat counts above this are clamped when collecting merged spans.
const MAX_REPEAT: u64 = 100_000;

/// What a file that is not a readable workbook turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// Zero bytes.
    Empty,
    /// Plain text, e.g. CSV.
    Text,
    /// An HTML page saved with an Excel extension (a common "export to Excel").
    Html,
    /// Excel 2003 XML Spreadsheet (SpreadsheetML 2003).
    Xml2003,
    /// A Word document (.doc / .docx).
    Word,
    /// Another OpenDocument / OOXML document (presentation, text …).
    OtherDocument,
    /// Excel binary workbook (.xlsb): not supported.
    Xlsb,
    /// Excel 2.x–4.0 worksheet without a compound-file container.
    OldExcel,
    /// Anything else.
    Unknown,
}

/// Why a file could not be read as a workbook (rule S01).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the file is encrypted")]
    Encrypted,
    #[error("not a spreadsheet: {detail}")]
    NotSpreadsheet { kind: Foreign, detail: String },
    #[error("damaged or truncated: {0}")]
    Corrupt(String),
    #[error("too large: {0}")]
    TooLarge(String),
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl OpenError {
    fn foreign(kind: Foreign, detail: impl Into<String>) -> Self {
        OpenError::NotSpreadsheet {
            kind,
            detail: detail.into(),
        }
    }

    /// A short, stable name for tallies (`encrypted`, `corrupt`, …).
    pub fn kind_name(&self) -> &'static str {
        match self {
            OpenError::Encrypted => "encrypted",
            OpenError::NotSpreadsheet { .. } => "not-spreadsheet",
            OpenError::Corrupt(_) => "corrupt",
            OpenError::TooLarge(_) => "too-large",
            OpenError::NoSheets => "no-sheets",
            OpenError::Io(_) => "io",
        }
    }

    /// The message for S01, in both languages. The caller adds the file name.
    pub fn message(&self) -> Msg {
        const RESAVE_ZH: &str = "请用 Excel 或 WPS 打开后另存为 .xlsx 再报送";
        const RESAVE_EN: &str = "open it in Excel or WPS, save it as .xlsx and send it again";
        match self {
            OpenError::Encrypted => Msg::new(
                "文件已加密，请取消密码后再报送",
                "the file is password-protected; remove the password and send it again",
            ),
            OpenError::NotSpreadsheet { kind, .. } => match kind {
                Foreign::Empty => Msg::new(
                    "文件是空的（0 字节），可能未保存或未下载完整，请重新保存后报送",
                    "the file is empty (0 bytes); it may not have been saved or downloaded completely",
                ),
                Foreign::Word => Msg::new(
                    "这是 Word 文档，不是表格文件，请使用 Excel/WPS 表格模板填报",
                    "this is a Word document, not a spreadsheet; fill in the Excel/WPS template",
                ),
                Foreign::Html => Msg::new(
                    format!("不是 Excel/WPS 表格文件：这是一个网页（HTML）文件，只是扩展名为表格，{RESAVE_ZH}"),
                    format!("not an Excel/WPS spreadsheet: this is a web page (HTML) with a spreadsheet extension; {RESAVE_EN}"),
                ),
                Foreign::Xml2003 => Msg::new(
                    format!("不是可读取的表格格式：这是 Excel 2003 XML 表格，{RESAVE_ZH}"),
                    format!("unsupported format: Excel 2003 XML Spreadsheet; {RESAVE_EN}"),
                ),
                Foreign::Text => Msg::new(
                    format!("不是 Excel/WPS 表格文件：这是纯文本（如 CSV）文件，{RESAVE_ZH}"),
                    format!("not an Excel/WPS spreadsheet: this is a plain-text (e.g. CSV) file; {RESAVE_EN}"),
                ),
                Foreign::Xlsb => Msg::new(
                    format!("不支持 Excel 二进制工作簿（.xlsb），{RESAVE_ZH}"),
                    format!("Excel binary workbooks (.xlsb) are not supported; {RESAVE_EN}"),
                ),
                Foreign::OldExcel => Msg::new(
                    format!("这是 Excel 2.x–4.0 的旧格式，无法读取，{RESAVE_ZH}"),
                    format!("this is an Excel 2.x–4.0 file, which cannot be read; {RESAVE_EN}"),
                ),
                Foreign::OtherDocument => Msg::new(
                    "不是 Excel/WPS 表格文件：这是其他类型的办公文档（如文字或演示文稿）",
                    "not an Excel/WPS spreadsheet: this is another kind of office document (text or presentation)",
                ),
                Foreign::Unknown => Msg::new(
                    format!("不是 Excel/WPS 表格文件（.xlsx/.xlsm/.xls/.ods），{RESAVE_ZH}"),
                    format!("not an Excel/WPS spreadsheet (.xlsx/.xlsm/.xls/.ods); {RESAVE_EN}"),
                ),
            },
            OpenError::Corrupt(_) => Msg::new(
                "文件已损坏或不完整（可能未下载完整），请重新保存后报送",
                "the file is damaged or incomplete (perhaps not fully downloaded); save it again and resend",
            ),
            OpenError::TooLarge(detail) => Msg::new(
                format!(
                    "文件过大，超出可检查的上限（每个工作簿最多 {MAX_CELLS} 个单元格；.xls/.ods 的数据区域最多 {MAX_DENSE_AREA} 个单元格；解压后单个部件最多 {} MB），请删除多余的行列（或远处的零散单元格）后报送",
                    MAX_MEMBER_BYTES / (1024 * 1024)
                ),
                format!(
                    "the file is too large to check ({detail}; at most {MAX_CELLS} cells per workbook); delete unused rows and columns and resend"
                ),
            ),
            OpenError::NoSheets => Msg::new(
                "工作簿中没有工作表",
                "the workbook contains no worksheets",
            ),
            OpenError::Io(e) => Msg::new(
                format!("无法读取文件：{e}（文件可能正被 Excel 打开）"),
                format!("cannot read the file: {e} (it may be open in Excel)"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Panic containment

thread_local! {
    static IN_READER: StdCell<bool> = const { StdCell::new(false) };
}

static HOOK: Once = Once::new();
static PANICS: AtomicUsize = AtomicUsize::new(0);

/// How many panics inside the readers have been caught in this process (for tallies).
pub fn panics_caught() -> usize {
    PANICS.load(Ordering::Relaxed)
}

fn install_quiet_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // `try_with`: the thread-local may already be gone while a thread shuts down.
            let quiet = IN_READER.try_with(|f| f.get()).unwrap_or(false);
            if !quiet {
                previous(info);
            }
        }));
    });
}

/// Runs `f` with panics caught and silenced; a panic becomes `OpenError::Corrupt`.
fn guarded<T>(f: impl FnOnce() -> Result<T, OpenError>) -> Result<T, OpenError> {
    install_quiet_hook();
    let before = IN_READER.with(|flag| flag.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_READER.with(|flag| flag.set(before));
    match result {
        Ok(r) => r,
        Err(payload) => {
            PANICS.fetch_add(1, Ordering::Relaxed);
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(OpenError::Corrupt(format!("reader panicked: {text}")))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entry points

/// Opens any supported file. Never panics.
pub fn open(path: &Path) -> Result<Workbook, OpenError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(OpenError::Io(std::io::Error::other("is a directory")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(OpenError::TooLarge(format!(
            "{} MB on disk, limit {} MB",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let data = std::fs::read(path)?;
    open_bytes(&data)
}

/// Opens a workbook held in memory (the content decides the format). Never panics.
pub fn open_bytes(data: &[u8]) -> Result<Workbook, OpenError> {
    guarded(|| {
        let wb = match sniff(data)? {
            Format::Xlsx => read_xlsx(data)?,
            Format::Ods => read_ods(data)?,
            Format::Xls => read_xls(data)?,
        };
        if wb.sheets.is_empty() {
            return Err(OpenError::NoSheets);
        }
        Ok(wb)
    })
}

// ---------------------------------------------------------------------------------------------
// Sniffing

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Ods,
    Xls,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn sniff(data: &[u8]) -> Result<Format, OpenError> {
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

fn zip_err(e: zip::result::ZipError) -> OpenError {
    OpenError::Corrupt(format!("zip: {e}"))
}

/// Reads at most `limit` bytes of one zip member as text.
fn zip_member_text<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Option<String> {
    let f = zip.by_name(name).ok()?;
    let mut buf = Vec::new();
    f.take(limit).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn sniff_zip(data: &[u8]) -> Result<Format, OpenError> {
    sniff_zip_with_limits(data, MAX_MEMBER_BYTES, MAX_TOTAL_UNCOMPRESSED)
}

fn sniff_zip_with_limits(
    data: &[u8],
    member_limit: u64,
    total_limit: u64,
) -> Result<Format, OpenError> {
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
            return Ok(Format::Ods);
        }
        if mime.contains("opendocument.text") {
            return Err(OpenError::foreign(Foreign::Word, "OpenDocument text"));
        }
        return Err(OpenError::foreign(
            Foreign::OtherDocument,
            format!("OpenDocument of type {mime}"),
        ));
    }

    let types = zip_member_text(&mut zip, "[Content_Types].xml", 1 << 20).unwrap_or_default();
    if has("word/document.xml") || types.contains("wordprocessingml.document.main") {
        return Err(OpenError::foreign(Foreign::Word, "Word document (docx)"));
    }
    let rels = zip_member_text(&mut zip, "_rels/.rels", 1 << 20).unwrap_or_default();
    let main_part = office_document_target(&rels);
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
        return Ok(Format::Xlsx);
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

/// The target of the `officeDocument` relationship in `_rels/.rels`, without a leading `/`.
fn office_document_target(rels: &str) -> Option<String> {
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

/// Lists the names of the CFB directory entries found in the file (a byte scan over 128-byte
/// aligned directory entries, so it also works on a truncated file).
fn cfb_entry_names(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut off = 512;
    while off + 128 <= data.len() {
        let entry = &data[off..off + 128];
        let name_len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        let typ = entry[66];
        if (4..=64).contains(&name_len) && name_len.is_multiple_of(2) && matches!(typ, 1 | 2 | 5) {
            let units: Vec<u16> = entry[..name_len - 2]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let terminated = entry[name_len - 2] == 0 && entry[name_len - 1] == 0;
            if terminated && units.iter().all(|&u| !(0x08..0x20).contains(&u)) {
                if let Ok(s) = String::from_utf16(&units) {
                    out.push(s);
                }
            }
        }
        off += 128;
    }
    out
}

fn sniff_cfb(data: &[u8]) -> Result<Format, OpenError> {
    let names = cfb_entry_names(data);
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

// ---------------------------------------------------------------------------------------------
// Value mapping

fn parse_iso_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.naive_local())
}

fn excel_datetime(d: &calamine::ExcelDateTime) -> Value {
    if d.is_duration() {
        return Value::Number(d.as_f64());
    }
    match d.as_datetime() {
        Some(dt) => Value::from_date_cell(dt),
        None => Value::Number(d.as_f64()),
    }
}

fn iso_value(s: &str) -> Value {
    match parse_iso_datetime(s) {
        Some(d) => Value::from_date_cell(d),
        None => Value::Text(s.to_string()),
    }
}

fn map_data(d: &Data) -> Value {
    match d {
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => excel_datetime(dt),
        Data::DateTimeIso(s) => iso_value(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

fn map_ref(d: DataRef<'_>) -> Value {
    match d {
        DataRef::Int(i) => Value::Number(i as f64),
        DataRef::Float(f) => Value::Number(f),
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_string()),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(dt) => excel_datetime(&dt),
        DataRef::DateTimeIso(s) => iso_value(&s),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

/// Stores the cells of a dense value range and its formula range (.xls, .ods), lined up by
/// absolute position; a formula whose value cell is empty is stored as such (S05).
fn fill_from_ranges(
    sheet: &mut Sheet,
    budget: &mut CellBudget,
    range: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
) -> Result<(), OpenError> {
    let mut formula_at: HashMap<(u32, u32), String> = HashMap::new();
    if let Some((r0, c0)) = formulas.start() {
        for (r, c, f) in formulas.used_cells() {
            if !f.trim().is_empty() {
                formula_at.insert((r0 + r as u32, c0 + c as u32), f.clone());
            }
        }
    }
    if let Some((r0, c0)) = range.start() {
        for (r, c, d) in range.used_cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let f = formula_at.remove(&pos);
            store(sheet, budget, pos, map_data(d), f)?;
        }
    }
    let mut rest: Vec<_> = formula_at.into_iter().collect();
    rest.sort();
    for (pos, f) in rest {
        store(sheet, budget, pos, Value::Empty, Some(f))?;
    }
    Ok(())
}

/// Counts stored cells across the workbook and enforces `MAX_CELLS`.
struct CellBudget(usize);

impl CellBudget {
    fn take(&mut self) -> Result<(), OpenError> {
        self.0 += 1;
        if self.0 > MAX_CELLS {
            return Err(OpenError::TooLarge(format!("more than {MAX_CELLS} cells")));
        }
        Ok(())
    }
}

fn add_merges(sheet: &mut Sheet, dims: &[calamine::Dimensions]) -> Result<(), OpenError> {
    if dims.len() > MAX_MERGES {
        return Err(OpenError::TooLarge(format!(
            "sheet {} has {} merged regions, limit {MAX_MERGES}",
            sheet.name,
            dims.len()
        )));
    }
    for d in dims {
        sheet.add_merge(to_merge(d));
    }
    Ok(())
}

fn to_merge(d: &calamine::Dimensions) -> Merge {
    Merge {
        first: CellRef::new(d.start.0, d.start.1),
        last: CellRef::new(d.end.0.max(d.start.0), d.end.1.max(d.start.1)),
    }
}

/// Stores `value` (and `formula`) at an absolute position; empty cells without a formula are
/// skipped.
fn store(
    sheet: &mut Sheet,
    budget: &mut CellBudget,
    pos: (u32, u32),
    value: Value,
    formula: Option<String>,
) -> Result<(), OpenError> {
    let formula = formula.filter(|f| !f.trim().is_empty());
    if matches!(value, Value::Empty) && formula.is_none() {
        return Ok(());
    }
    budget.take()?;
    sheet.set(CellRef::new(pos.0, pos.1), Cell { value, formula });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// xlsx / xlsm

fn xlsx_err(e: calamine::XlsxError) -> OpenError {
    match e {
        calamine::XlsxError::Password => OpenError::Encrypted,
        calamine::XlsxError::Io(io) => OpenError::Corrupt(format!("xlsx: {io}")),
        other => OpenError::Corrupt(format!("xlsx: {other}")),
    }
}

fn read_xlsx(data: &[u8]) -> Result<Workbook, OpenError> {
    match Xlsx::new(Cursor::new(data)) {
        Ok(xlsx) => read_xlsx_parts(xlsx, data),
        // calamine refuses the whole workbook when one sheet is of a type it does not know.
        Err(calamine::XlsxError::Unrecognized {
            typ: "sheet:type", ..
        }) if let Some(copy) = without_unknown_sheets(data) => {
            read_xlsx_parts(Xlsx::new(Cursor::new(&copy[..])).map_err(xlsx_err)?, &copy)
        }
        Err(e) => Err(xlsx_err(e)),
    }
}

/// A copy of the xlsx package `data` whose workbook part no longer lists the sheets whose type is
/// none of worksheet, chart sheet and dialog sheet: Excel 4.0 macro sheets (宏表,
/// `xl/macrosheets/`, relationship type `xlMacrosheet`) and their international variant. They
/// hold no report data, but calamine knows no such type and refuses the whole workbook, so a file
/// with one was reported as damaged. Members other than the workbook part are copied without
/// being inflated. `None` when there is nothing to drop or the package cannot be rewritten.
fn without_unknown_sheets(data: &[u8]) -> Option<Vec<u8>> {
    use quick_xml::events::Event;
    use std::io::Write;
    let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
    let BookPart {
        name: book,
        xml,
        rels,
        ..
    } = BookPart::read(&mut zip)?;
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

/// Reads the sheets of `xlsx`, opened by calamine over the package `data`.
fn read_xlsx_parts(mut xlsx: Xlsx<Cursor<&[u8]>>, data: &[u8]) -> Result<Workbook, OpenError> {
    let metas: Vec<calamine::Sheet> = xlsx.sheets_metadata().to_vec();
    let mut budget = CellBudget(0);
    let mut parts = SheetParts::new(data);
    let mut budget_bytes = MAX_TOTAL_UNCOMPRESSED;
    let mut wb = Workbook::default();
    for meta in metas {
        let mut sheet = Sheet::new(meta.name.clone());
        sheet.hidden = !matches!(meta.visible, SheetVisible::Visible);
        if meta.typ != SheetType::WorkSheet {
            // Chart, dialog and macro sheets hold no report data.
            continue;
        }
        {
            let mut cells = xlsx.worksheet_cells_reader(&meta.name).map_err(xlsx_err)?;
            while let Some(c) = cells.next_cell_with_formula().map_err(xlsx_err)? {
                store(&mut sheet, &mut budget, c.pos, map_ref(c.value), c.formula)?;
            }
        }
        // The merged regions sit after the cell data: find them in the sheet's XML directly
        // when the sheet's part can be located, instead of parsing the whole sheet a second
        // time (calamine's way, a sixth of the validation time); calamine is the fallback.
        let dims = match parts
            .as_mut()
            .and_then(|p| p.merges(&meta.name, &mut budget_bytes))
        {
            Some(dims) => dims,
            None => xlsx
                .merge_cells_by_sheet_name(&meta.name)
                .map_err(xlsx_err)?,
        };
        add_merges(&mut sheet, &dims)?;
        sheet.seal();
        wb.sheets.push(sheet);
    }
    Ok(wb)
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

impl BookPart {
    fn read<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<BookPart> {
        let root = zip_member_text(zip, "_rels/.rels", 1 << 20)?;
        let name = office_document_target(&root)?;
        let (dir, file) = match name.rfind('/') {
            Some(i) => (&name[..i + 1], &name[i + 1..]),
            None => ("", name.as_str()),
        };
        let rels = zip_member_text(zip, &format!("{dir}_rels/{file}.rels"), 1 << 22)?;
        let xml = zip_member_text(zip, &name, 1 << 24)?;
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
struct SheetParts<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Sheet name (as calamine reports it) → zip member name.
    paths: HashMap<String, String>,
}

impl<'a> SheetParts<'a> {
    fn new(data: &'a [u8]) -> Option<SheetParts<'a>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(data)).ok()?;
        let BookPart {
            dir,
            xml: book_xml,
            rels: book_rels,
            ..
        } = BookPart::read(&mut zip)?;
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

    /// The merged regions of the sheet `name`; `None` when the part cannot be found or read, or
    /// its `<mergeCells>` is not plainly well-formed (the caller then asks calamine).
    fn merges(&mut self, name: &str, budget: &mut u64) -> Option<Vec<calamine::Dimensions>> {
        let path = self.paths.get(name)?;
        let f = self.zip.by_name(path).ok()?;
        let size = f.size();
        *budget = budget.checked_sub(size)?;
        let mut xml = Vec::with_capacity(size.min(MAX_MEMBER_BYTES) as usize);
        f.take(MAX_MEMBER_BYTES).read_to_end(&mut xml).ok()?;
        merge_cells_in(&xml)
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

/// Resolves a relationship target against the folder of its source part (`xl/`), giving a zip
/// member name; `None` for external or escaping targets.
fn resolve_part(dir: &str, target: &str) -> Option<String> {
    let joined = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("{dir}{target}"),
    };
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
fn merge_cells_in(xml: &[u8]) -> Option<Vec<calamine::Dimensions>> {
    use quick_xml::events::Event;
    let needle = b"mergeCells";
    let mut end = xml.len();
    let start = loop {
        let Some(at) = xml[..end].windows(needle.len()).rposition(|w| w == needle) else {
            return Some(Vec::new());
        };
        // Walk back over an optional prefix (`x:`) to the `<`.
        let mut j = at;
        if j > 0 && xml[j - 1] == b':' {
            j -= 1;
            while j > 0 && (xml[j - 1].is_ascii_alphanumeric() || xml[j - 1] == b'_') {
                j -= 1;
            }
        }
        let follows = xml.get(at + needle.len()).copied();
        if j > 0
            && xml[j - 1] == b'<'
            && matches!(follows, Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'))
        {
            break j - 1;
        }
        end = at;
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

/// `A1:C2` or `B4` as calamine's `Dimensions`.
fn dimension(r: &str) -> Option<calamine::Dimensions> {
    let (a, b) = match r.split_once(':') {
        Some((a, b)) => (CellRef::parse(a)?, CellRef::parse(b)?),
        None => {
            let a = CellRef::parse(r)?;
            (a, a)
        }
    };
    Some(calamine::Dimensions {
        start: (a.row, a.col),
        end: (b.row, b.col),
    })
}

// ---------------------------------------------------------------------------------------------
// xls

fn xls_err(e: calamine::XlsError) -> OpenError {
    match e {
        calamine::XlsError::Password => OpenError::Encrypted,
        other => OpenError::Corrupt(format!("xls: {other}")),
    }
}

/// GBK `.xls` written by old Chinese tools: a BIFF5 `Book` stream without a CodePage record.
/// calamine then decodes the 8-bit strings as Latin-1 (`泽州县` → `ÔóÖÝÏØ`); read it again as
/// code page 936 and keep that if it decodes cleanly.
fn read_xls(data: &[u8]) -> Result<Workbook, OpenError> {
    check_cfb_chains(data)?;
    check_xls_area(data)?;
    let first = match read_xls_with(data, XlsOptions::default()) {
        Ok(wb) => wb,
        // XOR-obfuscated files fail on a garbled code page before calamine sees FilePass.
        Err(OpenError::Corrupt(_)) if has_filepass_record(data) => {
            return Err(OpenError::Encrypted)
        }
        Err(e) => return Err(e),
    };
    if !(is_biff5_without_codepage(data) && has_latin1_high_chars(&first)) {
        return Ok(first);
    }
    let mut options = XlsOptions::default();
    options.force_codepage = Some(936);
    match read_xls_with(data, options) {
        Ok(gbk) if !has_replacement_chars(&gbk) => Ok(gbk),
        _ => Ok(first),
    }
}

/// A CFB file's sector size, sector count and FAT, read with bounds checks.
struct CfbFat<'a> {
    data: &'a [u8],
    ss: usize,
    nsec: usize,
    fat: Vec<u32>,
}

/// A chain that never reaches its end within the file's sector count: a loop.
struct Cyclic;

impl<'a> CfbFat<'a> {
    fn read(data: &'a [u8]) -> Option<CfbFat<'a>> {
        let u16_at = |at: usize| Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?));
        let u32_at = |at: usize| Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?));
        let shift = u16_at(30)?;
        if !(7..=12).contains(&shift) {
            return None;
        }
        let ss = 1usize << shift;
        let nsec = data.len().saturating_sub(512) / ss + 1;
        let mut this = CfbFat {
            data,
            ss,
            nsec,
            fat: Vec::new(),
        };
        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| u32_at(76 + 4 * i)).collect();
        let mut next = u32_at(68)?;
        let mut hops = 0;
        while next < 0xFFFF_FFFA && hops <= nsec {
            let words: Vec<u32> = this
                .partial_sector(next)?
                .chunks_exact(4)
                .map(le_u32)
                .collect();
            let (last, body) = words.split_last()?;
            fat_ids.extend_from_slice(body);
            next = *last;
            hops += 1;
        }
        let mut fat = Vec::new();
        // Every FAT sector calamine would load (repeats included), so its chains are ours too.
        for id in fat_ids.into_iter().filter(|&id| id < 0xFFFF_FFFA) {
            // A last sector cut short by the end of the file still counts, as in calamine.
            let Some(sec) = this.partial_sector(id) else {
                continue;
            };
            fat.extend(sec.chunks_exact(4).map(le_u32));
        }
        this.fat = fat;
        Some(this)
    }

    /// Follows the chain from `start` as calamine does (through sectors past the end of the data
    /// too, up to its `len / sector size` bound) and reports a loop.
    fn walk(&self, start: u32) -> Result<(), Cyclic> {
        let maxid = self.data.len() / self.ss;
        let (mut id, mut hops) = (start, 0usize);
        while id < 0xFFFF_FFFA {
            if id as usize > maxid {
                return Ok(());
            }
            let Some(&n) = self.fat.get(id as usize) else {
                return Ok(());
            };
            id = n;
            hops += 1;
            if hops > maxid + 1 {
                return Err(Cyclic);
            }
        }
        Ok(())
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        Some(le_u32(self.data.get(at..at + 4)?))
    }

    /// Sector `id`, or what the file holds of it when the file ends inside it.
    fn partial_sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.ss)?;
        let end = start.checked_add(self.ss)?.min(self.data.len());
        self.data.get(start..end)
    }

    /// Sector `id` (it starts after the header, which takes one sector).
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.ss)?;
        self.data.get(start..start.checked_add(self.ss)?)
    }

    /// The bytes of the chain from `start`, at most `limit`; `Err(Cyclic)` for a loop, `Ok(None)`
    /// for a chain leaving the file.
    fn chain(&self, start: u32, limit: usize) -> Result<Option<Vec<u8>>, Cyclic> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id < 0xFFFF_FFFA && out.len() < limit {
            let Some(sec) = self.sector(id) else {
                return Ok(None);
            };
            out.extend_from_slice(sec);
            let Some(&n) = self.fat.get(id as usize) else {
                return Ok(None);
            };
            id = n;
            hops += 1;
            if hops > self.nsec {
                return Err(Cyclic);
            }
        }
        out.truncate(limit);
        Ok(Some(out))
    }
}

fn le_u32(c: &[u8]) -> u32 {
    u32::from_le_bytes([c[0], c[1], c[2], c[3]])
}

/// Refuses a CFB file with a looping sector chain in any chain calamine follows (directory,
/// mini stream, mini FAT, each stream): calamine would follow it until memory runs out (found
/// by fuzzing). Chains that merely leave the file are calamine's to report.
fn check_cfb_chains(data: &[u8]) -> Result<(), OpenError> {
    let cyclic = |_: Cyclic| OpenError::Corrupt("a sector chain of the compound file loops".into());
    let Some(f) = CfbFat::read(data) else {
        return Ok(());
    };
    let (Some(dir_start), Some(minifat_start)) = (f.u32_at(48), f.u32_at(60)) else {
        return Ok(());
    };
    f.walk(dir_start).map_err(cyclic)?;
    f.walk(minifat_start).map_err(cyclic)?;
    // The directory as far as it can be read, for the streams' own chains.
    let dir = f
        .chain(dir_start, 1 << 24)
        .ok()
        .flatten()
        .unwrap_or_default();
    let minifat: Vec<u32> = f
        .chain(minifat_start, 1 << 24)
        .ok()
        .flatten()
        .unwrap_or_default()
        .chunks_exact(4)
        .map(le_u32)
        .collect();
    let mut mini_len = 0;
    for (k, entry) in dir.chunks_exact(128).enumerate() {
        if !matches!(entry[66], 2 | 5) {
            continue;
        }
        let start = le_u32(&entry[116..120]);
        let size = le_u32(&entry[120..124]) as usize;
        if k == 0 || size >= 4096 {
            f.walk(start).map_err(cyclic)?;
            if k == 0 {
                mini_len = size;
            }
        } else {
            // Mini streams: 64-byte sectors chained by the mini FAT.
            let (mut id, mut hops) = (start, 0);
            while id < 0xFFFF_FFFA {
                let Some(&n) = minifat.get(id as usize) else {
                    break;
                };
                id = n;
                hops += 1;
                if hops > mini_len / 64 + 1 {
                    return Err(cyclic(Cyclic));
                }
            }
        }
    }
    Ok(())
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a CFB file, read with a minimal,
/// bounds-checked CFB reader (regular and mini streams). `None` when it cannot be read.
fn cfb_workbook_stream(data: &[u8]) -> Option<Vec<u8>> {
    let f = CfbFat::read(data)?;
    let chain = |start: u32, limit: usize| f.chain(start, limit).ok().flatten();
    let dir = chain(f.u32_at(48)?, usize::MAX)?;
    let root_start = le_u32(dir.get(116..120)?);
    for entry in dir.chunks_exact(128) {
        let name_len = u16::from_le_bytes([entry[64], entry[65]]) as usize;
        if entry[66] != 2 || !(2..=64).contains(&name_len) {
            continue;
        }
        let units: Vec<u16> = entry[..name_len - 2]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let name = String::from_utf16_lossy(&units);
        if name == "Workbook" || name == "Book" {
            let start = le_u32(&entry[116..120]);
            let size = le_u32(&entry[120..124]) as usize;
            if size >= 4096 {
                return chain(start, size);
            }
            // A small stream lives in the mini stream (64-byte sectors, own FAT).
            let mini = chain(root_start, usize::MAX)?;
            let minifat: Vec<u32> = chain(f.u32_at(60)?, usize::MAX)?
                .chunks_exact(4)
                .map(le_u32)
                .collect();
            let mut out = Vec::with_capacity(size);
            let mut id = start;
            while id < 0xFFFF_FFFA && out.len() < size {
                let at = (id as usize).checked_mul(64)?;
                out.extend_from_slice(mini.get(at..at + 64)?);
                id = *minifat.get(id as usize)?;
                if out.len() > mini.len() {
                    return None;
                }
            }
            out.truncate(size);
            return Some(out);
        }
    }
    None
}

/// Estimates what calamine's dense xls ranges will cost (bounding box of the cells, of the
/// formulas, and the space the DIMENSIONS record asks to reserve, per worksheet) and refuses a
/// file over `MAX_DENSE_AREA` before calamine allocates it.
fn check_xls_area(data: &[u8]) -> Result<(), OpenError> {
    let Some(stream) = cfb_workbook_stream(data) else {
        return Ok(());
    };
    #[derive(Default)]
    struct Bbox(Option<(u64, u64, u64, u64)>);
    impl Bbox {
        fn add(&mut self, r: u64, c0: u64, c1: u64) {
            self.0 = Some(match self.0 {
                None => (r, c0, r, c1),
                Some((a, b, c, d)) => (a.min(r), b.min(c0), c.max(r), d.max(c1)),
            });
        }
        fn area(&self) -> u64 {
            self.0
                .map(|(a, b, c, d)| (c - a + 1).saturating_mul(d.saturating_sub(b) + 1))
                .unwrap_or(0)
        }
    }
    if xls_dimension_claim(&stream) > MAX_DENSE_AREA {
        return Err(OpenError::TooLarge(format!(
            "the sheets span or claim more than {MAX_DENSE_AREA} cells"
        )));
    }
    let mut total: u64 = 0;
    let (mut cells, mut formulas) = (Bbox::default(), Bbox::default());
    let mut in_sheet = false;
    let mut at = 0usize;
    let rd = |at: usize| -> u64 {
        stream
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as u64)
            .unwrap_or(0)
    };
    let rd32 = |at: usize| -> u64 {
        stream
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
            .unwrap_or(0)
    };
    while at + 4 <= stream.len() {
        let typ = rd(at);
        let len = rd(at + 2) as usize;
        let body = at + 4;
        match typ {
            // FilePass: the rest is encrypted; calamine will say so.
            0x002F => return Ok(()),
            0x0809 => {
                in_sheet = rd(body + 2) == 0x0010;
                cells = Bbox::default();
                formulas = Bbox::default();
            }
            0x000A if in_sheet => {
                total = total
                    .saturating_add(cells.area())
                    .saturating_add(formulas.area());
                in_sheet = false;
            }
            0x0200 if in_sheet => {
                let (rows, cols) = match len {
                    10 => (rd(body + 2).saturating_sub(rd(body)), rd(body + 6)),
                    14 | 16 => (rd32(body + 4).saturating_sub(rd32(body)), rd(body + 10)),
                    _ => (0, 0),
                };
                let cols = cols.saturating_sub(rd(body + if len == 10 { 4 } else { 8 }));
                total = total.saturating_add(rows.saturating_mul(cols));
            }
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if in_sheet => {
                cells.add(rd(body), rd(body + 2), rd(body + 2));
            }
            0x0006 if in_sheet => {
                cells.add(rd(body), rd(body + 2), rd(body + 2));
                formulas.add(rd(body), rd(body + 2), rd(body + 2));
            }
            0x00BD if in_sheet && len >= 6 => {
                cells.add(rd(body), rd(body + 2), rd(body + len - 2));
            }
            _ => {}
        }
        if total > MAX_DENSE_AREA {
            return Err(OpenError::TooLarge(format!(
                "the sheets span more than {MAX_DENSE_AREA} cells"
            )));
        }
        at = body + len;
    }
    Ok(())
}

/// What calamine would allocate for the worksheets, in cells: per sheet the larger of what its
/// DIMENSIONS record asks to reserve (computed as calamine does, with u32 arithmetic that wraps
/// when the last row precedes the first) and the bounding box of its cell and formula records
/// (the dense range calamine builds), summed over the sheets. Sheets are found through the
/// BOUNDSHEET records of the globals, as calamine finds them. Fuzzer-made files asked for
/// petabytes (an abort) and for gigabytes this way.
fn xls_dimension_claim(stream: &[u8]) -> u64 {
    let u16_at = |at: usize| {
        stream
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as u32)
    };
    let u32_at = |at: usize| {
        stream
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // Records from `at` until the end of the substream: (type, body offset, body length).
    let records = |mut at: usize| {
        std::iter::from_fn(move || {
            let typ = u16_at(at)?;
            let len = u16_at(at + 2)? as usize;
            let body = at + 4;
            stream.get(body..body + len)?;
            at = body + len;
            Some((typ, body, len))
        })
    };
    let mut positions = Vec::new();
    for (typ, body, len) in records(0) {
        match typ {
            0x0085 if len >= 4 => positions.extend(u32_at(body)),
            // FilePass: the rest is encrypted and calamine stops here.
            0x002F => return 0,
            0x000A => break,
            _ => {}
        }
    }
    let mut worst = 0u64;
    let mut total = 0u64;
    for pos in positions {
        let (mut depth, mut seen_bof) = (0usize, false);
        // Bounding boxes of value cells and of formulas: (min row, min col, max row, max col).
        let mut boxes: [Option<(u64, u64, u64, u64)>; 2] = [None, None];
        let mut add = |k: usize, r: u64, c0: u64, c1: u64| {
            boxes[k] = Some(match boxes[k] {
                None => (r, c0, r, c1),
                Some((a, b, c, d)) => (a.min(r), b.min(c0), c.max(r), d.max(c1)),
            });
        };
        let rd = |at: usize| u16_at(at).unwrap_or(0) as u64;
        for (typ, body, len) in records(pos as usize) {
            match typ {
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0207 if depth == 0 => {
                    add(0, rd(body), rd(body + 2), rd(body + 2));
                }
                0x0006 if depth == 0 => {
                    add(0, rd(body), rd(body + 2), rd(body + 2));
                    add(1, rd(body), rd(body + 2), rd(body + 2));
                }
                0x00BD if depth == 0 && len >= 6 => {
                    add(0, rd(body), rd(body + 2), rd(body + len - 2));
                }
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A if depth == 0 => break,
                0x000A => depth -= 1,
                0x0200 if depth == 0 => {
                    let (rf, rl, mut cf, cl) = match len {
                        10 => (
                            u16_at(body).unwrap_or(0),
                            u16_at(body + 2).unwrap_or(0),
                            u16_at(body + 4).unwrap_or(0),
                            u16_at(body + 6).unwrap_or(0),
                        ),
                        14 | 16 => (
                            u32_at(body).unwrap_or(0),
                            u32_at(body + 4).unwrap_or(0),
                            u16_at(body + 8).unwrap_or(0),
                            u16_at(body + 10).unwrap_or(0),
                        ),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    let (end_r, end_c) = if rl >= 1 && cl >= 1 {
                        (rl - 1, cl - 1)
                    } else {
                        (rf, cf)
                    };
                    let rows = end_r.wrapping_sub(rf).wrapping_add(1) as u64;
                    let cols = end_c.wrapping_sub(cf).wrapping_add(1) as u64;
                    worst = worst.max(rows.saturating_mul(cols));
                }
                _ => {}
            }
        }
        for (a, b, c, d) in boxes.into_iter().flatten() {
            total = total.saturating_add((c - a + 1).saturating_mul(d.saturating_sub(b) + 1));
        }
    }
    worst.max(total)
}

/// Looks for a FilePass record (0x002F) among the first records after a workbook-globals BOF
/// (BIFF5 or BIFF8). Those records stay unencrypted in an encrypted file.
fn has_filepass_record(data: &[u8]) -> bool {
    const BOFS: [[u8; 8]; 2] = [
        [0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00],
        [0x09, 0x08, 0x08, 0x00, 0x00, 0x05, 0x05, 0x00],
    ];
    let read_u16 = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?]) as usize)
    };
    for start in 0..data.len().saturating_sub(8) {
        if !BOFS.iter().any(|b| data[start..].starts_with(b)) {
            continue;
        }
        let mut at = start;
        for _ in 0..8 {
            let (Some(typ), Some(len)) = (read_u16(at), read_u16(at + 2)) else {
                break;
            };
            if typ == 0x002F {
                return true;
            }
            at += 4 + len;
        }
    }
    false
}

fn is_biff5_without_codepage(data: &[u8]) -> bool {
    let names = cfb_entry_names(data);
    let biff5 = names.iter().any(|n| n.eq_ignore_ascii_case("Book"))
        && !names.iter().any(|n| n.eq_ignore_ascii_case("Workbook"));
    // A CodePage record is type 0x0042 with length 2; absent bytes mean surely absent.
    let codepage = data.windows(4).any(|w| w == [0x42, 0x00, 0x02, 0x00]);
    biff5 && !codepage
}

fn workbook_texts(wb: &Workbook) -> impl Iterator<Item = &str> {
    wb.sheets.iter().flat_map(|s| {
        std::iter::once(s.name.as_str()).chain(s.iter().filter_map(|(_, c)| match &c.value {
            Value::Text(t) => Some(t.as_str()),
            _ => None,
        }))
    })
}

fn has_latin1_high_chars(wb: &Workbook) -> bool {
    workbook_texts(wb).any(|t| t.chars().any(|c| ('\u{80}'..='\u{ff}').contains(&c)))
}

fn has_replacement_chars(wb: &Workbook) -> bool {
    workbook_texts(wb).any(|t| t.contains('\u{fffd}'))
}

fn read_xls_with(data: &[u8], options: XlsOptions) -> Result<Workbook, OpenError> {
    let mut xls: Xls<_> = Xls::new_with_options(Cursor::new(data), options).map_err(xls_err)?;
    let metas: Vec<calamine::Sheet> = xls.sheets_metadata().to_vec();
    let mut budget = CellBudget(0);
    let mut wb = Workbook::default();
    for meta in metas {
        let mut sheet = Sheet::new(meta.name.clone());
        sheet.hidden = !matches!(meta.visible, SheetVisible::Visible);
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let range = xls.worksheet_range(&meta.name).map_err(xls_err)?;
        let formulas = xls.worksheet_formula(&meta.name).map_err(xls_err)?;
        fill_from_ranges(&mut sheet, &mut budget, &range, &formulas)?;
        let dims = xls.merge_cells_by_sheet_name(&meta.name).map_err(xls_err)?;
        add_merges(&mut sheet, &dims)?;
        sheet.seal();
        wb.sheets.push(sheet);
    }
    Ok(wb)
}

// ---------------------------------------------------------------------------------------------
// ods

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
pub struct OdsTableLayout {
    pub name: String,
    pub merges: Vec<Merge>,
    /// Bounding box of the non-empty cells: (first row, first col, last row, last col).
    pub used: Option<(u64, u64, u64, u64)>,
}

fn attr_u64(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<u64> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            a.value.trim().parse().ok()
        } else {
            None
        }
    })
}

fn attr_string(e: &quick_xml::events::BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if a.key.local_name().as_ref() == local {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        } else {
            None
        }
    })
}

/// Reads the merged spans and the used area of every table from an ODS `content.xml`.
pub fn ods_layout(content_xml: &[u8]) -> Result<Vec<OdsTableLayout>, OpenError> {
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

    fn mark_used(t: &mut OdsTableLayout, r0: u64, c0: u64, r1: u64, c1: u64) {
        t.used = Some(match t.used {
            None => (r0, c0, r1, c1),
            Some((a, b, c, d)) => (a.min(r0), b.min(c0), c.max(r1), d.max(c1)),
        });
    }

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
                                    mark_used(
                                        t,
                                        r,
                                        c,
                                        r + row_repeat - 1,
                                        c.saturating_add(rep - 1),
                                    );
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
                        mark_used(
                            t,
                            row,
                            col,
                            row + row_repeat - 1,
                            col.saturating_add(rep - 1),
                        );
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

fn read_ods(data: &[u8]) -> Result<Workbook, OpenError> {
    // Our own pass over content.xml first: merged spans, and a size check before calamine
    // allocates dense ranges.
    let layouts = {
        let mut zip = zip::ZipArchive::new(Cursor::new(data)).map_err(zip_err)?;
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
        ods_layout(&content)?
    };
    let mut total: u64 = 0;
    for t in &layouts {
        if let Some((r0, c0, r1, c1)) = t.used {
            let area = (r1 - r0 + 1).saturating_mul(c1 - c0 + 1);
            total = total.saturating_add(area);
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

    let mut ods: Ods<_> = Ods::new(Cursor::new(data)).map_err(ods_err)?;
    let metas: Vec<calamine::Sheet> = ods.sheets_metadata().to_vec();
    let mut budget = CellBudget(0);
    let mut wb = Workbook::default();
    for meta in metas {
        let mut sheet = Sheet::new(meta.name.clone());
        sheet.hidden = !matches!(meta.visible, SheetVisible::Visible);
        let range = ods.worksheet_range(&meta.name).map_err(ods_err)?;
        let formulas = ods.worksheet_formula(&meta.name).map_err(ods_err)?;
        fill_from_ranges(&mut sheet, &mut budget, &range, &formulas)?;
        match layouts.iter().find(|t| t.name == meta.name) {
            Some(t) => {
                for m in &t.merges {
                    sheet.add_merge(*m);
                }
            }
            None => sheet.merges_unknown = true,
        }
        sheet.seal();
        wb.sheets.push(sheet);
    }
    Ok(wb)
}

/// The sheet names of a workbook, in order, without reading any cell (cheap even for a large
/// file). `None` when the file cannot be opened as a workbook.
pub fn sheet_names(path: &Path) -> Option<Vec<String>> {
    use calamine::{open_workbook_auto, Reader};
    guarded(|| {
        open_workbook_auto(path)
            .map(|wb| wb.sheet_names().to_vec())
            .map_err(|e| OpenError::Corrupt(e.to_string()))
    })
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Span = ((u32, u32), (u32, u32));

    fn refs(xml: &str) -> Option<Vec<Span>> {
        merge_cells_in(xml.as_bytes()).map(|v| v.iter().map(|d| (d.start, d.end)).collect())
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

    /// The direct `<mergeCells>` reading gives what calamine's full pass gives, on every xlsx the
    /// project ships (openpyxl, LibreOffice, rust_xlsxwriter and hostile files).
    #[test]
    fn direct_merge_reading_agrees_with_calamine_on_every_fixture() {
        fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| {
                    x.eq_ignore_ascii_case("xlsx") || x.eq_ignore_ascii_case("xlsm")
                }) {
                    out.push(p);
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("fixtures"), &mut files);
        walk(&root.join("templates-xlsx"), &mut files);
        let (mut sheets, mut with_merges) = (0, 0);
        for f in &files {
            let data = std::fs::read(f).unwrap();
            let Some(mut parts) = SheetParts::new(&data) else {
                continue;
            };
            let Ok(mut xlsx) = Xlsx::new(Cursor::new(&data[..])) else {
                continue;
            };
            let names: Vec<String> = xlsx.sheet_names().to_vec();
            for name in names {
                let Ok(want) = xlsx.merge_cells_by_sheet_name(&name) else {
                    continue;
                };
                let got = parts.merges(&name, &mut u64::MAX.clone());
                let got = got
                    .unwrap_or_else(|| panic!("{}: sheet {name} not read directly", f.display()));
                let key = |v: &[calamine::Dimensions]| {
                    v.iter().map(|d| (d.start, d.end)).collect::<Vec<_>>()
                };
                assert_eq!(key(&got), key(&want), "{} sheet {name}", f.display());
                sheets += 1;
                with_merges += usize::from(!want.is_empty());
            }
        }
        assert!(
            sheets > 100 && with_merges > 50,
            "{sheets} sheets, {with_merges} with merges"
        );
    }

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
        assert_eq!(t[0].used, Some((3, 2, 3, 4)));
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
        assert_eq!(
            sniff_zip_with_limits(&data, u64::MAX, u64::MAX).unwrap(),
            Format::Xlsx
        );
    }

    #[test]
    fn panics_become_corrupt_and_stay_quiet() {
        let before = panics_caught();
        let r: Result<(), OpenError> = guarded(|| panic!("boom inside a reader"));
        match r {
            Err(OpenError::Corrupt(m)) => assert!(m.contains("boom")),
            other => panic!("{other:?}"),
        }
        assert!(panics_caught() > before);
        // The flag is reset afterwards.
        assert!(!IN_READER.with(|f| f.get()));
    }

    #[test]
    fn iso_dates_parse() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            iso_value("2024-10-14"),
            Value::Date(d(2024, 10, 14).and_hms_opt(0, 0, 0).unwrap())
        );
        assert_eq!(
            iso_value("2024-10-14T08:30:00"),
            Value::Date(d(2024, 10, 14).and_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(iso_value("下周一"), Value::Text("下周一".into()));
    }

    #[test]
    fn messages_are_never_empty() {
        let errors = [
            OpenError::Encrypted,
            OpenError::Corrupt("x".into()),
            OpenError::TooLarge("x".into()),
            OpenError::NoSheets,
            OpenError::Io(std::io::Error::other("x")),
            OpenError::foreign(Foreign::Word, "x"),
            OpenError::foreign(Foreign::Empty, "x"),
        ];
        for e in errors {
            let m = e.message();
            assert!(!m.zh.is_empty() && !m.en.is_empty());
        }
        assert_eq!(
            OpenError::Encrypted.message().zh,
            "文件已加密，请取消密码后再报送"
        );
        assert!(OpenError::foreign(Foreign::Word, "")
            .message()
            .zh
            .starts_with("这是 Word 文档，不是表格文件"));
    }
}
