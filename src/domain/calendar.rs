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
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn due(calendar: &Calendar, start: &str, n: u32) -> DueDay {
        calendar.add_working_days(d(start), n)
    }

    fn within(date: &str) -> DueDay {
        DueDay {
            date: d(date),
            beyond_calendar: false,
        }
    }

    fn beyond(date: &str) -> DueDay {
        DueDay {
            date: d(date),
            beyond_calendar: true,
        }
    }

    /// The obvious day-by-day count, to check the fast ones against.
    fn slow_add(calendar: &Calendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap();
            if calendar.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    const YEAR_2027: &str = r#"
        [years.2027]
        holidays = ["2027-01-01"]
        workdays = ["2027-01-09"]
    "#;

    #[test]
    fn builtin_asset_parses_with_the_published_counts() {
        let calendar = Calendar::from_toml(BUILTIN).unwrap();
        assert_eq!(calendar, Calendar::builtin());
        assert_eq!(calendar.known_years(), vec![2025, 2026]);
        let counts = |number: i32| {
            let year = &calendar.years[&number];
            (year.holidays.len(), year.workdays.len())
        };
        assert_eq!(counts(2025), (1 + 8 + 3 + 5 + 3 + 8, 5));
        assert_eq!(counts(2026), (3 + 9 + 3 + 5 + 3 + 3 + 7, 6));
    }

    #[test]
    fn builtin_make_up_days_are_all_weekends() {
        let calendar = Calendar::builtin();
        for year in calendar.years.values() {
            for &day in &year.workdays {
                assert!(!is_weekday(day), "{day} is a make-up day on a weekday");
            }
        }
    }

    #[test]
    fn spec_example_national_day_2026() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2026-09-30", 1), within("2026-10-08"));
        assert_eq!(due(&calendar, "2026-09-30", 2), within("2026-10-09"));
        assert_eq!(due(&calendar, "2026-09-30", 3), within("2026-10-10"));
        assert_eq!(due(&calendar, "2026-09-30", 4), within("2026-10-12"));
    }

    #[test]
    fn spring_festival_2026() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2026-02-13", 1), within("2026-02-14"));
        assert_eq!(due(&calendar, "2026-02-13", 2), within("2026-02-24"));
        assert_eq!(due(&calendar, "2026-02-24", 3), within("2026-02-27"));
        assert_eq!(due(&calendar, "2026-02-24", 4), within("2026-02-28"));
        assert_eq!(due(&calendar, "2026-02-24", 5), within("2026-03-02"));
        assert!(!calendar.is_working_day(d("2026-02-16")));
        assert!(!calendar.is_working_day(d("2026-02-15")));
    }

    #[test]
    fn mid_autumn_and_sunday_make_up_2026() {
        let calendar = Calendar::builtin();
        assert!(calendar.is_working_day(d("2026-09-20")));
        assert_eq!(due(&calendar, "2026-09-18", 1), within("2026-09-20"));
        assert_eq!(due(&calendar, "2026-09-24", 1), within("2026-09-28"));
        assert!(!calendar.is_working_day(d("2026-09-25")));
        // 20, 21, 22, 23, 24 and 28: Saturday 19 and 25–27 are off.
        assert_eq!(calendar.working_days_between(d("2026-09-18"), d("2026-09-28")), 6);
    }

    #[test]
    fn national_day_2025_and_saturday_make_up() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2025-09-26", 1), within("2025-09-28"));
        assert_eq!(due(&calendar, "2025-09-30", 1), within("2025-10-09"));
        assert_eq!(due(&calendar, "2025-09-30", 3), within("2025-10-11"));
        assert_eq!(due(&calendar, "2025-09-30", 4), within("2025-10-13"));
    }

    #[test]
    fn spring_festival_2025_with_sunday_make_up() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2025-01-24", 1), within("2025-01-26"));
        assert_eq!(due(&calendar, "2025-01-24", 2), within("2025-01-27"));
        assert_eq!(due(&calendar, "2025-01-24", 3), within("2025-02-05"));
        assert_eq!(due(&calendar, "2025-02-05", 3), within("2025-02-08"));
    }

    #[test]
    fn across_new_year_2025_to_2026() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2025-12-30", 1), within("2025-12-31"));
        assert_eq!(due(&calendar, "2025-12-31", 1), within("2026-01-04"));
        assert_eq!(due(&calendar, "2025-12-31", 2), within("2026-01-05"));
        assert_eq!(calendar.working_days_between(d("2025-12-31"), d("2026-01-04")), 1);
    }

    #[test]
    fn whole_years_count_by_hand() {
        // 261 weekdays each year; 2025 has 18 holidays on weekdays and 5
        // make-up days, 2026 has 19 and 6.
        let calendar = Calendar::builtin();
        assert_eq!(calendar.working_days_between(d("2024-12-31"), d("2025-12-31")), 248);
        assert_eq!(calendar.working_days_between(d("2025-12-31"), d("2026-12-31")), 248);
        assert_eq!(calendar.working_days_between(d("2024-12-31"), d("2026-12-31")), 496);
    }

    #[test]
    fn unknown_year_counts_weekends_only_and_says_so() {
        let calendar = Calendar::builtin();
        assert!(!calendar.is_known(d("2027-01-01")));
        assert!(calendar.is_working_day(d("2027-01-01")));
        assert!(!calendar.is_working_day(d("2027-01-02")));
        assert_eq!(due(&calendar, "2027-01-08", 1), beyond("2027-01-11"));
        assert_eq!(due(&calendar, "2027-09-30", 3), beyond("2027-10-05"));
        assert_eq!(due(&calendar, "2024-12-27", 1), beyond("2024-12-30"));
    }

    #[test]
    fn known_result_is_not_beyond_even_from_an_unknown_start() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2026-03-02", 10), within("2026-03-16"));
        // Only 2025 days are examined after a 2024 start on New Year's Eve.
        assert_eq!(due(&calendar, "2024-12-31", 1), within("2025-01-02"));
    }

    #[test]
    fn crossing_into_2027_is_beyond() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2026-12-30", 1), within("2026-12-31"));
        assert_eq!(due(&calendar, "2026-12-30", 2), beyond("2027-01-01"));
        assert_eq!(due(&calendar, "2026-12-30", 3), beyond("2027-01-04"));
    }

    #[test]
    fn zero_days_is_the_start_itself() {
        let calendar = Calendar::builtin();
        assert_eq!(due(&calendar, "2026-10-03", 0), within("2026-10-03"));
        assert_eq!(due(&calendar, "2027-05-01", 0), within("2027-05-01"));
    }

    #[test]
    fn between_is_zero_unless_to_is_after_from() {
        let calendar = Calendar::builtin();
        assert_eq!(calendar.working_days_between(d("2026-03-04"), d("2026-03-04")), 0);
        assert_eq!(calendar.working_days_between(d("2026-03-04"), d("2026-03-02")), 0);
        assert_eq!(calendar.working_days_between(d("2026-03-03"), d("2026-03-04")), 1);
    }

    #[test]
    fn fast_counts_agree_with_the_day_by_day_count() {
        let calendar = Calendar::builtin();
        // A month either side of the calendar, so the weekday arithmetic and
        // the crossings into and out of known years are swept too.
        let starts = d("2024-12-01").iter_days().take_while(|day| *day <= d("2027-01-31"));
        for start in starts {
            for n in 0..=40 {
                let expected = slow_add(&calendar, start, n);
                let got = calendar.add_working_days(start, n);
                assert_eq!(got.date, expected, "{start} + {n}");
                assert_eq!(calendar.working_days_between(start, got.date), n);
                let unknown = start
                    .iter_days()
                    .skip(1)
                    .take_while(|day| *day <= got.date)
                    .any(|day| !calendar.is_known(day));
                assert_eq!(got.beyond_calendar, unknown, "{start} + {n}");
            }
            let day_before = start.pred_opt().unwrap();
            assert_eq!(calendar.working_days_between(start, day_before), 0);
        }
    }

    #[test]
    fn large_counts_and_the_end_of_time() {
        let calendar = Calendar::builtin();
        let start = d("2026-01-01");
        let got = calendar.add_working_days(start, 10_000);
        assert_eq!(got.date, slow_add(&calendar, start, 10_000));
        assert!(got.beyond_calendar);
        let last = calendar.add_working_days(start, u32::MAX);
        assert_eq!(
            last,
            DueDay {
                date: NaiveDate::MAX,
                beyond_calendar: true
            }
        );
    }

    #[test]
    fn extending_adds_a_year() {
        let mut calendar = Calendar::builtin();
        calendar.extend_from_toml(YEAR_2027).unwrap();
        assert_eq!(calendar.known_years(), vec![2025, 2026, 2027]);
        assert!(calendar.is_known(d("2027-06-01")));
        assert!(!calendar.is_working_day(d("2027-01-01")));
        assert!(calendar.is_working_day(d("2027-01-09")));
        assert_eq!(due(&calendar, "2026-12-30", 2), within("2027-01-04"));
        assert_eq!(due(&calendar, "2027-01-08", 1), within("2027-01-09"));
    }

    #[test]
    fn extending_replaces_a_repeated_year_whole() {
        let mut calendar = Calendar::builtin();
        let corrected = r#"
            [years.2026]
            holidays = ["2026-10-01..2026-10-08"]
            workdays = ["2026-10-11"]
        "#;
        calendar.extend_from_toml(corrected).unwrap();
        assert_eq!(calendar.known_years(), vec![2025, 2026]);
        assert!(!calendar.is_working_day(d("2026-10-08")));
        assert!(calendar.is_working_day(d("2026-10-11")));
        // The old 2026 lists are gone, not merged.
        assert!(!calendar.is_working_day(d("2026-10-10")));
        assert!(calendar.is_working_day(d("2026-02-16")));
        assert!(!calendar.is_working_day(d("2026-01-04")));
        // Other years are untouched.
        assert!(calendar.is_working_day(d("2025-10-11")));
        assert_eq!(due(&calendar, "2026-09-30", 2), within("2026-10-11"));
    }

    #[test]
    fn a_bad_extension_changes_nothing() {
        let mut calendar = Calendar::builtin();
        let half_bad = r#"
            [years.2026]
            holidays = ["2026-10-01"]
            [years.2027]
            holidays = ["2027-13-01"]
        "#;
        assert!(calendar.extend_from_toml(half_bad).is_err());
        assert_eq!(calendar, Calendar::builtin());
    }

    #[test]
    fn an_empty_file_is_an_empty_calendar() {
        let calendar = Calendar::from_toml("").unwrap();
        assert!(calendar.known_years().is_empty());
        assert_eq!(calendar.add_working_days(d("2026-09-30"), 3), beyond("2026-10-05"));
    }

    fn error_of(text: &str) -> CalendarError {
        Calendar::from_toml(text).unwrap_err()
    }

    #[test]
    fn unparsable_dates_are_rejected_with_their_text() {
        for entry in ["2026-02-30", "2026/10/01", "soon", "2026-10-01..later", ""] {
            let text = format!("[years.2026]\nholidays = [\"{entry}\"]");
            let error = error_of(&text);
            assert_eq!(
                error,
                CalendarError::BadDate {
                    year: 2026,
                    text: entry.to_string()
                }
            );
            assert!(error.to_string().contains(&format!("'{entry}'")));
        }
    }

    #[test]
    fn a_reversed_range_is_rejected() {
        let error = error_of("[years.2026]\nholidays = [\"2026-10-07..2026-10-01\"]");
        assert_eq!(
            error,
            CalendarError::ReversedRange {
                year: 2026,
                text: "2026-10-07..2026-10-01".to_string()
            }
        );
        assert!(error.to_string().contains("2026-10-07..2026-10-01"));
    }

    #[test]
    fn a_date_under_the_wrong_year_is_rejected() {
        let error = error_of("[years.2026]\nworkdays = [\"2025-10-11\"]");
        assert_eq!(
            error,
            CalendarError::WrongYear {
                year: 2026,
                text: "2025-10-11".to_string()
            }
        );
        assert!(error.to_string().contains("2025-10-11"));
        // A range over New Year belongs to two tables and must be split.
        let error = error_of("[years.2026]\nholidays = [\"2026-12-31..2027-01-01\"]");
        assert!(matches!(error, CalendarError::WrongYear { year: 2026, .. }));
    }

    #[test]
    fn a_date_both_holiday_and_workday_is_rejected() {
        let error = error_of("[years.2026]\nholidays = [\"2026-10-01..2026-10-07\"]\nworkdays = [\"2026-10-03\"]");
        assert_eq!(
            error,
            CalendarError::HolidayAndWorkday {
                year: 2026,
                date: d("2026-10-03")
            }
        );
        assert!(error.to_string().contains("2026-10-03"));
    }

    #[test]
    fn a_bad_year_name_is_rejected() {
        let error = error_of("[years.next]\nholidays = []");
        assert_eq!(error, CalendarError::BadYear("next".to_string()));
        assert!(error.to_string().contains("next"));
        assert!(matches!(
            error_of("[years.999999]\nholidays = []"),
            CalendarError::BadYear(_)
        ));
    }

    #[test]
    fn a_year_given_twice_is_rejected() {
        let error = error_of("[years.2026]\nholidays = []\n[years.02026]\nholidays = []");
        assert_eq!(error, CalendarError::DuplicateYear(2026));
    }

    #[test]
    fn malformed_toml_and_misspelt_keys_are_rejected() {
        assert!(matches!(error_of("[years.2026\nholidays = []"), CalendarError::Toml(_)));
        let error = error_of("[years.2026]\nholiday = [\"2026-10-01\"]");
        assert!(matches!(error, CalendarError::Toml(_)));
        assert!(error.to_string().contains("holiday"));
        assert!(matches!(
            error_of("[years.2026]\nholidays = [20261001]"),
            CalendarError::Toml(_)
        ));
    }
}
