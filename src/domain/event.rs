//! Events: what happened to a case. A case is exactly what its events say.

use serde::{Deserialize, Serialize};

use super::{
    AssignMode, CategoryId, Channel, Complainant, DeadlineKind, DeptId, FeedbackMethod, Flag, Kind, Origin,
    QualityStage, Satisfaction, Severity, StaffId, Time, Verdict, VisitMethod,
};

/// One entry of a case's timeline: who did what, when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened (for intake: when it was recorded).
    pub at: Time,
    /// Who did it; [`StaffId::SYSTEM`] for automatic rules.
    pub actor: StaffId,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
    /// Entered after the fact (补录): why, and when it really was entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<Late>,
}

/// A step entered after it happened (补录).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Late {
    /// Why it was entered late.
    pub reason: String,
    /// When it was entered (the real clock).
    pub entered_at: Time,
}

/// A clock started (or restarted) by an event, with its due time fixed then,
/// so a later change of policy or calendar never moves it silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// Which step it limits.
    pub deadline: DeadlineKind,
    /// When the clock started.
    pub start: Time,
    /// When it runs out.
    pub due: Time,
    /// Counted past the known holiday calendar (weekends only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub beyond_calendar: bool,
    /// The department whose clock it is (a department's reply); `None` for
    /// the case's own clocks. Assignments before this field are read as the
    /// department they were made to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dept: Option<DeptId>,
}

/// A due time moved by a clock pause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// Which clock.
    pub deadline: DeadlineKind,
    /// The due time before the pause.
    pub from: Time,
    /// The due time after it.
    pub to: Time,
    /// The department whose clock it is, if a department's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dept: Option<DeptId>,
}

/// Why a case went up a level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Cause {
    /// A person decided, with a reason.
    Manual {
        /// Why.
        reason: String,
    },
    /// Severity major at intake: level 2 at once.
    Major,
    /// A step stayed overdue past the grace period.
    Overdue {
        /// Which step.
        deadline: DeadlineKind,
        /// Whose clock, if a department's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dept: Option<DeptId>,
    },
    /// The same caller came back often within the window.
    RepeatCaller {
        /// Cases in the window, this one included.
        count: u32,
    },
    /// The same department and category were complained about often.
    RepeatSubject {
        /// Complaints in the window, this one included.
        count: u32,
    },
    /// The complainant was not satisfied at the return visit.
    Unsatisfied,
    /// A second complaint about the same matter: the complainant was still
    /// unsatisfied at a follow-up of the first case.
    SecondComplaint {
        /// The first case's number.
        first: String,
    },
    /// A supervisor reopened the case.
    Reopened,
    /// A medical dispute goes to leadership.
    Dispute,
}

/// Why a case could close without a satisfied return visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Anonymous, or no contact details at all: nobody to visit.
    NoContact,
    /// Not reached after the policy's attempts on distinct days.
    Unreachable,
    /// Praise or inquiry answered on the spot (policy switch).
    AnsweredPraiseOrInquiry,
}

/// Everything the intake form recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    /// The case number, e.g. `2026-000123`.
    pub number: String,
    /// When it came in (may be back-dated, e.g. for a letter).
    pub received_at: Time,
    /// How it came in.
    pub channel: Channel,
    /// The case's kind (named `case_kind` in JSON: `kind` names the event).
    #[serde(rename = "case_kind")]
    pub kind: Kind,
    /// External (customer) or internal (one department about another).
    pub origin: Origin,
    /// Who complained (or anonymous).
    pub complainant: Complainant,
    /// Shown only to the owner and supervisors.
    pub confidential: bool,
    /// Department complained about.
    pub dept: Option<DeptId>,
    /// The desk account of the person complained about, when they have one.
    pub subject_staff: Option<StaffId>,
    /// The person complained about (cases recorded before the people
    /// directory name only `subject_staff`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_person: Option<super::SubjectPerson>,
    /// What it is about.
    pub category: Option<CategoryId>,
    /// Minor, important or major.
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Everything else that was said.
    pub details: String,
    /// When the complainant was told to expect an answer.
    pub promised_reply_at: Option<Time>,
    /// Flags set at intake (dispute, media …).
    pub flags: Vec<Flag>,
    /// Clocks started at intake.
    pub dues: Vec<Due>,
    /// A second complaint: the number of the case whose follow-up started it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
}

