//! A report written out: text, JSON, CSV, HTML or Markdown, from the same (section, item, value) rows.

use chrono::NaiveDate;

use super::{Ratio, Report};
use crate::words::{Lang, t, tf};

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
    /// Markdown: a table per section.
    Md,
    /// An xlsx workbook, a worksheet per section (binary: see [`super::render_bytes`]).
    Xlsx,
}

impl Ratio {
    /// Percent with the counts, or a dash when there is nothing to count.
    pub(super) fn text(self) -> String {
        self.pct()
            .map_or_else(|| "—".to_string(), |p| format!("{p:.1}% ({}/{})", self.num, self.den))
    }
}

/// The report's title: its period, and what it is filtered to (department,
/// category, kind, channel) when it is not the whole desk.
#[must_use]
pub fn title(r: &Report, lang: Lang) -> String {
    let mut out = tf(
        lang,
        "report.title",
        &[
            ("from", r.period.from.to_string()),
            ("until", r.period.until.pred_opt().unwrap_or(r.period.until).to_string()),
        ],
    );
    let f = &r.filter;
    let named = [
        ("report.filter.dept", f.dept.clone()),
        ("report.filter.category", f.category.clone()),
        (
            "report.filter.kind",
            f.kind.as_ref().map(|k| t(lang, &format!("enum.kind.{k}"))),
        ),
        (
            "report.filter.channel",
            f.channel.as_ref().map(|c| t(lang, &format!("enum.channel.{c}"))),
        ),
    ];
    for (key, value) in named {
        if let Some(v) = value {
            out.push_str(&t(lang, "report.filter.sep"));
            out.push_str(&tf(lang, key, &[("v", v)]));
        }
    }
    out
}

/// The report's figures as (section, item, value) rows, for text, CSV and HTML alike.
#[must_use]
pub fn rows(r: &Report, lang: Lang) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let s = |k: &str| t(lang, k);
    let mut push = |sec: &str, item: String, val: String| out.push((s(sec), item, val));
    push("report.sec.summary", s("report.total"), r.total.to_string());
    push("report.sec.summary", s("report.closed"), r.closed.to_string());
    push("report.sec.summary", s("report.overdue_now"), r.overdue_now.to_string());
    push("report.sec.summary", s("report.urges"), r.urges.to_string());
    push("report.sec.summary", s("report.late"), r.late.total.to_string());
    push(
        "report.sec.summary",
        s("report.batches"),
        crate::words::tf(
            lang,
            "report.batches_value",
            &[
                ("incidents", r.batches.incidents.to_string()),
                ("members", r.batches.members.to_string()),
            ],
        ),
    );
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
    if let Some(rate) = &r.rate {
        for (item, value) in rate_rows(rate, lang) {
            push("report.sec.rate", item, value);
        }
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
    for p in &r.persons {
        let mut parts: Vec<String> = p.dept.iter().cloned().collect();
        if let Some(j) = &p.job_number {
            parts.push(tf(lang, "subject.job", &[("job", j.clone())]));
        }
        if !p.listed {
            parts.push(t(lang, "subject.unlisted"));
        }
        let item = if parts.is_empty() {
            p.name.clone()
        } else {
            tf(
                lang,
                "subject.with",
                &[("name", p.name.clone()), ("parts", parts.join(&t(lang, "subject.sep")))],
            )
        };
        push("report.sec.persons", item, p.complaints.to_string());
    }
    if let Some(owners) = &r.by_owner {
        for (k, v) in owners {
            push("report.sec.owner", k.clone(), v.to_string());
        }
    }
    if let Some(liable) = &r.responsibility {
        for (sec, item, value) in liable_rows(liable, lang) {
            push(sec, item, value);
        }
    }
    for (k, v) in &r.late.by_step {
        push("report.sec.late_step", k.clone(), v.to_string());
    }
    for (k, v) in r.late.by_clerk.iter().flatten() {
        push("report.sec.late_clerk", k.clone(), v.to_string());
    }
    out
}

/// The rate section's rows: the base (or why there is none), then each
/// count beside its share and its rates.
pub(super) fn rate_rows(rate: &super::Rate, lang: Lang) -> Vec<(String, String)> {
    let label = rate.base_label.clone();
    let base = match (rate.base, rate.given, rate.whole_months) {
        (Some(n), true, _) => tf(lang, "report.rate.given", &[("n", super::grouped(n))]),
        (Some(n), false, _) => {
            let months: Vec<&str> = rate.months.iter().map(|m| m.month.as_str()).collect();
            let span = match months.as_slice() {
                [one] => (*one).to_string(),
                [first, .., last] => tf(
                    lang,
                    "report.rate.span",
                    &[("from", (*first).to_string()), ("to", (*last).to_string())],
                ),
                [] => String::new(),
            };
            tf(
                lang,
                "report.rate.months",
                &[("n", super::grouped(n)), ("months", span)],
            )
        }
        (None, _, false) => t(lang, "report.rate.not_whole_months"),
        (None, _, true) => tf(
            lang,
            "report.rate.missing",
            &[
                ("months", rate.missing.join("、")),
                ("first", rate.missing.first().cloned().unwrap_or_default()),
            ],
        ),
    };
    let mut rows = vec![(label, base)];
    // Without a base the row above says why there is no rate; the counts
    // and shares are the kinds' already.
    for line in &rate.lines {
        let (Some(a), Some(b)) = (line.per_10k, line.per_million) else {
            continue;
        };
        let share = line.share.map_or_else(|| "—".to_string(), |p| format!("{p:.1}%"));
        let mut value = tf(
            lang,
            "report.rate.line",
            &[
                ("count", line.count.to_string()),
                ("share", share),
                ("per_10k", format!("{a:.2}")),
                ("per_million", format!("{b:.2}")),
            ],
        );
        if let Some(before) = previous_rate(line, lang) {
            value = format!("{value}{}{before}", t(lang, "report.sep"));
        }
        rows.push((line.item.clone(), value));
    }
    rows
}

