//! `pgcheck merge` on the sample week, read back through pgcheck's reader (calamine): statuses,
//! sums, left-out rows, the issue list, cached formula values, X03, skipped files, and safety.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;
use common::{config, pgcheck, root, sheet, text};

use pgcheck::grid::{Sheet, Value};
use pgcheck::merge;
use pgcheck::read;

const WEEK: &str = "fixtures/week-2024-10-14";

/// Copies the sample week into a fresh folder (tests never write into fixtures/).
fn week_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root().join(WEEK)).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    dir
}

fn num(s: &Sheet, r: u32, c: u32) -> f64 {
    match s.get(r, c) {
        Value::Number(n) => *n,
        Value::Empty => 0.0,
        v => panic!(
            "{}{} is not a number: {v:?}",
            pgcheck::grid::CellRef::col_name(c),
            r + 1
        ),
    }
}

fn merge_week() -> (tempfile::TempDir, PathBuf, Output) {
    let dir = week_copy();
    let out = dir.path().join("out").join("晋城市-2024-10-14.xlsx");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let o = common::merge(dir.path(), &out);
    (dir, out, o)
}

#[test]
fn the_sample_week_merges_with_one_unit_left_out_and_one_missing() {
    let (_dir, out, o) = merge_week();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // 附件2 and 附件3 are streamed row by row; rust_xlsxwriter drops (and reports on stderr) any
    // write that goes back to an earlier row.
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("Ignoring"), "{stderr}");
    let wb = read::open(&out).expect("output readable");
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "报送情况",
            "附件2",
            "附件3",
            "附件4",
            "附件5",
            "问题清单",
            "约谈预警"
        ]
    );

    // 报送情况: one row per submitting unit, in unit order, with the exact status words.
    let st = sheet(&wb, "报送情况");
    let status: BTreeMap<String, String> =
        (2..9).map(|r| (text(st, r, 1), text(st, r, 4))).collect();
    let order: Vec<String> = (2..9).map(|r| text(st, r, 1)).collect();
    assert_eq!(
        order,
        [
            "城区",
            "开发区",
            "泽州县",
            "高平市",
            "阳城县",
            "陵川县",
            "沁水县"
        ]
    );
    assert_eq!(status["高平市"], "未通过校验");
    assert_eq!(status["陵川县"], "未报送");
    for u in ["城区", "开发区", "泽州县", "阳城县", "沁水县"] {
        assert_eq!(status[u], "已汇总", "{u}");
    }
    assert_eq!(text(st, 2, 2), "2022839", "城区's phone from Attachment 1");
}

#[test]
fn totals_equal_the_sum_of_the_merged_project_rows() {
    let (_dir, out, _) = merge_week();
    let wb = read::open(&out).unwrap();
    let a2 = sheet(&wb, "附件2");
    let t = pgcheck::template::a2::TEMPLATE.columns;
    // Row 6 is 合计 | 晋城市; project rows carry a unit in B and a 序号 number in A.
    assert_eq!(text(a2, 5, 0), "合计");
    assert_eq!(text(a2, 5, 1), "晋城市");
    let mut project_rows = Vec::new();
    let mut subtotals = Vec::new();
    for r in 6..200 {
        let a = text(a2, r, 0);
        if a == "小计" {
            subtotals.push(r);
        } else if a.parse::<u32>().is_ok() {
            project_rows.push(r);
        }
    }
    assert!(!project_rows.is_empty());
    // 序号 renumbered 1..n city-wide.
    let seqs: Vec<String> = project_rows.iter().map(|&r| text(a2, r, 0)).collect();
    let want: Vec<String> = (1..=project_rows.len()).map(|n| n.to_string()).collect();
    assert_eq!(seqs, want);
    // The left-out unit's rows are absent.
    assert!(project_rows.iter().all(|&r| text(a2, r, 1) != "高平市"));
    assert!(subtotals.iter().all(|&r| text(a2, r, 1) != "高平市"));
    for (i, c) in t.iter().enumerate() {
        if !c.summed {
            continue;
        }
        let col = i as u32;
        let sum: f64 = project_rows.iter().map(|&r| num(a2, r, col)).sum();
        let cell = a2.raw(5, col).expect("total cell");
        assert!(
            cell.formula
                .as_deref()
                .is_some_and(|f| f.starts_with("SUM(")),
            "{:?}: {:?}",
            c.key,
            cell.formula
        );
        assert!(
            (num(a2, 5, col) - sum).abs() < 0.005,
            "{:?}: 合计 {} vs {sum}",
            c.key,
            num(a2, 5, col)
        );
        // Each 小计 covers its unit's rows up to the next 小计.
        for (k, &s) in subtotals.iter().enumerate() {
            let end = subtotals.get(k + 1).copied().unwrap_or(u32::MAX);
            let unit_sum: f64 = project_rows
                .iter()
                .filter(|&&r| r > s && r < end)
                .map(|&r| num(a2, r, col))
                .sum();
            assert!(
                (num(a2, s, col) - unit_sum).abs() < 0.005,
                "{:?} 小计 row {}",
                c.key,
                s + 1
            );
            assert!(a2.raw(s, col).unwrap().formula.is_some());
        }
    }
}

