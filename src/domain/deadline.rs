//! Running clocks: when each step of a case is due, and whether it is late.

use chrono::{Days, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{Calendar, DeadlineKind, DeptId, Time, event::Due};

/// One clock of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Which step it limits.
    pub kind: DeadlineKind,
    /// When it started.
    pub start: Time,
    /// When it runs out.
    pub due: Time,
    /// When the step was done, if it was.
    pub met_at: Option<Time>,
    /// Moved by an extension (with a reason on the timeline).
    pub extended: bool,
    /// Counted past the known holiday calendar: weekends only, shown as a warning.
    pub beyond_calendar: bool,
    /// The department whose clock it is (its reply); `None` for the case's own.
    pub dept: Option<DeptId>,
}

/// A clock as seen at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Still time left.
    Running,
    /// Past due and not done.
    Overdue,
    /// The case clock is paused.
    Paused,
    /// Done in time.
    Met,
    /// Done, but late.
    MetLate,
}

impl Deadline {
    /// A clock from a due fixed by an event.
    #[must_use]
    pub fn from_due(due: &Due) -> Self {
        Self {
            kind: due.deadline,
            start: due.start,
            due: due.due,
            met_at: None,
            extended: false,
            beyond_calendar: due.beyond_calendar,
            dept: due.dept,
        }
    }

    /// Whether the step is still to be done.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.met_at.is_none()
    }

    /// Its status at `now` (a paused case shows running clocks as paused).
    #[must_use]
    pub fn status(&self, now: Time, paused: bool) -> DeadlineStatus {
        match self.met_at {
            Some(met) if met <= self.due => DeadlineStatus::Met,
            Some(_) => DeadlineStatus::MetLate,
            None if paused => DeadlineStatus::Paused,
            None if now > self.due => DeadlineStatus::Overdue,
            None => DeadlineStatus::Running,
        }
    }
}

/// The last instant of a local day: "end of the day" in the desk's time zone.
#[must_use]
pub fn end_of_day(tz: Tz, date: NaiveDate) -> Time {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    // Midnight exists in every zone the desk is likely to use; fall back to the
    // earliest valid local time if a zone skips it.
    let midnight = tz
        .from_local_datetime(&next.and_time(NaiveTime::MIN))
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&next.and_time(NaiveTime::MIN)));
    midnight.to_utc() - chrono::Duration::seconds(1)
}

/// The local calendar day of an instant.
#[must_use]
pub fn local_date(tz: Tz, at: Time) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// A clock of `n` working days after `start`: it ends at the end of the n-th
/// working day after the day of `start` (0 = the end of that same day).
#[must_use]
pub fn working_days_due(kind: DeadlineKind, start: Time, n: u32, tz: Tz, calendar: &Calendar) -> Due {
    let day = calendar.add_working_days(local_date(tz, start), n);
    Due {
        deadline: kind,
        start,
        due: end_of_day(tz, day.date),
        beyond_calendar: day.beyond_calendar,
        dept: None,
    }
}

/// A clock of plain hours (e.g. the 12-hour report of a major case).
#[must_use]
pub fn hours_due(kind: DeadlineKind, start: Time, hours: u32) -> Due {
    Due {
        deadline: kind,
        start,
        due: start + chrono::Duration::hours(i64::from(hours)),
        beyond_calendar: false,
        dept: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn end_of_day_is_local_midnight_minus_a_second() {
        let tz = chrono_tz::Asia::Shanghai;
        let d = NaiveDate::from_ymd_opt(2026, 10, 10).unwrap();
        assert_eq!(end_of_day(tz, d), at("2026-10-10T23:59:59+08:00"));
    }

    #[test]
    fn spec_example_assigned_before_national_day() {
        // domain.md: assigned Wed 30 Sep 2026 with 3 wd → due end of Sat 10 Oct.
        let tz = chrono_tz::Asia::Shanghai;
        let cal = Calendar::builtin();
        let due = working_days_due(
            DeadlineKind::DepartmentReply,
            at("2026-09-30T15:00:00+08:00"),
            3,
            tz,
            &cal,
        );
        assert_eq!(due.due, at("2026-10-10T23:59:59+08:00"));
        assert!(!due.beyond_calendar);
    }

    #[test]
    fn local_day_not_utc_day_counts() {
        // 01:00 local on 1 Oct is still 30 Sep in UTC: the local day must count.
        let tz = chrono_tz::Asia::Shanghai;
        let cal = Calendar::builtin();
        let due = working_days_due(
            DeadlineKind::DepartmentReply,
            at("2026-10-09T01:00:00+08:00"),
            1,
            tz,
            &cal,
        );
        assert_eq!(due.due, at("2026-10-10T23:59:59+08:00"));
    }

    #[test]
    fn status_follows_due_and_met() {
        let d = Deadline {
            kind: DeadlineKind::ReturnVisit,
            start: at("2026-03-02T09:00:00+08:00"),
            due: at("2026-03-05T23:59:59+08:00"),
            met_at: None,
            extended: false,
            beyond_calendar: false,
            dept: None,
        };
        assert_eq!(
            d.status(at("2026-03-05T23:00:00+08:00"), false),
            DeadlineStatus::Running
        );
        assert_eq!(
            d.status(at("2026-03-06T00:00:00+08:00"), false),
            DeadlineStatus::Overdue
        );
        assert_eq!(d.status(at("2026-03-06T00:00:00+08:00"), true), DeadlineStatus::Paused);
        let met = Deadline {
            met_at: Some(at("2026-03-07T10:00:00+08:00")),
            ..d.clone()
        };
        assert_eq!(
            met.status(at("2026-03-09T00:00:00+08:00"), false),
            DeadlineStatus::MetLate
        );
        let met = Deadline {
            met_at: Some(at("2026-03-04T10:00:00+08:00")),
            ..d
        };
        assert_eq!(met.status(at("2026-03-09T00:00:00+08:00"), false), DeadlineStatus::Met);
    }
}
