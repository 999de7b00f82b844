//! `casedesk duty …` and `casedesk handover …`.

use super::{EXIT_FAILED, EXIT_RULE, Failure, Outcome, code_arg, sign_in};
use crate::cli::{DutyCmd, HandoverCmd};
use crate::desk::Desk;
use crate::domain::Channel;
use crate::domain::handover::{HandoverError, LogEnding};
use crate::i18n::{Lang, t, tf};
use crate::store::duty::DutyError;
use crate::timeparse::show;

/// A handover rule refusal in the clerk's language.
#[must_use]
pub fn handover_message(lang: Lang, e: &HandoverError) -> String {
    match e {
        HandoverError::Signed => t(lang, "handover.signed"),
        HandoverError::OutgoingSigned => t(lang, "handover.outgoing_signed"),
        HandoverError::NotReady => t(lang, "handover.not_ready"),
        HandoverError::NotOutgoing => t(lang, "handover.not_outgoing"),
        HandoverError::SamePerson => t(lang, "handover.same_person"),
        HandoverError::OpenLog(n) => tf(lang, "handover.open_log", &[("n", n.to_string())]),
        HandoverError::Unchecked(items) => tf(lang, "handover.unchecked", &[("items", items.join("、"))]),
        HandoverError::NoItem(i) => tf(lang, "handover.no_item", &[("item", i.clone())]),
        HandoverError::Inactive => t(lang, "rule.inactive"),
    }
}

fn duty_failure(lang: Lang, e: &DutyError) -> Failure {
    match e {
        DutyError::Rule(r) => Failure {
            code: EXIT_RULE,
            message: handover_message(lang, r),
        },
        DutyError::Store(s) => Failure::store(lang, s),
        DutyError::NotFound(id) => Failure::usage(tf(lang, "handover.not_found", &[("id", id.to_string())])),
    }
}

/// `casedesk duty …`
pub fn duty(desk: &mut Desk, cmd: DutyCmd) -> Outcome {
    let lang = desk.lang;
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(lang, &e);
    match cmd {
        DutyCmd::Start { actor } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let shift = desk.store.join_shift(&a, &desk.policy, now).map_err(err)?;
            out!(
                "{}",
                tf(
                    lang,
                    "duty.joined",
                    &[
                        ("name", a.name),
                        ("shift", t(lang, shift.kind.label_key())),
                        ("start", show(shift.start, tz)),
                        ("end", show(shift.end, tz)),
                    ],
                )
            );
        }
        DutyCmd::Who => {
            let now = desk.now();
            for (a, overstayed) in desk.store.on_duty(now).map_err(err)? {
                let note = if overstayed {
                    t(lang, "duty.overstayed")
                } else {
                    String::new()
                };
                out!("{} {}", a.name, note);
            }
        }
        DutyCmd::Log {
            actor,
            channel,
            who,
            what,
            action,
        } => {
            let channel = code_arg(lang, Channel::parse(&channel))?;
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let e = desk
                .store
                .log_add(&a, channel, &who, &what, &action, now)
                .map_err(err)?;
            out!("{}", e.id);
        }
        DutyCmd::List { open, json } => {
            let entries = desk.store.log_entries(open, 500).map_err(err)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&entries).unwrap_or_default());
            } else {
                let names = desk.store.staff_names().map_err(err)?;
                for e in entries {
                    let ending = match &e.ending {
                        None => t(lang, "duty.open"),
                        Some(LogEnding::Case { number }) => tf(lang, "duty.became_case", &[("number", number.clone())]),
                        Some(LogEnding::Answered { .. }) => t(lang, "duty.answered"),
                        Some(LogEnding::CarriedOver { reason }) => {
                            tf(lang, "duty.carried", &[("reason", reason.clone())])
                        }
                    };
                    out!(
                        "#{}  {}  {}  {}  {}  {}  [{}]",
                        e.id,
                        show(e.at, tz),
                        names.get(&e.clerk).cloned().unwrap_or_default(),
                        e.who,
                        e.what,
                        e.action,
                        ending
                    );
                }
            }
        }
        DutyCmd::Resolve {
            id,
            actor,
            case,
            answered,
            carry,
        } => {
            let ending = match (case, answered, carry) {
                (Some(number), _, _) => LogEnding::Case { number },
                (_, Some(text), _) => LogEnding::Answered { text },
                (_, _, Some(reason)) => LogEnding::CarriedOver { reason },
                _ => return Err(Failure::usage(t(lang, "duty.resolve_how"))),
            };
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            desk.store.log_resolve(&a, id, &ending, now).map_err(err)?;
            out!("{}", tf(lang, "duty.resolved", &[("id", id.to_string())]));
        }
    }
    Ok(())
}

