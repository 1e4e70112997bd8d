//! Inputs as a city office machine holds them: names that are not UTF-8 (GBK names from a zip
//! made on Chinese Windows), and files that are not regular files (a FIFO, a device behind a
//! symlink) which must be refused at once, never hang or read without end.

#![cfg(unix)]

use crate::common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{json, root};

/// Runs pgcheck with `args` in a child process; fails the test if it has not ended within 30 s
/// (it is then killed).
fn pgcheck_within(args: &[&OsStr]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgcheck"))
        .args(args)
        .current_dir(root())
        .env_remove("PGCHECK_LANG")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pgcheck");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pgcheck {args:?} did not end within 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `name` encoded as GBK, as a file name.
fn gbk_name(name: &str) -> PathBuf {
    let (bytes, _, bad) = encoding_rs::GBK.encode(name);
    assert!(!bad);
    PathBuf::from(OsStr::from_bytes(&bytes))
}

#[test]
fn a_gbk_named_file_is_validated_and_merged() {
    let dir = tempfile::tempdir().unwrap();
    let name = gbk_name("城区-周报.xlsx");
    assert!(name.to_str().is_none(), "the name is not UTF-8");
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/城区-周报.xlsx"),
        dir.path().join(&name),
    )
    .unwrap();
    let d = dir.path().as_os_str();

    let out = pgcheck_within(&[
        "validate".as_ref(),
        d,
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
    ]);
    let v = json(&out);
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "the GBK-named file is read: {v}");
    let f = &files[0];
    let shown = format!("{}/城区-周报.xlsx", dir.path().display());
    assert_eq!(f["path"], shown.as_str(), "shown decoded from GBK");
    assert_eq!(f["unit"], "城区");
    assert_eq!(f["status"], "valid");
    assert!(f["path_note"].as_str().unwrap().contains("GBK"), "{f}");

    // The human report says so too.
    let out = pgcheck_within(&[
        "validate".as_ref(),
        d,
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("注意 {shown}")) && text.contains("已按 GBK 解码显示"),
        "{text}"
    );

    let out_dir = tempfile::tempdir().unwrap();
    let merged = out_dir.path().join("晋城市.xlsx");
    let out = pgcheck_within(&[
        "merge".as_ref(),
        d,
        "-o".as_ref(),
        merged.as_os_str(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let v = json(&out);
    let chengqu = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "城区")
        .expect("城区 listed");
    assert_eq!(chengqu["status"], "merged", "{v}");
    assert_eq!(chengqu["files"][0], shown.as_str());
    let wb = pgcheck::read::open(&merged).expect("merged workbook readable");
    let status = common::sheet(&wb, pgcheck::writer::merged::STATUS_SHEET);
    let row = (0..40)
        .find(|&r| common::text(status, r, 1) == "城区")
        .expect("城区 row in 报送情况");
    use pgcheck::merge::StatusColumn as C;
    assert_eq!(common::text(status, row, C::Status.col().into()), "已汇总");
    assert_eq!(
        common::text(status, row, C::Files.col().into()),
        "城区-周报.xlsx"
    );
}

/// A left-out file with a GBK name gets its annotated copy under the decoded name.
#[test]
fn a_gbk_named_left_out_file_is_annotated_under_its_decoded_name() {
    let inbox = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/高平市-周报.xlsx"),
        inbox.path().join(gbk_name("高平市-周报.xlsx")),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let notes = out.path().join("标注");
    let output = pgcheck_within(&[
        "merge".as_ref(),
        inbox.path().as_os_str(),
        "-o".as_ref(),
        out.path().join("晋城市.xlsx").as_os_str(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
        "--annotate-dir".as_ref(),
        notes.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let copy = notes.join("高平市-周报-标注.xlsx");
    let wb = pgcheck::read::open(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
    assert_eq!(wb.sheets[0].name, pgcheck::writer::annotate::ISSUES_SHEET);
}

/// A name that decodes neither as UTF-8 nor as GBK is still read, shown lossily, and noted.
#[test]
fn an_undecodable_name_is_read_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let name = PathBuf::from(OsStr::from_bytes(b"\x81\xff.xlsx"));
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/城区-周报.xlsx"),
        dir.path().join(&name),
    )
    .unwrap();
    let out = pgcheck_within(&[
        "validate".as_ref(),
        dir.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    let v = json(&out);
    let f = &v["files"][0];
    assert_eq!(
        f["path"],
        format!("{}/\u{fffd}\u{fffd}.xlsx", dir.path().display()).as_str()
    );
    assert_eq!(f["unit"], "城区");
    assert!(f["path_note"]
        .as_str()
        .unwrap()
        .contains("could not be decoded"));
}

fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        _ => {
            eprintln!("skipped: mkfifo is not available here");
            false
        }
    }
}

/// Not a regular file: validate refuses it at once with S01 naming it, exit 1.
fn assert_refused(out: &Output, path: &Path) {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v = json(out);
    let f = &v["files"][0];
    assert_eq!(f["path"], path.display().to_string().as_str());
    assert_eq!(f["status"], "unreadable");
    let d = &f["diagnostics"][0];
    assert_eq!(d["rule"], "S01");
    assert!(
        d["message"].as_str().unwrap().contains("不是普通文件"),
        "{d}"
    );
}

fn validate_json(path: &Path) -> Output {
    pgcheck_within(&[
        "validate".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
    ])
}

#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("城区.xlsx");
    if !mkfifo(&fifo) {
        return;
    }
    assert_refused(&validate_json(&fifo), &fifo);

    // In a folder: validate DIR and merge see it, refuse it, and go on.
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/泽州县-附件2.xlsx"),
        dir.path().join("泽州县.xlsx"),
    )
    .unwrap();
    let out = validate_json(dir.path());
    let v = json(&out);
    assert_eq!(v["files"].as_array().unwrap().len(), 2, "{v}");
    let merged = dir.path().join("汇总.xlsx");
    let out = pgcheck_within(&[
        "merge".as_ref(),
        dir.path().as_os_str(),
        "-o".as_ref(),
        merged.as_os_str(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
    ]);
    assert!(merged.is_file(), "{out:?}");

    // As the output of merge: not a consolidated workbook, so not replaced (exit 2).
    let out = pgcheck_within(&[
        "merge".as_ref(),
        root().join("fixtures/week-2024-10-14").as_os_str(),
        "-o".as_ref(),
        fifo.as_os_str(),
        "--as-of".as_ref(),
        "2024-10-14".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&fifo.display().to_string()));
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still the FIFO"
    );
}

/// `--config` naming a FIFO or /dev/zero: exit 2 at once, the message names the file and what
/// it is.
#[test]
fn a_config_that_is_a_fifo_or_a_device_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pgcheck.toml");
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let mut cases = vec![(zero, "设备文件")];
    if mkfifo(&fifo) {
        cases.push((fifo, "命名管道"));
    }
    for (config, kind) in cases {
        let out = pgcheck_within(&[
            "validate".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            root()
                .join("fixtures/week-2024-10-14/城区-周报.xlsx")
                .as_os_str(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&config.display().to_string())
                && err.contains(&format!("不是普通文件（它是{kind}）")),
            "{err}"
        );
    }
}

#[test]
fn a_symlink_to_dev_zero_is_refused_without_reading() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("泽州县.xlsx");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    assert_refused(&validate_json(&link), &link);
    let out = validate_json(dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["files"][0]["status"], "unreadable");
}
