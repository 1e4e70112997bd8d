//! A small, strict XML tokenizer for the direct xlsx reader (`direct`, `sheet_xml`, `sst`,
//! `styles`): start tags with their raw attributes, end tags and text, over a part already
//! checked to be UTF-8. An empty element comes as its start tag followed by its end tag, as
//! calamine has quick-xml give it (`expand_empty_elements`), so the readers can follow
//! calamine's loops event for event.
//!
//! It accepts less than quick-xml: whatever it cannot be sure quick-xml reads the same way (a
//! comment, CDATA, a processing instruction, a DOCTYPE, an end tag that does not close the open
//! element, a malformed attribute or reference, an encoding other than UTF-8) is a `Decline`,
//! and calamine reads the package instead.

use std::borrow::Cow;

use memchr::memchr;

/// Why the direct reader handed a package back to calamine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decline(pub &'static str);

/// A result of the direct reader: a `Decline` sends the package to calamine.
pub(crate) type Scan<T> = Result<T, Decline>;

/// One token of a part.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'a> {
    Start(Tag<'a>),
    /// An end tag, by its qualified name.
    End(&'a str),
    Text(&'a str),
}

/// A start tag.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'a> {
    /// The qualified name (`c`, `x:c`).
    pub name: &'a str,
    /// The raw attributes, between the name and `>` or `/>`.
    attrs: &'a str,
}

impl<'a> Tag<'a> {
    /// The name without its prefix, as quick-xml's `local_name`.
    pub fn local(&self) -> &'a str {
        local(self.name)
    }

    /// The raw values of the attributes named `keys` (exactly, prefix included, as calamine's
    /// `get_attrs!` and `raw_attr` match them), not decoded. Every attribute is checked; one
    /// malformed, or a key given twice, declines.
    pub fn get<const N: usize>(&self, keys: [&str; N]) -> Scan<[Option<&'a str>; N]> {
        let mut out = [None; N];
        for a in self.attrs() {
            let (k, v) = a?;
            if let Some(i) = keys.iter().position(|key| same(key, k)) {
                if out[i].replace(v).is_some() {
                    return Err(Decline("an attribute given twice"));
                }
            }
        }
        Ok(out)
    }

    /// The raw value of the attribute `key` (see `get`).
    pub fn attr(&self, key: &str) -> Scan<Option<&'a str>> {
        Ok(self.get([key])?[0])
    }

    /// Every attribute, checked: malformed ones decline.
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs {
            raw: self.attrs,
            pos: 0,
        }
    }

    /// Checks that every attribute is well formed and that every value decodes (calamine reads
    /// some attributes of every element of the styles part and decodes some).
    pub fn check(&self) -> Scan<()> {
        for a in self.attrs() {
            attr_value(a?.1)?;
        }
        Ok(())
    }
}

/// A name without its prefix (up to the first `:`), as quick-xml's `local_name`.
pub(crate) fn local(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// `a == b`, compared in line: names are a few bytes long, shorter than a call to `memcmp`.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The first `needle` at or after `from`: runs are mostly short (a cell's value, the space
/// between two tags), so a few bytes are looked at in line before `memchr`.
#[inline]
fn find(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    let near = b.len().min(from + 16);
    if let Some(i) = b[from..near].iter().position(|&c| c == needle) {
        return Some(from + i);
    }
    memchr(needle, &b[near..]).map(|i| near + i)
}

/// Byte classes, looked up in one load where the scanners test every byte.
const SPACE: u8 = 1;
/// Ends a name: white space, `/`, `>`.
const NAME_END: u8 = 2;
/// May be in a name: ASCII letters and digits, `_`, `-`, `.`, `:`.
const NAME: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            t[b] |= SPACE | NAME_END;
        }
        if matches!(c, b'/' | b'>') {
            t[b] |= NAME_END;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':') {
            t[b] |= NAME;
        }
        b += 1;
    }
    t
};

