//! `casedesk report`, `casedesk visits`, `casedesk urges`.

use chrono::NaiveDate;

use super::{Failure, Outcome, code_arg, sign_in};
use crate::cli::ReportArgs;
use crate::desk::Desk;
use crate::desk::ReportQuery;
use crate::domain::deadline::local_date;
use crate::domain::{Channel, Kind, Role};
use crate::report::{Period, PeriodName, render};
use crate::words::time::show;
use crate::words::{Lang, t, tf};

fn day(lang: Lang, text: &str, this_year: i32) -> Result<NaiveDate, Failure> {
    crate::words::time::parse_day(text, this_year)
        .ok_or_else(|| Failure::usage(crate::words::time::refused(lang, text)))
}

/// A count typed on the command line (a base): a whole number above 0,
/// its thousands grouped or not (`152000`, `152,000`).
pub fn count_arg(lang: Lang, text: &str) -> Result<u64, Failure> {
    let digits: String = text.chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '，')).collect();
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=1_000_000_000_000).contains(n))
        .ok_or_else(|| Failure::usage(tf(lang, "cli.bad_count", &[("given", text.to_string())])))
}

/// Builds the report the arguments ask for.
pub fn make(desk: &mut Desk, args: &ReportArgs) -> Result<crate::report::Report, Failure> {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let names = if args.names {
        let who = args.actor.as_deref().map(|a| sign_in(desk, a)).transpose()?;
        if who.as_ref().is_none_or(|w| w.role != Role::Supervisor) {
            return Err(Failure::store(
                words,
                &crate::store::StoreError::Rule(crate::domain::RuleError::SupervisorOnly { action: "report_names" }),
            ));
        }
        true
    } else {
        false
    };
    let now = desk.now();
    let today = local_date(tz, now);
    let period = match (&args.from, &args.to) {
        (Some(f), Some(to)) => Period {
            from: day(lang, f, chrono::Datelike::year(&today))?,
            until: day(lang, to, chrono::Datelike::year(&today))?
                .succ_opt()
                .unwrap_or(today),
        },
        _ if args.quarterly => Period::named(PeriodName::LastQuarter, today),
        _ => Period::named(args.period.unwrap_or(PeriodName::Month), today),
    };
    let query = ReportQuery {
        period,
        dept: args.dept.clone(),
        category: args.category.clone(),
        kind: args
            .kind
            .as_deref()
            .map(|k| code_arg(lang, Kind::parse(k)))
            .transpose()?,
        channel: args
            .channel
            .as_deref()
            .map(|c| code_arg(lang, Channel::parse(c)))
            .transpose()?,
        names,
        base: args.base.as_deref().map(|b| count_arg(lang, b)).transpose()?,
    };
    desk.report(&query).map_err(err)
}

/// `casedesk report`
pub fn report(desk: &mut Desk, args: &ReportArgs) -> Outcome {
    let lang = desk.lang;
    let xlsx = args.format == crate::report::ReportFormat::Xlsx;
    if xlsx && super::console::named(args.out.as_deref()).is_none() {
        super::admin::binary_out(lang)?;
    }
    let r = make(desk, args)?;
    if xlsx {
        let bytes =
            crate::report::render_bytes(&r, lang, args.format, &desk.policy.organisation.name).map_err(|e| {
                Failure {
                    code: super::EXIT_FAILED,
                    message: tf(lang, "sheet.failed", &[("why", e.to_string())]),
                }
            })?;
        let out = super::console::named(args.out.as_deref());
        let failed = |e: std::io::Error| match out {
            Some(path) => super::file_failure(lang, path, &e),
            None => Failure {
                code: super::EXIT_FAILED,
                message: e.to_string(),
            },
        };
        let mut sink = super::console::OutFile::open(out).map_err(failed)?;
        std::io::Write::write_all(&mut sink, &bytes).map_err(failed)?;
        return sink.finish().map_err(failed);
    }
    let text = render(&r, lang, args.format, &desk.policy.organisation.name);
    if let Some(path) = super::console::named(args.out.as_deref()) {
        super::console::write_file(path, text.as_bytes()).map_err(|e| super::file_failure(lang, path, &e))?;
    } else if args.format == crate::report::ReportFormat::Json {
        out_json!(text.trim_end());
    } else {
        out!("{}", text.trim_end());
    }
    Ok(())
}

/// `casedesk visits`: cases waiting for a return visit, scheduled follow-ups, survey items.
pub fn visits(desk: &mut Desk, actor: Option<&str>, json: bool) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    // Who asks is checked (their PIN); the list is the same for everyone, with
    // confidential complainants masked.
    if let Some(a) = actor {
        sign_in(desk, a)?;
    }
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let now = desk.now();
    let list = crate::store::visits::worklist(desk.store()).map_err(err)?;
    if json {
        out_json!(serde_json::to_string_pretty(&list).unwrap_or_default());
        return Ok(());
    }
    let mut table = crate::words::width::Table::new();
    for v in &list {
        table.row([
            format!("{}{}", if v.due < now { "⚠ " } else { "  " }, v.number),
            t(lang, &format!("visits.kind.{}", v.kind)),
            show(v.due, tz),
            v.complainant.clone(),
            v.phone.clone(),
            v.summary.clone(),
        ]);
    }
    super::print_table(&table);
    if list.is_empty() {
        super::warn(&t(lang, "visits.none"));
    }
    Ok(())
}

/// `casedesk urges`: overdue department replies, and counts per department.
pub fn urges(desk: &Desk, json: bool) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let now = desk.now();
    let overdue = crate::store::visits::overdue_replies(desk.store(), now).map_err(err)?;
    let counts = crate::store::visits::dept_counts(desk.store(), now).map_err(err)?;
    if json {
        out_json!(
            serde_json::to_string_pretty(&serde_json::json!({"overdue": overdue, "departments": counts}))
                .unwrap_or_default()
        );
        return Ok(());
    }
    out!("{}", t(lang, "urges.overdue_title"));
    let mut table = crate::words::width::Table::new();
    for o in &overdue {
        table.row([
            format!("  ⚠ {}", o.number),
            o.dept.clone(),
            show(o.due, tz),
            tf(lang, "urges.urged", &[("n", o.urges.to_string())]),
            o.summary.clone(),
        ]);
    }
    super::print_table(&table);
    out!("{}", t(lang, "urges.counts_title"));
    let mut table = crate::words::width::Table::new();
    for c in &counts {
        table.row([
            format!("  {}", c.dept),
            tf(
                lang,
                "urges.count_line",
                &[("overdue", c.overdue.to_string()), ("urges", c.urges.to_string())],
            ),
        ]);
    }
    super::print_table(&table);
    Ok(())
}
