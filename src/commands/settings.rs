//! `casedesk policy apply` and `casedesk calendar apply`: an admin changes the
//! rules the desk keeps; the change is checked first and recorded.

use super::{Failure, Outcome, sign_in};
use crate::cli::SettingCmd;
use crate::desk::{Desk, calendar_from, policy_from};
use crate::store::settings::Setting;
use crate::words::tf;

/// Applies a policy or calendar file to the desk.
pub fn apply(desk: &mut Desk, which: Setting, cmd: SettingCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let SettingCmd::Apply { file, actor } = cmd;
    let admin = sign_in(desk, &actor)?;
    let origin = file.display().to_string();
    let text = super::console::read_text(&file)
        .map_err(|e| {
            Failure::usage(tf(
                lang,
                "cli.file_unreadable",
                &[("path", origin.clone()), ("error", e.to_string())],
            ))
        })?
        .ok_or_else(|| {
            Failure::usage(tf(
                lang,
                "cli.file_unreadable",
                &[("path", origin.clone()), ("error", "not found".into())],
            ))
        })?;
    // A file the desk could not run on is refused before it is kept.
    match which {
        Setting::Policy => policy_from(Some(&text), &origin, lang).map(drop),
        _ => calendar_from(&[(text.as_str(), origin.clone())], lang).map(drop),
    }
    .map_err(|e| Failure::usage(e.0))?;
    let n = desk
        .apply_setting(&admin, which, &text)
        .map_err(|e| Failure::store(words, &e))?;
    let key = if which == Setting::Policy {
        "cli.policy_applied"
    } else {
        "cli.calendar_applied"
    };
    out!("{}", tf(lang, key, &[("n", n.to_string())]));
    Ok(())
}
