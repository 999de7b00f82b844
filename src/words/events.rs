//! What happened on a case, in words: one line per step of the timeline, the
//! causes of an escalation, the exemptions of a close.

use std::collections::HashMap;

use super::time::show as local;
use super::{Lang, Words, t, tf};
use crate::domain::event::{Cause, Exemption};
use crate::domain::{CategoryId, DeptId, EventBody, StaffId};

/// The names a timeline refers to by id.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    /// Staff names by id.
    pub staff: &'a HashMap<StaffId, String>,
    /// Department names by id.
    pub depts: &'a HashMap<DeptId, String>,
    /// Category names by id (a category's correction names both), if known.
    pub cats: Option<&'a HashMap<CategoryId, String>>,
    /// The viewer may not see the complainant: a correction of theirs shows no values.
    pub hide_complainant: bool,
}

impl<'a> Names<'a> {
    /// Names from the two maps.
    #[must_use]
    pub fn new(staff: &'a HashMap<StaffId, String>, depts: &'a HashMap<DeptId, String>) -> Self {
        Names {
            staff,
            depts,
            cats: None,
            hide_complainant: false,
        }
    }

    /// With category names.
    #[must_use]
    pub fn with_categories(self, cats: &'a HashMap<CategoryId, String>) -> Self {
        Names {
            cats: Some(cats),
            ..self
        }
    }

    /// Hiding a confidential complainant's old and new values from this viewer.
    #[must_use]
    pub fn hiding_complainant(self, hide: bool) -> Self {
        Names {
            hide_complainant: hide,
            ..self
        }
    }
}

/// A staff member's name, or `#id` for one the desk no longer lists.
#[must_use]
pub fn staff_name(names: &HashMap<StaffId, String>, id: StaffId) -> String {
    names.get(&id).cloned().unwrap_or_else(|| format!("#{}", id.0))
}

/// One timeline line's text: the step's name and what it recorded, and for a
/// step entered late, why and when it was entered.
#[must_use]
pub fn step_text(words: Words, e: &crate::domain::Event, names: &Names<'_>) -> String {
    let text = event_text(words, &e.body, names);
    match &e.late {
        Some(late) => format!(
            "{text} {}",
            crate::words::tf(
                words.lang,
                "timeline.late",
                &[
                    ("reason", late.reason.clone()),
                    ("entered", words.time(late.entered_at))
                ],
            )
        ),
        None => text,
    }
}

