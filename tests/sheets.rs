//! Sheets for people (issue 19): `export --format xlsx`, `export --format
//! csv --sheet` and `report --format xlsx`, read back as a spreadsheet
//! reads them — xlsx through calamine, CSV through the csv crate — with
//! typed cells: dates as dates, phone numbers as text with their leading 0,
//! counts and rates as numbers, no cell over a spreadsheet's 32,767.

#![allow(clippy::unwrap_used)]

mod support;

use std::io::Cursor;

use calamine::{Data, DataType as _, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDateTime;
use support::pty::Tui;
use support::reports::{MAY, NOW, known};
use support::*;

/// A character outside the Basic Multilingual Plane (CJK Extension B): one
/// character to the desk, two to a spreadsheet's count.
const RARE: &str = "𠀀";
/// The most a spreadsheet cell holds, in UTF-16 units.
const CELL_LIMIT: usize = 32_767;

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

/// A desk with a case whose phone starts with 0, whose details are the
/// longest the desk takes (20,000 characters, 40,000 UTF-16 units), and a
/// confidential case.
fn desk() -> (Desk, String, String) {
    let desk = Desk::new();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let details = RARE.repeat(20_000);
    let number = desk.intake(&[
        "--summary",
        "=1+1 夜班护士态度生硬",
        "--name",
        "王芳",
        "--phone",
        "075588886666",
        "--dept",
        "护理部",
        "--staff",
        "赵师傅",
        "--details",
        details.as_str(),
    ]);
    let secret = desk.intake("--summary 保密医生收红包 --name 赵秘密 --phone 13900001111 --confidential");
    (desk, number, secret)
}

/// The workbook at `path`, its worksheets by name.
fn workbook(path: &std::path::Path) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"PK"), "not a zip file");
    open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

/// A worksheet's rows as calamine read them.
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

/// The column of `heading` in a header row.
fn col(header: &[Data], heading: &str) -> usize {
    header
        .iter()
        .position(|h| *h == Data::String(heading.to_string()))
        .unwrap_or_else(|| panic!("no column {heading} in {header:?}"))
}

fn string(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("not a text cell: {other:?}"),
    }
}

fn date(cell: &Data) -> NaiveDateTime {
    assert!(matches!(cell, Data::DateTime(_)), "not a date cell: {cell:?}");
    cell.as_datetime().unwrap()
}

fn num(cell: &Data) -> f64 {
    match cell {
        Data::Float(x) => *x,
        #[allow(clippy::cast_precision_loss)]
        Data::Int(n) => *n as f64,
        other => panic!("not a number cell: {other:?}"),
    }
}

#[test]
fn an_xlsx_export_is_one_typed_row_per_case_in_the_desks_language() {
    let (desk, number, secret) = desk();
    let file = desk.path("cases.xlsx");
    let out = desk.ok(None, &["export", "--format", "xlsx", "--out", file.to_str().unwrap()]);
    assert!(out.contains("已导出 2 个案件"), "{out}");
    let mut book = workbook(&file);
    assert_eq!(book.sheet_names(), ["案件"]);
    let rows = rows(&mut book, "案件");
    assert_eq!(rows.len(), 3, "a header and a row per case");
    let header = &rows[0];
    let row = rows.iter().find(|r| r[0] == Data::String(number.clone())).unwrap();
    // Local desk time (+08:00), a real date cell.
    assert_eq!(date(&row[col(header, "受理时间")]), local("2026-09-30 10:00"));
    // The phone as text: its leading 0 is kept.
    assert_eq!(row[col(header, "电话")], Data::String("075588886666".into()));
    assert_eq!(string(&row[col(header, "投诉人")]), "王芳");
    // Labels, not codes.
    assert_eq!(string(&row[col(header, "状态")]), "已受理");
    assert_eq!(string(&row[col(header, "类型")]), "投诉");
    assert_eq!(string(&row[col(header, "渠道")]), "电话");
    assert_eq!(string(&row[col(header, "严重程度")]), "一般");
    assert_eq!(string(&row[col(header, "部门")]), "护理部");
    assert_eq!(string(&row[col(header, "涉及人员")]), "赵师傅（未登记）");
    assert_eq!(num(&row[col(header, "升级级别")]), 0.0);
    // Text that looks like a formula is a text cell, never a formula.
    assert_eq!(string(&row[col(header, "摘要")]), "=1+1 夜班护士态度生硬");
    // The latest step, when and by whom.
    assert!(string(&row[col(header, "最新步骤")]).starts_with("受理登记"), "{row:?}");
    assert_eq!(date(&row[col(header, "最新步骤时间")]), local("2026-09-30 10:00"));
    assert_eq!(string(&row[col(header, "最新步骤经办人")]), CLERK);
    // Every clock has its column; the case's running ones are dates.
    for kind in ["告知答复时间", "回访", "结案", "部门答复"] {
        col(header, &format!("{kind}期限"));
    }
    let acknowledge = date(&row[col(header, "告知答复时间期限")]);
    assert_eq!(acknowledge, local("2026-09-30 23:59") + chrono::Duration::seconds(59));
    // 40,000 UTF-16 units of details: cut to fit a cell, and the cut marked.
    let details = string(&row[col(header, "详细情况")]);
    assert!(details.encode_utf16().count() <= CELL_LIMIT, "{}", details.len());
    assert!(details.starts_with(RARE) && details.ends_with("…[截断]"));
    for r in &rows {
        for cell in r {
            if let Data::String(s) = cell {
                assert!(s.encode_utf16().count() <= CELL_LIMIT);
            }
        }
    }
    // Without a supervisor, a confidential complainant is masked here too.
    let masked = rows.iter().find(|r| r[0] == Data::String(secret.clone())).unwrap();
    assert_eq!(string(&masked[col(header, "投诉人")]), "***");
    assert_eq!(masked[col(header, "电话")], Data::Empty);
    let all = format!("{rows:?}");
    assert!(!all.contains("赵秘密") && !all.contains("13900001111"));
    assert!(out.contains("1 个保密投诉人已隐去"), "{out}");
}

