//! One week's figures as pgcheck reads them back: the A2 projects and A3 cases of a consolidated
//! workbook (or of one county's file), which units were merged, and the report date. Made either
//! from a file on disk or from the merge being written.

use crate::template::a2::Col as A2;
use crate::template::Key;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::grid::{CellRef, Workbook};
use crate::merge::STATUS_SHEET;
use crate::merge::{attachments_listed, Plan, StatusColumn, UnitStatus};
use crate::table::{Datum, RowKind, Table};
use crate::template::TemplateId;
use crate::validate::{self, Options, Status, Validated};

/// Why a week could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{0}")]
    Unreadable(String),
    #[error("{path} 不是 pgcheck 写出的汇总表（第一个工作表应为“报送情况”）")]
    NotConsolidated { path: String },
    #[error("{path} 没有可识别的附件2或附件3")]
    Empty { path: String },
}

impl HistoryError {
    /// The message in the run's language.
    pub fn message(&self, lang: crate::diag::Lang) -> String {
        use crate::diag::Lang;
        match (self, lang) {
            (_, Lang::Zh) => self.to_string(),
            (HistoryError::Unreadable(s), Lang::En) => s.clone(),
            (HistoryError::NotConsolidated { path }, Lang::En) => format!(
                "{path} is not a consolidated workbook written by pgcheck (its first sheet must be \"报送情况\")"
            ),
            (HistoryError::Empty { path }, Lang::En) => {
                format!("{path} has no recognisable 附件2 or 附件3")
            }
        }
    }
}

/// One A2 project row or A3 case row: where it is and its typed fields (template order).
#[derive(Debug, Clone)]
pub struct Record {
    pub unit: String,
    pub file: PathBuf,
    pub sheet: String,
    pub template: TemplateId,
    pub fields: Vec<Datum>,
    /// The cell of each template column in the file (column A's when the column is missing).
    pub cells: Vec<CellRef>,
}

impl Record {
    fn of(unit: &str, file: &Path, t: &Table, row: &crate::table::Row) -> Record {
        let tpl = t.template();
        Record {
            unit: unit.to_string(),
            file: file.to_path_buf(),
            sheet: t.sheet.clone(),
            template: t.header.template,
            fields: row.fields.clone(),
            cells: tpl.columns.iter().map(|c| t.cell(row, c.key)).collect(),
        }
    }

    pub fn get(&self, key: impl Into<Key>) -> &Datum {
        &self.fields[self.template.template().index(key)]
    }

    pub fn cell(&self, key: impl Into<Key>) -> CellRef {
        self.cells[self.template.template().index(key)]
    }

    /// A text field, trimmed, `""` when blank.
    pub fn text(&self, key: impl Into<Key>) -> &str {
        self.get(key).text().map(str::trim).unwrap_or("")
    }

    /// A count, blank as 0.
    pub fn count(&self, key: impl Into<Key>) -> i64 {
        self.get(key).count_or_zero().unwrap_or(0)
    }

    /// `file!sheet!cell` of `key` (how another workbook's cell is named in `related`).
    pub fn place(&self, key: impl Into<Key>) -> String {
        format!(
            "{}!{}!{}",
            file_name(&self.file),
            self.sheet,
            self.cell(key)
        )
    }
}

pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// A submitting unit of one week: whether its rows are in the week's totals, and which
/// attachments were left out for errors (部分汇总: the others are in).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitWeek {
    pub unit: String,
    pub in_totals: bool,
    pub left_out: Vec<TemplateId>,
}

impl UnitWeek {
    /// A unit whose rows are all in the week (`in_totals`) or none.
    fn whole(unit: &str, in_totals: bool) -> UnitWeek {
        UnitWeek {
            unit: unit.to_string(),
            in_totals,
            left_out: Vec::new(),
        }
    }
}

/// One week.
#[derive(Debug, Clone)]
pub struct Week {
    pub path: PathBuf,
    /// The report date (title of 报送情况; a county file's 填报时间).
    pub date: Option<NaiveDate>,
    /// True for a consolidated workbook (or a merge), false for one county's file.
    pub consolidated: bool,
    /// The submitting units in order, with what of each is in the week.
    pub units: Vec<UnitWeek>,
    pub projects: Vec<Record>,
    pub cases: Vec<Record>,
    /// Every 附件2 and 附件3 sheet read, rows or none, with the unit it was read for.
    pub sheets: Vec<Place>,
}

/// Where a unit's attachment was read: a finding about the unit with no row of this week to
/// sit on (H03, H05) is filed with it, also when the unit sent the attachment empty.
#[derive(Debug, Clone)]
pub struct Place {
    pub unit: String,
    pub file: PathBuf,
    pub sheet: String,
    pub template: TemplateId,
}

