//! Snapshots of the human and JSON output for one file with several planted errors
//! (`cargo insta review`, or `INSTA_UPDATE=always cargo test --test snapshots`, to refresh).

use chrono::NaiveDate;
use pgcheck::config::Config;
use pgcheck::diag::Lang;
use pgcheck::report::{human, json};
use pgcheck::validate::{validate_file, FileReport, Options};

fn report(path: &str) -> FileReport {
    let config = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
    // Relative to the package root, as a clerk would type it.
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    validate_file(std::path::Path::new(path), &config, Options::default()).report
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
    let doc = json::validate_document(
        &files,
        NaiveDate::from_ymd_opt(2024, 10, 14).unwrap(),
        Lang::Zh,
    );
    insta::assert_snapshot!("json", json::to_string(&doc));
}
