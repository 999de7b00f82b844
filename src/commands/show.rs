//! `case show` and `case list`: text for people, stable JSON for programs.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::{Failure, Outcome, code_arg, sign_in, time_arg};
use crate::desk::Desk;
use crate::domain::complainant::may_see;
use crate::domain::escalation::must_urge;
use crate::domain::{Actor, Case, Complainant, DeadlineStatus, StaffId, State};
use crate::store::{CaseFilter, CaseRecord};
use crate::words::time::{DateOnly, rfc3339, show as local};
use crate::words::width::pad;
use crate::words::{Lang, t, tf};

/// `case list` arguments.
#[derive(Debug)]
pub struct ListArgs {
    pub state: Option<String>,
    pub owner: Option<String>,
    pub overdue: bool,
    pub due_before: Option<String>,
    pub search: Option<String>,
    pub limit: usize,
    pub json: bool,
    pub actor: Option<String>,
}

fn viewer(desk: &mut Desk, name: Option<&str>) -> Result<Option<Actor>, Failure> {
    name.map(|n| sign_in(desk, n)).transpose()
}

/// Prints one case. A confidential complainant is shown only to the owner and
/// supervisors, and every such viewing is recorded with its reason.
pub fn show(desk: &mut Desk, number: &str, as_json: bool, actor: Option<&str>, reason: Option<&str>) -> Outcome {
    let words = desk.words();
    let viewer = viewer(desk, actor)?;
    let record = desk.store().case(number).map_err(|e| Failure::store(words, &e))?;
    let viewer = looking(desk, &record, viewer, reason)?;
    if as_json {
        print_json(desk, &record, viewer.as_ref())
    } else {
        print_text(desk, &record, viewer.as_ref())
    }
}

/// Who looks at a case, as far as its complainant goes: the owner or a
/// supervisor of a confidential case, their viewing recorded with its reason
/// (the owner's without one); a supervisor without a reason sees the case as
/// everyone else does (`None`).
pub(super) fn looking(
    desk: &mut Desk,
    record: &CaseRecord,
    viewer: Option<Actor>,
    reason: Option<&str>,
) -> Result<Option<Actor>, Failure> {
    let (lang, words) = (desk.lang, desk.words());
    let number = record.case.number();
    if record.case.intake.confidential
        && let Some(v) = viewer.clone()
        && may_see(Some(&v), record.case.owner, true)
    {
        let owner = v.id == record.case.owner;
        match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                let _now = desk.now();
                desk.record_confidential_view(&v, number, r)
                    .map_err(|e| Failure::store(words, &e))?;
            }
            None if owner => {
                let _now = desk.now();
                let r = t(lang, "cli.show.owner_view");
                desk.record_confidential_view(&v, number, &r)
                    .map_err(|e| Failure::store(words, &e))?;
            }
            // Without a reason a supervisor sees the case as everyone else does.
            None => {
                super::warn(&t(lang, "cli.show.reason_needed"));
                return Ok(None);
            }
        }
    }
    Ok(viewer)
}

/// Warnings a clerk must see about a case (calendar beyond its known years).
#[must_use]
pub fn warnings(desk: &Desk, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    if case.deadlines.values().any(|d| d.beyond_calendar) {
        let years = desk
            .calendar
            .known_years()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        out.push(tf(desk.lang, "cli.calendar_warning", &[("years", years)]));
    }
    out
}

fn status_label(lang: Lang, s: DeadlineStatus) -> String {
    let code = match s {
        DeadlineStatus::Running => "running",
        DeadlineStatus::Overdue => "overdue",
        DeadlineStatus::Paused => "paused",
        DeadlineStatus::Met => "met",
        DeadlineStatus::MetLate => "met_late",
    };
    t(lang, &format!("cli.status.{code}"))
}

fn status_code(s: DeadlineStatus) -> &'static str {
    match s {
        DeadlineStatus::Running => "running",
        DeadlineStatus::Overdue => "overdue",
        DeadlineStatus::Paused => "paused",
        DeadlineStatus::Met => "met",
        DeadlineStatus::MetLate => "met_late",
    }
}

