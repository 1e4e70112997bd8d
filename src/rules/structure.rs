//! Structure rules (SPEC 4.1): a file that does not open (S01), no sheet recognised (S02), the
//! header's missing and unknown columns (S03, S04), the unit of a file (S06: above a block
//! template's header and across a workbook's sheets), placeholders above the header (S07) and
//! 填报时间 (S09).

use crate::config::Config;
use crate::diag::{Diagnostic, Msg, Related, RuleId};
use crate::fields::{self, FieldValue};
use crate::grid::{CellRef, Sheet};
use crate::header::HeaderMatch;
use crate::table::Table;
use crate::template::{Field, FieldRole};
use crate::values::{self, FillDate};

/// S01: the file (its path as shown: `shown`) is no workbook pgcheck can read, for the reason
/// `why`.
pub fn unreadable(shown: &str, why: Msg) -> Diagnostic {
    Diagnostic::new(RuleId::S01)
        .value(shown)
        .detail(why.zh, why.en)
}

/// S02: none of the workbook's sheets (named `sheets`) is any template.
pub fn no_template(sheets: &[&str]) -> Diagnostic {
    Diagnostic::new(RuleId::S02).detail(
        format!(
            "工作表 {} 均不是附件2-5的模板（未找到表头）",
            sheets.join("、")
        ),
        format!(
            "sheets {} match no template of Attachments 2-5 (no header found)",
            sheets
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

/// S03 for every required column the header lacks; S04 for every column it does not know.
pub fn check_header(sheet: &Sheet, h: &HeaderMatch, out: &mut Vec<Diagnostic>) {
    let t = h.template();
    let header_first = CellRef::new(h.bottom, h.first_col);
    for (i, c) in t.columns.iter().enumerate() {
        if c.required && h.cols[i].is_none() {
            out.push(
                Diagnostic::new(RuleId::S03)
                    .at(&sheet.name, header_first)
                    .field(t.display_label(i))
                    .detail(
                        format!("缺少必填列“{}”", c.label()),
                        format!("required column \"{}\" is missing", c.label()),
                    ),
            );
        }
    }
    let top_left = CellRef::new(h.top, h.first_col);
    for (col, label) in &h.unknown {
        let letters = CellRef::col_name(*col);
        out.push(
            Diagnostic::new(RuleId::S04)
                .at(&sheet.name, top_left)
                .field(label.clone())
                .value(label.clone())
                .related([CellRef::new(h.bottom, *col)])
                .detail(
                    format!("{letters} 列的表头“{}”不是模板中的列", label.trim()),
                    format!(
                        "column {letters} header \"{}\" is not a template column",
                        label.trim()
                    ),
                ),
        );
    }
}

/// S06 across a workbook's sheets: every sheet names the same unit as the first; `units` are
/// (unit, sheet, cell) in sheet order.
pub fn check_units_agree(units: &[(String, UnitCell)], out: &mut Vec<Diagnostic>) {
    let Some((first_sheet, first)) = units.first() else {
        return;
    };
    let (first, first_at) = (&first.unit, first.at);
    for (sheet, UnitCell { unit: u, at, field }) in &units[1..] {
        if u != first {
            out.push(
                Diagnostic::new(RuleId::S06)
                    .at(sheet, *at)
                    .field(field.clone())
                    .value(u.clone())
                    .related([Related::Elsewhere(format!("{first_sheet}!{first_at}"))])
                    .detail(
                        format!("本工作表的单位是“{u}”，而工作表“{first_sheet}”是“{first}”"),
                        format!("this sheet's unit is {u} but sheet {first_sheet} says {first}"),
                    ),
            );
        }
    }
}

/// Where a sheet names its unit: the unit (as the config names it), the cell and that cell's
/// field label (`县区`, `单位（盖章）`), for S06 between two sheets of a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCell {
    pub unit: String,
    pub at: CellRef,
    pub field: String,
}

/// Checks the fields above the header; returns the unit named there.
pub fn check_fields(
    sheet: &Sheet,
    table: &Table,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<UnitCell> {
    let t = table.template();
    let found = fields::read(sheet, t.fields, table.header.top);
    let get = |field: &Field| found.iter().find(|f| f.label == field.label);
    let at_top =
        crate::grid::CellRef::new(table.header.top.saturating_sub(1), table.header.first_col);
    let mut unit = None;
    for field in t.fields {
        let f = get(field);
        let is_unit = field.role == FieldRole::Unit;
        let is_date = field.role == FieldRole::Date;
        // Placeholders (S07), except the untouched date, which is S09.
        if let Some(f) = f {
            if !is_date && values::is_placeholder(&f.text) {
                out.push(field_diag(RuleId::S07, sheet, f).detail(
                    format!("{}“{}”是模板占位符", f.label, f.text),
                    format!("{} \"{}\" is a placeholder", f.label, f.text),
                ));
                continue;
            }
        }
        if is_unit {
            match f {
                None => out.push(
                    Diagnostic::new(RuleId::S06)
                        .at(&table.sheet, at_top)
                        .field(field.label)
                        .detail("表头上方没有“单位(盖章)”", "no 单位(盖章) above the header"),
                ),
                Some(f) if f.text.is_empty() => out.push(
                    field_diag(RuleId::S06, sheet, f)
                        .detail("未填写填报单位", "the unit is not filled in"),
                ),
                Some(f) => match config.match_unit(&f.text) {
                    Some(u) => {
                        unit = Some(UnitCell {
                            unit: u.name.clone(),
                            at: f.cell,
                            field: f.label.to_string(),
                        })
                    }
                    None => {
                        let why = unknown_unit(&f.text, config);
                        out.push(field_diag(RuleId::S06, sheet, f).detail(why.zh, why.en));
                    }
                },
            }
        }
        if is_date {
            check_fill_date(sheet, table, f, at_top, config, out);
        }
    }
    unit
}

/// S06's detail for `written`, which names no unit of the config: with the unit it probably
/// means (`泽洲县` → 是否应为泽州县？), as A2-06 suggests the stage meant.
pub fn unknown_unit(written: &str, config: &Config) -> Msg {
    let names: Vec<(&str, &str)> = config
        .units
        .iter()
        .flat_map(|u| u.names().map(|n| (n.as_str(), u.name.as_str())))
        .collect();
    let folded = values::normalize_label(written);
    let city = &config.city.name;
    match values::closest(&folded, names.iter().map(|(n, _)| *n)) {
        Some(i) => {
            let meant = names[i].1;
            Msg::new(
                format!("“{written}”不是{city}的报送单位（附件1），是否应为{meant}？"),
                format!(
                    "\"{written}\" is not a unit of {city} (Attachment 1); did you mean {meant}?"
                ),
            )
        }
        None => Msg::new(
            format!("“{written}”不是{city}的报送单位（附件1）"),
            format!("\"{written}\" is not a unit of {city} (Attachment 1)"),
        ),
    }
}

fn field_diag(rule: RuleId, sheet: &Sheet, f: &FieldValue) -> Diagnostic {
    Diagnostic::new(rule)
        .at(&sheet.name, f.cell)
        .field(f.label)
        .value(f.text.clone())
}

fn check_fill_date(
    sheet: &Sheet,
    table: &Table,
    f: Option<&FieldValue>,
    at_top: crate::grid::CellRef,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) {
    let Some(f) = f else {
        out.push(
            Diagnostic::new(RuleId::S09)
                .at(&table.sheet, at_top)
                .field("填报时间")
                .detail("表头上方没有“填报时间”", "no 填报时间 above the header"),
        );
        return;
    };
    let value = f.value();
    let (zh, en) = match values::read_fill_date(&value) {
        Some(FillDate::Full(d)) if d <= config.as_of => return,
        Some(FillDate::Full(d)) => (
            format!("填报时间 {d} 晚于报告日期 {}", config.as_of),
            format!("{d} is after the report date {}", config.as_of),
        ),
        None => (
            "未填写填报时间".to_string(),
            "填报时间 is not filled in".to_string(),
        ),
        Some(FillDate::Untouched) => (
            "填报时间仍是模板的“2024 年 月 日”".to_string(),
            "填报时间 still reads the template's \"2024 年 月 日\"".to_string(),
        ),
        Some(FillDate::Partial) => (
            format!("填报时间“{}”不是完整的年月日", f.text),
            format!("\"{}\" is not a full date", f.text),
        ),
        Some(FillDate::Invalid) => (
            format!("填报时间“{}”无法识别", f.text),
            format!("\"{}\" is not a date", f.text),
        ),
    };
    out.push(field_diag(RuleId::S09, sheet, f).detail(zh, en));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// S06 between sheets names the odd sheet's unit cell by its field label: 县区 when the
    /// odd one out is an 附件2 (p14-two-units-城区 in tests/it/clerk.rs is the other way round).
    #[test]
    fn units_that_disagree_name_the_odd_cells_field() {
        let at = |s: &str| CellRef::parse(s).unwrap();
        let units = [
            (
                "附件3".to_string(),
                UnitCell {
                    unit: "高平市".into(),
                    at: at("A3"),
                    field: "单位(盖章)".into(),
                },
            ),
            (
                "附件2".to_string(),
                UnitCell {
                    unit: "城区".into(),
                    at: at("B7"),
                    field: "县区".into(),
                },
            ),
        ];
        let mut out = Vec::new();
        check_units_agree(&units, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].sheet.as_deref(), Some("附件2"));
        assert_eq!(out[0].cell, Some(at("B7")));
        assert_eq!(out[0].field.as_deref(), Some("县区"));
    }

    #[test]
    fn an_unknown_unit_is_told_the_unit_it_probably_means() {
        let config = Config::jincheng(chrono::NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
        let said = |w: &str| unknown_unit(w, &config).zh;
        assert!(
            said("泽洲县").ends_with("是否应为泽州县？"),
            "{}",
            said("泽洲县")
        );
        assert!(said("泽洲县住建局").ends_with("是否应为泽州县？"));
        assert!(said("高平县").ends_with("是否应为高平市？"));
        // Nothing alike: no guess.
        assert_eq!(said("屯留区"), "“屯留区”不是晋城市的报送单位（附件1）");
        assert_eq!(said("某某县"), "“某某县”不是晋城市的报送单位（附件1）");
    }
}
