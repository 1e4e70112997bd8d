//! The `pgcheck` binary: parses arguments, dispatches to one file per subcommand, and maps the
//! outcome to an exit code (0 ok, 1 findings, 2 could not do the job).

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pgcheck: {e}");
            ExitCode::from(2)
        }
    }
}
