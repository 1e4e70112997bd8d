//! The benchmark table of the README ("Performance"). Run it through `scripts/bench.sh`, which
//! builds the release binary and the generators and makes the data first.
//!
//! ```sh
//! bench floor [--threads N] PATH...         # read every cell with calamine alone (the floor)
//! bench write-floor WORKBOOK.xlsx            # time rust_xlsxwriter alone rewriting its cells
//! bench table --pgcheck BIN --data DIR [--runs K]
//! ```
//!
//! `table` expects `DIR/small` (N county workbooks of the size counties send, `gen_counties
//! --small`, and their `pgcheck.toml`), `DIR/validate` (N `gen_counties` workbooks), `DIR/merge`
//! (the same for the merge) and `DIR/big_a3.xlsx`. It runs, alternately and `K` times each
//! (default 5), the floor on one thread, the floor on every core, and pgcheck, each as a child
//! process under `/usr/bin/time -f '%e %M'`, and prints a Markdown table: medians, pgcheck's
//! spread and peak RSS (largest of the runs), and pgcheck's ratio to both floors (the every-core
//! floor is the fair limit: pgcheck uses every core too); then the write side of merge:
//! `write-floor` on the workbook the merge wrote, beside the merge time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("floor") => floor(&args[1..]),
        Some("write-floor") => write_floor(&args[1..]),
        Some("table") => table(&args[1..]),
        _ => Err(
            "usage: bench floor PATH... | bench write-floor WORKBOOK.xlsx | bench table --pgcheck BIN --data DIR [--runs K]".into(),
        ),
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(2);
    }
}

/// Opens every spreadsheet under the paths with calamine and touches every cell of every sheet,
/// on `--threads N` threads (default 1; 0 = every core) taking the files from a shared counter.
fn floor(args: &[String]) -> Result<(), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut threads = 1usize;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--threads" => {
                threads = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--threads N")?
            }
            p => paths.push(PathBuf::from(p)),
        }
    }
    if threads == 0 {
        threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    }
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(pgcheck::validate::scan_dir(&p, false).map_err(|e| e.to_string())?);
        } else {
            files.push(p);
        }
    }
    let next = AtomicUsize::new(0);
    let totals = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut t = FloorTotals::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(f) = files.get(i) else {
                            return Ok(t);
                        };
                        floor_file(f, &mut t)?;
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("floor thread"))
            .collect::<Result<Vec<FloorTotals>, String>>()
    })?;
    let (mut cells, mut numbers, mut text_bytes) = (0u64, 0f64, 0u64);
    for t in totals {
        cells += t.cells;
        numbers += t.numbers;
        text_bytes += t.text_bytes;
    }
    println!(
        "{} files, {threads} threads, {cells} cells, sum {numbers}, {text_bytes} text bytes",
        files.len()
    );
    Ok(())
}

#[derive(Default)]
struct FloorTotals {
    cells: u64,
    numbers: f64,
    text_bytes: u64,
}

fn floor_file(f: &Path, t: &mut FloorTotals) -> Result<(), String> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb = open_workbook_auto(f).map_err(|e| format!("{}: {e}", f.display()))?;
    for name in wb.sheet_names().to_vec() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("{}: {e}", f.display()))?;
        for row in range.rows() {
            for v in row {
                match v {
                    Data::Empty => continue,
                    Data::Float(x) => t.numbers += x,
                    Data::Int(i) => t.numbers += *i as f64,
                    Data::String(s) => t.text_bytes += s.len() as u64,
                    _ => {}
                }
                t.cells += 1;
            }
        }
    }
    Ok(())
}

