//! The units of Attachment 1 and the rule parameters (SPEC 2, 8): a built-in default for
//! Jincheng that a TOML file can replace, and unit-name matching.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use toml::Spanned;

use crate::lang::Lang;
use crate::values::{fold, normalized, YearMonth};

mod lookup;

pub use lookup::Counties;

/// One unit of Attachment 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Short name used everywhere (`泽州县`).
    pub name: String,
    /// Full name as in Attachment 1 (`泽州县住建局`).
    pub full_name: String,
    pub aliases: Vec<String>,
    pub phone: String,
    pub email: String,
}

impl Unit {
    /// The texts that name the unit exactly: its name, its full name, its aliases.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        [&self.name, &self.full_name]
            .into_iter()
            .chain(&self.aliases)
    }
}

/// Everything the rules need besides the file. The units (`city`, `units`) may be changed only
/// before the first unit is looked up (`match_unit`, `counties`): the lookups are prepared then.
#[derive(Debug, Clone)]
pub struct Config {
    /// The consolidating unit (`晋城市`).
    pub city: Unit,
    /// The submitting units, in report order.
    pub units: Vec<Unit>,
    /// A2-05: allowance must be paid through at least this month.
    pub paid_through_min: YearMonth,
    /// The report date.
    pub as_of: NaiveDate,
    /// 约谈预警 (SPEC 11.3): the dates by which each unit must have finished its plan (方案 四(四)).
    pub milestones: Vec<NaiveDate>,
    /// The date the columns `其中：10月底前整改计划` refer to.
    pub plan_deadline: NaiveDate,
    /// A milestone this many days ahead or fewer is 临近节点.
    pub warn_days: i64,
    /// `trend`: a project unchanged this many weeks is stalled (SPEC 11.4).
    pub stall_weeks: usize,
    lookups: lookup::Lookups,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid built-in date")
}

fn unit(name: &str, full: &str, phone: &str, email: &str, aliases: &[&str]) -> Unit {
    Unit {
        name: name.into(),
        full_name: full.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        phone: phone.into(),
        email: email.into(),
    }
}

/// Suffixes stripped from a unit name before matching (longest first).
const SUFFIXES: &[&str] = &["住房和城乡建设局", "住房城乡建设局", "建设管理部", "住建局"];

/// The city of the built-in default config, named in the blank templates' 合计 row.
pub const DEFAULT_CITY: &str = "晋城市";

impl Config {
    /// The built-in default: Jincheng's eight units of Attachment 1.
    pub fn jincheng(as_of: NaiveDate) -> Config {
        Config {
            city: unit(
                DEFAULT_CITY,
                "晋城市住建局",
                "2229243",
                "jcszjjfck@126.com",
                &["晋城"],
            ),
            units: vec![
                unit("城区", "城区住建局", "2022839", "jcscqzjjfck@163.com", &[]),
                unit(
                    "开发区",
                    "开发区建设管理部",
                    "2190530",
                    "kfqjsj0530@163.com",
                    &["晋城经济技术开发区", "经济技术开发区", "经开区"],
                ),
                unit(
                    "泽州县",
                    "泽州县住建局",
                    "2285683",
                    "zzxzjjfcg@163.com",
                    &["泽州"],
                ),
                unit(
                    "高平市",
                    "高平市住建局",
                    "5297722",
                    "gpzfbzglzx@163.com",
                    &["高平"],
                ),
                unit(
                    "阳城县",
                    "阳城县住建局",
                    "3200910",
                    "ycxzjjzfbz@163.com",
                    &["阳城"],
                ),
                unit(
                    "陵川县",
                    "陵川县住建局",
                    "6207152",
                    "lccjjbzk@163.com",
                    &["陵川"],
                ),
                unit(
                    "沁水县",
                    "沁水县住建局",
                    "7022483",
                    "qsxzfbz@163.com",
                    &["沁水"],
                ),
            ],
            paid_through_min: YearMonth::new(2024, 7),
            as_of,
            milestones: vec![ymd(2024, 12, 31), ymd(2025, 6, 30), ymd(2025, 12, 31)],
            plan_deadline: ymd(2024, 10, 31),
            warn_days: 30,
            stall_weeks: 4,
            lookups: lookup::Lookups::default(),
        }
    }

