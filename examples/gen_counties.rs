//! Synthetic county workbooks for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_counties -- OUT_DIR N [--seed S] [--plant PERCENT] [--small]
//! ```
//!
//! Writes `N` four-sheet workbooks (附件2..附件5 in the canonical layout that `pgcheck template`
//! writes): A2 with 20 projects and a 合计 row, A3 with 100 cases, the A4 and A5 blocks. With
//! `--small`, the size counties really send (most report one to five projects): A2 with 3
//! projects, A3 with 5 cases (about 360 non-empty cells a file). Every
//! file is its own unit (`测试县0001` …), so a merge sees no X03 and no A2-10 across files;
//! the units are listed in `OUT_DIR/pgcheck.toml`, to pass as `--config` (validate and merge,
//! both with `--as-of 2024-10-14`). About `--plant` percent of the files (default 3) carry one
//! planted error (开工套数 < 应安置户数, A2-01); they are listed in `OUT_DIR/planted.txt`. Every
//! other file validates clean. Same arguments, same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pgcheck::template::{a2, a4, a5, TemplateId};
use pgcheck::writer::{
    new_workbook, save_atomic, write_footnotes, write_merged, write_sheet_frame, write_total_row,
    Formats, Layout, TotalRow,
};
use rust_xlsxwriter::Worksheet;

mod common;
use common::{n, person, phone, put_row, s, Rng, STAGES_BUILT, TOWNS, V, VILLAGES};

struct Project {
    name: String,
    overdue: i64,
}

/// How many rows a generated file has.
#[derive(Clone, Copy)]
struct Size {
    projects: i64,
    cases: u32,
}

const FULL: Size = Size {
    projects: 20,
    cases: 100,
};
const SMALL: Size = Size {
    projects: 3,
    cases: 5,
};