#[inline]
fn is_space(b: u8) -> bool {
    CLASS[b as usize] & SPACE != 0
}

/// A name of plain ASCII letters, digits, `_`, `-`, `.`, with at most one `:` (a prefix).
fn valid_name(name: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (name.first(), name.last()) else {
        return false;
    };
    let mut colons = 0;
    for &b in name {
        if CLASS[b as usize] & NAME == 0 {
            return false;
        }
        colons += usize::from(b == b':');
    }
    (first.is_ascii_alphabetic() || first == b'_') && colons <= 1 && last != b':'
}

/// The attribute `key="value"` (or `'value'`, spaces around `=` allowed) starting at byte `i`
/// of `xml`: its raw key and value and the byte after its closing quote.
#[inline]
fn attribute(xml: &str, mut i: usize) -> Scan<(&str, &str, usize)> {
    const BAD: Decline = Decline("a malformed attribute");
    let b = xml.as_bytes();
    let key_start = i;
    while i < b.len() && b[i] != b'=' && !is_space(b[i]) {
        i += 1;
    }
    let key = &xml[key_start..i];
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if !valid_name(key.as_bytes()) || b.get(i) != Some(&b'=') {
        return Err(BAD);
    }
    i += 1;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let quote = match b.get(i) {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Err(BAD),
    };
    let from = i + 1;
    i = from;
    while i < b.len() && b[i] != quote {
        if b[i] == b'<' {
            return Err(BAD);
        }
        i += 1;
    }
    if i >= b.len() {
        return Err(BAD);
    }
    Ok((key, &xml[from..i], i + 1))
}

/// The attributes of a start tag, in order, as raw `(key, value)`.
pub(crate) struct Attrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Scan<(&'a str, &'a str)>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.raw.as_bytes();
        let mut i = self.pos;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            self.pos = i;
            return None;
        }
        let item = self.one(i);
        if item.is_err() {
            self.pos = b.len();
        }
        Some(item)
    }
}

impl<'a> Attrs<'a> {
    /// The attribute starting at byte `i`; moves past it.
    fn one(&mut self, i: usize) -> Scan<(&'a str, &'a str)> {
        const BAD: Decline = Decline("a malformed attribute");
        let b = self.raw.as_bytes();
        let (key, value, i) = attribute(self.raw, i)?;
        if b.get(i).is_some_and(|&c| !is_space(c)) {
            return Err(BAD);
        }
        self.pos = i;
        Ok((key, value))
    }
}

/// The tokens of one part.
pub(crate) struct Tokens<'a> {
    xml: &'a str,
    pos: usize,
    /// The open elements, innermost last.
    open: Vec<&'a str>,
    /// The end tag owed for an empty element just given as its start tag.
    owed_end: Option<&'a str>,
    /// Whether the part holds an `&` at all (if not, no text needs its references checked).
    has_refs: bool,
}

impl<'a> Tokens<'a> {
    /// The tokens of `xml`, after its byte-order mark (UTF-8's, which quick-xml drops) and its
    /// XML declaration, which may only name UTF-8.
    pub fn new(xml: &'a str) -> Scan<Tokens<'a>> {
        let bom = if xml.starts_with('\u{feff}') { 3 } else { 0 };
        let mut pos = bom;
        if let Some(rest) = xml[bom..].strip_prefix("<?xml") {
            if !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
                return Err(Decline("a processing instruction"));
            }
            let end = rest
                .find("?>")
                .ok_or(Decline("an unterminated XML declaration"))?;
            let decl = Tag {
                name: "xml",
                attrs: &rest[..end],
            };
            if decl
                .attr("encoding")?
                .is_some_and(|e| !e.eq_ignore_ascii_case("utf-8"))
            {
                return Err(Decline("an encoding other than UTF-8"));
            }
            pos = bom + "<?xml".len() + end + 2;
        }
        Ok(Tokens {
            xml,
            pos,
            open: Vec::with_capacity(16),
            owed_end: None,
            has_refs: memchr(b'&', xml.as_bytes()).is_some(),
        })
    }

