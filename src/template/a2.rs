//! Attachment 2 — 棚改居民逾期未回迁安置问题项目基本情况及整改推进表 (SPEC 3.1).

use chrono::{Datelike, NaiveDate};

use crate::values::YearMonth;

use super::{col, colv, Kind::*, Template, TemplateId};

const P: &str = "逾期在建棚改项目";
const O: &str = "逾期安置情况";
const F: &str = "过渡安置费发放情况";
const R: &str = "逾期原因及整改措施";
const PLAN: &str = "整改计划";
const PROG: &str = "整改进展情况";

/// The group label over the three plan columns, from the words for the deadline (`10月底前`).
macro_rules! plan_group {
    ($when:expr) => {
        concat!("其中：", $when, "整改计划")
    };
}

/// The plan columns' group as the notice words it, for the default `plan_deadline`
/// (2024-10-31). A template written for another deadline says `plan_group(deadline)`; header
/// detection does not depend on it (the leaves below are unique).
pub const PLAN_BY: &str = plan_group!("10月底前");

/// The deadline as a day: `10月底` for the last day of a month, else `11月15日` (the 约谈预警
/// status `未完成10月底计划` says it so).
pub fn deadline_day(deadline: NaiveDate) -> String {
    let last_of_month = deadline.succ_opt().is_none_or(|next| next.day() == 1);
    if last_of_month {
        format!("{}月底", deadline.month())
    } else {
        format!("{}月{}日", deadline.month(), deadline.day())
    }
}

/// The deadline as the plan label says it: `10月底前`, `11月15日前`.
pub fn deadline_words(deadline: NaiveDate) -> String {
    format!("{}前", deadline_day(deadline))
}

/// The group label over the plan columns for `deadline` (`PLAN_BY` for the default).
pub fn plan_group(deadline: NaiveDate) -> String {
    format!(plan_group!("{}"), deadline_words(deadline))
}

columns! {
    A2;
    /// 序号
    Seq => colv(&["序号"], &["序 号"], Text, false, false, 5.0),
    /// 县区
    Unit => colv(&["县区"], &["县(市、区)", "县(市区)", "县市区", "单位"], Unit, true, false, 7.0),
    /// 项目名称
    ProjectName => col(&[P, "项目名称"], Text, true, false, 16.0).quoted_across_files(),
    /// 监管编号
    SupervisionNo => colv(&[P, "监管编号"], &["项目监管编号"], Text, true, false, 12.0).quoted_across_files(),
    /// 列入国家计划年度
    PlanYear => colv(&[P, "列入国家计划年度"], &["列入国家计划年份", "计划年度"], Year, true, false, 6.0),
    /// 实际开工时间
    StartMonth => col(&[P, "实际开工时间"], Month, false, false, 8.0),
    /// 应安置棚改居民户数
    Households => colv(&[P, "应安置棚改居民户数"], &["应安置户数", "应安置居民户数"], Count, true, true, 7.0),
    /// 开工套数
    UnitsStarted => col(&[P, "开工套数"], Count, true, true, 6.0),
    /// 建成套数
    UnitsBuilt => colv(&[P, "建成套数"], &["已建成套数"], Count, true, true, 6.0),
    /// 已安置棚改居民户数
    HouseholdsResettled => colv(&[P, "已安置棚改居民户数"], &["已安置户数", "已安置居民户数"], Count, true, true, 7.0),
    /// 在建套数
    UnitsUnderConstruction => col(&[P, "在建套数"], Count, true, true, 6.0),
    /// 工程形象进度
    Stage => colv(&[P, "工程形象进度"], &["形象进度"], Stage, true, false, 11.0),
    /// 签订时间
    AgreementSigned => col(&[O, "安置补偿协议", "签订时间"], AgreementDate, true, false, 10.0),
    /// 约定交付时间
    AgreedDelivery => colv(&[O, "安置补偿协议", "约定交付时间"], &["约定交付日期"], AgreementDate, true, false, 10.0),
    /// 户数
    OverdueHouseholds => col(&[O, "逾期未交付使用", "户数"], Count, true, true, 6.0),
    /// 套数
    OverdueUnits => col(&[O, "逾期未交付使用", "套数"], Count, true, true, 6.0),
    /// 应发过渡费起始时间
    AllowanceStart => col(&[F, "应发过渡费起始时间"], Month, false, false, 8.0),
    /// 户数
    PaidHouseholds => col(&[F, "已发放过渡安置费", "户数"], Count, false, true, 6.0),
    /// 金额
    PaidAmount => col(&[F, "已发放过渡安置费", "金额"], Amount, false, true, 9.0),
    /// 已发放至xxx年xx月
    PaidThrough => colv(&[F, "已发放过渡安置费", "已发放至xxx年xx月"], &["已发放至xx年xx月", "已发放至", "发放至"], Month, false, false, 8.0),
    /// 户数
    OwedHouseholds => col(&[F, "欠发过渡安置费情况", "户数"], Count, false, true, 6.0),
    /// 金额
    OwedAmount => col(&[F, "欠发过渡安置费情况", "金额"], Amount, false, true, 8.0),
    /// 欠发几个月
    OwedMonths => col(&[F, "欠发过渡安置费情况", "欠发几个月"], Count, false, false, 6.0),
    /// 逾期安置原因
    OverdueReason => col(&[R, "逾期安置原因"], Text, true, false, 14.0),
    /// 当前存在问题
    CurrentProblems => col(&[R, "当前存在问题"], Text, false, false, 14.0),
    /// 整改措施
    Measures => col(&[R, "整改措施"], Text, true, false, 14.0),
    /// 责任单位
    ResponsibleUnit => col(&[R, "责任单位"], Text, true, false, 10.0),
    /// 责任人及电话
    ResponsiblePerson => colv(&[R, "责任人及电话"], &["责任人及联系电话", "责任人及联系方式", "责任人电话"], Text, true, false, 12.0),
    /// 计划交付时间 (the leaf header cell reads `202X.XX`)
    PlannedDelivery => colv(&[PLAN, "计划交付时间", "202X.XX"], &["计划交付时间"], Month, true, false, 8.0).placeholder_leaf(),
    /// 交付使用户数
    PlanOctHouseholds => col(&[PLAN, PLAN_BY, "交付使用户数"], Count, false, true, 7.0),
    /// 交付使用套数
    PlanOctUnits => col(&[PLAN, PLAN_BY, "交付使用套数"], Count, false, true, 7.0),
    /// 发放过渡费户数
    PlanOctAllowance => col(&[PLAN, PLAN_BY, "发放过渡费户数"], Count, false, true, 7.0),
    /// 已交付使用户数
    DeliveredHouseholds => col(&[PROG, "逾期在建项目", "已交付使用户数"], Count, false, true, 7.0),
    /// 已交付使用套数
    DeliveredUnits => col(&[PROG, "逾期在建项目", "已交付使用套数"], Count, false, true, 7.0),
    /// 进展详细说明（报阶段性整改时间）
    ProgressDetail => col(&[PROG, "进展详细说明（报阶段性整改时间）"], Text, false, false, 16.0),
    /// 备注
    Remarks => col(&["备注"], Text, false, false, 8.0),
}

