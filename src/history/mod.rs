//! Week over week (SPEC 11): reading consolidated workbooks (or county files) back into a
//! `Week`, comparing two weeks (`diff`, `merge --previous`), the 约谈预警 list, the trend over
//! many weeks, and masking
//! complainants' personal data (`--redact`).

pub mod alerts;
pub mod diff;
pub mod redact;
pub mod trend;
pub mod week;

pub use alerts::{alerts, Alert, AlertStatus};
pub use diff::{diff, Diff, ProjectChange, UnitChange};
pub use redact::Redactor;
pub use week::{HistoryError, Record, UnitWeek, Week};

/// `merge --previous`: compares the merge being written with last week's workbook, adds the H
/// findings to the files they are on (warnings: no file is left out for them) and keeps the
/// comparison for the 本周变化 sheet, which it returns.
pub fn attach_previous(
    merge: &mut crate::merge::Plan,
    previous: &Week,
    config: &crate::config::Config,
) -> Diff {
    let this = Week::from_merge(merge, config);
    let mut d = diff(previous, &this);
    for (file, f) in d.findings.drain(..) {
        let Some(i) = merge.files.iter().position(|v| v.report.path == file) else {
            continue;
        };
        merge.files[i].report.diagnostics.push(f);
        if let Some(u) = merge.units.iter_mut().find(|u| u.files.contains(&i)) {
            u.warnings += 1;
        }
    }
    d
}
