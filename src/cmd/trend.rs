//! `pgcheck trend FILE|DIR... -o trend.xlsx`: the weeks side by side, with charts (SPEC 11.4).

use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use pgcheck::diag::Lang;
use pgcheck::history::trend;
use pgcheck::report::human;

use super::{print, CmdError, Common};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 各周汇总表或存放它们的文件夹 / consolidated workbooks, or folders of them
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 趋势表输出路径 / output workbook
    #[arg(short, long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// 隐去投诉人信息（趋势表本不含投诉人信息，为与其他命令一致而接受）/ accepted for uniformity:
    /// the trend holds no complainant data
    #[arg(long)]
    pub redact: bool,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let config = args.common.config()?;
    let zh = lang == Lang::Zh;
    let paths =
        trend::inputs(&args.paths).map_err(|(path, source)| CmdError::Read { path, source })?;
    if paths.is_empty() {
        return Err(CmdError::Usage(if zh {
            "没有找到汇总表（第一个工作表为“报送情况”的工作簿）".to_string()
        } else {
            "no consolidated workbook found (one whose first sheet is \"报送情况\")".to_string()
        }));
    }
    let t = trend::trend(&paths, &config)?;
    pgcheck::writer::trend::write(&t, &config, &args.output)?;
    let mut out = String::new();
    for n in &t.notes {
        out.push_str(&format!("{}\n", n.get(lang)));
    }
    // In short: per measure, the city's figure week by week.
    let mut headers: Vec<&str> = vec![if zh { "指标" } else { "measure" }];
    let dates: Vec<String> = t.dates.iter().map(|d| d.to_string()).collect();
    headers.extend(dates.iter().map(String::as_str));
    let mut table = human::new_table(&headers);
    for m in &t.measures {
        let name = match lang {
            Lang::Zh => format!("{}（{}）", m.label, config.city.name),
            Lang::En => format!("{} ({})", m.label_en, config.city.name),
        };
        let mut row = vec![Cell::new(name)];
        row.extend((0..t.dates.len()).map(|w| Cell::new(m.city(w))));
        table.add_row(row);
    }
    out.push_str(&format!("{table}\n"));
    out.push_str(&if zh {
        format!(
            "停滞项目（连续 {} 周以上无进展）：{} 个\n趋势表已写入 {}\n",
            config.stall_weeks,
            t.stalled.len(),
            args.output.display()
        )
    } else {
        format!(
            "stalled projects (no progress for {} weeks or more): {}\nwrote {}\n",
            config.stall_weeks,
            t.stalled.len(),
            args.output.display()
        )
    });
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
