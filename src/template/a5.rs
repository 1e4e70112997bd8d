//! Attachment 5 — 落实中央纪委国家监委群众身边具体实事情况统计表——问题整改表 (SPEC 3.4).

use super::{col, Kind::*, Template, TemplateId};

const G: &str = "发现本行业本系统本领域问题和整改情况";
const FOUND: &str = "发现问题数";
const OUT: &str = "成果指标情况*";
const PUSH: &str = "推动逾期回迁安置情况";

columns! {
    A5;
    /// 项目名称
    Matter => col(&["项目名称"], Text, true, false, 14.0).merged_down(),
    /// 县级累计次数
    Inspections => col(&["开展督导检查情况", "县级累计次数"], Count, true, false, 8.0).merged_down(),
    /// 小计
    FoundTotal => col(&[G, FOUND, "小计"], Count, true, false, 6.0).merged_down(),
    /// 自查发现
    FoundSelf => col(&[G, FOUND, "其中", "自查发现"], Count, false, false, 6.0).merged_down(),
    /// 派驻纪检组发现移交
    FoundDiscipline => col(&[G, FOUND, "其中", "派驻纪检组发现移交"], Count, false, false, 8.0).merged_down(),
    /// 其他部门移交
    FoundOther => col(&[G, FOUND, "其中", "其他部门移交"], Count, false, false, 6.0).merged_down(),
    /// 完成整改问题数
    Rectified => col(&[G, "完成整改问题数"], Count, true, false, 6.0).merged_down(),
    /// 典型问题和整改情况
    Typical => col(&[G, "典型问题和整改情况"], Text, false, false, 32.0),
    /// 户数
    TotalHouseholds => col(&[OUT, PUSH, "小计", "户数"], Count, true, false, 6.0).merged_down(),
    /// 人数
    TotalPeople => col(&[OUT, PUSH, "小计", "人数"], Count, true, false, 6.0).merged_down(),
    /// 户数
    ReturnedHouseholds => col(&[OUT, PUSH, "已回迁安置", "户数"], Count, true, false, 6.0).merged_down(),
    /// 人数
    ReturnedPeople => col(&[OUT, PUSH, "已回迁安置", "人数"], Count, true, false, 6.0).merged_down(),
    /// 户数
    WaitingHouseholds => col(&[OUT, PUSH, "未回迁安置", "户数"], Count, true, false, 6.0).merged_down().quoted_across_files(),
    /// 人数
    WaitingPeople => col(&[OUT, PUSH, "未回迁安置", "人数"], Count, true, false, 6.0).merged_down(),
}

pub const FOOTNOTES: &[&str] = &[
    "说明：1. 此表由县直单位负责填报，全面反映全县本行业本系统发现整改问题和追责问责情况。",
    "2. “典型问题和整改情况”应选取已整改完成的典型问题进行填报，（注：典型问题应突出创新解决方法、示范带动作用、克服重大困难、突出成效显著、群众满意度高的内容或案例）",
];

pub static TEMPLATE: Template = Template {
    id: TemplateId::A5,
    attachment: "附件5",
    title: "落实中央纪委国家监委群众身边具体实事情况统计表——问题整改表",
    columns: COLUMNS,
    footnotes: FOOTNOTES,
    fields: super::BLOCK_FIELDS,
};

/// Rows in a unit's block: one typical problem (典型问题) per row in column H.
pub const BLOCK_ROWS: usize = 3;

/// The words of a typical-problem cell (column H): `典型问题 1. × × × 整改结果:`.
pub const TYPICAL_PROBLEM: &str = "典型问题";
pub const RECTIFICATION_RESULT: &str = "整改结果";
