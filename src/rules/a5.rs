//! Attachment 5 rules on typed rows (SPEC 4.7).

use super::finding::OnCell;
use crate::diag::{Diagnostic, RuleId};
use crate::grid::Sheet;
use crate::table::Table;
use crate::template::a5::Col;
use crate::values::normalize_label;

/// Attachment 5 rules (SPEC 4.7), on the first row of each block (merged counts).
pub fn check_a5(sheet: &Sheet, t: &Table, out: &mut Vec<Diagnostic>) {
    for block in t.blocks(sheet) {
        let Some(first) = block.first() else { continue };
        let c = |key: Col| t.field(first, key).count_or_zero();
        let mut push = |rule: RuleId, key: Col, zh: String, en: String, related: &[Col]| {
            out.push(
                t.diag(sheet, rule, first, key)
                    .related(related.iter().map(|k| t.cell(first, *k)))
                    .detail(zh, en),
            );
        };
        if let (Some(total), Some(a), Some(b), Some(d)) = (
            c(Col::FoundTotal),
            c(Col::FoundSelf),
            c(Col::FoundDiscipline),
            c(Col::FoundOther),
        ) {
            if total != a + b + d {
                push(
                    RuleId::A5_01,
                    Col::FoundTotal,
                    format!("小计 {total} ≠ {a} + {b} + {d}"),
                    format!("小计 {total} ≠ {a} + {b} + {d}"),
                    &[Col::FoundSelf, Col::FoundDiscipline, Col::FoundOther],
                );
            }
            if let Some(g) = c(Col::Rectified) {
                if g > total {
                    push(
                        RuleId::A5_02,
                        Col::Rectified,
                        format!("完成整改 {g} 大于发现问题数 {total}"),
                        format!("rectified {g} > found {total}"),
                        &[Col::FoundTotal],
                    );
                }
            }
        }
        for (sub, a, b, zh) in [
            (
                Col::TotalHouseholds,
                Col::ReturnedHouseholds,
                Col::WaitingHouseholds,
                "户数",
            ),
            (
                Col::TotalPeople,
                Col::ReturnedPeople,
                Col::WaitingPeople,
                "人数",
            ),
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
            (Col::TotalPeople, Col::TotalHouseholds),
            (Col::ReturnedPeople, Col::ReturnedHouseholds),
            (Col::WaitingPeople, Col::WaitingHouseholds),
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
            let Some(s) = t.field(row, Col::Typical).text() else {
                continue;
            };
            if !typical_is_complete(s) {
                out.push(t.diag(sheet, RuleId::A5_05, row, Col::Typical).detail(
                    "典型问题缺少问题内容或“整改结果”",
                    "the typical problem lacks its text or its \"整改结果\"",
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
