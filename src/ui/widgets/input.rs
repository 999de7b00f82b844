//! A one-line (or multi-line) text input that measures CJK characters correctly.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::words::width::width;

/// Longest text a field takes, in characters; a paste beyond it is cut with a message.
pub const FIELD_MAX: usize = 20_000;

/// Text being typed, with a cursor between characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
    /// Newlines allowed (details).
    pub multiline: bool,
    /// Shown as `•` (PINs).
    pub masked: bool,
}

impl Input {
    /// An empty single-line input.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A masked input for PINs.
    #[must_use]
    pub fn masked() -> Self {
        Self {
            masked: true,
            ..Self::default()
        }
    }

    /// A multi-line input.
    #[must_use]
    pub fn multiline() -> Self {
        Self {
            multiline: true,
            ..Self::default()
        }
    }

    /// An input holding `text`, cursor at the end.
    #[must_use]
    pub fn with_text(text: &str) -> Self {
        let mut i = Self::new();
        i.set(text);
        i
    }

    /// The text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the text; cursor at the end.
    pub fn set(&mut self, text: &str) {
        self.text = clean(text, self.multiline);
        self.cursor = self.text.chars().count();
    }

    /// Empties it.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts typed or pasted text at the cursor; returns false when it was cut at the limit.
    pub fn insert(&mut self, s: &str) -> bool {
        let s = clean(s, self.multiline);
        let room = FIELD_MAX.saturating_sub(self.text.chars().count());
        let take: String = s.chars().take(room).collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &take);
        self.cursor += take.chars().count();
        take.chars().count() == s.chars().count()
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            let start = self.byte_at(self.cursor - 1);
            let end = self.byte_at(self.cursor);
            self.text.replace_range(start..end, "");
            self.cursor -= 1;
        }
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let start = self.byte_at(self.cursor);
            let end = self.byte_at(self.cursor + 1);
            self.text.replace_range(start..end, "");
        }
    }

    /// Moves the cursor by `delta` characters.
    pub fn move_by(&mut self, delta: isize) {
        let len = self.text.chars().count();
        self.cursor = self.cursor.saturating_add_signed(delta).min(len);
    }

    /// Cursor to the start or the end.
    pub fn home_end(&mut self, end: bool) {
        self.cursor = if end { self.text.chars().count() } else { 0 };
    }

    /// What is shown: the text, or bullets when masked.
    #[must_use]
    pub fn shown(&self) -> String {
        if self.masked {
            "•".repeat(self.text.chars().count())
        } else {
            self.text.clone()
        }
    }

    /// Columns before the cursor on its line, and the line index.
    #[must_use]
    pub fn cursor_cell(&self) -> (usize, usize) {
        let shown = self.shown();
        let before: String = shown.chars().take(self.cursor).collect();
        let line = before.matches('\n').count();
        let col = width(before.rsplit('\n').next().unwrap_or(""));
        (col, line)
    }

    /// Where the terminal cursor goes when this input is drawn in `area`.
    #[must_use]
    pub fn cursor_position(&self, area: Rect) -> Position {
        let (col, line) = self.cursor_cell();
        let (col, line) = (Self::scroll_col(area.width, col), line);
        Position {
            x: area.x + u16::try_from(col).unwrap_or(0).min(area.width.saturating_sub(1)),
            y: area.y + u16::try_from(line).unwrap_or(0).min(area.height.saturating_sub(1)),
        }
    }

    fn scroll_col(w: u16, col: usize) -> usize {
        let w = usize::from(w.max(1));
        if col < w { col } else { w - 1 }
    }
}

/// Control characters are dropped (tabs become spaces); newlines only where allowed.
fn clean(s: &str, multiline: bool) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\r' => None,
            '\n' if multiline => Some('\n'),
            '\n' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Draws an input, scrolled so the cursor is visible.
#[derive(Debug)]
pub struct InputView<'a> {
    /// The input.
    pub input: &'a Input,
    /// Its style.
    pub style: Style,
}

impl Widget for InputView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let shown = self.input.shown();
        let (col, cursor_line) = self.input.cursor_cell();
        let w = usize::from(area.width);
        // Keep the cursor on screen: drop columns from the left when it would fall off.
        let skip_cols = (col + 1).saturating_sub(w);
        let first_line = cursor_line.saturating_sub(usize::from(area.height).saturating_sub(1));
        for (row, line) in shown
            .split('\n')
            .skip(first_line)
            .take(usize::from(area.height))
            .enumerate()
        {
            let mut skipped = 0;
            let mut visible = String::new();
            for c in line.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if skipped < skip_cols && row + first_line == cursor_line {
                    skipped += cw;
                    continue;
                }
                visible.push(c);
            }
            let y = area.y + u16::try_from(row).unwrap_or(0);
            buf.set_stringn(area.x, y, &visible, w, self.style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_moves_over_wide_characters_by_two_columns() {
        let mut i = Input::new();
        i.insert("护理部a");
        assert_eq!(i.cursor_cell(), (7, 0));
        i.move_by(-2);
        assert_eq!(i.cursor_cell(), (4, 0));
        i.backspace();
        assert_eq!(i.text(), "护部a");
        i.insert("士");
        assert_eq!(i.text(), "护士部a");
    }

    #[test]
    fn control_characters_are_dropped_and_pastes_are_limited() {
        let mut i = Input::new();
        i.insert("a\u{1b}[2Jb\tc\nd");
        // ESC is gone, so what is left is harmless text.
        assert_eq!(i.text(), "a[2Jb c d");
        let mut big = Input::new();
        assert!(!big.insert(&"字".repeat(FIELD_MAX + 10)));
        assert_eq!(big.text().chars().count(), FIELD_MAX);
        let mut m = Input::multiline();
        m.insert("一\n二");
        assert_eq!(m.cursor_cell(), (2, 1));
    }

    #[test]
    fn masked_input_shows_bullets() {
        let mut i = Input::masked();
        i.insert("1234");
        assert_eq!(i.shown(), "••••");
    }
}
