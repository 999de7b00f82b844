//! The command line as users and integrators drive it (see `cli.rs`): who
//! sees a complainant (anonymous and confidential cases), listing and search
//! (also on desks of older versions), repeats and escalation at intake.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use serde_json::{Value, json};
use support::*;

// ---------------------------------------------------------------- privacy

#[test]
fn anonymous_cases_store_no_identity() {
    let desk = Desk::new();
    // An identity together with --anonymous is a usage error.
    desk.fails(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel letter --kind complaint --summary x --anonymous --name 王芳",
        2,
    );
    let n = desk.intake("--summary 匿名信反映收费问题 --anonymous --dept 护理部");
    assert_eq!(n, "2026-000001");
    let c = desk.show(&n);
    assert_eq!(c["complainant"], json!({"anonymous": true}));
    assert_eq!(c["confidential"], false);
    assert_eq!(desk.count("complainants"), 0);

    let export: Value = serde_json::from_str(&desk.ok(None, "export --format json")).unwrap();
    assert_eq!(export["cases"].as_array().unwrap().len(), 1);
    let case = &export["cases"][0];
    assert_eq!(case["number"], n);
    assert_eq!(case["events"][0]["complainant"], json!({"type": "anonymous"}));

    // No contact, so no return visit: it closes exempt once answered.
    desk.ok(
        Some(CLERK_PIN),
        &format!("case answer {n} --as 张小明 --text 已转收费处核查"),
    );
    desk.fails(
        Some(CLERK_PIN),
        &format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied"),
        3,
    );
    desk.ok(Some(CLERK_PIN), &format!("case close {n} --as 张小明"));
    assert_eq!(desk.show(&n)["state"], "closed");
}

#[test]
fn confidential_complainant_is_shown_only_to_owner_and_supervisors() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake("--summary 反映医生收受红包 --name 赵秘密 --phone 13900001111 --confidential");

    let hidden = desk.ok(None, &format!("case show {n} --json"));
    let c: Value = serde_json::from_str(&hidden).unwrap();
    assert_eq!(c["complainant"], json!({"confidential": true}));
    assert_eq!(c["confidential"], true);
    assert!(
        !hidden.contains("赵秘密") && !hidden.contains("13900001111"),
        "{hidden}"
    );
    let text = desk.ok(None, &format!("case show {n}"));
    assert!(!text.contains("赵秘密") && !text.contains("13900001111"), "{text}");
    assert_eq!(
        desk.show_as(&n, OTHER, OTHER_PIN)["complainant"],
        json!({"confidential": true})
    );
    let named = json!({"name": "赵秘密", "phone": "13900001111", "address": null, "relation": null});
    assert_eq!(desk.show_as(&n, CLERK, CLERK_PIN)["complainant"], named);
    // A supervisor who is not the owner sees it only with a reason, and the viewing is recorded.
    assert_eq!(
        desk.show_as(&n, SUPERVISOR, SUPERVISOR_PIN)["complainant"],
        json!({"confidential": true})
    );
    let out = desk.ok(
        Some(SUPERVISOR_PIN),
        &format!("case show {n} --json --as {SUPERVISOR} --reason 医疗纠纷调查"),
    );
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["complainant"], named);
    let views: Vec<String> = desk
        .sql()
        .prepare("SELECT body FROM events WHERE kind = 'confidential_viewed' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(views.len(), 2, "the owner's view and the supervisor's: {views:?}");
    assert!(views[1].contains("医疗纠纷调查"), "{views:?}");

    // Search without a viewer finds it by its text only, never by who complained.
    assert_eq!(desk.numbers("--search 赵秘密"), Vec::<String>::new());
    assert_eq!(desk.numbers("--search 13900001111"), Vec::<String>::new());
    let rows = desk.list("--search 红包");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["number"], n);
    assert_eq!(rows[0]["complainant"], "***");
    let out = desk.ok(Some(OTHER_PIN), "case list --json --search 赵秘密 --as 李静");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), json!([]));
    // The owner finds it by name.
    let out = desk.ok(Some(CLERK_PIN), "case list --json --search 赵秘密 --as 张小明");
    let rows: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["number"], n);
    // Lists never show a confidential complainant, not even to the owner: the
    // case page does, and records the viewing.
    assert_eq!(rows[0]["complainant"], "***");
}

#[test]
fn csv_export_does_not_leak_confidential_complainants() {
    let desk = Desk::new();
    desk.intake("--summary 反映医生收受红包 --name 赵秘密 --phone 13900001111 --confidential");
    let csv = desk.ok(None, "export --format csv");
    assert!(csv.contains(",***,"), "{csv}");
    assert!(!csv.contains("赵秘密"), "{csv}");
    assert!(!csv.contains("13900001111"), "{csv}");
}

