//! `casedesk duty …` and `casedesk handover …`.

use super::{EXIT_RULE, Failure, Outcome, code_arg, sign_in};
use crate::cli::{DutyCmd, HandoverCmd};
use crate::desk::Desk;
use crate::domain::Channel;
use crate::domain::handover::LogEnding;
use crate::store::duty::DutyError;
use crate::words::time::show;
use crate::words::{Words, t, tf};

fn duty_failure(words: Words, e: &DutyError) -> Failure {
    match e {
        DutyError::Rule(r) => Failure {
            code: EXIT_RULE,
            message: crate::words::duty::handover_refusal(words.lang, r),
        },
        DutyError::Store(s) => Failure::store(words, s),
        DutyError::NotFound(id) => Failure::usage(words.tf("handover.not_found", &[("id", id.to_string())])),
    }
}

/// `casedesk duty …`
pub fn duty(desk: &mut Desk, cmd: DutyCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    match cmd {
        DutyCmd::Start { actor } => {
            let a = sign_in(desk, &actor)?;
            let _now = desk.now();
            let shift = desk.join_shift(&a).map_err(err)?;
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
        DutyCmd::Who { json } => {
            let now = desk.now();
            let on_duty = desk.store().on_duty(now).map_err(err)?;
            if json {
                let list: Vec<_> = on_duty
                    .iter()
                    .map(
                        |(a, overstayed)| serde_json::json!({"name": a.name, "role": a.role, "overstayed": overstayed}),
                    )
                    .collect();
                out_json!(serde_json::to_string_pretty(&list).unwrap_or_default());
                return Ok(());
            }
            let mut table = crate::words::width::Table::new();
            for (a, overstayed) in on_duty {
                let note = if overstayed {
                    t(lang, "duty.overstayed")
                } else {
                    String::new()
                };
                table.row([a.name, note]);
            }
            super::print_table(&table);
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
            let _now = desk.now();
            let e = desk.log_add(&a, channel, &who, &what, &action).map_err(err)?;
            out!("{}", e.id);
        }
        DutyCmd::List { open, json } => {
            let entries = desk.store().log_entries(open, 500).map_err(err)?;
            if json {
                out_json!(serde_json::to_string_pretty(&entries).unwrap_or_default());
            } else {
                let names = desk.store().staff_names().map_err(err)?;
                let mut table = crate::words::width::Table::new();
                for e in entries {
                    let ending = match &e.ending {
                        None => t(lang, "duty.open"),
                        Some(LogEnding::Case { number }) => tf(lang, "duty.became_case", &[("number", number.clone())]),
                        Some(LogEnding::Answered { .. }) => t(lang, "duty.answered"),
                        Some(LogEnding::CarriedOver { reason }) => {
                            tf(lang, "duty.carried", &[("reason", reason.clone())])
                        }
                    };
                    table.row([
                        format!("#{}", e.id),
                        show(e.at, tz),
                        names.get(&e.clerk).cloned().unwrap_or_default(),
                        e.who,
                        e.what,
                        e.action,
                        format!("[{ending}]"),
                    ]);
                }
                super::print_table(&table);
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
            let _now = desk.now();
            desk.log_resolve(&a, id, &ending).map_err(err)?;
            out!("{}", tf(lang, "duty.resolved", &[("id", id.to_string())]));
        }
    }
    Ok(())
}

/// `casedesk handover …`
pub fn handover(desk: &mut Desk, cmd: HandoverCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let done = |id: i64, key: &str| out!("{}", tf(lang, key, &[("id", id.to_string())]));
    match cmd {
        HandoverCmd::Prepare {
            actor,
            cautions,
            hand_over,
        } => {
            let a = sign_in(desk, &actor)?;
            let mut rec = desk.handover_prepare(&a).map_err(err)?;
            let id = rec.handover.id;
            if let Some(c) = cautions {
                rec = desk
                    .handover_update(id, "handover_cautions", &a, |h, _| h.set_cautions(&a, &c))
                    .map_err(|e| duty_failure(words, &e))?;
            }
            for number in &hand_over {
                rec = desk
                    .handover_mark(id, &a, number, true)
                    .map_err(|e| duty_failure(words, &e))?;
            }
            out!("{}", rec.handover.id);
        }
        HandoverCmd::Check { id, actor, item, note } => {
            let a = sign_in(desk, &actor)?;
            let _now = desk.now();
            let _policy = desk.policy.clone();
            desk.handover_update(id, "handover_checked", &a, |h, _| {
                h.check(&a, &item, note.is_none(), note.as_deref())
            })
            .map_err(|e| duty_failure(words, &e))?;
            done(id, "handover.checked");
        }
        HandoverCmd::Sign { id, actor } => {
            let a = sign_in(desk, &actor)?;
            let now = desk.now();
            let _policy = desk.policy.clone();
            desk.handover_update(id, "handover_signed_out", &a, |h, open| h.sign_outgoing(&a, open, now))
                .map_err(|e| duty_failure(words, &e))?;
            done(id, "handover.signed_out");
        }
        HandoverCmd::Ask { id, actor, question } => {
            let a = sign_in(desk, &actor)?;
            let _now = desk.now();
            let _policy = desk.policy.clone();
            desk.handover_ask(id, &a, &question)
                .map_err(|e| duty_failure(words, &e))?;
            done(id, "handover.asked");
        }
        HandoverCmd::Answer {
            id,
            actor,
            question,
            text,
        } => {
            let a = sign_in(desk, &actor)?;
            desk.handover_answer(id, &a, question.saturating_sub(1), &text)
                .map_err(|e| duty_failure(words, &e))?;
            done(id, "handover.answered");
        }
        HandoverCmd::Accept { id, actor } => {
            let a = sign_in(desk, &actor)?;
            let taken = desk.handover_accept(id, &a).map_err(|e| duty_failure(words, &e))?;
            done(id, "handover.signed_in");
            for line in taken.lines(words) {
                out!("{line}");
            }
        }
        HandoverCmd::List { json } => {
            let list = desk.store().handovers(200).map_err(err)?;
            if json {
                out_json!(serde_json::to_string_pretty(&list).unwrap_or_default());
            } else {
                let names = desk.store().staff_names().map_err(err)?;
                let mut table = crate::words::width::Table::new();
                for h in list {
                    let state = crate::words::duty::handover_state(lang, &h);
                    table.row([
                        format!("#{}", h.id),
                        format!("{} {}", t(lang, h.shift.kind.label_key()), show(h.shift.start, tz)),
                        format!(
                            "{} → {}",
                            names.get(&h.outgoing).cloned().unwrap_or_default(),
                            h.incoming
                                .and_then(|i| names.get(&i).cloned())
                                .unwrap_or_else(|| "—".into())
                        ),
                        format!("[{state}]"),
                    ]);
                }
                super::print_table(&table);
            }
        }
        HandoverCmd::Print { id, format, out } => print(desk, id, format, out)?,
    }
    Ok(())
}

/// `casedesk handover print [ID]`: the handover (default: the newest) as text, Markdown or HTML.
fn print(desk: &Desk, id: Option<i64>, format: crate::print::PrintFormat, out: Option<std::path::PathBuf>) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let id = match id {
        Some(id) => id,
        None => desk
            .store()
            .handovers(1)
            .map_err(err)?
            .first()
            .map(|h| h.id)
            .ok_or_else(|| Failure::usage(t(lang, "handover.none")))?,
    };
    let now = desk.now();
    let rec = desk.store().handover(id, &desk.policy, now).map_err(err)?;
    let names = desk.store().staff_names().map_err(err)?;
    let cx = crate::print::handover::Context {
        names: &names,
        lang,
        tz,
        organisation: &desk.policy.organisation.name,
    };
    let text = crate::print::handover::render(&rec, &cx, format);
    if let Some(path) = super::console::named(out.as_deref()) {
        super::console::write_file(path, text.as_bytes()).map_err(|e| super::file_failure(lang, path, &e))?;
    } else {
        out!("{}", text.trim_end());
    }
    Ok(())
}
