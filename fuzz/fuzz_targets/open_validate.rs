//! Arbitrary bytes through the whole of `validate`: sniffing, reading, header detection, rules,
//! and both printers.
#![no_main]

use std::path::Path;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pgcheck::config::Config;
use pgcheck::diag::Lang;
use pgcheck::report::{human, json};
use pgcheck::validate::{validate_opened, Options};
use pgcheck::workbook::open_bytes;

fuzz_target!(|data: &[u8]| {
    let config = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
    let v = validate_opened(Path::new("fuzz.xlsx"), open_bytes(data), &config, Options::default());
    let files = [v.report];
    let _ = human::validate_output(&files, human::Style { lang: Lang::Zh, color: false });
    let _ = json::to_string(&json::validate_document(&files, config.as_of, Lang::En));
});
