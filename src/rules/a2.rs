//! Attachment 2 checks on typed rows: the footnote rules (SPEC 4.3), the consistency warnings
//! (4.4) and the unit column (S06). Cell-level value rules ran while reading (`table`).

use std::collections::HashMap;

use super::finding::OnCell;
use crate::config::Config;
use crate::diag::{Diagnostic, RuleId};
use crate::fields;
use crate::grid::Sheet;
use crate::rules::{structure, totals, wording};
use crate::table::{Datum, Row, RowKind, Table};
use crate::template::a2::Col;
use crate::template::{FieldRole, BLOCK_FIELDS};
use crate::values::{self, Dated, YearMonth, STAGES};

/// Runs every A2 rule over `table`. Returns the unit of the file's project rows when they agree.
pub fn check(
    sheet: &Sheet,
    table: &Table,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<structure::UnitCell> {
    let unit = check_units(sheet, table, config, out);
    for row in table.data_rows() {
        check_row(sheet, table, row, config, out);
    }
    totals::check(sheet, table, out);
    check_duplicates(sheet, table, config, out);
    let t = table.template();
    let field = t.display_label(t.index(Col::Unit));
    match table.data_rows().next() {
        Some(first) => unit.map(|unit| structure::UnitCell {
            unit,
            at: table.cell(first, Col::Unit),
            field,
        }),
        None => unit_of_empty(sheet, table, config, field, out),
    }
}

/// The unit of a 附件2 with no project rows (a unit with nothing overdue sends the template
/// empty): a `单位（盖章）` line above the header (the template has none; clerks add it as on
/// 附件3-5), else the 合计 row's 县区 (`unit_field`; SPEC 3.1: `1 | 泽州县 | …` in a county
/// file). The city, as the template's 合计 row reads, names no unit; a name that is no unit at
/// all is S06, as in the rows.
fn unit_of_empty(
    sheet: &Sheet,
    table: &Table,
    config: &Config,
    unit_field: String,
    out: &mut Vec<Diagnostic>,
) -> Option<structure::UnitCell> {
    let stamped = fields::read(sheet, BLOCK_FIELDS, table.header.top)
        .into_iter()
        .find(|f| f.role == FieldRole::Unit && !f.text.is_empty())
        .map(|f| (f.text, f.cell, f.label.to_string()));
    let total = || {
        let row = table.rows.iter().find(|r| r.kind == RowKind::Total)?;
        let written = table.field(row, Col::Unit).text()?;
        Some((written.to_string(), table.cell(row, Col::Unit), unit_field))
    };
    let (written, at, field) = stamped.or_else(total)?;
    match config.match_unit(&written) {
        // The template's own 合计 | 晋城市 says no unit: the other sheets of the workbook may.
        Some(u) if config.is_city(u) => None,
        Some(u) => Some(structure::UnitCell {
            unit: u.name.clone(),
            at,
            field,
        }),
        None => {
            let why = structure::unknown_unit(&written, config);
            out.push(
                Diagnostic::new(RuleId::S06)
                    .at(&table.sheet, at)
                    .field(field)
                    .value(written)
                    .detail(why.zh, why.en),
            );
            None
        }
    }
}

/// S06 for a workbook whose sheets name no unit, on its 附件2 with no project rows: the template
/// sent untouched, its 合计 row's 县区 reading the city (or left blank), says no unit, so merge
/// cannot tell whose report it is. Called only when no other sheet named the unit (附件3-5 of the
/// one-workbook template may) and no S06 already said why.
pub fn unit_untold(table: &Table) -> Option<Diagnostic> {
    if table.data_rows().next().is_some() {
        return None;
    }
    let total = table.rows.iter().find(|r| r.kind == RowKind::Total)?;
    let t = table.template();
    let d = Diagnostic::new(RuleId::S06)
        .at(&table.sheet, table.cell(total, Col::Unit))
        .field(t.display_label(t.index(Col::Unit)));
    let advice = (
        "请在合计行县区填写本单位，或在标题上方写“单位（盖章）：本单位”",
        "type your unit into that cell, or add the line \"单位（盖章）：\" and your unit above the title",
    );
    Some(match table.field(total, Col::Unit).text() {
        Some(written) => d.value(written).detail(
            format!("没有项目行，合计行县区“{written}”不是报送单位，看不出是哪个单位的报表；{}", advice.0),
            format!(
                "no project rows and the total row's 县区 \"{written}\" is no submitting unit, so whose report this is cannot be told: {}",
                advice.1
            ),
        ),
        None => d.detail(
            format!("没有项目行，合计行县区未填写，看不出是哪个单位的报表；{}", advice.0),
            format!(
                "no project rows and the total row's 县区 is blank, so whose report this is cannot be told: {}",
                advice.1
            ),
        ),
    })
}

/// True for a consolidated workbook (it has 小计 rows, one per unit).
pub fn is_consolidated(table: &Table) -> bool {
    table.rows.iter().any(|r| r.kind == RowKind::Subtotal)
}

/// S06: every project row names a known unit; in a county file all the same one.
fn check_units(
    sheet: &Sheet,
    table: &Table,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let consolidated = is_consolidated(table);
    let mut first: Option<String> = None;
    let mut consistent = true;
    for row in table.data_rows() {
        let Some(written) = table.field(row, Col::Unit).text() else {
            continue;
        };
        let at = table.cell(row, Col::Unit);
        let owner = sheet.merge_at(at.row, at.col).is_none_or(|m| m.first == at);
        match config.match_unit(written) {
            None => {
                if owner {
                    let why = structure::unknown_unit(written, config);
                    out.push(
                        table
                            .diag(sheet, RuleId::S06, row, Col::Unit)
                            .detail(why.zh, why.en),
                    );
                }
            }
            Some(u) => match &first {
                None => first = Some(u.name.clone()),
                Some(f) if *f != u.name && !consolidated => {
                    consistent = false;
                    if owner {
                        out.push(table.diag(sheet, RuleId::S06, row, Col::Unit).detail(
                            format!("本文件是“{f}”的，此行却是“{}”", u.name),
                            format!("this file is {f}'s but the row says {}", u.name),
                        ));
                    }
                }
                Some(_) => {}
            },
        }
    }
    if consolidated {
        return Some(config.city.name.clone());
    }
    if consistent {
        first
    } else {
        None
    }
}

fn check_row(sheet: &Sheet, t: &Table, row: &Row, config: &Config, out: &mut Vec<Diagnostic>) {
    let f = |key: Col| t.field(row, key);
    let count = |key: Col| f(key).count();
    let count0 = |key: Col| f(key).count_or_zero();
    let num = |n: i64| n.to_string();
    let mut push = |rule: RuleId, key: Col, zh: String, en: String, related: &[Col]| {
        out.push(
            t.diag(sheet, rule, row, key)
                .related(related.iter().map(|k| t.cell(row, *k)))
                .detail(zh, en),
        );
    };

    let households = count(Col::Households); // 应安置棚改居民户数
    let started = count(Col::UnitsStarted); // 开工套数
    let built = count(Col::UnitsBuilt); // 建成套数
    let resettled = count(Col::HouseholdsResettled); // 已安置棚改居民户数
    let overdue = count(Col::OverdueHouseholds); // 逾期未交付使用户数

    // A2-01 开工套数 ≥ 应安置户数
    if let (Some(g), Some(h)) = (households, started) {
        if h < g {
            push(
                RuleId::A2_01,
                Col::UnitsStarted,
                format!("开工套数 {} 小于应安置户数 {}", num(h), num(g)),
                format!("units started {h} < households to resettle {g}"),
                &[Col::Households],
            );
        }
    }
    // A2-02 已安置户数 ≤ 建成套数
    if let (Some(j), Some(i)) = (resettled, built) {
        if j > i {
            push(
                RuleId::A2_02,
                Col::HouseholdsResettled,
                format!("已安置户数 {j} 大于建成套数 {i}"),
                format!("households resettled {j} > units built {i}"),
                &[Col::UnitsBuilt],
            );
        }
    }
    // A2-03 逾期未交付户数 = 应安置 − 已安置
    if let (Some(o), Some(g), Some(j)) = (overdue, households, resettled) {
        if o != g - j {
            push(
                RuleId::A2_03,
                Col::OverdueHouseholds,
                format!(
                    "逾期未交付使用户数 {o} ≠ 应安置户数 {g} − 已安置户数 {j} = {}",
                    g - j
                ),
                format!("overdue households {o} ≠ {g} − {j} = {}", g - j),
                &[Col::Households, Col::HouseholdsResettled],
            );
        }
    }
    let owed = count0(Col::OwedHouseholds); // 欠发户数, blank = 0
    let paid = count0(Col::PaidHouseholds);
    if owed == Some(0) {
        // A2-04 不欠发时 已发放户数 = 应安置户数
        if let (Some(r), Some(g)) = (paid, households) {
            if r != g {
                push(RuleId::A2_04, Col::PaidHouseholds, format!("未欠发过渡费，已发放户数 {r} 应等于应安置户数 {g}"), format!("nothing owed, so households paid {r} should equal households to resettle {g}"), &[Col::Households, Col::OwedHouseholds]);
            }
        }
        // A2-05 已发放至 ≥ paid_through_min
        if let Some(m) = f(Col::PaidThrough).month_readings() {
            if m.all(|m| m < config.paid_through_min) {
                push(
                    RuleId::A2_05,
                    Col::PaidThrough,
                    format!("已发放至 {}，应不早于 {}", m.zh(), config.paid_through_min),
                    format!(
                        "paid through {}, must be at least {}",
                        m.en(),
                        config.paid_through_min
                    ),
                    &[Col::OwedHouseholds],
                );
            }
        }
    }
    // A2-07 责任单位
    if let Some(s) = f(Col::ResponsibleUnit).text() {
        if !wording::is_government_body(s) {
            push(
                RuleId::A2_07,
                Col::ResponsibleUnit,
                format!("“{s}”不是政府或主管部门"),
                format!("\"{s}\" is not a government body"),
                &[],
            );
        }
    }
    // A2-08 责任人及电话
    if let Some(s) = f(Col::ResponsiblePerson).text() {
        if !wording::has_person_and_phone(s) {
            let what = if values::has_phone(s) {
                ("缺少姓名", "no name")
            } else {
                ("缺少电话号码", "no phone number")
            };
            push(
                RuleId::A2_08,
                Col::ResponsiblePerson,
                format!("“{s}”{}", what.0),
                format!("\"{s}\": {}", what.1),
                &[],
            );
        }
    }

    // Warnings, SPEC 4.4.
    if let (Some(i), Some(h)) = (built, started) {
        if i > h {
            push(
                RuleId::A2_20,
                Col::UnitsBuilt,
                format!("建成套数 {i} 大于开工套数 {h}"),
                format!("units built {i} > units started {h}"),
                &[Col::UnitsStarted],
            );
        }
    }
    if let (Some(k), Some(h), Some(i)) = (count(Col::UnitsUnderConstruction), started, built) {
        if k != h - i {
            push(
                RuleId::A2_21,
                Col::UnitsUnderConstruction,
                format!("在建套数 {k} ≠ 开工套数 {h} − 建成套数 {i} = {}", h - i),
                format!("under construction {k} ≠ {h} − {i} = {}", h - i),
                &[Col::UnitsStarted, Col::UnitsBuilt],
            );
        }
    }
    // Agreement dates may be given to the month: compared by month then (SPEC 6).
    // An ambiguous month (V05) counts only where both its readings give the finding.
    if let Some(n) = f(Col::AgreedDelivery).dated_readings() {
        if let Some(m) = f(Col::AgreementSigned).dated_readings() {
            if n.all(|n| m.all(|m| n.is_before(m))) {
                push(
                    RuleId::A2_22,
                    Col::AgreedDelivery,
                    format!("约定交付时间 {}早于签订时间 {}", n.zh_spaced(), m.zh()),
                    format!("agreed delivery {} before signing {}", n.en(), m.en()),
                    &[Col::AgreementSigned],
                );
            }
        }
        if overdue.is_some_and(|o| o > 0) && n.all(|n| !n.is_before(Dated::Day(config.as_of))) {
            push(RuleId::A2_22, Col::AgreedDelivery, format!("约定交付时间 {}尚未到期（报告日期 {}），不应计为逾期", n.zh_spaced(), config.as_of), format!("agreed delivery {} is not before the report date {}, so the project is not overdue", n.en(), config.as_of), &[Col::OverdueHouseholds]);
        }
    }
    if let Some(u) = count(Col::OwedHouseholds).filter(|&u| u > 0) {
        let amount = f(Col::OwedAmount).number_or_zero();
        let months = count0(Col::OwedMonths);
        if amount.is_some_and(|a| a < 0.005) || months.is_some_and(|m| m < 1) {
            push(
                RuleId::A2_23,
                Col::OwedAmount,
                format!("欠发户数 {u}，但欠发金额或欠发月数为空"),
                format!("{u} households owed but no amount or months owed"),
                &[Col::OwedHouseholds, Col::OwedMonths],
            );
        }
    }
    if let (Some(r), Some(u), Some(g)) = (paid, owed, households) {
        if r + u > g {
            push(
                RuleId::A2_24,
                Col::OwedHouseholds,
                format!("已发放户数 {r} + 欠发户数 {u} 超过应安置户数 {g}"),
                format!("paid {r} + owed {u} > households {g}"),
                &[Col::PaidHouseholds, Col::Households],
            );
        }
    }
    if let (Some(ad), Some(o)) = (count(Col::PlanOctHouseholds), overdue) {
        if ad > o {
            push(
                RuleId::A2_25,
                Col::PlanOctHouseholds,
                format!(
                    "{}计划交付户数 {ad} 超过逾期未交付户数 {o}",
                    crate::template::a2::deadline_words(config.plan_deadline)
                ),
                format!(
                    "planned deliveries by {} {ad} > overdue households {o}",
                    config.plan_deadline
                ),
                &[Col::OverdueHouseholds],
            );
        }
    }
    let ag = count(Col::DeliveredHouseholds);
    let ah = count(Col::DeliveredUnits);
    if ag.zip(households).is_some_and(|(a, g)| a > g) || ah.zip(built).is_some_and(|(a, i)| a > i) {
        push(
            RuleId::A2_26,
            Col::DeliveredHouseholds,
            format!(
                "已交付使用户数 {} / 套数 {} 超过应安置户数 {} / 建成套数 {}",
                opt(ag),
                opt(ah),
                opt(households),
                opt(built)
            ),
            format!(
                "delivered {} households / {} units exceed {} households / {} units built",
                opt(ag),
                opt(ah),
                opt(households),
                opt(built)
            ),
            &[Col::DeliveredUnits, Col::Households, Col::UnitsBuilt],
        );
    }
    if let (Datum::Stage(s), Some(i)) = (f(Col::Stage), built) {
        let code = STAGES[*s].0;
        if (code == "1" && i > 0) || (matches!(code, "7" | "8" | "9") && i == 0) {
            push(
                RuleId::A2_27,
                Col::Stage,
                format!("形象进度“{}”与建成套数 {i} 矛盾", values::stage_label(*s)),
                format!(
                    "stage \"{}\" contradicts {i} units built",
                    values::stage_label(*s)
                ),
                &[Col::UnitsBuilt],
            );
        }
    }
    if overdue.is_some_and(|o| o > 0) {
        if let Some(ac) = f(Col::PlannedDelivery).month_readings() {
            let now = YearMonth::of(config.as_of);
            if ac.all(|ac| ac < now) {
                push(
                    RuleId::A2_28,
                    Col::PlannedDelivery,
                    format!(
                        "计划交付时间 {}已过（报告月份 {now}），仍有逾期户数",
                        ac.zh_spaced()
                    ),
                    format!(
                        "planned delivery {} is before the report month {now}",
                        ac.en()
                    ),
                    &[Col::OverdueHouseholds],
                );
            }
        }
    }
    match f(Col::ProgressDetail) {
        Datum::Text(s) if !values::names_a_date(s) => {
            push(
                RuleId::A2_29,
                Col::ProgressDetail,
                "未写明阶段性整改时间".to_string(),
                "no date for the rectification stage".to_string(),
                &[],
            );
        }
        Datum::Blank if overdue.is_some_and(|o| o > 0) => {
            push(
                RuleId::A2_29,
                Col::ProgressDetail,
                "仍有逾期户数，但未填写进展及阶段性整改时间".to_string(),
                "households still overdue but no progress note".to_string(),
                &[Col::OverdueHouseholds],
            );
        }
        _ => {}
    }
}

fn opt(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "-".into())
}

