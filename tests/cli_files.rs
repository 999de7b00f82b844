//! The command line as users and integrators drive it (see `cli.rs`): export
//! and import, the audit log's integrity and `check`, the database file's
//! permissions, a first run, the demo, shell completions, the output pipe and
//! the user's config file.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use predicates::prelude::*;
use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------- export / import

/// A desk with five cases of different states, kinds and years.
fn busy_desk() -> (Desk, Vec<String>) {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部 --category attitude");
    for step in [
        "assign --dept 护理部 --mode written",
        "reply --verdict partly --facts 部分属实 --responsible 护士甲 --measures 培训",
        "feedback --method phone --text 已告知",
        "visit --method phone --satisfaction basic",
        "close",
    ] {
        let (cmd, rest) = step.split_once(' ').unwrap_or((step, ""));
        desk.ok(Some(CLERK_PIN), &format!("case {cmd} {a} --as 张小明 {rest}"));
    }
    let b = desk.intake("--summary 匿名反映收费问题 --anonymous --category billing");
    let c = desk.intake("--summary 保密医生收红包 --name 赵秘密 --phone 13900001111 --confidential");
    let d = desk.intake("--summary 输液差错 --name 李四 --severity major --dept 护理部");
    let e = desk.intake("--summary 交班后的来电 --name 张三 --received-at 2025-12-30");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case transfer {e} --as 张小明 --to 李静 --reason 交接班"),
    );
    desk.ok(Some(OTHER_PIN), &format!("case accept {e} --as 李静"));
    (desk, vec![a, b, c, d, e])
}

fn without_version(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("version");
    v
}

#[test]
fn json_export_imports_into_a_fresh_desk_unchanged() {
    let (source, numbers) = busy_desk();
    let file = source.path("export.json");
    let file = file.to_str().unwrap();
    let out = source.ok(None, &format!("export --format json --out {file}"));
    // Made without a supervisor: the confidential complainant is masked, and
    // the file says so (tests/output_safety.rs); import is told it may load it.
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "已导出 5 个案件",
            "1 个保密投诉人已隐去（***）：只有主管（--as）导出时才写出；文件已标明为隐去版。"
        ]
    );

    let target = Desk::empty();
    target.init();
    let out = target.ok(
        Some(ADMIN_PIN),
        &format!("import {file} --as 管理员 --masked-ok --create-staff"),
    );
    assert_eq!(out.lines().next(), Some("已导入 5 个案件"));
    for n in &numbers {
        assert_eq!(
            without_version(target.show(n)),
            without_version(source.show(n)),
            "case {n}"
        );
    }
    assert_eq!(target.numbers(""), source.numbers(""));
    target.ok(None, "check");
    // Numbers are never reused: the counters moved past the imported ones.
    target.add_staff("新值班员", "clerk", "5555");
    assert_eq!(
        target.intake_as("新值班员", "5555", "--summary 新来电 --name 周五"),
        "2026-000005"
    );
    assert_eq!(
        target.intake_as(
            "新值班员",
            "5555",
            "--summary 补登 --name 周六 --received-at 2025-12-31"
        ),
        "2025-000002"
    );
}

#[test]
fn importing_the_same_export_twice_fails_without_partial_data() {
    let (source, numbers) = busy_desk();
    let file = source.path("export.json");
    let file = file.to_str().unwrap();
    source.ok(None, &format!("export --format json --out {file}"));
    let target = Desk::empty();
    target.init();
    target.ok(
        Some(ADMIN_PIN),
        &format!("import {file} --as 管理员 --masked-ok --create-staff"),
    );
    let before = target.list("");
    assert_eq!(before.len(), numbers.len());
    let events = target.count("events");

    let err = target.fails(
        Some(ADMIN_PIN),
        &format!("import {file} --as 管理员 --masked-ok --create-staff"),
        2,
    );
    assert!(err.starts_with("导入失败，未做任何更改。5 行有问题："), "{err}");
    assert!(err.contains("第 1 行：case 2026-000001 already exists"), "{err}");
    assert_eq!(target.list(""), before);
    assert_eq!(target.count("events"), events);
    target.ok(None, "check");
}

