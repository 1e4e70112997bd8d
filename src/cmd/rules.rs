//! `pgcheck rules`: the rule catalogue.

use std::process::ExitCode;

use comfy_table::Cell;
use pgcheck::diag::Lang;
use pgcheck::report::{human::new_table, json::to_string, severity_word};
use pgcheck::rules::RULES;

use super::print;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: RulesFormat,
}

/// `rules` also prints the README's Markdown table.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Human,
    Json,
    Markdown,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, String> {
    match args.format {
        RulesFormat::Markdown => print(&pgcheck::rules::markdown()),
        RulesFormat::Json => {
            print(&(to_string(&serde_json::to_value(RULES).map_err(|e| e.to_string())?) + "\n"))
        }
        RulesFormat::Human => {
            let zh = lang == Lang::Zh;
            let headers: &[&str] = if zh {
                &["规则", "级别", "范围", "报告位置", "依据", "内容", "要求"]
            } else {
                &[
                    "rule",
                    "severity",
                    "scope",
                    "reported on",
                    "source",
                    "rule",
                    "wants",
                ]
            };
            let mut t = new_table(headers);
            // Wrap the long texts so the catalogue fits a console.
            t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_width(150);
            for r in RULES {
                t.add_row(vec![
                    Cell::new(r.id),
                    Cell::new(severity_word(r.severity, lang)),
                    Cell::new(r.scope),
                    Cell::new(r.primary),
                    Cell::new(r.source),
                    Cell::new(Lang::pick(r.title_zh, r.title_en, lang)),
                    Cell::new(Lang::pick(r.want_zh, r.want_en, lang)),
                ]);
            }
            print(&format!("{t}\n"));
        }
    }
    Ok(ExitCode::SUCCESS)
}
