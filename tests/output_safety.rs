//! Files and output (issue 17, part 6): stored text never acts on the
//! terminal, a Markdown viewer or a spreadsheet; typed control characters
//! are refused; files that leave the desk are their owner's only; a
//! supervisor's unmasked export is audited and a masked export says so.

#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt as _;

use serde_json::Value;
use support::*;

/// A summary that clears the screen, writes the clipboard and the window
/// title, overwrites its line and opens a script, as an older desk (or a
/// hand-edited file) could hold it.
const EVIL: &str = "前\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\r覆盖\u{9b}31m\u{7f} <script>alert(1)</script> *粗* [链](http://e)";

/// Whether `text` holds a control character a terminal obeys (tab and line feed aside).
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n' && c != '\t')
        .collect()
}

/// Puts [`EVIL`] into case `number`'s stored summary, where `PLANT` stands,
/// past the audit log's triggers (as a desk written before the rule would hold it).
fn plant(desk: &Desk) {
    let json = serde_json::to_string(EVIL).unwrap();
    let json = &json[1..json.len() - 1];
    let conn = desk.sql();
    conn.execute_batch("DROP TRIGGER events_no_update;").unwrap();
    conn.execute("UPDATE events SET body = replace(body, 'PLANT', ?1)", [json])
        .unwrap();
    conn.execute("UPDATE cases SET summary = replace(summary, 'PLANT', ?1)", [EVIL])
        .unwrap();
}

#[test]
fn stored_escapes_print_as_visible_marks_in_every_text_output() {
    let desk = Desk::new();
    let n = desk.intake("--summary PLANT --name 王芳 --phone 13800138000");
    plant(&desk);

    let show = desk.ok(None, &format!("case show {n}"));
    assert_eq!(raw_controls(&show), Vec::<char>::new(), "{show:?}");
    assert!(
        show.contains("前␛]52;c;SGVsbG8=␇␛]0;pwned␇␛[2J␍覆盖\\u{9b}31m␡"),
        "{show}"
    );
    let list = desk.ok(None, "case list");
    assert_eq!(raw_controls(&list), Vec::<char>::new(), "{list:?}");
    assert!(list.contains("␛[2J␍覆盖"), "{list}");
    // JSON keeps the value itself, every control written as an escape.
    let json = desk.ok(None, &format!("case show {n} --json"));
    assert_eq!(raw_controls(&json), Vec::<char>::new(), "{json:?}");
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["summary"], EVIL);
    let listed: Value = serde_json::from_str(&desk.ok(None, "case list --json")).unwrap();
    assert_eq!(listed[0]["summary"], EVIL);

    let id = desk.ok(Some(CLERK_PIN), "handover prepare --as 张小明");
    let id = id.trim();
    for format in ["text", "md"] {
        let page = desk.ok(None, &format!("handover print {id} --format {format}"));
        assert_eq!(raw_controls(&page), Vec::<char>::new(), "{format}: {page:?}");
        assert!(page.contains("␛") && page.contains("pwned"), "{format}: {page}");
        let file = desk.path(&format!("handover.{format}"));
        desk.ok(
            None,
            &[
                "handover",
                "print",
                id,
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(raw_controls(&written), Vec::<char>::new(), "{format}: {written:?}");
    }
}

#[test]
fn markdown_keeps_marks_and_html_as_text() {
    let desk = Desk::new();
    desk.intake("--summary PLANT --name 王芳 --phone 13800138000");
    plant(&desk);
    let id = desk.ok(Some(CLERK_PIN), "handover prepare --as 张小明");
    let md = desk.ok(None, &format!("handover print {} --format md", id.trim()));
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"), "{md}");
    assert!(md.contains("\\*粗\\* \\[链\\](http://e)"), "{md}");
    // The page's own headings stay headings.
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("\n## "), "{md}");
}

