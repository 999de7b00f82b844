//! The queue's view keys: a part of the view changed, the view saved under a
//! name (a prompt), a saved view recalled by its number or from the picker,
//! or removed there.

use super::{Queue, shown};
use crate::domain::view::{DueBy, Sort, View, Whose, next_of, next_state};
use crate::ui::component::{Cx, Effect, Write, Written};
use crate::ui::keymap::{Action, ViewKey};
use crate::ui::prompt::{Prompt, PromptKind};
use crate::ui::views::Picker;
use crate::words::tf;

impl Queue {
    /// A view key on the queue.
    pub(super) fn on_view_key(&mut self, key: ViewKey, cx: &Cx<'_>) -> Effect {
        let v = &mut self.view;
        match key {
            ViewKey::Whose => v.whose = next_of(Whose::ALL, v.whose),
            ViewKey::Overdue => v.overdue = !v.overdue,
            ViewKey::Escalated => v.escalated = !v.escalated,
            ViewKey::State => v.state = next_state(v.state),
            ViewKey::Due => v.due = next_of(DueBy::ALL, v.due),
            ViewKey::Sort => v.sort = next_of(Sort::ALL, v.sort),
            ViewKey::Save => {
                let name = self.saved.clone().unwrap_or_default();
                self.prompt = Some(Prompt::text(PromptKind::ViewName, "view.name_label", &name));
                return Effect::None;
            }
            ViewKey::Picker => {
                return match saved_views(cx) {
                    Ok(views) => {
                        let selected = self
                            .saved
                            .as_ref()
                            .and_then(|n| views.iter().position(|v| v.name == *n))
                            .unwrap_or(0);
                        self.picker = Some(Picker { views, selected });
                        Effect::None
                    }
                    Err(e) => Effect::Fail(e),
                };
            }
            ViewKey::Recall(slot) => {
                return match saved_views(cx) {
                    Ok(views) => match views.into_iter().find(|v| v.slot == Some(slot)) {
                        Some(found) => self.recall(found.name, found.view, cx),
                        None => Effect::Note(tf(cx.lang(), "view.no_such_slot", &[("slot", slot.to_string())])),
                    },
                    Err(e) => Effect::Fail(e),
                };
            }
            ViewKey::Remove => return Effect::None,
        }
        self.saved = None;
        shown(self.show_top(cx))
    }

    /// Keys while the picker is open.
    pub(super) fn on_picker_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        let Some(picker) = self.picker.as_mut() else {
            return Effect::None;
        };
        match action {
            Action::Up | Action::Down => {
                picker.step(action == Action::Down);
                Effect::None
            }
            Action::Open => match picker.chosen().cloned() {
                Some(found) => {
                    self.picker = None;
                    self.recall(found.name, found.view, cx)
                }
                None => Effect::None,
            },
            Action::View(ViewKey::Remove) => match picker.chosen() {
                Some(found) => Effect::Write(Write::RemoveView {
                    name: found.name.clone(),
                }),
                None => Effect::None,
            },
            Action::Back => {
                self.picker = None;
                Effect::None
            }
            _ => Effect::None,
        }
    }

    /// What saving (the prompt open) or removing (the picker open) came to.
    pub(super) fn written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(_) => {
                if let Some(prompt) = self.prompt.take() {
                    self.saved = Some(prompt.form.text("text").trim().to_string());
                } else if self.picker.is_some() {
                    let views = match saved_views(cx) {
                        Ok(views) => views,
                        Err(e) => return Effect::Fail(e),
                    };
                    if let Some(picker) = &mut self.picker {
                        let removed = picker.chosen().map(|v| v.name.clone());
                        if removed.is_some() && removed == self.saved {
                            self.saved = None;
                        }
                        picker.selected = picker.selected.min(views.len().saturating_sub(1));
                        picker.views = views;
                    }
                }
                Effect::None
            }
            Err(text) => match &mut self.prompt {
                Some(p) => {
                    p.form.error = Some(text);
                    Effect::None
                }
                None => Effect::Error(text),
            },
        }
    }

    /// Shows saved view `name` from its top.
    fn recall(&mut self, name: String, view: View, cx: &Cx<'_>) -> Effect {
        let note = Effect::Note(tf(cx.lang(), "view.recalled", &[("name", name.clone())]));
        self.view = view;
        self.saved = Some(name);
        shown(self.show_top(cx)).then(note)
    }
}

/// The signed-in clerk's saved views.
fn saved_views(cx: &Cx<'_>) -> Result<Vec<crate::store::views::SavedView>, crate::store::StoreError> {
    match cx.user {
        Some(me) => cx.desk.store().saved_views(me.id),
        None => Ok(Vec::new()),
    }
}
