//! The lifecycle steps, each described once: its code, its fields, which are
//! required and which choices they take. The command line's arguments and the
//! screens' forms are both made from these descriptions, and both hand the
//! values they gathered to [`StepKind::command`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kinds::code_enum;
use super::{
    Actor, AssignMode, Case, Command, Correctable, DeadlineKind, DeptId, FeedbackMethod, Flag, QualityStage,
    Satisfaction, Tier, Time, Verdict, VisitMethod,
};

code_enum!(
    /// Which lifecycle step: one per [`Command`] but the intake, derived from it by [`Command::step`].
    StepKind, "step" {
        Promise = "promise", Answer = "answer", Refer = "refer", Assign = "assign", Urge = "urge",
        Extend = "extend", Pause = "pause", Resume = "resume", Reply = "reply", Release = "release", Review = "review",
        Feedback = "feedback", Visit = "visit", VisitFailed = "visit_failed", Escalate = "escalate",
        Flag = "flag", Transfer = "transfer", Accept = "accept", Reopen = "reopen", Close = "close",
        Withdraw = "withdraw", FollowUp = "follow_up", Archive = "archive", Note = "note", Quality = "quality",
        Correct = "correct",
    }
);

/// A closed list a field chooses from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choices {
    /// Phone or written.
    AssignMode,
    /// The department's verdict.
    Verdict,
    /// How the result was told.
    FeedbackMethod,
    /// How a visit was made.
    VisitMethod,
    /// Satisfied, basic, unsatisfied.
    Satisfaction,
    /// The flags a person may set by hand.
    ManualFlag,
    /// Which of the case's clocks.
    Deadline,
    /// A drug-quality incident's report, or its cause and result.
    QualityStage,
    /// A justified reply's responsibility tier.
    Tier,
    /// An intake field a correction fixes.
    Correctable,
}

impl Choices {
    /// The codes to choose from and the i18n keys of their labels, in display order.
    #[must_use]
    pub fn options(self) -> Vec<(&'static str, String)> {
        fn all<T: Copy>(
            values: &[T],
            code: fn(T) -> &'static str,
            key: fn(T) -> String,
        ) -> Vec<(&'static str, String)> {
            values.iter().map(|v| (code(*v), key(*v))).collect()
        }
        match self {
            Choices::AssignMode => all(AssignMode::ALL, AssignMode::code, AssignMode::label_key),
            Choices::Verdict => all(Verdict::ALL, Verdict::code, Verdict::label_key),
            Choices::FeedbackMethod => all(FeedbackMethod::ALL, FeedbackMethod::code, FeedbackMethod::label_key),
            Choices::VisitMethod => all(VisitMethod::ALL, VisitMethod::code, VisitMethod::label_key),
            Choices::Satisfaction => all(Satisfaction::ALL, Satisfaction::code, Satisfaction::label_key),
            Choices::ManualFlag => all(
                &[Flag::Dispute, Flag::Media, Flag::QualityIncident],
                Flag::code,
                Flag::label_key,
            ),
            Choices::QualityStage => all(QualityStage::ALL, QualityStage::code, QualityStage::label_key),
            Choices::Deadline => all(DeadlineKind::ALL, DeadlineKind::code, DeadlineKind::label_key),
            Choices::Tier => all(Tier::ALL, Tier::code, Tier::label_key),
            Choices::Correctable => all(Correctable::ALL, Correctable::code, Correctable::label_key),
        }
    }

    /// Checks a code against the list; the error lists the accepted ones.
    pub fn check(self, text: &str) -> Result<&'static str, super::UnknownCode> {
        match self {
            Choices::AssignMode => AssignMode::parse(text).map(AssignMode::code),
            Choices::Verdict => Verdict::parse(text).map(Verdict::code),
            Choices::FeedbackMethod => FeedbackMethod::parse(text).map(FeedbackMethod::code),
            Choices::VisitMethod => VisitMethod::parse(text).map(VisitMethod::code),
            Choices::Satisfaction => Satisfaction::parse(text).map(Satisfaction::code),
            Choices::ManualFlag => Flag::parse(text).map(Flag::code),
            Choices::QualityStage => QualityStage::parse(text).map(QualityStage::code),
            Choices::Deadline => DeadlineKind::parse(text).map(DeadlineKind::code),
            Choices::Tier => Tier::parse(text).map(Tier::code),
            Choices::Correctable => Correctable::parse(text).map(Correctable::code),
        }
    }
}

