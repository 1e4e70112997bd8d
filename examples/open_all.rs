//! Opens every file under a directory with `pgcheck::read::open` and prints a tally.
//!
//! `cargo run --release --example open_all -- DIR [-v]`
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::walk;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let Some(dir) = args.iter().find(|a| *a != "-v") else {
        eprintln!("usage: open_all DIR [-v]");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    walk(Path::new(dir), &mut files);

    let mut ok = 0usize;
    let mut cells = 0usize;
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut slowest: (Duration, PathBuf) = (Duration::ZERO, PathBuf::new());
    let started = Instant::now();
    for f in &files {
        let t = Instant::now();
        let r = pgcheck::read::open(f);
        let dt = t.elapsed();
        if dt > slowest.0 {
            slowest = (dt, f.clone());
        }
        match &r {
            Ok(wb) => {
                ok += 1;
                let n: usize = wb.sheets.iter().map(|s| s.cell_count()).sum();
                cells += n;
                if verbose {
                    println!(
                        "{:>8.1} ms  ok   {} sheet(s), {} cells  {}",
                        dt.as_secs_f64() * 1e3,
                        wb.sheets.len(),
                        n,
                        f.display()
                    );
                }
            }
            Err(e) => {
                *kinds.entry(e.kind_name()).or_default() += 1;
                if verbose {
                    println!(
                        "{:>8.1} ms  ERR  {:<16} {}  [{}]  {}",
                        dt.as_secs_f64() * 1e3,
                        e.kind_name(),
                        f.display(),
                        e,
                        e.message().zh
                    );
                }
            }
        }
    }
    println!("files:         {}", files.len());
    println!("ok:            {ok} ({cells} cells)");
    for (k, n) in &kinds {
        println!("error {k:<16} {n}");
    }
    println!(
        "slowest:       {} ({:.1} ms)",
        slowest.1.display(),
        slowest.0.as_secs_f64() * 1e3
    );
    println!("panics caught: {}", pgcheck::read::panics_caught());
    println!(
        "xlsx declined: {} (read by calamine, not directly)",
        pgcheck::read::xlsx_declines()
    );
    println!("total time:    {:.2} s", started.elapsed().as_secs_f64());
}