// ---------------------------------------------------------------- listing

#[test]
fn a_desk_from_before_the_search_index_parts_says_it_indexes_again_and_finds_everything() {
    let desk = Desk::new();
    let a = desk.intake("--summary 护士态度生硬 --name 王芳");
    let b = desk.intake("--summary 收费处多收了挂号费 --name 李四");
    // What an older desk looks like after migration 8: cases, no index parts.
    let sql = desk.sql();
    let parts = casedesk::store::search::parts(&sql).unwrap();
    for p in parts {
        let table = casedesk::store::search::part_table(p);
        sql.execute_batch(&format!("DROP TABLE {table}")).unwrap();
    }
    sql.execute("DELETE FROM search_parts", []).unwrap();
    drop(sql);
    let out = desk.run(None, "case list --json --search 挂号");
    expect_code(&out, 0);
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("正在为 2 件案件重建检索索引"), "{said}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["number"], b);
    // Once: the next command says nothing more.
    let out = desk.run(None, "case list --json --search 态度");
    expect_code(&out, 0);
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["number"], a);
}

#[test]
fn a_desk_of_an_older_version_says_it_is_updated_once_and_keeps_its_cases() {
    let desk = Desk::new();
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    let b = desk.intake("--summary 又是护士态度 --name 王芳 --phone 138-0013-8000");
    // What a desk of schema version 8 looks like: complainants' own indexes,
    // no index of a caller's cases, no settings, events without their writing
    // time, no index of late entries, nothing of migration 11 (anchors, the
    // guards it adds), none of the tables and columns of later migrations.
    let sql = desk.sql();
    sql.execute_batch(support::desk::UNDO_MIGRATION_15).unwrap();
    sql.execute_batch(support::desk::UNDO_MIGRATION_14).unwrap();
    sql.execute_batch(support::desk::UNDO_MIGRATION_13).unwrap();
    sql.execute_batch(
        "DROP INDEX events_late;
         DROP TABLE anchors;
         ALTER TABLE handovers DROP COLUMN anchor_events;
         ALTER TABLE handovers DROP COLUMN anchor_head;
         DROP TRIGGER staff_no_delete;
         DROP TRIGGER cases_no_delete;
         DROP TRIGGER complainants_no_delete;
         DROP TRIGGER case_counters_only_up;
         DROP TRIGGER case_counters_no_delete;
         DROP INDEX cases_caller;
         CREATE INDEX complainants_phone ON complainants(phone_key) WHERE phone_key IS NOT NULL;
         CREATE INDEX complainants_name_no_phone ON complainants(name) WHERE phone_key IS NULL;
         DROP TABLE desk_settings;
         ALTER TABLE events DROP COLUMN recorded_at;
         PRAGMA user_version = 8;",
    )
    .unwrap();
    drop(sql);
    // A desk from before training desks is a real desk: opened on the real clock.
    let out = desk
        .command(None, &["case", "list", "--json"])
        .env_remove("CASEDESK_NOW")
        .output()
        .unwrap();
    expect_code(&out, 0);
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("正在为 2 件案件更新数据库结构"), "{said}");
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2);
    // Its accounts recorded once as they stand, so `check` replays them from now on.
    assert_eq!(desk.count("events WHERE kind = 'staff_recorded'"), 2);
    assert_eq!(desk.count("desk_settings WHERE key = 'staff_baseline'"), 0);
    let sql = desk.sql();
    let index: String = sql
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'cases_caller'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(index.contains("caller_key, received_at"), "{index}");
    // The rest of this test runs at the desk's test time, as on a training desk.
    sql.execute("INSERT INTO desk_settings (key, value) VALUES ('training', '1')", [])
        .unwrap();
    drop(sql);
    // Once: the next command says nothing more, and the caller's third call
    // is found a repeat through the new index.
    let out = desk.run(
        Some(CLERK_PIN),
        "case new --as 张小明 --channel phone --kind complaint --summary 第三次 --name 王芳 --phone 13800138000",
    );
    expect_code(&out, 0);
    assert!(out.stderr.is_empty(), "{:?}", String::from_utf8_lossy(&out.stderr));
    let c = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(![&a, &b].contains(&&c), "{c}");
    assert_eq!(desk.show(&c)["flags"], json!(["repeat"]));
}

