//! The trend workbook (`pgcheck trend`, SPEC 11.4): one sheet per measure with its week × unit
//! table and a native Excel line chart (one line per unit and one for the city), then the
//! stalled projects.

use std::path::Path;

use rust_xlsxwriter::{Chart, ChartLegendPosition, ChartMarker, ChartType, Worksheet};

use super::layout::{set_list_print, write_column_heads, write_merged};
use super::{new_workbook, save_atomic, Formats, WriteError};
use crate::config::Config;
use crate::history::trend::{Measure, Trend};

/// The sheet of the stalled projects.
pub const STALLED_SHEET: &str = "停滞项目";
/// Chart size in pixels: wide enough for seven units' legend, tall enough to read.
const CHART_SIZE: (u32, u32) = (760, 400);

/// Writes the trend workbook to `path` (atomically).
pub fn write(t: &Trend, config: &Config, path: &Path) -> Result<(), WriteError> {
    let fmt = Formats::new();
    let mut wb = new_workbook()?;
    for m in &t.measures {
        let ws = wb.add_worksheet();
        measure_sheet(ws, t, m, config, &fmt).map_err(|e| e.at(path))?;
    }
    let ws = wb.add_worksheet();
    stalled_sheet(ws, t, config, &fmt).map_err(|e| e.at(path))?;
    save_atomic(&mut wb, path)
}

/// Rows of a measure sheet: title (0), header (1), one row per week from 2.
fn measure_sheet(
    ws: &mut Worksheet,
    t: &Trend,
    m: &Measure,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(m.label)?;
    let city_col = t.units.len() as u16 + 1;
    let title = format!("{}{}（按周）", config.city.name, m.label);
    write_merged(ws, (0, 0), (0, city_col), &title, &fmt.title)?;
    ws.set_row_height(0, 24)?;
    let cols: Vec<(&str, f64)> = std::iter::once(("报告日期", 12.0))
        .chain(t.units.iter().map(|u| (u.as_str(), 9.0)))
        .chain(std::iter::once((config.city.name.as_str(), 9.0)))
        .collect();
    write_column_heads(ws, 1, &cols, &fmt.header)?;
    for (w, date) in t.dates.iter().enumerate() {
        let r = 2 + w as u32;
        // Text dates: the category axis shows them as written, one per week.
        ws.write_string_with_format(r, 0, date.to_string(), &fmt.text_center)?;
        for (i, v) in m.values[w].iter().enumerate() {
            match v {
                Some(n) => ws.write_number_with_format(r, i as u16 + 1, *n as f64, &fmt.count)?,
                None => ws.write_blank(r, i as u16 + 1, &fmt.count)?,
            };
        }
        ws.write_number_with_format(r, city_col, m.city(w) as f64, &fmt.total_count)?;
    }
    if !t.dates.is_empty() {
        let last = 1 + t.dates.len() as u32;
        let mut chart = Chart::new(ChartType::Line);
        for c in 1..=city_col {
            chart
                .add_series()
                .set_name((m.label, 1, c))
                .set_categories((m.label, 2, 0, last, 0))
                .set_values((m.label, 2, c, last, c))
                .set_marker(ChartMarker::new().set_automatic())
                // The city's figure is the units' sum: its own axis on the right keeps the
                // units' lines readable.
                .set_secondary_axis(c == city_col);
        }
        chart.title().set_name(&title);
        chart.x_axis().set_name("报告日期");
        // Both axes start at 0, so neither line's size is exaggerated against the other.
        chart
            .y_axis()
            .set_name(&format!("各县区{}", m.axis))
            .set_min(0.0);
        chart
            .y2_axis()
            .set_name(&format!("{}{}", config.city.name, m.axis))
            .set_min(0.0);
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(CHART_SIZE.0).set_height(CHART_SIZE.1);
        ws.insert_chart(last + 2, 0, &chart)?;
    }
    ws.set_freeze_panes(2, 1)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn stalled_sheet(
    ws: &mut Worksheet,
    t: &Trend,
    config: &Config,
    fmt: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(STALLED_SHEET)?;
    let cols = [
        ("单位", 10.0),
        ("项目名称", 36.0),
        ("监管编号", 18.0),
        ("工程形象进度", 16.0),
        ("已安置棚改居民户数", 20.0),
        ("逾期未交付使用户数", 20.0),
        ("自何时未变", 12.0),
        ("周数", 6.0),
    ];
    write_merged(
        ws,
        (0, 0),
        (0, cols.len() as u16 - 1),
        &format!(
            "{}逾期项目停滞清单（工程形象进度和已安置户数连续 {} 周以上未变）",
            config.city.name, config.stall_weeks
        ),
        &fmt.title,
    )?;
    ws.set_row_height(0, 24)?;
    write_column_heads(ws, 1, &cols, &fmt.header)?;
    for (i, s) in t.stalled.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string_with_format(r, 0, &s.unit, &fmt.text)?;
        ws.write_string_with_format(r, 1, &s.name, &fmt.text)?;
        ws.write_string_with_format(r, 2, &s.supervision_no, &fmt.text)?;
        ws.write_string_with_format(r, 3, &s.stage, &fmt.text)?;
        ws.write_number_with_format(r, 4, s.resettled as f64, &fmt.count)?;
        ws.write_number_with_format(r, 5, s.overdue as f64, &fmt.count)?;
        ws.write_string_with_format(r, 6, s.since.to_string(), &fmt.text_center)?;
        ws.write_number_with_format(r, 7, s.weeks as f64, &fmt.count)?;
    }
    set_list_print(ws, 1)
}
