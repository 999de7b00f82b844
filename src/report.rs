//! Reports and statistics: every figure of domain.md's "Reports and statistics",
//! counted from report rows (`build`), over a period (`period`), then written
//! as text, JSON, HTML or Markdown (`render`), or as tables of figures for a
//! spreadsheet, CSV or xlsx (`sheets`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

mod build;
mod paper;
mod period;
mod persons;
mod rate;
mod render;
mod responsibility;
mod sheets;

pub use build::build;
pub use period::{Period, PeriodName};
pub use persons::person_lines;
pub use rate::{BaseSource, MonthBase, Rate, RateLine, compare, grouped, months_of, parse_month, rate};
pub use render::{ReportFormat, rows, sparkline, title};
pub use responsibility::{Liable, Responsibility, responsibility};
pub use sheets::workbook;

/// The report as text, JSON, CSV, HTML or Markdown (an xlsx workbook is
/// binary: [`render_bytes`] makes it; here it is the text report);
/// `organisation` heads the HTML page ("" = none).
#[must_use]
pub fn render(r: &Report, lang: crate::words::Lang, format: ReportFormat, organisation: &str) -> String {
    match format {
        // Every number in a column of its own.
        ReportFormat::Csv => sheets::csv(r, lang),
        _ => render::page(r, lang, format, organisation),
    }
}

/// The report in any format, as the bytes of its file.
pub fn render_bytes(
    r: &Report,
    lang: crate::words::Lang,
    format: ReportFormat,
    organisation: &str,
) -> Result<Vec<u8>, crate::print::sheet::SheetError> {
    match format {
        ReportFormat::Xlsx => sheets::workbook(r, lang),
        _ => Ok(render(r, lang, format, organisation).into_bytes()),
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

/// A person complained about in the period (被投诉人员), with how many complaints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonLine {
    /// Their name; only its first character unless a supervisor asked for names.
    pub name: String,
    /// Their job number (工号), only with names.
    pub job_number: Option<String>,
    /// Their department.
    pub dept: Option<String>,
    /// Listed in the people directory (or a desk account); false for a name typed freely (未登记).
    pub listed: bool,
    /// Complaints about them received in the period.
    pub complaints: u64,
}

/// What a filtered report covers besides its period (every field `None`: the whole desk).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReportScope {
    /// Only this department (its name).
    pub dept: Option<String>,
    /// Only this category (its name in the report's language).
    pub category: Option<String>,
    /// Only this kind (its code).
    pub kind: Option<String>,
    /// Only this channel (its code).
    pub channel: Option<String>,
}

impl ReportScope {
    /// The whole desk: nothing filtered.
    #[must_use]
    pub fn is_whole_desk(&self) -> bool {
        *self == ReportScope::default()
    }
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The period.
    pub period: Period,
    /// The filter besides the period, which the title names.
    pub filter: ReportScope,
    /// Cases received.
    pub total: u64,
    /// Cases by channel (label → n).
    pub by_channel: Vec<(String, u64)>,
    /// Cases by kind.
    pub by_kind: Vec<(String, u64)>,
    /// Cases by category.
    pub by_category: Vec<(String, u64)>,
    /// Cases by department.
    pub by_dept: Vec<(String, u64)>,
    /// Cases by severity.
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
    /// Complaints per person complained about, most first.
    pub persons: Vec<PersonLine>,
    /// Cases per 10,000 and per million of the period's base, when the desk made it.
    pub rate: Option<Rate>,
    /// Steps entered late (补录) during the period.
    pub late: LateEntries,
    /// Graded responsibility per department and person, when any reply had a
    /// tier or came late.
    pub responsibility: Option<Responsibility>,
    /// Batch incidents opened in the period (批量事件), and their member cases.
    pub batches: BatchCount,
}

/// Batch incidents (one outage, many callers) opened in a report's period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchCount {
    /// Incidents opened.
    pub incidents: u64,
    /// Cases that joined them.
    pub members: u64,
}

/// Steps entered late (补录) during a report's period (by when they were
/// entered), on the cases of its scope: domain.md's "reports count late entries".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LateEntries {
    /// Steps entered late.
    pub total: u64,
    /// By the kind of step (its label), most first.
    pub by_step: Vec<(String, u64)>,
    /// By the clerk who entered them — only when a supervisor asks for names.
    pub by_clerk: Option<Vec<(String, u64)>>,
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
