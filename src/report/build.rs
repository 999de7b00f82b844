//! Counting a report: one pass over the period's rows, by code and id; then
//! names, shares, rankings and the rising categories.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use chrono_tz::Tz;

use super::period::period_day_start;
use super::{DeptLine, HotSpot, Labels, Period, Ratio, Report};
use crate::domain::deadline::local_date;
use crate::domain::{Calendar, Time};
use crate::domain::{Kind, Verdict};
use crate::store::case_depts::DeptPart;
use crate::store::report::ReportRow;
use crate::words::{Lang, t};

/// The counting maps of a report: a million rows hash a few million keys, and
/// the std hasher's DoS resistance buys nothing against the desk's own data.
type Fast<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Counts the report. `previous` are the previous period's cases per category; `log` is
/// (duty-log entries, ended, became a case) in the period — an entry that
/// became a case is the same contact as the case, counted once.
#[allow(clippy::too_many_arguments)]
#[must_use]
pub fn build(
    rows: &mut dyn Iterator<Item = ReportRow>,
    parts: &[DeptPart],
    previous: &[(Option<i64>, u64)],
    caller_name: &dyn Fn(&str) -> Option<String>,
    log: (u64, u64, u64),
    period: Period,
    labels: &Labels,
    names: bool,
    lang: Lang,
    tz: Tz,
    now: Time,
    _calendar: &Calendar,
) -> Report {
    let mut tally = Tally::new(period);
    for r in rows {
        tally.add(&r, tz, now, names);
    }
    let mut seen = std::collections::HashSet::new();
    for p in parts {
        tally.add_part(p, now, &mut seen);
    }
    let namer = Namer { labels, lang };
    let top_callers = top_callers(std::mem::take(&mut tally.callers), names, caller_name);
    tally.report(period, log, previous, &namer, names, top_callers)
}

/// What one pass over the rows counts: by code and id, labelled once at the
/// end (a year at a large desk is hundreds of thousands of rows).
#[derive(Default)]
struct Tally {
    total: u64,
    by_channel: Fast<String, u64>,
    by_kind: Fast<String, u64>,
    by_severity: Fast<String, u64>,
    by_category: Fast<Option<i64>, u64>,
    depts: Fast<Option<i64>, DeptLine>,
    justified_by_category: Fast<Option<i64>, u64>,
    owners: Fast<i64, u64>,
    callers: Fast<String, u64>,
    daily: BTreeMap<NaiveDate, u64>,
    answered: u64,
    handled: u64,
    fed_back: u64,
    reached: u64,
    exempt: u64,
    visits_ok: u64,
    visits_bad: u64,
    on_time: Ratio,
    overdue_now: u64,
    urges: u64,
    repeat: u64,
    closed: u64,
    wd_sum: u64,
    wd_n: u64,
    /// The last row's local day and its bounds.
    day_cache: Option<(Time, Time, NaiveDate)>,
}

/// Adds one to `k`'s count, allocating the key only the first time.
fn bump(m: &mut Fast<String, u64>, k: &str) {
    if let Some(v) = m.get_mut(k) {
        *v += 1;
    } else {
        m.insert(k.to_string(), 1);
    }
}

impl Tally {
    /// Nothing counted yet; every day of the period at zero.
    fn new(period: Period) -> Tally {
        let mut tally = Tally::default();
        let mut day = period.from;
        while day < period.until {
            tally.daily.insert(day, 0);
            day = day.checked_add_days(Days::new(1)).unwrap_or(period.until);
        }
        tally
    }

    /// Counts one row.
    fn add(&mut self, r: &ReportRow, tz: Tz, now: Time, names: bool) {
        self.total += 1;
        bump(&mut self.by_channel, r.channel);
        bump(&mut self.by_kind, r.kind);
        bump(&mut self.by_severity, r.severity);
        *self.by_category.entry(r.category).or_insert(0) += 1;
        let day = self.local_day(tz, r.received_at);
        *self.daily.entry(day).or_insert(0) += 1;
        self.add_to_dept(r, now);
        if !r.closed && r.next_due.is_some_and(|d| d < now) {
            self.overdue_now += 1;
        }
        self.answered += u64::from(r.ack_on_time == Some(true));
        self.handled += u64::from(r.has_result);
        self.fed_back += u64::from(r.has_feedback);
        if r.has_feedback {
            self.reached += u64::from(r.visit == Some("reached"));
            self.exempt += u64::from(r.visit == Some("exempt"));
        }
        self.visits_ok += u64::from(r.visits_ok);
        self.visits_bad += u64::from(r.visits_bad);
        self.repeat += u64::from(r.repeat);
        if r.closed {
            self.closed += 1;
        }
        if let Some(wd) = r.wd_to_close {
            self.wd_sum += u64::from(wd);
            self.wd_n += 1;
        }
        if names {
            *self.owners.entry(r.owner).or_insert(0) += 1;
        }
        if let Some(c) = &r.caller {
            bump(&mut self.callers, c);
        }
    }

