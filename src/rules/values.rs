//! Findings on single cells from what reading noticed (SPEC 4.1, 4.2): S05 (formula without a
//! value), S07 (placeholder), S08 (required cell blank), V01-V06, and the kind checks that carry
//! a template's own id: A2-06 (stage), A3-02 (信息来源), A4-02 (件数).

use crate::diag::{Diagnostic, Msg, RuleId};
use crate::grid::{format_number, Sheet};
use crate::rules::totals::{self, Cause, Owed};
use crate::table::{CellNote, Noticed, RowKind, Table};
use crate::template::{Kind, TemplateId};
use crate::values::stage_label;

/// One finding per noted cell, in reading order. A total cell that is wrong only because of a
/// project cell's own mistake is not reported again: the project cell's finding names it in
/// `related` (SPEC 4).
pub fn check(sheet: &Sheet, table: &Table, out: &mut Vec<Diagnostic>) {
    let owed = if table.notes.iter().any(|n| {
        matches!(n.noticed, Noticed::NumberAsText | Noticed::NotItsKind(_))
            && table.rows[n.row].kind == RowKind::Data
    }) {
        totals::owed(sheet, table)
    } else {
        Vec::new()
    };
    for note in &table.notes {
        let negative_total = matches!(note.noticed, Noticed::NotItsKind(_))
            && owed
                .iter()
                .any(|o| o.total == note.at && o.cause == Cause::Negative);
        if negative_total {
            continue;
        }
        if let Some(d) = finding(table, note) {
            out.push(owing(d, owed.iter().filter(|o| o.cells.contains(&note.at))));
        }
    }
}

/// `d`, a project cell's finding, naming the totals its value went wrong into.
fn owing<'a>(mut d: Diagnostic, owed: impl Iterator<Item = &'a Owed>) -> Diagnostic {
    for o in owed {
        d.related.push(o.total.into());
        let (zh, en) = o.named();
        let (zh, en) = match o.cause {
            Cause::Negative => (
                format!("，已计入{zh}"),
                format!("; it is summed into the {en}"),
            ),
            Cause::SkippedText { short } => {
                let short = format_number(short);
                (
                    format!("，Excel 求和跳过了它，{zh} 因本列的文本数字少计 {short}"),
                    format!("; Excel's SUM skips it, so the {en} falls short by {short}, the column's text-stored numbers"),
                )
            }
        };
        d.detail.zh.push_str(&zh);
        d.detail.en.push_str(&en);
    }
    d
}

fn finding(table: &Table, note: &CellNote) -> Option<Diagnostic> {
    let t = table.template();
    let label = t.display_label(note.column);
    let shown = &note.shown;
    let (rule, detail) = match &note.noticed {
        // An .xls shared formula's text is not read (empty): the formula is not quoted.
        Noticed::FormulaWithoutValue(f) if f.is_empty() => (
            RuleId::S05,
            Msg::new("公式没有保存计算结果", "the formula has no stored result"),
        ),
        Noticed::FormulaWithoutValue(f) => {
            return Some(
                diag(table, note, RuleId::S05)
                    .value(format!("={f}"))
                    .detail(
                        format!("公式 ={f} 没有保存计算结果"),
                        format!("formula ={f} has no stored result"),
                    ),
            );
        }
        Noticed::Placeholder(s) => (
            RuleId::S07,
            Msg::new(
                format!("“{s}”是模板占位符"),
                format!("\"{s}\" is a template placeholder"),
            ),
        ),
        // Only a project row must be complete: 合计 and 小计 rows leave text columns blank.
        Noticed::BlankRequired if table.rows[note.row].kind != RowKind::Data => return None,
        Noticed::BlankRequired => (
            RuleId::S08,
            Msg::new(
                format!("“{label}”不能为空"),
                format!("{label} must not be blank"),
            ),
        ),
        Noticed::NumberAsText => (
            RuleId::V04,
            Msg::new("该数字是文本格式", "the number is stored as text"),
        ),
        Noticed::AmbiguousMonth(m) => (
            RuleId::V05,
            Msg::new(
                format!(
                    "{shown} 可能是 {m}，也可能是填写的 {}.10 被 Excel 存成了 {shown}，无法判断，其他规则只报告两种读法都成立的问题",
                    m.year
                ),
                format!(
                    "{shown} may be {m}, or {}.10 as Excel stores it; pgcheck cannot tell, so other rules report only what holds for both months",
                    m.year
                ),
            ),
        ),
        Noticed::NotItsKind(m) => (
            match t.columns[note.column].kind {
                // 件数 of Attachment 4 has its own rule id (SPEC 4.6).
                Kind::Count if t.id == TemplateId::A4 => RuleId::A4_02,
                Kind::Count => RuleId::V01,
                Kind::Amount => RuleId::V02,
                _ => RuleId::V03,
            },
            m.clone(),
        ),
        Noticed::NotAStage(Some(s)) => (
            RuleId::A2_06,
            Msg::new(
                format!(
                    "“{shown}”不是规定的形象进度，是否应为“{}”？",
                    stage_label(*s)
                ),
                format!(
                    "\"{shown}\" is not a stage; did you mean \"{}\"?",
                    stage_label(*s)
                ),
            ),
        ),
        Noticed::NotAStage(None) => (
            RuleId::A2_06,
            Msg::new(
                format!("“{shown}”不是规定的形象进度"),
                format!("\"{shown}\" is not a stage"),
            ),
        ),
        Noticed::NotYesNo => (
            RuleId::V06,
            Msg::new(
                format!("“{shown}”应为“是”或“否”"),
                format!("\"{shown}\" must be \"是\" or \"否\""),
            ),
        ),
        Noticed::NotASource => (
            RuleId::A3_02,
            Msg::new(
                format!("“{shown}”不是规定的信息来源"),
                format!("\"{shown}\" is not one of the four sources"),
            ),
        ),
    };
    Some(diag(table, note, rule).detail(detail.zh, detail.en))
}

fn diag(table: &Table, note: &CellNote, rule: RuleId) -> Diagnostic {
    Diagnostic::new(rule)
        .at(&table.sheet, note.at)
        .field(table.template().display_label(note.column))
        .value(note.shown.clone())
}
