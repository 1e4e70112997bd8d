//! Command-line definitions and dispatch; one file per subcommand.

mod diff;
mod error;
mod merge;
mod rules;
mod template;
mod trend;
mod validate;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use pgcheck::config::Config;
use pgcheck::diag::Lang;

pub use error::{CmdError, Written};

/// pgcheck — 棚改居民逾期未回迁安置问题整治 周报表校验与汇总工具
#[derive(Parser, Debug)]
#[command(name = "pgcheck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 输出语言 zh|en（默认取环境变量 PGCHECK_LANG，否则中文）/ message language zh|en (zh_CN,
    /// en_US.UTF-8 … understood; default: PGCHECK_LANG, else zh)
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 校验报表文件或文件夹 / check files or folders
    Validate(validate::Args),
    /// 汇总一个文件夹的报送文件 / consolidate a folder of submissions
    Merge(merge::Args),
    /// 列出全部校验规则 / list every rule
    Rules(rules::Args),
    /// 写出空白模板 / write the blank templates
    Template(template::Args),
    /// 打印内置默认配置（TOML）/ print the built-in default config
    Config,
    /// 比较两周的汇总表 / what moved between two weeks' workbooks
    Diff(diff::Args),
    /// 多周趋势表（含折线图）/ the trend over many weeks, with charts
    Trend(trend::Args),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

/// `zh`, `en` in any case, and locale forms (`zh_CN`, `zh-TW`, `en_US.UTF-8`).
fn parse_lang(s: &str) -> Result<Lang, String> {
    let code = s
        .split(['_', '-', '.', '@'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match code.as_str() {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        _ => Err(format!("zh | en: {s}")),
    }
}
/// Options shared by the subcommands that read files.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// 报告日期 YYYY-MM-DD（默认今天）/ report date
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// 配置文件（TOML，见 pgcheck config）/ config file replacing units and parameters
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
}

impl Common {
    /// The built-in default or the config file, with `--as-of` (else the file's, else today).
    pub fn config(&self) -> Result<Config, CmdError> {
        let today = chrono::Local::now().date_naive();
        let mut c = match &self.config {
            Some(p) => Config::load(p, today)?,
            None => Config::jincheng(today),
        };
        if let Some(d) = self.as_of {
            c.as_of = d;
        }
        Ok(c)
    }
}

/// The words are the run's, given when the error is shown (`usage_error`).
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "YYYY-MM-DD".to_string())
}

/// Colour only for a terminal, and never with `NO_COLOR`.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes to stdout. A closed pipe (`pgcheck … | head`) is not an error; any other write
/// error (a full disk, `> /dev/full`) is.
pub fn print(s: &str) -> Result<(), CmdError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CmdError::Stdout(e)),
        _ => Ok(()),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode, CmdError> {
    let lang = cli.lang.unwrap_or_else(env_lang);
    match cli.command {
        Command::Validate(a) => validate::run(a, lang),
        Command::Merge(a) => merge::run(a, lang),
        Command::Rules(a) => rules::run(a, lang),
        Command::Template(a) => template::run(a, lang),
        Command::Diff(a) => diff::run(a, lang),
        Command::Trend(a) => trend::run(a, lang),
        Command::Config => {
            print(&Config::default_toml(lang))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `PGCHECK_LANG` when it names a language, else Chinese: a setting shared with other programs
/// (`fr_FR.UTF-8`) must not stop pgcheck, unlike a wrong `--lang`.
fn env_lang() -> Lang {
    std::env::var("PGCHECK_LANG")
        .ok()
        .and_then(|s| parse_lang(&s).ok())
        .unwrap_or_default()
}

/// What the raw arguments say before clap reads them: the run's language (so that clap's own
/// errors are worded in it) and whether a JSON document is wanted (so that even an argument
/// error is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Early {
    pub lang: Lang,
    pub json: bool,
}

impl Early {
    pub fn scan(args: &[OsString]) -> Early {
        let value = |name: &str| -> Option<String> {
            let flag = format!("--{name}");
            let prefix = format!("--{name}=");
            let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
            let mut found = None;
            while let Some(a) = it.next() {
                if a == flag {
                    found = it.next().map(|v| v.into_owned());
                } else if let Some(v) = a.strip_prefix(&prefix) {
                    found = Some(v.to_string());
                }
            }
            found
        };
        let lang = value("lang")
            .and_then(|s| parse_lang(&s).ok())
            .unwrap_or_else(env_lang);
        let json = value("format").is_some_and(|f| f.eq_ignore_ascii_case("json"));
        Early { lang, json }
    }
}

/// Parses the arguments with help texts in `lang` (see `localized`), after
/// `default_to_validate`.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Result<Cli, clap::Error> {
    let matches =
        localized(Cli::command(), lang, true).try_get_matches_from(default_to_validate(args))?;
    Cli::from_arg_matches(&matches)
}

/// `pgcheck FILE|DIR...` (a file dropped on pgcheck.exe) means `pgcheck validate FILE|DIR...`:
/// when the first word that is not an option (or `--lang`'s value) is no subcommand, `validate`
/// is put first. `pgcheck help [COMMAND]` is `pgcheck [COMMAND] --help`.
pub fn default_to_validate(mut args: Vec<OsString>) -> Vec<OsString> {
    if let Some(i) = first_word(&args) {
        if args[i] == "help" {
            args.remove(i);
            args.push(OsString::from("--help"));
        } else if !is_subcommand(&args[i]) {
            args.insert(1, OsString::from("validate"));
        }
    }
    args
}

/// True when `args` name no subcommand: files dropped on pgcheck.exe (validated, see
/// `default_to_validate`), or pgcheck.exe started with nothing (help).
pub fn no_subcommand(args: &[OsString]) -> bool {
    first_word(args).is_none_or(|i| args[i] != "help" && !is_subcommand(&args[i]))
}

/// The index of the first word that is not an option (or `--lang`'s value).
fn first_word(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if a == "--lang" {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            return Some(i);
        }
    }
    None
}

