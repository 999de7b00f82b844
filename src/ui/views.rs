//! The saved views' picker over the queue: a clerk's saved views (v), to
//! recall or remove one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::component::Cx;
use crate::store::views::SavedView;
use crate::words::width::{pad, width};
use crate::words::{t, views::describe};

/// The saved views' picker.
#[derive(Clone, Debug, Default)]
pub struct Picker {
    /// The clerk's saved views, by number.
    pub views: Vec<SavedView>,
    /// The selected one.
    pub selected: usize,
}

impl Picker {
    /// The selected view.
    #[must_use]
    pub fn chosen(&self) -> Option<&SavedView> {
        self.views.get(self.selected)
    }

    /// One row up or down.
    pub fn step(&mut self, down: bool) {
        self.selected = if down {
            (self.selected + 1).min(self.views.len().saturating_sub(1))
        } else {
            self.selected.saturating_sub(1)
        };
    }
}

/// Draws the picker in the middle of `area`, clearing what it covers: each
/// view's key, name and parts.
pub fn render_picker(cx: &Cx<'_>, picker: &Picker, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let w = area.width.min(72);
    let rows = u16::try_from(picker.views.len().max(2)).unwrap_or(u16::MAX);
    let h = rows.saturating_add(2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h,
    );
    // One column more on each side: a wide character straddling the edge would eat the border.
    frame.render_widget(
        Clear,
        Rect::new(rect.x.saturating_sub(1), rect.y, rect.width + 2, rect.height).intersection(area),
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t(lang, "view.picker_title"));
    if picker.views.is_empty() {
        frame.render_widget(
            Paragraph::new(t(lang, "view.picker_empty"))
                .wrap(Wrap { trim: true })
                .block(block),
            rect,
        );
        return;
    }
    let keys: Vec<String> = picker
        .views
        .iter()
        .map(|v| v.slot.map_or_else(|| t(lang, "view.no_slot"), |n| format!("Alt-{n}")))
        .collect();
    let key_w = keys.iter().map(|k| width(k)).max().unwrap_or(0);
    let name_w = picker.views.iter().map(|v| width(&v.name)).max().unwrap_or(0);
    let items: Vec<ListItem<'_>> = picker
        .views
        .iter()
        .zip(&keys)
        .map(|(v, key)| {
            ListItem::new(format!(
                "{}  {}  {}",
                pad(key, key_w),
                pad(&v.name, name_w),
                describe(lang, &v.view)
            ))
        })
        .collect();
    let mut state = ListState::default();
    state.select(Some(picker.selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(cx.theme.selected())
            .highlight_symbol("▶ "),
        rect,
        &mut state,
    );
}
