//! The tolerant table reader: workbooks (`.xlsx`, `.xls`, `.ods` through calamine) and CSV files
//! (UTF-8 or GBK) as grids of cells, then tables found in them the way offices lay them out —
//! title rows above the header, a header split over two rows, blank rows, footers.

use super::layout::{Key, SheetKind};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use std::path::Path;

/// Workbooks larger than this are refused: a unit's roster is a few hundred rows.
const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;
/// The header is looked for in this many rows from the top.
const HEADER_SEARCH_ROWS: usize = 30;

/// One cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
}

/// A sheet as a grid of cells, with where it starts in the sheet.
#[derive(Debug, Clone)]
pub struct Grid {
    pub name: String,
    /// First row and column of `rows`, 0-based, in the sheet.
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Value>>,
}

impl Grid {
    pub fn get(&self, row: usize, col: usize) -> &Value {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Value::Empty)
    }
}

/// A workbook (or a CSV file, as a workbook of one sheet) read into memory.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The file as the user named it, used in every message.
    pub file: String,
    /// Whether it is a CSV file: cells are then named without a sheet.
    pub csv: bool,
    /// Visible sheets, in workbook order.
    pub sheets: Vec<Grid>,
    /// Names of hidden sheets, which are not read.
    pub hidden: Vec<String>,
}

/// Where a cell is: `东王庄村.xlsx:考核2016!D7`, or `名单.csv:B3` for a CSV file.
#[derive(Debug, Clone)]
pub struct Place {
    pub text: String,
}

impl Place {
    pub fn new(workbook: &Workbook, grid: &Grid, row: usize, col: usize) -> Place {
        let cell = cell_name(grid.origin.0 as usize + row, grid.origin.1 as usize + col);
        let text = if workbook.csv {
            format!("{}:{cell}", workbook.file)
        } else {
            format!("{}:{}!{cell}", workbook.file, grid.name)
        };
        Place { text }
    }

    /// A whole sheet: `东王庄村.xlsx:考核2016`.
    pub fn sheet(workbook: &Workbook, grid: &Grid) -> Place {
        let text =
            if workbook.csv { workbook.file.clone() } else { format!("{}:{}", workbook.file, grid.name) };
        Place { text }
    }

    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(Path::new(&self.text), message)
    }

    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(Path::new(&self.text), message)
    }
}

/// `(6, 3)` → `D7`.
pub fn cell_name(row: usize, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// Reads a workbook or CSV file. `shown` is how messages name it.
pub fn open(path: &Path, shown: &str) -> Result<Workbook, Diagnostic> {
    let whole = Path::new(shown);
    let size =
        std::fs::metadata(path).map_err(|e| Diagnostic::error(whole, format!("无法读取文件：{e}")))?.len();
    if size > MAX_WORKBOOK_BYTES {
        return Err(Diagnostic::error(
            whole,
            format!("文件过大（{} MB），上限为 64 MB", size / (1024 * 1024)),
        )
        .hint("一个单位的名单和考核表只需几百行；请只保留本单位的表"));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::error(whole, format!("无法读取文件：{e}")))?;
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    if is_csv {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let grid = read_csv(whole, stem, &bytes)?;
        return Ok(Workbook { file: shown.to_string(), csv: true, sheets: vec![grid], hidden: Vec::new() });
    }
    read_workbook(whole, shown, bytes)
}

fn read_workbook(whole: &Path, shown: &str, bytes: Vec<u8>) -> Result<Workbook, Diagnostic> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::error(whole, format!("无法读取工作簿（{e}）")).hint(
            "只能读取 .xlsx、.xls、.ods 和 .csv 文件；请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再导入",
        )
    };
    // The format is found from the bytes, not the name: WPS sometimes saves .xlsx content as .xls.
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let metadata: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
        .collect();
    let mut workbook =
        Workbook { file: shown.to_string(), csv: false, sheets: Vec::new(), hidden: Vec::new() };
    for (name, visible) in metadata {
        if !visible {
            workbook.hidden.push(name);
            continue;
        }
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            // Chart sheets and macro sheets have no cells.
            Err(_) => continue,
        };
        let origin = range.start().unwrap_or((0, 0));
        let rows = range.rows().map(|row| row.iter().map(value_of).collect()).collect();
        workbook.sheets.push(trimmed(Grid { name, origin, rows }));
    }
    Ok(workbook)
}

fn value_of(data: &calamine::Data) -> Value {
    use calamine::Data;
    match data {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            Date::new(i32::from(year), month, day).map_or(Value::Number(dt.as_f64()), Value::Date)
        }
        Data::DateTime(dt) => Value::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s.get(..10).and_then(Date::parse).map_or(Value::Text(s.clone()), Value::Date),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(e.to_string()),
    }
}

