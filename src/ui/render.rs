//! Draws the whole screen from `&App`: top bar, the screen, footer, overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Screen};
use super::keymap::footer;
use super::widgets::input::InputView;
use crate::domain::Time;
use crate::words::{t, tf};

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 60;
/// Smallest usable terminal.
pub const MIN_HEIGHT: u16 = 16;

/// Draws everything.
pub fn draw(app: &App, frame: &mut Frame<'_>, now: Time) {
    let area = frame.area();
    let lang = app.desk.lang;
    let _words = app.desk.words();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = tf(
            lang,
            "ui.too_small",
            &[("w", MIN_WIDTH.to_string()), ("h", MIN_HEIGHT.to_string())],
        );
        frame.render_widget(Paragraph::new(wrap_cells(&text, area.width)), area);
        return;
    }
    let [top, body, message, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(top_bar(app)).style(app.theme.bar()), top);
    if let Some(lock) = &app.lock {
        render_lock(app, lock, frame, body);
    } else {
        match &app.screen {
            Screen::FirstRun(form) => {
                let block = Block::default()
                    .borders(Borders::ALL)
                    .title(t(lang, "ui.first_run.title"));
                let inner = block.inner(body);
                frame.render_widget(block, body);
                let [intro, rest] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
                frame.render_widget(
                    Paragraph::new(t(lang, "ui.first_run.intro")).wrap(Wrap { trim: true }),
                    intro,
                );
                super::form_view::render_form(form, lang, app.theme, frame, rest);
            }
            Screen::SignIn(s) => super::sign_in::render(app, s, frame, body),
            Screen::Queue => super::queue::render(app, frame, body, now),
            Screen::Intake(i) => super::intake::render(app, i, frame, body),
            Screen::Case(page) => super::case_view::render(app, page, frame, body, now),
            Screen::Search(s) => super::search::render(app, s, frame, body),
            Screen::LogEntry(form) => super::duty::render_entry(app, form, frame, body),
            Screen::Log(l) => super::duty::render_log(app, l, frame, body),
            Screen::Handover(h) => super::duty::render_handover(app, h, frame, body, now),
            Screen::Report(r) => super::reports::render_report(app, r, frame, body),
            Screen::List(l) => super::reports::render_list(app, l, frame, body, now),
        }
    }
    if let Some((text, error)) = &app.message {
        let style = if *error { app.theme.error() } else { app.theme.ok() };
        frame.render_widget(Paragraph::new(Span::styled(text.clone(), style)), message);
    }
    let hints: Vec<Span<'_>> = footer(app.scope())
        .flat_map(|b| {
            [
                Span::styled(b.key.label(), app.theme.focus()),
                Span::raw(format!(" {}  ", t(lang, b.help))),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(hints)).style(app.theme.dim()), foot);
    if app.confirm_leave {
        let w = body.width.min(50);
        let rect = Rect::new(body.x + (body.width - w) / 2, body.y + body.height / 2, w, 3);
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(t(lang, "ui.confirm_leave")).block(Block::default().borders(Borders::ALL)),
            rect,
        );
    }
    if app.help {
        super::help::render(lang, frame, body);
    }
}

/// Breaks text into lines of at most `cols` columns; a character wider than
/// the whole line is left out (a 1-column terminal cannot show a CJK glyph).
fn wrap_cells(text: &str, cols: u16) -> Vec<Line<'static>> {
    let cols = usize::from(cols);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w > cols {
            continue;
        }
        if used + w > cols {
            lines.push(Line::from(std::mem::take(&mut line)));
            used = 0;
        }
        line.push(c);
        used += w;
    }
    lines.push(Line::from(line));
    lines
}

fn top_bar(app: &App) -> Line<'static> {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let Some(user) = &app.user else {
        return Line::from(format!(" casedesk  {}", t(lang, "ui.top.signed_out")));
    };
    let c = app.queue.counts;
    let duty: Vec<String> = app
        .on_duty
        .iter()
        .map(|(n, over)| if *over { format!("{n}⚠") } else { n.clone() })
        .collect();
    Line::from(format!(
        " casedesk  {}（{}）  {}  {}",
        user.name,
        t(lang, &user.role.label_key()),
        tf(lang, "ui.top.on_duty", &[("names", duty.join("、"))]),
        tf(
            lang,
            "ui.top.counts",
            &[
                ("open", c.open.to_string()),
                ("overdue", c.overdue.to_string()),
                ("today", c.due_today.to_string()),
                ("visits", c.visits_due.to_string()),
                ("escalated", c.escalated.to_string()),
            ],
        )
    ))
}

fn render_lock(app: &App, lock: &super::app::Lock, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let name = app.user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.lock.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    frame.render_widget(
        Paragraph::new(tf(lang, "ui.lock.text", &[("name", name)])).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 2),
    );
    let pin = Rect::new(inner.x + 1, inner.y + 2, inner.width.saturating_sub(2).min(20), 1);
    frame.render_widget(
        InputView {
            input: &lock.pin,
            style: ratatui::style::Style::default(),
        },
        pin,
    );
    frame.set_cursor_position(lock.pin.cursor_position(pin));
    if let Some(e) = &lock.error {
        frame.render_widget(
            Paragraph::new(Span::styled(e.clone(), app.theme.error())),
            Rect::new(inner.x + 1, inner.y + 3, inner.width.saturating_sub(2), 1),
        );
    }
}
