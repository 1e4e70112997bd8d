//! Tests of the reader (`pgcheck::read`). They read only files generated here and
//! `fixtures/` (never the shared corpus).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use pgcheck::grid::{Value, Workbook};
use pgcheck::read::{open, open_bytes, Foreign, OpenError};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula};

use crate::common;

fn fixture(rel: &str) -> PathBuf {
    common::root().join("fixtures").join(rel)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

use common::sheet;

/// The same content as `examples/make_reader_fixture.rs` (the source of fixtures/reader/).
fn sample_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet().set_name("数据").unwrap();
    ws.write_string(3, 2, "县区").unwrap();
    ws.write_string(3, 3, "户数").unwrap();
    ws.write_string(3, 4, "编号").unwrap();
    ws.write_string(3, 5, "日期").unwrap();
    ws.write_string(4, 2, "泽州县").unwrap();
    ws.write_number(4, 3, 12.0).unwrap();
    ws.write_string(4, 4, "0012").unwrap();
    ws.write_datetime_with_format(4, 5, ExcelDateTime::from_ymd(2024, 10, 14).unwrap(), &date)
        .unwrap();
    ws.merge_range(5, 2, 7, 2, "高平市", &Format::new())
        .unwrap();
    ws.write_number(5, 3, 3.5).unwrap();
    ws.write_formula(6, 3, Formula::new("=SUM(D5:D6)").set_result("15.5"))
        .unwrap();
    let hidden = wb.add_worksheet().set_name("隐藏").unwrap();
    hidden.write_string(0, 0, "x").unwrap();
    hidden.set_hidden(true);
    wb.save_to_buffer().unwrap()
}

/// Checks the sample content, whatever format it went through.
fn check_sample(wb: &Workbook, formulas: bool) {
    let s = sheet(wb, "数据");
    assert!(!s.hidden);
    // Absolute positions: data starts at C4.
    assert_eq!(s.get(3, 2), &text("县区"));
    assert_eq!(s.get(0, 0), &Value::Empty);
    assert_eq!(s.get(4, 2), &text("泽州县"));
    assert_eq!(s.get(4, 3), &Value::Number(12.0));
    // A number stored as text stays text.
    assert_eq!(s.get(4, 4), &text("0012"));
    // A date cell is a date.
    let d = NaiveDate::from_ymd_opt(2024, 10, 14)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(s.get(4, 5), &Value::Date(d));
    // Merged C6:C8: covered cells read the top-left value.
    assert_eq!(s.get(5, 2), &text("高平市"));
    assert_eq!(s.get(6, 2), &text("高平市"));
    assert_eq!(s.get(7, 2), &text("高平市"));
    assert_eq!(s.get(8, 2), &Value::Empty);
    assert!(!s.merges_unknown);
    assert_eq!(s.merges().len(), 1);
    // The formula's cached value.
    assert_eq!(s.get(6, 3), &Value::Number(15.5));
    if formulas {
        let f = s.raw(6, 3).unwrap();
        assert!(f.formula.as_deref().unwrap_or("").contains("SUM"));
        assert!(!f.formula_without_value());
    }
    assert!(sheet(wb, "隐藏").hidden);
}

#[test]
fn xlsx_values_merges_dates_at_absolute_positions() {
    let wb = open_bytes(&sample_xlsx()).expect("opens");
    assert_eq!(wb.sheets.len(), 2);
    check_sample(&wb, true);
}

#[test]
fn xlsx_from_disk_with_upper_case_extension() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("泽州县.XLSX");
    std::fs::write(&p, sample_xlsx()).unwrap();
    check_sample(&open(&p).expect("opens"), true);
}

#[test]
fn committed_xlsx_fixture() {
    check_sample(&open(&fixture("reader/sample.xlsx")).unwrap(), true);
}

#[test]
fn xls_converted_by_libreoffice() {
    let wb = open(&fixture("reader/sample.xls")).expect("opens");
    check_sample(&wb, true);
}

