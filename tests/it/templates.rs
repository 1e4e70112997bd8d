//! The blank templates: the copies committed under `templates-xlsx/` equal what the code writes
//! now (compared as calamine reads them back: sheet names, cell values, formulas, merged regions;
//! never bytes), and the written layout keeps SPEC 3's promises.
//!
//! After changing a template table or the writer, refresh the committed copies with
//! `cargo run --example write_templates -- templates-xlsx` and commit them.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use pgcheck::grid::CellRef;
use pgcheck::template::a2;
use pgcheck::writer::{write_templates, TEMPLATE_FILES, WEEKLY_REPORT};

use crate::common;

type Merge = ((u32, u32), (u32, u32));

/// One sheet as calamine reads it back, keyed by absolute position.
#[derive(Debug, PartialEq)]
struct SheetDump {
    name: String,
    values: BTreeMap<(u32, u32), String>,
    formulas: BTreeMap<(u32, u32), String>,
    merges: Vec<Merge>,
}

fn open(path: &Path) -> Xlsx<BufReader<File>> {
    open_workbook(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

fn dump(path: &Path) -> Vec<SheetDump> {
    let mut wb = open(path);
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            let values = range
                .used_cells()
                .filter(|(_, _, v)| !matches!(v, Data::Empty))
                .map(|(r, c, v)| {
                    let (r0, c0) = range.start().unwrap();
                    ((r0 + r as u32, c0 + c as u32), format!("{v:?}"))
                })
                .collect();
            let f = wb.worksheet_formula(&name).unwrap();
            let formulas = f
                .used_cells()
                .filter(|(_, _, s)| !s.is_empty())
                .map(|(r, c, s)| {
                    let (r0, c0) = f.start().unwrap();
                    ((r0 + r as u32, c0 + c as u32), s.clone())
                })
                .collect();
            let mut merges: Vec<Merge> = wb
                .merge_cells_by_sheet_name(&name)
                .unwrap()
                .into_iter()
                .map(|d| (d.start, d.end))
                .collect();
            merges.sort();
            SheetDump {
                name,
                values,
                formulas,
                merges,
            }
        })
        .collect()
}

fn all_files() -> Vec<&'static str> {
    TEMPLATE_FILES.into_iter().chain([WEEKLY_REPORT]).collect()
}

/// Writes the templates into a fresh temporary folder.
fn written() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let paths = write_templates(&out, &common::config()).unwrap();
    let expected: Vec<PathBuf> = all_files().iter().map(|n| out.join(n)).collect();
    assert_eq!(paths, expected);
    (dir, out)
}

fn committed() -> PathBuf {
    common::root().join("templates-xlsx")
}

#[test]
fn committed_templates_equal_what_the_code_writes() {
    let (_tmp, out) = written();
    for name in all_files() {
        let now = dump(&out.join(name));
        let kept = dump(&committed().join(name));
        assert!(
            now == kept,
            "templates-xlsx/{name} is stale: refresh it with \
             `cargo run --example write_templates -- templates-xlsx`"
        );
    }
}

#[test]
fn writing_leaves_no_temporary_files() {
    let (_tmp, out) = written();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = all_files().iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
    // Writing again over existing files works (rename replaces them).
    write_templates(&out, &common::config()).unwrap();
}

/// The value at an A1 reference, as text (numbers as calamine shows them).
fn at(sheet: &SheetDump, cell: &str) -> String {
    let c = CellRef::parse(cell).unwrap();
    sheet
        .values
        .get(&(c.row, c.col))
        .cloned()
        .unwrap_or_default()
}

fn text(s: &str) -> String {
    format!("{:?}", Data::String(s.to_string()))
}

/// The value a reader sees at a cell once merged regions are filled (SPEC 5): the top-left
/// cell's value for any cell of a merge.
fn shown(sheet: &SheetDump, cell: &str) -> String {
    let c = CellRef::parse(cell).unwrap();
    let top_left = sheet
        .merges
        .iter()
        .find(|((r1, c1), (r2, c2))| (*r1..=*r2).contains(&c.row) && (*c1..=*c2).contains(&c.col))
        .map(|((r, c), _)| format!("{}{}", CellRef::col_name(*c), r + 1));
    at(sheet, top_left.as_deref().unwrap_or(cell))
}

