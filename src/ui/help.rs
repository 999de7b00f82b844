//! The help screen, built from the same keymap that handles the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keymap::{BINDINGS, Scope};
use crate::words::width::pad;
use crate::words::{Lang, t};

fn scope_key(s: Scope) -> &'static str {
    match s {
        Scope::Global => "ui.scope.global",
        Scope::Queue => "ui.scope.queue",
        Scope::Case => "ui.scope.case",
        Scope::Form => "ui.scope.form",
        Scope::Search => "ui.scope.search",
        Scope::Log => "ui.scope.log",
        Scope::Handover => "ui.scope.handover",
        Scope::Lists => "ui.scope.lists",
    }
}

/// Every binding, grouped by where it works.
#[must_use]
pub fn lines(lang: Lang) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for scope in [
        Scope::Global,
        Scope::Queue,
        Scope::Case,
        Scope::Form,
        Scope::Search,
        Scope::Log,
        Scope::Handover,
    ] {
        out.push(Line::from(format!("— {} —", t(lang, scope_key(scope)))));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            out.push(Line::from(format!("  {} {}", pad(&b.key.label(), 10), t(lang, b.help))));
        }
    }
    out.push(Line::from(t(lang, "ui.help.close")));
    out
}

/// Draws help over the screen.
pub fn render(lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    let lines = lines(lang);
    // Two columns when there is room, so help fits a small terminal.
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.help.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height.max(1));
    let cols = lines.len().div_ceil(rows).max(1);
    let col_w = inner.width / u16::try_from(cols).unwrap_or(1).max(1);
    for (c, chunk) in lines.chunks(rows).enumerate() {
        let x = inner.x + col_w * u16::try_from(c).unwrap_or(0);
        if x >= inner.x + inner.width {
            break;
        }
        frame.render_widget(
            Paragraph::new(chunk.to_vec()),
            Rect::new(x, inner.y, col_w, inner.height),
        );
    }
}