    /// The local day of `at`. Rows come in time order: the local day changes
    /// rarely, so the zone is consulted once per day, not once per row.
    fn local_day(&mut self, tz: Tz, at: Time) -> NaiveDate {
        match self.day_cache {
            Some((start, end, d)) if at >= start && at < end => d,
            _ => {
                let d = local_date(tz, at);
                let start = period_day_start(tz, d);
                let end = period_day_start(tz, d.succ_opt().unwrap_or(d));
                self.day_cache = Some((start, end, d));
                d
            }
        }
    }

    /// Counts the row in the desk's totals of urges, replies on time or late
    /// and justified complaints, and — when it was never assigned — in its
    /// department's line (an assigned case's lines are its departments' parts).
    fn add_to_dept(&mut self, r: &ReportRow, now: Time) {
        let mut unassigned = DeptLine::default();
        let line = if r.assigned {
            &mut unassigned
        } else {
            self.depts.entry(r.dept).or_default()
        };
        line.cases += 1;
        line.urges += u64::from(r.urges);
        self.urges += u64::from(r.urges);
        let late_now = r.reply_due.is_some_and(|d| d < now) && !r.closed;
        match (r.reply_on_time, late_now) {
            (Some(true), _) => {
                line.on_time.num += 1;
                line.on_time.den += 1;
                self.on_time.num += 1;
                self.on_time.den += 1;
            }
            (Some(false), _) | (None, true) => {
                line.on_time.den += 1;
                self.on_time.den += 1;
            }
            (None, false) => {}
        }
        if late_now {
            line.overdue_now += 1;
        }
        if r.kind == "complaint" && matches!(r.verdict, Some("justified" | "partly")) {
            line.justified += 1;
            *self.justified_by_category.entry(r.category).or_insert(0) += 1;
        }
    }

    /// Counts one department's part in an assigned case in that department's
    /// line: a case of two departments is in both, each with its own clock,
    /// urges and verdict. `seen` counts a case once per department over rounds.
    fn add_part(&mut self, p: &DeptPart, now: Time, seen: &mut std::collections::HashSet<(i64, i64)>) {
        let line = self.depts.entry(Some(p.dept)).or_default();
        if seen.insert((p.case_id, p.dept)) {
            line.cases += 1;
        }
        line.urges += u64::from(p.urges);
        let late_now = p.done_at.is_none() && !p.closed && p.due.is_some_and(|d| d < now);
        match (p.done_at, p.due) {
            (Some(done), Some(due)) if !p.released => {
                line.on_time.den += 1;
                line.on_time.num += u64::from(done <= due);
            }
            _ if late_now => line.on_time.den += 1,
            _ => {}
        }
        line.overdue_now += u64::from(late_now);
        if p.kind == Kind::Complaint && p.verdict.is_some_and(Verdict::needs_measures) {
            line.justified += 1;
        }
    }

    /// The counts named, ranked and turned into the report.
    fn report(
        self,
        period: Period,
        log: (u64, u64, u64),
        previous: &[(Option<i64>, u64)],
        namer: &Namer<'_>,
        names: bool,
        top_callers: Vec<(String, u64)>,
    ) -> Report {
        let total = self.total;
        let by_category = namer.by_category(self.by_category);
        let hot_spots = hot_spots(&by_category, previous, namer);
        let (by_dept, depts) = dept_lines(self.depts, namer);
        let owners: BTreeMap<String, u64> = {
            let mut out = BTreeMap::new();
            for (id, n) in self.owners {
                *out.entry(namer.labels.staff.get(&id).cloned().unwrap_or_default())
                    .or_insert(0) += n;
            }
            out
        };
        #[allow(clippy::cast_precision_loss)]
        let avg_wd_to_close = (self.wd_n > 0).then(|| (self.wd_sum as f64 / self.wd_n as f64 * 10.0).round() / 10.0);
        let of_total = |num: u64| Ratio { num, den: total };
        Report {
            period,
            filter: super::ReportScope::default(),
            total,
            by_channel: sorted(namer.labelled(self.by_channel, "channel")),
            by_kind: sorted(namer.labelled(self.by_kind, "kind")),
            by_category: sorted(by_category),
            by_dept: sorted(by_dept),
            by_severity: sorted(namer.labelled(self.by_severity, "severity")),
            recorded: Ratio {
                num: total + log.1 - log.2,
                den: total + log.0 - log.2,
            },
            answered_in_time: of_total(self.answered),
            handled: of_total(self.handled),
            fed_back: of_total(self.fed_back),
            visit_rate: Ratio {
                num: self.reached,
                den: self.fed_back,
            },
            visit_coverage: Ratio {
                num: self.reached + self.exempt,
                den: self.fed_back,
            },
            satisfaction: Ratio {
                num: self.visits_ok,
                den: self.visits_ok + self.visits_bad,
            },
            on_time: self.on_time,
            overdue_now: self.overdue_now,
            urges: self.urges,
            depts,
            justified_by_category: sorted(namer.by_category(self.justified_by_category)),
            repeat: of_total(self.repeat),
            top_callers,
            hot_spots,
            avg_wd_to_close,
            closed: self.closed,
            daily: self.daily.into_iter().collect(),
            by_owner: names.then(|| sorted(owners)),
            late: super::LateEntries::default(),
            batches: super::BatchCount::default(),
            persons: Vec::new(),
            rate: None,
            responsibility: None,
        }
    }
}

