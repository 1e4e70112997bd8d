//! How an input's path is shown. A zip made on Chinese Windows and unpacked elsewhere gives
//! file names in GBK, which are not UTF-8: such a file is still read, its name shown decoded
//! from GBK when it decodes cleanly (else lossily), and a note says so.

use std::path::{Component, Path};

use crate::diag::Msg;

/// A path as shown to the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownPath {
    pub text: String,
    /// Set when a part of the name is not UTF-8.
    pub note: Option<Msg>,
}

/// How the non-UTF-8 parts of a path were shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoded {
    Gbk,
    Lossy,
}

/// The path `path` as text: unchanged when it is UTF-8; otherwise each part that is not UTF-8
/// decoded as GBK when that decodes cleanly, or lossily (with U+FFFD), and a note saying which.
pub fn show_path(path: &Path) -> ShownPath {
    if let Some(text) = path.to_str() {
        return ShownPath {
            text: text.to_string(),
            note: None,
        };
    }
    let mut worst: Option<Decoded> = None;
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        let Component::Normal(part) = c else {
            out.push(c.as_os_str());
            continue;
        };
        if let Some(s) = part.to_str() {
            out.push(s);
            continue;
        }
        let bytes = part.as_encoded_bytes();
        let gbk = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes);
        match gbk {
            Some(s) => {
                out.push(&*s);
                worst = worst.or(Some(Decoded::Gbk));
            }
            None => {
                out.push(&*String::from_utf8_lossy(bytes));
                worst = Some(Decoded::Lossy);
            }
        }
    }
    let note = worst.map(|d| match d {
        Decoded::Gbk => Msg::new(
            "文件名不是 UTF-8 编码（多见于中文 Windows 打包的压缩文件），已按 GBK 解码显示；建议重命名",
            "the file name is not UTF-8 (common in zip files made on Chinese Windows); it is shown decoded as GBK; consider renaming it",
        ),
        Decoded::Lossy => Msg::new(
            "文件名无法解码（不是 UTF-8 或 GBK 编码），无法识别的字符显示为 �；建议重命名",
            "the file name could not be decoded (neither UTF-8 nor GBK); undecodable characters are shown as �; consider renaming it",
        ),
    });
    ShownPath {
        text: out.display().to_string(),
        note,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn gbk_names_are_decoded_and_noted() {
        // 城区.xlsx in GBK.
        let gbk: &[u8] = b"\xb3\xc7\xc7\xf8.xlsx";
        let p = Path::new("收件箱").join(OsStr::from_bytes(gbk));
        let shown = show_path(&p);
        assert_eq!(shown.text, "收件箱/城区.xlsx");
        assert!(shown.note.unwrap().zh.contains("GBK"));
        // Not GBK either (a lone lead byte): lossy.
        let shown = show_path(Path::new(OsStr::from_bytes(b"a\x81.xlsx")));
        assert_eq!(shown.text, "a\u{fffd}.xlsx");
        assert!(shown.note.unwrap().zh.contains("无法解码"));
        let plain = show_path(Path::new("/tmp/城区.xlsx"));
        assert_eq!(plain.text, "/tmp/城区.xlsx");
        assert!(plain.note.is_none());
    }
}
