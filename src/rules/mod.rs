//! The rule catalogue: every rule's id, severity, scope, primary cell, seed source and messages,
//! in one static table (SPEC 4). `pgcheck rules` prints it. Every check lives beside it:
//! `structure` (S), `values` (V and the kind checks of single cells), `a2`-`a5`, `cross` (X and
//! A2-10 across files), with the wording the free-text rules look for in `wording`.

pub mod a2;
pub mod a3;
pub mod a4;
pub mod a5;
pub mod cross;
pub mod finding;
pub mod structure;
pub mod totals;
pub mod values;
pub mod wording;

use serde::Serialize;

use crate::config::Config;
use crate::lang::Lang;
use crate::template::TemplateId;

/// How much a finding weighs: an error keeps a file out of the consolidation, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `错误` / `error`.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
        }
    }
}

/// One rule of SPEC 4. Each text is given in Chinese and in English; a text may name a
/// parameter of the config in braces (`{paid_through_min}`, `{city}`, `{units}`: see `Param`),
/// filled in for the city that runs pgcheck (`Rule::want`, `Rule::source`).
#[derive(Debug, PartialEq)]
pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    pub scope: Scope,
    /// Where the rule is reported.
    pub primary_zh: &'static str,
    pub primary_en: &'static str,
    /// The passage of the seed notice the rule comes from (empty when it is the spec's own).
    pub source_zh: &'static str,
    pub source_en: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// What a correct value looks like.
    pub want_zh: &'static str,
    pub want_en: &'static str,
}

/// What a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every template.
    All,
    A2,
    A3,
    A4,
    A5,
    /// Across the attachments of one unit, or across files in a merge.
    Cross,
    /// Week over week (SPEC 11).
    Week,
}

impl Scope {
    /// The id scripts get (`rules --format json`): `all`, `A2` … `A5`, `cross`, `week`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::A2 => "A2",
            Scope::A3 => "A3",
            Scope::A4 => "A4",
            Scope::A5 => "A5",
            Scope::Cross => "cross",
            Scope::Week => "week",
        }
    }

    /// As people read it in `lang`.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (_, Lang::En) => self.as_str(),
            (Scope::All, Lang::Zh) => "全部附件",
            (Scope::A2, Lang::Zh) => TemplateId::A2.template().attachment,
            (Scope::A3, Lang::Zh) => TemplateId::A3.template().attachment,
            (Scope::A4, Lang::Zh) => TemplateId::A4.template().attachment,
            (Scope::A5, Lang::Zh) => TemplateId::A5.template().attachment,
            (Scope::Cross, Lang::Zh) => "跨附件",
            (Scope::Week, Lang::Zh) => "两周比较",
        }
    }
}

/// A parameter of the config that a catalogue text names in braces (SPEC 4: "Parameters in
/// `{braces}` come from the config").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A2-05: the month the allowance must be paid through at least.
    PaidThroughMin,
    /// The consolidating city (`晋城市`), named in the template's total row.
    City,
    /// The submitting units, in report order.
    Units,
    /// A2-25: the date the plan columns refer to (`10月底前`, `by 2024-10-31`).
    PlanDeadline,
}

impl Param {
    pub const ALL: [Param; 4] = [
        Param::PaidThroughMin,
        Param::City,
        Param::Units,
        Param::PlanDeadline,
    ];

    /// How a catalogue text names it.
    pub fn token(self) -> &'static str {
        match self {
            Param::PaidThroughMin => "{paid_through_min}",
            Param::City => "{city}",
            Param::Units => "{units}",
            Param::PlanDeadline => "{plan_deadline}",
        }
    }

    /// Its value in `config`, worded in `lang`.
    pub fn value(self, config: &Config, lang: Lang) -> String {
        match self {
            Param::PaidThroughMin => config.paid_through_min.to_string(),
            Param::City => config.city.name.clone(),
            Param::Units => {
                let names: Vec<&str> = config.units.iter().map(|u| u.name.as_str()).collect();
                names.join(Lang::pick("、", ", ", lang))
            }
            Param::PlanDeadline => match lang {
                Lang::Zh => crate::template::a2::deadline_words(config.plan_deadline),
                Lang::En => format!("by {}", config.plan_deadline),
            },
        }
    }
}