#[test]
fn every_input_diagnostic_is_in_the_issue_list() {
    let dir = week_copy();
    let out = dir.path().join("晋城市.xlsx");
    let inputs = merge::discover(dir.path(), false, &out).unwrap();
    assert!(
        inputs.iter().all(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            !n.starts_with("~$") && !n.starts_with('.')
        }),
        "lock and hidden files are skipped"
    );
    let plan = merge::plan(&inputs, &config(), false, true);
    pgcheck::writer::merged::write(&plan, None, &config(), &out).unwrap();
    let wb = read::open(&out).unwrap();
    let issues = sheet(&wb, "问题清单");
    let listed: Vec<(String, String, String, String)> = (1..2000)
        .take_while(|&r| !issues.get(r, 0).is_empty())
        .map(|r| {
            (
                text(issues, r, 2),
                text(issues, r, 3),
                text(issues, r, 4),
                text(issues, r, 5),
            )
        })
        .collect();
    let mut total = 0;
    for v in &plan.files {
        let file = v
            .report
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for d in &v.report.diagnostics {
            total += 1;
            let key = (
                file.clone(),
                d.sheet.clone().unwrap_or_default(),
                d.cell.map(|c| c.to_string()).unwrap_or_default(),
                d.rule.to_string(),
            );
            assert!(listed.contains(&key), "{key:?} missing from 问题清单");
        }
    }
    assert_eq!(listed.len(), total);
    assert!(total > 0, "the sample week has at least the planted error");
}

