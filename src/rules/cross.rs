//! Checks across files (SPEC 4.8): X01 (an overdue A3 case names one of the unit's A2
//! projects), X02 (A5 未回迁安置户数 = the unit's A2 Σ 逾期未交付使用户数), and in a merge X03 (an
//! attachment sent twice for one unit) and A2-10 across files (a project given twice).

use std::collections::{BTreeMap, HashMap};

use super::finding::OnCell;
use crate::config::Config;
use crate::diag::{Diagnostic, Related, RuleId};
use crate::grid::{Sheet, Workbook};
use crate::rules;
use crate::table::{Row, RowKind, Table};
use crate::template::{a2, a3, a5, Key, TemplateId};
use crate::values::normalize_label;

/// A finding on `key`'s cell of `row`. Checks across files may run on slim grids, which keep
/// only the columns the template marks `quoted_across_files`: quoting another is a bug.
fn quote(t: &Table, sheet: &Sheet, rule: RuleId, row: &Row, key: impl Into<Key>) -> Diagnostic {
    let key = key.into();
    debug_assert!(
        t.template().column(key).1.quoted_across_files,
        "{key:?} is quoted across files but not marked so in its template"
    );
    t.diag(sheet, rule, row, key)
}

/// What the checks across files read of one file.
#[derive(Debug, Clone)]
pub struct FileView<'a> {
    /// The file's path as messages show it.
    pub shown: String,
    /// The file's unit, when it names one.
    pub unit: Option<&'a str>,
    pub tables: &'a [Table],
    /// The file's grid (slim or full); `None` when the file did not open or is no longer kept.
    pub grid: Option<&'a Workbook>,
    /// No error so far.
    pub valid: bool,
}

impl FileView<'_> {
    fn sheet(&self, t: &Table) -> Option<&Sheet> {
        self.grid?.sheets.iter().find(|s| s.name == t.sheet)
    }
}

/// X01 and X02 over every unit present in `files`: each finding with the index of the file
/// that holds the cell it concerns.
pub fn check(files: &[FileView], config: &Config) -> Vec<(usize, Diagnostic)> {
    let mut by_unit: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(u) = f.unit {
            by_unit.entry(u).or_default().push(i);
        }
    }
    // Units are independent: check them in parallel, then file the findings in order.
    use rayon::prelude::*;
    by_unit
        .par_iter()
        .flat_map_iter(|(_, idx)| unit_findings(files, idx, config))
        .collect()
}

