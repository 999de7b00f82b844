//! A department's part in a case (交办): which clock is whose, and what
//! each assigned department owes — its reply, its urges — in a round.

use serde::{Deserialize, Serialize};

use super::{AssignMode, DeadlineKind, DeptId, StaffId, Tier, Time, Verdict};

/// The clocks of a department's reply: each assigned department has its own.
pub const DEPT_REPLY: &[DeadlineKind] = &[
    DeadlineKind::DepartmentReply,
    DeadlineKind::InternalFirstInvestigation,
    DeadlineKind::InternalProcess,
];

/// Which clock: a step's, and for a department's reply, whose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Clock {
    /// Which step it limits.
    pub kind: DeadlineKind,
    /// The department whose reply it waits for; `None` for the case's own clocks.
    pub dept: Option<DeptId>,
}

impl Clock {
    /// One of the case's own clocks.
    #[must_use]
    pub fn case(kind: DeadlineKind) -> Self {
        Self { kind, dept: None }
    }
}

/// A department's part in a round (交办): its own clock, urges and reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptTask {
    /// The department.
    pub dept: DeptId,
    /// By phone or in writing (its clock differs).
    pub mode: AssignMode,
    /// The round it was assigned in.
    pub round: u32,
    /// When it was (last) assigned.
    pub assigned_at: Time,
    /// Urges made to it (催办).
    pub urges: u32,
    /// When it was last urged.
    pub last_urge_at: Option<Time>,
    /// Its reply, when it came.
    pub reply: Option<DeptReply>,
    /// A supervisor let it off replying.
    pub released: bool,
    /// When it was let off.
    pub released_at: Option<Time>,
    /// Its reply's due time when it was let off.
    pub released_due: Option<Time>,
}

impl DeptTask {
    /// Still to reply: neither replied nor let off.
    #[must_use]
    pub fn is_pending(&self) -> bool {
        self.reply.is_none() && !self.released
    }
}

/// A department's reply, as the case keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptReply {
    /// Justified, partly, unjustified, not ours.
    pub verdict: Verdict,
    /// Who recorded it.
    pub by: StaffId,
    /// When.
    pub at: Time,
    /// The responsibility tier of a justified or partly justified reply.
    pub tier: Option<Tier>,
    /// Who was mainly responsible (主要责任人), as the reply named them.
    pub responsible: Option<String>,
    /// When it was due (its clock as it stood when the reply came).
    pub due: Option<Time>,
}