    /// All units, the city first (the order of every consolidated sheet).
    pub fn all_units(&self) -> impl Iterator<Item = &Unit> {
        std::iter::once(&self.city).chain(self.units.iter())
    }

    /// Matches a unit name as written in a file (SPEC 2): folded, whitespace removed, a leading
    /// city name and a trailing bureau name stripped while something remains.
    pub fn match_unit(&self, written: &str) -> Option<&Unit> {
        let compact = normalized(written);
        let compact = if compact.contains("盖章") {
            Cow::Owned(compact.replace("(盖章)", "").replace("盖章", ""))
        } else {
            compact
        };
        let s = compact.trim_matches(|c: char| c == ':' || c == '：');
        if s.is_empty() {
            return None;
        }
        // The text, without the bureau's name, and either without the city's name: by slicing.
        let mut candidates: Vec<&str> = Vec::with_capacity(8);
        candidates.push(s);
        let bare = SUFFIXES
            .iter()
            .find_map(|suffix| s.strip_suffix(suffix).filter(|rest| !rest.is_empty()));
        candidates.extend(bare);
        for prefix in [
            self.city.name.as_str(),
            self.city.name.trim_end_matches('市'),
        ] {
            if prefix.is_empty() {
                continue;
            }
            for k in 0..candidates.len() {
                if let Some(rest) = candidates[k].strip_prefix(prefix) {
                    if !rest.is_empty() {
                        candidates.push(rest);
                    }
                }
            }
        }
        let found = candidates
            .iter()
            .find_map(|c| self.lookups.unit_named(self.all_units(), c));
        debug_assert_eq!(
            found,
            candidates
                .iter()
                .find_map(|c| self.all_units().position(|u| u.names().any(|n| n == c))),
            "the units changed after the first lookup"
        );
        found.map(|i| match i {
            0 => &self.city,
            i => &self.units[i - 1],
        })
    }

    /// The units' county names, as an address starts with them (A3-01).
    pub fn counties(&self) -> &Counties {
        let counties = self.lookups.counties(self.all_units());
        debug_assert!(
            *counties
                == Counties::new(
                    &self
                        .all_units()
                        .map(|u| u.name.as_str())
                        .collect::<Vec<_>>()
                ),
            "the units changed after the first lookup"
        );
        counties
    }

    pub fn is_city(&self, u: &Unit) -> bool {
        u.name == self.city.name
    }

    /// Position of a unit in report order (city = 0).
    pub fn order(&self, name: &str) -> usize {
        self.all_units()
            .position(|u| u.name == name)
            .unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap())
    }

    #[test]
    fn unit_names_match_after_normalising() {
        let c = cfg();
        let name = |s: &str| c.match_unit(s).map(|u| u.name.clone());
        assert_eq!(name("泽州县").as_deref(), Some("泽州县"));
        assert_eq!(name(" 泽州县住建局 ").as_deref(), Some("泽州县"));
        assert_eq!(name("晋城市城区").as_deref(), Some("城区"));
        assert_eq!(name("晋城市").as_deref(), Some("晋城市"));
        assert_eq!(name("晋城市住建局").as_deref(), Some("晋城市"));
        assert_eq!(name("晋城经济技术开发区").as_deref(), Some("开发区"));
        assert_eq!(name("经开区").as_deref(), Some("开发区"));
        assert_eq!(name("开发区建设管理部").as_deref(), Some("开发区"));
        assert_eq!(name("高平市住房和城乡建设局").as_deref(), Some("高平市"));
        assert_eq!(name("太原市"), None);
        assert_eq!(name(""), None);
    }
}

/// Why a config file could not be used: the file could not be read, or what is wrong in it
/// with where (a byte range of the text, for miette to underline).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {}: {}", path.display(), problem.message(Lang::En))]
    Invalid {
        path: PathBuf,
        text: String,
        span: Range<usize>,
        problem: Problem,
    },
}

