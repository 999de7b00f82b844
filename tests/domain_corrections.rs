//! Corrections (更正, issue 20 point 1) in the engine: a typing mistake of
//! the intake is fixed by the owner or a supervisor on an open case, with a
//! reason; the case then reads the new value and the event keeps the old.
//! Refused on a closed case, to anyone else, for an unchanged or invalid
//! value, and for a complainant's field when nobody is on record.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::domain::{
    CategoryId, Command, Complainant, Correctable, DeptId, EventBody, RuleError, StepKind, may_take,
};
use support::domain::{Desk, form, other, owner, sup};

const MON: &str = "2026-03-02T09:00:00+08:00";
const LATER: &str = "2026-03-02T10:00:00+08:00";

fn correct(field: Correctable, value: &str, reason: &str) -> Command {
    Command::Correct {
        field,
        value: value.into(),
        category: None,
        dept: None,
        reason: reason.into(),
    }
}

#[test]
fn a_phone_typed_wrong_is_corrected_and_the_old_number_kept_in_the_event() {
    let mut desk = Desk::open(form(), MON);
    let events = desk.run(
        &owner(),
        LATER,
        correct(Correctable::ComplainantPhone, "１３９ 0013 8000", "电话记错一位"),
    );
    let EventBody::Corrected {
        field,
        old,
        new,
        reason,
        ..
    } = &events[0].body
    else {
        panic!("{events:?}")
    };
    assert_eq!(*field, Correctable::ComplainantPhone);
    assert_eq!(old.as_deref(), Some("138-0013 8000"));
    assert_eq!(
        new.as_deref(),
        Some("139 0013 8000"),
        "full-width digits made half-width"
    );
    assert_eq!(reason, "电话记错一位");
    // The repeat-caller key follows the corrected phone.
    assert_eq!(desk.case.intake.complainant.phone_key().as_deref(), Some("13900138000"));
    assert_eq!(
        desk.case.intake.complainant.caller_key().as_deref(),
        Some("13900138000")
    );
}

#[test]
fn summary_details_name_category_and_department_are_each_corrected() {
    let mut desk = Desk::open(form(), MON);
    desk.run(&owner(), LATER, correct(Correctable::Summary, " 护士态度冷淡 ", "用词"));
    desk.run(&sup(), LATER, correct(Correctable::Details, "", "误录了别的来电"));
    desk.run(&owner(), LATER, correct(Correctable::ComplainantName, "王芬", "同音字"));
    desk.run(
        &owner(),
        LATER,
        correct(Correctable::ComplainantRelation, "", "不是家属"),
    );
    let mut to_billing = correct(Correctable::Category, "收费", "分类选错");
    if let Command::Correct { category, .. } = &mut to_billing {
        *category = Some(CategoryId(4));
    }
    let events = desk.run(&owner(), LATER, to_billing);
    assert!(matches!(
        events[0].body,
        EventBody::Corrected {
            old_category: Some(CategoryId(1)),
            category: Some(CategoryId(4)),
            ..
        }
    ));
    let mut to_pharmacy = correct(Correctable::Dept, "药剂科", "部门选错");
    if let Command::Correct { dept, .. } = &mut to_pharmacy {
        *dept = Some(DeptId(11));
    }
    desk.run(&owner(), LATER, to_pharmacy);
    let i = &desk.case.intake;
    assert_eq!(i.summary, "护士态度冷淡", "trimmed");
    assert_eq!(i.details, "");
    assert_eq!(i.category, Some(CategoryId(4)));
    assert_eq!(i.dept, Some(DeptId(11)));
    let Complainant::Named { name, relation, .. } = &i.complainant else {
        panic!()
    };
    assert_eq!((name.as_str(), relation.as_deref()), ("王芬", None));
}

#[test]
fn only_the_owner_or_a_supervisor_corrects() {
    let desk = Desk::open(form(), MON);
    assert_eq!(
        may_take(&desk.case, StepKind::Correct, &other()),
        Err(RuleError::NotOwner)
    );
    assert_eq!(
        desk.refuse(&other(), LATER, correct(Correctable::Summary, "别的", "x")),
        RuleError::NotOwner
    );
    assert_eq!(may_take(&desk.case, StepKind::Correct, &sup()), Ok(()));
}

#[test]
fn a_closed_case_is_reopened_before_it_is_corrected() {
    let mut desk = Desk::open(form(), MON);
    desk.handle_to_close();
    assert_eq!(
        desk.refuse(
            &sup(),
            "2026-03-11T09:00:00+08:00",
            correct(Correctable::Summary, "别的", "x")
        ),
        RuleError::Closed
    );
}

#[test]
fn a_correction_needs_a_reason_a_change_and_a_valid_value() {
    let desk = Desk::open(form(), MON);
    let refuse = |c: Command| desk.refuse(&owner(), LATER, c);
    assert_eq!(
        refuse(correct(Correctable::Summary, "别的", "  ")),
        RuleError::Required { field: "reason" }
    );
    assert_eq!(
        refuse(correct(Correctable::Summary, "护士态度生硬", "x")),
        RuleError::Unchanged
    );
    assert_eq!(
        refuse(correct(Correctable::Summary, "", "x")),
        RuleError::Required { field: "value" }
    );
    assert_eq!(
        refuse(correct(Correctable::ComplainantPhone, "不知道", "x")),
        RuleError::Phone {
            given: "不知道".into()
        }
    );
    assert!(matches!(
        refuse(correct(Correctable::Summary, "态度\u{1b}[2J", "x")),
        RuleError::ControlCharacter { .. }
    ));
    // A category or department the desk did not find.
    assert_eq!(
        refuse(correct(Correctable::Category, "没有的", "x")),
        RuleError::Required { field: "value" }
    );
    let mut same_dept = correct(Correctable::Dept, "护理部", "x");
    if let Command::Correct { dept, .. } = &mut same_dept {
        *dept = Some(DeptId(10));
    }
    assert_eq!(refuse(same_dept), RuleError::Unchanged);
}

#[test]
fn an_anonymous_complainant_has_nothing_to_correct() {
    let mut f = form();
    f.complainant = Complainant::Anonymous;
    let desk = Desk::open(f, MON);
    assert_eq!(
        desk.refuse(&owner(), LATER, correct(Correctable::ComplainantName, "王芳", "x")),
        RuleError::AnonymousComplainant
    );
}
