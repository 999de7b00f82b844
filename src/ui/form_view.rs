//! Draws a form: one field per line (details take more), the focused one
//! highlighted, a choice list under a focused choice, the refusal at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::form::{FieldKind, Form};
use super::theme::Theme;
use super::widgets::input::InputView;
use crate::words::width::{pad, width};
use crate::words::{Lang, heading, t};

/// The rows each field takes in `value_w` columns of `avail` rows: a focused
/// multi-line field grows to show what was typed (up to half the room).
fn heights(form: &Form, value_w: u16, avail: u16) -> Vec<u16> {
    form.fields
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.kind {
            FieldKind::Text(input) if input.multiline => {
                let rows = u16::try_from(input.rows(usize::from(value_w))).unwrap_or(u16::MAX);
                let cap = if i == form.focus {
                    f.height.max(avail / 2)
                } else {
                    f.height
                };
                rows.clamp(f.height, cap.max(f.height)).max(1)
            }
            _ => f.height.max(1),
        })
        .collect()
}

/// The rows scrolled past so that the focused field (and its choice list)
/// shows in `avail` rows.
fn scrolled(form: &Form, heights: &[u16], avail: u16) -> u16 {
    let top: u16 = heights.iter().take(form.focus).sum();
    let mut bottom = top + heights.get(form.focus).copied().unwrap_or(1);
    if let Some(FieldKind::Choice(p)) = form.fields.get(form.focus).map(|f| &f.kind) {
        let n = p.visible().len();
        if n > 1 {
            bottom += u16::try_from(n.min(6)).unwrap_or(6) + 2;
        }
    }
    let total: u16 = heights.iter().sum();
    let bottom = bottom.min(total.max(top + 1));
    bottom.saturating_sub(avail).min(top)
}

/// The rows a refusal takes under the fields: as many as it needs (an
/// ambiguous name lists its people), up to half of the form.
fn error_rows(form: &Form, area: Rect) -> u16 {
    form.error.as_ref().map_or(0, |e| {
        let rows = super::widgets::wrap::wrap(e, usize::from(area.width.max(1)))
            .len()
            .max(1);
        u16::try_from(rows).unwrap_or(1).min((area.height / 2).max(1))
    })
}

/// Draws the refusal, wrapped, in the last `rows` rows of `area`.
fn render_error(err: &str, theme: Theme, frame: &mut Frame<'_>, area: Rect, rows: u16) {
    let lines: Vec<Line<'_>> = super::widgets::wrap::wrap(err, usize::from(area.width.max(1)))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.error())))
        .collect();
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, area.y + area.height.saturating_sub(rows), area.width, rows),
    );
}

/// Draws `form` in `area`; places the cursor in the focused text field.
/// When the fields do not fit, the form scrolls to the focused one and marks
/// the hidden rows with ▲ and ▼.
pub fn render_form(form: &Form, lang: Lang, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let label_w = form
        .fields
        .iter()
        .map(|f| width(&heading(lang, f.label)))
        .max()
        .unwrap_or(8)
        .min(usize::from(area.width * 2 / 5).max(4));
    let value_x = area.x + u16::try_from(label_w + 2).unwrap_or(10);
    // One column on the right is kept for the ▲ ▼ marks of a scrolled form.
    let value_w = area.width.saturating_sub(u16::try_from(label_w + 3).unwrap_or(10));
    let error_rows = error_rows(form, area);
    let bottom = area.y + area.height.saturating_sub(error_rows);
    let avail = bottom.saturating_sub(area.y);
    let heights = heights(form, value_w, avail);
    let skip = scrolled(form, &heights, avail);
    let mut at = 0u16;
    let mut hidden_below = false;
    let mut dropdown: Option<(Rect, usize)> = None;
    for (i, f) in form.fields.iter().enumerate() {
        let h = heights.get(i).copied().unwrap_or(1);
        let top = at;
        at += h;
        if top < skip {
            continue;
        }
        let y = area.y + (top - skip);
        if y + h > bottom {
            hidden_below = true;
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.focus() } else { theme.dim() };
        frame.render_widget(
            Paragraph::new(Span::styled(pad(&heading(lang, f.label), label_w), label_style)),
            Rect::new(area.x, y, u16::try_from(label_w).unwrap_or(8).min(area.width), 1),
        );
        let value_area = Rect::new(value_x, y, value_w, h);
        match &f.kind {
            FieldKind::Text(input) => {
                let style = if focused { Style::default() } else { theme.dim() };
                frame.render_widget(
                    InputView {
                        input,
                        style,
                        from_top: !focused,
                    },
                    value_area,
                );
                if focused {
                    frame.set_cursor_position(input.cursor_position(value_area));
                }
            }
            FieldKind::Choice(p) => {
                let label = p
                    .current()
                    .map_or_else(|| t(lang, "ui.form.no_match"), |c| c.label.clone());
                let mut spans = vec![Span::raw(format!("‹ {label} ›"))];
                if focused && !p.filter.is_empty() {
                    spans.push(Span::styled(format!("  [{}]", p.filter), theme.dim()));
                }
                frame.render_widget(Paragraph::new(Line::from(spans)), value_area);
                if focused {
                    dropdown = Some((value_area, p.visible().len()));
                }
            }
            FieldKind::Toggle(on) => {
                let text = if *on { "[x]" } else { "[ ]" };
                frame.render_widget(Paragraph::new(text), value_area);
            }
        }
    }
    let mark = |frame: &mut Frame<'_>, y: u16, text: &'static str| {
        if area.width > 0 {
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.dim())),
                Rect::new(area.x + area.width - 1, y, 1, 1),
            );
        }
    };
    if skip > 0 {
        mark(frame, area.y, "▲");
    }
    if hidden_below && bottom > area.y {
        mark(frame, bottom - 1, "▼");
    }
    if let Some(err) = &form.error {
        render_error(err, theme, frame, area, error_rows);
    }
    // The focused choice's matches, below it, over the fields that follow.
    if let (Some((at, n)), Some(FieldKind::Choice(p))) = (dropdown, form.fields.get(form.focus).map(|f| &f.kind))
        && n > 1
    {
        let rows = u16::try_from(n.min(6)).unwrap_or(6);
        let top = at.y + 1;
        let room = (area.y + area.height).saturating_sub(top);
        if room >= 3 {
            let h = (rows + 2).min(room);
            let list_area = Rect::new(at.x, top, at.width.min(30), h);
            let items: Vec<ListItem<'_>> = p.visible().iter().map(|c| ListItem::new(c.label.clone())).collect();
            let mut state = ListState::default();
            state.select(Some(p.selected));
            frame.render_widget(Clear, list_area);
            frame.render_stateful_widget(
                List::new(items)
                    .block(Block::default().borders(Borders::ALL))
                    .highlight_style(theme.selected()),
                list_area,
                &mut state,
            );
        }
    }
}
