//! Errors in the clerk's language: what went wrong and what to do.

use super::{Lang, Words, t, tf};
use crate::domain::RuleError;
use crate::domain::error::Missing;
use crate::store::StoreError;

/// The label of a coded value (`enum.<type>.<code>`).
#[must_use]
pub fn label(lang: Lang, key: &str) -> String {
    t(lang, key)
}

fn field(lang: Lang, code: &str) -> String {
    t(lang, &format!("field.{code}"))
}

fn action(lang: Lang, code: &str) -> String {
    t(lang, &format!("action.{code}"))
}

/// A rule refusal, in words a clerk can act on.
#[must_use]
pub fn rule(words: Words, e: &RuleError) -> String {
    let lang = words.lang;
    let when = |at: &crate::domain::Time| words.time(*at);
    match e {
        RuleError::Inactive => t(lang, "rule.inactive"),
        RuleError::LateInFuture => t(lang, "rule.late_future"),
        RuleError::LateBeforeLastStep { last } => tf(lang, "rule.late_before_last", &[("last", when(last))]),
        RuleError::LateTooOld { hours } => tf(lang, "rule.late_too_old", &[("hours", hours.to_string())]),
        RuleError::NotOwner => t(lang, "rule.not_owner"),
        RuleError::SupervisorOnly { action: a } => tf(lang, "rule.supervisor_only", &[("action", action(lang, a))]),
        RuleError::Recusal => t(lang, "rule.recusal"),
        RuleError::Closed => t(lang, "rule.closed"),
        RuleError::NotClosed => t(lang, "rule.not_closed"),
        RuleError::WrongState { action: a, state } => tf(
            lang,
            "rule.wrong_state",
            &[("action", action(lang, a)), ("state", label(lang, &state.label_key()))],
        ),
        RuleError::Required { field: f } => tf(lang, "rule.required", &[("field", field(lang, f))]),
        RuleError::TooLong { field: f, len, max } => tf(
            lang,
            "rule.too_long",
            &[
                ("field", field(lang, f)),
                ("len", len.to_string()),
                ("max", max.to_string()),
            ],
        ),
        RuleError::ControlCharacter { field: f, code } => tf(
            lang,
            "rule.control_character",
            &[("field", field(lang, f)), ("code", code.clone())],
        ),
        RuleError::JustifiedNeeds { missing } => {
            let names: Vec<String> = missing.iter().map(|m| field(lang, m)).collect();
            tf(lang, "rule.justified_needs", &[("missing", names.join(" + "))])
        }
        RuleError::TierNotJustified => t(lang, "rule.tier_not_justified"),
        RuleError::TierBelowFloor { floor, why } => {
            let why = match why {
                crate::domain::responsibility::FloorReason::RepeatSubject => t(lang, "rule.tier_floor.repeat_subject"),
                crate::domain::responsibility::FloorReason::LongDelay { days } => {
                    tf(lang, "rule.tier_floor.long_delay", &[("days", days.to_string())])
                }
            };
            tf(
                lang,
                "rule.tier_below_floor",
                &[("floor", t(lang, &floor.label_key())), ("why", why)],
            )
        }
        RuleError::NoFeedbackYet => t(lang, "rule.no_feedback_yet"),
        RuleError::NoContact => t(lang, "rule.no_contact"),
        RuleError::NeedsReview => t(lang, "rule.needs_review"),
        RuleError::ReviewerHandled => t(lang, "rule.reviewer_handled"),
        RuleError::CloseGate {
            missing,
            attempts,
            limit,
        } => {
            let parts: Vec<String> = missing
                .iter()
                .map(|m| match m {
                    Missing::ReturnVisit => tf(
                        lang,
                        "gate.return_visit",
                        &[("attempts", attempts.to_string()), ("limit", limit.to_string())],
                    ),
                    other => t(lang, &format!("gate.{}", other.code())),
                })
                .collect();
            tf(lang, "rule.close_gate", &[("missing", parts.join("; "))])
        }
        RuleError::AlreadyPaused => t(lang, "rule.already_paused"),
        RuleError::WhichDepartment { .. } => t(lang, "rule.which_department"),
        RuleError::RepairRatings => t(lang, "rule.repair_ratings"),
        RuleError::NotQualityIncident => t(lang, "rule.not_quality_incident"),
        RuleError::DepartmentNotPending { .. } => t(lang, "rule.department_not_pending"),
        RuleError::ReleaseLeavesNoResult => t(lang, "rule.release_leaves_no_result"),
        RuleError::NotPaused => t(lang, "rule.not_paused"),
        RuleError::NoRunningDeadline { which } => match which {
            Some(k) => tf(
                lang,
                "rule.no_running_deadline_named",
                &[("deadline", label(lang, &k.label_key()))],
            ),
            None => t(lang, "rule.no_running_deadline"),
        },
        RuleError::ExtendNotLater { current } => tf(lang, "rule.extend_not_later", &[("current", when(current))]),
        RuleError::TimeOrder { field: f, after } => tf(
            lang,
            "rule.time_order",
            &[("field", field(lang, f)), ("after", when(after))],
        ),
        RuleError::RepromiseNeedsReason { current } => {
            tf(lang, "rule.repromise_needs_reason", &[("current", when(current))])
        }
        RuleError::ReceivedInFuture => t(lang, "rule.received_in_future"),
        RuleError::MaxLevel => t(lang, "rule.max_level"),
        RuleError::FlagSet => t(lang, "rule.flag_set"),
        RuleError::FlagNotManual => t(lang, "rule.flag_not_manual"),
        RuleError::TransferTarget { name, why } => tf(
            lang,
            "rule.transfer_target",
            &[("name", name.clone()), ("why", t(lang, &format!("transfer.{why}")))],
        ),
        RuleError::NoTransferForYou => t(lang, "rule.no_transfer_for_you"),
        RuleError::Rating => t(lang, "rule.rating"),
        RuleError::Phone { given } => tf(lang, "rule.phone", &[("given", given.clone())]),
        RuleError::NoFollowUpDue => t(lang, "rule.no_follow_up_due"),
        RuleError::Archived => t(lang, "rule.archived"),
        RuleError::Unchanged => t(lang, "rule.unchanged"),
        RuleError::AnonymousComplainant => t(lang, "rule.anonymous_complainant"),
        RuleError::Role(role) => tf(lang, "rule.role", &[("role", label(lang, &role.label_key()))]),
        other => related_rule(lang, other),
    }
}

