//! The README's rule table is the catalogue (`pgcheck rules --format markdown`), not a copy that
//! drifts.

use crate::common;

#[test]
fn readme_rule_table_is_the_catalogue() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let config =
        pgcheck::config::Config::jincheng(chrono::NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
    let table = pgcheck::rules::markdown(pgcheck::diag::Lang::En, &config);
    assert!(
        readme.contains(table.trim_end()),
        "README's rule table differs from the catalogue: paste `pgcheck rules --format markdown --lang en`"
    );
}

/// The README's Commands synopsis names every option each subcommand's `--help` lists (long
/// form, or its short form where the help gives one), and every subcommand.
#[test]
fn readme_synopsis_matches_the_help() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("## Commands")
        .nth(1)
        .and_then(|s| s.split("```").nth(1))
        .expect("a code block under ## Commands");
    let help = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_pgcheck"))
            .args(args)
            .args(["--help", "--lang", "en"])
            .env_remove("PGCHECK_LANG")
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    for cmd in common::subcommands() {
        // The synopsis of `cmd`: its line and the indented lines continuing it.
        let mut synopsis = String::new();
        let mut inside = false;
        for line in block.lines() {
            if line.starts_with("pgcheck ") {
                inside = line.starts_with(&format!("pgcheck {cmd} "))
                    || line == format!("pgcheck {cmd}");
            }
            if inside {
                synopsis.push_str(line);
                synopsis.push('\n');
            }
        }
        assert!(
            !synopsis.is_empty(),
            "README has no synopsis of `pgcheck {cmd}`"
        );
        let text = help(&[&cmd]);
        for line in text
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('-'))
        {
            let mut names = line.split(|c: char| c == ',' || c.is_whitespace());
            let first = names.next().unwrap();
            let long = if first.starts_with("--") {
                first
            } else {
                names.find(|n| n.starts_with("--")).unwrap_or(first)
            };
            if matches!(long, "--help" | "--version" | "--lang") {
                continue;
            }
            let short = (!first.starts_with("--")).then_some(first);
            let named = |n: &str| {
                synopsis
                    .split(|c: char| c.is_whitespace() || c == '[' || c == ']')
                    .any(|w| w == n)
            };
            assert!(
                named(long) || short.is_some_and(named),
                "README's synopsis of `pgcheck {cmd}` lacks {long}:\n{synopsis}"
            );
        }
    }
}
