//! Why a file could not be read as a workbook (rule S01), with the message a clerk can act on.

use super::guard::{MAX_CELLS, MAX_DENSE_AREA, MAX_MEMBER_BYTES};
use crate::diag::Msg;

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
    #[error("not a regular file ({})", .0.words().1)]
    NotAFile(Special),
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
}

impl OpenError {
    pub(crate) fn foreign(kind: Foreign, detail: impl Into<String>) -> Self {
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
            OpenError::NotAFile(_) => "not-a-file",
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
            OpenError::NotAFile(kind) => {
                let (zh, en) = kind.words();
                Msg::new(
                    format!("不是普通文件（它是{zh}），无法读取；请报送 Excel/WPS 表格文件本身"),
                    format!("not a regular file (it is {en}); it cannot be read: send the Excel/WPS file itself"),
                )
            }
            OpenError::Io(e) => Msg::new(
                format!("无法读取文件：{e}（文件可能正被 Excel 打开）"),
                format!("cannot read the file: {e} (it may be open in Excel)"),
            ),
        }
    }
}

/// What a path that is not a regular file is (only regular files are read: a FIFO would block
/// the read, a device such as `/dev/zero` never ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Directory,
    Fifo,
    Device,
    Socket,
}

impl Special {
    /// What `meta` is, when it is not a regular file.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Special> {
        let t = meta.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(Special::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some(Special::Fifo);
            }
            if t.is_socket() {
                return Some(Special::Socket);
            }
        }
        Some(Special::Device)
    }

    /// The kind an error of `read_regular_file` carries, if any.
    pub fn in_error(e: &std::io::Error) -> Option<Special> {
        e.get_ref()?.downcast_ref::<Special>().copied()
    }

    /// What it is: (Chinese, English), e.g. (命名管道, a FIFO (named pipe)).
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Special::Directory => ("文件夹", "a folder"),
            Special::Fifo => ("命名管道", "a FIFO (named pipe)"),
            Special::Device => ("设备文件", "a device"),
            Special::Socket => ("套接字", "a socket"),
        }
    }
}

impl std::fmt::Display for Special {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a regular file (it is {})", self.words().1)
    }
}

impl std::error::Error for Special {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_never_empty() {
        let errors = [
            OpenError::Encrypted,
            OpenError::Corrupt("x".into()),
            OpenError::TooLarge("x".into()),
            OpenError::NoSheets,
            OpenError::NotAFile(Special::Fifo),
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
