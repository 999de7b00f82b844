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
        let (col, line) = if self.multiline {
            let (_, (row, col)) = self.wrapped(usize::from(area.width));
            let first = first_row(row, usize::from(area.height));
            (col, row - first)
        } else {
            let (col, line) = self.cursor_cell();
            (Self::scroll_col(area.width, col), line)
        };
        Position {
            x: area.x + u16::try_from(col).unwrap_or(0).min(area.width.saturating_sub(1)),
            y: area.y + u16::try_from(line).unwrap_or(0).min(area.height.saturating_sub(1)),
        }
    }

    /// The text as it is shown in `width` columns: every line broken where it
    /// would pass the edge (a closing mark such as `。` takes the character
    /// before it along rather than start a row), and the cursor's (row,
    /// column) among those rows. A cursor after a full last row goes to the
    /// start of the next.
    #[must_use]
    pub fn wrapped(&self, width: usize) -> (Vec<String>, (usize, usize)) {
        let width = width.max(2);
        let cw = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        // Rows of (character index, character).
        let mut rows: Vec<Vec<(usize, char)>> = vec![Vec::new()];
        let mut col = 0;
        for (i, c) in self.shown().chars().enumerate() {
            if c == '\n' {
                if let Some(row) = rows.last_mut() {
                    row.push((i, c));
                }
                rows.push(Vec::new());
                col = 0;
                continue;
            }
            if col + cw(c) > width {
                let mut next = Vec::new();
                if let Some(row) = rows.last_mut()
                    && super::wrap::CLOSERS.contains(c)
                    && row.len() > 1
                    && let Some(carried) = row.pop()
                {
                    next.push(carried);
                }
                col = next.iter().map(|&(_, c)| cw(c)).sum();
                rows.push(next);
            }
            if let Some(row) = rows.last_mut() {
                row.push((i, c));
            }
            col += cw(c);
        }
        let mut cursor = None;
        for (r, row) in rows.iter().enumerate() {
            let mut x = 0;
            for &(i, c) in row {
                if i == self.cursor {
                    cursor = Some((r, x));
                }
                x += cw(c);
            }
        }
        let cursor = cursor.unwrap_or_else(|| {
            let last = rows.len() - 1;
            let x: usize = rows[last].iter().map(|&(_, c)| cw(c)).sum();
            if x >= width {
                rows.push(Vec::new());
                (last + 1, 0)
            } else {
                (last, x)
            }
        });
        let text = rows
            .iter()
            .map(|row| row.iter().map(|&(_, c)| c).filter(|&c| c != '\n').collect())
            .collect();
        (text, cursor)
    }

    /// How many rows the text takes in `width` columns, the cursor's row included.
    #[must_use]
    pub fn rows(&self, width: usize) -> usize {
        self.wrapped(width).0.len()
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
    /// Shown from its first row (a field not being typed in), not scrolled to the cursor.
    pub from_top: bool,
}

impl Widget for InputView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let w = usize::from(area.width);
        if self.input.multiline {
            // Several lines wrap at the edge, scrolled so the cursor's row shows.
            let (rows, (cursor_row, _)) = self.input.wrapped(w);
            let first = if self.from_top {
                0
            } else {
                first_row(cursor_row, usize::from(area.height))
            };
            for (i, row) in rows.iter().skip(first).take(usize::from(area.height)).enumerate() {
                let y = area.y + u16::try_from(i).unwrap_or(0);
                buf.set_stringn(area.x, y, row, w, self.style);
            }
            return;
        }
        let shown = self.input.shown();
        let (col, _) = self.input.cursor_cell();
        // Keep the cursor on screen: drop columns from the left when it would fall off.
        let skip_cols = (col + 1).saturating_sub(w);
        let mut skipped = 0;
        let mut visible = String::new();
        for c in shown.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if skipped < skip_cols {
                skipped += cw;
                continue;
            }
            visible.push(c);
        }
        buf.set_stringn(area.x, area.y, &visible, w, self.style);
    }
}

/// The first row shown in `height` rows so that the cursor's row shows, as
/// near the top as that allows.
fn first_row(cursor: usize, height: usize) -> usize {
    cursor.saturating_sub(height.max(1) - 1)
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

    #[test]
    fn several_lines_wrap_at_the_edge_and_the_cursor_follows() {
        let mut m = Input::multiline();
        m.insert("患者家属反映夜间输液时呼叫护士无人应答");
        let (rows, cursor) = m.wrapped(10);
        assert_eq!(rows, ["患者家属反", "映夜间输液", "时呼叫护士", "无人应答"]);
        assert_eq!(cursor, (3, 8));
        m.insert("。");
        let (rows, cursor) = m.wrapped(10);
        assert_eq!(rows.len(), 5, "a full row puts the cursor on the next");
        assert_eq!(cursor, (4, 0));
        m.home_end(false);
        assert_eq!(m.wrapped(10).1, (0, 0));
        m.move_by(5);
        assert_eq!(m.wrapped(10).1, (1, 0), "the sixth character starts the second row");
        let mut closing = Input::multiline();
        closing.insert("一二三。四");
        assert_eq!(
            closing.wrapped(6).0[..2],
            ["一二", "三。四"],
            "a closing mark never starts a row"
        );
        closing.move_by(-2);
        assert_eq!(closing.wrapped(6).1, (1, 2), "the cursor before 。 moved with it");
        let mut n = Input::multiline();
        n.insert("一\n二");
        assert_eq!(n.wrapped(10), (vec!["一".to_string(), "二".to_string()], (1, 2)));
    }

    #[test]
    fn a_multi_line_field_shows_the_row_it_is_typed_on() {
        let mut m = Input::multiline();
        m.insert(&"护理".repeat(30));
        let area = Rect::new(0, 0, 10, 3);
        let mut buf = Buffer::empty(area);
        InputView {
            input: &m,
            style: Style::default(),
            from_top: false,
        }
        .render(area, &mut buf);
        let pos = m.cursor_position(area);
        assert_eq!(pos.y, 2, "the cursor is on the last shown row");
        let last: String = (0..10).map(|x| buf[(x, 2)].symbol().to_string()).collect();
        assert!(last.trim().is_empty(), "the text ended at a row's edge: {last:?}");
    }
}
