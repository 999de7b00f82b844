//! Forms: a list of fields (text, choice, toggle) with one focused; used by intake and every step.

use std::collections::BTreeMap;

use super::keymap::Action;
use super::widgets::input::Input;
use super::widgets::picker::{Choice, Picker};

/// The (label, code) choices of a coded vocabulary, labels in `lang`.
pub fn coded<T: Copy>(
    lang: crate::words::Lang,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    key: impl Fn(T) -> String,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (crate::words::t(lang, &key(*v)), code(*v).to_string()))
        .collect()
}

/// What a field holds.
#[derive(Clone, Debug)]
pub enum FieldKind {
    /// Free text.
    Text(Input),
    /// One of a list, filtered by typing.
    Choice(Picker<String>),
    /// Yes or no (Space flips it).
    Toggle(bool),
}

/// One field of a form.
#[derive(Clone, Debug)]
pub struct Field {
    /// Stable name (for drafts and commands).
    pub name: &'static str,
    /// i18n key of its label.
    pub label: &'static str,
    /// Its value.
    pub kind: FieldKind,
    /// Lines it takes on screen.
    pub height: u16,
}

impl Field {
    /// A one-line text field.
    #[must_use]
    pub fn text(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            kind: FieldKind::Text(Input::with_text(value)),
            height: 1,
        }
    }

    /// A multi-line text field.
    #[must_use]
    pub fn area(name: &'static str, label: &'static str, height: u16) -> Self {
        Self {
            name,
            label,
            kind: FieldKind::Text(Input::multiline()),
            height,
        }
    }

    /// A masked field (PIN).
    #[must_use]
    pub fn secret(name: &'static str, label: &'static str) -> Self {
        Self {
            name,
            label,
            kind: FieldKind::Text(Input::masked()),
            height: 1,
        }
    }

    /// A choice among `(label, value)` pairs.
    #[must_use]
    pub fn choice(name: &'static str, label: &'static str, choices: Vec<(String, String)>) -> Self {
        Self {
            name,
            label,
            kind: FieldKind::Choice(Picker::new(
                choices.into_iter().map(|(l, v)| Choice::new(l, v)).collect(),
            )),
            height: 1,
        }
    }

    /// A yes/no toggle.
    #[must_use]
    pub fn toggle(name: &'static str, label: &'static str, on: bool) -> Self {
        Self {
            name,
            label,
            kind: FieldKind::Toggle(on),
            height: 1,
        }
    }
}

/// A form being filled in.
#[derive(Clone, Debug, Default)]
pub struct Form {
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// The focused field.
    pub focus: usize,
    /// Why the last save was refused, in the clerk's language.
    pub error: Option<String>,
    /// Something was typed since it was opened or saved.
    pub dirty: bool,
}

impl Form {
    /// A form of `fields`.
    #[must_use]
    pub fn new(fields: Vec<Field>) -> Self {
        Self {
            fields,
            ..Self::default()
        }
    }

    fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    /// A text field's value, trimmed.
    #[must_use]
    pub fn text(&self, name: &str) -> String {
        match self.field(name).map(|f| &f.kind) {
            Some(FieldKind::Text(i)) => i.text().trim().to_string(),
            _ => String::new(),
        }
    }

