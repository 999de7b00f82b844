//! What the command line reads and prints: times in the forms clerks type,
//! a strict config.toml, the desk's paths, backups that keep what is there,
//! listings as JSON, `-` for standard input and output, a closed pipe, and
//! tables lined up with Chinese in them.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;

use serde_json::Value;
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, expect_code};
use unicode_width::UnicodeWidthStr as _;

#[test]
fn times_are_taken_as_clerks_write_them_and_a_bad_one_names_the_forms() {
    let desk = Desk::new();
    for (typed, received) in [
        ("2026/09/29", "2026-09-29T00:00:00+08:00"),
        ("2026.9.28", "2026-09-28T00:00:00+08:00"),
        ("9月27日", "2026-09-27T00:00:00+08:00"),
        ("2026年9月26日 14:30", "2026-09-26T14:30:00+08:00"),
    ] {
        let number = desk.intake(&["--name", "李女士", "--summary", "信函投诉", "--received-at", typed]);
        assert_eq!(desk.show(&number)["received_at"], received, "{typed}");
    }
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
            "x",
            "--name",
            "李女士",
            "--received-at",
            "上周三",
        ],
        2,
    );
    assert!(
        err.contains("上周三") && err.contains("2026年12月10日") && err.contains("+2d"),
        "{err}"
    );
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
            "x",
            "--name",
            "李女士",
            "--promise",
            "soon",
        ],
        2,
    );
    assert!(
        err.contains("'soon' is not a time") && err.contains("2026/12/10"),
        "{err}"
    );
}

#[test]
fn config_toml_refuses_an_unknown_key_and_a_bad_value() {
    let desk = Desk::new();
    // The desk's config.toml is beside its policy file.
    let config = desk.path("config.toml");
    std::fs::write(&config, "lang = \"en\"\n").unwrap();
    assert!(desk.ok(None, &["paths"]).contains("Database"));
    std::fs::write(&config, "langauge = \"en\"\n").unwrap();
    let err = desk.fails(None, &["dept", "list"], 2);
    assert!(
        err.contains("config.toml") && err.contains("langauge") && err.contains("lang, server"),
        "{err}"
    );
    std::fs::write(&config, "lang = \"fr\"\n").unwrap();
    let err = desk.fails(None, &["--lang", "en", "dept", "list"], 2);
    assert!(err.contains("\"fr\"") && err.contains("zh, en"), "{err}");
}

#[test]
fn paths_names_every_file_and_folder_the_desk_uses() {
    let desk = Desk::new();
    let paths: Value = serde_json::from_str(&desk.ok(None, &["paths", "--json"])).unwrap();
    let dir = desk.dir().display().to_string();
    assert_eq!(paths["db"], desk.db().display().to_string());
    assert_eq!(paths["config"], format!("{dir}/config.toml"));
    assert_eq!(paths["drafts"], format!("{dir}/desk.db.drafts"));
    assert_eq!(paths["backups"], format!("{dir}/backups"));
    for key in ["policy", "calendar", "socket"] {
        assert!(paths[key].is_string(), "{key}");
    }
    let text = desk.ok(None, &["paths"]);
    assert!(text.contains("草稿文件夹") && text.contains("（尚不存在）"), "{text}");
}

#[test]
fn backup_keeps_a_file_that_is_there_unless_forced() {
    let desk = Desk::new();
    let copy = desk.path("copy.db").display().to_string();
    desk.ok(None, &["backup", &copy]);
    let err = desk.fails(None, &["backup", &copy], 2);
    assert!(err.contains("--force") && err.contains("copy.db"), "{err}");
    desk.ok(None, &["backup", &copy, "--force"]);
    // Not even --force writes over the desk itself.
    let db = desk.db().display().to_string();
    let err = desk.fails(None, &["backup", &db, "--force"], 2);
    assert!(err.contains("接待台文件本身"), "{err}");
    desk.ok(None, &["check"]);
}

