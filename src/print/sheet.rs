//! Sheets for people: tables of typed cells (text, phone numbers, counts,
//! rates, local date-times), written as an xlsx workbook or as a CSV that a
//! spreadsheet opens the same way. The interchange export is another thing:
//! it keeps codes and RFC 3339 times so that `import` reads it back.

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::words::{Lang, t};

/// The most characters a spreadsheet cell holds (Excel and LibreOffice),
/// counted as Excel counts them: in UTF-16 units.
pub const CELL_LIMIT: usize = 32_767;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (already cut to fit; see [`cut`]).
    Text(String),
    /// A phone number: text, so its leading 0 stays.
    Phone(String),
    /// A count.
    Count(u64),
    /// A figure with a fraction (e.g. working days).
    Number(f64),
    /// A rate in percent (79.6 for 79.6%).
    Percent(f64),
    /// A local date and time (shown to the minute).
    Time(NaiveDateTime),
    /// A day.
    Date(NaiveDate),
}

/// One table: a worksheet of a workbook, or a CSV file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    /// The worksheet's name (cleaned and shortened for xlsx on writing).
    pub name: String,
    /// The header row.
    pub headings: Vec<String>,
    /// The rows, as long as the headings.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// An empty sheet with these headings.
    #[must_use]
    pub fn new(name: String, headings: Vec<String>) -> Sheet {
        Sheet {
            name,
            headings,
            rows: Vec::new(),
        }
    }
}

/// `text` cut to fit a cell, the cut marked (`…[截断]`) in `lang`; the full
/// text stays in the desk and its JSON export.
#[must_use]
pub fn cut(lang: Lang, text: &str) -> String {
    if text.encode_utf16().count() <= CELL_LIMIT {
        return text.to_string();
    }
    let marker = t(lang, "sheet.cut");
    let room = CELL_LIMIT - marker.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        out.push(c);
    }
    out.push_str(&marker);
    out
}

/// The CSV header and every row: the BOM first, so Excel and WPS read
/// UTF-8 when the file is opened by a double click.
pub fn write_csv(sheet: &Sheet, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(
        sheet
            .headings
            .iter()
            .map(|h| crate::words::terminal::cell(h).into_owned()),
    )?;
    for row in &sheet.rows {
        w.write_record(csv_row(row, sheet.headings.len()))?;
    }
    w.flush()
}

/// A row's cells as CSV text, as many as the headings (the last ones empty).
#[must_use]
pub fn csv_row(row: &[Cell], columns: usize) -> Vec<String> {
    let mut out: Vec<String> = row.iter().map(csv_cell).collect();
    out.resize(columns.max(out.len()), String::new());
    out
}

/// A cell as CSV text that a spreadsheet reads as the same type.
fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        // A cell starting with `=` would run in a spreadsheet: see `cell`.
        Cell::Text(s) => crate::words::terminal::cell(s).into_owned(),
        Cell::Phone(s) => csv_phone(s),
        Cell::Count(n) => n.to_string(),
        Cell::Number(x) => x.to_string(),
        Cell::Percent(x) => format!("{x:.1}"),
        // `2026-11-03 14:05`: Excel, WPS and LibreOffice read it as a date and time.
        Cell::Time(at) => at.format("%Y-%m-%d %H:%M").to_string(),
        Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
    }
}

/// A phone number as CSV: `="075588886666"`. A bare `075588886666` opens
/// as the number 75588886666 (its 0 lost); a leading tab or `'` stays in the
/// cell as a character. The `="…"` formula is what Excel and WPS open as the
/// text itself, and LibreOffice too when its import dialog evaluates
/// formulas (see the README). Only digits, spaces, `+`, `-` and brackets go
/// inside it, so nothing but a string can run; any other phone text is
/// written as guarded text.
fn csv_phone(phone: &str) -> String {
    let plain = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if phone.is_empty() || !plain {
        crate::words::terminal::cell(phone).into_owned()
    } else {
        format!("=\"{phone}\"")
    }
}

/// Why a workbook could not be made.
#[derive(Debug, thiserror::Error)]
#[error("xlsx: {0}")]
pub struct SheetError(#[from] XlsxError);

/// The sheets as one xlsx workbook: header rows bold and frozen, dates as
/// dates, phone numbers as text, counts and rates as numbers.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sheet_name(&sheet.name, &names);
        names.push(name.clone());
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        head(ws, sheet, &f)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            write_row(ws, &f, row_index(r + 1), row)?;
        }
        frame(ws, sheet.headings.len(), sheet.rows.len())?;
    }
    Ok(book.save_to_buffer()?)
}

