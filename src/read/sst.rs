//! The strings of an xlsx package as calamine reads them: the shared strings part, kept as one
//! `String` with the end of each item, and the string items themselves (`<si>` there, `<is>` of
//! an inline string cell), rich runs joined, phonetic runs left out, Excel's `_xHHHH_` escapes
//! resolved.

use std::borrow::Cow;

use memchr::memchr;

use super::tokens::{local, text, Decline, Scan, Token, Tokens};

/// The shared strings part (`xl/sharedStrings.xml`).
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    /// Every item, one after the other.
    text: String,
    /// Where each item ends in `text`.
    ends: Vec<usize>,
}

impl SharedStrings {
    /// Item `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// Reads the part as calamine's `read_shared_strings` does: every `<si>` of `<sst>`.
    pub fn parse(xml: &str) -> Scan<SharedStrings> {
        let mut t = Tokens::new(xml)?;
        let mut out = SharedStrings {
            text: String::with_capacity(xml.len() / 2),
            ends: Vec::new(),
        };
        loop {
            match t.next()? {
                Some(Token::Start(e)) if e.local() == "sst" => break,
                Some(_) => {}
                None => return Err(Decline("no <sst> in the shared strings")),
            }
        }
        loop {
            match t.next()? {
                Some(Token::Start(e)) if e.local() == "si" => {
                    item(&mut t, e.name, &mut out.text)?;
                    out.ends.push(out.text.len());
                }
                Some(Token::End(n)) if local(n) == "sst" => return Ok(out),
                Some(_) => {}
                None => return Err(Decline("the shared strings end inside <sst>")),
            }
        }
    }
}

/// Appends to `out` the text of the string item named `item` whose start tag was just read (calamine's
/// `read_string_with_bufs`): every `<t>` outside a phonetic `<rPh>`, in order, each trimmed of
/// ASCII white space unless it says `xml:space="preserve"`, then unescaped (`_xHHHH_`).
pub(crate) fn item(t: &mut Tokens<'_>, item: &str, out: &mut String) -> Scan<()> {
    let mut phonetic = false;
    loop {
        match t.next()? {
            Some(Token::End(n)) if n == item => return Ok(()),
            Some(Token::End(n)) if local(n) == "rPh" => phonetic = false,
            Some(Token::Start(e)) if e.local() == "rPh" => phonetic = true,
            Some(Token::Start(e)) if e.local() == "t" && !phonetic => {
                let preserve = e.attr("xml:space")? == Some("preserve");
                let raw = t.leaf_text()?;
                let value = text(raw)?;
                let value = if preserve {
                    &value[..]
                } else {
                    value.trim_matches([' ', '\t', '\r', '\n'])
                };
                out.push_str(&unescape_excel(value));
            }
            Some(_) => {}
            None => return Err(Decline("a string item that does not end")),
        }
    }
}

/// Length of an escape `_xHHHH_`.
const ESCAPE_LEN: usize = 7;

/// Resolves Excel's escapes of characters XML cannot hold: `_x000D_` is a UTF-16 code unit
/// (a pair of them for a character beyond the BMP; a lone surrogate is U+FFFD). calamine's
/// `unescape_xml`; most text has none and is not copied.
pub(crate) fn unescape_excel(s: &str) -> Cow<'_, str> {
    let Some((mut at, mut unit)) = find_escape(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        out.push_str(&s[copied..at]);
        at += ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match parse_escape(s, at) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                    at += ESCAPE_LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = at;
        match find_escape(s, at) {
            Some(next) => (at, unit) = next,
            None => break,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// The first escape at or after byte `from`, and its code unit.
fn find_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(i) = memchr(b'_', s.as_bytes().get(from..)?) {
        let at = from + i;
        if let Some(unit) = parse_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

/// The code unit of an escape `_xHHHH_` at byte `at` (the writer escapes such a text's `_`).
pub(crate) fn parse_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + ESCAPE_LEN)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_join_runs_and_leave_out_phonetics() {
        let xml = r#"<?xml version="1.0"?><sst xmlns="x" count="4" uniqueCount="4">
<si><t> 城区 </t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve"> a </t></r><r><t>b&amp;c</t></r><rPh sb="0" eb="1"><t>ピン</t></rPh><phoneticPr fontId="1"/></si>
<si/><si><t>_x000D__x005F_x0041_ _xD83D__xDCF7_</t></si></sst>"#;
        let s = SharedStrings::parse(xml).unwrap();
        assert_eq!(s.get(0), Some("城区"));
        assert_eq!(s.get(1), Some(" a b&c"));
        assert_eq!(s.get(2), Some(""));
        assert_eq!(s.get(3), Some("\r_x0041_ \u{1F4F7}"));
        assert_eq!(s.get(4), None);
    }

    #[test]
    fn odd_escapes_stay_or_become_replacement_characters() {
        assert_eq!(unescape_excel("plain"), Cow::Borrowed("plain"));
        assert_eq!(unescape_excel("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_excel("_xDCF7_"), "\u{FFFD}");
        assert_eq!(unescape_excel("_x00zz_ _x0041"), "_x00zz_ _x0041");
    }
}
