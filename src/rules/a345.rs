//! Attachments 3, 4 and 5: the fields above the header (S06, S07, S09) and the rules of
//! SPEC 4.5-4.7 on typed rows.

use crate::config::Config;
use crate::diag::{Diagnostic, RuleId};
use crate::fields::{self, FieldValue};
use crate::grid::{CellRef, Sheet};
use crate::table::{Field, Row, Table};
use crate::template::{a4, TemplateId};
use crate::values::{self, normalize_label, FillDate};

/// Checks the fields above the header; returns the unit named there.
pub fn check_fields(
    sheet: &Sheet,
    table: &Table,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, CellRef)> {
    let t = table.template();
    let found = fields::read(sheet, t.fields, table.header.top);
    let get = |label: &str| {
        found
            .iter()
            .find(|f| normalize_label(f.label) == normalize_label(label))
    };
    let at_top =
        crate::grid::CellRef::new(table.header.top.saturating_sub(1), table.header.first_col);
    let mut unit = None;
    for label in t.fields {
        let f = get(label);
        let is_unit = label.starts_with("单位");
        let is_date = label.starts_with("填报时间");
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
                        .field(*label)
                        .detail("表头上方没有“单位(盖章)”", "no 单位(盖章) above the header"),
                ),
                Some(f) if f.text.is_empty() => out.push(
                    field_diag(RuleId::S06, sheet, f)
                        .detail("未填写填报单位", "the unit is not filled in"),
                ),
                Some(f) => match config.match_unit(&f.text) {
                    Some(u) => unit = Some((u.name.clone(), f.cell)),
                    None => out.push(field_diag(RuleId::S06, sheet, f).detail(
                        format!("“{}”不是附件1所列单位", f.text),
                        format!("\"{}\" is not a unit of Attachment 1", f.text),
                    )),
                },
            }
        }
        if is_date {
            check_fill_date(sheet, table, f, at_top, config, out);
        }
    }
    unit
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
            "填报时间 still reads the template's 2024 年 月 日".to_string(),
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

/// The prepared county names of `config`'s units, shared by every sheet validated with the same
/// units (preparing them costs O(units); a benchmark config has thousands).
fn counties_of(config: &Config) -> std::sync::Arc<values::Counties> {
    use std::sync::{Arc, Mutex};
    type Cache = Option<(Vec<String>, Arc<values::Counties>)>;
    static CACHE: Mutex<Cache> = Mutex::new(None);
    let names: Vec<&str> = config.all_units().map(|u| u.name.as_str()).collect();
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((cached, counties)) = cache.as_ref() {
        if cached.iter().map(String::as_str).eq(names.iter().copied()) {
            return Arc::clone(counties);
        }
    }
    let counties = Arc::new(values::Counties::new(&names));
    *cache = Some((
        names.iter().map(|n| n.to_string()).collect(),
        Arc::clone(&counties),
    ));
    counties
}

/// Attachment 3 rules (SPEC 4.5).
pub fn check_a3(sheet: &Sheet, t: &Table, config: &Config, out: &mut Vec<Diagnostic>) {
    let counties = counties_of(config);
    for row in t.data_rows() {
        let f = |key: &str| t.field(row, key);
        let mut push = |rule: RuleId, key: &str, zh: String, en: String, related: &[&str]| {
            out.push(
                t.diag(sheet, rule, row, key)
                    .related(related.iter().map(|k| t.cell(row, k)))
                    .detail(zh, en),
            );
        };
        if let Some(s) = f("original_home").text() {
            if !counties.address_has_shape(s) {
                push(
                    RuleId::A3_01,
                    "original_home",
                    format!("“{s}”应以县(区)开头并写明街路或小区"),
                    format!("\"{s}\" should start with the county and name a street or estate"),
                    &[],
                );
            }
        }
        let shanty = f("is_shantytown").yes_no();
        let overdue = f("is_overdue").yes_no();
        let result = f("result");
        if let (Some(true), Some(false), Some(s)) = (shanty, overdue, result.text()) {
            if !values::states_not_overdue(s) {
                push(
                    RuleId::A3_03,
                    "result",
                    "未写明签订的回迁安置时间及“不属于逾期未回迁”，或已回迁安置".into(),
                    "does not state the agreed date and 不属于逾期未回迁, or the resettlement"
                        .into(),
                    &["is_shantytown", "is_overdue"],
                );
            }
        }
        if let (Some(false), Some(s)) = (shanty, result.text()) {
            if !values::states_not_shantytown(s) {
                push(
                    RuleId::A3_04,
                    "result",
                    "未写明“不属于棚改征收，属于xx类征收”".into(),
                    "does not state 不属于棚改征收 and the kind of expropriation".into(),
                    &["is_shantytown"],
                );
            }
        }
        if overdue == Some(true) && f("listed").is_blank() {
            push(
                RuleId::A3_05,
                "listed",
                "发生逾期，但未填写填报逾期项目清单时间".into(),
                "overdue but the listing date is blank".into(),
                &["is_overdue"],
            );
        }
        if f("closed").yes_no() == Some(true) && result.is_blank() {
            push(
                RuleId::A3_06,
                "result",
                "已办结，但未填写办理进展或结果".into(),
                "closed but no result".into(),
                &["closed"],
            );
        }
        if let (Some(signed), Some(back)) =
            (f("agreement_signed").date(), f("agreed_return").date())
        {
            if back < signed {
                push(
                    RuleId::A3_07,
                    "agreed_return",
                    format!("协议回迁时间 {back} 早于签订时间 {signed}"),
                    format!("return {back} before signing {signed}"),
                    &["agreement_signed"],
                );
            }
        }
        if let Some(d) = f("received").date() {
            if d > config.as_of {
                push(
                    RuleId::A3_08,
                    "received",
                    format!("受理时间 {d} 晚于报告日期 {}", config.as_of),
                    format!("received {d} after the report date {}", config.as_of),
                    &[],
                );
            }
        }
        if let Some(s) = f("complainant").text() {
            if !values::has_contact(s) {
                push(
                    RuleId::A3_09,
                    "complainant",
                    format!("“{s}”中没有电话或邮箱"),
                    format!("\"{s}\" has no phone or e-mail"),
                    &[],
                );
            }
        }
        if shanty == Some(false) && overdue == Some(true) {
            push(
                RuleId::A3_10,
                "is_overdue",
                "不是棚改征收，却标为发生逾期".into(),
                "not a shantytown case but marked overdue".into(),
                &["is_shantytown"],
            );
        }
    }
}