/// What a field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Line,
    /// Several lines (this many on screen).
    Lines(u16),
    /// A time as a clerk types it (a bare date means the end of that day).
    Time,
    /// A rating 1–5.
    Rating,
    /// One of a closed list.
    Choice(Choices),
    /// A department, by name.
    Dept,
    /// Another active staff member, by name.
    Staff,
}

/// One field of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Its name: the command line's `--name` and the form's key.
    pub name: &'static str,
    /// The i18n key of its label on the form.
    pub label: &'static str,
    /// What it takes.
    pub input: Input,
    /// The step cannot be asked for without it.
    pub required: bool,
    /// Only the command line offers it (the screens take the default).
    pub cli_only: bool,
}

const fn field(name: &'static str, label: &'static str, input: Input, required: bool) -> Field {
    Field {
        name,
        label,
        input,
        required,
        cli_only: false,
    }
}

const fn cli_only(name: &'static str, label: &'static str, input: Input) -> Field {
    Field {
        name,
        label,
        input,
        required: false,
        cli_only: true,
    }
}

const TRANSFER_TO: Field = field("to", "ui.step.transfer_to", Input::Staff, true);
const REASON: Field = field("reason", "field.reason", Input::Line, true);
const NOTE: Field = field("note", "field.note", Input::Line, false);
const WHICH_CLOCK: Field = cli_only("deadline", "field.deadline", Input::Choice(Choices::Deadline));
/// A correction: which intake field, its right value, why.
const CORRECT: [Field; 3] = [
    field(
        "field",
        "field.correct_field",
        Input::Choice(Choices::Correctable),
        true,
    ),
    field("value", "field.correct_value", Input::Line, true),
    REASON,
];
/// Which assigned department a step concerns: asked when several are still to reply.
const WHICH_DEPT: Field = field("dept", "ui.step.which_dept", Input::Dept, false);

