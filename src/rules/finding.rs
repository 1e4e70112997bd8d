//! How a rule's finding names a table's cell. Reading (`table`) reports what it read; the rules
//! turn it into findings, and this is the one way a finding on a table's cell is made.

use crate::diag::{Diagnostic, RuleId};
use crate::grid::Sheet;
use crate::table::{Row, Table};
use crate::template::Key;

/// Findings on a table's cells (a trait so that rules write `table.diag(..)`).
pub(crate) trait OnCell {
    /// A finding of `rule` on `key`'s cell in `row`: the cell as found in the file, the field's
    /// label, and the value as the cell shows it.
    fn diag(&self, sheet: &Sheet, rule: RuleId, row: &Row, key: impl Into<Key>) -> Diagnostic;
}

impl OnCell for Table {
    fn diag(&self, sheet: &Sheet, rule: RuleId, row: &Row, key: impl Into<Key>) -> Diagnostic {
        let key = key.into();
        let t = self.template();
        let at = self.cell(row, key);
        Diagnostic::new(rule)
            .at(&self.sheet, at)
            .field(t.display_label(t.index(key)))
            .value(sheet.get(at.row, at.col).display())
    }
}
