//! The command line as a clerk sees it, as snapshots: `--help` of pgcheck and of every
//! subcommand, `rules`, validate of a good and a bad file (human and JSON), and the errors that
//! stop a run early (a missing file, a config with a mistake, a wrong --as-of), in Chinese (the
//! default) and in English. Each snapshot holds the arguments, the exit code, stdout and stderr.
//! After a deliberate change: `INSTA_UPDATE=always cargo test --test it cli_snapshots`, then
//! read `git diff tests/it/snapshots/` before committing.

use std::process::Command;

use insta_cmd::assert_cmd_snapshot;

use crate::common;

const GOOD: &str = "fixtures/a2/clean-泽州县.xlsx";
/// A2-01 on 附件2!H7 (开工套数 above 应安置棚改居民户数).
const BAD: &str = "fixtures/a2/a2-01.xlsx";

/// `pgcheck ARGS` from the package root; English when `lang` is "en", else the default.
fn pgcheck(lang: &str, args: &[&str]) -> Command {
    let mut c = common::command(args);
    if lang == "en" {
        c.args(["--lang", "en"]);
    }
    c
}

fn help(lang: &str) {
    assert_cmd_snapshot!(format!("help_{lang}"), pgcheck(lang, &["--help"]));
    for cmd in common::subcommands() {
        assert_cmd_snapshot!(
            format!("help_{cmd}_{lang}"),
            pgcheck(lang, &[&cmd, "--help"])
        );
    }
}

fn rules(lang: &str) {
    assert_cmd_snapshot!(format!("rules_{lang}"), pgcheck(lang, &["rules"]));
}

fn validate(lang: &str) {
    for (name, file) in [("good", GOOD), ("bad", BAD)] {
        let args = ["validate", file, "--as-of", "2024-10-14"];
        assert_cmd_snapshot!(format!("validate_{name}_{lang}"), pgcheck(lang, &args));
        let json = [&args[..], &["--format", "json"]].concat();
        assert_cmd_snapshot!(format!("validate_{name}_json_{lang}"), pgcheck(lang, &json));
    }
}

fn early_errors(lang: &str) {
    assert_cmd_snapshot!(
        format!("missing_path_{lang}"),
        pgcheck(lang, &["validate", "fixtures/不存在.xlsx"])
    );
    assert_cmd_snapshot!(
        format!("bad_config_{lang}"),
        pgcheck(
            lang,
            &["validate", GOOD, "--config", "fixtures/cli/unit-twice.toml"]
        )
    );
    assert_cmd_snapshot!(
        format!("bad_as_of_{lang}"),
        pgcheck(lang, &["validate", GOOD, "--as-of", "2024-13-01"])
    );
}

#[test]
fn help_zh() {
    help("zh");
}

#[test]
fn help_en() {
    help("en");
}

#[test]
fn rules_zh() {
    rules("zh");
}

#[test]
fn rules_en() {
    rules("en");
}

#[test]
fn validate_zh() {
    validate("zh");
}

#[test]
fn validate_en() {
    validate("en");
}

#[test]
fn early_errors_zh() {
    early_errors("zh");
}

#[test]
fn early_errors_en() {
    early_errors("en");
}
