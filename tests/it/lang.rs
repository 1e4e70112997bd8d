//! One language per run, worded for the city of the config (issue 16 points 7 and 8):
//! - with `paid_through_min = "2024-09"` and another city, messages, help and `rules --config`
//!   name 2024-09 and that city, never the built-in 2024-07 or 晋城市;
//! - with `--lang en`, no Chinese outside header labels, sheet names, unit names, file names and
//!   quoted cell values, in every command and every early error. The allowed words come from the
//!   template table and the config, not from a hand-made list;
//! - in Chinese, the reverse: no English word outside those same words, rule ids, cell
//!   references and what was typed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use pgcheck::config::Config;
use pgcheck::merge::STATUS_SHEET;
use pgcheck::rules::{RuleId, Scope};
use pgcheck::template::{a4, TemplateId, BLOCK_FIELDS, LEAD_LABEL};
use pgcheck::writer::weekly::{ALERTS_SHEET, CHANGES_SHEET};
use pgcheck::writer::ISSUES_SHEET;
use serde_json::Value;

use crate::common;
use common::{command, root};

const CHANGZHI: &str = "fixtures/city-changzhi/changzhi.toml";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs pgcheck in English, tables unwrapped (a wrapped cell would split a quoted value).
fn en(args: &[&str]) -> Output {
    command(&[&["--lang", "en"], args].concat())
        .env("COLUMNS", "10000")
        .output()
        .expect("run pgcheck")
}

/// Changzhi's config with `paid_through_min = "2024-09"` (the fixture's is 2024-08), in `dir`.
fn changzhi_september(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join(CHANGZHI)).unwrap();
    assert!(text.contains("paid_through_min = \"2024-08\""), "{text}");
    let path = dir.join("changzhi-09.toml");
    std::fs::write(
        &path,
        text.replace(
            "paid_through_min = \"2024-08\"",
            "paid_through_min = \"2024-09\"",
        ),
    )
    .unwrap();
    path
}

/// Every diagnostic of a `validate --format json` document: (rule, cell, message, help).
fn diagnostics(doc: &Value) -> Vec<(String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    common::json_diagnostics(doc)
        .map(|d| {
            (
                s(&d["rule"]),
                s(&d["cell"]),
                s(&d["message"]),
                s(&d["help"]),
            )
        })
        .collect()
}

