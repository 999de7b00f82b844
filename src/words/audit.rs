//! The audit's words: what `casedesk check` found, line by line (each
//! difference named by case number or account and column, each anchor by
//! where it was found), and why a restore was refused.

use super::Words;
use crate::store::anchor::{Anchor, Source};
use crate::store::check::{AnchorCheck, AnchorProblem, CheckReport, Difference, Subject, TriggerProblem};
use crate::store::restore::RestoreError;

/// The counts a check prints first: integrity, foreign keys, events, cases, staff, anchors.
#[must_use]
pub fn counts(w: Words, r: &CheckReport) -> Vec<String> {
    vec![
        w.tf("cli.check.integrity", &[("result", r.integrity.clone())]),
        w.tf("cli.check.foreign_keys", &[("count", r.foreign_key_errors.to_string())]),
        w.tf("cli.check.events", &[("count", r.chain.events.to_string())]),
        w.tf("cli.check.cases", &[("count", r.cases.to_string())]),
        w.tf("cli.check.staff", &[("count", r.staff.to_string())]),
        w.tf("cli.check.anchors", &[("count", r.anchors.len().to_string())]),
    ]
}

/// Everything a check found wrong, one line each (none when it passed).
#[must_use]
pub fn problems(w: Words, r: &CheckReport) -> Vec<String> {
    let mut out: Vec<String> = r.triggers.iter().map(|p| trigger(w, p)).collect();
    if let Some((id, why)) = r.chain.first_bad {
        out.push(w.tf(
            "cli.check.chain_bad",
            &[("id", id.to_string()), ("why", why.to_string())],
        ));
    }
    out.extend(r.differences.listed.iter().map(|d| difference(w, d)));
    if r.differences.more > 0 {
        out.push(w.tf(
            "cli.check.more_differences",
            &[("count", r.differences.more.to_string())],
        ));
    }
    let failed: Vec<String> = r.anchors.iter().filter_map(|a| anchor(w, a)).collect();
    if !failed.is_empty() {
        out.extend(failed);
        // An anchor taken before a restore may be of the desk it replaced.
        for m in &r.restores {
            out.push(w.tf(
                "cli.check.restored_note",
                &[
                    ("event", m.event.to_string()),
                    ("file", m.file.clone()),
                    ("kept", m.kept.clone()),
                ],
            ));
        }
    }
    out
}

fn trigger(w: Words, p: &TriggerProblem) -> String {
    let (key, name) = match p {
        TriggerProblem::Missing(n) => ("cli.check.trigger_missing", n),
        TriggerProblem::Changed(n) => ("cli.check.trigger_changed", n),
        TriggerProblem::Unexpected(n) => ("cli.check.trigger_unexpected", n),
    };
    w.tf(key, &[("name", name.clone())])
}

/// One stored value that is not what the audit log replays to.
#[must_use]
pub fn difference(w: Words, d: &Difference) -> String {
    let field = ("field", d.field.to_string());
    match (&d.subject, d.field) {
        (Subject::Case(n), "events") => w.tf("cli.check.case_unreplayable", &[("number", n.clone())]),
        (Subject::Case(n), "attachment") => w.tf("cli.check.attachment_changed", &[("number", n.clone())]),
        (Subject::Case(n), _) => w.tf("cli.check.case_differs", &[("number", n.clone()), field]),
        (Subject::Staff(n), "staff_added") => w.tf("cli.check.staff_unrecorded", &[("name", n.clone())]),
        (Subject::Staff(n), "row") => w.tf("cli.check.staff_missing", &[("name", n.clone())]),
        (Subject::Staff(n), _) => w.tf("cli.check.staff_differs", &[("name", n.clone()), field]),
        (Subject::Counter(year), _) => w.tf("cli.check.counter_behind", &[("year", year.to_string())]),
        (Subject::Setting(key), _) => w.tf("cli.check.setting_differs", &[("key", (*key).to_string())]),
    }
}

/// Where an anchor was found, in words.
#[must_use]
pub fn source(w: Words, s: &Source, a: &Anchor) -> String {
    let at = a.at.map_or_else(|| "—".to_string(), |t| w.time(t));
    match s {
        Source::Handover { id, signed_at } => w.tf(
            "cli.anchor.handover",
            &[("id", id.to_string()), ("at", w.time(*signed_at))],
        ),
        Source::Backup { file } => w.tf("cli.anchor.backup", &[("file", file.clone()), ("at", at)]),
        Source::Copy => w.tf("cli.anchor.copy", &[("at", at)]),
        Source::Line { file, line } => w.tf(
            "cli.anchor.line",
            &[
                ("file", file.display().to_string()),
                ("line", line.to_string()),
                ("at", at),
            ],
        ),
        Source::BackupFile { file } => w.tf("cli.anchor.backup_file", &[("file", file.display().to_string())]),
    }
}

/// An anchor the chain no longer passes through, in words; `None` when it does.
#[must_use]
pub fn anchor(w: Words, c: &AnchorCheck) -> Option<String> {
    let a = &c.placed.anchor;
    let mut args = vec![
        ("source", source(w, &c.placed.source, a)),
        ("events", a.events.to_string()),
        ("hash", a.short()),
    ];
    Some(match c.problem? {
        AnchorProblem::Differs => w.tf("cli.check.anchor_differs", &args),
        AnchorProblem::Beyond { events } => {
            args.push(("now", events.to_string()));
            w.tf("cli.check.anchor_beyond", &args)
        }
    })
}

/// Why a restore of `file` was refused, in words (a failed check's findings follow it).
#[must_use]
pub fn restore_refused(w: Words, file: &str, e: &RestoreError) -> Vec<String> {
    let path = ("path", file.to_string());
    match e {
        RestoreError::Store(e) => vec![w.store(e)],
        RestoreError::Failed(report) => {
            let mut out = vec![w.tf("cli.restore_refused", &[path])];
            out.extend(problems(w, report));
            out
        }
        RestoreError::NotItsHead { own, head } => vec![w.tf(
            "cli.restore_not_its_head",
            &[
                path,
                ("own_events", own.events.to_string()),
                ("own_hash", own.short()),
                ("events", head.events.to_string()),
                ("hash", head.short()),
            ],
        )],
        RestoreError::Parted { at } => vec![w.tf(
            "cli.restore_parted",
            &[
                path,
                ("shared", at.saturating_sub(1).to_string()),
                ("at", at.to_string()),
            ],
        )],
        RestoreError::Mode { backup_training } => vec![w.tf(
            if *backup_training {
                "cli.restore_training_over_real"
            } else {
                "cli.restore_real_over_training"
            },
            &[path],
        )],
        RestoreError::Busy => vec![w.t("cli.restore_busy")],
    }
}
