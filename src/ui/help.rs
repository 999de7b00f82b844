//! The help screen, built from the same keymap that handles the keys.
//! Laid out for the terminal it is on: as many columns as fit at least
//! [`COLUMN`] wide, the key column as wide as the widest key of each group,
//! descriptions wrapped under themselves, and pages turned by ↓ or PageDown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keymap::{BINDINGS, Binding, Scope};
use super::widgets::wrap::wrap_labelled;
use crate::words::width::{pad, width};
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
        Scope::Visits => "ui.scope.visits",
        Scope::Urges => "ui.scope.urges",
        Scope::History => "ui.scope.history",
        Scope::Report => "ui.scope.report",
        Scope::SignIn => "ui.scope.sign_in",
        Scope::Lock => "ui.scope.lock",
        Scope::Setup => "ui.scope.setup",
        Scope::Call => "ui.scope.call",
        Scope::Views => "view.scope",
    }
}

/// The marks lists show, and what they mean.
const MARKS: [(&str, &str); 4] = [
    ("⚠", "ui.legend.overdue"),
    ("↻", "ui.legend.repeat"),
    ("L0–L3", "ui.legend.level"),
    ("•", "ui.legend.today"),
];

/// Every binding, grouped by where it works (the screen in front's keys
/// first), then the marks, as lines at most `cols` wide.
#[must_use]
pub fn lines(lang: Lang, front: Scope, cols: u16) -> Vec<Line<'static>> {
    let cols = usize::from(cols).max(8);
    let mut scopes = vec![front];
    scopes.extend(Scope::ALL.into_iter().filter(|s| *s != front));
    let heading = |text: String| Line::styled(format!("— {text} —"), Style::default().add_modifier(Modifier::BOLD));
    let mut out = Vec::new();
    let mut group = |title: String, rows: Vec<(String, String)>| {
        out.push(heading(title));
        // The key column as wide as this group's widest key, but never most of the line.
        let key_w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0).min(cols / 3);
        for (key, text) in rows {
            // A key wider than the column (Shift-Tab on a narrow screen) is shown whole.
            let key = if width(&key) > key_w { key } else { pad(&key, key_w) };
            let label = format!(" {key} ");
            out.extend(wrap_labelled(&label, &text, cols).into_iter().map(Line::from));
        }
    };
    for scope in scopes {
        let bindings: Vec<&Binding> = BINDINGS.iter().filter(|b| b.scope == scope).collect();
        let rows = runs(&bindings)
            .into_iter()
            .map(|(first, last)| {
                let key = match last {
                    Some(last) => {
                        // Alt-1…9: the last key without what it shares with the first.
                        let (a, b) = (first.key.label(), last.key.label());
                        let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
                        format!("{a}…{}", b.chars().skip(shared).collect::<String>())
                    }
                    None => first.key.label(),
                };
                (key, t(lang, first.help))
            })
            .collect();
        group(t(lang, scope_key(scope)), rows);
    }
    let marks = MARKS.iter().map(|(m, k)| ((*m).to_string(), t(lang, k))).collect();
    group(t(lang, "ui.legend.title"), marks);
    out
}

/// Bindings one after another, a run of three or more with the same
/// description as one row of its first and last key (`Alt-1…9`).
fn runs<'a>(bindings: &[&'a Binding]) -> Vec<(&'a Binding, Option<&'a Binding>)> {
    let mut out: Vec<(&Binding, Option<&Binding>)> = Vec::new();
    let mut i = 0;
    while let Some(first) = bindings.get(i) {
        let len = bindings[i..].iter().take_while(|b| b.help == first.help).count();
        if len >= 3 {
            out.push((first, bindings.get(i + len - 1).copied()));
        } else {
            out.extend(bindings[i..i + len].iter().map(|b| (*b, None)));
        }
        i += len;
    }
    out
}

/// Columns a key and its description need to be read side by side.
const COLUMN: u16 = 28;

/// The help's columns in `inner`: how many, and how wide each.
fn layout(inner: Rect) -> (u16, u16) {
    let n = (inner.width / COLUMN).max(1);
    (n, inner.width / n)
}

/// How many lines one page of help holds in `inner` (the last row says the page).
fn per_page(inner: Rect) -> usize {
    let (n, _) = layout(inner);
    usize::from(inner.height.saturating_sub(1).max(1)) * usize::from(n)
}

/// The lines of help for `inner`, each fitting its column (one space between columns).
fn laid_out(lang: Lang, front: Scope, inner: Rect) -> Vec<Line<'static>> {
    let (_, col_w) = layout(inner);
    lines(lang, front, col_w.saturating_sub(1))
}

/// How many pages help takes in `area`.
#[must_use]
pub fn pages(lang: Lang, front: Scope, area: Rect) -> usize {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    laid_out(lang, front, inner).len().div_ceil(per_page(inner)).max(1)
}

/// Draws page `page` of help over the screen: columns wide enough to read
/// each key's description whole, as many as fit; ↓ or PageDown turns the page.
pub fn render(lang: Lang, front: Scope, page: usize, frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.help.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let all = laid_out(lang, front, inner);
    let per = per_page(inner);
    let total = all.len().div_ceil(per).max(1);
    let page = page.min(total - 1);
    let rows = usize::from(inner.height.saturating_sub(1).max(1));
    let (_, col_w) = layout(inner);
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
    let long = tf(
        lang,
        "ui.help.page",
        &[("n", (page + 1).to_string()), ("total", total.to_string())],
    );
    let foot = if width(&long) <= usize::from(inner.width) {
        long
    } else {
        tf(
            lang,
            "ui.help.page_short",
            &[("n", (page + 1).to_string()), ("total", total.to_string())],
        )
    };
    frame.render_widget(
        Paragraph::new(foot),
        Rect::new(inner.x, inner.y + inner.height.saturating_sub(1), inner.width, 1),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_help_line_fits_its_column_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            for cols in [20, 35, 58] {
                for line in lines(lang, Scope::Queue, cols) {
                    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
                    assert!(width(&text) <= usize::from(cols), "{cols}: {text:?}");
                }
            }
        }
    }
}
