//! Arbitrary bytes through the whole of `validate`: sniffing, reading, header detection, rules,
//! the checks across files, and both printers. Each input is validated twice, keeping the whole
//! grid and keeping only what the checks across files quote (`Options::slim`, what merge and
//! folder runs use): the two reports must be identical.
#![no_main]

use std::path::Path;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pgcheck::config::Config;
use pgcheck::diag::Lang;
use pgcheck::report::{human, json};
use pgcheck::validate::{check_opened, Options};
use pgcheck::read::open_bytes;

fuzz_target!(|data: &[u8]| {
    let config = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
    let run = |slim: bool| {
        let opts = Options {
            slim,
            ..Options::default()
        };
        check_opened(Path::new("fuzz.xlsx"), open_bytes(data), &config, opts).report
    };
    let files = [run(false)];
    let slim = [run(true)];
    let doc = |f: &[pgcheck::validate::FileReport]| {
        json::to_string(&json::validate_document(f, config.as_of, Lang::En))
    };
    assert_eq!(doc(&files), doc(&slim), "slim and full grids report differently");
    let _ = human::validate_output(&files, human::Style { lang: Lang::Zh, color: false });
});