fn merged(sheet: &SheetDump, from: &str, to: &str) -> bool {
    let (a, b) = (CellRef::parse(from).unwrap(), CellRef::parse(to).unwrap());
    sheet.merges.contains(&((a.row, a.col), (b.row, b.col)))
}

fn sheet_of(out: &Path, file: &str) -> SheetDump {
    let mut sheets = dump(&out.join(file));
    assert_eq!(sheets.len(), 1, "{file} has one sheet");
    sheets.remove(0)
}

#[test]
fn a2_keeps_spec_3_1() {
    let (_tmp, out) = written();
    let s = sheet_of(&out, "附件2.xlsx");
    assert_eq!(s.name, "附件2");
    assert_eq!(at(&s, "A1"), text("附件2"));
    assert_eq!(
        at(&s, "A2"),
        text("棚改居民逾期未回迁安置问题项目基本情况及整改推进表")
    );
    assert!(merged(&s, "A2", "AJ2"), "title merged over A2:AJ2");
    // Three header levels, rows 3-5.
    assert_eq!(at(&s, "A3"), text("序号"));
    assert!(merged(&s, "A3", "A5"));
    assert_eq!(at(&s, "C3"), text("逾期在建棚改项目"));
    assert!(merged(&s, "C3", "L3"));
    assert_eq!(at(&s, "C4"), text("项目名称"));
    assert!(merged(&s, "C4", "C5"));
    assert_eq!(at(&s, "H4"), text("开工套数"));
    assert_eq!(
        at(&s, "H5"),
        "",
        "H4:H5 is one merged cell; only H4 holds the label"
    );
    assert!(merged(&s, "H4", "H5"));
    assert_eq!(at(&s, "L4"), text("工程形象进度"));
    assert!(merged(&s, "L4", "L5"));
    assert_eq!(at(&s, "M3"), text("逾期安置情况"));
    assert!(merged(&s, "M3", "P3"));
    assert_eq!(at(&s, "M4"), text("安置补偿协议"));
    assert!(merged(&s, "M4", "N4"));
    assert_eq!(at(&s, "M5"), text("签订时间"));
    assert_eq!(at(&s, "T5"), text("已发放至xxx年xx月"));
    assert_eq!(at(&s, "AC3"), text("整改计划"));
    assert!(merged(&s, "AC3", "AF3"));
    assert_eq!(at(&s, "AC4"), text("计划交付时间"));
    assert_eq!(at(&s, "AC5"), text("202X.XX"));
    assert_eq!(at(&s, "AD4"), text("其中：10月底前整改计划"));
    assert!(merged(&s, "AD4", "AF4"));
    assert_eq!(at(&s, "AJ3"), text("备注"));
    // The leaf labels as a reader sees them in the deepest header row (merges filled).
    for (cell, label) in [
        ("H5", "开工套数"),
        ("L5", "工程形象进度"),
        ("AC5", "202X.XX"),
        ("AJ5", "备注"),
        ("AJ3", "备注"),
        ("G5", "应安置棚改居民户数"),
        ("O5", "户数"),
        ("AI5", "进展详细说明（报阶段性整改时间）"),
    ] {
        assert_eq!(shown(&s, cell), text(label), "{cell}");
    }
    assert!(merged(&s, "AJ3", "AJ5"));
    // Row 6: the total row, formulas with cached values.
    assert_eq!(at(&s, "A6"), text("合计"));
    assert_eq!(at(&s, "B6"), text("晋城市"));
    let g6 = CellRef::parse("G6").unwrap();
    assert_eq!(s.formulas.get(&(g6.row, g6.col)).unwrap(), "SUM(G7:G16)");
    assert_eq!(at(&s, "G6"), format!("{:?}", Data::Float(0.0)));
    assert_eq!(s.formulas.get(&(5, 33)).unwrap(), "SUM(AH7:AH16)");
    let summed = a2::TEMPLATE.columns.iter().filter(|c| c.summed).count();
    assert_eq!(s.formulas.len(), summed, "one SUM per summed column");
    assert!(
        !s.formulas.contains_key(&(5, 22)),
        "欠发几个月 is not summed"
    );
    // Rows 7-16 blank; footnotes from row 17, merged across.
    assert!(s.values.keys().all(|(r, _)| !(6..16).contains(r)));
    assert!(at(&s, "A17").contains("备注：1、开工套数"));
    assert!(merged(&s, "A17", "AJ17"));
    assert!(at(&s, "A18").contains("2、工程形象进度"));
    assert!(at(&s, "A19").contains("3、责任单位"));
}

