//! The person a case is about (被投诉人): anyone of the organisation, from
//! its people directory or a name typed freely, and whether they must stay
//! out of the case (回避) because they are also a desk user.

use serde::{Deserialize, Serialize};

use super::complainant::NAME_MAX;
use super::{Actor, RuleError, StaffId};

/// The person a case is about, as recorded at intake: the department's
/// staff member need not use the desk (nurses, technicians, repair staff).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectPerson {
    /// Their name.
    pub name: String,
    /// Listed: found in the people directory (or a desk account) when the
    /// case was recorded; a free name typed in is unlisted (未登记).
    pub listed: bool,
    /// Their job number (工号), when the directory has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_number: Option<String>,
    /// Their department: the directory's, else the one complained about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dept: Option<String>,
}

impl SubjectPerson {
    /// A name typed freely, not in the directory (未登记).
    #[must_use]
    pub fn unlisted(name: &str, dept: Option<String>) -> Self {
        SubjectPerson {
            name: name.trim().to_string(),
            listed: false,
            job_number: None,
            dept,
        }
    }

    /// The person as the rules keep them: the name trimmed, present and
    /// within the desk's length of a name.
    pub fn checked(&self) -> Result<SubjectPerson, RuleError> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(RuleError::Required {
                field: "subject_person",
            });
        }
        let len = name.chars().count();
        if len > NAME_MAX {
            return Err(RuleError::TooLong {
                field: "subject_person",
                len,
                max: NAME_MAX,
            });
        }
        Ok(SubjectPerson { name, ..self.clone() })
    }
}

/// Longest department name and job number in the directory, in characters.
pub const DEPT_MAX: usize = 50;
/// Longest job number (工号), in characters.
pub const JOB_NUMBER_MAX: usize = 30;

/// One person of the people directory as the desk keeps them: the name and
/// department trimmed and required, a job number optional (blank is none);
/// each within its length and free of control characters.
pub fn person_entry(name: &str, dept: &str, job_number: Option<&str>) -> Result<Entry, RuleError> {
    let field = |code: &'static str, text: &str, max: usize, required: bool| -> Result<Option<String>, RuleError> {
        let text = text.trim();
        if let Some(c) = super::text::first_control(text) {
            return Err(RuleError::ControlCharacter {
                field: code.to_string(),
                code: super::text::code_point(c),
            });
        }
        let len = text.chars().count();
        if len > max {
            return Err(RuleError::TooLong { field: code, len, max });
        }
        match (text.is_empty(), required) {
            (true, true) => Err(RuleError::Required { field: code }),
            (true, false) => Ok(None),
            (false, _) => Ok(Some(text.to_string())),
        }
    };
    Ok(Entry {
        name: field("person_name", name, NAME_MAX, true)?.unwrap_or_default(),
        dept: field("person_dept", dept, DEPT_MAX, true)?.unwrap_or_default(),
        job_number: field("job_number", job_number.unwrap_or(""), JOB_NUMBER_MAX, false)?,
    })
}

/// A person of the people directory (人员名录): who they are and where they work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Their name.
    pub name: String,
    /// Their department.
    pub dept: String,
    /// Their job number (工号), if the organisation gave one.
    pub job_number: Option<String>,
}

/// Whether `actor` is the person the case is about and so may not take it in,
/// own or handle it (回避): the desk account recorded as its subject, or a
/// desk user whose name is the subject's (an account made after the case, or
/// a name typed for a desk user).
#[must_use]
pub fn is_subject(subject_staff: Option<StaffId>, person: Option<&SubjectPerson>, actor: &Actor) -> bool {
    subject_staff == Some(actor.id) || person.is_some_and(|p| p.name.trim() == actor.name.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn clerk(id: i64, name: &str) -> Actor {
        Actor {
            id: StaffId(id),
            name: name.into(),
            role: Role::Clerk,
            active: true,
        }
    }

    #[test]
    fn the_subject_is_the_linked_account_or_a_desk_user_of_the_same_name() {
        let nurse = SubjectPerson::unlisted(" 孙护士 ", Some("护理部".into()));
        assert_eq!(nurse.name, "孙护士");
        assert!(is_subject(None, Some(&nurse), &clerk(5, "孙护士")));
        assert!(is_subject(Some(StaffId(5)), None, &clerk(5, "孙护士")));
        assert!(!is_subject(Some(StaffId(5)), Some(&nurse), &clerk(6, "李静")));
        assert!(!is_subject(None, None, &clerk(6, "李静")));
    }

    #[test]
    fn a_directory_entry_needs_a_name_and_a_department_its_job_number_is_optional() {
        let e = person_entry(" 孙丽 ", " 护理部 ", Some(" N0012 ")).unwrap();
        assert_eq!(
            (e.name.as_str(), e.dept.as_str(), e.job_number.as_deref()),
            ("孙丽", "护理部", Some("N0012"))
        );
        assert_eq!(person_entry("孙丽", "护理部", Some("  ")).unwrap().job_number, None);
        assert_eq!(
            person_entry(" ", "护理部", None),
            Err(RuleError::Required { field: "person_name" })
        );
        assert_eq!(
            person_entry("孙丽", "", None),
            Err(RuleError::Required { field: "person_dept" })
        );
        assert!(matches!(
            person_entry("孙\u{1b}丽", "护理部", None),
            Err(RuleError::ControlCharacter { .. })
        ));
        assert!(matches!(
            person_entry("孙丽", "护理部", Some(&"9".repeat(JOB_NUMBER_MAX + 1))),
            Err(RuleError::TooLong {
                field: "job_number",
                ..
            })
        ));
    }

    #[test]
    fn a_subjects_name_is_required_and_not_too_long() {
        let blank = SubjectPerson::unlisted("  ", None);
        assert_eq!(
            blank.checked(),
            Err(RuleError::Required {
                field: "subject_person"
            })
        );
        let long = SubjectPerson::unlisted(&"张".repeat(NAME_MAX + 1), None);
        assert!(matches!(long.checked(), Err(RuleError::TooLong { .. })));
    }
}