/// Rows a worksheet holds below its header (xlsx's 1,048,576 rows, less one).
pub const MAX_ROWS: u64 = 1_048_575;

/// One large sheet written a row at a time, in constant memory: its rows
/// go to an unnamed temporary file (gone with the process), so a desk of a
/// million cases is not held in memory twice. The first thousand rows are
/// kept until then to size the columns.
pub struct Streamed {
    book: Workbook,
    ws: Worksheet,
    f: Formats,
    /// The headings, and the rows kept until the columns are sized.
    sheet: Sheet,
    started: bool,
    rows: usize,
}

/// Rows looked at to size the columns.
const SAMPLE: usize = 1000;

impl Streamed {
    /// A workbook with one worksheet, `sheet`'s headings and rows first.
    pub fn new(sheet: Sheet) -> Result<Streamed, SheetError> {
        let mut book = Workbook::new();
        let mut ws = book.new_worksheet_with_constant_memory()?;
        ws.set_name(sheet_name(&sheet.name, &[]))?;
        Ok(Streamed {
            book,
            ws,
            f: Formats::new(),
            sheet,
            started: false,
            rows: 0,
        })
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) -> Result<(), SheetError> {
        if !self.started && self.sheet.rows.len() < SAMPLE {
            self.sheet.rows.push(row);
            return Ok(());
        }
        self.start()?;
        self.rows += 1;
        write_row(&mut self.ws, &self.f, row_index(self.rows), &row)?;
        Ok(())
    }

    /// The header and the rows kept, once.
    fn start(&mut self) -> Result<(), SheetError> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        head(&mut self.ws, &self.sheet, &self.f)?;
        for row in std::mem::take(&mut self.sheet.rows) {
            self.rows += 1;
            write_row(&mut self.ws, &self.f, row_index(self.rows), &row)?;
        }
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, SheetError> {
        self.start()?;
        frame(&mut self.ws, self.sheet.headings.len(), self.rows)?;
        self.book.push_worksheet(self.ws);
        Ok(self.book.save_to_buffer()?)
    }
}

/// The cell formats of a sheet.
struct Formats {
    head: Format,
    time: Format,
    date: Format,
    percent: Format,
    number: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            head: Format::new().set_bold().set_align(FormatAlign::Center),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.0%"),
            number: Format::new().set_num_format("0.0#"),
            text: Format::new().set_num_format("@"),
        }
    }
}

fn row_index(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// The header row and the columns' widths (from the rows the sheet holds).
fn head(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in sheet.headings.iter().enumerate() {
        ws.write_string_with_format(0, col(c), h, &f.head)?;
    }
    for (c, width) in widths(sheet).into_iter().enumerate() {
        ws.set_column_width(col(c), width)?;
    }
    Ok(())
}

/// The header frozen, and a filter on it over `rows` rows.
fn frame(ws: &mut Worksheet, columns: usize, rows: usize) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    if columns > 0 {
        ws.autofilter(0, 0, row_index(rows), col(columns - 1))?;
    }
    Ok(())
}

fn write_row(ws: &mut Worksheet, f: &Formats, r: u32, row: &[Cell]) -> Result<(), XlsxError> {
    for (c, cell) in row.iter().enumerate() {
        let c = col(c);
        match cell {
            Cell::Empty => {}
            Cell::Text(s) => {
                ws.write_string(r, c, s)?;
            }
            Cell::Phone(s) => {
                ws.write_string_with_format(r, c, s, &f.text)?;
            }
            Cell::Count(n) => {
                #[allow(clippy::cast_precision_loss)]
                ws.write_number(r, c, *n as f64)?;
            }
            Cell::Number(x) => {
                ws.write_number_with_format(r, c, *x, &f.number)?;
            }
            Cell::Percent(x) => {
                ws.write_number_with_format(r, c, x / 100.0, &f.percent)?;
            }
            Cell::Time(at) => {
                ws.write_datetime_with_format(r, c, at, &f.time)?;
            }
            Cell::Date(day) => {
                ws.write_datetime_with_format(r, c, day, &f.date)?;
            }
        }
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Each column's width: its widest heading or cell in display columns (a
/// Chinese character is two, as a spreadsheet's width unit is about one
/// digit), looked for in the first thousand rows, between 6 and 50.
fn widths(sheet: &Sheet) -> Vec<f64> {
    let width = crate::words::width::width;
    sheet
        .headings
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let widest = sheet
                .rows
                .iter()
                .take(SAMPLE)
                .filter_map(|row| row.get(c))
                .map(|cell| match cell {
                    Cell::Empty => 0,
                    Cell::Text(s) | Cell::Phone(s) => width(s),
                    Cell::Count(n) => n.to_string().len(),
                    Cell::Number(_) | Cell::Percent(_) => 6,
                    Cell::Time(_) => 16,
                    Cell::Date(_) => 10,
                })
                .max()
                .unwrap_or(0)
                // The autofilter's button sits beside the heading.
                .max(width(h) + 3);
            #[allow(clippy::cast_precision_loss)]
            let w = widest.clamp(6, 50) as f64;
            w + 1.0
        })
        .collect()
}