#[test]
fn a_csv_sheet_has_chinese_headings_labels_local_times_and_phones_as_text() {
    let (desk, number, secret) = desk();
    let raw = desk.ok(None, "export --format csv --sheet");
    let body = raw
        .strip_prefix('\u{feff}')
        .expect("a BOM, so Excel and WPS read UTF-8");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let at = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}: {header:?}"))
    };
    assert_eq!(&header[..4], ["案件编号", "受理时间", "状态", "类型"]);
    let row = rows.iter().find(|r| r[0] == number).unwrap();
    assert_eq!(row.len(), header.len());
    assert_eq!(row[at("受理时间")], "2026-09-30 10:00");
    assert_eq!(row[at("告知答复时间期限")], "2026-09-30 23:59");
    assert_eq!(row[at("状态")], "已受理");
    assert_eq!(row[at("渠道")], "电话");
    // `="0755…"`: Excel and WPS show the text, its 0 kept.
    assert_eq!(row[at("电话")], "=\"075588886666\"");
    // Any other text starting with `=` is made harmless.
    assert_eq!(row[at("摘要")], "'=1+1 夜班护士态度生硬");
    let details = &row[at("详细情况")];
    assert!(details.encode_utf16().count() <= CELL_LIMIT && details.ends_with("…[截断]"));
    let masked = rows.iter().find(|r| r[0] == secret).unwrap();
    assert_eq!(
        (masked[at("投诉人")].as_str(), masked[at("电话")].as_str()),
        ("***", "")
    );
    assert!(!raw.contains("赵秘密") && !raw.contains("13900001111"));

    // A supervisor's sheet carries the confidential complainant, and the
    // audit log says who took it.
    let full = desk.ok(
        Some(SUPERVISOR_PIN),
        &["export", "--format", "csv", "--sheet", "--as", SUPERVISOR],
    );
    assert!(
        full.contains("赵秘密") && full.contains("=\"\"13900001111\"\""),
        "{full}"
    );

    // In English: English headings and labels.
    let en = desk.ok(None, "--lang en export --format csv --sheet");
    let first = en.lines().next().unwrap();
    assert!(first.starts_with("\u{feff}Case number,Received,State,Kind"), "{first}");
    assert!(en.contains(",Received,Complaint,Phone,"), "{en}");
    assert!(en.contains("…[cut]"), "the marker in the clerk's language");
}

#[test]
fn the_interchange_export_stays_as_import_reads_it() {
    let (desk, _, _) = desk();
    let csv = desk.ok(None, "export --format csv");
    assert!(csv.starts_with("\u{feff}number,received_at,state,kind"), "{csv}");
    let file = desk.path("desk.csv");
    std::fs::write(&file, &csv).unwrap();
    let fresh = Desk::new();
    fresh.ok(
        Some(ADMIN_PIN),
        &["import", file.to_str().unwrap(), "--as", ADMIN, "--masked-ok"],
    );
    assert_eq!(fresh.count("cases"), 2);
}