/// The previous period beside a rate line, when both periods have a base:
/// its count, its rate per 10,000 and the change.
fn previous_rate(line: &super::RateLine, lang: Lang) -> Option<String> {
    let (now, before) = (line.per_10k?, line.previous_per_10k?);
    Some(tf(
        lang,
        "report.rate.previous",
        &[
            ("count", line.previous_count.unwrap_or(0).to_string()),
            ("per_10k", format!("{before:.2}")),
            ("change", format!("{:+.2}", now - before)),
        ],
    ))
}

/// The responsibility section's rows: per department (tiers, penalties,
/// late replies), then per person (tiers, penalties).
fn liable_rows(r: &super::Responsibility, lang: Lang) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let line = |l: &super::Liable, dept: bool| {
        let mut parts = Vec::new();
        if l.graded() > 0 {
            parts.push(tf(
                lang,
                "report.liable_tiers",
                &[
                    ("light", l.light.to_string()),
                    ("medium", l.medium.to_string()),
                    ("severe", l.severe.to_string()),
                ],
            ));
            if r.penalties {
                parts.push(tf(
                    lang,
                    "report.liable_money",
                    &[
                        ("yuan", l.yuan.to_string()),
                        ("points", l.points.to_string()),
                        ("joint", l.joint_yuan.to_string()),
                    ],
                ));
            }
        }
        if dept && l.late_replies > 0 {
            let args = [
                ("n", l.late_replies.to_string()),
                ("days", l.late_days.to_string()),
                ("yuan", l.late_yuan.to_string()),
            ];
            let key = if r.penalties {
                "report.liable_late_money"
            } else {
                "report.liable_late"
            };
            parts.push(tf(lang, key, &args));
        }
        parts.join(&t(lang, "report.sep"))
    };
    for l in &r.depts {
        out.push(("report.sec.liable_dept", l.name.clone(), line(l, true)));
    }
    for l in &r.persons {
        out.push(("report.sec.liable_person", l.name.clone(), line(l, false)));
    }
    out
}

/// The report as a page: text, JSON, HTML or Markdown (CSV and xlsx are
/// tables of figures: `super::sheets`; `super::render` sends them there);
/// `organisation` heads the HTML page ("" = none).
#[must_use]
pub(super) fn page(r: &Report, lang: Lang, format: ReportFormat, organisation: &str) -> String {
    let title = title(r, lang);
    let lines = rows(r, lang);
    match format {
        ReportFormat::Json => {
            // The report's fields, and its title as the other formats show it.
            let mut value = serde_json::to_value(r).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.insert("title".into(), serde_json::Value::String(title));
            }
            serde_json::to_string_pretty(&value).unwrap_or_default()
        }
        ReportFormat::Text | ReportFormat::Csv | ReportFormat::Xlsx => {
            let title = crate::words::visible(&title);
            let lines: Vec<_> = lines
                .iter()
                .map(|(a, b, c)| {
                    let shown = |s: &str| crate::words::visible_line(s).into_owned();
                    (shown(a), shown(b), shown(c))
                })
                .collect();
            let mut out = format!("{title}\n{}\n", "=".repeat(crate::words::width::width(&title)));
            let mut last = String::new();
            for (sec, item, val) in &lines {
                if *sec != last {
                    out.push_str(&format!("\n{sec}\n"));
                    last.clone_from(sec);
                }
                // A label longer than the column is written whole, its value after it.
                out.push_str(&format!("  {} {val}\n", pad_whole(item, 24)));
            }
            out.push_str(&format!(
                "\n{}\n  {}\n",
                t(lang, "report.sec.daily"),
                sparkline(&r.daily)
            ));
            out
        }
        ReportFormat::Md => markdown(r, lang, &title, &lines),
        ReportFormat::Html => super::paper::html(r, lang, organisation),
    }
}

/// The report as Markdown: its title, then a table per section; every
/// text's Markdown and HTML marks escaped, so it prints as itself.
fn markdown(r: &Report, lang: Lang, title: &str, lines: &[(String, String, String)]) -> String {
    let md = |s: &str| crate::words::terminal::markdown(&s.replace(['\n', '\r'], " "));
    let mut out = format!("# {}\n", md(title));
    let mut last = String::new();
    for (sec, item, val) in lines {
        if *sec != last {
            out.push_str(&format!(
                "\n## {}\n\n| {} | {} |\n| --- | --- |\n",
                md(sec),
                md(&t(lang, "report.col.item")),
                md(&t(lang, "report.col.value"))
            ));
            last.clone_from(sec);
        }
        out.push_str(&format!("| {} | {} |\n", md(item), md(val)));
    }
    out.push_str(&format!(
        "\n## {}\n\n{}\n",
        md(&t(lang, "report.sec.daily")),
        sparkline(&r.daily)
    ));
    out
}

/// `s` padded to `cols` columns; a longer `s` is left whole.
fn pad_whole(s: &str, cols: usize) -> String {
    if crate::words::width::width(s) > cols {
        s.to_string()
    } else {
        crate::words::width::pad(s, cols)
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