fn sheet_xml(path: &Path, n: usize) -> String {
    common::zip_text(path, &format!("xl/worksheets/sheet{n}.xml"))
}

#[test]
fn dropdowns_list_the_controlled_vocabularies() {
    let (_tmp, out) = written();
    let a2 = sheet_xml(&out.join("附件2.xlsx"), 1);
    assert_eq!(a2.matches("<dataValidation ").count(), 1);
    assert!(a2.contains(r#"sqref="L7:L16""#), "{a2}");
    assert!(a2.contains("1、未开工,2、基坑开挖"));
    assert!(a2.contains("9、准备交付"));
    let a3 = sheet_xml(&out.join("附件3.xlsx"), 1);
    // 信息来源 and the four 是/否 columns.
    assert_eq!(a3.matches("<dataValidation ").count(), 5);
    assert!(a3.contains(r#"sqref="I7:I21""#));
    assert!(a3.contains("来信来访来电,信访转办,电信举报,其他转办"));
    for col in ["C", "M", "N", "R"] {
        assert!(a3.contains(&format!(r#"sqref="{col}7:{col}21""#)), "{col}");
    }
    // Print setup: landscape A3, fit to width.
    assert!(a2.contains(r#"paperSize="8""#) && a2.contains(r#"orientation="landscape""#));
    assert!(a2.contains(r#"fitToHeight="0""#));
    // Panes frozen below the header (row 6 is the first unfrozen row) and right of 项目名称 (C).
    assert!(a2.contains(r#"topLeftCell="D6""#), "{a2}");
    let wbxml = common::zip_text(&out.join("附件2.xlsx"), "xl/workbook.xml");
    assert!(
        wbxml.contains("_xlnm.Print_Titles") && wbxml.contains("$3:$5"),
        "header rows 3-5 repeated: {wbxml}"
    );
}

#[test]
fn a3_keeps_spec_3_2() {
    let (_tmp, out) = written();
    let s = sheet_of(&out, "附件3.xlsx");
    assert_eq!(at(&s, "A1"), text("附件3"));
    assert!(merged(&s, "A2", "S2"));
    assert_eq!(at(&s, "A3"), text("单位(盖章):"));
    assert_eq!(at(&s, "A4"), text("填报时间: 2024 年 月 日"));
    assert_eq!(at(&s, "A5"), text("序号"));
    assert!(merged(&s, "A5", "A6"));
    assert_eq!(at(&s, "B5"), text("问题接收登记"));
    assert!(merged(&s, "B5", "J5"));
    assert_eq!(at(&s, "I6"), text("信息来源"));
    assert_eq!(at(&s, "K5"), text("办理情况"));
    assert!(merged(&s, "K5", "R5"));
    assert_eq!(at(&s, "S5"), text("备注"));
    assert!(at(&s, "A22").starts_with(&text("备注：1、")[..4]));
    assert!(at(&s, "A25").contains("每周三"));
}

#[test]
fn a4_keeps_spec_3_3() {
    let (_tmp, out) = written();
    let s = sheet_of(&out, "附件4.xlsx");
    assert_eq!(at(&s, "A1"), text("附件4"));
    assert!(merged(&s, "A2", "D2"));
    assert_eq!(at(&s, "A3"), text("单位（盖章）："));
    assert_eq!(at(&s, "A4"), text("填报人："));
    assert_eq!(at(&s, "A5"), text("填报时间：2024 年 月 日"));
    assert_eq!(at(&s, "A6"), text("实事名称"));
    assert!(merged(&s, "A6", "A7"));
    assert!(merged(&s, "B6", "B7"));
    assert_eq!(at(&s, "C6"), text("解决群众急难愁盼、为群众办实事情况"));
    assert!(merged(&s, "C6", "D6"));
    assert_eq!(at(&s, "C7"), text("件数"));
    assert_eq!(at(&s, "D7"), text("典型事例"));
    assert_eq!(at(&s, "A8"), text("整改棚改居民逾期未回迁安置问题"));
    assert!(merged(&s, "A8", "A11"));
    assert!(merged(&s, "C8", "C11"));
    assert_eq!(at(&s, "B8"), text("【党委政府领导推动情况】"));
    assert_eq!(
        at(&s, "B11"),
        text("【建立健全制度机制情况】（包括重要文件名称等）")
    );
    assert_eq!(at(&s, "D8"), text("1. × × ×"));
    assert_eq!(at(&s, "D10"), text("3. × × ×"));
    assert_eq!(at(&s, "D11"), "");
    assert!(at(&s, "A12").contains("说明：1."));
}

#[test]
fn a5_keeps_spec_3_4() {
    let (_tmp, out) = written();
    let s = sheet_of(&out, "附件5.xlsx");
    assert_eq!(at(&s, "A1"), text("附件5"));
    assert!(merged(&s, "A2", "N2"));
    assert_eq!(at(&s, "A5"), text("填报时间：2024 年 月 日"));
    // Four header levels, rows 6-9.
    assert_eq!(at(&s, "A6"), text("项目名称"));
    assert!(merged(&s, "A6", "A9"));
    assert_eq!(at(&s, "B6"), text("开展督导检查情况"));
    assert_eq!(at(&s, "B7"), text("县级累计次数"));
    assert!(merged(&s, "B7", "B9"));
    assert!(merged(&s, "C6", "H6"));
    assert!(merged(&s, "C7", "F7"));
    assert_eq!(at(&s, "C8"), text("小计"));
    assert!(merged(&s, "C8", "C9"));
    assert_eq!(at(&s, "D8"), text("其中"));
    assert!(merged(&s, "D8", "F8"));
    assert_eq!(at(&s, "E9"), text("派驻纪检组发现移交"));
    assert_eq!(at(&s, "H7"), text("典型问题和整改情况"));
    assert!(merged(&s, "I6", "N6"));
    assert!(merged(&s, "I7", "N7"));
    assert!(merged(&s, "I8", "J8"));
    assert_eq!(at(&s, "N9"), text("人数"));
    // One block of three rows.
    assert_eq!(at(&s, "A10"), text("整改棚改居民逾期未回迁安置问题"));
    for c in ["A", "B", "C", "G", "I", "N"] {
        assert!(
            merged(&s, &format!("{c}10"), &format!("{c}12")),
            "{c}10:{c}12"
        );
    }
    assert_eq!(at(&s, "H10"), text("典型问题 1. × × × 整改结果:"));
    assert_eq!(at(&s, "H12"), text("典型问题 3. × × × 整改结果:"));
    assert!(at(&s, "A13").contains("说明：1."));
    assert!(at(&s, "A14").contains("典型问题和整改情况"));
}

#[test]
fn weekly_report_holds_the_four_sheets_as_the_single_files() {
    let (_tmp, out) = written();
    let weekly = dump(&out.join(WEEKLY_REPORT));
    let names: Vec<&str> = weekly.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["附件2", "附件3", "附件4", "附件5"]);
    for (sheet, file) in weekly.iter().zip(TEMPLATE_FILES) {
        assert_eq!(*sheet, sheet_of(&out, file), "{file}");
    }
}

/// A city whose plan runs to another date (`plan_deadline = 2024-11-30`) gets a 附件2 whose plan
/// columns say so (其中：11月底前整改计划, AD3 of the template), and A2-25 names that date in its
/// message and want, in both languages. Header detection accepts either label: the template
/// written for the config and the standard one (fixtures/a2/a2-25.xlsx) are both read.
#[test]
fn the_plan_columns_follow_plan_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let toml = tmp.path().join("november.toml");
    std::fs::write(&toml, "plan_deadline = 2024-11-30\n").unwrap();
    let toml = toml.to_str().unwrap();
    let dir = tmp.path().join("templates");
    let o = common::pgcheck(&["template", "-o", dir.to_str().unwrap(), "--config", toml]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let a2_path = dir.join("附件2.xlsx");
    let wb = pgcheck::read::open(&a2_path).unwrap();
    let s = common::sheet(&wb, "附件2");
    let col = a2::TEMPLATE.index(a2::Col::PlanOctHouseholds) as u32;
    assert_eq!(common::text(s, 3, col), "其中：11月底前整改计划");
    assert_eq!(a2::plan_group(common::config().plan_deadline), a2::PLAN_BY);

    for (lang, message, want) in [
        ("zh", "11月底前计划交付户数 130", "11月底前计划交付使用户数"),
        (
            "en",
            "planned deliveries by 2024-11-30 130",
            "by 2024-11-30",
        ),
    ] {
        let fixture = common::root().join("fixtures/a2/a2-25.xlsx");
        let args = [
            "validate",
            fixture.to_str().unwrap(),
            a2_path.to_str().unwrap(),
            "--as-of",
            "2024-10-14",
            "--config",
            toml,
            "--lang",
            lang,
            "--format",
            "json",
        ];
        let doc: serde_json::Value =
            serde_json::from_slice(&common::pgcheck(&args).stdout).unwrap();
        let files = doc["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        // Both headers are found: no missing column (S03) in either file.
        let found: Vec<(String, String, String, String)> = common::json_diagnostics(&doc)
            .map(|d| {
                let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
                (s("rule"), s("cell"), s("message"), s("help"))
            })
            .collect();
        assert!(!found.iter().any(|d| d.0 == "S03"), "{found:?}");
        let a2_25: Vec<_> = found.iter().filter(|d| d.0 == "A2-25").collect();
        assert_eq!(a2_25.len(), 1, "{found:?}");
        assert_eq!(a2_25[0].1, "AD7");
        assert!(a2_25[0].2.contains(message), "{lang}: {:?}", a2_25[0]);
        assert!(a2_25[0].3.contains(want), "{lang}: {:?}", a2_25[0]);
    }
}

/// 附件2's footnote 1 names `paid_through_min` (issue 16 point 7): `24年7月底` for the default
/// 2024-07, as the notice words it; `24年9月底` for a config with 2024-09.
#[test]
fn the_paid_through_footnote_follows_paid_through_min() {
    assert_eq!(
        a2::paid_note(common::config().paid_through_min),
        a2::PAID_NOTE
    );
    assert!(a2::PAID_NOTE.contains("发放至年份必须为24年7月底后；"));

    let tmp = tempfile::tempdir().unwrap();
    let toml = tmp.path().join("september.toml");
    std::fs::write(&toml, "paid_through_min = \"2024-09\"\n").unwrap();
    let dir = tmp.path().join("templates");
    let o = common::pgcheck(&[
        "template",
        "-o",
        dir.to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let wb = pgcheck::read::open(&dir.join("附件2.xlsx")).unwrap();
    let s = common::sheet(&wb, "附件2");
    // Footnote 1 is A17, below the ten blank rows.
    let note = common::text(s, 16, 0);
    assert!(note.starts_with("备注：1、开工套数"), "{note}");
    assert!(note.ends_with("发放至年份必须为24年9月底后；"), "{note}");
    assert!(!note.contains("7月底"), "{note}");
}
