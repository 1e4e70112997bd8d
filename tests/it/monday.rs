//! scripts/monday.sh on the two sample weeks in turn: the archive holds each week's workbook,
//! JSON report and returned files; the second week is compared with the first.

use crate::common;

use std::process::Command;

use common::{root, sheet, text};

fn monday(inbox: &str, archive: &std::path::Path, day: &str) -> std::process::Output {
    Command::new("sh")
        .arg(root().join("scripts/monday.sh"))
        .arg(root().join("fixtures").join(inbox))
        .arg(archive)
        .arg(day)
        .env("PGCHECK", env!("CARGO_BIN_EXE_pgcheck"))
        .env_remove("PGCHECK_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run sh")
}

#[test]
fn monday_sh_archives_two_weeks_and_compares_the_second_with_the_first() {
    if Command::new("sh").arg("-c").arg("true").status().is_err() {
        eprintln!("skipped: no sh");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("归档 2024");
    let o = monday("week-2024-10-14", &archive, "2024-10-14");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let w1 = archive.join("2024-10-14/晋城市-2024-10-14.xlsx");
    assert!(w1.is_file() && archive.join("2024-10-14/晋城市-2024-10-14.json").is_file());
    assert!(archive
        .join("2024-10-14/退回/高平市-周报-标注.xlsx")
        .is_file());
    assert!(out.contains("本周不做对比"), "{out}");
    assert!(
        out.contains("高平市：未通过校验") && out.contains("陵川县：未报送"),
        "{out}"
    );
    assert!(out.contains("高平市-周报-标注.xlsx"), "{out}");

    let o = monday("week-2024-10-21", &archive, "2024-10-21");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("对比上周：  {}", w1.display())),
        "{out}"
    );
    assert!(
        out.contains("陵川县：未报送") && !out.contains("高平市："),
        "{out}"
    );
    assert!(out.contains("与上周对比有 5 条警告"), "{out}");
    let w2 = archive.join("2024-10-21/晋城市-2024-10-21.xlsx");
    let wb = pgcheck::read::open(&w2).unwrap();
    let changes = sheet(&wb, "本周变化");
    assert!(text(changes, 0, 0).contains("2024-10-21 对比 2024-10-14"));
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(archive.join("2024-10-21/晋城市-2024-10-21.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["missing"], serde_json::json!(["陵川县"]));
    assert!(
        !archive.join("2024-10-21/退回").exists()
            || std::fs::read_dir(archive.join("2024-10-21/退回"))
                .unwrap()
                .next()
                .is_none(),
        "nothing to send back in week 2"
    );
}
