//! Attachment 4 rules on typed rows (SPEC 4.6).

use super::finding::OnCell;
use crate::diag::{Diagnostic, RuleId};
use crate::grid::Sheet;
use crate::table::{Datum, Row, Table};
use crate::template::a4::{self, Col};
use crate::values::normalize_label;

/// Attachment 4 rules (SPEC 4.6). A4-02 is reported while reading (the count column).
pub fn check_a4(sheet: &Sheet, t: &Table, out: &mut Vec<Diagnostic>) {
    for block in t.blocks(sheet) {
        // A4-01: each section has text after its label.
        for (k, row) in block.iter().enumerate().take(a4::SECTIONS.len()) {
            let Some(text) = t.field(row, Col::Progress).text() else {
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
                out.push(t.diag(sheet, RuleId::A4_01, row, Col::Progress).detail(
                    format!("“{}”后没有填写内容", a4::SECTIONS[k]),
                    format!("no text after {}", a4::SECTIONS[k]),
                ));
            }
        }
        // A4-03: typical cases fit 件数.
        let Some(first) = block.first() else { continue };
        let Some(n) = t.field(first, Col::Count).count() else {
            continue;
        };
        let cases = block
            .iter()
            .filter(|r| matches!(t.field(r, Col::Cases), Datum::Text(_)))
            .count() as i64;
        let placeholders = block
            .iter()
            .any(|r| matches!(t.field(r, Col::Cases), Datum::Unreadable));
        if placeholders {
            continue;
        }
        let case_rows: Vec<&&Row> = block
            .iter()
            .filter(|r| matches!(t.field(r, Col::Cases), Datum::Text(_)))
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
                t.diag(sheet, RuleId::A4_03, row, Col::Cases)
                    .related([t.cell(first, Col::Count)])
                    .detail(
                        format!("件数 {n}，典型事例 {cases} 条"),
                        format!("件数 {n} but {cases} typical cases"),
                    ),
            );
        }
    }
}