impl StepKind {
    /// The step's fields, in the order a form shows them.
    #[must_use]
    pub fn fields(self) -> &'static [Field] {
        use Input::{Choice, Dept, Line, Lines, Rating, Time as At};
        match self {
            StepKind::Promise => {
                const {
                    &[
                        field("at", "ui.step.at", At, true),
                        field("reason", "ui.step.repromise_reason", Line, false),
                    ]
                }
            }
            StepKind::Answer => const { &[field("text", "ui.step.answer", Lines(3), true)] },
            StepKind::Refer => {
                const {
                    &[
                        field("dept", "field.department", Dept, true),
                        field("text", "ui.step.told", Line, true),
                    ]
                }
            }
            StepKind::Assign => {
                const {
                    &[
                        field("dept", "field.department", Dept, true),
                        field("mode", "field.assign_mode", Choice(Choices::AssignMode), true),
                    ]
                }
            }
            StepKind::Urge => {
                const {
                    &[
                        WHICH_DEPT,
                        field("whom", "ui.step.whom", Line, false),
                        field("method", "ui.step.method", Line, false),
                        field("note", "field.note", Line, true),
                        field("answer", "ui.step.dept_answer", Lines(2), false),
                        field("promised", "ui.step.promised", At, false),
                        WHICH_CLOCK,
                    ]
                }
            }
            StepKind::Extend => const { &[WHICH_DEPT, field("to", "ui.step.to", At, true), REASON, WHICH_CLOCK] },
            StepKind::Release => const { &[field("dept", "field.department", Dept, true), REASON] },
            StepKind::Pause | StepKind::Escalate | StepKind::Reopen | StepKind::Withdraw => const { &[REASON] },
            StepKind::Resume => const { &[field("reason", "field.note", Line, false)] },
            StepKind::Review | StepKind::VisitFailed => const { &[NOTE] },
            StepKind::Reply => {
                const {
                    &[
                        WHICH_DEPT,
                        field("verdict", "field.verdict", Choice(Choices::Verdict), true),
                        field("facts", "field.facts", Lines(3), true),
                        field("responsible", "field.responsible", Line, false),
                        field("measures", "field.measures", Lines(3), false),
                        field("tier", "field.tier", Choice(Choices::Tier), false),
                    ]
                }
            }
            StepKind::Feedback => {
                const {
                    &[
                        field("method", "field.feedback_method", Choice(Choices::FeedbackMethod), true),
                        field("text", "field.text", Lines(3), true),
                    ]
                }
            }
            StepKind::Visit => {
                const {
                    &[
                        field("method", "field.visit_method", Choice(Choices::VisitMethod), true),
                        field(
                            "satisfaction",
                            "field.satisfaction",
                            Choice(Choices::Satisfaction),
                            true,
                        ),
                        field("attitude", "ui.step.attitude", Rating, false),
                        field("speed", "ui.step.speed", Rating, false),
                        field("result", "ui.step.result", Rating, false),
                        field("comment", "ui.step.comment", Lines(2), false),
                    ]
                }
            }
            StepKind::Flag => {
                const {
                    &[
                        field("flag", "field.flag", Choice(Choices::ManualFlag), true),
                        field("reason", "field.reason", Line, false),
                    ]
                }
            }
            StepKind::Transfer => const { &[TRANSFER_TO, REASON] },
            StepKind::FollowUp => {
                const {
                    &[
                        field("method", "field.visit_method", Choice(Choices::VisitMethod), true),
                        field(
                            "satisfaction",
                            "field.satisfaction",
                            Choice(Choices::Satisfaction),
                            false,
                        ),
                        field("comment", "ui.step.comment", Lines(2), false),
                    ]
                }
            }
            StepKind::Note => const { &[field("text", "field.text", Lines(3), true)] },
            StepKind::Quality => {
                const {
                    &[
                        field("stage", "field.quality_stage", Choice(Choices::QualityStage), true),
                        field("text", "field.text", Lines(3), true),
                    ]
                }
            }
            StepKind::Correct => &CORRECT,
            StepKind::Accept | StepKind::Close | StepKind::Archive => const { &[] },
        }
    }

    /// Whether a form of this step for `case` offers `field`: not the command
    /// line's own fields, and a promise's reason only once a promise runs
    /// (a new reply time then needs one, see `command::handle`).
    #[must_use]
    pub fn offers(self, field: &Field, case: &Case) -> bool {
        match (self, field.name) {
            _ if field.cli_only => false,
            (StepKind::Promise, "reason") => case.running_promise().is_some(),
            _ => true,
        }
    }

    /// The i18n key of the step's name (`action.<code>`), shared with the timeline.
    #[must_use]
    pub fn action_key(self) -> String {
        format!("action.{}", self.code())
    }

    /// The command line's name of the step (`visit-failed`).
    #[must_use]
    pub fn cli_name(self) -> String {
        self.code().replace('_', "-")
    }

    /// The step named `name` on the command line.
    #[must_use]
    pub fn from_cli_name(name: &str) -> Option<StepKind> {
        StepKind::parse(&name.replace('-', "_")).ok()
    }

    /// The engine's command from the values gathered for this step's fields,
    /// or the first required field that has no value. Values were checked as
    /// they were gathered (times parsed, names found, codes known); what the
    /// rules require of them (a reason that is not blank …) is the engine's to say.
    pub fn command(self, v: &StepValues) -> Result<Command, &'static Field> {
        if let Some(missing) = self.fields().iter().find(|f| f.required && !v.0.contains_key(f.name)) {
            return Err(missing);
        }
        Ok(match self {
            StepKind::Promise => Command::Promise {
                at: v.time("at").unwrap_or_default(),
                reason: v.opt("reason"),
            },
            StepKind::Answer => Command::Answer { text: v.text("text") },
            StepKind::Refer => Command::Refer {
                dept: v.dept("dept"),
                text: v.text("text"),
            },
            StepKind::Assign => Command::Assign {
                dept: v.dept("dept"),
                mode: v.code("mode", AssignMode::parse).unwrap_or(AssignMode::Written),
            },
            StepKind::Urge => Command::Urge {
                deadline: v.code("deadline", DeadlineKind::parse),
                whom: v.opt("whom"),
                method: v.opt("method"),
                note: v.text("note"),
                answer: v.opt("answer"),
                promised_at: v.time("promised"),
                dept: v.opt_dept("dept"),
            },
            StepKind::Extend => Command::Extend {
                deadline: v.code("deadline", DeadlineKind::parse),
                to: v.time("to").unwrap_or_default(),
                reason: v.text("reason"),
                dept: v.opt_dept("dept"),
            },
            StepKind::Quality => Command::Quality {
                stage: v.code("stage", QualityStage::parse).unwrap_or(QualityStage::Report),
                text: v.text("text"),
            },
            StepKind::Release => Command::Release {
                dept: v.dept("dept"),
                reason: v.text("reason"),
            },
            StepKind::Pause => Command::Pause {
                reason: v.text("reason"),
            },
            StepKind::Resume => Command::Resume {
                reason: v.opt("reason"),
            },
            StepKind::Reply => Command::Reply {
                verdict: v.code("verdict", Verdict::parse).unwrap_or(Verdict::Unjustified),
                facts: v.text("facts"),
                responsible: v.opt("responsible"),
                measures: v.opt("measures"),
                dept: v.opt_dept("dept"),
                tier: v.code("tier", Tier::parse),
            },
            StepKind::Review => Command::Review { note: v.opt("note") },
            StepKind::Feedback => Command::Feedback {
                method: v.code("method", FeedbackMethod::parse).unwrap_or(FeedbackMethod::Phone),
                text: v.text("text"),
            },
            StepKind::Visit => Command::Visit {
                method: v.code("method", VisitMethod::parse).unwrap_or(VisitMethod::Phone),
                satisfaction: v
                    .code("satisfaction", Satisfaction::parse)
                    .unwrap_or(Satisfaction::Satisfied),
                attitude: v.rating("attitude"),
                speed: v.rating("speed"),
                result: v.rating("result"),
                comment: v.opt("comment"),
            },
            StepKind::VisitFailed => Command::VisitFailed { note: v.opt("note") },
            StepKind::Escalate => Command::Escalate {
                reason: v.text("reason"),
            },
            StepKind::Flag => Command::Flag {
                flag: v.code("flag", Flag::parse).unwrap_or(Flag::Dispute),
                reason: v.opt("reason"),
            },
            StepKind::Transfer => Command::Transfer {
                to: v.staff(TRANSFER_TO.name).cloned().ok_or(&TRANSFER_TO)?,
                reason: v.text("reason"),
            },
            StepKind::Accept => Command::Accept,
            StepKind::Reopen => Command::Reopen {
                reason: v.text("reason"),
            },
            StepKind::Close => Command::Close,
            StepKind::Withdraw => Command::Withdraw {
                reason: v.text("reason"),
            },
            StepKind::FollowUp => Command::FollowUp {
                method: v.code("method", VisitMethod::parse).unwrap_or(VisitMethod::Phone),
                satisfaction: v.code("satisfaction", Satisfaction::parse),
                comment: v.opt("comment"),
            },
            StepKind::Archive => Command::Archive,
            StepKind::Note => Command::Note { text: v.text("text") },
            StepKind::Correct => Command::Correct {
                field: v.code("field", Correctable::parse).unwrap_or(Correctable::Summary),
                value: v.text("value"),
                category: None,
                dept: None,
                reason: v.text("reason"),
            },
        })
    }
}

