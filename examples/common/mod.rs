//! Shared by the examples: for the generators (`gen_counties`, `gen_big_a3`) a seeded RNG, cell
//! writing and the rows of 附件3; for the corpus runners a directory walk.

// Each example uses part of this module.
#![allow(dead_code)]

use pgcheck::template::{a3, Key, Kind, Template, TemplateId};
use pgcheck::writer::{write_footnotes, write_sheet_frame, Formats, Layout};
use rust_xlsxwriter::{ExcelDateTime, Worksheet};

/// A small deterministic generator (SplitMix64), so the files do not depend on a crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// A cell value to write.
pub enum V {
    S(String),
    N(f64),
    Date(i32, u32, u32),
    Month(i32, u32),
    Blank,
}

pub fn s(x: impl Into<String>) -> V {
    V::S(x.into())
}

pub fn n(x: i64) -> V {
    V::N(x as f64)
}

pub fn put(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    v: &V,
    kind: Kind,
    fmt: &Formats,
) -> Result<(), String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let f = fmt.for_kind(kind);
    match v {
        V::S(x) => ws.write_string_with_format(r, c, x, f).map_err(e)?,
        V::N(x) => ws.write_number_with_format(r, c, *x, f).map_err(e)?,
        V::Date(y, m, d) => {
            let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, *d as u8).map_err(e)?;
            ws.write_datetime_with_format(r, c, dt, &fmt.date)
                .map_err(e)?
        }
        V::Month(y, m) => {
            let dt = ExcelDateTime::from_ymd(*y as u16, *m as u8, 1).map_err(e)?;
            ws.write_datetime_with_format(r, c, dt, &fmt.month)
                .map_err(e)?
        }
        V::Blank => ws.write_blank(r, c, f).map_err(e)?,
    };
    Ok(())
}

/// Writes one data row given as `(column key, value)`; columns not named are written blank.
pub fn put_row<K: Into<Key> + Copy>(
    ws: &mut Worksheet,
    t: &Template,
    layout: &Layout,
    r: u32,
    values: &[(K, V)],
    fmt: &Formats,
) -> Result<(), String> {
    for (i, c) in t.columns.iter().enumerate() {
        let v = values
            .iter()
            .find(|(k, _)| (*k).into() == c.key)
            .map(|(_, v)| v)
            .unwrap_or(&V::Blank);
        put(ws, r, layout.col(i), v, c.kind, fmt)?;
    }
    Ok(())
}

pub const STAGES_BUILT: &[&str] = &["7、基本建成", "8、竣工验收", "9、准备交付"];
pub const TOWNS: &[&str] = &[
    "北石店镇",
    "金村镇",
    "南村镇",
    "巴公镇",
    "高都镇",
    "东街街道",
    "西街街道",
    "钟家庄街道",
];
pub const VILLAGES: &[&str] = &["东关村", "前岗村", "苗匠村", "寺底村", "北后河", "南河村"];
pub const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "郭", "韩", "宋"];
pub const GIVEN: &[&str] = &[
    "建平", "丽", "志强", "晓燕", "骏", "伟", "芳", "军", "敏", "涛",
];
pub const SOURCES: &[&str] = &["来信来访来电", "信访转办", "电信举报", "其他转办"];
pub const OFFICES: &[&str] = &["房产科", "保障股", "征收办"];

pub fn phone(rng: &mut Rng) -> String {
    format!("1{}{:09}", rng.range(3, 9), rng.next() % 1_000_000_000)
}