#[test]
fn list_filters_by_state_owner_search_and_overdue() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    // Acknowledge is due at the end of today.
    let a = desk.intake("--summary 护士态度生硬 --name 王芳 --dept 护理部");
    let b = desk.intake_as(
        OTHER,
        OTHER_PIN,
        "--summary 收费处多收了挂号费 --name 李四 --promise 2026-10-20",
    );
    let c = desk.intake("--summary 停车场排队太久 --name 张三 --promise 2026-10-09");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case assign {c} --as 张小明 --dept 护理部 --mode written"),
    );

    assert_eq!(desk.numbers("--state assigned"), [c.as_str()]);
    let received: BTreeSet<String> = desk.numbers("--state received").into_iter().collect();
    assert_eq!(received, BTreeSet::from([a.clone(), b.clone()]));
    assert_eq!(desk.numbers("--owner 李静"), [b.as_str()]);
    // Two Chinese characters are enough.
    assert_eq!(desk.numbers("--search 态度"), [a.as_str()]);
    assert_eq!(desk.numbers("--search 挂号"), [b.as_str()]);
    assert_eq!(desk.numbers("--search 李四"), [b.as_str()]);
    assert_eq!(desk.numbers("--search 100%"), Vec::<String>::new());
    assert_eq!(desk.numbers("--state received --owner 张小明"), [a.as_str()]);
    // Most urgent first: a (today), c (9 October), b (20 October).
    assert_eq!(desk.numbers(""), [a.as_str(), c.as_str(), b.as_str()]);
    assert_eq!(desk.numbers("--overdue"), Vec::<String>::new());

    desk.at("2026-10-12T09:00:00+08:00");
    assert_eq!(desk.numbers("--overdue"), [a.as_str(), c.as_str()]);
    let rows = desk.list("");
    let row = &rows[0];
    assert_eq!(row["number"], a);
    assert_eq!(row["state"], "received");
    assert_eq!(row["kind"], "complaint");
    assert_eq!(row["owner"], CLERK);
    assert_eq!(row["dept"], "护理部");
    assert_eq!(row["summary"], "护士态度生硬");
    assert_eq!(row["complainant"], "王芳");
    assert_eq!(row["received_at"], T0);
    assert_eq!(row["next_due"], "2026-09-30T23:59:59+08:00");
    assert_eq!(row["overdue"], true);
    assert_eq!(rows[2]["number"], b);
    assert_eq!(rows[2]["overdue"], false);

    // The text listing marks overdue lines.
    let text = desk.ok(None, "case list --overdue");
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().all(|l| l.starts_with("⚠ ")), "{text}");
}

// ---------------------------------------------------------------- escalation at intake

#[test]
fn third_case_from_the_same_phone_within_90_days_is_a_repeat() {
    let desk = Desk::new();
    // Outside the 90-day window of the later cases.
    let old = desk.intake("--summary 夏天的投诉 --name 王芳 --phone 13800138000 --received-at 2026-06-01");
    let first = desk.intake("--summary 第一次投诉 --name 王芳 --phone 138-0013-8000 --received-at 2026-07-15");
    let second = desk.intake(&[
        "--summary",
        "第二次投诉",
        "--name",
        "王女士",
        "--phone",
        "+86 138 0013 8000",
    ]);
    for n in [&old, &first, &second] {
        let c = desk.show(n);
        assert_eq!((c["level"].clone(), c["flags"].clone()), (json!(0), json!([])), "{n}");
    }
    let third = desk.intake("--summary 第三次投诉 --name 王芳 --phone 13800138000");
    let c = desk.show(&third);
    assert_eq!(c["flags"], json!(["repeat"]));
    assert_eq!(c["level"], 1);
    assert_eq!(kinds(&c), ["received", "escalated"]);
    assert_eq!(c["events"][1]["actor"], "system");
    // Another caller is not affected.
    let other = desk.intake("--summary 别人的投诉 --name 李四 --phone 13900000000");
    assert_eq!(desk.show(&other)["flags"], json!([]));
}

#[test]
fn major_case_goes_to_level_2_with_a_12_hour_report_clock() {
    let desk = Desk::new();
    let n = desk.intake("--summary 输液差错致患者过敏 --name 王芳 --phone 13800138000 --severity major --dept 护理部");
    let c = desk.show(&n);
    assert_eq!(c["severity"], "major");
    assert_eq!(c["level"], 2);
    assert_eq!(c["flags"], json!(["report_now"]));
    assert_eq!(c["deadlines"]["report_to_leadership"], "2026-09-30T22:00:00+08:00");
    assert_eq!(c["deadlines"]["urgent_answer"], "2026-10-10T23:59:59+08:00");
    assert_eq!(kinds(&c), ["received", "escalated"]);
    assert_eq!(c["events"][1]["actor"], "system");

    let n = desk.intake("--summary 重要投诉 --name 李四 --severity important");
    let c = desk.show(&n);
    assert_eq!(c["level"], 0);
    assert_eq!(c["flags"], json!(["supervisor_notified"]));
    assert_eq!(c["deadlines"].get("report_to_leadership"), None);
}
