//! Graded responsibility in a report (002 五、投诉处罚): per department and
//! per person responsible, replies by tier, what the policy's penalty table
//! makes of them, and the department replies that came late (压单).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::responsibility::{Penalties, late_days};
use crate::domain::{Kind, Tier, Time};
use crate::store::case_depts::DeptPart;

/// One department's or person's line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Liable {
    /// The department or the person, as the reply named them.
    pub name: String,
    /// Replies graded light 轻度.
    pub light: u64,
    /// … medium 中度.
    pub medium: u64,
    /// … severe 重度.
    pub severe: u64,
    /// Penalties in yuan (with a penalty table).
    pub yuan: u64,
    /// Performance points off.
    pub points: u64,
    /// The supervisors' joint liability, yuan.
    pub joint_yuan: u64,
    /// Replies past due (压单): how many (departments only).
    pub late_replies: u64,
    /// … the days they were late, summed.
    pub late_days: u64,
    /// … and what they cost, yuan.
    pub late_yuan: u64,
}

impl Liable {
    /// Replies graded, all tiers.
    #[must_use]
    pub fn graded(&self) -> u64 {
        self.light + self.medium + self.severe
    }

    /// Everything owed: the tiers' penalties and the late replies'.
    #[must_use]
    pub fn total_yuan(&self) -> u64 {
        self.yuan + self.late_yuan
    }
}

/// The section: per department, per person, and whether amounts apply.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Responsibility {
    /// Per department, the most owed first.
    pub depts: Vec<Liable>,
    /// Per person named responsible, the most owed first.
    pub persons: Vec<Liable>,
    /// The desk has a penalty table: amounts and points are counted.
    pub penalties: bool,
}

/// The section for the departments' parts of a report's cases; `None` when
/// no reply was graded and none came late.
#[must_use]
pub fn responsibility(
    parts: &[DeptPart],
    table: Option<&Penalties>,
    dept_name: &dyn Fn(i64) -> String,
    now: Time,
) -> Option<Responsibility> {
    let mut depts: BTreeMap<String, Liable> = BTreeMap::new();
    let mut persons: BTreeMap<String, Liable> = BTreeMap::new();
    for p in parts {
        let dept = dept_name(p.dept);
        if let Some(tier) = p.tier.filter(|_| p.kind == Kind::Complaint) {
            let penalty = table.map(|t| t.of(tier, p.origin, p.second)).unwrap_or_default();
            let add = |line: &mut Liable| {
                match tier {
                    Tier::Light => line.light += 1,
                    Tier::Medium => line.medium += 1,
                    Tier::Severe => line.severe += 1,
                }
                line.yuan += penalty.yuan;
                line.points += penalty.points;
                line.joint_yuan += penalty.joint_yuan;
            };
            add(depts.entry(dept.clone()).or_default());
            if let Some(who) = p.responsible.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                add(persons.entry(who.to_string()).or_default());
            }
        }
        // Late (压单): replied after its due time, or still owed past it on an open case.
        let end = match p.done_at {
            Some(done) if !p.released => Some(done),
            None if !p.closed => Some(now),
            _ => None,
        };
        let days = match (p.due, end) {
            (Some(due), Some(end)) => late_days(due, end),
            _ => 0,
        };
        if days > 0 {
            let line = depts.entry(dept).or_default();
            line.late_replies += 1;
            line.late_days += days;
            line.late_yuan += table.map_or(0, |t| t.overdue(days));
        }
    }
    if depts.is_empty() {
        return None;
    }
    let ranked = |m: BTreeMap<String, Liable>| {
        let mut v: Vec<Liable> = m.into_iter().map(|(name, line)| Liable { name, ..line }).collect();
        v.sort_by(|a, b| {
            (b.total_yuan(), b.severe, b.medium, b.graded(), b.late_days)
                .cmp(&(a.total_yuan(), a.severe, a.medium, a.graded(), a.late_days))
                .then(a.name.cmp(&b.name))
        });
        v
    };
    Some(Responsibility {
        depts: ranked(depts),
        persons: ranked(persons),
        penalties: table.is_some(),
    })
}
