//! `casedesk case link`, `case batch …`, `case attach` and `case attachment`;
//! and what `case show` says of a case's links, batches and attachments.

use serde_json::{Value, json};

use super::{Failure, Outcome, code_arg, console, sign_in};
use crate::cli::links::{AttachArgs, AttachmentArgs, BatchCmd, BatchStep, LinkArgs};
use crate::desk::{Desk, StepInputError};
use crate::domain::complainant::may_see;
use crate::domain::{Actor, Case, LinkRelation};
use crate::store::batches::Batch;
use crate::words::events::file_size;
use crate::words::time::{rfc3339, show as local};
use crate::words::{t, tf};

/// `case link A B --as NAME --rel R --reason T`: an event on both cases.
pub fn link(desk: &mut Desk, args: &LinkArgs) -> Outcome {
    let words = desk.words();
    let relation = code_arg(desk.lang, LinkRelation::parse(&args.relation))?;
    let actor = sign_in(desk, &args.actor)?;
    desk.link(&actor, &args.number, &args.other, relation, &args.reason)
        .map_err(|e| Failure::store(words, &e))?;
    out!(
        "{}",
        tf(
            desk.lang,
            "cli.link.done",
            &[
                ("a", args.number.clone()),
                ("b", args.other.clone()),
                ("relation", t(desk.lang, &relation.label_key())),
            ],
        )
    );
    Ok(())
}

/// `case batch …`
pub fn batch(desk: &mut Desk, cmd: BatchCmd) -> Outcome {
    let words = desk.words();
    let lang = desk.lang;
    match cmd {
        BatchCmd::New { title, actor } => {
            let actor = sign_in(desk, &actor)?;
            let batch = desk.open_batch(&actor, &title).map_err(|e| Failure::store(words, &e))?;
            out!(
                "{}",
                tf(
                    lang,
                    "cli.batch.opened",
                    &[("batch", batch.number), ("title", batch.title)]
                )
            );
            Ok(())
        }
        BatchCmd::Join { batch, numbers, actor } => {
            // The batch is found before the PIN is asked for.
            let found = desk.store().batch(&batch).map_err(|e| Failure::store(words, &e))?;
            let actor = sign_in(desk, &actor)?;
            let results: Vec<_> = numbers
                .iter()
                .map(|n| (n.clone(), desk.join_batch(&actor, &found.number, n)))
                .collect();
            report_members(desk, &found, results, "cli.batch.joined")
        }
        BatchCmd::Show { batch, json } => {
            let found = desk.store().batch(&batch).map_err(|e| Failure::store(words, &e))?;
            if json {
                out_json!(serde_json::to_string_pretty(&batch_json(desk, &found)).unwrap_or_default());
            } else {
                print_batch(desk, &found);
            }
            Ok(())
        }
        BatchCmd::List { json } => {
            let batches = desk.store().batches().map_err(|e| Failure::store(words, &e))?;
            if json {
                let all = Value::Array(batches.iter().map(|b| batch_json(desk, b)).collect());
                out_json!(serde_json::to_string_pretty(&all).unwrap_or_default());
            } else if batches.is_empty() {
                out!("{}", t(lang, "cli.batch.none"));
            } else {
                for b in &batches {
                    out!(
                        "{}",
                        tf(
                            lang,
                            "cli.batch.line",
                            &[
                                ("batch", b.number.clone()),
                                ("opened", local(b.opened_at, desk.policy.timezone)),
                                ("count", b.members.len().to_string()),
                                ("title", b.title.clone()),
                            ],
                        )
                    );
                }
            }
            Ok(())
        }
        BatchCmd::Step(step) => batch_step(desk, &step),
    }
}

/// The department's reply or the feedback on every member case.
fn batch_step(desk: &mut Desk, step: &BatchStep) -> Outcome {
    let words = desk.words();
    let command = desk
        .step_command(step.kind, |name| step.values.get(name).cloned())
        .map_err(|e| match e {
            StepInputError::Store(e) => Failure::store(words, &e),
            other => Failure::usage(other.message(words)),
        })?;
    let found = desk.store().batch(&step.batch).map_err(|e| Failure::store(words, &e))?;
    if found.members.is_empty() {
        return Err(Failure::usage(tf(
            desk.lang,
            "cli.batch.empty",
            &[("batch", found.number)],
        )));
    }
    let actor = sign_in(desk, &step.actor)?;
    let (found, results) = desk
        .batch_step(&actor, &found.number, &command)
        .map_err(|e| Failure::store(words, &e))?;
    let key = format!("cli.batch.done_{}", step.kind.code());
    report_members(desk, &found, results, &key)
}

