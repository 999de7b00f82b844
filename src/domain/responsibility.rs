//! Graded responsibility (002 五、投诉处罚): the tier a justified complaint's
//! reply records, the floor the rules set under it, and what the policy's
//! penalty table makes of a tier and of a department's late reply (压单).

use serde::{Deserialize, Serialize};

use chrono_tz::Tz;

use super::deadline::local_date;
use super::department::{Clock, DEPT_REPLY};
use super::{Calendar, Case, DeptId, Origin, RuleError, Tier, Time, Verdict};

/// Where a reply stands in time: now, the desk's zone and its working days.
#[derive(Clone, Copy)]
pub struct Today<'a> {
    /// The current time.
    pub now: Time,
    /// The desk's time zone.
    pub tz: Tz,
    /// Working days.
    pub calendar: &'a Calendar,
}

/// Why the rules put a tier's floor at medium (002: 同一问题被投诉三次以上；
/// 延误正常工作时间三天以上 are 中度).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FloorReason {
    /// The same subject complained of the repeat number of times.
    RepeatSubject,
    /// The department's reply came this many working days late (3 or more).
    LongDelay {
        /// Working days past due.
        days: u32,
    },
}

/// Working days of delay that make a reply medium at least (002: 三天以上).
const LONG_DELAY_WD: u32 = 3;

/// The lowest tier the rules allow for `dept`'s reply on `case` now, and why
/// when it is above light.
#[must_use]
pub fn tier_floor(case: &Case, dept: Option<DeptId>, today: Today<'_>) -> (Tier, Option<FloorReason>) {
    if case.repeat_subject {
        return (Tier::Medium, Some(FloorReason::RepeatSubject));
    }
    let due = DEPT_REPLY
        .iter()
        .filter_map(|&kind| case.deadlines.get(&Clock { kind, dept }))
        .map(|d| d.due)
        .min();
    if let Some(due) = due.filter(|due| *due < today.now) {
        let tz = today.tz;
        let days = today
            .calendar
            .working_days_between(local_date(tz, due), local_date(tz, today.now));
        if days >= LONG_DELAY_WD {
            return (Tier::Medium, Some(FloorReason::LongDelay { days }));
        }
    }
    (Tier::Light, None)
}

/// The tier a reply records: only a justified or partly justified one has
/// one; given, it may not be under the rules' floor; not given, the floor.
pub fn decide_tier(
    case: &Case,
    verdict: Verdict,
    given: Option<Tier>,
    dept: Option<DeptId>,
    today: Today<'_>,
) -> Result<Option<Tier>, RuleError> {
    if !verdict.needs_measures() {
        return match given {
            Some(_) => Err(RuleError::TierNotJustified),
            None => Ok(None),
        };
    }
    let (floor, why) = tier_floor(case, dept, today);
    match (given, why) {
        (Some(tier), Some(why)) if tier < floor => Err(RuleError::TierBelowFloor { floor, why }),
        (Some(tier), _) => Ok(Some(tier)),
        (None, _) => Ok(Some(floor)),
    }
}

/// The penalty table (002 五): what each tier costs the person responsible,
/// their supervisor's share, and a late department reply (压单). Absent from
/// the policy: the desk does not use penalties, and reports leave them out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalties {
    /// 轻度.
    pub light: TierPenalty,
    /// 中度.
    pub medium: TierPenalty,
    /// 重度.
    pub severe: TierPenalty,
    /// The share of a person's penalty their supervisor bears (主管承担连带责任 20%).
    pub joint_liability_percent: u32,
    /// A department reply past due (压单): this much per case …
    pub overdue_yuan: u32,
    /// … and this much more per case for each further day.
    pub overdue_yuan_per_day: u32,
    /// A second complaint about the same matter multiplies the penalty (002: 加倍).
    pub second_complaint_factor: u32,
}

/// One tier's penalty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierPenalty {
    /// Deduction for an internal complaint (内部投诉), yuan.
    pub internal_yuan: u32,
    /// Deduction for an external complaint (外部投诉), yuan.
    pub external_yuan: u32,
    /// Performance points taken off (绩效).
    pub points: u32,
}

