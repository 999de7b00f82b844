//! Draws a form: one field per line (details take more), the focused one
//! highlighted, a choice list under a focused choice, the refusal at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::form::{FieldKind, Form};
use super::theme::Theme;
use super::widgets::input::InputView;
use crate::words::width::{pad, width};
use crate::words::{Lang, t};

/// Draws `form` in `area`; places the cursor in the focused text field.
pub fn render_form(form: &Form, lang: Lang, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let label_w = form
        .fields
        .iter()
        .map(|f| width(&t(lang, f.label)))
        .max()
        .unwrap_or(8)
        .min(14);
    let value_x = area.x + u16::try_from(label_w + 2).unwrap_or(10);
    let value_w = area.width.saturating_sub(u16::try_from(label_w + 2).unwrap_or(10));
    let mut y = area.y;
    let bottom = area.y + area.height.saturating_sub(u16::from(form.error.is_some()));
    let mut dropdown: Option<(Rect, usize)> = None;
    for (i, f) in form.fields.iter().enumerate() {
        if y >= bottom {
            break;
        }
        let focused = i == form.focus;
        let h = f.height.min(bottom - y).max(1);
        let label_style = if focused { theme.focus() } else { theme.dim() };
        frame.render_widget(
            Paragraph::new(Span::styled(pad(&t(lang, f.label), label_w), label_style)),
            Rect::new(area.x, y, u16::try_from(label_w).unwrap_or(8).min(area.width), 1),
        );
        let value_area = Rect::new(value_x, y, value_w, h);
        match &f.kind {
            FieldKind::Text(input) => {
                let style = if focused { Style::default() } else { theme.dim() };
                let style = if focused { style } else { Style::default().patch(style) };
                frame.render_widget(InputView { input, style }, value_area);
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
        y += h;
    }
    if let Some(err) = &form.error {
        frame.render_widget(
            Paragraph::new(Span::styled(err.clone(), theme.error())).wrap(Wrap { trim: true }),
            Rect::new(area.x, area.y + area.height.saturating_sub(1), area.width, 1),
        );
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
