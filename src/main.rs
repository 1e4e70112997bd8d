//! The `pgcheck` binary: parses arguments, dispatches to one file per subcommand, and maps the
//! outcome to an exit code (0 ok, 1 findings, 2 could not do the job).

mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    let early = cmd::Early::scan(&args);
    let outcome = match cmd::parse(args, early.lang) {
        Ok(cli) => cmd::run(cli),
        Err(e) => cmd::usage_error(e, early.lang),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            e.report(early.lang, early.json);
            ExitCode::from(2)
        }
    }
}
