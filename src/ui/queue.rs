//! The queue (工作台): my cases and all open cases, most urgent first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::App;
use crate::domain::{State, Time};
use crate::i18n::{Lang, t, tf};
use crate::store::{CaseFilter, CaseRow, QueueCounts};
use crate::timeparse::show;

/// Rows the queue loads at once.
pub const PAGE: usize = 500;

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

/// The queue's state.
#[derive(Clone, Debug)]
pub struct Queue {
    /// The filter in force.
    pub filter: QuickFilter,
    /// Loaded rows.
    pub rows: Vec<CaseRow>,
    /// Selected row.
    pub selected: usize,
    /// Top-bar counts.
    pub counts: QueueCounts,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            filter: QuickFilter::Mine,
            rows: Vec::new(),
            selected: 0,
            counts: QueueCounts::default(),
        }
    }
}

impl App {
    /// Reloads the queue, keeping the selected case selected.
    pub fn reload_queue(&mut self, now: Time) {
        let keep = self.queue.rows.get(self.queue.selected).map(|r| r.number.clone());
        let me = self.user.as_ref().map(|u| u.id.0);
        let mut filter = CaseFilter {
            open_only: true,
            limit: PAGE,
            ..CaseFilter::default()
        };
        match self.queue.filter {
            QuickFilter::Mine => filter.owner = me,
            QuickFilter::All => {}
            QuickFilter::Overdue => filter.overdue_at = Some(now),
            QuickFilter::Escalated => filter.min_level = Some(2),
            QuickFilter::State(s) => filter.state = Some(s),
        }
        match self.desk.store.list(&filter, self.user.as_ref()) {
            Ok(rows) => self.queue.rows = rows,
            Err(e) => self.fail(&e),
        }
        let tz = self.desk.policy.timezone;
        let eod = crate::domain::deadline::end_of_day(tz, crate::domain::deadline::local_date(tz, now));
        if let Ok(c) = self.desk.store.queue_counts(now, eod) {
            self.queue.counts = c;
        }
        if let Ok(on) = self.desk.store.on_duty(now) {
            self.on_duty = on.into_iter().map(|(a, over)| (a.name, over)).collect();
        }
        self.queue.selected = keep
            .and_then(|n| self.queue.rows.iter().position(|r| r.number == n))
            .unwrap_or(self.queue.selected)
            .min(self.queue.rows.len().saturating_sub(1));
    }
}

/// Draws the queue.
pub fn render(app: &App, frame: &mut Frame<'_>, area: Rect, now: Time) {
    let lang = app.desk.lang;
    let theme = app.theme;
    let tz = app.desk.policy.timezone;
    let q = &app.queue;
    let title = tf(
        lang,
        "ui.queue.title",
        &[("filter", q.filter.label(lang)), ("count", q.rows.len().to_string())],
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
    let rows: Vec<Row<'_>> = q
        .rows
        .iter()
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
        state.select(Some(q.selected));
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