fn is_subcommand(word: &OsString) -> bool {
    let word = word.to_string_lossy();
    Cli::command()
        .get_subcommands()
        .any(|c| c.get_name() == word)
}

/// A help text written `中文 / English` (or `中文（…）/ English`) as its two halves: the last
/// `/ ` after which no Chinese follows.
fn split_languages(text: &str) -> Option<(&str, &str)> {
    let cjk =
        |c: char| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    text.match_indices("/ ")
        .map(|(i, _)| i)
        .find(|&i| !text[i..].chars().any(cjk) && text[..i].chars().any(cjk))
        .map(|i| (text[..i].trim_end(), text[i + 2..].trim()))
}

/// The command with its help in one language: each doc comment is written `中文 / English`, and
/// clap's own words (usage, headings, the help and version flags) are replaced.
fn localized(cmd: clap::Command, lang: Lang, top: bool) -> clap::Command {
    let zh = lang == Lang::Zh;
    let pick = |text: String| -> String {
        match split_languages(&text) {
            Some((z, e)) => if zh { z } else { e }.to_string(),
            None => text,
        }
    };
    let mut cmd = cmd;
    if top {
        cmd = cmd.about(if zh {
            "pgcheck — 棚改居民逾期未回迁安置问题整治 周报表校验与汇总工具"
        } else {
            "pgcheck — checks and consolidates the weekly reports of the shantytown-resettlement campaign"
        });
    } else if let Some(about) = cmd.get_about().map(|a| a.to_string()) {
        cmd = cmd.about(pick(about));
    }
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let heading = match (a.is_positional(), zh) {
                (true, true) => "参数",
                (true, false) => "Arguments",
                (false, true) => "选项",
                (false, false) => "Options",
            };
            let mut help = a
                .get_help()
                .map(|h| pick(h.to_string()))
                .unwrap_or_default();
            let mut a = a.help_heading(heading);
            if a.get_env().is_some() {
                a = a.hide_env_values(true);
            }
            // A flag's "possible values" are true/false: nothing to say about them.
            if !zh || !a.get_action().takes_values() {
                return a.help(help);
            }
            // clap's own "[default: …] [possible values: …] [env: …]", in Chinese.
            let default: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            let mut notes = Vec::new();
            if !default.is_empty() {
                notes.push(format!("默认 {}", default.join("、")));
                a = a.hide_default_value(true);
            }
            if !values.is_empty() {
                notes.push(format!("可选 {}", values.join("、")));
                a = a.hide_possible_values(true);
            }
            if let Some(env) = a.get_env() {
                notes.push(format!("或环境变量 {}", env.to_string_lossy()));
                a = a.hide_env(true);
            }
            if !notes.is_empty() {
                help.push_str(&format!("（{}）", notes.join("；")));
            }
            a.help(help)
        });
    }
    let options = if zh { "选项" } else { "Options" };
    cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(if zh { "显示帮助" } else { "Print help" })
                .help_heading(options),
        )
        .subcommand_help_heading(if zh { "命令" } else { "Commands" })
        .help_template(if zh {
            "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}"
        } else {
            "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}"
        });
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(if zh { "显示版本" } else { "Print version" })
                .help_heading(options),
        );
    }
    cmd.mut_subcommands(|sc| localized(sc, lang, false))
}