/// 附件2: `count` projects consistent with every footnote, a 合计 row with SUM formulas.
fn a2(
    ws: &mut Worksheet,
    unit: &str,
    file_no: usize,
    count: i64,
    plant: bool,
    rng: &mut Rng,
    fmt: &Formats,
) -> Result<Vec<Project>, String> {
    let t = TemplateId::A2.template();
    ws.set_name(t.attachment).map_err(|e| e.to_string())?;
    let layout = write_sheet_frame(ws, t, None, &[], common::plan_deadline(), fmt)
        .map_err(|e| e.to_string())?;
    let first = layout.data_row + 1;
    let mut projects = Vec::new();
    let mut sums = vec![0.0; t.columns.len()];
    let planted_row = if plant { rng.range(0, count - 1) } else { -1 };
    for k in 0..count {
        let g = rng.range(40, 400);
        let mut h = g + rng.range(0, 30);
        if k == planted_row {
            h = g - 1; // A2-01: 开工套数 < 应安置户数
        }
        let i = h; // every unit built
        let j = rng.range(0, g - 10);
        let overdue = g - j;
        let owed = if k % 5 == 0 { rng.range(1, overdue) } else { 0 };
        let paid = g - owed;
        let plan_oct = rng.range(0, overdue);
        let year = rng.range(2015, 2019) as i32;
        let town = rng.pick(TOWNS);
        let village = rng.pick(VILLAGES);
        let name = format!("{unit}{town}{village}第{}期棚户区改造项目", k + 1);
        let no = format!("1405{:04}-{year}-{:03}", file_no % 10_000, k + 1);
        let values: Vec<(a2::Col, V)> = vec![
            (a2::Col::Seq, n(k + 1)),
            (a2::Col::Unit, s(unit)),
            (a2::Col::ProjectName, s(name.clone())),
            (a2::Col::SupervisionNo, s(no)),
            (a2::Col::PlanYear, n(year as i64)),
            (a2::Col::StartMonth, V::Month(year, rng.range(3, 11) as u32)),
            (a2::Col::Households, n(g)),
            (a2::Col::UnitsStarted, n(h)),
            (a2::Col::UnitsBuilt, n(i)),
            (a2::Col::HouseholdsResettled, n(j)),
            (a2::Col::UnitsUnderConstruction, n(h - i)),
            (a2::Col::Stage, s(*rng.pick(STAGES_BUILT))),
            (
                a2::Col::AgreementSigned,
                V::Date(year, rng.range(1, 12) as u32, 15),
            ),
            (
                a2::Col::AgreedDelivery,
                V::Date(year + 3, rng.range(1, 12) as u32, 28),
            ),
            (a2::Col::OverdueHouseholds, n(overdue)),
            (a2::Col::OverdueUnits, n(overdue)),
            (a2::Col::AllowanceStart, V::Month(year, 6)),
            (a2::Col::PaidHouseholds, n(paid)),
            (a2::Col::PaidAmount, V::N(paid as f64 * 4.8)),
            (a2::Col::PaidThrough, V::Month(2024, 9)),
            (a2::Col::OwedHouseholds, n(owed)),
            (a2::Col::OwedAmount, V::N(owed as f64 * 0.6)),
            (
                a2::Col::OwedMonths,
                n(if owed > 0 { rng.range(1, 6) } else { 0 }),
            ),
            (
                a2::Col::OverdueReason,
                s("安置房配套道路及供热管网建设滞后"),
            ),
            (a2::Col::CurrentProblems, s("部分楼栋消防验收整改未完成")),
            (
                a2::Col::Measures,
                s("县住建局牵头督促消防整改，分批组织交房"),
            ),
            (a2::Col::ResponsibleUnit, s(format!("{town}人民政府"))),
            (
                a2::Col::ResponsiblePerson,
                s(format!("{} {}", person(rng), phone(rng))),
            ),
            (
                a2::Col::PlannedDelivery,
                V::Month(2025, rng.range(1, 12) as u32),
            ),
            (a2::Col::PlanOctHouseholds, n(plan_oct)),
            (a2::Col::PlanOctUnits, n(plan_oct)),
            (a2::Col::PlanOctAllowance, n(0)),
            (a2::Col::DeliveredHouseholds, n(j)),
            (a2::Col::DeliveredUnits, n(j)),
            (
                a2::Col::ProgressDetail,
                s(format!(
                    "已完成竣工验收，计划2025年{}月底前剩余{overdue}户全部交付",
                    rng.range(1, 12)
                )),
            ),
            (a2::Col::Remarks, s("专项行动排查台账项目")),
        ];
        for (idx, c) in t.columns.iter().enumerate() {
            if !c.summed {
                continue;
            }
            if let Some((_, V::N(x))) = values.iter().find(|(key, _)| c.key == (*key).into()) {
                sums[idx] += x;
            }
        }
        put_row(ws, t, &layout, first + k as u32, &values, fmt)?;
        projects.push(Project { name, overdue });
    }
    write_total_row(
        ws,
        t,
        &layout,
        &TotalRow {
            row: layout.data_row,
            labels: &[(a2::Col::Seq.into(), "合计"), (a2::Col::Unit.into(), unit)],
            ranges: &[(first, first + 19)],
            cached: &|i| sums[i],
        },
        fmt,
    )
    .map_err(|e| e.to_string())?;
    write_footnotes(ws, t, &layout, first + 21, common::paid_through_min(), fmt)
        .map_err(|e| e.to_string())?;
    Ok(projects)
}

/// The sheet name, title and fields (unit, a random contact, 填报时间) of 附件4 or 附件5.
fn block_frame(
    ws: &mut Worksheet,
    t: &'static pgcheck::template::Template,
    unit: &str,
    rng: &mut Rng,
    fmt: &Formats,
) -> Result<Layout, String> {
    ws.set_name(t.attachment).map_err(|e| e.to_string())?;
    let who = person(rng);
    let full = format!("{unit}住建局");
    let fields = [full.as_str(), who.as_str(), "2024年10月11日"];
    write_sheet_frame(ws, t, None, &fields, common::plan_deadline(), fmt).map_err(|e| e.to_string())
}

