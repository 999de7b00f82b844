//! A case's page as it is drawn: what it shows (header, every running
//! deadline, the timeline) and the drawing; `case_page` handles its keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use std::collections::HashMap;

use super::component::Cx;
use super::queue::due_text;
use super::steps::Step;
use crate::domain::complainant::may_see;
use crate::domain::{Complainant, DeadlineStatus};
use crate::domain::{DeptId, Event, StaffId};
use crate::store::CaseRecord;
use crate::words::time::show;
use crate::words::{t, tf};

/// A case's page.
#[derive(Debug)]
pub struct CasePage {
    /// The case as last read (its version is what a step is based on).
    pub record: CaseRecord,
    /// Timeline scroll.
    pub scroll: u16,
    /// An open step form.
    pub step: Option<Step>,
    /// A confidential complainant was shown (the viewing is recorded).
    pub revealed: bool,
    /// The timeline, read with the record (not on every frame).
    pub events: Vec<Event>,
    /// Staff names by id, for the timeline.
    pub names: HashMap<StaffId, String>,
    /// Department names by id.
    pub depts: HashMap<DeptId, String>,
}

/// A staff member's name on the page (read with the case, not on every frame).
fn name(page: &CasePage, id: crate::domain::StaffId) -> String {
    crate::words::events::staff_name(&page.names, id)
}

/// What the case is: number, state, level, flags, received, complainant, owner, summary.
fn header_lines(cx: &Cx<'_>, page: &CasePage) -> Vec<Line<'static>> {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let theme = cx.theme;
    let case = &page.record.case;
    let i = &case.intake;
    let name = |id| name(page, id);
    let dept = |d: Option<crate::domain::DeptId>| {
        d.and_then(|d| page.depts.get(&d).cloned())
            .unwrap_or_else(|| "—".into())
    };
    let who = match &i.complainant {
        Complainant::Anonymous => t(lang, "cli.show.anonymous"),
        Complainant::Named { .. } if i.confidential && !(page.revealed && may_see(cx.user, case.owner, true)) => {
            t(lang, "ui.case.confidential_hint")
        }
        Complainant::Named {
            name, phone, relation, ..
        } => [Some(name.clone()), phone.clone(), relation.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("  "),
    };
    let flags: Vec<String> = case.flags.iter().map(|f| t(lang, &f.label_key())).collect();
    let mut header = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", case.number()), theme.focus()),
            Span::raw(format!(
                "[{}]  {} {}  {}",
                t(lang, &case.state.label_key()),
                t(lang, "cli.show.level"),
                case.level,
                flags.join(" ")
            )),
        ]),
        Line::from(format!(
            "{} {}  {}  {}  {}",
            t(lang, "cli.show.received"),
            show(i.received_at, tz),
            t(lang, &i.channel.label_key()),
            t(lang, &i.kind.label_key()),
            t(lang, &i.severity.label_key())
        )),
        Line::from(format!("{} {}", t(lang, "cli.show.complainant"), who)),
        Line::from(format!(
            "{} {}   {} {}",
            t(lang, "cli.show.subject"),
            dept(i.dept),
            t(lang, "cli.show.owner"),
            name(case.owner)
        )),
        Line::from(format!("{} {}", t(lang, "cli.show.summary"), i.summary)),
    ];
    if !i.details.is_empty() {
        header.push(Line::from(format!("{} {}", t(lang, "cli.show.details"), i.details)));
    }
    if let Some(p) = &case.pending_transfer {
        header.push(Line::from(tf(
            lang,
            "cli.show.pending_transfer",
            &[("name", name(p.to))],
        )));
    }
    header
}

/// Every running deadline, overdue ones marked.
fn deadline_lines(cx: &Cx<'_>, page: &CasePage) -> Vec<Line<'static>> {
    let (lang, tz, now) = (cx.lang(), cx.desk.policy.timezone, cx.now);
    let case = &page.record.case;
    let mut dl_lines: Vec<Line<'static>> = Vec::new();
    for d in case.deadlines.values().filter(|d| d.is_running()) {
        let status = d.status(now, case.is_paused());
        let overdue = status == DeadlineStatus::Overdue;
        let text = format!(
            "{}{}  {}  {}{}",
            if overdue { "⚠ " } else { "  " },
            crate::words::width::pad(&t(lang, &d.kind.label_key()), 14),
            show(d.due, tz),
            if status == DeadlineStatus::Paused {
                t(lang, "cli.status.paused")
            } else {
                due_text(lang, d.due, now)
            },
            if d.beyond_calendar {
                format!("  {}", t(lang, "ui.case.beyond_calendar"))
            } else {
                String::new()
            }
        );
        dl_lines.push(if overdue {
            Line::styled(text, cx.theme.overdue())
        } else {
            Line::from(text)
        });
    }
    if dl_lines.is_empty() {
        dl_lines.push(Line::from(t(lang, "ui.case.no_deadlines")));
    }
    dl_lines
}

/// The timeline, one line per step.
fn timeline_lines(cx: &Cx<'_>, page: &CasePage) -> Vec<Line<'static>> {
    let (lang, tz) = (cx.lang(), cx.desk.policy.timezone);
    page.events
        .iter()
        .map(|e| {
            Line::from(format!(
                "{}  {}  {}",
                show(e.at, tz),
                crate::words::width::pad(&name(page, e.actor), 8),
                t(lang, &format!("event.{}", e.body.kind_code()))
            ))
        })
        .collect()
}

/// Draws the case page (and its open step form).
pub fn render(cx: &Cx<'_>, page: &CasePage, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let header = header_lines(cx, page);
    let dl_lines = deadline_lines(cx, page);
    let dl_height = u16::try_from(dl_lines.len().max(1)).unwrap_or(1) + 2;
    let head_h = u16::try_from(header.len()).unwrap_or(5) + 2;
    let [head, dls, timeline] = Layout::vertical([
        Constraint::Length(head_h.min(area.height / 2)),
        Constraint::Length(dl_height.min(area.height / 3)),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(header)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(t(lang, "ui.case.title"))),
        head,
    );
    frame.render_widget(
        Paragraph::new(dl_lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(t(lang, "cli.show.deadlines")),
        ),
        dls,
    );
    let lines = timeline_lines(cx, page);
    frame.render_widget(
        Paragraph::new(lines).scroll((page.scroll, 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .title(t(lang, "cli.show.timeline")),
        ),
        timeline,
    );
    if let Some(step) = &page.step {
        super::steps::render(cx, step, frame, area);
    }
}
