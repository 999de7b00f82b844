//! The program's own files and words: where the desk's files are, the shells'
//! completion scripts and the manual page. None of them opens the desk to write.

use std::path::Path;

use super::{EXIT_FAILED, Failure, Outcome};
use crate::desk::{Desk, load_policy};
use crate::paths::Paths;
use crate::words::{Lang, t, tf};

/// `casedesk paths [--json]`: every file and folder the desk uses, and
/// whether it is there yet.
pub fn paths(paths: &Paths, lang: Lang, json: bool) -> Outcome {
    let places = places(paths, lang);
    if json {
        let map: serde_json::Map<String, serde_json::Value> = places
            .iter()
            .map(|(key, path)| ((*key).to_string(), path.display().to_string().into()))
            .collect();
        out_json!(serde_json::to_string_pretty(&map).unwrap_or_default());
        return Ok(());
    }
    let mut table = crate::words::width::Table::new();
    for (key, path) in &places {
        let missing = if path.exists() {
            String::new()
        } else {
            t(lang, "cli.where.missing")
        };
        table.row([
            t(lang, &format!("cli.where.{key}")),
            path.display().to_string(),
            missing,
        ]);
    }
    super::print_table(&table);
    Ok(())
}

/// The desk's files and folders by name: the database, the user's policy,
/// calendar and config files, the intake drafts, the daily backups and the
/// desk service's socket.
fn places(paths: &Paths, lang: Lang) -> Vec<(&'static str, std::path::PathBuf)> {
    // The daily backups go where the desk's own policy says, if there is a desk.
    let policy = if paths.db.exists() {
        Desk::open(paths, lang, false).map(|d| d.policy).ok()
    } else {
        load_policy(&paths.policy, lang).ok()
    };
    let backups = policy
        .map(|p| p.backup.folder.trim().to_string())
        .filter(|f| !f.is_empty())
        .map_or_else(|| paths.db.with_file_name("backups"), std::path::PathBuf::from);
    let socket = super::server(paths).unwrap_or_else(|| paths.db.with_file_name("casedesk.sock"));
    vec![
        ("db", paths.db.clone()),
        ("policy", paths.policy.clone()),
        ("calendar", paths.calendar.clone()),
        ("config", crate::cli::config::Config::path(paths)),
        ("drafts", crate::ui::draft::folder(&paths.db)),
        ("backups", backups),
        ("socket", socket),
    ]
}

/// `casedesk completions SHELL`
pub fn completions(lang: Lang, shell: clap_complete::Shell) {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(lang), "casedesk", &mut script);
    out!("{}", String::from_utf8_lossy(&script).trim_end());
}

/// `casedesk man [--dir DIR]`: the manual page, in the clerk's language;
/// with a folder, a page for every command in it.
pub fn man(lang: Lang, dir: Option<&Path>) -> Outcome {
    let command = crate::cli::help::manual(lang);
    if let Some(dir) = dir {
        clap_mangen::generate_to(command, dir).map_err(|e| super::file_failure(lang, dir, &e))?;
        out!(
            "{}",
            tf(lang, "cli.man.written", &[("path", dir.display().to_string())])
        );
        return Ok(());
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page).map_err(|e| Failure {
        code: EXIT_FAILED,
        message: e.to_string(),
    })?;
    out!("{}", String::from_utf8_lossy(&page).trim_end());
    Ok(())
}
