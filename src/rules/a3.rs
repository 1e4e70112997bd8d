//! Attachment 3 rules on typed rows (SPEC 4.5).

use super::finding::OnCell;
use crate::config::Config;
use crate::diag::{Diagnostic, RuleId};
use crate::grid::Sheet;
use crate::rules::wording;
use crate::table::Table;
use crate::template::a3::Col;
use crate::values;

/// Attachment 3 rules (SPEC 4.5).
pub fn check_a3(sheet: &Sheet, t: &Table, config: &Config, out: &mut Vec<Diagnostic>) {
    let counties = config.counties();
    for row in t.data_rows() {
        let f = |key: Col| t.field(row, key);
        let mut push = |rule: RuleId, key: Col, zh: String, en: String, related: &[Col]| {
            out.push(
                t.diag(sheet, rule, row, key)
                    .related(related.iter().map(|k| t.cell(row, *k)))
                    .detail(zh, en),
            );
        };
        if let Some(s) = f(Col::OriginalHome).text() {
            if !wording::address_has_shape(s, counties) {
                push(
                    RuleId::A3_01,
                    Col::OriginalHome,
                    format!("“{s}”应以县(区)开头并写明街路或小区"),
                    format!("\"{s}\" should start with the county and name a street or estate"),
                    &[],
                );
            }
        }
        let shanty = f(Col::IsShantytown).yes_no();
        let overdue = f(Col::IsOverdue).yes_no();
        let result = f(Col::Result);
        if let (Some(true), Some(false), Some(s)) = (shanty, overdue, result.text()) {
            if !wording::states_not_overdue(s) {
                push(
                    RuleId::A3_03,
                    Col::Result,
                    "未写明签订的回迁安置时间及“不属于逾期未回迁”，或已回迁安置".into(),
                    "does not state the agreed date and \"不属于逾期未回迁\", or the resettlement"
                        .into(),
                    &[Col::IsShantytown, Col::IsOverdue],
                );
            }
        }
        if let (Some(false), Some(s)) = (shanty, result.text()) {
            if !wording::states_not_shantytown(s) {
                push(
                    RuleId::A3_04,
                    Col::Result,
                    "未写明“不属于棚改征收，属于xx类征收”".into(),
                    "does not state \"不属于棚改征收\" and the kind of expropriation".into(),
                    &[Col::IsShantytown],
                );
            }
        }
        if overdue == Some(true) && f(Col::Listed).is_blank() {
            push(
                RuleId::A3_05,
                Col::Listed,
                "发生逾期，但未填写填报逾期项目清单时间".into(),
                "overdue but the listing date is blank".into(),
                &[Col::IsOverdue],
            );
        }
        if f(Col::Closed).yes_no() == Some(true) && result.is_blank() {
            push(
                RuleId::A3_06,
                Col::Result,
                "已办结，但未填写办理进展或结果".into(),
                "closed but no result".into(),
                &[Col::Closed],
            );
        }
        if let (Some(signed), Some(back)) = (
            f(Col::AgreementSigned).dated_readings(),
            f(Col::AgreedReturn).dated_readings(),
        ) {
            // An ambiguous month (V05) counts only where both its readings are early.
            if back.all(|b| signed.all(|s| b.is_before(s))) {
                push(
                    RuleId::A3_07,
                    Col::AgreedReturn,
                    format!(
                        "协议回迁时间 {}早于签订时间 {}",
                        back.zh_spaced(),
                        signed.zh()
                    ),
                    format!("return {} before signing {}", back.en(), signed.en()),
                    &[Col::AgreementSigned],
                );
            }
        }
        if let Some(d) = f(Col::Received).date() {
            if d > config.as_of {
                push(
                    RuleId::A3_08,
                    Col::Received,
                    format!("受理时间 {d} 晚于报告日期 {}", config.as_of),
                    format!("received {d} after the report date {}", config.as_of),
                    &[],
                );
            }
        }
        if let Some(s) = f(Col::Complainant).text() {
            if !values::has_contact(s) {
                push(
                    RuleId::A3_09,
                    Col::Complainant,
                    format!("“{s}”中没有电话或邮箱"),
                    format!("\"{s}\" has no phone or e-mail"),
                    &[],
                );
            }
        }
        if shanty == Some(false) && overdue == Some(true) {
            push(
                RuleId::A3_10,
                Col::IsOverdue,
                "不是棚改征收，却标为发生逾期".into(),
                "not a shantytown case but marked overdue".into(),
                &[Col::IsShantytown],
            );
        }
    }
}