impl Week {
    /// A week with nothing in it.
    pub fn empty() -> Week {
        Week {
            path: PathBuf::new(),
            date: None,
            consolidated: true,
            units: Vec::new(),
            projects: Vec::new(),
            cases: Vec::new(),
            sheets: Vec::new(),
        }
    }

    /// True when `unit`'s rows of attachment `t` are in this week: the unit is merged, fully or
    /// partly (部分汇总) with `t` not among the attachments left out.
    pub fn has(&self, unit: &str, t: TemplateId) -> bool {
        self.units
            .iter()
            .any(|u| u.unit == unit && u.in_totals && !u.left_out.contains(&t))
    }

    /// The file and sheet of `unit`'s attachment `t` (A2 or A3) in this week: its first row's,
    /// else the sheet it sent empty, else this week's own file.
    pub fn sheet_of(&self, unit: &str, t: TemplateId) -> (PathBuf, String) {
        let rows = match t {
            TemplateId::A2 => &self.projects,
            _ => &self.cases,
        };
        rows.iter()
            .find(|r| r.unit == unit)
            .map(|r| (r.file.clone(), r.sheet.clone()))
            .or_else(|| {
                self.sheets
                    .iter()
                    .find(|p| p.unit == unit && p.template == t)
                    .map(|p| (p.file.clone(), p.sheet.clone()))
            })
            .unwrap_or_else(|| (self.path.clone(), t.template().attachment.to_string()))
    }

    /// Reads a consolidated workbook, or one county's file (`consolidated_only` refuses that).
    pub fn read(
        path: &Path,
        config: &Config,
        consolidated_only: bool,
    ) -> Result<Week, HistoryError> {
        let mut checked = validate::check(&[path.to_path_buf()], config, Options::default());
        let v = checked.pop().expect("one file in, one out");
        let display = path.display().to_string();
        if v.report.status() == Status::Unreadable {
            let msg = v
                .report
                .diagnostics
                .first()
                .map(|d| d.message(crate::diag::Lang::Zh))
                .unwrap_or_default();
            return Err(HistoryError::Unreadable(format!("{display}：{msg}")));
        }
        let wb = v
            .workbook
            .as_ref()
            .expect("a readable file keeps its workbook");
        let consolidated = wb.sheets.first().is_some_and(|s| s.name == STATUS_SHEET);
        if consolidated_only && !consolidated {
            return Err(HistoryError::NotConsolidated { path: display });
        }
        if !v
            .tables
            .iter()
            .any(|t| matches!(t.header.template, TemplateId::A2 | TemplateId::A3))
        {
            return Err(HistoryError::Empty { path: display });
        }
        if consolidated {
            Ok(read_consolidated(path, &v, wb, config))
        } else {
            let unit = v.report.unit.clone().unwrap_or_default();
            let mut week = Week {
                path: path.to_path_buf(),
                date: crate::merge::fill_date(&v),
                consolidated: false,
                units: vec![UnitWeek::whole(&unit, true)],
                projects: Vec::new(),
                cases: Vec::new(),
                sheets: Vec::new(),
            };
            week.add_tables(&unit, path, &v.tables, |_, _| None);
            Ok(week)
        }
    }

    /// This week as being merged: the valid files of every merged unit.
    pub fn from_merge(merge: &Plan, config: &Config) -> Week {
        let mut week = Week::units_of_merge(merge, config);
        for u in &merge.units {
            for v in merge.merged_files_of(&u.unit.name) {
                week.add_tables(&u.unit.name, &v.report.path, &v.tables, |_, _| None);
            }
        }
        week
    }

    /// The merge being written as a week of units only, without its rows (`projects` and
    /// `cases` empty): what is in the week (`has`), for a sheet that reads its projects through
    /// `merged_projects`.
    pub fn units_of_merge(merge: &Plan, config: &Config) -> Week {
        Week {
            path: merge.output.clone().unwrap_or_default(),
            date: Some(config.as_of),
            consolidated: true,
            units: merge
                .units
                .iter()
                .map(|u| UnitWeek {
                    unit: u.unit.name.clone(),
                    in_totals: u.status.in_totals(),
                    left_out: u.left_out_attachments.clone(),
                })
                .collect(),
            projects: Vec::new(),
            cases: Vec::new(),
            sheets: Vec::new(),
        }
    }

