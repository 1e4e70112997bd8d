//! pgcheck serves another city: 长治市 with its own unit table (fixtures/city-changzhi, made by
//! fixtures/scripts/make_city.py). Validation per file, a Jincheng unit unknown under 长治, the
//! merged workbook in the config's unit order, and the printed default config reading back.

use std::path::PathBuf;
use std::process::Command;

use pgcheck::config::Config;
use pgcheck::read;
use pgcheck::validate::Validated;

use crate::common;
use common::{as_of, changzhi as config, check_with, root, sheet, text};

const CITY: &str = "fixtures/city-changzhi";

/// `(rule, sheet, cell)` of every diagnostic of a file.
fn found(v: &Validated) -> Vec<(String, String, String)> {
    v.report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.to_string(),
                d.sheet.clone().unwrap_or_default(),
                d.cell.map(|c| c.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

fn inbox(file: &str) -> PathBuf {
    root().join(CITY).join("inbox").join(file)
}

#[test]
fn the_changzhi_config_replaces_city_units_and_parameters() {
    let c = config();
    assert_eq!(c.city.name, "长治市");
    assert_eq!(c.city.full_name, "长治市住房和城乡建设局");
    let names: Vec<&str> = c.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["潞州区", "上党区", "屯留区"]);
    assert_eq!(c.paid_through_min.to_string(), "2024-08");
    assert_eq!(c.as_of, as_of());
    let m = |s: &str| c.match_unit(s).map(|u| u.name.clone());
    assert_eq!(m("屯留").as_deref(), Some("屯留区"));
    assert_eq!(m("长治市屯留区住建局").as_deref(), Some("屯留区"));
    assert_eq!(m("长治市住房和城乡建设局").as_deref(), Some("长治市"));
    assert_eq!(m("泽州县"), None);
    assert_eq!(m("晋城市"), None);
}

#[test]
fn the_changzhi_inbox_validates_clean_but_for_the_planted_error() {
    let c = config();
    let files = ["潞州区-周报.xlsx", "上党区-周报.xlsx", "屯留区-周报.xlsx"];
    let paths: Vec<PathBuf> = files.iter().map(|f| inbox(f)).collect();
    let v = check_with(&paths, &c);
    let units: Vec<Option<&str>> = v.iter().map(|x| x.report.unit.as_deref()).collect();
    assert_eq!(units, [Some("潞州区"), Some("上党区"), Some("屯留区")]);
    for (f, x) in files.iter().zip(&v) {
        let sheets: Vec<&str> = x.report.sheets.iter().map(|s| s.sheet.as_str()).collect();
        assert_eq!(sheets, ["附件2", "附件3", "附件4", "附件5"], "{f}");
    }
    assert_eq!(found(&v[0]), [], "潞州区 is clean");
    assert_eq!(
        found(&v[1]),
        [("A2-01".to_string(), "附件2".to_string(), "H8".to_string())],
        "上党区: only the planted 开工套数 150 < 应安置 156"
    );
    assert_eq!(v[1].report.errors(), 1);
    assert_eq!(
        found(&v[2]),
        [],
        "屯留区 (县区 `屯留`, unit `长治市屯留区住建局`) is clean"
    );
}

#[test]
fn a_jincheng_unit_is_unknown_under_the_changzhi_config() {
    let p = root()
        .join(CITY)
        .join("inbox-jincheng-unit")
        .join("泽州县.xlsx");
    let v = check_with(std::slice::from_ref(&p), &config());
    let f = found(&v[0]);
    assert!(
        f.contains(&("S06".to_string(), "附件2".to_string(), "B7".to_string())),
        "{f:?}"
    );
    assert!(f.iter().all(|(rule, _, _)| rule == "S06"), "{f:?}");
    assert_eq!(v[0].report.unit, None);
    // The same file is clean under the built-in Jincheng default.
    let v = check_with(&[p], &Config::jincheng(as_of()));
    assert_eq!(found(&v[0]), []);
}

/// `pgcheck merge` of one of the 长治 inboxes under changzhi.toml, into a fresh folder.
fn merge_inbox(inbox: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("长治市.xlsx");
    let o = Command::new(env!("CARGO_BIN_EXE_pgcheck"))
        .args([
            "merge",
            &format!("{CITY}/{inbox}"),
            "-o",
            out.to_str().unwrap(),
            "--config",
            &format!("{CITY}/changzhi.toml"),
            "--as-of",
            "2024-10-14",
        ])
        .args(extra)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("PGCHECK_LANG")
        .output()
        .expect("run pgcheck");
    (dir, out, o)
}

#[test]
fn the_changzhi_merge_follows_the_config_unit_order() {
    let (_dir, out, o) = merge_inbox("inbox", &[]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "上党区 is left out: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let wb = read::open(&out).expect("output readable");

    let st = sheet(&wb, "报送情况");
    let rows: Vec<[String; 3]> = (2..5)
        .map(|r| [text(st, r, 1), text(st, r, 2), text(st, r, 4)])
        .collect();
    assert_eq!(
        rows,
        [
            ["潞州区", "2026611", "已汇总"],
            ["上党区", "8526655", "未通过校验"],
            ["屯留区", "7522618", "已汇总"],
        ]
        .map(|r| r.map(String::from))
    );
    assert_eq!(text(st, 5, 1), "", "no fourth unit");
    assert!(text(st, 0, 0).contains("长治市"), "{}", text(st, 0, 0));

    let a2 = sheet(&wb, "附件2");
    assert_eq!(
        (text(a2, 5, 0), text(a2, 5, 1)),
        ("合计".to_string(), "长治市".to_string())
    );
    // 小计 and project rows of the merged units only (上党区 left out); 屯留 read as 屯留区.
    let rows: Vec<(String, String)> = (6..=a2.extent().unwrap().0)
        .map(|r| (text(a2, r, 0), text(a2, r, 1)))
        .take_while(|(a, _)| !a.is_empty() && !a.starts_with("备注"))
        .collect();
    let expect = [
        ("小计", "潞州区"),
        ("1", "潞州区"),
        ("2", "潞州区"),
        ("3", "潞州区"),
        ("小计", "屯留区"),
        ("4", "屯留区"),
        ("5", "屯留区"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    assert_eq!(rows, expect);
    // Footnote 1 below the table names the config's paid_through_min (2024-08), not 7月底.
    let note = (6..=a2.extent().unwrap().0)
        .map(|r| text(a2, r, 0))
        .find(|t| t.starts_with("备注"))
        .expect("footnote below 附件2");
    assert_eq!(
        note,
        pgcheck::template::a2::paid_note(config().paid_through_min)
    );
    assert!(note.contains("24年8月底"), "{note}");

    let issues = sheet(&wb, "问题清单");
    assert_eq!(
        (text(issues, 1, 1), text(issues, 1, 4), text(issues, 1, 5)),
        ("上党区".into(), "H8".into(), "A2-01".into())
    );
}

#[test]
fn the_printed_default_config_reads_back_as_the_default() {
    let o = Command::new(env!("CARGO_BIN_EXE_pgcheck"))
        .arg("config")
        .current_dir(root())
        .output()
        .expect("run pgcheck");
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("utf-8");
    let c = Config::from_toml(&text, "printed.toml", as_of()).expect("printed config parses");
    let d = Config::jincheng(as_of());
    assert_eq!(c.city, d.city);
    assert_eq!(c.units, d.units);
    assert_eq!(c.paid_through_min, d.paid_through_min);
    assert_eq!(c.as_of, d.as_of);
}

/// Two units give the same 监管编号: A2-10 across files lands on the later unit's cell (屯留区,
/// 附件2!D7), quoting the value, and that unit is left out. Run through the binary, which keeps
/// only the quoted cells of each grid (no --annotate-dir). (A shared 项目名称 alone is no
/// finding across units: tests/it/clerk.rs, p06.)
#[test]
fn a_supervision_number_given_by_two_units_is_a2_10_on_the_later_one() {
    let (_dir, _out, o) = merge_inbox("inbox-shared-project", &["--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["merged"], serde_json::json!(["潞州区"]));
    assert_eq!(doc["left_out"], serde_json::json!(["屯留区"]));
    let files = doc["files"].as_array().unwrap();
    let lz = files.iter().find(|f| f["unit"] == "潞州区").unwrap();
    assert_eq!(lz["diagnostics"], serde_json::json!([]));
    let tl = files.iter().find(|f| f["unit"] == "屯留区").unwrap();
    let d = tl["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (&d[0]["rule"], &d[0]["sheet"], &d[0]["cell"], &d[0]["value"]),
        (
            &serde_json::json!("A2-10"),
            &serde_json::json!("附件2"),
            &serde_json::json!("D7"),
            &serde_json::json!("140403-2016-001")
        )
    );
    // The earlier row, in the other file, is named in full (SPEC 4: A2-10's related).
    let related = d[0]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{related:?}");
    assert!(
        related[0]
            .as_str()
            .unwrap()
            .ends_with("潞州区-周报.xlsx!附件2!D7"),
        "{related:?}"
    );
}

/// `pgcheck template --config`: 附件2's 合计 row names the config's city, and the blank
/// template is read as 附件2 under that config, the city on its 合计 row naming no unit (S06).
#[test]
fn templates_for_another_city_name_it_in_the_total_row() {
    let dir = tempfile::tempdir().unwrap();
    let toml = root().join(CITY).join("changzhi.toml");
    let o = common::pgcheck(&[
        "template",
        "-o",
        dir.path().to_str().unwrap(),
        "--config",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let a2 = dir.path().join("附件2.xlsx");
    let wb = read::open(&a2).unwrap();
    let s = sheet(&wb, "附件2");
    // Row 6 is the 合计 row: 序号 合计, 县区 the city.
    assert_eq!(text(s, 5, 0), "合计");
    assert_eq!(text(s, 5, 1), "长治市");
    // Read as 附件2 under that config: its one finding is S06 on that 县区 (the city is no unit).
    let v = check_with(std::slice::from_ref(&a2), &config()).remove(0);
    let found: Vec<String> = v
        .report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.rule.as_str(), d.cell.unwrap()))
        .collect();
    assert_eq!(found, ["S06 B6"], "{:?}", v.report.diagnostics);
    // Without --config the template is Jincheng's, as committed under templates-xlsx/.
    let jc = read::open(&root().join("templates-xlsx/附件2.xlsx")).unwrap();
    assert_eq!(text(sheet(&jc, "附件2"), 5, 1), "晋城市");
}