/// A refusal of a link, a batch's join or an attachment.
fn related_rule(lang: Lang, e: &RuleError) -> String {
    match e {
        RuleError::SelfLink => t(lang, "rule.self_link"),
        RuleError::AlreadyLinked { other, relation } => tf(
            lang,
            "rule.already_linked",
            &[
                ("other", other.clone()),
                ("relation", label(lang, &relation.label_key())),
            ],
        ),
        RuleError::AlreadyInBatch { batch } => tf(lang, "rule.already_in_batch", &[("batch", batch.clone())]),
        RuleError::AlreadyAttached { name } => tf(lang, "rule.already_attached", &[("name", name.clone())]),
        RuleError::AttachmentTooLarge { max_mb } => {
            tf(lang, "rule.attachment_too_large", &[("max", max_mb.to_string())])
        }
        RuleError::AttachmentType => t(lang, "rule.attachment_type"),
        RuleError::AttachmentName { expected } => tf(lang, "rule.attachment_name", &[("expected", expected.clone())]),
        _ => e.to_string(),
    }
}

/// A store error, in words a clerk can act on.
#[must_use]
pub fn store(words: Words, e: &StoreError) -> String {
    let lang = words.lang;
    let when = |at: &crate::domain::Time| words.time(*at);
    match e {
        StoreError::Rule(r) => rule(words, r),
        StoreError::View(e) => super::views::error(lang, e),
        StoreError::Departments { named, pending } => departments(lang, named.as_deref(), pending),
        StoreError::NoDesk(path) => tf(lang, "store.no_desk", &[("path", path.display().to_string())]),
        StoreError::AlreadyInitialized(path) => tf(
            lang,
            "store.already_initialized",
            &[("path", path.display().to_string())],
        ),
        StoreError::Unknown { what, given, known } => tf(
            lang,
            "store.unknown",
            &[
                ("what", t(lang, &format!("field.{what}"))),
                ("given", given.clone()),
                (
                    "known",
                    if known.is_empty() {
                        "—".to_string()
                    } else {
                        known.join("、")
                    },
                ),
            ],
        ),
        StoreError::AmbiguousPerson { given, candidates } => {
            let listed: Vec<String> = candidates
                .iter()
                .map(|p| match &p.job_number {
                    Some(j) => tf(
                        lang,
                        "store.person_with_job",
                        &[("name", p.name.clone()), ("dept", p.dept.clone()), ("job", j.clone())],
                    ),
                    None => tf(
                        lang,
                        "store.person_no_job",
                        &[("name", p.name.clone()), ("dept", p.dept.clone())],
                    ),
                })
                .collect();
            tf(
                lang,
                "store.ambiguous_person",
                &[
                    ("given", given.clone()),
                    ("n", candidates.len().to_string()),
                    ("candidates", listed.join(t(lang, "store.list_sep").as_str())),
                ],
            )
        }
        StoreError::PersonOnFile(p) => match &p.job_number {
            Some(j) => tf(
                lang,
                "store.job_number_taken",
                &[("job", j.clone()), ("name", p.name.clone()), ("dept", p.dept.clone())],
            ),
            None => tf(
                lang,
                "store.person_on_file",
                &[("name", p.name.clone()), ("dept", p.dept.clone())],
            ),
        },
        StoreError::NoCase(n) => tf(lang, "store.no_case", &[("number", n.clone())]),
        StoreError::Duplicate(n) => tf(lang, "store.duplicate", &[("name", n.clone())]),
        StoreError::NoPhrase(id) => tf(lang, "store.no_phrase", &[("id", id.to_string())]),
        StoreError::NoLogEntry(id) => tf(lang, "store.no_log_entry", &[("id", id.to_string())]),
        StoreError::AlreadyResolved(id) => tf(lang, "store.already_resolved", &[("id", id.to_string())]),
        StoreError::NoHandover(id) => tf(lang, "handover.not_found", &[("id", id.to_string())]),
        StoreError::BadPin { left } => tf(lang, "store.bad_pin", &[("left", left.to_string())]),
        StoreError::Locked { until } => tf(lang, "store.locked", &[("until", when(until))]),
        StoreError::WeakPin { min } => tf(lang, "store.weak_pin", &[("min", min.to_string())]),
        StoreError::Conflict { number, read, now } => tf(
            lang,
            "store.conflict",
            &[
                ("number", number.clone()),
                ("read", read.to_string()),
                ("now", now.to_string()),
            ],
        ),
        StoreError::NotAnAnchor { file, line } => tf(
            lang,
            "store.not_an_anchor",
            &[("file", file.display().to_string()), ("line", line.to_string())],
        ),
        StoreError::Busy => t(lang, "store.busy"),
        StoreError::DiskFull => t(lang, "store.disk_full"),
        StoreError::ReadOnly(path) => tf(lang, "store.read_only", &[("path", path.display().to_string())]),
        StoreError::Damaged(what) => tf(lang, "store.damaged", &[("what", what.clone())]),
        StoreError::Io { path, source } => tf(
            lang,
            "store.io",
            &[("path", path.display().to_string()), ("error", source.to_string())],
        ),
        StoreError::Sqlite(e) => tf(lang, "store.database", &[("error", e.to_string())]),
        StoreError::Migration(e) => tf(lang, "store.database", &[("error", e.to_string())]),
    }
}

