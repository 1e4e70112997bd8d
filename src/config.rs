//! The units of Attachment 1 and the rule parameters (SPEC 2, 8): a built-in default for
//! Jincheng that a TOML file can replace, and unit-name matching.

use chrono::NaiveDate;

use crate::values::{fold, YearMonth};

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

/// Everything the rules need besides the file.
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

impl Config {
    /// The built-in default: Jincheng's eight units of Attachment 1.
    pub fn jincheng(as_of: NaiveDate) -> Config {
        Config {
            city: unit(
                "晋城市",
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
        }
    }

    /// All units, the city first (the order of every consolidated sheet).
    pub fn all_units(&self) -> impl Iterator<Item = &Unit> {
        std::iter::once(&self.city).chain(self.units.iter())
    }

    /// Matches a unit name as written in a file (SPEC 2): folded, whitespace removed, a leading
    /// city name and a trailing bureau name stripped while something remains.
    pub fn match_unit(&self, written: &str) -> Option<&Unit> {
        let mut s: String = fold(written)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for p in ["(盖章)", "盖章"] {
            s = s.replace(p, "");
        }
        let s = s.trim_matches(|c: char| c == ':' || c == '：');
        if s.is_empty() {
            return None;
        }
        let mut candidates = vec![s.to_string()];
        let mut cur = s.to_string();
        for suffix in SUFFIXES {
            if let Some(rest) = cur.strip_suffix(suffix) {
                if !rest.is_empty() {
                    cur = rest.to_string();
                    candidates.push(cur.clone());
                    break;
                }
            }
        }
        for prefix in [
            self.city.name.as_str(),
            self.city.name.trim_end_matches('市'),
        ] {
            if prefix.is_empty() {
                continue;
            }
            for c in candidates.clone() {
                if let Some(rest) = c.strip_prefix(prefix) {
                    if !rest.is_empty() {
                        candidates.push(rest.to_string());
                    }
                }
            }
        }
        for c in &candidates {
            for u in self.all_units() {
                if *c == u.name || *c == u.full_name || u.aliases.iter().any(|a| a == c) {
                    return Some(u);
                }
            }
        }
        None
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

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("无法读取配置文件 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("配置文件 {path} 有误：{message}")]
    Parse { path: String, message: String },
}

/// The file form of `Config` (SPEC 8): every key optional; what is given replaces the default.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    city: Option<String>,
    city_full_name: Option<String>,
    city_phone: Option<String>,
    city_email: Option<String>,
    city_aliases: Option<Vec<String>>,
    paid_through_min: Option<String>,
    as_of: Option<toml::value::Datetime>,
    milestones: Option<Vec<toml::value::Datetime>>,
    plan_deadline: Option<toml::value::Datetime>,
    warn_days: Option<i64>,
    stall_weeks: Option<usize>,
    units: Option<Vec<UnitFile>>,
}

/// A TOML date (`2024-12-31`, no time) as a `NaiveDate`.
fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = d.date.filter(|_| d.time.is_none())?;
    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    name: String,
    full_name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

impl Config {
    /// The built-in default with what `text` (TOML) replaces. `as_of` is used unless the file
    /// sets one; the caller's `--as-of` wins over both (apply it afterwards).
    pub fn from_toml(text: &str, path: &str, as_of: NaiveDate) -> Result<Config, ConfigError> {
        let parse_err = |message: String| ConfigError::Parse {
            path: path.to_string(),
            message,
        };
        let file: ConfigFile = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let mut c = Config::jincheng(as_of);
        if let Some(city) = file.city {
            c.city.name = city.clone();
            c.city.full_name = file
                .city_full_name
                .clone()
                .unwrap_or_else(|| format!("{city}住建局"));
            c.city.aliases = file.city_aliases.clone().unwrap_or_default();
            c.city.phone = file.city_phone.clone().unwrap_or_default();
            c.city.email = file.city_email.clone().unwrap_or_default();
        } else {
            if let Some(f) = file.city_full_name {
                c.city.full_name = f;
            }
            if let Some(p) = file.city_phone {
                c.city.phone = p;
            }
            if let Some(e) = file.city_email {
                c.city.email = e;
            }
            if let Some(a) = file.city_aliases {
                c.city.aliases = a;
            }
        }
        if let Some(m) = file.paid_through_min {
            let ym = crate::values::read_month(&crate::grid::Value::Text(m.clone()))
                .ok()
                .flatten()
                .map(|r| r.value)
                .ok_or_else(|| {
                    parse_err(format!(
                        "paid_through_min = \"{m}\" 不是年月（应如 \"2024-07\"）"
                    ))
                })?;
            c.paid_through_min = ym;
        }
        if let Some(d) = file.as_of {
            let date = d
                .date
                .ok_or_else(|| parse_err(format!("as_of = {d} 不是日期（应如 2024-10-14）")))?;
            c.as_of = NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
                .ok_or_else(|| parse_err(format!("as_of = {d} 不是有效日期")))?;
        }
        if let Some(ms) = file.milestones {
            let mut dates = Vec::new();
            for m in &ms {
                dates.push(toml_date(m).ok_or_else(|| {
                    parse_err(format!("milestones 中的 {m} 不是日期（应如 2024-12-31）"))
                })?);
            }
            dates.sort();
            c.milestones = dates;
        }
        if let Some(d) = file.plan_deadline {
            c.plan_deadline = toml_date(&d).ok_or_else(|| {
                parse_err(format!("plan_deadline = {d} 不是日期（应如 2024-10-31）"))
            })?;
        }
        if let Some(n) = file.warn_days {
            if n < 0 {
                return Err(parse_err(format!("warn_days = {n} 不能为负数")));
            }
            c.warn_days = n;
        }
        if let Some(n) = file.stall_weeks {
            if n == 0 {
                return Err(parse_err("stall_weeks 应不小于 1".into()));
            }
            c.stall_weeks = n;
        }
        if let Some(units) = file.units {
            if units.is_empty() {
                return Err(parse_err("units 不能为空".into()));
            }
            c.units = units
                .into_iter()
                .map(|u| Unit {
                    full_name: u.full_name.unwrap_or_else(|| format!("{}住建局", u.name)),
                    name: u.name,
                    aliases: u.aliases,
                    phone: u.phone,
                    email: u.email,
                })
                .collect();
        }
        Ok(c)
    }

    /// Reads a config file (see `from_toml`).
    pub fn load(path: &std::path::Path, as_of: NaiveDate) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Config::from_toml(&text, &path.display().to_string(), as_of)
    }

    /// The built-in default as a commented TOML file to start from (`pgcheck config`).
    pub fn default_toml() -> String {
        let c = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).expect("valid date"));
        let mut s = String::from(
            "# pgcheck 配置文件（pgcheck --config 本文件）。未写的项使用内置默认值。\n\
             # pgcheck configuration (pgcheck --config FILE). Keys left out keep the built-in default.\n\n",
        );
        s.push_str("# 汇总单位（市）/ the consolidating city\n");
        s.push_str(&format!(
            "city = \"{}\"\ncity_full_name = \"{}\"\ncity_phone = \"{}\"\ncity_email = \"{}\"\n",
            c.city.name, c.city.full_name, c.city.phone, c.city.email
        ));
        s.push_str(&format!("city_aliases = [{}]\n\n", quoted(&c.city.aliases)));
        s.push_str("# 附件2 备注1：不欠发过渡费的，发放至年月不得早于此月 / A2-05 minimum paid-through month\n");
        s.push_str(&format!(
            "paid_through_min = \"{}\"\n\n",
            c.paid_through_min
        ));
        s.push_str("# 报告日期（默认今天；命令行 --as-of 优先）/ report date (default today; --as-of wins)\n");
        s.push_str("# as_of = 2024-10-14\n\n");
        s.push_str("# 约谈问责节点（方案 四(四)）/ milestones for 约谈预警\n");
        let ms: Vec<String> = c.milestones.iter().map(|d| d.to_string()).collect();
        s.push_str(&format!("milestones = [{}]\n", ms.join(", ")));
        s.push_str("# “其中：10月底前整改计划”所指日期 / the date of the 10月底前 plan columns\n");
        s.push_str(&format!("plan_deadline = {}\n", c.plan_deadline));
        s.push_str(
            "# 距节点不超过此天数为“临近节点” / days before a milestone that count as near\n",
        );
        s.push_str(&format!("warn_days = {}\n", c.warn_days));
        s.push_str("# trend：连续多少周无进展算停滞 / weeks without progress that make a project stalled\n");
        s.push_str(&format!("stall_weeks = {}\n\n", c.stall_weeks));
        s.push_str("# 报送单位，按汇总表中的顺序 / submitting units, in report order\n");
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
        let c = Config::from_toml(&Config::default_toml(), "default.toml", day()).unwrap();
        let d = Config::jincheng(day());
        assert_eq!(c.city, d.city);
        assert_eq!(c.units, d.units);
        assert_eq!(c.paid_through_min, d.paid_through_min);
        assert_eq!(c.milestones, d.milestones);
        assert_eq!(c.plan_deadline, d.plan_deadline);
        assert_eq!((c.warn_days, c.stall_weeks), (d.warn_days, d.stall_weeks));
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
        let err = Config::from_toml("city = \"长治市\"\nunits = 3\n", "bad.toml", day())
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.toml"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        let err = Config::from_toml("citty = \"x\"\n", "typo.toml", day())
            .unwrap_err()
            .to_string();
        assert!(err.contains("citty"), "{err}");
    }
}
