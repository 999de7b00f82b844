//! The case engine: every rule of the desk, pure.
//!
//! No terminal, no SQL and no clock live here: the current time, the acting
//! staff member and whatever the store knows about history are passed in, so
//! every rule can be tested on fixed dates.

pub mod calendar;
pub mod case;
pub mod command;
pub mod complainant;
pub mod correction;
pub mod deadline;
pub mod department;
pub mod error;
pub mod escalation;
pub mod event;
pub mod facts;
pub mod gate;
pub mod handover;
pub mod kinds;
pub mod phrase;
pub mod policy;
pub mod related;
pub mod responsibility;
pub mod retrace;
pub mod step;
pub mod subject;
pub mod text;
pub mod view;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use calendar::Calendar;
pub use case::Case;
pub use command::{Command, Context, History, IntakeForm, LateEntry, decide, decide_late, may_take};
pub use complainant::Complainant;
pub use deadline::{Deadline, DeadlineStatus};
pub use error::RuleError;
pub use event::{Event, EventBody};
pub use kinds::*;
pub use policy::Policy;
pub use related::{LinkRelation, Related};
pub use step::{StepKind, StepValues};
pub use subject::SubjectPerson;

/// An instant; the desk's local time zone comes from the policy.
pub type Time = DateTime<Utc>;

/// A staff member's id in the store; 0 is the desk itself (automatic rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StaffId(pub i64);

impl StaffId {
    /// The desk itself, author of automatic escalations.
    pub const SYSTEM: StaffId = StaffId(0);
}

/// A department's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeptId(pub i64);

/// A category's id in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryId(pub i64);

/// The person doing something: who they are, what they may do, whether active.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Store id.
    pub id: StaffId,
    /// Display name.
    pub name: String,
    /// Role at the desk.
    pub role: Role,
    /// Inactive staff can do nothing.
    pub active: bool,
}

impl Actor {
    /// Supervisors may act on any case, reopen, withdraw and review.
    #[must_use]
    pub fn is_supervisor(&self) -> bool {
        self.role == Role::Supervisor
    }
}

/// A code that is not one of the accepted values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{given}'; known: {}", known.join(", "))]
pub struct UnknownCode {
    /// Which vocabulary (channel, kind …).
    pub what: &'static str,
    /// What was given.
    pub given: String,
    /// The accepted codes.
    pub known: Vec<&'static str>,
}
