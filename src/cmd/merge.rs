//! `pgcheck merge DIR -o OUT.xlsx`: the city's consolidated weekly workbook.

use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use pgcheck::diag::Lang;
use pgcheck::history::{self, Redactor, Week};
use pgcheck::merge::{self, OwnOutput, UnitStatus};
use pgcheck::report::{human, json, week};
use pgcheck::template::TemplateId;
use pgcheck::writer::merged;
use serde_json::json;

use pgcheck::oserror::reason;

use super::{print, use_color, CmdError, Common, Format, Written};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// 收件文件夹 / folder of received files
    pub dir: PathBuf,
    /// 汇总表输出路径（默认：<城市>-<日期>.xlsx）/ output workbook
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// 包括子文件夹 / recurse into sub-folders
    #[arg(short, long)]
    pub recursive: bool,
    #[command(flatten)]
    pub common: Common,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 有警告的文件也不汇总 / leave out files with warnings too
    #[arg(long)]
    pub strict: bool,
    /// 上周的汇总表：加“本周变化”并比较两周（H01-H05）/ last week's workbook to compare with
    #[arg(long, value_name = "LAST.xlsx")]
    pub previous: Option<PathBuf>,
    /// 隐去投诉人姓名、电话、邮箱 / mask complainants' names, phones and e-mails (SPEC 11.5)
    #[arg(long)]
    pub redact: bool,
    /// 为每个未通过校验的文件写出标注版，便于退回 / write a marked-up copy of each left-out file here
    #[arg(long, value_name = "DIR")]
    pub annotate_dir: Option<PathBuf>,
}

