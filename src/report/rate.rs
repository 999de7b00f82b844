//! Complaint rates (004: 百万用户申诉率): a period's cases per 10,000 and
//! per million of its base — outpatient visits, households, subscribers,
//! kept per month in the desk. A period of several months sums its months'
//! bases; a month without one, or a period that is not whole months, has no
//! rate, and the report says why instead of inventing one.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use super::{Period, Ratio, Report};
use crate::domain::Kind;
use crate::words::{Lang, t};

/// Where a period's base comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseSource {
    /// Given for this one report (`--base N`).
    Given(u64),
    /// The months of the period (`YYYY-MM`) with the base each has, if any.
    Months(Vec<(String, Option<u64>)>),
    /// The period is not whole months: a month's base does not fit it.
    NotWholeMonths,
}

/// One month of the period and its base.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthBase {
    /// `YYYY-MM`.
    pub month: String,
    /// Its base, if one was set.
    pub base: Option<u64>,
}

/// A count beside its share and its rates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RateLine {
    /// The kind's code; `None` for all cases.
    pub kind: Option<&'static str>,
    /// What is counted, in the report's language.
    pub item: String,
    /// How many in the period.
    pub count: u64,
    /// Percent of all cases in the period.
    pub share: Option<f64>,
    /// Per 10,000 of the base (two decimals); `None` without a base.
    pub per_10k: Option<f64>,
    /// Per million of the base (two decimals); `None` without a base.
    pub per_million: Option<f64>,
    /// The previous period's count.
    pub previous_count: Option<u64>,
    /// The previous period's rate per 10,000, when it had a base.
    pub previous_per_10k: Option<f64>,
    /// … and per million.
    pub previous_per_million: Option<f64>,
}

/// The period's rates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rate {
    /// What the base counts (the policy's `base_label`, or "base").
    pub base_label: String,
    /// The period's base: given, or the sum of its months' when each has one.
    pub base: Option<u64>,
    /// The base was given for this report (`--base`).
    pub given: bool,
    /// The period is whole months (a month's base fits it).
    pub whole_months: bool,
    /// The period's months and their bases (none when given or not whole months).
    pub months: Vec<MonthBase>,
    /// Months of the period without a base: no rate until they have one.
    pub missing: Vec<String>,
    /// All cases, then each kind received: count, share and rates.
    pub lines: Vec<RateLine>,
    /// The previous period's base (its months' sum, when each has one).
    pub previous_base: Option<u64>,
}

/// A month as `YYYY-MM`, typed as `2026-11`, `2026-1` or `2026/11`.
#[must_use]
pub fn parse_month(text: &str) -> Option<String> {
    let (y, m) = text.trim().split_once(['-', '/'])?;
    let (y, m): (i32, u32) = (y.trim().parse().ok()?, m.trim().parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, 1).filter(|_| (1000..=9999).contains(&y))?;
    Some(format!("{y:04}-{m:02}"))
}

/// The months a period covers, when it is whole months (from a 1st to a 1st).
#[must_use]
pub fn months_of(period: Period) -> Option<Vec<String>> {
    if period.from.day() != 1 || period.until.day() != 1 || period.until <= period.from {
        return None;
    }
    let mut months = Vec::new();
    let mut m = period.from;
    while m < period.until {
        months.push(format!("{:04}-{:02}", m.year(), m.month()));
        m = m.checked_add_months(Months::new(1))?;
    }
    Some(months)
}

/// The report's rates against the base from `source`.
#[must_use]
pub fn rate(r: &Report, source: BaseSource, label: &str, lang: Lang) -> Rate {
    let base_label = if label.trim().is_empty() {
        t(lang, "report.rate.base")
    } else {
        label.trim().to_string()
    };
    let (base, given, whole_months, months) = match source {
        BaseSource::Given(n) => (Some(n).filter(|n| *n > 0), true, true, Vec::new()),
        BaseSource::NotWholeMonths => (None, false, false, Vec::new()),
        BaseSource::Months(list) => {
            let sum = list.iter().map(|(_, b)| *b).sum::<Option<u64>>().filter(|n| *n > 0);
            let months = list
                .into_iter()
                .map(|(month, base)| MonthBase { month, base })
                .collect();
            (sum, false, true, months)
        }
    };
    let missing = months
        .iter()
        .filter(|m: &&MonthBase| m.base.is_none())
        .map(|m| m.month.clone())
        .collect();
    let line = |kind: Option<Kind>, item: String, count: u64| RateLine {
        kind: kind.map(Kind::code),
        item,
        count,
        share: Ratio {
            num: count,
            den: r.total,
        }
        .pct(),
        per_10k: base.map(|b| per(count, b, 10_000.0)),
        per_million: base.map(|b| per(count, b, 1_000_000.0)),
        previous_count: None,
        previous_per_10k: None,
        previous_per_million: None,
    };
    let mut lines = vec![line(None, t(lang, "report.total"), r.total)];
    for kind in Kind::ALL {
        let label = t(lang, &kind.label_key());
        if let Some((_, n)) = r.by_kind.iter().find(|(l, _)| *l == label) {
            lines.push(line(Some(*kind), label, *n));
        }
    }
    Rate {
        base_label,
        base,
        given,
        whole_months,
        months,
        missing,
        lines,
        previous_base: None,
    }
}

/// Puts the previous period beside each line (003's quarterly summary
/// compares periods): its count (`by_kind`: cases per kind code) and, when
/// its months all have a base, its rates.
pub fn compare(rate: &mut Rate, by_kind: &std::collections::BTreeMap<String, u64>, base: Option<u64>) {
    let base = base.filter(|b| *b > 0);
    rate.previous_base = base;
    for line in &mut rate.lines {
        let count = match line.kind {
            Some(k) => by_kind.get(k).copied().unwrap_or(0),
            None => by_kind.values().sum(),
        };
        line.previous_count = Some(count);
        line.previous_per_10k = base.map(|b| per(count, b, 10_000.0));
        line.previous_per_million = base.map(|b| per(count, b, 1_000_000.0));
    }
}

/// `count` per `unit` of `base`, to two decimals.
fn per(count: u64, base: u64, unit: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let x = count as f64 * unit / base as f64;
    (x * 100.0).round() / 100.0
}

/// `n` with its thousands grouped: `152,000`.
#[must_use]
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_are_typed_loosely_and_kept_as_yyyy_mm() {
        assert_eq!(parse_month("2026-11").as_deref(), Some("2026-11"));
        assert_eq!(parse_month(" 2026-1 ").as_deref(), Some("2026-01"));
        assert_eq!(parse_month("2026/12").as_deref(), Some("2026-12"));
        for bad in ["2026-13", "2026", "11-2026", "二〇二六年十一月", "26-11"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_period_of_whole_months_names_them_and_any_other_none() {
        let quarter = Period {
            from: day("2026-10-01"),
            until: day("2027-01-01"),
        };
        assert_eq!(months_of(quarter).unwrap(), ["2026-10", "2026-11", "2026-12"]);
        let week = Period {
            from: day("2026-11-09"),
            until: day("2026-11-16"),
        };
        assert_eq!(months_of(week), None);
    }

    #[test]
    fn rates_are_per_ten_thousand_and_per_million_to_two_decimals() {
        assert!((per(42, 152_000, 10_000.0) - 2.76).abs() < 1e-9);
        assert!((per(42, 152_000, 1_000_000.0) - 276.32).abs() < 1e-9);
        assert_eq!(grouped(152_000), "152,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