/// The writing side of merge's floor: reads every cell of a workbook (the consolidated one) into
/// memory, then times rust_xlsxwriter alone writing them again the cheapest way pgcheck could
/// (constant-memory sheets, a bordered format on every cell, deflate level 3, one thread) and
/// prints `write_seconds S cells N`.
fn write_floor(args: &[String]) -> Result<(), String> {
    use calamine::{open_workbook_auto, Data, Reader};
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let path = args.first().ok_or("write-floor WORKBOOK.xlsx")?;
    let mut wb = open_workbook_auto(path).map_err(|e| format!("{path}: {e}"))?;
    let mut sheets = Vec::new();
    for name in wb.sheet_names().to_vec() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("{path}: {e}"))?;
        sheets.push((name, range));
    }
    let out = std::env::temp_dir().join(format!("pgcheck-write-floor.{}.xlsx", std::process::id()));
    let start = std::time::Instant::now();
    let mut book = Workbook::new();
    book.set_zip_compression_level(3);
    let fmt = Format::new().set_border(FormatBorder::Thin);
    let mut cells = 0u64;
    for (name, range) in &sheets {
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(|e| e.to_string())?;
        ws.set_name(name).map_err(|e| e.to_string())?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r0 + r as u32, (c0 + c as u32) as u16);
            let done = match v {
                Data::Float(x) => ws.write_number_with_format(r, c, *x, &fmt),
                Data::Int(i) => ws.write_number_with_format(r, c, *i as f64, &fmt),
                Data::String(t) => ws.write_string_with_format(r, c, t, &fmt),
                Data::DateTime(d) => ws.write_number_with_format(r, c, d.as_f64(), &fmt),
                _ => continue,
            };
            done.map_err(|e| e.to_string())?;
            cells += 1;
        }
    }
    book.save(&out).map_err(|e| e.to_string())?;
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&out);
    println!("write_seconds {secs:.3} cells {cells}");
    Ok(())
}

/// One measured run: wall seconds and peak RSS in KiB.
fn measure(cmd: &[String]) -> Result<(f64, u64), String> {
    let out = std::env::temp_dir().join(format!("pgcheck-bench-time.{}", std::process::id()));
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&out)
        .args(cmd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("/usr/bin/time: {e} (apt-get install time)"))?;
    let text = std::fs::read_to_string(&out).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&out);
    // validate and merge exit 1 on the planted errors: only 2 and signals are failures.
    if status.code().is_none_or(|c| c >= 2) {
        return Err(format!("{} failed: {text}", cmd.join(" ")));
    }
    let last = text.lines().last().unwrap_or("");
    let mut it = last.split_whitespace();
    let wall = it.next().and_then(|x| x.parse().ok());
    let rss = it.next().and_then(|x| x.parse().ok());
    match (wall, rss) {
        (Some(w), Some(r)) => Ok((w, r)),
        _ => Err(format!("cannot read /usr/bin/time output: {text}")),
    }
}

struct Stats {
    median: f64,
    min: f64,
    max: f64,
    rss_mib: f64,
}

fn stats(mut walls: Vec<f64>, rss: u64) -> Stats {
    walls.sort_by(|a, b| a.total_cmp(b));
    let median = if walls.len() % 2 == 1 {
        walls[walls.len() / 2]
    } else {
        (walls[walls.len() / 2 - 1] + walls[walls.len() / 2]) / 2.0
    };
    Stats {
        median,
        min: walls[0],
        max: walls[walls.len() - 1],
        rss_mib: rss as f64 / 1024.0,
    }
}

/// Runs the commands in turn, `runs` rounds, so that all see the same noise; their stats in order.
fn run_alternating(cmds: &[&[String]], runs: usize) -> Result<Vec<Stats>, String> {
    let mut walls = vec![Vec::new(); cmds.len()];
    let mut rss = vec![0u64; cmds.len()];
    for _ in 0..runs {
        for (k, cmd) in cmds.iter().enumerate() {
            let (w, r) = measure(cmd)?;
            walls[k].push(w);
            rss[k] = rss[k].max(r);
        }
    }
    Ok(walls
        .into_iter()
        .zip(rss)
        .map(|(w, r)| stats(w, r))
        .collect())
}

fn count_inputs(dir: &Path) -> Result<usize, String> {
    pgcheck::validate::scan_dir(dir, false)
        .map(|v| v.len())
        .map_err(|e| format!("{}: {e}", dir.display()))
}

