//! The worklists: return visits due, replies past due to urge, past handovers.

use std::cell::Cell as Remembered;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::component::{Component, Cx, Effect, Go};
use super::keymap::{Action, Scope};
use super::widgets::columns::{Column, fit, pick, scroll};
use crate::domain::StepKind;
use crate::domain::deadline::local_date;
use crate::store::visits::{OverdueReply, VisitCounts, VisitDue, WORKLIST_LIMIT};
use crate::words::time::show;
use crate::words::{Lang, t, tf};

/// Rows PageUp and PageDown move.
const PAGE_STEP: usize = 10;

/// A worklist: return visits due, or replies to urge.
#[derive(Debug)]
pub enum Worklist {
    /// Visits to make: the return visits first, then the follow-ups.
    Visits(Vec<VisitDue>),
    /// Replies past due.
    Urges(Vec<OverdueReply>),
    /// Past handovers, newest first.
    Handovers(Vec<crate::domain::handover::Handover>),
}

/// A worklist screen.
#[derive(Debug)]
pub struct ListView {
    /// The list.
    pub list: Worklist,
    /// Selected row.
    pub selected: usize,
    /// How many visits wait (the list reads at most [`WORKLIST_LIMIT`] of each kind).
    pub counts: VisitCounts,
    /// Staff names, for past handovers.
    names: std::collections::HashMap<crate::domain::StaffId, String>,
    /// The first row shown (kept between frames so the view moves only when the selection leaves it).
    offset: Remembered<usize>,
}

impl ListView {
    fn new(list: Worklist) -> Self {
        ListView {
            list,
            selected: 0,
            counts: VisitCounts::default(),
            names: std::collections::HashMap::new(),
            offset: Remembered::new(0),
        }
    }

    /// The return visits due (read when opened).
    #[must_use]
    pub fn visits() -> Self {
        Self::new(Worklist::Visits(Vec::new()))
    }

    /// The replies past due (read when opened).
    #[must_use]
    pub fn urges() -> Self {
        Self::new(Worklist::Urges(Vec::new()))
    }

    /// Past handovers.
    #[must_use]
    pub fn handovers(list: Vec<crate::domain::handover::Handover>) -> Self {
        Self::new(Worklist::Handovers(list))
    }

    fn len(&self) -> usize {
        match &self.list {
            Worklist::Visits(v) => v.len(),
            Worklist::Urges(u) => u.len(),
            Worklist::Handovers(h) => h.len(),
        }
    }

    /// Where the follow-ups begin in the visits list (its length when there are none).
    fn first_follow_up(&self) -> usize {
        match &self.list {
            Worklist::Visits(v) => v.iter().position(VisitDue::is_follow_up).unwrap_or(v.len()),
            _ => 0,
        }
    }

    fn number(&self) -> Option<String> {
        match &self.list {
            Worklist::Visits(v) => v.get(self.selected).map(|x| x.number.clone()),
            Worklist::Urges(u) => u.get(self.selected).map(|x| x.number.clone()),
            Worklist::Handovers(_) => None,
        }
    }

    /// Moves the selection by a key.
    fn move_by(&mut self, action: Action) {
        let last = self.len().saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => self.selected + 1,
            Action::PageUp => self.selected.saturating_sub(PAGE_STEP),
            Action::PageDown => self.selected + PAGE_STEP,
            Action::Top => 0,
            Action::Bottom => last,
            // Tab: to the follow-ups, and back to the return visits.
            _ => {
                let follow = self.first_follow_up();
                if self.selected < follow && follow < self.len() {
                    follow
                } else {
                    0
                }
            }
        }
        .min(last);
    }
}

impl Component for ListView {
    fn scope(&self) -> Scope {
        match self.list {
            Worklist::Visits(_) => Scope::Visits,
            Worklist::Urges(_) => Scope::Urges,
            Worklist::Handovers(_) => Scope::History,
        }
    }

