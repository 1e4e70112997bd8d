//! Command errors (exit 2): in the run's language, every line; JSON for scripts; a bad config
//! shown at its line; `pgcheck FILE` as `pgcheck validate FILE`; a file named twice read once.

use std::path::Path;
use std::process::Output;

use crate::common;
use common::{command, pgcheck};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '：' || c == '（')
}

const CLEAN: &str = "fixtures/a2/clean-泽州县.xlsx";
const BAD: &str = "fixtures/a2/a2-01.xlsx";

#[test]
fn a_missing_path_is_said_in_the_runs_language() {
    let o = pgcheck(&["validate", "nosuch.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "pgcheck: 无法读取 nosuch.xlsx：不存在\n");
    let o = pgcheck(&["validate", "nosuch.xlsx", "--lang", "en"]);
    assert_eq!(stderr(&o), "pgcheck: cannot read nosuch.xlsx: not found\n");
}

#[test]
fn locale_forms_of_the_language_are_understood() {
    for (env, want_zh) in [
        ("zh_CN", true),
        ("zh_CN.UTF-8", true),
        ("en_US.UTF-8", false),
        ("EN", false),
        // Not a language pgcheck speaks: Chinese, not an error.
        ("fr_FR.UTF-8", true),
    ] {
        let o = command(&["validate", CLEAN, "--as-of", "2024-10-14"])
            .env("PGCHECK_LANG", env)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{env}: {}", stderr(&o));
        let last = stdout(&o).lines().last().unwrap_or("").to_string();
        assert_eq!(has_cjk(&last), want_zh, "{env}: {last}");
    }
    let o = pgcheck(&["--lang", "EN", "validate", "nosuch.xlsx"]);
    assert_eq!(stderr(&o), "pgcheck: cannot read nosuch.xlsx: not found\n");
}

#[test]
fn argument_errors_are_worded_in_the_runs_language() {
    let o = pgcheck(&["validate", CLEAN, "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "pgcheck: 不认识的参数 --bogus（用法见 pgcheck --help）\n"
    );
    let o = pgcheck(&["validate", CLEAN, "--as-of", "2024-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "pgcheck: 日期应为 YYYY-MM-DD（如 2024-10-14）：2024-13-01（用法见 pgcheck --help）\n"
    );
    let o = pgcheck(&["validate", CLEAN, "--format", "xml"]);
    assert!(
        stderr(&o).contains("--format <FORMAT> 的值无效：xml（可选：human, json）"),
        "{}",
        stderr(&o)
    );
    let o = pgcheck(&["--lang", "en", "validate", CLEAN, "--as-of", "2024-13-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!has_cjk(&stderr(&o)), "{}", stderr(&o));
}

#[test]
fn a_json_run_gets_a_json_error_document() {
    let bad_config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad_config.path(), "city = \"长治市\"\n").unwrap();
    let config = bad_config.path().to_str().unwrap();
    for (args, code) in [
        (vec!["validate", "nosuch.xlsx", "--format", "json"], "read"),
        (
            vec!["validate", CLEAN, "--format=json", "--config", config],
            "config",
        ),
        (
            vec!["validate", CLEAN, "--format", "json", "--as-of", "x"],
            "usage",
        ),
        (
            vec!["merge", "nosuch-dir", "--format", "json"],
            "not_a_folder",
        ),
    ] {
        let o = pgcheck(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)));
        assert_eq!(doc["tool"], "pgcheck");
        assert_eq!(doc["error"]["code"], code, "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(!message.is_empty() && stderr(&o).contains(message.lines().next().unwrap()));
    }
}

#[test]
fn a_file_without_a_subcommand_is_validated() {
    for file in [CLEAN, BAD] {
        let plain = pgcheck(&[file, "--as-of", "2024-10-14"]);
        let validate = pgcheck(&["validate", file, "--as-of", "2024-10-14"]);
        assert_eq!(plain.status.code(), validate.status.code(), "{file}");
        assert_eq!(stdout(&plain), stdout(&validate), "{file}");
        assert!(!stdout(&plain).is_empty());
    }
    let o = pgcheck(&["--lang", "en", "fixtures/a2", "--as-of", "2024-10-14"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error A2-01"), "{}", stdout(&o));
}

#[test]
fn the_same_file_given_twice_is_read_once() {
    let o = pgcheck(&[
        "validate",
        BAD,
        "./fixtures/a2/a2-01.xlsx",
        "--as-of",
        "2024-10-14",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    assert_eq!(doc["summary"]["errors"], 1);
}

/// A config that would corrupt the merge is refused: file, line, column, the line underlined;
/// exit 2 and no workbook written.
#[test]
fn a_config_with_one_unit_twice_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("长治.toml");
    std::fs::write(
        &config,
        "city = \"长治市\"\n\n[[units]]\nname = \"潞州区\"\n\n[[units]]\nname = \"潞州区\"\n",
    )
    .unwrap();
    let out = dir.path().join("out.xlsx");
    let o = pgcheck(&[
        "merge",
        "fixtures/week-2024-10-14",
        "-o",
        out.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("报送单位 \"潞州区\" 出现了两次"), "{err}");
    assert!(err.contains(&format!("{}:7:8", config.display())), "{err}");
    assert!(err.contains("7 │ name = \"潞州区\""), "{err}");
    assert!(err.contains("·        ───────"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `as_of` and `paid_through_min` as TOML dates or strings; a wrong one said in the run's
/// language.
#[test]
fn config_dates_in_either_form() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        "as_of = \"2024-10-14\"\npaid_through_min = 2024-07-31\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let o = pgcheck(&["validate", CLEAN, "--config", c]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(&config, "as_of = \"10/14/2024\"\n").unwrap();
    let o = pgcheck(&["validate", CLEAN, "--config", c, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("as_of = \"10/14/2024\" is not a date; write 2024-10-14 or \"2024-10-14\""),
        "{}",
        stderr(&o)
    );
    assert!(!has_cjk(&stderr(&o)), "{}", stderr(&o));
}

#[test]
fn output_folders_are_made() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out").join("周报").join("晋城市.xlsx");
    let o = common::merge(Path::new("fixtures/week-2024-10-14"), &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(out.is_file());
    let copy = dir.path().join("nodir").join("a2-01-标注.xlsx");
    let o = pgcheck(&[
        "validate",
        BAD,
        "--as-of",
        "2024-10-14",
        "--annotate",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(copy.is_file());
    assert!(stdout(&o).contains(&format!("标注版已写入 {}", copy.display())));
}

/// `--help` of every command speaks one language: clap's own words (Usage, Options, [default])
/// included.
#[test]
fn help_is_in_the_runs_language() {
    for sub in [
        "", "validate", "merge", "rules", "template", "config", "diff",
    ] {
        let mut args: Vec<&str> = vec![sub, "--help"];
        args.retain(|a| !a.is_empty());
        let zh = pgcheck(&args);
        assert_eq!(zh.status.code(), Some(0), "{sub}");
        let text = stdout(&zh);
        assert!(text.contains("用法：pgcheck"), "{sub}: {text}");
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "Print help",
            "[default",
            "[possible",
        ] {
            assert!(!text.contains(english), "{sub}: {english} in\n{text}");
        }
        args.extend(["--lang", "en"]);
        let en = stdout(&pgcheck(&args));
        assert!(en.contains("Usage: pgcheck"), "{sub}: {en}");
        assert!(!has_cjk(&en), "{sub}: Chinese in\n{en}");
    }
    assert_eq!(
        stdout(&pgcheck(&["help", "merge"])),
        stdout(&pgcheck(&["merge", "--help"]))
    );
}
