//! `validate --annotate`: the marked-up copy reads back with the input's values, a note on every
//! diagnostic's cell, a 问题清单 first sheet; a clean input gets no marks.

use std::io::Read;
use std::path::Path;

use pgcheck::diag::Lang;
use pgcheck::read;
use pgcheck::writer::annotate;

use crate::common;
use common::{check_one, pgcheck, root};

/// The `ref`s of every note, per sheet XML part (`xl/comments1.xml` …), and the fill count.
fn note_refs(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut refs = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if !f.name().unwrap().starts_with("xl/comments") {
            continue;
        }
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        // Notes are signed pgcheck (Excel shows the author above the text), not "Author".
        assert!(xml.contains("<author>pgcheck</author>"), "{xml}");
        assert!(!xml.contains("<author>Author</author>"), "{xml}");
        for part in xml.split("<comment ref=\"").skip(1) {
            refs.push(part.split('"').next().unwrap().to_string());
        }
    }
    refs
}

fn fills(path: &Path) -> String {
    common::zip_text(path, "xl/styles.xml")
}

#[test]
fn every_diagnostic_cell_gets_a_note_and_values_are_kept() {
    let src = root().join("fixtures/workbook/x01.xlsx");
    let v = check_one(&src);
    assert!(!v.report.diagnostics.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x01-标注.xlsx");
    let marks = annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
    let back = read::open(&out).unwrap();
    assert_eq!(back.sheets[0].name, "问题清单");
    let names: Vec<&str> = back.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["问题清单", "附件2", "附件3", "附件4", "附件5"]);
    // 问题清单 lists each diagnostic with its unit, file, rule and cell.
    let issues = &back.sheets[0];
    assert_eq!(issues.get(0, 4).display(), "单元格");
    for (k, d) in v.report.diagnostics.iter().enumerate() {
        let r = k as u32 + 1;
        assert_eq!(issues.get(r, 2).display(), "x01.xlsx");
        assert_eq!(issues.get(r, 5).display(), d.rule.as_str());
        assert_eq!(
            issues.get(r, 4).display(),
            d.cell.map(|c| c.to_string()).unwrap_or_default()
        );
    }
    // Every diagnostic with a cell has a note on that very cell (none of x01's is merged).
    let refs = note_refs(&out);
    for (d, m) in v.report.diagnostics.iter().zip(&marks) {
        if let Some(cell) = d.cell {
            let m = m.as_ref().expect("a diagnostic with a cell is marked");
            assert_eq!(m.cell, cell, "{}", d.rule.as_str());
            assert!(
                refs.contains(&cell.to_string()),
                "{} at {cell} has no note ({refs:?})",
                d.rule
            );
        }
    }
    assert!(fills(&out).contains("FFFFEB84"), "a warning fill is used");
    assert_same_cells(v.workbook.as_ref().unwrap(), &back, &src);
}

/// Every cell of every sheet of `a` reads back from `b` at the same place with the same value
/// and formula (sheet names equal; an earlier round's 问题清单 is replaced, not compared).
fn assert_same_cells(a: &pgcheck::grid::Workbook, b: &pgcheck::grid::Workbook, src: &Path) {
    for s in a.sheets.iter().filter(|s| s.name != "问题清单") {
        let out = common::sheet(b, &s.name);
        for (at, cell) in s.iter() {
            let got = out.raw(at.row, at.col);
            let (value, formula) = got.map_or((String::new(), None), |c| {
                (c.value.display(), c.formula.as_deref())
            });
            assert_eq!(
                (cell.value.display(), cell.formula.as_deref()),
                (value, formula),
                "{} {}!{at}",
                src.display(),
                s.name
            );
        }
        assert_eq!(s.merges(), out.merges(), "{} {}", src.display(), s.name);
    }
}

