//! Checks across one unit's attachments (SPEC 4.8): X01 (an overdue A3 case names one of the
//! unit's A2 projects) and X02 (A5 未回迁安置户数 = the unit's A2 Σ 逾期未交付使用户数).

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, RuleId, Severity};
use crate::table::RowKind;
use crate::template::{a2, a3, a5, Key, TemplateId};
use crate::validate::{Status, Validated};
use crate::values::normalize_label;

/// The columns whose cells checks across files quote in their diagnostics: X01 and X02 here,
/// A2-10 across files in `merge`. `validate::Options::slim` keeps these cells of each grid.
pub const QUOTED_KEYS: &[Key] = &[
    Key::A3(a3::Col::ResettlementProject),
    Key::A5(a5::Col::WaitingHouseholds),
    Key::A2(a2::Col::SupervisionNo),
    Key::A2(a2::Col::ProjectName),
];

/// Runs X01 and X02 over every unit present in `files`, adding each finding to the file that
/// holds the cell it concerns.
pub fn check(files: &mut [Validated]) {
    let mut by_unit: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(u) = &f.report.unit {
            by_unit.entry(u.clone()).or_default().push(i);
        }
    }
    // Units are independent: check them in parallel, then file the findings in order.
    use rayon::prelude::*;
    let files_ro: &[Validated] = files;
    let found: Vec<(usize, Diagnostic)> = by_unit
        .par_iter()
        .flat_map_iter(|(_, idx)| unit_findings(files_ro, idx))
        .collect();
    let mut touched: Vec<usize> = Vec::new();
    for (i, d) in found {
        files[i].report.diagnostics.push(d);
        touched.push(i);
    }
    touched.sort_unstable();
    touched.dedup();
    for i in touched {
        let r = &mut files[i].report;
        r.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        if r.diagnostics.iter().any(|d| d.severity == Severity::Error) && r.status == Status::Valid
        {
            r.status = Status::Invalid;
        }
    }
}

/// X01 and X02 for the files `idx` of one unit.
fn unit_findings(files: &[Validated], idx: &[usize]) -> Vec<(usize, Diagnostic)> {
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    // The files of this unit that give an Attachment 2.
    let with_a2: Vec<usize> = idx.iter().copied().filter(|&i| has_a2(&files[i])).collect();
    for &i in idx {
        // The A2 that this file's A3/A5 answer to: its own, else the unit's only other one.
        // Several A2 files for one unit (copies, resends) make the comparison meaningless.
        let source = if with_a2.contains(&i) {
            Some(i)
        } else if with_a2.len() == 1 {
            Some(with_a2[0])
        } else {
            None
        };
        let Some(source) = source else { continue };
        let (projects, overdue_sum, a2_readable) = a2_facts(&files[source]);
        let Some(wb) = files[i].workbook.as_ref() else {
            continue;
        };
        for t in &files[i].tables {
            let Some(sheet) = wb.sheets.iter().find(|s| s.name == t.sheet) else {
                continue;
            };
            match t.header.template {
                TemplateId::A3 if !projects.is_empty() => {
                    for r in t.data_rows() {
                        if t.field(r, a3::Col::IsOverdue).yes_no() != Some(true) {
                            continue;
                        }
                        let Some(name) = t.field(r, a3::Col::ResettlementProject).text() else {
                            continue;
                        };
                        let n = normalize_label(name);
                        // Exact names first (most rows), then one containing the other.
                        let named = projects.contains(&n)
                            || projects
                                .iter()
                                .any(|p| p.contains(&n) || n.contains(p.as_str()));
                        if !named {
                            found.push((
                                i,
                                t.diag(sheet, RuleId::X01, r, a3::Col::ResettlementProject)
                                    .detail(
                                        format!("“{name}”不在本单位附件2的项目中"),
                                        format!(
                                        "\"{name}\" is not a project of the unit's Attachment 2"
                                    ),
                                    ),
                            ));
                        }
                    }
                }
                TemplateId::A5 if a2_readable => {
                    let Some(sum) = overdue_sum else { continue };
                    let Some(first) = t.data_rows().next() else {
                        continue;
                    };
                    let Some(m) = t.field(first, a5::Col::WaitingHouseholds).count_or_zero() else {
                        continue;
                    };
                    if m != sum {
                        found.push((
                                i,
                                t.diag(sheet, RuleId::X02, first, a5::Col::WaitingHouseholds).detail(
                                    format!("未回迁安置户数 {m}，附件2 逾期未交付使用户数合计 {sum}"),
                                    format!("{m} households waiting, but Attachment 2's overdue households sum to {sum}"),
                                ),
                            ));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn has_a2(v: &Validated) -> bool {
    v.tables.iter().any(|t| t.header.template == TemplateId::A2)
}

/// One file's A2 project names (normalised), Σ 逾期未交付使用户数, and whether every row's
/// count could be read.
fn a2_facts(v: &Validated) -> (Vec<String>, Option<i64>, bool) {
    let mut projects = Vec::new();
    let mut overdue_sum: Option<i64> = None;
    let mut readable = true;
    for t in v
        .tables
        .iter()
        .filter(|t| t.header.template == TemplateId::A2)
    {
        for r in t.rows.iter().filter(|r| r.kind == RowKind::Data) {
            if let Some(n) = t.field(r, a2::Col::ProjectName).text() {
                projects.push(normalize_label(n));
            }
            match t.field(r, a2::Col::OverdueHouseholds).count_or_zero() {
                Some(n) => *overdue_sum.get_or_insert(0) += n,
                None => readable = false,
            }
        }
    }
    (projects, overdue_sum, readable)
}
