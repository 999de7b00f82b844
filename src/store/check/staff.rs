//! The staff table against the audit log: an account's role, department,
//! state and PIN are what its events say (`staff_added`, `staff_active`,
//! `pin_set`, `pin_rehashed`, and the `staff_recorded` of a desk upgraded to
//! migration 11). A role raised by hand, a PIN hash copied from another
//! account, an account switched on behind the desk's back is named by the
//! account and the column. What events of older desks did not say (their
//! PINs, departments, inactive imports) is taken from the upgrade's record,
//! which must agree with whatever the log said before it.
//!
//! The failed-PIN count and lock time are not replayed: a right PIN clears
//! them without an event.

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::Value;

use super::super::Result;
use super::super::staff::pin_print;
use super::{Differences, Subject};

/// What the log says of one account; `None` where it has not said.
#[derive(Clone, Debug, Default)]
struct Known {
    id: Option<i64>,
    role: Option<String>,
    dept: Option<Option<i64>>,
    active: Option<bool>,
    pin: Option<Option<String>>,
    created_at: Option<i64>,
}

/// The accounts as the audit log's desk events replay them, by name.
#[derive(Debug, Default)]
pub(super) struct StaffReplay {
    known: BTreeMap<String, Known>,
    /// Upgrade records that disagree with what the log said before them.
    conflicts: Vec<(String, &'static str)>,
}

/// `Some(value)` when the body has `key`: a present null is a value too.
fn said<T>(body: &Value, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    body.get(key).map(|v| if v.is_null() { None } else { read(v) })
}

impl StaffReplay {
    /// Takes in one desk event (others are passed over unread).
    pub(super) fn event(&mut self, kind: &str, at: i64, body: &str) {
        if !matches!(
            kind,
            "staff_added" | "staff_active" | "pin_set" | "pin_rehashed" | "staff_recorded"
        ) {
            return;
        }
        let Ok(body) = serde_json::from_str::<Value>(body) else {
            return;
        };
        let Some(name) = body.get("name").and_then(Value::as_str).map(str::to_string) else {
            return;
        };
        let id = said(&body, "id", Value::as_i64).flatten();
        let role = said(&body, "role", |v| v.as_str().map(str::to_string)).flatten();
        let dept = said(&body, "dept", Value::as_i64);
        let active = said(&body, "active", Value::as_bool).flatten();
        let pin = said(&body, "pin", |v| v.as_str().map(str::to_string));
        let entry = self.known.entry(name.clone()).or_default();
        match kind {
            "staff_added" => {
                *entry = Known {
                    id,
                    role,
                    dept,
                    active,
                    pin,
                    created_at: Some(at),
                };
            }
            "staff_active" => entry.active = active.or(entry.active),
            // An older desk's PIN change said no fingerprint: the PIN is unknown from then.
            "pin_set" | "pin_rehashed" => entry.pin = pin,
            _ => {
                let created_at = said(&body, "created_at", Value::as_i64).flatten();
                let mut agree = |field: &'static str, same: bool| {
                    if !same {
                        self.conflicts.push((name.clone(), field));
                    }
                };
                agree("id", entry.id.is_none() || entry.id == id);
                agree("role", entry.role.is_none() || entry.role == role);
                agree("dept_id", entry.dept.is_none() || entry.dept == dept);
                agree("active", entry.active.is_none() || entry.active == active);
                agree("pin_hash", entry.pin.is_none() || entry.pin == pin);
                agree(
                    "created_at",
                    entry.created_at.is_none() || entry.created_at == created_at,
                );
                *entry = Known {
                    id,
                    role,
                    dept,
                    active,
                    pin,
                    created_at: entry.created_at.or(created_at),
                };
            }
        }
    }

    /// Compares the staff table with the replay; returns how many accounts there are.
    pub(super) fn compare(mut self, conn: &Connection, out: &mut Differences) -> Result<u64> {
        for (name, field) in std::mem::take(&mut self.conflicts) {
            out.push(Subject::Staff(name), field);
        }
        let mut stmt =
            conn.prepare("SELECT id, name, role, dept_id, active, pin_hash, created_at FROM staff ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut count = 0;
        while let Some(r) = rows.next()? {
            count += 1;
            let name: String = r.get(1)?;
            let Some(k) = self.known.remove(&name) else {
                out.push(Subject::Staff(name), "staff_added");
                continue;
            };
            let pin: Option<String> = r.get(5)?;
            let fields: [(&'static str, bool); 6] = [
                ("id", k.id.is_none_or(|id| id == r.get::<_, i64>(0).unwrap_or(0))),
                (
                    "role",
                    k.role
                        .is_none_or(|role| role == r.get::<_, String>(2).unwrap_or_default()),
                ),
                (
                    "dept_id",
                    k.dept.is_none_or(|d| d == r.get::<_, Option<i64>>(3).unwrap_or(None)),
                ),
                (
                    "active",
                    k.active.is_none_or(|a| a == r.get::<_, bool>(4).unwrap_or(!a)),
                ),
                ("pin_hash", k.pin.is_none_or(|p| p == pin_print(pin.as_deref()))),
                (
                    "created_at",
                    k.created_at.is_none_or(|c| c == r.get::<_, i64>(6).unwrap_or(0)),
                ),
            ];
            for (field, same) in fields {
                if !same {
                    out.push(Subject::Staff(name.clone()), field);
                }
            }
        }
        // Accounts the log added that the table no longer holds.
        for name in self.known.into_keys() {
            out.push(Subject::Staff(name), "row");
        }
        Ok(count)
    }
}
