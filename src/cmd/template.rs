//! `pgcheck template [-o DIR]`: writes the blank templates.

use std::path::PathBuf;
use std::process::ExitCode;

use pgcheck::diag::Lang;
use pgcheck::writer::template::write_templates;

use super::{print, CmdError};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 输出文件夹 / output folder
    #[arg(short, long, default_value = ".")]
    pub output: PathBuf,
    /// 配置文件（TOML）：附件2 合计行写其中的城市 / config file: its city heads Attachment 2's total row
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let config = super::Common {
        as_of: None,
        config: args.config,
    }
    .config()?;
    let written = write_templates(&args.output, &config)?;
    let mut out = String::new();
    for p in written {
        out.push_str(&match lang {
            Lang::Zh => format!("已写入 {}\n", p.display()),
            Lang::En => format!("wrote {}\n", p.display()),
        });
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