/// Drops empty rows and columns at the end, where formatting alone makes a sheet look bigger.
fn trimmed(mut grid: Grid) -> Grid {
    for row in &mut grid.rows {
        while row.last().is_some_and(Value::is_empty) {
            row.pop();
        }
    }
    while grid.rows.last().is_some_and(Vec::is_empty) {
        grid.rows.pop();
    }
    grid
}

/// Text files: UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode text"), or GBK, the
/// encoding Excel and WPS on Chinese Windows use for "CSV".
fn read_csv(whole: &Path, name: String, bytes: &[u8]) -> Result<Grid, Diagnostic> {
    let text = decode_text(bytes).ok_or_else(|| {
        Diagnostic::error(whole, "看不出 CSV 文件的编码（不是 UTF-8，也不像 GBK）")
            .hint("用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再导入")
    })?;
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| text.lines().take(20).map(|l| l.matches(*d as char).count()).sum::<usize>())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::error(whole, "CSV 文件格式有误（引号没有配对）").at((line, 0))
        })?;
        rows.push(
            record
                .iter()
                .map(
                    |field| {
                        if field.trim().is_empty() { Value::Empty } else { Value::Text(field.to_string()) }
                    },
                )
                .collect(),
        );
    }
    Ok(trimmed(Grid { name, origin: (0, 0), rows }))
}

fn decode_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).ok();
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, bad) = encoding_rs::UTF_16LE.decode(bytes);
        return (!bad).then(|| text.into_owned());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_string());
    }
    if crate::content::source::looks_like_gbk(bytes) {
        // encoding_rs decodes GBK as GB18030, its superset, as browsers do.
        let (text, bad) = encoding_rs::GBK.decode_without_bom_handling(bytes);
        return (!bad).then(|| text.into_owned());
    }
    None
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => clean(t).is_empty(),
            _ => false,
        }
    }

    /// The cell as text, trimmed (full-width spaces included); `None` when empty.
    pub fn text(&self) -> Option<String> {
        let text = match self {
            Value::Empty => return None,
            Value::Text(t) => clean(t).to_string(),
            Value::Number(n) => number_text(*n),
            Value::Date(d) => d.to_string(),
            Value::Bool(true) => "是".into(),
            Value::Bool(false) => "否".into(),
        };
        (!text.is_empty()).then_some(text)
    }

    /// The cell as text with full-width letters, digits and signs read as ASCII (`１３８` → `138`):
    /// for numbers, codes, phones and dates.
    pub fn ascii(&self) -> Option<String> {
        self.text().map(|t| to_ascii(&t))
    }

    /// A number, whether stored as a number or typed as text (`９０`, `90分`).
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(_) => {
                let text = self.ascii()?;
                let text = text.trim_end_matches('分').trim();
                text.parse::<f64>().ok().filter(|n| n.is_finite())
            }
            _ => None,
        }
    }

    /// A calendar date: a date cell, a date serial number, or text such as `2016-3-12`,
    /// `2016/3/12`, `2016.3.12`, `2016年3月12日` or `20160312`.
    pub fn date(&self) -> Option<Date> {
        match self {
            Value::Date(d) => Some(*d),
            // A date cell formatted as a number: days since 1899-12-30 in Excel's count.
            Value::Number(n) if (1.0..2_958_466.0).contains(n) && n.fract() == 0.0 && *n > 10_000.0 => {
                Some(Date::from_days_since_epoch(*n as i64 - 25_569))
            }
            _ => {
                let text = self.ascii()?;
                let parts: Vec<&str> =
                    text.trim_end_matches('日').split(['-', '/', '.', '年', '月']).map(str::trim).collect();
                match parts.as_slice() {
                    [y, m, d] => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
                    [digits] if digits.len() == 8 => Date::new(
                        digits[..4].parse().ok()?,
                        digits[4..6].parse().ok()?,
                        digits[6..].parse().ok()?,
                    ),
                    _ => None,
                }
            }
        }
    }

    /// A year from a year (`2008`), a date cell, or text that starts with one (`2008.07`,
    /// `2008年7月`, `2008-07-01`).
    pub fn year(&self) -> Option<i32> {
        let plausible = |y: i32| (1900..=2100).contains(&y).then_some(y);
        match self {
            Value::Date(d) => plausible(d.year),
            Value::Number(n) if (1900.0..2101.0).contains(n) => plausible(n.floor() as i32),
            Value::Number(_) => self.date().and_then(|d| plausible(d.year)),
            _ => {
                let text = self.ascii()?;
                let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
                let rest = &text[digits.len()..];
                let separated = rest.is_empty() || rest.starts_with(['.', '-', '/', '年']);
                if digits.len() == 4 && separated { plausible(digits.parse().ok()?) } else { None }
            }
        }
    }

    /// 是 / 否 (also √ / ×, Y / N, 1 / 0, true / false); `None` when it is neither.
    pub fn yes_no(&self) -> Option<bool> {
        if let Value::Bool(b) = self {
            return Some(*b);
        }
        let text = self.ascii()?.to_lowercase();
        match text.as_str() {
            "是" | "√" | "✓" | "y" | "yes" | "true" | "1" | "同意" => Some(true),
            "否" | "×" | "✗" | "n" | "no" | "false" | "0" | "不同意" => Some(false),
            _ => None,
        }
    }
}

