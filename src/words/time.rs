//! Times as a clerk types them: `2026-10-12`, `2026/10/12`, `2026.10.12`,
//! `10月12日`, `2026年10月12日`, each with an optional `17:00`; RFC 3339,
//! `+2d`, `+4h`, `today`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::Time;
use crate::domain::deadline::{end_of_day, local_date};

/// What a bare date means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOnly {
    /// The start of that day (when something came in).
    StartOfDay,
    /// The end of that day (when something is due).
    EndOfDay,
}

/// Text that is not a time the desk understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a time: use 2026-10-12, 2026/10/12, 2026.10.12, 10月12日, 2026年10月12日, 2026-10-12 17:00, 2026-10-12T17:00:00+08:00, +2d, +4h, +30m, today or tomorrow"
)]
pub struct BadTime(pub String);

/// Parses `text` in the desk's time zone `tz`, relative to `now`. Only years
/// 1970–9998 are taken: a desk has no business outside them, and within them
/// every time prints back as given.
pub fn parse_time(text: &str, now: Time, tz: Tz, date_only: DateOnly) -> Result<Time, BadTime> {
    let t = parse_any(text, now, tz, date_only)?;
    // The instant's own (UTC) year, so the same instant is taken in every zone.
    let year = t.year();
    if (1970..=9998).contains(&year) {
        Ok(t)
    } else {
        Err(BadTime(text.to_string()))
    }
}

fn parse_any(text: &str, now: Time, tz: Tz, date_only: DateOnly) -> Result<Time, BadTime> {
    let t = text.trim();
    let bad = || BadTime(text.to_string());
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    if let Some(rest) = t.strip_prefix('+') {
        let (num, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: i64 = num.parse().map_err(|_| bad())?;
        let d = match unit {
            "d" => Duration::try_days(n),
            "h" => Duration::try_hours(n),
            "m" => Duration::try_minutes(n),
            _ => None,
        }
        .ok_or_else(bad)?;
        return now.checked_add_signed(d).ok_or_else(bad);
    }
    let day = |date: NaiveDate| match date_only {
        DateOnly::EndOfDay => end_of_day(tz, date),
        DateOnly::StartOfDay => local(tz, date.and_time(NaiveTime::MIN)).unwrap_or(now),
    };
    match t {
        "today" | "今天" => return Ok(day(local_date(tz, now))),
        "tomorrow" | "明天" => return local_date(tz, now).succ_opt().map(day).ok_or_else(bad),
        _ => {}
    }
    let t = &dashed(t, local_date(tz, now).year());
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return local(tz, naive).ok_or_else(bad);
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(day).map_err(|_| bad())
}

/// A day as a clerk types it (`2026-10-12`, `2026/10/12`, `2026.10.12`,
/// `10月12日` of `this_year`, `2026年10月12日`).
#[must_use]
pub fn parse_day(text: &str, this_year: i32) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&dashed(text.trim(), this_year), "%Y-%m-%d").ok()
}

/// Why `value` is not taken as a time, with the forms that are, in `lang`.
#[must_use]
pub fn refused(lang: crate::words::Lang, value: &str) -> String {
    crate::words::tf(
        lang,
        "cli.time.bad",
        &[
            ("value", value.to_string()),
            ("formats", crate::words::t(lang, "help.time_formats")),
        ],
    )
}

/// A date written `2026/10/12`, `2026.10.12`, `2026年10月12日` or `10月12日`
/// (this year) rewritten as `2026-10-12`, its time of day kept.
fn dashed(text: &str, this_year: i32) -> String {
    let (date, rest) = text.split_once([' ', 'T']).map_or((text, ""), |(d, r)| (d, r));
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {}", rest.trim())
    };
    if let Some(day) = date.strip_suffix('日') {
        let (year, month_day) = match day.split_once('年') {
            Some((y, md)) => (y.to_string(), md),
            None => (this_year.to_string(), day),
        };
        if let Some((month, day)) = month_day.split_once('月') {
            return format!("{year}-{month}-{day}{rest}");
        }
    }
    let separator = date.chars().find(|c| *c == '/' || *c == '.');
    match separator {
        Some(sep) if date.split(sep).count() == 3 => format!("{}{rest}", date.replace(sep, "-")),
        _ => text.to_string(),
    }
}

fn local(tz: Tz, naive: NaiveDateTime) -> Option<Time> {
    tz.from_local_datetime(&naive).earliest().map(|d| d.with_timezone(&Utc))
}

/// An instant in the desk's zone, as `2026-10-12 17:00`.
#[must_use]
pub fn show(t: Time, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// An instant in the desk's zone, as RFC 3339 with the offset.
#[must_use]
pub fn rfc3339(t: Time, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn parses_the_forms_a_clerk_types() {
        let tz = chrono_tz::Asia::Shanghai;
        let now = at("2026-10-09T10:00:00+08:00");
        let p = |s| parse_time(s, now, tz, DateOnly::EndOfDay);
        assert_eq!(p("2026-10-12").unwrap(), at("2026-10-12T23:59:59+08:00"));
        assert_eq!(p("2026-10-12 17:00").unwrap(), at("2026-10-12T17:00:00+08:00"));
        assert_eq!(p("2026-10-12T17:00:00Z").unwrap(), at("2026-10-13T01:00:00+08:00"));
        assert_eq!(p("+2d").unwrap(), at("2026-10-11T10:00:00+08:00"));
        assert_eq!(p("+4h").unwrap(), at("2026-10-09T14:00:00+08:00"));
        assert_eq!(p("tomorrow").unwrap(), at("2026-10-10T23:59:59+08:00"));
        for same in [
            "2026/10/12",
            "2026.10.12",
            "10月12日",
            "2026年10月12日",
            "2026/10/12 23:59:59",
        ] {
            assert_eq!(p(same).unwrap(), at("2026-10-12T23:59:59+08:00"), "{same}");
        }
        assert_eq!(p("2026年1月5日 8:30").unwrap(), at("2026-01-05T08:30:00+08:00"));
        assert_eq!(p("2026/1/5 08:30").unwrap(), at("2026-01-05T08:30:00+08:00"));
        assert_eq!(
            parse_time("2026-10-01", now, tz, DateOnly::StartOfDay).unwrap(),
            at("2026-10-01T00:00:00+08:00")
        );
    }

    #[test]
    fn nonsense_is_refused_with_the_forms() {
        let now = at("2026-10-09T10:00:00+08:00");
        for bad in [
            "",
            "next week",
            "2026-13-01",
            "+2y",
            "+d",
            "2026-02-30",
            "2026/13/01",
            "13月1日",
            "2026年2月30日",
            "1.5",
        ] {
            let err = parse_time(bad, now, chrono_tz::Asia::Shanghai, DateOnly::EndOfDay).unwrap_err();
            assert!(err.to_string().contains("+2d"), "{bad}");
        }
    }
}
