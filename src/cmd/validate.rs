//! `pgcheck validate FILE|DIR...`

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use pgcheck::diag::Lang;
use pgcheck::report::{human, json};
use pgcheck::validate::{self, Options};

use super::{print, use_color, CmdError, Common, Format, Written};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 报表文件或文件夹 / files or folders
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 警告也按错误处理 / treat warnings as errors
    #[arg(long)]
    pub deny_warnings: bool,
    /// 写出标注了问题单元格的工作簿（只用于一个文件）/ write a marked-up copy (one file only)
    #[arg(long, value_name = "OUT.xlsx")]
    pub annotate: Option<PathBuf>,
    /// 隐去投诉人姓名、电话、邮箱（标注版与输出）/ mask complainants' names, phones and e-mails
    #[arg(long)]
    pub redact: bool,
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let config = args.common.config()?;
    let files =
        validate::expand(&args.paths).map_err(|(path, source)| CmdError::Read { path, source })?;
    // A file named twice (or also inside a folder given) is read once.
    let mut seen = HashSet::new();
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| seen.insert(pgcheck::merge::absolute(p)))
        .collect();
    if files.is_empty() {
        return Err(CmdError::NoFiles);
    }
    if let Some(out) = &args.annotate {
        if files.len() != 1 {
            return Err(CmdError::AnnotateOneFile(files.len()));
        }
        if pgcheck::merge::absolute(out) == pgcheck::merge::absolute(&files[0]) {
            return Err(CmdError::AnnotateOverInput(out.clone()));
        }
        // Never over a county's file: only over an annotated copy pgcheck wrote.
        if out.exists() && !pgcheck::merge::is_annotated_copy(out) {
            return Err(CmdError::WouldOverwrite {
                path: out.clone(),
                kind: Written::Annotated,
            });
        }
    }
    let opts = Options {
        slim: args.annotate.is_none(),
        deny_warnings: args.deny_warnings,
        consolidate: false,
    };
    let mut validated = validate::check(&files, &config, opts);
    if args.redact {
        let r = pgcheck::history::Redactor::of(&validated);
        validated.iter_mut().for_each(|v| r.file(v));
    }
    let mut wrote = String::new();
    if let (Some(out), [v]) = (&args.annotate, validated.as_slice()) {
        pgcheck::writer::annotate::write(v, out, lang, &config)?;
        wrote = match lang {
            Lang::Zh => format!("标注版已写入 {}\n", out.display()),
            Lang::En => format!("wrote the annotated copy {}\n", out.display()),
        };
    }
    let (reports, grids): (Vec<_>, Vec<_>) = validated
        .into_iter()
        .map(|v| (v.report, (v.workbook, v.tables)))
        .unzip();
    // The process ends right after printing: leave the grids to the OS instead of freeing
    // millions of cells one by one (a tenth of the run time on a large sheet).
    std::mem::forget(grids);
    match args.format {
        Format::Human => print(
            &(human::validate_output(
                &reports,
                &config,
                human::Style {
                    lang,
                    color: use_color(),
                },
            ) + &wrote),
        )?,
        Format::Json => {
            let mut doc = json::validate_document(&reports, &config, lang);
            // Where the marked-up copy went, as the human output's last line says.
            if let (Some(out), Some(doc)) = (&args.annotate, doc.as_object_mut()) {
                doc.insert("annotated".into(), out.display().to_string().into());
            }
            print(&(json::to_string(&doc) + "\n"))?
        }
    }
    let failed = reports.iter().any(|r| r.errors() > 0);
    Ok(ExitCode::from(if failed { 1 } else { 0 }))
}
