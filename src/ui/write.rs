//! The screens' writes, carried out through the desk's door: each returns what
//! it came to, or why not in the clerk's words, and anything else to show.

use super::component::{Effect, HandoverChange, Write, Written};
use crate::desk::Desk;
use crate::domain::Actor;
use crate::domain::handover::LogEnding;
use crate::store::StoreError;
use crate::store::duty::DutyError;

/// Carries out `write` for `user`.
pub fn perform(desk: &mut Desk, user: Option<&Actor>, write: Write) -> Result<(Written, Effect), String> {
    let words = desk.words();
    let store = |e: StoreError| words.store(&e);
    let signed_out = || words.rule(&crate::domain::RuleError::Inactive);
    match write {
        Write::SignIn { name, pin } => desk
            .sign_in(&name, &pin)
            .map(|a| (Written::SignedIn(a), Effect::None))
            .map_err(store),
        Write::InitDesk { name, pin } => {
            let admin = desk.init_desk(&name, &pin).map_err(store)?;
            // Made on the screen: a real desk.
            desk.set_training(&admin, false).map_err(store)?;
            Ok((Written::SignedIn(admin), Effect::None))
        }
        other => {
            let me = user.ok_or_else(signed_out)?;
            let me = desk.acting(me).map_err(store)?;
            signed_in(desk, &me, other)
        }
    }
}

fn signed_in(desk: &mut Desk, me: &Actor, write: Write) -> Result<(Written, Effect), String> {
    let words = desk.words();
    let store = |e: StoreError| words.store(&e);
    match write {
        Write::Step {
            number,
            version,
            command,
        } => match desk.execute(me, &number, Some(version), &command) {
            Ok(record) => Ok((Written::Case(Box::new(record)), Effect::None)),
            Err(e @ StoreError::Conflict { .. }) => Err(format!("{}{}", words.store(&e), conflict_note(desk, &number))),
            Err(e) => Err(store(e)),
        },
        Write::Link {
            number,
            other,
            relation,
            reason,
        } => desk
            .link(me, &number, other.trim(), relation, &reason)
            .map(|(record, _)| (Written::Case(Box::new(record)), Effect::None))
            .map_err(store),
        Write::JoinBatch { number, batch } => desk
            .join_batch(me, batch.trim(), &number)
            .map(|record| (Written::Case(Box::new(record)), Effect::None))
            .map_err(store),
        Write::Reveal { number, reason } => desk
            .record_confidential_view(me, &number, &reason)
            .map(|()| (Written::Done, Effect::None))
            .map_err(store),
        Write::Intake { form, from_log } => {
            let record = desk.intake(me, *form).map_err(store)?;
            let mut also = Effect::DiscardDraft;
            if let Some(id) = from_log {
                let ending = LogEnding::Case {
                    number: record.case.number().to_string(),
                };
                if let Err(e) = desk.log_resolve(me, id, &ending) {
                    also = also.then(Effect::Fail(e));
                }
            }
            Ok((Written::Case(Box::new(record)), also))
        }
        Write::LogAdd {
            channel,
            who,
            what,
            action,
        } => desk
            .log_add(me, channel, &who, &what, &action)
            .map(|e| (Written::LogEntry(e), Effect::None))
            .map_err(store),
        Write::AddDepartment { name, phone } => desk
            .add_department(me, &name, phone.as_deref())
            .map(|_| (Written::Done, Effect::None))
            .map_err(store),
        Write::AddStaff { name, role, dept, pin } => desk
            .add_staff(me, &name, role, dept, &pin)
            .map(|_| (Written::Done, Effect::None))
            .map_err(store),
        Write::StaffActive { name, active } => desk
            .set_staff_active(me, &name, active)
            .map(|()| (Written::Done, Effect::None))
            .map_err(store),
        Write::SaveView { name, view } => {
            let saved = desk.save_view(me, &name, &view, None).map_err(store)?;
            let lines = crate::words::views::saved(words.lang, &name, &view, &saved);
            Ok((Written::Done, Effect::Note(lines.join(" "))))
        }
        Write::RemoveView { name } => {
            let gone = desk.remove_view(me, &name).map_err(store)?;
            let line = words.tf("view.removed", &[("name", gone.name)]);
            Ok((Written::Done, Effect::Note(line)))
        }
        Write::LogResolve { id, ending } => desk
            .log_resolve(me, id, &ending)
            .map(|()| (Written::Done, Effect::None))
            .map_err(store),
        Write::Handover { id, change } => handover(desk, me, id, change)
            .map(|(r, also)| (Written::Handover(Box::new(r)), also))
            .map_err(|e| duty_words(desk, &e)),
        Write::SignIn { .. } | Write::InitDesk { .. } => Err(String::new()),
    }
}

