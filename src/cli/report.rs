//! Reports and the desk service on the command line.

use std::path::PathBuf;

use clap::Args;

/// `casedesk report …`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// today, week, month, quarter, last-quarter or year (default: month).
    #[arg(long, value_enum, conflicts_with_all = ["from", "quarterly"])]
    pub period: Option<crate::report::PeriodName>,
    /// The quarterly summary (季度汇总): the last complete quarter.
    #[arg(long)]
    pub quarterly: bool,
    /// First day of a custom period.
    #[arg(long, requires = "to", value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of a custom period.
    #[arg(long, requires = "from", value_name = "DATE")]
    pub to: Option<String>,
    /// Only this department.
    #[arg(long)]
    pub dept: Option<String>,
    /// Only this category.
    #[arg(long)]
    pub category: Option<String>,
    /// Only this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this channel.
    #[arg(long)]
    pub channel: Option<String>,
    /// text, json, csv, html, md or xlsx (a worksheet per section).
    #[arg(long, value_enum, default_value_t = crate::report::ReportFormat::Text)]
    pub format: crate::report::ReportFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Who asks (needed for --names).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
    /// Include staff and complainant names (supervisors only).
    #[arg(long, requires = "actor")]
    pub names: bool,
    /// The period's base for its rates per 10,000 and per million (e.g.
    /// outpatient visits), for this report only; else each month's kept in
    /// the desk (casedesk base set).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub base: Option<String>,
}

/// `casedesk serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The socket clerks connect to [default: CASEDESK_SERVER, else `server`
    /// in config.toml, else `casedesk.sock` beside the desk file].
    #[arg(long, value_name = "PATH")]
    pub socket: Option<PathBuf>,
    /// Minutes between automatic sweeps (overdue escalation), run as `system`.
    #[arg(long, default_value_t = 5, value_name = "MINUTES")]
    pub sweep_every: u64,
    /// A file outside the desk, the service account's own, to which the audit
    /// chain's head is appended after every sweep (`check --anchors FILE`
    /// proves the chain still passes through each line).
    #[arg(long, value_name = "FILE")]
    pub anchor_file: Option<PathBuf>,
}
