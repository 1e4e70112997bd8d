//! Week over week as text: one line per unit of what moved (diff, merge --previous) and the JSON
//! `changes` list.

use serde_json::{json, Value};

use crate::diag::Lang;
use crate::history::{diff::MEASURES, Diff, UnitChange};

/// `城区：已安置 +20（290→310），…，附件3 新增 1、办结 2，形象进度前进 1 个项目`.
pub fn unit_line(u: &UnitChange, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if !u.comparable() {
        let why = match (u.merged_new, zh) {
            (false, true) => "本周未汇总，不作比较",
            (true, true) => "上周未汇总，不作比较",
            (false, false) => "not merged this week, nothing to compare",
            (true, false) => "not merged last week, nothing to compare",
        };
        return format!("{}{}{why}", u.unit, if zh { "：" } else { ": " });
    }
    let parts: Vec<String> = u
        .measures
        .iter()
        .zip(u.change)
        .zip(MEASURES)
        .map(|(((this, last), change), (_, label, en))| {
            let name = if zh {
                label.trim_end_matches("户数")
            } else {
                en
            };
            format!("{name} {change:+}（{last}→{this}）")
        })
        .collect();
    // A project reported one week only: said, not counted as change.
    let aside = u
        .aside(lang)
        .map(|a| format!("{}{a}", if zh { "；" } else { "; " }))
        .unwrap_or_default();
    // 附件3 left out one of the weeks: its counts are not compared.
    let cases = match (u.cases_compared, zh) {
        (true, true) => format!("附件3 新增 {}、办结 {}", u.cases_new, u.cases_closed),
        (true, false) => format!("A3 new {}, closed {}", u.cases_new, u.cases_closed),
        (false, true) => "附件3 不作比较".to_string(),
        (false, false) => "A3 not compared".to_string(),
    };
    if zh {
        format!(
            "{}：{}，{cases}，形象进度前进 {} 个项目{aside}",
            u.unit,
            parts.join("，"),
            u.stages_advanced
        )
    } else {
        format!(
            "{}: {}, {cases}, {} projects advanced a stage{aside}",
            u.unit,
            parts.join(", ").replace('（', " (").replace('）', ")"),
            u.stages_advanced
        )
    }
}

/// Every unit's line, indented, then what keeps the city's totals of the two weeks apart.
pub fn unit_lines(d: &Diff, lang: Lang) -> String {
    let mut out = String::new();
    for u in &d.units {
        out.push_str(&format!("  {}\n", unit_line(u, lang)));
    }
    if let Some(note) = d.city_note() {
        out.push_str(&format!("  {}\n", note.get(lang)));
    }
    out
}

/// The `changes` list of the JSON document: per unit, then per project.
pub fn changes(d: &Diff, lang: Lang) -> Value {
    // `change` over the projects reported both weeks (a unit's may differ from this - last).
    let measures = |m: &[(i64, i64); 4], change: [i64; 4]| -> Value {
        MEASURES
            .iter()
            .zip(m)
            .zip(change)
            .map(|(((_, label, _), (this, last)), change)| {
                (
                    label.to_string(),
                    json!({"this_week": this, "last_week": last, "change": change}),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({
        "units": d.units.iter().map(|u| json!({
            "unit": u.unit,
            "merged_this_week": u.merged_new,
            "merged_last_week": u.merged_old,
            "measures": if u.comparable() { measures(&u.measures, u.change) } else { Value::Null },
            "projects_gone": u.gone.0,
            "projects_added": u.added.0,
            "a3_new": u.cases_compared.then_some(u.cases_new),
            "a3_closed": u.cases_compared.then_some(u.cases_closed),
            "stages_advanced": u.stages_advanced,
        })).collect::<Vec<_>>(),
        "note": d.city_note().map(|m| m.get(lang).to_string()),
        "projects": d.projects.iter().map(|p| json!({
            "unit": p.unit,
            "project": p.name,
            "supervision_no": p.supervision_no,
            "stage_last_week": p.stage.0,
            "stage_this_week": p.stage.1,
            "measures": measures(&p.measures, p.measures.map(|(this, last)| this - last)),
        })).collect::<Vec<_>>(),
    })
}
