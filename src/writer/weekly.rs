//! The week-over-week sheets of the consolidated workbook: `本周变化` (with `merge --previous`,
//! SPEC 11.2) and `约谈预警` (always, SPEC 11.3).

use rust_xlsxwriter::{Format, Worksheet};

use super::layout::{
    needed_height, set_list_print, title_height, write_column_heads, write_merged,
};
use super::{Formats, WriteError};
use crate::config::Config;
use crate::history::{diff::MEASURES, Alert, AlertStatus, Diff, Week};
use crate::table::Datum;
use crate::template::TemplateId;

/// Sheet names.
pub const CHANGES_SHEET: &str = "本周变化";
pub const ALERTS_SHEET: &str = "约谈预警";

/// Makes row `r` tall enough for its wrapped texts, each given with the width (character units)
/// of its cell or merged range.
fn fit_row(ws: &mut Worksheet, r: u32, cells: &[(&str, f64)]) -> Result<(), WriteError> {
    if let Some(h) = needed_height(cells.iter().copied()) {
        ws.set_row_height(r, h)?;
    }
    Ok(())
}

/// Writes a title merged over columns `0..widths.len()` of row `r`, the row tall enough for it.
fn title(
    ws: &mut Worksheet,
    r: u32,
    widths: &[f64],
    text: &str,
    fmt: &Formats,
) -> Result<(), WriteError> {
    write_merged(ws, (r, 0), (r, widths.len() as u16 - 1), text, &fmt.title)?;
    ws.set_row_height(r, title_height(text, widths.iter().sum()))?;
    Ok(())
}

/// Each text with the width of the columns `c1..=c2` it is merged over.
fn spread<'a>(spans: &[(u16, u16)], widths: &[f64], texts: &[&'a str]) -> Vec<(&'a str, f64)> {
    spans
        .iter()
        .zip(texts)
        .map(|(&(c1, c2), t)| (*t, widths[c1 as usize..=c2 as usize].iter().sum()))
        .collect()
}

fn number(ws: &mut Worksheet, r: u32, c: u16, n: i64, fmt: &Format) -> Result<(), WriteError> {
    ws.write_number_with_format(r, c, n as f64, fmt)?;
    Ok(())
}

