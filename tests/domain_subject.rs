//! The person a case is about, in the engine (issue 18, point 4): anyone of
//! the organisation, with or without a desk account; a desk user who is the
//! subject stays out of the case (回避), found by the account recorded or by
//! name; the subject's name is required and within its length when given; a
//! case recorded before the people directory still reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::{
    AssignMode, Case, Command, History, Policy, Role, RuleError, StepKind, SubjectPerson, may_take,
};
use support::domain::{Desk, actor, assign, form, intake, other, owner, transfer};

const MON: &str = "2026-03-02T09:00:00+08:00";

/// A complaint about 钱护士, a nurse of the directory with no desk account.
fn about(name: &str, listed: bool) -> casedesk::domain::IntakeForm {
    let mut f = form();
    f.subject_staff = None;
    f.subject_person = Some(SubjectPerson {
        name: name.into(),
        listed,
        job_number: listed.then(|| "N0012".to_string()),
        dept: Some("护理部".into()),
    });
    f
}

#[test]
fn a_person_without_a_desk_account_is_recorded_as_given() {
    let desk = Desk::open(about(" 钱护士 ", true), MON);
    let person = desk.case.intake.subject_person.clone().unwrap();
    assert_eq!(person.name, "钱护士", "trimmed");
    assert_eq!(person.job_number.as_deref(), Some("N0012"));
    assert_eq!(desk.case.intake.subject_staff, None);
    // Nobody at the desk is that person: the owner works the case.
    desk.decide(&owner(), MON, &assign(10, AssignMode::Phone)).unwrap();
}

#[test]
fn a_desk_user_named_as_the_subject_is_recused_though_no_account_was_linked() {
    // 李四 (another clerk) typed as a free name.
    let desk = Desk::open(about("李四", false), MON);
    assert!(desk.case.is_subject(&other()));
    assert_eq!(may_take(&desk.case, StepKind::Note, &other()), Err(RuleError::Recusal));
    assert_eq!(
        desk.refuse(&other(), MON, Command::Note { text: "x".into() }),
        RuleError::Recusal
    );
    let err = desk.refuse(&owner(), MON, transfer(other()));
    assert!(
        matches!(err, RuleError::TransferTarget { why: "subject", .. }),
        "{err:?}"
    );
    // A supervisor of that name too.
    let sup = actor(casedesk::domain::StaffId(9), "李四", Role::Supervisor, true);
    assert_eq!(
        desk.refuse(&sup, MON, assign(10, AssignMode::Phone)),
        RuleError::Recusal
    );
}

#[test]
fn the_clerk_cannot_take_in_a_complaint_about_themself_by_name() {
    let policy = Policy::builtin().unwrap();
    let calendar = casedesk::domain::Calendar::builtin();
    let err = intake(
        &policy,
        &calendar,
        about("张三", false),
        History::default(),
        &owner(),
        MON,
    )
    .unwrap_err();
    assert_eq!(err, RuleError::Recusal);
}

#[test]
fn a_blank_or_overlong_subject_name_is_refused() {
    let policy = Policy::builtin().unwrap();
    let calendar = casedesk::domain::Calendar::builtin();
    let take = |f| intake(&policy, &calendar, f, History::default(), &owner(), MON).unwrap_err();
    assert_eq!(
        take(about("  ", false)),
        RuleError::Required {
            field: "subject_person"
        }
    );
    assert!(matches!(
        take(about(&"钱".repeat(51), false)),
        RuleError::TooLong { .. }
    ));
    assert!(matches!(
        take(about("钱\u{1b}[2J", false)),
        RuleError::ControlCharacter { .. }
    ));
}

#[test]
fn a_case_recorded_before_the_directory_reads_and_recuses_by_its_account() {
    // The intake event as a desk wrote it before: no subject_person.
    let desk = Desk::open(form(), MON);
    let mut json = serde_json::to_value(&desk.events[0]).unwrap();
    json.as_object_mut().unwrap().remove("subject_person");
    assert!(json.get("subject_staff").is_some());
    let event: casedesk::domain::Event = serde_json::from_value(json).unwrap();
    let case = Case::replay(&[event]).unwrap();
    assert_eq!(case.intake.subject_person, None);
    assert!(case.is_subject(&support::domain::subject()));
    assert!(!case.is_subject(&other()));
}