/// 附件4: the unit's block of four rows.
fn a4(ws: &mut Worksheet, unit: &str, rng: &mut Rng, fmt: &Formats) -> Result<(), String> {
    let t = TemplateId::A4.template();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let layout = block_frame(ws, t, unit, rng, fmt)?;
    let r = layout.data_row;
    let last = r + 3;
    let col = |key: a4::Col| layout.col_of(t, key);
    write_merged(
        ws,
        (r, col(a4::Col::Matter)),
        (last, col(a4::Col::Matter)),
        a4::MATTER,
        &fmt.text_center,
    )
    .map_err(|e| e.to_string())?;
    let texts = [
        "县委、县政府专题研究棚改逾期未回迁安置问题，分管副县长每周现场调度。",
        "县住建局班子成员分包逾期项目，公布投诉举报电话，逐件登记办理。",
        "实行“交房倒计时”，联合消防部门现场办公，加快验收。",
        "印发《棚改居民逾期未回迁安置问题专项整治工作方案》，建立周调度机制。",
    ];
    for (k, (label, text)) in a4::SECTIONS.iter().zip(texts).enumerate() {
        ws.write_string_with_format(
            r + k as u32,
            col(a4::Col::Progress),
            format!("{label}{text}"),
            &fmt.text,
        )
        .map_err(e)?;
    }
    let count = rng.range(3, 9);
    ws.merge_range(
        r,
        col(a4::Col::Count),
        last,
        col(a4::Col::Count),
        "",
        &fmt.count,
    )
    .map_err(e)?;
    ws.write_number_with_format(r, col(a4::Col::Count), count as f64, &fmt.count)
        .map_err(e)?;
    let cases = [
        "1. 棚改项目完成竣工验收，已回迁入住。",
        "2. 协调补发过渡安置费。",
        "3. 约谈开发企业，明确交房时间。",
    ];
    for k in 0..4u32 {
        let v = cases.get(k as usize).copied().unwrap_or("");
        if v.is_empty() {
            ws.write_blank(r + k, col(a4::Col::Cases), &fmt.text)
                .map_err(e)?;
        } else {
            ws.write_string_with_format(r + k, col(a4::Col::Cases), v, &fmt.text)
                .map_err(e)?;
        }
    }
    write_footnotes(ws, t, &layout, last + 2, common::paid_through_min(), fmt)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// 附件5: the unit's block of three rows; 未回迁安置户数 equals A2's overdue total (X02).
fn a5(
    ws: &mut Worksheet,
    unit: &str,
    overdue: i64,
    rng: &mut Rng,
    fmt: &Formats,
) -> Result<(), String> {
    let t = TemplateId::A5.template();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let layout = block_frame(ws, t, unit, rng, fmt)?;
    let r = layout.data_row;
    let last = r + 2;
    let (d, ee, f) = (rng.range(1, 9), rng.range(0, 3), rng.range(0, 3));
    let back_h = rng.range(50, 500);
    let back_p = back_h * 3;
    let values: Vec<(a5::Col, i64)> = vec![
        (a5::Col::Inspections, rng.range(2, 12)),
        (a5::Col::FoundTotal, d + ee + f),
        (a5::Col::FoundSelf, d),
        (a5::Col::FoundDiscipline, ee),
        (a5::Col::FoundOther, f),
        (a5::Col::Rectified, d),
        (a5::Col::TotalHouseholds, back_h + overdue),
        (a5::Col::TotalPeople, back_p + overdue * 3),
        (a5::Col::ReturnedHouseholds, back_h),
        (a5::Col::ReturnedPeople, back_p),
        (a5::Col::WaitingHouseholds, overdue),
        (a5::Col::WaitingPeople, overdue * 3),
    ];
    for (i, c) in t.columns.iter().enumerate() {
        let col = layout.col(i);
        if c.key == a5::Col::Typical.into() {
            let typical = [
                "典型问题 1. 安置房消防验收未通过 整改结果: 已完成整改并通过验收",
                "典型问题 2. 过渡费欠发 整改结果: 已制定补发计划，首批资金到位",
            ];
            for k in 0..3u32 {
                match typical.get(k as usize) {
                    Some(x) => ws.write_string_with_format(r + k, col, *x, &fmt.text),
                    None => ws.write_blank(r + k, col, &fmt.text),
                }
                .map_err(e)?;
            }
            continue;
        }
        if c.key == a5::Col::Matter.into() {
            write_merged(ws, (r, col), (last, col), a4::MATTER, &fmt.text_center)
                .map_err(|e| e.to_string())?;
            continue;
        }
        let v = values
            .iter()
            .find(|(k, _)| c.key == (*k).into())
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("A5 column {:?} not generated", c.key))?;
        ws.merge_range(r, col, last, col, "", &fmt.count)
            .map_err(e)?;
        ws.write_number_with_format(r, col, v as f64, &fmt.count)
            .map_err(e)?;
    }
    write_footnotes(ws, t, &layout, last + 2, common::paid_through_min(), fmt)
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn unit_name(i: usize) -> String {
    format!("测试县{:04}", i + 1)
}

fn write_file(
    path: &Path,
    i: usize,
    size: Size,
    plant: bool,
    seed: u64,
    fmt: &Formats,
) -> Result<(), String> {
    let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let unit = unit_name(i);
    let mut wb = new_workbook().map_err(|e| e.to_string())?;
    let projects = a2(
        wb.add_worksheet(),
        &unit,
        i,
        size.projects,
        plant,
        &mut rng,
        fmt,
    )?;
    let overdue: i64 = projects.iter().map(|p| p.overdue).sum();
    let names: Vec<String> = projects.iter().map(|p| p.name.clone()).collect();
    common::a3(wb.add_worksheet(), &unit, &names, size.cases, &mut rng, fmt)?;
    a4(wb.add_worksheet(), &unit, &mut rng, fmt)?;
    a5(wb.add_worksheet(), &unit, overdue, &mut rng, fmt)?;
    save_atomic(&mut wb, path).map_err(|e| e.to_string())
}

/// The config listing the generated units (`--config`).
fn config_toml(n: usize) -> String {
    let mut s = String::from(
        "# Written by examples/gen_counties.rs: one unit per generated file.\nas_of = 2024-10-14\n\n",
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            "[[units]]\nname = \"{}\"\nphone = \"2{:06}\"\nemail = \"unit{:04}@example.com\"\n",
            unit_name(i),
            i,
            i + 1
        );
    }
    s
}

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_counties: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_counties OUT_DIR N [--seed S] [--plant PERCENT] [--small]";
    let mut pos = Vec::new();
    let mut seed = 42u64;
    let mut plant_pct = 3u64;
    let mut size = FULL;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seed" => seed = it.next().and_then(|v| v.parse().ok()).ok_or(usage)?,
            "--plant" => plant_pct = it.next().and_then(|v| v.parse().ok()).ok_or(usage)?,
            "--small" => size = SMALL,
            _ => pos.push(a.clone()),
        }
    }
    let [dir, count] = pos.as_slice() else {
        return Err(usage.into());
    };
    let dir = PathBuf::from(dir);
    let count: usize = count.parse().map_err(|_| usage.to_string())?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let fmt = Formats::new();
    let mut planted = String::new();
    let mut pick = Rng(seed.wrapping_mul(31).wrapping_add(7));
    for i in 0..count {
        let plant = pick.next() % 100 < plant_pct;
        let name = format!("{}.xlsx", unit_name(i));
        if plant {
            let _ = writeln!(planted, "{name}\tA2-01");
        }
        write_file(&dir.join(&name), i, size, plant, seed, &fmt)?;
    }
    std::fs::write(dir.join("pgcheck.toml"), config_toml(count)).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("planted.txt"), &planted).map_err(|e| e.to_string())?;
    eprintln!(
        "gen_counties: {count} workbooks in {} ({} planted), config {}",
        dir.display(),
        planted.lines().count(),
        dir.join("pgcheck.toml").display()
    );
    Ok(())
}