/// The names a report shows for codes and ids, in the clerk's language.
struct Namer<'a> {
    labels: &'a Labels,
    lang: Lang,
}

impl Namer<'_> {
    /// A department's name, or "none".
    fn dept(&self, d: Option<i64>) -> String {
        d.and_then(|d| self.labels.depts.get(&d).cloned())
            .unwrap_or_else(|| t(self.lang, "report.none"))
    }

    /// A category's name, or "none".
    fn category(&self, c: Option<i64>) -> String {
        c.and_then(|c| self.labels.categories.get(&c).cloned())
            .unwrap_or_else(|| t(self.lang, "report.none"))
    }

    /// Counts by code as counts by the codes' labels (`enum.{prefix}.{code}`).
    fn labelled(&self, m: Fast<String, u64>, prefix: &str) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for (code, n) in m {
            *out.entry(t(self.lang, &format!("enum.{prefix}.{code}"))).or_insert(0) += n;
        }
        out
    }

    /// Counts by category id as counts by category name.
    fn by_category(&self, m: Fast<Option<i64>, u64>) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for (id, n) in m {
            *out.entry(self.category(id)).or_insert(0) += n;
        }
        out
    }
}

/// The departments' lines by name, and cases by department name; lines with
/// most overdue first, then most cases.
fn dept_lines(depts: Fast<Option<i64>, DeptLine>, namer: &Namer<'_>) -> (BTreeMap<String, u64>, Vec<DeptLine>) {
    let mut by_dept: BTreeMap<String, u64> = BTreeMap::new();
    let mut dept_lines: BTreeMap<String, DeptLine> = BTreeMap::new();
    for (id, mut line) in depts {
        let name = namer.dept(id);
        *by_dept.entry(name.clone()).or_insert(0) += line.cases;
        line.dept.clone_from(&name);
        dept_lines.insert(name, line);
    }
    let mut lines: Vec<DeptLine> = dept_lines.into_values().collect();
    lines.sort_by(|a, b| {
        b.overdue_now
            .cmp(&a.overdue_now)
            .then(b.cases.cmp(&a.cases))
            .then(a.dept.cmp(&b.dept))
    });
    (by_dept, lines)
}

/// The ten most frequent callers with more than one case, masked unless
/// names are allowed. Names are looked up for a few only.
fn top_callers(
    callers: Fast<String, u64>,
    names: bool,
    caller_name: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, u64)> {
    let mut candidates: Vec<(String, u64)> = callers.into_iter().filter(|(_, n)| *n > 1).collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    candidates.truncate(50);
    let mut top: Vec<(String, u64)> = candidates
        .into_iter()
        .map(|(key, n)| {
            let shown = if names {
                format!("{} {key}", caller_name(&key).unwrap_or_default())
            } else {
                mask(&key)
            };
            (shown, n)
        })
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(10);
    top
}

/// The five categories that rose most against the previous period.
fn hot_spots(by_category: &BTreeMap<String, u64>, previous: &[(Option<i64>, u64)], namer: &Namer<'_>) -> Vec<HotSpot> {
    let mut before: HashMap<String, u64> = HashMap::new();
    for (category, n) in previous {
        *before.entry(namer.category(*category)).or_insert(0) += n;
    }
    let mut hot_spots: Vec<HotSpot> = by_category
        .iter()
        .map(|(c, n)| HotSpot {
            category: c.clone(),
            now: *n,
            before: before.get(c).copied().unwrap_or(0),
        })
        .filter(|h| h.now > h.before)
        .collect();
    hot_spots.sort_by(|a, b| {
        (b.now - b.before)
            .cmp(&(a.now - a.before))
            .then(a.category.cmp(&b.category))
    });
    hot_spots.truncate(5);
    hot_spots
}

/// A caller shown without giving them away: a phone's first three and last
/// four digits, else a name's first character.
fn mask(caller: &str) -> String {
    let chars: Vec<char> = caller.chars().collect();
    if chars.iter().all(char::is_ascii_digit) && chars.len() >= 7 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        chars.first().map_or_else(String::new, |c| format!("{c}**"))
    }
}

/// Counts, largest first (then by name).
fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
