//! Attachments through the `casedesk` binary (issue 20, point 4): a file is
//! kept in the desk by its content, checked for size (the policy's
//! `[attachments] max_mb`), type (by its first bytes) and name, listed on the
//! case, written back out 0600; it travels with the desk in a backup and a
//! restore, and in the JSON export and its import.

#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt as _;

use serde_json::Value;
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, SUPERVISOR, SUPERVISOR_PIN, expect_code};

const LETTER: &[u8] = b"%PDF-1.4\n% a scanned letter\n1 0 obj << >> endobj\n%%EOF\n";

fn attach(desk: &Desk, number: &str, file: &str, bytes: &[u8]) -> std::process::Output {
    std::fs::write(desk.path(file), bytes).unwrap();
    desk.run(Some(CLERK_PIN), &["case", "attach", number, file, "--as", CLERK])
}

fn written(desk: &Desk, number: &str, id: &str, who: Option<(&str, &str)>) -> Vec<u8> {
    let out = desk.path("out.bin");
    let _ = std::fs::remove_file(&out);
    let mut args = vec!["case", "attachment", number, id, "--out", "out.bin"];
    if let Some((name, _)) = who {
        args.extend(["--as", name]);
    }
    desk.ok(who.map(|w| w.1), &args);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "a file that leaves the desk is the clerk's own");
    std::fs::read(out).unwrap()
}

#[test]
fn a_file_is_kept_listed_and_written_back_and_a_wrong_one_is_refused_in_words() {
    let desk = Desk::new();
    let n = desk.intake("--summary 水费账单多收 --name 王芳 --phone 13800138000");
    let out = attach(&desk, &n, "账单.pdf", LETTER);
    expect_code(&out, 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("附件 #1：账单.pdf"));
    let c = desk.show(&n);
    let a = &c["attachments"][0];
    assert_eq!(a["name"], "账单.pdf");
    assert_eq!(a["mime"], "application/pdf");
    assert_eq!(a["size"], LETTER.len());
    assert_eq!(a["by"], CLERK);
    assert!(c["events"].as_array().unwrap().iter().any(|e| e["kind"] == "attached"));
    assert!(desk.ok(None, &["case", "show", &n]).contains("#1  账单.pdf"));
    assert_eq!(written(&desk, &n, "1", None), LETTER);

    // The same bytes on another case are kept once.
    let m = desk.intake("--summary 同一张账单 --name 李四");
    expect_code(&attach(&desk, &m, "bill.pdf", LETTER), 0);
    assert_eq!(desk.count("attachments"), 1);

    let refused = |file: &str, bytes: &[u8], says: &str| {
        let out = attach(&desk, &n, file, bytes);
        expect_code(&out, 3);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{file}: {err}");
    };
    refused("照片.png", LETTER, "应以 .pdf 结尾");
    refused("程序.exe", b"MZ\x90\0\x03\0\0\0", "只能添加 PDF");
    refused("again.pdf", LETTER, "已作为附件“账单.pdf”");
    let err = desk.fails(None, &["case", "attachment", &n, "7", "--out", "x"], 2);
    assert!(err.contains("没有附件 #7"), "{err}");
    assert_eq!(desk.show(&n)["attachments"].as_array().unwrap().len(), 1);
}

