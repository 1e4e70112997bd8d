//! Snapshots of the human and JSON output for one file with several planted errors
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test it snapshots`, to refresh).

use pgcheck::diag::Lang;
use pgcheck::report::{human, json};
use pgcheck::validate::FileReport;

use crate::common;

fn report(path: &str) -> FileReport {
    let mut report = common::check_one(&common::root().join(path)).report;
    // Named relative to the package root, as a clerk would type it.
    report.path = path.into();
    report
}

#[test]
fn human_output_of_a_file_with_several_problems() {
    let files = [
        report("fixtures/a2/hdr-swapped.xlsx"),
        report("fixtures/a3/A3-02.xlsx"),
        report("fixtures/a2/v05.xlsx"),
    ];
    insta::assert_snapshot!(
        "human_zh",
        human::validate_output(
            &files,
            &common::config(),
            human::Style {
                lang: Lang::Zh,
                color: false
            }
        )
    );
    insta::assert_snapshot!(
        "human_en",
        human::validate_output(
            &files,
            &common::config(),
            human::Style {
                lang: Lang::En,
                color: false
            }
        )
    );
}

#[test]
fn json_output_of_a_file_with_several_problems() {
    let files = [
        report("fixtures/a2/hdr-swapped.xlsx"),
        report("fixtures/a3/A3-02.xlsx"),
    ];
    let doc = json::validate_document(&files, &common::config(), Lang::Zh);
    insta::assert_snapshot!("json", json::to_string(&doc));
}