/// One line per member case: done, or refused with the reason; then the
/// count. Refusals leave the others done, and make the exit code a rule's.
fn report_members(desk: &Desk, batch: &Batch, results: Vec<crate::desk::MemberDone>, done_key: &str) -> Outcome {
    let (lang, words) = (desk.lang, desk.words());
    let mut refused = 0usize;
    let total = results.len();
    for (number, result) in results {
        match result {
            Ok(_) => out!(
                "{}",
                tf(lang, done_key, &[("number", number), ("batch", batch.number.clone())])
            ),
            Err(e) => {
                refused += 1;
                out!(
                    "{}",
                    tf(
                        lang,
                        "cli.batch.refused",
                        &[("number", number), ("why", words.store(&e))]
                    )
                );
            }
        }
    }
    let key = if refused == 0 {
        "cli.batch.summary_all"
    } else {
        "cli.batch.summary"
    };
    let summary = tf(
        lang,
        key,
        &[
            ("done", (total - refused).to_string()),
            ("refused", refused.to_string()),
        ],
    );
    if refused == 0 {
        out!("{summary}");
        Ok(())
    } else {
        Err(Failure {
            code: super::EXIT_RULE,
            message: summary,
        })
    }
}

fn print_batch(desk: &Desk, batch: &Batch) {
    let lang = desk.lang;
    let tz = desk.policy.timezone;
    let names = desk.store().staff_names().unwrap_or_default();
    out!(
        "{}",
        tf(
            lang,
            "cli.batch.head",
            &[
                ("batch", batch.number.clone()),
                ("title", batch.title.clone()),
                ("opened", local(batch.opened_at, tz)),
                ("by", crate::words::events::staff_name(&names, batch.opened_by)),
                ("count", batch.members.len().to_string()),
            ],
        )
    );
    for number in &batch.members {
        if let Ok(r) = desk.store().case(number) {
            out!(
                "  {}  {}  {}",
                number,
                crate::words::width::pad(&t(lang, &r.case.state.label_key()), 8),
                crate::words::visible_line(&r.case.intake.summary)
            );
        }
    }
}

fn batch_json(desk: &Desk, batch: &Batch) -> Value {
    let tz = desk.policy.timezone;
    let names = desk.store().staff_names().unwrap_or_default();
    let members: Vec<Value> = batch
        .members
        .iter()
        .filter_map(|n| desk.store().case(n).ok())
        .map(|r| json!({"number": r.case.number(), "state": r.case.state.code()}))
        .collect();
    json!({
        "number": batch.number,
        "title": batch.title,
        "opened_at": rfc3339(batch.opened_at, tz),
        "opened_by": crate::words::events::staff_name(&names, batch.opened_by),
        "members": members,
    })
}

