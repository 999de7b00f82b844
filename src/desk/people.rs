//! The people directory through the desk: the person a case is about, found
//! by what the clerk typed (the admin's changes go through `door`).

use super::Desk;
use crate::domain::subject::Entry;
use crate::domain::{DeptId, IntakeForm, StaffId, SubjectPerson};
use crate::store::StoreError;

type Result<T> = std::result::Result<T, StoreError>;

impl Desk {
    /// The person a case is about, from what was typed: a job number of the
    /// directory, a name of the directory (one person, or one in the case's
    /// department `dept`; several is [`StoreError::AmbiguousPerson`]), a
    /// desk account's name, or else a free name, unlisted. With the desk
    /// account of the same name, if there is one. `None` when nothing was typed.
    pub fn resolve_subject(
        &self,
        typed: &str,
        dept: Option<DeptId>,
    ) -> Result<Option<(SubjectPerson, Option<StaffId>)>> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let store = self.store();
        let dept_name = dept.map(|d| store.department_name(d)).transpose()?.flatten();
        let listed = |e: Entry| SubjectPerson {
            name: e.name,
            listed: true,
            job_number: e.job_number,
            dept: Some(e.dept),
        };
        let found = if let Some(person) = store.person_by_job_number(typed)? {
            Some(person)
        } else {
            let mut named = store.people_named(typed)?;
            if named.len() > 1
                && let Some(d) = &dept_name
                && named.iter().filter(|p| &p.dept == d).count() == 1
            {
                named.retain(|p| &p.dept == d);
            }
            if named.len() > 1 {
                return Err(StoreError::AmbiguousPerson {
                    given: typed.to_string(),
                    candidates: named,
                });
            }
            named.pop()
        };
        let person = match found {
            Some(entry) => listed(entry),
            None => match store.staff_id_named(typed)? {
                // A desk user is one of the organisation's people too.
                Some(id) => {
                    let member = store.staff()?.into_iter().find(|s| s.actor.id == id);
                    let own_dept = member
                        .and_then(|m| m.dept)
                        .map(|d| store.department_name(d))
                        .transpose()?
                        .flatten();
                    SubjectPerson {
                        name: typed.to_string(),
                        listed: true,
                        job_number: None,
                        dept: own_dept.or(dept_name),
                    }
                }
                None => SubjectPerson::unlisted(typed, dept_name),
            },
        };
        let account = store.staff_id_named(&person.name)?;
        Ok(Some((person, account)))
    }

    /// Fills the intake form's subject from what was typed (see
    /// [`Desk::resolve_subject`]); a listed person's department becomes the
    /// case's when none was chosen and the desk has one of that name.
    pub fn fill_subject(&self, form: &mut IntakeForm, typed: &str) -> Result<()> {
        let Some((person, account)) = self.resolve_subject(typed, form.dept)? else {
            form.subject_person = None;
            form.subject_staff = None;
            return Ok(());
        };
        if form.dept.is_none()
            && person.listed
            && let Some(d) = &person.dept
            && let Ok(found) = self.store().department(d)
        {
            form.dept = Some(found.id);
        }
        form.subject_person = Some(person);
        form.subject_staff = account;
        Ok(())
    }
}
