//! casedesk: parse the command line, run, exit with the command's code.

use clap::Parser;

fn main() {
    let cli = casedesk::cli::Cli::parse();
    std::process::exit(casedesk::commands::run(cli));
}
