//! An audit that holds against the file's own writer (issue 17, part 5):
//! `casedesk check` names a protective trigger that is gone, every stored
//! value of a case, complainant or account that is not what the audit log
//! replays to, and every anchor — a signed handover's, a backup's, a line of
//! an anchor file — the chain no longer passes through. The desk is edited
//! here as anyone who can write its file could (`support::tamper`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::duty::*;
use support::tamper::{guard, head, past_guards, rechain};
use support::*;

/// 张小明's night: a complaint with a phone and a confidential one, the
/// handover signed by 李静 at 07:58; returns the handover's id.
fn night_with_a_signed_handover(desk: &Desk) -> i64 {
    desk.intake("--summary 护士态度生硬 --name 王芳 --phone 13800138000");
    desk.intake("--summary 收费多收 --name 赵敏 --phone 13900001111 --confidential");
    desk.at("2026-03-03T07:50:00+08:00");
    let id = desk.signed_out();
    desk.at("2026-03-03T07:58:00+08:00");
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    id
}

/// `check` (with `extra` arguments), expected to fail: its standard output.
#[track_caller]
fn check_fails(desk: &Desk, extra: &str) -> String {
    let out = desk.run(None, &format!("check {extra}"));
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("检查通过"), "{stdout}");
    stdout
}

/// `check` (with `extra` arguments), expected to pass.
#[track_caller]
fn check_passes(desk: &Desk, extra: &str) -> String {
    let out = desk.ok(None, &format!("check {extra}"));
    assert!(out.contains("检查通过。"), "{out}");
    out
}

#[test]
fn check_passes_on_an_untouched_desk_and_on_a_demo_desk() {
    let desk = night_desk();
    night_with_a_signed_handover(&desk);
    desk.ok(None, &format!("backup {}", desk.path("b.db").display()));
    desk.ok(None, &format!("anchor {}", desk.path("anchors.txt").display()));
    let out = check_passes(&desk, "");
    // The handover's, and the backup's as the desk recorded it and as the copy keeps it.
    assert!(out.contains("锚点：2 个") && out.contains("人员：3 个"), "{out}");
    let out = check_passes(&desk, "--anchors anchors.txt --anchors b.db");
    assert!(out.contains("锚点：4 个"), "{out}");

    let demo = Desk::empty();
    demo.ok(None, "demo --cases 300 --seed 5");
    let out = check_passes(&demo, "");
    assert!(out.contains("案件：300 个"), "{out}");
    // The demo's week of signed handovers anchors the chain.
    let signed = demo.count("handovers WHERE anchor_events IS NOT NULL");
    assert!(signed >= 5, "{signed} signed handovers");
    assert!(out.contains(&format!("锚点：{signed} 个")), "{out}");
}

