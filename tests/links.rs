//! Linked cases and batch incidents through the `casedesk` binary (issue 20,
//! point 3): `case link` writes an event on both cases, shown on both and in
//! `case show --json`; `case batch new|join|show|list` and a batch's reply and
//! feedback run on every member case through the rules, the refused ones
//! listed with the reason and the rest done; reports count incidents and
//! their member cases.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use support::{CLERK, CLERK_PIN, Desk, SUPERVISOR, SUPERVISOR_PIN, expect_code, kinds};

fn links(c: &Value) -> &Vec<Value> {
    c["links"].as_array().unwrap()
}

#[test]
fn a_link_is_shown_on_both_cases_once_and_refused_to_itself_or_a_missing_case() {
    let desk = Desk::new();
    let a = desk.intake("--summary 3号楼停水 --name 王芳 --phone 13800138000");
    let b = desk.intake("--summary 3号楼停水，老人无法做饭 --name 王芳 --phone 13800138000");
    let out = desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "link",
            &b,
            &a,
            "--as",
            CLERK,
            "--rel",
            "follow_up",
            "--reason",
            "同一户再次来电",
        ],
    );
    assert!(out.contains("已关联") && out.contains("跟进前案"), "{out}");
    let (ca, cb) = (desk.show(&a), desk.show(&b));
    assert_eq!(links(&cb)[0]["number"], a.as_str());
    assert_eq!(links(&cb)[0]["relation"], "follow_up");
    assert_eq!(links(&cb)[0]["summary"], "3号楼停水");
    assert_eq!(links(&ca)[0]["number"], b.as_str());
    assert_eq!(
        links(&ca)[0]["relation"],
        "followed_by",
        "the other case reads it the other way"
    );
    assert_eq!(links(&ca)[0]["reason"], "同一户再次来电");
    assert_eq!(kinds(&ca).last(), Some(&"linked"));
    let text = desk.ok(None, &["case", "show", &a]);
    assert!(
        text.contains("关联案件：") && text.contains(&b) && text.contains("被后案跟进"),
        "{text}"
    );

    let again = [
        "case",
        "link",
        &b,
        &a,
        "--as",
        CLERK,
        "--rel",
        "follow_up",
        "--reason",
        "再关联",
    ];
    let err = desk.fails(Some(CLERK_PIN), &again, 3);
    assert!(err.contains("无需重复关联"), "{err}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "link",
            &a,
            &a,
            "--as",
            CLERK,
            "--rel",
            "duplicate",
            "--reason",
            "x",
        ],
        3,
    );
    assert!(err.contains("不能与自己关联"), "{err}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "link",
            &a,
            "2026-000099",
            "--as",
            CLERK,
            "--rel",
            "duplicate",
            "--reason",
            "x",
        ],
        2,
    );
    assert!(err.contains("2026-000099"), "{err}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &["case", "link", &a, &b, "--as", CLERK, "--rel", "dup", "--reason", "x"],
        2,
    );
    assert!(err.contains("same_incident"), "the relations are listed: {err}");
    // Nothing half-written: the refused links left both cases as they were.
    assert_eq!(links(&desk.show(&a)).len(), 1);
    assert_eq!(links(&desk.show(&b)).len(), 1);
}

#[test]
fn a_confidential_linked_case_shows_its_summary_only_to_who_may_see_it() {
    let desk = Desk::new();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let a = desk.intake("--summary 停水 --name 王芳");
    let secret = desk.intake_as(
        SUPERVISOR,
        SUPERVISOR_PIN,
        "--summary 举报抄表员收钱 --name 李四 --confidential",
    );
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "link",
            &a,
            &secret,
            "--as",
            CLERK,
            "--rel",
            "same_incident",
            "--reason",
            "同一小区",
        ],
    );
    let seen = desk.show(&a);
    assert_eq!(links(&seen)[0]["summary"], Value::Null, "{seen}");
    let text = desk.ok(None, &["case", "show", &a]);
    assert!(text.contains("（保密案件）") && !text.contains("抄表员"), "{text}");
    let owner = desk.show_as(&a, SUPERVISOR, SUPERVISOR_PIN);
    assert_eq!(links(&owner)[0]["summary"], "举报抄表员收钱");
}

#[test]
fn a_batch_reply_and_feedback_run_on_every_member_and_list_the_refused() {
    let desk = Desk::new();
    let n: Vec<String> = ["3号楼停水", "3号楼停水三天", "停水没人管"]
        .iter()
        .map(|s| desk.intake(&format!("--summary {s} --name 王芳 --phone 13800138000")))
        .collect();
    for c in &n[..2] {
        desk.ok(
            Some(CLERK_PIN),
            &format!("case assign {c} --as {CLERK} --dept 护理部 --mode phone"),
        );
    }
    let out = desk.ok(
        Some(CLERK_PIN),
        &["case", "batch", "new", "--title", "9月30日 3号楼停水", "--as", CLERK],
    );
    assert!(out.contains("B2026-001"), "{out}");
    let out = desk.ok(
        Some(CLERK_PIN),
        &["case", "batch", "join", "b2026-001", &n[0], &n[1], &n[2], "--as", CLERK],
    );
    assert!(out.contains("全部办完"), "{out}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &["case", "batch", "join", "B2026-001", &n[0], "--as", CLERK],
        3,
    );
    assert!(err.contains("未办 1 件"), "{err}");
    let err = desk.fails(None, &["case", "batch", "show", "B2026-009"], 2);
    assert!(err.contains("B2026-009") && err.contains("B2026-001"), "{err}");

    let reply = [
        "case",
        "batch",
        "reply",
        "B2026-001",
        "--as",
        CLERK,
        "--verdict",
        "unjustified",
        "--facts",
        "市政管网抢修，已恢复供水",
    ];
    let out = desk.run(Some(CLERK_PIN), &reply);
    expect_code(&out, 3);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("{} 已登记部门答复", n[0])), "{stdout}");
    assert!(
        stdout.contains(&format!("{} 未办：", n[2])),
        "the refused one and why: {stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("已办 2 件，未办 1 件"));
    let feedback = [
        "case",
        "batch",
        "feedback",
        "B2026-001",
        "--as",
        CLERK,
        "--method",
        "phone",
        "--text",
        "已告知恢复供水",
    ];
    expect_code(&desk.run(Some(CLERK_PIN), &feedback), 3);
    for c in &n[..2] {
        let case = desk.show(c);
        let k = kinds(&case);
        assert!(
            k.contains(&"joined_batch") && k.contains(&"replied") && k.contains(&"feedback_given"),
            "{k:?}"
        );
        assert_eq!(case["batches"][0]["number"], "B2026-001");
        assert!(
            case["deadlines"]["return_visit"].is_string(),
            "each its own return visit: {case}"
        );
    }
    assert!(!kinds(&desk.show(&n[2])).contains(&"replied"));

    let show: Value = serde_json::from_str(&desk.ok(None, "case batch show B2026-001 --json")).unwrap();
    assert_eq!(show["title"], "9月30日 3号楼停水");
    assert_eq!(show["members"].as_array().unwrap().len(), 3);
    let list = desk.ok(None, "case batch list");
    assert!(list.contains("B2026-001") && list.contains("3 件"), "{list}");
    let report = desk.ok(None, "report --from 2026-09-01 --to 2026-09-30");
    assert!(report.contains("1 起，涉及 3 件"), "{report}");
}
