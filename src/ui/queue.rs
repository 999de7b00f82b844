//! The queue (工作台): my cases and all open cases, most urgent first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::App;
use crate::domain::{State, Time};
use crate::store::{CaseRow, QueueCounts, QueuePage, QueueView};
use crate::ui::keymap::Action;
use crate::words::time::show;
use crate::words::{Lang, t, tf};

/// Rows read from the desk at a time: a keyset page after (or before) the
/// rows already loaded.
pub const PAGE: usize = 100;
/// Most rows held at once; moving on drops the far end of the window.
pub const WINDOW: usize = 300;
/// Rows PageUp and PageDown move.
const PAGE_STEP: usize = 10;

/// The quick filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuickFilter {
    /// My open cases.
    Mine,
    /// All open cases.
    All,
    /// Open cases with a step past due.
    Overdue,
    /// Open cases at level 2 or more.
    Escalated,
    /// Open cases in one state (cycles through the states).
    State(State),
}

impl QuickFilter {
    /// Label i18n key.
    #[must_use]
    pub fn label(self, lang: Lang) -> String {
        match self {
            QuickFilter::Mine => t(lang, "ui.filter.mine"),
            QuickFilter::All => t(lang, "ui.filter.all"),
            QuickFilter::Overdue => t(lang, "ui.filter.overdue"),
            QuickFilter::Escalated => t(lang, "ui.filter.escalated"),
            QuickFilter::State(s) => t(lang, &s.label_key()),
        }
    }

    /// The next state for the state filter.
    #[must_use]
    pub fn next_state(self) -> QuickFilter {
        let open: Vec<State> = State::ALL.iter().copied().filter(|s| *s != State::Closed).collect();
        let next = match self {
            QuickFilter::State(s) => open.iter().position(|x| *x == s).map_or(0, |i| (i + 1) % open.len()),
            _ => 0,
        };
        QuickFilter::State(open.get(next).copied().unwrap_or(State::Received))
    }
}

/// The queue's state: a window of the view's rows in queue order.
#[derive(Clone, Debug)]
pub struct Queue {
    /// The filter in force.
    pub filter: QuickFilter,
    /// Loaded rows: at most [`WINDOW`] consecutive rows of the view.
    pub rows: Vec<CaseRow>,
    /// Selected row.
    pub selected: usize,
    /// The loaded rows begin with the view's first row.
    pub at_start: bool,
    /// The loaded rows end with the view's last row.
    pub at_end: bool,
    /// Cases in the view.
    pub total: u64,
    /// Top-bar counts.
    pub counts: QueueCounts,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            filter: QuickFilter::Mine,
            rows: Vec::new(),
            selected: 0,
            at_start: true,
            at_end: true,
            total: 0,
            counts: QueueCounts::default(),
        }
    }
}

impl App {
    /// The view the quick filter shows at `now`.
    fn queue_view(&self, now: Time) -> QueueView {
        match self.queue.filter {
            QuickFilter::Mine => QueueView::Owner(self.user.as_ref().map_or(-1, |u| u.id.0)),
            QuickFilter::All => QueueView::All,
            QuickFilter::Overdue => QueueView::Overdue(now),
            QuickFilter::Escalated => QueueView::Escalated,
            QuickFilter::State(s) => QueueView::State(s),
        }
    }

    /// Reads the queue again where it stands (from the first loaded row, or
    /// from the top when the window began there, so a new urgent case shows),
    /// keeping the selected case selected; and the counts of the top bar.
    pub fn reload_queue(&mut self, now: Time) {
        let view = self.queue_view(now);
        let keep = self.queue.rows.get(self.queue.selected).map(|r| r.number.clone());
        let want = self.queue.rows.len().max(PAGE);
        let from = match self.queue.rows.first() {
            Some(first) if !self.queue.at_start => QueuePage::From(first),
            _ => QueuePage::First,
        };
        let from_top = matches!(from, QueuePage::First);
        // The rows, and whether they hold the view's first and last rows.
        let read = self.desk.store().queue_page(view, from, want).and_then(|rows| {
            if rows.is_empty() && !from_top {
                // Everything from the window on has left the view: show its end.
                let rows = self.desk.store().queue_page(view, QueuePage::Last, PAGE)?;
                Ok((rows.len() < PAGE, true, rows))
            } else {
                Ok((from_top, rows.len() < want, rows))
            }
        });
        match read {
            Ok((at_start, at_end, rows)) => {
                self.queue.at_start = at_start;
                self.queue.at_end = at_end;
                self.queue.rows = rows;
            }
            Err(e) => self.fail(&e),
        }
        let tz = self.desk.policy.timezone;
        let eod = crate::domain::deadline::end_of_day(tz, crate::domain::deadline::local_date(tz, now));
        if let Ok(c) = self.desk.store().queue_counts(now, eod) {
            self.queue.counts = c;
        }
        // The top bar already counted these views.
        let total = match view {
            QueueView::All => Ok(self.queue.counts.open),
            QueueView::Overdue(_) => Ok(self.queue.counts.overdue),
            QueueView::Escalated => Ok(self.queue.counts.escalated),
            QueueView::Owner(_) | QueueView::State(_) => self.desk.store().queue_total(view),
        };
        match total {
            Ok(n) => self.queue.total = n,
            Err(e) => self.fail(&e),
        }
        if let Ok(on) = self.desk.store().on_duty(now) {
            self.on_duty = on.into_iter().map(|(a, over)| (a.name, over)).collect();
        }
        self.queue.selected = keep
            .and_then(|n| self.queue.rows.iter().position(|r| r.number == n))
            .unwrap_or(self.queue.selected)
            .min(self.queue.rows.len().saturating_sub(1));
    }