/// A checked value of one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Text as typed (trimmed).
    Text(String),
    /// A time.
    Time(Time),
    /// A known code of the field's list.
    Code(&'static str),
    /// A rating.
    Rating(u8),
    /// A department.
    Dept(DeptId),
    /// A staff member.
    Staff(Actor),
}

/// The checked values of a step's fields, by field name; a field left empty is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepValues(BTreeMap<&'static str, Value>);

impl StepValues {
    /// Sets a field's value.
    pub fn set(&mut self, name: &'static str, value: Value) {
        self.0.insert(name, value);
    }

    /// Text, or `None` when empty.
    #[must_use]
    pub fn opt(&self, name: &str) -> Option<String> {
        match self.0.get(name) {
            Some(Value::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        }
    }

    /// Text, empty when not given.
    #[must_use]
    pub fn text(&self, name: &str) -> String {
        self.opt(name).unwrap_or_default()
    }

    fn time(&self, name: &str) -> Option<Time> {
        match self.0.get(name) {
            Some(Value::Time(t)) => Some(*t),
            _ => None,
        }
    }

    fn rating(&self, name: &str) -> Option<u8> {
        match self.0.get(name) {
            Some(Value::Rating(r)) => Some(*r),
            _ => None,
        }
    }

    fn code<T>(&self, name: &str, parse: fn(&str) -> Result<T, super::UnknownCode>) -> Option<T> {
        match self.0.get(name) {
            Some(Value::Code(c)) => parse(c).ok(),
            _ => None,
        }
    }

    fn opt_dept(&self, name: &str) -> Option<DeptId> {
        match self.0.get(name) {
            Some(Value::Dept(d)) => Some(*d),
            _ => None,
        }
    }

    fn dept(&self, name: &str) -> DeptId {
        match self.0.get(name) {
            Some(Value::Dept(d)) => *d,
            _ => DeptId(0),
        }
    }

    fn staff(&self, name: &str) -> Option<&Actor> {
        match self.0.get(name) {
            Some(Value::Staff(a)) => Some(a),
            _ => None,
        }
    }
}

impl Command {
    /// Which step this command is (`None` for an intake, which has a form of
    /// its own, and for a link, a batch's join or an attachment, which have
    /// commands of their own).
    #[must_use]
    pub fn step(&self) -> Option<StepKind> {
        Some(match self {
            Command::Intake { .. } | Command::Link { .. } | Command::JoinBatch { .. } | Command::Attach(_) => {
                return None;
            }
            Command::Promise { .. } => StepKind::Promise,
            Command::Answer { .. } => StepKind::Answer,
            Command::Refer { .. } => StepKind::Refer,
            Command::Assign { .. } => StepKind::Assign,
            Command::Urge { .. } => StepKind::Urge,
            Command::Extend { .. } => StepKind::Extend,
            Command::Pause { .. } => StepKind::Pause,
            Command::Resume { .. } => StepKind::Resume,
            Command::Reply { .. } => StepKind::Reply,
            Command::Review { .. } => StepKind::Review,
            Command::Release { .. } => StepKind::Release,
            Command::Quality { .. } => StepKind::Quality,
            Command::Feedback { .. } => StepKind::Feedback,
            Command::Visit { .. } => StepKind::Visit,
            Command::VisitFailed { .. } => StepKind::VisitFailed,
            Command::Escalate { .. } => StepKind::Escalate,
            Command::Flag { .. } => StepKind::Flag,
            Command::Transfer { .. } => StepKind::Transfer,
            Command::Accept => StepKind::Accept,
            Command::Reopen { .. } => StepKind::Reopen,
            Command::Close => StepKind::Close,
            Command::Withdraw { .. } => StepKind::Withdraw,
            Command::FollowUp { .. } => StepKind::FollowUp,
            Command::Archive => StepKind::Archive,
            Command::Note { .. } => StepKind::Note,
            Command::Correct { .. } => StepKind::Correct,
        })
    }