/// `text` with every parameter it names filled in from `config`.
pub fn fill(text: &str, config: &Config, lang: Lang) -> String {
    let mut s = text.to_string();
    for p in Param::ALL {
        if s.contains(p.token()) {
            s = s.replace(p.token(), &p.value(config, lang));
        }
    }
    s
}

impl Rule {
    /// What the rule finds (its title).
    pub fn title(&self, lang: Lang) -> &'static str {
        Lang::pick(self.title_zh, self.title_en, lang)
    }

    /// Where the rule is reported.
    pub fn primary(&self, lang: Lang) -> &'static str {
        Lang::pick(self.primary_zh, self.primary_en, lang)
    }

    /// The passage of the notice the rule comes from, for the city of `config` (empty when the
    /// rule is the spec's own).
    pub fn source(&self, lang: Lang, config: &Config) -> String {
        fill(
            Lang::pick(self.source_zh, self.source_en, lang),
            config,
            lang,
        )
    }

    /// What a correct value looks like, with the parameters of `config`.
    pub fn want(&self, lang: Lang, config: &Config) -> String {
        fill(Lang::pick(self.want_zh, self.want_en, lang), config, lang)
    }

    /// The rule as `pgcheck rules --format json` lists it: every text in both languages, the
    /// parameters of `config` filled in.
    pub fn to_json(&self, config: &Config) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "severity": self.severity,
            "scope": self.scope.as_str(),
            "primary_zh": self.primary_zh,
            "primary_en": self.primary_en,
            "source_zh": self.source(Lang::Zh, config),
            "source_en": self.source(Lang::En, config),
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "want_zh": self.want(Lang::Zh, config),
            "want_en": self.want(Lang::En, config),
        })
    }
}

use Severity::{Error as E, Warning as W};

/// Builds `RuleId` (one variant per rule, in catalogue order) and `RULES` (the catalogue, indexed
/// by `RuleId as usize`) from one list, so that the id string is written once and code that
/// emits a rule names a variant the compiler checks. Each entry: id, severity, scope, then
/// `[Chinese, English]` of where it is reported, its source, its title and what it wants.
macro_rules! catalogue {
    ($( $v:ident = $id:literal, $sev:expr, $scope:ident,
        [$pzh:literal, $pen:literal], [$szh:literal, $sen:literal],
        [$tzh:literal, $ten:literal], [$wzh:literal, $wen:literal]; )*) => {
        /// A rule of the catalogue; `as_str` is its id as users see it (`A2-01`).
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($v,)*
        }

        impl RuleId {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$v,)*];

            /// The id as printed (`S01`, `A2-10`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$v => $id,)*
                }
            }
        }

        /// The catalogue, in the order of SPEC 4.
        pub static RULES: &[Rule] = &[
            $(Rule {
                id: RuleId::$v,
                severity: $sev,
                scope: Scope::$scope,
                primary_zh: $pzh,
                primary_en: $pen,
                source_zh: $szh,
                source_en: $sen,
                title_zh: $tzh,
                title_en: $ten,
                want_zh: $wzh,
                want_en: $wen,
            },)*
        ];
    };
}