pub fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// 附件3 with `rows` cases of three kinds (overdue, agreed date not reached, not a shantytown case).
pub fn a3(
    ws: &mut Worksheet,
    unit: &str,
    projects: &[String],
    rows: u32,
    rng: &mut Rng,
    fmt: &Formats,
) -> Result<(), String> {
    let t = TemplateId::A3.template();
    ws.set_name(t.attachment).map_err(|e| e.to_string())?;
    let fields = [unit, "2024年10月11日"];
    let layout =
        write_sheet_frame(ws, t, None, &fields, plan_deadline(), fmt).map_err(|e| e.to_string())?;
    for k in 0..rows {
        let who = format!("{}某某 {}", rng.pick(SURNAMES), phone(rng));
        let addr = format!(
            "{unit}{}{}{}排{}号",
            rng.pick(TOWNS),
            rng.pick(VILLAGES),
            rng.range(1, 20),
            rng.range(1, 30)
        );
        let recv = V::Date(2024, rng.range(7, 9) as u32, rng.range(1, 28) as u32);
        let office = *rng.pick(OFFICES);
        let handler = person(rng);
        let source = *rng.pick(SOURCES);
        let mut row: Vec<(a3::Col, V)> = vec![
            (a3::Col::Seq, n(k as i64 + 1)),
            (a3::Col::Complainant, s(who)),
            (a3::Col::OriginalHome, s(addr)),
            (a3::Col::Summary, s("反映安置房逾期未交付，至今未能回迁")),
            (a3::Col::Source, s(source)),
            (a3::Col::Received, recv),
            (a3::Col::Office, s(office)),
            (a3::Col::Handler, s(handler)),
        ];
        match k % 3 {
            0 | 1 => {
                let p = &projects[(k as usize * 7) % projects.len()];
                let year = rng.range(2015, 2019) as i32;
                row.extend([
                    (a3::Col::IsOverdueResettlement, s("是")),
                    (a3::Col::AgreementSigned, V::Date(year, 4, 18)),
                    (a3::Col::AgreedReturn, V::Date(year + 3, 4, 30)),
                    (a3::Col::ResettlementProject, s(p.clone())),
                    (a3::Col::IsShantytown, s("是")),
                    (a3::Col::IsOverdue, s("是")),
                    (a3::Col::Listed, V::Date(2024, 9, 30)),
                    (a3::Col::PlannedMeasures, s("督促消防整改，分批交房")),
                    (a3::Col::Result, s("已列入逾期项目清单，正在组织分批交房")),
                    (a3::Col::Closed, s("否")),
                ]);
            }
            _ if k % 2 == 0 => {
                row.extend([
                    (a3::Col::IsOverdueResettlement, s("是")),
                    (a3::Col::AgreementSigned, V::Date(2021, 6, 1)),
                    (a3::Col::AgreedReturn, V::Date(2025, 6, 30)),
                    (a3::Col::ResettlementProject, s(format!("{unit}安置小区"))),
                    (a3::Col::IsShantytown, s("是")),
                    (a3::Col::IsOverdue, s("否")),
                    (a3::Col::PlannedMeasures, s("解释协议约定的回迁时间")),
                    (
                        a3::Col::Result,
                        s("经核实该投诉人反映的问题是棚改征收，签订回迁安置时间是2025年6月30日，不属于逾期未回迁"),
                    ),
                    (a3::Col::Closed, s("是")),
                ]);
            }
            _ => {
                row.extend([
                    (a3::Col::IsOverdueResettlement, s("否")),
                    (a3::Col::IsShantytown, s("否")),
                    (a3::Col::IsOverdue, s("否")),
                    (a3::Col::PlannedMeasures, s("转交征收实施单位")),
                    (
                        a3::Col::Result,
                        s("经核实该投诉人反映的问题不属于棚改征收，属于道路改造类征收"),
                    ),
                    (a3::Col::Closed, s("是")),
                ]);
            }
        }
        put_row(ws, t, &layout, layout.data_row + k, &row, fmt)?;
    }
    write_footnotes(
        ws,
        t,
        &layout,
        layout.data_row + rows + 1,
        paid_through_min(),
        fmt,
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

/// Every file below `dir`, depth first, sorted (for the corpus runners `open_all` and `corpus`).
pub fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The default config: the texts of 附件2 that name a parameter follow it.
fn default_config() -> pgcheck::config::Config {
    pgcheck::config::Config::jincheng(chrono::Local::now().date_naive())
}

/// The default `plan_deadline` (the plan columns' group of 附件2 names it).
pub fn plan_deadline() -> chrono::NaiveDate {
    default_config().plan_deadline
}

/// The default `paid_through_min` (附件2's footnote 1 names it).
pub fn paid_through_min() -> pgcheck::values::YearMonth {
    default_config().paid_through_min
}
