//! Consolidation (SPEC 10): check every file of a folder (with the checks of a merge: X03 for an
//! attachment sent twice, A2-10 across units), group them by unit, leave out every file with an
//! error, and decide what goes into the city's workbook. Writing it is `writer::merged`'s job.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{Config, Unit};
use crate::diag::Lang;
use crate::template::{FieldRole, TemplateId};
use crate::validate::{self, Options, Status, Validated};

/// What happened to a unit this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStatus {
    /// 已汇总: every file merged.
    Merged,
    /// 部分汇总: some files merged, at least one left out for errors.
    Partial,
    /// 未通过校验: something was sent, and every file was left out for errors.
    LeftOut,
    /// 未报送
    Missing,
}

impl UnitStatus {
    pub const ALL: [UnitStatus; 4] = [
        UnitStatus::Merged,
        UnitStatus::Partial,
        UnitStatus::LeftOut,
        UnitStatus::Missing,
    ];

    /// The exact words of the 报送状态 column.
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Merged => "已汇总",
            UnitStatus::Partial => "部分汇总",
            UnitStatus::LeftOut => "未通过校验",
            UnitStatus::Missing => "未报送",
        }
    }

    /// The status as a person reads it in `lang` (the 报送状态 words in Chinese).
    pub fn word(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label(),
            Lang::En => match self {
                UnitStatus::Merged => "merged",
                UnitStatus::Partial => "partly merged",
                UnitStatus::LeftOut => "left out",
                // People read "not sent"; `--format json` keeps the word `missing` (`as_str`).
                UnitStatus::Missing => "not sent",
            },
        }
    }

    /// The status whose 报送状态 words are `label` (reading a consolidated workbook back).
    pub fn from_label(label: &str) -> Option<UnitStatus> {
        UnitStatus::ALL.into_iter().find(|s| s.label() == label)
    }

    /// True when the unit's rows are in the workbook's totals (合计, 小计): all of them, or
    /// those of the attachments not left out. A new status must say so here: the match has no
    /// catch-all.
    pub fn in_totals(self) -> bool {
        match self {
            UnitStatus::Merged | UnitStatus::Partial => true,
            UnitStatus::LeftOut | UnitStatus::Missing => false,
        }
    }

    /// The status in `--format json`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Merged => "merged",
            UnitStatus::Partial => "partial",
            UnitStatus::LeftOut => "left_out",
            UnitStatus::Missing => "missing",
        }
    }
}

/// One submitting unit's line of 报送情况.
#[derive(Debug, Clone)]
pub struct UnitSummary {
    pub unit: Unit,
    pub status: UnitStatus,
    /// Indices into `Plan::files`.
    pub files: Vec<usize>,
    /// Attachments whose rows are in the workbook (from the unit's valid files).
    pub merged_attachments: Vec<TemplateId>,
    /// Attachments received in a file left out for errors.
    pub left_out_attachments: Vec<TemplateId>,
    pub errors: usize,
    pub warnings: usize,
    /// The latest 填报时间 found (A3-A5 fields), if any.
    pub fill_date: Option<NaiveDate>,
}

/// The outcome of a merge, before writing.
#[derive(Debug)]
pub struct Plan {
    pub files: Vec<Validated>,
    /// The seven submitting units in order.
    pub units: Vec<UnitSummary>,
    /// Files that could be attributed to no unit (unreadable, unrecognised, unknown unit).
    pub orphans: Vec<usize>,
    /// Where the workbook was written.
    pub output: Option<PathBuf>,
}

impl Plan {
    /// The merged files of `unit` (its valid files), in input order.
    pub fn merged_files_of(&self, unit: &str) -> Vec<&Validated> {
        self.units
            .iter()
            .filter(|u| u.unit.name == unit)
            .flat_map(|u| u.files.iter())
            .map(|&i| &self.files[i])
            .filter(|f| f.report.status() == Status::Valid)
            .collect()
    }

    /// Exit status per SPEC 9: every unit merged.
    pub fn complete(&self) -> bool {
        self.units.iter().all(|u| u.status == UnitStatus::Merged) && self.orphans.is_empty()
    }
}

/// Lists a folder's inputs: spreadsheets, no lock or hidden files, never the output itself.
pub fn discover(dir: &Path, recurse: bool, output: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(discover_all(dir, recurse, output)?.files)
}