/// A handover change; signing checks the PIN first and signs out or in,
/// whichever side of the handover `me` is on.
fn handover(
    desk: &mut Desk,
    me: &Actor,
    id: i64,
    change: HandoverChange,
) -> Result<(crate::store::duty::HandoverRecord, Effect), DutyError> {
    let now = desk.now();
    let words = desk.words();
    let note = |key: &str| Effect::Note(words.tf(key, &[("id", id.to_string())]));
    let also = match change {
        HandoverChange::Cautions(text) => {
            desk.handover_update(id, "handover_cautions", me, |h, _| h.set_cautions(me, &text))?;
            Effect::None
        }
        HandoverChange::Check { item, ticked, note } => {
            desk.handover_update(id, "handover_checked", me, |h, _| {
                h.check(me, &item, ticked, note.as_deref())
            })?;
            Effect::None
        }
        HandoverChange::Ask(question) => {
            desk.handover_ask(id, me, &question)?;
            note("handover.asked")
        }
        HandoverChange::Answer { question, text } => {
            desk.handover_answer(id, me, question, &text)?;
            note("handover.answered")
        }
        HandoverChange::HandOver { number, on } => {
            desk.handover_mark(id, me, &number, on)?;
            let key = if on { "handover.marked" } else { "handover.unmarked" };
            Effect::Note(words.tf(key, &[("number", number)]))
        }
        HandoverChange::Sign { pin } => {
            desk.sign_in(&me.name, &pin).map_err(DutyError::Store)?;
            if desk.handover(id).map_err(DutyError::Store)?.handover.outgoing == me.id {
                desk.handover_update(id, "handover_signed_out", me, |h, open| h.sign_outgoing(me, open, now))?;
                note("handover.signed_out")
            } else {
                let taken = desk.handover_accept(id, me)?;
                let mut lines = vec![words.tf("handover.signed_in", &[("id", id.to_string())])];
                lines.extend(taken.lines(words));
                Effect::Note(lines.join("  "))
            }
        }
    };
    let fresh = desk.handover(id).map_err(DutyError::Store)?;
    Ok((fresh, also))
}

/// A handover refusal in the clerk's words.
fn duty_words(desk: &Desk, e: &DutyError) -> String {
    let words = desk.words();
    match e {
        DutyError::Rule(r) => crate::words::duty::handover_refusal(words.lang, r),
        DutyError::Store(s) => words.store(s),
        DutyError::NotFound(id) => words.tf("handover.not_found", &[("id", id.to_string())]),
    }
}

/// After a conflict: the state the case is in now and who changed it, named.
fn conflict_note(desk: &Desk, number: &str) -> String {
    let words = desk.words();
    let Ok(fresh) = desk.store().case(number) else {
        return String::new();
    };
    let last = desk.store().events(fresh.id).ok().and_then(|ev| ev.last().cloned());
    let names = desk.store().staff_names().unwrap_or_default();
    let theirs = last.map_or_else(String::new, |ev| {
        format!(
            "{} {}",
            crate::words::events::staff_name(&names, ev.actor),
            words.t(&format!("event.{}", ev.body.kind_code()))
        )
    });
    format!(
        " {}",
        words.tf(
            "ui.step.conflict_now",
            &[("state", words.t(&fresh.case.state.label_key())), ("theirs", theirs)]
        )
    )
}
