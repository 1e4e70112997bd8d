//! Attachment 4 — 落实中央纪委国家监委群众身边具体实事情况统计表——工作进展表 (SPEC 3.3).

use super::{col, Kind::*, Template, TemplateId};

const HELP: &str = "解决群众急难愁盼、为群众办实事情况";

columns! {
    A4;
    /// 实事名称
    Matter => col(&["实事名称"], Text, true, false, 16.0).merged_down(),
    /// 项目推进情况
    Progress => col(&["项目推进情况"], Text, true, false, 60.0),
    /// 件数
    Count => col(&[HELP, "件数"], Count, true, false, 8.0).merged_down(),
    /// 典型事例
    Cases => col(&[HELP, "典型事例"], Text, false, false, 40.0),
}

/// The four section labels of column B, one per row of the unit's block.
pub const SECTIONS: &[&str] = &[
    "【党委政府领导推动情况】",
    "【住建局工作动态情况】",
    "【超常举措、亮点工作情况】",
    "【建立健全制度机制情况】（包括重要文件名称等）",
];

pub const MATTER: &str = "整改棚改居民逾期未回迁安置问题";

pub const FOOTNOTES: &[&str] =
    &["说明：1. 此表由县直单位负责填报，全面反映全县项目推进和办实事情况。"];

pub static TEMPLATE: Template = Template {
    id: TemplateId::A4,
    attachment: "附件4",
    title: "落实中央纪委国家监委群众身边具体实事情况统计表——工作进展表",
    columns: COLUMNS,
    footnotes: FOOTNOTES,
    fields: super::BLOCK_FIELDS,
};

/// How many typical cases (典型事例, column D) a unit's block has room for: `1. × × ×` … `3.`.
pub const CASES: usize = 3;