fn table(args: &[String]) -> Result<(), String> {
    let mut pgcheck = None;
    let mut data = None;
    let mut runs = 5usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pgcheck" => pgcheck = it.next().cloned(),
            "--data" => data = it.next().map(PathBuf::from),
            "--runs" => runs = it.next().and_then(|v| v.parse().ok()).ok_or("--runs K")?,
            x => return Err(format!("unknown argument {x}")),
        }
    }
    let pgcheck = pgcheck.ok_or("--pgcheck BIN")?;
    let data = data.ok_or("--data DIR")?;
    let me = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .display()
        .to_string();
    let s = |p: &Path| p.display().to_string();
    let small = data.join("small");
    let vdir = data.join("validate");
    let mdir = data.join("merge");
    let big = data.join("big_a3.xlsx");
    let merged = std::env::temp_dir().join("pgcheck-bench-merged.xlsx");
    let _ = std::fs::remove_file(&merged);
    let as_of = "2024-10-14".to_string();
    let cases: Vec<(String, usize, Vec<String>, Vec<String>)> = vec![
        (
            "validate (small county workbooks)".into(),
            count_inputs(&small)?,
            vec![me.clone(), "floor".into(), s(&small)],
            vec![
                pgcheck.clone(),
                "validate".into(),
                s(&small),
                "--config".into(),
                s(&small.join("pgcheck.toml")),
                "--as-of".into(),
                as_of.clone(),
            ],
        ),
        (
            "validate (gen_counties workbooks)".into(),
            count_inputs(&vdir)?,
            vec![me.clone(), "floor".into(), s(&vdir)],
            vec![
                pgcheck.clone(),
                "validate".into(),
                s(&vdir),
                "--config".into(),
                s(&vdir.join("pgcheck.toml")),
                "--as-of".into(),
                as_of.clone(),
            ],
        ),
        (
            "merge (gen_counties workbooks)".into(),
            count_inputs(&mdir)?,
            vec![me.clone(), "floor".into(), s(&mdir)],
            vec![
                pgcheck.clone(),
                "merge".into(),
                s(&mdir),
                "-o".into(),
                s(&merged),
                "--config".into(),
                s(&mdir.join("pgcheck.toml")),
                "--as-of".into(),
                as_of.clone(),
            ],
        ),
        (
            "validate (one 附件3, 100,000 rows)".into(),
            1,
            vec![me.clone(), "floor".into(), s(&big)],
            vec![
                pgcheck.clone(),
                "validate".into(),
                s(&big),
                "--as-of".into(),
                as_of.clone(),
            ],
        ),
    ];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{cores} cores, {runs} runs per case, alternating; floor = calamine alone reading every cell of the same input, \
         on one thread and on {cores} threads taking files from a shared counter\n"
    );
    println!("| case | files | floor, 1 thread (s) | floor, {cores} cores (s) | pgcheck (s) | pgcheck min–max (s) | pgcheck peak RSS (MiB) | × {cores}-core floor | × 1-thread floor |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut merge_times = None;
    for (name, files, floor_one, cmd) in cases {
        let mut floor_all = floor_one.clone();
        floor_all.splice(2..2, ["--threads".to_string(), "0".to_string()]);
        let got = run_alternating(&[&floor_one, &floor_all, &cmd], runs)?;
        let [one, all, p] = got.as_slice() else {
            unreachable!("three commands")
        };
        if cmd.get(1).is_some_and(|c| c == "merge") {
            merge_times = Some((one.median, p.median));
        }
        println!(
            "| {name} | {files} | {:.2} | {:.2} | {:.2} | {:.2}–{:.2} | {:.0} | {:.2} | {:.2} |",
            one.median,
            all.median,
            p.median,
            p.min,
            p.max,
            p.rss_mib,
            p.median / all.median,
            p.median / one.median
        );
    }
    // The write side of merge: rust_xlsxwriter alone writing the workbook merge wrote.
    if let (Some((read_floor, merge)), true) = (merge_times, merged.exists()) {
        let mut secs = Vec::new();
        let mut cells = String::new();
        for _ in 0..runs {
            let out = Command::new(&me)
                .args(["write-floor", &s(&merged)])
                .output()
                .map_err(|e| e.to_string())?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let mut it = text.split_whitespace();
            match (it.next(), it.next().and_then(|v| v.parse::<f64>().ok())) {
                (Some("write_seconds"), Some(v)) => secs.push(v),
                _ => return Err(format!("write-floor: {text}")),
            }
            cells = it.nth(1).unwrap_or("?").to_string();
        }
        let w = stats(secs, 0);
        println!(
            "\nmerge, write side: rust_xlsxwriter alone writes the consolidated workbook's {cells} cells in {:.2} s \
             (median; {:.2}–{:.2}; one thread, constant memory, one format per cell, level 3).\n\
             Read floor + write floor = {:.2} s; pgcheck merge {:.2} s = {:.2} × that sum.",
            w.median,
            w.min,
            w.max,
            read_floor + w.median,
            merge,
            merge / (read_floor + w.median)
        );
    }
    let _ = std::fs::remove_file(&merged);
    Ok(())
}
