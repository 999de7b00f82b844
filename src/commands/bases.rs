//! `casedesk base …`: each month's base for the reports' complaint rates
//! (the policy's `[report] base_label`: outpatient visits, households …).

use super::{Failure, Outcome, sign_in};
use crate::cli::BaseCmd;
use crate::desk::Desk;
use crate::words::{t, tf};

/// Runs one `base` subcommand.
pub fn bases(desk: &mut Desk, cmd: BaseCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let label = base_label(desk);
    match cmd {
        BaseCmd::Set { month, value, actor } => {
            let month = crate::report::parse_month(&month)
                .ok_or_else(|| Failure::usage(tf(lang, "cli.bad_month", &[("given", month.clone())])))?;
            let value = super::reports::count_arg(lang, &value)?;
            let admin = sign_in(desk, &actor)?;
            let before = desk
                .set_base(&admin, &month, value)
                .map_err(|e| Failure::store(words, &e))?;
            let now = crate::report::grouped(value);
            let line = match before {
                Some(b) => tf(
                    lang,
                    "cli.base_changed",
                    &[
                        ("month", month),
                        ("label", label),
                        ("from", crate::report::grouped(b)),
                        ("to", now),
                    ],
                ),
                None => tf(lang, "cli.base_set", &[("month", month), ("label", label), ("to", now)]),
            };
            out!("{line}");
        }
        BaseCmd::List { json } => {
            let list = desk.store().bases().map_err(|e| Failure::store(words, &e))?;
            if json {
                let rows: Vec<serde_json::Value> = list
                    .iter()
                    .map(|(month, value)| serde_json::json!({"month": month, "base": value}))
                    .collect();
                out_json!(
                    serde_json::to_string_pretty(&serde_json::json!({"base_label": label, "months": rows}))
                        .unwrap_or_default()
                );
                return Ok(());
            }
            out!("{}", tf(lang, "cli.base_head", &[("label", label)]));
            for (month, value) in &list {
                out!("{month}  {:>14}", crate::report::grouped(*value));
            }
            if list.is_empty() {
                super::warn(&t(lang, "cli.base_none"));
            }
        }
    }
    Ok(())
}

/// What the base counts: the policy's label, else the word for a base.
fn base_label(desk: &Desk) -> String {
    let label = desk.policy.report.base_label.trim();
    if label.is_empty() {
        t(desk.lang, "report.rate.base")
    } else {
        label.to_string()
    }
}
