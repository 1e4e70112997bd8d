//! One 附件3 sheet with many cases, for the large-sheet benchmark.
//!
//! ```sh
//! cargo run --release --example gen_big_a3 -- OUT.xlsx [ROWS] [--seed S]
//! ```
//!
//! Writes one workbook whose only sheet is 附件3 of unit 泽州县 (the built-in config) with `ROWS`
//! cases (default 100,000), clean: `pgcheck validate OUT.xlsx --as-of 2024-10-14` reports no
//! error and no warning.

use std::path::PathBuf;

use pgcheck::writer::{new_workbook, save_atomic, Formats};

mod common;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_big_a3: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let usage = "usage: gen_big_a3 OUT.xlsx [ROWS] [--seed S]";
    let mut pos = Vec::new();
    let mut seed = 42u64;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|v| v.parse().ok()).ok_or(usage)?,
            _ => pos.push(a),
        }
    }
    let (out, rows) = match pos.as_slice() {
        [out] => (PathBuf::from(out), 100_000),
        [out, rows] => (PathBuf::from(out), rows.parse().map_err(|_| usage)?),
        _ => return Err(usage.into()),
    };
    let unit = "泽州县";
    let projects: Vec<String> = (1..=20)
        .map(|k| format!("{unit}金村镇第{k}期棚户区改造项目"))
        .collect();
    let fmt = Formats::new();
    let mut rng = common::Rng(seed);
    let mut wb = new_workbook().map_err(|e| e.to_string())?;
    common::a3(wb.add_worksheet(), unit, &projects, rows, &mut rng, &fmt)?;
    save_atomic(&mut wb, &out).map_err(|e| e.to_string())?;
    eprintln!("gen_big_a3: {rows} rows of 附件3 in {}", out.display());
    Ok(())
}