#[test]
fn import_with_one_bad_row_names_it_and_imports_nothing() {
    let (source, _) = busy_desk();
    let mut doc: Value = serde_json::from_str(&source.ok(None, "export --format json")).unwrap();
    doc["cases"][2]["events"][0]["kind"] = json!("bogus");
    let bad = source.path("bad.json");
    std::fs::write(&bad, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let target = Desk::empty();
    target.init();
    let err = target.fails(
        Some(ADMIN_PIN),
        &format!(
            "import {} --as 管理员 --masked-ok --create-staff",
            bad.to_str().unwrap()
        ),
        2,
    );
    assert!(err.starts_with("导入失败，未做任何更改。1 行有问题："), "{err}");
    assert!(err.contains("第 3 行：") && err.contains("bogus"), "{err}");
    assert_eq!(target.list(""), Vec::<Value>::new());
    // Not even the departments and staff the file names.
    assert_eq!(target.ok(None, "dept list"), "");
    assert_eq!(target.count("staff"), 1);

    // The same in CSV: the record on line 4 of the file (the header is line 1).
    let csv = source.ok(None, "export --format csv");
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 6, "{csv}");
    let cut = lines[3].rfind(",\"[").unwrap();
    lines[3].truncate(cut);
    lines[3].push_str(",not json");
    let bad = source.path("bad.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = target.fails(
        Some(ADMIN_PIN),
        &format!(
            "import {} --as 管理员 --masked-ok --create-staff",
            bad.to_str().unwrap()
        ),
        2,
    );
    assert!(err.contains("第 4 行："), "{err}");
    assert_eq!(target.list(""), Vec::<Value>::new());

    // The untouched CSV imports.
    let good = source.path("good.csv");
    std::fs::write(&good, &csv).unwrap();
    let out = target.ok(
        Some(ADMIN_PIN),
        &format!(
            "import {} --as 管理员 --masked-ok --create-staff",
            good.to_str().unwrap()
        ),
    );
    assert_eq!(out.lines().next(), Some("已导入 5 个案件"));
}

#[test]
fn csv_export_has_a_bom_and_intact_chinese() {
    let desk = Desk::new();
    let n = desk.intake("--summary 护士态度生硬，“请”字都不说 --name 王芳 --dept 护理部");
    let out = desk.run(None, "export --format csv");
    expect_code(&out, 0);
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFnumber,received_at,state,"));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("{n},")), "{row}");
    assert!(row.contains(",护士态度生硬，“请”字都不说,"), "{row}");
    assert!(row.contains(",护理部,") && row.contains(",王芳,"), "{row}");
}

#[test]
fn csv_export_times_are_local() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let csv = desk.ok(None, "export --format csv");
    let row = csv.lines().nth(1).unwrap();
    assert!(row.contains(",2026-09-30T10:00:00+08:00,"), "{row}");
}

// ---------------------------------------------------------------- integrity

#[test]
fn check_passes_then_finds_an_edited_event() {
    let desk = Desk::new();
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。"), "{out}");
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let out = desk.ok(None, "check");
    assert!(out.contains("审计记录：4 条") && out.contains("案件：1 个"), "{out}");

    let conn = desk.sql();
    let body: String = conn
        .query_row("SELECT body FROM events WHERE id = 4", [], |r| r.get(0))
        .unwrap();
    assert!(body.contains("护士"), "{body}");
    conn.execute_batch(
        "DROP TRIGGER events_no_update;
         UPDATE events SET body = replace(body, '护士', '医生') WHERE id = 4;",
    )
    .unwrap();
    drop(conn);

    let out = desk.run(None, "check");
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("审计链在第 4 条记录处断开"), "{stdout}");
    assert!(!stdout.contains("检查通过"), "{stdout}");
    assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), "检查未通过。");
    let out = desk.run(None, "--lang en check");
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Audit chain broken at event 4"), "{stdout}");
}

/// Copies event 4 (the intake: the desk's first events are its admin and its mode) into a temp table with a forged body and hash, whatever the columns are.
const FORGE_EVENT_3: &str = "CREATE TEMP TABLE forged AS SELECT * FROM events WHERE id = 4;
     UPDATE forged SET body = replace(body, '护士', '医生'), hash = randomblob(32);";
const REPLACE_EVENT_3: &str = "INSERT OR REPLACE INTO events SELECT * FROM forged";

#[test]
fn audit_events_cannot_be_changed_or_removed() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let conn = desk.sql();
    let refused = |sql: &str| {
        let err = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    };
    refused("UPDATE events SET body = replace(body, '护士', '医生') WHERE id = 4");
    refused("UPDATE events SET at = at + 1");
    refused("DELETE FROM events WHERE id = 4");
    refused("DELETE FROM events");
    conn.execute_batch(FORGE_EVENT_3).unwrap();
    refused("INSERT INTO events SELECT * FROM forged WHERE true ON CONFLICT(id) DO UPDATE SET body = excluded.body");
    // As on the desk's own connections (recursive triggers on), REPLACE's delete is refused too.
    conn.execute_batch("PRAGMA recursive_triggers = ON").unwrap();
    refused(REPLACE_EVENT_3);
    drop(conn);
    assert_eq!(desk.count("events"), 4);
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。"), "{out}");
}

