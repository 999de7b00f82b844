//! The queue's view (视图): whose cases, which state, only overdue or
//! escalated ones, due by the end of today or of this shift, and in which
//! order. A clerk combines the parts, saves the combination under a name of
//! their own and recalls it by a number (保存的视图).
//!
//! Pure: what a view selects and in what order, given a case's facts and the
//! bound its "due by" part stands for at a time passed in.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::handover::shift_at;
use super::kinds::code_enum;
use super::{Policy, StaffId, State, Time};

/// Longest name of a saved view, in characters.
pub const NAME_MAX: usize = 20;
/// Saved views are recalled by the numbers 1 to this.
pub const SLOTS: u8 = 9;

code_enum!(
    /// Whose cases a view shows.
    Whose, "whose" { Mine = "mine", All = "all" }
);

code_enum!(
    /// How soon a case in a view falls due: any time, by the end of today, or
    /// by the end of the shift on duty (the policy's shifts).
    DueBy, "due_by" { Any = "any", Today = "today", Shift = "shift" }
);

code_enum!(
    /// A view's order: most urgent first (the queue's own), newest first, oldest first.
    Sort, "sort" { Urgent = "urgent", Newest = "newest", Oldest = "oldest" }
);

/// The queue's view: each part narrows the open cases; the sort orders them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Mine or everyone's.
    pub whose: Whose,
    /// Only cases in this state.
    #[serde(default)]
    pub state: Option<State>,
    /// Only cases with a step past due.
    #[serde(default)]
    pub overdue: bool,
    /// Only cases at escalation level 2 or higher.
    #[serde(default)]
    pub escalated: bool,
    /// Only cases with a step due by this bound.
    #[serde(default = "any")]
    pub due: DueBy,
    /// The order.
    #[serde(default = "urgent")]
    pub sort: Sort,
}

fn any() -> DueBy {
    DueBy::Any
}

fn urgent() -> Sort {
    Sort::Urgent
}

impl Default for View {
    /// My open cases, most urgent first: the queue as it opens.
    fn default() -> Self {
        View::of(Whose::Mine)
    }
}

/// What a view looks at in a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewFacts {
    /// Its number (the last tie-breaker).
    pub number: String,
    /// When it came in.
    pub received_at: Time,
    /// Its owner.
    pub owner: StaffId,
    /// Its state.
    pub state: State,
    /// Its escalation level.
    pub level: u8,
    /// The nearest running due time, if a step runs.
    pub next_due: Option<Time>,
}

/// A name or number a saved view cannot have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// Nothing but spaces.
    #[error("a view needs a name")]
    NameEmpty,
    /// Longer than [`NAME_MAX`] characters.
    #[error("a view's name is at most {max} characters")]
    NameTooLong {
        /// The most.
        max: usize,
    },
    /// A line break or other control character.
    #[error("a view's name is one line")]
    NameNotOneLine,
    /// Not 1 to [`SLOTS`].
    #[error("a view's number is 1 to {max}")]
    SlotOutOfRange {
        /// What was given.
        given: String,
        /// The most.
        max: u8,
    },
}

/// A saved view's name as it is kept: trimmed, one line, 1 to [`NAME_MAX`] characters.
pub fn check_name(name: &str) -> Result<String, ViewError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ViewError::NameEmpty)
    } else if name.chars().any(char::is_control) {
        Err(ViewError::NameNotOneLine)
    } else if name.chars().count() > NAME_MAX {
        Err(ViewError::NameTooLong { max: NAME_MAX })
    } else {
        Ok(name.to_string())
    }
}

/// A saved view's number, 1 to [`SLOTS`], from what the clerk typed.
pub fn check_slot(given: &str) -> Result<u8, ViewError> {
    given
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=SLOTS).contains(n))
        .ok_or_else(|| ViewError::SlotOutOfRange {
            given: given.trim().to_string(),
            max: SLOTS,
        })
}

impl View {
    /// Only `whose` cases, most urgent first, nothing else narrowed.
    #[must_use]
    pub fn of(whose: Whose) -> View {
        View {
            whose,
            state: None,
            overdue: false,
            escalated: false,
            due: DueBy::Any,
            sort: Sort::Urgent,
        }
    }

    /// Nothing narrowed but whose.
    #[must_use]
    pub fn is_plain(&self) -> bool {
        self.state.is_none() && !self.overdue && !self.escalated && self.due == DueBy::Any
    }

    /// The bound the "due by" part stands for at `now`: a case is due by it
    /// when its next due time is before it (the end of today is the last
    /// second of the local day; a shift ends as the next one starts).
    #[must_use]
    pub fn due_before(&self, policy: &Policy, now: Time) -> Option<Time> {
        match self.due {
            DueBy::Any => None,
            DueBy::Today => {
                let today = super::deadline::local_date(policy.timezone, now);
                Some(super::deadline::end_of_day(policy.timezone, today) + chrono::Duration::seconds(1))
            }
            DueBy::Shift => Some(shift_at(policy, now).end),
        }
    }

    /// Whether the view shows `case` (an open one) to clerk `me` at `now`,
    /// `due_before` being [`View::due_before`] at `now`.
    #[must_use]
    pub fn selects(&self, me: StaffId, case: &ViewFacts, now: Time, due_before: Option<Time>) -> bool {
        (self.whose == Whose::All || case.owner == me)
            && self.state.is_none_or(|s| case.state == s)
            && (!self.overdue || case.next_due.is_some_and(|d| d < now))
            && (!self.escalated || case.level >= 2)
            && due_before.is_none_or(|bound| case.next_due.is_some_and(|d| d < bound))
    }

    /// The view's order between two cases: most urgent is the nearest due
    /// time first (nothing due last), then newest first; newest and oldest go
    /// by when they came in. The case number breaks every tie.
    #[must_use]
    pub fn order(&self, a: &ViewFacts, b: &ViewFacts) -> Ordering {
        let newest = b.received_at.cmp(&a.received_at).then_with(|| b.number.cmp(&a.number));
        match self.sort {
            Sort::Urgent => {
                let due = |f: &ViewFacts| f.next_due.map_or(i64::MAX, |d| d.timestamp());
                due(a).cmp(&due(b)).then(newest)
            }
            Sort::Newest => newest,
            Sort::Oldest => newest.reverse(),
        }
    }
}

/// The next value of a cycle: after the last, the first.
#[must_use]
pub fn next_of<T: Copy + PartialEq>(all: &[T], now: T) -> T {
    let i = all.iter().position(|x| *x == now).map_or(0, |i| (i + 1) % all.len());
    all.get(i).copied().unwrap_or(now)
}

/// The next state a view narrows to: none, then each open state, then none again.
#[must_use]
pub fn next_state(now: Option<State>) -> Option<State> {
    let mut open: Vec<Option<State>> = vec![None];
    open.extend(State::ALL.iter().copied().filter(|s| *s != State::Closed).map(Some));
    next_of(&open, now)
}
