//! `casedesk view …`: a clerk's own saved views of the queue (保存的视图).

use clap::Subcommand;

/// `case list`'s filters, which `--view` stands in place of.
pub const LIST_FILTERS: [&str; 5] = ["state", "owner", "overdue", "due_before", "search"];

/// `casedesk view …`
#[derive(Debug, Subcommand)]
pub enum ViewCmd {
    /// List my saved views: number, name and what each shows.
    List {
        /// Whose views (checked by PIN).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Save a view under a name (a view of that name is replaced).
    Save {
        /// Its name (free text, at most 20 characters).
        #[arg(value_name = "VIEW")]
        name: String,
        /// Whose view (checked by PIN).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Only my cases (the default).
        #[arg(long)]
        mine: bool,
        /// Everyone's cases.
        #[arg(long)]
        all: bool,
        /// Only cases in this state (received, assigned, replied …).
        #[arg(long)]
        state: Option<String>,
        /// Only cases with a step past due.
        #[arg(long)]
        overdue: bool,
        /// Only cases at escalation level 2 or higher.
        #[arg(long)]
        escalated: bool,
        /// Only cases with a step due by the end of today or of this shift: today, shift.
        #[arg(long, value_name = "today|shift")]
        due: Option<String>,
        /// The order: urgent (most urgent first, the default), newest, oldest.
        #[arg(long, value_name = "urgent|newest|oldest")]
        sort: Option<String>,
        /// The number that recalls it on the queue (Alt-N), 1 to 9.
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        slot: Option<String>,
    },
    /// Remove one of my saved views.
    Remove {
        /// Its name.
        #[arg(value_name = "VIEW")]
        name: String,
        /// Whose view (checked by PIN).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
}
