//! The desk's administration on the command line: staff, departments, the
//! people directory, categories, rate bases, policy and calendar.

use std::path::PathBuf;

use clap::Subcommand;

/// `casedesk staff …`
#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Add a staff member (PIN from CASEDESK_NEW_PIN or a prompt).
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// The new person's name.
        #[arg(long)]
        name: String,
        /// clerk, supervisor or admin.
        #[arg(long)]
        role: String,
        /// Their department.
        #[arg(long)]
        dept: Option<String>,
    },
    /// List staff.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deactivate an account.
    Deactivate {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Whose account.
        #[arg(long)]
        name: String,
    },
    /// Activate a deactivated account again.
    Activate {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Whose account.
        #[arg(long)]
        name: String,
    },
    /// Set a new PIN (an admin for anyone, or yourself).
    Pin {
        /// Who does it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Whose PIN.
        #[arg(long)]
        name: String,
    },
}

/// `casedesk dept …`
#[derive(Debug, Subcommand)]
pub enum DeptCmd {
    /// Add a department.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// How to reach it.
        #[arg(long)]
        phone: Option<String>,
    },
    /// List departments.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk people …`
#[derive(Debug, Subcommand)]
pub enum PeopleCmd {
    /// Add a person to the directory.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// Their department.
        #[arg(long)]
        dept: String,
        /// Their job number (工号).
        #[arg(long, value_name = "J")]
        job_number: Option<String>,
    },
    /// Import people from a CSV file (header name,dept,job_number or 姓名,部门,工号);
    /// a job number on file is updated; all or nothing.
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// List the directory.
    List {
        /// Only this department.
        #[arg(long)]
        dept: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk base …`
#[derive(Debug, Subcommand)]
pub enum BaseCmd {
    /// Set a month's base (admin).
    Set {
        /// The month, e.g. 2026-11.
        month: String,
        /// Its base: how many outpatient visits, households, subscribers … that month.
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        value: String,
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
    },
    /// List the months' bases.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk category …`
#[derive(Debug, Subcommand)]
pub enum CategoryCmd {
    /// Add a category.
    Add {
        /// The admin doing it.
        #[arg(long = "as", value_name = "ADMIN")]
        actor: String,
        /// Stable code (ascii).
        #[arg(long)]
        code: String,
        /// Chinese name.
        #[arg(long)]
        name: String,
        /// English name.
        #[arg(long)]
        name_en: Option<String>,
    },
    /// List categories.
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Changing what the desk keeps: its policy or its holiday calendar.
#[derive(Debug, Subcommand)]
pub enum SettingCmd {
    /// Keep FILE's rules in the desk (checked first; the change is an audit event).
    Apply {
        /// The TOML file.
        file: PathBuf,
        /// The admin applying it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
    },
}
