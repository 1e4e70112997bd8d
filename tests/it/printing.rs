//! What people print: every workbook pgcheck writes (the templates, the consolidated workbook,
//! an annotated copy) has rows tall enough for their wrapped text, and the wide sheets fit their
//! paper at a readable scale. Both are computed here from the written package (column widths,
//! row heights, fonts, wrap flags, page setup), with a text metric of this file's own.
//! The merged workbook copies texts as the counties wrote them and numbers 序号.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pgcheck::diag::Lang;
use pgcheck::grid::{CellRef, Value};
use pgcheck::read;
use pgcheck::writer::weekly::{ALERTS_SHEET, CHANGES_SHEET};

use crate::common;
use common::{check_one, root, sheet, zip_text};

/// The value of attribute `name` in the text after an element's name.
fn attr(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[at..].split('"').next()?.to_string())
}

/// One sheet part as printed: column widths (stored units), row heights (points), per cell
/// its font size and whether it wraps, and the page setup.
struct Part {
    widths: BTreeMap<u32, f64>,
    heights: BTreeMap<u32, f64>,
    cells: BTreeMap<CellRef, (f64, bool)>,
    paper: Option<u32>,
    landscape: bool,
}

fn part(path: &Path, n: usize) -> Part {
    let styles = zip_text(path, "xl/styles.xml");
    let fonts: Vec<f64> = styles
        .split("<font>")
        .skip(1)
        .map(|f| {
            f.split("<sz val=\"")
                .nth(1)
                .and_then(|v| v.split('"').next()?.parse().ok())
                .unwrap_or(11.0)
        })
        .collect();
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let xfs = xfs.split("</cellXfs>").next().unwrap();
    let xfs: Vec<(f64, bool)> = xfs
        .split("<xf ")
        .skip(1)
        .map(|tag| {
            let tag = tag.split("</xf>").next().unwrap();
            let font: usize = attr(tag, "fontId").map_or(0, |f| f.parse().unwrap());
            (fonts[font], tag.contains("wrapText=\"1\""))
        })
        .collect();
    let xml = zip_text(path, &format!("xl/worksheets/sheet{n}.xml"));
    let mut widths = BTreeMap::new();
    for tag in xml.split("<col ").skip(1) {
        let (a, b): (u32, u32) = (
            attr(tag, "min").unwrap().parse().unwrap(),
            attr(tag, "max").unwrap().parse().unwrap(),
        );
        let w: f64 = attr(tag, "width").unwrap().parse().unwrap();
        for c in a..=b {
            widths.insert(c - 1, w);
        }
    }
    let mut heights = BTreeMap::new();
    for tag in xml.split("<row ").skip(1) {
        let tag = tag.split('>').next().unwrap();
        if let Some(h) = attr(tag, "ht") {
            let r: u32 = attr(tag, "r").unwrap().parse().unwrap();
            heights.insert(r - 1, h.parse().unwrap());
        }
    }
    let mut cells = BTreeMap::new();
    for tag in xml.split("<c ").skip(1) {
        let tag = tag.split('>').next().unwrap();
        let s: usize = attr(tag, "s").map_or(0, |s| s.parse().unwrap());
        cells.insert(CellRef::parse(&attr(tag, "r").unwrap()).unwrap(), xfs[s]);
    }
    let setup = xml.split("<pageSetup ").nth(1).unwrap_or("");
    Part {
        widths,
        heights,
        cells,
        paper: attr(setup, "paperSize").map(|p| p.parse().unwrap()),
        landscape: attr(setup, "orientation").as_deref() == Some("landscape"),
    }
}

/// A column's width in pixels as Excel draws it (stored width × the default font's 7 px digit).
fn px(stored: f64) -> f64 {
    (stored * 7.0).round()
}

const DEFAULT_WIDTH: f64 = 8.43 + 0.71;

