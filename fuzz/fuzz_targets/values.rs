//! Arbitrary text and numbers through every value parser and vocabulary check.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pgcheck::config::Config;
use pgcheck::grid::Value;
use pgcheck::rules::wording::*;
use pgcheck::values::*;

fuzz_target!(|data: &[u8]| {
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
    let _ = address_has_shape(&s, &["泽州县", "城区", "开发区"]);
    let _ = states_not_overdue(&s);
    let _ = states_not_shantytown(&s);
    let _ = normalize_label(&s);
    let _ = fold(&s);
    let config = Config::jincheng(NaiveDate::from_ymd_opt(2024, 10, 14).unwrap());
    let _ = config.match_unit(&s);
});
