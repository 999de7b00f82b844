//! Text measured the way a terminal shows it: CJK characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
#[must_use]
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, ending in `…` when cut.
#[must_use]
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `s` cut or padded with spaces to exactly `cols` columns.
#[must_use]
pub fn pad(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// `s` broken into lines of at most `cols` columns: at its own line breaks,
/// then before a word that would pass the edge, and inside a word (or
/// between CJK characters, which need no spaces) only where it must.
#[must_use]
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut out = Vec::new();
    for para in s.lines() {
        let mut line = String::new();
        let mut used = 0;
        for c in para.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > cols {
                // Back to the last space when the line holds one, so a word moves whole.
                let cut = line.rfind(' ').filter(|&i| i > 0 && c != ' ');
                let rest = match cut {
                    Some(i) => {
                        let rest = line[i + 1..].to_string();
                        line.truncate(i);
                        rest
                    }
                    None => String::new(),
                };
                out.push(line.trim_end().to_string());
                line = rest;
                used = width(&line);
                if c == ' ' && line.is_empty() {
                    continue;
                }
            }
            line.push(c);
            used += w;
        }
        out.push(line.trim_end().to_string());
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Rows of cells printed as columns lined up on a terminal: each column as
/// wide as its widest cell, in display columns (a Chinese character takes
/// two), two spaces apart. Every table the command line prints goes through it.
#[derive(Clone, Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table.
    #[must_use]
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a row; its cells are shown as one line each (control characters visible).
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(
            cells
                .into_iter()
                .map(|c| crate::words::visible_line(c.as_ref()).into_owned())
                .collect(),
        );
    }

    /// The lines to print, without trailing spaces.
    #[must_use]
    pub fn lines(&self) -> Vec<String> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| width(c))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        self.rows
            .iter()
            .map(|row| {
                let mut line = String::new();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', widths[i].saturating_sub(width(cell))));
                }
                line.trim_end().to_string()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_lines_up_chinese_and_latin_columns() {
        let mut table = Table::new();
        table.row(["管理员", "Admin", "x"]);
        table.row(["Li", "值班员", ""]);
        table.row(["欧阳小明", "主管", "y"]);
        let lines = table.lines();
        assert_eq!(
            lines,
            ["管理员    Admin   x", "Li        值班员", "欧阳小明  主管    y"]
        );
        // The third column starts at the same display column in every line that has it.
        let third = |l: &str| width(&l[..l.rfind(' ').unwrap()]);
        assert_eq!(third(&lines[0]), third(&lines[2]));
    }

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("护理部"), 6);
        assert_eq!(pad("护理部", 8), "护理部  ");
        assert_eq!(truncate("门诊分诊护士态度生硬", 9), "门诊分诊…");
        assert_eq!(width(&truncate("门诊分诊护士态度生硬", 9)), 9);
        assert_eq!(pad("abc", 2), "a…");
    }

    #[test]
    fn wrapping_keeps_every_line_within_its_columns() {
        assert_eq!(wrap("药房窗口排队太久", 6), ["药房窗", "口排队", "太久"]);
        assert_eq!(wrap("the queue was long", 9), ["the queue", "was long"]);
        assert_eq!(wrap("一二\n三", 10), ["一二", "三"]);
        assert_eq!(wrap("", 10), [""]);
        let long = "门诊".repeat(50) + " abcdefghijklmnopqrstuvwxyz".repeat(5).as_str();
        for line in wrap(&long, 31) {
            assert!(width(&line) <= 31, "{line}");
        }
    }
}
