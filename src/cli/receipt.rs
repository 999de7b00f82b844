//! `casedesk case receipt NUMBER --as NAME`: the visitor's receipt.

use std::path::PathBuf;

use clap::Args;

use crate::print::receipt::ReceiptFormat;

/// `casedesk case receipt …`
#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// Case number.
    pub number: String,
    /// Who prints it (a confidential visitor's name only for the owner, or a supervisor with --reason).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// text (80 columns, for a receipt printer) or html (an A5 page).
    #[arg(long, value_enum, default_value_t = ReceiptFormat::Text)]
    pub format: ReceiptFormat,
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Why a supervisor prints a confidential visitor's name (recorded).
    #[arg(long)]
    pub reason: Option<String>,
}