    /// The action's code, for messages and the timeline.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Command::Link { .. } => "link",
            Command::JoinBatch { .. } => "join_batch",
            Command::Attach(_) => "attach",
            _ => self.step().map_or("intake", StepKind::code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_names_its_fields_once_and_the_cli_name_comes_back() {
        for kind in StepKind::ALL {
            let names: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(names.len(), unique.len(), "{kind}: {names:?}");
            assert_eq!(StepKind::from_cli_name(&kind.cli_name()), Some(*kind));
        }
    }

    #[test]
    fn a_command_built_from_a_step_is_that_step_and_needs_its_required_fields() {
        for kind in StepKind::ALL {
            let mut v = StepValues::default();
            for f in kind.fields() {
                let value = match f.input {
                    Input::Line | Input::Lines(_) => Value::Text("x".into()),
                    Input::Time => Value::Time(Time::default()),
                    Input::Rating => Value::Rating(3),
                    Input::Choice(c) => Value::Code(c.options()[0].0),
                    Input::Dept => Value::Dept(DeptId(1)),
                    Input::Staff => Value::Staff(Actor {
                        id: crate::domain::StaffId(2),
                        name: "李静".into(),
                        role: crate::domain::Role::Clerk,
                        active: true,
                    }),
                };
                v.set(f.name, value);
            }
            assert_eq!(kind.command(&v).map(|c| c.step()), Ok(Some(*kind)));
            if let Some(required) = kind.fields().iter().find(|f| f.required) {
                v.0.remove(required.name);
                assert_eq!(kind.command(&v).err().map(|f| f.name), Some(required.name), "{kind}");
            }
        }
    }
}