/// Formulas whose results are long text, cached by LibreOffice in .xls STRING records (0x0207):
/// read as text at the formula's cell. The size check once placed each STRING record at a
/// position read from its text and refused the file as too large.
#[test]
fn xls_formula_text_results_are_read_at_their_formulas() {
    let wb = open(&fixture("reader/formula_text.xls")).expect("opens, not too large");
    let s = sheet(&wb, "说明");
    assert_eq!(s.get(1, 1), &text(&"A".repeat(200)));
    assert_eq!(s.get(2, 1), &text(&format!("{}城区二号", "B".repeat(150))));
    let b2 = s.cell(1, 1).unwrap();
    assert!(
        b2.formula.as_deref().is_some_and(|f| f.contains("REPT")),
        "{b2:?}"
    );
    assert_eq!(s.get(2, 0), &text("城区二号"));
}

#[test]
fn ods_converted_by_libreoffice_with_spans_from_content_xml() {
    let wb = open(&fixture("reader/sample.ods")).expect("opens");
    check_sample(&wb, true);
    let s = sheet(&wb, "数据");
    let m = s.merges()[0];
    assert_eq!(
        (m.first.row, m.first.col, m.last.row, m.last.col),
        (5, 2, 7, 2)
    );
}

#[test]
fn xlsx_renamed_xls_is_read_as_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("report.xls");
    std::fs::write(&p, sample_xlsx()).unwrap();
    check_sample(&open(&p).expect("opens"), true);
}

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn hand_xlsx(sheet_data: &str) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

#[test]
fn formula_without_cached_value_is_marked_s05() {
    let data = hand_xlsx(
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c><c r="B2"><f>SUM(A1:A2)</f></c></row>"#,
    );
    let wb = open_bytes(&data).expect("opens");
    let s = &wb.sheets[0];
    assert_eq!(s.get(0, 0), &Value::Number(1.0));
    let b2 = s.raw(1, 1).expect("B2 is stored");
    assert_eq!(b2.formula.as_deref(), Some("SUM(A1:A2)"));
    assert!(b2.formula_without_value());
    assert!(!s.raw(0, 0).unwrap().formula_without_value());
}

#[test]
fn far_corner_cells_do_not_allocate_a_dense_range() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "first").unwrap();
    ws.write_string(1_048_575, 16_383, "last").unwrap();
    let data = wb.save_to_buffer().unwrap();
    let wb = open_bytes(&data).expect("opens");
    let s = &wb.sheets[0];
    assert_eq!(s.cell_count(), 2);
    assert_eq!(s.get(0, 0), &text("first"));
    assert_eq!(s.get(1_048_575, 16_383), &text("last"));
    assert_eq!(s.extent(), Some((1_048_575, 16_383)));
}

#[test]
fn sniffing_rejects_non_spreadsheets_with_clear_messages() {
    let cases: [(&[u8], Foreign); 5] = [
        (b"", Foreign::Empty),
        (b"Date,Name\n2024-10-14,x\n", Foreign::Text),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", Foreign::Html),
        (
            b"<?xml version=\"1.0\"?><Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">",
            Foreign::Xml2003,
        ),
        (b"\x09\x00\x04\x00\x02\x00\x10\x00", Foreign::OldExcel),
    ];
    for (data, want) in cases {
        match open_bytes(data) {
            Err(OpenError::NotSpreadsheet { kind, .. }) => assert_eq!(kind, want),
            other => panic!("{want:?}: {other:?}"),
        }
    }
    let mut utf16_html = vec![0xFF, 0xFE];
    for u in "<html><table><tr><td>泽州县</td></tr></table></html>".encode_utf16() {
        utf16_html.extend_from_slice(&u.to_le_bytes());
    }
    assert!(matches!(
        open_bytes(&utf16_html),
        Err(OpenError::NotSpreadsheet {
            kind: Foreign::Html,
            ..
        })
    ));
    let mut utf16_csv = vec![0xFF, 0xFE];
    for u in "县区\t户数\r\n泽州县\t12\r\n".encode_utf16() {
        utf16_csv.extend_from_slice(&u.to_le_bytes());
    }
    assert!(matches!(
        open_bytes(&utf16_csv),
        Err(OpenError::NotSpreadsheet {
            kind: Foreign::Text,
            ..
        })
    ));
    let docx = zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w:document/>"),
    ]);
    let e = open_bytes(&docx).unwrap_err();
    assert!(matches!(
        e,
        OpenError::NotSpreadsheet {
            kind: Foreign::Word,
            ..
        }
    ));
    assert!(e.message().zh.contains("Word"));
}

