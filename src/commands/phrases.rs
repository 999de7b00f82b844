//! `casedesk phrase …`: quick phrases (常用语), kept by an admin, listed by anyone signed in.

use std::path::Path;

use super::{EXIT_USAGE, Failure, Outcome, sign_in};
use crate::cli::PhraseCmd;
use crate::desk::Desk;
use crate::domain::phrase::{BadLine, PhraseUse, parse_file, phrase_text};
use crate::words::{Words, t, tf};

/// Runs one `phrase` subcommand.
pub fn phrases(desk: &mut Desk, cmd: PhraseCmd) -> Outcome {
    match cmd {
        PhraseCmd::Add { actor, use_, text } => add(desk, &actor, &use_, &text),
        PhraseCmd::Import { file, actor, use_ } => import(desk, &file, &actor, use_.as_deref()),
        PhraseCmd::Remove { id, actor } => remove(desk, id, &actor),
        PhraseCmd::List { actor, use_, json } => list(desk, &actor, use_.as_deref(), json),
    }
}

/// A use as typed: its code or its label in either language.
fn use_of(words: Words, typed: &str) -> Result<PhraseUse, Failure> {
    let typed = typed.trim();
    PhraseUse::ALL
        .iter()
        .copied()
        .find(|u| u.code() == typed || labels(*u).iter().any(|l| l == typed))
        .ok_or_else(|| {
            Failure::usage(words.tf(
                "cli.bad_value",
                &[
                    ("what", words.t("field.phrase_use")),
                    ("given", typed.to_string()),
                    (
                        "known",
                        PhraseUse::ALL.iter().map(|u| u.code()).collect::<Vec<_>>().join(", "),
                    ),
                ],
            ))
        })
}

/// A use's labels in both languages.
fn labels(u: PhraseUse) -> Vec<String> {
    [crate::words::Lang::Zh, crate::words::Lang::En]
        .into_iter()
        .map(|lang| t(lang, &u.label_key()))
        .collect()
}

fn add(desk: &mut Desk, actor: &str, use_: &str, text: &str) -> Outcome {
    let words = desk.words();
    // What was typed is checked before the PIN is asked for.
    let use_ = use_of(words, use_)?;
    let text = phrase_text(text).map_err(|e| Failure::usage(words.rule(&e)))?;
    let admin = sign_in(desk, actor)?;
    let ids = desk
        .add_phrases(&admin, &[(use_, text.clone())], None)
        .map_err(|e| Failure::store(words, &e))?;
    let id = ids.first().copied().unwrap_or_default();
    out!(
        "{}",
        words.tf(
            "cli.phrase_added",
            &[
                ("id", id.to_string()),
                ("use", words.t(&use_.label_key())),
                ("text", text)
            ]
        )
    );
    Ok(())
}

fn import(desk: &mut Desk, file: &Path, actor: &str, use_: Option<&str>) -> Outcome {
    let words = desk.words();
    let path = file.display().to_string();
    let all = use_.map(|u| use_of(words, u)).transpose()?;
    let unreadable =
        |error: String| Failure::usage(words.tf("cli.file_unreadable", &[("path", path.clone()), ("error", error)]));
    let text = match super::console::read_text(file) {
        Ok(Some(text)) => text,
        Ok(None) => return Err(unreadable(words.t("cli.people_no_file"))),
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let phrases = parse_file(&text, all, &labels).map_err(|(line, bad)| {
        let why = match bad {
            BadLine::Use(e) => words.tf(
                "cli.bad_value",
                &[
                    ("what", words.t("field.phrase_use")),
                    ("given", e.given),
                    ("known", e.known.join(", ")),
                ],
            ),
            BadLine::Text(e) => words.rule(&e),
        };
        Failure {
            code: EXIT_USAGE,
            message: words.tf(
                "cli.phrase_bad_line",
                &[("path", path.clone()), ("line", line.to_string()), ("why", why)],
            ),
        }
    })?;
    let admin = sign_in(desk, actor)?;
    let ids = desk
        .add_phrases(&admin, &phrases, Some(&path))
        .map_err(|e| Failure::store(words, &e))?;
    out!("{}", words.tf("cli.phrases_imported", &[("n", ids.len().to_string())]));
    Ok(())
}

fn remove(desk: &mut Desk, id: i64, actor: &str) -> Outcome {
    let words = desk.words();
    let admin = sign_in(desk, actor)?;
    let gone = desk.remove_phrase(&admin, id).map_err(|e| Failure::store(words, &e))?;
    out!(
        "{}",
        words.tf(
            "cli.phrase_removed",
            &[("id", gone.id.to_string()), ("text", gone.text)]
        )
    );
    Ok(())
}

fn list(desk: &mut Desk, actor: &str, use_: Option<&str>, json: bool) -> Outcome {
    let words = desk.words();
    let only = use_.map(|u| use_of(words, u)).transpose()?;
    sign_in(desk, actor)?;
    let phrases = desk.store().phrases(only).map_err(|e| Failure::store(words, &e))?;
    if json {
        out_json!(serde_json::to_string_pretty(&phrases).unwrap_or_default());
        return Ok(());
    }
    for p in &phrases {
        out!(
            "{:>4}  {}  {}",
            p.id,
            crate::words::width::pad(&words.t(&p.use_.label_key()), 10),
            crate::words::visible_line(&p.text)
        );
    }
    if phrases.is_empty() {
        super::warn(&tf(desk.lang, "cli.phrases_empty", &[]));
    }
    Ok(())
}