#[test]
fn the_size_limit_is_the_policys() {
    let desk = Desk::new();
    let n = desk.intake("--summary 现场照片 --name 王芳");
    std::fs::write(desk.path("policy.toml"), "[attachments]\nmax_mb = 1\n").unwrap();
    let mut big = b"\xff\xd8\xff\xe0".to_vec();
    big.resize(1024 * 1024 + 1, 0);
    std::fs::write(desk.path("现场.jpg"), &big).unwrap();
    let out = desk
        .cmd(Some(CLERK_PIN), &["case", "attach", &n, "现场.jpg", "--as", CLERK])
        .env("CASEDESK_POLICY", desk.path("policy.toml"))
        .output()
        .unwrap();
    expect_code(&out, 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能超过 1 MB"));
    // Under the built-in 10 MB it is kept.
    expect_code(&attach(&desk, &n, "现场.jpg", &big), 0);
    assert_eq!(desk.show(&n)["attachments"][0]["mime"], "image/jpeg");
}

#[test]
fn a_confidential_cases_files_are_for_its_owner_and_supervisors() {
    let desk = Desk::new();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake("--summary 举报信 --name 李四 --confidential");
    expect_code(&attach(&desk, &n, "举报信.pdf", LETTER), 0);
    let err = desk.fails(None, &["case", "attachment", &n, "1", "--out", "x.pdf"], 3);
    assert!(err.contains("保密案件"), "{err}");
    assert!(!desk.path("x.pdf").exists());
    assert_eq!(written(&desk, &n, "1", Some((SUPERVISOR, SUPERVISOR_PIN))), LETTER);
}

#[test]
fn a_restored_backup_still_has_the_bytes() {
    let desk = Desk::new();
    let n = desk.intake("--summary 水费账单多收 --name 王芳");
    expect_code(&attach(&desk, &n, "账单.pdf", LETTER), 0);
    desk.ok(None, "backup b.db");
    // The desk's own copy goes; the backup brings it back.
    desk.sql().execute("DELETE FROM attachments", []).unwrap();
    desk.ok(Some(ADMIN_PIN), &format!("restore b.db --as {ADMIN}"));
    assert_eq!(written(&desk, &n, "1", None), LETTER);
}

#[test]
fn the_json_export_carries_files_and_batches_and_an_import_brings_them_back() {
    let source = Desk::new();
    let n = source.intake("--summary 水费账单多收 --name 王芳");
    expect_code(&attach(&source, &n, "账单.pdf", LETTER), 0);
    expect_code(&attach(&source, &n, "记录.txt", "来电：账单多收 30 元\n".as_bytes()), 0);
    source.ok(
        Some(CLERK_PIN),
        &["case", "batch", "new", "--title", "9月账单错误", "--as", CLERK],
    );
    source.ok(
        Some(CLERK_PIN),
        &["case", "batch", "join", "B2026-001", &n, "--as", CLERK],
    );
    source.ok(None, "export --format json --out export.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(source.path("export.json")).unwrap()).unwrap();
    assert_eq!(doc["attachments"].as_array().unwrap().len(), 2);

    let target = Desk::empty();
    target.init();
    let file = source.path("export.json");
    target.ok(
        Some(ADMIN_PIN),
        &format!("import {} --as {ADMIN} --create-staff", file.display()),
    );
    assert_eq!(written(&target, &n, "1", None), LETTER);
    assert_eq!(written(&target, &n, "2", None), "来电：账单多收 30 元\n".as_bytes());
    let batch: Value = serde_json::from_str(&target.ok(None, "case batch show B2026-001 --json")).unwrap();
    assert_eq!(batch["title"], "9月账单错误");
    assert_eq!(batch["members"][0]["number"], n.as_str());
    target.ok(None, "check");

    // A CSV export carries no files: its import says so and loads nothing.
    source.ok(None, "export --format csv --out export.csv");
    let other = Desk::empty();
    other.init();
    let csv = source.path("export.csv");
    let err = other.fails(
        Some(ADMIN_PIN),
        &format!("import {} --as {ADMIN} --create-staff", csv.display()),
        2,
    );
    assert!(err.contains("attachment"), "{err}");
    assert_eq!(other.count("cases"), 0);
}

#[test]
fn an_export_without_a_supervisor_leaves_out_a_confidential_cases_files() {
    let source = Desk::new();
    let open = source.intake("--summary 水费账单多收 --name 王芳");
    let secret = source.intake("--summary 举报信 --name 李四 --confidential");
    expect_code(&attach(&source, &open, "账单.pdf", LETTER), 0);
    expect_code(&attach(&source, &secret, "举报信.txt", "举报人：李四\n".as_bytes()), 0);
    source.ok(None, "export --format json --out masked.json");
    let text = std::fs::read_to_string(source.path("masked.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["attachments"].as_array().unwrap().len(),
        1,
        "only the open case's file"
    );

    let target = Desk::empty();
    target.init();
    let file = source.path("masked.json");
    target.ok(
        Some(ADMIN_PIN),
        &format!("import {} --as {ADMIN} --masked-ok --create-staff", file.display()),
    );
    assert_eq!(written(&target, &open, "1", None), LETTER);
    target.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let err = target.fails(
        Some(SUPERVISOR_PIN),
        &["case", "attachment", &secret, "1", "--out", "x.txt", "--as", SUPERVISOR],
        1,
    );
    assert!(err.contains("没有随导出"), "{err}");
}

#[test]
fn check_finds_a_kept_file_changed_behind_the_desks_back() {
    let desk = Desk::new();
    let n = desk.intake("--summary 水费账单多收 --name 王芳");
    expect_code(&attach(&desk, &n, "账单.pdf", LETTER), 0);
    desk.ok(None, "check");
    desk.sql()
        .execute("UPDATE attachments SET bytes = CAST('%PDF-1.4 forged' AS BLOB)", [])
        .unwrap();
    let out = desk.run(None, "check");
    expect_code(&out, 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("案件 {n} 的附件内容被改过")), "{stdout}");
}
