//! Attachment 3 — 整治棚改居民逾期未回迁安置问题专项行动登记办理台账 (SPEC 3.2).

use super::{col, colv, Field, FieldRole, Kind::*, Template, TemplateId};

const IN: &str = "问题接收登记";
const DO: &str = "办理情况";

columns! {
    A3;
    /// 序号
    Seq => colv(&["序号"], &["序 号"], Text, false, false, 6.0),
    /// 投诉/举报人及联系方式
    Complainant => colv(&[IN, "投诉/举报人及联系方式"], &["投诉举报人及联系方式", "投诉人及联系方式"], Text, true, false, 18.0),
    /// 是否棚改未回迁
    IsOverdueResettlement => col(&[IN, "是否棚改未回迁"], YesNo, true, false, 8.0),
    /// 原住房具体位置
    OriginalHome => col(&[IN, "原住房具体位置"], Text, true, false, 24.0),
    /// 协议签订时间
    AgreementSigned => col(&[IN, "协议签订时间"], AgreementDate, false, false, 11.0),
    /// 协议明确回迁时间
    AgreedReturn => col(&[IN, "协议明确回迁时间"], AgreementDate, false, false, 11.0),
    /// 回迁安置项目名称
    ResettlementProject => col(&[IN, "回迁安置项目名称"], Text, false, false, 18.0).quoted_across_files(),
    /// 问题内容简要
    Summary => col(&[IN, "问题内容简要"], Text, true, false, 24.0),
    /// 信息来源
    Source => col(&[IN, "信息来源"], Source, true, false, 12.0),
    /// 受理和收到时间
    Received => colv(&[IN, "受理和收到时间"], &["受理时间", "收到时间"], Date, true, false, 11.0),
    /// 承办科室
    Office => col(&[DO, "承办科室"], Text, true, false, 10.0),
    /// 受理人
    Handler => col(&[DO, "受理人"], Text, true, false, 8.0),
    /// 是否棚改征收
    IsShantytown => col(&[DO, "是否棚改征收"], YesNo, true, false, 8.0),
    /// 是否发生逾期
    IsOverdue => col(&[DO, "是否发生逾期"], YesNo, true, false, 8.0),
    /// 填报逾期项目清单时间
    Listed => col(&[DO, "填报逾期项目清单时间"], Date, false, false, 11.0),
    /// 拟采取整改措施
    PlannedMeasures => col(&[DO, "拟采取整改措施"], Text, false, false, 20.0),
    /// 办理进展或结果
    Result => col(&[DO, "办理进展或结果"], Text, false, false, 30.0),
    /// 是否办结
    Closed => col(&[DO, "是否办结"], YesNo, true, false, 8.0),
    /// 备注
    Remarks => col(&["备注"], Text, false, false, 12.0),
}

pub const FOOTNOTES: &[&str] = &[
    "备注：1、原住房具体位置填写大致格式：xx县(区)xx街(路)xx小区xx排xx号。",
    "2、信息来源：来信来访来电、信访转办、电信举报、其他转办。",
    "3、是棚改未发生逾期的问题，办理结果标注：经核实该投诉人反映的问题是棚改征收，签订回迁安置时间是xxxx年xx月xx日，不属于逾期未回迁，或该投诉人已在xxx小区回迁安置（或xx方式妥善安置）；不是棚改的问题，办理结果标准：经核实该投诉人反映的问题不属于棚改征收，属于xx类（房地产开发、道路改造、违建临建等）征收。",
    "4、该表每周三随专项整治工作简报一并报送。",
];

pub static TEMPLATE: Template = Template {
    id: TemplateId::A3,
    attachment: "附件3",
    title: "整治棚改居民逾期未回迁安置问题专项行动登记办理台账",
    columns: COLUMNS,
    footnotes: FOOTNOTES,
    fields: &[
        Field {
            label: "单位(盖章)",
            role: FieldRole::Unit,
        },
        Field {
            label: "填报时间",
            role: FieldRole::Date,
        },
    ],
};