/// What is wrong in a config file (SPEC 8).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not TOML, or not the keys and types of `pgcheck config` (the parser's words).
    Syntax(String),
    /// `[[units]]` given but empty.
    NoUnits,
    /// `city = …` without `[[units]]`: the built-in units are another city's.
    CityWithoutUnits(String),
    DuplicateUnit(String),
    EmptyUnitName,
    UnitNamedLikeCity(String),
    /// One alias (or name) given to two units; the second unit is named.
    SharedAlias {
        alias: String,
        first: String,
    },
    /// `paid_through_min` is not a year and month.
    NotAMonth(String),
    /// `as_of` is not a date.
    NotADate(String),
    /// A date key other than `as_of` (`milestones`, `plan_deadline`) holds no date.
    NotADateIn {
        key: &'static str,
        value: String,
    },
    NegativeWarnDays(i64),
    ZeroStallWeeks,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Problem::Syntax(m) if zh => format!("格式有误：{}", syntax_zh(m)),
            Problem::Syntax(m) => m.clone(),
            Problem::NoUnits if zh => "[[units]] 不能为空".into(),
            Problem::NoUnits => "[[units]] must not be empty".into(),
            Problem::CityWithoutUnits(c) if zh => format!(
                "写了 city = \"{c}\" 却没有 [[units]]：内置的报送单位是晋城市的，请列出 {c} 的报送单位"
            ),
            Problem::CityWithoutUnits(c) => format!(
                "city = \"{c}\" but no [[units]]: the built-in units are Jincheng's; list {c}'s units"
            ),
            Problem::DuplicateUnit(n) if zh => format!("报送单位 \"{n}\" 出现了两次"),
            Problem::DuplicateUnit(n) => format!("the unit \"{n}\" is listed twice"),
            Problem::EmptyUnitName if zh => "报送单位名称不能为空".into(),
            Problem::EmptyUnitName => "a unit's name must not be empty".into(),
            Problem::UnitNamedLikeCity(n) if zh => {
                format!("报送单位 \"{n}\" 与汇总城市同名")
            }
            Problem::UnitNamedLikeCity(n) => {
                format!("the unit \"{n}\" has the city's name")
            }
            Problem::SharedAlias { alias, first } if zh => {
                format!("\"{alias}\" 已用于报送单位 \"{first}\"，不能再指另一个单位")
            }
            Problem::SharedAlias { alias, first } => {
                format!("\"{alias}\" already names the unit \"{first}\"; it cannot name another")
            }
            Problem::NotAMonth(v) if zh => {
                format!("paid_through_min = {v} 不是年月，应写作 \"2024-07\" 或 2024-07-31")
            }
            Problem::NotAMonth(v) => format!(
                "paid_through_min = {v} is not a year and month; write \"2024-07\" or 2024-07-31"
            ),
            Problem::NotADate(v) if zh => {
                format!("as_of = {v} 不是日期，应写作 2024-10-14 或 \"2024-10-14\"")
            }
            Problem::NotADate(v) => {
                format!("as_of = {v} is not a date; write 2024-10-14 or \"2024-10-14\"")
            }
            Problem::NotADateIn { key, value } if zh => {
                format!("{key} 中的 {value} 不是日期，应写作 2024-12-31")
            }
            Problem::NotADateIn { key, value } => {
                format!("{key}: {value} is not a date; write 2024-12-31")
            }
            Problem::NegativeWarnDays(n) if zh => format!("warn_days = {n} 不能为负数"),
            Problem::NegativeWarnDays(n) => format!("warn_days = {n} must not be negative"),
            Problem::ZeroStallWeeks if zh => "stall_weeks 应不小于 1".into(),
            Problem::ZeroStallWeeks => "stall_weeks must be at least 1".into(),
        }
    }
}

