//! 约谈预警 (SPEC 11.3): every overdue project (逾期未交付使用户数 > 0) at risk at the report
//! date, with its next milestone and why it is at risk.

use crate::template::a2::Col as A2;
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
    /// After `plan_deadline`, fewer households delivered than the 10月底前 plan.
    OctoberPlanMissed,
    /// The next milestone is within `warn_days`.
    MilestoneNear,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 4] = [
        AlertStatus::MilestonePassed,
        AlertStatus::PlanPassed,
        AlertStatus::OctoberPlanMissed,
        AlertStatus::MilestoneNear,
    ];

    /// The exact words of the 状态 column.
    pub fn label(self) -> &'static str {
        match self {
            AlertStatus::MilestonePassed => "节点已过未完成",
            AlertStatus::PlanPassed => "计划已过",
            AlertStatus::OctoberPlanMissed => "未完成10月底计划",
            AlertStatus::MilestoneNear => "临近节点",
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
            let october = as_of > config.plan_deadline
                && p.count(A2::DeliveredHouseholds) < p.count(A2::PlanOctHouseholds);
            let status = [passed, plan_passed, october, near]
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
