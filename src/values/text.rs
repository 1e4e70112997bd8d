//! Reading free text: placeholders (S07), phone numbers and e-mail, dates named in prose. The
//! wording the A2/A3 rules want (government bodies, names, addresses, the A3 statements) is in
//! `rules::wording`. Every function folds its input itself and runs in linear time.

use super::folded;

pub(crate) fn is_han(c: char) -> bool {
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
    let c: Vec<char> = folded(s).chars().collect();
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

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// The first maximal run of ASCII digits in `b` at or after `from`: (start, end) byte indices.
fn digit_run_from(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let start = from + b.get(from..)?.iter().position(u8::is_ascii_digit)?;
    let len = b[start..].iter().take_while(|d| d.is_ascii_digit()).count();
    Some((start, start + len))
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
    // Read by bytes: digits and the separators looked at are ASCII, one byte each.
    let f = folded(s);
    let (t, c) = (f.as_ref(), f.as_bytes());
    let mut next = digit_run_from(c, 0);
    while let Some((a, b)) = next {
        next = digit_run_from(c, b);
        let d = &c[a..b];
        let len = b - a;
        if is_mobile(d) || (len == 13 && d.starts_with(b"86") && is_mobile(&d[2..])) {
            return true;
        }
        // 139-0356-3218
        if let (3, Some((a1, b1))) = (len, next) {
            if let Some((a2, b2)) = digit_run_from(c, b1) {
                let sep = |x: usize, y: usize| y == x + 1 && matches!(c[x], b'-' | b' ');
                if b1 - a1 == 4 && b2 - a2 == 4 && sep(b, a1) && sep(b1, a2) {
                    let joined = [d, &c[a1..b1], &c[a2..b2]].concat();
                    if is_mobile(&joined) {
                        return true;
                    }
                }
            }
        }
        let decimal = (b + 1 < c.len() && c[b] == b'.' && c[b + 1].is_ascii_digit())
            || (a >= 2 && c[a - 1] == b'.' && c[a - 2].is_ascii_digit());
        if decimal {
            continue;
        }
        let after = t[b..].chars().find(|ch| !ch.is_whitespace());
        if after.is_some_and(|ch| NOT_PHONE_AFTER.contains(&ch)) {
            continue;
        }
        let first = d[0];
        if (7..=8).contains(&len) && (b'2'..=b'9').contains(&first) {
            if len == 8 && looks_like_date(&t[a..b]) {
                continue;
            }
            return true;
        }
        if (10..=12).contains(&len) && first == b'0' && d[1] != b'0' {
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
    let f = folded(s);
    // Every address holds an `@` (`＠` folds to it).
    f.contains('@') && has_email(&f.chars().collect::<Vec<char>>())
}

/// A2-29: names a date or month: `2024年11月底前`, `11月底`, `2024.12`, `年底前`, `2025年6月`,
/// `30日前`, `十一月`, `上旬`.
pub fn names_a_date(s: &str) -> bool {
    let f = folded(s);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `has_phone` as it was first written, over characters: the reading by bytes must agree.
    fn is_mobile_by_chars(d: &str) -> bool {
        let b = d.as_bytes();
        b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
    }

    fn has_phone_by_chars(s: &str) -> bool {
        let c: Vec<char> = folded(s).chars().collect();
        let runs = digit_runs(&c);
        for (k, &(a, b)) in runs.iter().enumerate() {
            let d: String = c[a..b].iter().collect();
            let len = b - a;
            if is_mobile_by_chars(&d)
                || (len == 13 && d.starts_with("86") && is_mobile_by_chars(&d[2..]))
            {
                return true;
            }
            // 139-0356-3218
            if len == 3 && k + 2 < runs.len() {
                let (a1, b1) = runs[k + 1];
                let (a2, b2) = runs[k + 2];
                let sep = |x: usize, y: usize| y == x + 1 && matches!(c[x], '-' | ' ');
                if b1 - a1 == 4 && b2 - a2 == 4 && sep(b, a1) && sep(b1, a2) {
                    let joined: String =
                        c[a..b].iter().chain(&c[a1..b1]).chain(&c[a2..b2]).collect();
                    if is_mobile_by_chars(&joined) {
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

    #[test]
    fn phones_read_by_bytes_as_by_characters() {
        // Digit runs of the lengths that matter, with the separators, units, decimal points and
        // full-width digits around them, in every sequence of three.
        let parts = [
            "",
            "139",
            "0356",
            "3218",
            "13903563218",
            "86",
            "2285683",
            "20240731",
            "03562285683",
            "-",
            " ",
            ".",
            "户",
            "号",
            "１３９",
            "（",
            "王",
            "\u{3000}",
            "5",
            "0",
        ];
        let mut n = 0;
        for a in parts {
            for b in parts {
                for c in parts {
                    for d in ["", "-", " ", "3218"] {
                        let s = format!("{a}{b}{c}{d}");
                        assert_eq!(has_phone(&s), has_phone_by_chars(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 32_000);
        // Known answers, which do not rest on the oracle (it folds with the same `folded`).
        for (s, phone) in [
            ("13903563218", true),
            ("１３９０３５６３２１８", true),
            ("139-0356-3218", true),
            ("0356-2285683", true),
            ("2285683户", false),
            ("1234567.5", false),
            ("20240731", false),
            ("139035632181", false),
        ] {
            assert_eq!(has_phone(s), phone, "{s}");
        }
    }

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
        // A quadratic scan of these would take minutes: a regression shows as a hung test.
        for s in &big {
            is_placeholder(s);
            has_phone(s);
            has_contact(s);
            names_a_date(s);
        }
    }
}
