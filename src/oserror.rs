//! What an operating-system error means to a clerk, in the run's language: 磁盘已满 for a full
//! disk, 没有权限 for a refused write, instead of the system's English text.

use std::io::{self, ErrorKind};

use crate::diag::Lang;

/// The reason `e` gives, in `lang`.
pub fn reason(e: &io::Error, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if let Some(kind) = crate::read::Special::in_error(e) {
        let (zh_kind, en_kind) = kind.words();
        return if zh {
            format!("不是普通文件（它是{zh_kind}）")
        } else {
            format!("not a regular file (it is {en_kind})")
        };
    }
    // ENOSPC 28 and EDQUOT 122 on Linux; the kinds cover other systems.
    let full = matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
        || matches!(e.raw_os_error(), Some(28) | Some(122));
    let (zh_text, en_text) = if full {
        ("磁盘已满", "the disk is full")
    } else {
        match e.kind() {
            ErrorKind::PermissionDenied => ("没有权限", "permission denied"),
            ErrorKind::ReadOnlyFilesystem => ("磁盘只读，没有权限写入", "the disk is read-only"),
            ErrorKind::NotFound => ("不存在", "not found"),
            ErrorKind::AlreadyExists => ("已存在", "already exists"),
            ErrorKind::NotADirectory => (
                "路径中有一项不是文件夹",
                "a part of the path is not a folder",
            ),
            ErrorKind::IsADirectory => ("是文件夹，不是文件", "is a folder, not a file"),
            ErrorKind::InvalidFilename => (
                "文件名过长或含有不允许的字符",
                "the name is too long or not allowed",
            ),
            ErrorKind::InvalidData => (
                "内容不是有效的 UTF-8 文本",
                "the content is not valid UTF-8 text",
            ),
            ErrorKind::Interrupted => ("操作被中断", "interrupted"),
            ErrorKind::Unsupported => ("系统不支持该操作", "not supported by the system"),
            _ => ("", ""),
        }
    };
    if !zh_text.is_empty() {
        return if zh { zh_text } else { en_text }.to_string();
    }
    match (e.raw_os_error(), zh) {
        (Some(n), true) => format!("系统错误（os error {n}）"),
        (None, true) => "系统错误".to_string(),
        (_, false) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_and_refused_write_are_named() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(reason(&full, Lang::Zh), "磁盘已满");
        assert_eq!(reason(&full, Lang::En), "the disk is full");
        let denied = io::Error::from(ErrorKind::PermissionDenied);
        assert_eq!(reason(&denied, Lang::Zh), "没有权限");
        let gone = io::Error::from(ErrorKind::NotFound);
        assert_eq!(reason(&gone, Lang::Zh), "不存在");
        assert!(!reason(&io::Error::from_raw_os_error(5), Lang::Zh).contains("I/O"));
    }
}