#[test]
fn a_sheet_is_refused_where_it_cannot_be_one() {
    let (desk, _, _) = desk();
    let err = desk.fails(None, "export --format json --sheet", 2);
    assert!(err.contains("--sheet 只配合 --format csv"), "{err}");
    // A binary file to a terminal: refused, with what to do instead.
    for argv in [
        vec![BIN, "export", "--format", "xlsx"],
        vec![BIN, "report", "--format", "xlsx"],
    ] {
        let mut tui = Tui::spawn(&desk, 120, 30, &argv);
        tui.wait_for("xlsx 是二进制文件");
        let status = tui.wait_exit(std::time::Duration::from_secs(20)).unwrap();
        assert_eq!(status.exit_code(), 2, "{}", tui.screen());
        assert!(tui.screen().contains("--out"), "{}", tui.screen());
    }
    // A workbook that cannot be made (no temporary folder to stream it
    // through) says so in the clerk's words.
    let file = desk.path("nowhere.xlsx");
    let out = desk
        .command(None, &["export", "--format", "xlsx", "--out", file.to_str().unwrap()])
        .env("TMPDIR", desk.path("no-such-folder"))
        .output()
        .unwrap();
    expect_code(&out, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("xlsx 文件没有写成"), "{err}");
    // To a pipe or a file it is the workbook's bytes.
    let out = desk.run(None, "export --format xlsx");
    expect_code(&out, 0);
    assert!(out.stdout.starts_with(b"PK"));
}

#[test]
fn a_report_workbook_has_a_worksheet_per_section_with_numbers_as_numbers() {
    let k = known();
    let file = k.desk.path("may.xlsx");
    k.desk.ok_at(
        NOW,
        None,
        &format!("report {MAY} --format xlsx --out {}", file.to_str().unwrap()),
    );
    let mut book = workbook(&file);
    let names = book.sheet_names();
    for name in ["概况", "“四个100%”与回访", "按渠道", "部门考核", "每日受理"] {
        assert!(names.iter().any(|n| n == name), "{name}: {names:?}");
    }
    // The title first, then the figures as numbers.
    let summary = rows(&mut book, "概况");
    assert_eq!(summary[0], [Data::String("项目".into()), Data::String("数值".into())]);
    assert_eq!(summary[1][0], Data::String("标题".into()));
    assert_eq!(
        summary[1][1],
        Data::String("投诉与反馈统计 2026-05-01 至 2026-05-31".into())
    );
    let figure = |rows: &[Vec<Data>], item: &str, c: usize| {
        let row = rows
            .iter()
            .find(|r| r[0] == Data::String(item.into()))
            .unwrap_or_else(|| panic!("{item}: {rows:?}"));
        num(&row[c])
    };
    assert_eq!(figure(&summary, "受理总数", 1), 11.0);
    assert!((figure(&summary, "平均结案工作日", 1) - 2.1).abs() < 1e-9);
    // A rate: numerator, denominator, and the share as a fraction formatted as a percentage.
    let rates = rows(&mut book, "“四个100%”与回访");
    let heads: Vec<&str> = rates[0].iter().map(string).collect();
    assert_eq!(heads, ["项目", "分子", "分母", "比率"]);
    assert_eq!(figure(&rates, "部门按时答复率", 1), 5.0);
    assert_eq!(figure(&rates, "部门按时答复率", 2), 7.0);
    assert!((figure(&rates, "部门按时答复率", 3) - 5.0 / 7.0).abs() < 1e-9);
    // The department table: a row per department, a column per figure.
    let depts = rows(&mut book, "部门考核");
    let heads: Vec<&str> = depts[0].iter().map(string).collect();
    assert_eq!(
        heads,
        [
            "部门",
            "受理",
            "按时答复（分子）",
            "按时答复（分母）",
            "按时答复率",
            "压单",
            "催办",
            "属实"
        ]
    );
    let nursing: Vec<f64> = depts.iter().find(|r| r[0] == Data::String("护理部".into())).unwrap()[1..]
        .iter()
        .map(num)
        .collect();
    assert_eq!(nursing, [6.0, 3.0, 4.0, 0.75, 1.0, 2.0, 3.0]);
    // Nothing to count: 0 of 0 and no rate.
    let none = depts.iter().find(|r| r[0] == Data::String("（未填）".into())).unwrap();
    assert_eq!((num(&none[2]), num(&none[3]), &none[4]), (0.0, 0.0, &Data::Empty));
    // Daily intake: a date per row.
    let daily = rows(&mut book, "每日受理");
    assert_eq!(date(&daily[1][0]), local("2026-05-01 00:00"));
    assert_eq!(daily.len(), 32, "a header and 31 days");
    let total: f64 = daily[1..].iter().map(|r| num(&r[1])).sum();
    assert_eq!(total, 11.0);
}
