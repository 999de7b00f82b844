//! Saved views (保存的视图) through the domain: what a view selects and in
//! which order, on fixed dates in the desk's time zone (+08:00) either side of
//! a shift change (day 08:00–17:30, night 17:30–08:00); and the names and
//! numbers a saved view may have.

#![allow(clippy::unwrap_used)]

use std::cmp::Ordering;

use casedesk::domain::view::{DueBy, Sort, View, ViewError, ViewFacts, Whose, check_name, check_slot, next_state};
use casedesk::domain::{Policy, StaffId, State, Time};
use chrono::{DateTime, Utc};

fn at(s: &str) -> Time {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn case(number: &str, owner: i64, due: Option<&str>) -> ViewFacts {
    ViewFacts {
        number: number.to_string(),
        received_at: at("2026-10-12T09:00:00+08:00"),
        owner: StaffId(owner),
        state: State::Assigned,
        level: 0,
        next_due: due.map(at),
    }
}

const ME: StaffId = StaffId(2);

#[test]
fn due_by_the_end_of_this_shift_changes_at_the_shift_change() {
    let policy = Policy::builtin().unwrap();
    let view = View {
        due: DueBy::Shift,
        ..View::of(Whose::Mine)
    };
    // Due at 19:00: outside the day shift (ends 17:30), inside the night shift.
    let evening = case("2026-000001", 2, Some("2026-10-12T19:00:00+08:00"));
    let day = at("2026-10-12T17:29:00+08:00");
    let night = at("2026-10-12T17:30:00+08:00");
    assert_eq!(view.due_before(&policy, day), Some(at("2026-10-12T17:30:00+08:00")));
    assert!(!view.selects(ME, &evening, day, view.due_before(&policy, day)));
    assert_eq!(view.due_before(&policy, night), Some(at("2026-10-13T08:00:00+08:00")));
    assert!(view.selects(ME, &evening, night, view.due_before(&policy, night)));
    // Due the next morning at 08:00 sharp: the day shift's, not the night's.
    let morning = case("2026-000002", 2, Some("2026-10-13T08:00:00+08:00"));
    assert!(!view.selects(ME, &morning, night, view.due_before(&policy, night)));
    // After midnight the night shift still runs until 08:00.
    let small_hours = at("2026-10-13T03:00:00+08:00");
    assert_eq!(
        view.due_before(&policy, small_hours),
        Some(at("2026-10-13T08:00:00+08:00"))
    );
}

#[test]
fn due_by_the_end_of_today_is_the_local_day_and_takes_overdue_cases_too() {
    let policy = Policy::builtin().unwrap();
    let view = View {
        due: DueBy::Today,
        ..View::of(Whose::All)
    };
    let now = at("2026-10-12T23:00:00+08:00");
    let bound = view.due_before(&policy, now);
    // 23:59:59 is today, midnight is tomorrow; an overdue case is due by tonight.
    assert!(view.selects(ME, &case("a", 9, Some("2026-10-12T23:59:59+08:00")), now, bound));
    assert!(!view.selects(ME, &case("b", 9, Some("2026-10-13T00:00:00+08:00")), now, bound));
    assert!(view.selects(ME, &case("c", 9, Some("2026-10-10T10:00:00+08:00")), now, bound));
    // Nothing running is never due.
    assert!(!view.selects(ME, &case("d", 9, None), now, bound));
    // After midnight "today" is the next day (16:00 UTC is local midnight).
    let later = at("2026-10-12T16:00:00Z");
    assert!(view.selects(
        ME,
        &case("b", 9, Some("2026-10-13T00:00:00+08:00")),
        later,
        view.due_before(&policy, later)
    ));
}

#[test]
fn each_part_narrows_and_the_parts_combine() {
    let now = at("2026-10-12T10:00:00+08:00");
    let mine_overdue = case("a", 2, Some("2026-10-12T09:00:00+08:00"));
    let theirs_overdue = case("b", 3, Some("2026-10-12T09:00:00+08:00"));
    let mut escalated = case("c", 2, Some("2026-10-14T09:00:00+08:00"));
    escalated.level = 2;
    let mut replied = case("d", 2, None);
    replied.state = State::Replied;
    let all = [&mine_overdue, &theirs_overdue, &escalated, &replied];
    let shown = |v: View| -> Vec<String> {
        all.iter()
            .filter(|c| v.selects(ME, c, now, None))
            .map(|c| c.number.clone())
            .collect()
    };
    assert_eq!(shown(View::of(Whose::Mine)), ["a", "c", "d"]);
    assert_eq!(shown(View::of(Whose::All)), ["a", "b", "c", "d"]);
    let overdue = View {
        overdue: true,
        ..View::of(Whose::All)
    };
    assert_eq!(shown(overdue), ["a", "b"]);
    assert_eq!(
        shown(View {
            whose: Whose::Mine,
            ..overdue
        }),
        ["a"]
    );
    let escalated_view = View {
        escalated: true,
        ..View::of(Whose::Mine)
    };
    assert_eq!(shown(escalated_view), ["c"]);
    assert!(
        shown(View {
            overdue: true,
            ..escalated_view
        })
        .is_empty()
    );
    assert_eq!(
        shown(View {
            state: Some(State::Replied),
            ..View::of(Whose::Mine)
        }),
        ["d"]
    );
}

#[test]
fn the_three_orders() {
    let mut a = case("2026-000010", 2, Some("2026-10-13T09:00:00+08:00"));
    a.received_at = at("2026-10-10T09:00:00+08:00");
    let mut b = case("2026-000011", 2, Some("2026-10-12T09:00:00+08:00"));
    b.received_at = at("2026-10-11T09:00:00+08:00");
    let mut c = case("2026-000012", 2, None);
    c.received_at = at("2026-10-12T09:00:00+08:00");
    // Same second as c: the higher number first when newest first.
    let mut d = case("2026-000013", 2, None);
    d.received_at = c.received_at;
    let sorted = |sort: Sort| -> Vec<String> {
        let v = View {
            sort,
            ..View::of(Whose::Mine)
        };
        let mut all = vec![a.clone(), b.clone(), c.clone(), d.clone()];
        all.sort_by(|x, y| v.order(x, y));
        all.into_iter().map(|f| f.number[9..].to_string()).collect()
    };
    // Most urgent: nearest due first, nothing due last (newest first among them).
    assert_eq!(sorted(Sort::Urgent), ["11", "10", "13", "12"]);
    assert_eq!(sorted(Sort::Newest), ["13", "12", "11", "10"]);
    assert_eq!(sorted(Sort::Oldest), ["10", "11", "12", "13"]);
    assert_eq!(View::default().order(&a, &a), Ordering::Equal);
}

#[test]
fn names_are_one_line_of_at_most_twenty_characters_and_numbers_one_to_nine() {
    assert_eq!(check_name("  我的今晚到期  ").unwrap(), "我的今晚到期");
    assert_eq!(check_name("   "), Err(ViewError::NameEmpty));
    assert_eq!(check_name(&"回".repeat(20)).unwrap().chars().count(), 20);
    assert_eq!(check_name(&"回".repeat(21)), Err(ViewError::NameTooLong { max: 20 }));
    assert_eq!(check_name("回访\n只看"), Err(ViewError::NameNotOneLine));
    assert_eq!(check_slot("1"), Ok(1));
    assert_eq!(check_slot(" 9 "), Ok(9));
    for bad in ["0", "10", "-1", "三", ""] {
        assert!(
            matches!(check_slot(bad), Err(ViewError::SlotOutOfRange { .. })),
            "{bad}"
        );
    }
}

#[test]
fn a_view_keeps_its_parts_as_json_and_an_older_one_reads_with_defaults() {
    let v = View {
        whose: Whose::Mine,
        state: Some(State::Assigned),
        overdue: true,
        escalated: false,
        due: DueBy::Shift,
        sort: Sort::Oldest,
    };
    let json = serde_json::to_string(&v).unwrap();
    assert_eq!(serde_json::from_str::<View>(&json).unwrap(), v);
    assert_eq!(
        serde_json::from_str::<View>(r#"{"whose":"all"}"#).unwrap(),
        View::of(Whose::All)
    );
}

#[test]
fn the_state_part_cycles_through_the_open_states_and_back_to_any() {
    let mut s = None;
    let mut seen = Vec::new();
    loop {
        s = next_state(s);
        match s {
            None => break,
            Some(state) => seen.push(state),
        }
    }
    assert!(!seen.contains(&State::Closed));
    assert_eq!(seen.first(), Some(&State::Received));
    assert_eq!(seen.len(), State::ALL.len() - 1);
}
