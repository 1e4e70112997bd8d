//! Attachment 2 — 棚改居民逾期未回迁安置问题项目基本情况及整改推进表 (SPEC 3.1).

use super::{col, colv, Column, Kind::*, Template, TemplateId};

const P: &str = "逾期在建棚改项目";
const O: &str = "逾期安置情况";
const F: &str = "过渡安置费发放情况";
const R: &str = "逾期原因及整改措施";
const PLAN: &str = "整改计划";
const PROG: &str = "整改进展情况";

pub const COLUMNS: &[Column] = &[
    colv("seq", &["序号"], &["序 号"], Text, false, false, 6.0),
    colv(
        "unit",
        &["县区"],
        &["县(市、区)", "县(市区)", "县市区", "单位"],
        Unit,
        true,
        false,
        9.0,
    ),
    col("project_name", &[P, "项目名称"], Text, true, false, 22.0),
    colv(
        "supervision_no",
        &[P, "监管编号"],
        &["项目监管编号"],
        Text,
        true,
        false,
        16.0,
    ),
    colv(
        "plan_year",
        &[P, "列入国家计划年度"],
        &["列入国家计划年份", "计划年度"],
        Year,
        true,
        false,
        10.0,
    ),
    col(
        "start_month",
        &[P, "实际开工时间"],
        Month,
        false,
        false,
        10.0,
    ),
    colv(
        "households",
        &[P, "应安置棚改居民户数"],
        &["应安置户数", "应安置居民户数"],
        Count,
        true,
        true,
        10.0,
    ),
    col("units_started", &[P, "开工套数"], Count, true, true, 8.0),
    colv(
        "units_built",
        &[P, "建成套数"],
        &["已建成套数"],
        Count,
        true,
        true,
        8.0,
    ),
    colv(
        "households_resettled",
        &[P, "已安置棚改居民户数"],
        &["已安置户数", "已安置居民户数"],
        Count,
        true,
        true,
        10.0,
    ),
    col(
        "units_under_construction",
        &[P, "在建套数"],
        Count,
        true,
        true,
        8.0,
    ),
    colv(
        "stage",
        &[P, "工程形象进度"],
        &["形象进度"],
        Stage,
        true,
        false,
        14.0,
    ),
    col(
        "agreement_signed",
        &[O, "安置补偿协议", "签订时间"],
        Date,
        true,
        false,
        11.0,
    ),
    colv(
        "agreed_delivery",
        &[O, "安置补偿协议", "约定交付时间"],
        &["约定交付日期"],
        Date,
        true,
        false,
        11.0,
    ),
    col(
        "overdue_households",
        &[O, "逾期未交付使用", "户数"],
        Count,
        true,
        true,
        8.0,
    ),
    col(
        "overdue_units",
        &[O, "逾期未交付使用", "套数"],
        Count,
        true,
        true,
        8.0,
    ),
    col(
        "allowance_start",
        &[F, "应发过渡费起始时间"],
        Month,
        false,
        false,
        10.0,
    ),
    col(
        "paid_households",
        &[F, "已发放过渡安置费", "户数"],
        Count,
        false,
        true,
        8.0,
    ),
    col(
        "paid_amount",
        &[F, "已发放过渡安置费", "金额"],
        Amount,
        false,
        true,
        10.0,
    ),
    colv(
        "paid_through",
        &[F, "已发放过渡安置费", "已发放至xxx年xx月"],
        &["已发放至xx年xx月", "已发放至", "发放至"],
        Month,
        false,
        false,
        11.0,
    ),
    col(
        "owed_households",
        &[F, "欠发过渡安置费情况", "户数"],
        Count,
        false,
        true,
        8.0,
    ),
    col(
        "owed_amount",
        &[F, "欠发过渡安置费情况", "金额"],
        Amount,
        false,
        true,
        10.0,
    ),
    col(
        "owed_months",
        &[F, "欠发过渡安置费情况", "欠发几个月"],
        Count,
        false,
        false,
        8.0,
    ),
    col(
        "overdue_reason",
        &[R, "逾期安置原因"],
        Text,
        true,
        false,
        24.0,
    ),
    col(
        "current_problems",
        &[R, "当前存在问题"],
        Text,
        false,
        false,
        24.0,
    ),
    col("measures", &[R, "整改措施"], Text, true, false, 24.0),
    col(
        "responsible_unit",
        &[R, "责任单位"],
        Text,
        true,
        false,
        16.0,
    ),
    colv(
        "responsible_person",
        &[R, "责任人及电话"],
        &["责任人及联系电话", "责任人及联系方式", "责任人电话"],
        Text,
        true,
        false,
        18.0,
    ),
    colv(
        "planned_delivery",
        &[PLAN, "计划交付时间", "202X.XX"],
        &["计划交付时间"],
        Month,
        true,
        false,
        11.0,
    ),
    col(
        "plan_oct_households",
        &[PLAN, "其中：10月底前整改计划", "交付使用户数"],
        Count,
        false,
        true,
        9.0,
    ),
    col(
        "plan_oct_units",
        &[PLAN, "其中：10月底前整改计划", "交付使用套数"],
        Count,
        false,
        true,
        9.0,
    ),
    col(
        "plan_oct_allowance",
        &[PLAN, "其中：10月底前整改计划", "发放过渡费户数"],
        Count,
        false,
        true,
        9.0,
    ),
    col(
        "delivered_households",
        &[PROG, "逾期在建项目", "已交付使用户数"],
        Count,
        false,
        true,
        9.0,
    ),
    col(
        "delivered_units",
        &[PROG, "逾期在建项目", "已交付使用套数"],
        Count,
        false,
        true,
        9.0,
    ),
    col(
        "progress_detail",
        &[PROG, "进展详细说明（报阶段性整改时间）"],
        Text,
        false,
        false,
        28.0,
    ),
    col("remarks", &["备注"], Text, false, false, 12.0),
];

pub const FOOTNOTES: &[&str] = &[
    "备注：1、开工套数应大于等于应安置棚改居民户数；已安置棚改居民户数应小于等于已建成套数；逾期未交付使用应等于应安置户数减已安置户数；不欠发过渡费的发放户数应等于应安置户数，发放至年份必须为24年7月底后；",
    "2、工程形象进度填注文字：1、未开工，2、基坑开挖，3、地基桩基处理，4、地下施工，5-1、主体施工1/3以下，5-2、主体施工1/3-2/3，5-3、主体施工2/3以上，6、主体封顶，7、基本建成，8、竣工验收，9、准备交付。",
    "3、责任单位及责任人必须有政府或者主管部门及工作人员。",
];

/// The unit of the canonical template's total row (`合计 | 晋城市 | …`).
pub const CITY: &str = "晋城市";

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
        let at = |key: &str| CellRef::col_name(TEMPLATE.index(key) as u32);
        assert_eq!(COLUMNS.len(), 36);
        assert_eq!(at("units_started"), "H");
        assert_eq!(at("stage"), "L");
        assert_eq!(at("overdue_households"), "O");
        assert_eq!(at("paid_through"), "T");
        assert_eq!(at("responsible_unit"), "AA");
        assert_eq!(at("planned_delivery"), "AC");
        assert_eq!(at("delivered_households"), "AG");
        assert_eq!(at("remarks"), "AJ");
        assert_eq!(TEMPLATE.header_depth(), 3);
    }
}