/// What happened, with its data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// Recorded at intake (受理登记).
    Received(Box<Received>),
    /// The complainant was told when to expect an answer.
    Promised {
        /// The promised time.
        promised_reply_at: Time,
        /// The time promised before, when this promise moved it (改期).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Time>,
        /// Why it moved (a new promise needs one; a first may have one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Answered on the spot (当场答复).
    AnsweredOnSpot {
        /// The answer given.
        text: String,
        /// Clocks started (the return visit, unless exempt).
        dues: Vec<Due>,
    },
    /// The caller was told to contact a department directly (电话引导).
    Referred {
        /// The department.
        dept: DeptId,
        /// What they were told, e.g. the number.
        text: String,
        /// Clocks started (the return visit).
        dues: Vec<Due>,
    },
    /// Assigned to a department (交办).
    Assigned {
        /// The department.
        dept: DeptId,
        /// By phone or in writing.
        mode: AssignMode,
        /// Clocks started.
        dues: Vec<Due>,
    },
    /// A department was urged (催办).
    Urged {
        /// The overdue step, if any.
        deadline: Option<DeadlineKind>,
        /// Whom the clerk urged.
        whom: Option<String>,
        /// How (phone, in person …).
        method: Option<String>,
        /// What was said.
        note: String,
        /// The department's answer.
        answer: Option<String>,
        /// The date the department now promises.
        promised_at: Option<Time>,
        /// The department it concerns (several may be assigned).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dept: Option<DeptId>,
    },
    /// A due time was moved later, with a reason.
    Extended {
        /// Which clock.
        deadline: DeadlineKind,
        /// The old due time.
        from: Time,
        /// The new due time.
        to: Time,
        /// Why.
        reason: String,
        /// The department it concerns (several may be assigned).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dept: Option<DeptId>,
    },
    /// The clock stopped while the desk waits on the complainant.
    Paused {
        /// Why.
        reason: String,
    },
    /// The clock runs again; paused working days were added to each running clock.
    Resumed {
        /// Why, if said.
        reason: Option<String>,
        /// The clocks that moved.
        shifted: Vec<Shift>,
    },
    /// The department's reply (已处理).
    Replied {
        /// Justified, partly, unjustified, not ours.
        verdict: Verdict,
        /// What happened (还原真实情况).
        facts: String,
        /// Who was mainly responsible.
        responsible: Option<String>,
        /// Improvement or prevention measures.
        measures: Option<String>,
        /// The department that replied; before several could be assigned, none (every department assigned).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dept: Option<DeptId>,
        /// The responsibility tier of a justified or partly justified reply
        /// (002 五); none on other verdicts and on replies recorded before tiers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<super::Tier>,
    },
    /// A supervisor let a department off replying (it is not needed, or
    /// cannot come); the others' replies make the result.
    Released {
        /// The department.
        dept: DeptId,
        /// Why.
        reason: String,
    },
    /// A supervisor signed off a second-round reply.
    Reviewed {
        /// Comment.
        note: Option<String>,
    },
    /// The complainant was told the result (已反馈).
    FeedbackGiven {
        /// How.
        method: FeedbackMethod,
        /// What was said.
        text: String,
        /// Clocks started (the return visit).
        dues: Vec<Due>,
    },
    /// A return visit reached the complainant (回访).
    ReturnVisited {
        /// How.
        method: VisitMethod,
        /// The answer.
        satisfaction: Satisfaction,
        /// Rating 1–5 of the staff's attitude.
        attitude: Option<u8>,
        /// Rating 1–5 of the speed.
        speed: Option<u8>,
        /// Rating 1–5 of the result.
        result: Option<u8>,
        /// What the complainant said.
        comment: Option<String>,
    },
    /// A return-visit attempt that reached nobody.
    VisitFailed {
        /// e.g. "无人接听".
        note: Option<String>,
    },
    /// The case went up a level (升级/上报).
    Escalated {
        /// Level before.
        from: u8,
        /// Level after.
        to: u8,
        /// Why.
        #[serde(flatten)]
        cause: Cause,
    },
    /// A flag was set.
    Flagged {
        /// Which.
        flag: Flag,
        /// Why.
        reason: Option<String>,
        /// The clocks the flag starts (a drug-quality incident's two reports).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        dues: Vec<Due>,
    },
    /// A drug-quality incident reported to quality management, or its cause
    /// and result (002 pharmacy).
    QualityReported {
        /// Which report.
        stage: QualityStage,
        /// What was reported, to whom.
        text: String,
    },
    /// The owner offered the case to someone else.
    TransferRequested {
        /// The proposed new owner.
        to: StaffId,
        /// Why.
        reason: String,
    },
    /// The proposed owner accepted; ownership moved.
    TransferAccepted {
        /// The previous owner.
        from: StaffId,
        /// The new owner.
        to: StaffId,
    },
    /// The case was opened again for another round.
    Reopened {
        /// Why.
        reason: String,
        /// The round now running (2 = second complaint).
        round: u32,
        /// Clocks restarted.
        dues: Vec<Due>,
        /// Reopened by an unsatisfied follow-up (policy `reopen`): from this
        /// round the case is a second complaint about the same matter.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        second_complaint: bool,
    },
    /// The loop is complete (结案).
    Closed {
        /// Closed without a satisfied visit, and why that is allowed.
        exemption: Option<Exemption>,
        /// Clocks started (archive, follow-ups).
        dues: Vec<Due>,
    },
    /// The complainant withdrew; a supervisor closed the case.
    Withdrawn {
        /// Why.
        reason: String,
        /// Clocks started (archive).
        dues: Vec<Due>,
    },
    /// A scheduled follow-up visit after an external complaint.
    FollowedUp {
        /// Which follow-up (1-based).
        n: u32,
        /// How.
        method: VisitMethod,
        /// The answer, if reached.
        satisfaction: Option<Satisfaction>,
        /// What was said.
        comment: Option<String>,
        /// The second complaint it started, when the complainant was still unsatisfied.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        second: Option<String>,
    },
    /// The file was archived (归档).
    Archived,
    /// A note for colleagues (备注).
    Noted {
        /// The note.
        text: String,
    },
    /// A typing mistake of the intake fixed (更正): the old value kept.
    Corrected {
        /// Which intake field.
        field: super::Correctable,
        /// The text before (a text field's; none when it was empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old: Option<String>,
        /// The text after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<String>,
        /// A category correction: the category before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old_category: Option<CategoryId>,
        /// … and after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<CategoryId>,
        /// A department correction: the department complained about before.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old_dept: Option<DeptId>,
        /// … and after.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dept: Option<DeptId>,
        /// Why.
        reason: String,
    },
    /// Linked to another case (重复、同一事件、跟进); the other case has the inverse link.
    Linked {
        /// The other case's number.
        other: String,
        /// How, from this case.
        relation: super::LinkRelation,
        /// Why.
        reason: String,
    },
    /// Joined a batch incident (批量事件).
    JoinedBatch {
        /// The batch's number.
        batch: String,
        /// Its title.
        title: String,
    },
    /// A file was attached (附件); its bytes are kept in the desk by SHA-256.
    Attached {
        /// SHA-256 of the bytes, hex.
        sha256: String,
        /// The file's name.
        name: String,
        /// Bytes.
        size: u64,
        /// Its type, checked by content.
        mime: String,
    },
}

