//! One step pipeline: every lifecycle step is one domain command, one step
//! description, one key binding and its texts, and the command line and the
//! screens both run it through the desk. The internal note (备注) was added by
//! that recipe and is checked end to end here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use assert_cmd::Command as Bin;
use casedesk::desk::Desk;
use casedesk::domain::{Actor, Command, IntakeForm, Role, State, StepKind};
use casedesk::paths::Paths;
use casedesk::store::StoreError;
use casedesk::ui::keymap::{Action, BINDINGS, Scope};
use casedesk::words::{Lang, keys};
use support::at;

const NOW: &str = "2026-03-02T09:00:00+08:00";

struct Site {
    dir: tempfile::TempDir,
    desk: Desk,
    owner: Actor,
    colleague: Actor,
    subject: Actor,
}

fn paths(dir: &std::path::Path) -> Paths {
    Paths {
        db: dir.join("desk.db"),
        policy: dir.join("none.toml"),
        calendar: dir.join("none-cal.toml"),
    }
}

/// A desk with an owner, a colleague and a staff member a case is about.
fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&paths(dir.path()), Lang::Zh, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let admin = desk.init_desk("管理员", "111111").unwrap();
    let owner = desk.add_staff(&admin, "张小明", Role::Clerk, None, "2222").unwrap();
    let colleague = desk.add_staff(&admin, "李静", Role::Clerk, None, "3333").unwrap();
    let subject = desk.add_staff(&admin, "王护士", Role::Clerk, None, "4444").unwrap();
    Site {
        dir,
        desk,
        owner,
        colleague,
        subject,
    }
}

fn form(subject: Option<&Actor>) -> IntakeForm {
    IntakeForm {
        subject_staff: subject.map(|s| s.id),
        subject_person: None,
        ..support::plain_form("输液等候时间过长")
    }
}

fn note(text: &str) -> Command {
    Command::Note { text: text.into() }
}

#[test]
fn every_step_has_a_key_on_the_case_page_its_texts_in_both_languages_and_a_subcommand() {
    let mut cli = <casedesk::cli::Cli as clap::CommandFactory>::command();
    let case = cli.find_subcommand_mut("case").expect("case subcommand");
    for kind in StepKind::ALL {
        assert!(
            BINDINGS
                .iter()
                .any(|b| b.scope == Scope::Case && b.action == Action::Step(*kind)),
            "{kind}: no key on the case page"
        );
        for lang in [Lang::Zh, Lang::En] {
            let all = keys(lang);
            for key in [kind.action_key(), format!("cli.step_about.{}", kind.code())] {
                assert!(all.contains(&key), "{kind}: {key} missing in {lang:?}");
            }
            for field in kind.fields() {
                assert!(
                    all.iter().any(|k| k == field.label),
                    "{kind}: {} missing in {lang:?}",
                    field.label
                );
            }
        }
        let sub = case
            .find_subcommand(kind.cli_name())
            .unwrap_or_else(|| panic!("{kind}: no `case {}`", kind.cli_name()));
        for field in kind.fields() {
            let arg = sub
                .get_arguments()
                .find(|a| a.get_id() == field.name)
                .unwrap_or_else(|| panic!("{kind}: no --{}", field.name));
            assert_eq!(arg.is_required_set(), field.required, "{kind} --{}", field.name);
        }
    }
}

#[test]
fn a_colleague_notes_an_open_and_a_closed_case_and_nothing_but_the_timeline_changes() {
    let mut s = site();
    let record = s.desk.intake(&s.owner, form(None)).unwrap();
    let number = record.case.number().to_string();
    let before = record.case.clone();

    // Not the owner, yet a note is taken: it is for colleagues.
    let noted = s
        .desk
        .execute(&s.colleague, &number, Some(record.version), &note("患者家属下午再来电"))
        .unwrap();
    assert_eq!(noted.case.state, before.state);
    assert_eq!(noted.case.owner, before.owner);
    assert_eq!(noted.case.deadlines, before.deadlines);
    let events = s.desk.store().events(noted.id).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.actor, s.colleague.id);
    assert_eq!(last.body.kind_code(), "noted");

    // A blank note is refused by the rules and records nothing.
    let err = s.desk.execute(&s.colleague, &number, None, &note("  ")).unwrap_err();
    assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
    assert_eq!(s.desk.store().events(noted.id).unwrap().len(), events.len());

    // A closed case still takes a note.
    s.desk
        .execute(&s.owner, &number, None, &Command::Withdraw { reason: "x".into() })
        .unwrap_err(); // a clerk cannot withdraw: the case stays open
    let sup = {
        let admin = s.desk.resolve_staff("管理员").unwrap();
        s.desk
            .add_staff(&admin, "陈主管", Role::Supervisor, None, "555555")
            .unwrap()
    };
    let closed = s
        .desk
        .execute(
            &sup,
            &number,
            None,
            &Command::Withdraw {
                reason: "投诉人撤回".into(),
            },
        )
        .unwrap();
    assert_eq!(closed.case.state, State::Closed);
    let after = s
        .desk
        .execute(&s.colleague, &number, None, &note("已电话致歉"))
        .unwrap();
    assert_eq!(after.case.state, State::Closed);
    drop(s.dir);
}

#[test]
fn the_person_a_case_is_about_cannot_leave_a_note_on_it() {
    let mut s = site();
    let record = s.desk.intake(&s.owner, form(Some(&s.subject.clone()))).unwrap();
    let err = s
        .desk
        .execute(&s.subject, record.case.number(), None, &note("我没有"))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Rule(casedesk::domain::RuleError::Recusal)),
        "{err:?}"
    );
}

