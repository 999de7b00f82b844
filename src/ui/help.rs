//! The help screen, built from the same keymap that handles the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keymap::{BINDINGS, Scope};
use crate::words::width::pad;
use crate::words::{Lang, t, tf};

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
        Scope::Setup => "ui.scope.setup",
    }
}

/// Every binding, grouped by where it works; the screen in front's keys first.
#[must_use]
pub fn lines(lang: Lang, front: Scope) -> Vec<Line<'static>> {
    let mut scopes = vec![front];
    scopes.extend(
        [
            Scope::Global,
            Scope::Queue,
            Scope::Case,
            Scope::Form,
            Scope::Search,
            Scope::Log,
            Scope::Handover,
            Scope::Lists,
            Scope::Setup,
        ]
        .into_iter()
        .filter(|s| *s != front),
    );
    let mut out = Vec::new();
    for scope in scopes {
        out.push(Line::from(format!("— {} —", t(lang, scope_key(scope)))));
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            out.push(Line::from(format!("  {} {}", pad(&b.key.label(), 10), t(lang, b.help))));
        }
    }
    out
}

/// Columns a key and its description need to be read whole.
const COLUMN: u16 = 36;

/// How many lines one page of help holds in `inner`.
fn per_page(inner: Rect) -> usize {
    let cols = (inner.width / COLUMN).max(1);
    usize::from(inner.height.saturating_sub(1).max(1)) * usize::from(cols)
}

/// How many pages help takes in `area`.
#[must_use]
pub fn pages(lang: Lang, front: Scope, area: Rect) -> usize {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    lines(lang, front).len().div_ceil(per_page(inner)).max(1)
}

/// Draws page `page` of help over the screen: columns wide enough to read
/// each key's description whole, as many as fit; ↓ or PageDown turns the page.
pub fn render(lang: Lang, front: Scope, page: usize, frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    let all = lines(lang, front);
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.help.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let per = per_page(inner);
    let total = all.len().div_ceil(per).max(1);
    let page = page.min(total - 1);
    let rows = usize::from(inner.height.saturating_sub(1).max(1));
    let col_w = if inner.width >= COLUMN {
        inner.width / (inner.width / COLUMN)
    } else {
        inner.width
    };
    let shown = all.iter().skip(page * per).take(per).cloned().collect::<Vec<_>>();
    for (c, chunk) in shown.chunks(rows).enumerate() {
        let x = inner.x + col_w * u16::try_from(c).unwrap_or(0);
        if x >= inner.x + inner.width {
            break;
        }
        frame.render_widget(
            Paragraph::new(chunk.to_vec()),
            Rect::new(
                x,
                inner.y,
                col_w.min(inner.x + inner.width - x),
                inner.height.saturating_sub(1),
            ),
        );
    }
    let foot = tf(
        lang,
        "ui.help.page",
        &[("n", (page + 1).to_string()), ("total", total.to_string())],
    );
    frame.render_widget(
        Paragraph::new(foot),
        Rect::new(inner.x, inner.y + inner.height.saturating_sub(1), inner.width, 1),
    );
}