#[test]
fn a_clean_file_gets_no_marks() {
    let src = root().join("fixtures/a2/clean-泽州县.xlsx");
    let v = check_one(&src);
    assert!(v.report.diagnostics.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean.xlsx");
    annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
    assert!(note_refs(&out).is_empty());
    let back = read::open(&out).unwrap();
    assert!(back.sheets[0].get(1, 0).is_empty(), "问题清单 has no rows");
    // The annotated copy is itself a valid Attachment 2.
    let again = check_one(&out);
    assert_eq!(
        again.report.errors(),
        0,
        "{:?}",
        again
            .report
            .diagnostics
            .iter()
            .map(|d| (d.rule.as_str(), d.cell))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_cli_writes_the_annotated_copy() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("标注.xlsx");
    let o = pgcheck(&[
        "validate",
        "fixtures/a2/a2-01.xlsx",
        "--as-of",
        "2024-10-14",
        "--annotate",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(note_refs(&out), ["H7"]);
    assert!(fills(&out).contains("FFFF9999"), "an error fill is used");
    // Where it went, in the run's language: the last line, or the JSON's `annotated`.
    let last = |o: &std::process::Output| {
        let s = String::from_utf8_lossy(&o.stdout).into_owned();
        s.lines().last().unwrap_or_default().to_string()
    };
    assert_eq!(last(&o), format!("标注版已写入 {}", out.display()));
    let run = |extra: &[&str]| {
        let mut args = vec![
            "validate",
            "fixtures/a2/a2-01.xlsx",
            "--as-of",
            "2024-10-14",
            "--annotate",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        pgcheck(&args)
    };
    let en = run(&["--lang", "en"]);
    assert_eq!(
        last(&en),
        format!("wrote the annotated copy {}", out.display())
    );
    let json = run(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["annotated"], out.display().to_string());
}

#[test]
fn merge_writes_one_annotated_copy_per_left_out_file() {
    let week = root().join("fixtures/week-2024-10-14");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("city.xlsx");
    let back = dir.path().join("退回");
    let run = |extra: &[&str]| {
        common::merge_with(
            &week,
            &out,
            &[&["--annotate-dir", back.to_str().unwrap()], extra].concat(),
        )
    };
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(1));
    let mut written: Vec<String> = std::fs::read_dir(&back)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["高平市-周报-标注.xlsx"]);
    let copy = back.join("高平市-周报-标注.xlsx");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some(format!("1 个标注版已写入 {}", back.display()).as_str())
    );
    let o = run(&["--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["annotated"],
        serde_json::json!([copy.display().to_string()])
    );
    assert_eq!(note_refs(&copy), ["H8"]);
    // The copy holds every cell of the input (merge re-reads the file it marks up), so it
    // validates to the same single finding.
    let again = check_one(&copy);
    let found: Vec<(&str, String)> = again
        .report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.rule.as_str(),
                d.cell.map(|c| c.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(found, [("A2-01", "H8".to_string())]);
}

/// `--annotate-dir` with nothing left out says so, instead of saying nothing.
#[test]
fn merge_says_when_no_copy_was_needed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/a2/clean-泽州县.xlsx"),
        dir.path().join("泽州县.xlsx"),
    )
    .unwrap();
    let out = dir.path().join("city.xlsx");
    let back = dir.path().join("退回");
    let o = common::merge_with(
        dir.path(),
        &out,
        &["--annotate-dir", back.to_str().unwrap(), "--lang", "en"],
    );
    assert_eq!(o.status.code(), Some(1), "six units are missing");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some(
            format!(
                "no file was left out: no annotated copy written to {}",
                back.display()
            )
            .as_str()
        )
    );
}

/// The marked-up copy is what the clerk corrects and sends back, so it must read like the input:
/// every cell where it was with its value and formula, the same merged ranges, and the same
/// findings on the same cells, for every readable fixture (structural ones, extra columns and
/// merged-down blocks included). One exception: a formula without a cached result (S05) is
/// copied with an empty one, because rust_xlsxwriter always writes a result, so its findings
/// are not compared.
#[test]
fn an_annotated_copy_reads_like_its_input() {
    let dirs = [
        "a2",
        "a3",
        "a4",
        "a5",
        "workbook",
        "week-2024-10-14",
        "roundtrip",
        // LibreOffice .xls with shared formulas (p01's pre-filled =H7-I7): copied as formulas.
        "clerk",
        "heights",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let findings = |v: &pgcheck::validate::Validated| {
        let mut f: Vec<(String, String, String)> = v
            .report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.rule.to_string(),
                    format!("{:?}", d.severity),
                    pgcheck::report::location(d),
                )
            })
            .collect();
        f.sort();
        f
    };
    let mut compared = Vec::new();
    for dir in dirs {
        for src in pgcheck::validate::scan_dir(&root().join("fixtures").join(dir), false).unwrap() {
            let v = check_one(&src);
            let Some(book) = &v.workbook else { continue };
            let out = tmp.path().join(format!("{dir}-{}.xlsx", compared.len()));
            annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
            assert_same_cells(book, &read::open(&out).unwrap(), &src);
            let again = check_one(&out);
            if !v
                .report
                .diagnostics
                .iter()
                .any(|d| d.rule == pgcheck::diag::RuleId::S05)
            {
                assert_eq!(findings(&again), findings(&v), "{}", src.display());
            }
            compared.push(src.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    for name in [
        "v05.xlsx",
        "高平市-周报.xlsx",
        "a2-01.xlsx",
        "s03.xlsx",
        "s04.xlsx",
        "p01-prenumbered-阳城县.xls",
    ] {
        assert!(
            compared.iter().any(|c| c == name),
            "{name} not compared: {compared:?}"
        );
    }
    assert!(compared.len() > 60, "{} files compared", compared.len());
}

/// The row heights a clerk set in fixtures/heights (make_heights.py), 1-based row → points:
/// rows made taller and shorter than the template's, on 附件2 and on 附件4 (whose 60 pt blocks
/// come from make_a345.py).
const A2_HEIGHTS: [(u32, f64); 3] = [(1, 10.0), (7, 80.0), (12, 6.0)];
const A4_HEIGHTS: [(u32, f64); 7] = [
    (1, 10.0),
    (2, 36.0),
    (8, 100.0),
    (9, 30.0),
    (10, 60.0),
    (11, 60.0),
    (12, 6.0),
];

/// A fixture, its sheet and the heights its clerk set.
type HeightFixture = (std::path::PathBuf, &'static str, &'static [(u32, f64)]);

/// The fixtures/heights files as openpyxl saved them and as LibreOffice re-saved them.
fn height_fixtures() -> Vec<HeightFixture> {
    let dir = root().join("fixtures/heights");
    let mut out = Vec::new();
    for (name, sheet, heights) in [
        ("a2-heights", "附件2", &A2_HEIGHTS[..]),
        ("a4-heights", "附件4", &A4_HEIGHTS[..]),
    ] {
        out.push((dir.join(format!("openpyxl/{name}.xlsx")), sheet, heights));
        for ext in ["xlsx", "xls", "ods"] {
            out.push((dir.join(format!("{name}.{ext}")), sheet, heights));
        }
    }
    out
}

/// Row (1-based) → height of every `<row>` with a `ht` in a written sheet part.
fn written_heights(path: &Path, part: &str) -> std::collections::BTreeMap<u32, f64> {
    let xml = common::zip_text(path, part);
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.to_string())
    };
    xml.split("<row ")
        .skip(1)
        .filter_map(|t| {
            let tag = format!(" {}", t.split('>').next().unwrap());
            Some((
                attr(&tag, "r")?.parse().ok()?,
                attr(&tag, "ht")?.parse().ok()?,
            ))
        })
        .collect()
}

