//! Every fixture under `fixtures/<dir>/` listed in that folder's `expected.tsv` is validated
//! (report date 2024-10-14) and must produce exactly the diagnostics listed: rule id, cell and
//! severity, nothing more, nothing less. An inbox folder (`expected.tsv` beside the files of one
//! week) is checked as merge checks it, all files together. Every rule of the catalogue has a
//! fixture listed somewhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pgcheck::diag::Severity;
use pgcheck::rules::RuleId;
use pgcheck::validate::Options;

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

use crate::common;
use common::check_one;

/// How a folder's files are checked.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Each file alone, with the checks across its own sheets (X01, X02): `pgcheck validate F`.
    EachAlone,
    /// All the folder's files as one week's inbox: `pgcheck merge DIR` (X03, A2-10 across files).
    Inbox,
}

/// Validates every listed file; returns a description of each mismatch.
fn check_dir(dir: &str, mode: Mode) -> Vec<String> {
    let dir = common::root().join("fixtures").join(dir);
    let listed = expected(&dir);
    let paths: Vec<PathBuf> = listed.keys().map(|f| dir.join(f)).collect();
    for path in &paths {
        assert!(
            path.exists(),
            "{} listed in expected.tsv but missing",
            path.display()
        );
    }
    let inbox = match mode {
        Mode::EachAlone => Vec::new(),
        Mode::Inbox => {
            let opts = Options {
                consolidate: true,
                ..Options::default()
            };
            pgcheck::validate::check(&paths, &common::config(), opts)
        }
    };
    let mut problems = Vec::new();
    for (i, (file, mut want)) in listed.into_iter().enumerate() {
        let report = match mode {
            Mode::EachAlone => check_one(&paths[i]).report,
            Mode::Inbox => inbox[i].report.clone(),
        };
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
    assert_checked(dir, Mode::EachAlone);
}

fn assert_checked(dir: &str, mode: Mode) {
    let problems = check_dir(dir, mode);
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

#[test]
fn an_inbox_with_every_attachment_sent_twice() {
    assert_checked("clerk/p13-inbox", Mode::Inbox);
}

/// Every `expected.tsv` under `fixtures/`, recursively.
fn expected_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            expected_files(&p, out);
        } else if p.file_name().is_some_and(|n| n == "expected.tsv") {
            out.push(p);
        }
    }
}

#[test]
fn every_rule_has_a_fixture_with_its_expected_cell() {
    let mut files = Vec::new();
    expected_files(&common::root().join("fixtures"), &mut files);
    let mut listed = std::collections::BTreeSet::new();
    for f in &files {
        for (_, keys) in expected(f.parent().unwrap()) {
            listed.extend(keys.into_iter().map(|(rule, _, _)| rule));
        }
    }
    let missing: Vec<&str> = RuleId::ALL
        .iter()
        // The week-over-week rules compare two weeks, not files: tests/history.rs asserts
        // each on its cell of fixtures/week-2024-10-21 against fixtures/week-2024-10-14.
        .filter(|r| r.entry().scope != pgcheck::rules::Scope::Week)
        .map(|r| r.as_str())
        .filter(|id| !listed.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    for id in &listed {
        assert!(RuleId::parse(id).is_some(), "{id} is listed but no rule");
    }
}
