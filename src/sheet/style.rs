//! How the workbooks gongkai writes look and print: a title row, a header row frozen in place,
//! column widths for Chinese text, A4 paper. Shared by `template` and `export`.

use crate::date::Date;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The formats of a workbook.
pub struct Styles {
    pub title: Format,
    pub header: Format,
    pub cell: Format,
    pub wrap: Format,
    pub date: Format,
    /// Cells typed as text stay text (phones, ids: leading zeros kept, no scientific notation).
    pub text: Format,
    pub label: Format,
    pub warn: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        Styles {
            title: Format::new().set_bold().set_font_size(14).set_align(FormatAlign::VerticalCenter),
            header: border(Format::new().set_bold().set_background_color(0xDDEBF7).set_text_wrap())
                .set_align(FormatAlign::Center),
            cell: border(Format::new()),
            wrap: border(Format::new().set_text_wrap()),
            date: border(Format::new().set_num_format("yyyy-mm-dd")),
            text: border(Format::new().set_num_format("@")),
            label: border(Format::new().set_bold().set_background_color(0xF2F2F2).set_text_wrap()),
            warn: border(Format::new().set_font_color(0xC00000).set_bold()),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

/// A column as written: header, width, and whether long text wraps in it.
pub struct Heading<'a> {
    pub header: &'a str,
    pub width: f64,
}

/// Title in the first row (merged over the table), headers in `header_row`, widths, the
/// header frozen, A4 paper with the header repeated on every page and the width fitted.
pub fn lay_out(
    sheet: &mut Worksheet,
    styles: &Styles,
    title: &str,
    header_row: u32,
    headings: &[Heading],
    landscape: bool,
) -> Result<(), XlsxError> {
    let last = (headings.len().max(1) - 1) as u16;
    if last > 0 {
        sheet.merge_range(0, 0, 0, last, title, &styles.title)?;
    } else {
        sheet.write_string_with_format(0, 0, title, &styles.title)?;
    }
    sheet.set_row_height(0, 28)?;
    for (col, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, heading.header, &styles.header)?;
        sheet.set_column_width(col as u16, heading.width)?;
    }
    sheet.set_row_height(header_row, 30)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    print_setup(sheet, landscape);
    sheet.set_repeat_rows(0, header_row)?;
    Ok(())
}

/// A4, fitted to the page width, centred, with page numbers in the footer.
pub fn print_setup(sheet: &mut Worksheet, landscape: bool) {
    // 9 is A4 in the paper sizes of the Office file formats.
    sheet.set_paper_size(9);
    if landscape {
        sheet.set_landscape();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&C第 &P 页，共 &N 页");
}

/// A date cell, shown as `2016-12-20`.
pub fn write_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    date: Date,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match ExcelDateTime::from_ymd(date.year.clamp(1900, 9999) as u16, date.month, date.day) {
        Ok(value) => sheet.write_datetime_with_format(row, col, value, &styles.date).map(|_| ()),
        Err(_) => sheet.write_string_with_format(row, col, date.to_string(), &styles.cell).map(|_| ()),
    }
}

/// Document properties; the creation time is the build day (`SOURCE_DATE_EPOCH` honoured), so
/// the same content gives the same workbook.
pub fn properties(workbook: &mut Workbook, title: &str) {
    let today = Date::build_date();
    let mut properties = DocProperties::new().set_title(title).set_author("gongkai");
    if let Ok(created) = ExcelDateTime::from_ymd(today.year.clamp(1900, 9999) as u16, today.month, today.day)
    {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);
}

/// Sets a row's height for the wrapped text in it (Excel does not grow a row that is written
/// with wrapped text): the most lines any cell needs, counting a Chinese character as two units
/// of the column's width.
pub fn fit_row(sheet: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            text.lines()
                .map(|line| {
                    let units: usize = line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
                    (units as f64 / width.max(1.0)).ceil().max(1.0) as usize
                })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1);
    if lines > 1 {
        sheet.set_row_height(row, (15 * lines).min(400) as f64)?;
    }
    Ok(())
}
