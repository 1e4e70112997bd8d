//! Issue 12: files filled in the way county clerks fill them (fixtures/clerk/, made by
//! fixtures/scripts/make_clerk.py from `pgcheck template` output and re-saved by LibreOffice as
//! .xlsx, .xls and .ods). Each test asserts the exact findings (rule and sheet!cell) the command
//! line reports for every saved format, through `--format json` (SPEC 9).

use crate::common;

use serde_json::Value;

/// The JSON report of `pgcheck validate FILE --as-of 2024-10-14 --format json`.
fn report(file: &str) -> Value {
    let out = common::pgcheck(&[
        "validate",
        file,
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Every diagnostic of every file of a report as `RULE SHEET!CELL`, sorted.
fn findings(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = common::json_diagnostics(report)
        .map(|d| {
            format!(
                "{} {}!{}",
                d["rule"].as_str().unwrap_or("?"),
                d["sheet"].as_str().unwrap_or("-"),
                d["cell"].as_str().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

/// The fixture `fixtures/clerk/NAME.EXT` in each format LibreOffice saved.
fn each_format(name: &str) -> impl Iterator<Item = String> + '_ {
    ["xlsx", "xls", "ods"]
        .into_iter()
        .map(move |ext| format!("fixtures/clerk/{name}.{ext}"))
}

/// The one diagnostic of a report (panics unless there is exactly one).
fn only(report: &Value) -> &Value {
    let diags = report["files"][0]["diagnostics"].as_array().expect("list");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    &diags[0]
}

/// Point 4: `2017.10` typed into a `yyyy-mm` cell is stored as the serial 2017.1 (1905-07-09):
/// read as the month typed, ambiguous (V05), never V03 "年份 1905". Two-decimal months typed the
/// same way (2018.06, 2025.09, 2018.03) are read without a finding.
#[test]
fn months_typed_into_date_formatted_cells_are_year_month() {
    for file in each_format("p04-month-typed-高平市") {
        let r = report(&file);
        assert_eq!(findings(&r), ["V05 附件2!F7"], "{file}");
        let d = only(&r);
        assert_eq!(d["value"], "2017.1", "{file}");
        assert!(
            d["message"].as_str().unwrap().contains("2017-01"),
            "{file}: {d:#}"
        );
        assert!(!r.to_string().contains("1905"), "{file}");
    }
}

/// Point 4 follow-up: `2024.10` typed into a number (常规) cell of 已发放至 is the number 2024.1,
/// `2016.10` in 约定交付时间 is 2016.1 and `2024.10` in 计划交付时间 2024.1. Read as January, T7
/// would be A2-05 (before 2024-07), N8 A2-22 (before 签订时间 2016-06-06) and AC7 A2-28 (before
/// the report month 2024-10): as October none holds, so V05 is the one finding on each. Where both
/// readings give the finding the rule reports it besides V05, saying so: 签订时间 M7 2020.1 is
/// after 约定交付时间 2019-10-31 as 2020-01 or 2020-10 (A2-22 N7), 已发放至 T8 2023.1 is before
/// 2024-07 either way (A2-05 T8). The city workbook keeps the numbers as typed, so validating it
/// says the same again (merged and validated with 已发放至 from 2023-01, so no A2-05 there).
#[test]
fn an_ambiguous_month_is_compared_by_both_readings() {
    for file in each_format("p04-number-months-陵川县") {
        let r = report(&file);
        assert_eq!(
            findings(&r),
            [
                "A2-05 附件2!T8",
                "A2-22 附件2!N7",
                "V05 附件2!AC7",
                "V05 附件2!M7",
                "V05 附件2!N8",
                "V05 附件2!T7",
                "V05 附件2!T8"
            ],
            "{file}"
        );
        assert_eq!(at(&r, "附件2", "T7")["value"], "2024.1", "{file}");
        assert_eq!(at(&r, "附件2", "AC7")["value"], "2024.1", "{file}");
        assert_eq!(at(&r, "附件2", "N8")["value"], "2016.1", "{file}");
        let message = |rule: &str, cell: &str| {
            common::json_diagnostics(&r)
                .find(|d| d["rule"] == rule && d["sheet"] == "附件2" && d["cell"] == cell)
                .and_then(|d| d["message"].as_str())
                .unwrap_or_else(|| panic!("{file}: no {rule} {cell}"))
                .to_string()
        };
        // V05 says the month is unknown and only what holds both ways is reported.
        let v05 = message("V05", "T7");
        assert!(
            v05.contains("2024.1 可能是 2024-01，也可能是填写的 2024.10")
                && v05.contains("其他规则只报告两种读法都成立的问题"),
            "{v05}"
        );
        let a2_22 = message("A2-22", "N7");
        assert!(
            a2_22.contains(
                "约定交付时间 2019-10-31 早于签订时间 2020.1（按 2020-01 或 2020-10 都如此）"
            ),
            "{a2_22}"
        );
        let a2_05 = message("A2-05", "T8");
        assert!(
            a2_05.contains("已发放至 2023.1（按 2023-01 或 2023-10 都如此），应不早于 2024-07"),
            "{a2_05}"
        );

        let (_tmp, out, config) = merge_p04b(&file, "2024-10-14");
        let city = common::pgcheck(&[
            "validate",
            out.to_str().unwrap(),
            "--as-of",
            "2024-10-14",
            "--config",
            &config,
            "--format",
            "json",
        ]);
        let city: Value = serde_json::from_slice(&city.stdout).unwrap();
        let mut city_values: Vec<(String, String)> = common::json_diagnostics(&city)
            .map(|d| (d["rule"].to_string(), d["value"].to_string()))
            .collect();
        city_values.sort();
        assert_eq!(
            city_values,
            [
                ("\"A2-22\"", "\"2019-10-31\""),
                ("\"V05\"", "\"2016.1\""),
                ("\"V05\"", "\"2020.1\""),
                ("\"V05\"", "\"2023.1\""),
                ("\"V05\"", "\"2024.1\""),
                ("\"V05\"", "\"2024.1\"")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
            "{file}: {city:#}"
        );
    }
}

/// At a report date after both readings of an ambiguous month, the rule holds either way: with
/// 2024-12-10 as the report date, 计划交付时间 AC7 2024.1 has passed as 2024-01 and as 2024-10
/// (A2-28 besides V05; at 2024-10-14 only V05, above).
#[test]
fn an_ambiguous_plan_month_passed_either_way_is_a2_28() {
    for file in each_format("p04-number-months-陵川县") {
        let out = common::pgcheck(&[
            "validate",
            &file,
            "--as-of",
            "2024-12-10",
            "--format",
            "json",
        ]);
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut rules: Vec<&str> = common::json_diagnostics(&r)
            .filter(|d| d["sheet"] == "附件2" && d["cell"] == "AC7")
            .map(|d| d["rule"].as_str().unwrap())
            .collect();
        rules.sort();
        assert_eq!(rules, ["A2-28", "V05"], "{file}: {r:#}");
        // No space after the full-width bracket of the value's note.
        let a2_28 = common::json_diagnostics(&r)
            .find(|d| d["rule"] == "A2-28")
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string();
        assert_eq!(
            a2_28,
            "计划交付时间已过：计划交付时间 2024.1（按 2024-01 或 2024-10 都如此）已过（报告月份 2024-12），仍有逾期户数",
            "{file}"
        );
    }
}

/// p04b's `file` merged at `as_of` into 晋城市.xlsx with 已发放至 allowed from 2023-01, so its
/// A2-05 (T8 2023.1, an error) does not keep the unit out: (folder, workbook, config path).
fn merge_p04b(file: &str, as_of: &str) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (tmp, inbox) = inbox_of(file);
    let config = tmp.path().join("pgcheck.toml");
    std::fs::write(&config, "paid_through_min = \"2023-01\"\n").unwrap();
    let config = config.to_str().unwrap().to_string();
    let out = tmp.path().join("晋城市.xlsx");
    let o = common::merge_on(&inbox, &out, as_of, &["--config", &config]);
    assert!(
        out.exists(),
        "{file}: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    (tmp, out, config)
}

/// 附件3's 协议明确回迁时间 typed as numbers: F7 2016.1 is before 协议签订时间 2017-04-10 as
/// 2016-01 and as 2016-10 (A3-07 besides V05, saying so); F8 2017.1 is before it only as January
/// (V05 alone).
#[test]
fn an_ambiguous_return_month_is_a3_07_only_when_both_readings_are_early() {
    for file in each_format("p04-number-months-附件3-陵川县") {
        let r = report(&file);
        assert_eq!(
            findings(&r),
            ["A3-07 附件3!F7", "V05 附件3!F7", "V05 附件3!F8"],
            "{file}"
        );
        let a3_07 = common::json_diagnostics(&r)
            .find(|d| d["rule"] == "A3-07")
            .and_then(|d| d["message"].as_str())
            .unwrap()
            .to_string();
        assert!(
            a3_07.contains(
                "协议回迁时间 2016.1（按 2016-01 或 2016-10 都如此）早于签订时间 2017-04-10"
            ),
            "{file}: {a3_07}"
        );
    }
}

/// A temporary folder with `inbox/` holding a copy of the fixture `file`: (folder, inbox).
fn inbox_of(file: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let name = std::path::Path::new(file).file_name().unwrap();
    std::fs::copy(common::root().join(file), inbox.join(name)).unwrap();
    (tmp, inbox)
}

/// 约谈预警 lists a project whose 计划交付时间 is an ambiguous month (AC7 `2024.1`) with the
/// number as typed and 年月不明, not a blank (before: blank) and not 2024-01; a plain month
/// (AC8 2025-12) as the month. On 2025-01-06 the milestone 2024-12-31 has passed, so both
/// projects are listed whatever their plan.
#[test]
fn alerts_show_an_ambiguous_plan_month_as_typed() {
    for file in each_format("p04-number-months-陵川县") {
        let (_tmp, out, _) = merge_p04b(&file, "2025-01-06");
        let wb = pgcheck::read::open(&out).unwrap();
        let s = common::sheet(&wb, "约谈预警");
        assert_eq!(common::text(s, 1, 5), "计划交付时间");
        let rows: Vec<(String, String, String)> = (2..4)
            .map(|r| {
                (
                    common::text(s, r, 2),
                    common::text(s, r, 5),
                    common::text(s, r, 7),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "陵川县崇文镇棚户区改造项目",
                    "2024.1（年月不明）",
                    "节点已过未完成"
                ),
                ("陵川县礼义镇安置房项目", "2025-12", "节点已过未完成"),
            ]
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())),
            "{file}"
        );
        assert_eq!(common::text(s, 4, 2), "", "{file}: two projects listed");
    }
}

/// On 2024-12-10 the milestone 2024-12-31 is 21 days ahead: a project whose 计划交付时间 has
/// passed is 计划已过, one whose plan is ahead 临近节点. AC7 `2024.1` has passed as 2024-01 and as
/// 2024-10, so it is 计划已过 (before: 临近节点, the ambiguous month compared with nothing).
#[test]
fn alerts_say_plan_passed_when_both_readings_have() {
    for file in each_format("p04-number-months-陵川县") {
        let (_tmp, out, _) = merge_p04b(&file, "2024-12-10");
        let wb = pgcheck::read::open(&out).unwrap();
        let s = common::sheet(&wb, "约谈预警");
        let rows: Vec<(String, String)> = (2..4)
            .map(|r| (common::text(s, r, 5), common::text(s, r, 7)))
            .collect();
        assert_eq!(
            rows,
            [("2024.1（年月不明）", "计划已过"), ("2025-12", "临近节点")]
                .map(|(a, b)| (a.to_string(), b.to_string())),
            "{file}"
        );
    }
}

/// The number format code of cell `at` in the first sheet of the xlsx at `path`.
fn format_code(path: &std::path::Path, at: &str) -> String {
    let sheet = common::zip_text(path, "xl/worksheets/sheet1.xml");
    let styles = common::zip_text(path, "xl/styles.xml");
    let open = format!("<c r=\"{at}\" ");
    let cell = &sheet[sheet.find(&open).unwrap_or_else(|| panic!("no {at}"))..];
    let cell = &cell[..cell.find('>').unwrap()];
    let style: usize = cell
        .split("s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map_or(0, |s| s.parse().unwrap());
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).expect("xf");
    let id = xf
        .split("numFmtId=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    match id {
        "0" => "General".to_string(),
        "49" => "@".to_string(),
        _ => styles
            .split(&format!("numFmtId=\"{id}\" formatCode=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("numFmt {id}"))
            .to_string(),
    }
}

/// Point 4, the template side: the blank 附件2 formats its month columns (F, Q, T, AC) as text,
/// so a typed `2024.10` stays as typed; date columns keep their date format.
#[test]
fn the_blank_template_keeps_typed_months_as_text() {
    let a2 = common::root().join("templates-xlsx/附件2.xlsx");
    for row in [7, 16] {
        for col in ["F", "Q", "T", "AC"] {
            assert_eq!(format_code(&a2, &format!("{col}{row}")), "@", "{col}{row}");
        }
        assert_eq!(format_code(&a2, &format!("M{row}")), "yyyy-mm-dd");
        assert_eq!(format_code(&a2, &format!("G{row}")), "0");
    }
}

/// Asserts the findings of `fixtures/clerk/NAME` in every saved format.
fn assert_findings(name: &str, want: &[&str]) {
    for file in each_format(name) {
        assert_eq!(findings(&report(&file)), want, "{file}");
    }
}

/// Point 14: a resettled complainant written `…已于2022年在东街安置小区回迁安置` is what A3-03
/// asks for (SPEC 4.5: 已 before 回迁安置), so no warning.
#[test]
fn a_resettlement_worded_with_a_year_satisfies_a3_03() {
    assert_findings("p14-resettled-附件3-城区", &[]);
}

/// Point 14: the V02 help names no unit of money (no unit is fixed: counties write 元 or 万元).
#[test]
fn the_amount_help_fixes_no_unit() {
    let r = report("fixtures/clerk/p10-negative-泽州县.xlsx");
    let diags = r["files"][0]["diagnostics"].as_array().unwrap();
    let v02: Vec<_> = diags.iter().filter(|d| d["rule"] == "V02").collect();
    assert!(!v02.is_empty(), "{diags:#?}");
    for d in v02 {
        let help = d["help"].as_str().unwrap();
        assert!(!help.contains('元'), "{help}");
    }
}

/// Point 1: the template's empty rows numbered in advance (序号 typed or `=ROW()-6`), 县区
/// copied down and `=H7-I7` / `=G7-J7` pre-filled are blank rows, not projects missing every
/// required cell; the same for 附件3's numbered rows. In every format: LibreOffice's .xls stores
/// the pre-filled columns as shared formulas, whose text calamine 0.38 does not give, so the
/// reader finds those formula cells from the file's FORMULA records.
#[test]
fn prenumbered_empty_rows_are_blank() {
    for file in each_format("p01-prenumbered-阳城县") {
        let r = report(&file);
        assert_eq!(findings(&r), Vec::<String>::new(), "{file}");
        assert_eq!(
            r["files"][0]["sheets"][0]["rows"], 4,
            "{file}: 合计 + 3 projects"
        );
    }
    assert_findings("p01-prenumbered-附件3-阳城县", &[]);
}

/// Point 8: the four agreement-date columns accept month precision (`2016年11月`, `2018.6`) and
/// compare by month: a delivery month before the signing month is A2-22 on 约定交付时间.
#[test]
fn agreement_dates_given_to_the_month() {
    assert_findings("p08-month-dates-沁水县", &[]);
    assert_findings("p08-month-dates-附件3-沁水县", &[]);
    assert_findings("p08-month-order-沁水县", &["A2-22 附件2!N7"]);
}

/// The diagnostic of a report on `sheet!cell` (panics unless there is exactly one).
fn at<'a>(report: &'a Value, sheet: &str, cell: &str) -> &'a Value {
    let found: Vec<&Value> = common::json_diagnostics(report)
        .filter(|d| d["sheet"] == sheet && d["cell"] == cell)
        .collect();
    assert_eq!(found.len(), 1, "{sheet}!{cell}: {found:#?}");
    found[0]
}

/// Point 10: a negative amount (V8 `-3.6`) and a negative count (AF7 `-5`) in project rows are
/// one diagnostic each, naming the 合计 cell their SUM made negative in `related`; nothing on
/// the 合计 cells V6 and AF6 themselves.
#[test]
fn a_negative_project_value_is_reported_once_naming_its_total() {
    for file in each_format("p10-negative-泽州县") {
        let r = report(&file);
        assert_eq!(findings(&r), ["V01 附件2!AF7", "V02 附件2!V8"], "{file}");
        let v02 = at(&r, "附件2", "V8");
        assert_eq!(v02["related"], serde_json::json!(["V6"]), "{file}");
        assert!(
            v02["message"].as_str().unwrap().contains("合计 V6"),
            "{file}: {v02:#}"
        );
        assert_eq!(
            at(&r, "附件2", "AF7")["related"],
            serde_json::json!(["AF6"]),
            "{file}"
        );
    }
}

/// Point 5: G8 `72` stored as text, so the template's `=SUM(G7:G16)` in G6 reads 150, not
/// 222. That is the V04 alone (a warning: the file stays valid), naming G6 and the shortfall;
/// no A2-09 on G6.
#[test]
fn a_total_short_by_a_text_number_is_that_numbers_v04_alone() {
    for file in each_format("p05-text-number-开发区") {
        let r = report(&file);
        assert_eq!(findings(&r), ["V04 附件2!G8"], "{file}");
        assert_eq!(r["files"][0]["status"], "valid", "{file}");
        let d = only(&r);
        assert_eq!(d["related"], serde_json::json!(["G6"]), "{file}");
        let message = d["message"].as_str().unwrap();
        assert!(
            message.contains("合计 G6") && message.contains("少计 72"),
            "{file}: {message}"
        );
    }
}

/// Point 6: 城区 and 泽州县 both have a `城北片区棚户区改造项目` (different 监管编号). 项目名称 is
/// unique within a unit only: both units are merged without A2-10, and the city workbook, which
/// holds both rows, validates without A2-10 too. (A 监管编号 given by two units still is A2-10:
/// config_city.rs.)
#[test]
fn two_units_may_have_projects_of_the_same_name() {
    let name = "城北片区棚户区改造项目";
    for dir in ["p06-inbox", "p06-inbox-xls", "p06-inbox-ods"] {
        let inbox = common::root().join("fixtures/clerk").join(dir);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("晋城市.xlsx");
        let o = common::merge_with(&inbox, &out, &["--format", "json"]);
        let doc: Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(
            doc["merged"],
            serde_json::json!(["城区", "泽州县"]),
            "{dir}"
        );
        assert_eq!(findings(&doc), Vec::<String>::new(), "{dir}");

        let wb = pgcheck::read::open(&out).expect("merged workbook");
        let a2 = common::sheet(&wb, "附件2");
        let rows: Vec<u32> = a2
            .iter()
            .filter(|(_, c)| c.value.display() == name)
            .map(|(at, _)| at.row)
            .collect();
        assert_eq!(rows.len(), 2, "{dir}: {rows:?}");
        let city = report(out.to_str().unwrap());
        let a2_10: Vec<String> = findings(&city)
            .into_iter()
            .filter(|f| f.starts_with("A2-10"))
            .collect();
        assert_eq!(a2_10, Vec::<String>::new(), "{dir}");
    }
}

/// X02 on the city's own workbook compares its 附件5 row 晋城市 (the sum of the units that sent an
/// 附件5) with the 附件2 rows of those units only: a merge where 沁水县 (p03) or every unit
/// (p06) sent no 附件5 validates without X02. A unit whose 附件5 disagrees with its 附件2 still
/// makes the city row disagree: X02 on 附件5!N10, over 陵川县 and 泽州县 but not 沁水县.
#[test]
fn x02_on_the_city_workbook_counts_the_units_that_sent_a5() {
    let city = |inbox: &std::path::Path| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("晋城市.xlsx");
        common::merge(inbox, &out);
        report(out.to_str().unwrap())
    };
    for dir in ["p03-inbox", "p06-inbox"] {
        let r = city(&common::root().join("fixtures/clerk").join(dir));
        assert_eq!(findings(&r), Vec::<String>::new(), "{dir}: {r:#}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path();
    for f in std::fs::read_dir(common::root().join("fixtures/clerk/p03-inbox")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, inbox.join(f.file_name().unwrap())).unwrap();
    }
    let week = common::root().join("fixtures/week-2024-10-14");
    std::fs::copy(
        week.join("泽州县-附件2.xlsx"),
        inbox.join("泽州县-附件2.xlsx"),
    )
    .unwrap();
    // 未回迁安置户数 34, where 泽州县's 附件2 sums 404 逾期未交付使用户数.
    let a5 = common::root().join("fixtures/a5/clean.xlsx");
    std::fs::copy(a5, inbox.join("泽州县-附件5.xlsx")).unwrap();
    let r = city(inbox);
    assert_eq!(findings(&r), ["X02 附件5!N10"], "{r:#}");
    // 陵川县 122 + 泽州县 34 against 陵川县 122 + 泽州县 404; 沁水县's 122 is not counted.
    let message = at(&r, "附件5", "N10")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("未回迁安置户数 156，"), "{message}");
    assert!(message.contains("合计 526"), "{message}");
}

/// Point 9: a diagnostic's field is the column's label with as much of its header path as makes
/// it unique: `计划交付时间` (its header cell reads `202X.XX`), `逾期未交付使用/套数` (not a bare
/// `套数`), in the JSON `field` and in the human output.
#[test]
fn fields_are_named_by_their_labels() {
    for file in each_format("p09-labels-阳城县") {
        let r = report(&file);
        assert_eq!(findings(&r), ["V01 附件2!P8", "V03 附件2!AC7"], "{file}");
        assert_eq!(at(&r, "附件2", "AC7")["field"], "计划交付时间", "{file}");
        assert_eq!(
            at(&r, "附件2", "P8")["field"],
            "逾期未交付使用/套数",
            "{file}"
        );
        let out = common::pgcheck(&["validate", &file, "--as-of", "2024-10-14"]);
        let human = String::from_utf8(out.stdout).unwrap();
        assert!(
            human.contains("附件2!AC7  计划交付时间 = “2024年13月”"),
            "{human}"
        );
        assert!(
            human.contains("附件2!P8  逾期未交付使用/套数 = “88套”"),
            "{human}"
        );
        assert!(!human.contains("202X"), "{human}");
    }
}

/// Point 14: a misspelt unit (`泽洲县`) is S06 telling the unit it probably means, as A2-06
/// suggests the stage meant.
#[test]
fn a_misspelt_unit_is_told_the_unit_it_probably_means() {
    for file in each_format("p14-misspelt-泽洲县") {
        let r = report(&file);
        assert_eq!(findings(&r), ["S06 附件2!B7", "S06 附件2!B8"], "{file}");
        for cell in ["B7", "B8"] {
            let d = at(&r, "附件2", cell);
            let message = d["message"].as_str().unwrap();
            assert!(
                message.contains("是否应为泽州县？"),
                "{file} {cell}: {message}"
            );
        }
    }
}

/// Point 14: S06 on 附件3 (stamped 高平市住建局) in a workbook whose 附件2 is 城区's names the
/// other sheet's cell with its sheet: `附件2!B7`, in JSON and in the human output; its field is
/// the stamp's label, `单位(盖章)` (it was empty).
#[test]
fn a_related_cell_on_another_sheet_names_the_sheet() {
    for file in each_format("p14-two-units-城区") {
        let r = report(&file);
        assert_eq!(findings(&r), ["S06 附件3!A3"], "{file}");
        assert_eq!(only(&r)["field"], "单位(盖章)", "{file}");
        assert_eq!(
            only(&r)["related"],
            serde_json::json!(["附件2!B7"]),
            "{file}"
        );
        let out = common::pgcheck(&["validate", &file, "--as-of", "2024-10-14"]);
        let human = String::from_utf8(out.stdout).unwrap();
        assert!(human.contains("相关单元格：附件2!B7"), "{human}");
        assert!(human.contains("附件3!A3  单位(盖章) = “高平市”"), "{human}");
    }
}

/// A unit with no overdue project sends the blank templates filled in only where they name the
/// unit: 附件2 with the 合计 row's 县区 typed over 晋城市 (SPEC 3.1's county file, `1 | 泽州县 |
/// 0 …`), or with `单位（盖章）：泽州县住建局` typed above the title (the 合计 row left reading
/// 晋城市); 附件3 with its 单位(盖章) and 填报时间 lines only; 附件4 and 附件5, whose one block
/// cannot be left out, with 无 after each section, counts 0 and no typical case. Each is valid and
/// is 泽州县's (before: 附件2 had no unit, so merge could not attribute it). In the one-workbook
/// template (`empty-weekly`) 附件2's 合计 row still reads 晋城市, which names no unit: the other
/// sheets say 泽州县, and no S06 sets them against 晋城市.
#[test]
fn a_unit_with_nothing_to_report_sends_valid_empty_tables() {
    for (name, template, rows) in [
        ("empty-附件2-泽州县", "A2", 1),
        ("empty-stamped-附件2-泽州县", "A2", 1),
        ("empty-附件3-泽州县", "A3", 0),
        ("empty-附件4-泽州县", "A4", 4),
        ("empty-附件5-泽州县", "A5", 1),
        ("empty-weekly-泽州县", "A2", 1),
    ] {
        for file in each_format(name) {
            let r = report(&file);
            assert_eq!(findings(&r), Vec::<String>::new(), "{file}");
            let f = &r["files"][0];
            assert_eq!(f["status"], "valid", "{file}");
            assert_eq!(f["unit"], "泽州县", "{file}");
            assert_eq!(f["sheets"][0]["template"], template, "{file}");
            assert_eq!(f["sheets"][0]["rows"], rows, "{file}: the 合计 row alone");
        }
    }
}

/// An empty 附件2 whose 合计 row names no unit of the config is S06 on that cell, with the unit
/// it probably means, as a misspelt unit in a project row is.
#[test]
fn an_empty_a2_naming_no_unit_is_s06_on_its_total_row() {
    let tmp = tempfile::tempdir().unwrap();
    // The blank templates as written for a city typed 泽洲县: 附件2's 合计 row reads 泽洲县.
    let mut config = common::config();
    config.city.name = "泽洲县".into();
    let paths = pgcheck::writer::write_templates(tmp.path(), &config).unwrap();
    let a2 = paths.iter().find(|p| p.ends_with("附件2.xlsx")).unwrap();
    let r = report(a2.to_str().unwrap());
    assert_eq!(findings(&r), ["S06 附件2!B6"]);
    let message = only(&r)["message"].as_str().unwrap().to_string();
    assert!(message.contains("是否应为泽州县？"), "{message}");
    assert_eq!(only(&r)["field"], "县区");
    assert_eq!(r["files"][0]["unit"], serde_json::Value::Null);
    // The blank template's 合计 | 晋城市 names no unit: sent alone, whose report it is cannot be
    // told, S06 on that cell too (before: no finding, so merge listed it 未通过校验 unexplained).
    let blank = report("templates-xlsx/附件2.xlsx");
    assert_eq!(findings(&blank), ["S06 附件2!B6"]);
    let message = only(&blank)["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("合计行县区“晋城市”不是报送单位，看不出是哪个单位的报表"),
        "{message}"
    );
    assert_eq!(only(&blank)["value"], "晋城市");
    assert_eq!(blank["files"][0]["unit"], serde_json::Value::Null);
}

/// An empty 附件2 whose 合计 row's 县区 was cleared (nothing else typed) names no unit either:
/// S06 on that blank cell, saying it is blank, with no value quoted.
#[test]
fn an_empty_a2_with_a_blank_total_unit_is_s06_on_that_cell() {
    for file in each_format("empty-附件2-blank-total") {
        let r = report(&file);
        assert_eq!(findings(&r), ["S06 附件2!B6"], "{file}");
        let d = only(&r);
        let message = d["message"].as_str().unwrap();
        assert!(
            message.contains("合计行县区未填写，看不出是哪个单位的报表"),
            "{file}: {message}"
        );
        assert_eq!(d["field"], "县区", "{file}");
        assert_eq!(d["value"], serde_json::Value::Null, "{file}");
        assert_eq!(r["files"][0]["unit"], serde_json::Value::Null, "{file}");
    }
}

/// An empty 附件2 whose 合计 row has 5 typed over its SUM with no project row under it is A2-09
/// on that cell; the rows summed are told as none, in Chinese and in English (before, the English
/// message printed the Chinese （无项目行）).
#[test]
fn a_total_with_no_project_rows_is_a2_09_in_both_languages() {
    for file in each_format("empty-附件2-total-typed-泽州县") {
        let r = report(&file);
        assert_eq!(findings(&r), ["A2-09 附件2!G6"], "{file}");
        let message = only(&r)["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("合计 5，（无项目行） 各项目之和为 0"),
            "{file}: {message}"
        );
        let out = common::pgcheck(&["validate", &file, "--as-of", "2024-10-14", "--lang", "en"]);
        let human = String::from_utf8(out.stdout).unwrap();
        assert!(
            human.contains("total 5 but the project rows (none) sum to 0"),
            "{file}: {human}"
        );
    }
}

/// A whole report pasted into one cell (责任单位: a company's name, then 40,000 characters;
/// 32,767 kept, Excel's limit, as LibreOffice saves it) is quoted cut to 100 columns with its
/// length, on the console in both languages and in the marked-up copy's 问题清单 (value and
/// message); JSON's `value` keeps the cell whole (before: the console printed it twice in full,
/// about 200 KB for this one finding).
#[test]
fn a_long_cell_is_quoted_cut_with_its_length() {
    for file in each_format("long-cell-阳城县") {
        let r = report(&file);
        assert_eq!(findings(&r), ["A2-07 附件2!AA7"], "{file}");
        let d = only(&r);
        let value = d["value"].as_str().unwrap();
        assert_eq!(value.chars().count(), 32_767, "{file}");
        let start: String = value.chars().take(50).collect();
        let message = d["message"].as_str().unwrap();
        assert!(message.contains("…（共 32767 字）”"), "{file}: {message}");
        assert!(message.chars().count() < 200, "{file}: {message}");

        let out = common::pgcheck(&["validate", &file, "--as-of", "2024-10-14"]);
        let human = String::from_utf8(out.stdout).unwrap();
        let head = human.lines().find(|l| l.contains("附件2!AA7")).unwrap();
        assert!(
            head.ends_with(&format!("责任单位 = “{start}…（共 32767 字）”")),
            "{head}"
        );
        assert!(human.len() < 2_000, "{file}: {} bytes", human.len());
        let out = common::pgcheck(&["validate", &file, "--as-of", "2024-10-14", "--lang", "en"]);
        let english = String::from_utf8(out.stdout).unwrap();
        assert!(
            english.contains(&format!("= “{start}… (32767 characters)”")),
            "{english}"
        );
        assert!(english.len() < 2_000, "{file}: {} bytes", english.len());

        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("copy.xlsx");
        let o = common::pgcheck(&[
            "validate",
            &file,
            "--as-of",
            "2024-10-14",
            "--annotate",
            copy.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{file}");
        let wb = pgcheck::read::open(&copy).unwrap();
        let issues = common::sheet(&wb, pgcheck::writer::ISSUES_SHEET);
        let row = (1..10)
            .find(|&r| common::text(issues, r, 5) == "A2-07")
            .expect("A2-07 in 问题清单");
        let shown = common::text(issues, row, 8);
        assert_eq!(shown, format!("{start}…（共 32767 字）"), "{file}");
        let message = common::text(issues, row, 9);
        assert!(message.contains("…（共 32767 字）”"), "{file}: {message}");
        assert!(message.chars().count() < 200, "{file}: {message}");
    }
}