#[test]
fn zip_without_workbook_part_is_corrupt() {
    let data = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/worksheets/sheet1.xml", "<worksheet/>"),
    ]);
    assert!(matches!(open_bytes(&data), Err(OpenError::Corrupt(_))));
}

#[test]
fn io_error_has_a_message() {
    let e = open(Path::new("/nonexistent/泽州县.xlsx")).unwrap_err();
    assert!(matches!(e, OpenError::Io(_)));
    assert!(e.message().zh.contains("无法读取文件"));
}

/// Every hostile fixture opens or fails cleanly, quickly, without panicking.
#[test]
fn hostile_files_fail_cleanly() {
    let dir = fixture("hostile");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if !p.is_file() || p.extension().is_some_and(|e| e == "md") {
            continue;
        }
        seen += 1;
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let r = std::panic::catch_unwind(|| open(&p));
        let r = r.unwrap_or_else(|_| panic!("{name}: open panicked"));
        let encrypted = name.contains("pass") || name.contains("encrypt");
        match r {
            Ok(wb) => {
                assert!(!encrypted, "{name} opened although encrypted");
                assert!(!wb.sheets.is_empty());
            }
            Err(e) => {
                let m = e.message();
                assert!(
                    !m.zh.is_empty() && !m.en.is_empty(),
                    "{name}: empty message"
                );
                if encrypted {
                    assert!(matches!(e, OpenError::Encrypted), "{name}: {e:?}");
                }
            }
        }
    }
    assert!(seen >= 20, "only {seen} hostile fixtures");
}

#[test]
fn specific_hostile_outcomes() {
    let open_h = |n: &str| open(&fixture(&format!("hostile/{n}")));
    assert!(matches!(
        open_h("sheetjs_word_doc.doc"),
        Err(OpenError::NotSpreadsheet {
            kind: Foreign::Word,
            ..
        })
    ));
    for n in [
        "truncated_512b_merge_cells.xls",
        "truncated_1536b_CRLFR9.xls",
        "truncated_last_byte_issue444.xls",
        "truncated_half_merge_cells.xls",
        "corrupt_deflate_merge_cells.xlsx",
        "no_workbook_part_merge_cells.xlsx",
    ] {
        assert!(matches!(open_h(n), Err(OpenError::Corrupt(_))), "{n}");
    }
    assert!(matches!(
        open_h("calamine_issue_594_dos.ods"),
        Err(OpenError::TooLarge(_))
    ));
    // Declares A1:XFD1048576 but holds a few cells: must open.
    let wb = open_h("calamine_issue_174.xlsx").expect("issue_174 opens");
    assert!(wb.sheets.iter().map(|s| s.cell_count()).sum::<usize>() < 1000);
    // Content decides, not the extension.
    let wb = open_h("xlsx_content_merge_cells.xls").expect("xlsx content under .xls");
    assert!(!wb.sheets[0].merges().is_empty());
}

#[test]
fn gbk_biff5_without_codepage_record() {
    let wb = open(&fixture("reader/gbk_biff5_no_codepage.xls")).expect("opens");
    let s = &wb.sheets[0];
    assert_eq!(s.name, "表一");
    assert_eq!(s.get(0, 0), &text("泽州县"));
    assert_eq!(s.get(1, 1), &text("棚改"));
}

/// Child half of `panics_inside_calamine_print_nothing`: opens the files that make calamine 0.38
/// panic. Does nothing unless run by the parent test.
#[test]
fn quiet_panics_child() {
    if std::env::var_os("PGCHECK_QUIET_PANICS_CHILD").is_none() {
        return;
    }
    for n in [
        "truncated_512b_merge_cells.xls",
        "truncated_1536b_CRLFR9.xls",
        "truncated_last_byte_issue444.xls",
    ] {
        assert!(open(&fixture(&format!("hostile/{n}"))).is_err());
    }
    assert!(pgcheck::read::panics_caught() >= 3);
}