/// The TOML reader's words (English) in Chinese, for the messages a hand-edited config meets
/// most; anything else is given as the reader said it.
fn syntax_zh(m: &str) -> String {
    // `unknown field `citty`, expected one of `city`, `units``
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let kind = |s: &str| -> String {
        let s = s.trim();
        match s {
            "i64" | "u64" | "usize" | "an integer" => "整数".into(),
            "a string" | "a borrowed string" => "加引号的文字".into(),
            "a sequence" => "列表 [ … ]".into(),
            "a map" => "表".into(),
            "a boolean" => "true 或 false".into(),
            _ => match s.split_once(' ') {
                Some(("string", v)) => format!("文字 {v}"),
                Some(("integer", v)) => format!("整数 {}", v.trim_matches('`')),
                Some(("float", v)) => format!("小数 {}", v.trim_matches('`')),
                Some(("boolean", v)) => format!("布尔值 {}", v.trim_matches('`')),
                _ => s.to_string(),
            },
        }
    };
    if let Some(rest) = m.strip_prefix("unknown field ") {
        let names = ticked(rest);
        if let Some((found, known)) = names.split_first() {
            return format!("不认识的键 {found}（可用：{}）", known.join("、"));
        }
    }
    if let Some(rest) = m.strip_prefix("invalid type: ") {
        if let Some((found, wanted)) = rest.split_once(", expected ") {
            return format!("值的类型不对：写的是{}，应为{}", kind(found), kind(wanted));
        }
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("缺少键 {}", rest.trim_matches('`'));
    }
    if m.starts_with("string values must be quoted") {
        return "文字须加引号，如 city = \"长治市\"".into();
    }
    if m == "duplicate key" {
        return "同一个键写了两次".into();
    }
    format!("（TOML）{m}")
}

impl ConfigError {
    /// The message in the run's language (without the snippet).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ConfigError::Io { path, source }, Lang::Zh) => {
                format!(
                    "无法读取配置文件 {}：{}",
                    path.display(),
                    crate::oserror::reason(source, lang)
                )
            }
            (ConfigError::Io { path, source }, Lang::En) => {
                format!(
                    "cannot read config file {}: {}",
                    path.display(),
                    crate::oserror::reason(source, lang)
                )
            }
            (ConfigError::Invalid { path, problem, .. }, Lang::Zh) => {
                format!(
                    "配置文件 {} 有误：{}",
                    path.display(),
                    problem.message(lang)
                )
            }
            (ConfigError::Invalid { path, problem, .. }, Lang::En) => {
                format!("config file {}: {}", path.display(), problem.message(lang))
            }
        }
    }

    /// Line and column (1-based) where the problem is, if it is in the text.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let ConfigError::Invalid { text, span, .. } = self else {
            return None;
        };
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some((line, col))
    }
}

/// The file form of `Config` (SPEC 8): every key optional; what is given replaces the default.
/// Spans are kept where a value can be refused after parsing.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    city: Option<Spanned<String>>,
    city_full_name: Option<String>,
    city_phone: Option<String>,
    city_email: Option<String>,
    city_aliases: Option<Vec<Spanned<String>>>,
    /// `"2024-07"` or a TOML date.
    paid_through_min: Option<Spanned<toml::Value>>,
    /// `2024-10-14` or `"2024-10-14"`.
    as_of: Option<Spanned<toml::Value>>,
    milestones: Option<Vec<Spanned<toml::Value>>>,
    plan_deadline: Option<Spanned<toml::Value>>,
    warn_days: Option<Spanned<i64>>,
    stall_weeks: Option<Spanned<usize>>,
    units: Option<Spanned<Vec<UnitFile>>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    name: Spanned<String>,
    full_name: Option<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

