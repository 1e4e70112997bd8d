//! `pgcheck rules` fits an 80-column terminal in both languages; `--format json|markdown` keep
//! every field of the catalogue.

use std::process::Command;

use crate::common;
use common::root;

/// Display width of a line as a terminal shows it: East Asian wide characters take two columns.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn rules(args: &[&str], columns: Option<&str>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgcheck"));
    cmd.arg("rules")
        .args(args)
        .current_dir(root())
        .env_remove("PGCHECK_LANG");
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{o:?}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn the_rules_table_fits_80_columns() {
    for lang in ["zh", "en"] {
        for columns in [None, Some("80")] {
            let out = rules(&["--lang", lang], columns);
            let widest = out.lines().map(width).max().unwrap();
            assert!(
                widest <= 80,
                "{lang}: a line is {widest} columns wide:\n{out}"
            );
            // Every rule is there, with its id in the first column.
            for r in pgcheck::rules::RULES {
                assert!(
                    out.contains(&format!("│ {:<6}", r.id.as_str())),
                    "{lang}: {} missing",
                    r.id
                );
            }
        }
    }
    // A wider terminal gets a wider table.
    let wide = rules(&[], Some("160"));
    assert!(wide.lines().map(width).max().unwrap() > 80);
}

#[test]
fn json_and_markdown_keep_the_full_catalogue() {
    let json: serde_json::Value =
        serde_json::from_str(&rules(&["--format", "json"], None)).unwrap();
    let first = &json.as_array().unwrap()[0];
    for key in [
        "id",
        "severity",
        "scope",
        "primary_zh",
        "primary_en",
        "source_zh",
        "source_en",
        "title_zh",
        "title_en",
        "want_zh",
        "want_en",
    ] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    let md = rules(&["--format", "markdown"], Some("80"));
    assert!(md.lines().any(|l| l.starts_with("| A2-01 ")), "{md}");
}
