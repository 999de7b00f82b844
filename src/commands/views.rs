//! `casedesk view …`: a clerk's own saved views of the queue; and
//! `case list --view NAME`, the cases one of them shows.

use serde_json::json;

use super::{Failure, Outcome, code_arg, sign_in};
use crate::cli::view::ViewCmd;
use crate::desk::Desk;
use crate::domain::State;
use crate::domain::view::{DueBy, Sort, View, Whose, check_name, check_slot};
use crate::words::time::rfc3339;
use crate::words::views::{describe, error, saved};
use crate::words::{t, tf};

/// Runs one `view` subcommand.
pub fn views(desk: &mut Desk, cmd: ViewCmd) -> Outcome {
    let (lang, words) = (desk.lang, desk.words());
    let store = |e: crate::store::StoreError| Failure::store(words, &e);
    match cmd {
        ViewCmd::List { actor, json } => {
            let me = sign_in(desk, &actor)?;
            let list = desk.store().saved_views(me.id).map_err(store)?;
            let tz = desk.policy.timezone;
            if json {
                let rows: Vec<serde_json::Value> = list
                    .iter()
                    .map(|v| {
                        json!({
                            "name": v.name,
                            "slot": v.slot,
                            "whose": v.view.whose.code(),
                            "state": v.view.state.map(State::code),
                            "overdue": v.view.overdue,
                            "escalated": v.view.escalated,
                            "due": v.view.due.code(),
                            "sort": v.view.sort.code(),
                            "shows": describe(lang, &v.view),
                            "saved_at": rfc3339(v.saved_at, tz),
                        })
                    })
                    .collect();
                out_json!(serde_json::to_string_pretty(&rows).unwrap_or_default());
                return Ok(());
            }
            if list.is_empty() {
                super::warn(&t(lang, "view.none"));
                return Ok(());
            }
            out!("{}", tf(lang, "view.head", &[("name", me.name.clone())]));
            let key = |slot: Option<u8>| slot.map_or_else(|| t(lang, "view.no_slot"), |n| format!("Alt-{n}"));
            let name_w = list
                .iter()
                .map(|v| crate::words::width::width(&v.name))
                .max()
                .unwrap_or(0);
            for v in &list {
                out!(
                    "{}  {}  {}",
                    crate::words::width::pad(&key(v.slot), 5),
                    crate::words::width::pad(&v.name, name_w),
                    describe(lang, &v.view)
                );
            }
        }
        ViewCmd::Save {
            name,
            actor,
            mine,
            all,
            state,
            overdue,
            escalated,
            due,
            sort,
            slot,
        } => {
            // Every value is checked before the PIN is asked for.
            let usage = |e: crate::domain::view::ViewError| Failure::usage(error(lang, &e));
            let checked = check_name(&name).map_err(usage)?;
            if mine && all {
                return Err(Failure::usage(t(lang, "view.whose_conflict")));
            }
            let view = View {
                whose: if all { Whose::All } else { Whose::Mine },
                state: state.as_deref().map(|s| code_arg(lang, State::parse(s))).transpose()?,
                overdue,
                escalated,
                due: due
                    .as_deref()
                    .map(|d| code_arg(lang, DueBy::parse(d)))
                    .transpose()?
                    .unwrap_or(DueBy::Any),
                sort: sort
                    .as_deref()
                    .map(|s| code_arg(lang, Sort::parse(s)))
                    .transpose()?
                    .unwrap_or(Sort::Urgent),
            };
            if view.state == Some(State::Closed) {
                // The queue holds open cases only: a view of closed ones would always be empty.
                return Err(Failure::usage(tf(
                    lang,
                    "view.closed_state",
                    &[("state", t(lang, &State::Closed.label_key()))],
                )));
            }
            let slot = slot.as_deref().map(check_slot).transpose().map_err(usage)?;
            let me = sign_in(desk, &actor)?;
            let done = desk.save_view(&me, &checked, &view, slot).map_err(store)?;
            for line in saved(lang, &checked, &view, &done) {
                out!("{line}");
            }
        }
        ViewCmd::Remove { name, actor } => {
            let me = sign_in(desk, &actor)?;
            let gone = desk.remove_view(&me, &name).map_err(store)?;
            out!("{}", tf(lang, "view.removed", &[("name", gone.name)]));
        }
    }
    Ok(())
}

/// `case list --view NAME --as NAME`: the open cases the clerk's saved view shows now, in its order.
pub fn list(desk: &mut Desk, name: &str, actor: Option<&str>, limit: usize, json: bool) -> Outcome {
    let words = desk.words();
    let store = |e: crate::store::StoreError| Failure::store(words, &e);
    let Some(actor) = actor else {
        return Err(Failure::usage(t(desk.lang, "view.needs_as")));
    };
    let me = sign_in(desk, actor)?;
    let found = desk.store().saved_view(me.id, name).map_err(store)?;
    let limit = if limit == 0 { usize::MAX } else { limit };
    let rows = desk.view_cases(&found.view, me.id, limit).map_err(store)?;
    super::show::print_rows(desk, &rows, json)
}