#[test]
fn the_merged_workbook_validates_clean() {
    let (_dir, out, _) = merge_week();
    let o = pgcheck(&[
        "validate",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["files"][0]["errors"],
        0,
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn the_same_attachment_twice_is_x03_and_neither_is_merged() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/a2/clean-泽州县.xlsx");
    std::fs::copy(&src, dir.path().join("泽州县-a.xlsx")).unwrap();
    std::fs::copy(&src, dir.path().join("泽州县-b.xlsx")).unwrap();
    let out = dir.path().join("city.xlsx");
    let inputs = merge::discover(dir.path(), false, &out).unwrap();
    let plan = merge::plan(&inputs, &config(), false, true);
    for v in &plan.files {
        let x03: Vec<_> = v
            .report
            .diagnostics
            .iter()
            .filter(|d| d.rule == pgcheck::rules::RuleId::X03)
            .collect();
        assert_eq!(x03.len(), 1, "{}", v.report.display_path());
        assert!(x03[0].detail.zh.contains("泽州县-a.xlsx"));
        // Told in full with the first file; the other's copy names that first file.
        let first = v.report.path.ends_with("泽州县-a.xlsx");
        assert_eq!(x03[0].repeats, !first);
        assert_eq!(x03[0].detail.zh.contains("泽州县-b.xlsx"), first);
    }
    let u = plan.units.iter().find(|u| u.unit.name == "泽州县").unwrap();
    assert_eq!(u.status, merge::UnitStatus::LeftOut);
    assert!(plan.merged_files_of("泽州县").is_empty());
}

/// Issue 12 point 13 (SPEC 10): 阳城县 sends its four attachments twice (first version and
/// 更正版): X03 once per attachment on the console and in 问题清单, each naming both files; every
/// file still carries its X03 (all eight are left out).
#[test]
fn a_resent_unit_gets_one_x03_per_attachment_naming_both_files() {
    let inbox = root().join("fixtures/clerk/p13-inbox");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("晋城市.xlsx");
    let o = common::merge(&inbox, &out);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let x03: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("错误 X03"))
        .collect();
    assert_eq!(x03.len(), 4, "{stdout}");
    let atts = ["附件2", "附件3", "附件4", "附件5"];
    let both = |text: &str, att: &str| {
        text.contains(&format!("阳城县{att}.xlsx"))
            && text.contains(&format!("阳城县{att}（更正版）.xlsx"))
    };
    for att in atts {
        let message = stdout
            .split("错误 X03 ")
            .skip(1)
            .find(|block| block.contains(&format!("{att}.xlsx {att}")))
            .unwrap_or_else(|| panic!("X03 on {att}: {stdout}"));
        assert!(both(message.lines().nth(1).unwrap(), att), "{message}");
    }
    let row = stdout
        .lines()
        .find(|l| l.starts_with('│') && l.contains("阳城县"))
        .unwrap();
    assert!(row.contains("未通过校验") && row.contains("┆ 4 "), "{row}");

    // 问题清单 read back: four X03 rows, one per sheet, each naming both files.
    let wb = read::open(&out).unwrap();
    let issues = sheet(&wb, "问题清单");
    let rows: Vec<u32> = (1..100).filter(|&r| text(issues, r, 5) == "X03").collect();
    let sheets: Vec<String> = rows.iter().map(|&r| text(issues, r, 3)).collect();
    assert_eq!(sheets, atts);
    for (&r, att) in rows.iter().zip(atts) {
        assert_eq!(text(issues, r, 2), format!("阳城县{att}.xlsx"));
        assert!(both(&text(issues, r, 9), att), "{}", text(issues, r, 9));
    }

    // Each of the eight files keeps its own X03 (so each is left out) in JSON.
    let o = common::merge_with(&inbox, &out, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 8);
    for f in files {
        let n = f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "X03")
            .count();
        assert_eq!((n, &f["status"]), (1, &serde_json::json!("invalid")), "{f}");
    }
}