    /// The next token; `None` at the end of the part.
    pub fn next(&mut self) -> Scan<Option<Token<'a>>> {
        if let Some(name) = self.owed_end.take() {
            return Ok(Some(Token::End(name)));
        }
        let b = self.xml.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return Ok(None);
        }
        if b[start] != b'<' {
            let end = find(b, start, b'<').unwrap_or(b.len());
            self.pos = end;
            let text = &self.xml[start..end];
            if self.has_refs && memchr(b'&', text.as_bytes()).is_some() {
                self::text(text)?;
            }
            return Ok(Some(Token::Text(text)));
        }
        match b.get(start + 1) {
            Some(b'/') => {
                let (name, after) = end_tag(self.xml, start)?;
                if !self.open.pop().is_some_and(|open| same(open, name)) {
                    return Err(Decline("an end tag that closes no open element"));
                }
                self.pos = after;
                Ok(Some(Token::End(name)))
            }
            Some(b'!' | b'?') => Err(Decline("a comment, CDATA or processing instruction")),
            _ => {
                let (name, name_end) = start_name(self.xml, start)?;
                let gt = tag_end(b, name_end).ok_or(Decline("an unterminated tag"))?;
                let empty = b[gt - 1] == b'/';
                let attrs_end = if empty { gt - 1 } else { gt };
                if name_end > attrs_end || (b[name_end] == b'/' && name_end != attrs_end) {
                    return Err(Decline("a malformed tag"));
                }
                self.pos = gt + 1;
                if empty {
                    self.owed_end = Some(name);
                } else {
                    self.open.push(name);
                }
                Ok(Some(Token::Start(Tag {
                    name,
                    attrs: &self.xml[name_end..attrs_end],
                })))
            }
        }
    }

    /// The text of the element whose start tag was just read, up to its end tag, which is
    /// consumed: a leaf (`<v>`, `<f>`, `<t>`) holds text only, and any markup inside declines.
    pub fn leaf_text(&mut self) -> Scan<&'a str> {
        match self.next()? {
            Some(Token::End(_)) => Ok(""),
            Some(Token::Text(text)) => match self.next()? {
                // `next` checks the end tag against the open element: it closes this one.
                Some(Token::End(_)) => Ok(text),
                _ => Err(Decline("markup inside a leaf element")),
            },
            _ => Err(Decline("markup inside a leaf element")),
        }
    }

    /// The tokens of `xml` from byte `pos` on, inside the element `open` (whose start tag ends
    /// just before), `has_refs` as `Tokens::has_refs` of the part: for reading one element of a
    /// part the `Scanner` reads.
    pub fn within(xml: &'a str, pos: usize, open: &'a str, has_refs: bool) -> Tokens<'a> {
        Tokens {
            xml,
            pos,
            open: vec![open],
            owed_end: None,
            has_refs,
        }
    }

    /// Whether the start tag just read was of an empty element (its end tag is next).
    pub fn at_empty(&self) -> bool {
        self.owed_end.is_some()
    }

    /// Whether the part holds an `&` anywhere.
    pub fn has_refs(&self) -> bool {
        self.has_refs
    }

    /// The byte position reached.
    pub fn pos(&self) -> usize {
        self.pos
    }
}

/// A tag as the `Scanner` meets it.
pub(crate) enum Mark<'a> {
    /// A start tag, by its name: its attributes are read next (`Scanner::attrs`).
    Start(&'a str),
    /// An end tag, by its name, read.
    End(&'a str),
}

/// The tags of the sheet data read in one pass over the bytes, for the hot path of `sheet_xml`:
/// what the tokenizer accepts there, without building tokens or keeping the open elements (the
/// caller follows the nesting it accepts).
pub(crate) struct Scanner<'a> {
    pub xml: &'a str,
    pub pos: usize,
}