#[test]
fn control_characters_are_refused_where_text_is_typed() {
    let desk = Desk::new();
    for summary in ["a\u{1b}[2Jb", "x\ry", "\u{1b}]52;c;SGk=\u{7}", "c1\u{9b}1m"] {
        let err = desk.fails(
            Some(CLERK_PIN),
            &[
                "case",
                "new",
                "--as",
                CLERK,
                "--channel",
                "phone",
                "--kind",
                "complaint",
                "--summary",
                summary,
                "--anonymous",
            ],
            3,
        );
        assert!(err.contains("摘要含有控制字符"), "{err}");
        assert_eq!(raw_controls(&err), Vec::<char>::new(), "{err:?}");
    }
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "--lang",
            "en",
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "护士",
            "--name",
            "王\u{1b}[2J芳",
        ],
        3,
    );
    assert!(
        err.contains("complainant's name holds a control character (U+001B)"),
        "{err}"
    );
    // Line breaks and tabs are text.
    let n = desk.intake(&["--summary", "两行", "--details", "第一行\n第二行\t完", "--anonymous"]);
    let err = desk.fails(
        Some(CLERK_PIN),
        &["case", "note", &n, "--as", CLERK, "--text", "备注\u{1b}]0;x\u{7}"],
        3,
    );
    assert!(err.contains("内容含有控制字符（U+001B）"), "{err}");
    desk.ok(Some(CLERK_PIN), "duty start --as 张小明");
    let out = desk.run(
        Some(CLERK_PIN),
        &["duty", "log", "--as", CLERK, "--what", "来电\u{1b}[2J"],
    );
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(desk.count("duty_log"), 0);
    assert_eq!(desk.count("cases"), 1);
}

#[test]
fn import_refuses_control_characters_naming_the_row() {
    let desk = Desk::new();
    desk.intake("--summary PLANT --name 王芳");
    plant(&desk);
    let file = desk.path("evil.json");
    desk.ok(None, &["export", "--out", file.to_str().unwrap()]);
    let fresh = Desk::new();
    let err = fresh.fails(Some(ADMIN_PIN), &["import", file.to_str().unwrap(), "--as", ADMIN], 2);
    assert!(err.contains("control character U+001B"), "{err}");
    assert_eq!(raw_controls(&err), Vec::<char>::new(), "{err:?}");
    assert_eq!(fresh.count("cases"), 0);
}

/// The cells of a CSV file (after its BOM).
fn cells(path: &std::path::Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_cells_that_start_like_a_formula_are_text() {
    let desk = Desk::new();
    desk.add_dept("=cmd|' /C calc'!A0");
    let formulas = [
        "=1+1 收费多收",
        "=HYPERLINK(\"http://evil.example\",\"点我\")",
        "+86 来电",
        "-1 元",
        "@SUM(A1:A9)",
    ];
    for summary in formulas {
        let summary = format!("--summary={summary}");
        desk.intake(&[
            summary.as_str(),
            "--name",
            "=HYPERLINK(\"http://x\")",
            "--dept",
            "=cmd|' /C calc'!A0",
        ]);
    }
    let export = desk.path("desk.csv");
    desk.ok(None, &["export", "--format", "csv", "--out", export.to_str().unwrap()]);
    let report = desk.path("report.csv");
    desk.ok(None, &["report", "--format", "csv", "--out", report.to_str().unwrap()]);
    for path in [&export, &report] {
        let rows = cells(path);
        assert!(rows.len() > 1, "{rows:?}");
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{}: {cell}",
                path.display()
            );
        }
    }
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(
        text.contains("'=1+1 收费多收") && text.contains("'=cmd|' /C calc'!A0"),
        "{text}"
    );
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("'=cmd|' /C calc'!A0")
    );

    // Import reads back what export wrote.
    let fresh = Desk::new();
    fresh.ok(Some(ADMIN_PIN), &["import", export.to_str().unwrap(), "--as", ADMIN]);
    let summaries: Vec<String> = fresh
        .list("")
        .iter()
        .map(|c| c["summary"].as_str().unwrap().to_string())
        .collect();
    for summary in formulas {
        assert!(summaries.iter().any(|s| s == summary), "{summary}: {summaries:?}");
    }
}

