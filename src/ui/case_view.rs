//! A case's page as it is drawn: what it shows (header, every running
//! deadline, the timeline) and the drawing; `case_page` handles its keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use std::collections::HashMap;

use super::component::Cx;
use super::queue::due_text;
use super::steps::Step;
use super::widgets::wrap::wrap_labelled;
use crate::domain::complainant::may_see;
use crate::domain::{CategoryId, DeptId, Event, StaffId};
use crate::domain::{Complainant, DeadlineStatus};
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
    /// Category labels by id, in the clerk's language.
    pub categories: HashMap<CategoryId, String>,
    /// As last drawn: the rows shown and how far the page can scroll.
    pub view: std::cell::Cell<(u16, u16)>,
    /// The case's links, each with what the clerk may read of the other case.
    pub links: Vec<crate::desk::LinkView>,
    /// Which link `J` opens next.
    pub next_link: usize,
}

/// A staff member's name on the page (read with the case, not on every frame).
fn name(page: &CasePage, id: crate::domain::StaffId) -> String {
    crate::words::events::staff_name(&page.names, id)
}

/// One field of the header: its label and its text, wrapped under the label.
fn field(lines: &mut Vec<Line<'static>>, label: &str, text: &str, width: usize) {
    for l in wrap_labelled(&format!("{label} "), text, width) {
        lines.push(Line::from(l));
    }
}

