//! Table columns sized from what they hold: each column is as wide as its
//! heading or its widest cell (up to a cap), and when the terminal is too
//! narrow the least needed columns are dropped whole, never cut to a letter.

use ratatui::layout::Constraint;

use crate::words::width::width;

/// One column of a table.
#[derive(Clone, Debug)]
pub struct Column {
    /// Its heading.
    pub head: String,
    /// Widest it may grow, in terminal columns (the flexible column's least width).
    pub cap: u16,
    /// Which columns go first when there is no room: lower goes first.
    pub keep: u8,
    /// The column that takes the room left (a summary); never dropped.
    pub fill: bool,
}

impl Column {
    /// A column as wide as it needs, up to `cap`.
    #[must_use]
    pub fn new(head: String, cap: u16, keep: u8) -> Self {
        Column {
            head,
            cap,
            keep,
            fill: false,
        }
    }

    /// The column that takes the room left, at least `least` wide.
    #[must_use]
    pub fn fill(head: String, least: u16) -> Self {
        Column {
            head,
            cap: least,
            keep: u8::MAX,
            fill: true,
        }
    }
}

/// Which columns fit in `room` columns with `spacing` between them, and their
/// widths, for rows of `cells` (one string per column): indexes kept, in order.
#[must_use]
pub fn fit(columns: &[Column], cells: &[Vec<String>], room: u16, spacing: u16) -> (Vec<usize>, Vec<Constraint>) {
    let need: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.fill {
                return c.cap;
            }
            // The heading is never cut; a cell longer than the cap is.
            let widest = cells
                .iter()
                .filter_map(|row| row.get(i))
                .map(|s| width(s))
                .max()
                .unwrap_or(0);
            let widest = u16::try_from(widest).unwrap_or(u16::MAX).min(c.cap);
            widest.max(u16::try_from(width(&c.head)).unwrap_or(u16::MAX))
        })
        .collect();
    let mut kept: Vec<usize> = (0..columns.len()).collect();
    let total = |kept: &[usize]| -> u32 {
        let gaps = u32::from(spacing) * u32::try_from(kept.len().saturating_sub(1)).unwrap_or(0);
        kept.iter().map(|&i| u32::from(need[i])).sum::<u32>() + gaps
    };
    while total(&kept) > u32::from(room) {
        let drop = kept
            .iter()
            .enumerate()
            .filter(|(_, i)| !columns[**i].fill)
            .min_by_key(|(_, i)| columns[**i].keep)
            .map(|(at, _)| at);
        match drop {
            Some(at) if kept.len() > 1 => {
                kept.remove(at);
            }
            _ => break,
        }
    }
    let widths = kept
        .iter()
        .map(|&i| {
            if columns[i].fill {
                Constraint::Fill(1)
            } else {
                Constraint::Length(need[i])
            }
        })
        .collect();
    (kept, widths)
}

/// The kept cells of a row, in order.
#[must_use]
pub fn pick<T: Clone>(row: &[T], kept: &[usize]) -> Vec<T> {
    kept.iter().filter_map(|&i| row.get(i).cloned()).collect()
}

/// The first row to show so that row `selected` is among the `fit` shown,
/// moving the view from `offset` no more than needed.
#[must_use]
pub fn scroll(offset: usize, selected: usize, fit: usize) -> usize {
    let fit = fit.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + fit {
        selected + 1 - fit
    } else {
        offset
    }
}

/// A list of rows as a table in `block` over `area`: as many of `columns`
/// as fit, headings in bold, row `selected` (of the rows given) marked.
pub fn draw_rows(
    frame: &mut ratatui::Frame<'_>,
    area: ratatui::layout::Rect,
    block: ratatui::widgets::Block<'_>,
    (columns, cells): (&[Column], &[Vec<String>]),
    selected: Option<usize>,
    highlight: ratatui::style::Style,
) {
    use ratatui::style::{Modifier, Style};
    use ratatui::widgets::{Row, Table, TableState};
    let inner = block.inner(area);
    let (kept, widths) = fit(columns, cells, inner.width.saturating_sub(2), 1);
    let rows: Vec<Row<'_>> = cells.iter().map(|c| Row::new(pick(c, &kept))).collect();
    let heads: Vec<String> = kept.iter().map(|&i| columns[i].head.clone()).collect();
    let mut state = TableState::default();
    state.select(selected);
    frame.render_stateful_widget(
        Table::new(rows, widths)
            .header(Row::new(heads).style(Style::default().add_modifier(Modifier::BOLD)))
            .block(block)
            .row_highlight_style(highlight)
            .highlight_symbol("▶ "),
        area,
        &mut state,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_dropped_whole_least_needed_first() {
        let cols = vec![
            Column::new("编号".into(), 20, 9),
            Column::fill("摘要".into(), 10),
            Column::new("负责人".into(), 8, 1),
            Column::new("状态".into(), 10, 5),
        ];
        let cells = vec![vec!["2026-000001".into(), "x".into(), "张小明".into(), "已交办".into()]];
        let (kept, widths) = fit(&cols, &cells, 60, 1);
        assert_eq!(kept, vec![0, 1, 2, 3]);
        assert_eq!(widths[0], Constraint::Length(11));
        assert_eq!(widths[2], Constraint::Length(6), "as wide as its heading");
        let (kept, _) = fit(&cols, &cells, 35, 1);
        assert_eq!(kept, vec![0, 1, 3], "the owner goes first");
        let (kept, _) = fit(&cols, &cells, 5, 1);
        assert_eq!(kept, vec![1], "the fill column stays");
    }
}
