//! Staff accounts: names, roles, PINs (slow salted hashes only), lockout.

use std::sync::atomic::{AtomicU64, Ordering};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use rusqlite::{OptionalExtension, Transaction, params};

use super::audit::{NewEvent, append};
use super::directory::seed_categories;
use super::{Result, Store, StoreError, secs};
use crate::domain::policy::Security;
use crate::domain::{Actor, DeptId, Role, StaffId, Time};

/// A staff member as listed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StaffMember {
    /// Who.
    #[serde(flatten)]
    pub actor: Actor,
    /// Their department, if any.
    pub dept: Option<DeptId>,
    /// Whether they can sign in (department staff on file have no PIN).
    pub has_pin: bool,
}

/// The fewest digits a PIN of `role` may have: a supervisor's or an admin's
/// PIN opens every case and confidential complainant, so it is longer.
#[must_use]
pub fn min_pin_len(role: Role) -> usize {
    match role {
        Role::Clerk => 4,
        Role::Supervisor | Role::Admin => 6,
    }
}

/// Checks a PIN's shape for an account of `role`: digits only, 4 (clerks) or
/// 6 (supervisors and admins) to 12 of them.
pub fn check_pin(pin: &str, role: Role) -> Result<()> {
    let min = min_pin_len(role);
    if (min..=12).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(StoreError::WeakPin { min })
    }
}

/// PINs checked against a stored hash by this process: lets tests show that
/// parallel sign-ins never check more than the policy's attempts.
static PIN_CHECKS: AtomicU64 = AtomicU64::new(0);

/// How many PINs this process has checked against a stored hash.
#[must_use]
pub fn pin_checks() -> u64 {
    PIN_CHECKS.load(Ordering::Relaxed)
}

/// How PINs are hashed: argon2id with OWASP's 19 MiB and two passes, in two
/// lanes that the two cores of a desk terminal work on at once. Memory and
/// work per guess are those of one lane; a sign-in takes half as long.
fn pin_params() -> Result<Params> {
    Params::new(Params::DEFAULT_M_COST, Params::DEFAULT_T_COST, 2, None).map_err(|e| StoreError::Damaged(e.to_string()))
}

fn hasher() -> Result<Argon2<'static>> {
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, pin_params()?))
}

/// An argon2id hash of the PIN with a fresh salt.
pub fn hash_pin(pin: &str) -> Result<String> {
    hasher()?
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Damaged(e.to_string()))
}

