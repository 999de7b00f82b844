//! The queue (工作台): my cases and all open cases, most urgent first, or as
//! the clerk's view says (`queue/views.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};

use super::component::{Component, Cx, Effect, Go, Write, Written};
use super::keymap::{Action, Scope};
use super::prompt::Prompt;
use super::views::Picker;
use super::widgets::columns::{Column, fit, pick};
use crate::domain::view::{View, Whose};
use crate::domain::{StaffId, State, Time};
use crate::store::views::ViewAt;
use crate::store::{CaseRow, QueueCounts, QueuePage, StoreError};
use crate::words::time::show;
use crate::words::{Lang, t, tf};

/// Rows read from the desk at a time: a keyset page after (or before) the
/// rows already loaded.
pub const PAGE: usize = 100;
/// Most rows held at once; moving on drops the far end of the window.
pub const WINDOW: usize = 300;
/// Rows PageUp and PageDown move.
const PAGE_STEP: usize = 10;

/// The queue's state: a window of the view's rows in queue order.
#[derive(Debug)]
pub struct Queue {
    /// The view in force: the quick filters 1–5 set it whole, the view keys a part.
    pub view: View,
    /// The saved view recalled, while none of its parts has changed.
    pub saved: Option<String>,
    /// The name to save the view under, being typed.
    pub prompt: Option<Prompt>,
    /// The saved views' picker, when open.
    pub picker: Option<Picker>,
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
    /// Who is on duty, and whether their shift ended without a signed handover.
    pub on_duty: Vec<(String, bool)>,
    /// The handover waiting for the signed-in clerk to review and sign, if any.
    pub handover_waiting: Option<i64>,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            view: View::default(),
            saved: None,
            prompt: None,
            picker: None,
            rows: Vec::new(),
            selected: 0,
            at_start: true,
            at_end: true,
            total: 0,
            counts: QueueCounts::default(),
            on_duty: Vec::new(),
            handover_waiting: None,
        }
    }
}

impl Queue {
    /// Where the view stands for the signed-in clerk now.
    fn at(&self, cx: &Cx<'_>) -> ViewAt {
        cx.desk
            .view_at(&self.view, cx.user.map_or(StaffId(-1), |u| u.id), cx.now)
    }

    /// Back to the queue as it opens (my cases, most urgent first): a clerk signed in.
    pub fn clear_view(&mut self) {
        self.view = View::default();
        self.saved = None;
        self.prompt = None;
        self.picker = None;
        self.rows.clear();
        self.selected = 0;
        self.at_start = true;
    }

