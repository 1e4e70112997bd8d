//! Which cell styles of an xlsx package make a number a date or a duration, as calamine decides
//! it: the number format of each `<xf>` of `<cellXfs>` in the styles part, a custom format
//! (`<numFmt>`) judged by its code, a built-in one by its id. The rest of the styles (fonts,
//! fills, borders) is only checked to be what calamine reads without an error.

use std::collections::HashMap;

use super::tokens::{attr_value, local, Decline, Scan, Token, Tokens};

/// What a cell style makes of a number (calamine's `CellFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellFormat {
    Other,
    DateTime,
    TimeDelta,
}

/// The format of each cell style (`s` of a cell), in order, from the styles part (calamine's
/// `read_styles`, of which only the number formats are kept).
pub(crate) fn cell_formats(xml: &str) -> Scan<Vec<CellFormat>> {
    let mut t = Tokens::new(xml)?;
    // numFmtId as written → format code.
    let mut custom: HashMap<&str, String> = HashMap::new();
    let mut formats = Vec::new();
    loop {
        let Some(token) = t.next()? else {
            return Err(Decline("the styles end inside <styleSheet>"));
        };
        let e = match token {
            Token::End(n) if local(n) == "styleSheet" => return Ok(formats),
            Token::Start(e) => e,
            _ => continue,
        };
        e.check()?;
        match e.local() {
            "numFmts" => loop {
                match t.next()? {
                    Some(Token::Start(f)) => {
                        f.check()?;
                        if f.local() == "numFmt" {
                            if let [Some(id), Some(code)] = f.get(["numFmtId", "formatCode"])? {
                                custom.insert(id, attr_value(code)?.into_owned());
                            }
                        }
                    }
                    Some(Token::End(n)) if local(n) == "numFmts" => break,
                    Some(_) => {}
                    None => return Err(Decline("the styles end inside <numFmts>")),
                }
            },
            "fonts" | "fills" | "borders" => {
                let item = &e.local()[..e.local().len() - 1];
                loop {
                    match t.next()? {
                        Some(Token::Start(f)) => {
                            f.check()?;
                            if f.local() == item {
                                skip_checked(&mut t, item)?;
                            }
                        }
                        Some(Token::End(n)) if local(n) == e.local() => break,
                        Some(_) => {}
                        None => return Err(Decline("the styles end inside a list of styles")),
                    }
                }
            }
            "cellXfs" => loop {
                match t.next()? {
                    Some(Token::Start(x)) => {
                        x.check()?;
                        if x.local() == "xf" {
                            formats.push(match x.attr("numFmtId")? {
                                None => CellFormat::Other,
                                Some(id) => match custom.get(id) {
                                    Some(code) => custom_format(code),
                                    None => builtin_format(id),
                                },
                            });
                            skip_checked(&mut t, "xf")?;
                        }
                    }
                    Some(Token::End(n)) if local(n) == "cellXfs" => break,
                    Some(_) => {}
                    None => return Err(Decline("the styles end inside <cellXfs>")),
                }
            },
            _ => {}
        }
    }
}

/// Reads on to the end of the element named `local` whose start tag was just read, checking the
/// attributes of everything inside it (calamine reads them); declines on an element of the same
/// name inside.
fn skip_checked(t: &mut Tokens<'_>, name: &str) -> Scan<()> {
    loop {
        match t.next()? {
            Some(Token::End(n)) if local(n) == name => return Ok(()),
            Some(Token::Start(e)) if e.local() == name => {
                return Err(Decline("a style inside a style"))
            }
            Some(Token::Start(e)) => e.check()?,
            Some(_) => {}
            None => return Err(Decline("the styles end inside a style")),
        }
    }
}

/// Whether a custom number format code is a date or a duration: calamine's
/// `detect_custom_number_format` (the first section only; quoted, escaped and bracketed text
/// skipped; `[h]`, `[mm]`, `[ss]` a duration).
pub(crate) fn custom_format(format: &str) -> CellFormat {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return CellFormat::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

/// A built-in number format by its id as written: calamine's `builtin_format_by_id` (14–22,
/// 27–36, 45, 47, 50–58 dates and times, 46 `[h]:mm:ss` a duration).
pub(crate) fn builtin_format(id: &str) -> CellFormat {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" => {
            CellFormat::DateTime
        }
        "27" | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51"
        | "52" | "53" | "54" | "55" | "56" | "57" | "58" => CellFormat::DateTime,
        "46" => CellFormat::TimeDelta,
        _ => CellFormat::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellFormat::*;

    #[test]
    fn formats_follow_cell_xfs() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="x"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="0.00_);[Red]\(0.00\)"/><numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0" fontId="0"/><xf numFmtId="164"><alignment horizontal="center"/></xf><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="46"/><xf/><xf numFmtId="166"/></cellXfs>
<dxfs><dxf><numFmt numFmtId="14" formatCode="0"/></dxf></dxfs></styleSheet>"#;
        assert_eq!(
            cell_formats(xml).unwrap(),
            [Other, DateTime, Other, DateTime, TimeDelta, Other, TimeDelta]
        );
        assert!(
            cell_formats("<styleSheet><fonts><font><sz val=11/></font></fonts></styleSheet>")
                .is_err()
        );
        assert!(cell_formats("<styleSheet><cellXfs><xf>").is_err());
    }

    #[test]
    fn custom_codes_as_calamine_judges_them() {
        for (code, want) in [
            ("DD/MM/YY", DateTime),
            ("H:MM:SS;@", DateTime),
            ("#,##0\\ [$\\u20bd-46D]", Other),
            ("[h]:mm:ss", TimeDelta),
            ("[>=100][Magenta][s].00", TimeDelta),
            ("[>=100][Magenta].00", Other),
            ("#,##0*y", Other),
            ("*-yyyy-mm-dd", DateTime),
            ("ha/p\\\\m", DateTime),
            ("\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@", Other),
        ] {
            assert_eq!(custom_format(code), want, "{code}");
        }
    }
}
