//! Desk set-up and administration: init, demo, staff, departments, categories, import, export.

use std::path::Path;

use super::{EXIT_FAILED, Failure, Outcome, code_arg, progress_bar, read_pin, sign_in};
use crate::cli::{CategoryCmd, DeptCmd, Format, StaffCmd};
use crate::desk::{Desk, load_calendar, load_policy};
use crate::domain::Role;
use crate::paths::Paths;
use crate::words::{Lang, t, tf};

/// `casedesk` with no command: the desk's screens on a terminal; elsewhere, what to do.
pub fn open_desk(paths: &Paths, lang: Lang) -> Outcome {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        let desk = Desk::open(paths, lang, true)?;
        return crate::ui::run(desk).map_err(Failure::from);
    }
    out!("{}", t(lang, "cli.needs_terminal"));
    let exists = paths.db.exists();
    out!(
        "{}",
        tf(lang, "cli.paths.db", &[("path", paths.db.display().to_string())])
    );
    out!(
        "{}",
        t(lang, if exists { "cli.desk_ready" } else { "cli.desk_missing" })
    );
    Ok(())
}

fn new_pin(lang: Lang, name: &str) -> Result<String, Failure> {
    let pin = read_pin(lang, "CASEDESK_NEW_PIN", "cli.new_pin_prompt", name)?;
    if std::env::var("CASEDESK_NEW_PIN").is_err() {
        let again = read_pin(lang, "CASEDESK_NEW_PIN", "cli.new_pin_again", name)?;
        if again != pin {
            return Err(Failure::usage(t(lang, "cli.pin_mismatch")));
        }
    }
    Ok(pin)
}

/// `casedesk init --admin NAME`
pub fn init(paths: &Paths, lang: Lang, admin: &str, training: bool, group: Option<&str>) -> Outcome {
    // A group that is not there is told before anything is made.
    let shared_by = group
        .map(|g| {
            crate::paths::group::lookup(g)
                .map(|gid| (g, gid))
                .map_err(|e| group_failure(lang, g, e))
        })
        .transpose()?;
    if paths.db.exists() {
        let desk = Desk::open(paths, lang, false)?;
        let words = desk.words();
        if desk.store().is_initialized().map_err(|e| Failure::store(words, &e))? {
            return Err(Failure::store(
                words,
                &crate::store::StoreError::AlreadyInitialized(paths.db.clone()),
            ));
        }
    }
    let pin = new_pin(lang, admin)?;
    let mut desk = Desk::open(paths, lang, true)?;
    let words = desk.words();
    let made = desk.init_desk(admin, &pin).map_err(|e| Failure::store(words, &e))?;
    desk.set_training(&made, training)
        .map_err(|e| Failure::store(words, &e))?;
    // The policy and calendar files given at creation become the desk's own.
    for (which, path) in [
        (crate::store::settings::Setting::Policy, &paths.policy),
        (crate::store::settings::Setting::Calendar, &paths.calendar),
    ] {
        if let Some(text) = crate::desk::read_optional(path, lang)? {
            desk.apply_setting(&made, which, &text)
                .map_err(|e| Failure::store(words, &e))?;
        }
    }
    if training {
        out!("{}", t(lang, "cli.init_training"));
    }
    out!(
        "{}",
        tf(
            lang,
            "cli.init_done",
            &[("path", paths.db.display().to_string()), ("name", admin.to_string())]
        )
    );
    if let Some((group, gid)) = shared_by {
        share_with_group(paths, lang, group, gid)?;
    }
    Ok(())
}

/// A group's failure in words for the clerk.
fn group_failure(lang: Lang, group: &str, e: crate::paths::group::GroupError) -> Failure {
    use crate::paths::group::GroupError;
    match e {
        GroupError::NoGroup(name) => Failure::usage(tf(lang, "cli.group.no_group", &[("group", name)])),
        GroupError::Io { path, source } => Failure {
            code: EXIT_FAILED,
            message: tf(
                lang,
                "cli.group.failed",
                &[
                    ("group", group.to_string()),
                    ("path", path.display().to_string()),
                    ("error", source.to_string()),
                ],
            ),
        },
    }
}

