//! The command line's own help: `--help` in the clerk's language with an
//! example, the choice flags' values in the help and the shells' completion
//! scripts, and the screens' labels taken for those values.
#![allow(clippy::unwrap_used)]

mod support;

use support::{BIN, CLERK, CLERK_PIN, Desk, expect_code};

/// `casedesk ARGS` with a home of its own and nothing else in the
/// environment (no config.toml, no desk), so the help shows no paths of the test's.
fn help(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .output()
        .unwrap();
    expect_code(&out, 0);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_top_level_help_is_chinese_by_default_and_english_with_lang_en() {
    let zh = help(&["--help"]);
    assert!(zh.contains("用法：casedesk") && zh.contains("示例："), "{zh}");
    insta::assert_snapshot!("top_zh", zh);
    let en = help(&["--lang", "en", "--help"]);
    assert!(en.contains("Usage: casedesk") && en.contains("Example:"), "{en}");
    insta::assert_snapshot!("top_en", en);
}

#[test]
fn a_command_s_help_names_its_choices_an_example_and_the_time_formats() {
    let zh = help(&["case", "new", "--help"]);
    for wanted in [
        "- complaint   投诉",
        "- phone     电话",
        "示例：",
        "2026年12月10日",
        "全局选项",
    ] {
        assert!(zh.contains(wanted), "{wanted} in\n{zh}");
    }
    insta::assert_snapshot!("case_new_zh", zh);
    let en = help(&["--lang=en", "case", "new", "--help"]);
    for wanted in ["complaint:  Complaint", "Example:", "2026/12/10", "Global options"] {
        assert!(en.contains(wanted), "{wanted} in\n{en}");
    }
    insta::assert_snapshot!("case_new_en", en);
}

#[test]
fn a_step_s_help_is_made_in_the_clerk_s_language_too() {
    let zh = help(&["case", "visit", "--help"]);
    assert!(zh.starts_with("登记回访。"), "{zh}");
    assert!(
        zh.contains("- satisfied    满意") && zh.contains("casedesk case visit 202609-0001"),
        "{zh}"
    );
    let en = help(&["--lang", "en", "case", "visit", "--help"]);
    assert!(en.contains("satisfied:   Satisfied"), "{en}");
}

#[test]
fn the_completion_scripts_offer_the_choice_values() {
    for shell in ["bash", "zsh", "fish"] {
        let script = help(&["completions", shell]);
        for value in [
            "complaint",
            "suggestion",
            "phone",
            "internal",
            "satisfied",
            "unsatisfied",
            "not-ours",
            "minor",
        ] {
            assert!(script.contains(value), "{shell} lacks {value}");
        }
    }
    // zsh and fish show each value's label beside it.
    let zsh = help(&["completions", "zsh"]);
    assert!(zsh.contains("complaint\\:\"投诉\""), "zsh shows no labels");
    let fish = help(&["--lang", "en", "completions", "fish"]);
    assert!(
        fish.contains("complaint\\t'Complaint'") || fish.contains("complaint\t'Complaint'"),
        "fish shows no labels"
    );
}

#[test]
fn the_screens_labels_are_taken_for_the_codes() {
    let desk = Desk::new();
    let number = desk
        .ok(
            Some(CLERK_PIN),
            &[
                "case",
                "new",
                "--as",
                CLERK,
                "--channel",
                "来访",
                "--kind",
                "建议",
                "--severity",
                "重要",
                "--summary",
                "候诊区座椅不够",
                "--name",
                "李女士",
            ],
        )
        .trim()
        .to_string();
    let case = desk.show(&number);
    assert_eq!(case["channel"], "visit");
    assert_eq!(case["kind"], "suggestion");
    assert_eq!(case["severity"], "important");
    // English labels too, and a code that is none of them is refused by name.
    let listed = desk.ok(None, &["case", "list", "--state", "Received", "--json"]);
    assert!(listed.contains(&number), "{listed}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "飞鸽",
            "--kind",
            "投诉",
            "--summary",
            "x",
            "--name",
            "李女士",
        ],
        2,
    );
    assert!(err.contains("飞鸽") && err.contains("phone"), "{err}");
}

#[test]
fn a_shell_that_asks_as_the_clerk_types_gets_names_from_the_desk() {
    let desk = Desk::new();
    let ask = |words: &[&str]| {
        let mut args = vec!["--", "casedesk"];
        args.extend_from_slice(words);
        let out = desk.cmd(None, &args).env("COMPLETE", "fish").output().unwrap();
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    };
    let staff = ask(&["case", "new", "--as", ""]);
    assert!(staff.lines().any(|l| l == CLERK) && staff.contains("管理员"), "{staff}");
    let depts = ask(&["report", "--dept", ""]);
    assert_eq!(depts.trim(), "护理部");
    let steps = ask(&["case", "assign", "2026-000001", "--dept", ""]);
    assert_eq!(steps.trim(), "护理部");
    let kinds = ask(&["case", "new", "--kind", ""]);
    assert!(kinds.contains("complaint\t投诉"), "{kinds}");
    // The registration script itself.
    let script = desk.cmd(None, &["--help"]).env("COMPLETE", "bash").output().unwrap();
    assert!(String::from_utf8_lossy(&script.stdout).contains("_clap_complete_casedesk"));
}

#[test]
fn the_manual_page_is_in_the_clerk_s_language() {
    let page = help(&["man"]);
    assert!(
        page.contains(".TH casedesk 1") && page.contains("投诉与反馈接待台"),
        "{page}"
    );
    let dir = tempfile::tempdir().unwrap();
    help(&["--lang", "en", "man", "--dir", &dir.path().display().to_string()]);
    let visit = std::fs::read_to_string(dir.path().join("casedesk-case-visit.1")).unwrap();
    assert!(visit.contains("Record a return visit"), "{visit}");
    assert!(!dir.path().join("casedesk-help.1").exists());
}

#[test]
fn bad_usage_is_told_in_the_clerk_s_language_with_exit_2() {
    let desk = Desk::empty();
    let err = desk.fails(None, &["dept", "lsit"], 2);
    assert!(err.starts_with("没有命令“lsit”。是不是要用 list？"), "{err}");
    assert!(err.contains("用法：casedesk dept"), "{err}");
    let err = desk.fails(None, &["--lang", "en", "dept", "lsit"], 2);
    assert!(err.contains("unrecognized subcommand 'lsit'"), "{err}");
}

#[test]
fn a_step_takes_the_label_its_form_shows() {
    use casedesk::words::{Lang, t};
    let desk = Desk::new();
    let number = desk.intake(&["--name", "李女士", "--summary", "夜间病房噪音大"]);
    let written = t(Lang::Zh, "enum.assign_mode.written");
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "assign",
            &number,
            "--as",
            CLERK,
            "--dept",
            "护理部",
            "--mode",
            &written,
        ],
    );
    let case = desk.show(&number);
    let last = case["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["mode"], "written", "{last}");
}
