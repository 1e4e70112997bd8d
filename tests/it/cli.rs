//! The command-line contract: arguments, exit codes, output shape, and file safety.

use std::path::Path;
use std::process::Output;

use crate::common;
use common::{pgcheck, root};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn clean_file_exits_0() {
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/clean-泽州县.xlsx",
        "--as-of",
        "2024-10-14",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // "未通过" contains "通过": check the summary line itself.
    assert!(
        stdout(&o).contains("共 1 个文件，1 个通过；错误 0 个，警告 0 个。"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_file_exits_1_and_names_the_cell() {
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/a2-01.xlsx",
        "--as-of",
        "2024-10-14",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("A2-01"), "{out}");
    assert!(out.contains("附件2!H7"), "{out}");
    assert!(out.contains("开工套数"), "{out}");
    assert!(out.contains("附件2 备注1"), "{out}");
}

#[test]
fn english_messages_on_request() {
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/a2-01.xlsx",
        "--as-of",
        "2024-10-14",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error A2-01"), "{}", stdout(&o));
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let args = ["validate", "fixtures/a2/v04.xlsx", "--as-of", "2024-10-14"];
    assert_eq!(pgcheck(&args).status.code(), Some(0));
    let mut denied = args.to_vec();
    denied.push("--deny-warnings");
    assert_eq!(pgcheck(&denied).status.code(), Some(1));
}

#[test]
fn json_follows_spec_9() {
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/a2-01.xlsx",
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.contains("开工套数"), "CJK must not be escaped");
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["tool"], "pgcheck");
    assert_eq!(v["schema"], 1);
    assert_eq!(v["as_of"], "2024-10-14");
    let f = &v["files"][0];
    assert_eq!(f["status"], "invalid");
    assert_eq!(f["unit"], "泽州县");
    assert_eq!(f["sheets"][0]["template"], "A2");
    assert_eq!(f["errors"], 1);
    let d = &f["diagnostics"][0];
    assert_eq!(d["rule"], "A2-01");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["cell"], "H7");
    assert_eq!(d["row"], 7);
    assert_eq!(d["col"], "H");
    assert_eq!(d["field"], "开工套数");
    assert!(d["related"].as_array().unwrap().iter().any(|c| c == "G7"));
    assert_eq!(v["summary"]["invalid"], 1);
}

#[test]
fn unreadable_file_is_s01_with_null_cell() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("泽州县.xlsx");
    std::fs::write(&p, b"this is not a workbook").unwrap();
    let o = pgcheck(&["validate", p.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"][0]["status"], "unreadable");
    assert_eq!(v["files"][0]["diagnostics"][0]["rule"], "S01");
    assert!(v["files"][0]["diagnostics"][0]["cell"].is_null());
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn missing_path_exits_2_naming_it() {
    let o = pgcheck(&["validate", "no-such-file.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-file.xlsx"), "{}", stderr(&o));
}

#[test]
fn bad_date_argument_exits_2() {
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/clean-泽州县.xlsx",
        "--as-of",
        "2024/10/14",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn rules_json_lists_the_catalogue() {
    let o = pgcheck(&["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in [
        "S01", "V05", "A2-01", "A2-29", "A3-10", "A4-03", "A5-05", "X03",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
}

#[test]
fn template_writes_five_workbooks_that_validate() {
    let dir = tempfile::tempdir().unwrap();
    let o = pgcheck(&["template", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for name in [
        "附件2.xlsx",
        "附件3.xlsx",
        "附件4.xlsx",
        "附件5.xlsx",
        "weekly-report.xlsx",
    ] {
        assert!(dir.path().join(name).exists(), "{name}");
    }
    // The blank Attachment 2 template is read as one: its one finding is S06 on the 合计 row's
    // 县区, which still reads the city, so the unit cannot be told until the clerk types it.
    let a2 = dir.path().join("附件2.xlsx");
    let o = pgcheck(&["validate", a2.to_str().unwrap(), "--as-of", "2024-10-14"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    let found: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("错误") || l.starts_with("警告"))
        .map(|l| l.split(' ').nth(1).unwrap())
        .collect();
    assert_eq!(found, ["S06"], "{out}");
    assert!(out.contains("附件2!B6  县区 = “晋城市”"), "{out}");
}

fn hash(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn validate_never_changes_its_input() {
    let p = root().join("fixtures/a2/a2-01.xlsx");
    let before = hash(&p);
    pgcheck(&["validate", "fixtures/a2/a2-01.xlsx"]);
    assert_eq!(before, hash(&p));
}

#[test]
fn validate_groups_files_by_unit_for_the_cross_checks() {
    // 泽州县's Attachment 2 from the sample week with another 泽州县 Attachment 5 whose
    // 未回迁安置户数 does not match: X02 is reported in the A5 file, on M10.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/泽州县-附件2.xlsx"),
        dir.path().join("泽州县-附件2.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        root().join("fixtures/a5/clean.xlsx"),
        dir.path().join("泽州县-附件5.xlsx"),
    )
    .unwrap();
    let o = pgcheck(&[
        "validate",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a5 = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("附件5.xlsx"))
        .unwrap();
    let rules: Vec<(&str, &str)> = a5["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["cell"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(rules, [("X02", "M10")]);
    assert_eq!(o.status.code(), Some(0), "X02 is a warning");
}

#[test]
fn validate_a_whole_inbox() {
    let o = pgcheck(&[
        "validate",
        "fixtures/week-2024-10-14",
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "高平市's file has an error");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 9, "{paths:?}");
    assert!(
        paths.iter().all(|p| !p.contains("~$") && !p.contains("/.")),
        "{paths:?}"
    );
    assert_eq!(v["summary"]["invalid"], 1);
}

#[test]
fn copies_of_one_units_workbook_are_not_summed_together() {
    // Each workbook holds its own A2: X02 compares its A5 with that A2, not with all copies.
    let o = pgcheck(&[
        "validate",
        "fixtures/workbook/泽州县-周报.xlsx",
        "fixtures/workbook/泽州县-周报.lo.xls",
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["summary"]["warnings"], 0, "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0));
}
