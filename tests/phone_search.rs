//! Finding a caller by phone (issue 18, point 8): a phone number searched
//! however it is written — digits, dashes, spaces, +86, full-width digits —
//! finds the case whose phone was written any of those ways, on the command
//! line (`case list --search`) and in the screens' search, through the search
//! index (a phone is indexed as written and as its digits). A desk from before
//! indexes its cases with such phones again, once, when it is first opened.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::store::CaseFilter;
use casedesk::ui::app::Screen;
use casedesk::words::Lang;
use support::{CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, expect_code};

/// A desk with four callers whose phones were written four ways, and one
/// case whose summary holds a number with dashes.
fn desk() -> (Desk, [String; 5]) {
    let desk = Desk::new();
    let a = desk.intake(&[
        "--summary",
        "候诊时间过长",
        "--name",
        "王芳",
        "--phone",
        "138-1111-2222",
    ]);
    let b = desk.intake(&[
        "--summary",
        "收费有误",
        "--name",
        "李四",
        "--phone",
        "+86 139 2222 3333",
    ]);
    let c = desk.intake(&[
        "--summary",
        "病房太吵",
        "--name",
        "赵五",
        "--phone",
        "１３７３３３３４４４４",
    ]);
    let d = desk.intake(&["--summary", "停车难", "--name", "钱六", "--phone", "13644445555"]);
    let e = desk.intake(&["--summary", "工号 2026-0815 的护士很耐心", "--name", "孙七"]);
    (desk, [a, b, c, d, e])
}

fn found(desk: &Desk, term: &str) -> Vec<String> {
    let out = desk.ok(None, &["case", "list", "--json", "--limit", "0", "--search", term]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    rows.iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_phone_is_found_however_it_was_written_and_however_it_is_typed() {
    let (desk, [a, b, c, d, _]) = desk();
    for term in [
        "13811112222",
        "138-1111-2222",
        "138 1111 2222",
        "+86 138 1111 2222",
        "+8613811112222",
        "１３８１１１１２２２２",
    ] {
        assert_eq!(found(&desk, term), [a.as_str()], "{term}");
    }
    for term in ["13922223333", "139-2222-3333", "+86 139 2222 3333"] {
        assert_eq!(found(&desk, term), [b.as_str()], "{term}");
    }
    for term in ["13733334444", "137 3333 4444", "１３７３３３３４４４４"] {
        assert_eq!(found(&desk, term), [c.as_str()], "{term}");
    }
    for term in ["13644445555", "136-4444-5555", "+86 136 4444 5555"] {
        assert_eq!(found(&desk, term), [d.as_str()], "{term}");
    }
    // Part of a number, as a clerk remembers it.
    assert_eq!(found(&desk, "1111-2222"), [a.as_str()]);
    assert_eq!(found(&desk, "11112222"), [a.as_str()]);
    // Nothing else matches.
    assert!(found(&desk, "138-1111-2229").is_empty());
}

#[test]
fn numbers_with_dashes_in_the_text_and_case_numbers_are_still_found_as_written() {
    let (desk, [a, _, _, _, e]) = desk();
    assert_eq!(found(&desk, "2026-0815"), [e.as_str()]);
    assert_eq!(found(&desk, &a), [a.as_str()], "a case number has a dash too");
}

#[test]
fn a_confidential_callers_phone_is_found_by_digits_only_by_the_owner() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    let n = desk.intake(&[
        "--summary",
        "医生收红包",
        "--name",
        "赵秘密",
        "--phone",
        "139-0000-1111",
        "--confidential",
    ]);
    assert!(found(&desk, "13900001111").is_empty(), "no viewer");
    let other = desk.ok(
        Some(OTHER_PIN),
        &["case", "list", "--json", "--search", "13900001111", "--as", OTHER],
    );
    assert_eq!(other.trim(), "[]");
    let owner = desk.ok(
        Some(CLERK_PIN),
        &["case", "list", "--json", "--search", "+86 139 0000 1111", "--as", CLERK],
    );
    assert!(owner.contains(&n), "{owner}");
}

#[test]
fn the_screens_search_finds_a_phone_typed_without_its_dashes() {
    let (desk, [a, ..]) = desk();
    let mut s = support::screen::Screens::over_file(&desk.paths(), Lang::Zh);
    s.sign_in("zxm", CLERK_PIN);
    s.typed("/");
    s.typed("13811112222");
    let Screen::Search(search) = &s.app.screen else {
        panic!("not on the search screen")
    };
    let numbers: Vec<&str> = search.results.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers, [a.as_str()]);
    let screen = s.text(80, 24).join("\n");
    assert!(screen.contains(&a) && screen.contains("候诊时间过长"), "{screen}");
    // The count in the title goes the same way.
    let user = s.app.user.clone();
    let store = s.app.desk.store();
    assert_eq!(store.search_count("+86 138 1111 2222", user.as_ref(), 100).unwrap(), 1);
    let rows = store
        .list(
            &CaseFilter {
                search: Some("１３８-１１１１-２２２２".into()),
                ..CaseFilter::default()
            },
            user.as_ref(),
        )
        .unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn a_desk_from_before_indexes_its_cases_with_written_phones_again_once() {
    let (desk, [a, b, c, d, _]) = desk();
    // What the index of an older desk held: the phone as written only.
    let sql = desk.sql();
    for number in [&a, &b, &c, &d] {
        let (id, name, phone): (i64, String, String) = sql
            .query_row(
                "SELECT c.id, p.name, p.phone FROM cases c JOIN complainants p ON p.id = c.complainant_id
                 WHERE c.number = ?",
                [number],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let table = casedesk::store::search::part_table(id >> 16);
        let body: String = sql
            .query_row(
                "SELECT number || ' ' || summary || ' ' || details FROM cases WHERE id = ?",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        sql.execute(&format!("DELETE FROM {table} WHERE rowid = ?"), [id])
            .unwrap();
        sql.execute(
            &format!("INSERT INTO {table} (rowid, body, who) VALUES (?, ?, ?)"),
            rusqlite::params![
                id,
                casedesk::store::search::tokens(&body),
                casedesk::store::search::tokens(&format!("{name} {phone}"))
            ],
        )
        .unwrap();
    }
    // … and its schema as it was before migration 13.
    let version: i64 = sql.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    sql.execute_batch(support::desk::UNDO_MIGRATION_15).unwrap();
    sql.execute_batch(support::desk::UNDO_MIGRATION_14).unwrap();
    sql.execute_batch(support::desk::UNDO_MIGRATION_13).unwrap();
    sql.execute_batch(&format!("PRAGMA user_version = {};", version - 3))
        .unwrap();
    drop(sql);
    let listed = |term: &str| -> Vec<String> {
        let out = desk.run(None, &format!("case list --json --limit 0 --search {term}"));
        expect_code(&out, 0);
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter().map(|r| r["number"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(listed("13811112222"), [a.as_str()]);
    assert_eq!(listed("13922223333"), [b.as_str()]);
    assert_eq!(listed("13733334444"), [c.as_str()]);
    assert_eq!(listed("13644445555"), [d.as_str()]);
    assert_eq!(desk.count("search_reindex"), 0, "the list is emptied once done");
}
