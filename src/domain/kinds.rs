//! The closed vocabularies of the desk: channels, kinds, states, verdicts …
//!
//! Each value has a stable snake_case code (used in the database, JSON and on
//! the command line) and an i18n key `enum.<type>.<code>` for its label.

use serde::{Deserialize, Serialize};

/// Declares an enum whose values have stable codes, parse from them and list them.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("Code `", $code, "`.")] #[serde(rename = $code)] $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in storage, JSON and the command line.
            #[must_use]
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The i18n key of this value's label.
            #[must_use]
            pub fn label_key(self) -> String {
                format!("enum.{}.{}", $prefix, self.code())
            }

            /// Parses a code; the error lists the accepted ones.
            pub fn parse(text: &str) -> Result<Self, crate::domain::UnknownCode> {
                match text.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(crate::domain::UnknownCode {
                        what: $prefix,
                        given: other.to_string(),
                        known: vec![$($code),+],
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// How a case reached the desk.
    Channel, "channel" {
        Phone = "phone", Letter = "letter", Visit = "visit", Email = "email",
        Online = "online", Fax = "fax", Survey = "survey", Internal = "internal",
    }
);

code_enum!(
    /// What the complainant brought: complaint, suggestion, praise, inquiry or repair.
    Kind, "kind" {
        Complaint = "complaint", Suggestion = "suggestion", Praise = "praise",
        Inquiry = "inquiry", Repair = "repair",
    }
);

code_enum!(
    /// External (customer, patient) or internal (one department about another).
    Origin, "origin" { External = "external", Internal = "internal" }
);

impl Origin {
    /// The origin a case has unless told otherwise: internal when it came
    /// through the internal channel (one department about another), else external.
    #[must_use]
    pub fn of_channel(channel: Channel) -> Origin {
        if channel == Channel::Internal {
            Origin::Internal
        } else {
            Origin::External
        }
    }
}

code_enum!(
    /// Graded responsibility: minor cases stay at the desk, major ones go up.
    Severity, "severity" { Minor = "minor", Important = "important", Major = "major" }
);

code_enum!(
    /// Where a case stands in its lifecycle.
    State, "state" {
        Received = "received",
        Answered = "answered",
        Referred = "referred",
        Assigned = "assigned",
        Replied = "replied",
        FeedbackGiven = "feedback_given",
        Visited = "visited",
        Reopened = "reopened",
        Closed = "closed",
    }
);

code_enum!(
    /// How a department was asked to act (交办): by phone or in writing.
    AssignMode, "assign_mode" { Phone = "phone", Written = "written" }
);

code_enum!(
    /// The department's verdict on a complaint.
    Verdict, "verdict" {
        Justified = "justified", Partly = "partly", Unjustified = "unjustified", NotOurs = "not-ours",
    }
);

code_enum!(
    /// How the result was told to the complainant.
    FeedbackMethod, "feedback_method" { Phone = "phone", Visit = "visit", Letter = "letter", Sms = "sms" }
);

code_enum!(
    /// How a return visit (回访) was made.
    VisitMethod, "visit_method" { Phone = "phone", Visit = "visit", Letter = "letter" }
);

code_enum!(
    /// The complainant's answer at a return visit.
    Satisfaction, "satisfaction" { Satisfied = "satisfied", Basic = "basic", Unsatisfied = "unsatisfied" }
);

code_enum!(
    /// What a staff member may do at the desk.
    Role, "role" { Clerk = "clerk", Supervisor = "supervisor", Admin = "admin" }
);

code_enum!(
    /// Marks on a case that change how it is handled and reported.
    Flag, "flag" {
        Repeat = "repeat", Dispute = "dispute", Media = "media",
        ReportNow = "report_now", SupervisorNotified = "supervisor_notified",
        MultiDept = "multi_dept", Withdrawn = "withdrawn", QualityIncident = "quality_incident",
    }
);

code_enum!(
    /// How heavily a justified complaint weighs on whoever was responsible
    /// (002 五、投诉处罚): light 轻度, medium 中度, severe 重度.
    Tier, "tier" { Light = "light", Medium = "medium", Severe = "severe" }
);

code_enum!(
    /// A drug-quality incident's two reports (002 pharmacy): to quality
    /// management, then its cause and result.
    QualityStage, "quality_stage" { Report = "report", Result = "result" }
);

impl QualityStage {
    /// The clock the stage meets.
    #[must_use]
    pub fn deadline(self) -> DeadlineKind {
        match self {
            QualityStage::Report => DeadlineKind::QualityReport,
            QualityStage::Result => DeadlineKind::QualityResult,
        }
    }
}

code_enum!(
    /// Every clock a case can run, by the step it limits.
    DeadlineKind, "deadline" {
        Acknowledge = "acknowledge",
        PromisedReply = "promised_reply",
        ReportToLeadership = "report_to_leadership",
        UrgentAnswer = "urgent_answer",
        Answer = "answer",
        DepartmentReply = "department_reply",
        InternalFirstInvestigation = "internal_first_investigation",
        InternalProcess = "internal_process",
        ReturnVisit = "return_visit",
        Resolution = "resolution",
        FollowUp1 = "follow_up_1",
        FollowUp2 = "follow_up_2",
        FollowUp3 = "follow_up_3",
        Archive = "archive",
        QualityReport = "quality_report",
        QualityResult = "quality_result",
    }
);

impl DeadlineKind {
    /// The n-th scheduled follow-up visit (1-based), if the desk tracks that many.
    #[must_use]
    pub fn follow_up(n: u32) -> Option<Self> {
        match n {
            1 => Some(Self::FollowUp1),
            2 => Some(Self::FollowUp2),
            3 => Some(Self::FollowUp3),
            _ => None,
        }
    }
}

impl Severity {
    /// Important and major complaints count as urgent (紧急投诉).
    #[must_use]
    pub fn is_urgent(self) -> bool {
        self >= Severity::Important
    }
}

impl Verdict {
    /// A complaint found (partly) justified needs a responsible party and measures.
    #[must_use]
    pub fn needs_measures(self) -> bool {
        matches!(self, Verdict::Justified | Verdict::Partly)
    }

    /// How much the verdict weighs against the organisation: of several
    /// departments' replies, the weightiest is the case's.
    #[must_use]
    pub fn weight(self) -> u8 {
        match self {
            Verdict::Justified => 3,
            Verdict::Partly => 2,
            Verdict::Unjustified => 1,
            Verdict::NotOurs => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_list_the_known_ones() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Ok(*c));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::parse(v.code()), Ok(*v));
        }
        let err = Kind::parse("rant").unwrap_err();
        assert_eq!(err.given, "rant");
        assert!(err.known.contains(&"complaint"));
    }

    #[test]
    fn serde_uses_the_same_codes() {
        assert_eq!(
            serde_json::to_string(&State::FeedbackGiven).unwrap(),
            "\"feedback_given\""
        );
        assert_eq!(serde_json::to_string(&Verdict::NotOurs).unwrap(), "\"not-ours\"");
        assert_eq!(
            serde_json::from_str::<DeadlineKind>("\"follow_up_2\"").unwrap(),
            DeadlineKind::FollowUp2
        );
    }
}

code_enum!(
    /// An intake field a correction (更正) may fix after the case was
    /// recorded: the typing of the intake, never what the desk did since.
    Correctable, "correctable" {
        Summary = "summary", Details = "details", Category = "category", Dept = "dept",
        ComplainantName = "complainant.name", ComplainantPhone = "complainant.phone",
        ComplainantAddress = "complainant.address", ComplainantRelation = "complainant.relation",
    }
);

impl Correctable {
    /// Whether the field is the complainant's (hidden with a confidential complainant).
    #[must_use]
    pub fn is_complainant(self) -> bool {
        matches!(
            self,
            Correctable::ComplainantName
                | Correctable::ComplainantPhone
                | Correctable::ComplainantAddress
                | Correctable::ComplainantRelation
        )
    }
}
