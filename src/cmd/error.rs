//! Why a command could not do its job (exit 2): one typed error per cause, each worded in the
//! run's language; a bad config is shown with its line underlined (miette); with
//! `--format json` the error is also a JSON document on stdout, so a script can always parse it.

use std::io;
use std::path::PathBuf;

use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use pgcheck::config::ConfigError;
use pgcheck::diag::Lang;
use pgcheck::history::HistoryError;
use pgcheck::oserror::reason;
use pgcheck::writer::WriteError;

/// What stops a command. `Display` is English (for logs); users see `message(lang)`.
#[derive(Debug, thiserror::Error)]
pub enum CmdError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("invalid arguments: {0}")]
    Usage(String),
    #[error("cannot read {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("no .xlsx/.xls/.ods files found")]
    NoFiles,
    #[error("{} is not a folder", .0.display())]
    NotAFolder(PathBuf),
    #[error("the output must end in .xlsx: {}", .0.display())]
    OutputExtension(PathBuf),
    /// The output exists and is not a workbook of this kind that pgcheck wrote.
    #[error("{} exists and is not {}", path.display(), kind.en())]
    WouldOverwrite { path: PathBuf, kind: Written },
    #[error("--annotate takes exactly one file ({0} given)")]
    AnnotateOneFile(usize),
    #[error("the annotated output {} cannot overwrite the checked file", .0.display())]
    AnnotateOverInput(PathBuf),
    /// A week (`diff`, `merge --previous`) could not be read.
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
}

/// The kinds of workbook pgcheck writes over when they are its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Consolidated,
    Annotated,
}

impl Written {
    fn en(self) -> &'static str {
        match self {
            Written::Consolidated => "a consolidated workbook",
            Written::Annotated => "an annotated copy written by pgcheck",
        }
    }
}

impl CmdError {
    /// A stable identifier for scripts (the JSON `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            CmdError::Config(_) => "config",
            CmdError::Usage(_) => "usage",
            CmdError::Read { .. } => "read",
            CmdError::NoFiles => "no_files",
            CmdError::NotAFolder(_) => "not_a_folder",
            CmdError::OutputExtension(_) => "output_extension",
            CmdError::WouldOverwrite { .. } => "would_overwrite",
            CmdError::AnnotateOneFile(_) => "annotate_one_file",
            CmdError::AnnotateOverInput(_) => "annotate_over_input",
            CmdError::History(_) => "history",
            CmdError::Write(_) => "write",
            CmdError::Stdout(_) => "stdout",
        }
    }

    /// The message in `lang`, one line.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            CmdError::Config(e) => e.message(lang),
            CmdError::Usage(m) => m.clone(),
            CmdError::Read { path, source } if zh => {
                format!("无法读取 {}：{}", path.display(), reason(source, lang))
            }
            CmdError::Read { path, source } => {
                format!("cannot read {}: {}", path.display(), reason(source, lang))
            }
            CmdError::NoFiles if zh => "没有找到 .xlsx/.xls/.ods 文件".into(),
            CmdError::NoFiles => self.to_string(),
            CmdError::NotAFolder(p) if zh => format!("{} 不是文件夹", p.display()),
            CmdError::OutputExtension(p) if zh => {
                format!("输出文件应以 .xlsx 结尾：{}", p.display())
            }
            CmdError::WouldOverwrite {
                path,
                kind: Written::Consolidated,
            } if zh => format!(
                "输出文件 {} 已存在且不是汇总表，不会覆盖（它可能是报送文件之一）",
                path.display()
            ),
            CmdError::WouldOverwrite {
                path,
                kind: Written::Annotated,
            } if zh => format!(
                "{} 已存在且不是 pgcheck 写出的标注版，不会覆盖（它可能是报送文件）",
                path.display()
            ),
            CmdError::AnnotateOneFile(n) if zh => {
                format!("--annotate 只能用于一个文件（收到 {n} 个）")
            }
            CmdError::AnnotateOverInput(p) if zh => {
                format!("标注输出 {} 不能覆盖被检查的文件", p.display())
            }
            CmdError::History(e) => e.message(lang),
            CmdError::Write(e) => e.message(lang),
            CmdError::Stdout(e) if zh => format!("无法写入标准输出：{}", reason(e, lang)),
            CmdError::Stdout(e) => format!("cannot write to standard output: {}", reason(e, lang)),
            _ => self.to_string(),
        }
    }

    /// Prints the error on stderr (with the config's line for a bad config) and, for
    /// `--format json`, as a JSON document on stdout.
    pub fn report(&self, lang: Lang, json: bool) {
        let message = self.message(lang);
        if json && !matches!(self, CmdError::Stdout(_)) {
            let doc = serde_json::json!({
                "tool": "pgcheck",
                "schema": 1,
                "error": {"code": self.code(), "message": message},
            });
            // Nothing more can be said if stdout is gone too.
            let _ = super::print(&(pgcheck::report::json::to_string(&doc) + "\n"));
        }
        // A bad config's report names the file and shows the line; other errors are one line.
        match self.snippet(lang) {
            Some(snippet) => eprint!("{snippet}"),
            None => eprintln!("pgcheck: {message}"),
        }
    }

    /// The offending line of a bad config, underlined, with its file, line and column.
    pub fn snippet(&self, lang: Lang) -> Option<String> {
        let CmdError::Config(
            e @ ConfigError::Invalid {
                path, text, span, ..
            },
        ) = self
        else {
            return None;
        };
        // miette adds the line and column to the name.
        e.line_col()?;
        let shown = Snippet {
            message: e.message(lang),
            src: NamedSource::new(path.display().to_string(), text.clone()),
            span: (span.start, span.len().max(1)).into(),
        };
        let mut out = String::new();
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            // Unwrapped: the message stays one line a script can match.
            .with_width(10_000)
            .with_links(false)
            .render_report(&mut out, &shown)
            .ok()?;
        Some(out)
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
struct Snippet {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label]
    span: SourceSpan,
}
