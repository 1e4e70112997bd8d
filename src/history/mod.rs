//! Week over week (SPEC 11): reading consolidated workbooks (or county files) back into a
//! `Week`, comparing two weeks (`diff`, `merge --previous`), the 约谈预警 list, and masking
//! complainants' personal data (`--redact`).

pub mod alerts;
pub mod diff;
pub mod redact;
pub mod week;

pub use alerts::{alerts, Alert, AlertStatus};
pub use diff::{diff, Diff, ProjectChange, UnitChange};
pub use redact::Redactor;
pub use week::{HistoryError, Record, Week};
