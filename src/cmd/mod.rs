//! Command-line definitions and dispatch; one file per subcommand.

mod diff;
mod merge;
mod rules;
mod template;
mod validate;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use pgcheck::config::Config;
use pgcheck::diag::Lang;

/// pgcheck — 棚改居民逾期未回迁安置问题整治 周报表校验与汇总工具
#[derive(Parser, Debug)]
#[command(name = "pgcheck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 输出语言 / message language
    #[arg(
        long,
        global = true,
        value_enum,
        env = "PGCHECK_LANG",
        default_value = "zh"
    )]
    pub lang: LangArg,
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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
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
    pub fn config(&self) -> Result<Config, String> {
        let today = chrono::Local::now().date_naive();
        let mut c = match &self.config {
            Some(p) => Config::load(p, today).map_err(|e| e.to_string())?,
            None => Config::jincheng(today),
        };
        if let Some(d) = self.as_of {
            c.as_of = d;
        }
        Ok(c)
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期应为 YYYY-MM-DD（如 2024-10-14）：{s}"))
}

/// Colour only for a terminal, and never with `NO_COLOR`.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes to stdout; a closed pipe (`pgcheck … | head`) is not an error.
pub fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

pub fn run(cli: Cli) -> Result<ExitCode, String> {
    let lang: Lang = cli.lang.into();
    match cli.command {
        Command::Validate(a) => validate::run(a, lang),
        Command::Merge(a) => merge::run(a, lang),
        Command::Rules(a) => rules::run(a, lang),
        Command::Template(a) => template::run(a, lang),
        Command::Diff(a) => diff::run(a, lang),
        Command::Config => {
            print(&Config::default_toml());
            Ok(ExitCode::SUCCESS)
        }
    }
}