impl RuleId {
    /// The catalogue entry of this rule.
    pub fn entry(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// The id written in a file or on the command line (`a2-10` too), if it is one.
    pub fn parse(s: &str) -> Option<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

catalogue! {
    // 4.1 Structure
    S01 = "S01", E, All,
        ["无", "none"],
        ["", ""],
        ["文件无法作为工作簿打开", "the file cannot be opened as a workbook"],
        ["请报送可用 Excel/WPS 打开的 .xlsx、.xls 或 .ods 文件（未加密、未损坏）", "send an .xlsx, .xls or .ods file that opens in Excel/WPS (not encrypted, not damaged)"];
    S02 = "S02", E, All,
        ["无", "none"],
        ["", ""],
        ["没有工作表能识别为任何一个附件模板", "no sheet is recognised as any template"],
        ["请使用通知所附的模板填报，保留表头各列名称", "fill in the templates attached to the notice, keeping their header labels"];
    S03 = "S03", E, All,
        ["表头最底行的第一个单元格", "the first cell of the header's bottom row"],
        ["", ""],
        ["缺少必填列", "a required column is missing"],
        ["表头须包含模板的全部必填列", "the header must contain every required column of the template"];
    S04 = "S04", W, All,
        ["表头左上角单元格", "the header's top-left cell"],
        ["", ""],
        ["表头中有无法识别的列（已忽略）", "a column with an unknown header (ignored)"],
        ["请勿增加模板之外的列；如确需说明请写在“备注”列", "do not add columns to the template; put remarks in the 备注 (remarks) column"];
    S05 = "S05", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["公式没有计算结果", "a formula without a cached value"],
        ["请用 Excel/WPS 打开文件并保存后再报送，使公式结果写入文件", "open the file in Excel/WPS and save it so that formula results are stored"];
    S06 = "S06", E, All,
        ["单位单元格", "the unit's cell"],
        ["附件1", "Attachment 1"],
        ["填报单位无法识别、缺失或不一致", "unit unknown, missing or inconsistent"],
        ["填写{city}的报送单位之一（{units}），同一文件只能是一个单位", "one of {city}'s units ({units}), the same throughout a county file"];
    S07 = "S07", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["模板占位符未替换", "a template placeholder left in place"],
        ["用实际内容替换“× × ×”“xx”“202X.XX”等占位符", "replace placeholders such as × × ×, xx, 202X.XX with real content"];
    S08 = "S08", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["必填单元格为空", "a required cell is blank"],
        ["该列为必填项", "this column is required"];
    S09 = "S09", E, All,
        ["填报时间单元格", "the 填报时间 cell"],
        ["", ""],
        ["填报时间缺失、不完整或晚于报告日期", "填报时间 missing, incomplete or after the report date"],
        ["填写完整的年月日，且不晚于报告日期", "a full date, not after the report date"];
    // 4.2 Values
    V01 = "V01", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["数量应为不小于0的整数", "a count must be a whole number ≥ 0"],
        ["填写不带单位的整数，如 12", "a whole number without units, e.g. 12"];
    V02 = "V02", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["金额应为不小于0的数字", "an amount must be a number ≥ 0"],
        ["填写不带单位、不小于0的数字，如 35000 或 3.5", "a number ≥ 0 without a unit, e.g. 35000 or 3.5"];
    V03 = "V03", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["日期或年月无法识别", "a date, month or year that cannot be read"],
        ["日期填写如 2024-07-31 或 2024年7月31日；年月如 2024-07 或 2024年7月；年份如 2016", "dates like 2024-07-31, months like 2024-07, years like 2016"];
    V04 = "V04", W, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["数字以文本形式存储", "a number stored as text"],
        ["以数字格式填写（Excel 求和会跳过文本数字）", "enter it as a number (Excel's SUM skips numbers stored as text)"];
    V05 = "V05", W, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["年月数字可能被 Excel 改写（2024.10 会变成 2024.1），月份不明", "a month typed as a number may have been changed by Excel (2024.10 becomes 2024.1), so the month is unknown"],
        ["年月请写成文本 2024.10 或 2024-10", "enter the month as text: 2024.10 or 2024-10"];
    V06 = "V06", E, All,
        ["该单元格", "the cell"],
        ["", ""],
        ["应填“是”或“否”", "must be \"是\" or \"否\""],
        ["填写“是”或“否”", "\"是\" (yes) or \"否\" (no)"];
    // 4.3 Attachment 2 footnotes
    A2_01 = "A2-01", E, A2,
        ["H 开工套数", "H 开工套数 (units started)"],
        ["附件2 备注1", "Attachment 2, footnote 1"],
        ["开工套数小于应安置棚改居民户数", "开工套数 (units started) is less than the households to resettle"],
        ["开工套数应大于等于应安置棚改居民户数", "units started ≥ households to resettle"];
    A2_02 = "A2-02", E, A2,
        ["J 已安置棚改居民户数", "J 已安置棚改居民户数 (households resettled)"],
        ["附件2 备注1", "Attachment 2, footnote 1"],
        ["已安置户数大于建成套数", "households resettled exceed units built"],
        ["已安置棚改居民户数应小于等于已建成套数", "households resettled ≤ units built"];
    A2_03 = "A2-03", E, A2,
        ["O 逾期未交付使用户数", "O 逾期未交付使用/户数 (overdue households)"],
        ["附件2 备注1", "Attachment 2, footnote 1"],
        ["逾期未交付使用户数不等于应安置户数减已安置户数", "overdue households ≠ households to resettle − households resettled"],
        ["逾期未交付使用应等于应安置户数减已安置户数", "overdue households = households to resettle − households resettled"];
    A2_04 = "A2-04", E, A2,
        ["R 已发放过渡安置费户数", "R 已发放过渡安置费/户数 (households paid)"],
        ["附件2 备注1", "Attachment 2, footnote 1"],
        ["不欠发过渡费时，发放户数不等于应安置户数", "with nothing owed, households paid ≠ households to resettle"],
        ["不欠发过渡费的发放户数应等于应安置户数", "where no allowance is owed, households paid = households to resettle"];
    A2_05 = "A2-05", E, A2,
        ["T 已发放至", "T 已发放至 (paid through)"],
        ["附件2 备注1", "Attachment 2, footnote 1"],
        ["过渡费发放月份过早", "allowance paid through too early a month"],
        ["不欠发过渡费的，已发放至年月不得早于 {paid_through_min}", "where no allowance is owed, it is paid through {paid_through_min} or later"];
    A2_06 = "A2-06", E, A2,
        ["L 工程形象进度", "L 工程形象进度 (stage)"],
        ["附件2 备注2", "Attachment 2, footnote 2"],
        ["工程形象进度不是规定的填注文字", "工程形象进度 is not one of the eleven stages"],
        ["填写：1、未开工，2、基坑开挖，3、地基桩基处理，4、地下施工，5-1、主体施工1/3以下，5-2、主体施工1/3-2/3，5-3、主体施工2/3以上，6、主体封顶，7、基本建成，8、竣工验收，9、准备交付", "one of the eleven stages of footnote 2"];
    A2_07 = "A2-07", E, A2,
        ["AA 责任单位", "AA 责任单位 (responsible body)"],
        ["附件2 备注3", "Attachment 2, footnote 3"],
        ["责任单位不是政府或主管部门", "责任单位 is not a government body or competent department"],
        ["责任单位必须是政府或者主管部门（如 ××县住建局、××镇人民政府），不能是企业或个人", "a government body or its department, not a company or a person"];
    A2_08 = "A2-08", E, A2,
        ["AB 责任人及电话", "AB 责任人及电话 (person and phone)"],
        ["附件2 备注3", "Attachment 2, footnote 3"],
        ["责任人及电话缺少姓名或电话", "责任人及电话 lacks a name or a phone number"],
        ["填写工作人员姓名及电话，如 王建军 13903563218 或 李明 0356-2285683", "a person's name and a phone number"];
    A2_09 = "A2-09", E, A2,
        ["合计/小计行单元格", "the total or subtotal row's cell"],
        ["附件2 模板第一行（1 {city} 0 0 …）", "Attachment 2, the template's first row (1 {city} 0 0 …)"],
        ["合计与各项目之和不符", "a total does not equal the sum of its project rows"],
        ["合计行（小计行）应等于所覆盖项目行之和", "a total row equals the sum of the project rows it covers"];
    A2_10 = "A2-10", E, A2,
        ["D 监管编号 / C 项目名称", "D 监管编号 (supervision no.) / C 项目名称 (project name)"],
        ["", ""],
        ["项目重复", "duplicate project"],
        ["同一项目只填一行：监管编号和项目名称都不能重复", "one row per project: no repeated 监管编号 or 项目名称"];
    // 4.4 Attachment 2 consistency
    A2_20 = "A2-20", W, A2,
        ["I 建成套数", "I 建成套数 (units built)"],
        ["", ""],
        ["建成套数大于开工套数", "units built exceed units started"],
        ["建成套数应小于等于开工套数", "units built ≤ units started"];
    A2_21 = "A2-21", W, A2,
        ["K 在建套数", "K 在建套数 (under construction)"],
        ["", ""],
        ["在建套数不等于开工套数减建成套数", "units under construction ≠ started − built"],
        ["在建套数 = 开工套数 − 建成套数", "under construction = started − built"];
    A2_22 = "A2-22", W, A2,
        ["N 约定交付时间", "N 约定交付时间 (agreed delivery)"],
        ["", ""],
        ["约定交付时间有误", "agreed delivery date looks wrong"],
        ["约定交付时间应不早于签订时间；有逾期户数的项目，约定交付时间应早于报告日期", "agreed delivery ≥ signing date; where households are overdue, before the report date"];
    A2_23 = "A2-23", W, A2,
        ["V 欠发金额", "V 欠发过渡安置费情况/金额 (amount owed)"],
        ["", ""],
        ["有欠发户数但欠发金额或月数为空", "households owed but no amount or months owed"],
        ["欠发户数大于0时，欠发金额应大于0、欠发几个月应不少于1", "where households are owed: amount > 0 and months ≥ 1"];
    A2_24 = "A2-24", W, A2,
        ["U 欠发户数", "U 欠发过渡安置费情况/户数 (households owed)"],
        ["", ""],
        ["发放户数与欠发户数之和超过应安置户数", "households paid + owed exceed households to resettle"],
        ["已发放户数 + 欠发户数 ≤ 应安置户数", "paid + owed ≤ households to resettle"];
    A2_25 = "A2-25", W, A2,
        ["AD 交付使用户数", "AD 交付使用户数 (planned deliveries)"],
        ["", ""],
        ["整改计划交付户数超过逾期未交付户数", "planned deliveries exceed overdue households"],
        ["{plan_deadline}计划交付使用户数 ≤ 逾期未交付使用户数", "planned deliveries {plan_deadline} ≤ overdue households"];
    A2_26 = "A2-26", W, A2,
        ["AG 已交付使用户数", "AG 已交付使用户数 (households delivered)"],
        ["", ""],
        ["已交付使用数超过应安置户数或建成套数", "delivered exceeds households to resettle or units built"],
        ["已交付使用户数 ≤ 应安置户数，已交付使用套数 ≤ 建成套数", "delivered households ≤ households to resettle; delivered units ≤ units built"];
    A2_27 = "A2-27", W, A2,
        ["L 工程形象进度", "L 工程形象进度 (stage)"],
        ["附件2 备注2", "Attachment 2, footnote 2"],
        ["工程形象进度与建成套数矛盾", "stage contradicts units built"],
        ["未开工的项目不应有建成套数；基本建成、竣工验收、准备交付的项目应有建成套数", "stage 1 \"未开工\" with no units built; stages 7-9 with units built"];
    A2_28 = "A2-28", W, A2,
        ["AC 计划交付时间", "AC 计划交付时间 (planned delivery)"],
        ["方案 四（四）约谈问责", "the action plan, part 4 (4): accountability talks"],
        ["计划交付时间已过", "planned delivery month has passed"],
        ["仍有逾期户数的项目，计划交付时间不应早于报告月份", "where households are still overdue, the planned month is not before the report month"];
    A2_29 = "A2-29", W, A2,
        ["AI 进展详细说明", "AI 进展详细说明 (progress note)"],
        ["附件2 表头（报阶段性整改时间）", "Attachment 2, the header of column AI (a date for each stage)"],
        ["进展详细说明未写明阶段性整改时间", "progress note names no date for the rectification stage"],
        ["写明阶段性整改时间，如“2024年11月底前主体封顶”", "name a date, e.g. \"2024年11月底前主体封顶\""];
    // 4.5 Attachment 3
    A3_01 = "A3-01", W, A3,
        ["D 原住房具体位置", "D 原住房具体位置 (original home)"],
        ["附件3 备注1", "Attachment 3, footnote 1"],
        ["原住房具体位置格式不符", "original home address not in the prescribed shape"],
        ["大致格式：xx县(区)xx街(路)xx小区xx排xx号", "shape: \"xx县(区) xx街(路) xx小区 xx排 xx号\""];
    A3_02 = "A3-02", E, A3,
        ["I 信息来源", "I 信息来源 (source of the case)"],
        ["附件3 备注2", "Attachment 3, footnote 2"],
        ["信息来源不是规定的四类之一", "信息来源 is not one of the four sources"],
        ["来信来访来电、信访转办、电信举报、其他转办", "\"来信来访来电\", \"信访转办\", \"电信举报\" or \"其他转办\""];
    A3_03 = "A3-03", W, A3,
        ["Q 办理进展或结果", "Q 办理进展或结果 (progress or result)"],
        ["附件3 备注3", "Attachment 3, footnote 3"],
        ["棚改未逾期问题的办理结果未按规定标注", "result of a non-overdue shantytown case not worded as prescribed"],
        ["标注签订的回迁安置时间及“不属于逾期未回迁”，或“已在…回迁安置/妥善安置”", "state the agreed date and \"不属于逾期未回迁\", or that the person was resettled"];
    A3_04 = "A3-04", W, A3,
        ["Q 办理进展或结果", "Q 办理进展或结果 (progress or result)"],
        ["附件3 备注3", "Attachment 3, footnote 3"],
        ["非棚改问题的办理结果未按规定标注", "result of a non-shantytown case not worded as prescribed"],
        ["标注“不属于棚改征收，属于xx类征收”", "state \"不属于棚改征收\" and the kind (\"属于…类…征收\")"];
    A3_05 = "A3-05", E, A3,
        ["O 填报逾期项目清单时间", "O 填报逾期项目清单时间 (date listed as overdue)"],
        ["", ""],
        ["发生逾期的问题未填报逾期项目清单时间", "overdue case without the date it was listed"],
        ["是否发生逾期为“是”时须填写填报逾期项目清单时间", "required where 是否发生逾期 is \"是\""];
    A3_06 = "A3-06", E, A3,
        ["Q 办理进展或结果", "Q 办理进展或结果 (progress or result)"],
        ["", ""],
        ["已办结的问题未填写办理结果", "closed case without a result"],
        ["是否办结为“是”时须填写办理进展或结果", "required where 是否办结 is \"是\""];
    A3_07 = "A3-07", W, A3,
        ["F 协议明确回迁时间", "F 协议明确回迁时间 (agreed return)"],
        ["", ""],
        ["协议回迁时间早于协议签订时间", "agreed return date before signing date"],
        ["协议明确回迁时间应不早于协议签订时间", "agreed return ≥ signing date"];
    A3_08 = "A3-08", E, A3,
        ["J 受理和收到时间", "J 受理和收到时间 (date received)"],
        ["", ""],
        ["受理时间晚于报告日期", "received after the report date"],
        ["受理和收到时间不能晚于报告日期", "not after the report date"];
    A3_09 = "A3-09", W, A3,
        ["B 投诉/举报人及联系方式", "B 投诉/举报人及联系方式 (complainant and contact)"],
        ["", ""],
        ["未留联系方式", "no phone number or e-mail"],
        ["填写投诉人的电话或电子邮箱", "a phone number or an e-mail address"];
    A3_10 = "A3-10", W, A3,
        ["N 是否发生逾期", "N 是否发生逾期 (overdue?)"],
        ["", ""],
        ["非棚改征收却标为发生逾期", "not a shantytown case yet marked overdue"],
        ["是否棚改征收为“否”时，是否发生逾期一般为“否”", "where 是否棚改征收 is \"否\", 是否发生逾期 is normally \"否\""];
    // 4.6 Attachment 4
    A4_01 = "A4-01", E, A4,
        ["B 栏目单元格", "B 项目推进情况, the section's cell"],
        ["附件4", "Attachment 4"],
        ["工作进展栏目未填写内容", "a progress section has no text"],
        ["四个栏目标签后都要填写本单位的内容", "each of the four sections needs text after its label"];
    A4_02 = "A4-02", E, A4,
        ["C 件数", "C 件数 (matters handled)"],
        ["附件4", "Attachment 4"],
        ["件数应为数量", "件数 must be a count"],
        ["填写不小于0的整数", "a whole number ≥ 0"];
    A4_03 = "A4-03", W, A4,
        ["D 典型事例", "D 典型事例 (typical cases)"],
        ["附件4", "Attachment 4"],
        ["典型事例数与件数不符", "typical cases do not fit 件数"],
        ["典型事例不多于件数，件数大于0时至少一条", "at most 件数 cases, at least one when 件数 > 0"];
    // 4.7 Attachment 5
    A5_01 = "A5-01", E, A5,
        ["C 小计", "C 小计 (problems found)"],
        ["附件5", "Attachment 5"],
        ["发现问题数小计不等于各来源之和", "the problems found (小计) ≠ the sum of their sources"],
        ["小计 = 自查发现 + 派驻纪检组发现移交 + 其他部门移交", "小计 = 自查发现 + 派驻纪检组发现移交 + 其他部门移交"];
    A5_02 = "A5-02", E, A5,
        ["G 完成整改问题数", "G 完成整改问题数 (problems rectified)"],
        ["附件5", "Attachment 5"],
        ["完成整改问题数大于发现问题数", "rectified exceeds problems found"],
        ["完成整改问题数 ≤ 发现问题数小计", "rectified ≤ problems found"];
    A5_03 = "A5-03", E, A5,
        ["I / J 小计", "I / J 小计 (subtotals)"],
        ["附件5", "Attachment 5"],
        ["回迁安置小计不等于已回迁与未回迁之和", "小计 ≠ returned + waiting"],
        ["小计户数 = 已回迁户数 + 未回迁户数，人数同理", "小计 = returned + waiting, for households and people"];
    A5_04 = "A5-04", W, A5,
        ["J / L / N 人数", "J / L / N 人数 (people)"],
        ["附件5", "Attachment 5"],
        ["人数少于户数", "people fewer than households"],
        ["每组人数应不少于户数", "people ≥ households in each pair"];
    A5_05 = "A5-05", W, A5,
        ["H 典型问题", "H 典型问题和整改情况 (typical problems)"],
        ["附件5 说明2", "Attachment 5, note 2"],
        ["典型问题缺少内容或整改结果", "a typical problem lacks its text or its \"整改结果\""],
        ["应选取已整改完成的典型问题，写明问题及整改结果", "each typical problem has its text and a filled \"整改结果\""];
    // 4.8 Across attachments
    X01 = "X01", W, Cross,
        ["附件3 G 回迁安置项目名称", "附件3 G 回迁安置项目名称 (resettlement project)"],
        ["", ""],
        ["台账中的逾期项目不在附件2中", "overdue A3 case names no project of the unit's A2"],
        ["发生逾期的问题应对应附件2中的项目", "the project should be one of the unit's Attachment 2 projects"];
    X02 = "X02", W, Cross,
        ["附件5 M 未回迁安置户数", "附件5 M 未回迁安置/户数 (households waiting)"],
        ["", ""],
        ["附件5未回迁户数与附件2逾期未交付户数合计不符", "A5 waiting households ≠ A2 Σ overdue households"],
        ["附件5 未回迁安置户数 = 附件2 逾期未交付使用户数合计", "A5 waiting households = the unit's A2 Σ overdue households"];
    X03 = "X03", E, Cross,
        ["无", "none"],
        ["", ""],
        ["同一单位重复报送同一附件", "the same attachment sent twice for one unit"],
        ["每个单位每个附件只报送一个文件", "one file per attachment per unit"];
    // 11.1 Week over week (diff, merge --previous): OLD's cell in `related` as file!sheet!cell
    H01 = "H01", W, Week,
        ["本周 L 工程形象进度", "this week's L 工程形象进度 (stage)"],
        ["方案 三（三）定期通报", "the action plan, part 3 (3): regular reports"],
        ["工程形象进度倒退", "工程形象进度 went back"],
        ["工程形象进度只应前进；确属倒退的请在“进展详细说明”中说明原因", "the stage only moves forward; explain a real step back in 进展详细说明"];
    H02 = "H02", W, Week,
        ["本周该单元格", "the cell in this week's file"],
        ["方案 三（三）定期通报", "the action plan, part 3 (3): regular reports"],
        ["累计数比上周减少", "a running total went down"],
        ["开工、建成、已安置、已发放过渡费、已交付使用等累计数不应减少；如系更正请在备注中说明", "running totals do not go down; note a correction in the 备注 (remarks) column"];
    H03 = "H03", W, Week,
        ["无（上周的行见相关单元格）", "none (last week's row is the related cell)"],
        ["方案 三（三）定期通报", "the action plan, part 3 (3): regular reports"],
        ["上周的项目本周不见了", "a project of last week is missing this week"],
        ["项目整改完成前每周都应报送；已销号的请在备注中说明", "report every project each week until it is finished; note a closed one in the 备注 (remarks) column"];
    H04 = "H04", W, Week,
        ["本周该单元格", "the cell in this week's file"],
        ["", ""],
        ["不应变化的基本信息变了", "a fact that does not move changed"],
        ["监管编号、列入国家计划年度、实际开工时间、应安置户数、签订时间、约定交付时间不随周变化；如系更正请说明", "these facts stay the same week to week; explain a correction"];
    H05 = "H05", W, Week,
        ["本周 R 是否办结", "this week's R 是否办结 (closed?)"],
        ["附件3", "Attachment 3"],
        ["已办结的问题重新打开或不见了", "a closed A3 case is open again or missing"],
        ["已办结的问题保持“是”；确需重新办理的请在备注中说明", "a closed case stays \"是\"; explain a reopened one in the 备注 (remarks) column"];
}

/// The catalogue as a Markdown table in `lang`, for the city of `config` (the README's rule
/// table is the English one for the built-in default, checked by a test).
pub fn markdown(lang: Lang, config: &Config) -> String {
    let mut s = String::from(match lang {
        Lang::Zh => "| 规则 | 级别 | 范围 | 报告位置 | 依据 | 内容 | 要求 |\n|---|---|---|---|---|---|---|\n",
        Lang::En => "| rule | severity | scope | reported on | source | what it finds | wants |\n|---|---|---|---|---|---|---|\n",
    });
    for r in RULES {
        let source = r.source(lang, config);
        let source = if source.is_empty() {
            "—".to_string()
        } else {
            source
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {source} | {} | {} |\n",
            r.id,
            r.severity.word(lang),
            r.scope.word(lang),
            r.primary(lang),
            r.title(lang),
            r.want(lang, config)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_complete() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule id");
        for id in [
            "S01", "S09", "V06", "A2-01", "A2-10", "A2-20", "A2-29", "A3-10", "A4-03", "A5-05",
            "X03", "H01", "H05",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        assert_eq!(RuleId::V04.entry().severity, Severity::Warning);
    }

    #[test]
    fn variants_spell_their_ids_and_index_the_catalogue() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i);
            assert_eq!(format!("{:?}", r.id), r.id.as_str().replace('-', "_"));
            assert_eq!(RuleId::parse(&r.id.as_str().to_lowercase()), Some(r.id));
        }
    }

    /// Every text names only parameters `Param` knows: filled in, no brace is left.
    #[test]
    fn every_parameter_a_text_names_is_filled_in() {
        let config = Config::jincheng(chrono::NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
        for r in RULES {
            for lang in [Lang::Zh, Lang::En] {
                for text in [r.want(lang, &config), r.source(lang, &config)] {
                    assert!(!text.contains(['{', '}']), "{}: {text}", r.id);
                }
            }
        }
        assert!(RuleId::A2_05
            .entry()
            .want(Lang::En, &config)
            .contains("2024-07"));
        assert!(RuleId::A2_09
            .entry()
            .source(Lang::Zh, &config)
            .contains("1 晋城市 0 0"));
        assert!(RuleId::S06
            .entry()
            .want(Lang::Zh, &config)
            .contains("（城区、开发区、泽州县"));
    }
}
