//! A due time moves only with a reason (issue 18, point 10): the first reply
//! time promised needs none; a new one while a promise still runs moves it,
//! needs a reason and is on the timeline like an extension, from the old time
//! to the new. A received time later than now is refused with the rule said
//! the right way round. On fixed dates, in the engine, on the command line and
//! on the case page's promise form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::{Command, DeadlineKind, EventBody, History, RuleError, StepKind};
use casedesk::ui::app::Screen;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use support::domain::{Desk as Engine, feedback, form, owner, reply};
use support::{CLERK, CLERK_PIN, Desk, at};

const MON: &str = "2026-03-02T09:00:00+08:00";

fn promise(to: &str, reason: Option<&str>) -> Command {
    Command::Promise {
        at: at(to),
        reason: reason.map(str::to_string),
    }
}

#[test]
fn the_first_promise_needs_no_reason_a_second_is_refused_without_one() {
    let mut desk = Engine::open(form(), MON);
    desk.run(&owner(), MON, promise("2026-03-04T17:00:00+08:00", None));
    let err = desk.refuse(
        &owner(),
        "2026-03-03T10:00:00+08:00",
        promise("2026-03-06T17:00:00+08:00", None),
    );
    assert_eq!(
        err,
        RuleError::RepromiseNeedsReason {
            current: at("2026-03-04T17:00:00+08:00")
        }
    );
    // Earlier is a move too.
    let err = desk.refuse(
        &owner(),
        "2026-03-03T10:00:00+08:00",
        promise("2026-03-03T17:00:00+08:00", Some("  ")),
    );
    assert!(matches!(err, RuleError::RepromiseNeedsReason { .. }), "{err:?}");
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-04T17:00:00+08:00"));
}

#[test]
fn a_new_promise_with_a_reason_moves_the_clock_and_says_from_what() {
    let mut desk = Engine::open(form(), MON);
    desk.run(&owner(), MON, promise("2026-03-04T17:00:00+08:00", None));
    let events = desk.run(
        &owner(),
        "2026-03-03T10:00:00+08:00",
        promise("2026-03-06T17:00:00+08:00", Some("部门需调取监控，家属同意改期")),
    );
    let EventBody::Promised {
        promised_reply_at,
        from,
        reason,
    } = &events[0].body
    else {
        panic!("{events:?}")
    };
    assert_eq!(*promised_reply_at, at("2026-03-06T17:00:00+08:00"));
    assert_eq!(*from, Some(at("2026-03-04T17:00:00+08:00")));
    assert_eq!(reason.as_deref(), Some("部门需调取监控，家属同意改期"));
    let clock = desk.clock(DeadlineKind::PromisedReply);
    assert_eq!(clock.due, at("2026-03-06T17:00:00+08:00"));
    assert!(clock.extended, "a moved promise shows as moved");
    assert_eq!(clock.start, at(MON), "the clock keeps the time it started");
    assert_eq!(desk.case.promised_reply_at, Some(at("2026-03-06T17:00:00+08:00")));
}

#[test]
fn a_promise_made_at_intake_counts_as_the_first() {
    let mut f = form();
    f.promised_reply_at = Some(at("2026-03-05T17:00:00+08:00"));
    let mut desk = Engine::open(f, MON);
    let err = desk.refuse(&owner(), MON, promise("2026-03-09T17:00:00+08:00", None));
    assert!(matches!(err, RuleError::RepromiseNeedsReason { .. }), "{err:?}");
    desk.run(&owner(), MON, promise("2026-03-09T17:00:00+08:00", Some("投诉人出差")));
    assert_eq!(desk.due(DeadlineKind::PromisedReply), at("2026-03-09T17:00:00+08:00"));
}

#[test]
fn once_the_promise_is_kept_a_new_one_is_a_first_again() {
    let mut desk = Engine::open(form(), MON);
    desk.run(&owner(), MON, promise("2026-03-04T17:00:00+08:00", None));
    desk.run(
        &owner(),
        MON,
        support::domain::assign(10, casedesk::domain::AssignMode::Phone),
    );
    desk.run(
        &owner(),
        "2026-03-03T09:00:00+08:00",
        reply(casedesk::domain::Verdict::Unjustified),
    );
    desk.run(&owner(), "2026-03-03T10:00:00+08:00", feedback());
    assert!(desk.case.running_promise().is_none(), "feedback kept the promise");
    desk.run(
        &owner(),
        "2026-03-03T11:00:00+08:00",
        promise("2026-03-10T17:00:00+08:00", None),
    );
}

#[test]
fn a_received_time_later_than_now_is_refused_with_the_rule_the_right_way_round() {
    let mut f = form();
    f.received_at = Some(at("2026-03-02T12:00:00+08:00"));
    let policy = casedesk::domain::Policy::builtin().unwrap();
    let calendar = casedesk::domain::Calendar::builtin();
    let err = support::domain::intake(&policy, &calendar, f, History::default(), &owner(), MON).unwrap_err();
    assert_eq!(err, RuleError::ReceivedInFuture);
    let words = casedesk::words::Words::new(Lang::Zh, chrono_tz::Asia::Shanghai);
    assert_eq!(words.rule(&err), "受理时间不能晚于现在。");
    let words = casedesk::words::Words::new(Lang::En, chrono_tz::Asia::Shanghai);
    assert_eq!(words.rule(&err), "The received time cannot be later than now.");
}

