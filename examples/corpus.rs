//! Runs `pgcheck validate` over every file below a folder, one process per file with a 10 s
//! limit, and prints a tally: files, exit codes, panics, time-outs, the slowest file.
//!
//! `cargo build --release && cargo run --release --example corpus -- ../shared/corpus`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::walk;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: corpus DIR");
    let exe = std::env::var("PGCHECK").unwrap_or_else(|_| "target/release/pgcheck".into());
    let mut files = Vec::new();
    walk(Path::new(&dir), &mut files);
    files.retain(|p| {
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        !matches!(ext.as_str(), "md" | "tsv" | "txt") || p.to_string_lossy().contains("derived")
    });
    let (mut codes, mut panics, mut timeouts) = (std::collections::BTreeMap::new(), 0, 0);
    let mut slowest = (Duration::ZERO, PathBuf::new());
    let mut no_message = Vec::new();
    for f in &files {
        let start = Instant::now();
        let mut child = Command::new(&exe)
            .arg("validate")
            .arg(f)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn pgcheck");
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break Some(s);
            }
            if start.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let took = start.elapsed();
        if took > slowest.0 {
            slowest = (took, f.clone());
        }
        let out = child.wait_with_output().expect("output");
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        if text.contains("panicked") || text.contains("RUST_BACKTRACE") {
            panics += 1;
            println!("PANIC {}", f.display());
        }
        match status.and_then(|s| s.code()) {
            Some(c) => {
                *codes.entry(c).or_insert(0) += 1;
                let name = f.file_name().unwrap().to_string_lossy().to_string();
                if c != 0 && !text.contains(&name) {
                    no_message.push(f.clone());
                }
            }
            None => {
                timeouts += 1;
                println!("TIMEOUT {}", f.display());
            }
        }
    }
    println!("files: {}", files.len());
    for (c, n) in &codes {
        println!("exit {c}: {n}");
    }
    println!("panics: {panics}");
    println!("time-outs (10 s): {timeouts}");
    println!(
        "slowest: {:.2} s {}",
        slowest.0.as_secs_f64(),
        slowest.1.display()
    );
    println!(
        "non-zero exits whose output does not name the file: {}",
        no_message.len()
    );
    for f in no_message.iter().take(10) {
        println!("  {}", f.display());
    }
}