    /// The A2 projects of the merge being written, one at a time (约谈预警 reads nothing else):
    /// unlike `from_merge`, no case is copied and no project is held longer than its caller
    /// keeps it (a thousand counties' cases were 140 MB of a merge's peak memory).
    pub fn merged_projects(merge: &Plan) -> impl Iterator<Item = Record> + '_ {
        merge.units.iter().flat_map(move |u| {
            merge
                .merged_files_of(&u.unit.name)
                .into_iter()
                .flat_map(move |v| {
                    v.tables
                        .iter()
                        .filter(|t| t.header.template == TemplateId::A2)
                        .flat_map(move |t| {
                            t.data_rows()
                                .map(move |r| Record::of(&u.unit.name, &v.report.path, t, r))
                        })
                })
        })
    }

    /// Adds the data rows of `tables`; `unit_of(table, row)` may name a row's unit (a
    /// consolidated sheet), else `unit` is used.
    fn add_tables(
        &mut self,
        unit: &str,
        file: &Path,
        tables: &[Table],
        unit_of: impl Fn(&Table, &crate::table::Row) -> Option<String>,
    ) {
        for t in tables {
            let into = match t.header.template {
                TemplateId::A2 => &mut self.projects,
                TemplateId::A3 => &mut self.cases,
                _ => continue,
            };
            self.sheets.push(Place {
                unit: unit.to_string(),
                file: file.to_path_buf(),
                sheet: t.sheet.clone(),
                template: t.header.template,
            });
            for r in t.rows.iter().filter(|r| r.kind == RowKind::Data) {
                let u = unit_of(t, r).unwrap_or_else(|| unit.to_string());
                into.push(Record::of(&u, file, t, r));
            }
        }
    }
}

/// The date in the title of 报送情况 (`…报送情况（2024-10-14）`).
fn title_date(title: &str) -> Option<NaiveDate> {
    let open = title.rfind('（').map(|i| i + '（'.len_utf8())?;
    let close = title[open..].find('）')? + open;
    NaiveDate::parse_from_str(title[open..close].trim(), "%Y-%m-%d").ok()
}

fn read_consolidated(path: &Path, v: &Validated, wb: &Workbook, config: &Config) -> Week {
    let status = &wb.sheets[0];
    let date = title_date(&status.get(0, 0).display());
    // Row 2 holds the headers (StatusColumn); rows from 3 on one unit each.
    let (last_row, last_col) = status.extent().unwrap_or((0, 0));
    let col = |c: StatusColumn| {
        (0..=last_col)
            .find(|&k| status.get(1, k).display().trim() == c.label())
            .unwrap_or(u32::from(c.col()))
    };
    let (unit_col, status_col) = (col(StatusColumn::Unit), col(StatusColumn::Status));
    let left_out_col = col(StatusColumn::LeftOutAttachments);
    let mut read: HashMap<String, UnitWeek> = HashMap::new();
    for r in 2..=last_row {
        let name = status.get(r, unit_col).display();
        if let Some(u) = config.match_unit(&name) {
            let label = status.get(r, status_col).display();
            let s = UnitStatus::from_label(label.trim());
            let left_out = match s {
                Some(UnitStatus::Partial) => {
                    attachments_listed(&status.get(r, left_out_col).display())
                }
                _ => Vec::new(),
            };
            let in_totals = s.is_some_and(UnitStatus::in_totals);
            read.insert(
                u.name.clone(),
                UnitWeek {
                    unit: u.name.clone(),
                    in_totals,
                    left_out,
                },
            );
        }
    }
    let units = config
        .units
        .iter()
        .map(|u| {
            read.remove(&u.name)
                .unwrap_or_else(|| UnitWeek::whole(&u.name, false))
        })
        .collect();
    let mut week = Week {
        path: path.to_path_buf(),
        date,
        consolidated: true,
        units,
        projects: Vec::new(),
        cases: Vec::new(),
        sheets: Vec::new(),
    };
    let city = config.city.name.clone();
    week.add_tables(&city, path, &v.tables, |t, r| {
        let sheet = wb.sheets.iter().find(|s| s.name == t.sheet)?;
        let written = match t.header.template {
            // 附件2 names each row's unit in 县区.
            TemplateId::A2 => t.field(r, A2::Unit).text().map(str::to_string),
            // 附件3 has a leading 填报单位 column left of the template's.
            _ if t.header.first_col > 0 => Some(sheet.get(r.row, t.header.first_col - 1).display()),
            _ => None,
        }?;
        config.match_unit(&written).map(|u| u.name.clone())
    });
    week
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_date_is_read_from_the_status_title() {
        assert_eq!(
            title_date("晋城市棚改居民逾期未回迁安置问题整治 报送情况（2024-10-14）"),
            NaiveDate::from_ymd_opt(2024, 10, 14)
        );
        assert_eq!(title_date("报送情况"), None);
    }
}
