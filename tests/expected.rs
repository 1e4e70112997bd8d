//! Every fixture under `fixtures/<dir>/` listed in that folder's `expected.tsv` is validated
//! (report date 2024-10-14) and must produce exactly the diagnostics listed: rule id, cell and
//! severity, nothing more, nothing less.

use std::collections::BTreeMap;
use std::path::Path;

use pgcheck::diag::Severity;

type Key = (String, String, String); // rule, cell, severity

fn expected(dir: &Path) -> BTreeMap<String, Vec<Key>> {
    let text = std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv");
    let mut out: BTreeMap<String, Vec<Key>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if n == 0 && line.starts_with("file") || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let file = cols[0].to_string();
        let entry = out.entry(file).or_default();
        let rule = cols.get(1).copied().unwrap_or("-").trim();
        if rule == "-" || rule.is_empty() {
            continue;
        }
        let cell = cols.get(2).copied().unwrap_or("-").trim().to_string();
        let sev = cols
            .get(3)
            .copied()
            .unwrap_or("error")
            .trim()
            .to_lowercase();
        entry.push((rule.to_string(), cell, sev));
    }
    out
}

mod common;
use common::check_one;

/// Validates every listed file; returns a description of each mismatch.
pub fn check_dir(dir: &str) -> Vec<String> {
    let dir = common::root().join("fixtures").join(dir);
    let mut problems = Vec::new();
    for (file, mut want) in expected(&dir) {
        let path = dir.join(&file);
        assert!(
            path.exists(),
            "{} listed in expected.tsv but missing",
            path.display()
        );
        // Each file alone, with the checks across its own sheets (X01, X02).
        let report = check_one(&path).report;
        let mut got: Vec<Key> = report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.rule.to_string(),
                    d.cell.map(|c| c.to_string()).unwrap_or_else(|| "-".into()),
                    match d.severity {
                        Severity::Error => "error".to_string(),
                        Severity::Warning => "warning".to_string(),
                    },
                )
            })
            .collect();
        got.sort();
        want.sort();
        if got != want {
            let details: Vec<String> = report
                .diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "    {} {} {}",
                        d.rule.as_str(),
                        d.cell.map(|c| c.to_string()).unwrap_or_default(),
                        d.message(pgcheck::diag::Lang::Zh)
                    )
                })
                .collect();
            problems.push(format!(
                "{file}:\n  want {want:?}\n  got  {got:?}\n{}",
                details.join("\n")
            ));
        }
    }
    problems
}

fn assert_dir(dir: &str) {
    let problems = check_dir(dir);
    assert!(
        problems.is_empty(),
        "{} fixture(s) differ:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn attachment_2_fixtures() {
    assert_dir("a2");
}

#[test]
fn attachment_3_fixtures() {
    assert_dir("a3");
}

#[test]
fn attachment_4_fixtures() {
    assert_dir("a4");
}

#[test]
fn attachment_5_fixtures() {
    assert_dir("a5");
}

#[test]
fn four_sheet_workbook_fixtures() {
    assert_dir("workbook");
}
