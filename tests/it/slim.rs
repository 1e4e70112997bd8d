//! `validate` and `merge` without an annotated copy keep of each grid only the cells that the
//! checks across files quote (`validate::Options::slim`). They must report exactly what the full
//! grids give: same diagnostics (cells, values, messages), same statuses, same 填报时间.

use std::path::PathBuf;

use pgcheck::config::Config;
use pgcheck::diag::Lang;
use pgcheck::merge;
use pgcheck::report::json;
use pgcheck::validate::{check, scan_dir, Options, Validated};

use crate::common;
use common::{as_of, root};

fn reports(v: &[Validated]) -> Vec<String> {
    v.iter()
        .map(|f| json::file(&f.report, Lang::Zh, &common::config()).to_string())
        .collect()
}

fn both(paths: &[PathBuf], config: &Config) -> (Vec<String>, Vec<String>) {
    let run = |slim: bool| {
        let opts = Options {
            slim,
            ..Options::default()
        };
        reports(&check(paths, config, opts))
    };
    (run(false), run(true))
}

fn files(dir: &str) -> Vec<PathBuf> {
    scan_dir(&root().join(dir), false).unwrap()
}

#[test]
fn slim_validation_reports_what_full_grids_report() {
    let jc = Config::jincheng(as_of());
    let mut seen = String::new();
    // Each fixture alone (as tests/expected.rs does), then whole folders (checks across files).
    for dir in [
        "fixtures/a2",
        "fixtures/a3",
        "fixtures/a4",
        "fixtures/a5",
        "fixtures/workbook",
        // fuzz_slim_missing_column.xls: the fuzzer's first slim/full difference (X02 quoted a
        // cell the slim grid had dropped, for a required column the header lacked).
        "fixtures/hostile",
    ] {
        for p in files(dir) {
            let (full, slim) = both(std::slice::from_ref(&p), &jc);
            assert_eq!(full, slim, "{}", p.display());
            seen.push_str(&full.concat());
        }
        let (full, slim) = both(&files(dir), &jc);
        assert_eq!(full, slim, "{dir}");
        seen.push_str(&full.concat());
    }
    let (full, slim) = both(&files("fixtures/week-2024-10-14"), &jc);
    assert_eq!(full, slim, "the sample week");
    seen.push_str(&full.concat());
    // The comparison covered the checks that read kept cells.
    for rule in ["\"X01\"", "\"X02\"", "\"A2-10\""] {
        assert!(seen.contains(rule), "no {rule} diagnostic compared");
    }
}

#[test]
fn slim_merge_plans_what_full_grids_plan() {
    let cz = Config::load(
        &root().join("fixtures/city-changzhi/changzhi.toml"),
        as_of(),
    )
    .unwrap();
    let jc = Config::jincheng(as_of());
    let cases: [(&str, &Config); 3] = [
        ("fixtures/week-2024-10-14", &jc),
        ("fixtures/city-changzhi/inbox", &cz),
        ("fixtures/city-changzhi/inbox-shared-project", &cz),
    ];
    let mut cross_file_a2_10 = false;
    for (dir, config) in cases {
        let paths = files(dir);
        let plan = |keep_grids: bool| {
            let m = merge::plan(&paths, config, false, keep_grids);
            let units: Vec<String> = m
                .units
                .iter()
                .map(|u| format!("{} {:?} {:?}", u.unit.name, u.status, u.fill_date))
                .collect();
            (reports(&m.files), units)
        };
        let (full, slim) = (plan(true), plan(false));
        assert_eq!(full, slim, "{dir}");
        assert!(
            full.1.iter().any(|u| !u.ends_with("None")),
            "{dir}: no 填报时间 compared"
        );
        cross_file_a2_10 |= full.0.concat().contains("\"A2-10\"");
    }
    assert!(cross_file_a2_10, "no A2-10 across files compared");
}