#[test]
fn a_step_typed_into_a_form_or_on_the_command_line_becomes_the_same_command() {
    let mut s = site();
    let admin = s.desk.resolve_staff("管理员").unwrap();
    s.desk.add_department(&admin, "护理部", None).unwrap();
    let dept = s.desk.resolve_dept("护理部").unwrap();
    let typed = |values: &[(&str, &str)]| {
        let values: Vec<(String, String)> = values.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        move |name: &str| values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    let assign = s
        .desk
        .step_command(StepKind::Assign, typed(&[("dept", "护理部"), ("mode", "phone")]))
        .unwrap();
    assert_eq!(
        assign,
        Command::Assign {
            dept: dept.id,
            mode: casedesk::domain::AssignMode::Phone
        }
    );
    // The transfer's target is the real staff member, found by name.
    let transfer = s
        .desk
        .step_command(StepKind::Transfer, typed(&[("to", "李静"), ("reason", "下班")]))
        .unwrap();
    assert_eq!(
        transfer,
        Command::Transfer {
            to: s.colleague.clone(),
            reason: "下班".into()
        }
    );
    // A choice left empty in a form is named, not guessed.
    let err = s
        .desk
        .step_command(StepKind::Assign, typed(&[("dept", "护理部"), ("mode", "")]))
        .unwrap_err();
    assert_eq!(err.message(s.desk.words()), "请填写交办方式。");
    // An unknown department and a bad time are told in the clerk's words.
    let err = s
        .desk
        .step_command(StepKind::Assign, typed(&[("dept", "放射科"), ("mode", "phone")]))
        .unwrap_err();
    assert!(
        err.message(s.desk.words()).contains("放射科"),
        "{}",
        err.message(s.desk.words())
    );
    let err = s
        .desk
        .step_command(StepKind::Promise, typed(&[("at", "下周")]))
        .unwrap_err();
    assert!(err.message(s.desk.words()).contains("下周"));
    drop(admin);
}

#[test]
fn case_note_on_the_command_line_is_shown_in_the_timeline_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    // `pin` signs in; a new account's PIN is `pin` too (CASEDESK_NEW_PIN).
    let run = |pin: &str, args: &[&str]| {
        Bin::cargo_bin("casedesk")
            .unwrap()
            .env_clear()
            .env("HOME", dir.path())
            .env("CASEDESK_DB", dir.path().join("desk.db"))
            .env("CASEDESK_POLICY", dir.path().join("none.toml"))
            .env("CASEDESK_CALENDAR", dir.path().join("none-cal.toml"))
            .env("CASEDESK_NOW", NOW)
            .env("CASEDESK_PIN", pin)
            .env("CASEDESK_NEW_PIN", pin)
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |pin: &str, args: &[&str]| {
        let out = run(pin, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    ok("111111", &["init", "--admin", "管理员", "--training"]);
    ok(
        "111111",
        &["staff", "add", "--as", "管理员", "--name", "张小明", "--role", "clerk"],
    );
    ok(
        "111111",
        &["staff", "add", "--as", "管理员", "--name", "李静", "--role", "clerk"],
    );
    let number = ok(
        "111111",
        &[
            "case",
            "new",
            "--as",
            "张小明",
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--name",
            "王芳",
            "--phone",
            "13800138000",
            "--summary",
            "输液等候过长",
        ],
    )
    .trim()
    .to_string();
    ok(
        "111111",
        &[
            "case",
            "note",
            &number,
            "--as",
            "李静",
            "--text",
            "家属下午再来电，请留意",
        ],
    );
    let shown = ok("111111", &["case", "show", &number]);
    assert!(shown.contains("备注 家属下午再来电，请留意"), "{shown}");
    let json: serde_json::Value = serde_json::from_str(&ok("111111", &["case", "show", &number, "--json"])).unwrap();
    let kinds: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"noted"), "{kinds:?}");
    // Without its text the step is refused before any PIN is asked for.
    let out = run("111111", &["case", "note", &number, "--as", "李静"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn whose_step_it_is_is_known_before_anything_is_typed_and_agrees_with_the_rules() {
    use casedesk::domain::{RuleError, may_take};
    let mut s = site();
    let admin = s.desk.resolve_staff("管理员").unwrap();
    let sup = s
        .desk
        .add_staff(&admin, "陈主管", Role::Supervisor, None, "555555")
        .unwrap();
    let record = s.desk.intake(&s.owner, form(Some(&s.subject.clone()))).unwrap();
    let case = &record.case;
    // The owner and a supervisor may urge; a colleague may not, the subject never.
    assert_eq!(may_take(case, StepKind::Urge, &s.owner), Ok(()));
    assert_eq!(may_take(case, StepKind::Urge, &sup), Ok(()));
    assert_eq!(may_take(case, StepKind::Urge, &s.colleague), Err(RuleError::NotOwner));
    assert_eq!(may_take(case, StepKind::Note, &s.subject), Err(RuleError::Recusal));
    // Anyone may note; only a supervisor reopens; only the one offered a case accepts it.
    assert_eq!(may_take(case, StepKind::Note, &s.colleague), Ok(()));
    assert!(matches!(
        may_take(case, StepKind::Reopen, &s.owner),
        Err(RuleError::SupervisorOnly { .. })
    ));
    assert_eq!(
        may_take(case, StepKind::Accept, &s.colleague),
        Err(RuleError::NoTransferForYou)
    );
    // What may_take refuses, the rules refuse too when the step is really asked for.
    let urge = Command::Urge {
        deadline: None,
        whom: None,
        method: None,
        note: "催".into(),
        answer: None,
        promised_at: None,
        dept: None,
    };
    let err = s.desk.execute(&s.colleague, case.number(), None, &urge).unwrap_err();
    assert!(matches!(err, StoreError::Rule(RuleError::NotOwner)), "{err:?}");
}
