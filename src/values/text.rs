//! Free-text checks: placeholders (S07), phone numbers and e-mail (A2-08, A3-09), government
//! bodies (A2-07), dates named in prose (A2-29), addresses (A3-01) and the A3 备注3 statements
//! (A3-03, A3-04). Every function folds its input itself and runs in linear time.

use super::{fold, normalize_label};
use std::collections::HashSet;

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

/// A template placeholder left in place (`× × ×`, `xx`, `202X.XX`, `2024 年 月 日`).
///
/// True for: a run of two or more `×` (spaces between allowed: `1. × × ×`); a run of two or more
/// `x`/`X` not touching another ASCII letter (`xx县`, `xxx年xx月`, `202X.XX`, but not
/// `maxx@163.com`); a year with its last digit left as `X` (`202X`); an untouched date, i.e. 年
/// followed by 月 with only whitespace between (`2024 年 月 日`), 月 followed by 日 with whitespace
/// only between, `年月日` with nothing between, or a year followed directly by `月` (`2024年月`).
pub fn is_placeholder(s: &str) -> bool {
    // Every placeholder holds one of these (after folding, `ｘ`/`Ｘ` become `x`/`X`); most cells
    // hold none, and need no folding.
    if !s.contains(['×', '╳', 'x', 'X', 'ｘ', 'Ｘ', '年', '月']) {
        return false;
    }
    let c: Vec<char> = fold(s).chars().collect();
    let n = c.len();
    let mut times = 0;
    let mut i = 0;
    while i < n {
        let ch = c[i];
        // × runs, whitespace allowed between.
        if ch == '×' || ch == '╳' {
            times += 1;
            if times >= 2 {
                return true;
            }
        } else if !ch.is_whitespace() {
            times = 0;
        }
        // x runs.
        if ch == 'x' || ch == 'X' {
            let start = i;
            while i < n && (c[i] == 'x' || c[i] == 'X') {
                i += 1;
            }
            let len = i - start;
            let before_letter = start > 0 && c[start - 1].is_ascii_alphabetic();
            let after_letter = i < n && c[i].is_ascii_alphabetic();
            if len >= 2 && !before_letter && !after_letter {
                return true;
            }
            // 202X: three digits (not four) then one X, then no letter or digit.
            if len == 1
                && start >= 3
                && c[start - 3..start].iter().all(|d| d.is_ascii_digit())
                && (start == 3 || !c[start - 4].is_ascii_alphanumeric())
                && (i == n || !c[i].is_ascii_alphanumeric())
                && matches!(c[start - 3], '1' | '2')
            {
                return true;
            }
            times = 0;
            continue;
        }
        // Untouched dates.
        if ch == '年' || ch == '月' {
            let mut j = i + 1;
            while j < n && c[j].is_whitespace() {
                j += 1;
            }
            let gap = j - i - 1;
            let want = if ch == '年' { '月' } else { '日' };
            if j < n && c[j] == want {
                if gap > 0 {
                    return true;
                }
                if ch == '年' {
                    // 年月日, or 2024年月
                    if j + 1 < n && c[j + 1] == '日' {
                        return true;
                    }
                    let mut k = i;
                    while k > 0 && c[k - 1].is_whitespace() {
                        k -= 1;
                    }
                    if k > 0 && c[k - 1].is_ascii_digit() {
                        return true;
                    }
                }
            }
        }
        i += 1;
    }
    false
}

