//! Comparing two weeks (SPEC 11.1): projects matched by 监管编号 (else unit + 项目名称), A3 cases
//! by complainant + 受理和收到时间; H01-H05 findings on NEW's cells with OLD's cell in `related`;
//! and per unit what moved.

use crate::template::a2::Col as A2;
use crate::template::a3::Col as A3;
use crate::template::Key;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::NaiveDate;

use super::week::{Record, Week};
use crate::diag::{Diagnostic, Msg, Related};
use crate::rules::RuleId;
use crate::table::Datum;
use crate::template::TemplateId;
use crate::values::{normalize_label, stage_label};

/// A2 running totals that never go down (H02).
const RUNNING: &[A2] = &[
    A2::UnitsStarted,
    A2::UnitsBuilt,
    A2::HouseholdsResettled,
    A2::PaidHouseholds,
    A2::PaidAmount,
    A2::PaidThrough,
    A2::DeliveredHouseholds,
    A2::DeliveredUnits,
];

/// A2 facts that do not move (H04); 监管编号 is checked where the project matched by name.
const FIXED: &[A2] = &[
    A2::PlanYear,
    A2::StartMonth,
    A2::Households,
    A2::AgreementSigned,
    A2::AgreedDelivery,
];

/// The four A2 measures of 本周变化 and the one-line summary: the column, its label (the
/// sheets' words, and the JSON keys) and its English name.
pub const MEASURES: [(A2, &str, &str); 4] = [
    (
        A2::HouseholdsResettled,
        "已安置棚改居民户数",
        "households resettled",
    ),
    (
        A2::DeliveredHouseholds,
        "已交付使用户数",
        "households delivered",
    ),
    (
        A2::OverdueHouseholds,
        "逾期未交付使用户数",
        "households overdue",
    ),
    (
        A2::OwedHouseholds,
        "欠发过渡安置费户数",
        "households owed allowance",
    ),
];

/// One unit's week over week.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitChange {
    pub unit: String,
    /// The unit's 附件2 rows are in this week (merged, or partly merged with 附件2 in).
    pub merged_new: bool,
    /// The same of last week.
    pub merged_old: bool,
    /// For each of `MEASURES`: (this week, last week) sums over the unit's projects.
    pub measures: [(i64, i64); 4],
    /// For each of `MEASURES`: the change over the projects reported both weeks. A project
    /// reported one week only moves a sum but is no progress: it is `gone` or `added` instead.
    pub change: [i64; 4],
    /// Projects reported last week and not this week: how many, and their last week's figures.
    pub gone: (usize, [i64; 4]),
    /// Projects reported this week and not last week: how many, and their figures.
    pub added: (usize, [i64; 4]),
    /// A3 cases this week that were not there last week (0 unless `cases_compared`).
    pub cases_new: usize,
    /// Both weeks have the unit's 附件3: the A3 counts compare.
    pub cases_compared: bool,
    /// A3 cases closed this week that were not closed last week.
    pub cases_closed: usize,
    pub stages_advanced: usize,
}

impl UnitChange {
    /// Both weeks have the unit's rows: the figures compare.
    pub fn comparable(&self) -> bool {
        self.merged_new && self.merged_old
    }

    /// What the change leaves aside, when a project was reported one week only:
    /// `上周在报、本周未报 1 个项目（逾期未交付使用 248 户），不计入变化`.
    pub fn aside(&self, lang: crate::diag::Lang) -> Option<String> {
        use crate::diag::Lang;
        let parts: Vec<String> = [(&self.gone, true), (&self.added, false)]
            .into_iter()
            .filter(|((n, _), _)| *n > 0)
            .map(|((n, f), gone)| {
                // 逾期未交付使用户数, the measure 约谈 is about.
                let overdue = f[2];
                match (lang, gone) {
                    (Lang::Zh, true) => {
                        format!("上周在报、本周未报 {n} 个项目（逾期未交付使用 {overdue} 户）")
                    }
                    (Lang::Zh, false) => {
                        format!("本周新报 {n} 个项目（逾期未交付使用 {overdue} 户）")
                    }
                    (Lang::En, true) => format!(
                        "{n} project(s) reported last week, not this week ({overdue} overdue households)"
                    ),
                    (Lang::En, false) => {
                        format!("{n} project(s) new this week ({overdue} overdue households)")
                    }
                }
            })
            .collect();
        (!parts.is_empty()).then(|| match lang {
            Lang::Zh => format!("{}，不计入变化", parts.join("，")),
            Lang::En => format!("{}: not counted as change", parts.join("; ")),
        })
    }
}