/// Points a wrapped text needs in a cell `width_px` wide at `size` pt: a CJK character is a
/// square of the font size, any other about half; lines 1.25 × the size apart.
fn needed(text: &str, width_px: f64, size: f64) -> f64 {
    let em = size * 96.0 / 72.0;
    let lines: f64 = text
        .split('\n')
        .map(|line| {
            let w: f64 = line
                .chars()
                .map(|c| if c.is_ascii() { em * 0.5 } else { em })
                .sum();
            (w / (width_px - 4.0).max(1.0)).ceil().max(1.0)
        })
        .sum();
    lines * size * 1.25
}

/// Every wrapped text of every sheet of `path` fits the height of its row (or of the rows its
/// merged range spans). Returns how many wrapped texts were measured.
fn assert_rows_tall_enough(path: &Path) -> usize {
    rows_tall_enough_by_sheet(path).values().sum()
}

/// `assert_rows_tall_enough`, counting per sheet.
fn rows_tall_enough_by_sheet(path: &Path) -> BTreeMap<String, usize> {
    let wb = read::open(path).unwrap();
    let mut by_sheet = BTreeMap::new();
    for (n, s) in wb.sheets.iter().enumerate() {
        let measured: &mut usize = by_sheet.entry(s.name.clone()).or_default();
        let p = part(path, n + 1);
        let width = |c: u32| px(p.widths.get(&c).copied().unwrap_or(DEFAULT_WIDTH));
        let height = |r: u32| p.heights.get(&r).copied().unwrap_or(15.0);
        for (at, cell) in s.iter() {
            let Value::Text(text) = &cell.value else {
                continue;
            };
            let Some(&(size, true)) = p.cells.get(at) else {
                continue; // not wrapped: a field line runs on to the right
            };
            let (cols, rows) = match s.merge_at(at.row, at.col) {
                Some(m) => (m.first.col..=m.last.col, m.first.row..=m.last.row),
                None => (at.col..=at.col, at.row..=at.row),
            };
            let w: f64 = cols.map(width).sum();
            let have: f64 = rows.map(height).sum();
            let need = needed(text, w, size);
            assert!(
                have >= need,
                "{} {}!{at}: {have} pt high, {need:.1} needed for {text:?} in {w} px",
                path.display(),
                s.name
            );
            *measured += 1;
        }
    }
    by_sheet
}

/// The scale at which a sheet prints one page wide: Excel's default margins (0.7 in each side).
fn scale(p: &Part) -> f64 {
    let paper_mm = match (p.paper, p.landscape) {
        (Some(8), true) => 420.0,
        (Some(9), true) => 297.0,
        (Some(9), false) => 210.0,
        other => panic!("unexpected paper {other:?}"),
    };
    let printable = paper_mm / 25.4 * 72.0 - 2.0 * 0.7 * 72.0;
    let table: f64 = p.widths.values().map(|&w| px(w) * 0.75).sum();
    (printable / table).min(1.0)
}

fn templates() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let files = pgcheck::writer::write_templates(dir.path(), &common::config()).unwrap();
    (dir, files)
}

fn merged() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("晋城市.xlsx");
    let o = common::merge(&root().join("fixtures/week-2024-10-14"), &out);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    (dir, out)
}

#[test]
fn templates_print_readably() {
    let (_dir, files) = templates();
    for path in &files[..4] {
        let p = part(path, 1);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (paper, min) = match name.as_str() {
            "附件2.xlsx" | "附件3.xlsx" => (8, 0.60),
            _ => (9, 0.95),
        };
        assert_eq!((p.paper, p.landscape), (Some(paper), true), "{name}");
        let s = scale(&p);
        assert!(s >= min, "{name} prints at {:.0} %", s * 100.0);
        assert!(assert_rows_tall_enough(path) > 10, "{name}");
    }
    assert!(
        assert_rows_tall_enough(&files[4]) > 40,
        "weekly-report.xlsx"
    );
}

