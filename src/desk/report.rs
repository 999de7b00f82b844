//! A report as the desk makes it for the command line and the screens alike.

use super::Desk;
use crate::domain::{Channel, Kind};
use std::collections::BTreeMap;

use crate::report::{BaseSource, Labels, LateEntries, Period, Report, ReportScope, build};
use crate::store::StoreError;
use crate::store::report::ReportFilter;
use crate::words::{Lang, t};

/// What a report covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportQuery {
    /// The days counted.
    pub period: Period,
    /// Only this department (by name).
    pub dept: Option<String>,
    /// Only this category (code or label).
    pub category: Option<String>,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this channel.
    pub channel: Option<Channel>,
    /// With complainants' and staff names (a supervisor's report).
    pub names: bool,
    /// The period's base for its rates, given for this report; else each
    /// month's kept in the desk.
    pub base: Option<u64>,
}

impl ReportQuery {
    /// The whole desk over `period`, without names.
    #[must_use]
    pub fn of(period: Period) -> Self {
        ReportQuery {
            period,
            dept: None,
            category: None,
            kind: None,
            channel: None,
            names: false,
            base: None,
        }
    }
}

impl Desk {
    /// Builds the report `q` asks for. Who may see names is the caller's to check.
    pub fn report(&self, q: &ReportQuery) -> Result<Report, StoreError> {
        let lang = self.lang;
        let tz = self.policy.timezone;
        let store = self.store();
        let now = self.now();
        let (from, until) = q.period.instants(tz);
        let mut filter = ReportFilter {
            from: Some(from),
            until: Some(until),
            ..ReportFilter::default()
        };
        if let Some(d) = &q.dept {
            filter.dept = Some(self.resolve_dept(d)?.id.0);
        }
        if let Some(c) = &q.category {
            filter.category = Some(self.resolve_category(c)?.id.0);
        }
        filter.kind = q.kind.map(|k| k.code().to_string());
        filter.channel = q.channel.map(|c| c.code().to_string());
        let (pf, pu) = q.period.previous().instants(tz);
        let previous = store.report_category_counts(&ReportFilter {
            from: Some(pf),
            until: Some(pu),
            ..filter.clone()
        })?;
        // The duty log has no department or category: a filtered report counts cases only.
        let filtered =
            filter.dept.is_some() || filter.category.is_some() || filter.kind.is_some() || filter.channel.is_some();
        let log = if filtered {
            (0, 0, 0)
        } else {
            store.log_counts(Some(from), Some(until))?
        };
        let labels = Labels {
            depts: store.departments()?.into_iter().map(|d| (d.id.0, d.name)).collect(),
            categories: store
                .categories()?
                .into_iter()
                .map(|c| (c.id.0, if lang == Lang::Zh { c.name_zh } else { c.name_en }))
                .collect(),
            staff: store
                .staff()?
                .into_iter()
                .map(|s| (s.actor.id.0, s.actor.name))
                .collect(),
        };
        let scope = ReportScope {
            dept: filter.dept.and_then(|id| labels.depts.get(&id).cloned()),
            category: filter.category.and_then(|id| labels.categories.get(&id).cloned()),
            kind: filter.kind.clone(),
            channel: filter.channel.clone(),
        };
        let caller_name = |key: &str| store.caller_name(key).ok().flatten();
        let parts = store.dept_parts(&filter)?;
        let mut report = store.with_report_rows(&filter, |rows| {
            build(
                rows,
                &parts,
                &previous,
                &caller_name,
                log,
                q.period,
                &labels,
                q.names,
                lang,
                tz,
                now,
                &self.calendar,
            )
        })?;
        report.persons = crate::report::person_lines(store.report_persons(&filter)?, q.names);
        let source = match (q.base, crate::report::months_of(q.period)) {
            (Some(n), _) => BaseSource::Given(n),
            (None, Some(months)) => BaseSource::Months(
                months
                    .into_iter()
                    .map(|m| store.base(&m).map(|b| (m, b)))
                    .collect::<Result<_, _>>()?,
            ),
            (None, None) => BaseSource::NotWholeMonths,
        };
        let mut rate = crate::report::rate(&report, source, &self.policy.report.base_label, lang);
        // The previous period beside it: its counts, and its rates when its
        // months all have a base (a base given for this report is this period's only).
        let previous_filter = ReportFilter {
            from: Some(pf),
            until: Some(pu),
            ..filter.clone()
        };
        let previous_base = match crate::report::months_of(q.period.previous()) {
            Some(months) => months
                .iter()
                .map(|m| store.base(m))
                .collect::<Result<Option<Vec<u64>>, _>>()?
                .map(|b| b.iter().sum()),
            None => None,
        };
        crate::report::compare(&mut rate, &store.report_kind_counts(&previous_filter)?, previous_base);
        report.rate = Some(rate);
        report.responsibility = crate::report::responsibility(
            &parts,
            self.policy.penalties.as_ref(),
            &|id| labels.depts.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
            now,
        );
        report.filter = scope;
        let late = store.late_counts(&filter, from, until)?;
        report.late = late_entries(&late, &labels, q.names, lang);
        let (incidents, members) = store.batch_counts(from, until)?;
        report.batches = crate::report::BatchCount { incidents, members };
        Ok(report)
    }
}

/// The late steps counted (kind, who entered them, how many) as the report
/// shows them: by the step's name, and by the clerk's only with names.
fn late_entries(counted: &[(String, i64, u64)], labels: &Labels, names: bool, lang: Lang) -> LateEntries {
    let mut by_step: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_clerk: BTreeMap<String, u64> = BTreeMap::new();
    for (kind, actor, n) in counted {
        *by_step.entry(t(lang, &format!("event.{kind}"))).or_default() += n;
        let who = labels.staff.get(actor).cloned().unwrap_or_else(|| format!("#{actor}"));
        *by_clerk.entry(who).or_default() += n;
    }
    let most_first = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    LateEntries {
        total: counted.iter().map(|(_, _, n)| n).sum(),
        by_step: most_first(by_step),
        by_clerk: names.then(|| most_first(by_clerk)),
    }
}