/// `init --group NAME`: the new desk becomes the group's (see `paths::group`).
fn share_with_group(paths: &Paths, lang: Lang, group: &str, gid: rustix::fs::Gid) -> Outcome {
    let folder = paths.db.parent().map(|p| p.display().to_string()).unwrap_or_default();
    crate::paths::group::share(&paths.db, gid).map_err(|e| group_failure(lang, group, e))?;
    out!(
        "{}",
        tf(
            lang,
            "cli.group.done",
            &[("group", group.to_string()), ("folder", folder)]
        )
    );
    Ok(())
}

/// `casedesk demo`
pub fn demo(paths: &Paths, lang: Lang, cases: u64, seed: u64) -> Outcome {
    if paths.db.exists() {
        return Err(Failure::usage(tf(
            lang,
            "cli.demo_exists",
            &[("path", paths.db.display().to_string())],
        )));
    }
    // The desk is made beside its place and appears there only when complete:
    // no one opens a half-made desk, and a failed run leaves nothing behind.
    let making = Paths {
        db: paths.db.with_extension("making"),
        ..paths.clone()
    };
    let remove_making = || {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            drop(std::fs::remove_file(format!("{}{suffix}", making.db.display())));
        }
    };
    remove_making();
    let mut desk = Desk::open(&making, lang, true)?;
    let words = desk.words();
    let bar = progress_bar(cases);
    let result = crate::demo::generate(&mut desk, cases, seed, &|n| bar.set_position(n));
    bar.finish_and_clear();
    drop(desk);
    let summary = result.map_err(|e| {
        remove_making();
        Failure::store(words, &e)
    })?;
    // A desk that appeared at the place meanwhile stays as it is.
    if paths.db.exists() {
        remove_making();
        return Err(Failure::usage(tf(
            lang,
            "cli.demo_exists",
            &[("path", paths.db.display().to_string())],
        )));
    }
    std::fs::rename(&making.db, &paths.db).map_err(|e| Failure {
        code: EXIT_FAILED,
        message: tf(
            lang,
            "cli.file_unreadable",
            &[("path", paths.db.display().to_string()), ("error", e.to_string())],
        ),
    })?;
    out!(
        "{}",
        tf(
            lang,
            "cli.demo_done",
            &[
                ("cases", summary.cases.to_string()),
                ("path", paths.db.display().to_string())
            ]
        )
    );
    let mut table = crate::words::width::Table::new();
    for (name, role) in &summary.staff {
        table.row([
            format!("  {name}"),
            t(lang, &role.label_key()),
            format!("PIN {}", crate::demo::demo_pin(*role)),
        ]);
    }
    super::print_table(&table);
    Ok(())
}

/// `casedesk policy`: the policy in force, and the calendar's years.
pub fn policy(paths: &Paths, lang: Lang) -> Outcome {
    // The desk's own rules when there is a desk; before one is made, the files it would take.
    if paths.db.exists() {
        let mut desk = Desk::open(paths, lang, false)?;
        if let Some(w) = &desk.warning {
            super::warn(w);
        }
        return desk_policy(&mut desk);
    }
    print_policy(
        lang,
        &load_policy(&paths.policy, lang)?,
        &load_calendar(&paths.calendar, lang)?,
    )
}

/// `casedesk policy` on an open desk: the rules it keeps.
pub fn desk_policy(desk: &mut Desk) -> Outcome {
    print_policy(desk.lang, &desk.policy, &desk.calendar)
}

fn print_policy(lang: Lang, policy: &crate::domain::Policy, calendar: &crate::domain::Calendar) -> Outcome {
    let text = toml::to_string_pretty(policy).map_err(|e| Failure {
        code: EXIT_FAILED,
        message: e.to_string(),
    })?;
    out!("{text}");
    let years: Vec<String> = calendar.known_years().iter().map(ToString::to_string).collect();
    out!("# {}", tf(lang, "cli.calendar_years", &[("years", years.join(", "))]));
    Ok(())
}

