//! A key as the keymap names it, shows it in help and matches it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as shown in help (`Ctrl-S`, `?`, `Enter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl, Alt, Shift.
    pub mods: KeyModifiers,
}

impl Key {
    pub(super) const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    pub(super) const fn ch(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }
    pub(super) const fn alt(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            mods: KeyModifiers::ALT,
        }
    }
    pub(super) const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The key's name for help and the footer.
    #[must_use]
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }

    pub(super) fn matches(self, ev: &KeyEvent) -> bool {
        let mods = ev.modifiers - KeyModifiers::SHIFT;
        match (self.code, ev.code) {
            // Shifted characters arrive as the character itself.
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && mods == self.mods - KeyModifiers::SHIFT,
            // Shift-Tab arrives as BackTab, with or without SHIFT (crossterm sets it).
            (KeyCode::BackTab, KeyCode::BackTab) => mods == self.mods - KeyModifiers::SHIFT,
            (a, b) => a == b && ev.modifiers == self.mods,
        }
    }
}
