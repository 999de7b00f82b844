//! Due times: the clocks a step starts, moves or leaves behind.

use chrono::{Days, Months};

use super::Context;
use crate::domain::case::Outcome;
use crate::domain::deadline::{end_of_day, local_date, working_days_due};
use crate::domain::event::{Due, Exemption, Shift};
use crate::domain::gate::visit_required;
use crate::domain::{AssignMode, Case, Deadline, DeadlineKind, DeptId, Kind, Origin, Time};

/// The return-visit clock after a result reached the complainant, unless none is needed.
pub(super) fn visit_due_after_result(case: &Case, ctx: &Context<'_>, outcome: Option<Outcome>) -> Vec<Due> {
    let mut probe = case.clone();
    if outcome.is_some() {
        probe.outcome = outcome;
    }
    if !visit_required(&probe, ctx.policy) {
        return Vec::new();
    }
    vec![working_days_due(
        DeadlineKind::ReturnVisit,
        ctx.now,
        ctx.policy.deadlines.return_visit_wd,
        ctx.policy.timezone,
        ctx.calendar,
    )]
}

pub(super) fn assignment_dues(case: &Case, dept: DeptId, mode: AssignMode, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
    let cal = ctx.calendar;
    let mut dues = if case.intake.origin == Origin::Internal {
        vec![
            working_days_due(
                DeadlineKind::InternalFirstInvestigation,
                ctx.now,
                limits.internal_first_investigation_wd,
                tz,
                cal,
            ),
            working_days_due(
                DeadlineKind::InternalProcess,
                ctx.now,
                limits.internal_process_wd,
                tz,
                cal,
            ),
        ]
    } else {
        let wd = match mode {
            AssignMode::Written => limits.department_reply_written_wd,
            AssignMode::Phone => limits.department_reply_phone_wd,
        };
        vec![working_days_due(DeadlineKind::DepartmentReply, ctx.now, wd, tz, cal)]
    };
    for due in &mut dues {
        due.dept = Some(dept);
    }
    // A second department makes it a multi-department case: the hospital
    // preset's longer answer limit applies, recorded here on the timeline.
    let becomes_multi = !case.assigned_depts.is_empty() && !case.assigned_depts.contains(&dept);
    let answer_running = case.clock(DeadlineKind::Answer).is_some_and(Deadline::is_running);
    if becomes_multi && answer_running && limits.answer_multi_dept_wd > limits.answer_wd {
        dues.push(working_days_due(
            DeadlineKind::Answer,
            case.intake.received_at,
            limits.answer_multi_dept_wd,
            tz,
            cal,
        ));
    }
    dues
}

/// Archive, and the monthly follow-ups of an external complaint (not when the
/// complainant could not be reached).
pub(super) fn closing_dues(case: &Case, exemption: Option<Exemption>, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
    let mut dues = vec![archive_due(ctx)];
    if case.intake.kind == Kind::Complaint
        && case.intake.origin == Origin::External
        && case.intake.complainant.has_contact()
        && exemption != Some(Exemption::Unreachable)
    {
        let today = local_date(tz, ctx.now);
        for n in 1..=limits.follow_up_count.min(3) {
            let Some(kind) = DeadlineKind::follow_up(n) else {
                continue;
            };
            let months = Months::new(n * limits.follow_up_interval_months);
            let day = today.checked_add_months(months).unwrap_or(today);
            dues.push(Due {
                deadline: kind,
                start: ctx.now,
                due: end_of_day(tz, day),
                beyond_calendar: false,
                dept: None,
            });
        }
    }
    dues
}

pub(super) fn archive_due(ctx: &Context<'_>) -> Due {
    working_days_due(
        DeadlineKind::Archive,
        ctx.now,
        ctx.policy.deadlines.archive_wd,
        ctx.policy.timezone,
        ctx.calendar,
    )
}

/// Working-day clocks gain the working days the case spent paused; clocks of
/// plain hours and promises made to the complainant stay where they are.
pub(super) fn pause_shifts(case: &Case, since: Time, ctx: &Context<'_>) -> Vec<Shift> {
    let tz = ctx.policy.timezone;
    let paused_from = local_date(tz, since);
    let until = local_date(tz, ctx.now);
    case.running_deadlines()
        .filter(|d| !matches!(d.kind, DeadlineKind::ReportToLeadership | DeadlineKind::PromisedReply))
        .filter(|d| d.due > since)
        .filter_map(|d| {
            // A clock loses only the paused days it would have counted: none
            // before the day after it started (it may have started during the pause).
            let counted_from = local_date(tz, d.start)
                .succ_opt()
                .map_or(paused_from, |s| s.max(paused_from));
            // Working days w with counted_from <= w < until.
            let paused = match (
                counted_from.checked_sub_days(Days::new(1)),
                until.checked_sub_days(Days::new(1)),
            ) {
                (Some(a), Some(b)) => ctx.calendar.working_days_between(a, b),
                _ => 0,
            };
            (paused > 0).then(|| {
                let day = ctx.calendar.add_working_days(local_date(tz, d.due), paused);
                Shift {
                    deadline: d.kind,
                    from: d.due,
                    to: end_of_day(tz, day.date),
                    dept: d.dept,
                }
            })
        })
        .collect()
}

/// A drug-quality incident's two clocks from `start` (002 pharmacy): its
/// report to quality management within `quality_report_wd` working days, its
/// cause and result within `quality_result_months` months.
pub(crate) fn quality_dues(start: Time, ctx: &Context<'_>) -> Vec<Due> {
    let limits = &ctx.policy.deadlines;
    let tz = ctx.policy.timezone;
    let day = local_date(tz, start);
    let month_later = day
        .checked_add_months(Months::new(limits.quality_result_months))
        .unwrap_or(day);
    vec![
        working_days_due(
            DeadlineKind::QualityReport,
            start,
            limits.quality_report_wd,
            tz,
            ctx.calendar,
        ),
        Due {
            deadline: DeadlineKind::QualityResult,
            start,
            due: end_of_day(tz, month_later),
            beyond_calendar: false,
            dept: None,
        },
    ]
}
