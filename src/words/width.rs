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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(width("护理部"), 6);
        assert_eq!(pad("护理部", 8), "护理部  ");
        assert_eq!(truncate("门诊分诊护士态度生硬", 9), "门诊分诊…");
        assert_eq!(width(&truncate("门诊分诊护士态度生硬", 9)), 9);
        assert_eq!(pad("abc", 2), "a…");
    }
}
