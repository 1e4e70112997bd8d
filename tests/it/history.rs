//! Week over week (SPEC 11): 约谈预警, diff and its H rules, merge --previous, trend, --redact.
//! Every figure is read back from the written workbooks (calamine, through pgcheck's reader).

use crate::common;

use std::path::Path;

use common::{json, pgcheck, root, sheet, text};
use pgcheck::read;

fn merge_at(dir: &Path, out: &Path, as_of: &str, extra: &[&str]) -> std::process::Output {
    let o = common::merge_on(dir, out, as_of, extra);
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
    // A unit whose 附件2 is not in the week (高平市 left out, 陵川县 missing) gets no zeros that
    // read as "no risk", but the reason; a merged unit its counts.
    assert_eq!(text(s, 3, 6), "说明");
    for r in 4..11 {
        let unit = text(s, r, 1);
        let out = unit == "高平市" || unit == "陵川县";
        let note = if out {
            "附件2 本周未汇总，未列入预警"
        } else {
            ""
        };
        assert_eq!(text(s, r, 6), note, "{unit}");
        assert_eq!(text(s, r, 2), if out { "" } else { "0" }, "{unit}");
    }

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
    let order = common::unit_names();
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

/// 约谈预警's per-unit count names the config's plan_deadline (a1f186f): 未完成11月底计划 for
/// `plan_deadline = 2024-11-30`, in the consolidated workbook, not only in `AlertStatus::label`.
#[test]
fn the_alerts_count_header_names_plan_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let toml = tmp.path().join("november.toml");
    std::fs::write(&toml, "plan_deadline = 2024-11-30\n").unwrap();
    let out = tmp.path().join("w.xlsx");
    merge_at(
        &root().join("fixtures/week-2024-10-14"),
        &out,
        "2024-10-14",
        &["--config", toml.to_str().unwrap()],
    );
    let wb = read::open(&out).unwrap();
    let s = sheet(&wb, "约谈预警");
    let r = (0..40)
        .find(|&r| text(s, r, 3) == "计划已过")
        .expect("count header of 约谈预警");
    assert_eq!(text(s, r, 4), "未完成11月底计划");
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

/// Merges both sample weeks into `dir` (the second with `--previous` the first): (w1, w2).
fn two_weeks(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (w1, w2) = (dir.join("w1.xlsx"), dir.join("w2.xlsx"));
    merge_at(
        &root().join("fixtures/week-2024-10-14"),
        &w1,
        "2024-10-14",
        &[],
    );
    let o = merge_at(
        &root().join("fixtures/week-2024-10-21"),
        &w2,
        "2024-10-21",
        &["--previous", w1.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "陵川县 is missing");
    (w1, w2)
}

/// The 1-based row of the project row naming `name` in 附件2 (C), or the A3 case of `who`.
fn row_of(path: &Path, sheet_name: &str, col: u32, starts: &str) -> u32 {
    let wb = read::open(path).unwrap();
    let s = sheet(&wb, sheet_name);
    (0..200)
        .find(|&r| text(s, r, col).starts_with(starts))
        .unwrap_or_else(|| panic!("{starts} not in {sheet_name}"))
        + 1
}

/// (rule, cell, related) of every finding of a `diff --format json`.
fn findings(doc: &serde_json::Value) -> Vec<(String, Option<String>, Vec<String>)> {
    common::json_diagnostics(doc)
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["cell"].as_str().map(str::to_string),
                d["related"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn diff_of_two_consolidated_weeks_reports_each_h_rule_on_its_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let (w1, w2) = two_weeks(tmp.path());
    let o = pgcheck(&[
        "diff",
        w1.to_str().unwrap(),
        w2.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let doc = json(&o);
    let got = findings(&doc);
    let a2 = |p: &Path, name: &str| row_of(p, "附件2", 2, name);
    let a3 = |p: &Path, who: &str| row_of(p, "附件3", 2, who);
    let (qg, sd, hc) = (
        "城区钟家庄街道前岗村棚户区改造项目",
        "开发区西上庄街道寺底村棚户区改造项目",
        "阳城县北留镇皇城村棚户区改造项目",
    );
    let want = [
        (
            "H02",
            Some(format!("I{}", a2(&w2, qg))),
            format!("w1.xlsx!附件2!I{}", a2(&w1, qg)),
        ),
        (
            "H01",
            Some(format!("L{}", a2(&w2, sd))),
            format!("w1.xlsx!附件2!L{}", a2(&w1, sd)),
        ),
        (
            "H04",
            Some(format!("N{}", a2(&w2, hc))),
            format!("w1.xlsx!附件2!N{}", a2(&w1, hc)),
        ),
        (
            "H03",
            None,
            format!("w1.xlsx!附件2!C{}", a2(&w1, "泽州县南村镇冶底村")),
        ),
        // 附件3 of the consolidated workbook has 填报单位 first: 是否办结 is S.
        (
            "H05",
            Some(format!("S{}", a3(&w2, "范某某"))),
            format!("w1.xlsx!附件3!S{}", a3(&w1, "范某某")),
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (rule, cell, related) in want {
        assert!(
            got.iter()
                .any(|g| g.0 == rule && g.1 == cell && g.2 == [related.clone()]),
            "{rule} {cell:?} {related} not in {got:?}"
        );
    }
    // The changes list: 城区 resettled 290 → 320.
    let cq = &doc["changes"]["units"][0];
    assert_eq!(cq["unit"], "城区");
    assert_eq!(cq["measures"]["已安置棚改居民户数"]["change"], 30);
    assert_eq!(
        doc["changes"]["units"][3]["measures"],
        serde_json::Value::Null,
        "高平市"
    );
}

#[test]
fn diff_of_two_versions_of_a_county_file_names_the_county_cells() {
    let o = pgcheck(&[
        "diff",
        "fixtures/week-2024-10-14/城区-周报.xlsx",
        "fixtures/week-2024-10-21/城区-周报.xlsx",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let got = findings(&json(&o));
    assert_eq!(
        got,
        [
            (
                "H02".into(),
                Some("I8".into()),
                vec!["城区-周报.xlsx!附件2!I8".to_string()]
            ),
            (
                "H05".into(),
                Some("R9".into()),
                vec!["城区-周报.xlsx!附件3!R9".to_string()]
            ),
        ]
    );
    let human = pgcheck(&[
        "diff",
        "fixtures/week-2024-10-14/城区-周报.xlsx",
        "fixtures/week-2024-10-21/城区-周报.xlsx",
    ]);
    let out = String::from_utf8_lossy(&human.stdout);
    assert!(out.contains("城区：已安置棚改居民 +30（290→320）"), "{out}");
    assert!(
        out.contains("13753614402"),
        "H05 names the complainant as written"
    );
    let redacted = pgcheck(&[
        "diff",
        "fixtures/week-2024-10-14/城区-周报.xlsx",
        "fixtures/week-2024-10-21/城区-周报.xlsx",
        "--redact",
        "--format",
        "json",
    ]);
    let out = String::from_utf8_lossy(&redacted.stdout);
    assert!(
        !out.contains("13753614402") && out.contains("范** 137****4402"),
        "{out}"
    );
}

/// Per unit, the sums of 已安置 (J), 已交付使用户数 (AG), 逾期未交付使用户数 (O), 欠发户数 (U) over
/// the project rows (序号 a number) of a consolidated 附件2.
/// Per unit, per 监管编号: the four measures of 本周变化 from a consolidated 附件2.
fn project_figures(
    path: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, [i64; 4]>> {
    let wb = read::open(path).unwrap();
    let s = sheet(&wb, "附件2");
    let no =
        pgcheck::template::a2::TEMPLATE.index(pgcheck::template::a2::Col::SupervisionNo) as u32;
    let mut out: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
        Default::default();
    for r in 0..200 {
        if text(s, r, 0).parse::<u32>().is_err() || text(s, r, 2).is_empty() {
            continue;
        }
        let f = [9, 32, 14, 20].map(|c| text(s, r, c).parse::<i64>().unwrap_or(0));
        out.entry(text(s, r, 1))
            .or_default()
            .insert(text(s, r, no), f);
    }
    out
}

fn unit_sums(path: &Path) -> std::collections::BTreeMap<String, [i64; 4]> {
    let wb = read::open(path).unwrap();
    let s = sheet(&wb, "附件2");
    let mut sums = std::collections::BTreeMap::new();
    for r in 0..200 {
        if text(s, r, 0).parse::<u32>().is_err() || text(s, r, 2).is_empty() {
            continue;
        }
        let e: &mut [i64; 4] = sums.entry(text(s, r, 1)).or_default();
        for (i, c) in [9, 32, 14, 20].into_iter().enumerate() {
            e[i] += text(s, r, c).parse::<i64>().unwrap_or(0);
        }
    }
    sums
}

#[test]
fn merge_previous_writes_the_changes_and_the_h_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let (w1, w2) = two_weeks(tmp.path());
    let wb = read::open(&w2).unwrap();
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(&names[..2], ["报送情况", "本周变化"]);
    // Every unit that sent files is merged: H findings leave nothing out.
    let st = sheet(&wb, "报送情况");
    for r in 2..9 {
        let want = if text(st, r, 1) == "陵川县" {
            "未报送"
        } else {
            "已汇总"
        };
        assert_eq!(text(st, r, 4), want, "{}", text(st, r, 1));
    }
    // 本周变化: this week and last week equal the two weeks' 附件2 rows; the change is that of
    // the projects (by 监管编号) reported both weeks: a project gone is no progress, but said.
    let (old, new) = (unit_sums(&w1), unit_sums(&w2));
    let (old_p, new_p) = (project_figures(&w1), project_figures(&w2));
    let like_for_like = |unit: &str, i: usize| -> i64 {
        new_p[unit]
            .iter()
            .filter_map(|(no, n)| old_p[unit].get(no).map(|o| n[i] - o[i]))
            .sum()
    };
    let ch = sheet(&wb, "本周变化");
    let mut compared = 0;
    for r in 3..10 {
        let unit = text(ch, r, 0);
        let (Some(n), Some(o)) = (new.get(&unit), old.get(&unit)) else {
            assert!(text(ch, r, 1).contains("不作比较"), "{unit}");
            continue;
        };
        for i in 0..4 {
            let c = 2 + 3 * i as u32;
            let cells: Vec<i64> = (c..c + 3)
                .map(|c| text(ch, r, c).parse().unwrap())
                .collect();
            assert_eq!(
                cells,
                [n[i], o[i], like_for_like(&unit, i)],
                "{unit} measure {i}"
            );
        }
        compared += 1;
    }
    // 泽州县's 冶底村 project (248 overdue households) is not in the second week: its 逾期未交付
    // falls 404 → 156 with no change, and the row says why.
    let zz = (3..10).find(|&r| text(ch, r, 0) == "泽州县").unwrap();
    assert_eq!(
        (8..11).map(|c| text(ch, zz, c)).collect::<Vec<_>>(),
        ["156", "404", "0"]
    );
    assert_eq!(
        text(ch, zz, 1),
        "上周在报、本周未报 1 个项目（逾期未交付使用 248 户），不计入变化"
    );
    assert_eq!(compared, 5, "城区 开发区 泽州县 阳城县 沁水县");
    // Below the units: the city's totals of the two weeks do not compare (高平市 this week only).
    assert_eq!(
        text(ch, 10, 0),
        "高平市 仅本周汇总：两周的全市合计之差含其数字，不是进展"
    );
    // A3 new: 沁水县 one case more.
    let qs = (3..10).find(|&r| text(ch, r, 0) == "沁水县").unwrap();
    assert_eq!(text(ch, qs, 14), "1");
    // The project rows below: 寺底村 went back a stage.
    let sd = (10..40)
        .find(|&r| text(ch, r, 1) == "开发区西上庄街道寺底村棚户区改造项目")
        .expect("寺底村 listed");
    assert_eq!(text(ch, sd, 5), "4、地下施工 → 3、地基桩基处理");

    // 问题清单: the H findings on the county files' cells.
    let issues = sheet(&wb, "问题清单");
    let rows: Vec<(String, String, String)> = (1..60)
        .map(|r| (text(issues, r, 2), text(issues, r, 4), text(issues, r, 5)))
        .filter(|r| r.2.starts_with('H'))
        .collect();
    let want = [
        ("城区-周报.xlsx", "I8", "H02"),
        ("城区-周报.xlsx", "R9", "H05"),
        ("开发区-周报.xls", "L8", "H01"),
        ("泽州县-附件2.xlsx", "", "H03"),
        ("阳城县住建局报表.xlsx", "N9", "H04"),
    ];
    let mut got = rows.clone();
    got.sort();
    let mut want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn merge_previous_refuses_what_is_not_a_consolidated_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w2.xlsx");
    let o = pgcheck(&[
        "merge",
        "fixtures/week-2024-10-21",
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-21",
        "--previous",
        "fixtures/week-2024-10-14/城区-周报.xlsx",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("城区-周报.xlsx") && err.contains("汇总表"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

/// Every 11-digit number and e-mail address in the complainant column (C, after 填报单位) of a
/// consolidated 附件3.
fn complainant_contacts(path: &Path) -> Vec<String> {
    let wb = read::open(path).unwrap();
    let s = sheet(&wb, "附件3");
    let mut out = Vec::new();
    for r in 0..200 {
        for word in text(s, r, 2).split_whitespace() {
            let digits = word.chars().filter(char::is_ascii_digit).count();
            if digits == 11 || word.contains('@') {
                out.push(word.to_string());
            }
        }
    }
    out
}

/// The text of every member of a zip package.
fn every_member(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut bytes = Vec::new();
        zip.by_index(i).unwrap().read_to_end(&mut bytes).unwrap();
        all.push_str(&String::from_utf8_lossy(&bytes));
    }
    all
}

#[test]
fn redact_leaves_no_complainant_phone_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let week = root().join("fixtures/week-2024-10-14");
    let plain = tmp.path().join("plain.xlsx");
    merge_at(&week, &plain, "2024-10-14", &[]);
    let contacts = complainant_contacts(&plain);
    assert!(contacts.len() >= 15, "{contacts:?}");
    assert!(
        every_member(&plain).contains("13935628811"),
        "without --redact: as written"
    );

    let out = tmp.path().join("redacted.xlsx");
    let annotated = tmp.path().join("back");
    let o = merge_at(
        &week,
        &out,
        "2024-10-14",
        &[
            "--redact",
            "--format",
            "json",
            "--annotate-dir",
            annotated.to_str().unwrap(),
        ],
    );
    let json = String::from_utf8_lossy(&o.stdout).to_string();
    let xlsx = every_member(&out);
    let back = every_member(&annotated.join("高平市-周报-标注.xlsx"));
    for c in &contacts {
        for (what, text) in [("workbook", &xlsx), ("json", &json), ("annotated", &back)] {
            assert!(!text.contains(c.as_str()), "{c} survives in the {what}");
        }
    }
    assert!(
        xlsx.contains("贾** 139****8811"),
        "masked as SPEC 11.5 shows"
    );
    assert!(xlsx.contains("j***@163.com"));

    // validate --annotate --redact: the marked-up copy of a county file.
    let copy = tmp.path().join("gp.xlsx");
    pgcheck(&[
        "validate",
        "fixtures/week-2024-10-14/高平市-周报.xlsx",
        "--as-of",
        "2024-10-14",
        "--annotate",
        copy.to_str().unwrap(),
        "--redact",
    ]);
    let text = every_member(&copy);
    assert!(!text.contains("13663560871") && !text.contains("13327789012"));
    assert!(text.contains("申** 136****0871"));
}

#[test]
fn trend_tables_charts_and_stalled_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let arch = tmp.path().join("归档");
    std::fs::create_dir(&arch).unwrap();
    let (w1, w2) = two_weeks(&arch);
    // A county file in the archive folder is passed over.
    std::fs::copy(
        root().join("fixtures/week-2024-10-14/城区-周报.xlsx"),
        arch.join("城区-周报.xlsx"),
    )
    .unwrap();
    let out = tmp.path().join("trend.xlsx");
    let cfg = tmp.path().join("stall.toml");
    std::fs::write(&cfg, "stall_weeks = 1\n").unwrap();
    let o = pgcheck(&[
        "trend",
        arch.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("2024-10-14") && stdout.contains("2024-10-21"),
        "{stdout}"
    );
    // 高平市 was left out the first week: the city's line jumps by its figures, and says so.
    assert_eq!(
        stdout.lines().next(),
        Some("2024-10-21：高平市 仅本周汇总：两周的全市合计之差含其数字，不是进展")
    );

    // Each measure's table: week rows, unit columns, the city last; figures = the 附件2 sums.
    let wb = read::open(&out).unwrap();
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "已安置棚改居民户数",
            "已交付使用户数",
            "逾期未交付使用户数",
            "欠发过渡安置费户数",
            "未办结问题件数",
            "停滞项目"
        ]
    );
    let units = common::unit_names();
    for (week, (row, path)) in [(2u32, &w1), (3, &w2)].into_iter().enumerate() {
        let sums = unit_sums(path);
        for (m, name) in names[..4].iter().enumerate() {
            let s = sheet(&wb, name);
            assert_eq!(text(s, row, 0), ["2024-10-14", "2024-10-21"][week]);
            let mut city = 0;
            for (i, u) in units.iter().enumerate() {
                assert_eq!(text(s, 1, i as u32 + 1), *u);
                let want = sums
                    .get(u.as_str())
                    .map(|v| v[m].to_string())
                    .unwrap_or_default();
                assert_eq!(text(s, row, i as u32 + 1), want, "{name} {u} week {week}");
                city += sums.get(u.as_str()).map_or(0, |v| v[m]);
            }
            assert_eq!(text(s, row, 8), city.to_string(), "{name} 晋城市");
        }
    }
    // Open A3 cases: 沁水县 2 open last week, 3 this week (one new).
    let s = sheet(&wb, "未办结问题件数");
    assert_eq!((text(s, 2, 7), text(s, 3, 7)), ("2".into(), "3".into()));

    // One line chart per measure sheet, a series per unit and the city, naming its ranges.
    for (i, name) in names[..5].iter().enumerate() {
        let xml = common::zip_text(&out, &format!("xl/charts/chart{}.xml", i + 1));
        assert!(xml.contains("<c:lineChart>"), "{name}");
        assert!(xml.contains(&format!("{name}（按周）")), "{name}: title");
        assert!(xml.contains("报告日期"), "{name}: category axis name");
        for c in 'B'..='I' {
            let values = format!("<c:f>{name}!${c}$3:${c}$4</c:f>");
            assert!(xml.contains(&values), "{name}: {values}");
            assert!(
                xml.contains(&format!("<c:f>{name}!${c}$2</c:f>")),
                "series name {c}"
            );
        }
        assert_eq!(
            xml.matches(&format!("<c:f>{name}!$A$3:$A$4</c:f>")).count(),
            8
        );
        // Both value axes (the units' and the city's) start at 0.
        assert_eq!(xml.matches(r#"<c:min val="0"/>"#).count(), 2, "{name}");
    }

    // Stalled (stall_weeks = 1): overdue, stage and 已安置 the same a week apart.
    let s = sheet(&wb, "停滞项目");
    let listed: Vec<String> = (2..40)
        .map(|r| text(s, r, 1))
        .filter(|t| !t.is_empty())
        .collect();
    assert!(
        listed.contains(&"城区钟家庄街道前岗村棚户区改造项目".to_string()),
        "{listed:?}"
    );
    for moved in [
        "城区北石店镇北石店村棚户区改造项目",   // 已安置 220 → 250
        "开发区西上庄街道寺底村棚户区改造项目", // stage changed
        "沁水县嘉峰镇嘉峰村棚户区改造项目",     // stage advanced
        "高平市北城街道康营村棚户区改造项目",   // not merged last week
    ] {
        assert!(!listed.contains(&moved.to_string()), "{moved} listed");
    }
    let r = (2..40)
        .find(|&r| text(s, r, 1).starts_with("城区钟家庄"))
        .unwrap();
    assert_eq!(
        (text(s, r, 6), text(s, r, 7)),
        ("2024-10-14".into(), "1".into())
    );
}

#[test]
fn trend_of_two_workbooks_of_one_date_uses_the_newer_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let (w1, _) = two_weeks(tmp.path());
    let copy = tmp.path().join("again.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::copy(&w1, &copy).unwrap();
    let out = tmp.path().join("t.xlsx");
    let o = pgcheck(&[
        "trend",
        w1.to_str().unwrap(),
        copy.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout.contains("2024-10-14 有两份汇总表：采用较新的 again.xlsx，忽略 w1.xlsx"),
        "{stdout}"
    );
    let o = pgcheck(&[
        "trend",
        "fixtures/week-2024-10-14/城区-周报.xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a county file is no consolidated workbook"
    );
}

/// A 部分汇总 unit read back from 报送情况: its merged attachments are in the week, the one
/// left out is not, as in the week made from the merge itself.
#[test]
fn a_partly_merged_unit_is_in_the_week_for_its_merged_attachments_only() {
    use pgcheck::merge;
    use pgcheck::template::TemplateId;
    let inbox = root().join("fixtures/clerk/p03-inbox");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("w.xlsx");
    merge_at(&inbox, &out, "2024-10-14", &[]);
    let config = common::config();
    let read_back = pgcheck::history::Week::read(&out, &config, true).unwrap();
    let inputs = merge::discover(&inbox, false, &out).unwrap();
    let live =
        pgcheck::history::Week::from_merge(&merge::plan(&inputs, &config, false, false), &config);
    for week in [&read_back, &live] {
        for t in [TemplateId::A2, TemplateId::A4, TemplateId::A5] {
            assert!(week.has("陵川县", t), "{t:?}");
        }
        assert!(!week.has("陵川县", TemplateId::A3));
        assert!(week.has("沁水县", TemplateId::A2));
        assert!(!week.has("城区", TemplateId::A2), "城区 sent nothing");
    }
    assert_eq!(read_back.units, live.units);
    // Its projects are in the week (附件2 merged).
    assert!(read_back.projects.iter().any(|p| p.unit == "陵川县"));
}

/// A unit with nothing to report this week (its 附件2 sent empty, SPEC 11.1): every project it
/// had last week is H03, filed with the empty 附件2 it sent (no cell in NEW, last week's row in
/// related), so 问题清单 lists it under the unit. Before, a unit without rows this week had its
/// H03 filed with the output workbook, which is no input, and it was dropped.
#[test]
fn projects_gone_from_an_empty_a2_are_h03_on_that_file() {
    let tmp = tempfile::tempdir().unwrap();
    let last = tmp.path().join("w1.xlsx");
    merge_at(
        &root().join("fixtures/week-2024-10-14"),
        &last,
        "2024-10-14",
        &[],
    );
    let inbox = root().join("fixtures/clerk/empty-inbox");
    let out = tmp.path().join("w2.xlsx");
    let o = merge_at(
        &inbox,
        &out,
        "2024-10-21",
        &["--previous", last.to_str().unwrap(), "--format", "json"],
    );
    let doc = json(&o);
    let file = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("泽州县-附件2.xlsx"))
        .expect("泽州县's 附件2 in files");
    let h03: Vec<(Option<String>, Vec<String>)> = findings(&serde_json::json!({"files": [file]}))
        .into_iter()
        .filter(|(rule, ..)| rule == "H03")
        .map(|(_, cell, related)| (cell, related))
        .collect();
    let want: Vec<(Option<String>, Vec<String>)> = (15..=17)
        .map(|r| (None, vec![format!("w1.xlsx!附件2!C{r}")]))
        .collect();
    assert_eq!(h03, want);
    // 问题清单 lists them under 泽州县.
    let wb = read::open(&out).unwrap();
    let issues = sheet(&wb, "问题清单");
    let rows = (1..200)
        .filter(|&r| text(issues, r, 1) == "泽州县" && text(issues, r, 5) == "H03")
        .count();
    assert_eq!(rows, 3);
}