/// What one reply's tier costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Penalty {
    /// Yuan, on the person responsible.
    pub yuan: u64,
    /// Performance points off.
    pub points: u64,
    /// Yuan on their supervisor (joint liability).
    pub joint_yuan: u64,
}

impl Penalties {
    /// Checks the table's numbers make sense.
    pub fn check(&self) -> Result<(), String> {
        if self.joint_liability_percent > 100 {
            return Err(format!(
                "penalties.joint_liability_percent = {} is over 100",
                self.joint_liability_percent
            ));
        }
        if self.second_complaint_factor == 0 {
            return Err("penalties.second_complaint_factor must be at least 1".into());
        }
        Ok(())
    }

    /// The penalty of a tier on a complaint from `origin`; a second complaint
    /// multiplies it.
    #[must_use]
    pub fn of(&self, tier: Tier, origin: Origin, second: bool) -> Penalty {
        let row = match tier {
            Tier::Light => self.light,
            Tier::Medium => self.medium,
            Tier::Severe => self.severe,
        };
        let factor = if second {
            u64::from(self.second_complaint_factor)
        } else {
            1
        };
        let base = match origin {
            Origin::Internal => row.internal_yuan,
            Origin::External => row.external_yuan,
        };
        let yuan = u64::from(base) * factor;
        Penalty {
            yuan,
            points: u64::from(row.points) * factor,
            // Whole yuan, rounded half up.
            joint_yuan: (yuan * u64::from(self.joint_liability_percent) + 50) / 100,
        }
    }

    /// A reply `days` days late (压单): the case's amount, then the daily
    /// amount for each day after the first (002: 扣款50元/单，超过再按1单50元/天累加).
    #[must_use]
    pub fn overdue(&self, days: u64) -> u64 {
        if days == 0 {
            return 0;
        }
        u64::from(self.overdue_yuan) + u64::from(self.overdue_yuan_per_day) * (days - 1)
    }
}

/// Days a reply due at `due` was late at `end`: every day begun past due.
#[must_use]
pub fn late_days(due: Time, end: Time) -> u64 {
    let secs = (end - due).num_seconds();
    if secs <= 0 {
        return 0;
    }
    u64::try_from(secs).map_or(0, |s| s.div_ceil(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Penalties {
        let row = |i, e, p| TierPenalty {
            internal_yuan: i,
            external_yuan: e,
            points: p,
        };
        Penalties {
            light: row(50, 50, 2),
            medium: row(100, 100, 5),
            severe: row(200, 300, 10),
            joint_liability_percent: 20,
            overdue_yuan: 50,
            overdue_yuan_per_day: 50,
            second_complaint_factor: 2,
        }
    }

    #[test]
    fn a_tier_costs_by_origin_doubled_on_a_second_complaint() {
        let t = table();
        let p = t.of(Tier::Severe, Origin::External, false);
        assert_eq!((p.yuan, p.points, p.joint_yuan), (300, 10, 60));
        let p = t.of(Tier::Medium, Origin::Internal, true);
        assert_eq!((p.yuan, p.points, p.joint_yuan), (200, 10, 40));
    }

    #[test]
    fn a_late_reply_costs_per_case_then_per_day() {
        let t = table();
        assert_eq!(t.overdue(0), 0);
        assert_eq!(t.overdue(1), 50);
        assert_eq!(t.overdue(4), 200);
    }

    #[test]
    fn late_days_count_every_day_begun() {
        let due: Time = "2026-11-03T09:59:59Z".parse().unwrap();
        assert_eq!(late_days(due, due), 0);
        assert_eq!(late_days(due, due + chrono::Duration::seconds(1)), 1);
        assert_eq!(late_days(due, due + chrono::Duration::hours(24)), 1);
        assert_eq!(late_days(due, due + chrono::Duration::hours(25)), 2);
    }

    #[test]
    fn a_table_over_a_hundred_percent_is_refused() {
        let mut t = table();
        t.joint_liability_percent = 120;
        assert!(t.check().is_err());
        t.joint_liability_percent = 20;
        t.second_complaint_factor = 0;
        assert!(t.check().is_err());
    }
}