/// `casedesk staff …`
pub fn staff(desk: &mut Desk, cmd: StaffCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    match cmd {
        StaffCmd::Add {
            actor,
            name,
            role,
            dept,
        } => {
            let role = code_arg(lang, Role::parse(&role))?;
            let dept = dept
                .as_deref()
                .map(|d| desk.store().department(d))
                .transpose()
                .map_err(err)?;
            let admin = sign_in(desk, &actor)?;
            let pin = new_pin(lang, &name)?;
            let _now = desk.now();
            let added = desk
                .add_staff(&admin, &name, role, dept.map(|d| d.id), &pin)
                .map_err(err)?;
            out!(
                "{}",
                tf(
                    lang,
                    "cli.staff_added",
                    &[("name", added.name), ("role", t(lang, &role.label_key()))]
                )
            );
        }
        StaffCmd::List { json } => {
            let staff = desk.store().staff().map_err(err)?;
            if json {
                out_json!(serde_json::to_string_pretty(&staff).unwrap_or_default());
            } else {
                let mut table = crate::words::width::Table::new();
                for s in staff {
                    table.row([
                        s.actor.name,
                        t(lang, &s.actor.role.label_key()),
                        if s.actor.active { "" } else { "×" }.to_string(),
                    ]);
                }
                super::print_table(&table);
            }
        }
        StaffCmd::Deactivate { actor, name } => {
            let admin = sign_in(desk, &actor)?;
            let _now = desk.now();
            desk.set_staff_active(&admin, &name, false).map_err(err)?;
            out!("{}", tf(lang, "cli.staff_deactivated", &[("name", name)]));
        }
        StaffCmd::Activate { actor, name } => {
            let admin = sign_in(desk, &actor)?;
            desk.set_staff_active(&admin, &name, true).map_err(err)?;
            out!("{}", tf(lang, "cli.staff_activated", &[("name", name)]));
        }
        StaffCmd::Pin { actor, name } => {
            let by = sign_in(desk, &actor)?;
            let pin = new_pin(lang, &name)?;
            let _now = desk.now();
            desk.set_pin(&by, &name, &pin).map_err(err)?;
            out!("{}", tf(lang, "cli.pin_set", &[("name", name)]));
        }
    }
    Ok(())
}

fn require_admin(words: crate::words::Words, actor: &crate::domain::Actor) -> Outcome {
    if actor.role == Role::Admin && actor.active {
        Ok(())
    } else {
        Err(Failure::store(
            words,
            &crate::store::StoreError::Rule(crate::domain::RuleError::Role(Role::Admin)),
        ))
    }
}

/// `casedesk dept …`
pub fn dept(desk: &mut Desk, cmd: DeptCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    match cmd {
        DeptCmd::Add { actor, name, phone } => {
            let admin = sign_in(desk, &actor)?;
            require_admin(words, &admin)?;
            let d = desk.add_department(&admin, &name, phone.as_deref()).map_err(err)?;
            out!("{}", tf(lang, "cli.dept_added", &[("name", d.name)]));
        }
        DeptCmd::List { json } => {
            let departments = desk.store().departments().map_err(err)?;
            if json {
                out_json!(serde_json::to_string_pretty(&departments).unwrap_or_default());
                return Ok(());
            }
            let mut table = crate::words::width::Table::new();
            for d in departments {
                table.row([d.name, d.phone.unwrap_or_default()]);
            }
            super::print_table(&table);
        }
    }
    Ok(())
}

/// `casedesk category …`
pub fn category(desk: &mut Desk, cmd: CategoryCmd) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    match cmd {
        CategoryCmd::Add {
            actor,
            code,
            name,
            name_en,
        } => {
            let admin = sign_in(desk, &actor)?;
            require_admin(words, &admin)?;
            let c = desk
                .add_category(&admin, &code, &name, name_en.as_deref().unwrap_or(&name))
                .map_err(err)?;
            out!("{}", tf(lang, "cli.category_added", &[("name", c.name_zh)]));
        }
        CategoryCmd::List { json } => {
            let categories = desk.store().categories().map_err(err)?;
            if json {
                out_json!(serde_json::to_string_pretty(&categories).unwrap_or_default());
                return Ok(());
            }
            let mut table = crate::words::width::Table::new();
            for c in categories {
                table.row([c.code, c.name_zh, c.name_en]);
            }
            super::print_table(&table);
        }
    }
    Ok(())
}

/// `casedesk sweep`
pub fn sweep(desk: &mut Desk, actor: &str) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let actor = sign_in(desk, actor)?;
    let moved = desk.sweep(&actor).map_err(|e| Failure::store(words, &e))?;
    out!("{}", tf(lang, "cli.sweep_done", &[("count", moved.to_string())]));
    Ok(())
}