/// Whether `pin` is the one `stored` was made from (with the parameters it
/// was made with).
fn pin_matches(pin: &str, stored: &str) -> bool {
    PIN_CHECKS.fetch_add(1, Ordering::Relaxed);
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

/// Whether a hash was made otherwise than `hash_pin` makes one now (an
/// older desk's single lane), so a sign-in should hash the PIN again.
fn needs_rehash(stored: &str) -> bool {
    let costs = |p: &Params| (p.m_cost(), p.t_cost(), p.p_cost());
    let current = pin_params().ok().map(|p| costs(&p));
    PasswordHash::new(stored)
        .is_ok_and(|h| h.algorithm.as_str() != "argon2id" || Params::try_from(&h).ok().map(|p| costs(&p)) != current)
}

impl Store {
    /// Whether the desk has been set up (it has at least one admin).
    pub fn is_initialized(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS(SELECT 1 FROM staff WHERE role = 'admin')", [], |r| {
                r.get(0)
            })?)
    }

    /// Creates the desk: the default categories and its first admin.
    pub fn init_desk(&mut self, admin: &str, pin: &str, now: Time) -> Result<Actor> {
        check_pin(pin, Role::Admin)?;
        let hash = hash_pin(pin)?;
        let path = self.path.clone();
        self.transaction(|tx| {
            let any: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM staff)", [], |r| r.get(0))?;
            if any {
                return Err(StoreError::AlreadyInitialized(path));
            }
            seed_categories(tx)?;
            insert_staff(tx, StaffId::SYSTEM, admin, Role::Admin, None, Some(&hash), now)
        })
    }

    /// Adds a staff member; `by` must be an active admin.
    pub fn add_staff(
        &mut self,
        by: &Actor,
        name: &str,
        role: Role,
        dept: Option<DeptId>,
        pin: &str,
        now: Time,
    ) -> Result<Actor> {
        require_admin(by)?;
        check_pin(pin, role)?;
        let hash = hash_pin(pin)?;
        self.transaction(|tx| insert_staff(tx, by.id, name, role, dept, Some(&hash), now))
    }

    /// Activates or deactivates an account (admin). Cases stay with their owner
    /// until transferred; an inactive owner cannot act, so transfer first.
    pub fn set_staff_active(&mut self, by: &Actor, name: &str, active: bool, now: Time) -> Result<()> {
        require_admin(by)?;
        let target = self.staff_by_name(name)?;
        self.transaction(|tx| {
            tx.execute("UPDATE staff SET active = ? WHERE id = ?", params![active, target.id.0])?;
            let body =
                serde_json::json!({"kind": "staff_active", "name": target.name, "id": target.id.0, "active": active})
                    .to_string();
            append(tx, &[desk_event("staff_active", by.id, now, &body)])
        })
    }

    /// Sets a new PIN (admin, or the person themselves).
    pub fn set_pin(&mut self, by: &Actor, name: &str, pin: &str, now: Time) -> Result<()> {
        let target = self.staff_by_name(name)?;
        if by.id != target.id {
            require_admin(by)?;
        }
        check_pin(pin, target.role)?;
        let hash = hash_pin(pin)?;
        self.transaction(|tx| {
            tx.execute(
                "UPDATE staff SET pin_hash = ?, failed_pins = 0, locked_until = NULL WHERE id = ?",
                params![hash, target.id.0],
            )?;
            // The PIN's fingerprint, not the PIN: `check` finds a hash copied
            // from another account or written behind the desk's back.
            let body = serde_json::json!({
                "kind": "pin_set", "name": target.name, "id": target.id.0, "pin": pin_print(Some(&hash)),
            })
            .to_string();
            append(tx, &[desk_event("pin_set", by.id, now, &body)])
        })
    }

    /// Checks a PIN; too many wrong ones lock the account for a while. An
    /// inactive account is refused before its PIN is looked at.
    ///
    /// The attempt is counted before the PIN is checked, in the write
    /// transaction that reads the count, so however many terminals try at
    /// once no more than `pin_attempts` PINs are checked before the lock. The
    /// slow hash runs outside any transaction (other terminals keep writing
    /// meanwhile); a right PIN then clears the count, a wrong one is recorded
    /// in the audit log (and the lockout, if it was the last try).
    pub fn sign_in(&mut self, name: &str, pin: &str, now: Time, security: &Security) -> Result<Actor> {
        let actor = self.staff_by_name(name)?;
        if self.is_read_only() {
            return self.sign_in_to_look(&actor, pin, now, security);
        }
        let attempt = self.transaction(|tx| reserve_attempt(tx, actor.id, now, security))?;
        if let Some(stored) = attempt.hash.as_deref().filter(|h| pin_matches(pin, h)) {
            // The same PIN, hashed as new PINs are: the next sign-in is faster.
            let rehashed = if needs_rehash(stored) {
                Some(hash_pin(pin)?)
            } else {
                None
            };
            self.transaction(|tx| {
                tx.execute(
                    "UPDATE staff SET failed_pins = 0, locked_until = NULL, pin_hash = coalesce(?, pin_hash) \
                     WHERE id = ?",
                    params![rehashed, actor.id.0],
                )?;
                match &rehashed {
                    Some(hash) => {
                        let body = serde_json::json!({
                            "kind": "pin_rehashed", "name": actor.name, "id": actor.id.0, "pin": pin_print(Some(hash)),
                        })
                        .to_string();
                        append(tx, &[desk_event("pin_rehashed", actor.id, now, &body)])
                    }
                    None => Ok(()),
                }
            })?;
            return Ok(actor);
        }
        self.transaction(|tx| record_failure(tx, &actor, &attempt, now))?;
        match attempt.locks_until {
            Some(until) => Err(StoreError::Locked { until }),
            None => Err(StoreError::BadPin {
                left: attempt.limit.saturating_sub(attempt.count),
            }),
        }
    }

    /// Signs in on a read-only desk, to look: the PIN is checked against
    /// the stored hash and a lock still running is kept, but no attempt can
    /// be counted (nothing can be written; whoever reads the file could read
    /// its hashes as well, and the slow hash is the limit).
    fn sign_in_to_look(&self, actor: &Actor, pin: &str, now: Time, security: &Security) -> Result<Actor> {
        let (hash, failed, locked_until, active): (Option<String>, u32, Option<i64>, bool) = self.conn.query_row(
            "SELECT pin_hash, failed_pins, locked_until, active FROM staff WHERE id = ?",
            [actor.id.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        if !active {
            return Err(StoreError::Rule(crate::domain::RuleError::Inactive));
        }
        if let Some(until) = locked_until.filter(|u| *u > secs(now)) {
            return Err(StoreError::Locked {
                until: chrono::DateTime::from_timestamp(until, 0).unwrap_or(now),
            });
        }
        if hash.as_deref().is_some_and(|h| pin_matches(pin, h)) {
            Ok(actor.clone())
        } else {
            Err(StoreError::BadPin {
                left: security.pin_attempts.max(1).saturating_sub(failed),
            })
        }
    }

    /// A staff member by name; an unknown name lists the known ones.
    pub fn staff_by_name(&self, name: &str) -> Result<Actor> {
        let name = name.trim();
        let found = self
            .conn
            .prepare_cached("SELECT id, name, role, active FROM staff WHERE name = ?")?
            .query_row([name], actor_row)
            .optional()?;
        match found {
            Some(actor) => actor,
            None => Err(StoreError::Unknown {
                what: "staff",
                given: name.to_string(),
                known: self.staff()?.into_iter().map(|s| s.actor.name).collect(),
            }),
        }
    }

    /// A staff member by id.
    pub fn staff_by_id(&self, id: StaffId) -> Result<Option<Actor>> {
        self.conn
            .prepare_cached("SELECT id, name, role, active FROM staff WHERE id = ?")?
            .query_row([id.0], actor_row)
            .optional()?
            .transpose()
    }

    /// Everyone, by id.
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, role, active, dept_id, pin_hash IS NOT NULL FROM staff ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((actor_row(r)?, r.get::<_, Option<i64>>(4)?, r.get::<_, bool>(5)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (actor, dept, has_pin) = row?;
            out.push(StaffMember {
                actor: actor?,
                dept: dept.map(DeptId),
                has_pin,
            });
        }
        Ok(out)
    }

    /// Display names by id, for timelines and listings (the desk itself included).
    pub fn staff_names(&self) -> Result<std::collections::HashMap<StaffId, String>> {
        let mut names: std::collections::HashMap<StaffId, String> =
            self.staff()?.into_iter().map(|s| (s.actor.id, s.actor.name)).collect();
        names.insert(StaffId::SYSTEM, "system".to_string());
        Ok(names)
    }
}

/// A sign-in attempt counted before its PIN is checked.
struct Attempt {
    /// The stored hash (none: the account cannot sign in).
    hash: Option<String>,
    /// Wrong PINs so far, this attempt included.
    count: u32,
    /// The policy's attempts.
    limit: u32,
    /// This is the last try: the account is locked until then unless the PIN is right.
    locks_until: Option<Time>,
}

/// Counts an attempt on `id`, or refuses it (inactive, locked). The count goes
/// up before the PIN is checked, so a terminal that dies while hashing has
/// spent a try; the last try locks the account at once, and a right PIN
/// unlocks it again.
fn reserve_attempt(tx: &Transaction<'_>, id: StaffId, now: Time, security: &Security) -> Result<Attempt> {
    let (hash, failed, locked_until, active): (Option<String>, u32, Option<i64>, bool) = tx.query_row(
        "SELECT pin_hash, failed_pins, locked_until, active FROM staff WHERE id = ?",
        [id.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if !active {
        return Err(StoreError::Rule(crate::domain::RuleError::Inactive));
    }
    if let Some(until) = locked_until.filter(|u| *u > secs(now)) {
        return Err(StoreError::Locked {
            until: chrono::DateTime::from_timestamp(until, 0).unwrap_or(now),
        });
    }
    // A lock that has run out starts the count again.
    let count = if locked_until.is_some() { 1 } else { failed + 1 };
    let limit = security.pin_attempts.max(1);
    let locks_until = (count >= limit).then(|| now + chrono::Duration::minutes(i64::from(security.lockout_minutes)));
    tx.execute(
        "UPDATE staff SET failed_pins = ?, locked_until = ? WHERE id = ?",
        params![count, locks_until.map(secs), id.0],
    )?;
    Ok(Attempt {
        hash,
        count,
        limit,
        locks_until,
    })
}

/// Records a wrong PIN (who, when, how many so far) and, when it was the
/// last try and the account is still locked, the lockout.
fn record_failure(tx: &Transaction<'_>, actor: &Actor, attempt: &Attempt, now: Time) -> Result<()> {
    let failed = serde_json::json!({
        "kind": "sign_in_failed", "name": actor.name, "failed": attempt.count, "limit": attempt.limit,
    })
    .to_string();
    append(tx, &[desk_event("sign_in_failed", actor.id, now, &failed)])?;
    let Some(until) = attempt.locks_until else {
        return Ok(());
    };
    // A right PIN checked meanwhile in another terminal has lifted the lock.
    let still: Option<i64> = tx.query_row("SELECT locked_until FROM staff WHERE id = ?", [actor.id.0], |r| {
        r.get(0)
    })?;
    if still == Some(secs(until)) {
        let locked = serde_json::json!({
            "kind": "account_locked", "name": actor.name, "failed": attempt.count, "until": until.to_rfc3339(),
        })
        .to_string();
        append(tx, &[desk_event("account_locked", actor.id, now, &locked)])?;
    }
    Ok(())
}

fn require_admin(by: &Actor) -> Result<()> {
    if by.active && by.role == Role::Admin {
        Ok(())
    } else {
        Err(StoreError::Rule(crate::domain::RuleError::Role(Role::Admin)))
    }
}

fn actor_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Actor>> {
    let role: String = r.get(2)?;
    Ok(Role::parse(&role)
        .map_err(|e| StoreError::Damaged(e.to_string()))
        .and_then(|role| {
            Ok(Actor {
                id: StaffId(r.get(0)?),
                name: r.get(1)?,
                role,
                active: r.get(3)?,
            })
        }))
}

/// A desk-level audit row (no case).
pub(crate) fn desk_event<'a>(kind: &'a str, actor: StaffId, now: Time, body: &'a str) -> NewEvent<'a> {
    NewEvent {
        case_id: None,
        seq: 0,
        kind,
        actor_id: actor.0,
        at: secs(now),
        body,
    }
}

/// Inserts a staff row and its audit event.
pub(crate) fn insert_staff(
    tx: &Transaction<'_>,
    by: StaffId,
    name: &str,
    role: Role,
    dept: Option<DeptId>,
    pin_hash: Option<&str>,
    now: Time,
) -> Result<Actor> {
    insert_account(tx, by, name, role, dept, pin_hash, true, now)
}

/// Inserts an inactive account with no PIN and its audit event (a name an
/// import meets that the desk lacks).
pub(crate) fn insert_inactive_staff(
    tx: &Transaction<'_>,
    by: StaffId,
    name: &str,
    role: Role,
    now: Time,
) -> Result<Actor> {
    insert_account(tx, by, name, role, None, None, false, now)
}

/// Inserts an account and its audit event, which says everything the row
/// holds (its PIN as a fingerprint), so `check` can replay the staff table.
#[allow(clippy::too_many_arguments)]
fn insert_account(
    tx: &Transaction<'_>,
    by: StaffId,
    name: &str,
    role: Role,
    dept: Option<DeptId>,
    pin_hash: Option<&str>,
    active: bool,
    now: Time,
) -> Result<Actor> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Rule(crate::domain::RuleError::Required { field: "name" }));
    }
    let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM staff WHERE name = ?)", [name], |r| {
        r.get(0)
    })?;
    if exists {
        return Err(StoreError::Duplicate(name.to_string()));
    }
    tx.execute(
        "INSERT INTO staff (name, role, dept_id, pin_hash, active, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        params![name, role.code(), dept.map(|d| d.0), pin_hash, active, secs(now)],
    )?;
    let actor = Actor {
        id: StaffId(tx.last_insert_rowid()),
        name: name.to_string(),
        role,
        active,
    };
    let body = serde_json::json!({
        "kind": "staff_added", "name": name, "role": role.code(), "id": actor.id.0,
        "dept": dept.map(|d| d.0), "active": active, "pin": pin_print(pin_hash),
    })
    .to_string();
    append(tx, &[desk_event("staff_added", by, now, &body)])?;
    Ok(actor)
}