/// The person a case is about, for `case show --json`: name, listed (in
/// the people directory or a desk account, not a free name), job number,
/// department; a case recorded before the directory names its desk account.
fn subject_json(i: &crate::domain::event::Received, names: &HashMap<StaffId, String>) -> Value {
    match (&i.subject_person, i.subject_staff) {
        (Some(p), _) => json!({"name": p.name, "listed": p.listed, "job_number": p.job_number, "dept": p.dept}),
        (None, Some(s)) => json!({"name": name_of(names, s), "listed": true, "job_number": null, "dept": null}),
        (None, None) => Value::Null,
    }
}

fn name_of(names: &HashMap<StaffId, String>, id: StaffId) -> String {
    crate::words::events::staff_name(names, id)
}

/// The case's deadlines, and the steps to urge now.
fn print_deadlines(desk: &Desk, record: &CaseRecord) {
    let (lang, tz, now) = (desk.lang, desk.policy.timezone, desk.now());
    let case = &record.case;
    out!(
        "{} ({})",
        t(lang, "cli.show.deadlines"),
        t(lang, "cli.show.version").replace("{v}", &record.version.to_string())
    );
    let depts = desk.store().dept_names().unwrap_or_default();
    let several = case.assigned_depts.len() > 1;
    let clock_name =
        |kind: crate::domain::DeadlineKind, dept: Option<crate::domain::DeptId>| match dept.filter(|_| several) {
            Some(d) => format!(
                "{}（{}）",
                t(lang, &kind.label_key()),
                depts.get(&d).cloned().unwrap_or_default()
            ),
            None => t(lang, &kind.label_key()),
        };
    // The labels' column as wide as the widest (a department's name may be long).
    let label_w = case
        .deadlines
        .values()
        .map(|d| crate::words::width::width(&clock_name(d.kind, d.dept)))
        .max()
        .unwrap_or(0)
        .max(14);
    for d in case.deadlines.values() {
        let status = d.status(now, case.is_paused());
        let mark = if status == DeadlineStatus::Overdue {
            "⚠ "
        } else {
            "  "
        };
        out!(
            "  {mark}{} {}  {}{}",
            pad(&clock_name(d.kind, d.dept), label_w),
            local(d.due, tz),
            status_label(lang, status),
            if d.extended {
                format!(" ({})", t(lang, "cli.show.extended"))
            } else {
                String::new()
            }
        );
    }
    let urge = must_urge(case, now);
    if !urge.is_empty() {
        let steps: Vec<String> = urge.iter().map(|c| clock_name(c.kind, c.dept)).collect();
        out!("{}", tf(lang, "cli.show.must_urge", &[("steps", steps.join("、"))]));
    }
}

/// The timeline: when, who, and what each step recorded.
fn print_timeline(
    desk: &Desk,
    record: &CaseRecord,
    names: &HashMap<StaffId, String>,
    viewer: Option<&Actor>,
) -> Outcome {
    let words = desk.words();
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    out!("{}", words.t("cli.show.timeline"));
    let events = desk.store().events(record.id).map_err(err)?;
    let depts: HashMap<_, _> = desk
        .store()
        .departments()
        .map_err(err)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let cats = category_names(desk)?;
    let hide = !may_see(viewer, record.case.owner, record.case.intake.confidential);
    let names = crate::words::events::Names::new(names, &depts)
        .with_categories(&cats)
        .hiding_complainant(hide);
    for e in &events {
        out!(
            "  {}  {} {}",
            local(e.at, words.tz),
            pad(&name_of(names.staff, e.actor), 8),
            crate::words::events::step_text(words, e, &names)
        );
    }
    Ok(())
}