#[test]
fn a_signed_handover_prints_the_chain_head_it_was_signed_at() {
    let desk = night_desk();
    let id = night_with_a_signed_handover(&desk);
    let (events, hash): (i64, Vec<u8>) = desk
        .sql()
        .query_row(
            "SELECT anchor_events, anchor_head FROM handovers WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The head includes the signature's own event.
    let signed: i64 = desk
        .sql()
        .query_row(
            "SELECT MAX(id) FROM events WHERE kind = 'handover_signed_in'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, signed);
    let hex = hex::encode(&hash);
    assert_eq!(hex.len(), 64);
    let line = format!("审计链头（签收时）：第 {events} 条事件 · {hex}");
    assert!(desk.print(id, "text").contains(&format!("\n{line}\n")));
    assert!(desk.print(id, "md").contains(&format!("\n{line}  \n")));
    assert!(desk.print(id, "html").contains(&format!("<p>{line}</p>")));
    let en = desk.ok(None, &format!("--lang en handover print {id}"));
    assert!(
        en.contains(&format!("Audit chain head (when signed)：event {events} · {hex}")),
        "{en}"
    );
    // Typed back from the paper (its first 16 digits are enough), the page is evidence.
    std::fs::write(desk.path("paper.txt"), format!("{events} {}\n", &hex[..16])).unwrap();
    check_passes(&desk, "--anchors paper.txt");
}

#[test]
fn a_dropped_changed_or_added_trigger_is_named() {
    let desk = Desk::new();
    desk.intake("--summary 护士态度生硬 --name 王芳");
    check_passes(&desk, "");
    let conn = desk.sql();
    for name in [
        "events_no_update",
        "handovers_signed_read_only",
        "staff_no_delete",
        "case_counters_only_up",
    ] {
        let sql = guard(&conn, name);
        conn.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
        let out = check_fails(&desk, "");
        assert!(out.contains(&format!("保护触发器 {name} 不见了")), "{out}");
        conn.execute_batch(&sql).unwrap();
    }
    check_passes(&desk, "");

    // Put back as something else: a guard that guards nothing.
    let sql = guard(&conn, "events_no_delete");
    conn.execute_batch(
        "DROP TRIGGER events_no_delete;
         CREATE TRIGGER events_no_delete BEFORE DELETE ON events WHEN 0 BEGIN SELECT 1; END;",
    )
    .unwrap();
    let out = check_fails(&desk, "--lang en");
    assert!(
        out.contains("Protective trigger events_no_delete is not as the migrations made it"),
        "{out}"
    );
    conn.execute_batch(&format!("DROP TRIGGER events_no_delete; {sql}"))
        .unwrap();

    // A trigger of someone's own can change rows as they are written.
    conn.execute_batch("CREATE TRIGGER quiet AFTER INSERT ON cases BEGIN UPDATE cases SET level = 0; END;")
        .unwrap();
    let out = check_fails(&desk, "");
    assert!(out.contains("多出一个触发器 quiet"), "{out}");
    conn.execute_batch("DROP TRIGGER quiet").unwrap();
    check_passes(&desk, "");
}

#[test]
fn edits_to_cases_complainants_and_staff_are_named_by_case_or_account_and_column() {
    let desk = night_desk();
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    night_with_a_signed_handover(&desk);
    check_passes(&desk, "");
    let conn = desk.sql();
    let edits = [
        (
            "UPDATE staff SET role = 'supervisor' WHERE name = '张小明'",
            "人员 张小明：role 与审计记录不符",
            "UPDATE staff SET role = 'clerk' WHERE name = '张小明'",
        ),
        (
            "UPDATE staff SET active = 0 WHERE name = '李静'",
            "人员 李静：active 与审计记录不符",
            "UPDATE staff SET active = 1 WHERE name = '李静'",
        ),
        (
            "UPDATE cases SET confidential = 0 WHERE number = '2026-000002'",
            "案件 2026-000002：confidential 与其审计记录重放的结果不符",
            "UPDATE cases SET confidential = 1 WHERE number = '2026-000002'",
        ),
        (
            "UPDATE complainants SET phone = '13700000000'
             WHERE id = (SELECT complainant_id FROM cases WHERE number = '2026-000001')",
            "案件 2026-000001：complainant.phone 与其审计记录重放的结果不符",
            "UPDATE complainants SET phone = '13800138000'
             WHERE id = (SELECT complainant_id FROM cases WHERE number = '2026-000001')",
        ),
        (
            "UPDATE cases SET owner_id = (SELECT id FROM staff WHERE name = '李静') WHERE number = '2026-000001'",
            "案件 2026-000001：owner_id 与其审计记录重放的结果不符",
            "UPDATE cases SET owner_id = (SELECT id FROM staff WHERE name = '张小明') WHERE number = '2026-000001'",
        ),
    ];
    for (edit, named, undo) in edits {
        conn.execute_batch(edit).unwrap();
        let out = check_fails(&desk, "");
        assert!(out.contains(named), "{edit}:\n{out}");
        conn.execute_batch(undo).unwrap();
        check_passes(&desk, "");
    }

    // The supervisor's PIN hash copied onto a clerk's account: the clerk's
    // account now opens with the supervisor's PIN, and the log says otherwise.
    let own: String = conn
        .query_row("SELECT pin_hash FROM staff WHERE name = ?", [INC], |r| r.get(0))
        .unwrap();
    conn.execute(
        "UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE name = ?) WHERE name = ?",
        [SUPERVISOR, INC],
    )
    .unwrap();
    desk.ok(Some(SUPERVISOR_PIN), &format!("duty start --as {INC}"));
    let out = check_fails(&desk, "");
    assert!(out.contains("人员 李静：pin_hash 与审计记录不符"), "{out}");
    let out = check_fails(&desk, "--lang en");
    assert!(out.contains("Staff 李静: pin_hash differs from the audit log"), "{out}");
    conn.execute("UPDATE staff SET pin_hash = ? WHERE name = ?", [own.as_str(), INC])
        .unwrap();
    check_passes(&desk, "");

    // A PIN changed through the desk is recorded, and checks out.
    let out = desk
        .cmd(Some(ADMIN_PIN), &format!("staff pin --as {ADMIN} --name {INC}"))
        .env("CASEDESK_NEW_PIN", "5555")
        .output()
        .unwrap();
    expect_code(&out, 0);
    check_passes(&desk, "");

    // The desk's rules kept in the file, and the training switch (a real
    // desk made a training desk would take a clerk's clock).
    conn.execute_batch("INSERT INTO desk_settings (key, value) VALUES ('policy', '[return_visit]\nattempts = 9')")
        .unwrap();
    let out = check_fails(&desk, "");
    assert!(out.contains("接待台设置 policy 与审计记录不符"), "{out}");
    conn.execute_batch("DELETE FROM desk_settings WHERE key = 'policy'")
        .unwrap();
    conn.execute_batch("UPDATE desk_settings SET value = '0' WHERE key = 'training'")
        .unwrap();
    let out = desk.command(None, "check").env_remove("CASEDESK_NOW").output().unwrap();
    expect_code(&out, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("接待台设置 training 与审计记录不符"), "{stdout}");
    conn.execute_batch("UPDATE desk_settings SET value = '1' WHERE key = 'training'")
        .unwrap();
    check_passes(&desk, "");

    // An account added behind the desk's back, and a case number set back.
    conn.execute_batch(
        "INSERT INTO staff (name, role, pin_hash, created_at) SELECT '影子', 'admin', pin_hash, 0 FROM staff LIMIT 1",
    )
    .unwrap();
    past_guards(&conn, &["case_counters_only_up"], "UPDATE case_counters SET last = 1");
    let out = check_fails(&desk, "");
    assert!(out.contains("人员 影子：审计记录里从未添加这个账号"), "{out}");
    assert!(out.contains("2026 年的案件编号计数器落后于已发出的编号"), "{out}");
}

#[test]
fn a_role_raised_by_hand_is_not_laundered_by_the_upgrade_record() {
    let desk = Desk::new();
    let conn = desk.sql();
    // The file's writer raises a role and asks the desk to record its
    // accounts as they stand, as it does once for a desk made before migration 11.
    conn.execute_batch(
        "UPDATE staff SET role = 'admin' WHERE name = '张小明';
         INSERT INTO desk_settings (key, value) VALUES ('staff_baseline', 'pending');",
    )
    .unwrap();
    let out = check_fails(&desk, "");
    assert!(out.contains("人员 张小明：role 与审计记录不符"), "{out}");
    let recorded: i64 = conn
        .query_row("SELECT COUNT(*) FROM events WHERE kind = 'staff_recorded'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        recorded, 2,
        "the record was made, and still disagrees with the log before it"
    );
}

#[test]
fn a_deleted_tail_is_named_by_the_anchor_it_no_longer_reaches() {
    let desk = night_desk();
    let id = night_with_a_signed_handover(&desk);
    let anchored: i64 = desk
        .sql()
        .query_row("SELECT anchor_events FROM handovers WHERE id = ?", [id], |r| r.get(0))
        .unwrap();
    desk.at("2026-03-03T09:00:00+08:00");
    desk.intake("--summary 停车收费不合理 --name 孙八");
    desk.ok(None, &format!("anchor {}", desk.path("anchors.txt").display()));
    check_passes(&desk, "--anchors anchors.txt");
    let conn = desk.sql();

    // The last case's events go: the anchor file's line, taken after them, no longer meets the chain.
    let (last, _) = head(&conn);
    past_guards(
        &conn,
        &["events_no_delete", "cases_no_delete", "complainants_no_delete"],
        "DELETE FROM events WHERE case_id = (SELECT MAX(id) FROM cases);
         DELETE FROM cases WHERE id = (SELECT MAX(id) FROM cases);",
    );
    let (now, _) = head(&conn);
    let out = check_fails(&desk, "--anchors anchors.txt");
    assert!(out.contains("锚点文件 anchors.txt 第 2 行（"), "{out}");
    assert!(
        out.contains(&format!("审计链头 {last} / ")) && out.contains(&format!("审计链现在只到第 {now} 条")),
        "{out}"
    );
    // Without the file, nothing inside the desk reached that far.
    check_passes(&desk, "");

    // Back to before the signature: the handover names itself.
    past_guards(
        &conn,
        &["events_no_delete"],
        &format!("DELETE FROM events WHERE id >= {}", anchored - 1),
    );
    let out = check_fails(&desk, "");
    assert!(
        out.contains(&format!(
            "交接班 #{id}（2026-03-03 07:58 签收）：审计链头 {anchored} / "
        )) && out.contains(&format!("审计链现在只到第 {} 条，其后的记录被删除了", anchored - 2)),
        "{out}"
    );
    let out = check_fails(&desk, "--lang en");
    assert!(
        out.contains(&format!(
            "handover #{id} signed 2026-03-03 07:58: chain head {anchored} / "
        )),
        "{out}"
    );
}

#[test]
fn a_consistent_rewrite_before_the_last_anchor_is_named_by_the_anchor() {
    let desk = night_desk();
    let id = night_with_a_signed_handover(&desk);
    desk.ok(None, &format!("backup {}", desk.path("b.db").display()));
    desk.ok(None, &format!("anchor {}", desk.path("anchors.txt").display()));
    let conn = desk.sql();

    // The first complaint said otherwise: its intake event, its case row and
    // the whole chain after it, rewritten so that each link holds.
    past_guards(
        &conn,
        &["events_no_update"],
        "UPDATE events SET body = replace(body, '护士态度生硬', '一切正常') WHERE case_id = 1;
         UPDATE cases SET summary = '一切正常' WHERE id = 1;",
    );
    rechain(&conn);
    let out = check_fails(&desk, "");
    assert!(!out.contains("审计链在第"), "every link holds:\n{out}");
    assert!(!out.contains("案件 2026-000001"), "the case fits its events:\n{out}");
    assert!(
        out.contains(&format!("交接班 #{id}（2026-03-03 07:58 签收）：审计链头 "))
            && out.contains("已不符：审计链在此之前被改写过"),
        "{out}"
    );
    assert!(out.contains(&format!("备份 {}", desk.path("b.db").display())), "{out}");

    // The desk's own anchors rewritten too: the desk alone cannot tell, the
    // anchor file kept outside it and the backup can.
    let (events, hash) = head(&conn);
    let at = |n: i64| -> Vec<u8> {
        conn.query_row("SELECT hash FROM events WHERE id = ?", [n], |r| r.get(0))
            .unwrap()
    };
    let signed: i64 = conn
        .query_row("SELECT anchor_events FROM handovers WHERE id = ?", [id], |r| r.get(0))
        .unwrap();
    let backed_up: i64 = conn
        .query_row("SELECT events FROM anchors WHERE kind = 'backup'", [], |r| r.get(0))
        .unwrap();
    past_guards(
        &conn,
        &["handovers_signed_read_only", "anchors_no_update"],
        &format!(
            "UPDATE handovers SET anchor_head = x'{}' WHERE id = {id};
             UPDATE anchors SET head = x'{}';",
            hex::encode(at(signed)),
            hex::encode(at(backed_up)),
        ),
    );
    assert!(events > backed_up && !hash.is_empty());
    check_passes(&desk, "");
    let out = check_fails(&desk, "--anchors anchors.txt --anchors b.db");
    assert!(
        out.contains("锚点文件 anchors.txt 第 2 行（") && out.contains("已不符：审计链在此之前被改写过"),
        "{out}"
    );
    assert!(
        out.contains(&format!("备份文件 b.db：审计链头 {backed_up} / ")),
        "{out}"
    );
}