impl EventBody {
    /// The snake_case name of the event kind, as stored and shown in JSON.
    #[must_use]
    pub fn kind_code(&self) -> &'static str {
        match self {
            EventBody::Received(_) => "received",
            EventBody::Promised { .. } => "promised",
            EventBody::AnsweredOnSpot { .. } => "answered_on_spot",
            EventBody::Referred { .. } => "referred",
            EventBody::Assigned { .. } => "assigned",
            EventBody::Urged { .. } => "urged",
            EventBody::Extended { .. } => "extended",
            EventBody::Paused { .. } => "paused",
            EventBody::Resumed { .. } => "resumed",
            EventBody::Replied { .. } => "replied",
            EventBody::Reviewed { .. } => "reviewed",
            EventBody::Released { .. } => "released",
            EventBody::FeedbackGiven { .. } => "feedback_given",
            EventBody::ReturnVisited { .. } => "return_visited",
            EventBody::VisitFailed { .. } => "visit_failed",
            EventBody::Escalated { .. } => "escalated",
            EventBody::Flagged { .. } => "flagged",
            EventBody::QualityReported { .. } => "quality_reported",
            EventBody::TransferRequested { .. } => "transfer_requested",
            EventBody::TransferAccepted { .. } => "transfer_accepted",
            EventBody::Reopened { .. } => "reopened",
            EventBody::Closed { .. } => "closed",
            EventBody::Withdrawn { .. } => "withdrawn",
            EventBody::FollowedUp { .. } => "followed_up",
            EventBody::Archived => "archived",
            EventBody::Noted { .. } => "noted",
            EventBody::Corrected { .. } => "corrected",
            EventBody::Linked { .. } => "linked",
            EventBody::JoinedBatch { .. } => "joined_batch",
            EventBody::Attached { .. } => "attached",
        }
    }
}