/// `casedesk handover …`
pub fn handover(desk: &mut Desk, cmd: HandoverCmd) -> Outcome {
    let lang = desk.lang;
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(lang, &e);
    let done = |id: i64, key: &str| out!("{}", tf(lang, key, &[("id", id.to_string())]));
    match cmd {
        HandoverCmd::Prepare { actor, cautions } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let policy = desk.policy.clone();
            let mut rec = desk.store.handover_prepare(&a, &policy, now).map_err(err)?;
            if let Some(c) = cautions {
                rec = desk
                    .store
                    .handover_update(rec.handover.id, &policy, now, "handover_cautions", &a, |h, _| {
                        h.set_cautions(&a, &c)
                    })
                    .map_err(|e| duty_failure(lang, &e))?;
            }
            out!("{}", rec.handover.id);
        }
        HandoverCmd::Check { id, actor, item, note } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let policy = desk.policy.clone();
            desk.store
                .handover_update(id, &policy, now, "handover_checked", &a, |h, _| {
                    h.check(&a, &item, note.is_none(), note.as_deref())
                })
                .map_err(|e| duty_failure(lang, &e))?;
            done(id, "handover.checked");
        }
        HandoverCmd::Sign { id, actor } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let policy = desk.policy.clone();
            desk.store
                .handover_update(id, &policy, now, "handover_signed_out", &a, |h, open| {
                    h.sign_outgoing(&a, open, now)
                })
                .map_err(|e| duty_failure(lang, &e))?;
            done(id, "handover.signed_out");
        }
        HandoverCmd::Ask { id, actor, question } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let policy = desk.policy.clone();
            desk.store
                .handover_update(id, &policy, now, "handover_question", &a, |h, _| h.ask(&a, &question))
                .map_err(|e| duty_failure(lang, &e))?;
            done(id, "handover.asked");
        }
        HandoverCmd::Accept { id, actor } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let policy = desk.policy.clone();
            desk.store
                .handover_update(id, &policy, now, "handover_signed_in", &a, |h, _| {
                    h.sign_incoming(&a, now)
                })
                .map_err(|e| duty_failure(lang, &e))?;
            done(id, "handover.signed_in");
        }
        HandoverCmd::List { json } => {
            let list = desk.store.handovers(200).map_err(err)?;
            if json {
                out!("{}", serde_json::to_string_pretty(&list).unwrap_or_default());
            } else {
                let names = desk.store.staff_names().map_err(err)?;
                for h in list {
                    let state = if h.is_signed() {
                        t(lang, "handover.state_signed")
                    } else if h.outgoing_signed_at.is_some() {
                        t(lang, "handover.state_waiting")
                    } else {
                        t(lang, "handover.state_draft")
                    };
                    out!(
                        "#{}  {} {}  {} → {}  [{}]",
                        h.id,
                        t(lang, h.shift.kind.label_key()),
                        show(h.shift.start, tz),
                        names.get(&h.outgoing).cloned().unwrap_or_default(),
                        h.incoming
                            .and_then(|i| names.get(&i).cloned())
                            .unwrap_or_else(|| "—".into()),
                        state
                    );
                }
            }
        }
        HandoverCmd::Print { id, format, out } => {
            let id = match id {
                Some(id) => id,
                None => desk
                    .store
                    .handovers(1)
                    .map_err(err)?
                    .first()
                    .map(|h| h.id)
                    .ok_or_else(|| Failure::usage(t(lang, "handover.none")))?,
            };
            let now = desk.now();
            let rec = desk.store.handover(id, &desk.policy, now).map_err(err)?;
            let names = desk.store.staff_names().map_err(err)?;
            let text = crate::print::handover::render(&rec, &names, lang, tz, format);
            match out {
                Some(path) => std::fs::write(&path, text).map_err(|e| Failure {
                    code: EXIT_FAILED,
                    message: format!("{}: {e}", path.display()),
                })?,
                None => out!("{}", text.trim_end()),
            }
        }
    }
    Ok(())
}