#[test]
fn messages_help_and_rules_follow_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = changzhi_september(dir.path());
    let config = config.to_str().unwrap();
    // 上党区 and 屯留区 are paid through 2024-08 with nothing owed: A2-05 under 2024-09 (and
    // not under the fixture's own 2024-08). a2-09.xlsx (a 泽州县 file) has a wrong 合计 on G6.
    let files = [
        "fixtures/city-changzhi/inbox/上党区-周报.xlsx",
        "fixtures/city-changzhi/inbox/屯留区-周报.xlsx",
        "fixtures/a2/a2-09.xlsx",
    ];
    for lang in ["zh", "en"] {
        let args = [
            &[
                "--lang",
                lang,
                "validate",
                "--as-of",
                "2024-10-14",
                "--config",
                config,
            ][..],
            &files,
        ]
        .concat();
        let human = stdout(&command(&args).output().unwrap());
        let o = command(&[&args[..], &["--format", "json"]].concat())
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&o.stdout).expect("json");
        let found = diagnostics(&doc);
        let a2_05: Vec<_> = found.iter().filter(|d| d.0 == "A2-05").collect();
        let cells: Vec<&str> = a2_05.iter().map(|d| d.1.as_str()).collect();
        assert_eq!(cells, ["T7", "T8", "T8"], "{lang}: {found:?}");
        for (_, _, message, help) in &a2_05 {
            assert!(message.contains("2024-09"), "{lang}: {message}");
            assert!(help.contains("2024-09"), "{lang}: {help}");
            assert!(
                !help.contains("2024-07") && !help.contains("24年7月"),
                "{help}"
            );
        }
        let a2_09: Vec<_> = found.iter().filter(|d| d.0 == "A2-09").collect();
        assert_eq!(a2_09.len(), 1, "{lang}: {found:?}");
        assert_eq!(a2_09[0].1, "G6");
        assert!(
            a2_09[0].3.contains("1 长治市 0 0"),
            "{lang}: {}",
            a2_09[0].3
        );
        // The unit of a2-09.xlsx is no unit of 长治市: S06 names the city's units.
        let s06 = found.iter().find(|d| d.0 == "S06").expect("S06");
        assert!(
            s06.3.contains("潞州区") && s06.3.contains("长治市"),
            "{}",
            s06.3
        );
        assert!(s06.2.contains("长治市"), "{}", s06.2);
        for text in [&human, &stdout(&o)] {
            assert!(
                text.contains("2024-09") && text.contains("长治市"),
                "{text}"
            );
            assert!(
                !text.contains("2024-07") && !text.contains("24年7月"),
                "{text}"
            );
            // 晋城市 is nowhere: not in a help, not in a cell value of these files.
            assert!(!text.contains("晋城"), "{lang}: {text}");
        }
    }
    // The fixture's own config (2024-08) finds no A2-05 in these two files: the parameter, not
    // the files, made it.
    let o = command(&[
        "validate",
        "--as-of",
        "2024-10-14",
        "--config",
        CHANGZHI,
        "--format",
        "json",
        files[0],
        files[1],
    ])
    .output()
    .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(diagnostics(&doc).iter().all(|d| d.0 != "A2-05"));

    // `rules --config`: the rules as 长治市 sees them, in every format and language.
    for lang in ["zh", "en"] {
        for format in ["human", "json", "markdown"] {
            let o = command(&[
                "--lang", lang, "rules", "--config", config, "--format", format,
            ])
            .env("COLUMNS", "10000")
            .output()
            .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            let out = stdout(&o);
            assert!(out.contains("1 长治市 0 0"), "{lang} {format}: {out}");
            assert!(!out.contains("晋城"), "{out}");
            // A2-05's line (its row of the table, its JSON entry).
            let a2_05 = match format {
                "json" => {
                    let doc: Value = serde_json::from_str(&out).unwrap();
                    let r = doc.as_array().unwrap().iter().find(|r| r["id"] == "A2-05");
                    r.unwrap().to_string()
                }
                _ => out
                    .lines()
                    .find(|l| l.contains("A2-05"))
                    .unwrap()
                    .to_string(),
            };
            assert!(a2_05.contains("2024-09"), "{lang} {format}: {a2_05}");
            assert!(!a2_05.contains("2024-07"), "{lang} {format}: {a2_05}");
        }
        // Without a config, the built-in default.
        let o = command(&["--lang", lang, "rules", "--format", "markdown"])
            .output()
            .unwrap();
        let out = stdout(&o);
        assert!(
            out.contains("2024-07") && out.contains("1 晋城市 0 0"),
            "{out}"
        );
    }
    // A bad config is refused as for any other command.
    let o = command(&["rules", "--config", "nosuch.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nosuch.toml"), "{}", stderr(&o));
}