/// Trims spaces, full-width spaces, no-break spaces and zero-width characters at both ends.
pub fn clean(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}')
}

/// Full-width ASCII forms (`！` to `～`) and the ideographic space read as ASCII.
pub fn to_ascii(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// `13831601234.0` → `13831601234`, `92.5` → `92.5`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// A header cell as compared with the column names: no spaces (`姓  名`), no marks of required
/// fields (`*`), no colon at the end.
pub fn header_text(value: &Value) -> String {
    let text = value.text().unwrap_or_default();
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊'))
        .collect::<String>()
        .trim_end_matches([':', '：'])
        .to_string()
}

/// A table found in a grid: its header, what each column holds, and where its rows are.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub grid: &'a Grid,
    pub kind: SheetKind,
    /// Row index (in the grid) of the header; the rows above it are titles.
    pub header_row: usize,
    pub first_data_row: usize,
    /// Grid column → what it holds.
    pub columns: Vec<(usize, Key)>,
    /// Headers of columns that are not used, as written.
    pub unused: Vec<String>,
    /// Headers of identity-number columns, which are never read.
    pub identity: Vec<String>,
}

impl<'a> Table<'a> {
    /// Finds the table in a grid: of the given kind, or of the kind its header fits best.
    pub fn find(grid: &'a Grid, kind: Option<SheetKind>) -> Option<Table<'a>> {
        let kinds: Vec<SheetKind> = match kind {
            Some(kind) => vec![kind],
            None => SheetKind::TABLES.to_vec(),
        };
        for row in 0..grid.rows.len().min(HEADER_SEARCH_ROWS) {
            let best = kinds
                .iter()
                .filter_map(|&kind| {
                    let keys = row_keys(grid, row, kind);
                    let found: Vec<Key> = keys.iter().map(|(_, k)| *k).collect();
                    kind.header_fits(&found).then_some((found.len(), kind, keys))
                })
                // The earliest kind in `TABLES` wins a tie.
                .fold(None::<(usize, SheetKind, Vec<(usize, Key)>)>, |best, candidate| match best {
                    Some(best) if best.0 >= candidate.0 => Some(best),
                    _ => Some(candidate),
                });
            if let Some((_, kind, keys)) = best {
                return Some(Table::with_header(grid, kind, row, keys));
            }
        }
        None
    }

    fn with_header(
        grid: &'a Grid,
        kind: SheetKind,
        header_row: usize,
        mut columns: Vec<(usize, Key)>,
    ) -> Table<'a> {
        // A header of two rows (考核得分 over 党员述评 | 群众测评 | 组织考评): the lower row names
        // columns the upper one does not.
        let mut first_data_row = header_row + 1;
        let below = row_keys(grid, first_data_row, kind);
        let names_empty = columns
            .iter()
            .filter(|(_, k)| matches!(k, Key::Name | Key::Id))
            .all(|(c, _)| grid.get(first_data_row, *c).is_empty());
        if !below.is_empty() && names_empty {
            for (col, key) in below {
                if !columns.iter().any(|(c, k)| *c == col || *k == key) {
                    columns.push((col, key));
                }
            }
            first_data_row += 1;
        }
        let width = grid
            .rows
            .get(header_row)
            .map_or(0, Vec::len)
            .max(grid.rows.get(header_row + 1).map_or(0, Vec::len));
        let mut unused = Vec::new();
        let mut identity = Vec::new();
        for col in 0..width {
            if columns.iter().any(|(c, _)| *c == col) {
                continue;
            }
            let header = (header_row..first_data_row)
                .map(|r| grid.get(r, col))
                .find_map(Value::text)
                .unwrap_or_default();
            if header.is_empty() {
                continue;
            }
            match kind.key_of(&header_text(&Value::Text(header.clone()))) {
                Some(Key::Identity) => identity.push(header),
                Some(Key::Seq) => {}
                _ => unused.push(header),
            }
        }
        columns.sort_by_key(|(c, _)| *c);
        Table { grid, kind, header_row, first_data_row, columns, unused, identity }
    }

