//! What the checks look up in the units, prepared once per config on first use: unit names by
//! the texts that name them (`Config::match_unit`), and the county names an address starts with
//! (`Config::counties`). A benchmark config lists thousands of units; a scan of them per cell
//! looked up was a few per cent of a run.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::Unit;
use crate::values::normalize_label;

/// The prepared lookups of one config. A clone starts empty (a cloned config is often changed
/// before use), and so must the config itself be changed only before its first lookup.
#[derive(Default)]
pub(super) struct Lookups {
    names: OnceLock<HashMap<String, usize>>,
    counties: OnceLock<Counties>,
}

impl Clone for Lookups {
    fn clone(&self) -> Self {
        Lookups::default()
    }
}

impl std::fmt::Debug for Lookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookups")
    }
}

impl Lookups {
    /// The position (in `units`' order) of the first unit that `text` names exactly: its name,
    /// its full name or one of its aliases.
    pub(super) fn unit_named<'u>(
        &self,
        units: impl Iterator<Item = &'u Unit>,
        text: &str,
    ) -> Option<usize> {
        let names = self.names.get_or_init(|| {
            let mut names = HashMap::new();
            for (i, u) in units.enumerate() {
                for t in u.names() {
                    names.entry(t.clone()).or_insert(i);
                }
            }
            names
        });
        names.get(text).copied()
    }

    pub(super) fn counties<'u>(&self, units: impl Iterator<Item = &'u Unit>) -> &Counties {
        self.counties.get_or_init(|| {
            let names: Vec<&str> = units.map(|u| u.name.as_str()).collect();
            Counties::new(&names)
        })
    }
}

/// County names as an address starts with them (A3-01): each full name (`泽州县`) and, where two
/// or more characters remain, the name without its 县/区/市 (`泽州`; `城区` has no short form),
/// normalised (`normalize_label`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counties {
    names: HashSet<String>,
    /// The longest name, in characters.
    max_chars: usize,
}

impl Counties {
    pub fn new(counties: &[&str]) -> Counties {
        let mut names = HashSet::new();
        for c in counties {
            let c = normalize_label(c);
            if c.is_empty() {
                continue;
            }
            if let Some(short) = c.strip_suffix(['县', '区', '市']) {
                if short.chars().count() >= 2 {
                    names.insert(short.to_string());
                }
            }
            names.insert(c);
        }
        let max_chars = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        Counties { names, max_chars }
    }

    /// The lengths in bytes of the prefixes of `text` that are county names, shortest first.
    pub fn prefixes<'a>(&'a self, text: &'a str) -> impl Iterator<Item = usize> + 'a {
        // Every non-empty prefix up to the longest name, at char boundaries.
        text.char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .take(self.max_chars)
            .filter(|&end| self.names.contains(&text[..end]))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{unit, Config};
    use super::Counties;

    fn config(units: usize) -> Config {
        let mut c = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
        c.units = (0..units)
            .map(|i| {
                let name = format!("甲{i}乙县");
                let alias = format!("别名{i}");
                unit(&name, &format!("{name}住建局"), "", "", &[alias.as_str()])
            })
            .collect();
        c
    }

    #[test]
    fn units_are_found_by_name_full_name_and_alias_among_thousands() {
        let c = config(3000);
        let name = |s: &str| c.match_unit(s).map(|u| u.name.clone());
        assert_eq!(name("甲2999乙县").as_deref(), Some("甲2999乙县"));
        assert_eq!(
            name("晋城市甲2999乙县住建局").as_deref(),
            Some("甲2999乙县")
        );
        assert_eq!(name(" 别名17 ").as_deref(), Some("甲17乙县"));
        assert_eq!(name("晋城").as_deref(), Some("晋城市"));
        assert_eq!(name("甲3000乙县"), None);
        assert_eq!(
            c.counties().prefixes("甲2999乙县东街").collect::<Vec<_>>(),
            ["甲2999乙".len(), "甲2999乙县".len()]
        );
    }

    #[test]
    fn a_clone_looks_up_its_own_units() {
        let c = config(3);
        assert!(c.match_unit("甲2乙县").is_some());
        assert_eq!(c.counties().prefixes("甲2乙县东街").count(), 2);
        let mut other = c.clone();
        other.units.truncate(2);
        assert!(other.match_unit("甲2乙县").is_none());
        assert_eq!(other.counties().prefixes("甲2乙县东街").count(), 0);
        assert_eq!(
            other.counties(),
            &Counties::new(&["晋城市", "甲0乙县", "甲1乙县"])
        );
    }
}
