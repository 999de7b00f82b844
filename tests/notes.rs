//! Notes and corrections for colleagues (issue 20 point 1): a note (备注) and
//! a correction (更正) are on the case's timeline and in `case show --json`,
//! and the shift's handover lists every one recorded during the shift — the
//! incoming clerk reads them there — a confidential complainant's corrected
//! values hidden even there.
#![allow(clippy::unwrap_used)]

mod support;

use support::{CLERK, CLERK_PIN, Desk};

#[test]
fn the_handover_lists_the_shifts_notes_and_corrections() {
    let desk = Desk::new();
    let n = desk.intake("--summary 夜班护士态度生硬 --name 王芳 --phone 13800138000 --dept 护理部");
    let secret = desk.intake("--summary 医生收红包 --name 赵敏 --phone 13711112222 --confidential");
    let clerk = |args: &[&str]| desk.ok(Some(CLERK_PIN), args);
    clerk(&[
        "case",
        "note",
        &n,
        "--as",
        CLERK,
        "--text",
        "家属下午三点再来电，先看回复",
    ]);
    clerk(&[
        "case",
        "correct",
        &n,
        "--as",
        CLERK,
        "--field",
        "complainant.phone",
        "--value",
        "13900139000",
        "--reason",
        "电话记错",
    ]);
    clerk(&[
        "case",
        "correct",
        &secret,
        "--as",
        CLERK,
        "--field",
        "complainant.name",
        "--value",
        "赵明",
        "--reason",
        "同音字",
    ]);
    // On the case's timeline and in its JSON.
    let c = desk.show(&n);
    let kinds = support::kinds(&c);
    assert_eq!(kinds, ["received", "noted", "corrected"]);
    assert_eq!(c["events"][1]["text"], "家属下午三点再来电，先看回复");
    let id = clerk(&["handover", "prepare", "--as", CLERK]);
    let page = desk.ok(None, &["handover", "print", id.trim(), "--format", "text"]);
    let notes: Vec<&str> = page
        .lines()
        .skip_while(|l| !l.starts_with("本班备注与更正（3）"))
        .filter(|l| l.starts_with("  · "))
        .take(3)
        .collect();
    assert_eq!(
        notes,
        [
            format!("  · {n}  2026-09-30 10:00  张小明  备注 家属下午三点再来电，先看回复"),
            format!("  · {n}  2026-09-30 10:00  张小明  更正 投诉人电话：13800138000 → 13900139000（原因：电话记错）"),
            format!("  · {secret}  2026-09-30 10:00  张小明  更正 投诉人姓名：（保密）（原因：同音字）"),
        ],
        "{page}"
    );
    assert!(!page.contains("赵敏") && !page.contains("赵明"), "{page}");
}

#[test]
fn a_note_of_another_shift_is_not_this_shifts() {
    let desk = Desk::new();
    let n = desk.intake("--summary 夜班护士态度生硬 --name 王芳");
    // Recorded in the day shift; the night clerk's handover does not list it.
    desk.ok(
        Some(CLERK_PIN),
        &["case", "note", &n, "--as", CLERK, "--text", "白班的备注"],
    );
    let night = "2026-09-30T20:00:00+08:00";
    let id = desk.ok_at(night, Some(CLERK_PIN), &["handover", "prepare", "--as", CLERK]);
    let page = desk.ok_at(night, None, &["handover", "print", id.trim(), "--format", "text"]);
    assert!(page.contains("本班备注与更正（0）"), "{page}");
    assert!(!page.contains("白班的备注"), "{page}");
}