/// A project whose stage or measures changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectChange {
    pub unit: String,
    pub name: String,
    pub supervision_no: String,
    /// Stage labels last week and this week (empty when not given).
    pub stage: (String, String),
    /// For each of `MEASURES`: (this week, last week).
    pub measures: [(i64, i64); 4],
}

/// The result of comparing OLD with NEW.
#[derive(Debug, Clone)]
pub struct Diff {
    pub old_date: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
    /// H findings, each with the NEW file it is reported in.
    pub findings: Vec<(PathBuf, Diagnostic)>,
    pub units: Vec<UnitChange>,
    pub projects: Vec<ProjectChange>,
}

impl Diff {
    /// The units merged in one of the two weeks only, said once: the city's sums of the two
    /// weeks then differ by their figures, which is not progress.
    pub fn city_note(&self) -> Option<Msg> {
        let names = |f: fn(&UnitChange) -> bool| -> Vec<&str> {
            self.units
                .iter()
                .filter(|u| f(u))
                .map(|u| u.unit.as_str())
                .collect()
        };
        one_week_only(
            &names(|u| u.merged_new && !u.merged_old),
            &names(|u| u.merged_old && !u.merged_new),
        )
    }
}

/// `高平市 仅本周汇总，陵川县 仅上周汇总：…`, or `None` when every unit is in both weeks or in
/// neither.
pub fn one_week_only(this_week: &[&str], last_week: &[&str]) -> Option<Msg> {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if !this_week.is_empty() {
        zh.push(format!("{} 仅本周汇总", this_week.join("、")));
        en.push(format!("{} merged this week only", this_week.join(", ")));
    }
    if !last_week.is_empty() {
        zh.push(format!("{} 仅上周汇总", last_week.join("、")));
        en.push(format!("{} merged last week only", last_week.join(", ")));
    }
    (!zh.is_empty()).then(|| {
        Msg::new(
            format!("{}：两周的全市合计之差含其数字，不是进展", zh.join("，")),
            format!(
                "{}: the difference of the two weeks' city totals includes their figures and is not progress",
                en.join("; ")
            ),
        )
    })
}

fn key(s: &str) -> String {
    normalize_label(s)
}

/// A3 cases are the same case when complainant and 受理和收到时间 agree.
fn case_key(c: &Record) -> (String, Option<NaiveDate>) {
    (key(c.text(A3::Complainant)), c.get(A3::Received).date())
}