    fn on_action(&mut self, action: Action, _cx: &Cx<'_>) -> Effect {
        match action {
            Action::Back => return Effect::Back,
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::NextField => self.move_by(action),
            Action::Open if matches!(self.list, Worklist::Handovers(_)) => {
                if let Worklist::Handovers(h) = &self.list
                    && let Some(x) = h.get(self.selected)
                {
                    return Effect::Go(Go::HandoverId(x.id));
                }
            }
            Action::Open => {
                if let Some(number) = self.number() {
                    return Effect::Go(Go::Case(number));
                }
            }
            Action::Step(kind @ (StepKind::Visit | StepKind::VisitFailed | StepKind::Urge)) => {
                if let Some(number) = self.number() {
                    return Effect::Go(Go::CaseStep(number, kind));
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        let store = cx.desk.store();
        let read = match &self.list {
            Worklist::Visits(_) => crate::store::visits::worklist(store).map(Worklist::Visits),
            Worklist::Urges(_) => crate::store::visits::overdue_replies(store, cx.now).map(Worklist::Urges),
            Worklist::Handovers(_) => store.handovers(200).map(Worklist::Handovers),
        };
        let counts = if matches!(self.list, Worklist::Visits(_)) {
            crate::store::visits::counts(store)
        } else {
            Ok(VisitCounts::default())
        };
        let read = read.and_then(|list| Ok((list, store.staff_names()?, counts?)));
        match read {
            Ok((list, names, counts)) => {
                // Keep the selected case selected when the list changed around it.
                let keep = self.number();
                self.list = list;
                self.names = names;
                self.counts = counts;
                if let (Some(n), Worklist::Visits(v)) = (&keep, &self.list)
                    && let Some(at) = v.iter().position(|x| &x.number == n)
                {
                    self.selected = at;
                }
                self.selected = self.selected.min(self.len().saturating_sub(1));
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        let (title, columns, rows) = match &self.list {
            Worklist::Visits(v) => (
                self.visits_title(cx.lang(), area.width),
                visit_columns(cx.lang()),
                self.visit_rows(cx, v, area.width),
            ),
            Worklist::Urges(u) => (
                tf(cx.lang(), "ui.urges.title", &[("n", u.len().to_string())]),
                urge_columns(cx.lang()),
                urge_rows(cx, u, area.width),
            ),
            Worklist::Handovers(h) => (
                t(cx.lang(), "ui.handover.history"),
                vec![Column::fill(String::new(), 10)],
                self.history_rows(cx, h),
            ),
        };
        // The visits list has a heading row before each part.
        let shown_selected = match &self.list {
            Worklist::Visits(_) => self.selected + 1 + usize::from(self.selected >= self.first_follow_up()),
            _ => self.selected,
        };
        draw_table(
            frame,
            area,
            cx,
            &Drawn {
                title,
                columns,
                rows,
                selected: (self.len() > 0).then_some(shown_selected),
                heading: !matches!(self.list, Worklist::Handovers(_)),
            },
            &self.offset,
        );
    }
}

/// A row of a worklist table: its cells, whether it is overdue, whether it is a part's heading.
struct Line {
    cells: Vec<String>,
    late: bool,
    part: bool,
}

/// What a worklist draws.
struct Drawn {
    title: String,
    columns: Vec<Column>,
    rows: Vec<Line>,
    selected: Option<usize>,
    heading: bool,
}

impl ListView {
    /// The title, shorter when the long one does not fit in `cols`.
    fn visits_title(&self, lang: Lang, cols: u16) -> String {
        let args = [
            ("visits", self.counts.return_visits.to_string()),
            ("follow_ups", self.counts.follow_ups.to_string()),
        ];
        let long = tf(lang, "ui.visits.title", &args);
        if crate::words::width::width(&long) + 2 <= usize::from(cols) {
            long
        } else {
            tf(lang, "ui.visits.title_short", &args)
        }
    }

    /// The visits: a heading, the return visits, a heading, the follow-ups.
    fn visit_rows(&self, cx: &Cx<'_>, v: &[VisitDue], cols: u16) -> Vec<Line> {
        let (lang, tz, now) = (cx.lang(), cx.desk.policy.timezone, cx.now);
        let today = local_date(tz, now);
        let split = self.first_follow_up();
        let part = |key: &str, total: u64, listed: usize| {
            let text = if total > listed as u64 {
                tf(
                    lang,
                    "ui.visits.part_more",
                    &[
                        ("part", t(lang, key)),
                        ("n", total.to_string()),
                        ("listed", WORKLIST_LIMIT.to_string()),
                    ],
                )
            } else {
                tf(
                    lang,
                    "ui.visits.part",
                    &[("part", t(lang, key)), ("n", total.to_string())],
                )
            };
            Line {
                cells: vec![text],
                late: false,
                part: true,
            }
        };
        let mut out = vec![part("ui.visits.return_visits", self.counts.return_visits, split)];
        for (i, x) in v.iter().enumerate() {
            if i == split {
                out.push(part("ui.visits.follow_ups", self.counts.follow_ups, v.len() - split));
            }
            let late = x.due < now;
            let mark = if late {
                "⚠"
            } else if local_date(tz, x.due) == today {
                "•"
            } else {
                " "
            };
            out.push(Line {
                cells: vec![
                    format!("{mark}{}", x.number),
                    due(x.due, tz, cols),
                    t(lang, &format!("visits.kind.{}", x.kind)),
                    x.owner.clone(),
                    x.complainant.clone(),
                    x.phone.clone(),
                    x.summary.clone(),
                ],
                late,
                part: false,
            });
        }
        if split == v.len() {
            out.push(part("ui.visits.follow_ups", self.counts.follow_ups, 0));
        }
        out
    }

    fn history_rows(&self, cx: &Cx<'_>, list: &[crate::domain::handover::Handover]) -> Vec<Line> {
        let (lang, tz) = (cx.lang(), cx.desk.policy.timezone);
        let name = |id: crate::domain::StaffId| self.names.get(&id).cloned().unwrap_or_default();
        list.iter()
            .map(|h| Line {
                cells: vec![format!(
                    "#{}  {} {}  {} → {}  [{}]",
                    h.id,
                    t(lang, h.shift.kind.label_key()),
                    show(h.shift.start, tz),
                    name(h.outgoing),
                    h.incoming.map_or_else(|| "—".into(), name),
                    crate::words::duty::handover_state(lang, h)
                )],
                late: false,
                part: false,
            })
            .collect()
    }
}

/// A due time: with its year on a wide terminal, without on a narrow one.
fn due(at: crate::domain::Time, tz: chrono_tz::Tz, cols: u16) -> String {
    if cols >= 100 {
        show(at, tz)
    } else {
        at.with_timezone(&tz).format("%m-%d %H:%M").to_string()
    }
}

/// The visits list's columns: due, kind of visit, owner, caller, phone, summary.
fn visit_columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(t(lang, "ui.col.number"), 14, 10),
        Column::new(t(lang, "ui.col.visit_due"), 16, 9),
        Column::new(t(lang, "ui.col.visit_kind"), 14, 7),
        Column::new(t(lang, "ui.col.owner"), 10, 5),
        Column::new(t(lang, "ui.col.caller"), 10, 6),
        Column::new(t(lang, "ui.col.phone"), 13, 2),
        Column::fill(t(lang, "ui.col.summary"), 8),
    ]
}

/// The replies' columns: department, due, urges, summary.
fn urge_columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(t(lang, "ui.col.number"), 14, 10),
        Column::new(t(lang, "ui.col.dept"), 12, 8),
        Column::new(t(lang, "ui.col.reply_due"), 16, 9),
        Column::new(t(lang, "ui.col.urges"), 14, 5),
        Column::fill(t(lang, "ui.col.summary"), 8),
    ]
}

fn urge_rows(cx: &Cx<'_>, u: &[OverdueReply], cols: u16) -> Vec<Line> {
    let (lang, tz) = (cx.lang(), cx.desk.policy.timezone);
    u.iter()
        .map(|x| Line {
            cells: vec![
                format!("⚠{}", x.number),
                x.dept.clone(),
                due(x.due, tz, cols),
                tf(lang, "urges.urged", &[("n", x.urges.to_string())]),
                x.summary.clone(),
            ],
            late: true,
            part: false,
        })
        .collect()
}

/// Draws a worklist as a table whose columns fit the terminal, scrolled to
/// keep the selected row in view.
fn draw_table(frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>, d: &Drawn, offset: &Remembered<usize>) {
    let block = Block::default().borders(Borders::ALL).title(d.title.clone());
    let inner = block.inner(area);
    let header = u16::from(d.heading);
    let fit_rows = usize::from(inner.height.saturating_sub(header)).max(1);
    let first = scroll(offset.get(), d.selected.unwrap_or(0), fit_rows);
    offset.set(first);
    let shown: Vec<&Line> = d.rows.iter().skip(first).take(fit_rows).collect();
    let cells: Vec<Vec<String>> = shown.iter().filter(|l| !l.part).map(|l| l.cells.clone()).collect();
    // Two columns for the selection mark.
    let (kept, widths) = fit(&d.columns, &cells, inner.width.saturating_sub(2), 1);
    let rows: Vec<Row<'_>> = shown
        .iter()
        .map(|l| {
            if l.part {
                // Drawn over the whole width below: a table cell is one column wide.
                Row::new(vec![Cell::from("")])
            } else {
                let row = Row::new(pick(&l.cells, &kept));
                if l.late { row.style(cx.theme.overdue()) } else { row }
            }
        })
        .collect();
    let heads: Vec<String> = kept.iter().map(|&i| d.columns[i].head.clone()).collect();
    let mut table = Table::new(rows, widths)
        .block(block)
        .row_highlight_style(cx.theme.selected())
        .highlight_symbol("▶ ");
    if d.heading {
        table = table.header(Row::new(heads).style(Style::default().add_modifier(Modifier::BOLD)));
    }
    let mut state = TableState::default();
    state.select(d.selected.map(|s| s - first));
    frame.render_stateful_widget(table, area, &mut state);
    for (i, l) in shown.iter().enumerate() {
        let y = inner.y + header + u16::try_from(i).unwrap_or(0);
        if l.part && y < inner.y + inner.height {
            frame.render_widget(
                Paragraph::new(l.cells.concat()).style(Style::default().add_modifier(Modifier::BOLD)),
                Rect::new(inner.x, y, inner.width, 1),
            );
        }
    }
}
