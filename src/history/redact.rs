//! `--redact` (SPEC 11.5): complainants' names, phone numbers and e-mail addresses of 附件3
//! masked (`张三 13812345678` → `张* 138****5678`, `zhang@163.com` → `z***@163.com`) wherever
//! an output would show them: the sheet, diagnostics (values and messages) and JSON.

use crate::diag::Diagnostic;
use crate::grid::Value;
use crate::table::{Datum, RowKind, Table};
use crate::template::a3::Col as A3;
use crate::template::TemplateId;
use crate::validate::Validated;

/// Replacements learnt from the complainant cells of 附件3: each full text, each phone number,
/// e-mail address and name in it, with its mask.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Longest first, so a whole cell is replaced before its parts.
    pairs: Vec<(String, String)>,
}

impl Redactor {
    /// Learns the complainants of the A3 tables of `files`.
    pub fn learn(&mut self, tables: &[Table]) {
        for t in tables
            .iter()
            .filter(|t| t.header.template == TemplateId::A3)
        {
            for r in t.rows.iter().filter(|r| r.kind == RowKind::Data) {
                if let Some(s) = t.field(r, A3::Complainant).text() {
                    self.add(s);
                }
            }
        }
    }

    /// A redactor that knows every complainant of `files`.
    pub fn of(files: &[Validated]) -> Redactor {
        let mut r = Redactor::default();
        files.iter().for_each(|v| r.learn(&v.tables));
        r
    }

    /// Learns one complainant text.
    pub fn add(&mut self, text: &str) {
        let masked = mask(text);
        if masked == text {
            return;
        }
        for word in split(text) {
            let m = mask_word(&word);
            if word != m && !self.pairs.iter().any(|(w, _)| *w == word) {
                self.pairs.push((word, m));
            }
        }
        if !self.pairs.iter().any(|(w, _)| w == text) {
            self.pairs.push((text.to_string(), masked));
        }
        self.pairs
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }

    /// `s` with every learnt name, phone and e-mail masked.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (w, m) in &self.pairs {
            if out.contains(w.as_str()) {
                out = out.replace(w.as_str(), m);
            }
        }
        out
    }

    /// A diagnostic's value and messages masked.
    pub fn diagnostic(&self, d: &mut Diagnostic) {
        if let Some(v) = &d.value {
            d.value = Some(self.text(v));
        }
        d.detail.zh = self.text(&d.detail.zh);
        d.detail.en = self.text(&d.detail.en);
    }

    /// Masks a validated file in place: its A3 complainant cells (typed rows and, when kept,
    /// the grid an annotated copy is made from) and its diagnostics.
    pub fn file(&self, v: &mut Validated) {
        for d in &mut v.report.diagnostics {
            self.diagnostic(d);
        }
        for t in v.tables.iter_mut() {
            for r in t.rows.iter_mut() {
                for f in r.fields.iter_mut() {
                    if let Datum::Text(s) = f {
                        let m = self.text(s);
                        if m != *s {
                            *s = m;
                        }
                    }
                }
            }
        }
        if let Some(wb) = v.workbook.as_mut() {
            for sheet in wb.sheets.iter_mut() {
                let cells: Vec<(u32, u32, String)> = sheet
                    .iter()
                    .filter_map(|(at, c)| match &c.value {
                        Value::Text(s) => {
                            let m = self.text(s);
                            (m != *s).then_some((at.row, at.col, m))
                        }
                        _ => None,
                    })
                    .collect();
                for (r, c, m) in cells {
                    sheet.set_value(r, c, Value::Text(m));
                }
                sheet.seal();
            }
        }
    }
}

/// Splits into words at whitespace and ASCII punctuation other than `@ . _ -` (which belong to
/// e-mail addresses and phone numbers).
fn split(s: &str) -> Vec<String> {
    s.split(is_sep)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_sep(c: char) -> bool {
    c.is_whitespace()
        || "，,;；、/（）()：:".contains(c)
        || (c.is_ascii_punctuation() && !"@._-".contains(c))
}

/// Masks one complainant text word by word (separators kept).
pub fn mask(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |w: &mut String, out: &mut String| {
        if !w.is_empty() {
            out.push_str(&mask_word(w));
            w.clear();
        }
    };
    for c in s.chars() {
        if is_sep(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn mask_word(w: &str) -> String {
    if let Some((local, domain)) = w.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
    if digits >= 7 {
        // Keep the first three and last four digits of a mobile; of a shorter number the last
        // two only.
        let keep_head = if digits >= 11 { 3 } else { 0 };
        let keep_tail = if digits >= 11 { 4 } else { 2 };
        let mut seen = 0;
        return w
            .chars()
            .map(|c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                seen += 1;
                if seen <= keep_head || seen > digits - keep_tail {
                    c
                } else {
                    '*'
                }
            })
            .collect();
    }
    if digits > 0 {
        return w.to_string();
    }
    // A name (or anything else in the complainant cell): its first character only.
    let mut chars = w.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &"*".repeat(chars.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_phones_and_emails_are_masked_as_the_spec_shows() {
        assert_eq!(mask("张三 13812345678"), "张* 138****5678");
        assert_eq!(mask("zhang@163.com"), "z***@163.com");
        assert_eq!(mask("贾某某 13935628811"), "贾** 139****8811");
        assert_eq!(mask("王五，0356-2285683"), "王*，035*-***5683");
        let mut r = Redactor::default();
        r.add("张三 13812345678");
        assert_eq!(
            r.text("投诉人张三 13812345678 未留邮箱；张三另留 13812345678"),
            "投诉人张* 138****5678 未留邮箱；张*另留 138****5678"
        );
    }
}