    /// Shows the view from its top: a new filter, or Home.
    pub fn queue_from_top(&mut self, now: Time) {
        self.queue.rows.clear();
        self.queue.selected = 0;
        self.queue.at_start = true;
        self.reload_queue(now);
    }

    /// Moves the selection; past the loaded rows, the next (or previous)
    /// page is read after the last (or before the first) row's key.
    pub fn move_in_queue(&mut self, action: Action, now: Time) {
        let view = self.queue_view(now);
        let q = &self.queue;
        let target = match action {
            Action::Up => q.selected.checked_sub(1),
            Action::Down => Some(q.selected + 1),
            Action::PageUp => q.selected.checked_sub(PAGE_STEP).or(Some(0).filter(|_| q.at_start)),
            Action::PageDown => Some(q.selected + PAGE_STEP),
            Action::Top => return self.queue_from_top(now),
            Action::Bottom => {
                if let Some(rows) = self.queue_read(view, QueuePage::Last) {
                    self.queue.at_start = rows.len() < PAGE;
                    self.queue.at_end = true;
                    self.queue.selected = rows.len().saturating_sub(1);
                    self.queue.rows = rows;
                }
                return;
            }
            _ => return,
        };
        let target = match target {
            Some(t) => t,
            None => {
                // Above the first loaded row: the page before it.
                let back = if action == Action::PageUp { PAGE_STEP } else { 1 };
                let added = self.queue_read_before(view);
                (self.queue.selected + added).saturating_sub(back)
            }
        };
        if target >= self.queue.rows.len() && !self.queue.at_end {
            let dropped = self.queue_read_after(view);
            self.queue.selected = target.saturating_sub(dropped);
        } else {
            self.queue.selected = target;
        }
        self.queue.selected = self.queue.selected.min(self.queue.rows.len().saturating_sub(1));
    }