/// Compares `old` with `new`.
pub fn diff(old: &Week, new: &Week) -> Diff {
    let mut findings = Vec::new();
    let mut by_no: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<(String, String), usize> = HashMap::new();
    for (i, p) in old.projects.iter().enumerate() {
        let no = key(p.text(A2::SupervisionNo));
        if !no.is_empty() {
            by_no.entry(no).or_insert(i);
        }
        by_name
            .entry((p.unit.clone(), key(p.text(A2::ProjectName))))
            .or_insert(i);
    }
    let mut matched = vec![false; old.projects.len()];
    let mut new_matched = vec![false; new.projects.len()];
    let mut pairs: Vec<(&Record, &Record)> = Vec::new();
    for (j, n) in new.projects.iter().enumerate() {
        let no = key(n.text(A2::SupervisionNo));
        let by_number = (!no.is_empty()).then(|| by_no.get(&no)).flatten();
        let found = by_number
            .or_else(|| by_name.get(&(n.unit.clone(), key(n.text(A2::ProjectName)))))
            .copied()
            .filter(|&i| !matched[i]);
        if let Some(i) = found {
            matched[i] = true;
            new_matched[j] = true;
            pairs.push((&old.projects[i], n));
        }
    }
    for (o, n) in &pairs {
        compare_projects(o, n, &mut findings);
    }
    // H03: a project gone although its unit is merged in both weeks.
    for (o, _) in old.projects.iter().zip(&matched).filter(|(o, m)| {
        !**m && old.has(&o.unit, TemplateId::A2) && new.has(&o.unit, TemplateId::A2)
    }) {
        let (file, sheet) = new.sheet_of(&o.unit, TemplateId::A2);
        let name = o.text(A2::ProjectName);
        let no = o.text(A2::SupervisionNo);
        findings.push((
            file,
            Diagnostic::new(RuleId::H03)
                .in_sheet(&sheet)
                .field("项目名称")
                .value(name)
                .related([Related::Elsewhere(o.place(A2::ProjectName))])
                .detail(
                    format!("{}的“{name}”（监管编号 {no}）上周在报，本周没有", o.unit),
                    format!(
                        "{}'s \"{name}\" (监管编号 {no}) was reported last week, not this week",
                        o.unit
                    ),
                ),
        ));
    }
    // H05 and the A3 counts.
    let old_cases: HashMap<_, &Record> = old.cases.iter().map(|c| (case_key(c), c)).collect();
    let new_keys: HashSet<_> = new.cases.iter().map(case_key).collect();
    for o in old
        .cases
        .iter()
        .filter(|c| c.get(A3::Closed).yes_no() == Some(true))
    {
        if !new.has(&o.unit, TemplateId::A3) {
            continue;
        }
        let k = case_key(o);
        let who = o.text(A3::Complainant);
        if let Some(n) = new.cases.iter().find(|n| case_key(n) == k) {
            if n.get(A3::Closed).yes_no() == Some(false) {
                findings.push((
                    n.file.clone(),
                    h_on(n, RuleId::H05, A3::Closed, o).detail(
                        format!("{who} 的问题上周已办结，本周是否办结为“否”"),
                        format!("the case of \"{who}\" was closed last week and is open this week"),
                    ),
                ));
            }
        } else if !new_keys.contains(&k) {
            let (file, sheet) = new.sheet_of(&o.unit, TemplateId::A3);
            findings.push((
                file,
                Diagnostic::new(RuleId::H05)
                    .in_sheet(&sheet)
                    .field("投诉/举报人及联系方式")
                    .value(who)
                    .related([Related::Elsewhere(o.place(A3::Closed))])
                    .detail(
                        format!("{}：{who} 的问题上周已办结，本周台账中没有", o.unit),
                        format!(
                            "{}: the case of \"{who}\" was closed last week and is missing this week",
                            o.unit
                        ),
                    ),
            ));
        }
    }
    let gone: Vec<&Record> = unmatched(&old.projects, &matched);
    let added: Vec<&Record> = unmatched(&new.projects, &new_matched);
    let units = unit_changes(old, new, &pairs, (&gone, &added), &old_cases);
    let projects = pairs
        .iter()
        .filter_map(|(o, n)| project_change(o, n))
        .collect();
    Diff {
        old_date: old.date,
        new_date: new.date,
        findings,
        units,
        projects,
    }
}

/// A finding of `rule` on NEW's cell of `key`, OLD's cell in `related`.
fn h_on(n: &Record, rule: RuleId, key: impl Into<Key>, o: &Record) -> Diagnostic {
    let key: Key = key.into();
    let t = n.template.template();
    Diagnostic::new(rule)
        .at(&n.sheet, n.cell(key))
        .field(t.display_label(t.index(key)))
        .value(show(n.get(key)))
        .related([Related::Elsewhere(o.place(key))])
}