/// Many copies of one attachment (long names): merge still writes its workbook with its usual
/// exit code, X03's text grows with the number of files (not its square), and no cell holds
/// more than Excel's 32,767 characters: the longest are cut, saying how much.
#[test]
fn hundreds_of_copies_fit_excel_cells() {
    const COPIES: usize = 300;
    let inbox = tempfile::tempdir().unwrap();
    let src = root().join("fixtures/clerk/p13-inbox/阳城县附件4.xlsx");
    let pad = "x".repeat(100);
    let mut names_len = 0;
    for i in 0..COPIES {
        let name = format!("阳城县附件4-{pad}-{i:03}.xlsx");
        names_len += name.chars().count();
        std::fs::copy(&src, inbox.path().join(&name)).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("晋城市.xlsx");

    // The text of the X03 findings, over every file: linear in the copies.
    let inputs = merge::discover(inbox.path(), false, &out).unwrap();
    let plan = merge::plan(&inputs, &config(), false, false);
    let x03: Vec<_> = plan
        .files
        .iter()
        .flat_map(|v| &v.report.diagnostics)
        .filter(|d| d.rule == pgcheck::rules::RuleId::X03)
        .collect();
    assert_eq!(x03.len(), COPIES);
    assert_eq!(x03.iter().filter(|d| !d.repeats).count(), 1);
    let path_len = inputs[0].display().to_string().chars().count();
    let total: usize = x03.iter().map(|d| d.detail.zh.chars().count()).sum();
    assert!(
        total < 3 * COPIES * path_len,
        "{total} characters of X03 text for {COPIES} files of {path_len}"
    );
    drop(plan);

    let o = common::merge(inbox.path(), &out);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let wb = read::open(&out).expect("the workbook is written");
    let mut cut = 0;
    for s in &wb.sheets {
        let (rows, cols) = s.extent().unwrap_or((0, 0));
        for r in 0..=rows {
            for c in 0..=cols {
                let t = text(s, r, c);
                let n = t.chars().count();
                assert!(n <= 32_767, "{}!{r},{c}: {n} characters", s.name);
                if t.contains("个字符未显示") {
                    cut += 1;
                }
            }
        }
    }
    // The full list (300 paths of ~130 characters) is longer than a cell: X03's message in
    // 问题清单 and 报送情况's 文件 are cut.
    assert!(names_len > 32_767);
    assert_eq!(cut, 2);
}

fn digest(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn inputs_are_never_modified() {
    let dir = week_copy();
    let before = digest(dir.path());
    let out = dir.path().join("晋城市.xlsx");
    common::merge(dir.path(), &out);
    let mut after = digest(dir.path());
    after.retain(|(n, _)| n != "晋城市.xlsx");
    assert_eq!(before, after);
    // Run again: the previous output in the inbox is skipped and replaced.
    let o = common::merge(dir.path(), &out);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = week_copy();
    let target = dir.path().join("城区-周报.xlsx");
    let before = std::fs::read(&target).unwrap();
    let o = pgcheck(&[
        "merge",
        dir.path().to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("城区-周报.xlsx"));
    assert_eq!(before, std::fs::read(&target).unwrap());
}

#[test]
fn an_unwritable_target_exits_2_and_leaves_nothing() {
    let dir = week_copy();
    // The target folder is a regular file: nothing can be created in it.
    let blocker = tempfile::tempdir().unwrap();
    let not_a_dir = blocker.path().join("收件箱");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let out = not_a_dir.join("city.xlsx");
    let o = pgcheck(&[
        "merge",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    // A target that is a folder: the rename fails, the temporary file is removed.
    let out_dir = blocker.path().join("city.xlsx");
    std::fs::create_dir(&out_dir).unwrap();
    let o = pgcheck(&[
        "merge",
        dir.path().to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let stray: Vec<_> = std::fs::read_dir(blocker.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// The sums the fixture generator computed for the five merged units
/// (fixtures/week-2024-10-14/EXPECTED.md), independent of pgcheck's own arithmetic.
#[test]
fn totals_match_the_generators_figures() {
    let (_dir, out, _) = merge_week();
    let wb = read::open(&out).unwrap();
    let a2 = sheet(&wb, "附件2");
    let want = [
        ("G", 2252.0),
        ("H", 2354.0),
        ("I", 1685.0),
        ("J", 1116.0),
        ("K", 669.0),
        ("O", 1136.0),
        ("P", 1136.0),
        ("R", 2166.0),
        ("S", 9260.70),
        ("U", 86.0),
        ("V", 34.80),
        ("AD", 284.0),
        ("AE", 284.0),
        ("AF", 86.0),
        ("AG", 1116.0),
        ("AH", 1116.0),
    ];
    for (col, v) in want {
        let c = pgcheck::grid::CellRef::parse(&format!("{col}6")).unwrap();
        assert!(
            (num(a2, c.row, c.col) - v).abs() < 0.005,
            "附件2!{col}6 = {} want {v}",
            num(a2, c.row, c.col)
        );
    }
    // 附件5: the city row (row 10 under a four-level header) holds the merged units' sums.
    let a5 = sheet(&wb, "附件5");
    assert_eq!(text(a5, 9, 0), "晋城市");
    let sums = [30.0, 21.0, 13.0, 2.0, 6.0, 16.0];
    for (k, v) in sums.iter().enumerate() {
        assert_eq!(num(a5, 9, 2 + k as u32), *v, "附件5 column {}", k + 2);
    }
    let people = [2252.0, 6744.0, 1116.0, 3348.0, 1136.0, 3396.0];
    for (k, v) in people.iter().enumerate() {
        assert_eq!(num(a5, 9, 9 + k as u32), *v);
    }
}

/// A cell's style as the xlsx stores it: (number format code, has a border).
type Style = (String, bool);

/// The styles of every `<c>` of sheet part `n` by reference (`B7`), resolved through
/// `xl/styles.xml`, and whether any `<col>` of that sheet carries a style.
fn cell_styles(path: &Path, n: usize) -> (BTreeMap<String, Style>, bool) {
    let styles = common::zip_text(path, "xl/styles.xml");
    let sheet = common::zip_text(path, &format!("xl/worksheets/sheet{n}.xml"));
    // `tag` is what follows the element name, attributes first.
    let attr = |tag: &str, name: &str| -> Option<String> {
        let tag = format!(" {tag}");
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.to_string())
    };
    let mut codes: BTreeMap<String, String> = [("0", "General"), ("1", "0"), ("4", "#,##0.00")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for tag in styles.split("<numFmt ").skip(1) {
        codes.insert(
            attr(tag, "numFmtId").unwrap(),
            attr(tag, "formatCode").unwrap(),
        );
    }
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xfs = xfs.split("</cellXfs>").next().unwrap();
    let xfs: Vec<Style> = xfs
        .split("<xf ")
        .skip(1)
        .map(|tag| {
            let id = attr(tag, "numFmtId").unwrap_or_else(|| "0".into());
            (
                codes[&id].clone(),
                attr(tag, "borderId").is_some_and(|b| b != "0"),
            )
        })
        .collect();
    let mut cells = BTreeMap::new();
    for tag in sheet.split("<c ").skip(1) {
        let tag = tag.split('>').next().unwrap();
        let s: usize = attr(tag, "s").map_or(0, |s| s.parse().unwrap());
        cells.insert(attr(tag, "r").unwrap(), xfs[s].clone());
    }
    let cols = sheet
        .split("<cols>")
        .nth(1)
        .map_or("", |c| c.split("</cols>").next().unwrap());
    (cells, cols.contains(" style=\""))
}

/// Every data cell of the consolidated 附件2 and 附件3 (the rows pgcheck writes as XML itself)
/// has a border and its column kind's number format; the columns themselves carry no format, so
/// the empty cells around the table stay plain.
#[test]
fn merged_data_cells_carry_their_kind_format_and_columns_none() {
    use pgcheck::template::{Kind, TemplateId};
    let (_dir, out, o) = merge_week();
    assert_eq!(o.status.code(), Some(1));
    let wb = read::open(&out).unwrap();
    for (id, part, lead) in [(TemplateId::A2, 2, 0u32), (TemplateId::A3, 3, 1)] {
        let t = id.template();
        let s = sheet(&wb, t.attachment);
        let (styles, col_styled) = cell_styles(&out, part);
        assert!(!col_styled, "{}: a <col> carries a style", t.attachment);
        // Project / case rows are the ones numbered in 序号 (合计 and 小计 rows are not).
        let seq = lead;
        let rows: Vec<u32> = (0..=s.extent().unwrap().0)
            .filter(|&r| text(s, r, seq).parse::<u32>().is_ok())
            .collect();
        assert!(
            rows.len() >= 10,
            "{}: {} data rows",
            t.attachment,
            rows.len()
        );
        for &r in &rows {
            for (i, c) in t.columns.iter().enumerate() {
                let at = format!(
                    "{}{}",
                    pgcheck::grid::CellRef::col_name(lead + i as u32),
                    r + 1
                );
                let want = match c.kind {
                    // 序号 are numbers (SPEC 10), though the column holds text in a county file.
                    _ if i == 0 => "0",
                    Kind::Count | Kind::Year => "0",
                    Kind::Amount => "#,##0.00",
                    Kind::Date | Kind::AgreementDate => "yyyy-mm-dd",
                    Kind::Month => "yyyy-mm",
                    _ => "General",
                };
                let got = styles
                    .get(&at)
                    .unwrap_or_else(|| panic!("{at} is not written"));
                assert_eq!(got, &(want.to_string(), true), "{} {at}", t.attachment);
            }
        }
        // The footnotes below have no border.
        let last = *rows.last().unwrap();
        assert!(styles.iter().any(|(at, st)| {
            at.starts_with('A') && at[1..].parse::<u32>().unwrap() > last + 1 && !st.1
        }));
    }
}

/// The attachments listed in a 报送情况 / console cell: `附件2、附件4`.
fn listed(s: &str) -> Vec<String> {
    s.split('、')
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Issue 12 point 3 (SPEC 10): 陵川县 sends four attachments and one (附件3) has an error: the
/// unit is 部分汇总 with 附件2/4/5 merged and 附件3 left out, in JSON, on the console and in
/// 报送情况; 合计 holds exactly the merged attachments' rows.
#[test]
fn a_unit_with_one_attachment_left_out_is_partly_merged() {
    let inbox = root().join("fixtures/clerk/p03-inbox");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("晋城市.xlsx");

    let o = common::merge_with(&inbox, &out, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "a file is left out");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let unit = |name: &str| common::json_unit(&v, name);
    let lc = unit("陵川县");
    assert_eq!(lc["status"], "partial", "{lc}");
    assert_eq!(
        lc["merged_attachments"],
        serde_json::json!(["A2", "A4", "A5"])
    );
    assert_eq!(lc["left_out_attachments"], serde_json::json!(["A3"]));
    assert_eq!(unit("沁水县")["status"], "merged");
    assert_eq!(v["partial"], serde_json::json!(["陵川县"]));
    assert!(!v["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "陵川县"));

    // The console: the merged column lists the attachments in the totals, never a bare 否.
    let o = common::merge(&inbox, &out);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let row: Vec<&str> = stdout
        .lines()
        .find(|l| l.starts_with('│') && l.contains("陵川县"))
        .expect("陵川县's row")
        .split('┆')
        .map(|c| c.trim_matches(|c: char| c.is_whitespace() || c == '│'))
        .collect();
    assert_eq!(
        row,
        ["陵川县", "4", "部分汇总", "1", "0", "附件2、4、5", "附件3"]
    );

    // 报送情况, read back.
    let wb = read::open(&out).unwrap();
    let st = sheet(&wb, merge::STATUS_SHEET);
    use merge::StatusColumn as C;
    for c in C::ALL {
        assert_eq!(text(st, 1, c.col().into()), c.label());
    }
    let r = (2..9)
        .find(|&r| text(st, r, C::Unit.col().into()) == "陵川县")
        .expect("陵川县 in 报送情况");
    let cell = |c: C| text(st, r, c.col().into());
    assert_eq!(cell(C::Status), "部分汇总");
    assert_eq!(
        listed(&cell(C::MergedAttachments)),
        ["附件2", "附件4", "附件5"]
    );
    assert_eq!(listed(&cell(C::LeftOutAttachments)), ["附件3"]);
    assert!(
        cell(C::Files).contains("陵川县-附件3.xlsx（未汇总）"),
        "{}",
        cell(C::Files)
    );

    // 合计 of 附件2 = the sum of the two merged 附件2 files' own 合计 rows (row 6).
    let a2 = sheet(&wb, "附件2");
    let inputs: Vec<_> = ["陵川县-附件2.xlsx", "沁水县-附件2.xlsx"]
        .iter()
        .map(|f| read::open(&inbox.join(f)).unwrap())
        .collect();
    for (i, c) in pgcheck::template::a2::TEMPLATE.columns.iter().enumerate() {
        if !c.summed {
            continue;
        }
        let want: f64 = inputs
            .iter()
            .map(|wb| num(&wb.sheets[0], 5, i as u32))
            .sum();
        assert_eq!(num(a2, 5, i as u32), want, "合计 of {}", c.label());
    }
    // 附件3: none of 陵川县's cases (its only 附件3 was left out); 附件4 and 附件5 hold its block.
    let has_unit = |name: &str, unit: &str| {
        let s = sheet(&wb, name);
        (0..60).any(|r| text(s, r, 0) == unit)
    };
    assert!(!has_unit("附件3", "陵川县"));
    assert!(has_unit("附件4", "陵川县") && has_unit("附件5", "陵川县"));
}

/// The blank 附件2 sent untouched (合计 | 晋城市, no 单位 line) beside empty-inbox's files names no
/// unit: it is left out with S06 on 附件2!B6 saying the unit cannot be told, counted on its
/// （未识别） line (before: 未通过校验 with 0 errors and no finding), and the others still merge.
#[test]
fn a_blank_a2_sent_untouched_is_s06_in_a_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let empty = root().join("fixtures/clerk/empty-inbox");
    for e in std::fs::read_dir(&empty).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), inbox.join(e.file_name())).unwrap();
    }
    std::fs::copy(
        root().join("templates-xlsx/附件2.xlsx"),
        inbox.join("附件2.xlsx"),
    )
    .unwrap();
    let out = tmp.path().join("晋城市.xlsx");

    let o = common::merge_with(&inbox, &out, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let blank = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("/附件2.xlsx"))
        .expect("the blank 附件2 in files");
    assert_eq!(blank["status"], "invalid", "{blank}");
    assert_eq!(blank["unit"], serde_json::Value::Null);
    let found: Vec<String> = blank["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}!{}",
                d["rule"].as_str().unwrap(),
                d["sheet"].as_str().unwrap(),
                d["cell"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(found, ["S06 附件2!B6"]);
    assert_eq!(v["merged"], serde_json::json!(["城区", "泽州县"]));

    let o = common::merge_with(&inbox, &out, &[]);
    let human = String::from_utf8(o.stdout).unwrap();
    assert!(human.contains("看不出是哪个单位的报表"), "{human}");
    let line = human
        .lines()
        .find(|l| l.contains("（未识别）"))
        .unwrap_or_else(|| panic!("{human}"));
    let cells: Vec<&str> = line.split(['│', '┆']).map(str::trim).collect();
    assert_eq!(cells[3..6], ["未通过校验", "1", "0"], "{line}");
    // 问题清单 of the written workbook lists it for the city to send back.
    let wb = read::open(&out).unwrap();
    let issues = sheet(&wb, "问题清单");
    let row: Vec<String> = (2..6).map(|c| text(issues, 1, c)).collect();
    assert_eq!(row, ["附件2.xlsx", "附件2", "B6", "S06"]);
}

/// A unit with nothing to report (SPEC 10): 泽州县 sends its blank 附件2 (the 合计 row's 县区
/// typed, SUMs giving 0) and its 附件3 with only 单位(盖章) and 填报时间. It is 已汇总 with both
/// attachments merged and no project rows; 合计 of 附件2 is 城区's own; no finding anywhere.
#[test]
fn a_unit_with_nothing_to_report_is_merged_with_no_projects() {
    let inbox = root().join("fixtures/clerk/empty-inbox");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("晋城市.xlsx");

    let o = common::merge_with(&inbox, &out, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let zz = common::json_unit(&v, "泽州县");
    assert_eq!(zz["status"], "merged", "{zz}");
    assert_eq!(
        zz["merged_attachments"],
        serde_json::json!(["A2", "A3", "A4", "A5"])
    );
    assert_eq!(zz["files"].as_array().unwrap().len(), 4, "{zz}");
    assert_eq!(v["merged"], serde_json::json!(["城区", "泽州县"]));
    assert_eq!(common::json_diagnostics(&v).count(), 0, "{v}");

    let wb = read::open(&out).unwrap();
    let st = sheet(&wb, merge::STATUS_SHEET);
    use merge::StatusColumn as C;
    let r = (2..9)
        .find(|&r| text(st, r, C::Unit.col().into()) == "泽州县")
        .expect("泽州县 in 报送情况");
    assert_eq!(text(st, r, C::Status.col().into()), "已汇总");

    // 附件2: no row of 泽州县; 合计 (row 6) = 城区's file's own 合计.
    let a2 = sheet(&wb, "附件2");
    assert!(!(6..40).any(|r| text(a2, r, 1) == "泽州县"));
    let cq = read::open(&inbox.join("城区-附件2.xlsx")).unwrap();
    let mut summed = 0;
    for (i, c) in pgcheck::template::a2::TEMPLATE.columns.iter().enumerate() {
        if c.summed {
            let want = num(&cq.sheets[0], 5, i as u32);
            assert_eq!(num(a2, 5, i as u32), want, "合计 of {}", c.label());
            summed += 1;
        }
    }
    assert_eq!(summed, 16);
    assert_eq!(
        num(a2, 5, 6),
        222.0,
        "应安置棚改居民户数 of 城区's two projects"
    );
    // 附件4 and 附件5 hold its block; 附件3 none of its (no case).
    let has_unit = |name: &str| (0..40).any(|r| text(sheet(&wb, name), r, 0) == "泽州县");
    assert!(has_unit("附件4") && has_unit("附件5") && !has_unit("附件3"));
    // The city workbook validates without a finding.
    let o = pgcheck(&[
        "validate",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    let city: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(common::json_diagnostics(&city).count(), 0, "{city}");
}