/// A worksheet name xlsx accepts: none of `[]:*?/\`, at most 31
/// characters, not used before in the workbook.
fn sheet_name(name: &str, taken: &[String]) -> String {
    // Their full-width forms read the same in a Chinese name.
    let clean: String = name
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            c => c,
        })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let clean = if clean.is_empty() { "Sheet" } else { clean };
    let is_taken = |name: &str| taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    let cut = |n: usize| clean.chars().take(n).collect::<String>().trim_end().to_string();
    let mut name = cut(31);
    let base = cut(28);
    let mut n = 2;
    while is_taken(&name) {
        name = format!("{base} {n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_to_a_cell_with_a_marker() {
        let long = "投".repeat(40_000);
        let cell = cut(Lang::Zh, &long);
        assert_eq!(cell.encode_utf16().count(), CELL_LIMIT);
        assert!(cell.ends_with("…[截断]"), "{}", &cell[cell.len() - 20..]);
        assert_eq!(cut(Lang::Zh, "短"), "短");
        // A character outside the BMP counts twice, as Excel counts it.
        let wide = "😀".repeat(20_000);
        assert!(cut(Lang::En, &wide).encode_utf16().count() <= CELL_LIMIT);
    }

    #[test]
    fn a_phone_keeps_its_zero_and_nothing_else_runs() {
        assert_eq!(csv_phone("075588886666"), "=\"075588886666\"");
        assert_eq!(csv_phone("+86 138-0000-1111"), "=\"+86 138-0000-1111\"");
        assert_eq!(csv_phone("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_phone(""), "");
    }

    #[test]
    fn a_streamed_sheet_keeps_every_row_past_the_sampled_ones() {
        use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
        let at = NaiveDate::from_ymd_opt(2026, 10, 5)
            .and_then(|d| d.and_hms_opt(8, 1, 0))
            .unwrap();
        let headings = vec!["案件编号".to_string(), "受理时间".to_string(), "电话".to_string()];
        let mut book = Streamed::new(Sheet::new("案件".into(), headings)).unwrap();
        for n in 0..1500 {
            let row = vec![
                Cell::Text(format!("2026-{n:06}")),
                Cell::Time(at),
                Cell::Phone("0755".into()),
            ];
            book.push(row).unwrap();
        }
        let bytes = book.finish().unwrap();
        let mut read: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range("案件").unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), 1501);
        assert_eq!(rows[0][0], Data::String("案件编号".into()));
        for r in [1, 1000, 1001, 1500] {
            assert_eq!(rows[r][0], Data::String(format!("2026-{:06}", r - 1)));
            assert!(matches!(rows[r][1], Data::DateTime(_)), "{:?}", rows[r][1]);
            assert_eq!(rows[r][2], Data::String("0755".into()));
        }
        // No rows: the header alone.
        let empty = Streamed::new(Sheet::new("案件".into(), vec!["案件编号".into()])).unwrap();
        let mut read: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(empty.finish().unwrap())).unwrap();
        assert_eq!(read.worksheet_range("案件").unwrap().rows().count(), 1);
    }

    #[test]
    fn sheet_names_are_ones_xlsx_accepts() {
        assert_eq!(sheet_name("比率（每万 / 每百万）", &[]), "比率（每万 ／ 每百万）");
        assert_eq!(sheet_name("科室", &["科室".to_string()]), "科室 2");
        assert_eq!(sheet_name(&"长".repeat(40), &[]).chars().count(), 31);
        let taken = ["长".repeat(31)];
        assert_eq!(sheet_name(&"长".repeat(40), &taken), format!("{} 2", "长".repeat(28)));
    }
}