    /// Reads the queue again where it stands (from the first loaded row, or
    /// from the top when the window began there, so a new urgent case shows),
    /// keeping the selected case selected; and the counts of the top bar.
    fn reload(&mut self, cx: &Cx<'_>) -> Result<(), StoreError> {
        let store = cx.desk.store();
        let (view, at) = (&self.view, self.at(cx));
        let keep = self.rows.get(self.selected).map(|r| r.number.clone());
        let want = self.rows.len().max(PAGE);
        let from = match self.rows.first() {
            Some(first) if !self.at_start => QueuePage::From(first),
            _ => QueuePage::First,
        };
        let from_top = matches!(from, QueuePage::First);
        // The rows, and whether they hold the view's first and last rows.
        let rows = store.view_page(view, at, from, want)?;
        let (at_start, at_end, rows) = if rows.is_empty() && !from_top {
            // Everything from the window on has left the view: show its end.
            let rows = store.view_page(view, at, QueuePage::Last, PAGE)?;
            (rows.len() < PAGE, true, rows)
        } else {
            (from_top, rows.len() < want, rows)
        };
        self.at_start = at_start;
        self.at_end = at_end;
        self.rows = rows;
        let tz = cx.desk.policy.timezone;
        let eod = crate::domain::deadline::end_of_day(tz, crate::domain::deadline::local_date(tz, cx.now));
        self.counts = store.queue_counts(cx.now, eod)?;
        // The top bar already counted these views.
        self.total = if *view == View::of(Whose::All) {
            self.counts.open
        } else if *view
            == (View {
                overdue: true,
                ..View::of(Whose::All)
            })
        {
            self.counts.overdue
        } else if *view
            == (View {
                escalated: true,
                ..View::of(Whose::All)
            })
        {
            self.counts.escalated
        } else {
            store.view_total(view, at)?
        };
        self.on_duty = store
            .on_duty(cx.now)?
            .into_iter()
            .map(|(a, over)| (a.name, over))
            .collect();
        self.handover_waiting = match cx.user {
            Some(me) => cx.desk.handovers_waiting_for(me)?.first().map(|h| h.id),
            None => None,
        };
        self.selected = keep
            .and_then(|n| self.rows.iter().position(|r| r.number == n))
            .unwrap_or(self.selected)
            .min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Shows the view from its top: a new filter, or Home.
    fn show_top(&mut self, cx: &Cx<'_>) -> Result<(), StoreError> {
        self.rows.clear();
        self.selected = 0;
        self.at_start = true;
        self.reload(cx)
    }

    /// Moves the selection; past the loaded rows, the next (or previous)
    /// page is read after the last (or before the first) row's key.
    fn move_by(&mut self, action: Action, cx: &Cx<'_>) -> Result<(), StoreError> {
        let at = self.at(cx);
        let target = match action {
            Action::Up => self.selected.checked_sub(1),
            Action::Down => Some(self.selected + 1),
            Action::PageUp => self
                .selected
                .checked_sub(PAGE_STEP)
                .or(Some(0).filter(|_| self.at_start)),
            Action::PageDown => Some(self.selected + PAGE_STEP),
            Action::Top => return self.show_top(cx),
            Action::Bottom => {
                let rows = cx.desk.store().view_page(&self.view, at, QueuePage::Last, PAGE)?;
                self.at_start = rows.len() < PAGE;
                self.at_end = true;
                self.selected = rows.len().saturating_sub(1);
                self.rows = rows;
                return Ok(());
            }
            _ => return Ok(()),
        };
        let target = if let Some(t) = target {
            t
        } else {
            // Above the first loaded row: the page before it.
            let back = if action == Action::PageUp { PAGE_STEP } else { 1 };
            let added = self.read_before(at, cx)?;
            (self.selected + added).saturating_sub(back)
        };
        if target >= self.rows.len() && !self.at_end {
            let dropped = self.read_after(at, cx)?;
            self.selected = target.saturating_sub(dropped);
        } else {
            self.selected = target;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Reads the page after the loaded rows; returns how many rows were dropped from the front.
    fn read_after(&mut self, at: ViewAt, cx: &Cx<'_>) -> Result<usize, StoreError> {
        let Some(last) = self.rows.last() else { return Ok(0) };
        let page = cx
            .desk
            .store()
            .view_page(&self.view, at, QueuePage::After(last), PAGE)?;
        self.at_end = page.len() < PAGE;
        self.rows.extend(page);
        let dropped = self.rows.len().saturating_sub(WINDOW);
        if dropped > 0 {
            self.rows.drain(..dropped);
            self.at_start = false;
        }
        Ok(dropped)
    }

    /// Reads the page before the loaded rows; returns how many rows it added.
    fn read_before(&mut self, at: ViewAt, cx: &Cx<'_>) -> Result<usize, StoreError> {
        if self.at_start {
            return Ok(0);
        }
        let Some(first) = self.rows.first() else { return Ok(0) };
        let page = cx
            .desk
            .store()
            .view_page(&self.view, at, QueuePage::Before(first), PAGE)?;
        self.at_start = page.len() < PAGE;
        let added = page.len();
        self.rows.splice(0..0, page);
        if self.rows.len() > WINDOW {
            self.rows.truncate(WINDOW);
            self.at_end = false;
        }
        Ok(added)
    }
}

/// The open state after `now` for the quick filter 5 (the first after none).
fn next_open_state(now: Option<State>) -> State {
    crate::domain::view::next_state(now)
        .or_else(|| crate::domain::view::next_state(None))
        .unwrap_or(State::Received)
}

mod views;

/// A failure of a read, for the app to show.
fn shown(read: Result<(), StoreError>) -> Effect {
    read.err().map_or(Effect::None, Effect::Fail)
}

impl Component for Queue {
    fn scope(&self) -> Scope {
        if self.prompt.is_some() {
            Scope::Form
        } else if self.picker.is_some() {
            Scope::Views
        } else {
            Scope::Queue
        }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if self.prompt.is_some() {
            return match super::prompt::on_action(&mut self.prompt, action) {
                Some((_, name)) => Effect::Write(Write::SaveView { name, view: self.view }),
                None => Effect::None,
            };
        }
        if self.picker.is_some() {
            return self.on_picker_action(action, cx);
        }
        match action {
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                shown(self.move_by(action, cx))
            }
            Action::Open => match self.rows.get(self.selected) {
                Some(r) => Effect::Go(Go::Case(r.number.clone())),
                None => Effect::None,
            },
            Action::NewCase => Effect::Go(Go::NewCase),
            Action::Search => Effect::Go(Go::Search),
            Action::OpenLog => Effect::Go(Go::Log),
            Action::OpenHandover => Effect::Go(Go::Handover),
            Action::OpenReport => Effect::Go(Go::Report),
            Action::OpenVisits => Effect::Go(Go::Visits),
            Action::OpenSetup => Effect::Go(Go::Setup),
            Action::OpenUrges => Effect::Go(Go::Urges),
            Action::FilterMine
            | Action::FilterAll
            | Action::FilterOverdue
            | Action::FilterEscalated
            | Action::FilterState => {
                let all = View::of(Whose::All);
                self.view = match action {
                    Action::FilterMine => View::of(Whose::Mine),
                    Action::FilterAll => all,
                    Action::FilterOverdue => View { overdue: true, ..all },
                    Action::FilterEscalated => View { escalated: true, ..all },
                    _ => View {
                        state: Some(next_open_state(self.view.state)),
                        ..all
                    },
                };
                self.saved = None;
                shown(self.show_top(cx))
            }
            Action::View(key) => self.on_view_key(key, cx),
            _ => Effect::None,
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.prompt.as_mut().map(|p| &mut p.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        self.written(result, cx)
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        if cx.user.is_none() {
            return Effect::None;
        }
        shown(self.reload(cx))
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// Draws the queue.
fn render(cx: &Cx<'_>, q: &Queue, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let theme = cx.theme;
    let filter = match &q.saved {
        Some(name) => crate::words::views::named(lang, name, &q.view),
        None => crate::words::views::describe(lang, &q.view),
    };
    let title = tf(
        lang,
        "ui.queue.title",
        &[("filter", filter), ("count", q.total.to_string())],
    );
    // Only the rows that fit are built: the table scrolls so the selected row
    // is the last one shown, as ratatui's own scrolling would.
    let fit_rows = usize::from(area.height.saturating_sub(3)).max(1);
    let first = q.selected.saturating_sub(fit_rows - 1);
    let shown: Vec<&CaseRow> = q.rows.iter().skip(first).take(fit_rows).collect();
    let cells: Vec<Vec<String>> = shown.iter().map(|r| cells(cx, r)).collect();
    let columns = columns(lang);
    // One column for the selection mark, one for each border.
    let (kept, widths) = fit(&columns, &cells, area.width.saturating_sub(3), 1);
    let rows: Vec<Row<'_>> = shown
        .iter()
        .zip(&cells)
        .map(|(r, c)| {
            let overdue = r.next_due.is_some_and(|d| d < cx.now);
            let row = Row::new(pick(c, &kept));
            if overdue { row.style(theme.overdue()) } else { row }
        })
        .collect();
    let heads: Vec<String> = kept.iter().map(|&i| columns[i].head.clone()).collect();
    let legend = legend(lang, area.width.saturating_sub(4));
    let table = Table::new(rows, widths)
        .header(Row::new(heads).style(Style::default().add_modifier(Modifier::BOLD)))
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(title)
                .title_bottom(Line::from(legend).style(theme.dim())),
        )
        .row_highlight_style(theme.selected())
        .highlight_symbol("▶");
    let mut state = TableState::default();
    if !q.rows.is_empty() {
        state.select(Some(q.selected - first));
    }
    frame.render_stateful_widget(table, area, &mut state);
    if let Some(p) = &q.prompt {
        super::prompt::render(cx, p, frame, area);
    } else if let Some(p) = &q.picker {
        super::views::render_picker(cx, p, frame, area);
    } else if q.rows.is_empty() && area.height > 3 {
        let empty = Paragraph::new(Line::from(Span::raw(empty_hint(cx)))).wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(
            empty,
            Rect::new(
                area.x + 2,
                area.y + 2,
                area.width.saturating_sub(4),
                area.height.saturating_sub(3),
            ),
        );
    }
}

/// What the marks mean, as long as fits in `cols` columns (shorter, else none).
fn legend(lang: Lang, cols: u16) -> String {
    ["ui.legend.line", "ui.legend.short"]
        .iter()
        .map(|k| t(lang, k))
        .find(|l| crate::words::width::width(l) <= usize::from(cols))
        .unwrap_or_default()
}

/// The queue's columns, the least needed dropped first on a narrow terminal:
/// received, complainant, department, owner, severity, kind go before the
/// number, summary, state, next due and level.
fn columns(lang: Lang) -> Vec<Column> {
    vec![
        Column::new(t(lang, "ui.col.number"), 13, 10),
        Column::new(t(lang, "ui.col.received"), 16, 1),
        Column::new(t(lang, "ui.col.complainant"), 10, 2),
        Column::fill(t(lang, "ui.col.summary"), 16),
        Column::new(t(lang, "ui.col.kind"), 12, 5),
        Column::new(t(lang, "ui.col.severity"), 10, 6),
        Column::new(t(lang, "ui.col.dept"), 12, 3),
        Column::new(t(lang, "ui.col.owner"), 10, 4),
        Column::new(t(lang, "ui.col.state"), 16, 8),
        Column::new(t(lang, "ui.col.due"), 14, 9),
        Column::new(t(lang, "ui.col.level"), 5, 7),
    ]
}

/// One case's cells, in [`columns`]' order.
fn cells(cx: &Cx<'_>, r: &CaseRow) -> Vec<String> {
    let (lang, tz, now) = (cx.lang(), cx.desk.policy.timezone, cx.now);
    let overdue = r.next_due.is_some_and(|d| d < now);
    let state = State::parse(&r.state)
        .map(|s| t(lang, &s.label_key()))
        .unwrap_or_default();
    let due = r.next_due.map_or_else(|| "—".into(), |d| due_text(lang, d, now));
    let mark = if overdue { "⚠" } else { " " };
    let repeat = if r.flags.iter().any(|f| f == "repeat") {
        " ↻"
    } else {
        ""
    };
    vec![
        format!("{mark}{}", r.number),
        show(r.received_at, tz),
        r.complainant.clone().unwrap_or_else(|| t(lang, "cli.show.anonymous")),
        r.summary.clone(),
        t(lang, &format!("enum.kind.{}", r.kind)),
        t(lang, &format!("enum.severity.{}", r.severity)),
        r.dept.clone().unwrap_or_default(),
        r.owner.clone(),
        state,
        due,
        format!("L{}{repeat}", r.level),
    ]
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

/// What an empty queue says: on a desk with no departments yet, how to add
/// them (the admin, with D) or whom to ask.
fn empty_hint(cx: &Cx<'_>) -> String {
    let lang = cx.lang();
    let bare = cx.desk.store().departments().is_ok_and(|d| d.is_empty());
    match (bare, cx.user.map(|u| u.role)) {
        (true, Some(crate::domain::Role::Admin)) => t(lang, "ui.queue.empty_setup"),
        (true, _) => t(lang, "ui.queue.empty_ask_admin"),
        (false, _) => t(lang, "ui.queue.empty"),
    }
}