fn print_text(desk: &Desk, record: &CaseRecord, viewer: Option<&Actor>) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let case = &record.case;
    let i = &case.intake;
    let names = desk.store().staff_names().map_err(err)?;
    let dept = |id: Option<crate::domain::DeptId>| -> Result<String, Failure> {
        Ok(match id {
            Some(d) => desk.store().department_name(d).map_err(err)?.unwrap_or_default(),
            None => "—".to_string(),
        })
    };
    let flags: Vec<String> = case.flags.iter().map(|f| t(lang, &f.label_key())).collect();
    out!(
        "{} {}  [{}]  {} {}  {}",
        t(lang, "cli.show.case"),
        case.number(),
        t(lang, &case.state.label_key()),
        t(lang, "cli.show.level"),
        case.level,
        flags.join(" ")
    );
    out!(
        "{} {}  {}  {}  {}",
        t(lang, "cli.show.received"),
        local(i.received_at, tz),
        t(lang, &i.channel.label_key()),
        t(lang, &i.kind.label_key()),
        t(lang, &i.severity.label_key()),
    );
    out!(
        "{} {}",
        t(lang, crate::words::person_key(i.kind)),
        complainant_text(lang, case, viewer)
    );
    let category = match i.category {
        Some(c) => desk
            .store()
            .categories()
            .map_err(err)?
            .into_iter()
            .find(|x| x.id == c)
            .map(|x| if lang == Lang::Zh { x.name_zh } else { x.name_en })
            .unwrap_or_default(),
        None => "—".to_string(),
    };
    let case_dept = dept(i.dept)?;
    let subject = crate::words::subject_person(lang, i, Some(case_dept.as_str()), |s| name_of(&names, s));
    out!(
        "{} {} / {}   {} {}",
        t(lang, crate::words::subject_key(i.kind)),
        case_dept,
        subject,
        t(lang, "cli.show.category"),
        category
    );
    out!("{} {}", t(lang, "cli.show.summary"), i.summary);
    if !i.details.is_empty() {
        out!("{} {}", t(lang, "cli.show.details"), i.details);
    }
    out!(
        "{} {}  ({} {})",
        t(lang, "cli.show.owner"),
        name_of(&names, case.owner),
        t(lang, "cli.show.first_receiver"),
        name_of(&names, case.first_receiver)
    );
    if let Some(p) = &case.pending_transfer {
        out!(
            "{}",
            tf(lang, "cli.show.pending_transfer", &[("name", name_of(&names, p.to))])
        );
    }
    super::links::print_related(desk, case, viewer);
    print_deadlines(desk, record);
    print_timeline(desk, record, &names, viewer)?;
    for w in warnings(desk, case) {
        super::warn(&w);
    }
    Ok(())
}

/// An event's complainant taken out for a viewer who may not see them: the
/// intake's, and a correction's old and new values of theirs.
fn hide_complainant(m: &mut Map<String, Value>, body: &crate::domain::EventBody) {
    m.remove("complainant");
    if matches!(body, crate::domain::EventBody::Corrected { field, .. } if field.is_complainant()) {
        m.remove("old");
        m.remove("new");
        m.insert("confidential".into(), json!(true));
    }
}

/// Category labels by id, in the desk's language (a correction names them).
fn category_names(desk: &Desk) -> Result<HashMap<crate::domain::CategoryId, String>, Failure> {
    let words = desk.words();
    Ok(desk
        .store()
        .categories()
        .map_err(|e| Failure::store(words, &e))?
        .into_iter()
        .map(|c| (c.id, if desk.lang == Lang::Zh { c.name_zh } else { c.name_en }))
        .collect())
}