    /// A page of the view, or `None` with the failure shown to the clerk.
    fn queue_read(&mut self, view: QueueView, page: QueuePage<'_>) -> Option<Vec<CaseRow>> {
        match self.desk.store().queue_page(view, page, PAGE) {
            Ok(rows) => Some(rows),
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }

    /// Reads the page after the loaded rows; returns how many rows were dropped from the front.
    fn queue_read_after(&mut self, view: QueueView) -> usize {
        let Some(last) = self.queue.rows.last() else { return 0 };
        let Some(page) = self.queue_read(view, QueuePage::After(&last.clone())) else {
            return 0;
        };
        self.queue.at_end = page.len() < PAGE;
        self.queue.rows.extend(page);
        let dropped = self.queue.rows.len().saturating_sub(WINDOW);
        if dropped > 0 {
            self.queue.rows.drain(..dropped);
            self.queue.at_start = false;
        }
        dropped
    }

    /// Reads the page before the loaded rows; returns how many rows it added.
    fn queue_read_before(&mut self, view: QueueView) -> usize {
        if self.queue.at_start {
            return 0;
        }
        let Some(first) = self.queue.rows.first() else { return 0 };
        let Some(page) = self.queue_read(view, QueuePage::Before(&first.clone())) else {
            return 0;
        };
        self.queue.at_start = page.len() < PAGE;
        let added = page.len();
        self.queue.rows.splice(0..0, page);
        if self.queue.rows.len() > WINDOW {
            self.queue.rows.truncate(WINDOW);
            self.queue.at_end = false;
        }
        added
    }
}

/// Draws the queue.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, now: Time) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let theme = app.theme;
    let tz = app.desk.policy.timezone;
    let q = &app.queue;
    let title = tf(
        lang,
        "ui.queue.title",
        &[("filter", q.filter.label(lang)), ("count", q.total.to_string())],
    );
    let wide = area.width >= 120;
    let header_cells: Vec<String> = if wide {
        vec![
            "ui.col.number",
            "ui.col.received",
            "ui.col.complainant",
            "ui.col.summary",
            "ui.col.dept",
            "ui.col.state",
            "ui.col.due",
            "ui.col.level",
        ]
    } else {
        vec![
            "ui.col.number",
            "ui.col.summary",
            "ui.col.state",
            "ui.col.due",
            "ui.col.level",
        ]
    }
    .into_iter()
    .map(|k| t(lang, k))
    .collect();
    // Only the rows that fit are built: the table scrolls so the selected row
    // is the last one shown, as ratatui's own scrolling would.
    let fit = usize::from(area.height.saturating_sub(3)).max(1);
    let first = q.selected.saturating_sub(fit - 1);
    let rows: Vec<Row<'_>> = q
        .rows
        .iter()
        .skip(first)
        .take(fit)
        .map(|r| {
            let overdue = r.next_due.is_some_and(|d| d < now);
            let state = State::parse(&r.state)
                .map(|s| t(lang, &s.label_key()))
                .unwrap_or_default();
            let due = r.next_due.map(|d| due_text(lang, d, now)).unwrap_or_else(|| "—".into());
            let mark = if overdue { "⚠" } else { " " };
            let level = format!(
                "L{}{}",
                r.level,
                if r.flags.iter().any(|f| f == "repeat") {
                    " ↻"
                } else {
                    ""
                }
            );
            let cells: Vec<Cell<'_>> = if wide {
                vec![
                    Cell::from(format!("{mark}{}", r.number)),
                    Cell::from(show(r.received_at, tz)),
                    Cell::from(r.complainant.clone().unwrap_or_else(|| t(lang, "cli.show.anonymous"))),
                    Cell::from(r.summary.clone()),
                    Cell::from(r.dept.clone().unwrap_or_default()),
                    Cell::from(state),
                    Cell::from(due),
                    Cell::from(level),
                ]
            } else {
                vec![
                    Cell::from(format!("{mark}{}", r.number)),
                    Cell::from(r.summary.clone()),
                    Cell::from(state),
                    Cell::from(due),
                    Cell::from(level),
                ]
            };
            let style = if overdue { theme.overdue() } else { Style::default() };
            Row::new(cells).style(style)
        })
        .collect();
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Length(13),
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Fill(1),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Length(16),
            Constraint::Length(5),
        ]
    } else {
        vec![
            Constraint::Length(13),
            Constraint::Fill(1),
            Constraint::Length(9),
            Constraint::Length(13),
            Constraint::Length(5),
        ]
    };
    let table = Table::new(rows, widths)
        .header(Row::new(header_cells).style(Style::default().add_modifier(Modifier::BOLD)))
        .block(Block::default().borders(Borders::ALL).title(title))
        .row_highlight_style(theme.selected())
        .highlight_symbol("▶");
    let mut state = TableState::default();
    if !q.rows.is_empty() {
        state.select(Some(q.selected - first));
    }
    frame.render_stateful_widget(table, area, &mut state);
    if q.rows.is_empty() && area.height > 3 {
        let empty = Paragraph::new(Line::from(Span::raw(t(lang, "ui.queue.empty"))));
        frame.render_widget(
            empty,
            Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1),
        );
    }
}

/// "2h left", "overdue 1d", in the clerk's language.
#[must_use]
pub fn due_text(lang: Lang, due: Time, now: Time) -> String {
    let mins = (due - now).num_minutes();
    let span = |m: i64| {
        let m = m.abs();
        if m >= 24 * 60 {
            tf(lang, "ui.span.days", &[("n", (m / (24 * 60)).to_string())])
        } else if m >= 60 {
            tf(lang, "ui.span.hours", &[("n", (m / 60).to_string())])
        } else {
            tf(lang, "ui.span.minutes", &[("n", m.to_string())])
        }
    };
    if mins < 0 {
        tf(lang, "ui.due.overdue", &[("span", span(mins))])
    } else {
        tf(lang, "ui.due.left", &[("span", span(mins))])
    }
}
