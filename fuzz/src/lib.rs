//! The bodies of the fuzz targets, as plain functions: `fuzz_targets/*.rs` hand them libFuzzer's
//! inputs, and the root crate's test suite (`tests/it/fuzz_bodies.rs`) runs them on the seed
//! inputs, so that a change to pgcheck's API breaks `cargo test`, not only this crate.

use std::path::Path;

use chrono::NaiveDate;
use pgcheck::config::Config;
use pgcheck::diag::Lang;
use pgcheck::grid::Value;
use pgcheck::read::open_bytes;
use pgcheck::report::{human, json};
use pgcheck::rules::wording::*;
use pgcheck::validate::{check_opened, FileReport, Options};
use pgcheck::values::*;

/// The strings the `values` corpus starts from (`seed.sh` writes one file each).
pub const VALUE_SEEDS: &str = include_str!("../seeds/values.txt");

fn config() -> Config {
    Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap())
}

/// Arbitrary bytes through the whole of `validate`: sniffing, reading, header detection, rules,
/// the checks across files, and both printers. Each input is validated twice, keeping the whole
/// grid and keeping only what the checks across files quote (`Options::slim`, what merge and
/// folder runs use): the two reports must be identical.
pub fn open_validate(data: &[u8]) {
    let config = config();
    let run = |slim: bool| {
        let opts = Options {
            slim,
            ..Options::default()
        };
        check_opened(Path::new("fuzz.xlsx"), open_bytes(data), &config, opts).report
    };
    let files = [run(false)];
    let slim = [run(true)];
    let doc = |f: &[FileReport]| json::to_string(&json::validate_document(f, &config, Lang::En));
    assert_eq!(
        doc(&files),
        doc(&slim),
        "slim and full grids report differently"
    );
    let style = human::Style {
        lang: Lang::Zh,
        color: false,
    };
    let _ = human::validate_output(&files, &config, style);
}

/// Arbitrary text (and, from 8 bytes on, an f64) through every value parser and vocabulary
/// check.
pub fn values(data: &[u8]) {
    let s = String::from_utf8_lossy(data).into_owned();
    let mut values = vec![Value::Text(s.clone())];
    if data.len() >= 8 {
        let f = f64::from_le_bytes(data[..8].try_into().unwrap());
        values.push(Value::Number(f));
    }
    for v in &values {
        let _ = read_count(v);
        let _ = read_amount(v);
        let _ = read_date(v);
        let _ = read_month(v);
        let _ = read_year(v);
        if let Err(Some(i)) = read_stage(v) {
            let _ = stage_label(i);
        }
        let _ = read_yes_no(v);
        let _ = read_source(v);
        let _ = read_fill_date(v);
    }
    let _ = is_placeholder(&s);
    let _ = has_phone(&s);
    let _ = has_contact(&s);
    let _ = has_person_and_phone(&s);
    let _ = is_government_body(&s);
    let _ = names_a_date(&s);
    let _ = address_has_shape(
        &s,
        &pgcheck::config::Counties::new(&["泽州县", "城区", "开发区"]),
    );
    let _ = states_not_overdue(&s);
    let _ = states_not_shantytown(&s);
    let _ = normalize_label(&s);
    let _ = fold(&s);
    let _ = config().match_unit(&s);
}
