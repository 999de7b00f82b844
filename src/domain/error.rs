//! Rule violations: values the screens and the command line show in the clerk's language.

use super::{DeadlineKind, DeptId, Role, State, Time};

/// What the closing gate still misses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    /// No answer on the spot, referral or department reply.
    Result,
    /// The complainant has not been told the result.
    Feedback,
    /// A second-round reply needs a supervisor's sign-off.
    Review,
    /// No return visit with a satisfaction answer, and no exemption.
    ReturnVisit,
    /// A drug-quality incident not yet reported, or its cause and result not.
    Quality,
}

impl Missing {
    /// Code for messages and JSON.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Missing::Result => "result",
            Missing::Feedback => "feedback",
            Missing::Review => "review",
            Missing::Quality => "quality",
            Missing::ReturnVisit => "return_visit",
        }
    }
}

/// A command the rules refuse, with what is missing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The acting account is inactive.
    #[error("your account is not active")]
    Inactive,
    /// A late entry dated in the future.
    #[error("a step cannot be entered for a time still to come")]
    LateInFuture,
    /// A late entry dated before the case's last step.
    #[error("a late entry cannot go before the case's last step")]
    LateBeforeLastStep {
        /// When the last step happened.
        last: super::Time,
    },
    /// A late entry older than the policy allows.
    #[error("a step can be entered late only within {hours} hours")]
    LateTooOld {
        /// The policy's limit.
        hours: u32,
    },
    /// Only the owner (or a supervisor) handles a case: first-receiver responsibility.
    #[error("only the case owner or a supervisor may do this")]
    NotOwner,
    /// A supervisor's step.
    #[error("only a supervisor may {action}")]
    SupervisorOnly {
        /// The action's code.
        action: &'static str,
    },
    /// The subject of a complaint may not own or handle it (回避).
    #[error("you are the subject of this complaint and may not handle it (recusal)")]
    Recusal,
    /// Closed cases are read-only.
    #[error("the case is closed and read-only; a supervisor may reopen it")]
    Closed,
    /// The step needs a closed case.
    #[error("the case is not closed yet")]
    NotClosed,
    /// The step does not fit the case's state.
    #[error("cannot {action} a case in state {state}")]
    WrongState {
        /// The action's code.
        action: &'static str,
        /// Where the case stands.
        state: State,
    },
    /// A required text is empty.
    #[error("{field} is required")]
    Required {
        /// The field's code.
        field: &'static str,
    },
    /// A text is longer than the desk keeps.
    #[error("{field} is too long ({len} characters, at most {max})")]
    TooLong {
        /// The field's code.
        field: &'static str,
        /// Characters given.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// A text holds a control character (an escape, a carriage return …).
    #[error("{field} holds the control character {code}")]
    ControlCharacter {
        /// The field's code.
        field: String,
        /// The character's code point, as `U+001B`.
        code: String,
    },
    /// A tier is recorded only on a justified or partly justified reply.
    #[error("only a justified or partly justified reply has a responsibility tier")]
    TierNotJustified,
    /// The tier given is under what the rules set.
    #[error("the rules set this reply's tier at {floor} at least")]
    TierBelowFloor {
        /// The lowest tier allowed.
        floor: super::Tier,
        /// Why.
        why: super::responsibility::FloorReason,
    },
    /// A justified complaint needs a responsible party and improvement measures.
    #[error("a justified complaint needs {}", missing.join(" and "))]
    JustifiedNeeds {
        /// Which of "responsible" and "measures" are missing.
        missing: Vec<&'static str>,
    },
    /// The return visit comes after the feedback.
    #[error("no feedback given yet: the return visit comes after it")]
    NoFeedbackYet,
    /// Nobody to visit.
    #[error("the complainant left no contact details: no return visit is possible")]
    NoContact,
    /// The second-round reply must be signed off first.
    #[error("a second-round reply must be signed off by a supervisor first")]
    NeedsReview,
    /// The reviewer handled an earlier round.
    #[error("the second round must be reviewed by someone who did not handle the first")]
    ReviewerHandled,
    /// The closing gate refused.
    #[error("cannot close: missing {}", missing.iter().map(|m| m.code()).collect::<Vec<_>>().join(", "))]
    CloseGate {
        /// What is missing.
        missing: Vec<Missing>,
        /// Failed return-visit attempts on distinct days.
        attempts: u32,
        /// Attempts after which the complainant counts as unreachable.
        limit: u32,
    },
    /// Pausing a paused clock.
    #[error("the clock is already paused")]
    AlreadyPaused,
    /// Resuming a running clock.
    #[error("the clock is not paused")]
    NotPaused,
    /// No running clock to extend or urge.
    #[error("no running deadline {}", which.map_or("", |w| w.code()))]
    NoRunningDeadline {
        /// The clock asked for, if one was.
        which: Option<DeadlineKind>,
    },
    /// A quality report on a case not flagged a drug-quality incident.
    #[error("the case is not flagged a drug-quality incident")]
    NotQualityIncident,
    /// A repair's return visit needs all three ratings.
    #[error("a repair's return visit needs attitude, speed and result ratings")]
    RepairRatings,
    /// Several departments are still to reply: the step must say which.
    #[error("several departments are still to reply: name one")]
    WhichDepartment {
        /// The departments still to reply.
        pending: Vec<DeptId>,
    },
    /// The department named is not one still to reply.
    #[error("that department is not still to reply")]
    DepartmentNotPending {
        /// The department named.
        dept: DeptId,
        /// The departments still to reply.
        pending: Vec<DeptId>,
    },
    /// Releasing the last department still to reply when none has replied
    /// would leave the round without a result.
    #[error("no department has replied: release would leave no result")]
    ReleaseLeavesNoResult,
    /// An extension must move a due time later.
    #[error("the new due time must be later than {current}")]
    ExtendNotLater {
        /// The due time now.
        current: Time,
    },
    /// A time that must lie ahead of another.
    #[error("{field} must be after {after}")]
    TimeOrder {
        /// The field's code.
        field: &'static str,
        /// The earliest allowed time.
        after: Time,
    },
    /// A new reply time while one promised still runs, without a reason.
    #[error("the complainant was promised an answer by {current}: a new time needs a reason")]
    RepromiseNeedsReason {
        /// The reply time promised now.
        current: Time,
    },
    /// A received time later than now (beyond clock skew).
    #[error("the received time cannot be later than now")]
    ReceivedInFuture,
    /// The highest level is 3 (leadership).
    #[error("the case is already at the highest level")]
    MaxLevel,
    /// The flag is already set.
    #[error("the flag is already set")]
    FlagSet,
    /// This flag is set by the rules, not by hand.
    #[error("this flag is set by the desk's rules, not by hand")]
    FlagNotManual,
    /// The proposed new owner may not take the case.
    #[error("{name} cannot take this case: {why}")]
    TransferTarget {
        /// Their name.
        name: String,
        /// Code: inactive, same_owner, subject, role.
        why: &'static str,
    },
    /// Accepting with no transfer offered, or offered to someone else.
    #[error("no transfer of this case is waiting for you")]
    NoTransferForYou,
    /// A phone number with something in it that is not part of a number.
    #[error("'{given}' is not a phone number")]
    Phone {
        /// What was typed.
        given: String,
    },
    /// A rating outside 1–5.
    #[error("ratings are 1 to 5")]
    Rating,
    /// All scheduled follow-up visits are done, or none are due for this case.
    #[error("no follow-up visit is due for this case")]
    NoFollowUpDue,
    /// Already archived.
    #[error("the case is already archived")]
    Archived,
    /// A correction to what the field already holds.
    #[error("the field already holds that value")]
    Unchanged,
    /// A complainant's field of a case with an anonymous complainant.
    #[error("the complainant is anonymous: nothing of theirs is kept to correct")]
    AnonymousComplainant,
    /// A role the step needs.
    #[error("this needs the role {0}")]
    Role(Role),
    /// A case linked to itself.
    #[error("a case cannot be linked to itself")]
    SelfLink,
    /// The same link made twice.
    #[error("already linked to {other} as {}", relation.code())]
    AlreadyLinked {
        /// The other case.
        other: String,
        /// How.
        relation: super::LinkRelation,
    },
    /// A case that is already a member of the batch.
    #[error("already a member of batch {batch}")]
    AlreadyInBatch {
        /// The batch's number.
        batch: String,
    },
    /// The same file attached twice.
    #[error("this file is already attached as {name}")]
    AlreadyAttached {
        /// The name it was kept under.
        name: String,
    },
    /// A file larger than the policy allows.
    #[error("a file may be at most {max_mb} MB")]
    AttachmentTooLarge {
        /// The policy's limit.
        max_mb: u32,
    },
    /// A file of a type the desk does not keep.
    #[error("only PDF, PNG, JPEG, GIF, WEBP, TIFF and plain text files can be attached")]
    AttachmentType,
    /// A name whose ending does not agree with the file's content.
    #[error("the file's name should end in {expected}")]
    AttachmentName {
        /// The endings that would agree.
        expected: String,
    },
}

/// A list of events that is not a case.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// No events.
    #[error("a case needs at least its intake event")]
    Empty,
    /// The first event must be the intake.
    #[error("the first event of a case must be its intake, not '{0}'")]
    NotIntake(&'static str),
    /// A second intake.
    #[error("event {0} is a second intake")]
    SecondIntake(usize),
}
