//! The layout layer as the consolidated workbook uses it: a leading `填报单位` column, total rows
//! over several ranges with cached sums. Read back with calamine.

use calamine::{Data, Reader, Xlsx};
use pgcheck::template::{a2, a3};
use pgcheck::writer::{
    write_footnotes, write_sheet_frame, write_total_row, Formats, TotalRow, WriteError,
};
use rust_xlsxwriter::Workbook;

fn read(mut wb: Workbook) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    let bytes = wb.save_to_buffer().unwrap();
    Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
}

#[test]
fn a_lead_column_shifts_the_table_and_is_merged_down_over_the_header() -> Result<(), WriteError> {
    let fmt = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("附件3")?;
    let layout = write_sheet_frame(
        ws,
        &a3::TEMPLATE,
        Some("填报单位"),
        &["晋城市"],
        crate::common::config().plan_deadline,
        &fmt,
    )?;
    assert_eq!(layout.header_row, 4);
    assert_eq!(layout.data_row, 6);
    assert_eq!(layout.col_offset, 1);
    assert_eq!(layout.last_col, 19);
    assert_eq!(layout.col_of(&a3::TEMPLATE, a3::Col::Source), 9);
    write_footnotes(
        ws,
        &a3::TEMPLATE,
        &layout,
        8,
        crate::common::config().paid_through_min,
        &fmt,
    )?;

    let mut x = read(wb);
    let r = x.worksheet_range("附件3").unwrap();
    let s = |row, col| r.get_value((row, col)).cloned().unwrap_or(Data::Empty);
    assert_eq!(s(2, 0), Data::String("单位(盖章): 晋城市".into()));
    assert_eq!(s(3, 0), Data::String("填报时间: 2024 年 月 日".into()));
    assert_eq!(s(4, 0), Data::String("填报单位".into()));
    assert_eq!(s(4, 1), Data::String("序号".into()));
    assert_eq!(s(4, 2), Data::String("问题接收登记".into()));
    assert_eq!(s(5, 9), Data::String("信息来源".into()));
    let merges: Vec<_> = x
        .merge_cells_by_sheet_name("附件3")
        .unwrap()
        .into_iter()
        .map(|d| (d.start, d.end))
        .collect();
    assert!(
        merges.contains(&((1, 0), (1, 19))),
        "title over the lead column too"
    );
    assert!(merges.contains(&((4, 0), (5, 0))), "lead merged down");
    assert!(merges.contains(&((4, 2), (4, 10))), "问题接收登记 over C:K");
    assert!(merges.contains(&((8, 0), (8, 19))), "footnote across");
    Ok(())
}

#[test]
fn total_rows_sum_several_ranges_with_cached_results() -> Result<(), WriteError> {
    let fmt = Formats::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("附件2")?;
    let t = &a2::TEMPLATE;
    let layout = write_sheet_frame(
        ws,
        t,
        None,
        &[],
        crate::common::config().plan_deadline,
        &fmt,
    )?;
    let households = t.index(a2::Col::Households);
    let cached = |i: usize| if i == households { 42.0 } else { 0.5 };
    write_total_row(
        ws,
        t,
        &layout,
        &TotalRow {
            row: layout.data_row,
            labels: &[
                (a2::Col::Seq.into(), "合计"),
                (a2::Col::Unit.into(), "晋城市"),
            ],
            ranges: &[(7, 9), (11, 14)],
            cached: &cached,
        },
        &fmt,
    )?;
    let mut x = read(wb);
    let f = x.worksheet_formula("附件2").unwrap();
    assert_eq!(f.get_value((5, 6)).unwrap(), "SUM(G8:G10,G12:G15)");
    let r = x.worksheet_range("附件2").unwrap();
    assert_eq!(r.get_value((5, 6)), Some(&Data::Float(42.0)));
    assert_eq!(r.get_value((5, 18)), Some(&Data::Float(0.5)), "金额 S6");
    assert_eq!(r.get_value((5, 0)), Some(&Data::String("合计".into())));
    Ok(())
}
