//! A call coming in (`casedesk ring PHONE`): a phone system, a softphone or
//! the clerk tells the desk, and the screens it is for show the caller's
//! earlier cases.

use super::Desk;
use crate::domain::complainant::normalize_phone;
use crate::domain::{RuleError, StaffId};
use crate::store::rings::Ring;
use crate::store::{Result, StoreError};

/// Whom a ring is for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RingFor {
    /// The screens at this station (terminal).
    pub station: Option<String>,
    /// The screens of this clerk.
    pub clerk: Option<String>,
}

/// Who a recorded ring reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reached {
    /// The screens of this station.
    Station(String),
    /// The screens of this clerk.
    Clerk(String),
    /// The screens of the clerks on duty now (none: nobody is on duty).
    OnDuty(Vec<String>),
}

impl Desk {
    /// Records a call from `phone` for `to`; says whom it reaches. A phone
    /// that is no number, or a clerk the desk does not know (or no longer
    /// active), is refused.
    pub fn ring(&mut self, phone: &str, to: &RingFor) -> Result<Reached> {
        let phone = phone.trim();
        if normalize_phone(phone).is_none() {
            return Err(StoreError::Rule(RuleError::Phone {
                given: phone.to_string(),
            }));
        }
        let station = to.station.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let clerk = match to.clerk.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => {
                let actor = self.resolve_staff(name)?;
                if !actor.active {
                    return Err(StoreError::Rule(RuleError::Inactive));
                }
                Some(actor)
            }
            None => None,
        };
        let now = self.now();
        self.store.ring(phone, station, clerk.as_ref().map(|a| a.id), now)?;
        Ok(match (station, clerk) {
            (Some(s), _) => Reached::Station(s.to_string()),
            (None, Some(a)) => Reached::Clerk(a.name),
            (None, None) => Reached::OnDuty(self.store.on_duty(now)?.into_iter().map(|(a, _)| a.name).collect()),
        })
    }

    /// The newest ring after `seen` (else `seen`), and those of them that
    /// reach a screen of `me` at `station`: for the station, for `me`, or —
    /// for no one in particular — for the clerks on duty when `me` is one.
    pub fn rings_for(&self, seen: i64, me: StaffId, station: Option<&str>) -> Result<(i64, Vec<Ring>)> {
        let rings = self.store.rings_after(seen)?;
        let newest = rings.last().map_or(seen, |r| r.id);
        if rings.is_empty() {
            return Ok((newest, rings));
        }
        let on_duty = self.store.on_duty(self.now())?.iter().any(|(a, _)| a.id == me);
        let mine = rings
            .into_iter()
            .filter(|r| match (&r.station, r.staff) {
                (Some(s), _) => station == Some(s.as_str()),
                (None, Some(staff)) => staff == me,
                (None, None) => on_duty,
            })
            .collect();
        Ok((newest, mine))
    }
}
