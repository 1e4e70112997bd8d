//! Issue 16's round trip: a county file with live formulas (合计 `=SUM(H7:H11)`, 逾期户数
//! `=G7-J7`), a stage dropdown and an extra column 所属乡镇, made by openpyxl and re-saved by
//! LibreOffice (fixtures/scripts/make_roundtrip.*), with one planted error (H7, A2-01). The
//! marked-up copy keeps what the clerk relies on; corrected and re-saved it validates clean.

use std::path::Path;
use std::process::Command;

use pgcheck::diag::{Lang, RuleId};
use pgcheck::grid::Workbook;
use pgcheck::read;
use pgcheck::validate::Validated;
use pgcheck::writer::annotate;

use crate::common;
use common::{check_one, root, sheet};

fn checked(path: &Path) -> Validated {
    check_one(path)
}

fn errors(v: &Validated) -> Vec<(RuleId, String)> {
    v.report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.rule, pgcheck::report::location(d)))
        .collect()
}

/// The formula (without `=`) and the cached value of a cell of 附件2.
fn formula(wb: &Workbook, cell: &str) -> (Option<String>, String) {
    let at = pgcheck::grid::CellRef::parse(cell).unwrap();
    let c = sheet(wb, "附件2").raw(at.row, at.col).expect(cell);
    (c.formula.clone(), c.value.display())
}

#[test]
fn the_marked_up_copy_keeps_formulas_dropdowns_and_extra_columns() {
    let src = root().join("fixtures/roundtrip/sum-a2-01.xlsx");
    let v = checked(&src);
    assert_eq!(errors(&v), [(RuleId::A2_01, "附件2!H7".to_string())]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("标注.xlsx");
    annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
    let back = read::open(&out).unwrap();
    // 合计 stays a SUM with its cached result; the row formula stays a formula.
    assert_eq!(
        formula(&back, "H6"),
        (Some("SUM(H7:H11)".into()), "1004".into())
    );
    assert_eq!(formula(&back, "O7"), (Some("G7-J7".into()), "120".into()));
    // The county's extra column, with its values.
    let s = sheet(&back, "附件2");
    assert_eq!(common::text(s, 2, 36), "所属乡镇");
    assert_eq!(common::text(s, 6, 36), "巴公镇");
    // The stage dropdown over the project rows.
    let xml = common::zip_text(&out, "xl/worksheets/sheet2.xml");
    assert!(xml.contains(r#"sqref="L7:L11""#), "no stage dropdown");
    assert!(xml.contains("1、未开工,2、基坑开挖"));
}

#[test]
fn the_returned_copy_validates_clean() {
    // Made by make_roundtrip.sh: the copy above, H7 restored with openpyxl (which drops every
    // cached result), re-saved by LibreOffice (which recomputes them).
    let back = root().join("fixtures/roundtrip/sum-a2-01-returned.xlsx");
    let v = checked(&back);
    assert_eq!(errors(&v), []);
    let wb = v.workbook.as_ref().unwrap();
    assert_eq!(
        formula(wb, "H6"),
        (Some("SUM(H7:H11)".into()), "1040".into())
    );
}

/// The same round trip, live, where LibreOffice and openpyxl are installed.
#[test]
fn the_round_trip_through_libreoffice() {
    let python = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status();
    let soffice = Command::new("soffice").arg("--version").output();
    if !matches!(python, Ok(s) if s.success()) || !matches!(soffice, Ok(o) if o.status.success()) {
        eprintln!(
            "skipped: the live round trip needs python3 with openpyxl and LibreOffice (soffice)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let marked = dir.path().join("marked.xlsx");
    let restored = dir.path().join("restored.xlsx");
    annotate::write(
        &checked(&root().join("fixtures/roundtrip/sum-a2-01.xlsx")),
        &marked,
        Lang::Zh,
        &common::config(),
    )
    .unwrap();
    let ok = Command::new("python3")
        .arg(root().join("fixtures/scripts/make_roundtrip.py"))
        .args(["restore".as_ref(), marked.as_os_str(), restored.as_os_str()])
        .status()
        .unwrap();
    assert!(ok.success());
    let out = dir.path().join("out");
    let profile = format!("file://{}", dir.path().join("profile").display());
    let ok = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&out)
        .arg(&restored)
        .output()
        .unwrap();
    assert!(ok.status.success(), "{ok:?}");
    let v = checked(&out.join("restored.xlsx"));
    assert_eq!(errors(&v), []);
    let wb = v.workbook.as_ref().unwrap();
    assert_eq!(
        formula(wb, "H6"),
        (Some("SUM(H7:H11)".into()), "1040".into())
    );
}
