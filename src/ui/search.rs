//! Search as you type over number, summary, details, complainant and department.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState};

use super::component::{Component, Cx, Effect, Go};
use super::keymap::{Action, Scope};
use super::widgets::input::{Input, InputView};
use crate::store::{CaseFilter, CaseRow};
use crate::words::{t, tf};

/// Search as you type.
#[derive(Debug, Default)]
pub struct Search {
    /// The query.
    pub input: Input,
    /// Matches.
    pub results: Vec<CaseRow>,
    /// Selected match.
    pub selected: usize,
}

impl Search {
    /// Runs the query as it stands.
    fn run(&mut self, cx: &Cx<'_>) -> Effect {
        let q = self.input.text().trim().to_string();
        if q.is_empty() {
            self.results.clear();
            return Effect::None;
        }
        let filter = CaseFilter {
            search: Some(q),
            limit: 50,
            ..CaseFilter::default()
        };
        match cx.desk.store().list(&filter, cx.user) {
            Ok(rows) => {
                self.results = rows;
                self.selected = 0;
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }
}

impl Component for Search {
    fn scope(&self) -> Scope {
        Scope::Search
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        match action {
            Action::Back => return Effect::Back,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.results.len().saturating_sub(1)),
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
    let items: Vec<ListItem<'_>> = s
        .results
        .iter()
        .map(|r| {
            ListItem::new(format!(
                "{}  {}  {}  {}",
                r.number,
                crate::domain::State::parse(&r.state)
                    .map(|x| t(lang, &x.label_key()))
                    .unwrap_or_default(),
                r.complainant.clone().unwrap_or_default(),
                r.summary
            ))
        })
        .collect();
    let title = if s.input.text().trim().is_empty() {
        t(lang, "ui.search.hint")
    } else {
        tf(lang, "ui.search.results", &[("n", s.results.len().to_string())])
    };
    let mut state = ListState::default();
    if !s.results.is_empty() {
        state.select(Some(s.selected));
    }
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(cx.theme.selected())
            .highlight_symbol("▶ "),
        list_area,
        &mut state,
    );
}
