//! The trend over many weeks (SPEC 11.4): per measure a week × unit table (and the city), and
//! the projects that stalled (overdue, stage and 已安置 unchanged for `stall_weeks` weeks).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::diff::MEASURES;
use super::week::{file_name, HistoryError, Record, Week};
use crate::config::Config;
use crate::diag::Msg;
use crate::template::a2::Col as A2;
use crate::template::a3::Col as A3;
use crate::template::TemplateId;
use crate::values::normalize_label;

/// The measures of the trend: the four of 本周变化, then open A3 cases (label, English name).
pub const OPEN_CASES: (&str, &str) = ("未办结问题件数", "open A3 cases");

/// One measure over the weeks.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Its label (sheet name and chart title).
    pub label: &'static str,
    /// Its name in English (the terminal's table with `--lang en`).
    pub label_en: &'static str,
    /// The axis word: 户数 or 件数.
    pub axis: &'static str,
    /// Per week, per unit (config order): the unit's figure, `None` when not merged that week.
    pub values: Vec<Vec<Option<i64>>>,
}

impl Measure {
    /// The city's figure of week `w`: the sum over the units merged that week.
    pub fn city(&self, w: usize) -> i64 {
        self.values[w].iter().flatten().sum()
    }
}

/// A project without progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Stalled {
    pub unit: String,
    pub name: String,
    pub supervision_no: String,
    pub stage: String,
    pub resettled: i64,
    pub overdue: i64,
    /// The first report date from which nothing moved.
    pub since: NaiveDate,
    pub weeks: i64,
}

/// The whole trend.
#[derive(Debug, Clone)]
pub struct Trend {
    pub dates: Vec<NaiveDate>,
    pub units: Vec<String>,
    pub measures: Vec<Measure>,
    pub stalled: Vec<Stalled>,
    /// What the reader should know (a workbook replaced by a later one of the same date).
    pub notes: Vec<Msg>,
}

/// The consolidated workbooks among `paths`: files as given, folders' spreadsheets that are
/// consolidated workbooks (county files in an archive folder are passed over).
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = crate::validate::scan_dir(p, false)
                .map_err(|e| (p.clone(), e))?
                .into_iter()
                .filter(|f| crate::merge::is_consolidated_output(f))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// Reads the weeks and computes the trend.
pub fn trend(paths: &[PathBuf], config: &Config) -> Result<Trend, HistoryError> {
    let mut notes = Vec::new();
    let mut by_date: Vec<(NaiveDate, Week)> = Vec::new();
    for p in paths {
        let week = Week::read(p, config, true)?;
        let date = week.date.ok_or_else(|| HistoryError::NotConsolidated {
            path: p.display().to_string(),
        })?;
        match by_date.iter_mut().find(|(d, _)| *d == date) {
            Some((_, kept)) => {
                let (newer, older) = if modified(p) >= modified(&kept.path) {
                    (week, std::mem::replace(kept, Week::empty()))
                } else {
                    (std::mem::replace(kept, Week::empty()), week)
                };
                let (n, o) = (file_name(&newer.path), file_name(&older.path));
                notes.push(Msg::new(
                    format!("{date} 有两份汇总表：采用较新的 {n}，忽略 {o}"),
                    format!("two workbooks of {date}: the newer {n} is used, {o} ignored"),
                ));
                *kept = newer;
            }
            None => by_date.push((date, week)),
        }
    }
    by_date.sort_by_key(|(d, _)| *d);
    // A unit merged in one of two consecutive weeks only moves the city's line: say so.
    for pair in by_date.windows(2) {
        let ((_, last), (date, this)) = (&pair[0], &pair[1]);
        let only = |a: &Week, b: &Week| -> Vec<&str> {
            config
                .units
                .iter()
                .map(|u| u.name.as_str())
                .filter(|u| a.has(u, TemplateId::A2) && !b.has(u, TemplateId::A2))
                .collect()
        };
        if let Some(m) = super::diff::one_week_only(&only(this, last), &only(last, this)) {
            notes.push(Msg::new(
                format!("{date}：{}", m.zh),
                format!("{date}: {}", m.en),
            ));
        }
    }
    let units: Vec<String> = config.units.iter().map(|u| u.name.clone()).collect();
    let mut measures: Vec<Measure> = MEASURES
        .iter()
        .map(|&(col, label, label_en)| Measure {
            label,
            label_en,
            axis: "户数",
            values: by_date
                .iter()
                .map(|(_, w)| per_unit(w, &units, TemplateId::A2, |p| p.count(col)))
                .collect(),
        })
        .collect();
    measures.push(Measure {
        label: OPEN_CASES.0,
        label_en: OPEN_CASES.1,
        axis: "件数",
        values: by_date
            .iter()
            .map(|(_, w)| {
                per_unit(w, &units, TemplateId::A3, |c| {
                    i64::from(c.get(A3::Closed).yes_no() != Some(true))
                })
            })
            .collect(),
    });
    let stalled = stalled(&by_date, config);
    Ok(Trend {
        dates: by_date.iter().map(|(d, _)| *d).collect(),
        units,
        measures,
        stalled,
        notes,
    })
}