/// The unit a project row belongs to, for comparing project names (SPEC 4.3: a name is unique
/// within its unit): the configured unit its 县区 names, else 县区 as written (folded).
pub fn row_unit(t: &Table, row: &Row, config: &Config) -> Option<String> {
    let written = t.field(row, Col::Unit).text()?;
    Some(match config.match_unit(written) {
        Some(u) => u.name.clone(),
        None => values::normalize_label(written),
    })
}

/// A2-10: no two project rows share a 监管编号, nor two rows of one unit a 项目名称 (different
/// units may both have a 城北棚户区改造项目); reported on the later row.
fn check_duplicates(sheet: &Sheet, t: &Table, config: &Config, out: &mut Vec<Diagnostic>) {
    for (key, zh, en) in [
        (Col::SupervisionNo, "监管编号", "supervision number"),
        (Col::ProjectName, "项目名称", "project name"),
    ] {
        let mut seen: HashMap<(Option<String>, String), &Row> = HashMap::new();
        for row in t.data_rows() {
            let Some(s) = t.field(row, key).text() else {
                continue;
            };
            let unit = match key {
                Col::ProjectName => row_unit(t, row, config),
                _ => None,
            };
            let norm = (unit, values::normalize_label(s));
            match seen.get(&norm) {
                Some(earlier) => {
                    let e = t.cell(earlier, key);
                    out.push(t.diag(sheet, RuleId::A2_10, row, key).related([e]).detail(
                        format!("{zh}“{s}”与第 {} 行重复", e.excel_row()),
                        format!("{en} \"{s}\" repeats row {}", e.excel_row()),
                    ));
                }
                None => {
                    seen.insert(norm, row);
                }
            }
        }
    }
}
