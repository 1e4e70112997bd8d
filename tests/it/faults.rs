//! The faults a city office machine meets (issue 15): a full disk or TMPDIR, a closed or full
//! standard output, refused writes, signals during the write, long names, a busy CPU, pgcheck's
//! own workbooks in the inbox. Each test sets the fault up and checks the exit code, the message
//! and what is on disk afterwards. Tests that need root (mounting a small tmpfs, dropping to
//! another user) say so and pass where they cannot run.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common;
use common::{command, merge_with, pgcheck, root};

const WEEK: &str = "fixtures/week-2024-10-14";
const CLEAN: &str = "fixtures/a2/clean-泽州县.xlsx";
const BAD: &str = "fixtures/a2/a2-01.xlsx";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".pgcheck-"))
        .collect()
}

/// The sample week's submissions (files only) copied into `dir`.
fn copy_week(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    for e in fs::read_dir(root().join(WEEK)).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() && !e.file_name().to_string_lossy().starts_with("~$") {
            fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// A small tmpfs, unmounted when dropped; `None` (with a note) where it cannot be mounted.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn new(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system to the last byte.
    fn fill(&self) {
        use std::io::Write;
        let mut f = fs::File::create(self.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.write_all(&[0]);
        let _ = f.sync_all();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_standard_output_is_exit_2_a_closed_pipe_is_not() {
    if Path::new("/dev/full").exists() {
        let o = command(&["validate", CLEAN, "--as-of", "2024-10-14"])
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(stderr(&o), "pgcheck: 无法写入标准输出：磁盘已满\n");
        let o = command(&["validate", CLEAN, "--format", "json", "--lang", "en"])
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            "pgcheck: cannot write to standard output: the disk is full\n"
        );
    } else {
        eprintln!("skipped /dev/full: not on this system");
    }
    // `pgcheck rules | head -1`: the reader goes away; pgcheck stays quiet and exits 0.
    let mut child = command(&["rules"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn a_full_output_disk_is_exit_2_naming_the_output_and_leaves_nothing() {
    let Some(fs_) = Tmpfs::new("256k") else {
        return;
    };
    fs_.fill();
    let inbox = tempfile::tempdir().unwrap();
    copy_week(inbox.path());
    let out = fs_.path().join("晋城市.xlsx");
    let o = merge_with(inbox.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("pgcheck: 无法写入 {}：磁盘已满\n", out.display())
    );
    assert_eq!(names(fs_.path()), ["filler"]);
}

/// rust_xlsxwriter's constant-memory sheets spill beside the output: a full TMPDIR does not
/// matter, and a full output disk is exit 2 (it panicked with exit 101 before).
#[test]
fn a_full_tmpdir_does_not_stop_a_merge() {
    let Some(full) = Tmpfs::new("64k") else {
        return;
    };
    full.fill();
    let inbox = tempfile::tempdir().unwrap();
    copy_week(inbox.path());
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("晋城市.xlsx");
    let o = command(&[
        "merge",
        inbox.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-14",
    ])
    .env("TMPDIR", full.path())
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(out.is_file());
    assert_eq!(names(out_dir.path()), ["晋城市.xlsx"]);
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn a_refused_write_says_no_permission() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("只读");
    fs::create_dir(&ro).unwrap();
    let out = ro.join("晋城市.xlsx");
    let o = as_other_user(
        dir.path(),
        &[
            "merge",
            WEEK,
            "-o",
            out.to_str().unwrap(),
            "--as-of",
            "2024-10-14",
        ],
        &ro,
    );
    let Some(o) = o else { return };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!("pgcheck: 无法写入 {}：没有权限\n", out.display())
    );
    assert!(names(&ro).is_empty());
}

/// Runs pgcheck with `locked` unwritable and unreadable to it: as root, as user nobody (with
/// `setpriv`), else as ourselves. `None` where that cannot be arranged.
fn as_other_user(dir: &Path, args: &[&str], locked: &Path) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(locked, fs::Permissions::from_mode(0o000)).unwrap();
    if !is_root() {
        return Some(pgcheck(args));
    }
    let bin = env!("CARGO_BIN_EXE_pgcheck");
    let works = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin,
            "--version",
        ])
        .current_dir(root())
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        eprintln!("skipped: running as root without setpriv, permissions cannot be refused");
        return None;
    }
    Some(
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
            .args(args)
            .current_dir(root())
            .env_remove("PGCHECK_LANG")
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    )
}

#[test]
fn merge_r_names_an_unreadable_sub_folder_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("收件箱");
    copy_week(&inbox);
    let locked = inbox.join("高平市");
    fs::create_dir(&locked).unwrap();
    fs::rename(
        inbox.join("高平市-周报.xlsx"),
        locked.join("高平市-周报.xlsx"),
    )
    .unwrap();
    let out = dir.path().join("晋城市.xlsx");
    let args = [
        "merge",
        inbox.to_str().unwrap(),
        "-r",
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ];
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&inbox, fs::Permissions::from_mode(0o777)).unwrap();
    let Some(o) = as_other_user(dir.path(), &args, &locked) else {
        return;
    };
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        doc["notes"][0],
        format!(
            "无法读取子文件夹 {}：没有权限，其余文件照常汇总",
            locked.display()
        )
    );
    assert!(doc["merged"].as_array().unwrap().contains(&"城区".into()));
    assert!(doc["missing"]
        .as_array()
        .unwrap()
        .contains(&"高平市".into()));
    assert!(out.is_file());
}