impl<'a> Scanner<'a> {
    /// The next tag, after white space (any other text declines).
    pub fn tag(&mut self) -> Scan<Mark<'a>> {
        let b = self.xml.as_bytes();
        let mut i = self.pos;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        if b.get(i) != Some(&b'<') {
            return Err(Decline("text in the sheet data"));
        }
        match b.get(i + 1) {
            Some(b'/') => {
                let (name, after) = end_tag(self.xml, i)?;
                self.pos = after;
                Ok(Mark::End(name))
            }
            Some(b'!' | b'?') => Err(Decline("a comment, CDATA or processing instruction")),
            _ => {
                let (name, end) = start_name(self.xml, i)?;
                self.pos = end;
                Ok(Mark::Start(name))
            }
        }
    }

    /// Reads the attributes of the start tag whose name was just read and the tag's end: whether
    /// the element is empty (`/>`), and the raw values of `keys` (as `Tag::get`; the others are
    /// checked and skipped).
    #[inline]
    pub fn get<const N: usize>(&mut self, keys: [&str; N]) -> Scan<(bool, [Option<&'a str>; N])> {
        let mut out = [None; N];
        let empty = self.attrs(|k, v| {
            if let Some(i) = keys.iter().position(|key| same(key, k)) {
                if out[i].replace(v).is_some() {
                    return Err(Decline("an attribute given twice"));
                }
            }
            Ok(())
        })?;
        Ok((empty, out))
    }

    /// Reads the attributes of the start tag whose name was just read, giving each raw key and
    /// value to `visit`, and the tag's end; whether the element is empty (`/>`).
    #[inline]
    fn attrs(&mut self, mut visit: impl FnMut(&'a str, &'a str) -> Scan<()>) -> Scan<bool> {
        const BAD: Decline = Decline("a malformed attribute");
        let b = self.xml.as_bytes();
        let mut i = self.pos;
        loop {
            let spaced = i < b.len() && is_space(b[i]);
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(b'>') => {
                    self.pos = i + 1;
                    return Ok(false);
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    self.pos = i + 2;
                    return Ok(true);
                }
                Some(_) if spaced => {}
                _ => return Err(BAD),
            }
            let (key, value, end) = attribute(self.xml, i)?;
            visit(key, value)?;
            i = end;
        }
    }

    /// The text of the leaf element `name` whose start tag was just read, up to its end tag,
    /// consumed; markup inside declines.
    pub fn leaf(&mut self, name: &str) -> Scan<&'a str> {
        let b = self.xml.as_bytes();
        let lt = find(b, self.pos, b'<').ok_or(Decline("a leaf element that does not end"))?;
        let text = &self.xml[self.pos..lt];
        self.pos = lt;
        match self.tag()? {
            Mark::End(n) if same(n, name) => Ok(text),
            _ => Err(Decline("markup inside a leaf element")),
        }
    }
}

/// Where the name starting at `from` ends: at white space, `/` or `>`.
/// The name of the start tag starting at byte `lt` of `xml` (its `<`), and the byte after it.
#[inline]
fn start_name(xml: &str, lt: usize) -> Scan<(&str, usize)> {
    let end = name_end(xml.as_bytes(), lt + 1);
    let name = &xml[lt + 1..end];
    if !valid_name(name.as_bytes()) {
        return Err(Decline("an unusual element name"));
    }
    Ok((name, end))
}

/// The end tag `</name >` starting at byte `lt` of `xml` (its `<`): the name and the byte after
/// its `>`.
#[inline]
fn end_tag(xml: &str, lt: usize) -> Scan<(&str, usize)> {
    let b = xml.as_bytes();
    let end = name_end(b, lt + 2);
    let mut i = end;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'>') {
        return Err(Decline("a malformed end tag"));
    }
    Ok((&xml[lt + 2..end], i + 1))
}

fn name_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() && CLASS[b[i] as usize] & NAME_END == 0 {
        i += 1;
    }
    i
}

