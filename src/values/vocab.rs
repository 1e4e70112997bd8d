//! Controlled vocabularies (SPEC 7): 工程形象进度 stages, 是/否, 信息来源.

use super::{normalized, SOURCES, STAGES};
use crate::grid::Value;

/// Only the first characters of a long value are compared when suggesting a stage.
const FUZZY_CHARS: usize = 64;

/// Stage text: folded, whitespace removed, every dash-like character (`—`, `–`, `～`, `_`) made
/// a single `-`.
fn stage_norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in normalized(s).chars() {
        let c = match c {
            '—' | '–' | '―' | '‐' | '‑' | '−' | '﹣' | '~' | '～' | '_' => '-',
            _ => c,
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out
}

/// Punctuation allowed around a code (`（7）`, `7.`, `5-1、`).
fn is_code_punct(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '【'
            | '】'
            | '、'
            | ','
            | '.'
            | ':'
            | ';'
            | '。'
            | '，'
            | '：'
            | '；'
            | '-'
            | '"'
            | '“'
            | '”'
            | '《'
            | '》'
            | '<'
            | '>'
            | '〔'
            | '〕'
    )
}

/// A code as written: the index of its stage, or `Five` for a bare `5` (one of 5-1..5-3).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Code {
    Stage(usize),
    Five,
}

fn parse_code(s: &str) -> Option<Code> {
    let s = s.trim_matches(is_code_punct);
    // A Chinese numeral for a one-digit code (`七、基本建成`).
    if let Some(d) = "一二三四五六七八九".chars().position(|c| s.chars().eq([c])) {
        return parse_code(&(d + 1).to_string());
    }
    let code = match s.as_bytes() {
        [d] => (*d as char).to_string(),
        [b'5', b'-' | b'.', d @ b'1'..=b'3'] => format!("5-{}", *d as char),
        _ => return None,
    };
    if code == "5" {
        return Some(Code::Five);
    }
    STAGES.iter().position(|(c, _)| *c == code).map(Code::Stage)
}

/// A stage: index into `STAGES`, or `Err(Some(closest))` with the closest stage's index.
///
/// Accepts the code alone (`5-1`, `5－1`, `5.1`, `5—1`, a number cell `7` or `5.1`), the label
/// alone (whitespace ignored: `主体施工 1/3 以下`), or both in either order with punctuation
/// between (`5-1、主体施工1/3以下`, `7.基本建成`, `7基本建成`, `（7）基本建成`, `基本建成(7)`).
/// A bare `5` before a 5-x label is accepted, and so is a Chinese numeral for a one-digit code
/// (`七、基本建成`). Code and label that disagree (`6、基本建成`) give
/// `Err(Some(label))`; a label with other text around it gives `Err(Some(label))`; anything
/// else gives the most similar label (longest common subsequence, Dice score ≥ 0.4 over at least
/// two shared characters) or `Err(None)`. Blank, a bare `5` and non-text cells give `Err(None)`.
pub fn read_stage(v: &Value) -> Result<usize, Option<usize>> {
    let text = match v {
        Value::Number(n) => return stage_of_number(*n).ok_or(None),
        Value::Text(t) => stage_norm(t),
        _ => return Err(None),
    };
    if text.is_empty() {
        return Err(None);
    }
    let mut found: Option<(usize, usize)> = None; // (stage, byte position)
    for (i, (_, label)) in STAGES.iter().enumerate() {
        if let Some(pos) = text.find(label) {
            if found.is_some() {
                // Two stages named: none is the answer; suggest the first.
                return Err(found.map(|(j, _)| j));
            }
            found = Some((i, pos));
        }
    }
    let Some((i, pos)) = found else {
        return match parse_code(&text) {
            Some(Code::Stage(i)) => Ok(i),
            Some(Code::Five) => Err(None),
            None => Err(closest_stage(&text)),
        };
    };
    let before = text[..pos].trim_matches(is_code_punct);
    let after = text[pos + STAGES[i].1.len()..].trim_matches(is_code_punct);
    let code = match (before.is_empty(), after.is_empty()) {
        (true, true) => return Ok(i),
        (false, true) => before,
        (true, false) => after,
        (false, false) => return Err(Some(i)),
    };
    match parse_code(code) {
        Some(Code::Stage(j)) if j == i => Ok(i),
        Some(Code::Five) if STAGES[i].0.starts_with("5-") => Ok(i),
        _ => Err(Some(i)),
    }
}

fn stage_of_number(n: f64) -> Option<usize> {
    if !n.is_finite() || !(0.5..10.0).contains(&n) {
        return None;
    }
    let tenths = (n * 10.0).round();
    if (n * 10.0 - tenths).abs() > 1e-6 {
        return None;
    }
    let t = tenths as i64;
    let code = if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!("{}-{}", t / 10, t % 10)
    };
    if code == "5" {
        return None;
    }
    STAGES.iter().position(|(c, _)| *c == code)
}