/// A clap error in the run's language: help and version are printed as they are (exit 0);
/// anything else is a `CmdError::Usage`.
pub fn usage_error(e: clap::Error, lang: Lang) -> Result<ExitCode, CmdError> {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print(&e.render().to_string())?;
            return Ok(ExitCode::SUCCESS);
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", e.render());
            return Ok(ExitCode::from(2));
        }
        _ => {}
    }
    let ctx = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let (arg, value) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue));
    let arg_name = arg.split_whitespace().next().unwrap_or("").to_string();
    let zh = lang == Lang::Zh;
    let message = match e.kind() {
        ErrorKind::ValueValidation if arg_name == "--as-of" && zh => {
            format!("日期应为 YYYY-MM-DD（如 2024-10-14）：{value}")
        }
        ErrorKind::ValueValidation if arg_name == "--as-of" => {
            format!("a date is written YYYY-MM-DD (e.g. 2024-10-14): {value}")
        }
        ErrorKind::ValueValidation if arg_name == "--lang" && zh => {
            format!("语言应为 zh 或 en（也可写 zh_CN、en_US.UTF-8）：{value}")
        }
        ErrorKind::ValueValidation if arg_name == "--lang" => {
            format!("the language is zh or en (zh_CN, en_US.UTF-8 also work): {value}")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if zh => {
            let valid = ctx(ContextKind::ValidValue);
            if valid.is_empty() {
                format!("{arg} 的值无效：{value}")
            } else {
                format!("{arg} 的值无效：{value}（可选：{valid}）")
            }
        }
        ErrorKind::UnknownArgument if zh => {
            let suggested = ctx(ContextKind::SuggestedArg);
            if suggested.is_empty() {
                format!("不认识的参数 {arg}")
            } else {
                format!("不认识的参数 {arg}（是否应为 {suggested}？）")
            }
        }
        ErrorKind::MissingRequiredArgument if zh => format!("缺少参数 {arg}"),
        ErrorKind::InvalidSubcommand if zh => format!("不认识的子命令 {value}"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues
            if zh =>
        {
            format!("{arg} 的值个数不对：{value}")
        }
        ErrorKind::ArgumentConflict if zh => {
            format!("参数 {arg} 不能写两次，也不能与所给的其他参数同时使用")
        }
        ErrorKind::NoEquals if zh => format!("{arg} 需要写成 {arg}=值"),
        ErrorKind::InvalidUtf8 if zh => "参数不是有效的 UTF-8 文本".to_string(),
        _ if zh => "命令行参数有误".to_string(),
        // clap's own English, without its "error: " and usage lines.
        _ => e
            .render()
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ")
            .to_string(),
    };
    let hint = if zh {
        "（用法见 pgcheck --help）"
    } else {
        " (see pgcheck --help)"
    };
    Err(CmdError::Usage(format!("{message}{hint}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's consistency checks pass on the command in both languages (they run only when
    /// the command is built, so a mistake would otherwise surface as a panic at run time).
    #[test]
    fn the_localized_command_is_consistent() {
        for lang in [Lang::Zh, Lang::En] {
            localized(Cli::command(), lang, true).debug_assert();
        }
    }

    #[test]
    fn help_texts_split_into_their_two_languages() {
        assert_eq!(
            split_languages("校验报表文件或文件夹 / check files or folders"),
            Some(("校验报表文件或文件夹", "check files or folders"))
        );
        assert_eq!(
            split_languages("报告日期 YYYY-MM-DD（默认今天）/ report date"),
            Some(("报告日期 YYYY-MM-DD（默认今天）", "report date"))
        );
        assert_eq!(split_languages("only one language"), None);
    }
}