/// What the case is: number, state, level, flags, received, complainant, what it
/// is about, who owns it, summary and details, each wrapped to `width`.
fn header_lines(cx: &Cx<'_>, page: &CasePage, width: usize) -> Vec<Line<'static>> {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let case = &page.record.case;
    let i = &case.intake;
    let name = |id| name(page, id);
    let none = || "—".to_string();
    let who = match &i.complainant {
        Complainant::Anonymous => t(lang, "cli.show.anonymous"),
        Complainant::Named { .. } if i.confidential && !(page.revealed && may_see(cx.user, case.owner, true)) => {
            t(lang, "ui.case.confidential_hint")
        }
        Complainant::Named {
            name,
            phone,
            address,
            relation,
        } => [Some(name.clone()), phone.clone(), relation.clone(), address.clone()]
            .into_iter()
            .flatten()
            .filter(|x| !x.trim().is_empty())
            .collect::<Vec<_>>()
            .join("  "),
    };
    let flags: Vec<String> = case.flags.iter().map(|f| t(lang, &f.label_key())).collect();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}  ", case.number()), cx.theme.focus()),
        Span::raw(format!(
            "[{}]  {} {}  {}",
            t(lang, &case.state.label_key()),
            t(lang, "cli.show.level"),
            case.level,
            flags.join(" ")
        )),
    ])];
    let received = format!(
        "{}  {}  {}  {}",
        show(i.received_at, tz),
        t(lang, &i.channel.label_key()),
        t(lang, &i.kind.label_key()),
        t(lang, &i.severity.label_key())
    );
    field(&mut lines, &t(lang, "cli.show.received"), &received, width);
    field(&mut lines, &t(lang, crate::words::person_key(i.kind)), &who, width);
    let case_dept = i.dept.and_then(|d| page.depts.get(&d).cloned());
    let subject = format!(
        "{} / {}   {} {}",
        case_dept.clone().unwrap_or_else(none),
        crate::words::subject_person(lang, i, case_dept.as_deref(), name),
        t(lang, "cli.show.category"),
        i.category
            .and_then(|c| page.categories.get(&c).cloned())
            .unwrap_or_else(none),
    );
    field(&mut lines, &t(lang, crate::words::subject_key(i.kind)), &subject, width);
    if !case.assigned_depts.is_empty() {
        // Each department of this round with where its reply stands.
        let depts: Vec<String> = case
            .assigned_depts
            .iter()
            .map(|d| {
                let dept = page.depts.get(d).cloned().unwrap_or_else(none);
                let stands = case.department(*d).map(|task| match (&task.reply, task.released) {
                    (Some(r), _) => t(lang, &r.verdict.label_key()),
                    (None, true) => t(lang, "ui.case.released"),
                    (None, false) => t(lang, "ui.case.awaiting_reply"),
                });
                match stands {
                    Some(s) if case.assigned_depts.len() > 1 => format!("{dept}（{s}）"),
                    _ => dept,
                }
            })
            .collect();
        field(&mut lines, &t(lang, "ui.case.assigned"), &depts.join("、"), width);
    }
    if let Some(first) = &i.follows {
        let text = tf(lang, "ui.case.follows", &[("number", first.clone())]);
        lines.extend(wrap_labelled("", &text, width).into_iter().map(Line::from));
    }
    let owner = format!(
        "{}   {} {}",
        name(case.owner),
        t(lang, "cli.show.first_receiver"),
        name(case.first_receiver)
    );
    field(&mut lines, &t(lang, "cli.show.owner"), &owner, width);
    field(&mut lines, &t(lang, "cli.show.summary"), &i.summary, width);
    if !i.details.trim().is_empty() {
        field(&mut lines, &t(lang, "cli.show.details"), &i.details, width);
    }
    if let Some(p) = &case.pending_transfer {
        let text = tf(lang, "cli.show.pending_transfer", &[("name", name(p.to))]);
        lines.extend(wrap_labelled("", &text, width).into_iter().map(Line::from));
    }
    lines
}
/// Every running deadline, overdue ones marked.
fn deadline_lines(cx: &Cx<'_>, page: &CasePage, width: usize) -> Vec<Line<'static>> {
    let (lang, tz, now) = (cx.lang(), cx.desk.policy.timezone, cx.now);
    let case = &page.record.case;
    let mut dl_lines: Vec<Line<'static>> = Vec::new();
    // The labels' column as wide as the longest label shown, leaving room for
    // the due time and what is left of it.
    // With several departments assigned, a reply clock says whose it is.
    let several = case.assigned_depts.len() > 1;
    let label = |d: &crate::domain::Deadline| match d.dept.filter(|_| several) {
        Some(dept) => format!(
            "{}（{}）",
            t(lang, &d.kind.label_key()),
            page.depts.get(&dept).cloned().unwrap_or_default()
        ),
        None => t(lang, &d.kind.label_key()),
    };
    let label_w = case
        .deadlines
        .values()
        .filter(|d| d.is_running())
        .map(|d| crate::words::width::width(&label(d)))
        .max()
        .unwrap_or(0)
        .clamp(8, width.saturating_sub(30).max(8));
    for d in case.deadlines.values().filter(|d| d.is_running()) {
        let status = d.status(now, case.is_paused());
        let overdue = status == DeadlineStatus::Overdue;
        let text = format!(
            "{}{}  {}  {}{}",
            if overdue { "⚠ " } else { "  " },
            crate::words::width::pad(&label(d), label_w),
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

/// Linked cases (number, how, summary for who may read it), batch incidents
/// and attachments (number, name, size, type, who, when).
fn related_lines(cx: &Cx<'_>, page: &CasePage, width: usize) -> Vec<Line<'static>> {
    let (lang, tz) = (cx.lang(), cx.desk.policy.timezone);
    let r = &page.record.case.related;
    let mut lines = Vec::new();
    let mut push = |label: String, text: String| {
        lines.extend(wrap_labelled(&label, &text, width).into_iter().map(Line::from));
    };
    for v in &page.links {
        let summary = v
            .summary
            .clone()
            .unwrap_or_else(|| t(lang, "cli.show.confidential_summary"));
        let state = v
            .state
            .map(|s| format!("[{}] ", t(lang, &s.label_key())))
            .unwrap_or_default();
        push(
            format!("{} {} ", v.link.other, t(lang, &v.link.relation.label_key())),
            if lang == crate::words::Lang::Zh {
                format!("{state}{summary}（{}）", v.link.reason)
            } else {
                format!("{state}{summary} ({})", v.link.reason)
            },
        );
    }
    for b in &r.batches {
        push(
            format!("{} ", t(lang, "ui.case.batch")),
            format!("{} {}", b.batch, b.title),
        );
    }
    for a in &r.attachments {
        push(
            format!("{} #{} ", t(lang, "ui.case.attachment"), a.n),
            format!(
                "{}  {}  {}  {} {}",
                a.name,
                crate::words::events::file_size(a.size),
                a.mime,
                name(page, a.by),
                show(a.at, tz)
            ),
        );
    }
    lines
}

/// The timeline: when, who, and what each step recorded, wrapped to `width`.
fn timeline_lines(cx: &Cx<'_>, page: &CasePage, width: usize) -> Vec<Line<'static>> {
    let words = cx.words();
    let case = &page.record.case;
    // A confidential complainant's corrected values only where the header shows them.
    let hide = case.intake.confidential && !(page.revealed && may_see(cx.user, case.owner, true));
    let names = crate::words::events::Names::new(&page.names, &page.depts)
        .with_categories(&page.categories)
        .hiding_complainant(hide);
    let mut lines = Vec::new();
    for e in &page.events {
        let head = format!(
            "{}  {} ",
            show(e.at, words.tz),
            crate::words::width::pad(&name(page, e.actor), 8)
        );
        let text = crate::words::events::step_text(words, e, &names);
        lines.extend(wrap_labelled(&head, &text, width).into_iter().map(Line::from));
    }
    lines
}

/// The whole page as one document: the case, its running deadlines, its timeline.
#[must_use]
pub fn document(cx: &Cx<'_>, page: &CasePage, width: usize) -> Vec<Line<'static>> {
    let section = |key: &str| Line::styled(format!("— {} —", t(cx.lang(), key)), cx.theme.focus());
    let mut lines = header_lines(cx, page, width);
    let related = related_lines(cx, page, width);
    if !related.is_empty() {
        lines.push(Line::from(""));
        lines.push(section("ui.case.related"));
        lines.extend(related);
    }
    lines.push(Line::from(""));
    lines.push(section("cli.show.deadlines"));
    lines.extend(deadline_lines(cx, page, width));
    lines.push(Line::from(""));
    lines.push(section("cli.show.timeline"));
    lines.extend(timeline_lines(cx, page, width));
    lines
}

/// Draws the case page (and its open step form): one scrolling document, every
/// text wrapped, so nothing is cut at any size.
pub fn render(cx: &Cx<'_>, page: &CasePage, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let block = Block::default().borders(Borders::ALL);
    let inner = block.inner(area);
    let lines = document(cx, page, usize::from(inner.width));
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let max = total.saturating_sub(inner.height);
    page.view.set((inner.height, max));
    let scroll = page.scroll.min(max);
    let title = if scroll < max {
        format!("{} · {}", t(lang, "ui.case.title"), t(lang, "ui.case.more"))
    } else {
        t(lang, "ui.case.title")
    };
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(block.title(title)),
        area,
    );
    if let Some(step) = &page.step {
        super::steps::render(cx, step, frame, inner);
    }
}
