//! `casedesk serve`: the desk service's arguments.

use std::path::PathBuf;

use clap::Args;

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