/// The label most like `s`, by longest common subsequence (Dice score), if any is close.
fn closest_stage(s: &str) -> Option<usize> {
    closest(s, STAGES.iter().map(|(_, label)| *label))
}

/// The index of the label in `labels` most like `s`, by longest common subsequence (Dice score
/// ≥ 0.4 over at least two shared characters), if any is close: the stage meant (A2-06), the unit
/// meant (S06: `泽洲县` → 泽州县).
pub fn closest<'a>(s: &str, labels: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let a: Vec<char> = s.chars().take(FUZZY_CHARS).collect();
    let mut best: Option<(usize, f64)> = None;
    for (i, label) in labels.into_iter().enumerate() {
        let b: Vec<char> = label.chars().collect();
        let l = lcs(&a, &b);
        let score = 2.0 * l as f64 / (a.len() + b.len()) as f64;
        if l >= 2 && score >= 0.4 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// Length of the longest common subsequence (O(|a|·|b|), `b` is a short label).
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diag = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diag + 1 } else { up.max(row[j]) };
            diag = up;
        }
    }
    row[b.len()]
}

/// `5-1、主体施工1/3以下`: a stage as messages quote it. Empty for an index out of range.
pub fn stage_label(i: usize) -> String {
    STAGES
        .get(i)
        .map(|(code, label)| format!("{code}、{label}"))
        .unwrap_or_default()
}

/// 是 → true, 否 → false (folded, whitespace removed, a trailing `。`/`.`/`!` allowed). Anything
/// else, blank or a non-text cell is `None`.
pub fn read_yes_no(v: &Value) -> Option<bool> {
    let Value::Text(t) = v else { return None };
    let s = normalized(t);
    match s.trim_end_matches(['。', '.', '!', '！']) {
        "是" => Some(true),
        "否" => Some(false),
        _ => None,
    }
}