/// `本周变化`: per unit this week / last week / change of the four measures and the A3 counts,
/// then one row per project that changed.
pub fn changes_sheet(
    ws: &mut Worksheet,
    d: &Diff,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(CHANGES_SHEET)?;
    let date = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
    // 单位, 比较, 本周 / 上周 / 变化 of each measure, 新增 / 办结 of 附件3.
    let mut widths = vec![10.0, 36.0];
    widths.extend(std::iter::repeat_n(8.0, 3 * MEASURES.len() + 2));
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let width = widths.len() as u16;
    let span = |c1: u16, c2: u16| -> f64 { widths[c1 as usize..=c2 as usize].iter().sum() };
    title(
        ws,
        0,
        &widths,
        &format!(
            "{}棚改居民逾期未回迁安置问题整治 本周变化（{} 对比 {}）",
            config.city.name,
            date(d.new_date),
            date(d.old_date)
        ),
        fmt,
    )?;
    // Two header rows: the measure over 本周 / 上周 / 变化.
    write_merged(ws, (1, 0), (2, 0), "单位", &fmt.header)?;
    write_merged(ws, (1, 1), (2, 1), "比较", &fmt.header)?;
    let mut top: Vec<(&str, f64)> = Vec::new();
    for (i, (_, label, _)) in MEASURES.iter().enumerate() {
        let c = 2 + 3 * i as u16;
        write_merged(ws, (1, c), (1, c + 2), label, &fmt.header)?;
        top.push((label, span(c, c + 2)));
        for (j, h) in ["本周", "上周", "变化"].iter().enumerate() {
            ws.write_string_with_format(2, c + j as u16, *h, &fmt.header)?;
        }
    }
    let a3 = width - 2;
    let a3_label = "附件3 问题台账";
    write_merged(ws, (1, a3), (1, a3 + 1), a3_label, &fmt.header)?;
    top.push((a3_label, span(a3, a3 + 1)));
    fit_row(ws, 1, &top)?;
    ws.write_string_with_format(2, a3, "新增", &fmt.header)?;
    ws.write_string_with_format(2, a3 + 1, "办结", &fmt.header)?;
    let mut r = 3;
    for u in &d.units {
        let note = match (u.merged_new, u.merged_old) {
            (true, true) => u.aside(crate::diag::Lang::Zh).unwrap_or_default(),
            (true, false) => "上周未汇总，不作比较".to_string(),
            (false, true) => "本周未汇总，不作比较".to_string(),
            (false, false) => "两周均未汇总，不作比较".to_string(),
        };
        let row_fmt = if u.comparable() {
            &fmt.text
        } else {
            &fmt.missing
        };
        ws.write_string_with_format(r, 0, &u.unit, row_fmt)?;
        ws.write_string_with_format(r, 1, &note, row_fmt)?;
        fit_row(ws, r, &[(&u.unit, widths[0]), (&note, widths[1])])?;
        for (i, ((this, last), change)) in u.measures.iter().zip(u.change).enumerate() {
            let c = 2 + 3 * i as u16;
            if u.merged_new {
                number(ws, r, c, *this, &fmt.count)?;
            } else {
                ws.write_blank(r, c, row_fmt)?;
            }
            if u.merged_old {
                number(ws, r, c + 1, *last, &fmt.count)?;
            } else {
                ws.write_blank(r, c + 1, row_fmt)?;
            }
            if u.comparable() {
                number(ws, r, c + 2, change, &fmt.count)?;
            } else {
                ws.write_blank(r, c + 2, row_fmt)?;
            }
        }
        if u.merged_new && u.cases_compared {
            number(ws, r, a3, u.cases_new as i64, &fmt.count)?;
            number(ws, r, a3 + 1, u.cases_closed as i64, &fmt.count)?;
        }
        r += 1;
    }
    // Units in one week only: the city's totals of the two weeks do not compare.
    if let Some(note) = d.city_note() {
        write_merged(ws, (r, 0), (r, width - 1), &note.zh, &fmt.footnote)?;
        fit_row(ws, r, &[(&note.zh, widths.iter().sum())])?;
        r += 1;
    }
    // The projects that changed, in the same grid: 单位 | 项目名称 | 监管编号 (3 columns) |
    // 工程形象进度 (3 columns) | the change of each measure (2 columns each).
    r += 1;
    title(
        ws,
        r,
        &widths,
        "本周有变化的项目（工程形象进度 上周 → 本周）",
        fmt,
    )?;
    r += 1;
    let spans: [(u16, u16); 8] = [
        (0, 0),
        (1, 1),
        (2, 4),
        (5, 7),
        (8, 9),
        (10, 11),
        (12, 13),
        (14, 15),
    ];
    let mut heads = vec![
        "单位".to_string(),
        "项目名称".to_string(),
        "监管编号".to_string(),
        "工程形象进度（上周 → 本周）".to_string(),
    ];
    heads.extend(MEASURES.iter().map(|(_, label, _)| format!("{label}变化")));
    for ((c1, c2), h) in spans.iter().zip(&heads) {
        write_merged(ws, (r, *c1), (r, *c2), h, &fmt.header)?;
    }
    let head_texts: Vec<&str> = heads.iter().map(String::as_str).collect();
    fit_row(ws, r, &spread(&spans, &widths, &head_texts))?;
    r += 1;
    for p in &d.projects {
        let stage = if p.stage.0 == p.stage.1 {
            p.stage.1.clone()
        } else {
            format!("{} → {}", p.stage.0, p.stage.1)
        };
        let texts = [&p.unit, &p.name, &p.supervision_no, &stage];
        for ((c1, c2), t) in spans.iter().zip(texts) {
            write_merged(ws, (r, *c1), (r, *c2), t, &fmt.text)?;
        }
        let texts: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
        fit_row(ws, r, &spread(&spans, &widths, &texts))?;
        for ((c1, c2), (this, last)) in spans[4..].iter().zip(&p.measures) {
            ws.merge_range(r, *c1, r, *c2, "", &fmt.count)?;
            number(ws, r, *c1, this - last, &fmt.count)?;
        }
        r += 1;
    }
    set_list_print(ws, 2)
}

