//! `casedesk case …`: each lifecycle step through the engine.

use super::{Failure, Outcome, code_arg, sign_in, time_arg};
use crate::cli::{Acting, CaseCmd, NewCase};
use crate::desk::Desk;
use crate::domain::{
    AssignMode, Channel, Command, Complainant, DeadlineKind, FeedbackMethod, Flag, IntakeForm, Kind, Origin,
    Satisfaction, Severity, Verdict, VisitMethod,
};
use crate::i18n::tf;
use crate::store::CaseRecord;
use crate::timeparse::DateOnly;

/// Runs one `case` subcommand.
pub fn run(desk: &mut Desk, cmd: CaseCmd) -> Outcome {
    let lang = desk.lang;
    match cmd {
        CaseCmd::New(new) => intake(desk, &new),
        CaseCmd::Show {
            number,
            json,
            actor,
            reason,
        } => super::show::show(desk, &number, json, actor.as_deref(), reason.as_deref()),
        CaseCmd::List {
            state,
            owner,
            overdue,
            due_before,
            search,
            limit,
            json,
            actor,
        } => super::show::list(
            desk,
            &super::show::ListArgs {
                state,
                owner,
                overdue,
                due_before,
                search,
                limit,
                json,
                actor,
            },
        ),
        other => {
            let (number, acting, command) = step(desk, other)?;
            let actor = sign_in(desk, &acting.actor)?;
            let now = desk.now();
            let ctx = crate::domain::Context {
                now,
                actor: &actor,
                policy: &desk.policy,
                calendar: &desk.calendar,
            };
            let record = desk
                .store
                .execute(&ctx, &number, acting.if_version, &command)
                .map_err(|e| Failure::store(lang, &e))?;
            out!("{}", done_line(desk, &record, &command));
            Ok(())
        }
    }
}

/// One line saying what was done and what runs next.
fn done_line(desk: &Desk, record: &CaseRecord, command: &Command) -> String {
    let lang = desk.lang;
    let case = &record.case;
    let state = crate::i18n::t(lang, &case.state.label_key());
    let action = crate::i18n::t(lang, &format!("action.{}", command.code()));
    let next = case
        .running_deadlines()
        .next()
        .map(|d| {
            tf(
                lang,
                "cli.next_due",
                &[
                    ("deadline", crate::i18n::t(lang, &d.kind.label_key())),
                    ("due", crate::timeparse::show(d.due, desk.policy.timezone)),
                ],
            )
        })
        .unwrap_or_default();
    tf(
        lang,
        "cli.step_done",
        &[
            ("number", case.number().to_string()),
            ("action", action),
            ("state", state),
            ("next", next),
        ],
    )
    .trim_end()
    .to_string()
}

fn intake(desk: &mut Desk, new: &NewCase) -> Outcome {
    let lang = desk.lang;
    let store_err = |e: crate::store::StoreError| Failure::store(lang, &e);
    let channel = code_arg(lang, Channel::parse(&new.channel))?;
    let kind = code_arg(lang, Kind::parse(&new.kind))?;
    let severity = code_arg(lang, Severity::parse(&new.severity))?;
    let origin = code_arg(lang, Origin::parse(&new.origin))?;
    let flags = new
        .flag
        .iter()
        .map(|f| code_arg(lang, Flag::parse(f)))
        .collect::<Result<Vec<_>, _>>()?;
    let dept = new
        .dept
        .as_deref()
        .map(|d| desk.store.department(d))
        .transpose()
        .map_err(store_err)?;
    let subject = new
        .staff
        .as_deref()
        .map(|s| desk.store.staff_by_name(s))
        .transpose()
        .map_err(store_err)?;
    let category = new
        .category
        .as_deref()
        .map(|c| desk.store.category(c))
        .transpose()
        .map_err(store_err)?;
    let received_at = new
        .received_at
        .as_deref()
        .map(|t| time_arg(desk, t, DateOnly::StartOfDay))
        .transpose()?;
    let promise = new
        .promise
        .as_deref()
        .map(|t| time_arg(desk, t, DateOnly::EndOfDay))
        .transpose()?;
    let complainant = if new.anonymous {
        Complainant::Anonymous
    } else {
        Complainant::Named {
            name: new.name.clone().unwrap_or_default(),
            phone: new.phone.clone(),
            address: new.address.clone(),
            relation: new.relation.clone(),
        }
    };
    let form = IntakeForm {
        number: String::new(),
        received_at,
        channel,
        kind,
        origin,
        complainant,
        confidential: new.confidential,
        dept: dept.map(|d| d.id),
        subject_staff: subject.map(|s| s.id),
        category: category.map(|c| c.id),
        severity,
        summary: new.summary.clone(),
        details: new.details.clone(),
        promised_reply_at: promise,
        flags,
    };
    let actor = sign_in(desk, &new.actor)?;
    let now = desk.now();
    let ctx = crate::domain::Context {
        now,
        actor: &actor,
        policy: &desk.policy,
        calendar: &desk.calendar,
    };
    let record = desk.store.intake(&ctx, form).map_err(store_err)?;
    if new.json {
        super::show::print_json(desk, &record, Some(&actor))?;
    } else {
        out!("{}", record.case.number());
        for warning in super::show::warnings(desk, &record.case) {
            eprintln!("{warning}");
        }
    }
    Ok(())
}