/// What one event's body recorded, as a sentence.
#[must_use]
pub fn event_text(words: Words, body: &EventBody, names: &Names<'_>) -> String {
    let lang = words.lang;
    let tz = words.tz;
    let label = t(lang, &format!("event.{}", body.kind_code()));
    let dept = |d: DeptId| names.depts.get(&d).cloned().unwrap_or_default();
    // A step about one of several departments says which first.
    let about = |d: &Option<DeptId>, text: String| match d {
        Some(d) => tf(lang, "timeline.about", &[("dept", dept(*d)), ("text", text)]),
        None => text,
    };
    let extra = match body {
        EventBody::Received(r) => r.summary.clone(),
        EventBody::Promised {
            promised_reply_at,
            from,
            reason,
        } => {
            let to = local(*promised_reply_at, tz);
            match (from, reason) {
                (Some(from), Some(r)) => format!("{} → {to} ({r})", local(*from, tz)),
                (Some(from), None) => format!("{} → {to}", local(*from, tz)),
                (None, Some(r)) => format!("{to} ({r})"),
                (None, None) => to,
            }
        }
        EventBody::AnsweredOnSpot { text, .. } => text.clone(),
        EventBody::Referred { dept: d, text, .. } => format!("{} — {text}", dept(*d)),
        EventBody::Assigned { dept: d, mode, dues } => format!(
            "{} ({}) → {}",
            dept(*d),
            t(lang, &mode.label_key()),
            dues.first().map(|x| local(x.due, tz)).unwrap_or_default()
        ),
        EventBody::Urged { .. } | EventBody::Extended { .. } => clock_step_text(words, body, &about),
        EventBody::Paused { reason } => reason.clone(),
        EventBody::Resumed { reason, .. } => reason.clone().unwrap_or_default(),
        EventBody::Replied {
            verdict,
            facts,
            responsible,
            measures,
            dept: d,
            tier,
        } => about(
            d,
            with_parts(
                format!("{}: {facts}", t(lang, &verdict.label_key())),
                words,
                &[
                    ("timeline.responsible", responsible.clone()),
                    ("timeline.measures", measures.clone()),
                    ("timeline.tier", tier.map(|x| t(lang, &x.label_key()))),
                ],
            ),
        ),
        EventBody::Released { dept: d, reason } => format!("{} — {reason}", dept(*d)),
        EventBody::Reviewed { note } => note.clone().unwrap_or_default(),
        EventBody::FeedbackGiven { method, text, .. } => format!("{}: {text}", t(lang, &method.label_key())),
        EventBody::ReturnVisited {
            method,
            satisfaction,
            attitude,
            speed,
            result,
            comment,
        } => visit_text(
            lang,
            (*method, *satisfaction),
            [*attitude, *speed, *result],
            comment.as_deref(),
        ),
        EventBody::VisitFailed { note } => note.clone().unwrap_or_default(),
        EventBody::Escalated { from, to, cause } => {
            let why = match cause {
                Cause::Overdue { dept: d @ Some(_), .. } => about(d, cause_text(lang, cause)),
                _ => cause_text(lang, cause),
            };
            format!("{from} → {to} ({why})")
        }
        EventBody::Flagged { flag, reason, .. } => {
            format!("{} {}", t(lang, &flag.label_key()), reason.clone().unwrap_or_default())
        }
        EventBody::QualityReported { stage, text } => format!("{}: {text}", t(lang, &stage.label_key())),
        EventBody::TransferRequested { to, reason } => format!("→ {} ({reason})", staff_name(names.staff, *to)),
        EventBody::TransferAccepted { from, to } => {
            format!("{} → {}", staff_name(names.staff, *from), staff_name(names.staff, *to))
        }
        EventBody::Reopened { reason, round, .. } => format!("#{round} {reason}"),
        EventBody::Closed { exemption, .. } => exemption
            .map(|x| t(lang, &format!("exemption.{}", exemption_code(x))))
            .unwrap_or_default(),
        EventBody::Withdrawn { reason, .. } => reason.clone(),
        EventBody::FollowedUp {
            n,
            method,
            satisfaction,
            comment,
            second,
        } => [
            Some(format!("#{n} {}", t(lang, &method.label_key()))),
            satisfaction.map(|x| t(lang, &x.label_key())),
            comment.clone(),
            second
                .as_ref()
                .map(|s| tf(lang, "timeline.second_complaint", &[("number", s.clone())])),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · "),
        EventBody::Archived => String::new(),
        EventBody::Noted { text } => text.clone(),
        EventBody::Corrected { .. } => correction_text(words, body, names),
        other => related_text(lang, other),
    };
    format!("{label} {extra}").trim_end().to_string()
}

/// A correction: which field, old → new, and why; a confidential
/// complainant's values hidden from a viewer who may not see them.
fn correction_text(words: Words, body: &EventBody, names: &Names<'_>) -> String {
    let EventBody::Corrected {
        field,
        old,
        new,
        old_category,
        category,
        old_dept,
        dept,
        reason,
    } = body
    else {
        return String::new();
    };
    let blank = || "—".to_string();
    let cat = |c: &Option<CategoryId>| {
        c.map_or_else(blank, |c| {
            names
                .cats
                .and_then(|m| m.get(&c).cloned())
                .unwrap_or_else(|| format!("#{}", c.0))
        })
    };
    let dept_name = |d: &Option<DeptId>| d.map_or_else(blank, |d| names.depts.get(&d).cloned().unwrap_or_default());
    let unnamed = match field {
        crate::domain::Correctable::Category => names.cats.is_none(),
        crate::domain::Correctable::Dept => names.depts.is_empty(),
        _ => false,
    };
    // A confidential complainant's values, or names this reader was not given: the field and why.
    if unnamed || (field.is_complainant() && names.hide_complainant) {
        let key = if unnamed {
            "timeline.corrected_field"
        } else {
            "timeline.corrected_hidden"
        };
        return words.tf(
            key,
            &[("field", words.t(&field.label_key())), ("reason", reason.clone())],
        );
    }
    let (from, to) = match field {
        crate::domain::Correctable::Category => (cat(old_category), cat(category)),
        crate::domain::Correctable::Dept => (dept_name(old_dept), dept_name(dept)),
        _ => (old.clone().unwrap_or_else(blank), new.clone().unwrap_or_else(blank)),
    };
    words.tf(
        "timeline.corrected",
        &[
            ("field", words.t(&field.label_key())),
            ("old", from),
            ("new", to),
            ("reason", reason.clone()),
        ],
    )
}

/// A note or a correction of a shift, as its handover lists it (no names of
/// departments or categories at hand; a confidential complainant hidden).
#[must_use]
pub fn shift_note_text(words: Words, body: &EventBody, confidential: bool) -> String {
    let (staff, depts) = (HashMap::new(), HashMap::new());
    let names = Names::new(&staff, &depts).hiding_complainant(confidential);
    event_text(words, body, &names)
}

/// What a link, a batch's join or an attachment recorded.
fn related_text(lang: Lang, body: &EventBody) -> String {
    match body {
        EventBody::Linked {
            other,
            relation,
            reason,
        } => {
            format!("{} {other} ({reason})", t(lang, &relation.label_key()))
        }
        EventBody::JoinedBatch { batch, title } => format!("{batch} {title}"),
        EventBody::Attached { name, size, .. } => format!("{name} ({})", file_size(*size)),
        _ => String::new(),
    }
}

/// A file's size as a clerk reads it: bytes, KB or MB.
#[must_use]
pub fn file_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    if bytes < KB {
        format!("{bytes} B")
    } else if bytes < KB * KB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        let tenths = (bytes * 10).div_ceil(KB * KB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// An urge or an extension: a department's clock, said of that department.
fn clock_step_text(words: Words, body: &EventBody, about: &dyn Fn(&Option<DeptId>, String) -> String) -> String {
    let (lang, tz) = (words.lang, words.tz);
    match body {
        EventBody::Urged {
            whom,
            method,
            note,
            answer,
            promised_at,
            dept: d,
            ..
        } => about(
            d,
            with_parts(
                note.clone(),
                words,
                &[
                    ("timeline.whom", whom.clone()),
                    ("timeline.method", method.clone()),
                    ("timeline.answer", answer.clone()),
                    ("timeline.promised", promised_at.map(|p| local(p, tz))),
                ],
            ),
        ),
        EventBody::Extended {
            deadline,
            to,
            reason,
            dept: d,
            ..
        } => about(
            d,
            format!("{} → {} ({reason})", t(lang, &deadline.label_key()), local(*to, tz)),
        ),
        _ => String::new(),
    }
}

fn exemption_code(x: Exemption) -> &'static str {
    match x {
        Exemption::NoContact => "no_contact",
        Exemption::Unreachable => "unreachable",
        Exemption::AnsweredPraiseOrInquiry => "answered_praise_or_inquiry",
    }
}

/// A return visit: how, how satisfied, the ratings given, what was said.
fn visit_text(
    lang: Lang,
    (method, satisfaction): (crate::domain::VisitMethod, crate::domain::Satisfaction),
    [attitude, speed, result]: [Option<u8>; 3],
    comment: Option<&str>,
) -> String {
    let score = |r: Option<u8>| r.map_or_else(|| "—".to_string(), |n| n.to_string());
    let ratings = (attitude.is_some() || speed.is_some() || result.is_some()).then(|| {
        tf(
            lang,
            "timeline.ratings",
            &[
                ("attitude", score(attitude)),
                ("speed", score(speed)),
                ("result", score(result)),
            ],
        )
    });
    [
        Some(format!(
            "{} {}",
            t(lang, &method.label_key()),
            t(lang, &satisfaction.label_key())
        )),
        ratings,
        comment.map(str::to_string),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// `head`, then each given part as "label: value", joined with " · ".
fn with_parts(head: String, words: Words, parts: &[(&str, Option<String>)]) -> String {
    let mut out = vec![head];
    out.extend(parts.iter().filter_map(|(key, value)| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        Some(words.tf(
            "timeline.part",
            &[("label", words.t(key)), ("value", value.to_string())],
        ))
    }));
    out.retain(|p| !p.trim().is_empty());
    out.join(" · ")
}

/// Why a case went up a level.
#[must_use]
pub fn cause_text(lang: Lang, cause: &Cause) -> String {
    match cause {
        Cause::Manual { reason } => reason.clone(),
        Cause::Major => t(lang, "cause.major"),
        Cause::Overdue { deadline, .. } => tf(lang, "cause.overdue", &[("deadline", t(lang, &deadline.label_key()))]),
        Cause::RepeatCaller { count } => tf(lang, "cause.repeat_caller", &[("count", count.to_string())]),
        Cause::RepeatSubject { count } => tf(lang, "cause.repeat_subject", &[("count", count.to_string())]),
        Cause::Unsatisfied => t(lang, "cause.unsatisfied"),
        Cause::SecondComplaint { first } => tf(lang, "cause.second_complaint", &[("first", first.clone())]),
        Cause::Reopened => t(lang, "cause.reopened"),
        Cause::Dispute => t(lang, "cause.dispute"),
    }
}
