//! 约谈预警 (SPEC 11.3): every overdue project (逾期未交付使用户数 > 0) at risk at the report
//! date, with its next milestone and why it is at risk.

use std::borrow::Cow;

use crate::template::a2::{deadline_day, Col as A2};
use chrono::NaiveDate;

use super::week::Record;
use crate::config::Config;
use crate::table::Datum;
use crate::values::YearMonth;

/// Why a project is on the list. One status per project: the first that applies in the order
/// of `ALL` (the one that calls for 约谈 first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertStatus {
    /// A milestone on or before the report date has passed with the project still overdue.
    MilestonePassed,
    /// 计划交付时间 is before the report month.
    PlanPassed,
    /// After `plan_deadline`, fewer households delivered than its plan (`未完成10月底计划` for the
    /// default 2024-10-31).
    PlanMissed,
    /// The next milestone is within `warn_days`.
    MilestoneNear,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 4] = [
        AlertStatus::MilestonePassed,
        AlertStatus::PlanPassed,
        AlertStatus::PlanMissed,
        AlertStatus::MilestoneNear,
    ];

    /// The exact words of the 状态 column; `PlanMissed` names `plan_deadline` as 附件2's plan
    /// columns do (`未完成11月底计划`).
    pub fn label(self, plan_deadline: NaiveDate) -> Cow<'static, str> {
        match self {
            AlertStatus::MilestonePassed => "节点已过未完成".into(),
            AlertStatus::PlanPassed => "计划已过".into(),
            AlertStatus::PlanMissed => format!("未完成{}计划", deadline_day(plan_deadline)).into(),
            AlertStatus::MilestoneNear => "临近节点".into(),
        }
    }
}

/// One project on the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub unit: String,
    pub name: String,
    pub supervision_no: String,
    pub overdue_households: i64,
    /// 计划交付时间 as read: a month, an ambiguous month (V05) shown as typed, or blank.
    pub planned: Datum,
    /// The first milestone after the report date, if any is left.
    pub next_milestone: Option<NaiveDate>,
    pub status: AlertStatus,
}

/// The at-risk projects among `projects` (a week's, `Week::projects`, or the merge's being
/// written, `Week::merged_projects`) at `config.as_of`, in unit order (rows in file order).
pub fn alerts(projects: impl IntoIterator<Item = Record>, config: &Config) -> Vec<Alert> {
    let as_of = config.as_of;
    let passed = config.milestones.iter().any(|m| *m <= as_of);
    let next = config
        .milestones
        .iter()
        .copied()
        .filter(|m| *m > as_of)
        .min();
    let near = next.is_some_and(|m| (m - as_of).num_days() <= config.warn_days);
    let mut out: Vec<Alert> = projects
        .into_iter()
        .filter(|p| p.count(A2::OverdueHouseholds) > 0)
        .filter_map(|p| {
            let planned = p.get(A2::PlannedDelivery).clone();
            // An ambiguous month (V05) has passed only if both its readings have.
            let plan_passed = planned
                .month_readings()
                .is_some_and(|r| r.all(|m| m < YearMonth::of(as_of)));
            let plan_missed = as_of > config.plan_deadline
                && p.count(A2::DeliveredHouseholds) < p.count(A2::PlanOctHouseholds);
            let status = [passed, plan_passed, plan_missed, near]
                .into_iter()
                .zip(AlertStatus::ALL)
                .find_map(|(hit, s)| hit.then_some(s))?;
            Some(Alert {
                unit: p.unit.clone(),
                name: p.text(A2::ProjectName).to_string(),
                supervision_no: p.text(A2::SupervisionNo).to_string(),
                overdue_households: p.count(A2::OverdueHouseholds),
                planned,
                next_milestone: next,
                status,
            })
        })
        .collect();
    out.sort_by_key(|a| config.order(&a.unit));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::TemplateId;

    /// An overdue project (5 households) planned for 2025-06 with 3 to deliver by the plan
    /// deadline and 1 delivered.
    fn behind_plan() -> Record {
        let t = TemplateId::A2.template();
        let mut fields = vec![Datum::Blank; t.columns.len()];
        let mut set = |k: A2, d: Datum| fields[t.index(k)] = d;
        set(A2::ProjectName, Datum::Text("某棚户区改造项目".into()));
        set(A2::OverdueHouseholds, Datum::Count(5));
        set(A2::PlannedDelivery, Datum::Month(YearMonth::new(2025, 6)));
        set(A2::PlanOctHouseholds, Datum::Count(3));
        set(A2::DeliveredHouseholds, Datum::Count(1));
        Record {
            unit: "城区".into(),
            file: "城区.xlsx".into(),
            sheet: "附件2".into(),
            template: TemplateId::A2,
            fields,
            cells: Vec::new(),
        }
    }

    fn statuses(as_of: NaiveDate, plan_deadline: NaiveDate) -> Vec<String> {
        let mut config = Config::jincheng(as_of);
        config.plan_deadline = plan_deadline;
        alerts([behind_plan()], &config)
            .iter()
            .map(|a| a.status.label(config.plan_deadline).into_owned())
            .collect()
    }

    #[test]
    fn the_plan_missed_status_names_plan_deadline() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // The default deadline: the notice's words.
        assert_eq!(
            statuses(d(2024, 11, 4), d(2024, 10, 31)),
            ["未完成10月底计划"]
        );
        // plan_deadline = 2024-11-30: not yet missed on 2024-11-25 (the milestone 2024-12-31 is
        // 36 days away, beyond warn_days), missed on 2024-12-02 and named so.
        assert!(statuses(d(2024, 11, 25), d(2024, 11, 30)).is_empty());
        assert_eq!(
            statuses(d(2024, 12, 2), d(2024, 11, 30)),
            ["未完成11月底计划"]
        );
        // A deadline that does not end a month names the day.
        assert_eq!(
            statuses(d(2024, 11, 20), d(2024, 11, 15)),
            ["未完成11月15日计划"]
        );
    }
}