/// `case attach NUM FILE --as NAME [--name N]`: the file is read on the clerk's side.
pub fn attach(desk: &mut Desk, args: &AttachArgs) -> Outcome {
    let words = desk.words();
    let lang = desk.lang;
    let path = args.file.display().to_string();
    let bytes = match console::sent_file(&args.file) {
        Some(read) => read,
        None => std::fs::read(&args.file),
    }
    .map_err(|e| {
        Failure::usage(tf(
            lang,
            "cli.attach.unreadable",
            &[("path", path), ("error", e.to_string())],
        ))
    })?;
    let name = args.name.clone().unwrap_or_else(|| {
        args.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    // The case is found before the PIN is asked for.
    desk.store().case(&args.number).map_err(|e| Failure::store(words, &e))?;
    let actor = sign_in(desk, &args.actor)?;
    let record = desk
        .attach(&actor, &args.number, &name, &bytes)
        .map_err(|e| Failure::store(words, &e))?;
    let n = record.case.related.attachments.len();
    out!(
        "{}",
        tf(
            lang,
            "cli.attach.done",
            &[
                ("number", args.number.clone()),
                ("n", n.to_string()),
                ("name", name),
                ("size", file_size(bytes.len() as u64)),
            ],
        )
    );
    Ok(())
}

/// `case attachment NUM N --out FILE | --open`: written on the clerk's side, 0600.
pub fn attachment(desk: &mut Desk, args: &AttachmentArgs) -> Outcome {
    let words = desk.words();
    let lang = desk.lang;
    let record = desk.store().case(&args.number).map_err(|e| Failure::store(words, &e))?;
    let viewer = args.actor.as_deref().map(|n| sign_in(desk, n)).transpose()?;
    let case = &record.case;
    // A confidential case's papers may name the complainant.
    if !may_see(viewer.as_ref(), case.owner, case.intake.confidential) {
        return Err(Failure {
            code: super::EXIT_RULE,
            message: t(lang, "cli.attach.confidential"),
        });
    }
    let Some(a) = case.related.attachments.iter().find(|a| a.n == args.id) else {
        return Err(Failure::usage(tf(
            lang,
            "cli.attach.no_such",
            &[
                ("number", args.number.clone()),
                ("n", args.id.to_string()),
                ("count", case.related.attachments.len().to_string()),
            ],
        )));
    };
    let found = desk.store().attachment_bytes(&a.sha256);
    let Some(bytes) = found.map_err(|e| Failure::store(words, &e))? else {
        return Err(Failure {
            code: super::EXIT_FAILED,
            message: tf(lang, "cli.attach.missing", &[("name", a.name.clone())]),
        });
    };
    let out = match (&args.out, args.open) {
        (Some(out), _) => out.clone(),
        (None, _) if console::is_far() => return Err(Failure::usage(t(lang, "cli.attach.open_far"))),
        (None, _) => std::env::temp_dir().join(format!("casedesk-{}-{}", &a.sha256[..12], safe_name(&a.name))),
    };
    console::write_file(&out, &bytes).map_err(|e| {
        Failure::usage(tf(
            lang,
            "cli.attach.unwritable",
            &[("path", out.display().to_string()), ("error", e.to_string())],
        ))
    })?;
    if args.out.is_none() {
        open_with_viewer(&out).map_err(|e| {
            Failure::usage(tf(
                lang,
                "cli.attach.no_viewer",
                &[("path", out.display().to_string()), ("error", e.to_string())],
            ))
        })?;
    }
    out!(
        "{}",
        tf(
            lang,
            "cli.attach.written",
            &[("name", a.name.clone()), ("path", out.display().to_string())],
        )
    );
    Ok(())
}

/// A name safe to put in a temporary file's name.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Opens `path` with the system's viewer (`xdg-open`, or `open` on macOS).
fn open_with_viewer(path: &std::path::Path) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    std::process::Command::new(program)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

/// What `case show` prints of a case's links, batches and attachments.
pub fn print_related(desk: &Desk, case: &Case, viewer: Option<&Actor>) {
    let lang = desk.lang;
    let tz = desk.policy.timezone;
    let r = &case.related;
    if !r.links.is_empty() {
        out!("{}", t(lang, "cli.show.links"));
        for v in desk.link_views(case, viewer) {
            out!(
                "  {}  {}  {}  ({})",
                v.link.other,
                crate::words::width::pad(&t(lang, &v.link.relation.label_key()), 10),
                v.summary.as_deref().map_or_else(
                    || t(lang, "cli.show.confidential_summary"),
                    |s| crate::words::visible_line(s).into_owned()
                ),
                v.link.reason
            );
        }
    }
    for b in &r.batches {
        out!(
            "{}",
            tf(
                lang,
                "cli.show.batch",
                &[("batch", b.batch.clone()), ("title", b.title.clone())]
            )
        );
    }
    if !r.attachments.is_empty() {
        let names = desk.store().staff_names().unwrap_or_default();
        out!("{}", t(lang, "cli.show.attachments"));
        for a in &r.attachments {
            out!(
                "  #{}  {}  {}  {}  {} {}",
                a.n,
                a.name,
                file_size(a.size),
                a.mime,
                crate::words::events::staff_name(&names, a.by),
                local(a.at, tz)
            );
        }
    }
}

/// Adds to `case show --json`'s `value` the case's `links`, `batches` and `attachments`.
pub fn add_related(value: &mut Value, desk: &Desk, case: &Case, viewer: Option<&Actor>) {
    let (links, batches, attachments) = related_json(desk, case, viewer);
    if let Value::Object(m) = value {
        m.insert("links".into(), links);
        m.insert("batches".into(), batches);
        m.insert("attachments".into(), attachments);
    }
}

/// What `case show --json` says of them: `links`, `batches`, `attachments`.
fn related_json(desk: &Desk, case: &Case, viewer: Option<&Actor>) -> (Value, Value, Value) {
    let tz = desk.policy.timezone;
    let names = desk.store().staff_names().unwrap_or_default();
    let links = desk
        .link_views(case, viewer)
        .into_iter()
        .map(|v| {
            json!({
                "number": v.link.other,
                "relation": v.link.relation.code(),
                "reason": v.link.reason,
                "state": v.state.map(crate::domain::State::code),
                "summary": v.summary,
                "by": crate::words::events::staff_name(&names, v.link.by),
                "at": rfc3339(v.link.at, tz),
            })
        })
        .collect();
    let batches = case
        .related
        .batches
        .iter()
        .map(|b| json!({"number": b.batch, "title": b.title, "joined_at": rfc3339(b.at, tz)}))
        .collect();
    let attachments = case
        .related
        .attachments
        .iter()
        .map(|a| {
            json!({
                "id": a.n,
                "name": a.name,
                "size": a.size,
                "mime": a.mime,
                "sha256": a.sha256,
                "by": crate::words::events::staff_name(&names, a.by),
                "at": rfc3339(a.at, tz),
            })
        })
        .collect();
    (Value::Array(links), Value::Array(batches), Value::Array(attachments))
}