/// `discover`, with what the scan could not read and what it left in sub-folders.
pub fn discover_all(dir: &Path, recurse: bool, output: &Path) -> std::io::Result<validate::Scan> {
    let out_abs = absolute(output);
    let mut scan = validate::scan(dir, recurse)?;
    scan.files.retain(|p| absolute(p) != out_abs);
    Ok(scan)
}

/// A path made absolute and canonical where it exists (the output may not exist yet).
pub fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let parent = p
        .parent()
        .filter(|x| !x.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (parent.canonicalize(), p.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => p.to_path_buf(),
    }
}

/// The first sheet of the city's workbook, by which a consolidated workbook is known.
pub const STATUS_SHEET: &str = "报送情况";

/// The columns of 报送情况, in order: the writer lays them out, history reads them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusColumn {
    Seq,
    Unit,
    Phone,
    Email,
    Status,
    FileCount,
    MergedAttachments,
    LeftOutAttachments,
    Errors,
    Warnings,
    FillDate,
    Files,
}

impl StatusColumn {
    pub const ALL: [StatusColumn; 12] = [
        StatusColumn::Seq,
        StatusColumn::Unit,
        StatusColumn::Phone,
        StatusColumn::Email,
        StatusColumn::Status,
        StatusColumn::FileCount,
        StatusColumn::MergedAttachments,
        StatusColumn::LeftOutAttachments,
        StatusColumn::Errors,
        StatusColumn::Warnings,
        StatusColumn::FillDate,
        StatusColumn::Files,
    ];

    /// The header of the column.
    pub fn label(self) -> &'static str {
        match self {
            StatusColumn::Seq => "序号",
            StatusColumn::Unit => "单位",
            StatusColumn::Phone => "联系电话",
            StatusColumn::Email => "电子邮箱",
            StatusColumn::Status => "报送状态",
            StatusColumn::FileCount => "收到文件数",
            StatusColumn::MergedAttachments => "已汇总附件",
            StatusColumn::LeftOutAttachments => "未汇总附件",
            StatusColumn::Errors => "错误数",
            StatusColumn::Warnings => "警告数",
            StatusColumn::FillDate => "填报时间",
            StatusColumn::Files => "文件",
        }
    }

    /// The column's index (0 = A).
    pub fn col(self) -> u16 {
        self as u16
    }
}

/// Attachments as 报送情况 lists them: `附件2、附件4`.
pub fn attachment_list(attachments: &[TemplateId]) -> String {
    let names: Vec<&str> = attachments
        .iter()
        .map(|t| t.template().attachment)
        .collect();
    names.join("、")
}

/// The attachments named in a 报送情况 list (reading a consolidated workbook back).
pub fn attachments_listed(text: &str) -> Vec<TemplateId> {
    text.split('、')
        .filter_map(|name| {
            TemplateId::ALL
                .into_iter()
                .find(|t| t.template().attachment == name.trim())
        })
        .collect()
}

/// A workbook pgcheck wrote itself, known by its first sheet: never a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnOutput {
    /// A consolidated workbook (first sheet 报送情况), which a new merge may replace.
    Consolidated,
    /// An annotated copy (first sheet 问题清单), which `--annotate` may replace.
    Annotated,
}

/// Which of pgcheck's own workbooks `path` is, if any: one read of its sheet names.
pub fn own_output(path: &Path) -> Option<OwnOutput> {
    let names = crate::read::sheet_names(path)?;
    match names.first()?.as_str() {
        STATUS_SHEET => Some(OwnOutput::Consolidated),
        crate::writer::ISSUES_SHEET => Some(OwnOutput::Annotated),
        _ => None,
    }
}

/// True when `path` is a workbook pgcheck consolidated (its first sheet is 报送情况), which a
/// new merge may replace.
pub fn is_consolidated_output(path: &Path) -> bool {
    own_output(path) == Some(OwnOutput::Consolidated)
}

/// True when `path` is an annotated copy pgcheck wrote (its first sheet is 问题清单): `--annotate`
/// may replace it, and `merge` does not take it for a submission.
pub fn is_annotated_copy(path: &Path) -> bool {
    own_output(path) == Some(OwnOutput::Annotated)
}

