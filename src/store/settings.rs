//! What the desk keeps about itself: whether it is a training desk, and the
//! policy and holiday calendar its admin applied (as TOML text). A clerk's
//! own files and environment do not change a real desk's rules or clock.

use rusqlite::{OptionalExtension, params};

use super::audit::append;
use super::staff::desk_event;
use super::{Result, Store};
use crate::domain::{Actor, Time};

/// A setting the desk keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `1` on a training desk (`init --training`, `demo`), `0` on a real one.
    Training,
    /// The policy's TOML, over the built-in one.
    Policy,
    /// The holiday calendar's TOML, over the built-in one.
    Calendar,
}

impl Setting {
    fn key(self) -> &'static str {
        match self {
            Setting::Training => "training",
            Setting::Policy => "policy",
            Setting::Calendar => "calendar",
        }
    }
}

/// The desk's settings as read when it opens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeskSettings {
    /// `Some(true)` on a training desk, `Some(false)` on a real one, `None`
    /// on a desk made before desks said which (a real one) or not yet made.
    pub training: Option<bool>,
    /// The applied policy's TOML.
    pub policy: Option<String>,
    /// The applied calendar's TOML.
    pub calendar: Option<String>,
}

impl Store {
    /// One setting's value.
    pub fn setting(&self, which: Setting) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM desk_settings WHERE key = ?", [which.key()], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Every setting.
    pub fn settings(&self) -> Result<DeskSettings> {
        Ok(DeskSettings {
            training: self.setting(Setting::Training)?.map(|v| v == "1"),
            policy: self.setting(Setting::Policy)?,
            calendar: self.setting(Setting::Calendar)?,
        })
    }

    /// Says once, when the desk is made, whether it is a training desk; the
    /// choice is an audit event and is never changed afterwards.
    pub fn set_training(&mut self, by: &Actor, training: bool, now: Time) -> Result<()> {
        self.transaction(|tx| {
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO desk_settings (key, value) VALUES ('training', ?)",
                [if training { "1" } else { "0" }],
            )?;
            if inserted == 0 {
                return Ok(());
            }
            let body = serde_json::json!({"kind": "desk_mode", "training": training}).to_string();
            append(tx, &[desk_event("desk_mode", by.id, now, &body)])
        })
    }

    /// Keeps a new policy or calendar text in the desk, with an audit event
    /// that shows what changed (lines taken out and put in).
    pub fn apply_setting(&mut self, by: &Actor, which: Setting, text: &str, now: Time) -> Result<()> {
        self.transaction(|tx| {
            let before: Option<String> = tx
                .query_row("SELECT value FROM desk_settings WHERE key = ?", [which.key()], |r| {
                    r.get(0)
                })
                .optional()?;
            tx.execute(
                "INSERT INTO desk_settings (key, value) VALUES (?, ?)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![which.key(), text],
            )?;
            let body = serde_json::json!({
                "kind": format!("{}_applied", which.key()),
                "changes": changes(before.as_deref().unwrap_or(""), text),
                "text": text,
            })
            .to_string();
            let kind = match which {
                Setting::Policy => "policy_applied",
                Setting::Calendar => "calendar_applied",
                Setting::Training => "desk_mode",
            };
            append(tx, &[desk_event(kind, by.id, now, &body)])
        })
    }
}

/// The lines of `after` that `before` lacks (`+ …`) and the other way round
/// (`- …`), blank lines and comments left out: what an auditor reads.
#[must_use]
pub fn changes(before: &str, after: &str) -> Vec<String> {
    let meaningful = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect()
    };
    let (old, new) = (meaningful(before), meaningful(after));
    let mut out: Vec<String> = old
        .iter()
        .filter(|l| !new.contains(l))
        .map(|l| format!("- {l}"))
        .collect();
    out.extend(new.iter().filter(|l| !old.contains(l)).map(|l| format!("+ {l}")));
    out
}

#[cfg(test)]
mod tests {
    use super::changes;

    #[test]
    fn changes_name_the_lines_taken_out_and_put_in() {
        let before = "[return_visit]\nattempts = 3\n# a comment\n";
        let after = "[return_visit]\nattempts = 2\n\n";
        assert_eq!(changes(before, after), ["- attempts = 3", "+ attempts = 2"]);
        assert!(changes(before, before).is_empty());
    }
}