fn complainant_text(lang: Lang, case: &Case, viewer: Option<&Actor>) -> String {
    match &case.intake.complainant {
        Complainant::Anonymous => t(lang, "cli.show.anonymous"),
        Complainant::Named { .. } if !may_see(viewer, case.owner, case.intake.confidential) => {
            t(lang, "cli.show.confidential")
        }
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => [Some(name.clone()), phone.clone(), relation.clone(), address.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("  "),
    }
}

/// The stable JSON form of a case (documented in the README).
pub fn case_json(desk: &Desk, record: &CaseRecord, viewer: Option<&Actor>) -> Result<Value, Failure> {
    let words = desk.words();
    let tz = desk.policy.timezone;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let case = &record.case;
    let i = &case.intake;
    let names = desk.store().staff_names().map_err(err)?;
    let now = desk.now();
    let visible = may_see(viewer, case.owner, i.confidential);
    let complainant = match &i.complainant {
        Complainant::Anonymous => json!({"anonymous": true}),
        Complainant::Named { .. } if !visible => json!({"confidential": true}),
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => json!({"name": name, "phone": phone, "address": address, "relation": relation}),
    };
    let dept_name = |d: Option<crate::domain::DeptId>| -> Result<Option<String>, Failure> {
        d.map(|d| desk.store().department_name(d).map_err(err))
            .transpose()
            .map(Option::flatten)
    };
    let category = match i.category {
        Some(c) => desk
            .store()
            .categories()
            .map_err(err)?
            .into_iter()
            .find(|x| x.id == c)
            .map(|x| x.code),
        None => None,
    };
    let depts = desk.store().dept_names().map_err(err)?;
    let dept_of = |d: Option<crate::domain::DeptId>| d.map(|d| depts.get(&d).cloned().unwrap_or_default());
    let mut deadlines = Map::new();
    let mut details = Vec::new();
    // The running clocks by step, the nearest of several departments' for a
    // step; every clock, each department's named, in the details.
    let mut running: Vec<&crate::domain::Deadline> = case.deadlines.values().filter(|d| d.is_running()).collect();
    running.sort_by_key(|d| std::cmp::Reverse(d.due));
    for d in running {
        deadlines.insert(d.kind.code().to_string(), json!(rfc3339(d.due, tz)));
    }
    for d in case.deadlines.values() {
        details.push(json!({
            "name": d.kind.code(),
            "dept": dept_of(d.dept),
            "start": rfc3339(d.start, tz),
            "due": rfc3339(d.due, tz),
            "met_at": d.met_at.map(|m| rfc3339(m, tz)),
            "status": status_code(d.status(now, case.is_paused())),
            "extended": d.extended,
            "beyond_calendar": d.beyond_calendar,
        }));
    }
    let events = desk.store().events(record.id).map_err(err)?;
    let portable = crate::exchange::Names::of(desk.store()).ok();
    let events: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
            // Names, not this desk's row ids: the same case reads the same on any desk.
            if let Some(n) = &portable {
                crate::exchange::to_portable(&mut v, n);
            }
            if let Value::Object(m) = &mut v {
                m.insert("seq".into(), json!(n + 1));
                m.insert("actor".into(), json!(name_of(&names, e.actor)));
                m.insert("at".into(), json!(rfc3339(e.at, tz)));
                if !visible {
                    hide_complainant(m, &e.body);
                }
            }
            v
        })
        .collect();
    Ok(json!({
        "number": case.number(),
        "version": record.version,
        "state": case.state.code(),
        "kind": i.kind.code(),
        "channel": i.channel.code(),
        "origin": i.origin.code(),
        "severity": i.severity.code(),
        "received_at": rfc3339(i.received_at, tz),
        "summary": i.summary,
        "details": i.details,
        "complainant": complainant,
        "confidential": i.confidential,
        "follows": i.follows,
        "dept": dept_name(i.dept)?,
        "assigned_dept": dept_name(case.assignment.map(|(d, _)| d))?,
        "subject_staff": i.subject_staff.map(|s| name_of(&names, s)),
        "subject_person": subject_json(i, &names),
        "category": category,
        "owner": name_of(&names, case.owner),
        "first_receiver": name_of(&names, case.first_receiver),
        "pending_transfer": case.pending_transfer.as_ref().map(|p| name_of(&names, p.to)),
        "level": case.level,
        "flags": case.flags.iter().map(|f| f.code()).collect::<Vec<_>>(),
        "round": case.round,
        "paused": case.is_paused(),
        "urges": case.urges,
        "must_urge": must_urge(case, now).iter().map(|c| c.kind.code()).collect::<std::collections::BTreeSet<_>>(),
        "must_urge_details": must_urge(case, now)
            .iter()
            .map(|c| json!({"name": c.kind.code(), "dept": dept_of(c.dept)}))
            .collect::<Vec<_>>(),
        "departments": departments_json(case, &depts, &names, tz),
        "closed_at": case.closed_at.map(|c| rfc3339(c, tz)),
        "deadlines": deadlines,
        "deadline_details": details,
        "calendar_warning": case.deadlines.values().any(|d| d.beyond_calendar),
        "events": events,
    }))
}

