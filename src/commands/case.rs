//! `casedesk case …`: each lifecycle step through the engine.

use super::{Failure, Outcome, code_arg, sign_in, time_arg};
use crate::cli::{CaseCmd, NewCase, StepCmd};
use crate::desk::{Desk, StepInputError};
use crate::domain::{Channel, Command, Complainant, Flag, IntakeForm, Kind, Origin, Severity};
use crate::store::CaseRecord;
use crate::words::tf;
use crate::words::time::DateOnly;

/// Runs one `case` subcommand.
pub fn run(desk: &mut Desk, cmd: CaseCmd) -> Outcome {
    match cmd {
        CaseCmd::New(new) => intake(desk, &new),
        CaseCmd::Show {
            number,
            json,
            actor,
            reason,
        } => super::show::show(desk, &number, json, actor.as_deref(), reason.as_deref()),
        CaseCmd::Receipt(args) => super::receipt::receipt(desk, &args),
        CaseCmd::List {
            limit,
            json,
            actor,
            view: Some(view),
            ..
        } => super::views::list(desk, &view, actor.as_deref(), limit, json),
        CaseCmd::List {
            state,
            owner,
            overdue,
            due_before,
            search,
            limit,
            json,
            actor,
            view: None,
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
        CaseCmd::Step(cmd) => step(desk, &cmd),
        CaseCmd::Link(args) => super::links::link(desk, &args),
        CaseCmd::Batch(cmd) => super::links::batch(desk, cmd),
        CaseCmd::Attach(args) => super::links::attach(desk, &args),
        CaseCmd::Attachment(args) => super::links::attachment(desk, &args),
    }
}

/// Runs one lifecycle step: the values are checked and names found before the
/// PIN is asked for, then the engine decides.
fn step(desk: &mut Desk, cmd: &StepCmd) -> Outcome {
    let words = desk.words();
    let command = desk
        .step_command(cmd.kind, |name| cmd.values.get(name).cloned())
        .map_err(|e| match e {
            StepInputError::Store(e) => Failure::store(words, &e),
            other => Failure::usage(other.message(words)),
        })?;
    let late = match (&cmd.acting.happened_at, &cmd.acting.late_reason) {
        (Some(at), Some(reason)) => {
            let at = crate::words::time::parse_time(
                at,
                desk.now(),
                desk.policy.timezone,
                crate::words::time::DateOnly::StartOfDay,
            )
            .map_err(|e| Failure::usage(crate::words::time::refused(desk.lang, &e.0)))?;
            Some((at, reason.clone()))
        }
        _ => None,
    };
    let actor = sign_in(desk, &cmd.acting.actor)?;
    let record = match &late {
        Some((at, reason)) => desk.execute_late(&actor, &cmd.number, cmd.acting.if_version, &command, *at, reason),
        None => desk.execute(&actor, &cmd.number, cmd.acting.if_version, &command),
    }
    .map_err(|e| Failure::store(words, &e))?;
    out!("{}", done_line(desk, &record, &command));
    // A follow-up that found the complainant still unsatisfied started a second complaint.
    if matches!(command, Command::FollowUp { .. })
        && let Ok(events) = desk.store().events(record.id)
        && let Some(crate::domain::EventBody::FollowedUp {
            second: Some(second), ..
        }) = events.last().map(|e| &e.body)
    {
        out!(
            "{}",
            tf(desk.lang, "cli.second_complaint", &[("number", second.clone())])
        );
    }
    Ok(())
}

/// One line saying what was done and what runs next.
fn done_line(desk: &Desk, record: &CaseRecord, command: &Command) -> String {
    let lang = desk.lang;
    let case = &record.case;
    let state = crate::words::t(lang, &case.state.label_key());
    let action = crate::words::t(lang, &format!("action.{}", command.code()));
    let next = case
        .running_deadlines()
        .next()
        .map(|d| {
            let mut deadline = crate::words::t(lang, &d.kind.label_key());
            // With several departments, whose clock it is.
            if let Some(dept) = d.dept.filter(|_| case.assigned_depts.len() > 1)
                && let Ok(names) = desk.store().dept_names()
            {
                deadline = format!("{deadline}（{}）", names.get(&dept).cloned().unwrap_or_default());
            }
            tf(
                lang,
                "cli.next_due",
                &[
                    ("deadline", deadline),
                    ("due", crate::words::time::show(d.due, desk.policy.timezone)),
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
    let words = desk.words();
    let store_err = |e: crate::store::StoreError| Failure::store(words, &e);
    let channel = code_arg(lang, Channel::parse(&new.channel))?;
    let kind = code_arg(lang, Kind::parse(&new.kind))?;
    let severity = code_arg(lang, Severity::parse(&new.severity))?;
    let origin = match &new.origin {
        Some(o) => code_arg(lang, Origin::parse(o))?,
        None => Origin::of_channel(channel),
    };
    let flags = new
        .flag
        .iter()
        .map(|f| code_arg(lang, Flag::parse(f)))
        .collect::<Result<Vec<_>, _>>()?;
    let dept = new
        .dept
        .as_deref()
        .map(|d| desk.resolve_dept(d))
        .transpose()
        .map_err(store_err)?;
    let category = new
        .category
        .as_deref()
        .map(|c| desk.resolve_category(c))
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
    let mut form = IntakeForm {
        number: String::new(),
        received_at,
        channel,
        kind,
        origin,
        complainant,
        confidential: new.confidential,
        dept: dept.map(|d| d.id),
        subject_staff: None,
        subject_person: None,
        category: category.map(|c| c.id),
        severity,
        summary: new.summary.clone(),
        details: new.details.clone(),
        promised_reply_at: promise,
        flags,
    };
    // The person complained about: the directory's, a desk account or a free name.
    desk.fill_subject(&mut form, new.staff.as_deref().unwrap_or(""))
        .map_err(store_err)?;
    let actor = sign_in(desk, &new.actor)?;
    let record = desk.intake(&actor, form).map_err(store_err)?;
    if new.json {
        super::show::print_json(desk, &record, Some(&actor))?;
    } else {
        out!("{}", record.case.number());
        for warning in super::show::warnings(desk, &record.case) {
            super::warn(&warning);
        }
    }
    Ok(())
}
