//! The blank templates `pgcheck template` writes (SPEC 3): `附件2.xlsx` … `附件5.xlsx`, and
//! `weekly-report.xlsx` holding the four as sheets `附件2` … `附件5`. Everything comes from the
//! template tables; the committed copies under `templates-xlsx/` are refreshed with
//! `cargo run --example write_templates -- templates-xlsx` (tests/it/templates.rs checks they match).

use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, Worksheet};

use super::layout::{
    add_dropdowns, write_blank_rows, write_footnotes, write_merged, write_sheet_frame,
    write_total_row, Layout, TotalRow,
};
use super::{new_workbook, save_atomic, Formats, WriteError};
use crate::config::Config;
use crate::template::{a2, a4, a5, Template, TemplateId, PLACEHOLDER};

/// The one-workbook file holding the four templates as sheets.
pub const WEEKLY_REPORT: &str = "weekly-report.xlsx";

/// The single-template files, in attachment order.
pub const TEMPLATE_FILES: [&str; 4] = ["附件2.xlsx", "附件3.xlsx", "附件4.xlsx", "附件5.xlsx"];

/// Blank project rows of Attachment 2 (rows 7-16).
pub const A2_BLANK_ROWS: u32 = 10;
/// Blank rows of Attachment 3.
pub const A3_BLANK_ROWS: u32 = 15;
/// Height (points) of a row of a unit's block in Attachments 4 and 5: room for a few lines.
pub const BLOCK_ROW_HEIGHT: f64 = 48.0;

/// Writes the four template files and `weekly-report.xlsx` into `dir` (created if missing), each
/// atomically, as `config` words them (its city named in 附件2's 合计 row, its `plan_deadline` in
/// the plan columns' group, its `paid_through_min` in footnote 1). Returns the paths written, in that order.
pub fn write_templates(dir: &Path, config: &Config) -> Result<Vec<PathBuf>, WriteError> {
    fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let fmt = Formats::new();
    let mut written = Vec::new();
    for (id, name) in TemplateId::ALL.into_iter().zip(TEMPLATE_FILES) {
        let path = dir.join(name);
        let mut wb = new_workbook()?;
        add_template_sheet(&mut wb, id, config, &fmt).map_err(|e| e.at(&path))?;
        save_atomic(&mut wb, &path)?;
        written.push(path);
    }
    let path = dir.join(WEEKLY_REPORT);
    let mut wb = new_workbook()?;
    for id in TemplateId::ALL {
        add_template_sheet(&mut wb, id, config, &fmt).map_err(|e| e.at(&path))?;
    }
    save_atomic(&mut wb, &path)?;
    written.push(path);
    Ok(written)
}

/// Adds the blank template `id` as a sheet named after its attachment (`附件2`).
pub fn add_template_sheet(
    wb: &mut Workbook,
    id: TemplateId,
    config: &Config,
    fmt: &Formats,
) -> Result<Layout, WriteError> {
    let t = id.template();
    let ws = wb.add_worksheet();
    ws.set_name(t.attachment)?;
    let layout = write_sheet_frame(ws, t, None, &[], config.plan_deadline, fmt)?;
    let after = match id {
        TemplateId::A2 => a2_rows(ws, t, &layout, &config.city.name, fmt)?,
        TemplateId::A3 => {
            let last = layout.data_row + A3_BLANK_ROWS - 1;
            write_blank_rows(ws, t, &layout, layout.data_row, A3_BLANK_ROWS, fmt)?;
            add_dropdowns(ws, t, &layout, layout.data_row, last)?;
            last + 1
        }
        TemplateId::A4 => a4_block(ws, t, &layout, layout.data_row, fmt)?,
        TemplateId::A5 => a5_block(ws, t, &layout, layout.data_row, fmt)?,
    };
    write_footnotes(ws, t, &layout, after, config.paid_through_min, fmt)?;
    Ok(layout)
}

/// A2: the total row `合计 | 晋城市 | … =SUM(G7:G16) …` (cached 0; the city is `city`) and ten
/// blank project rows with the stage dropdown. Returns the row after them.
fn a2_rows(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    city: &str,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let first = layout.data_row + 1;
    let last = first + A2_BLANK_ROWS - 1;
    write_total_row(
        ws,
        t,
        layout,
        &TotalRow {
            row: layout.data_row,
            labels: &[(a2::Col::Seq.into(), "合计"), (a2::Col::Unit.into(), city)],
            ranges: &[(first, last)],
            cached: &|_| 0.0,
        },
        fmt,
    )?;
    write_blank_rows(ws, t, layout, first, A2_BLANK_ROWS, fmt)?;
    add_dropdowns(ws, t, layout, first, last)?;
    Ok(last + 1)
}

/// A4: one unit's block of four rows from `first`: 实事名称 merged down, the four section labels
/// in 项目推进情况, 件数 merged down (blank), 典型事例 `1. × × ×` … Returns the row after it.
pub fn a4_block(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    first: u32,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let last = first + a4::SECTIONS.len() as u32 - 1;
    let col = |key: a4::Col| layout.col_of(t, key);
    let (matter, count) = (col(a4::Col::Matter), col(a4::Col::Count));
    write_merged(
        ws,
        (first, matter),
        (last, matter),
        a4::MATTER,
        &fmt.text_center,
    )?;
    write_merged(ws, (first, count), (last, count), "", &fmt.count)?;
    for (i, section) in a4::SECTIONS.iter().enumerate() {
        let row = first + i as u32;
        ws.write_string_with_format(row, col(a4::Col::Progress), *section, &fmt.text)?;
        if i < a4::CASES {
            let case = format!("{}. {PLACEHOLDER}", i + 1);
            ws.write_string_with_format(row, col(a4::Col::Cases), case, &fmt.text)?;
        } else {
            ws.write_blank(row, col(a4::Col::Cases), &fmt.text)?;
        }
        ws.set_row_height(row, BLOCK_ROW_HEIGHT)?;
    }
    Ok(last + 1)
}

/// A5: one unit's block of three rows from `first`: 项目名称 and every count merged down over the
/// block, one `典型问题 1. × × × 整改结果:` per row in 典型问题和整改情况. Returns the row after it.
pub fn a5_block(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    first: u32,
    fmt: &Formats,
) -> Result<u32, WriteError> {
    let last = first + a5::BLOCK_ROWS as u32 - 1;
    for (i, c) in t.columns.iter().enumerate() {
        let col = layout.col(i);
        if c.key == a5::Col::Typical.into() {
            for n in 0..a5::BLOCK_ROWS {
                let text = format!(
                    "{} {}. {PLACEHOLDER} {}:",
                    a5::TYPICAL_PROBLEM,
                    n + 1,
                    a5::RECTIFICATION_RESULT
                );
                ws.write_string_with_format(first + n as u32, col, text, &fmt.text)?;
            }
        } else if c.key == a5::Col::Matter.into() {
            write_merged(ws, (first, col), (last, col), a4::MATTER, &fmt.text_center)?;
        } else {
            write_merged(ws, (first, col), (last, col), "", fmt.for_kind(c.kind))?;
        }
    }
    for row in first..=last {
        ws.set_row_height(row, BLOCK_ROW_HEIGHT)?;
    }
    Ok(last + 1)
}
