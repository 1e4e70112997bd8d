//! `validate --annotate`: the marked-up copy reads back with the input's values, a note on every
//! diagnostic's cell, a 问题清单 first sheet; a clean input gets no marks.

use std::io::Read;
use std::path::Path;

use pgcheck::grid::CellRef;
use pgcheck::read;
use pgcheck::validate::{validate_file, Options};
use pgcheck::writer::annotate;

mod common;
use common::{config, pgcheck, root};

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
    let mut v = vec![validate_file(&src, &config(), Options::default())];
    pgcheck::rules::cross::check(&mut v);
    let v = v.pop().unwrap();
    assert!(!v.report.diagnostics.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x01-标注.xlsx");
    let marks = annotate::write(&v, &out).unwrap();
    let back = read::open(&out).unwrap();
    assert_eq!(back.sheets[0].name, "问题清单");
    let names: Vec<&str> = back.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["问题清单", "附件2", "附件3", "附件4", "附件5"]);
    // 问题清单 lists each diagnostic with its rule and original cell.
    let issues = &back.sheets[0];
    for (k, d) in v.report.diagnostics.iter().enumerate() {
        let r = k as u32 + 1;
        assert_eq!(issues.get(r, 4).display(), d.rule.as_str());
        assert_eq!(
            issues.get(r, 2).display(),
            d.cell.map(|c| c.to_string()).unwrap_or_default()
        );
    }
    // Every diagnostic with a cell has a note on its marked cell.
    let refs = note_refs(&out);
    for (d, m) in v.report.diagnostics.iter().zip(&marks) {
        if d.cell.is_some() {
            let m = m.as_ref().expect("a diagnostic with a cell is marked");
            assert!(
                refs.contains(&m.cell.to_string()),
                "{} at {} has no note ({refs:?})",
                d.rule.as_str(),
                m.cell
            );
        }
    }
    assert!(fills(&out).contains("FFFFEB84"), "a warning fill is used");
    // Values equal the input's, cell for cell, for every row of every table.
    let wb = v.workbook.as_ref().unwrap();
    for t in &v.tables {
        let src_sheet = wb.sheets.iter().find(|s| s.name == t.sheet).unwrap();
        let out_sheet = back.sheets.iter().find(|s| s.name == t.sheet).unwrap();
        // In the canonical layout the data starts right under the header.
        let first = out_first_data_row(out_sheet, t.template());
        for (k, row) in t.rows.iter().enumerate() {
            for (i, c) in t.header.cols.iter().enumerate() {
                let Some(c) = c else { continue };
                let a = src_sheet.get(row.row, *c).display();
                let b = out_sheet.get(first + k as u32, i as u32).display();
                assert_eq!(
                    a,
                    b,
                    "{} {} vs {}",
                    t.sheet,
                    CellRef::new(row.row, *c),
                    CellRef::new(first + k as u32, i as u32)
                );
            }
        }
        // The template's footnotes follow the table, one row apart, each in column A.
        let notes = t.template().footnotes;
        assert!(!notes.is_empty());
        for (k, note) in notes.iter().enumerate() {
            let r = first + t.rows.len() as u32 + 1 + k as u32;
            assert_eq!(
                out_sheet.get(r, 0).display(),
                *note,
                "{} row {}",
                t.sheet,
                r + 1
            );
        }
    }
}

/// Row 1 `附件N`, row 2 the title, the fields, then the header.
fn out_first_data_row(_s: &pgcheck::grid::Sheet, t: &pgcheck::template::Template) -> u32 {
    2 + t.fields.len() as u32 + t.header_depth() as u32
}

#[test]
fn a_clean_file_gets_no_marks() {
    let src = root().join("fixtures/a2/clean-泽州县.xlsx");
    let v = validate_file(&src, &config(), Options::default());
    assert!(v.report.diagnostics.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clean.xlsx");
    annotate::write(&v, &out).unwrap();
    assert!(note_refs(&out).is_empty());
    let back = read::open(&out).unwrap();
    assert!(back.sheets[0].get(1, 0).is_empty(), "问题清单 has no rows");
    // The annotated copy is itself a valid Attachment 2.
    let again = validate_file(&out, &config(), Options::default());
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
}

#[test]
fn merge_writes_one_annotated_copy_per_left_out_file() {
    let week = root().join("fixtures/week-2024-10-14");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("city.xlsx");
    let back = dir.path().join("退回");
    let o = pgcheck(&[
        "merge",
        week.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        "2024-10-14",
        "--annotate-dir",
        back.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let mut written: Vec<String> = std::fs::read_dir(&back)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["高平市-周报-标注.xlsx"]);
    let copy = back.join("高平市-周报-标注.xlsx");
    assert_eq!(note_refs(&copy), ["H8"]);
    // The copy holds every cell of the input (merge re-reads the file it marks up), so it
    // validates to the same single finding.
    let again = validate_file(&copy, &config(), Options::default());
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

/// The marked-up copy is what the clerk corrects and sends back, so it must read like the input:
/// the same findings (rule and severity) for every fixture, merged-down blocks (附件4's 件数)
/// and plain numbers in month columns (`2024.1`, V05) included. Structural findings (S01-S08)
/// are left out by design: the copy is written in the canonical layout, without unknown
/// columns, and a formula's missing result cannot be copied.
#[test]
fn an_annotated_copy_reads_like_its_input() {
    let dirs = ["a2", "a3", "a4", "a5", "workbook", "week-2024-10-14"];
    let tmp = tempfile::tempdir().unwrap();
    let findings = |v: &pgcheck::validate::Validated| {
        let mut f: Vec<(String, String)> = v
            .report
            .diagnostics
            .iter()
            .map(|d| (d.rule.to_string(), format!("{:?}", d.severity)))
            .collect();
        f.sort();
        f
    };
    let mut compared = Vec::new();
    for dir in dirs {
        for src in pgcheck::validate::scan_dir(&root().join("fixtures").join(dir), false).unwrap() {
            let mut v = vec![validate_file(&src, &config(), Options::default())];
            pgcheck::rules::cross::check(&mut v);
            let v = v.pop().unwrap();
            if v.report
                .diagnostics
                .iter()
                .any(|d| d.rule.as_str().starts_with('S'))
            {
                continue;
            }
            let out = tmp.path().join(format!("{dir}-{}.xlsx", compared.len()));
            annotate::write(&v, &out).unwrap();
            let mut again = vec![validate_file(&out, &config(), Options::default())];
            pgcheck::rules::cross::check(&mut again);
            assert_eq!(findings(&again[0]), findings(&v), "{}", src.display());
            compared.push(src.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    for name in ["v05.xlsx", "高平市-周报.xlsx", "a2-01.xlsx"] {
        assert!(
            compared.iter().any(|c| c == name),
            "{name} not compared: {compared:?}"
        );
    }
    assert!(compared.len() > 60, "{} files compared", compared.len());
}