/// Why an imported case cannot stand: its number, the event (its place and
/// kind, and when it says it happened) and the rule, in words a clerk can act on.
#[must_use]
pub fn untraced(words: Words, number: &str, refusal: &crate::domain::retrace::Refusal) -> String {
    use crate::domain::case::ReplayError;
    use crate::domain::retrace::Untraced;
    let lang = words.lang;
    let when = |at: &crate::domain::Time| words.time(*at);
    let at = refusal.at.as_ref().map_or_else(String::new, when);
    let why = match &refusal.why {
        Untraced::Rule(e) => rule(words, e),
        Untraced::Future { now } => tf(lang, "import.future", &[("at", at.clone()), ("now", when(now))]),
        Untraced::BeforeIntake { intake } => tf(
            lang,
            "import.before_intake",
            &[("at", at.clone()), ("intake", when(intake))],
        ),
        Untraced::OutOfOrder { previous } => tf(
            lang,
            "import.out_of_order",
            &[("at", at.clone()), ("previous", when(previous))],
        ),
        Untraced::Entered { entered } => tf(
            lang,
            "import.entered",
            &[("at", at.clone()), ("entered", when(entered))],
        ),
        Untraced::NotMade => t(lang, "import.not_made"),
        Untraced::BySystem => t(lang, "import.by_system"),
        Untraced::UnknownStaff(id) => tf(lang, "import.unknown_staff", &[("id", id.0.to_string())]),
        Untraced::Shape(ReplayError::Empty) => t(lang, "import.empty"),
        Untraced::Shape(ReplayError::NotIntake(_)) => t(lang, "import.not_intake"),
        Untraced::Shape(ReplayError::SecondIntake(_)) => t(lang, "import.second_intake"),
    };
    let step = if refusal.kind.is_empty() {
        String::new()
    } else {
        t(lang, &format!("event.{}", refusal.kind))
    };
    tf(
        lang,
        "import.refused",
        &[
            ("number", number.to_string()),
            ("event", refusal.event.to_string()),
            ("step", step),
            ("why", why),
        ],
    )
}

/// A step that must name one of the departments still to reply, or named one
/// that is not.
fn departments(lang: Lang, named: Option<&str>, pending: &[String]) -> String {
    match named {
        None => tf(lang, "store.which_department", &[("pending", pending.join("、"))]),
        Some(named) => tf(
            lang,
            "store.department_not_pending",
            &[
                ("dept", named.to_string()),
                (
                    "pending",
                    if pending.is_empty() {
                        "—".to_string()
                    } else {
                        pending.join("、")
                    },
                ),
            ],
        ),
    }
}
