//! Week over week (SPEC 11): 约谈预警, diff and its H rules, merge --previous, trend, --redact.
//! Every figure is read back from the written workbooks (calamine, through pgcheck's reader).

mod common;

use std::path::Path;

use common::{pgcheck, root, sheet, text};
use pgcheck::read;

fn merge_at(dir: &Path, out: &Path, as_of: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "merge",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    let o = pgcheck(&args);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// (unit, project, status) rows of 约谈预警.
fn alert_rows(path: &Path) -> Vec<(String, String, String)> {
    let wb = read::open(path).unwrap();
    let s = sheet(&wb, "约谈预警");
    assert_eq!(text(s, 1, 7), "状态");
    (2..)
        .take_while(|&r| !text(s, r, 2).is_empty())
        .map(|r| (text(s, r, 1), text(s, r, 2), text(s, r, 7)))
        .collect()
}

#[test]
fn alerts_before_and_after_a_milestone() {
    let week = root().join("fixtures/week-2024-10-14");
    let tmp = tempfile::tempdir().unwrap();
    // 2024-10-14: the first milestone (2024-12-31) is 78 days away, every plan month is ahead.
    let out = tmp.path().join("a.xlsx");
    merge_at(&week, &out, "2024-10-14", &[]);
    assert!(alert_rows(&out).is_empty(), "{:?}", alert_rows(&out));
    let wb = read::open(&out).unwrap();
    let s = sheet(&wb, "约谈预警");
    assert_eq!(
        text(s, 3, 1),
        "单位",
        "the per-unit count follows an empty list"
    );

    // 2024-12-10: 21 days before 2024-12-31 (warn_days 30): 临近节点, unless the plan month
    // (2024-10, 2024-11) has passed.
    let out = tmp.path().join("b.xlsx");
    merge_at(&week, &out, "2024-12-10", &[]);
    let rows = alert_rows(&out);
    assert_eq!(
        rows.len(),
        13,
        "every overdue project of the merged units: {rows:?}"
    );
    let status = |name: &str| {
        rows.iter()
            .find(|r| r.1 == name)
            .map(|r| r.2.clone())
            .unwrap_or_else(|| panic!("{name} not listed"))
    };
    assert_eq!(status("城区北石店镇北石店村棚户区改造项目"), "计划已过"); // planned 2024-10
    assert_eq!(status("阳城县凤城镇西关村棚户区改造项目"), "计划已过"); // planned 2024-11
    assert_eq!(status("泽州县巴公镇西部城中村棚户区改造项目"), "临近节点"); // planned 2024-12
    assert_eq!(status("开发区西上庄街道寺底村棚户区改造项目"), "临近节点"); // planned 2026-06
    assert!(rows.iter().all(|r| r.2 != "节点已过未完成"));
    // Grouped by unit, in unit order.
    let units: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let mut sorted = units.clone();
    let order = [
        "城区",
        "开发区",
        "泽州县",
        "高平市",
        "阳城县",
        "陵川县",
        "沁水县",
    ];
    sorted.sort_by_key(|u| order.iter().position(|o| o == u));
    assert_eq!(units, sorted);
    // The count per unit: 城区 has two plans passed and one near.
    let wb = read::open(&out).unwrap();
    let s = sheet(&wb, "约谈预警");
    let r = (0..40).find(|&r| text(s, r, 1) == "城区" && text(s, r, 2).parse::<u32>().is_ok());
    let r = r.expect("count row of 城区");
    assert_eq!(text(s, r - 1, 3), "计划已过");
    assert_eq!(
        (text(s, r, 2), text(s, r, 3), text(s, r, 4), text(s, r, 5)),
        ("0".into(), "2".into(), "0".into(), "1".into())
    );

    // 2025-01-06: 2024-12-31 has passed with every one of them still overdue.
    let out = tmp.path().join("c.xlsx");
    merge_at(&week, &out, "2025-01-06", &[]);
    let rows = alert_rows(&out);
    assert_eq!(rows.len(), 13);
    assert!(rows.iter().all(|r| r.2 == "节点已过未完成"), "{rows:?}");
}

#[test]
fn the_consolidated_workbook_with_its_new_sheets_still_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w.xlsx");
    merge_at(
        &root().join("fixtures/week-2024-10-14"),
        &out,
        "2024-12-10",
        &[],
    );
    let o = pgcheck(&["validate", out.to_str().unwrap(), "--as-of", "2024-12-10"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
