//! The direct xlsx reader against the calamine path, on every xlsx the project ships and, when
//! present, the shared corpus of real files: the same workbook, or a decline. The tests print
//! each decline and its reason (`cargo test declines -- --nocapture`).
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};

use super::sniff::{sniff, Format};
use super::{direct, xlsx, Book};
use crate::grid::Workbook;

/// Everything the grid holds of a workbook, for comparison.
fn contents(wb: &Workbook) -> Vec<String> {
    let mut out = Vec::new();
    for s in &wb.sheets {
        out.push(format!(
            "sheet {:?} hidden {} merges_unknown {} merges {:?} heights {:?}",
            s.name,
            s.hidden,
            s.merges_unknown,
            s.merges(),
            s.row_heights
        ));
        for (at, cell) in s.iter() {
            out.push(format!("{at} {:?} {:?}", cell.value, cell.formula));
        }
    }
    out
}

/// The direct reader's workbook (or its reason to decline) and the calamine path's (or its error).
type BothWays = (Result<Workbook, &'static str>, Result<Workbook, String>);

/// Reads `data` both ways.
fn both_ways(data: &[u8]) -> Option<BothWays> {
    let Ok(Format::Xlsx(mut package)) = sniff(data) else {
        return None;
    };
    let direct = direct::read(&mut package, data).map_err(|d| d.0);
    let Ok(Format::Xlsx(package)) = sniff(data) else {
        return None;
    };
    let calamine = xlsx::with_book(data, package, |b| b.read()).map_err(|e| e.to_string());
    Some((direct, calamine))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("xlsx") || x.eq_ignore_ascii_case("xlsm"))
        {
            out.push(p);
        }
    }
}

/// Reads every file under `dirs` both ways; the number of files read directly and the
/// declines, with their reasons.
fn compare(dirs: &[PathBuf]) -> (usize, Vec<(PathBuf, &'static str)>) {
    let mut files = Vec::new();
    for d in dirs {
        walk(d, &mut files);
    }
    files.sort();
    let (mut direct_ok, mut declined) = (0, Vec::new());
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let Some((direct, calamine)) = both_ways(&data) else {
            continue;
        };
        match (direct, calamine) {
            (Ok(d), Ok(c)) => {
                assert_eq!(contents(&d), contents(&c), "{}", f.display());
                direct_ok += 1;
            }
            (Ok(_), Err(e)) => panic!("{}: read directly, calamine says {e}", f.display()),
            (Err(reason), _) => declined.push((f, reason)),
        }
    }
    (direct_ok, declined)
}

#[test]
fn the_direct_reader_reads_our_files_as_calamine_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (read, declined) = compare(&[root.join("fixtures"), root.join("templates-xlsx")]);
    for (f, reason) in &declined {
        println!("declined {}: {reason}", f.display());
    }
    println!("{read} read directly, {} declined", declined.len());
    assert!(read > 100, "{read} read directly");
    // The hostile files (damaged, encrypted, not workbooks) are left to calamine.
    assert!(declined.len() <= 10, "{} declined", declined.len());
}

#[test]
fn the_direct_reader_reads_the_corpus_as_calamine_does() {
    let corpus = Path::new("/work/shared/corpus");
    if !corpus.is_dir() {
        return;
    }
    let (read, declined) = compare(&[corpus.to_path_buf()]);
    for (f, reason) in &declined {
        println!("declined {}: {reason}", f.display());
    }
    println!("corpus: {read} read directly, {} declined", declined.len());
    // Most real files are read directly (101 of 116 when this was written).
    assert!(
        read >= 5 * declined.len(),
        "{read} read directly, {} declined",
        declined.len()
    );
}