/// Panics caught inside the reader must not reach stderr (the default hook would print them).
#[test]
fn panics_inside_calamine_print_nothing() {
    let out = common::child_test(
        "workbook::quiet_panics_child",
        "PGCHECK_QUIET_PANICS_CHILD",
        "1",
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed: {stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(!stderr.contains("panicked"), "panic text leaked: {stderr}");
}

/// Two cells at A1 and IV65536 of an .xls / .ods: calamine would allocate 65,536 × 256 cells
/// (about 1 GB); the reader refuses them first.
#[test]
fn far_corner_xls_and_ods_are_refused_before_dense_allocation() {
    for n in ["corner_A1_IV65536.xls", "corner_A1_IV65536.ods"] {
        let r = open(&fixture(&format!("reader/{n}")));
        assert!(matches!(r, Err(OpenError::TooLarge(_))), "{n}: {r:?}");
    }
}

/// `src` with an Excel 4.0 macro sheet (宏表) added before its first sheet, as Excel writes one
/// into an .xlsm: a `<sheet>` in the workbook part, an `xlMacrosheet` relationship, the part.
fn with_macro_sheet(src: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut parts: Vec<(String, String)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut body = String::new();
        f.read_to_string(&mut body).unwrap();
        let body = match name.as_str() {
            "xl/workbook.xml" => body.replacen(
                "<sheets>",
                r#"<sheets><sheet name="Macro1" sheetId="9" r:id="rIdMacro"/>"#,
                1,
            ),
            "xl/_rels/workbook.xml.rels" => body.replacen(
                "</Relationships>",
                r#"<Relationship Id="rIdMacro" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#,
                1,
            ),
            _ => body,
        };
        parts.push((name, body));
    }
    parts.push((
        "xl/macrosheets/sheet1.xml".into(),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1"><f>RETURN()</f></c></row></sheetData></xm:macrosheet>"#
            .into(),
    ));
    let refs: Vec<(&str, &str)> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_str()))
        .collect();
    zip_of(&refs)
}

/// calamine refuses a whole workbook holding a sheet type it does not know (a macro sheet); such
/// a file was reported as damaged. pgcheck drops that sheet from the workbook part and reads the
/// others: the clean 泽州县 file with a macro sheet added still validates clean.
#[test]
fn a_workbook_with_a_macro_sheet_is_read_without_it() {
    let src = fixture("a2/clean-泽州县.xlsx");
    let data = with_macro_sheet(&std::fs::read(&src).unwrap());
    let wb = open_bytes(&data).expect("opens despite the macro sheet");
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["附件2"]);
    let plain = open(&src).unwrap();
    assert_eq!(wb.sheets[0].cell_count(), plain.sheets[0].cell_count());
    assert_eq!(wb.sheets[0].merges(), plain.sheets[0].merges());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("泽州县.xlsm");
    std::fs::write(&p, &data).unwrap();
    let v = common::check_one(&p);
    assert!(
        v.report.diagnostics.is_empty(),
        "{:?}",
        v.report.diagnostics
    );
}

/// LibreOffice saves a formula filled down a column (`=H7-I7`, `=ROW()-6`, the 合计 SUMs) in an
/// .xls as one shared formula; calamine 0.38 gives its cells no text, pgcheck rebuilds it
/// (`read::shared`). Every formula of each LibreOffice .xls under fixtures/clerk reads as the
/// .xlsx LibreOffice saved from the same file has it, cell by cell, and p01's pre-filled rows
/// (shared formulas) are among them.
#[test]
fn xls_shared_formulas_read_as_the_xlsx_twin_has_them() {
    let dir = fixture("clerk");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let xls = entry.unwrap().path();
        if xls.extension().is_none_or(|e| e != "xls") {
            continue;
        }
        let (a, b) = (
            open(&xls).unwrap(),
            open(&xls.with_extension("xlsx")).unwrap(),
        );
        for (sa, sb) in a.sheets.iter().zip(&b.sheets) {
            for (at, cell) in sa.iter() {
                let Some(f) = cell.formula.as_deref() else {
                    continue;
                };
                let twin = sb.cell(at.row, at.col).and_then(|c| c.formula.as_deref());
                assert_eq!(Some(f), twin, "{}!{}!{at:?}", xls.display(), sa.name);
                compared += 1;
            }
        }
    }
    // p01 alone pre-fills 10 rows × (序号, two differences) and each file has its SUMs.
    assert!(compared > 100, "{compared} formulas compared");
    let p01 = open(&dir.join("p01-prenumbered-阳城县.xls")).unwrap();
    let k10 = sheet(&p01, "附件2").cell(9, 10).unwrap();
    assert_eq!(k10.formula.as_deref(), Some("H10-I10"), "{k10:?}");
}
