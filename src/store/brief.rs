//! A case in brief, as the handover review lists it: where it stands, what is
//! due next and when, the caller's phone and the last step taken.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::cases::case_events;
use super::list::{ROW_COLUMNS, ROW_JOINS, case_row};
use super::{CaseRow, Result, Store, StoreError};
use crate::domain::{Case, DeadlineKind, StaffId, State, Time};

/// One case as the handover review shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseBrief {
    /// Where it stands.
    pub state: State,
    /// The running deadline due first, and when.
    pub next_deadline: Option<(DeadlineKind, Time)>,
    /// The caller's phone; `***` for a confidential complainant (the case page
    /// shows it to those allowed, and records each viewing).
    pub phone: Option<String>,
    /// The last step taken: its event code, when and by whom.
    pub last_step: Option<(&'static str, Time, StaffId)>,
    /// Who owns it.
    pub owner: StaffId,
    /// Closed.
    pub closed: bool,
}

impl Store {
    /// The list line of case `number`, if there is such a case.
    pub fn case_row(&self, number: &str) -> Result<Option<CaseRow>> {
        let sql = format!("SELECT {ROW_COLUMNS} FROM cases c {ROW_JOINS} WHERE c.number = ?");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([number.trim()], case_row)
            .optional()?)
    }

    /// The briefs of cases `numbers` (each once; unknown numbers left out).
    pub fn case_briefs<'a>(&self, numbers: impl IntoIterator<Item = &'a str>) -> Result<HashMap<String, CaseBrief>> {
        let mut out = HashMap::new();
        for number in numbers {
            if out.contains_key(number) {
                continue;
            }
            let row: Option<(i64, bool, Option<String>)> = self
                .conn
                .prepare_cached(
                    "SELECT c.id, c.confidential, p.phone FROM cases c
                     LEFT JOIN complainants p ON p.id = c.complainant_id WHERE c.number = ?",
                )?
                .query_row([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((id, confidential, phone)) = row else {
                continue;
            };
            let events = case_events(&self.conn, id)?;
            let case = Case::replay(&events).map_err(|e| StoreError::Damaged(format!("case {number}: {e}")))?;
            let next_deadline = case.running_deadlines().min_by_key(|d| d.due).map(|d| (d.kind, d.due));
            let phone = phone
                .filter(|p| !p.trim().is_empty())
                .map(|p| if confidential { "***".to_string() } else { p });
            out.insert(
                number.to_string(),
                CaseBrief {
                    state: case.state,
                    next_deadline,
                    phone,
                    last_step: events.last().map(|e| (e.body.kind_code(), e.at, e.actor)),
                    owner: case.owner,
                    closed: case.is_closed(),
                },
            );
        }
        Ok(out)
    }
}
