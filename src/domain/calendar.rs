//! Working days on the Chinese public-holiday calendar, make-up working days (调休) included.
//!
//! The calendar is data (`assets/calendar.toml`, extendable by the user's own
//! file) because each year's holidays are only published the November before.
//! Years it does not know fall back to plain weekends, and every result says
//! whether that happened so the program can warn.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, TimeDelta, Weekday};
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../assets/calendar.toml");

/// The holiday calendar: per known year, its holidays and make-up working days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

/// A calendar file that could not be read, with the offending text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The file is not valid TOML or does not have the calendar's shape.
    #[error("calendar file is not in the calendar format: {0}")]
    Toml(String),
    /// A `[years.X]` table whose name is not a usable year.
    #[error("calendar table [years.{0}] is not named after a year")]
    BadYear(String),
    /// Two tables in one file name the same year (e.g. `2026` and `02026`).
    #[error("calendar year {0} is given twice in the same file")]
    DuplicateYear(i32),
    /// An entry that is neither `YYYY-MM-DD` nor `YYYY-MM-DD..YYYY-MM-DD`.
    #[error("calendar year {year}: '{text}' is not a date (YYYY-MM-DD) or range (YYYY-MM-DD..YYYY-MM-DD)")]
    BadDate {
        /// The table the entry is in.
        year: i32,
        /// The entry as written.
        text: String,
    },
    /// A range whose end comes before its start.
    #[error("calendar year {year}: range '{text}' ends before it starts")]
    ReversedRange {
        /// The table the entry is in.
        year: i32,
        /// The entry as written.
        text: String,
    },
    /// An entry with a date outside the year of its table.
    #[error("calendar year {year}: '{text}' is not in {year}")]
    WrongYear {
        /// The table the entry is in.
        year: i32,
        /// The entry as written.
        text: String,
    },
    /// A date listed both as a holiday and as a make-up working day.
    #[error("calendar year {year}: {date} is listed both as a holiday and as a workday")]
    HolidayAndWorkday {
        /// The table the date is in.
        year: i32,
        /// The contradictory date.
        date: NaiveDate,
    },
}

/// The result of counting working days forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueDay {
    /// The working day reached.
    pub date: NaiveDate,
    /// Some day counted over lies in a year the calendar does not know, so
    /// plain weekends were assumed there and the date may be wrong.
    pub beyond_calendar: bool,
}

/// One known year.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Year {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
    /// Indexed by day of the year (0 = before Jan 1): working days minus
    /// Mon–Fri days up to that day. Counting plain weekdays is arithmetic, so
    /// storing only the year's departure from it makes any span a subtraction.
    adjust: Vec<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    years: BTreeMap<String, YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

impl Calendar {
    /// The calendar built into the program (`assets/calendar.toml`).
    #[must_use]
    pub fn builtin() -> Calendar {
        // A unit test parses the asset, so this cannot fail in a release; were
        // it ever broken, an empty calendar makes every count warn instead of
        // crashing the desk.
        Self::from_toml(BUILTIN).unwrap_or_else(|_| Calendar { years: BTreeMap::new() })
    }

    /// A calendar holding exactly the years of a calendar file.
    ///
    /// # Errors
    /// Any malformed, misplaced or contradictory entry.
    pub fn from_toml(text: &str) -> Result<Calendar, CalendarError> {
        Ok(Calendar {
            years: parse_file(text)?,
        })
    }

    /// Adds the years of a calendar file; a year already known is replaced whole.
    ///
    /// # Errors
    /// Any malformed, misplaced or contradictory entry; the calendar is then unchanged.
    pub fn extend_from_toml(&mut self, text: &str) -> Result<(), CalendarError> {
        // Replacing rather than merging lets a corrected notice drop a date.
        self.years.extend(parse_file(text)?);
        Ok(())
    }

    /// The years the calendar knows, ascending.
    #[must_use]
    pub fn known_years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Whether the year of `date` is in the calendar.
    #[must_use]
    pub fn is_known(&self, date: NaiveDate) -> bool {
        self.years.contains_key(&date.year())
    }