/// Each department's part in the case: its clock's mode, urges, reply or release.
fn departments_json(
    case: &crate::domain::Case,
    depts: &HashMap<crate::domain::DeptId, String>,
    names: &HashMap<StaffId, String>,
    tz: chrono_tz::Tz,
) -> Vec<Value> {
    case.departments
        .iter()
        .map(|t| {
            json!({
                "dept": depts.get(&t.dept),
                "mode": t.mode.code(),
                "round": t.round,
                "assigned_at": rfc3339(t.assigned_at, tz),
                "urges": t.urges,
                "reply": t.reply.as_ref().map(|r| json!({
                    "verdict": r.verdict.code(),
                    "by": name_of(names, r.by),
                    "at": rfc3339(r.at, tz),
                    "tier": r.tier.map(crate::domain::Tier::code),
                    "responsible": r.responsible,
                })),
                "released": t.released,
                "pending": t.round == case.round && t.is_pending(),
            })
        })
        .collect()
}

/// Prints a case as JSON.
pub fn print_json(desk: &Desk, record: &CaseRecord, viewer: Option<&Actor>) -> Outcome {
    let mut value = case_json(desk, record, viewer)?;
    super::links::add_related(&mut value, desk, &record.case, viewer);
    out_json!(serde_json::to_string_pretty(&value).unwrap_or_default());
    Ok(())
}

/// Prints a list of cases.
pub fn list(desk: &mut Desk, args: &ListArgs) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let viewer = viewer(desk, args.actor.as_deref())?;
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let now = desk.now();
    let filter = CaseFilter {
        state: args
            .state
            .as_deref()
            .map(|s| code_arg(lang, State::parse(s)))
            .transpose()?,
        open_only: false,
        owner: args
            .owner
            .as_deref()
            .map(|o| desk.store().staff_by_name(o).map(|a| a.id.0))
            .transpose()
            .map_err(err)?,
        overdue_at: args.overdue.then_some(now),
        due_before: args
            .due_before
            .as_deref()
            .map(|d| time_arg(desk, d, DateOnly::EndOfDay))
            .transpose()?,
        search: args.search.clone(),
        limit: args.limit,
        ..CaseFilter::default()
    };
    let rows = desk.store().list(&filter, viewer.as_ref()).map_err(err)?;
    print_rows(desk, &rows, args.json)
}

/// Prints a case list a line each (⚠ before an overdue case), or as JSON.
pub(super) fn print_rows(desk: &Desk, rows: &[crate::store::CaseRow], json: bool) -> Outcome {
    let (lang, now, tz) = (desk.lang, desk.now(), desk.policy.timezone);
    if json {
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "number": r.number,
                    "received_at": rfc3339(r.received_at, tz),
                    "state": r.state,
                    "kind": r.kind,
                    "severity": r.severity,
                    "level": r.level,
                    "flags": r.flags,
                    "summary": r.summary,
                    "dept": r.dept,
                    "owner": r.owner,
                    "complainant": r.complainant,
                    "next_due": r.next_due.map(|d| rfc3339(d, tz)),
                    "overdue": r.next_due.is_some_and(|d| d < now) && r.state != "closed",
                })
            })
            .collect();
        out_json!(serde_json::to_string_pretty(&rows).unwrap_or_default());
        return Ok(());
    }
    for r in rows {
        let overdue = r.next_due.is_some_and(|d| d < now) && r.state != "closed";
        let state = State::parse(&r.state).map_or_else(|_| r.state.clone(), |s| t(lang, &s.label_key()));
        out!(
            "{}{}  {}  {} L{}  {} {}  {}",
            if overdue { "⚠ " } else { "  " },
            r.number,
            local(r.received_at, tz),
            pad(&state, 8),
            r.level,
            pad(&crate::words::visible_line(r.dept.as_deref().unwrap_or("—")), 10),
            r.next_due.map_or_else(|| "—".into(), |d| local(d, tz)),
            crate::words::visible_line(&r.summary)
        );
    }
    if rows.is_empty() {
        super::warn(&t(lang, "cli.list_empty"));
    }
    Ok(())
}