/// Index into `SOURCES`: exact after folding and removing whitespace.
pub fn read_source(v: &Value) -> Option<usize> {
    let Value::Text(t) = v else { return None };
    let s = normalized(t);
    SOURCES.iter().position(|x| *x == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn idx(code: &str) -> usize {
        STAGES.iter().position(|(c, _)| *c == code).unwrap()
    }

    fn stage(s: &str) -> Result<usize, Option<usize>> {
        read_stage(&t(s))
    }

    #[test]
    fn codes_alone() {
        for (s, code) in [
            ("5-1", "5-1"),
            ("5－1", "5-1"),
            ("5.1", "5-1"),
            ("5—1", "5-1"),
            ("5——1", "5-1"),
            ("5–2", "5-2"),
            ("5_3", "5-3"),
            ("5．3", "5-3"),
            ("1", "1"),
            ("7", "7"),
            ("９", "9"),
            (" 6 ", "6"),
            ("（7）", "7"),
            ("7.", "7"),
            ("7、", "7"),
        ] {
            assert_eq!(stage(s), Ok(idx(code)), "{s}");
        }
        assert_eq!(read_stage(&Value::Number(7.0)), Ok(idx("7")));
        assert_eq!(read_stage(&Value::Number(1.0)), Ok(idx("1")));
        assert_eq!(read_stage(&Value::Number(5.1)), Ok(idx("5-1")));
        assert_eq!(read_stage(&Value::Number(5.3)), Ok(idx("5-3")));
        assert_eq!(read_stage(&Value::Number(5.299_999_999_9)), Ok(idx("5-3")));
        for n in [5.0, 0.0, 10.0, 5.4, 6.1, -1.0, 7.5, f64::NAN] {
            assert_eq!(read_stage(&Value::Number(n)), Err(None), "{n}");
        }
        for s in ["5", "0", "10", "5-4", "5-0", "55", "", "  "] {
            assert_eq!(stage(s), Err(None), "{s:?}");
        }
        assert_eq!(read_stage(&Value::Empty), Err(None));
        assert_eq!(read_stage(&Value::Bool(true)), Err(None));
    }

    #[test]
    fn labels_alone_and_with_codes() {
        for (i, (code, label)) in STAGES.iter().enumerate() {
            assert_eq!(stage(label), Ok(i), "{label}");
            assert_eq!(stage(code), Ok(i), "{code}");
            for s in [
                format!("{code}、{label}"),
                format!("{code} {label}"),
                format!("{code}.{label}"),
                format!("{code}{label}"),
                format!("（{code}）{label}"),
                format!("({code}){label}"),
                format!("{label}（{code}）"),
                format!("{label} {code}"),
                format!("{code}：{label}"),
                format!("【{code}】{label}。"),
                stage_label(i),
            ] {
                assert_eq!(stage(&s), Ok(i), "{s}");
            }
        }
        assert_eq!(stage("主体施工 1/3 以下"), Ok(idx("5-1")));
        assert_eq!(stage("5-1 主体施工 1/3 以下"), Ok(idx("5-1")));
        assert_eq!(stage("5-1、主体施工1/3以下"), Ok(idx("5-1")));
        assert_eq!(stage("5－2、主体施工１／３－２／３"), Ok(idx("5-2")));
        assert_eq!(stage("主体施工1/3—2/3"), Ok(idx("5-2")));
        assert_eq!(stage("主体施工1/3～2/3"), Ok(idx("5-2")));
        assert_eq!(stage("7.基本建成"), Ok(idx("7")));
        assert_eq!(stage("7基本建成"), Ok(idx("7")));
        assert_eq!(stage("（7）基本建成"), Ok(idx("7")));
        assert_eq!(stage("5、主体施工2/3以上"), Ok(idx("5-3")));
        assert_eq!(stage("5.1、主体施工1/3以下"), Ok(idx("5-1")));
        assert_eq!(stage("七、基本建成"), Ok(idx("7")));
        assert_eq!(stage("五、主体施工1/3以下"), Ok(idx("5-1")));
        assert_eq!(stage("六、基本建成"), Err(Some(idx("7"))));
        assert_eq!(stage("七"), Ok(idx("7")));
        assert_eq!(stage("五"), Err(None));
    }

    #[test]
    fn disagreeing_code_and_label() {
        assert_eq!(stage("6、基本建成"), Err(Some(idx("7"))));
        assert_eq!(stage("5-2、主体施工1/3以下"), Err(Some(idx("5-1"))));
        assert_eq!(stage("基本建成（8）"), Err(Some(idx("7"))));
        assert_eq!(stage("1、主体封顶"), Err(Some(idx("6"))));
        // Extra words around a label: suggest the label.
        assert_eq!(stage("7、基本建成，正在配套施工"), Err(Some(idx("7"))));
        assert_eq!(stage("已基本建成"), Err(Some(idx("7"))));
        // Two labels.
        assert_eq!(stage("主体封顶、基本建成"), Err(Some(idx("6"))));
    }

    #[test]
    fn suggestions() {
        assert_eq!(stage("主体完工"), Err(Some(idx("6"))));
        assert_eq!(stage("已封顶"), Err(Some(idx("6"))));
        assert_eq!(stage("竣工"), Err(Some(idx("8"))));
        assert_eq!(stage("已竣工"), Err(Some(idx("8"))));
        assert_eq!(stage("已交付"), Err(Some(idx("9"))));
        assert_eq!(stage("地基处理"), Err(Some(idx("3"))));
        assert_eq!(stage("基本完工"), Err(Some(idx("7"))));
        assert_eq!(stage("主体施工"), Err(Some(idx("5-1"))));
        assert_eq!(stage("主体施工1/3至2/3"), Err(Some(idx("5-2"))));
        assert_eq!(stage("未动工"), Err(Some(idx("1"))));
        assert_eq!(stage("在建"), Err(None));
        assert_eq!(stage("xx"), Err(None));
        assert_eq!(stage("正常"), Err(None));
        assert_eq!(stage("× × ×"), Err(None));
    }

    #[test]
    fn long_values_are_fast() {
        let long = "主体".repeat(50_000);
        assert!(stage(&long).is_err());
        let long = format!("{}基本建成", "a".repeat(100_000));
        assert_eq!(stage(&long), Err(Some(idx("7"))));
        let long = "—".repeat(100_000);
        assert_eq!(stage(&long), Err(None));
    }

    #[test]
    fn labels_for_messages() {
        assert_eq!(stage_label(4), "5-1、主体施工1/3以下");
        assert_eq!(stage_label(0), "1、未开工");
        assert_eq!(stage_label(10), "9、准备交付");
        assert_eq!(stage_label(11), "");
    }

    #[test]
    fn yes_no() {
        for s in ["是", " 是 ", "是。", "是.", "\u{3000}是", "是！"] {
            assert_eq!(read_yes_no(&t(s)), Some(true), "{s}");
        }
        for s in ["否", "否。", " 否\n"] {
            assert_eq!(read_yes_no(&t(s)), Some(false), "{s}");
        }
        for v in [
            t("Y"),
            t("yes"),
            t("不是"),
            t("是否"),
            t(""),
            t("√"),
            t("无"),
            Value::Empty,
            Value::Bool(true),
            Value::Number(1.0),
        ] {
            assert_eq!(read_yes_no(&v), None, "{v:?}");
        }
    }

    #[test]
    fn sources() {
        for (i, s) in SOURCES.iter().enumerate() {
            assert_eq!(read_source(&t(s)), Some(i));
            let spaced: String = s.chars().flat_map(|c| [c, ' ']).collect();
            assert_eq!(read_source(&t(&spaced)), Some(i));
        }
        assert_eq!(read_source(&t("\u{3000}信访转办\n")), Some(1));
        for s in ["来信", "信访", "12345热线", "", "信访转办、电信举报"] {
            assert_eq!(read_source(&t(s)), None, "{s}");
        }
        assert_eq!(read_source(&Value::Number(1.0)), None);
    }
}