/// A TOML date (`2024-10-14`) or a string a reader of dates understands.
fn date_value(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::Datetime(d) => {
            let date = d.date.filter(|_| d.time.is_none())?;
            NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// A year and month: a TOML date (its month) or a string such as `"2024-07"`.
fn month_value(v: &toml::Value) -> Option<YearMonth> {
    match v {
        toml::Value::Datetime(_) => date_value(v).map(|d| YearMonth::new(d.year(), d.month())),
        toml::Value::String(s) => crate::values::read_month(&crate::grid::Value::Text(s.clone()))
            .ok()
            .flatten()
            .map(|r| r.value),
        _ => None,
    }
}

impl Config {
    /// The built-in default with what `text` (TOML) replaces. `as_of` is used unless the file
    /// sets one; the caller's `--as-of` wins over both (apply it afterwards). A config that would
    /// corrupt a merge (two units of one name, an alias on two units, a city without its units)
    /// is refused with where it is.
    pub fn from_toml(
        text: &str,
        path: impl AsRef<Path>,
        as_of: NaiveDate,
    ) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let invalid = |span: Range<usize>, problem: Problem| ConfigError::Invalid {
            path: path.to_path_buf(),
            text: text.to_string(),
            span,
            problem,
        };
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            invalid(e.span().unwrap_or(0..0), Problem::Syntax(message))
        })?;
        let mut c = Config::jincheng(as_of);
        if let Some(city) = &file.city {
            let city_name = city.get_ref().trim().to_string();
            if file.units.is_none() {
                return Err(invalid(city.span(), Problem::CityWithoutUnits(city_name)));
            }
            c.city.full_name = file
                .city_full_name
                .clone()
                .unwrap_or_else(|| format!("{city_name}住建局"));
            c.city.name = city_name;
            c.city.aliases = Vec::new();
            c.city.phone = file.city_phone.clone().unwrap_or_default();
            c.city.email = file.city_email.clone().unwrap_or_default();
        } else {
            if let Some(f) = &file.city_full_name {
                c.city.full_name = f.clone();
            }
            if let Some(p) = &file.city_phone {
                c.city.phone = p.clone();
            }
            if let Some(e) = &file.city_email {
                c.city.email = e.clone();
            }
        }
        if let Some(a) = &file.city_aliases {
            c.city.aliases = a.iter().map(|s| s.get_ref().clone()).collect();
        }
        if let Some(m) = &file.paid_through_min {
            c.paid_through_min = month_value(m.get_ref())
                .ok_or_else(|| invalid(m.span(), Problem::NotAMonth(m.get_ref().to_string())))?;
        }
        if let Some(d) = &file.as_of {
            c.as_of = date_value(d.get_ref())
                .ok_or_else(|| invalid(d.span(), Problem::NotADate(d.get_ref().to_string())))?;
        }
        if let Some(ms) = &file.milestones {
            let mut dates = Vec::new();
            for m in ms {
                dates.push(date_value(m.get_ref()).ok_or_else(|| {
                    invalid(
                        m.span(),
                        Problem::NotADateIn {
                            key: "milestones",
                            value: m.get_ref().to_string(),
                        },
                    )
                })?);
            }
            dates.sort();
            c.milestones = dates;
        }
        if let Some(d) = &file.plan_deadline {
            c.plan_deadline = date_value(d.get_ref()).ok_or_else(|| {
                invalid(
                    d.span(),
                    Problem::NotADateIn {
                        key: "plan_deadline",
                        value: d.get_ref().to_string(),
                    },
                )
            })?;
        }
        if let Some(n) = &file.warn_days {
            if *n.get_ref() < 0 {
                return Err(invalid(n.span(), Problem::NegativeWarnDays(*n.get_ref())));
            }
            c.warn_days = *n.get_ref();
        }
        if let Some(n) = &file.stall_weeks {
            if *n.get_ref() == 0 {
                return Err(invalid(n.span(), Problem::ZeroStallWeeks));
            }
            c.stall_weeks = *n.get_ref();
        }
        if let Some(units) = &file.units {
            if units.get_ref().is_empty() {
                return Err(invalid(units.span(), Problem::NoUnits));
            }
            // Every name and alias (folded, as files are matched) names one unit; the city's
            // own names are taken first.
            let mut taken: HashMap<String, String> = HashMap::new();
            let city_names = std::iter::once(c.city.name.clone()).chain(c.city.aliases.clone());
            for n in city_names {
                taken.insert(fold(&n), c.city.name.clone());
            }
            let mut names_seen: HashMap<String, ()> = HashMap::new();
            for u in units.get_ref() {
                let name = u.name.get_ref().trim();
                if name.is_empty() {
                    return Err(invalid(u.name.span(), Problem::EmptyUnitName));
                }
                if fold(name) == fold(&c.city.name) {
                    return Err(invalid(
                        u.name.span(),
                        Problem::UnitNamedLikeCity(name.to_string()),
                    ));
                }
                if names_seen.insert(fold(name), ()).is_some() {
                    return Err(invalid(
                        u.name.span(),
                        Problem::DuplicateUnit(name.to_string()),
                    ));
                }
                for alias in std::iter::once(&u.name).chain(u.aliases.iter()) {
                    let key = fold(alias.get_ref().trim());
                    if key.is_empty() {
                        continue;
                    }
                    match taken.get(&key) {
                        Some(first) if first != name => {
                            return Err(invalid(
                                alias.span(),
                                Problem::SharedAlias {
                                    alias: alias.get_ref().clone(),
                                    first: first.clone(),
                                },
                            ))
                        }
                        _ => {
                            taken.insert(key, name.to_string());
                        }
                    }
                }
            }
            c.units = units
                .get_ref()
                .iter()
                .map(|u| {
                    let name = u.name.get_ref().trim().to_string();
                    Unit {
                        full_name: u
                            .full_name
                            .clone()
                            .unwrap_or_else(|| format!("{name}住建局")),
                        name,
                        aliases: u.aliases.iter().map(|a| a.get_ref().clone()).collect(),
                        phone: u.phone.clone(),
                        email: u.email.clone(),
                    }
                })
                .collect();
        }
        Ok(c)
    }

    /// Reads a config file (see `from_toml`).
    pub fn load(path: &Path, as_of: NaiveDate) -> Result<Config, ConfigError> {
        // A regular file of at most 1 MB (a FIFO or a device must not hang or fill memory).
        let text = crate::read::read_regular_file(path, 1 << 20)
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            })
            .map_err(|source| ConfigError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Config::from_toml(&text, path, as_of)
    }

    /// The built-in default as a TOML file to start from (`pgcheck config`), its comments in
    /// `lang`.
    pub fn default_toml(lang: Lang) -> String {
        let c = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).expect("valid date"));
        let say = |zh: &'static str, en: &'static str| format!("# {}\n", Lang::pick(zh, en, lang));
        let mut s = say(
            "pgcheck 配置文件（pgcheck --config 本文件）。未写的项使用内置默认值。",
            "pgcheck configuration (pgcheck --config FILE). Keys left out keep the built-in default.",
        );
        s.push('\n');
        s.push_str(&say("汇总单位（市）", "the consolidating city"));
        s.push_str(&format!(
            "city = \"{}\"\ncity_full_name = \"{}\"\ncity_phone = \"{}\"\ncity_email = \"{}\"\n",
            c.city.name, c.city.full_name, c.city.phone, c.city.email
        ));
        s.push_str(&format!("city_aliases = [{}]\n\n", quoted(&c.city.aliases)));
        s.push_str(&say(
            "附件2 备注1：不欠发过渡费的，发放至年月不得早于此月（A2-05）",
            "A2-05 (Attachment 2, footnote 1): where no allowance is owed, it is paid through this month or later",
        ));
        s.push_str(&format!(
            "paid_through_min = \"{}\"\n\n",
            c.paid_through_min
        ));
        s.push_str(&say(
            "报告日期（默认今天；命令行 --as-of 优先）",
            "the report date (default: today; --as-of wins)",
        ));
        s.push_str("# as_of = 2024-10-14\n\n");
        s.push_str(&say(
            "约谈问责节点（方案 四(四)），用于“约谈预警”",
            "the milestones of accountability talks (action plan, part 4 (4)), for the 约谈预警 sheet",
        ));
        let ms: Vec<String> = c.milestones.iter().map(|d| d.to_string()).collect();
        s.push_str(&format!("milestones = [{}]\n", ms.join(", ")));
        s.push_str(&say(
            "“其中：10月底前整改计划”各列所指的日期",
            "the date the plan columns (其中：10月底前整改计划) refer to",
        ));
        s.push_str(&format!("plan_deadline = {}\n", c.plan_deadline));
        s.push_str(&say(
            "距节点不超过此天数为“临近节点”",
            "a milestone this many days ahead or fewer is near",
        ));
        s.push_str(&format!("warn_days = {}\n", c.warn_days));
        s.push_str(&say(
            "趋势表（trend）：连续多少周无进展算停滞",
            "trend: weeks without progress that make a project stalled",
        ));
        s.push_str(&format!("stall_weeks = {}\n\n", c.stall_weeks));
        s.push_str(&say(
            "报送单位，按汇总表中的顺序",
            "the submitting units, in report order",
        ));
        for u in &c.units {
            s.push_str(&format!(
                "[[units]]\nname = \"{}\"\nfull_name = \"{}\"\naliases = [{}]\nphone = \"{}\"\nemail = \"{}\"\n\n",
                u.name,
                u.full_name,
                quoted(&u.aliases),
                u.phone,
                u.email
            ));
        }
        s
    }
}

