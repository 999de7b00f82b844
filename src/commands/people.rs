//! `casedesk people …`: the organisation's people directory (人员名录),
//! apart from desk accounts.

use std::path::Path;

use super::{EXIT_USAGE, Failure, Outcome, sign_in};
use crate::cli::PeopleCmd;
use crate::desk::Desk;
use crate::domain::subject::person_entry;
use crate::words::{t, tf};

/// Runs one `people` subcommand.
pub fn people(desk: &mut Desk, cmd: PeopleCmd) -> Outcome {
    match cmd {
        PeopleCmd::Add {
            actor,
            name,
            dept,
            job_number,
        } => add(desk, &actor, &name, &dept, job_number.as_deref()),
        PeopleCmd::Import { file, actor } => import(desk, &file, &actor),
        PeopleCmd::List { dept, json } => list(desk, dept.as_deref(), json),
    }
}

fn add(desk: &mut Desk, actor: &str, name: &str, dept: &str, job_number: Option<&str>) -> Outcome {
    let words = desk.words();
    // What was typed is checked before the PIN is asked for.
    let entry = person_entry(name, dept, job_number).map_err(|e| Failure::usage(words.rule(&e)))?;
    let admin = sign_in(desk, actor)?;
    desk.add_person(&admin, &entry).map_err(|e| Failure::store(words, &e))?;
    let job = entry
        .job_number
        .clone()
        .unwrap_or_else(|| t(desk.lang, "cli.people_no_job"));
    out!(
        "{}",
        tf(
            desk.lang,
            "cli.person_added",
            &[("name", entry.name), ("dept", entry.dept), ("job", job)]
        )
    );
    Ok(())
}

fn import(desk: &mut Desk, file: &Path, actor: &str) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let path = file.display().to_string();
    let unreadable = |error: String| {
        Failure::usage(tf(
            lang,
            "cli.file_unreadable",
            &[("path", path.clone()), ("error", error)],
        ))
    };
    let text = match super::console::read_text(file) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(unreadable(t(lang, "cli.people_no_file"))),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Err(Failure::usage(tf(
                lang,
                "cli.people_not_utf8",
                &[("path", path.clone())],
            )));
        }
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let people = crate::exchange::parse_people(&text, words).map_err(|e| Failure {
        code: EXIT_USAGE,
        message: crate::exchange::import_message(words, &e),
    })?;
    let admin = sign_in(desk, actor)?;
    let saved = desk
        .import_people(&admin, &people, &path)
        .map_err(|e| Failure::store(words, &e))?;
    out!(
        "{}",
        tf(
            lang,
            "cli.people_imported",
            &[
                ("added", saved.added.to_string()),
                ("updated", saved.updated.to_string()),
                ("unchanged", saved.unchanged.to_string()),
            ]
        )
    );
    Ok(())
}

fn list(desk: &Desk, dept: Option<&str>, json: bool) -> Outcome {
    let words = desk.words();
    let people = desk.store().people(dept).map_err(|e| Failure::store(words, &e))?;
    if json {
        out_json!(serde_json::to_string_pretty(&people).unwrap_or_default());
        return Ok(());
    }
    let mut table = crate::words::width::Table::new();
    for p in &people {
        table.row([
            p.dept.as_str(),
            p.name.as_str(),
            p.job_number.as_deref().unwrap_or_default(),
        ]);
    }
    super::print_table(&table);
    if people.is_empty() {
        super::warn(&t(desk.lang, "cli.people_empty"));
    }
    Ok(())
}
