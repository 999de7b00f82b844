//! The desk's own settings against the audit log: whether it is a training
//! desk (`desk_mode`, said once when it is made) and the policy and calendar
//! an admin applied (`policy_applied`, `calendar_applied` keep the whole
//! text). A real desk switched to training behind its back would take a
//! clerk's clock (`CASEDESK_NOW`); a policy edited in the file would change
//! every deadline. Each is named by its key.

use rusqlite::{Connection, OptionalExtension};

use super::super::Result;
use super::{Differences, Subject};

/// The settings as the desk events replay them; `None`: never set.
#[derive(Debug, Default)]
pub(super) struct SettingsReplay {
    training: Option<String>,
    policy: Option<String>,
    calendar: Option<String>,
}

impl SettingsReplay {
    /// Takes in one desk event (others are passed over unread).
    pub(super) fn event(&mut self, kind: &str, body: &str) {
        let slot = match kind {
            "desk_mode" => &mut self.training,
            "policy_applied" => &mut self.policy,
            "calendar_applied" => &mut self.calendar,
            _ => return,
        };
        let Ok(body) = serde_json::from_str::<serde_json::Value>(body) else {
            return;
        };
        let value = if kind == "desk_mode" {
            // Said once: the first one stands (the desk inserts it only if missing).
            if slot.is_some() {
                return;
            }
            body.get("training")
                .and_then(serde_json::Value::as_bool)
                .map(|t| if t { "1" } else { "0" }.to_string())
        } else {
            body.get("text").and_then(serde_json::Value::as_str).map(str::to_string)
        };
        if value.is_some() {
            *slot = value;
        }
    }

    /// Compares the desk's settings with the replay.
    pub(super) fn compare(self, conn: &Connection, out: &mut Differences) -> Result<()> {
        for (key, replayed) in [
            ("training", self.training),
            ("policy", self.policy),
            ("calendar", self.calendar),
        ] {
            let stored: Option<String> = conn
                .query_row("SELECT value FROM desk_settings WHERE key = ?", [key], |r| r.get(0))
                .optional()?;
            if stored != replayed {
                out.push(Subject::Setting(key), "value");
            }
        }
        Ok(())
    }
}