/// Maximal runs of ASCII digits: (start, end) indices into `c`.
fn digit_runs(c: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_ascii_digit() {
            let s = i;
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((s, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Characters that make a number after them a quantity, a date or a house number, not a phone.
const NOT_PHONE_AFTER: &[char] = &[
    '元', '户', '套', '年', '月', '日', '号', '万', '米', '人', '个', '平', '亿', '间', '栋', '次',
    '件', '%', '㎡', '排', '楼', '室', '幢', '单',
];

fn is_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Contains a mobile number (`1[3-9]` + 9 digits) or a landline (7-8 digits, optional area code).
///
/// The number must not be part of a longer digit run. A mobile may carry `86` in front or be
/// written `139-0356-3218` / `139 0356 3218`. A landline is a 7-8 digit local number starting
/// with 2-9 (`2285683`; `0356-2285683` and `(0356)2285683` contain one), or area code and number
/// written together (`03562285683`, 10-12 digits starting with 0). A run followed by a unit
/// (`元`, `户`, `号`…), part of a decimal (`1234567.5`), or an 8-digit run that is a date
/// (`20240731`) is not a phone.
pub fn has_phone(s: &str) -> bool {
    let c: Vec<char> = fold(s).chars().collect();
    let runs = digit_runs(&c);
    for (k, &(a, b)) in runs.iter().enumerate() {
        let d: String = c[a..b].iter().collect();
        let len = b - a;
        if is_mobile(&d) || (len == 13 && d.starts_with("86") && is_mobile(&d[2..])) {
            return true;
        }
        // 139-0356-3218
        if len == 3 && k + 2 < runs.len() {
            let (a1, b1) = runs[k + 1];
            let (a2, b2) = runs[k + 2];
            let sep = |x: usize, y: usize| y == x + 1 && matches!(c[x], '-' | ' ');
            if b1 - a1 == 4 && b2 - a2 == 4 && sep(b, a1) && sep(b1, a2) {
                let joined: String = c[a..b].iter().chain(&c[a1..b1]).chain(&c[a2..b2]).collect();
                if is_mobile(&joined) {
                    return true;
                }
            }
        }
        let decimal = (b + 1 < c.len() && c[b] == '.' && c[b + 1].is_ascii_digit())
            || (a >= 2 && c[a - 1] == '.' && c[a - 2].is_ascii_digit());
        if decimal {
            continue;
        }
        let next = c[b..].iter().find(|ch| !ch.is_whitespace());
        if next.is_some_and(|ch| NOT_PHONE_AFTER.contains(ch)) {
            continue;
        }
        let first = d.as_bytes()[0];
        if (7..=8).contains(&len) && (b'2'..=b'9').contains(&first) {
            if len == 8 && looks_like_date(&d) {
                continue;
            }
            return true;
        }
        if (10..=12).contains(&len) && first == b'0' && d.as_bytes()[1] != b'0' {
            return true;
        }
    }
    false
}

fn looks_like_date(d: &str) -> bool {
    let y: i32 = d[0..4].parse().unwrap_or(0);
    let m: u32 = d[4..6].parse().unwrap_or(0);
    let dd: u32 = d[6..8].parse().unwrap_or(0);
    (1990..=2099).contains(&y) && chrono::NaiveDate::from_ymd_opt(y, m, dd).is_some()
}

/// Contains an e-mail address: `local@domain.tld` with an ASCII local part and a domain that has
/// a dot and a top-level label of at least two letters.
fn has_email(c: &[char]) -> bool {
    let local = |ch: char| ch.is_ascii_alphanumeric() || "._%+-".contains(ch);
    for (p, &ch) in c.iter().enumerate() {
        if ch != '@' {
            continue;
        }
        if p == 0 || !local(c[p - 1]) {
            continue;
        }
        let mut e = p + 1;
        while e < c.len() && (c[e].is_ascii_alphanumeric() || c[e] == '.' || c[e] == '-') {
            e += 1;
        }
        let domain: String = c[p + 1..e].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let Some((host, tld)) = domain.rsplit_once('.') else {
            continue;
        };
        if !host.is_empty()
            && host.starts_with(|x: char| x.is_ascii_alphanumeric())
            && tld.len() >= 2
            && tld.chars().all(|x| x.is_ascii_alphabetic())
        {
            return true;
        }
    }
    false
}

/// A3-09: holds a phone number ([`has_phone`]) or an e-mail address.
pub fn has_contact(s: &str) -> bool {
    if has_phone(s) {
        return true;
    }
    let c: Vec<char> = fold(s).chars().collect();
    has_email(&c)
}

/// Titles and labels that are no name (longest first where one contains another).
const TITLES: &[&str] = &[
    "主任科员",
    "党组书记",
    "党委书记",
    "办公电话",
    "联系电话",
    "联系方式",
    "工作人员",
    "总经理",
    "工程师",
    "副局长",
    "副主任",
    "副科长",
    "副股长",
    "副所长",
    "副站长",
    "副书记",
    "副县长",
    "副区长",
    "副镇长",
    "副乡长",
    "副市长",
    "副主席",
    "副处长",
    "副队长",
    "副部长",
    "副组长",
    "负责人",
    "联系人",
    "责任人",
    "网格员",
    "局长",
    "主任",
    "科长",
    "股长",
    "所长",
    "站长",
    "经理",
    "书记",
    "县长",
    "区长",
    "镇长",
    "乡长",
    "市长",
    "主席",
    "处长",
    "队长",
    "组长",
    "部长",
    "电话",
    "手机",
    "座机",
    "同志",
    "先生",
    "女士",
    "科员",
    "干部",
    "专干",
    "主管",
    "分管",
    "领导",
    "委员",
    "秘书",
    "专员",
    "姓名",
    "号码",
];

/// Words that end the name of an organisation (so a segment ending in them is no person).
const ORG_ENDINGS: &[&str] = &[
    "局", "委", "办", "部", "政府", "中心", "处", "所", "站", "队", "院", "科", "股", "室", "组",
    "会", "厅", "镇", "乡", "街道", "社区", "村", "公司", "集团", "县", "区", "市", "省",
];

/// Segments of Han text with the title words cut out: `县住建局局长王建军` → `县住建局`, `王建军`.
fn han_segments(s: &str) -> Vec<String> {
    let c: Vec<char> = fold(s).chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < c.len() {
        if !is_han(c[i]) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            i += 1;
            continue;
        }
        let title = TITLES.iter().find(|t| {
            let mut k = i;
            t.chars().all(|tc| {
                let ok = k < c.len() && c[k] == tc;
                k += 1;
                ok
            })
        });
        if let Some(t) = title {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            i += t.chars().count();
            continue;
        }
        cur.push(c[i]);
        i += 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_name_like(seg: &str) -> bool {
    let n = seg.chars().count();
    (2..=4).contains(&n)
        && !ORG_ENDINGS.iter().any(|e| seg.ends_with(e))
        && !matches!(
            seg,
            "暂无" | "同上" | "见上" | "以上" | "联系" | "负责" | "无"
        )
}

/// A2-08: at least one name-like part (2-4 Han characters that are not a title such as `副局长`
/// or an organisation such as `住建局`) and a phone ([`has_phone`]).
///
/// `王建军（副局长）13903563218`, `县住建局局长王建军 13903563218`, `李明 13835611111、张华
/// 0356-2285683` are true; `13903563218`, `王建军`, `住建局 13903563218` and `王局长 13903563218`
/// (a title, no name) are false.
pub fn has_person_and_phone(s: &str) -> bool {
    has_phone(s) && han_segments(s).iter().any(|seg| is_name_like(seg))
}

/// Words that make a text a company's: any of them anywhere and the text is no government body.
const COMPANY: &[&str] = &["公司", "集团", "有限", "开发商", "企业", "置业", "项目部"];

/// Words naming a government body wherever they stand in a segment.
const BODY_WORDS: &[&str] = &[
    "政府",
    "管委会",
    "办事处",
    "指挥部",
    "委员会",
    "管理处",
    "中心",
    "街道",
    "办公室",
    "党委",
    "党工委",
    "人大",
    "政协",
    "法院",
    "检察院",
    "派出所",
];

/// Single characters naming a body when they follow at least one other character in a segment
/// of three or more (`住建局`, `住建委`, `政府办`, `xx 乡镇`).
const BODY_CHARS: &[char] = &[
    '局', '委', '办', '部', '乡', '镇', '厅', '署', '处', '所', '站',
];

/// A2-07: names a government body or its competent department (政府, 人民政府, 局, 委, 办, 部,
/// 管委会, 中心, 街道办事处, 乡, 镇, 街道, 管理处, 指挥部…) and no company.
///
/// A company word (公司, 集团, 有限, 开发商, 企业, 置业, 项目部) anywhere → false; a person alone
/// (`王建军`, `王局长`) → false; several bodies (`县住建局、xx镇人民政府`) → true. Titles are cut
/// out before looking (`王局长` is a person, not a 局).
pub fn is_government_body(s: &str) -> bool {
    let flat = normalize_label(s);
    if COMPANY.iter().any(|w| flat.contains(w)) {
        return false;
    }
    // Multi-character body words are looked for in the whole text (a title cut out of
    // `委员会` must not hide it); single characters only once titles are cut out (`王局长`).
    BODY_WORDS.iter().any(|w| flat.contains(w))
        || han_segments(s).iter().any(|seg| {
            seg.chars().count() >= 3 && seg.chars().skip(1).any(|c| BODY_CHARS.contains(&c))
        })
}

/// A2-29: names a date or month: `2024年11月底前`, `11月底`, `2024.12`, `年底前`, `2025年6月`,
/// `30日前`, `十一月`, `上旬`.
pub fn names_a_date(s: &str) -> bool {
    let f = fold(s);
    const WORDS: &[&str] = &[
        "年底",
        "年末",
        "年初",
        "月底",
        "月末",
        "月初",
        "上旬",
        "中旬",
        "下旬",
        "上半年",
        "下半年",
        "季度",
    ];
    if WORDS.iter().any(|w| f.contains(w)) {
        return true;
    }
    let c: Vec<char> = f.chars().collect();
    let next_non_space = |mut k: usize| {
        while k < c.len() && c[k].is_whitespace() {
            k += 1;
        }
        (k, c.get(k).copied())
    };
    for (k, &ch) in c.iter().enumerate() {
        if ch == '月' && k > 0 && "一二三四五六七八九十正腊".contains(c[k - 1]) {
            return true;
        }
    }
    let runs = digit_runs(&c);
    for (k, &(a, b)) in runs.iter().enumerate() {
        let len = b - a;
        let (after, next) = next_non_space(b);
        match next {
            Some('月') | Some('日') | Some('号') if len <= 2 => return true,
            Some('年') if len == 4 => return true,
            Some('.') | Some('-') | Some('/') if len == 4 => {
                if let Some(&(a1, b1)) = runs.get(k + 1) {
                    let month: u32 = c[a1..b1].iter().collect::<String>().parse().unwrap_or(0);
                    if a1 == after + 1 && b1 - a1 <= 2 && (1..=12).contains(&month) {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// Parts of an address below the county (A3 备注1: `xx 街(路) xx 小区 xx 排 xx 号`).
const STREET_PARTS: &[&str] = &[
    "街", "路", "巷", "道", "小区", "村", "社区", "排", "号", "楼",
];

/// A3-01: starts with one of `counties` and has a street-or-estate part after it.
///
/// A county matches by its full name (`泽州县`) or without its 县/区/市 suffix when two or more
/// characters remain (`泽州`; `城区` has no short form), optionally after a province and/or city
/// (`山西省晋城市泽州县…`). Whitespace is ignored.
pub fn address_has_shape(s: &str, counties: &[&str]) -> bool {
    Counties::new(counties).address_has_shape(s)
}

/// The county names of [`address_has_shape`], prepared once for the many addresses of a sheet:
/// the check is then a lookup per prefix of the address, whatever the number of units.
#[derive(Debug, Clone, Default)]
pub struct Counties {
    /// Full and short names, normalised (`normalize_label`).
    names: HashSet<String>,
    /// The longest name, in characters.
    max_chars: usize,
}

impl Counties {
    pub fn new(counties: &[&str]) -> Counties {
        let mut names = HashSet::new();
        for c in counties {
            let c = normalize_label(c);
            if c.is_empty() {
                continue;
            }
            if let Some(short) = c.strip_suffix(['县', '区', '市']) {
                if short.chars().count() >= 2 {
                    names.insert(short.to_string());
                }
            }
            names.insert(c);
        }
        let max_chars = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        Counties { names, max_chars }
    }

    /// A3-01 for one address: see [`address_has_shape`].
    pub fn address_has_shape(&self, s: &str) -> bool {
        let flat = normalize_label(s);
        // Where a county may start: the beginning, or after a leading province/city (≤ 10 chars).
        let mut starts = vec![0usize];
        for (i, ch) in flat.char_indices().take(10) {
            if !is_han(ch) {
                break;
            }
            if ch == '市' || ch == '省' {
                starts.push(i + ch.len_utf8());
            }
        }
        starts.iter().any(|&p| {
            let tail = &flat[p..];
            // Every non-empty prefix of the tail up to the longest name, at char boundaries.
            tail.char_indices()
                .skip(1)
                .map(|(i, _)| i)
                .chain(std::iter::once(tail.len()))
                .take(self.max_chars)
                .any(|end| {
                    self.names.contains(&tail[..end])
                        && STREET_PARTS.iter().any(|w| tail[end..].contains(w))
                })
        })
    }
}

/// A3-03: the result says the case is not overdue: `不属于逾期未回迁` together with a date
/// ([`names_a_date`]), or that the person was resettled (`已在…回迁安置`, `已回迁安置`, or
/// `妥善安置` not preceded by 未/没/待/无/尚).
pub fn states_not_overdue(s: &str) -> bool {
    let f = normalize_label(s);
    if f.contains("不属于逾期未回迁") && names_a_date(&f) {
        return true;
    }
    if f.find("已在").is_some_and(|i| f[i..].contains("回迁安置")) || f.contains("已回迁安置")
    {
        return true;
    }
    f.match_indices("妥善安置").any(|(i, _)| {
        !f[..i]
            .chars()
            .next_back()
            .is_some_and(|c| "未没待无尚".contains(c))
    })
}

/// A3-04: the result says `不属于棚改征收` and names the kind of expropriation: `属于…类`
/// (`属于道路改造类征收`) or `…类…征收` (`房地产开发类征收`).
pub fn states_not_shantytown(s: &str) -> bool {
    let f = normalize_label(s);
    if !f.contains("不属于棚改征收") {
        return false;
    }
    let rest = f.replace("不属于棚改征收", "、");
    let belongs = rest.find("属于").is_some_and(|i| {
        let after = &rest[i + "属于".len()..];
        let mut chars = after.chars();
        chars.next().is_some_and(|c| c != '类') && chars.as_str().contains('类')
    });
    let kind = rest
        .find('类')
        .is_some_and(|j| j > 0 && rest[j..].contains("征收"));
    belongs || kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for s in [
            "× × ×",
            "×××",
            "××",
            "1. × × ×",
            "典型问题 1. × × × 整改结果:",
            "xx",
            "XX",
            "xxx年xx月",
            "202X.XX",
            "202X",
            "xx县xx街",
            "xx 县(区) xx 街(路) xx 小区 xx 排 xx 号",
            "已发放至xxx年xx月",
            "2024 年 月 日",
            "填报时间: 2024 年 月 日",
            "年 月 日",
            "年月日",
            "2024年月日",
            "2024年月",
            "2024 年 10 月 日",
            "ｘｘ",
            "××镇",
            "xx@163.com",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in [
            "",
            "×",
            "x",
            "maxx@163.com",
            "Xxiaoming",
            "foxx",
            "2024年10月11日",
            "2024年10月",
            "每年月底前发放",
            "泽州县住建局",
            "0x1F",
            "2024X",
            "12X",
            "2020",
            "XXL",
            "box x",
            "每月",
            "年底",
        ] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn phones() {
        for s in [
            "13903563218",
            "王建军（副局长）13903563218",
            "李明 13835611111、张华 0356-2285683",
            "0356-2285683",
            "(0356)2285683",
            "（0356）2285683",
            "2285683",
            "22856838",
            "03562285683",
            "0356 2285683",
            "+8613903563218",
            "+86 139 0356 3218",
            "139-0356-3218",
            "１３９０３５６３２１８",
            "电话:19903563218",
            "王建军13903563218",
            "13903563218王建军",
        ] {
            assert!(has_phone(s), "{s}");
        }
        for s in [
            "",
            "王建军",
            "12345",
            "139035632",
            "139035632180",
            "23903563218",
            "12903563218",
            "20240731",
            "1234567",
            "0123456",
            "140525198001011234",
            "欠发金额3500000元",
            "3500000.50",
            "2285683号",
            "228-5683",
            "0356-228568",
            "12345678901234",
        ] {
            assert!(!has_phone(s), "{s}");
        }
    }

    #[test]
    fn contacts() {
        for s in [
            "13903563218",
            "张三 0356-2285683",
            "maxx@163.com",
            "123456@qq.com",
            "王女士，wang.li@jc.gov.cn",
            "ｗａｎｇ＠１６３．ｃｏｍ",
        ] {
            assert!(has_contact(s), "{s}");
        }
        for s in [
            "",
            "匿名",
            "王女士",
            "@163.com",
            "wang@",
            "wang@163",
            "wang@.com",
            "a@b.c",
            "@@@",
        ] {
            assert!(!has_contact(s), "{s}");
        }
    }

    #[test]
    fn persons_with_phones() {
        for s in [
            "王建军（副局长）13903563218",
            "李明 13835611111、张华 0356-2285683",
            "县住建局局长王建军13903563218",
            "王建军 13903563218",
            "张工 0356-2285683",
            "欧阳明华13903563218",
            "王建军，副局长，13903563218",
        ] {
            assert!(has_person_and_phone(s), "{s}");
        }
        for s in [
            "13903563218",
            "王建军",
            "住建局 13903563218",
            "王局长 13903563218",
            "副局长 13903563218",
            "电话 13903563218",
            "县住建局 0356-2285683",
            "",
            "王建军 2024年",
        ] {
            assert!(!has_person_and_phone(s), "{s}");
        }
    }

    #[test]
    fn government_bodies() {
        for s in [
            "县住建局",
            "泽州县住房和城乡建设局",
            "县住建局、xx镇人民政府",
            "北石店镇人民政府",
            "北石店镇",
            "市住建委",
            "县政府办",
            "开发区管委会",
            "西街街道办事处",
            "县棚改指挥部",
            "县房产服务中心",
            "县住建局 王建军",
            "城区人民政府",
            "县住建局（牵头）、县自然资源局",
            "县棚改工作委员会",
            "镇党委",
            "住建部门",
            "县住建局局长王建军",
        ] {
            assert!(is_government_body(s), "{s}");
        }
        for s in [
            "王建军",
            "王建军、李明",
            "王局长",
            "晋城市xx房地产开发有限公司",
            "县住建局、xx置业有限公司",
            "某某集团",
            "开发商",
            "中建三局项目部",
            "",
            "xx",
            "镇",
            "13903563218",
        ] {
            assert!(!is_government_body(s), "{s}");
        }
    }

    #[test]
    fn dates_in_prose() {
        for s in [
            "2024年11月底前",
            "11月底",
            "2024.12",
            "年底前",
            "2025年6月",
            "计划于6 月完成",
            "十一月完成交付",
            "30日前完成",
            "2024-12-31",
            "2024/6",
            "２０２５年６月",
            "力争上半年交付",
        ] {
            assert!(names_a_date(s), "{s}");
        }
        for s in [
            "",
            "正在施工",
            "已发放过渡费120户",
            "共3栋楼",
            "xxxx年xx月",
            "2024.13",
            "12345",
            "每月",
        ] {
            assert!(!names_a_date(s), "{s}");
        }
    }

    #[test]
    fn addresses() {
        let counties = ["城区", "泽州县", "高平市", "阳城县"];
        for s in [
            "泽州县北石店镇xx小区3排5号",
            "泽州县 金村镇 东街 5号",
            "泽州金村镇府城村",
            "晋城市泽州县南村镇张村",
            "山西省晋城市城区西街12号",
            "城区凤台东街",
            "高平市建设路8号",
            "高平建设路8号",
            "阳城县凤城镇新阳社区",
        ] {
            assert!(address_has_shape(s, &counties), "{s}");
        }
        for s in [
            "",
            "泽州县",
            "北石店镇xx小区",
            "城凤台东街",
            "沁水县龙港镇西街",
            "晋城市",
            "泽州县北义城镇",
            "小区3排5号泽州县",
        ] {
            assert!(!address_has_shape(s, &counties), "{s}");
        }
        assert!(!address_has_shape("泽州县xx街", &[]));
    }

    #[test]
    fn not_overdue_statements() {
        for s in [
            "经核实该投诉人反映的问题是棚改征收，签订回迁安置时间是2025年6月30日，不属于逾期未回迁",
            "不属于逾期未回迁，约定2025年底前回迁",
            "该投诉人已在阳光小区回迁安置",
            "已在 xx 小区 回迁安置",
            "已采取货币补偿方式妥善安置",
            "已回迁安置",
        ] {
            assert!(states_not_overdue(s), "{s}");
        }
        for s in [
            "",
            "不属于逾期未回迁",
            "正在协调",
            "尚未妥善安置",
            "未妥善安置",
            "回迁安置正在推进",
        ] {
            assert!(!states_not_overdue(s), "{s}");
        }
    }

    #[test]
    fn not_shantytown_statements() {
        for s in [
            "经核实该投诉人反映的问题不属于棚改征收，属于道路改造类征收。",
            "不属于棚改征收，属于房地产开发类征收",
            "不属于棚改征收,属于违建临建类",
            "不属于棚改征收，系道路改造类征收",
        ] {
            assert!(states_not_shantytown(s), "{s}");
        }
        for s in [
            "",
            "不属于棚改征收",
            "属于道路改造类征收",
            "不属于棚改征收，已告知",
            "不属于棚改征收，属于类",
        ] {
            assert!(!states_not_shantytown(s), "{s}");
        }
    }

    #[test]
    fn long_text_is_linear() {
        let big = [
            "1".repeat(100_000),
            "x".repeat(100_000),
            "×a".repeat(50_000),
            "年".repeat(100_000),
            "年 ".repeat(50_000),
            "@".repeat(100_000),
            "a@".repeat(50_000),
            "王".repeat(100_000),
            "局长".repeat(50_000),
            "139 ".repeat(25_000),
            "已在".repeat(50_000),
            "属于".repeat(50_000),
            "类".repeat(100_000),
            "2024.".repeat(20_000),
        ];
        let start = std::time::Instant::now();
        for s in &big {
            is_placeholder(s);
            has_phone(s);
            has_contact(s);
            has_person_and_phone(s);
            is_government_body(s);
            names_a_date(s);
            address_has_shape(s, &["泽州县", "城区"]);
            states_not_overdue(s);
            states_not_shantytown(s);
        }
        // Debug build, shared CPUs: generous, but a quadratic scan would take minutes.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