/// Turns a step subcommand into the engine's command.
fn step(desk: &Desk, cmd: CaseCmd) -> Result<(String, Acting, Command), Failure> {
    let lang = desk.lang;
    let store_err = |e: crate::store::StoreError| Failure::store(lang, &e);
    let deadline = |d: Option<String>| d.map(|d| code_arg(lang, DeadlineKind::parse(&d))).transpose();
    Ok(match cmd {
        CaseCmd::Promise { number, acting, at } => {
            let at = time_arg(desk, &at, DateOnly::EndOfDay)?;
            (number, acting, Command::Promise { at })
        }
        CaseCmd::Answer { number, acting, text } => (number, acting, Command::Answer { text }),
        CaseCmd::Refer {
            number,
            acting,
            dept,
            text,
        } => {
            let dept = desk.store.department(&dept).map_err(store_err)?.id;
            (number, acting, Command::Refer { dept, text })
        }
        CaseCmd::Assign {
            number,
            acting,
            dept,
            mode,
        } => {
            let dept = desk.store.department(&dept).map_err(store_err)?.id;
            let mode = code_arg(lang, AssignMode::parse(&mode))?;
            (number, acting, Command::Assign { dept, mode })
        }
        CaseCmd::Urge {
            number,
            acting,
            note,
            whom,
            method,
            answer,
            promised,
            deadline: which,
        } => {
            let promised_at = promised
                .as_deref()
                .map(|p| time_arg(desk, p, DateOnly::EndOfDay))
                .transpose()?;
            let command = Command::Urge {
                deadline: deadline(which)?,
                whom,
                method,
                note,
                answer,
                promised_at,
            };
            (number, acting, command)
        }
        CaseCmd::Extend {
            number,
            acting,
            to,
            reason,
            deadline: which,
        } => {
            let to = time_arg(desk, &to, DateOnly::EndOfDay)?;
            let command = Command::Extend {
                deadline: deadline(which)?,
                to,
                reason,
            };
            (number, acting, command)
        }
        CaseCmd::Pause { number, acting, reason } => (number, acting, Command::Pause { reason }),
        CaseCmd::Resume { number, acting, reason } => (number, acting, Command::Resume { reason }),
        CaseCmd::Reply {
            number,
            acting,
            verdict,
            facts,
            responsible,
            measures,
        } => {
            let verdict = code_arg(lang, Verdict::parse(&verdict))?;
            let command = Command::Reply {
                verdict,
                facts,
                responsible,
                measures,
            };
            (number, acting, command)
        }
        CaseCmd::Review { number, acting, note } => (number, acting, Command::Review { note }),
        CaseCmd::Feedback {
            number,
            acting,
            method,
            text,
        } => {
            let method = code_arg(lang, FeedbackMethod::parse(&method))?;
            (number, acting, Command::Feedback { method, text })
        }
        CaseCmd::Visit {
            number,
            acting,
            method,
            satisfaction,
            attitude,
            speed,
            result,
            comment,
        } => {
            let command = Command::Visit {
                method: code_arg(lang, VisitMethod::parse(&method))?,
                satisfaction: code_arg(lang, Satisfaction::parse(&satisfaction))?,
                attitude,
                speed,
                result,
                comment,
            };
            (number, acting, command)
        }
        CaseCmd::VisitFailed { number, acting, note } => (number, acting, Command::VisitFailed { note }),
        CaseCmd::Escalate { number, acting, reason } => (number, acting, Command::Escalate { reason }),
        CaseCmd::Flag {
            number,
            acting,
            flag,
            reason,
        } => {
            let flag = code_arg(lang, Flag::parse(&flag))?;
            (number, acting, Command::Flag { flag, reason })
        }
        CaseCmd::Transfer {
            number,
            acting,
            to,
            reason,
        } => {
            let to = desk.store.staff_by_name(&to).map_err(store_err)?;
            (number, acting, Command::Transfer { to, reason })
        }
        CaseCmd::Accept { number, acting } => (number, acting, Command::Accept),
        CaseCmd::Reopen { number, acting, reason } => (number, acting, Command::Reopen { reason }),
        CaseCmd::Close { number, acting } => (number, acting, Command::Close),
        CaseCmd::Withdraw { number, acting, reason } => (number, acting, Command::Withdraw { reason }),
        CaseCmd::FollowUp {
            number,
            acting,
            method,
            satisfaction,
            comment,
        } => {
            let command = Command::FollowUp {
                method: code_arg(lang, VisitMethod::parse(&method))?,
                satisfaction: satisfaction
                    .map(|s| code_arg(lang, Satisfaction::parse(&s)))
                    .transpose()?,
                comment,
            };
            (number, acting, command)
        }
        CaseCmd::Archive { number, acting } => (number, acting, Command::Archive),
        CaseCmd::New(_) | CaseCmd::Show { .. } | CaseCmd::List { .. } => {
            return Err(Failure::usage(String::new()));
        }
    })
}
