//! Text wrapped to a terminal's columns: CJK characters take two columns and
//! break anywhere, Latin words break at spaces when they can, a label's
//! continuation lines are indented under its text, and typed new lines stay.

use unicode_width::UnicodeWidthChar;

/// `text` after `label`, wrapped to `width` columns; continuation lines are
/// indented by the label's width so the text reads as one block.
#[must_use]
pub fn wrap_labelled(label: &str, text: &str, width: usize) -> Vec<String> {
    let indent = crate::words::width::width(label);
    if indent + 4 > width {
        // No room to hang the text under its label: the label on a line of its own.
        let mut out = vec![label.trim_end().to_string()];
        out.extend(wrap(text, width));
        return out;
    }
    let pad = " ".repeat(indent);
    wrap(text, width - indent)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{label}{line}")
            } else {
                format!("{pad}{line}")
            }
        })
        .collect()
}

/// Punctuation that may not begin a line (Chinese typesetting's 避头点).
pub const CLOSERS: &str = "，。、；：！？）》」』”’…,.;:!?)";

/// `text` wrapped to `width` columns (at least one), each typed line on its own.
#[must_use]
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for typed in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in typed.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && !line.is_empty() {
                // A Latin word, number or date carries over whole when the line
                // has a place to break before it: a space, or a wide character.
                let carry = if CLOSERS.contains(c) && line.chars().count() > 1 {
                    // Closing punctuation never starts a line: the character
                    // before it goes down with it.
                    line.pop().map(String::from)
                } else if c.is_ascii_graphic() || (c == ' ' && ends_with_date(&line)) {
                    // A date and its time (2026-03-04 17:00) stay together.
                    line.char_indices()
                        .rev()
                        .find(|&(at, ch)| (ch == ' ' && !ends_with_date(&line[..at])) || ch.width().unwrap_or(0) > 1)
                        .map(|(at, ch)| at + ch.len_utf8())
                        .filter(|at| *at < line.len())
                        .map(|at| line.split_off(at))
                } else {
                    None
                };
                let rest = carry.unwrap_or_default();
                out.push(line.trim_end().to_string());
                used = crate::words::width::width(&rest);
                line = rest;
                if c == ' ' && line.is_empty() {
                    // The space the line broke at does not start the next one.
                    continue;
                }
            }
            line.push(c);
            used += w;
        }
        out.push(line);
    }
    out
}

/// Whether `s` ends with a date written as 2026-03-04.
fn ends_with_date(s: &str) -> bool {
    let tail: Vec<char> = s.chars().rev().take(10).collect();
    tail.len() == 10
        && tail.iter().rev().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_breaks_anywhere_within_the_columns() {
        let lines = wrap("夜间呼叫护士无人应答来了之后态度生硬", 10);
        assert_eq!(lines, ["夜间呼叫护", "士无人应答", "来了之后态", "度生硬"]);
        assert!(lines.iter().all(|l| crate::words::width::width(l) <= 10));
    }

    #[test]
    fn latin_words_carry_over_whole_and_typed_lines_stay() {
        assert_eq!(
            wrap("the nurse was rude\nat night", 10),
            ["the nurse", "was rude", "at night"]
        );
        assert_eq!(wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(
            wrap("ab cd", 2),
            ["ab", "cd"],
            "no line starts with the space it broke at"
        );
        assert_eq!(
            wrap("新承诺：2026-03-04 17:00", 20),
            ["新承诺：", "2026-03-04 17:00"],
            "a date keeps its time"
        );
    }

    #[test]
    fn a_label_hangs_its_text_under_itself() {
        assert_eq!(
            wrap_labelled("详情 ", "夜间呼叫护士无人应答", 13),
            ["详情 夜间呼叫", "     护士无人", "     应答"]
        );
        assert_eq!(wrap_labelled("详情 ", "夜间", 6), ["详情", "夜间"]);
    }
}