#[test]
fn on_the_command_line_a_second_promise_needs_reason_and_the_timeline_shows_it() {
    let desk = Desk::new();
    let n = desk.intake(&["--summary", "候诊时间过长", "--name", "王芳", "--phone", "13800138000"]);
    desk.ok(
        Some(CLERK_PIN),
        &["case", "promise", &n, "--as", CLERK, "--at", "2026-10-09"],
    );
    let err = desk.fails(
        Some(CLERK_PIN),
        &["case", "promise", &n, "--as", CLERK, "--at", "2026-10-12"],
        3,
    );
    assert!(err.contains("改期须说明理由") && err.contains("--reason"), "{err}");
    let out = desk
        .cmd(
            Some(CLERK_PIN),
            &["case", "promise", &n, "--as", CLERK, "--at", "2026-10-12"],
        )
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    support::expect_code(&out, 3);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("a new time needs a reason"), "{err}");
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "promise",
            &n,
            "--as",
            CLERK,
            "--at",
            "2026-10-12",
            "--reason",
            "科室负责人休假，投诉人同意",
        ],
    );
    let show = desk.show(&n);
    let promised: Vec<&serde_json::Value> = show["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "promised")
        .collect();
    assert_eq!(promised.len(), 2);
    assert!(promised[0].get("reason").is_none() && promised[0].get("from").is_none());
    assert_eq!(promised[1]["reason"], "科室负责人休假，投诉人同意");
    // An event's own times are RFC 3339 in UTC, as every event's are.
    let time = |v: &serde_json::Value| at(v.as_str().unwrap());
    assert_eq!(time(&promised[1]["from"]), at("2026-10-09T23:59:59+08:00"));
    assert_eq!(time(&promised[1]["promised_reply_at"]), at("2026-10-12T23:59:59+08:00"));
    let clock = show["deadline_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "promised_reply")
        .unwrap();
    assert_eq!(clock["due"], "2026-10-12T23:59:59+08:00");
    assert_eq!(clock["extended"], true);
    let text = desk.ok(None, &["case", "show", &n]);
    assert!(
        text.contains("科室负责人休假，投诉人同意") && text.contains("→"),
        "{text}"
    );
}

#[test]
fn on_the_command_line_a_future_received_time_is_refused_in_both_languages() {
    let desk = Desk::new();
    let args = [
        "case",
        "new",
        "--as",
        CLERK,
        "--channel",
        "letter",
        "--kind",
        "complaint",
        "--summary",
        "来信",
        "--name",
        "王芳",
        "--received-at",
        "2026-10-02",
    ];
    let err = desk.fails(Some(CLERK_PIN), &args, 3);
    assert!(err.contains("受理时间不能晚于现在"), "{err}");
    let out = desk
        .cmd(Some(CLERK_PIN), &args)
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    support::expect_code(&out, 3);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("The received time cannot be later than now"), "{err}");
    assert_eq!(desk.count("cases"), 0, "nothing recorded");
}

/// The promise form's fields on the case page of a case with or without a promise.
fn promise_form_fields(promised: bool) -> Vec<&'static str> {
    let mut s = support::screen::Screens::staffed(Lang::Zh);
    let clerk = s.app.desk.resolve_staff(CLERK).unwrap();
    let mut f = support::plain_form("夜间呼叫无人应答");
    if promised {
        f.promised_reply_at = Some(at("2026-10-09T17:00:00+08:00"));
    }
    let number = s.app.desk.intake(&clerk, f).unwrap().case.number().to_string();
    let now = s.now();
    s.app.signed_in(clerk, now);
    s.app.open_case(&number, None, now);
    s.act(Action::Step(StepKind::Promise));
    let Screen::Case(page) = &s.app.screen else {
        panic!("not on the case page")
    };
    let step = page.step.as_ref().expect("the promise form is open");
    let names = step.form.fields.iter().map(|f| f.name).collect();
    if promised {
        let text = s.text(80, 24).join("\n");
        assert!(text.contains("改期理由"), "{text}");
    }
    names
}

#[test]
fn the_promise_form_offers_a_reason_only_when_the_case_has_a_promise() {
    assert_eq!(promise_form_fields(false), ["at"]);
    assert_eq!(promise_form_fields(true), ["at", "reason"]);
}

/// A new promise without its reason on the case page: the form stays open
/// with what was typed, and the whole refusal is in the box at every size.
#[test]
fn the_promise_forms_refusal_is_shown_whole_and_what_was_typed_stays() {
    let mut s = support::screen::Screens::staffed(Lang::Zh);
    let clerk = s.app.desk.resolve_staff(CLERK).unwrap();
    let mut f = support::plain_form("夜间呼叫无人应答");
    f.promised_reply_at = Some(at("2026-10-09T17:00:00+08:00"));
    let number = s.app.desk.intake(&clerk, f).unwrap().case.number().to_string();
    let now = s.now();
    s.app.signed_in(clerk, now);
    s.app.open_case(&number, None, now);
    s.act(Action::Step(StepKind::Promise));
    s.typed("2026-10-12");
    s.act(Action::Save);
    let Screen::Case(page) = &s.app.screen else {
        panic!("not on the case page")
    };
    let step = page.step.as_ref().expect("the form stays open");
    assert_eq!(step.form.text("at"), "2026-10-12");
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        let shown: String = s
            .text(w, h)
            .iter()
            .map(|l| l.chars().filter(|c| !"│ ".contains(*c)).collect::<String>())
            .collect();
        assert!(
            shown.contains("改期须说明理由") && shown.contains("--reason）。"),
            "at {w}×{h}:\n{}",
            s.text(w, h).join("\n")
        );
    }
}
