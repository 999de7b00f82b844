//! Everything that changes the desk, each through one method that supplies the
//! desk's clock, policy and calendar: the command line and the screens call
//! these and never write to the store themselves.

use std::path::Path;

use super::Desk;
use crate::domain::handover::{DutyLogEntry, Handover, HandoverError, LogEnding, Shift};
use crate::domain::subject::Entry;
use crate::domain::{Actor, Channel, Command, Context, DeptId, IntakeForm, Role, RuleError};
use crate::store::directory::{Category, Department};
use crate::store::duty::{DutyError, HandoverRecord};
use crate::store::people::PeopleSaved;
use crate::store::{CaseRecord, Store, StoreError};

type Result<T> = std::result::Result<T, StoreError>;

impl Desk {
    /// `work` on the store with the rules' context: `actor`, the desk's clock,
    /// policy and calendar.
    pub(super) fn with_rules<T>(&mut self, actor: &Actor, work: impl FnOnce(&mut Store, &Context<'_>) -> T) -> T {
        let ctx = Context {
            now: self.now(),
            actor,
            policy: &self.policy,
            calendar: &self.calendar,
        };
        work(&mut self.store, &ctx)
    }

    /// Records a new case (登记) by `actor`.
    pub fn intake(&mut self, actor: &Actor, form: IntakeForm) -> Result<CaseRecord> {
        self.with_rules(actor, |store, ctx| store.intake(ctx, form))
    }

    /// Runs one lifecycle step on case `number` by `actor`; with `if_version`,
    /// refused when the case changed since that version was read.
    pub fn execute(
        &mut self,
        actor: &Actor,
        number: &str,
        if_version: Option<i64>,
        command: &Command,
    ) -> Result<CaseRecord> {
        self.with_rules(actor, |store, ctx| store.execute(ctx, number, if_version, command))
            .map_err(|e| self.departments_named(e))
    }

    /// A rule's refusal that names departments by id, with their names.
    pub(super) fn departments_named(&self, e: StoreError) -> StoreError {
        let (named, pending) = match &e {
            StoreError::Rule(RuleError::WhichDepartment { pending }) => (None, pending.clone()),
            StoreError::Rule(RuleError::DepartmentNotPending { dept, pending }) => (Some(*dept), pending.clone()),
            _ => return e,
        };
        let Ok(names) = self.store.dept_names() else { return e };
        let name = |d: crate::domain::DeptId| names.get(&d).cloned().unwrap_or_else(|| format!("#{}", d.0));
        StoreError::Departments {
            named: named.map(name),
            pending: pending.into_iter().map(name).collect(),
        }
    }

    /// Runs one step entered late (补录): it happened at `at`, and is entered
    /// now for `reason`; the rules of late entry are the domain's.
    pub fn execute_late(
        &mut self,
        actor: &Actor,
        number: &str,
        if_version: Option<i64>,
        command: &Command,
        at: crate::domain::Time,
        reason: &str,
    ) -> Result<CaseRecord> {
        let late = crate::domain::LateEntry { at, reason };
        self.with_rules(actor, |store, ctx| {
            store.execute_late(ctx, number, if_version, command, Some(&late))
        })
        .map_err(|e| self.departments_named(e))
    }

    /// Applies the automatic rules (overdue escalation …) to every open case, as `actor`.
    pub fn sweep(&mut self, actor: &Actor) -> Result<usize> {
        self.with_rules(actor, super::super::store::Store::sweep)
    }

    /// The staff member `name`.
    pub fn resolve_staff(&self, name: &str) -> Result<Actor> {
        self.store.staff_by_name(name)
    }

    /// The department `name`.
    pub fn resolve_dept(&self, name: &str) -> Result<Department> {
        self.store.department(name)
    }

    /// The category `name` (its code or a label in either language).
    pub fn resolve_category(&self, name: &str) -> Result<Category> {
        self.store.category(name)
    }

    /// Signs `name` in with `pin` (a wrong PIN counts towards the lockout):
    /// the one place the command line and the screens get an acting account
    /// from, so a deactivated account is refused here, before its PIN is
    /// checked, and can do nothing at all.
    pub fn sign_in(&mut self, name: &str, pin: &str) -> Result<Actor> {
        let now = self.now();
        self.store.sign_in(name, pin, now, &self.policy.security)
    }

    /// `actor` as the desk knows them now: a screen signed in before the
    /// account was deactivated is refused from then on.
    pub fn acting(&self, actor: &Actor) -> Result<Actor> {
        match self.store.staff_by_id(actor.id)? {
            Some(now) if now.active => Ok(now),
            _ => Err(StoreError::Rule(crate::domain::RuleError::Inactive)),
        }
    }

    /// `actor` joins the shift the policy says they are arriving for.
    pub fn join_shift(&mut self, actor: &Actor) -> Result<Shift> {
        let now = self.now();
        self.store.join_shift(actor, &self.policy, now)
    }

    /// Records that `by` looked at case `number`'s confidential complainant, and why.
    pub fn record_confidential_view(&mut self, by: &Actor, number: &str, reason: &str) -> Result<()> {
        let now = self.now();
        self.store.record_confidential_view(by, number, reason, now)
    }

    /// Records that `by` exported `confidential` confidential complainants
    /// unmasked, to `file` (a path, or `-` for standard output).
    pub fn record_confidential_export(&mut self, by: &Actor, confidential: u64, file: &str) -> Result<()> {
        let now = self.now();
        self.store.record_confidential_export(by, confidential, file, now)
    }

    /// Creates the desk's first admin.
    pub fn init_desk(&mut self, admin: &str, pin: &str) -> Result<Actor> {
        let now = self.now();
        self.store.init_desk(admin, pin, now)
    }

    /// Adds a staff member (admin only).
    pub fn add_staff(&mut self, by: &Actor, name: &str, role: Role, dept: Option<DeptId>, pin: &str) -> Result<Actor> {
        let now = self.now();
        self.store.add_staff(by, name, role, dept, pin, now)
    }

    /// Deactivates or reactivates a staff member (admin only).
    pub fn set_staff_active(&mut self, by: &Actor, name: &str, active: bool) -> Result<()> {
        let now = self.now();
        self.store.set_staff_active(by, name, active, now)
    }

    /// Sets a staff member's PIN (their own, or anyone's by an admin).
    pub fn set_pin(&mut self, by: &Actor, name: &str, pin: &str) -> Result<()> {
        let now = self.now();
        self.store.set_pin(by, name, pin, now)
    }

    /// Adds a department (admin only).
    pub fn add_department(&mut self, by: &Actor, name: &str, phone: Option<&str>) -> Result<Department> {
        admin_only(by)?;
        self.store.add_department(name, phone)
    }

    /// Adds one person to the directory (admin only).
    pub fn add_person(&mut self, by: &Actor, person: &Entry) -> Result<()> {
        admin_only(by)?;
        let now = self.now();
        self.store.add_person(by, person, now)
    }

    /// Saves an imported list of people (admin only), all or nothing.
    pub fn import_people(&mut self, by: &Actor, people: &[Entry], source: &str) -> Result<PeopleSaved> {
        admin_only(by)?;
        let now = self.now();
        self.store.import_people(by, people, source, now)
    }

    /// Adds quick phrases (admin only): one typed, or a file's (`source`), all or nothing.
    pub fn add_phrases(
        &mut self,
        by: &Actor,
        phrases: &[(crate::domain::phrase::PhraseUse, String)],
        source: Option<&str>,
    ) -> Result<Vec<i64>> {
        admin_only(by)?;
        let now = self.now();
        self.store.add_phrases(by, phrases, source, now)
    }

    /// Stops offering a quick phrase (admin only).
    pub fn remove_phrase(&mut self, by: &Actor, id: i64) -> Result<crate::domain::phrase::Phrase> {
        admin_only(by)?;
        let now = self.now();
        self.store.remove_phrase(by, id, now)
    }

    /// Sets month `month`'s base (`YYYY-MM`) for the reports' rates (admin
    /// only); returns the base it had.
    pub fn set_base(&mut self, by: &Actor, month: &str, value: u64) -> Result<Option<u64>> {
        admin_only(by)?;
        let now = self.now();
        self.store.set_base(by, month, value, now)
    }

    /// Says, once, whether this new desk is a training desk.
    pub fn set_training(&mut self, by: &Actor, training: bool) -> Result<()> {
        admin_only(by)?;
        let now = self.now();
        self.store.set_training(by, training, now)?;
        self.training = training;
        Ok(())
    }

    /// Keeps a policy or calendar text in the desk (admin only); returns how
    /// many lines changed. The desk's rules in force change at its next opening.
    pub fn apply_setting(&mut self, by: &Actor, which: crate::store::settings::Setting, text: &str) -> Result<usize> {
        admin_only(by)?;
        let before = self.store.setting(which)?.unwrap_or_default();
        let now = self.now();
        self.store.apply_setting(by, which, text, now)?;
        Ok(crate::store::settings::changes(&before, text).len())
    }

    /// Adds a category (admin only).
    pub fn add_category(&mut self, by: &Actor, code: &str, name_zh: &str, name_en: &str) -> Result<Category> {
        admin_only(by)?;
        self.store.add_category(code, name_zh, name_en)
    }

    /// A new duty-log entry (值班记录).
    pub fn log_add(
        &mut self,
        actor: &Actor,
        channel: Channel,
        who: &str,
        what: &str,
        action: &str,
    ) -> Result<DutyLogEntry> {
        let now = self.now();
        self.store.log_add(actor, channel, who, what, action, now)
    }

    /// Ends a duty-log entry: became a case, answered, or carried over.
    pub fn log_resolve(&mut self, actor: &Actor, id: i64, ending: &LogEnding) -> Result<()> {
        let now = self.now();
        self.store.log_resolve(actor, id, ending, now)
    }

    /// Prepares (or reopens) the handover of `actor`'s shift.
    pub fn handover_prepare(&mut self, actor: &Actor) -> Result<HandoverRecord> {
        let now = self.now();
        self.store.handover_prepare(actor, &self.policy, now)
    }

    /// A handover with its sections as of now.
    pub fn handover(&self, id: i64) -> Result<HandoverRecord> {
        self.store.handover(id, &self.policy, self.now())
    }

    /// Changes handover `id` by `actor` (`kind` names the change in the audit log).
    pub fn handover_update(
        &mut self,
        id: i64,
        kind: &str,
        actor: &Actor,
        change: impl FnOnce(&mut Handover, usize) -> std::result::Result<(), HandoverError>,
    ) -> std::result::Result<HandoverRecord, DutyError> {
        let now = self.now();
        self.store.handover_update(id, &self.policy, now, kind, actor, change)
    }

    /// Replaces the desk with a checked backup (admin only), keeping the
    /// replaced desk beside it; see [`crate::store::restore`].
    pub fn restore_from(
        &mut self,
        by: &Actor,
        source: &Path,
    ) -> std::result::Result<crate::store::restore::Restored, crate::store::restore::RestoreError> {
        let now = self.now();
        self.store.restore_from(source, by, now)
    }

    /// Copies the desk to `target`, anchored (see [`Store::backup_to`]).
    pub fn backup_to(&mut self, target: &Path) -> Result<crate::store::anchor::Anchor> {
        self.store.backup_to(target)
    }
}

/// Only an active admin changes the desk's directory.
fn admin_only(by: &Actor) -> Result<()> {
    if by.role == crate::domain::Role::Admin && by.active {
        Ok(())
    } else {
        Err(StoreError::Rule(crate::domain::RuleError::Role(
            crate::domain::Role::Admin,
        )))
    }
}
