//! The wording free-text rules look for in a cell: a government body (A2-07), a person with a
//! phone (A2-08), an address's shape (A3-01) and the A3 备注3 statements (A3-03, A3-04). Each
//! predicate folds its input itself and runs in linear time.

use crate::config::Counties;
use crate::values::{folded, has_phone, is_han, names_a_date, normalized};

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
    let c: Vec<char> = folded(s).chars().collect();
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
    let flat = normalized(s);
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

/// Parts of an address below the county (A3 备注1: `xx 街(路) xx 小区 xx 排 xx 号`): these
/// characters, or the words `STREET_WORDS`.
const STREET_CHARS: &[char] = &['街', '路', '巷', '道', '村', '排', '号', '楼'];
const STREET_WORDS: &[&str] = &["小区", "社区"];

/// True when `text` names a part of an address below the county (`STREET_CHARS`, `STREET_WORDS`).
fn names_a_street_part(text: &str) -> bool {
    text.contains(STREET_CHARS) || STREET_WORDS.iter().any(|w| text.contains(w))
}

/// A3-01: starts with one of `counties` and has a street-or-estate part after it.
///
/// A county matches by its full name (`泽州县`) or without its 县/区/市 suffix when two or more
/// characters remain (`泽州`; `城区` has no short form), optionally after a province and/or city
/// (`山西省晋城市泽州县…`). Whitespace is ignored.
pub fn address_has_shape(s: &str, counties: &Counties) -> bool {
    let flat = normalized(s);
    // Where a county may start: the beginning, or after a leading province/city (≤ 10 chars).
    let after_city = flat
        .char_indices()
        .take(10)
        .take_while(|&(_, ch)| is_han(ch))
        .filter(|&(_, ch)| ch == '市' || ch == '省')
        .map(|(i, ch)| i + ch.len_utf8());
    std::iter::once(0).chain(after_city).any(|p| {
        let tail = &flat[p..];
        counties
            .prefixes(tail)
            .any(|end| names_a_street_part(&tail[end..]))
    })
}

/// A3-03: the result says the case is not overdue: `不属于逾期未回迁` together with a date
/// ([`names_a_date`]), or that the person was resettled: any wording where 已 precedes
/// `回迁安置` or `妥善安置` (`已在…回迁安置`, `已于2023年在…回迁安置`), or `妥善安置` alone; never
/// when the phrase itself is negated (`尚未回迁安置`, `未妥善安置`). SPEC 4.5.
pub fn states_not_overdue(s: &str) -> bool {
    let f = normalized(s);
    if f.contains("不属于逾期未回迁") && names_a_date(&f) {
        return true;
    }
    let negated = |i: usize| {
        f[..i]
            .chars()
            .next_back()
            .is_some_and(|c| "未没待无尚".contains(c))
    };
    let first_done = f.find('已');
    let resettled = first_done.is_some_and(|k| {
        f.match_indices("回迁安置")
            .any(|(i, _)| i > k && !negated(i))
    });
    resettled || f.match_indices("妥善安置").any(|(i, _)| !negated(i))
}

/// A3-04: the result says `不属于棚改征收` and names the kind of expropriation: `属于…类`
/// (`属于道路改造类征收`) or `…类…征收` (`房地产开发类征收`).
pub fn states_not_shantytown(s: &str) -> bool {
    let f = normalized(s);
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
    fn addresses() {
        let counties = Counties::new(&["城区", "泽州县", "高平市", "阳城县"]);
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
        assert!(!address_has_shape("泽州县xx街", &Counties::new(&[])));
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
            "经核实该投诉人已于2023年在凤凰小区回迁安置",
            "该户已于2022年10月在东街安置小区完成回迁安置",
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
            "已告知其尚未回迁安置的原因",
            "回迁安置已在推进",
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
        // A quadratic scan of these would take minutes even in a release build.
        for s in [
            "王".repeat(100_000),
            "局长".repeat(50_000),
            "已在".repeat(50_000),
            "属于".repeat(50_000),
            "类".repeat(100_000),
            "139 ".repeat(25_000),
        ] {
            has_person_and_phone(&s);
            is_government_body(&s);
            address_has_shape(&s, &Counties::new(&["泽州县", "城区"]));
            states_not_overdue(&s);
            states_not_shantytown(&s);
        }
    }
}