/// `casedesk import FILE`
pub fn import(desk: &mut Desk, file: &Path, actor: &str, masked_ok: bool, create_staff: bool) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let admin = sign_in(desk, actor)?;
    require_admin(words, &admin)?;
    let unreadable = |e: &std::io::Error| Failure {
        code: EXIT_FAILED,
        message: tf(
            lang,
            "cli.file_unreadable",
            &[("path", file.display().to_string()), ("error", e.to_string())],
        ),
    };
    // Standard input, sent by a clerk connected to the desk service, or read here.
    let sent = super::console::sent_file(file)
        .transpose()
        .map_err(|e| unreadable(&e))?;
    if sent.is_none()
        && let Err(e) = std::fs::metadata(file)
    {
        return Err(unreadable(&e));
    }
    let now = desk.now();
    let bar = progress_bar(0);
    let tick = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let options = crate::exchange::ImportOptions {
        masked_ok,
        create_staff,
        now,
    };
    let result = match sent {
        Some(bytes) => crate::exchange::import_bytes(desk, &admin, bytes, &options, &tick),
        None => crate::exchange::import(desk, &admin, file, &options, &tick),
    };
    bar.finish_and_clear();
    let done = result.map_err(|e| Failure {
        code: if matches!(e, crate::exchange::ImportError::Store(_)) {
            EXIT_FAILED
        } else {
            super::EXIT_USAGE
        },
        message: crate::exchange::import_message(words, &e),
    })?;
    out!("{}", tf(lang, "cli.import_done", &[("count", done.cases.to_string())]));
    if done.masked > 0 {
        out!(
            "{}",
            tf(lang, "cli.import_masked_loaded", &[("count", done.masked.to_string())])
        );
    }
    if done.staff_created > 0 {
        out!(
            "{}",
            tf(
                lang,
                "cli.import_staff_created",
                &[("count", done.staff_created.to_string())]
            )
        );
    }
    Ok(())
}

/// `casedesk export`: the interchange file (JSON, CSV), or a sheet for
/// people (`--format xlsx`, `--format csv --sheet`).
pub fn export(desk: &mut Desk, format: Format, sheet: bool, out: Option<&Path>, actor: Option<&str>) -> Outcome {
    let out = super::console::named(out);
    let lang = desk.lang;
    let words = desk.words();
    if sheet && format == Format::Json {
        return Err(Failure::usage(t(lang, "sheet.json")));
    }
    if format == Format::Xlsx && out.is_none() {
        binary_out(lang)?;
    }
    let viewer = actor.map(|a| sign_in(desk, a)).transpose()?;
    let io = |e: std::io::Error| Failure {
        code: EXIT_FAILED,
        message: e.to_string(),
    };
    let failed = |e: std::io::Error| match out {
        Some(path) => super::file_failure(lang, path, &e),
        None => io(e),
    };
    let mut sink = super::console::OutFile::open(out).map_err(failed)?;
    let bar = progress_bar(0);
    let tick = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let result = if sheet && format == Format::Csv {
        let csv = crate::exchange::SheetFormat::Csv;
        crate::exchange::export_sheet(desk, csv, &mut sink, viewer.as_ref(), &tick)
    } else {
        crate::exchange::export(desk, format, &mut sink, viewer.as_ref(), &tick)
    };
    bar.finish_and_clear();
    let done = result.map_err(|e| Failure {
        code: EXIT_FAILED,
        message: crate::exchange::import_message(words, &e),
    })?;
    sink.finish().map_err(failed)?;
    // Confidential complainants have left the desk: the audit log says who
    // took them, how many and where.
    if let Some(by) = viewer.as_ref().filter(|_| done.confidential > 0) {
        let file = out.map_or_else(|| "-".to_string(), |p| p.display().to_string());
        desk.record_confidential_export(by, done.confidential, &file)
            .map_err(|e| Failure::store(words, &e))?;
    }
    if out.is_some() {
        out!("{}", tf(lang, "cli.export_done", &[("count", done.cases.to_string())]));
        if done.masked > 0 {
            out!(
                "{}",
                tf(lang, "cli.export_masked", &[("count", done.masked.to_string())])
            );
        }
    }
    Ok(())
}

/// A binary file (xlsx) goes to standard output only when that is a file or
/// a pipe: on a terminal it would be noise, and a clerk of the desk service
/// gets their output as text lines. Either way `--out FILE` is the answer.
pub fn binary_out(lang: Lang) -> Outcome {
    use std::io::IsTerminal;
    if super::console::is_far() || std::io::stdout().is_terminal() {
        return Err(Failure::usage(t(lang, "sheet.terminal")));
    }
    Ok(())
}
