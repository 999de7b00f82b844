//! Reports and statistics: every figure of domain.md's "Reports and statistics",
//! counted from report rows, then written as text, JSON, CSV or HTML.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::deadline::local_date;
use crate::domain::{Calendar, Time};
use crate::store::report::ReportRow;
use crate::words::{Lang, t, tf};

/// The counting maps of a report: a million rows hash a few million keys, and
/// the std hasher's DoS resistance buys nothing against the desk's own data.
type Fast<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

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

/// A share: how many of how many.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Counted.
    pub num: u64,
    /// Out of.
    pub den: u64,
}

impl Ratio {
    /// Percent, one decimal; `None` when there is nothing to count.
    #[must_use]
    pub fn pct(self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        (self.den > 0).then(|| (self.num as f64 * 1000.0 / self.den as f64).round() / 10.0)
    }

    fn text(self) -> String {
        self.pct()
            .map_or_else(|| "—".to_string(), |p| format!("{p:.1}% ({}/{})", self.num, self.den))
    }
}

/// One department's line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeptLine {
    /// Name.
    pub dept: String,
    /// Cases received.
    pub cases: u64,
    /// Replies made on time out of replies made or overdue.
    pub on_time: Ratio,
    /// Replies past due now (压单).
    pub overdue_now: u64,
    /// Urges (催办).
    pub urges: u64,
    /// Complaints found justified or partly justified.
    pub justified: u64,
}

/// A category rising against the previous period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HotSpot {
    /// Category.
    pub category: String,
    /// This period.
    pub now: u64,
    /// The previous period.
    pub before: u64,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The period.
    pub period: Period,
    /// Cases received.
    pub total: u64,
    /// Counts by channel, kind, category, department and severity (label → n).
    pub by_channel: Vec<(String, u64)>,
    #[allow(missing_docs)]
    pub by_kind: Vec<(String, u64)>,
    #[allow(missing_docs)]
    pub by_category: Vec<(String, u64)>,
    #[allow(missing_docs)]
    pub by_dept: Vec<(String, u64)>,
    #[allow(missing_docs)]
    pub by_severity: Vec<(String, u64)>,
    /// Every contact recorded: cases plus duty-log entries that ended, of all contacts.
    pub recorded: Ratio,
    /// Acknowledged (reply time promised, or answered) the same day.
    pub answered_in_time: Ratio,
    /// A result recorded.
    pub handled: Ratio,
    /// The complainant told the result.
    pub fed_back: Ratio,
    /// Return visits made, of cases fed back.
    pub visit_rate: Ratio,
    /// Return visits made or exempt by rule, of cases fed back.
    pub visit_coverage: Ratio,
    /// Satisfied or basically satisfied, of visit answers.
    pub satisfaction: Ratio,
    /// Department replies on time, of replies made or past due.
    pub on_time: Ratio,
    /// Open cases past due now (压单).
    pub overdue_now: u64,
    /// Urges made.
    pub urges: u64,
    /// By department.
    pub depts: Vec<DeptLine>,
    /// Justified complaints by category.
    pub justified_by_category: Vec<(String, u64)>,
    /// Cases flagged repeat.
    pub repeat: Ratio,
    /// Callers with more than one case (masked unless names are allowed).
    pub top_callers: Vec<(String, u64)>,
    /// Categories rising against the previous period.
    pub hot_spots: Vec<HotSpot>,
    /// Average working days from intake to closing.
    pub avg_wd_to_close: Option<f64>,
    /// Cases closed (of those received).
    pub closed: u64,
    /// Intake per day.
    pub daily: Vec<(NaiveDate, u64)>,
    /// Cases by owner — only when a supervisor asks for names.
    pub by_owner: Option<Vec<(String, u64)>>,
}

/// Names the report needs.
#[derive(Debug, Default)]
pub struct Labels {
    /// Department names by id.
    pub depts: HashMap<i64, String>,
    /// Category names by id.
    pub categories: HashMap<i64, String>,
    /// Staff names by id (used only when names are allowed).
    pub staff: HashMap<i64, String>,
}

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

fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// Counts the report. `previous` are the previous period's cases per category; `log` is
/// (duty-log entries, ended, became a case) in the period — an entry that
/// became a case is the same contact as the case, counted once.
#[allow(clippy::too_many_arguments)]
#[must_use]
pub fn build(
    rows: &mut dyn Iterator<Item = ReportRow>,
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
    let mut total = 0u64;
    let label = |prefix: &str, code: &str| t(lang, &format!("enum.{prefix}.{code}"));
    let dept_name = |d: Option<i64>| {
        d.and_then(|d| labels.depts.get(&d).cloned())
            .unwrap_or_else(|| t(lang, "report.none"))
    };
    let cat_name = |c: Option<i64>| {
        c.and_then(|c| labels.categories.get(&c).cloned())
            .unwrap_or_else(|| t(lang, "report.none"))
    };
    // Counted by code and id in the loop; labelled once at the end (a year at
    // a large desk is hundreds of thousands of rows).
    let mut by_channel: Fast<String, u64> = Fast::default();
    let mut by_kind: Fast<String, u64> = Fast::default();
    let mut by_severity: Fast<String, u64> = Fast::default();
    let mut by_category: Fast<Option<i64>, u64> = Fast::default();
    let mut depts: Fast<Option<i64>, DeptLine> = Fast::default();
    let mut justified_by_category: Fast<Option<i64>, u64> = Fast::default();
    let mut owners: Fast<i64, u64> = Fast::default();
    let mut callers: Fast<String, u64> = Fast::default();
    let mut daily: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let (mut answered, mut handled, mut fed_back, mut reached, mut exempt) = (0, 0, 0, 0, 0);
    let (mut ok, mut bad, mut on_time_num, mut on_time_den, mut overdue_now, mut urges) = (0, 0, 0, 0, 0, 0);
    let (mut repeat, mut closed, mut wd_sum, mut wd_n) = (0, 0, 0u64, 0u64);
    let mut day = period.from;
    while day < period.until {
        daily.insert(day, 0);
        day = day.checked_add_days(Days::new(1)).unwrap_or(period.until);
    }
    let mut day_cache: Option<(Time, Time, NaiveDate)> = None;
    let bump = |m: &mut Fast<String, u64>, k: &str| {
        if let Some(v) = m.get_mut(k) {
            *v += 1;
        } else {
            m.insert(k.to_string(), 1);
        }
    };
    for r in rows {
        total += 1;
        bump(&mut by_channel, r.channel);
        bump(&mut by_kind, r.kind);
        bump(&mut by_severity, r.severity);
        *by_category.entry(r.category).or_insert(0) += 1;
        // Rows come in time order: the local day changes rarely, so the zone
        // is consulted once per day, not once per row.
        let day = match day_cache {
            Some((start, end, d)) if r.received_at >= start && r.received_at < end => d,
            _ => {
                let d = local_date(tz, r.received_at);
                let start = period_day_start(tz, d);
                let end = period_day_start(tz, d.succ_opt().unwrap_or(d));
                day_cache = Some((start, end, d));
                d
            }
        };
        *daily.entry(day).or_insert(0) += 1;
        let line = depts.entry(r.dept).or_default();
        line.cases += 1;
        line.urges += u64::from(r.urges);
        urges += u64::from(r.urges);
        let late_now = r.reply_due.is_some_and(|d| d < now) && !r.closed;
        match (r.reply_on_time, late_now) {
            (Some(true), _) => {
                line.on_time.num += 1;
                line.on_time.den += 1;
                on_time_num += 1;
                on_time_den += 1;
            }
            (Some(false), _) | (None, true) => {
                line.on_time.den += 1;
                on_time_den += 1;
            }
            (None, false) => {}
        }
        if late_now {
            line.overdue_now += 1;
        }
        if !r.closed && r.next_due.is_some_and(|d| d < now) {
            overdue_now += 1;
        }
        if r.kind == "complaint" && matches!(r.verdict, Some("justified" | "partly")) {
            line.justified += 1;
            *justified_by_category.entry(r.category).or_insert(0) += 1;
        }
        answered += u64::from(r.ack_on_time == Some(true));
        handled += u64::from(r.has_result);
        fed_back += u64::from(r.has_feedback);
        if r.has_feedback {
            reached += u64::from(r.visit == Some("reached"));
            exempt += u64::from(r.visit == Some("exempt"));
        }
        ok += u64::from(r.visits_ok);
        bad += u64::from(r.visits_bad);
        repeat += u64::from(r.repeat);
        if r.closed {
            closed += 1;
        }
        if let Some(wd) = r.wd_to_close {
            wd_sum += u64::from(wd);
            wd_n += 1;
        }
        if names {
            *owners.entry(r.owner).or_insert(0) += 1;
        }
        if let Some(c) = &r.caller {
            bump(&mut callers, c);
        }
    }
    let labelled = |m: Fast<String, u64>, prefix: &str| -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for (code, n) in m {
            *out.entry(label(prefix, &code)).or_insert(0) += n;
        }
        out
    };
    let by_channel = labelled(by_channel, "channel");
    let by_kind = labelled(by_kind, "kind");
    let by_severity = labelled(by_severity, "severity");
    let mut by_dept: BTreeMap<String, u64> = BTreeMap::new();
    let mut dept_lines: BTreeMap<String, DeptLine> = BTreeMap::new();
    for (id, mut line) in depts {
        let name = dept_name(id);
        *by_dept.entry(name.clone()).or_insert(0) += line.cases;
        line.dept.clone_from(&name);
        dept_lines.insert(name, line);
    }
    let depts = dept_lines;
    let by_category: BTreeMap<String, u64> = {
        let mut out = BTreeMap::new();
        for (id, n) in by_category {
            *out.entry(cat_name(id)).or_insert(0) += n;
        }
        out
    };
    let justified_by_category: BTreeMap<String, u64> = {
        let mut out = BTreeMap::new();
        for (id, n) in justified_by_category {
            *out.entry(cat_name(id)).or_insert(0) += n;
        }
        out
    };
    let owners: BTreeMap<String, u64> = {
        let mut out = BTreeMap::new();
        for (id, n) in owners {
            *out.entry(labels.staff.get(&id).cloned().unwrap_or_default())
                .or_insert(0) += n;
        }
        out
    };
    // The most frequent callers first; names are looked up for a few only.
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
    let mut before: HashMap<String, u64> = HashMap::new();
    for (category, n) in previous {
        *before.entry(cat_name(*category)).or_insert(0) += n;
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
    #[allow(clippy::cast_precision_loss)]
    let avg_wd_to_close = (wd_n > 0).then(|| (wd_sum as f64 / wd_n as f64 * 10.0).round() / 10.0);
    Report {
        period,
        total,
        by_channel: sorted(by_channel),
        by_kind: sorted(by_kind),
        by_category: sorted(by_category),
        by_dept: sorted(by_dept),
        by_severity: sorted(by_severity),
        recorded: Ratio {
            num: total + log.1 - log.2,
            den: total + log.0 - log.2,
        },
        answered_in_time: Ratio {
            num: answered,
            den: total,
        },
        handled: Ratio {
            num: handled,
            den: total,
        },
        fed_back: Ratio {
            num: fed_back,
            den: total,
        },
        visit_rate: Ratio {
            num: reached,
            den: fed_back,
        },
        visit_coverage: Ratio {
            num: reached + exempt,
            den: fed_back,
        },
        satisfaction: Ratio { num: ok, den: ok + bad },
        on_time: Ratio {
            num: on_time_num,
            den: on_time_den,
        },
        overdue_now,
        urges,
        depts: {
            let mut v: Vec<DeptLine> = depts.into_values().collect();
            v.sort_by(|a, b| {
                b.overdue_now
                    .cmp(&a.overdue_now)
                    .then(b.cases.cmp(&a.cases))
                    .then(a.dept.cmp(&b.dept))
            });
            v
        },
        justified_by_category: sorted(justified_by_category),
        repeat: Ratio {
            num: repeat,
            den: total,
        },
        top_callers: top,
        hot_spots,
        avg_wd_to_close,
        closed,
        daily: daily.into_iter().collect(),
        by_owner: names.then(|| sorted(owners)),
    }
}