/// `sh -c` with a umask of 000, then the program.
const UMASK_000: &[&str] = &["sh", "-c", "umask 000 && exec \"$@\"", "sh"];

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn files_that_leave_the_desk_are_the_owners_only_whatever_the_umask() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    let id = desk.ok(Some(CLERK_PIN), "handover prepare --as 张小明");
    let file = |name: &str| desk.path(name).display().to_string();
    // One of them was there before, open to everyone: it is closed too.
    std::fs::write(desk.path("report.html"), "old").unwrap();
    std::fs::set_permissions(desk.path("report.html"), std::fs::Permissions::from_mode(0o666)).unwrap();
    let runs: Vec<Vec<String>> = vec![
        strings(&["export", "--out", &file("desk.json")]),
        strings(&["export", "--format", "csv", "--out", &file("desk.csv")]),
        strings(&["report", "--format", "html", "--out", &file("report.html")]),
        strings(&["report", "--format", "csv", "--out", &file("report.csv")]),
        strings(&[
            "handover",
            "print",
            id.trim(),
            "--format",
            "md",
            "--out",
            &file("handover.md"),
        ]),
        strings(&["backup", &file("copy.db")]),
    ];
    for args in &runs {
        let out = desk.wrapped_at(UMASK_000, &desk.now(), None, args).output().unwrap();
        expect_code(&out, 0);
    }
    for name in [
        "desk.json",
        "desk.csv",
        "report.html",
        "report.csv",
        "handover.md",
        "copy.db",
    ] {
        assert_eq!(mode(&desk.path(name)), 0o600, "{name}");
    }
}

#[test]
fn a_supervisors_export_of_confidential_complainants_is_audited() {
    let desk = Desk::new();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    desk.intake("--summary 保密医生收红包 --name 赵秘密 --phone 13900001111 --confidential");
    desk.intake("--summary 态度 --name 王芳");
    let file = desk.path("full.json");
    desk.ok(
        Some(SUPERVISOR_PIN),
        &["export", "--as", SUPERVISOR, "--out", file.to_str().unwrap()],
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains("赵秘密"));
    let conn = desk.sql();
    let (actor, body): (i64, String) = conn
        .query_row(
            "SELECT actor_id, body FROM events WHERE kind = 'confidential_exported'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    assert_eq!(actor, desk.staff_id(SUPERVISOR));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["confidential"], 1);
    assert_eq!(body["file"], file.display().to_string());
    // The audit chain still holds.
    desk.ok(None, "check");
    // An export without a supervisor writes nobody out: nothing to record.
    desk.ok(None, &["export", "--out", desk.path("masked.json").to_str().unwrap()]);
    assert_eq!(
        desk.sql()
            .query_row(
                "SELECT count(*) FROM events WHERE kind = 'confidential_exported'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        1
    );
}

#[test]
fn a_masked_export_says_so_and_import_needs_masked_ok() {
    let desk = Desk::new();
    desk.intake("--summary 保密医生收红包 --name 赵秘密 --phone 13900001111 --confidential");
    desk.intake("--summary 态度 --name 王芳");
    for format in ["json", "csv"] {
        let file = desk.path(&format!("masked.{format}"));
        let out = desk.ok(None, &["export", "--format", format, "--out", file.to_str().unwrap()]);
        assert!(out.contains("1 个保密投诉人已隐去"), "{out}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("赵秘密") && text.contains("***"), "{text}");
        if format == "json" {
            let doc: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(doc["masked"], true);
            assert_eq!(doc["cases"][0]["masked"], true);
            assert!(doc["cases"][1].get("masked").is_none());
        } else {
            let rows = cells(&file);
            let col = rows[0].iter().position(|h| h == "masked").unwrap();
            assert_eq!(rows[1][col], "1");
            assert_eq!(rows[2][col], "");
        }
        let fresh = Desk::new();
        let err = fresh.fails(Some(ADMIN_PIN), &["import", file.to_str().unwrap(), "--as", ADMIN], 2);
        assert!(err.contains("未经主管导出") && err.contains("--masked-ok"), "{err}");
        assert_eq!(fresh.count("cases"), 0);
        let err = fresh.fails(
            Some(ADMIN_PIN),
            &["--lang", "en", "import", file.to_str().unwrap(), "--as", ADMIN],
            2,
        );
        assert!(err.contains("exported without a supervisor"), "{err}");
        let out = fresh.ok(
            Some(ADMIN_PIN),
            &["import", file.to_str().unwrap(), "--as", ADMIN, "--masked-ok"],
        );
        assert!(
            out.contains("已导入 2 个案件") && out.contains("其中 1 个案件"),
            "{out}"
        );
        assert_eq!(fresh.count("cases"), 2);
    }
    // A desk with no confidential complainant exports nothing masked.
    let plain = Desk::new();
    plain.intake("--summary 态度 --name 王芳");
    let file = plain.path("plain.json");
    plain.ok(None, &["export", "--out", file.to_str().unwrap()]);
    Desk::new().ok(Some(ADMIN_PIN), &["import", file.to_str().unwrap(), "--as", ADMIN]);
}