/// Per unit, the sum of `value` over its rows of attachment `t` (A2 projects, A3 cases); `None`
/// when those rows are not in the week.
fn per_unit(
    w: &Week,
    units: &[String],
    t: TemplateId,
    value: impl Fn(&Record) -> i64,
) -> Vec<Option<i64>> {
    let records = match t {
        TemplateId::A3 => &w.cases,
        _ => &w.projects,
    };
    units
        .iter()
        .map(|u| {
            w.has(u, t)
                .then(|| records.iter().filter(|r| &r.unit == u).map(&value).sum())
        })
        .collect()
}

fn project_key(p: &Record) -> String {
    let no = normalize_label(p.text(A2::SupervisionNo));
    if no.is_empty() {
        format!("{}|{}", p.unit, normalize_label(p.text(A2::ProjectName)))
    } else {
        no
    }
}

/// (stage as shown, 已安置) of a project: what must move.
fn progress(p: &Record) -> (String, i64) {
    let stage = match p.get(A2::Stage) {
        crate::table::Datum::Stage(i) => crate::values::stage_label(*i),
        _ => p.text(A2::Stage).to_string(),
    };
    (stage, p.count(A2::HouseholdsResettled))
}

fn stalled(weeks: &[(NaiveDate, Week)], config: &Config) -> Vec<Stalled> {
    let Some((last_date, last)) = weeks.last() else {
        return Vec::new();
    };
    let index: Vec<HashMap<String, &Record>> = weeks
        .iter()
        .map(|(_, w)| w.projects.iter().map(|p| (project_key(p), p)).collect())
        .collect();
    let mut out: Vec<Stalled> = last
        .projects
        .iter()
        .filter(|p| p.count(A2::OverdueHouseholds) > 0)
        .filter_map(|p| {
            let key = project_key(p);
            let now = progress(p);
            // Walk back while the project is there with the same stage and 已安置.
            let mut since = *last_date;
            for (i, (date, _)) in weeks.iter().enumerate().rev().skip(1) {
                match index[i].get(&key) {
                    Some(q) if progress(q) == now => since = *date,
                    _ => break,
                }
            }
            let weeks_still = (*last_date - since).num_days() / 7;
            (weeks_still >= config.stall_weeks as i64).then(|| Stalled {
                unit: p.unit.clone(),
                name: p.text(A2::ProjectName).to_string(),
                supervision_no: p.text(A2::SupervisionNo).to_string(),
                stage: now.0.clone(),
                resettled: now.1,
                overdue: p.count(A2::OverdueHouseholds),
                since,
                weeks: weeks_still,
            })
        })
        .collect();
    out.sort_by_key(|s| config.order(&s.unit));
    out
}