/// A field as a person reads it.
fn show(f: &Datum) -> String {
    match f {
        Datum::Blank | Datum::Unreadable => String::new(),
        Datum::Text(s) => s.clone(),
        Datum::Count(n) => n.to_string(),
        Datum::Amount(a) => crate::grid::format_number(*a),
        Datum::Date(d) => d.to_string(),
        Datum::Month(m) => m.to_string(),
        Datum::AmbiguousMonth(m) => m.typed(),
        Datum::Year(y) => y.to_string(),
        Datum::Stage(i) => stage_label(*i),
        Datum::YesNo(b) => if *b { "是" } else { "否" }.to_string(),
        Datum::Source(i) => crate::values::SOURCES
            .get(*i)
            .map(|s| s.to_string())
            .unwrap_or_default(),
    }
}

/// `Some(ordering)` of two readable values of one column.
fn order(a: &Datum, b: &Datum) -> Option<std::cmp::Ordering> {
    use Datum::*;
    match (a, b) {
        (Count(x), Count(y)) => Some(x.cmp(y)),
        (Stage(x), Stage(y)) => Some(x.cmp(y)),
        (Year(x), Year(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Amount(_) | Count(_), Amount(_) | Count(_)) => {
            let (x, y) = (a.number_or_zero()?, b.number_or_zero()?);
            if (x - y).abs() < 0.005 {
                Some(std::cmp::Ordering::Equal)
            } else {
                x.partial_cmp(&y)
            }
        }
        _ => Some(a.month()?.cmp(&b.month()?)),
    }
}

/// Whether a fact that does not move (H04) changed from `a` last week to `b` this week: not
/// when either is blank or unreadable, and for an ambiguous month (V05) only if no reading of it
/// matches the other week's month.
fn fixed_changed(a: &Datum, b: &Datum) -> bool {
    match (a, b) {
        (Datum::Unreadable, _) | (_, Datum::Unreadable) => false,
        (Datum::Blank, _) | (_, Datum::Blank) => false,
        // An ambiguous month (V05) changed only if no reading matches the other week's.
        (Datum::AmbiguousMonth(_), _) | (_, Datum::AmbiguousMonth(_)) => {
            match (a.month_readings(), b.month_readings()) {
                (Some(x), Some(y)) => x.all(|x| y.all(|y| x != y)),
                _ => false,
            }
        }
        (Datum::Text(x), Datum::Text(y)) => key(x) != key(y),
        _ => order(a, b).map_or(a != b, |o| o != std::cmp::Ordering::Equal),
    }
}

fn compare_projects(o: &Record, n: &Record, out: &mut Vec<(PathBuf, Diagnostic)>) {
    let name = n.text(A2::ProjectName).to_string();
    if order(n.get(A2::Stage), o.get(A2::Stage)) == Some(std::cmp::Ordering::Less) {
        let (was, is) = (show(o.get(A2::Stage)), show(n.get(A2::Stage)));
        out.push((
            n.file.clone(),
            h_on(n, RuleId::H01, A2::Stage, o).detail(
                format!("“{name}”上周“{was}”，本周“{is}”"),
                format!("\"{name}\": last week \"{was}\", this week \"{is}\""),
            ),
        ));
    }
    for &k in RUNNING {
        if order(n.get(k), o.get(k)) == Some(std::cmp::Ordering::Less) {
            let (was, is) = (show(o.get(k)), show(n.get(k)));
            out.push((
                n.file.clone(),
                h_on(n, RuleId::H02, k, o).detail(
                    format!("“{name}”上周 {was}，本周 {is}"),
                    format!("\"{name}\": last week {was}, this week {is}"),
                ),
            ));
        }
    }
    let same_name = key(o.text(A2::ProjectName)) == key(&name) && o.unit == n.unit;
    let no_changed = key(o.text(A2::SupervisionNo)) != key(n.text(A2::SupervisionNo));
    let fixed = FIXED
        .iter()
        .copied()
        .chain((same_name && no_changed).then_some(A2::SupervisionNo));
    for k in fixed {
        let (a, b) = (o.get(k), n.get(k));
        let differs = fixed_changed(a, b);
        if differs {
            let (was, is) = (show(a), show(b));
            out.push((
                n.file.clone(),
                h_on(n, RuleId::H04, k, o).detail(
                    format!("“{name}”上周 {was}，本周 {is}"),
                    format!("\"{name}\": last week \"{was}\", this week \"{is}\""),
                ),
            ));
        }
    }
}

fn measures(p: &Record) -> [i64; 4] {
    MEASURES.map(|(k, _, _)| p.count(k))
}

fn project_change(o: &Record, n: &Record) -> Option<ProjectChange> {
    let (a, b) = (measures(o), measures(n));
    let stage = (show(o.get(A2::Stage)), show(n.get(A2::Stage)));
    if a == b && stage.0 == stage.1 {
        return None;
    }
    Some(ProjectChange {
        unit: n.unit.clone(),
        name: n.text(A2::ProjectName).to_string(),
        supervision_no: n.text(A2::SupervisionNo).to_string(),
        stage,
        measures: [0, 1, 2, 3].map(|i| (b[i], a[i])),
    })
}

/// The records not marked in `matched`.
fn unmatched<'a>(records: &'a [Record], matched: &[bool]) -> Vec<&'a Record> {
    records
        .iter()
        .zip(matched)
        .filter(|(_, m)| !**m)
        .map(|(r, _)| r)
        .collect()
}

