//! Every word the desk shows, in one room: texts per language, error messages,
//! times as clerks read and type them, widths on a terminal, and the sentences
//! that tell what happened on a case or a shift. The command line and the
//! screens print the same sentences from here.

pub mod audit;
pub mod duty;
pub mod errors;
pub mod events;
pub mod lang;
pub mod terminal;
pub mod time;
pub mod views;
pub mod width;

pub use lang::{Lang, keys, t, tf};
pub use terminal::{visible, visible_line};

use crate::domain::{Kind, RuleError, Time};
use crate::store::StoreError;

/// A language and the desk's time zone: what it takes to put anything into words.
/// Passed along, never kept in a global.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// The clerk's language.
    pub lang: Lang,
    /// The desk's time zone, for every time shown.
    pub tz: chrono_tz::Tz,
}

impl Words {
    /// Words in `lang` for a desk in `tz`.
    #[must_use]
    pub fn new(lang: Lang, tz: chrono_tz::Tz) -> Words {
        Words { lang, tz }
    }

    /// The text of `key`.
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }

    /// The text of `key` with its `{name}`s filled in.
    #[must_use]
    pub fn tf(&self, key: &str, args: &[(&str, String)]) -> String {
        tf(self.lang, key, args)
    }

    /// A time as the desk shows it (local, to the minute).
    #[must_use]
    pub fn time(&self, at: Time) -> String {
        time::show(at, self.tz)
    }

    /// A rule refusal in words a clerk can act on.
    #[must_use]
    pub fn rule(&self, e: &RuleError) -> String {
        errors::rule(*self, e)
    }

    /// A store error in words a clerk can act on.
    #[must_use]
    pub fn store(&self, e: &StoreError) -> String {
        errors::store(*self, e)
    }
}

/// A text used as a heading or a label: in English, one that starts lower
/// case (the same words serve mid-sentence) starts with a capital.
#[must_use]
pub fn heading(lang: Lang, key: &str) -> String {
    let text = t(lang, key);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if lang == Lang::En => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

/// The key of the word for the person who came to the desk, by the case's
/// kind: an inquiry has an inquirer (咨询人), not a complainant (投诉人).
#[must_use]
pub fn person_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "person.complaint",
        Kind::Suggestion => "person.suggestion",
        Kind::Praise => "person.praise",
        Kind::Inquiry => "person.inquiry",
        Kind::Repair => "person.repair",
    }
}

/// The key of the word for the staff member a case is about, by its kind
/// (被投诉人, 被表扬人 …).
#[must_use]
pub fn subject_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "subject_person.complaint",
        Kind::Suggestion => "subject_person.suggestion",
        Kind::Praise => "subject_person.praise",
        Kind::Inquiry => "subject_person.inquiry",
        Kind::Repair => "subject_person.repair",
    }
}

/// The person a case is about as the case page and `case show` name them:
/// their name, with their department when it is not the case's, their job
/// number, and `（未登记）` when typed freely; a case recorded before the
/// people directory names its desk account (`staff`); `—` for none.
#[must_use]
pub fn subject_person(
    lang: Lang,
    intake: &crate::domain::event::Received,
    case_dept: Option<&str>,
    staff: impl Fn(crate::domain::StaffId) -> String,
) -> String {
    let Some(p) = &intake.subject_person else {
        return intake.subject_staff.map_or_else(|| "—".to_string(), staff);
    };
    let mut parts = Vec::new();
    if let Some(d) = p.dept.as_deref().filter(|d| Some(*d) != case_dept) {
        parts.push(d.to_string());
    }
    if let Some(j) = &p.job_number {
        parts.push(tf(lang, "subject.job", &[("job", j.clone())]));
    }
    if !p.listed {
        parts.push(t(lang, "subject.unlisted"));
    }
    if parts.is_empty() {
        p.name.clone()
    } else {
        tf(
            lang,
            "subject.with",
            &[("name", p.name.clone()), ("parts", parts.join(&t(lang, "subject.sep")))],
        )
    }
}