/// Groups a block template's rows into blocks: a block starts where the first column holds a
/// value of its own (merged regions start there too).
fn blocks<'a>(sheet: &Sheet, t: &'a Table) -> Vec<Vec<&'a Row>> {
    let first_col = t.header.cols[0].unwrap_or(t.header.first_col);
    let mut out: Vec<Vec<&Row>> = Vec::new();
    for row in t.data_rows() {
        let starts = sheet
            .raw(row.row, first_col)
            .is_some_and(|c| !c.value.is_empty())
            && sheet
                .merge_at(row.row, first_col)
                .is_none_or(|m| m.first.row == row.row);
        match out.last_mut() {
            Some(b) if !starts => b.push(row),
            _ => out.push(vec![row]),
        }
    }
    out
}

/// Attachment 4 rules (SPEC 4.6). A4-02 is reported while reading (the count column).
pub fn check_a4(sheet: &Sheet, t: &Table, out: &mut Vec<Diagnostic>) {
    for block in blocks(sheet, t) {
        // A4-01: each section has text after its label.
        for (k, row) in block.iter().enumerate().take(a4::SECTIONS.len()) {
            let Some(text) = t.field(row, "progress").text() else {
                continue;
            };
            let compact = normalize_label(text);
            let label = a4::SECTIONS
                .iter()
                .map(|s| normalize_label(s))
                .find(|l| compact.starts_with(l.as_str()))
                .or_else(|| {
                    // `【建立健全制度机制情况】` without the parenthesised note still counts.
                    let l = normalize_label(a4::SECTIONS[k]);
                    let short = l.split('(').next().unwrap_or(&l).to_string();
                    compact.starts_with(short.as_str()).then_some(short)
                });
            let rest = match &label {
                Some(l) => compact[l.len()..]
                    .trim_matches(|c: char| c == ':' || c == '：' || c == '。')
                    .to_string(),
                None => compact.clone(),
            };
            if rest.is_empty() {
                out.push(t.diag(sheet, RuleId::A4_01, row, "progress").detail(
                    format!("“{}”后没有填写内容", a4::SECTIONS[k]),
                    format!("no text after {}", a4::SECTIONS[k]),
                ));
            }
        }
        // A4-03: typical cases fit 件数.
        let Some(first) = block.first() else { continue };
        let Some(n) = t.field(first, "count").count() else {
            continue;
        };
        let cases = block
            .iter()
            .filter(|r| matches!(t.field(r, "cases"), Field::Text(_)))
            .count() as i64;
        let placeholders = block
            .iter()
            .any(|r| matches!(t.field(r, "cases"), Field::Unreadable));
        if placeholders {
            continue;
        }
        let case_rows: Vec<&&Row> = block
            .iter()
            .filter(|r| matches!(t.field(r, "cases"), Field::Text(_)))
            .collect();
        // Reported on the first 典型事例 cell when there is none, else on the first case beyond 件数.
        let at = if cases > n {
            case_rows.get(n.max(0) as usize).copied()
        } else if n > 0 && cases == 0 {
            Some(first)
        } else {
            None
        };
        if let Some(row) = at {
            out.push(
                t.diag(sheet, RuleId::A4_03, row, "cases")
                    .related([t.cell(first, "count")])
                    .detail(
                        format!("件数 {n}，典型事例 {cases} 条"),
                        format!("件数 {n} but {cases} typical cases"),
                    ),
            );
        }
    }
}

