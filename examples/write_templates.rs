//! Writes the blank templates into a folder (default `templates-xlsx`):
//! `cargo run --example write_templates -- templates-xlsx`. Run it after changing a template
//! table or the writer, and commit the refreshed files; `tests/it/templates.rs` fails until then.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("templates-xlsx"));
    match pgcheck::writer::write_templates(
        &dir,
        &pgcheck::config::Config::jincheng(chrono::Local::now().date_naive()),
    ) {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