/// The first instant of local day `d`.
fn period_day_start(tz: Tz, d: NaiveDate) -> Time {
    Period { from: d, until: d }.instants(tz).0
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Plain text.
    Text,
    /// JSON.
    Json,
    /// CSV (UTF-8 with BOM, for Excel and LibreOffice).
    Csv,
    /// A printable HTML page.
    Html,
}

/// The report's figures as (section, item, value) rows, for text, CSV and HTML alike.
fn rows(r: &Report, lang: Lang) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let s = |k: &str| t(lang, k);
    let mut push = |sec: &str, item: String, val: String| out.push((s(sec), item, val));
    push("report.sec.summary", s("report.total"), r.total.to_string());
    push("report.sec.summary", s("report.closed"), r.closed.to_string());
    push("report.sec.summary", s("report.overdue_now"), r.overdue_now.to_string());
    push("report.sec.summary", s("report.urges"), r.urges.to_string());
    push(
        "report.sec.summary",
        s("report.avg_wd"),
        r.avg_wd_to_close.map_or_else(|| "—".into(), |x| format!("{x:.1}")),
    );
    for (k, v) in [
        ("report.recorded", r.recorded),
        ("report.answered_in_time", r.answered_in_time),
        ("report.handled", r.handled),
        ("report.fed_back", r.fed_back),
        ("report.visit_rate", r.visit_rate),
        ("report.visit_coverage", r.visit_coverage),
        ("report.satisfaction", r.satisfaction),
        ("report.on_time", r.on_time),
        ("report.repeat_rate", r.repeat),
    ] {
        push("report.sec.rates", s(k), v.text());
    }
    for (sec, list) in [
        ("report.sec.channel", &r.by_channel),
        ("report.sec.kind", &r.by_kind),
        ("report.sec.category", &r.by_category),
        ("report.sec.dept", &r.by_dept),
        ("report.sec.severity", &r.by_severity),
        ("report.sec.justified", &r.justified_by_category),
        ("report.sec.callers", &r.top_callers),
    ] {
        for (k, v) in list {
            push(sec, k.clone(), v.to_string());
        }
    }
    for d in &r.depts {
        push(
            "report.sec.depts",
            d.dept.clone(),
            tf(
                lang,
                "report.dept_line",
                &[
                    ("cases", d.cases.to_string()),
                    ("on_time", d.on_time.text()),
                    ("overdue", d.overdue_now.to_string()),
                    ("urges", d.urges.to_string()),
                    ("justified", d.justified.to_string()),
                ],
            ),
        );
    }
    for h in &r.hot_spots {
        push(
            "report.sec.hot",
            h.category.clone(),
            format!("{} → {}", h.before, h.now),
        );
    }
    if let Some(owners) = &r.by_owner {
        for (k, v) in owners {
            push("report.sec.owner", k.clone(), v.to_string());
        }
    }
    out
}

