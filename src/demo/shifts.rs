//! The week of shifts behind the demo desk: each of the last fourteen shifts
//! was worked by one clerk, who logged calls, wrote cautions, ticked the
//! checklist and handed over to the next, who asked a question now and then
//! and signed. The last shift's handover is signed by its clerk and waits for
//! the next shift (the one running now) with two of their cases to hand over;
//! a colleague on duty now has two calls still open in the duty log.
//!
//! Everything goes through the store's duty and handover methods at the
//! simulated times, so the rules (who may sign, what is frozen) are the live
//! desk's. A handful of rows: it costs nothing next to the cases.

use chrono::Duration;

use super::vocab::{Rng, Shifts};
use crate::domain::handover::{LogEnding, Shift, shift_at};
use crate::domain::{Actor, Channel, Policy, Time};
use crate::store::{CaseFilter, Result, Store};

/// Shifts worked before the one running now.
const SHIFTS: usize = 14;

/// Writes the week of shifts before `now` with `clerks` taking turns.
pub(super) fn week(
    store: &mut Store,
    policy: &Policy,
    words: &Shifts,
    clerks: &[Actor],
    rng: &mut Rng,
    now: Time,
) -> Result<()> {
    if clerks.len() < 3 {
        return Ok(());
    }
    let current = shift_at(policy, now);
    let mut shifts: Vec<Shift> = Vec::with_capacity(SHIFTS);
    let mut s = current;
    for _ in 0..SHIFTS {
        s = shift_at(policy, s.start - Duration::seconds(1));
        shifts.push(s);
    }
    shifts.reverse();
    // The clerks in turn; the last shift is the second clerk's (李静), so the
    // first (张小明, whom the README signs in) finds it waiting for him.
    let n = clerks.len();
    let first = (n + 1 - (SHIFTS - 1) % n) % n;
    let who = |i: usize| &clerks[(first + i) % n];
    for (i, shift) in shifts.iter().enumerate() {
        let last = i + 1 == SHIFTS;
        worked(store, policy, words, who(i), shift, last, rng)?;
        let id = handed(store, policy, words, who(i), shift, last, rng)?;
        if !last {
            taken_over(store, policy, words, id, who(i), who(i + 1), shift, rng)?;
        }
    }
    // A colleague on duty now, with two calls not yet resolved.
    let colleague = &clerks[2];
    let joined = (current.start + Duration::minutes(5)).min(now);
    store.join_shift(colleague, policy, joined)?;
    for k in 0..2_i64 {
        let at = (now - Duration::minutes(20 - 10 * k)).max(joined);
        let [who, what, action] = pick_entry(words, rng);
        store.log_add(colleague, Channel::Phone, &who, &what, &action, at)?;
    }
    Ok(())
}

fn pick_entry(words: &Shifts, rng: &mut Rng) -> [String; 3] {
    rng.pick(&words.log_entries).cloned().unwrap_or_default()
}

/// `clerk` works `shift`: joins it, logs two calls and resolves them (the
/// last shift carries one over to the next).
fn worked(
    store: &mut Store,
    policy: &Policy,
    words: &Shifts,
    clerk: &Actor,
    shift: &Shift,
    last: bool,
    rng: &mut Rng,
) -> Result<()> {
    store.join_shift(clerk, policy, shift.start + Duration::minutes(5))?;
    for k in 0..2_i64 {
        let at = shift.start + Duration::minutes(70 + 180 * k);
        let [who, what, action] = pick_entry(words, rng);
        let entry = store.log_add(clerk, Channel::Phone, &who, &what, &action, at)?;
        let ending = if k == 1 && (last || rng.chance(30)) {
            LogEnding::CarriedOver {
                reason: rng.text(&words.carry_reasons),
            }
        } else {
            LogEnding::Answered {
                text: rng.text(&words.answers),
            }
        };
        store.log_resolve(clerk, entry.id, &ending, at + Duration::minutes(10))?;
    }
    Ok(())
}

/// `clerk` prepares the handover of `shift` near its end, writes cautions,
/// settles the checklist and signs; with `hand_over`, two of their open
/// cases go with it. Returns its id.
fn handed(
    store: &mut Store,
    policy: &Policy,
    words: &Shifts,
    clerk: &Actor,
    shift: &Shift,
    hand_over: bool,
    rng: &mut Rng,
) -> Result<i64> {
    let at = shift.end - Duration::minutes(20);
    let id = store.handover_prepare(clerk, policy, at)?.handover.id;
    if hand_over {
        let own = store.list(
            &CaseFilter {
                owner: Some(clerk.id.0),
                open_only: true,
                limit: 2,
                ..CaseFilter::default()
            },
            None,
        )?;
        store
            .handover_update(id, policy, at, "handover_hand_over", clerk, |h, _| {
                own.iter().try_for_each(|r| h.hand_over(clerk, &r.number, true, true))
            })
            .map_err(duty_error)?;
    }
    let mut cautions: Vec<String> = (0..2).map(|_| rng.text(&words.cautions)).collect();
    cautions.dedup();
    let explain = rng.chance(30).then(|| rng.text(&words.explanations));
    let signed = at + Duration::minutes(10);
    store
        .handover_update(id, policy, signed, "handover_signed_out", clerk, |h, open| {
            h.set_cautions(clerk, &cautions.join("\n"))?;
            for item in h.checklist.clone() {
                match &explain {
                    Some(why) if item.item == words.explained => h.check(clerk, &item.item, false, Some(why))?,
                    _ => h.check(clerk, &item.item, true, None)?,
                }
            }
            h.sign_outgoing(clerk, open, signed)
        })
        .map_err(duty_error)?;
    Ok(id)
}

/// `incoming` arrives for the next shift, perhaps asks a question that
/// `outgoing` answers, and signs handover `id`.
#[allow(clippy::too_many_arguments)]
fn taken_over(
    store: &mut Store,
    policy: &Policy,
    words: &Shifts,
    id: i64,
    outgoing: &Actor,
    incoming: &Actor,
    shift: &Shift,
    rng: &mut Rng,
) -> Result<()> {
    let arrived = shift.end - Duration::minutes(8);
    store.join_shift(incoming, policy, arrived)?;
    if rng.chance(60) && !words.questions.is_empty() {
        let q = rng.below(words.questions.len());
        let asked = arrived + Duration::minutes(1);
        let answered = asked + Duration::minutes(2);
        let reply = words.replies.get(q).cloned().unwrap_or_default();
        store
            .handover_update(id, policy, asked, "handover_question", incoming, |h, _| {
                h.ask(incoming, &words.questions[q])
            })
            .map_err(duty_error)?;
        store
            .handover_update(id, policy, answered, "handover_answer", outgoing, |h, _| {
                h.answer(outgoing, h.questions.len() - 1, &reply, answered)
            })
            .map_err(duty_error)?;
    }
    let signed = arrived + Duration::minutes(5);
    store
        .handover_update(id, policy, signed, "handover_signed_in", incoming, |h, _| {
            h.sign_incoming(incoming, signed)
        })
        .map_err(duty_error)?;
    Ok(())
}

/// A handover rule refusal while making the demo is the demo's own mistake.
fn duty_error(e: crate::store::duty::DutyError) -> crate::store::StoreError {
    match e {
        crate::store::duty::DutyError::Store(s) => s,
        other => crate::store::StoreError::Damaged(format!("demo handover: {other}")),
    }
}
