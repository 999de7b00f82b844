//! Search as you type over number, summary, details, complainant and department.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState};

use super::app::{App, Search};
use super::widgets::input::InputView;
use crate::words::{t, tf};

/// Draws the search screen.
pub fn render(app: &App, s: &Search, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let [input_area, list_area] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.search.title"));
    let inner = block.inner(input_area);
    frame.render_widget(block, input_area);
    frame.render_widget(
        InputView {
            input: &s.input,
            style: Style::default(),
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
            .highlight_style(app.theme.selected())
            .highlight_symbol("▶ "),
        list_area,
        &mut state,
    );
}