    /// A text field's value, or `None` when empty.
    #[must_use]
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|t| !t.is_empty())
    }

    /// A choice field's chosen value.
    #[must_use]
    pub fn choice(&self, name: &str) -> Option<String> {
        match self.field(name).map(|f| &f.kind) {
            Some(FieldKind::Choice(p)) => p.current().map(|c| c.value.clone()),
            _ => None,
        }
    }

    /// What a field holds as text: a text field's text (trimmed), a choice's
    /// chosen value; `None` for a field the form does not have.
    #[must_use]
    pub fn value(&self, name: &str) -> Option<String> {
        match self.field(name).map(|f| &f.kind) {
            Some(FieldKind::Text(i)) => Some(i.text().trim().to_string()),
            Some(FieldKind::Choice(p)) => Some(p.current().map(|c| c.value.clone()).unwrap_or_default()),
            Some(FieldKind::Toggle(on)) => Some(on.to_string()),
            None => None,
        }
    }

    /// A toggle's state.
    #[must_use]
    pub fn toggle(&self, name: &str) -> bool {
        matches!(self.field(name).map(|f| &f.kind), Some(FieldKind::Toggle(true)))
    }

    /// Sets a text field.
    pub fn set_text(&mut self, name: &str, value: &str) {
        if let Some(Field {
            kind: FieldKind::Text(i),
            ..
        }) = self.field_mut(name)
        {
            i.set(value);
        }
    }

    /// Gives a field another label (the complainant's follows the kind).
    pub fn relabel(&mut self, name: &str, label: &'static str) {
        if let Some(f) = self.field_mut(name) {
            f.label = label;
        }
    }

    /// Whether the focused field takes typed characters as text.
    #[must_use]
    pub fn typing(&self) -> bool {
        !matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(FieldKind::Toggle(_)))
    }

    /// Whether any text was entered (leaving then asks first).
    #[must_use]
    pub fn has_text(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(&f.kind, FieldKind::Text(i) if !i.masked && !i.text().trim().is_empty()))
    }

    /// Applies an editing action; returns true when it changed something.
    pub fn apply(&mut self, action: Action) -> bool {
        let n = self.fields.len().max(1);
        match action {
            Action::NextField => {
                self.focus = (self.focus + 1) % n;
                return false;
            }
            Action::PrevField => {
                self.focus = (self.focus + n - 1) % n;
                return false;
            }
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let changed = match (&mut field.kind, action) {
            (FieldKind::Text(i), Action::Left) => {
                i.move_by(-1);
                false
            }
            (FieldKind::Text(i), Action::Right) => {
                i.move_by(1);
                false
            }
            (FieldKind::Text(i), Action::Home) => {
                i.home_end(false);
                false
            }
            (FieldKind::Text(i), Action::End) => {
                i.home_end(true);
                false
            }
            (FieldKind::Text(i), Action::Backspace) => {
                i.backspace();
                true
            }
            (FieldKind::Text(i), Action::Delete) => {
                i.delete();
                true
            }
            (FieldKind::Text(i), Action::Newline) if i.multiline => {
                i.insert("\n");
                true
            }
            (FieldKind::Text(_), Action::Newline) => {
                self.focus = (self.focus + 1) % n;
                return false;
            }
            (FieldKind::Choice(p), Action::Up | Action::Left) => {
                p.move_by(-1);
                true
            }
            (FieldKind::Choice(p), Action::Down | Action::Right) => {
                p.move_by(1);
                true
            }
            (FieldKind::Choice(p), Action::Backspace) => {
                let mut f = p.filter.clone();
                f.pop();
                p.set_filter(&f);
                true
            }
            (FieldKind::Choice(_), Action::Newline) => {
                self.focus = (self.focus + 1) % n;
                return false;
            }
            (FieldKind::Toggle(on), Action::Newline | Action::Left | Action::Right) => {
                *on = !*on;
                true
            }
            _ => false,
        };
        if changed {
            self.dirty = true;
        }
        changed
    }

    /// Types text into the focused field; returns false when a limit cut it.
    pub fn type_text(&mut self, s: &str) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return true;
        };
        self.dirty = true;
        match &mut field.kind {
            FieldKind::Text(i) => i.insert(s),
            FieldKind::Choice(p) => {
                let f = format!("{}{}", p.filter, s.trim());
                p.set_filter(&f);
                true
            }
            FieldKind::Toggle(on) => {
                if s == " " {
                    *on = !*on;
                }
                true
            }
        }
    }

    /// The values, for a draft.
    #[must_use]
    pub fn to_draft(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .filter_map(|f| {
                let v = match &f.kind {
                    FieldKind::Text(i) if i.masked => return None,
                    FieldKind::Text(i) => i.text().to_string(),
                    FieldKind::Choice(p) => p.current().map(|c| c.value.clone()).unwrap_or_default(),
                    FieldKind::Toggle(on) => on.to_string(),
                };
                Some((f.name.to_string(), v))
            })
            .collect()
    }

    /// Restores values from a draft.
    pub fn load_draft(&mut self, draft: &BTreeMap<String, String>) {
        for f in &mut self.fields {
            let Some(v) = draft.get(f.name) else { continue };
            match &mut f.kind {
                FieldKind::Text(i) if !i.masked => i.set(v),
                FieldKind::Choice(p) => p.select_value(v),
                FieldKind::Toggle(on) => *on = v == "true",
                FieldKind::Text(_) => {}
            }
        }
    }
}
