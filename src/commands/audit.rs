//! The audit's commands: check, backup, restore, and an anchor file.

use std::path::{Path, PathBuf};

use super::{EXIT_FAILED, Failure, Outcome, sign_in};
use crate::desk::Desk;
use crate::domain::Role;
use crate::words::audit::{counts, problems, restore_refused};
use crate::words::{t, tf};

/// How many numbers and ranges of dropped cases a restore prints (all are in its event).
const DROPPED_SHOWN: usize = 50;

/// `casedesk check [--anchors FILE]…`: every check, with the anchors of
/// each FILE (an anchor file, or a backup) besides the desk's own.
pub fn check(desk: &Desk, anchors: &[PathBuf], json: bool) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let mut evidence = Vec::new();
    for file in anchors {
        evidence.extend(crate::store::anchor::evidence(file).map_err(|e| Failure::store(words, &e))?);
    }
    let report = crate::store::check::run_with(desk.store(), &evidence).map_err(|e| Failure::store(words, &e))?;
    let failed = || Failure {
        code: EXIT_FAILED,
        message: t(lang, "cli.check.failed"),
    };
    if json {
        out_json!(
            serde_json::to_string_pretty(&serde_json::json!({
                "passed": report.passed(),
                "integrity": report.integrity,
                "foreign_key_errors": report.foreign_key_errors,
                "events": report.chain.events,
                "cases": report.cases,
                "staff": report.staff,
                "anchors": report.anchors.len(),
                "problems": problems(words, &report),
            }))
            .unwrap_or_default()
        );
        return if report.passed() { Ok(()) } else { Err(failed()) };
    }
    for line in counts(words, &report) {
        out!("{line}");
    }
    let found = problems(words, &report);
    for line in &found {
        out!("{line}");
    }
    if report.passed() {
        out!("{}", t(lang, "cli.check.ok"));
        Ok(())
    } else {
        Err(failed())
    }
}

/// `casedesk backup FILE [--force]`: a file already there is kept unless
/// told (a timer's dated name that repeats, a typo naming the desk itself).
pub fn backup(desk: &mut Desk, file: &Path, force: bool, db: &Path) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    // Not even --force makes a backup over the desk it copies.
    let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(file, db) {
        return Err(Failure::usage(tf(
            lang,
            "cli.backup.is_desk",
            &[("path", file.display().to_string())],
        )));
    }
    if file.exists() && !force {
        return Err(Failure::usage(tf(
            lang,
            "cli.backup.exists",
            &[("path", file.display().to_string())],
        )));
    }
    let anchor = desk.backup_to(file).map_err(|e| Failure::store(words, &e))?;
    out!(
        "{}",
        tf(lang, "cli.backup_done", &[("path", file.display().to_string())])
    );
    out!(
        "{}",
        tf(
            lang,
            "cli.backup_anchor",
            &[("events", anchor.events.to_string()), ("hash", anchor.hex())]
        )
    );
    Ok(())
}

/// `casedesk anchor FILE`: appends the audit chain's head to an anchor file
/// kept outside the desk (for a timer or a service; `check --anchors FILE`).
pub fn anchor(desk: &Desk, file: &Path) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let anchor = crate::store::anchor::append_to_file(desk.store(), file).map_err(|e| Failure::store(words, &e))?;
    out!(
        "{}",
        tf(
            lang,
            "cli.anchor_done",
            &[
                ("path", file.display().to_string()),
                ("events", anchor.events.to_string()),
                ("hash", anchor.hex())
            ]
        )
    );
    Ok(())
}

/// `casedesk restore FILE --as ADMIN`
pub fn restore(desk: &mut Desk, file: &Path, actor: &str) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let admin = sign_in(desk, actor)?;
    if !(admin.role == Role::Admin && admin.active) {
        return Err(Failure::store(
            words,
            &crate::store::StoreError::Rule(crate::domain::RuleError::Role(Role::Admin)),
        ));
    }
    let path = file.display().to_string();
    let done = desk.restore_from(&admin, file).map_err(|e| Failure {
        code: EXIT_FAILED,
        message: restore_refused(words, &path, &e).join("\n"),
    })?;
    out!(
        "{}",
        tf(
            lang,
            "cli.restore_done",
            &[("path", path), ("cases", done.cases.to_string())]
        )
    );
    out!(
        "{}",
        tf(
            lang,
            "cli.restore_anchor",
            &[("events", done.backup.events.to_string()), ("hash", done.backup.hex())]
        )
    );
    out!(
        "{}",
        tf(lang, "cli.restore_kept", &[("path", done.kept.display().to_string())])
    );
    if done.dropped_count > 0 {
        let mut shown: Vec<String> = done.dropped.iter().take(DROPPED_SHOWN).cloned().collect();
        if done.dropped.len() > DROPPED_SHOWN {
            shown.push("…".into());
        }
        out!(
            "{}",
            tf(
                lang,
                "cli.restore_dropped",
                &[("count", done.dropped_count.to_string()), ("numbers", shown.join(", "))]
            )
        );
    }
    Ok(())
}