    /// The column holding `key`.
    pub fn column(&self, key: Key) -> Option<usize> {
        self.columns.iter().find(|(_, k)| *k == key).map(|(c, _)| *c)
    }

    pub fn has(&self, key: Key) -> bool {
        self.column(key).is_some()
    }

    /// Data rows that hold anything, footers (合计, 制表人：…) left out.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.first_data_row..self.grid.rows.len()).filter(|&row| {
            let filled: Vec<&Value> = self
                .columns
                .iter()
                .filter(|(_, k)| !matches!(k, Key::Seq | Key::Identity))
                .map(|(c, _)| self.grid.get(row, *c))
                .filter(|v| !v.is_empty())
                .collect();
            let footer = filled.first().and_then(|v| v.text()).is_some_and(|t| is_footer(&t));
            !filled.is_empty() && !footer
        })
    }

    pub fn get(&self, row: usize, key: Key) -> &Value {
        self.column(key).map_or(&Value::Empty, |c| self.grid.get(row, c))
    }

    /// The title rows above the header, as text.
    pub fn titles(&self) -> Vec<String> {
        (0..self.header_row).flat_map(|r| self.grid.rows[r].iter().filter_map(Value::text)).collect()
    }
}

/// Keys of the header cells of one row, first column of each key only.
fn row_keys(grid: &Grid, row: usize, kind: SheetKind) -> Vec<(usize, Key)> {
    let mut keys: Vec<(usize, Key)> = Vec::new();
    for (col, value) in grid.rows.get(row).map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
        let Value::Text(_) = value else { continue };
        if let Some(key) = kind.key_of(&header_text(value))
            && !matches!(key, Key::Seq | Key::Identity)
            && !keys.iter().any(|(_, k)| *k == key)
        {
            keys.push((col, key));
        }
    }
    keys
}

/// Lines below a table: totals, who filled it in, notes.
fn is_footer(text: &str) -> bool {
    const STARTS: &[&str] = &[
        "合计",
        "总计",
        "小计",
        "制表",
        "填表",
        "审核",
        "注：",
        "注:",
        "备注：",
        "说明：",
        "负责人",
        "联系人",
        "填报",
    ];
    STARTS.iter().any(|s| text.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 3), "D7");
        assert_eq!(cell_name(9, 25), "Z10");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    #[test]
    fn numbers_typed_as_text_and_full_width() {
        assert_eq!(text("９０").number(), Some(90.0));
        assert_eq!(text(" 92.5 ").number(), Some(92.5));
        assert_eq!(text("88分").number(), Some(88.0));
        assert_eq!(text("九十").number(), None);
        assert_eq!(Value::Number(13_831_601_234.0).text().as_deref(), Some("13831601234"));
        assert_eq!(text("１３８３１６０１２３４").ascii().as_deref(), Some("13831601234"));
    }

    #[test]
    fn years_from_dates_and_text() {
        assert_eq!(text("2008.07").year(), Some(2008));
        assert_eq!(text("2008年7月").year(), Some(2008));
        assert_eq!(text("２００８年").year(), Some(2008));
        assert_eq!(Value::Number(2008.07).year(), Some(2008));
        assert_eq!(Value::Date(Date::new(2008, 7, 1).unwrap()).year(), Some(2008));
        // 2008-07-01 as a serial number.
        assert_eq!(Value::Number(39_630.0).year(), Some(2008));
        assert_eq!(text("七月").year(), None);
        assert_eq!(text("20080").year(), None);
    }

    #[test]
    fn dates_in_office_spellings() {
        let d = Date::new(2016, 3, 12);
        for s in ["2016-03-12", "2016/3/12", "2016.3.12", "2016年3月12日", "20160312", "２０１６-３-１２"]
        {
            assert_eq!(text(s).date(), d, "{s}");
        }
        assert_eq!(Value::Number(42_441.0).date(), d);
        assert_eq!(text("2016-02-30").date(), None);
    }

    #[test]
    fn headers_ignore_spaces_and_marks() {
        assert_eq!(header_text(&text("姓  名")), "姓名");
        assert_eq!(header_text(&text("*姓名：")), "姓名");
        assert_eq!(header_text(&text("姓\u{3000}名")), "姓名");
    }

    #[test]
    fn gbk_csv_is_decoded() {
        // "姓名,党小组" in GBK.
        let (bytes, _, _) = encoding_rs::GBK.encode("姓名,党小组\n李建国,第一党小组\n");
        let grid = read_csv(Path::new("a.csv"), "a".into(), &bytes).unwrap();
        assert_eq!(grid.rows[1][0], text("李建国"));
    }
}
