//! Writes `fixtures/reader/sample.xlsx`, the source of the reader fixtures (see
//! `fixtures/reader/make.sh`, which converts it to .xls and .ods with LibreOffice).
#![allow(clippy::print_stdout)]

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, XlsxError};

fn main() -> Result<(), XlsxError> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/reader/sample.xlsx".into());
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet().set_name("数据")?;
    // Data starts at C4, not A1.
    ws.write_string(3, 2, "县区")?;
    ws.write_string(3, 3, "户数")?;
    ws.write_string(3, 4, "编号")?;
    ws.write_string(3, 5, "日期")?;
    ws.write_string(4, 2, "泽州县")?;
    ws.write_number(4, 3, 12.0)?;
    ws.write_string(4, 4, "0012")?;
    ws.write_datetime_with_format(4, 5, ExcelDateTime::from_ymd(2024, 10, 14)?, &date)?;
    ws.merge_range(5, 2, 7, 2, "高平市", &Format::new())?;
    ws.write_number(5, 3, 3.5)?;
    ws.write_formula(6, 3, Formula::new("=SUM(D5:D6)").set_result("15.5"))?;
    let hidden = wb.add_worksheet().set_name("隐藏")?;
    hidden.write_string(0, 0, "x")?;
    hidden.set_hidden(true);
    wb.save(&out)?;
    println!("wrote {out}");
    Ok(())
}