/// The `>` that ends the tag whose attributes start at `from`, skipping quoted values (tags are
/// short: a plain loop).
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut quote = 0;
    for (i, &c) in b.iter().enumerate().skip(from) {
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'>' {
            return Some(i);
        } else if c == b'"' || c == b'\'' {
            quote = c;
        }
    }
    None
}

/// Character data as calamine builds it from quick-xml's events (`xml10_content` of each run
/// of text, the references between them resolved): line ends normalised to `\n`, then the five
/// predefined entities and character references resolved. Declines on any other reference.
pub(crate) fn text(raw: &str) -> Scan<Cow<'_, str>> {
    let text: Cow<'_, str> = if memchr(b'\r', raw.as_bytes()).is_some() {
        Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(raw)
    };
    if memchr(b'&', text.as_bytes()).is_none() {
        return Ok(text);
    }
    let decoded = quick_xml::escape::unescape_with(&text, quick_xml::escape::resolve_xml_entity)
        .map_err(|_| Decline("a reference that does not resolve"))?;
    Ok(Cow::Owned(decoded.into_owned()))
}

/// An attribute value decoded as calamine's `decode_attr` does (references resolved, nothing
/// normalised).
pub(crate) fn attr_value(raw: &str) -> Scan<Cow<'_, str>> {
    // Values are short: a plain loop (the tokenizer has refused a `<` in them already).
    if !raw.bytes().any(|b| b == b'&' || b == b'<') {
        return Ok(Cow::Borrowed(raw));
    }
    quick_xml::escape::unescape(raw).map_err(|_| Decline("an attribute that does not decode"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(xml: &str) -> Scan<Vec<String>> {
        let mut t = Tokens::new(xml)?;
        let mut out = Vec::new();
        while let Some(tok) = t.next()? {
            out.push(match tok {
                Token::Start(tag) => format!("<{}|{}>", tag.name, tag.attrs.trim()),
                Token::End(n) => format!("</{n}>"),
                Token::Text(s) => s.to_string(),
            });
        }
        Ok(out)
    }

    #[test]
    fn empty_elements_come_as_start_and_end() {
        let got = all(r#"<?xml version="1.0" encoding="UTF-8"?><a x="1>2"><b/><c y='q'/>t</a>"#);
        assert_eq!(
            got.unwrap(),
            [
                "<a|x=\"1>2\">",
                "<b|>",
                "</b>",
                "<c|y='q'>",
                "</c>",
                "t",
                "</a>"
            ]
        );
    }

    #[test]
    fn what_is_not_plain_declines() {
        for xml in [
            "<a><!-- c --></a>",
            "<a><![CDATA[x]]></a>",
            "<!DOCTYPE a><a/>",
            "<a><?pi?></a>",
            "<a></b>",
            "<a>x &nbsp; y</a>",
            "<a>x & y</a>",
            r#"<?xml version="1.0" encoding="GBK"?><a/>"#,
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>",
            "<a b=\"1\"",
            "<a/b>",
            "<名/>",
        ] {
            assert!(all(xml).is_err(), "{xml}");
        }
    }

    #[test]
    fn attributes_are_raw_and_checked() {
        let mut t = Tokens::new(r#"<c r="A1" s = '2' t="s"/>"#).unwrap();
        let Some(Token::Start(tag)) = t.next().unwrap() else {
            panic!()
        };
        assert_eq!(
            tag.get(["r", "s", "t", "x"]).unwrap(),
            [Some("A1"), Some("2"), Some("s"), None]
        );
        for bad in [r#"r="1" r="2""#, r#"r=1"#, r#"r"#, r#"r="1"s="2""#] {
            let tag = Tag {
                name: "c",
                attrs: bad,
            };
            assert!(tag.get(["r"]).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_is_normalised_then_resolved() {
        assert_eq!(text("a\r\nb\rc&#13;&amp;").unwrap(), "a\nb\nc\r&");
        assert!(text("&bogus;").is_err());
        assert_eq!(attr_value("a&amp;b").unwrap(), "a&b");
    }
}
