//! Helpers shared by the integration tests: the package root, running the binary, the report
//! date of every fixture; hostile workbooks made on the fly (`bombs`).
#![allow(dead_code)]

pub mod bombs;

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::NaiveDate;
use pgcheck::config::Config;
use pgcheck::validate::{Options, Validated};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `pgcheck` binary from the package root, Chinese, without colour.
pub fn pgcheck(args: &[&str]) -> Output {
    command(args).output().expect("run pgcheck")
}

/// The `pgcheck` command `pgcheck()` runs, to add an environment or redirections to.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pgcheck"));
    c.args(args)
        .current_dir(root())
        .env_remove("PGCHECK_LANG")
        .env("NO_COLOR", "1");
    c
}

/// This test binary running only the test `name` (the child half of a test that needs a process
/// of its own), with `var` set to `value`, its output not captured.
pub fn child_test(name: &str, var: &str, value: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(std::env::current_exe().expect("the test binary"));
    c.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(var, value);
    c
}

/// The subcommands `pgcheck --help` lists, in its order (`help` aside).
pub fn subcommands() -> Vec<String> {
    let top = String::from_utf8(pgcheck(&["--help", "--lang", "en"]).stdout).unwrap();
    let commands: Vec<String> = top
        .split("Commands:")
        .nth(1)
        .and_then(|s| s.split("Options:").next())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect();
    assert!(commands.len() >= 4, "{top}");
    commands
}

/// Every fixture's report date.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 10, 14).unwrap()
}

/// The built-in (Jincheng) config at the fixtures' report date.
pub fn config() -> Config {
    Config::jincheng(as_of())
}

/// The config of `fixtures/city-changzhi` (another city, its own units and parameters).
pub fn changzhi() -> Config {
    let path = root().join("fixtures/city-changzhi/changzhi.toml");
    Config::load(&path, as_of()).expect("changzhi.toml loads")
}

/// Checks `paths` with `config` as `pgcheck validate` does: every rule, those across the files
/// given included.
pub fn check_with(paths: &[PathBuf], config: &Config) -> Vec<Validated> {
    pgcheck::validate::check(paths, config, Options::default())
}

/// Checks one file with the fixtures' config.
pub fn check_one(path: &std::path::Path) -> Validated {
    let mut v = check_with(&[path.to_path_buf()], &config());
    v.pop().expect("one file in, one out")
}

/// `merge DIR -o OUT --as-of 2024-10-14`.
pub fn merge(dir: &std::path::Path, out: &std::path::Path) -> Output {
    merge_with(dir, out, &[])
}

/// `merge DIR -o OUT --as-of 2024-10-14` and `extra` arguments.
pub fn merge_with(dir: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Output {
    merge_on(dir, out, "2024-10-14", extra)
}

/// `merge DIR -o OUT --as-of AS_OF` and `extra` arguments.
pub fn merge_on(
    dir: &std::path::Path,
    out: &std::path::Path,
    as_of: &str,
    extra: &[&str],
) -> Output {
    let mut args = vec![
        "merge",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--as-of",
        as_of,
    ];
    args.extend_from_slice(extra);
    pgcheck(&args)
}

/// The names of the default config's units, in its order (Attachment 1's).
pub fn unit_names() -> Vec<String> {
    config().units.into_iter().map(|u| u.name).collect()
}

/// The sheet `name` of a workbook read back (panics when missing).
pub fn sheet<'a>(wb: &'a pgcheck::grid::Workbook, name: &str) -> &'a pgcheck::grid::Sheet {
    wb.sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The `--format json` document a run printed on stdout; on failure the panic shows stdout and
/// stderr.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Every diagnostic of every file of a `--format json` report (validate, merge, diff).
pub fn json_diagnostics(report: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().expect("diagnostics").iter())
}

/// The unit `name` of a merge's `--format json` report (its `units` list).
pub fn json_unit<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["unit"] == name)
        .unwrap_or_else(|| panic!("{name} in {report}"))
}

/// A cell as a reader sees it (merged regions filled), as text.
pub fn text(s: &pgcheck::grid::Sheet, r: u32, c: u32) -> String {
    s.get(r, c).display()
}

/// The text of the member `name` (`xl/styles.xml`) of the xlsx package at `path`.
pub fn zip_text(path: &std::path::Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()))
        .read_to_string(&mut xml)
        .unwrap();
    xml
}
