//! `pgcheck diff OLD NEW`: what moved between two weeks (SPEC 11.1).

use std::path::PathBuf;
use std::process::ExitCode;

use pgcheck::diag::Lang;
use pgcheck::history::{self, Redactor, Week};
use pgcheck::report::{human, json, week};
use serde_json::json;

use super::{print, use_color, CmdError, Common, Format};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 上周的汇总表（或某县区上一版文件）/ last week's consolidated workbook (or a county file)
    pub old: PathBuf,
    /// 本周的汇总表（或同一县区的新文件）/ this week's
    pub new: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 隐去投诉人姓名、电话、邮箱 / mask complainants' names, phones and e-mails
    #[arg(long)]
    pub redact: bool,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let config = args.common.config()?;
    let read = |p: &PathBuf| Week::read(p, &config, false);
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    let mut d = history::diff(&old, &new);
    if args.redact {
        let mut r = Redactor::default();
        for c in old.cases.iter().chain(&new.cases) {
            r.add(c.text(pgcheck::template::a3::Col::Complainant));
        }
        d.findings.iter_mut().for_each(|(_, f)| r.diagnostic(f));
    }
    match args.format {
        Format::Human => {
            let style = human::Style {
                lang,
                color: use_color(),
            };
            let mut out = String::new();
            for (file, f) in &d.findings {
                human::diagnostic(&mut out, &file.display().to_string(), f, &config, style);
            }
            let dates = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "\n本周变化（{} 对比 {}）：\n",
                    dates(d.new_date),
                    dates(d.old_date)
                ),
                Lang::En => format!(
                    "\nWhat moved ({} against {}):\n",
                    dates(d.new_date),
                    dates(d.old_date)
                ),
            });
            out.push_str(&week::unit_lines(&d, lang));
            let n = d.findings.len();
            out.push_str(&match lang {
                Lang::Zh => format!("共 {n} 个警告\n"),
                Lang::En => format!("{}\n", pgcheck::report::count_en(n, "warning")),
            });
            print(&out)?;
        }
        Format::Json => {
            let mut files: Vec<(PathBuf, Vec<serde_json::Value>)> = Vec::new();
            for (file, f) in &d.findings {
                let v = json::diagnostic(f, lang, &config);
                match files.iter_mut().find(|(p, _)| p == file) {
                    Some((_, list)) => list.push(v),
                    None => files.push((file.clone(), vec![v])),
                }
            }
            let doc = json!({
                "tool": "pgcheck",
                "schema": 1,
                "as_of": config.as_of.format("%Y-%m-%d").to_string(),
                "old": args.old.display().to_string(),
                "new": args.new.display().to_string(),
                "files": files.iter().map(|(p, list)| json!({
                    "path": p.display().to_string(),
                    "warnings": list.len(),
                    "diagnostics": list,
                })).collect::<Vec<_>>(),
                "summary": {"errors": 0, "warnings": d.findings.len()},
                "changes": week::changes(&d, lang),
            });
            print(&(json::to_string(&doc) + "\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
