//! Quick phrases (常用语, issue 20 point 2) on the command line: an admin
//! adds, imports and removes them, each change an audit event; anyone signed
//! in lists them; a bad file line is named and nothing of the file is taken.
#![allow(clippy::unwrap_used)]

mod support;

use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk};

#[test]
fn an_admin_keeps_the_phrases_and_a_clerk_lists_them() {
    let desk = Desk::new();
    let admin = |args: &[&str]| desk.ok(Some(ADMIN_PIN), args);
    let out = admin(&[
        "phrase",
        "add",
        "--as",
        ADMIN,
        "--use",
        "feedback",
        "--text",
        "{name}您好，{number}已由{dept}处理。",
    ]);
    assert_eq!(out, "已添加常用语 #1（反馈）：{name}您好，{number}已由{dept}处理。\n");
    // A use by its Chinese label too.
    admin(&[
        "phrase",
        "add",
        "--as",
        ADMIN,
        "--use",
        "催办",
        "--text",
        "请于{due}前答复",
    ]);
    let file = desk.path("phrases.csv");
    std::fs::write(
        &file,
        "用途,内容\n# 回访\nvisit,满意，无其他意见\nnote,家属情绪激动，注意沟通\n",
    )
    .unwrap();
    let out = admin(&["phrase", "import", file.to_str().unwrap(), "--as", ADMIN]);
    assert_eq!(out, "已导入 2 条常用语。\n");
    admin(&["phrase", "remove", "2", "--as", ADMIN]);
    let list: serde_json::Value =
        serde_json::from_str(&desk.ok(Some(CLERK_PIN), &["phrase", "list", "--as", CLERK, "--json"])).unwrap();
    let texts: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["use"].as_str().unwrap(), p["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            ("feedback", "{name}您好，{number}已由{dept}处理。"),
            ("note", "家属情绪激动，注意沟通"),
            ("visit", "满意，无其他意见"),
        ]
    );
    // Each change is in the audit log; the check still passes.
    let kinds: Vec<String> = desk
        .sql()
        .prepare("SELECT kind FROM events WHERE kind LIKE 'phrase%' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        ["phrase_added", "phrase_added", "phrases_imported", "phrase_removed"]
    );
    assert!(desk.ok(None, &["check"]).contains("检查通过"));
}

#[test]
fn only_an_admin_changes_them_and_a_bad_line_takes_nothing() {
    let desk = Desk::new();
    let err = desk.fails(
        Some(CLERK_PIN),
        &["phrase", "add", "--as", CLERK, "--use", "feedback", "--text", "好"],
        3,
    );
    assert!(err.contains("管理员"), "{err}");
    let file = desk.path("bad.csv");
    std::fs::write(&file, "feedback,已处理\n投诉,不是用途\n").unwrap();
    let err = desk.fails(
        Some(ADMIN_PIN),
        &["phrase", "import", file.to_str().unwrap(), "--as", ADMIN],
        2,
    );
    assert!(err.contains("第 2 行") && err.contains("均未导入"), "{err}");
    let err = desk.fails(Some(ADMIN_PIN), &["phrase", "remove", "7", "--as", ADMIN], 2);
    assert!(err.contains("没有编号为 7 的常用语"), "{err}");
    assert_eq!(desk.count("phrases"), 0);
}