/// A character of Chinese text: ideographs, CJK and full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// A letter of an English word.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// The maximal runs of characters for which `keep` holds.
fn runs(s: &str, keep: fn(char) -> bool) -> Vec<String> {
    s.split(|c| !keep(c))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// The Chinese words an English text may hold: every run of Chinese in the template table's
/// labels (header paths, variants, fields, A4's sections), in the units of the configs (names,
/// full names, aliases), in the sheet names (the files' and pgcheck's own) and in the file names
/// the run reads; each whole and split at its punctuation.
struct Allowed(HashSet<String>);

impl Allowed {
    fn new(configs: &[Config]) -> Allowed {
        let mut a = Allowed(HashSet::new());
        for t in TemplateId::ALL {
            let t = t.template();
            for c in t.columns {
                c.path.iter().chain(c.variants).for_each(|l| a.add(l));
            }
            t.fields.iter().for_each(|f| a.add(f.label));
        }
        BLOCK_FIELDS.iter().for_each(|f| a.add(f.label));
        a4::SECTIONS.iter().for_each(|s| a.add(s));
        a.add(LEAD_LABEL);
        // The sheets of the workbooks pgcheck writes.
        for sheet in [STATUS_SHEET, CHANGES_SHEET, ALERTS_SHEET, ISSUES_SHEET] {
            a.add(sheet);
        }
        for c in configs {
            for u in c.all_units() {
                [&u.name, &u.full_name]
                    .into_iter()
                    .chain(&u.aliases)
                    .for_each(|s| a.add(s));
            }
        }
        a
    }

    fn add(&mut self, s: &str) {
        self.0.extend(runs(s, is_cjk));
        self.0.extend(runs(s, is_ideograph));
        self.0.extend(runs(s, is_latin));
    }

    /// Adds the words of every file name under `dir` (its own name too).
    fn add_files(&mut self, dir: &Path) {
        self.add(&dir.to_string_lossy());
        for e in walk(dir) {
            self.add(&e.to_string_lossy());
        }
    }

    /// Adds every sheet name a `--format json` document lists, and the header label of every
    /// diagnostic (a county's own column, S04, is a header label too).
    fn add_sheets(&mut self, doc: &Value) {
        for f in doc["files"].as_array().into_iter().flatten() {
            for s in f["sheets"].as_array().into_iter().flatten() {
                self.add(s["sheet"].as_str().unwrap_or_default());
            }
            for d in f["diagnostics"].as_array().into_iter().flatten() {
                self.add(d["sheet"].as_str().unwrap_or_default());
                self.add(d["field"].as_str().unwrap_or_default());
            }
        }
    }

    /// The Chinese of `text` that is none of the allowed words, outside quotes (“…”, "…").
    fn foreign(&self, text: &str) -> Vec<String> {
        self.foreign_in(text, is_cjk)
    }

    /// The English words of `text` that are none of the allowed words, outside quotes, rule ids
    /// (`A2-01`, `S03`), cell references (`AD7`, `附件2!H6`: letters followed by a digit) and
    /// column letters (`AK 列`: up to three capitals).
    fn english(&self, text: &str) -> Vec<String> {
        let mut kept = String::new();
        let mut word = String::new();
        for c in text.chars().chain([' ']) {
            if is_latin(c) {
                word.push(c);
                continue;
            }
            let column = word.len() <= 3 && word.chars().all(|c| c.is_ascii_uppercase());
            let flag = kept.ends_with("--");
            if !(column || flag || c.is_ascii_digit() && word.len() <= 3) {
                kept.push_str(&word);
            }
            word.clear();
            kept.push(c);
        }
        self.foreign_in(&kept, is_latin)
    }

    /// The runs of `script` in `text` that are none of the allowed words, outside quotes.
    fn foreign_in(&self, text: &str, script: fn(char) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        // The lines of a config miette shows are the user's own text.
        let own = |l: &str| {
            let l = l.trim_start();
            l.split_once(" │")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        };
        for line in text.lines().filter(|l| !own(l)) {
            let unquoted = unquote(line);
            for r in runs(&unquoted, script) {
                if !self.0.contains(&r) {
                    out.push(format!("{r}  in: {line}"));
                }
            }
        }
        out
    }
}

/// `line` without its quoted parts (`“…”` and `"…"`).
fn unquote(line: &str) -> String {
    let mut out = String::new();
    let mut close = None;
    for c in line.chars() {
        match close {
            Some(end) if c == end => close = None,
            Some(_) => {}
            None if c == '“' => close = Some('”'),
            None if c == '"' => close = Some('"'),
            None => out.push(c),
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

/// The texts of a JSON document meant for people (messages, help, notes, error); the rest is
/// data (paths, labels, values) or keys.
fn prose(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    (
                        "message" | "help" | "path_note" | "title_en" | "want_en" | "primary_en"
                        | "source_en",
                        Value::String(s),
                    ) => {
                        out.push_str(s);
                        out.push('\n');
                    }
                    ("notes", Value::Array(a)) => {
                        for s in a.iter().filter_map(Value::as_str) {
                            out.push_str(s);
                            out.push('\n');
                        }
                    }
                    _ => prose(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| prose(v, out)),
        _ => {}
    }
}

fn json_prose(o: &Output) -> String {
    let mut s = String::new();
    prose(&common::json(o), &mut s);
    assert!(!s.is_empty(), "{}", stdout(o));
    s
}

/// The fixture folders both languages' runs read: the first nine validated, the weeks merged.
const DIRS: [&str; 12] = [
    "fixtures/a2",
    "fixtures/a3",
    "fixtures/a4",
    "fixtures/a5",
    "fixtures/clerk",
    "fixtures/clerk/p03-inbox",
    "fixtures/clerk/p13-inbox",
    "fixtures/workbook",
    "fixtures/hostile",
    "fixtures/week-2024-10-14",
    "fixtures/week-2024-10-21",
    "fixtures/city-changzhi",
];

#[test]
fn english_all_the_way() {
    let changzhi = common::changzhi();
    let mut allowed = Allowed::new(&[common::config(), changzhi]);
    let dirs = DIRS;
    for d in dirs {
        allowed.add_files(&root().join(d));
    }
    let validate = [&["validate", "--as-of", "2024-10-14"][..], &dirs[..9]].concat();
    let json = en(&[&validate[..], &["--format", "json"]].concat());
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    allowed.add_sheets(&doc);
    // Every rule `validate` can report is reported here, so each one's English is checked
    // below: the fixtures plant each rule by design (not a count, which a rule fix that drops
    // false findings would break). X03 comes from the merge of p13-inbox, the week-over-week
    // rules from diff (asserted below).
    let reported: HashSet<String> = diagnostics(&doc).into_iter().map(|d| d.0).collect();
    let unchecked: Vec<&str> = RuleId::ALL
        .iter()
        .filter(|r| r.entry().scope != Scope::Week && **r != RuleId::X03)
        .map(|r| r.as_str())
        .filter(|id| !reported.contains(*id))
        .collect();
    assert!(
        unchecked.is_empty(),
        "rules no fixture reports: {unchecked:?}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let (c1, c2) = (tmp.path().join("c1.xlsx"), tmp.path().join("c2.xlsx"));
    let (c1, c2) = (c1.to_str().unwrap(), c2.to_str().unwrap());
    let merge1 = [
        "merge",
        "fixtures/week-2024-10-14",
        "-o",
        c1,
        "--as-of",
        "2024-10-14",
    ];
    let merge2 = [
        "merge",
        "fixtures/week-2024-10-21",
        "-o",
        c2,
        "--as-of",
        "2024-10-21",
        "--previous",
        c1,
    ];
    let bad_toml = tmp.path().join("bad.toml");
    std::fs::write(
        &bad_toml,
        "city = \"长治市\"\n[[units]]\nname = \"潞州区\"\n[[units]]\nname = \"潞州区\"\n",
    )
    .unwrap();
    let bad = bad_toml.to_str().unwrap();
    // (what was run, what it printed)
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut run = |what: &str, args: &[&str], json: bool| {
        let o = en(args);
        let text = if json {
            json_prose(&o) + &stderr(&o)
        } else {
            stdout(&o) + &stderr(&o)
        };
        texts.push((what.to_string(), text));
        o
    };
    run("validate", &validate, false);
    run(
        "validate json",
        &[&validate[..], &["--format", "json"]].concat(),
        true,
    );
    let o = run("merge", &merge1, false);
    assert_eq!(o.status.code(), Some(1));
    // 陵川县 sent nothing: "not sent" in the table (JSON says `missing`, tests/it/monday.rs).
    let line = stdout(&o)
        .lines()
        .find(|l| l.contains("陵川县"))
        .map(str::to_string)
        .unwrap_or_default();
    assert!(line.contains("not sent"), "{line}");
    run("merge --previous", &merge2, false);
    run(
        "merge json",
        &[&merge2[..], &["--format", "json"]].concat(),
        true,
    );
    let c3 = tmp.path().join("c3.xlsx");
    let c3 = c3.to_str().unwrap();
    run(
        "merge X03",
        &[
            "merge",
            "fixtures/clerk/p13-inbox",
            "-o",
            c3,
            "--as-of",
            "2024-10-14",
        ],
        false,
    );
    run("diff", &["diff", c1, c2], false);
    let trend = tmp.path().join("trend.xlsx");
    let dir = tmp.path().to_str().unwrap();
    run(
        "trend",
        &["trend", c1, c2, "-o", trend.to_str().unwrap()],
        false,
    );
    let templates = format!("{dir}/templates");
    run("template", &["template", "-o", &templates], false);
    // The marked-up copy's 问题清单: its message and wants columns (the rest is the file's own).
    let marked = tmp.path().join("marked.xlsx");
    let o = run(
        "annotate",
        &[
            "validate",
            "fixtures/a2/several-errors.xlsx",
            "--as-of",
            "2024-10-14",
            "--annotate",
            marked.to_str().unwrap(),
        ],
        false,
    );
    assert_eq!(o.status.code(), Some(1));
    let wb = pgcheck::read::open(&marked).unwrap();
    let list = common::sheet(&wb, ISSUES_SHEET);
    assert_eq!(common::text(list, 0, 9), "message");
    let rows = list.extent().unwrap().0;
    assert!(rows > 3, "{rows} rows in 问题清单");
    let listed: String = (1..=rows)
        .flat_map(|r| [9, 10].map(|c| common::text(list, r, c) + "\n"))
        .collect();

    let o = run(
        "trend none",
        &["trend", &templates, "-o", trend.to_str().unwrap()],
        false,
    );
    assert_eq!(o.status.code(), Some(2));
    run("diff json", &["diff", c1, c2, "--format", "json"], true);
    run("rules", &["rules"], false);
    run("rules json", &["rules", "--format", "json"], true);
    run("rules markdown", &["rules", "--format", "markdown"], false);
    run("rules changzhi", &["rules", "--config", CHANGZHI], false);
    run("config", &["config"], false);
    run(
        "as-of",
        &["validate", "fixtures/a2/a2-01.xlsx", "--as-of", "yesterday"],
        false,
    );
    run("missing", &["validate", "nosuch.xlsx"], false);
    run(
        "bad config",
        &["validate", "fixtures/a2", "--config", bad],
        false,
    );
    run(
        "bad config json",
        &[
            "validate",
            "fixtures/a2",
            "--config",
            bad,
            "--format",
            "json",
        ],
        true,
    );
    let syntax = tmp.path().join("syntax.toml");
    std::fs::write(&syntax, "city = 长治市\n").unwrap();
    run(
        "toml syntax",
        &["merge", "fixtures/a2", "--config", syntax.to_str().unwrap()],
        false,
    );
    let one = run(
        "one file",
        &[
            "validate",
            "fixtures/a2/a2-01.xlsx",
            "--as-of",
            "2024-10-14",
        ],
        false,
    );
    assert!(stdout(&one).contains("1 file,"), "{}", stdout(&one));
    texts.push(("annotate 问题清单".to_string(), listed));
    // The rules the validate run above does not report are in these runs' texts.
    let said = |what: &str| {
        let found = texts.iter().find(|(w, _)| w == what);
        found.map_or("", |(_, t)| t.as_str())
    };
    assert!(said("merge X03").contains("X03"), "{}", said("merge X03"));
    for week in RuleId::ALL
        .iter()
        .filter(|r| r.entry().scope == Scope::Week)
    {
        assert!(
            said("diff").contains(week.as_str()),
            "{week}: {}",
            said("diff")
        );
    }
    let mut wrong = Vec::new();
    for (what, text) in &texts {
        for w in allowed.foreign(text) {
            wrong.push(format!("{what}: {w}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "Chinese in English output:\n{}",
        wrong.join("\n")
    );
}

/// The reverse of `english_all_the_way`: a Chinese run says everything in Chinese. Its English
/// words are only those of labels, values, file and sheet names (the same allowed words), what
/// was typed on the command line, flags (`--help`), rule ids and cell references, the names of
/// the programs a clerk uses (Excel, WPS, whose first sheet is Sheet1), of a file's format (HTML)
/// and of pgcheck itself, and the date pattern YYYY-MM-DD.
#[test]
fn chinese_all_the_way() {
    let mut allowed = Allowed::new(&[common::config()]);
    for d in DIRS {
        allowed.add_files(&root().join(d));
    }
    ["Excel", "WPS", "Sheet", "HTML", "pgcheck", "YYYY"]
        .iter()
        .for_each(|w| allowed.add(w));
    let tmp = tempfile::tempdir().unwrap();
    allowed.add_files(tmp.path());
    let (c1, c2) = (tmp.path().join("c1.xlsx"), tmp.path().join("c2.xlsx"));
    let (c1, c2) = (c1.to_str().unwrap(), c2.to_str().unwrap());
    let validate = [&["validate", "--as-of", "2024-10-14"][..], &DIRS[..9]].concat();
    let json = command(&[&validate[..], &["--format", "json"]].concat())
        .output()
        .unwrap();
    allowed.add_sheets(&serde_json::from_slice(&json.stdout).unwrap());
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("validate", validate),
        (
            "merge",
            vec!["merge", DIRS[9], "-o", c1, "--as-of", "2024-10-14"],
        ),
        (
            "merge --previous",
            vec![
                "merge",
                DIRS[10],
                "-o",
                c2,
                "--as-of",
                "2024-10-21",
                "--previous",
                c1,
            ],
        ),
        ("diff", vec!["diff", c1, c2]),
        ("rules", vec!["rules"]),
        ("missing", vec!["validate", "nosuch.xlsx"]),
        (
            "as-of",
            vec!["validate", "fixtures/a2/a2-01.xlsx", "--as-of", "yesterday"],
        ),
    ];
    let mut wrong = Vec::new();
    for (what, args) in runs {
        let o = command(&[&["--lang", "zh"], &args[..]].concat())
            .env("COLUMNS", "10000")
            .output()
            .unwrap();
        let text = stdout(&o) + &stderr(&o);
        assert!(!text.trim().is_empty(), "{what}: no output");
        args.iter().for_each(|a| allowed.add(a));
        for w in allowed.english(&text) {
            wrong.push(format!("{what}: {w}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "English in Chinese output:\n{}",
        wrong.join("\n")
    );
}