    /// Whether `date` is a working day: make-up days work, holidays don't, else Mon–Fri.
    #[must_use]
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.years.get(&date.year()) {
            Some(year) => year.is_working_day(date),
            None => is_weekday(date),
        }
    }

    /// The N-th working day after `start` (start itself never counts; n = 0 returns start itself).
    ///
    /// `beyond_calendar` is true when any day examined (after start, up to and
    /// including the result) lies in an unknown year. A count running past the
    /// last date chrono can represent stops there, marked beyond the calendar.
    #[must_use]
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> DueDay {
        if n == 0 {
            return DueDay {
                date: start,
                beyond_calendar: false,
            };
        }
        // Search on the monotone count rather than stepping day by day, so a
        // large n costs a few dozen counts. Invariant: fewer than n working
        // days in (start, below], at least n in (start, above].
        let mut below = start;
        // n working days usually fit in 1.4 n days plus a holiday week; doubling covers the rest.
        let mut span = u64::from(n).saturating_mul(2).saturating_add(14);
        let mut above = loop {
            match start.checked_add_days(Days::new(span)) {
                Some(date) if self.working_days_between(start, date) >= n => break date,
                Some(date) => {
                    below = date;
                    span = span.saturating_mul(2);
                }
                None if self.working_days_between(start, NaiveDate::MAX) >= n => {
                    break NaiveDate::MAX;
                }
                None => {
                    return DueDay {
                        date: NaiveDate::MAX,
                        beyond_calendar: true,
                    };
                }
            }
        };
        while (above - below).num_days() > 1 {
            let middle = below + TimeDelta::days((above - below).num_days() / 2);
            if self.working_days_between(start, middle) >= n {
                above = middle;
            } else {
                below = middle;
            }
        }
        DueDay {
            date: above,
            beyond_calendar: self.any_unknown_year_in(start, above),
        }
    }

    /// Number of working days d with from < d <= to (0 when to <= from).
    #[must_use]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to <= from {
            return 0;
        }
        let mut count = weekdays_through(to) - weekdays_through(from);
        for (&number, year) in self.years.range(from.year()..=to.year()) {
            let first = if number == from.year() {
                from.ordinal() as usize
            } else {
                0
            };
            let last = if number == to.year() {
                to.ordinal() as usize
            } else {
                year.adjust.len() - 1
            };
            count += i64::from(year.adjust[last] - year.adjust[first]);
        }
        // Never negative, and chrono's whole range holds fewer than u32::MAX days.
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// Whether a day in (after, through] lies in a year the calendar does not know.
    fn any_unknown_year_in(&self, after: NaiveDate, through: NaiveDate) -> bool {
        let first = after.succ_opt().map_or(through.year(), |day| day.year());
        // Stops at the first unknown year, so a huge span costs at most the known years.
        (first..=through.year()).any(|number| !self.years.contains_key(&number))
    }
}

impl Year {
    /// Builds a year from its table, checking every entry.
    fn from_file(number: i32, file: &YearFile) -> Result<Year, CalendarError> {
        let holidays = expand(number, &file.holidays)?;
        let workdays = expand(number, &file.workdays)?;
        if let Some(&date) = holidays.intersection(&workdays).next() {
            return Err(CalendarError::HolidayAndWorkday { year: number, date });
        }
        let mut year = Year {
            holidays,
            workdays,
            adjust: vec![0],
        };
        let mut running = 0;
        let days = first_day(number)
            .into_iter()
            .flat_map(|jan1| jan1.iter_days())
            .take_while(|day| day.year() == number);
        for day in days {
            running += i32::from(year.is_working_day(day)) - i32::from(is_weekday(day));
            year.adjust.push(running);
        }
        Ok(year)
    }

    fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.workdays.contains(&date) {
            true
        } else if self.holidays.contains(&date) {
            false
        } else {
            is_weekday(date)
        }
    }
}

/// Parses and checks a whole file before anything is applied, so a bad file changes nothing.
fn parse_file(text: &str) -> Result<BTreeMap<i32, Year>, CalendarError> {
    let file: CalendarFile = toml::from_str(text).map_err(|error| CalendarError::Toml(error.to_string()))?;
    let mut years = BTreeMap::new();
    for (key, entry) in &file.years {
        let number = key
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|&number| first_day(number).is_some() && last_day(number).is_some())
            .ok_or_else(|| CalendarError::BadYear(key.clone()))?;
        if years.insert(number, Year::from_file(number, entry)?).is_some() {
            return Err(CalendarError::DuplicateYear(number));
        }
    }
    Ok(years)
}

/// All dates named by a list of entries, each checked to lie in `year`.
fn expand(year: i32, entries: &[String]) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    let mut dates = BTreeSet::new();
    for text in entries {
        let parse = |part: &str| {
            NaiveDate::parse_from_str(part.trim(), "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
                year,
                text: text.clone(),
            })
        };
        // A single date is a range of one day.
        let (start, end) = text.split_once("..").unwrap_or((text, text));
        let (start, end) = (parse(start)?, parse(end)?);
        if end < start {
            return Err(CalendarError::ReversedRange {
                year,
                text: text.clone(),
            });
        }
        if start.year() != year || end.year() != year {
            return Err(CalendarError::WrongYear {
                year,
                text: text.clone(),
            });
        }
        dates.extend(start.iter_days().take_while(|day| *day <= end));
    }
    Ok(dates)
}

fn first_day(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

fn last_day(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Mon–Fri days up to and including `date`, counted from an arbitrary fixed origin.
fn weekdays_through(date: NaiveDate) -> i64 {
    let into_week = i64::from(date.weekday().num_days_from_monday());
    let monday = i64::from(date.num_days_from_ce()) - into_week;
    // Mondays all share one residue mod 7, so div_euclid numbers weeks consecutively.
    5 * monday.div_euclid(7) + (into_week + 1).min(5)
}

#[cfg(test)]
// A failed unwrap is a failed test, which is what these tests want.
#[allow(clippy::unwrap_used)]
mod tests;