/// The report as text, JSON, CSV or HTML.
#[must_use]
pub fn render(r: &Report, lang: Lang, format: ReportFormat) -> String {
    let title = tf(
        lang,
        "report.title",
        &[
            ("from", r.period.from.to_string()),
            ("until", r.period.until.pred_opt().unwrap_or(r.period.until).to_string()),
        ],
    );
    let lines = rows(r, lang);
    match format {
        ReportFormat::Json => serde_json::to_string_pretty(r).unwrap_or_default(),
        ReportFormat::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let _ = w.write_record([
                t(lang, "report.col.section"),
                t(lang, "report.col.item"),
                t(lang, "report.col.value"),
            ]);
            for (a, b, c) in &lines {
                let _ = w.write_record([a, b, c]);
            }
            let body = w.into_inner().unwrap_or_default();
            // The BOM makes Excel read UTF-8, so Chinese text opens correctly.
            format!("\u{feff}{}", String::from_utf8_lossy(&body))
        }
        ReportFormat::Text => {
            let mut out = format!("{title}\n{}\n", "=".repeat(crate::words::width::width(&title)));
            let mut last = String::new();
            for (sec, item, val) in &lines {
                if *sec != last {
                    out.push_str(&format!("\n{sec}\n"));
                    last.clone_from(sec);
                }
                out.push_str(&format!("  {} {val}\n", crate::words::width::pad(item, 24)));
            }
            out.push_str(&format!(
                "\n{}\n  {}\n",
                t(lang, "report.sec.daily"),
                sparkline(&r.daily)
            ));
            out
        }
        ReportFormat::Html => {
            let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            let mut out = format!(
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title>\n<style>body{{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em}}table{{border-collapse:collapse;margin-bottom:1em}}td,th{{border:1px solid #999;padding:.2em .6em;text-align:left}}@media print{{body{{margin:1cm}}}}</style></head><body>\n<h1>{t}</h1>\n",
                t = esc(&title)
            );
            let mut last = String::new();
            for (sec, item, val) in &lines {
                if *sec != last {
                    if !last.is_empty() {
                        out.push_str("</table>\n");
                    }
                    out.push_str(&format!("<h2>{}</h2>\n<table>\n", esc(sec)));
                    last.clone_from(sec);
                }
                out.push_str(&format!("<tr><th>{}</th><td>{}</td></tr>\n", esc(item), esc(val)));
            }
            if !last.is_empty() {
                out.push_str("</table>\n");
            }
            out.push_str("</body></html>\n");
            out
        }
    }
}

/// Daily intake as a one-line sparkline.
#[must_use]
pub fn sparkline(daily: &[(NaiveDate, u64)]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = daily.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    daily
        .iter()
        .map(|(_, n)| BARS[usize::try_from(n * 7 / max).unwrap_or(0).min(7)])
        .collect()
}