/// Footnote 1, from the words for the earliest month paid through (`24年7月底`).
macro_rules! paid_note {
    ($month:expr) => {
        concat!(
            "备注：1、开工套数应大于等于应安置棚改居民户数；已安置棚改居民户数应小于等于已建成套数；逾期未交付使用应等于应安置户数减已安置户数；不欠发过渡费的发放户数应等于应安置户数，发放至年份必须为",
            $month,
            "后；"
        )
    };
}

/// Footnote 1 as the notice words it, for the default `paid_through_min` (2024-07). A template
/// written for another month says `paid_note(paid_through_min)`.
pub const PAID_NOTE: &str = paid_note!("24年7月底");

/// Footnote 1 for `paid_through_min` (`PAID_NOTE` for the default): `2024-09` reads `24年9月底`.
pub fn paid_note(paid_through_min: YearMonth) -> String {
    let month = format!(
        "{:02}年{}月底",
        paid_through_min.year.rem_euclid(100),
        paid_through_min.month
    );
    format!(paid_note!("{}"), month)
}

pub const FOOTNOTES: &[&str] = &[
    PAID_NOTE,
    "2、工程形象进度填注文字：1、未开工，2、基坑开挖，3、地基桩基处理，4、地下施工，5-1、主体施工1/3以下，5-2、主体施工1/3-2/3，5-3、主体施工2/3以上，6、主体封顶，7、基本建成，8、竣工验收，9、准备交付。",
    "3、责任单位及责任人必须有政府或者主管部门及工作人员。",
];

pub static TEMPLATE: Template = Template {
    id: TemplateId::A2,
    attachment: "附件2",
    title: "棚改居民逾期未回迁安置问题项目基本情况及整改推进表",
    columns: COLUMNS,
    footnotes: FOOTNOTES,
    fields: &[],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::CellRef;

    #[test]
    fn columns_sit_where_spec_3_1_puts_them() {
        let at = |key: Col| CellRef::col_name(TEMPLATE.index(key) as u32);
        assert_eq!(COLUMNS.len(), 36);
        assert_eq!(at(Col::UnitsStarted), "H");
        assert_eq!(at(Col::Stage), "L");
        assert_eq!(at(Col::OverdueHouseholds), "O");
        assert_eq!(at(Col::PaidThrough), "T");
        assert_eq!(at(Col::ResponsibleUnit), "AA");
        assert_eq!(at(Col::PlannedDelivery), "AC");
        assert_eq!(at(Col::DeliveredHouseholds), "AG");
        assert_eq!(at(Col::Remarks), "AJ");
        assert_eq!(TEMPLATE.header_depth(), 3);
    }
}