#[test]
fn the_consolidated_workbook_prints_readably() {
    let (_dir, out) = merged();
    let measured = assert_rows_tall_enough(&out);
    assert!(measured > 100, "{measured} wrapped texts");
    let wb = read::open(&out).unwrap();
    for (n, s) in wb.sheets.iter().enumerate() {
        let p = part(&out, n + 1);
        let min = match s.name.as_str() {
            "附件2" | "附件3" => 0.60,
            "附件4" | "附件5" => 0.95,
            _ => continue,
        };
        let got = scale(&p);
        assert!(got >= min, "{} prints at {:.0} %", s.name, got * 100.0);
    }
}

/// 本周变化 and 约谈预警 (written with `merge --previous`): every wrapped text fits its row, the
/// titles included.
#[test]
fn the_weekly_sheets_print_readably() {
    let (dir, last) = merged();
    let out = dir.path().join("晋城市-2024-10-21.xlsx");
    let o = common::merge_on(
        &root().join("fixtures/week-2024-10-21"),
        &out,
        "2024-10-21",
        &["--previous", last.to_str().unwrap()],
    );
    assert!(o.status.code().is_some_and(|c| c < 2), "{o:?}");
    let measured = rows_tall_enough_by_sheet(&out);
    for sheet in [CHANGES_SHEET, ALERTS_SHEET] {
        let n = measured.get(sheet).copied().unwrap_or(0);
        assert!(n > 10, "{sheet}: {n} wrapped texts measured");
    }
}

#[test]
fn an_annotated_copy_prints_readably() {
    let dir = tempfile::tempdir().unwrap();
    for (k, src) in [
        "fixtures/workbook/x01.xlsx",
        "fixtures/roundtrip/sum-a2-01.xlsx",
    ]
    .iter()
    .enumerate()
    {
        let v = check_one(&root().join(src));
        let out = dir.path().join(format!("{k}.xlsx"));
        pgcheck::writer::annotate::write(&v, &out, Lang::Zh, &common::config()).unwrap();
        assert!(assert_rows_tall_enough(&out) > 20, "{src}");
        // 问题清单 prints on A4 landscape.
        let p = part(&out, 1);
        assert_eq!((p.paper, p.landscape), (Some(9), true));
    }
}

/// The city workbook copies each text as the county wrote it (full-width punctuation and
/// brackets included: folding is for comparing only) and writes 序号 as numbers 1..n.
#[test]
fn the_consolidated_workbook_copies_texts_as_written() {
    let week = root().join("fixtures/week-2024-10-14");
    let mut written: Vec<String> = Vec::new();
    for f in pgcheck::validate::scan_dir(&week, false).unwrap() {
        let Ok(wb) = read::open(&f) else { continue };
        for s in &wb.sheets {
            for (_, c) in s.iter() {
                if let Value::Text(t) = &c.value {
                    written.push(t.clone());
                }
            }
        }
    }
    let (_dir, out) = merged();
    let wb = read::open(&out).unwrap();
    let a2 = sheet(&wb, "附件2");
    let t = pgcheck::template::TemplateId::A2.template();
    let mut seq = 0.0;
    let mut full_width = 0;
    for r in 0..=a2.extent().unwrap().0 {
        let Value::Number(n) = a2.get(r, 0) else {
            continue;
        };
        seq += 1.0;
        assert_eq!(*n, seq, "序号 of row {}", r + 1);
        for (i, c) in t.columns.iter().enumerate().skip(2) {
            if c.kind != pgcheck::template::Kind::Text {
                continue;
            }
            if let Value::Text(s) = a2.get(r, i as u32) {
                assert!(
                    written.contains(s),
                    "{} {s:?} is not a text of any input",
                    CellRef::new(r, i as u32)
                );
                full_width += usize::from(s.contains(['，', '（', '：', '；']));
            }
        }
    }
    assert!(seq >= 10.0, "{seq} project rows");
    assert!(
        full_width > 5,
        "{full_width} texts with full-width punctuation"
    );
}