/// The reader gives each hand-set row height, whoever saved the file (openpyxl's
/// `customHeight="1"`, LibreOffice's xlsx `customHeight="true"`, its .xls ROW records, its ODS
/// row styles), as the file rounds it; a row at its automatic height has none.
#[test]
fn the_county_row_heights_are_read_from_every_format() {
    for (src, name, want) in height_fixtures() {
        let wb = read::open(&src).unwrap();
        let got = &common::sheet(&wb, name).row_heights;
        for &(row, h) in want {
            let have = got.get(&(row - 1)).copied();
            assert!(
                have.is_some_and(|have| (have - h).abs() <= 0.75),
                "{} {name} row {row}: {have:?}, want {h} ({got:?})",
                src.display()
            );
        }
        // Row 5 was never resized (LibreOffice marks a few other rows at 15 pt as its own).
        assert_eq!(got.get(&4), None, "{} {name}: {got:?}", src.display());
    }
}

/// The marked-up copy keeps the county's row heights, taller or shorter than the template's
/// (to the 0.75 pt the written heights are rounded to), and grows only a row whose text needs
/// more: 附件4 row 9, made 30 pt high, holds four lines of 【住建局工作动态情况】; row 1, made
/// 10 pt high, holds a line (附件2, 附件4), 15 pt; the empty row 12 stays 6 pt.
#[test]
fn the_marked_up_copy_keeps_the_county_row_heights() {
    let tmp = tempfile::tempdir().unwrap();
    for (k, (src, name, want)) in height_fixtures().into_iter().enumerate() {
        let v = check_one(&src);
        let out = tmp.path().join(format!("{k}.xlsx"));
        annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
        // 问题清单 is sheet1; the file's one sheet follows.
        let back = read::open(&out).unwrap();
        assert_eq!(back.sheets[1].name, name);
        let got = written_heights(&out, "xl/worksheets/sheet2.xml");
        for &(row, h) in want {
            let have = got.get(&row).copied().unwrap_or(15.0);
            let ok = match (name, row) {
                ("附件4", 9) => have > h + 10.0,
                // 附件2 / 附件4 in a row made 10 pt high: one line, 15 pt.
                (_, 1) => have == 15.0,
                _ => (have - h).abs() <= 0.75,
            };
            assert!(
                ok,
                "{} {name} row {row}: {have} pt, the county's {h} ({got:?})",
                src.display()
            );
        }
    }
}