/// How many of `records` are `unit`'s, and the sums of their measures.
fn count_and_sum<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    unit: &str,
) -> (usize, [i64; 4]) {
    records
        .into_iter()
        .filter(|p| p.unit == unit)
        .map(measures)
        .fold((0, [0; 4]), |(n, acc), m| {
            (n + 1, [0, 1, 2, 3].map(|i| acc[i] + m[i]))
        })
}

fn unit_changes(
    old: &Week,
    new: &Week,
    pairs: &[(&Record, &Record)],
    (gone, added): (&[&Record], &[&Record]),
    old_cases: &HashMap<(String, Option<NaiveDate>), &Record>,
) -> Vec<UnitChange> {
    let sum = |w: &Week, unit: &str| count_and_sum(&w.projects, unit).1;
    new.units
        .iter()
        .map(|u| {
            let unit = &u.unit;
            let (t, l) = (sum(new, unit), sum(old, unit));
            let (gone, added) = (
                count_and_sum(gone.iter().copied(), unit),
                count_and_sum(added.iter().copied(), unit),
            );
            // Cases compare only when both weeks have the unit's 附件3.
            let cases_compared = new.has(unit, TemplateId::A3) && old.has(unit, TemplateId::A3);
            let cases: Vec<&Record> = if cases_compared {
                new.cases.iter().filter(|c| &c.unit == unit).collect()
            } else {
                Vec::new()
            };
            let cases_new = cases
                .iter()
                .filter(|c| !old_cases.contains_key(&case_key(c)))
                .count();
            let cases_closed = cases
                .iter()
                .filter(|c| c.get(A3::Closed).yes_no() == Some(true))
                .filter(|c| {
                    old_cases
                        .get(&case_key(c))
                        .is_none_or(|o| o.get(A3::Closed).yes_no() != Some(true))
                })
                .count();
            let stages_advanced = pairs
                .iter()
                .filter(|(_, n)| &n.unit == unit)
                .filter(|(o, n)| {
                    order(n.get(A2::Stage), o.get(A2::Stage)) == Some(std::cmp::Ordering::Greater)
                })
                .count();
            UnitChange {
                unit: unit.clone(),
                merged_new: new.has(unit, TemplateId::A2),
                merged_old: old.has(unit, TemplateId::A2),
                measures: [0, 1, 2, 3].map(|i| (t[i], l[i])),
                change: [0, 1, 2, 3].map(|i| t[i] - added.1[i] - (l[i] - gone.1[i])),
                gone,
                added,
                cases_new,
                cases_compared,
                cases_closed,
                stages_advanced,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Lang;

    fn change(gone: (usize, [i64; 4]), added: (usize, [i64; 4])) -> UnitChange {
        UnitChange {
            unit: "泽州县".into(),
            merged_new: true,
            merged_old: true,
            measures: [(0, 0); 4],
            change: [0; 4],
            gone,
            added,
            cases_new: 0,
            cases_compared: true,
            cases_closed: 0,
            stages_advanced: 0,
        }
    }

    #[test]
    fn projects_of_one_week_only_are_said_aside() {
        assert_eq!(change((0, [0; 4]), (0, [0; 4])).aside(Lang::Zh), None);
        let both = change((1, [0, 0, 248, 0]), (2, [5, 5, 30, 0]));
        assert_eq!(
            both.aside(Lang::Zh).as_deref(),
            Some(
                "上周在报、本周未报 1 个项目（逾期未交付使用 248 户），\
                 本周新报 2 个项目（逾期未交付使用 30 户），不计入变化"
            )
        );
        assert_eq!(
            change((0, [0; 4]), (2, [5, 5, 30, 0]))
                .aside(Lang::En)
                .as_deref(),
            Some("2 project(s) new this week (30 overdue households): not counted as change")
        );
    }

    /// 陵川县's 附件3 was left out this week (部分汇总): its A2 figures compare, its cases not.
    #[test]
    fn cases_compare_only_when_both_weeks_have_the_units_a3() {
        use crate::history::week::UnitWeek;
        let week = |left_out: Vec<TemplateId>| {
            let mut w = Week::empty();
            w.units = vec![UnitWeek {
                unit: "陵川县".into(),
                in_totals: true,
                left_out,
            }];
            w
        };
        let d = diff(&week(vec![]), &week(vec![TemplateId::A3]));
        let u = &d.units[0];
        assert!(u.comparable() && !u.cases_compared);
        let line = crate::report::week::unit_line(u, Lang::Zh);
        assert!(
            line.contains("附件3 不作比较") && !line.contains("新增"),
            "{line}"
        );
        let d = diff(&week(vec![]), &week(vec![]));
        assert!(d.units[0].cases_compared);
    }

    /// 签订时间 `2020.1` (V05: 2020-01 or 2020-10) is H04 against last week's month only when
    /// neither reading is that month (before: an ambiguous month was compared with nothing).
    #[test]
    fn an_ambiguous_month_changed_only_if_no_reading_matches() {
        use crate::values::YearMonth;
        let typed = |y| Datum::AmbiguousMonth(YearMonth::new(y, 1));
        let month = |y, m| Datum::Month(YearMonth::new(y, m));
        let day = |y, m, d| Datum::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert!(!fixed_changed(&month(2020, 10), &typed(2020)));
        assert!(!fixed_changed(&day(2020, 1, 15), &typed(2020)));
        assert!(!fixed_changed(&typed(2020), &typed(2020)));
        assert!(!fixed_changed(&Datum::Blank, &typed(2020)));
        assert!(fixed_changed(&month(2020, 6), &typed(2020)));
        assert!(fixed_changed(&typed(2020), &day(2019, 10, 31)));
        assert!(fixed_changed(&typed(2020), &typed(2021)));
    }

    #[test]
    fn units_of_one_week_only_are_named() {
        assert_eq!(one_week_only(&[], &[]), None);
        let m = one_week_only(&["高平市"], &["陵川县", "沁水县"]).unwrap();
        assert_eq!(
            m.zh,
            "高平市 仅本周汇总，陵川县、沁水县 仅上周汇总：两周的全市合计之差含其数字，不是进展"
        );
        assert!(m
            .en
            .starts_with("高平市 merged this week only; 陵川县, 沁水县 merged last week only"));
    }
}