#[test]
fn every_listing_can_be_json() {
    let desk = Desk::new();
    desk.ok(Some(CLERK_PIN), &["duty", "start", "--as", CLERK]);
    let json = |args: &[&str]| -> Value { serde_json::from_str(&desk.ok(None, args)).unwrap() };
    assert_eq!(json(&["dept", "list", "--json"])[0]["name"], "护理部");
    assert!(json(&["category", "list", "--json"])[0]["code"].is_string());
    assert_eq!(json(&["duty", "who", "--json"])[0]["name"], CLERK);
    assert_eq!(json(&["check", "--json"])["passed"], true);
    assert!(json(&["paths", "--json"])["db"].is_string());
    assert_eq!(json(&["staff", "list", "--json"]).as_array().map(Vec::len), Some(2));
}

#[test]
fn a_dash_is_standard_input_and_standard_output() {
    let desk = Desk::new();
    let number = desk.intake(&["--name", "李女士", "--summary", "门诊分诊护士态度生硬"]);
    let export = desk.ok(None, &["export", "--out", "-"]);
    assert!(
        export.contains(&number) && export.trim_start().starts_with('{'),
        "{export}"
    );
    let report = desk.ok(None, &["report", "--format", "csv", "--out", "-"]);
    assert!(!report.is_empty());

    let other = Desk::new();
    let out = other
        .cmd(Some(ADMIN_PIN), &["import", "-", "--as", ADMIN])
        .write_stdin(export)
        .output()
        .unwrap();
    expect_code(&out, 0);
    assert_eq!(other.show(&number)["summary"], "门诊分诊护士态度生硬");
}

#[test]
fn a_closed_pipe_ends_an_export_quietly() {
    let desk = Desk::empty();
    desk.ok(None, &["demo", "--cases", "200", "--seed", "3"]);
    let mut child = desk
        .command(None, &["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a little, then go away, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// The display column where `cell` starts on `line`.
fn column_of(line: &str, cell: &str) -> usize {
    let at = line.find(cell).unwrap_or_else(|| panic!("{cell} not in {line}"));
    line[..at].width()
}

#[test]
fn tables_line_up_with_chinese_and_latin_names() {
    let desk = Desk::new();
    desk.add_staff("Ann Lee", "supervisor", "555555");
    desk.add_staff("欧阳小明", "clerk", "6666");
    let staff = desk.ok(None, &["staff", "list"]);
    let lines: Vec<&str> = staff.lines().collect();
    assert_eq!(lines.len(), 4, "{staff}");
    let roles: Vec<usize> = lines
        .iter()
        .map(|l| {
            let role = ["管理员", "主管", "值班员"].iter().find_map(|r| l.rfind(r)).unwrap();
            l[..role].width()
        })
        .collect();
    assert!(roles.iter().all(|c| *c == roles[0]), "{staff}");

    desk.ok(
        Some(ADMIN_PIN),
        &["dept", "add", "--as", ADMIN, "--name", "ICU", "--phone", "8001"],
    );
    desk.ok(
        Some(ADMIN_PIN),
        &[
            "dept",
            "add",
            "--as",
            ADMIN,
            "--name",
            "心血管内科病区",
            "--phone",
            "8002",
        ],
    );
    let depts = desk.ok(None, &["dept", "list"]);
    let lines: Vec<&str> = depts.lines().collect();
    assert_eq!(column_of(lines[1], "8001"), column_of(lines[2], "8002"), "{depts}");

    let categories = desk.ok(None, &["category", "list"]);
    let lines: Vec<&str> = categories.lines().collect();
    assert!(lines.len() > 2, "{categories}");
    let starts: Vec<usize> = lines
        .iter()
        .map(|l| {
            let name = l.split_whitespace().nth(1).unwrap();
            column_of(l, name)
        })
        .collect();
    assert!(starts.iter().all(|c| *c == starts[0]), "{categories}");
}
