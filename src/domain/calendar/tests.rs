//! Tests of the working-day calendar: the built-in years, make-up days, unknown years and bad files.

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
