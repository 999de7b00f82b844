//! `casedesk phrase …`: quick phrases (常用语) for the steps' text fields.

use std::path::PathBuf;

use clap::Subcommand;

/// `casedesk phrase …`
#[derive(Debug, Subcommand)]
pub enum PhraseCmd {
    /// Add a phrase (admin). {name}, {number}, {dept} and {due} are filled in from the case.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// What it is for: feedback, urge, visit, reply, note, answer.
        #[arg(long = "use", value_name = "USE")]
        use_: String,
        /// The phrase.
        #[arg(long)]
        text: String,
    },
    /// Import phrases from a text file (admin): one a line, USE,TEXT (or only
    /// the text with --use); blank lines and # comments skipped; all or nothing.
    Import {
        /// The file (UTF-8).
        file: PathBuf,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Every line's use (then a line is only the text).
        #[arg(long = "use", value_name = "USE")]
        use_: Option<String>,
    },
    /// Stop offering a phrase (admin); the audit log keeps it.
    Remove {
        /// Its number, as `phrase list` shows it.
        id: i64,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// List the phrases (anyone signed in).
    List {
        /// Who is looking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Only this use.
        #[arg(long = "use", value_name = "USE")]
        use_: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}
