//! `pgcheck template [-o DIR]`: writes the blank templates.

use std::path::PathBuf;
use std::process::ExitCode;

use pgcheck::diag::Lang;
use pgcheck::writer::template::write_templates;

use super::print;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 输出文件夹 / output folder
    #[arg(short, long, default_value = ".")]
    pub output: PathBuf,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, String> {
    let written = write_templates(&args.output).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for p in written {
        out.push_str(&match lang {
            Lang::Zh => format!("已写入 {}\n", p.display()),
            Lang::En => format!("wrote {}\n", p.display()),
        });
    }
    print(&out);
    Ok(ExitCode::SUCCESS)
}