/// `约谈预警`: the at-risk projects grouped by unit, then a count per unit and status.
pub fn alerts_sheet(
    ws: &mut Worksheet,
    alerts: &[Alert],
    week: &Week,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(ALERTS_SHEET)?;
    let cols = [
        ("序号", 6.0),
        ("单位", 10.0),
        ("项目名称", 36.0),
        ("监管编号", 18.0),
        ("逾期未交付使用户数", 12.0),
        ("计划交付时间", 20.0), // wide enough for 2024.1（年月不明） on one line
        ("下一节点", 12.0),
        ("状态", 18.0),
    ];
    let widths: Vec<f64> = cols.iter().map(|c| c.1).collect();
    let milestones: Vec<String> = config.milestones.iter().map(|d| d.to_string()).collect();
    title(
        ws,
        0,
        &widths,
        &format!(
            "{}棚改居民逾期未回迁安置问题 约谈预警（{}；节点 {}）",
            config.city.name,
            config.as_of,
            milestones.join("、")
        ),
        fmt,
    )?;
    write_column_heads(ws, 1, &cols, &fmt.header)?;
    fit_row(ws, 1, &cols)?;
    let mut r = 2;
    for (n, a) in alerts.iter().enumerate() {
        let row_fmt = if a.status == AlertStatus::MilestonePassed {
            &fmt.invalid
        } else {
            &fmt.text
        };
        number(ws, r, 0, n as i64 + 1, row_fmt)?;
        ws.write_string_with_format(r, 1, &a.unit, row_fmt)?;
        ws.write_string_with_format(r, 2, &a.name, row_fmt)?;
        ws.write_string_with_format(r, 3, &a.supervision_no, row_fmt)?;
        number(ws, r, 4, a.overdue_households, row_fmt)?;
        let planned = match &a.planned {
            // January or a typed October (V05): the number as typed, said to be unclear.
            Datum::AmbiguousMonth(m) => format!("{}（年月不明）", m.typed()),
            d => d.month().map(|m| m.to_string()).unwrap_or_default(),
        };
        ws.write_string_with_format(r, 5, &planned, row_fmt)?;
        let next = a.next_milestone.map(|d| d.to_string()).unwrap_or_default();
        ws.write_string_with_format(r, 6, &next, row_fmt)?;
        let status = a.status.label(config.plan_deadline);
        ws.write_string_with_format(r, 7, status.as_ref(), row_fmt)?;
        let texts = [
            "",
            &a.unit,
            &a.name,
            &a.supervision_no,
            "",
            &planned,
            &next,
            &status,
        ];
        let cells: Vec<(&str, f64)> = texts.into_iter().zip(widths.iter().copied()).collect();
        fit_row(ws, r, &cells)?;
        r += 1;
    }
    // Per unit: how many projects in each status.
    r += 1;
    ws.write_string_with_format(r, 1, "单位", &fmt.header)?;
    let labels = AlertStatus::ALL.map(|s| s.label(config.plan_deadline));
    let mut heads = vec![("单位", widths[1])];
    for (i, label) in labels.iter().enumerate() {
        ws.write_string_with_format(r, 2 + i as u16, label.as_ref(), &fmt.header)?;
        heads.push((label, widths[2 + i]));
    }
    let note_col = 2 + AlertStatus::ALL.len() as u16;
    write_merged(ws, (r, note_col), (r, note_col + 1), "说明", &fmt.header)?;
    fit_row(ws, r, &heads)?;
    r += 1;
    let note_width = widths[note_col as usize] + widths[note_col as usize + 1];
    for u in &config.units {
        ws.write_string_with_format(r, 1, &u.name, &fmt.text)?;
        // A unit whose 附件2 is not in this week has no projects here: no count, a reason.
        if !week.has(&u.name, TemplateId::A2) {
            for i in 0..AlertStatus::ALL.len() as u16 {
                ws.write_blank(r, 2 + i, &fmt.missing)?;
            }
            let why = "附件2 本周未汇总，未列入预警";
            write_merged(ws, (r, note_col), (r, note_col + 1), why, &fmt.missing)?;
            fit_row(ws, r, &[(&u.name, widths[1]), (why, note_width)])?;
            r += 1;
            continue;
        }
        fit_row(ws, r, &[(&u.name, widths[1])])?;
        for (i, s) in AlertStatus::ALL.iter().enumerate() {
            let n = alerts
                .iter()
                .filter(|a| a.unit == u.name && a.status == *s)
                .count();
            number(ws, r, 2 + i as u16, n as i64, &fmt.count)?;
        }
        write_merged(ws, (r, note_col), (r, note_col + 1), "", &fmt.text)?;
        r += 1;
    }
    set_list_print(ws, 1)
}