/// `--annotate-dir` that cannot be written: exit 2, and last week's workbook is still there,
/// byte for byte, with no temporary left beside it.
#[test]
fn a_failed_annotate_dir_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("收件箱");
    copy_week(&inbox);
    let out = dir.path().join("晋城市.xlsx");
    assert_eq!(merge_with(&inbox, &out, &[]).status.code(), Some(1));
    let before = fs::read(&out).unwrap();
    let not_a_folder = dir.path().join("标注");
    fs::write(&not_a_folder, "a file where the folder should be").unwrap();
    let o = merge_with(
        &inbox,
        &out,
        &["--annotate-dir", not_a_folder.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "pgcheck: 无法创建文件夹 {}：已有同名文件，不是文件夹\n",
            not_a_folder.display()
        )
    );
    assert_eq!(fs::read(&out).unwrap(), before);
    assert!(temporaries(dir.path()).is_empty());
    assert_eq!(names(dir.path()), ["收件箱", "晋城市.xlsx", "标注"]);
}

#[test]
fn annotate_never_overwrites_a_submission() {
    let dir = tempfile::tempdir().unwrap();
    let county = dir.path().join("城区.xlsx");
    fs::copy(root().join(WEEK).join("城区-周报.xlsx"), &county).unwrap();
    let before = fs::read(&county).unwrap();
    let o = pgcheck(&["validate", BAD, "--annotate", county.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        format!(
            "pgcheck: {} 已存在且不是 pgcheck 写出的标注版，不会覆盖（它可能是报送文件）\n",
            county.display()
        )
    );
    assert_eq!(fs::read(&county).unwrap(), before);
    // An annotated copy pgcheck wrote may be replaced by the next one.
    let copy = dir.path().join("a2-01-标注.xlsx");
    let args = [
        "validate",
        BAD,
        "--as-of",
        "2024-10-14",
        "--annotate",
        copy.to_str().unwrap(),
    ];
    assert_eq!(pgcheck(&args).status.code(), Some(1));
    let o = pgcheck(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

/// Last week's city workbook and an annotated copy left in the inbox are not submissions: a
/// one-line note each, and the units' results are those without them.
#[test]
fn pgcheck_workbooks_in_the_inbox_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("收件箱");
    copy_week(&inbox);
    let clean_out = dir.path().join("clean.xlsx");
    let plain = merge_with(&inbox, &clean_out, &["--format", "json"]);
    let last_week = inbox.join("晋城市-2024-10-07.xlsx");
    fs::copy(&clean_out, &last_week).unwrap();
    let marked = inbox.join("阳城县-标注.xlsx");
    let o = pgcheck(&[
        "validate",
        inbox.join("阳城县住建局报表.xlsx").to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--annotate",
        marked.to_str().unwrap(),
    ]);
    assert!(marked.is_file(), "{}", stderr(&o));
    let out = dir.path().join("晋城市.xlsx");
    let o = merge_with(&inbox, &out, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(
        doc["notes"],
        serde_json::json!([
            format!(
                "跳过 {}：这是 pgcheck 写出的汇总表，不是报送文件",
                last_week.display()
            ),
            format!(
                "跳过 {}：这是 pgcheck 写出的标注版，不是报送文件",
                marked.display()
            ),
        ])
    );
    for key in ["merged", "left_out", "missing", "summary"] {
        assert_eq!(doc[key], plain[key], "{key}");
    }
    let human = merge_with(&inbox, &out, &[]);
    assert!(stdout(&human).contains(&format!(
        "跳过 {}：这是 pgcheck 写出的汇总表，不是报送文件\n",
        last_week.display()
    )));
    assert!(!stdout(&human).contains("（未识别）"), "{}", stdout(&human));
}

#[test]
fn an_empty_inbox_and_files_only_in_sub_folders_are_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("收件箱");
    fs::create_dir_all(inbox.join("城区")).unwrap();
    let out = dir.path().join("晋城市.xlsx");
    let o = merge_with(&inbox, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(&format!(
        "{} 中没有报表文件（.xlsx/.xlsm/.xls/.ods），所有单位均为未报送\n",
        inbox.display()
    )));
    assert!(out.is_file());
    fs::copy(
        root().join(WEEK).join("城区-周报.xlsx"),
        inbox.join("城区").join("城区.xlsx"),
    )
    .unwrap();
    let o = merge_with(&inbox, &out, &[]);
    assert!(
        stdout(&o).contains("子文件夹中还有 1 个报表文件未读取；加 -r 读取子文件夹\n"),
        "{}",
        stdout(&o)
    );
    let o = merge_with(&inbox, &out, &["-r", "--lang", "en"]);
    assert!(
        !stdout(&o).contains("sub-folders were not read"),
        "{}",
        stdout(&o)
    );
    assert!(
        !stdout(&o).contains("holds no spreadsheet"),
        "{}",
        stdout(&o)
    );
}

/// An output name of 250 bytes (about 83 Chinese characters) works: the temporary's name is
/// short and fixed, and nothing is left beside the output.
#[test]
fn a_250_byte_output_name_works() {
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}x.xlsx", "晋".repeat(81));
    assert_eq!(name.len(), 249);
    let out = dir.path().join(&name);
    let o = merge_with(Path::new(WEEK), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(names(dir.path()), [name]);
    assert!(stdout(&o).contains(&format!("汇总表已写入 {}", out.display())));
    let copy = dir.path().join(format!("{}.xlsx", "标".repeat(83)));
    let o = pgcheck(&["validate", BAD, "--annotate", copy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(copy.is_file());
    assert!(temporaries(dir.path()).is_empty());
}

/// A temporary left by a run that was killed (SIGKILL, power cut) is removed by the next run
/// that writes into that folder; another run's live temporary is not.
#[test]
fn a_later_run_removes_stale_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".pgcheck-7ffffff0-0000.tmp");
    fs::write(&stale, b"half a workbook").unwrap();
    let live = dir
        .path()
        .join(format!(".pgcheck-{:08x}-0000.tmp", std::process::id()));
    fs::write(&live, b"being written").unwrap();
    let out = dir.path().join("晋城市.xlsx");
    assert_eq!(
        merge_with(Path::new(WEEK), &out, &[]).status.code(),
        Some(1)
    );
    assert!(!stale.exists());
    assert!(live.exists());
}

/// The child half of `a_signal_removes_the_temporary`: stages a workbook and waits to be
/// killed. Does nothing in a normal test run.
#[test]
fn signal_child() {
    let Ok(target) = std::env::var("PGCHECK_SIGNAL_CHILD") else {
        return;
    };
    let mut wb = pgcheck::writer::new_workbook().unwrap();
    wb.add_worksheet().write_string(0, 0, "半成品").unwrap();
    let _staged = pgcheck::writer::stage(&mut wb, Path::new(&target)).unwrap();
    println!("staged");
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn a_signal_removes_the_temporary() {
    use std::os::unix::process::ExitStatusExt;
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("晋城市.xlsx");
        let mut child = common::child_test("faults::signal_child", "PGCHECK_SIGNAL_CHILD", &target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(lines.any(|l| l.unwrap().contains("staged")));
        assert_eq!(temporaries(dir.path()).len(), 1, "the temporary exists");
        // SAFETY: sends a signal to the child we started.
        unsafe {
            libc::kill(child.id() as libc::pid_t, signal);
        }
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal));
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }
}

/// The same inputs give the same bytes, also with the CPU busy (the streamed sheets once
/// numbered their formats in whatever order the parallel build reached them).
#[test]
fn the_same_inputs_give_byte_identical_workbooks_under_load() {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let busy: Vec<_> = (0..3)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                x
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let outs: Vec<PathBuf> = (0..6)
        .map(|i| dir.path().join(format!("{i}.xlsx")))
        .collect();
    for out in &outs {
        assert_eq!(merge_with(Path::new(WEEK), out, &[]).status.code(), Some(1));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    busy.into_iter().for_each(|t| {
        t.join().unwrap();
    });
    let first = fs::read(&outs[0]).unwrap();
    for out in &outs[1..] {
        assert!(fs::read(out).unwrap() == first, "{} differs", out.display());
    }
}

/// The deterministic half of the test above: the merged workbook's style table (number
/// formats, fonts, fills, borders, cell formats) starts with exactly the entries that
/// registering `Formats::all()` in its order gives, so no sheet built in parallel can number a
/// shared format first.
#[test]
fn the_merged_workbooks_formats_are_numbered_in_the_order_of_formats_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("晋城市.xlsx");
    assert_eq!(
        merge_with(Path::new(WEEK), &out, &[]).status.code(),
        Some(1)
    );
    let merged = common::zip_text(&out, "xl/styles.xml");

    let fmt = pgcheck::writer::Formats::new();
    let mut wb = pgcheck::writer::new_workbook().unwrap();
    for f in fmt.all() {
        wb.register_format(f);
    }
    wb.add_worksheet();
    let reference = dir.path().join("reference.xlsx");
    fs::write(&reference, wb.save_to_buffer().unwrap()).unwrap();
    let registered = common::zip_text(&reference, "xl/styles.xml");

    for (list, item) in [
        ("numFmts", "<numFmt "),
        ("fonts", "<font>"),
        ("fills", "<fill>"),
        ("borders", "<border"),
        ("cellXfs", "<xf "),
    ] {
        let want = entries(&registered, list, item);
        let got = entries(&merged, list, item);
        assert!(want.len() > 1 || list == "numFmts", "{list}: {want:?}");
        assert!(
            got.len() >= want.len() && got[..want.len()] == want[..],
            "{list}: the merged workbook's first entries differ from Formats::all()'s\n\
             want {want:#?}\ngot {got:#?}"
        );
    }
    // Every custom number format of the shared formats is there, in their order.
    let ids: Vec<String> = entries(&merged, "numFmts", "<numFmt ")
        .iter()
        .map(|e| e.split('"').nth(3).unwrap().to_string())
        .collect();
    for code in [
        pgcheck::writer::DATE_FORMAT,
        pgcheck::writer::COUNT_FORMAT,
        pgcheck::writer::AMOUNT_FORMAT,
        pgcheck::writer::MONTH_FORMAT,
    ] {
        let code = code.replace('"', "&quot;");
        assert!(ids.contains(&code), "{code} not in {ids:?}");
    }
}

/// The child elements of `<list …>…</list>` in `xml`, each starting with `item`.
fn entries(xml: &str, list: &str, item: &str) -> Vec<String> {
    let Some(start) = xml.find(&format!("<{list}")) else {
        return Vec::new();
    };
    let end = xml[start..]
        .find(&format!("</{list}>"))
        .map_or(xml.len(), |e| start + e);
    xml[start..end]
        .split(item)
        .skip(1)
        .map(|e| format!("{item}{e}"))
        .collect()
}

/// A link to a submission beside it is the same file: read once, no X03 for a second copy.
#[test]
fn the_same_file_reached_twice_in_the_inbox_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("收件箱");
    copy_week(&inbox);
    std::os::unix::fs::symlink(
        inbox.join("城区-周报.xlsx"),
        inbox.join("城区-周报-快捷方式.xlsx"),
    )
    .unwrap();
    let out = dir.path().join("晋城市.xlsx");
    let o = merge_with(&inbox, &out, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chengqu = common::json_unit(&doc, "城区");
    assert_eq!(chengqu["files"].as_array().unwrap().len(), 1, "{chengqu}");
    assert_eq!(chengqu["status"], "merged");
    assert!(!stdout(&o).contains("X03"));
}