/// An xlsx package of one worksheet `sheet` (and a chart sheet), with shared strings and styles
/// when given, and `book_pr` as the workbook's `<workbookPr>` attributes.
fn package(sheet: &str, strings: Option<&str>, styles: Option<&str>, book_pr: &str) -> Vec<u8> {
    use std::io::Write;
    let mut parts = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr {book_pr}/><sheets><sheet name="附件3 &amp; 表" sheetId="1" r:id="rId1"/><sheet name="图" sheetId="2" state="hidden" r:id="rId2"/><sheet name="空" sheetId="3" state="veryHidden" r:id="rId3"/></sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'附件3 &amp; 表'!$1:$3</definedName></definedNames></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="/xl/chartsheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet.to_string()),
        (
            "xl/worksheets/sheet2.xml",
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#.to_string(),
        ),
        (
            "xl/chartsheets/sheet1.xml",
            r#"<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"#.to_string(),
        ),
    ];
    if let Some(s) = strings {
        parts.push(("xl/sharedStrings.xml", s.to_string()));
    }
    if let Some(s) = styles {
        parts.push(("xl/styles.xml", s.to_string()));
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        w.start_file(name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>城区</t></si><si><t xml:space="preserve">  前后有空格  </t></si><si><r><rPr><b/><sz val="11"/></rPr><t>棚改</t></r><r><t xml:space="preserve"> 项目</t></r><rPh sb="0" eb="2"><t>ぺん</t></rPh></si><si><t>A_x000D_B &amp; C&#10;</t></si></sst>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="177" formatCode="[h]:mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="14" fontId="0" applyNumberFormat="1"/><xf numFmtId="176" fontId="0" applyNumberFormat="1"><alignment horizontal="center"/></xf><xf numFmtId="177" fontId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

/// Every kind of cell calamine reads, in one sheet: positions given and not, each value type,
/// shared and array formulas, dates by style, escapes, merged regions, rows of their own height.
const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:H9"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData>
<row r="1" ht="30" customHeight="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" s="0"/></row>
<row r="2"><c r="A2"><v>12.5</v></c><c t="n"><v>-3E2</v></c><c><v></v></c><c><v/></c><c r="F2" t="b"><v>1</v></c><c t="b"><v>false</v></c><c t="e"><v>#DIV/0!</v></c></row>
<row><c r="A3" s="1"><v>45579</v></c><c s="2"><v>45566.5</v></c><c s="3"><v>1.75</v></c><c s="2"><v>2024.1</v></c><c s="9"><v>45579</v></c><c t="d"><v>2024-10-14T08:30:00</v></c></row>
<row r="5" spans="1:8"><c r="A5" t="str"><f>"x"&amp;"y"</f><v>xy_x000D_</v></c><c r="B5"><f t="shared" ref="B5:B7" si="0">A2*2+$A$2</f><v>50</v></c><c r="C5"><f>SUM(A2:B2)</f></c><c r="D5" t="inlineStr"><is><r><t xml:space="preserve">富 </t></r><r><t>文本</t></r><rPh><t>ふ</t></rPh></is></c><c r="E5" t="inlineStr"><is><t>  去掉空格  </t></is></c></row>
<row r="6"><c r="B6"><f t="shared" si="0"/><v>62.5</v></c><c r="C6"><f t="array" ref="C6:C7">A6:A7*2</f><v>0</v></c><c r="D6"><f t="shared" si="1"/><v>1</v></c></row>
<row r="7" ht="9" customHeight="1" hidden="0"><c r="B7"><f t="shared" si="0"/><v>7</v></c><c r="C7"><v>0</v></c><c r="H7"><f>TODAY()</f><v></v></c></row>
<row r="8" ht="12" customHeight="1" hidden="1"/>
<row r="9"><c r="A9" s="1"><v>0.25</v></c></row>
</sheetData><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C6:C7"/></mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#;

/// Reads a crafted package both ways: directly (it must not decline) and with calamine; they must
/// agree; the direct workbook.
fn agreed(data: &[u8]) -> Workbook {
    let (direct, calamine) = both_ways(data).expect("an xlsx package");
    let direct = direct.unwrap_or_else(|reason| panic!("declined: {reason}"));
    let calamine = calamine.unwrap();
    assert_eq!(contents(&direct), contents(&calamine));
    direct
}

#[test]
fn every_kind_of_cell_reads_as_calamine_reads_it() {
    use crate::grid::Value;
    for book_pr in ["", r#"date1904="1""#] {
        let wb = agreed(&package(SHEET, Some(STRINGS), Some(STYLES), book_pr));
        let names: Vec<_> = wb.sheets.iter().map(|s| (&s.name[..], s.hidden)).collect();
        assert_eq!(
            names,
            [("附件3 & 表", false), ("空", true)],
            "the chart sheet is left out"
        );
        let s = &wb.sheets[0];
        let value = |r, c| s.raw(r, c).map_or(Value::Empty, |c| c.value.clone());
        let text = |r, c| value(r, c).display();
        assert_eq!(text(0, 1), "  前后有空格  ", "xml:space kept");
        assert_eq!(text(4, 4), "去掉空格", "trimmed otherwise");
        assert_eq!(text(0, 2), "棚改 项目");
        assert_eq!(text(0, 3), "A\rB & C");
        assert_eq!(value(1, 1), Value::Number(-300.0), "no r: after A2");
        assert_eq!(value(1, 5), Value::Bool(true));
        assert_eq!(text(1, 7), "#DIV/0!");
        assert!(
            matches!(value(2, 0), Value::Date(_)),
            "style 14 on a row without r"
        );
        assert_eq!(
            s.cell(5, 1).and_then(|c| c.formula_text()),
            Some("A3*2+$A$2")
        );
        assert_eq!(
            s.cell(6, 1).and_then(|c| c.formula_text()),
            Some("A4*2+$A$2")
        );
        assert!(s.cell(4, 2).unwrap().formula_without_value());
        assert_eq!(text(4, 3), "富 文本");
        assert_eq!(
            s.row_heights.iter().collect::<Vec<_>>(),
            [(&0, &30.0), (&6, &9.0)]
        );
        assert_eq!(s.merges().len(), 2);
    }
    // No shared strings or styles part at all.
    let plain = SHEET.replace(r#" t="s""#, "").replace(r#" s="9""#, "");
    agreed(&package(&plain, None, None, ""));
}

#[test]
fn what_the_direct_reader_does_not_know_goes_to_calamine() {
    let prefixed = SHEET
        .replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
        .replace("</worksheet>", "</x:worksheet>")
        .replace("<sheetData>", "<x:sheetData>")
        .replace("</sheetData>", "</x:sheetData>")
        .replace("<row", "<x:row")
        .replace("</row>", "</x:row>")
        .replace("<c ", "<x:c ")
        .replace("</c>", "</x:c>");
    for (sheet, why, reason) in [
        (prefixed, "prefixed", "a prefixed <sheetData>"),
        (
            SHEET.replace("<v>12.5</v>", "<v>12.5<!-- typed --></v>"),
            "a comment",
            "a comment, CDATA or processing instruction",
        ),
        (
            SHEET.replace(r#"t="e""#, r#"t="x""#),
            "an unknown type",
            "an unknown cell type",
        ),
    ] {
        let data = package(&sheet, Some(STRINGS), Some(STYLES), "");
        let (direct, calamine) = both_ways(&data).unwrap();
        // Declined for that reason, not for one met earlier in the file.
        assert_eq!(direct.err(), Some(reason), "{why}");
        // The public reader gives calamine's workbook (or error).
        let read = super::open_bytes(&data).map(|wb| contents(&wb));
        assert_eq!(
            read.map_err(|e| e.to_string()),
            calamine.map(|wb| contents(&wb)),
            "{why}"
        );
    }
}
