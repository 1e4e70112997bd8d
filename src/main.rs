//! The `pgcheck` binary: parses arguments, dispatches to one file per subcommand, and maps the
//! outcome to an exit code (0 ok, 1 findings, 2 could not do the job).

mod cmd;

use std::io::Write;
use std::process::ExitCode;

use pgcheck::diag::Lang;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    let early = cmd::Early::scan(&args);
    let dropped = cmd::no_subcommand(&args);
    let outcome = match cmd::parse(args, early.lang) {
        Ok(cli) => cmd::run(cli),
        Err(e) => cmd::usage_error(e, early.lang),
    };
    let code = match outcome {
        Ok(code) => code,
        Err(e) => {
            e.report(early.lang, early.json);
            ExitCode::from(2)
        }
    };
    hold_console(dropped, early.lang);
    code
}

/// Files dropped on pgcheck.exe in Windows Explorer run it in a console window of its own,
/// which closes as soon as pgcheck ends: then (no subcommand, and pgcheck the only process on
/// its console) wait for Enter, so that the clerk can read the result.
fn hold_console(dropped: bool, lang: Lang) {
    if let Some(prompt) = hold_prompt(dropped, console_processes(), lang) {
        let mut err = std::io::stderr();
        let _ = write!(err, "{prompt}");
        let _ = err.flush();
        let _ = std::io::stdin().read_line(&mut String::new());
    }
}

/// The line to wait on, when pgcheck was started without a subcommand and is alone on its
/// console (`processes`: those attached to it, 0 where unknown).
fn hold_prompt(dropped: bool, processes: u32, lang: Lang) -> Option<&'static str> {
    (dropped && processes == 1).then_some(match lang {
        Lang::Zh => "按回车键关闭",
        Lang::En => "Press Enter to close",
    })
}

/// The processes attached to this console (Windows). A console opened for a program started
/// from Explorer has that program alone; a command prompt's has the shell too.
#[cfg(windows)]
fn console_processes() -> u32 {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut ids = [0u32; 4];
    // SAFETY: `ids` holds as many process ids as the count passed says.
    unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) }
}

/// Elsewhere no console closes with its program: never wait.
#[cfg(not(windows))]
fn console_processes() -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn waits_only_when_started_without_a_subcommand_alone_on_its_console() {
        let dropped = cmd::no_subcommand(&args(&["pgcheck.exe", "C:\\收件箱\\泽州县.xlsx"]));
        assert!(dropped);
        assert!(cmd::no_subcommand(&args(&["pgcheck.exe"])));
        assert!(cmd::no_subcommand(&args(&[
            "pgcheck", "--lang", "en", "a.xlsx"
        ])));
        assert!(!cmd::no_subcommand(&args(&[
            "pgcheck", "validate", "a.xlsx"
        ])));
        assert!(!cmd::no_subcommand(&args(&[
            "pgcheck", "--lang", "en", "merge", "d"
        ])));
        assert!(!cmd::no_subcommand(&args(&["pgcheck", "help"])));
        assert_eq!(hold_prompt(true, 1, Lang::Zh), Some("按回车键关闭"));
        assert_eq!(hold_prompt(true, 1, Lang::En), Some("Press Enter to close"));
        // A command prompt (the shell and pgcheck), a script, or not Windows: no wait.
        assert_eq!(hold_prompt(true, 2, Lang::Zh), None);
        assert_eq!(hold_prompt(true, 0, Lang::Zh), None);
        assert_eq!(hold_prompt(false, 1, Lang::Zh), None);
    }
}
