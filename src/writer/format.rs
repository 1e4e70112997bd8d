//! The cell formats every written sheet shares: one `Formats` value per workbook, built once and
//! passed to the layout functions, so a template and the consolidated workbook look alike.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::template::Kind;

/// Font of every written cell. 宋体 is what county clerks' Excel and WPS show; LibreOffice falls
/// back to its own CJK font.
pub const FONT: &str = "宋体";
/// Body font size (points).
pub const FONT_SIZE: f64 = 10.0;
/// Font size of the titles (`Formats::title`).
pub const TITLE_FONT_SIZE: f64 = 16.0;
/// Number format of date cells (`2024-07-31`).
pub const DATE_FORMAT: &str = "yyyy-mm-dd";
/// Number format of year-and-month cells (`2024-07`).
pub const MONTH_FORMAT: &str = "yyyy-mm";
/// Number format of the template's empty month cells: text, so that `2024.10` stays as typed
/// (in a `yyyy-mm` cell Excel stores it as the serial 2024.1, shown as 1905-07; SPEC 6).
pub const TYPED_TEXT_FORMAT: &str = "@";
/// Number format of counts (户数, 套数 …).
pub const COUNT_FORMAT: &str = "0";
/// Number format of amounts (金额), two decimals.
pub const AMOUNT_FORMAT: &str = "#,##0.00";

/// The formats of a written sheet. Fields are public so the consolidated workbook can use them
/// directly (e.g. `ws.write_string_with_format(r, c, unit, &fmt.text)`).
///
/// - `attachment`: row 1 (`附件2`), bold, left.
/// - `title`: row 2, bold 16 pt, centred over the merged title.
/// - `field`: the fields above the header (`单位(盖章):`), left, no border; `field_date` the same
///   with the date format (a date typed outside any table, kept in an annotated copy).
/// - `header`: header cells: bold, centred both ways, wrapped, thin borders.
/// - `text`, `text_center`: data cells with borders (wrapped, top-left / centred).
/// - `count`, `amount`, `date`, `month`: data cells with borders and the number formats above;
///   `month_blank`: an empty month cell of a blank template, formatted as text.
/// - `total_label`, `total_count`, `total_amount`: the 合计 / 小计 rows, bold.
/// - `footnote`: the `备注：` rows under the table, left, wrapped, top-aligned.
/// - `missing`, `invalid`, `partial`: fill colours for the 报送情况 sheet (未报送, 未通过校验,
///   部分汇总).
#[derive(Debug, Clone)]
pub struct Formats {
    pub attachment: Format,
    pub title: Format,
    pub field: Format,
    pub field_date: Format,
    pub header: Format,
    pub text: Format,
    pub text_center: Format,
    pub count: Format,
    pub amount: Format,
    pub date: Format,
    pub month: Format,
    pub month_blank: Format,
    pub total_label: Format,
    pub total_count: Format,
    pub total_amount: Format,
    pub footnote: Format,
    pub missing: Format,
    pub invalid: Format,
    pub partial: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(FONT_SIZE)
}

fn cell() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

impl Formats {
    pub fn new() -> Self {
        let centered = cell().set_align(FormatAlign::Center).set_text_wrap();
        Formats {
            attachment: base().set_bold().set_font_size(12),
            title: base()
                .set_bold()
                .set_font_size(TITLE_FONT_SIZE)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            field: base().set_align(FormatAlign::Left),
            field_date: base()
                .set_align(FormatAlign::Left)
                .set_num_format(DATE_FORMAT),
            header: centered.clone().set_bold(),
            text: cell().set_text_wrap(),
            text_center: centered.clone(),
            count: cell()
                .set_align(FormatAlign::Center)
                .set_num_format(COUNT_FORMAT),
            amount: cell().set_num_format(AMOUNT_FORMAT),
            date: cell()
                .set_align(FormatAlign::Center)
                .set_num_format(DATE_FORMAT),
            month: cell()
                .set_align(FormatAlign::Center)
                .set_num_format(MONTH_FORMAT),
            month_blank: cell()
                .set_align(FormatAlign::Center)
                .set_num_format(TYPED_TEXT_FORMAT),
            total_label: centered.set_bold(),
            total_count: cell()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_num_format(COUNT_FORMAT),
            total_amount: cell().set_bold().set_num_format(AMOUNT_FORMAT),
            footnote: base()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            missing: cell()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xF8CBAD)),
            invalid: cell()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xFFE699)),
            partial: cell()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xBDD7EE)),
        }
    }

    /// The data-cell format for a column kind (dates get `yyyy-mm-dd`, months `yyyy-mm` …).
    pub fn for_kind(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Count | Kind::Year => &self.count,
            Kind::Amount => &self.amount,
            Kind::Date | Kind::AgreementDate => &self.date,
            Kind::Month => &self.month,
            Kind::Unit | Kind::Stage | Kind::YesNo | Kind::Source => &self.text_center,
            Kind::Text => &self.text,
        }
    }

    /// The format of an empty cell of a blank template, where a clerk types: as
    /// [`Formats::for_kind`], except that month columns are text, so a typed `2024.10` stays
    /// `2024.10` (SPEC 6).
    pub fn for_blank(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Month => &self.month_blank,
            _ => self.for_kind(kind),
        }
    }

    /// The format of a summed cell in a 合计 / 小计 row.
    pub fn for_total(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Amount => &self.total_amount,
            _ => &self.total_count,
        }
    }
}