#[test]
fn audit_events_cannot_be_replaced_from_a_plain_connection() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let conn = desk.sql();
    conn.execute_batch(FORGE_EVENT_3).unwrap();
    let err = conn.execute_batch(REPLACE_EVENT_3).unwrap_err().to_string();
    assert!(err.contains("append-only"), "{err}");
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    let mode = std::fs::metadata(desk.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");

    let demo = Desk::empty();
    demo.ok(None, "demo --cases 5 --seed 3");
    let mode = std::fs::metadata(demo.db()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

// ---------------------------------------------------------------- first run, demo, completions

#[test]
fn no_arguments_on_a_fresh_machine_says_what_to_do() {
    let desk = Desk::empty();
    let out = desk.ok(None, &NONE);
    assert!(out.contains("casedesk demo"), "{out}");
    assert!(out.contains("casedesk init --admin"), "{out}");
    assert!(out.contains(desk.db().to_str().unwrap()), "{out}");
    assert!(!desk.db().exists(), "looking must not create a database");
    let out = desk.ok(None, "--lang en");
    assert!(out.contains("No desk yet"), "{out}");
    // Commands that need a desk say how to make one, and create nothing.
    let err = desk.fails(None, "case list", 1);
    assert!(err.contains("casedesk init --admin"), "{err}");
    assert!(!desk.db().exists());

    desk.init();
    let out = desk.ok(None, &NONE);
    assert!(out.contains("接待台已就绪"), "{out}");
    desk.fails(None, "init --admin 另一个", 1);
}

#[test]
fn demo_builds_a_consistent_desk_once() {
    let desk = Desk::empty();
    let out = desk.ok(None, "demo --cases 300 --seed 1");
    assert!(out.contains("300"), "{out}");
    assert!(out.contains("张小明") && out.contains("PIN 1234"), "{out}");
    let out = desk.ok(None, "check");
    assert!(out.contains("检查通过。") && out.contains("案件：300 个"), "{out}");

    let rows = desk.list("");
    assert_eq!(rows.len(), 300);
    let states: BTreeSet<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    for state in ["received", "assigned", "closed"] {
        assert!(states.contains(state), "{state} missing from {states:?}");
    }
    let numbers: BTreeSet<&str> = rows.iter().map(|r| r["number"].as_str().unwrap()).collect();
    assert_eq!(numbers.len(), 300);
    // The demo loads without the insert guard of the audit log and puts it
    // back: a plain connection (no recursive triggers) still cannot replace an event.
    let err = desk
        .sql()
        .execute(
            "INSERT OR REPLACE INTO events (id, case_id, seq, kind, actor_id, at, body, hash)
             SELECT id, case_id, seq, kind, actor_id, at, '{}', hash FROM events WHERE id = 1",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");

    // Demo accounts sign in with PIN 1234.
    let out = desk.ok(Some("1234"), "case list --as 张小明 --limit 5");
    assert_eq!(out.lines().count(), 5, "{out}");
    desk.fails(Some("4321"), "case list --as 张小明", 1);

    // A second demo on the same path is refused and changes nothing.
    let err = desk.fails(None, "demo --cases 10 --seed 2", 2);
    assert!(err.contains(desk.db().to_str().unwrap()), "{err}");
    assert_eq!(desk.list("").len(), 300);
}

#[test]
fn completions_name_the_program() {
    let desk = Desk::empty();
    desk.cmd(None, "completions bash")
        .assert()
        .success()
        .stdout(predicate::str::contains("_casedesk()").and(predicate::str::contains("complete -F _casedesk")));
    desk.cmd(None, "completions zsh")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("#compdef casedesk"));
    desk.cmd(None, "completions tcsh").assert().code(2);
}

#[test]
fn closed_output_pipe_is_not_a_crash() {
    let desk = Desk::empty();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = desk
        .command(None, "completions bash")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101));
}

#[test]
fn english_by_the_users_config_file() {
    // No desk yet; the config file beside the policy file asks for English.
    let desk = Desk::empty();
    std::fs::write(desk.path("config.toml"), "lang = \"en\"\n").unwrap();
    let out = desk.run(None, "case list");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("No desk at"), "{err}");
}