/// Validates `paths` and decides what is merged; `strict` leaves out files with warnings too.
/// Without `keep_grids`, only the cells the checks across files quote are kept of each grid
/// (`validate::Options::slim`; `merge --annotate-dir` re-reads the left-out files it marks up);
/// with it every cell is kept (tests compare the two).
pub fn plan(paths: &[PathBuf], config: &Config, strict: bool, keep_grids: bool) -> Plan {
    let opts = Options {
        slim: !keep_grids,
        consolidate: true,
        deny_warnings: strict,
    };
    let mut files: Vec<Validated> = validate::check(paths, config, opts);

    let mut by_unit: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(u) = &f.report.unit {
            by_unit.entry(u.as_str()).or_default().push(i);
        }
    }
    let mut units = Vec::new();
    for u in &config.units {
        let idx: Vec<usize> = by_unit.get(u.name.as_str()).cloned().unwrap_or_default();
        let valid = |i: &usize| files[*i].report.status() == Status::Valid;
        let attachments_of = |merged: bool| {
            let mut a: Vec<TemplateId> = idx
                .iter()
                .filter(|i| valid(i) == merged)
                .flat_map(|&i| files[i].report.sheets.iter().map(|s| s.template))
                .collect();
            a.sort();
            a.dedup();
            a
        };
        let merged_attachments = attachments_of(true);
        let left_out_attachments = attachments_of(false);
        let status = match (idx.iter().filter(|i| valid(i)).count(), idx.len()) {
            (_, 0) => UnitStatus::Missing,
            (m, n) if m == n => UnitStatus::Merged,
            (0, _) => UnitStatus::LeftOut,
            _ => UnitStatus::Partial,
        };
        let fill_date = idx.iter().filter_map(|&i| fill_date(&files[i])).max();
        units.push(UnitSummary {
            unit: u.clone(),
            status,
            // Errors as listed: a finding told with another file (X03's copies) counts once.
            errors: idx
                .iter()
                .flat_map(|&i| &files[i].report.diagnostics)
                .filter(|d| d.is_error() && !d.repeats)
                .count(),
            warnings: idx.iter().map(|&i| files[i].report.warnings()).sum(),
            files: idx,
            merged_attachments,
            left_out_attachments,
            fill_date,
        });
    }
    let mut attributed = vec![false; files.len()];
    units
        .iter()
        .flat_map(|u| u.files.iter())
        .for_each(|&i| attributed[i] = true);
    let orphans = (0..files.len()).filter(|&i| !attributed[i]).collect();
    // From here on a valid file is only its tables and report (the consolidated workbook is
    // written from those).
    for f in files
        .iter_mut()
        .filter(|f| f.report.status() == Status::Valid)
    {
        f.workbook = None;
    }
    Plan {
        files,
        units,
        orphans,
        output: None,
    }
}

/// The latest full 填报时间 of a file (A3-A5 fields), if any.
pub fn fill_date(v: &Validated) -> Option<NaiveDate> {
    let wb = v.workbook.as_ref()?;
    v.tables
        .iter()
        .filter(|t| !t.template().fields.is_empty())
        .filter_map(|t| {
            let sheet = wb.sheets.iter().find(|s| s.name == t.sheet)?;
            let f = crate::fields::read(sheet, t.template().fields, t.header.top);
            let d = f.iter().find(|f| f.role == FieldRole::Date)?;
            match crate::values::read_fill_date(&d.value())? {
                crate::values::FillDate::Full(d) => Some(d),
                _ => None,
            }
        })
        .max()
}

#[cfg(test)]
mod status_tests {
    use super::UnitStatus;

    #[test]
    fn a_status_label_reads_back_as_its_status() {
        for s in UnitStatus::ALL {
            assert_eq!(UnitStatus::from_label(s.label()), Some(s));
        }
        assert_eq!(UnitStatus::from_label("否"), None);
        assert!(UnitStatus::Merged.in_totals() && UnitStatus::Partial.in_totals());
        assert!(!UnitStatus::LeftOut.in_totals() && !UnitStatus::Missing.in_totals());
    }

    /// A unit that sent nothing reads "not sent" in English; JSON keeps `missing`.
    #[test]
    fn a_unit_that_sent_nothing_is_not_sent_for_people_and_missing_for_scripts() {
        use crate::diag::Lang;
        assert_eq!(UnitStatus::Missing.word(Lang::En), "not sent");
        assert_eq!(UnitStatus::Missing.word(Lang::Zh), "未报送");
        assert_eq!(UnitStatus::Missing.as_str(), "missing");
    }
}