/// Attachment 5 rules (SPEC 4.7), on the first row of each block (merged counts).
pub fn check_a5(sheet: &Sheet, t: &Table, out: &mut Vec<Diagnostic>) {
    for block in blocks(sheet, t) {
        let Some(first) = block.first() else { continue };
        let c = |key: &str| t.field(first, key).count_or_zero();
        let mut push = |rule: RuleId, key: &str, zh: String, en: String, related: &[&str]| {
            out.push(
                t.diag(sheet, rule, first, key)
                    .related(related.iter().map(|k| t.cell(first, k)))
                    .detail(zh, en),
            );
        };
        if let (Some(total), Some(a), Some(b), Some(d)) = (
            c("found_total"),
            c("found_self"),
            c("found_discipline"),
            c("found_other"),
        ) {
            if total != a + b + d {
                push(
                    RuleId::A5_01,
                    "found_total",
                    format!("小计 {total} ≠ {a} + {b} + {d}"),
                    format!("小计 {total} ≠ {a} + {b} + {d}"),
                    &["found_self", "found_discipline", "found_other"],
                );
            }
            if let Some(g) = c("rectified") {
                if g > total {
                    push(
                        RuleId::A5_02,
                        "rectified",
                        format!("完成整改 {g} 大于发现问题数 {total}"),
                        format!("rectified {g} > found {total}"),
                        &["found_total"],
                    );
                }
            }
        }
        for (sub, a, b, zh) in [
            (
                "total_households",
                "returned_households",
                "waiting_households",
                "户数",
            ),
            ("total_people", "returned_people", "waiting_people", "人数"),
        ] {
            if let (Some(s), Some(x), Some(y)) = (c(sub), c(a), c(b)) {
                if s != x + y {
                    push(
                        RuleId::A5_03,
                        sub,
                        format!("小计{zh} {s} ≠ 已回迁 {x} + 未回迁 {y}"),
                        format!("subtotal {s} ≠ {x} + {y}"),
                        &[a, b],
                    );
                }
            }
        }
        for (people, households) in [
            ("total_people", "total_households"),
            ("returned_people", "returned_households"),
            ("waiting_people", "waiting_households"),
        ] {
            if let (Some(p), Some(h)) = (c(people), c(households)) {
                if p < h {
                    push(
                        RuleId::A5_04,
                        people,
                        format!("人数 {p} 少于户数 {h}"),
                        format!("{p} people < {h} households"),
                        &[households],
                    );
                }
            }
        }
        for row in &block {
            let Some(s) = t.field(row, "typical").text() else {
                continue;
            };
            if !typical_is_complete(s) {
                out.push(t.diag(sheet, RuleId::A5_05, row, "typical").detail(
                    "典型问题缺少问题内容或“整改结果”",
                    "the typical problem lacks its text or its 整改结果",
                ));
            }
        }
    }
}

/// `典型问题 1. 某小区… 整改结果: 已交付…`: both parts have text.
fn typical_is_complete(s: &str) -> bool {
    let compact = normalize_label(s);
    let Some(pos) = compact.find("整改结果") else {
        return false;
    };
    let problem = compact[..pos]
        .trim_start_matches("典型问题")
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、' || c == ':');
    let result = compact[pos + "整改结果".len()..].trim_start_matches([':', '：']);
    !problem.is_empty() && !result.is_empty()
}

/// Dispatch for the three templates.
pub fn check(
    sheet: &Sheet,
    t: &Table,
    config: &Config,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, CellRef)> {
    let unit = check_fields(sheet, t, config, out);
    match t.header.template {
        TemplateId::A3 => check_a3(sheet, t, config, out),
        TemplateId::A4 => check_a4(sheet, t, out),
        TemplateId::A5 => check_a5(sheet, t, out),
        TemplateId::A2 => {}
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical_problem_needs_both_parts() {
        assert!(typical_is_complete(
            "典型问题 1. 某小区回迁房逾期交付 整改结果: 已于2024年9月交付"
        ));
        assert!(!typical_is_complete(
            "典型问题 1. 某小区回迁房逾期交付 整改结果:"
        ));
        assert!(!typical_is_complete("典型问题 1.  整改结果: 已交付"));
        assert!(!typical_is_complete("某小区回迁房逾期交付"));
    }
}
