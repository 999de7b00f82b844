//! Text on its way to a terminal, a Markdown page or a spreadsheet: stored
//! text is the complainant's and the clerk's, and must never act as a command.
//!
//! A terminal obeys control characters (OSC 52 writes the clipboard, OSC 0 the
//! window title, `ESC[2J` clears the screen, `\r` overwrites the line); a
//! Markdown viewer renders `<script>` and links; a spreadsheet runs a cell
//! that starts with `=`. Each of those goes through one function here.

use std::borrow::Cow;

use crate::domain::text::is_control;

/// `text` with every control character shown as a visible escape: C0 controls
/// as their Unicode control pictures (`ESC` → `␛`, `\r` → `␍`), DEL as `␡`, C1
/// controls as `\u{9b}`. Tabs and line breaks are kept (a multi-line text
/// prints on several lines). Everything the command line prints goes through it.
#[must_use]
pub fn visible(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// [`visible`] for a text shown on one line (a list's summary, a name): a
/// line break is shown as `␊` too.
#[must_use]
pub fn visible_line(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

fn escape(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let shown = |c: char| is_control(c) || (!keep_lines && c == '\n');
    if !text.chars().any(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !shown(c) {
            out.push(c);
            continue;
        }
        match u32::from(c) {
            code @ 0..=0x1f => out.push(char::from_u32(0x2400 + code).unwrap_or('�')),
            0x7f => out.push('␡'),
            code => out.push_str(&format!("\\u{{{code:x}}}")),
        }
    }
    Cow::Owned(out)
}

/// A JSON document for a terminal: serde writes the C0 controls as escapes
/// but DEL and the C1 controls as they are; they become `\u007f`, `\u009b`,
/// so the document still reads back to the same values.
#[must_use]
pub fn json(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` for a Markdown page: control characters shown (see [`visible`]),
/// Markdown's and HTML's marks escaped with a backslash so they print as
/// themselves (`<script>` stays text, `*` makes no emphasis, `[a](b)` no link),
/// and a `#` or a list mark at the start of a line made plain.
#[must_use]
pub fn markdown(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '|' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if line_start => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        line_start = c == '\n' || (line_start && c == ' ');
    }
    out
}

/// A spreadsheet cell that cannot run: a cell starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is a formula to Excel and LibreOffice, so
/// it gets a leading `'` (`=1+1 收费多收` stays text). [`cell_back`] undoes it.
#[must_use]
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as [`cell`] found it: the `'` it added taken away.
#[must_use]
pub fn cell_back(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_not_obeyed() {
        assert_eq!(visible("a\u{1b}]52;c;SGVsbG8=\u{7}b"), "a␛]52;c;SGVsbG8=␇b");
        assert_eq!(visible("x\u{1b}[2Jy\rz"), "x␛[2Jy␍z");
        assert_eq!(visible("多行\n\t文字"), "多行\n\t文字");
        assert_eq!(visible_line("一\n二"), "一␊二");
        assert_eq!(visible("\u{9b}31m\u{7f}"), "\\u{9b}31m␡");
        assert!(matches!(visible("夜班护士态度生硬"), Cow::Borrowed(_)));
        let doc = serde_json::to_string(&serde_json::json!({"s": "a\u{1b}b\u{9b}c\u{7f}"})).unwrap();
        let safe = json(&doc);
        assert!(!safe.chars().any(is_control), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap()["s"],
            "a\u{1b}b\u{9b}c\u{7f}"
        );
    }

    #[test]
    fn markdown_marks_print_as_themselves() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            markdown("# 标题\n- 项 *粗* _斜_ `码` [链](x) a|b"),
            "\\# 标题\n\\- 项 \\*粗\\* \\_斜\\_ \\`码\\` \\[链\\](x) a\\|b"
        );
        assert_eq!(markdown("a # b"), "a # b");
    }

    #[test]
    fn formulas_become_text_and_come_back() {
        for formula in [
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://x\")",
            "=1+1 收费多收",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let safe = cell(formula);
            assert!(safe.starts_with('\''), "{formula}");
            assert_eq!(cell_back(&safe), formula);
        }
        assert_eq!(cell("护士态度"), "护士态度");
        assert_eq!(cell_back("'引号开头"), "'引号开头");
    }
}