/// X01 and X02 for the files `idx` of one unit.
fn unit_findings(files: &[FileView], idx: &[usize], config: &Config) -> Vec<(usize, Diagnostic)> {
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
        let (projects, overdue, a2_readable) = a2_facts(&files[source]);
        for t in files[i].tables {
            let Some(sheet) = files[i].sheet(t) else {
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
                                quote(t, sheet, RuleId::X01, r, a3::Col::ResettlementProject)
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
                TemplateId::A5 if a2_readable && !overdue.is_empty() => {
                    let Some(first) = t.data_rows().next() else {
                        continue;
                    };
                    // The city's own workbook sums in its first A5 row only the units that sent
                    // an A5 (SPEC 10): compare with those units' A2 rows, not every unit's.
                    let units = (files[i].unit == Some(config.city.name.as_str()))
                        .then(|| units_in_lead_column(t, sheet, config));
                    let sum: i64 = overdue
                        .iter()
                        .filter(|(unit, _)| {
                            units.as_ref().is_none_or(|units| {
                                config
                                    .match_unit(unit)
                                    .is_some_and(|u| units.contains(&u.name))
                            })
                        })
                        .map(|(_, n)| n)
                        .sum();
                    let Some(m) = t.field(first, a5::Col::WaitingHouseholds).count_or_zero() else {
                        continue;
                    };
                    if m != sum {
                        found.push((
                                i,
                                quote(t, sheet, RuleId::X02, first, a5::Col::WaitingHouseholds).detail(
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

fn has_a2(v: &FileView) -> bool {
    v.tables.iter().any(|t| t.header.template == TemplateId::A2)
}

/// The units a consolidated A5 names in its leading 填报单位 column (the city's own row aside).
fn units_in_lead_column(t: &Table, sheet: &Sheet, config: &Config) -> Vec<String> {
    let Some(lead) = t.header.first_col.checked_sub(1) else {
        return Vec::new();
    };
    t.data_rows()
        .filter_map(|r| config.match_unit(&sheet.get(r.row, lead).display()))
        .filter(|u| u.name != config.city.name)
        .map(|u| u.name.clone())
        .collect()
}

/// One file's A2 project names (normalised), each project row's 县区 (as written) with its
/// 逾期未交付使用户数, and whether every row's count could be read.
fn a2_facts<'a>(v: &FileView<'a>) -> (Vec<String>, Vec<(&'a str, i64)>, bool) {
    let mut projects = Vec::new();
    let mut overdue = Vec::new();
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
                Some(n) => overdue.push((t.field(r, a2::Col::Unit).text().unwrap_or(""), n)),
                None => readable = false,
            }
        }
    }
    (projects, overdue, readable)
}

/// X03: two or more files giving the same attachment for the same unit; none is merged. The
/// finding is told once per unit and attachment, with the first file, naming every file; each
/// other file gets a copy naming only that first file (`repeats`), so the text grows with the
/// number of files, not with its square.
pub fn duplicate_attachments(files: &[FileView]) -> Vec<(usize, Diagnostic)> {
    let mut seen: BTreeMap<(&str, TemplateId), Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        let Some(u) = f.unit else { continue };
        for t in f.tables {
            let e = seen.entry((u, t.header.template)).or_default();
            if !e.contains(&i) {
                e.push(i);
            }
        }
    }
    let mut found = Vec::new();
    for ((unit, t), idx) in seen {
        if idx.len() < 2 {
            continue;
        }
        let sheet_of = |i: usize| {
            files[i]
                .tables
                .iter()
                .find(|s| s.header.template == t)
                .map(|s| s.sheet.as_str())
                .unwrap_or_default()
        };
        let att = t.template().attachment;
        let n = idx.len();
        let first = &files[idx[0]].shown;
        let names: Vec<&str> = idx.iter().map(|&i| files[i].shown.as_str()).collect();
        found.push((
            idx[0],
            Diagnostic::new(RuleId::X03)
                .in_sheet(sheet_of(idx[0]))
                .value(unit)
                .detail(
                    format!("{unit}的{att}收到 {n} 份：{}，均未汇总", names.join("、")),
                    format!(
                        "{unit}'s {att} came {n} times: {}; none merged",
                        names.join(", ")
                    ),
                ),
        ));
        for &i in &idx[1..] {
            let mut copy = Diagnostic::new(RuleId::X03)
                .in_sheet(sheet_of(i))
                .value(unit)
                .related([Related::Elsewhere(format!("{first}!{}", sheet_of(idx[0])))])
                .detail(
                    format!("与 {first} 重复：{unit}的{att}收到 {n} 份，均未汇总"),
                    format!("repeats {first}: {unit}'s {att} came {n} times; none merged"),
                );
            copy.repeats = true;
            found.push((i, copy));
        }
    }
    found
}

/// A2-10 across files: a 监管编号 of a valid file already given by an earlier unit's valid file
/// (units in the config's order), or a 项目名称 already given for the same unit by another file.
/// Different units may both have a 城北棚户区改造项目 (SPEC 4.3).
pub fn duplicate_projects(files: &[FileView], config: &Config) -> Vec<(usize, Diagnostic)> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| {
        (
            files[i].unit.map(|u| config.order(u)).unwrap_or(usize::MAX),
            i,
        )
    });
    // (column, the unit for names, the value) -> (file, sheet!cell)
    type Seen = (a2::Col, Option<String>, String);
    let mut seen: HashMap<Seen, (usize, String)> = HashMap::new();
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    for &i in &order {
        let f = &files[i];
        if !f.valid {
            continue;
        }
        for t in f
            .tables
            .iter()
            .filter(|t| t.header.template == TemplateId::A2)
        {
            let Some(sheet) = f.sheet(t) else {
                continue;
            };
            for r in t.rows.iter().filter(|r| r.kind == RowKind::Data) {
                for key in [a2::Col::SupervisionNo, a2::Col::ProjectName] {
                    let Some(v) = t.field(r, key).text() else {
                        continue;
                    };
                    let unit = match key {
                        a2::Col::ProjectName => {
                            rules::a2::row_unit(t, r, config).or(f.unit.map(str::to_string))
                        }
                        _ => None,
                    };
                    let k = (key, unit, normalize_label(v));
                    match seen.get(&k) {
                        Some((j, where_)) if *j != i => {
                            let other = &files[*j].shown;
                            found.push((
                                i,
                                quote(t, sheet, RuleId::A2_10, r, key)
                                    .related([Related::Elsewhere(format!("{other}!{where_}"))])
                                    .detail(
                                        format!("“{v}”已在 {other} 的 {where_} 出现"),
                                        format!("\"{v}\" already appears in {other} at {where_}"),
                                    ),
                            ));
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(k, (i, format!("{}!{}", t.sheet, t.cell(r, key))));
                        }
                    }
                }
            }
        }
    }
    found
}
