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