fn quoted(v: &[String]) -> String {
    v.iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod file_tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    }

    #[test]
    fn the_printed_default_reads_back_as_the_default() {
        for lang in [Lang::Zh, Lang::En] {
            let c = Config::from_toml(&Config::default_toml(lang), "default.toml", day()).unwrap();
            let d = Config::jincheng(day());
            assert_eq!(c.city, d.city);
            assert_eq!(c.units, d.units);
            assert_eq!(c.paid_through_min, d.paid_through_min);
            assert_eq!(c.milestones, d.milestones);
            assert_eq!(c.plan_deadline, d.plan_deadline);
            assert_eq!((c.warn_days, c.stall_weeks), (d.warn_days, d.stall_weeks));
        }
    }

    #[test]
    fn milestones_plan_deadline_and_warn_days_replace_the_default() {
        let text =
            "milestones = [2025-06-30, 2024-12-31]\nplan_deadline = 2024-11-30\nwarn_days = 10\n";
        let c = Config::from_toml(text, "m.toml", day()).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(c.milestones, [d(2024, 12, 31), d(2025, 6, 30)]);
        assert_eq!(c.plan_deadline, d(2024, 11, 30));
        assert_eq!(c.warn_days, 10);
        let err = Config::from_toml("milestones = [\"2024年底\"]\n", "m.toml", day())
            .unwrap_err()
            .to_string();
        assert!(err.contains("m.toml"), "{err}");
        let err = Config::from_toml("warn_days = -3\n", "m.toml", day())
            .unwrap_err()
            .to_string();
        assert!(err.contains("warn_days"), "{err}");
    }

    #[test]
    fn another_city_replaces_units_and_parameters() {
        let text = "city = \"长治市\"\npaid_through_min = \"2024-09\"\nas_of = 2025-01-06\n\n[[units]]\nname = \"潞州区\"\nphone = \"2000000\"\n\n[[units]]\nname = \"屯留区\"\naliases = [\"屯留\"]\n";
        let c = Config::from_toml(text, "changzhi.toml", day()).unwrap();
        assert_eq!(c.city.name, "长治市");
        assert_eq!(c.units.len(), 2);
        assert_eq!(c.match_unit("长治市屯留区住建局").unwrap().name, "屯留区");
        assert_eq!(c.match_unit("屯留").unwrap().name, "屯留区");
        assert!(c.match_unit("泽州县").is_none());
        assert_eq!(c.paid_through_min, YearMonth::new(2024, 9));
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap());
    }

    #[test]
    fn a_bad_config_names_line_and_column() {
        let err =
            Config::from_toml("city = \"长治市\"\nunits = 3\n", "bad.toml", day()).unwrap_err();
        assert_eq!(err.line_col(), Some((2, 9)));
        assert!(
            err.message(Lang::Zh).contains("bad.toml"),
            "{}",
            err.message(Lang::Zh)
        );
        let err = Config::from_toml("citty = \"x\"\n", "typo.toml", day()).unwrap_err();
        assert!(
            err.message(Lang::En).contains("citty"),
            "{}",
            err.message(Lang::En)
        );
        assert_eq!(err.line_col(), Some((1, 1)));
    }

    /// The TOML reader's English is said in Chinese in a Chinese run (one language per run).
    #[test]
    fn syntax_errors_are_worded_in_chinese() {
        let zh = |text: &str| {
            Config::from_toml(text, "c.toml", day())
                .unwrap_err()
                .message(Lang::Zh)
        };
        let said = zh("city = 长治市\n");
        assert!(
            said.ends_with("文字须加引号，如 city = \"长治市\""),
            "{said}"
        );
        let said = zh("citty = \"x\"\n");
        assert!(said.contains("不认识的键 citty（可用：city、"), "{said}");
        let said = zh("warn_days = \"ten\"\n");
        assert!(said.contains("写的是文字 \"ten\"，应为整数"), "{said}");
        let said = zh("units = 3\n");
        assert!(said.contains("写的是整数 3，应为列表"), "{said}");
        let said = zh("city = \"a\"\ncity = \"b\"\n");
        assert!(said.ends_with("同一个键写了两次"), "{said}");
        let said = zh("[[units]]\nphone = \"1\"\n");
        assert!(said.ends_with("缺少键 name"), "{said}");
        // English runs keep the reader's words.
        let en = Config::from_toml("citty = 1\n", "c.toml", day())
            .unwrap_err()
            .message(Lang::En);
        assert!(en.contains("unknown field `citty`"), "{en}");
    }

    /// Each config that would corrupt a merge is refused where it goes wrong (issue 16.5).
    #[test]
    fn configs_that_would_corrupt_a_merge_are_refused_at_their_line() {
        let units = |body: &str| format!("city = \"长治市\"\n{body}");
        let cases: [(String, Problem, (usize, usize)); 5] = [
            (
                units("[[units]]\nname = \"潞州区\"\n[[units]]\nname = \"潞州区\"\n"),
                Problem::DuplicateUnit("潞州区".into()),
                (5, 8),
            ),
            (
                units("[[units]]\nname = \" \"\n"),
                Problem::EmptyUnitName,
                (3, 8),
            ),
            (
                units("[[units]]\nname = \"长治市\"\n"),
                Problem::UnitNamedLikeCity("长治市".into()),
                (3, 8),
            ),
            (
                units("[[units]]\nname = \"潞州区\"\naliases = [\"潞州\"]\n[[units]]\nname = \"屯留区\"\naliases = [\"屯留\", \"潞州\"]\n"),
                Problem::SharedAlias {
                    alias: "潞州".into(),
                    first: "潞州区".into(),
                },
                (7, 18),
            ),
            (
                "paid_through_min = \"2024-09\"\ncity = \"长治市\"\n".into(),
                Problem::CityWithoutUnits("长治市".into()),
                (2, 8),
            ),
        ];
        for (text, want, at) in cases {
            match Config::from_toml(&text, "c.toml", day()) {
                Err(e @ ConfigError::Invalid { .. }) => {
                    let ConfigError::Invalid { problem, .. } = &e else {
                        unreachable!()
                    };
                    assert_eq!(problem, &want, "{text}");
                    assert_eq!(e.line_col(), Some(at), "{text}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    /// Both TOML dates and strings are dates (issue 16.6).
    #[test]
    fn dates_are_read_as_toml_dates_or_strings() {
        for text in [
            "as_of = 2024-10-14\npaid_through_min = \"2024-09\"\n",
            "as_of = \"2024-10-14\"\npaid_through_min = 2024-09-30\n",
        ] {
            let c = Config::from_toml(text, "d.toml", day()).unwrap();
            assert_eq!(
                c.as_of,
                NaiveDate::from_ymd_opt(2024, 10, 14).unwrap(),
                "{text}"
            );
            assert_eq!(c.paid_through_min, YearMonth::new(2024, 9), "{text}");
        }
        let err = Config::from_toml("as_of = \"14.10.2024\"\n", "d.toml", day()).unwrap_err();
        assert_eq!(err.line_col(), Some((1, 9)));
        assert!(
            err.message(Lang::En).contains("write 2024-10-14"),
            "{}",
            err.message(Lang::En)
        );
        assert!(
            err.message(Lang::Zh).contains("不是日期"),
            "{}",
            err.message(Lang::Zh)
        );
        let err = Config::from_toml("paid_through_min = 7\n", "d.toml", day()).unwrap_err();
        assert!(
            err.message(Lang::Zh).contains("不是年月"),
            "{}",
            err.message(Lang::Zh)
        );
    }
}