fn msg(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn run(args: Args, lang: Lang) -> Result<ExitCode, CmdError> {
    let config = args.common.config()?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-{}.xlsx", config.city.name, config.as_of)));
    if !args.dir.is_dir() {
        return Err(CmdError::NotAFolder(args.dir.clone()));
    }
    let ext_ok = output
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !ext_ok {
        return Err(CmdError::OutputExtension(output.clone()));
    }
    let scan = merge::discover_all(&args.dir, args.recursive, &output).map_err(|source| {
        CmdError::Read {
            path: args.dir.clone(),
            source,
        }
    })?;
    // The output may sit in the inbox (a previous run's workbook is skipped), but it must never be
    // a county's file: refuse to overwrite anything that is not a consolidated workbook.
    if output.exists() && !merge::is_consolidated_output(&output) {
        return Err(CmdError::WouldOverwrite {
            path: output.clone(),
            kind: Written::Consolidated,
        });
    }
    let mut notes = Vec::new();
    let mut inputs = Vec::new();
    // One file reached twice (a link beside it, or through a linked folder with -r) is read once.
    let mut seen = std::collections::HashSet::new();
    let files: Vec<PathBuf> = scan
        .files
        .into_iter()
        .filter(|p| seen.insert(merge::absolute(p)))
        .collect();
    // pgcheck's own workbooks left in the inbox are not submissions (SPEC 10). Telling them
    // reads each file's sheet names: on every core, as validating does.
    let own: Vec<Option<OwnOutput>> = {
        use rayon::prelude::*;
        files.par_iter().map(|p| merge::own_output(p)).collect()
    };
    for (p, own) in files.into_iter().zip(own) {
        match own {
            Some(OwnOutput::Consolidated) => notes.push(msg(
                lang,
                format!(
                    "跳过 {}：这是 pgcheck 写出的汇总表，不是报送文件",
                    p.display()
                ),
                format!(
                    "skipped {}: a consolidated workbook pgcheck wrote, not a submission",
                    p.display()
                ),
            )),
            Some(OwnOutput::Annotated) => notes.push(msg(
                lang,
                format!(
                    "跳过 {}：这是 pgcheck 写出的标注版，不是报送文件",
                    p.display()
                ),
                format!(
                    "skipped {}: an annotated copy pgcheck wrote, not a submission",
                    p.display()
                ),
            )),
            None => inputs.push(p),
        }
    }
    for (dir, e) in &scan.unreadable {
        notes.push(msg(
            lang,
            format!(
                "无法读取子文件夹 {}：{}，其余文件照常汇总",
                dir.display(),
                reason(e, lang)
            ),
            format!(
                "cannot read the sub-folder {}: {}; the other files are merged",
                dir.display(),
                reason(e, lang)
            ),
        ));
    }
    if inputs.is_empty() {
        notes.push(msg(
            lang,
            format!(
                "{} 中没有报表文件（.xlsx/.xlsm/.xls/.ods），所有单位均为未报送",
                args.dir.display()
            ),
            format!(
                "{} holds no spreadsheet (.xlsx/.xlsm/.xls/.ods): every unit is missing",
                args.dir.display()
            ),
        ));
    }
    if scan.in_subfolders > 0 {
        notes.push(msg(
            lang,
            format!(
                "子文件夹中还有 {} 个报表文件未读取；加 -r 读取子文件夹",
                scan.in_subfolders
            ),
            format!(
                "{} in sub-folders not read; add -r to read sub-folders",
                pgcheck::report::count_en(scan.in_subfolders, "spreadsheet")
            ),
        ));
    }
    let previous = match &args.previous {
        Some(p) => Some(Week::read(p, &config, true)?),
        None => None,
    };
    let mut plan = merge::plan(&inputs, &config, args.strict, false);
    let changes = previous
        .as_ref()
        .map(|last| history::attach_previous(&mut plan, last, &config));
    let redactor = args.redact.then(|| Redactor::of(&plan.files));
    if let Some(r) = &redactor {
        plan.files.iter_mut().for_each(|v| r.file(v));
    }
    // Every output is written in full before any is put in place: a failure replaces nothing.
    let mut staged = vec![merged::stage(&plan, changes.as_ref(), &config, &output)?];
    plan.output = Some(output.clone());
    // Where each marked-up copy goes (`--annotate-dir`).
    let mut annotated: Vec<PathBuf> = Vec::new();
    if let Some(dir) = &args.annotate_dir {
        for v in plan
            .files
            .iter_mut()
            .filter(|v| v.report.status() != pgcheck::validate::Status::Valid)
        {
            // Named as the input is shown: a GBK name decoded (`read::show_path`), so the copy
            // sent back has a name every system shows.
            let stem = v.report.path.file_stem().unwrap_or_default();
            let stem = pgcheck::read::show_path(std::path::Path::new(stem)).text;
            let target = dir.join(format!("{stem}-标注.xlsx"));
            if target.exists() && !merge::is_annotated_copy(&target) {
                return Err(CmdError::WouldOverwrite {
                    path: target,
                    kind: Written::Annotated,
                });
            }
            // The plan kept of each grid only what the checks across files quote: read a
            // left-out file again for its marked-up copy (only these few need every cell).
            if let Ok(full) = pgcheck::read::open(&v.report.path) {
                v.workbook = Some(full);
            }
            if let Some(r) = &redactor {
                r.file(v);
            }
            let (copy, _) = pgcheck::writer::annotate::stage(v, &target, lang, &config)?;
            staged.push(copy);
            annotated.push(target);
            v.workbook = None;
        }
    }
    pgcheck::writer::commit_all(staged)?;

    match args.format {
        Format::Human => {
            let mut out = String::new();
            let style = human::Style {
                lang,
                color: use_color(),
            };
            for v in &plan.files {
                let name = v.report.display_path();
                // A finding told with another file (X03's copies) is printed there, once.
                for d in v.report.diagnostics.iter().filter(|d| !d.repeats) {
                    human::diagnostic(&mut out, &name, d, &config, style);
                }
            }
            out.push_str(&summary_table(&plan, lang));
            for n in &notes {
                out.push_str(n);
                out.push('\n');
            }
            if let Some(d) = &changes {
                out.push_str(if lang == Lang::Zh {
                    "本周变化：\n"
                } else {
                    "What moved:\n"
                });
                out.push_str(&week::unit_lines(d, lang));
            }
            out.push_str(&msg(
                lang,
                format!("汇总表已写入 {}\n", output.display()),
                format!("wrote {}\n", output.display()),
            ));
            if let Some(dir) = &args.annotate_dir {
                let n = annotated.len();
                out.push_str(&if n > 0 {
                    msg(
                        lang,
                        format!("{n} 个标注版已写入 {}\n", dir.display()),
                        match n {
                            1 => format!("wrote 1 annotated copy to {}\n", dir.display()),
                            n => format!("wrote {n} annotated copies to {}\n", dir.display()),
                        },
                    )
                } else {
                    msg(
                        lang,
                        format!("没有未通过校验的文件，{} 中未写入标注版\n", dir.display()),
                        format!(
                            "no file was left out: no annotated copy written to {}\n",
                            dir.display()
                        ),
                    )
                });
            }
            print(&out)?;
        }
        Format::Json => {
            let ids = |a: &[TemplateId]| -> Vec<&str> { a.iter().map(|t| t.as_str()).collect() };
            let units: Vec<_> = plan
                .units
                .iter()
                .map(|u| {
                    json!({
                        "unit": u.unit.name,
                        "status": u.status.as_str(),
                        "merged_attachments": ids(&u.merged_attachments),
                        "left_out_attachments": ids(&u.left_out_attachments),
                        "files": u.files.iter().map(|&i| plan.files[i].report.display_path()).collect::<Vec<_>>(),
                        "errors": u.errors,
                        "warnings": u.warnings,
                    })
                })
                .collect();
            let names = |s: UnitStatus| -> Vec<String> {
                plan.units
                    .iter()
                    .filter(|u| u.status == s)
                    .map(|u| u.unit.name.clone())
                    .collect()
            };
            let reports: Vec<_> = plan.files.iter().map(|v| v.report.clone()).collect();
            let doc = json!({
                "tool": "pgcheck",
                "schema": 1,
                "as_of": config.as_of.format("%Y-%m-%d").to_string(),
                "output": output.display().to_string(),
                "annotated": annotated.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "notes": notes,
                "merged": names(UnitStatus::Merged),
                "partial": names(UnitStatus::Partial),
                "left_out": names(UnitStatus::LeftOut),
                "missing": names(UnitStatus::Missing),
                "units": units,
                "files": reports.iter().map(|f| json::file(f, lang, &config)).collect::<Vec<_>>(),
                "summary": json::summary(&reports),
            });
            print(&(json::to_string(&doc) + "\n"))?;
        }
    }
    let code = ExitCode::from(if plan.complete() { 0 } else { 1 });
    // The process ends now: leave the tables of every file to the OS instead of freeing them
    // one by one (as `validate` does with its grids).
    std::mem::forget(plan);
    Ok(code)
}

fn summary_table(plan: &merge::Plan, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let headers: &[&str] = if zh {
        &["单位", "文件数", "状态", "错误", "警告", "已汇总", "未汇总"]
    } else {
        &[
            "unit", "files", "status", "errors", "warnings", "merged", "left out",
        ]
    };
    let no = if zh { "否" } else { "no" };
    let mut t = human::new_table(headers);
    for u in &plan.units {
        // The attachments whose rows are in the totals: never a bare 否 for such a unit.
        let merged = if u.status.in_totals() {
            short_list(&u.merged_attachments, lang)
        } else {
            no.to_string()
        };
        t.add_row(vec![
            Cell::new(&u.unit.name),
            Cell::new(u.files.len()),
            Cell::new(u.status.word(lang)),
            Cell::new(u.errors),
            Cell::new(u.warnings),
            Cell::new(merged),
            Cell::new(short_list(&u.left_out_attachments, lang)),
        ]);
    }
    for &i in &plan.orphans {
        let r = &plan.files[i].report;
        t.add_row(vec![
            Cell::new(if zh {
                format!("（未识别）{}", r.display_path())
            } else {
                format!("(unknown) {}", r.display_path())
            }),
            Cell::new(1),
            Cell::new(UnitStatus::LeftOut.word(lang)),
            Cell::new(r.errors()),
            Cell::new(r.warnings()),
            Cell::new(no),
            Cell::new(""),
        ]);
    }
    format!("{t}\n")
}

/// Attachments as the console lists them, short: `附件2、4、5` (in English `A2, A4, A5`).
fn short_list(attachments: &[TemplateId], lang: Lang) -> String {
    if lang == Lang::En {
        let ids: Vec<&str> = attachments.iter().map(|t| t.as_str()).collect();
        return ids.join(", ");
    }
    let names: Vec<&str> = attachments
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = t.template().attachment;
            if i == 0 {
                name
            } else {
                name.trim_start_matches("附件")
            }
        })
        .collect();
    names.join("、")
}
