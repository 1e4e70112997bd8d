//! Findings on single cells from what reading noticed (SPEC 4.1, 4.2): S05 (formula without a
//! value), S07 (placeholder), S08 (required cell blank), V01-V06, and the kind checks that carry
//! a template's own id: A2-06 (stage), A3-02 (信息来源), A4-02 (件数).

use crate::diag::{Diagnostic, Msg, RuleId};
use crate::table::{CellNote, Noticed, RowKind, Table};
use crate::template::{Kind, TemplateId};
use crate::values::stage_label;

/// One finding per noted cell, in reading order.
pub fn check(table: &Table, out: &mut Vec<Diagnostic>) {
    out.extend(table.notes.iter().filter_map(|n| finding(table, n)));
}

fn finding(table: &Table, note: &CellNote) -> Option<Diagnostic> {
    let t = table.template();
    let label = t.display_label(note.column);
    let shown = &note.shown;
    let (rule, detail) = match &note.noticed {
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
                format!("{shown} 按 {m} 读取；若是10月请写成 {}-10", m.year),
                format!("{shown} read as {m}; for October write {}-10", m.year),
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
                format!("\"{shown}\" must be 是 or 否"),
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