impl Formats {
    /// How many formats there are ([`Formats::all`]).
    pub const COUNT: usize = 19;

    /// Every format, in a fixed order. The destructuring names each field, so a new one that is
    /// not listed here does not compile.
    pub fn all(&self) -> [&Format; Formats::COUNT] {
        let Formats {
            attachment,
            title,
            field,
            field_date,
            header,
            text,
            text_center,
            count,
            amount,
            date,
            month,
            month_blank,
            total_label,
            total_count,
            total_amount,
            footnote,
            missing,
            invalid,
            partial,
        } = self;
        [
            attachment,
            title,
            field,
            field_date,
            header,
            text,
            text_center,
            count,
            amount,
            date,
            month,
            month_blank,
            total_label,
            total_count,
            total_amount,
            footnote,
            missing,
            invalid,
            partial,
        ]
    }
}

/// The style index (`s="N"`) of each format of a workbook that registered [`Formats::all`]
/// first, in that order, for sheet XML that pgcheck writes itself (`super::rows`).
/// rust_xlsxwriter numbers formats as it first meets them, from 1 (0 is its default format),
/// and gives an equal format the index of the first: `header` and `total_label` are one style.
#[derive(Debug)]
pub struct Styles<'f> {
    formats: [&'f Format; Formats::COUNT],
    index: [u32; Formats::COUNT],
}

impl<'f> Styles<'f> {
    pub fn of_registered(fmt: &'f Formats) -> Self {
        let formats = fmt.all();
        let default = Format::default();
        let mut index = [0u32; Formats::COUNT];
        let mut next = 1;
        for i in 0..formats.len() {
            index[i] = if *formats[i] == default {
                0
            } else if let Some(j) = (0..i).find(|&j| formats[j] == formats[i]) {
                index[j]
            } else {
                next += 1;
                next - 1
            };
        }
        Styles { formats, index }
    }

    /// The index of `f`, which must be one of the `Formats` these styles were made of (compared
    /// by address: the formats are looked up per cell).
    pub fn of(&self, f: &Format) -> u32 {
        let i = self
            .formats
            .iter()
            .position(|g| std::ptr::eq(*g, f))
            .expect("a format of this workbook's Formats");
        self.index[i]
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    /// `Styles` numbers each format as rust_xlsxwriter does in a workbook that registered
    /// `Formats::all()` first: a cell written in each format carries that index.
    #[test]
    fn styles_are_the_indices_rust_xlsxwriter_gives() {
        let fmt = Formats::new();
        let mut wb = Workbook::new();
        let mut ws = wb.new_worksheet_with_constant_memory().unwrap();
        for f in fmt.all() {
            wb.register_format(f);
        }
        for (r, f) in fmt.all().into_iter().enumerate() {
            ws.write_number_with_format(r as u32, 0, 1.0, f).unwrap();
        }
        wb.push_worksheet(ws);
        let xml = crate::writer::saved_part(&mut wb, "xl/worksheets/sheet1.xml");
        let written: Vec<u32> = xml
            .split("<c r=\"")
            .skip(1)
            .map(|c| c.split('"').nth(2).unwrap().parse().unwrap())
            .collect();
        let styles = Styles::of_registered(&fmt);
        let ours: Vec<u32> = fmt.all().into_iter().map(|f| styles.of(f)).collect();
        assert_eq!(ours, written);
        // Two of the formats are equal, and share one index.
        assert_eq!(styles.of(&fmt.header), styles.of(&fmt.total_label));
    }
}