/// A PIN hash's fingerprint as the audit log keeps it: SHA-256 of the stored
/// hash, in hex (none without a PIN). It says nothing of the PIN that the
/// stored hash does not, and tells every account's hash from another's
/// (each is salted).
#[must_use]
pub fn pin_print(hash: Option<&str>) -> Option<String> {
    use sha2::{Digest, Sha256};
    hash.map(|h| hex::encode(Sha256::digest(h.as_bytes())))
}

impl Store {
    /// Records every account as it stands, once, on a desk made before the
    /// audit log said everything about its accounts (`staff_baseline`, set
    /// by migration 11): from then on `check` replays the staff table.
    /// `check` still holds each record to what the log said before it.
    pub(crate) fn record_staff_baseline(&mut self) -> Result<()> {
        let pending: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM desk_settings WHERE key = 'staff_baseline')",
            [],
            |r| r.get(0),
        )?;
        if !pending {
            return Ok(());
        }
        self.transaction(|tx| {
            let bodies: Vec<String> = tx
                .prepare("SELECT id, name, role, dept_id, active, pin_hash, created_at FROM staff ORDER BY id")?
                .query_map([], |r| {
                    let pin: Option<String> = r.get(5)?;
                    Ok(serde_json::json!({
                        "kind": "staff_recorded", "id": r.get::<_, i64>(0)?, "name": r.get::<_, String>(1)?,
                        "role": r.get::<_, String>(2)?, "dept": r.get::<_, Option<i64>>(3)?,
                        "active": r.get::<_, bool>(4)?, "pin": pin_print(pin.as_deref()),
                        "created_at": r.get::<_, i64>(6)?,
                    })
                    .to_string())
                })?
                .collect::<Result<_, _>>()?;
            let now = super::rows::from_secs(chrono::Utc::now().timestamp());
            let events: Vec<NewEvent<'_>> = bodies
                .iter()
                .map(|b| desk_event("staff_recorded", StaffId::SYSTEM, now, b))
                .collect();
            append(tx, &events)?;
            tx.execute("DELETE FROM desk_settings WHERE key = 'staff_baseline'", [])?;
            Ok(())
        })
    }
}

impl Store {
    /// Records that `by` looked at a confidential complainant, and why.
    pub fn record_confidential_view(&mut self, by: &Actor, number: &str, reason: &str, now: Time) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(StoreError::Rule(crate::domain::RuleError::Required { field: "reason" }));
        }
        let body =
            serde_json::json!({"kind": "confidential_viewed", "case": number, "reason": reason.trim()}).to_string();
        self.transaction(|tx| append(tx, &[desk_event("confidential_viewed", by.id, now, &body)]))
    }

    /// Records that `by` exported the desk with `confidential` confidential
    /// complainants written out unmasked, to `file`.
    pub fn record_confidential_export(&mut self, by: &Actor, confidential: u64, file: &str, now: Time) -> Result<()> {
        let body = serde_json::json!({"kind": "confidential_exported", "confidential": confidential, "file": file})
            .to_string();
        self.transaction(|tx| append(tx, &[desk_event("confidential_exported", by.id, now, &body)]))
    }
}
