//! Draws the whole screen from `&App`: top bar, the screen, footer, overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, view};
use super::component::Cx;
use super::keymap::footer;
use super::overlay::{Overlay, render_confirm_leave, render_lock};
use crate::domain::Time;
use crate::words::{t, tf};

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 60;
/// Smallest usable terminal: at 20 rows every screen shows a whole form
/// field, a step form and the help (tests/every_screen.rs draws them there).
pub const MIN_HEIGHT: u16 = 20;

/// Draws everything.
pub fn draw(app: &App, frame: &mut Frame<'_>, now: Time) {
    let area = frame.area();
    let lang = app.desk.lang;
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
    frame.render_widget(Paragraph::new(top_bar(app, top.width)).style(app.theme.bar()), top);
    let cx = Cx {
        desk: &app.desk,
        user: app.user.as_ref(),
        now,
        theme: app.theme,
    };
    match &app.overlay {
        Some(Overlay::Lock(lock)) => render_lock(&cx, lock, frame, body),
        _ => view(&app.screen, &app.queue).draw(frame, body, &cx),
    }
    if let Some((text, error)) = &app.message {
        let style = if *error { app.theme.error() } else { app.theme.ok() };
        frame.render_widget(Paragraph::new(Span::styled(text.clone(), style)), message);
    }
    frame.render_widget(
        Paragraph::new(footer_line(app, foot.width)).style(app.theme.dim()),
        foot,
    );
    match &app.overlay {
        Some(Overlay::ConfirmLeave) => render_confirm_leave(&cx, frame, body),
        Some(Overlay::ConfirmPrepare(text)) => super::overlay::render_question(text, frame, body),
        Some(Overlay::Help { page }) => {
            super::help::render(lang, view(&app.screen, &app.queue).scope(), *page, frame, body);
        }
        _ => {}
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

/// The top bar: who is signed in, who is on duty, and the desk's counts.
/// On a narrow terminal the longer parts give way to shorter ones (then go)
/// before a count is lost.
fn top_bar(app: &App, cols: u16) -> Line<'static> {
    let lang = app.desk.lang;
    // A training desk says so on every screen, first, where no width cuts it.
    let mark = if app.desk.training {
        format!("[{}] ", t(lang, "cli.training_mark"))
    } else {
        String::new()
    };
    let Some(user) = &app.user else {
        return Line::from(format!(" {mark}casedesk  {}", t(lang, "ui.top.signed_out")));
    };
    let c = app.queue.counts;
    let duty: Vec<String> = app
        .queue
        .on_duty
        .iter()
        .map(|(n, over)| if *over { format!("{n}⚠") } else { n.clone() })
        .collect();
    let sep = t(lang, "ui.top.names_sep");
    // A handover waiting for this clerk comes right after their name, where no width cuts it.
    let waiting = app.queue.handover_waiting.map_or_else(String::new, |id| {
        format!("  {}", tf(lang, "ui.top.handover_waiting", &[("id", id.to_string())]))
    });
    let who = format!(
        "{}{waiting}",
        tf(
            lang,
            "ui.top.user",
            &[("name", user.name.clone()), ("role", t(lang, &user.role.label_key()))],
        )
    );
    let on_duty = tf(lang, "ui.top.on_duty", &[("names", duty.join(&sep))]);
    let on_duty_short = tf(lang, "ui.top.on_duty_short", &[("n", duty.len().to_string())]);
    let numbers = [
        ("scope", t(lang, "ui.top.scope_all")),
        ("scope_short", t(lang, "ui.top.scope_short")),
        ("open", c.open.to_string()),
        ("overdue", c.overdue.to_string()),
        ("today", c.due_today.to_string()),
        ("visits", c.visits_due.to_string()),
        ("escalated", c.escalated.to_string()),
    ];
    let counts = tf(lang, "ui.top.counts", &numbers);
    let short = tf(lang, "ui.top.counts_short", &numbers);
    let name = format!("{}{waiting}", user.name);
    let candidates: [&[&str]; 7] = [
        &["casedesk", &who, &on_duty, &counts],
        &[&who, &on_duty, &counts],
        &[&who, &on_duty_short, &counts],
        &[&who, &counts],
        &[&name, &counts],
        &[&name, &on_duty_short, &short],
        &[&name, &short],
    ];
    let joined = |parts: &[&str]| format!(" {mark}{}", parts.join("  "));
    let fits = |text: &String| crate::words::width::width(text) <= usize::from(cols);
    let text = candidates
        .iter()
        .map(|parts| joined(parts))
        .find(fits)
        .unwrap_or_else(|| format!(" {mark}{short}"));
    Line::from(text)
}

/// The footer: the keys of the screen in front, as many as fit whole.
fn footer_line(app: &App, cols: u16) -> Line<'static> {
    let lang = app.desk.lang;
    let mut used = 0;
    let mut spans = Vec::new();
    for b in footer(app.scope()) {
        let key = b.key.label();
        let text = format!(" {}  ", t(lang, b.help));
        let w = crate::words::width::width(&key) + crate::words::width::width(&text);
        if used + w > usize::from(cols) + 2 {
            break;
        }
        used += w;
        spans.push(Span::styled(key, app.theme.focus()));
        spans.push(Span::raw(text));
    }
    Line::from(spans)
}
