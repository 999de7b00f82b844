//! Report periods: named ones around today, the one before, their bounds in the desk's zone.

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::Time;

/// A period of received dates: `[from, until)` in the desk's zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// The day after the last.
    pub until: NaiveDate,
}

/// The named periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodName {
    /// Today.
    Today,
    /// This week (Monday on).
    Week,
    /// This month.
    Month,
    /// This quarter.
    Quarter,
    /// The last complete quarter (季度汇总).
    LastQuarter,
    /// This year.
    Year,
}

impl Period {
    /// A named period around `today`.
    #[must_use]
    pub fn named(name: PeriodName, today: NaiveDate) -> Period {
        let first_of_month = today.with_day(1).unwrap_or(today);
        let quarter_start = |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d);
        let add_months = |d: NaiveDate, m: u32| d.checked_add_months(Months::new(m)).unwrap_or(d);
        match name {
            PeriodName::Today => Period {
                from: today,
                until: today.checked_add_days(Days::new(1)).unwrap_or(today),
            },
            PeriodName::Week => {
                let from = today
                    .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())))
                    .unwrap_or(today);
                Period {
                    from,
                    until: from.checked_add_days(Days::new(7)).unwrap_or(from),
                }
            }
            PeriodName::Month => Period {
                from: first_of_month,
                until: add_months(first_of_month, 1),
            },
            PeriodName::Quarter => {
                let from = quarter_start(today);
                Period {
                    from,
                    until: add_months(from, 3),
                }
            }
            PeriodName::LastQuarter => {
                let until = quarter_start(today);
                Period {
                    from: until.checked_sub_months(Months::new(3)).unwrap_or(until),
                    until,
                }
            }
            PeriodName::Year => {
                let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
                Period {
                    from,
                    until: add_months(from, 12),
                }
            }
        }
    }

    /// The period just before this one: the previous calendar month, quarter or
    /// year for whole ones, else the same number of days before.
    #[must_use]
    pub fn previous(self) -> Period {
        if self.from.day() == 1 && self.until.day() == 1 {
            let months =
                (self.until.year() - self.from.year()) * 12 + self.until.month() as i32 - self.from.month() as i32;
            if let Ok(m) = u32::try_from(months)
                && m > 0
                && let Some(from) = self.from.checked_sub_months(Months::new(m))
            {
                return Period { from, until: self.from };
            }
        }
        let days = (self.until - self.from).num_days().max(0).unsigned_abs();
        Period {
            from: self.from.checked_sub_days(Days::new(days)).unwrap_or(self.from),
            until: self.from,
        }
    }

    /// Its bounds as instants in `tz`.
    #[must_use]
    pub fn instants(self, tz: Tz) -> (Time, Time) {
        let at = |d: NaiveDate| {
            tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
                .earliest()
                .map_or_else(
                    || chrono::Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN)),
                    |x| x.to_utc(),
                )
        };
        (at(self.from), at(self.until))
    }
}

/// The first instant of local day `d`.
pub(super) fn period_day_start(tz: Tz, d: NaiveDate) -> Time {
    Period { from: d, until: d }.instants(tz).0
}
