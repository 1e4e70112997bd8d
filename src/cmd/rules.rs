//! `pgcheck rules [--config FILE]`: the rule catalogue, as the city of the config sees it. In a terminal, one row per rule in three columns that
//! wrap to the terminal's width (`COLUMNS`, else 80); `--format json|markdown` keep every field.

use std::process::ExitCode;

use comfy_table::{Cell, ContentArrangement};
use pgcheck::diag::Lang;
use pgcheck::report::{human::new_table, json::to_string};
use pgcheck::rules::RULES;

use super::{print, CmdError};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: RulesFormat,
    /// 配置文件：按该城市的单位和参数显示规则 / config file: the rules as that city sees them
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
}

/// `rules` also prints the README's Markdown table.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
    Markdown,
}

/// The terminal width to fit: `COLUMNS` when set (shells export it), else 80.
fn terminal_width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(80)
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let common = super::Common {
        as_of: None,
        config: args.config,
    };
    let config = common.config()?;
    match args.format {
        RulesFormat::Markdown => print(&pgcheck::rules::markdown(lang, &config))?,
        RulesFormat::Json => {
            let value: Vec<_> = RULES.iter().map(|r| r.to_json(&config)).collect();
            print(&(to_string(&serde_json::Value::from(value)) + "\n"))?
        }
        RulesFormat::Human => {
            let headers = match lang {
                Lang::Zh => ["规则", "内容", "要求"],
                Lang::En => ["rule", "what it finds", "wants"],
            };
            let (on, from) = match lang {
                Lang::Zh => ("报告位置：", "依据："),
                Lang::En => ("reported on: ", "source: "),
            };
            let mut t = new_table(&headers);
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(terminal_width());
            for r in RULES {
                let mut what = format!("{}\n{on}{}", r.title(lang), r.primary(lang));
                let source = r.source(lang, &config);
                if !source.is_empty() {
                    what.push_str(&format!("\n{from}{source}"));
                }
                t.add_row(vec![
                    Cell::new(format!("{}\n{}", r.id, r.severity.word(lang))),
                    Cell::new(what),
                    Cell::new(r.want(lang, &config)),
                ]);
            }
            print(&format!("{t}\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
