//! Search as you type over number, summary, details, complainant and department.
//! The title counts every match (up to [`COUNT_CAP`]); the results are read a
//! page at a time, newest first, and moving past the last one read reads on.

use std::cell::Cell as Remembered;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders};

use super::component::{Component, Cx, Effect, Go};
use super::keymap::{Action, Scope};
use super::widgets::columns::{Column, draw_rows, scroll};
use super::widgets::input::{Input, InputView};
use crate::store::{CaseFilter, CaseRow, StoreError};
use crate::words::{Lang, t, tf};

/// Results read at a time.
pub const PAGE: usize = 100;
/// Matches counted at most (a one-character term may match most of a large desk).
pub const COUNT_CAP: u64 = 1000;
/// Rows PageUp and PageDown move.
const PAGE_STEP: usize = 10;

/// Search as you type.
#[derive(Debug, Default)]
pub struct Search {
    /// The query.
    pub input: Input,
    /// Matches read so far, newest first.
    pub results: Vec<CaseRow>,
    /// Every match there is (counted up to [`COUNT_CAP`]).
    pub total: u64,
    /// The last read found the last match.
    pub at_end: bool,
    /// Selected match.
    pub selected: usize,
    /// The first row shown.
    offset: Remembered<usize>,
}

impl Search {
    fn filter(&self, after: Option<String>) -> CaseFilter {
        CaseFilter {
            search: Some(self.input.text().trim().to_string()),
            search_after: after,
            limit: PAGE,
            ..CaseFilter::default()
        }
    }

    /// Runs the query as it stands: its first page and its count.
    fn run(&mut self, cx: &Cx<'_>) -> Effect {
        let q = self.input.text().trim().to_string();
        self.selected = 0;
        self.offset.set(0);
        if q.is_empty() {
            self.results.clear();
            self.total = 0;
            self.at_end = true;
            return Effect::None;
        }
        let store = cx.desk.store();
        let read = store
            .list(&self.filter(None), cx.user)
            .and_then(|rows| Ok((rows, store.search_count(&q, cx.user, COUNT_CAP)?)));
        match read {
            Ok((rows, total)) => {
                self.at_end = rows.len() < PAGE;
                self.results = rows;
                self.total = total.max(self.results.len() as u64);
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    /// Reads the next page after the last result.
    fn read_more(&mut self, cx: &Cx<'_>) -> Result<(), StoreError> {
        let Some(last) = self.results.last() else { return Ok(()) };
        let rows = cx.desk.store().list(&self.filter(Some(last.number.clone())), cx.user)?;
        self.at_end = rows.len() < PAGE;
        self.results.extend(rows);
        self.total = self.total.max(self.results.len() as u64);
        Ok(())
    }

    /// Moves the selection, reading on past the last result read.
    fn move_by(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        let target = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::PageUp => self.selected.saturating_sub(PAGE_STEP),
            Action::PageDown => self.selected + PAGE_STEP,
            _ => self.selected + 1,
        };
        if target >= self.results.len()
            && !self.at_end
            && let Err(e) = self.read_more(cx)
        {
            return Effect::Fail(e);
        }
        self.selected = target.min(self.results.len().saturating_sub(1));
        Effect::None
    }
}

impl Component for Search {
    fn scope(&self) -> Scope {
        Scope::Search
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        match action {
            Action::Back => return Effect::Back,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown => return self.move_by(action, cx),
            Action::Open => {
                if let Some(n) = self.results.get(self.selected) {
                    return Effect::Go(Go::Case(n.number.clone()));
                }
            }
            Action::Backspace => {
                self.input.backspace();
                return self.run(cx);
            }
            Action::Left => self.input.move_by(-1),
            Action::Right => self.input.move_by(1),
            Action::Home => self.input.home_end(false),
            Action::End => self.input.home_end(true),
            Action::Delete => {
                self.input.delete();
                return self.run(cx);
            }
            _ => {}
        }
        Effect::None
    }

    fn on_text(&mut self, text: &str, cx: &Cx<'_>) -> Effect {
        self.input.insert(text);
        self.run(cx)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// The title: the hint, or how many cases match and how many are read.
fn title(lang: Lang, s: &Search) -> String {
    if s.input.text().trim().is_empty() {
        return t(lang, "ui.search.hint");
    }
    let found = if s.total >= COUNT_CAP && !s.at_end {
        tf(lang, "ui.search.results_many", &[("n", COUNT_CAP.to_string())])
    } else {
        tf(lang, "ui.search.results", &[("n", s.total.to_string())])
    };
    if s.at_end {
        found
    } else {
        tf(
            lang,
            "ui.search.read",
            &[("found", found), ("n", s.results.len().to_string())],
        )
    }
}

/// Draws the search screen.
fn render(cx: &Cx<'_>, s: &Search, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let [input_area, list_area] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.search.title"));
    let inner = block.inner(input_area);
    frame.render_widget(block, input_area);
    frame.render_widget(
        InputView {
            input: &s.input,
            style: Style::default(),
            from_top: false,
        },
        inner,
    );
    frame.set_cursor_position(s.input.cursor_position(inner));
    let block = Block::default().borders(Borders::ALL).title(title(lang, s));
    let inner = block.inner(list_area);
    let rows_fit = usize::from(inner.height.saturating_sub(1)).max(1);
    let first = scroll(s.offset.get(), s.selected, rows_fit);
    s.offset.set(first);
    let columns = vec![
        Column::new(t(lang, "ui.col.number"), 12, 10),
        Column::new(t(lang, "ui.col.state"), 14, 6),
        Column::new(t(lang, "ui.col.complainant"), 10, 4),
        Column::new(t(lang, "ui.col.dept"), 12, 3),
        Column::fill(t(lang, "ui.col.summary"), 10),
    ];
    let cells: Vec<Vec<String>> = s
        .results
        .iter()
        .skip(first)
        .take(rows_fit)
        .map(|r| {
            vec![
                r.number.clone(),
                crate::domain::State::parse(&r.state)
                    .map(|x| t(lang, &x.label_key()))
                    .unwrap_or_default(),
                r.complainant.clone().unwrap_or_default(),
                r.dept.clone().unwrap_or_default(),
                r.summary.clone(),
            ]
        })
        .collect();
    let selected = (!s.results.is_empty()).then(|| s.selected - first);
    draw_rows(
        frame,
        list_area,
        block,
        (&columns, &cells),
        selected,
        cx.theme.selected(),
    );
}
