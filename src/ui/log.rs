//! The duty-log list: every entry of the log, each open one ending as exactly
//! one of a case, an answer, or carried over with a reason.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState};

use super::component::{Component, Cx, Effect, Go, Write, Written};
use super::keymap::{Action, Scope};
use super::prompt::{Prompt, PromptKind};
use crate::domain::handover::{DutyLogEntry, LogEnding};
use crate::words::time::show;
use crate::words::{t, tf};

/// The duty-log list.
#[derive(Debug, Default)]
pub struct LogList {
    /// Entries, newest first.
    pub entries: Vec<DutyLogEntry>,
    /// Selected entry.
    pub selected: usize,
    /// An open prompt.
    pub prompt: Option<Prompt>,
    /// Staff names, for who wrote each entry.
    names: std::collections::HashMap<crate::domain::StaffId, String>,
}

impl LogList {
    fn on_prompt_action(&mut self, action: Action) -> Effect {
        match super::prompt::on_action(&mut self.prompt, action) {
            Some((PromptKind::Answer(id), text)) => Effect::Write(Write::LogResolve {
                id,
                ending: LogEnding::Answered { text },
            }),
            Some((PromptKind::Carry(id), reason)) => Effect::Write(Write::LogResolve {
                id,
                ending: LogEnding::CarriedOver { reason },
            }),
            _ => Effect::None,
        }
    }
}

impl Component for LogList {
    fn scope(&self) -> Scope {
        if self.prompt.is_some() { Scope::Form } else { Scope::Log }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if self.prompt.is_some() {
            return self.on_prompt_action(action);
        }
        let open = self.entries.get(self.selected).filter(|e| e.ending.is_none());
        match action {
            Action::Back => Effect::Back,
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Effect::None
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(self.entries.len().saturating_sub(1));
                Effect::None
            }
            Action::LogEntry => Effect::Go(Go::LogEntry),
            Action::LogAnswered | Action::LogCarry => match open {
                Some(e) => {
                    self.prompt = Some(if action == Action::LogAnswered {
                        Prompt::text(PromptKind::Answer(e.id), "ui.step.answer", "")
                    } else {
                        Prompt::text(PromptKind::Carry(e.id), "field.reason", "")
                    });
                    Effect::None
                }
                None => Effect::Note(t(cx.lang(), "ui.log.pick_open")),
            },
            // The intake form opens prefilled; saving it ends the entry.
            Action::LogToCase => match open {
                Some(e) => Effect::Go(Go::CaseFromLog(e.clone())),
                None => Effect::Note(t(cx.lang(), "ui.log.pick_open")),
            },
            _ => Effect::None,
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.prompt.as_mut().map(|p| &mut p.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(_) => {
                let Some(PromptKind::Answer(id) | PromptKind::Carry(id)) = self.prompt.take().map(|p| p.kind) else {
                    return self.on_refresh(cx);
                };
                self.on_refresh(cx)
                    .then(Effect::Note(tf(cx.lang(), "duty.resolved", &[("id", id.to_string())])))
            }
            Err(text) => {
                if let Some(p) = &mut self.prompt {
                    p.form.error = Some(text);
                }
                Effect::None
            }
        }
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        let store = cx.desk.store();
        match store
            .log_entries(false, 200)
            .and_then(|e| Ok((e, store.staff_names()?)))
        {
            Ok((entries, names)) => {
                self.entries = entries;
                self.names = names;
                self.selected = self.selected.min(self.entries.len().saturating_sub(1));
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        let lang = cx.lang();
        let tz = cx.desk.policy.timezone;
        let items: Vec<ListItem<'_>> = self
            .entries
            .iter()
            .map(|e| {
                let ending = match &e.ending {
                    None => t(lang, "duty.open"),
                    Some(LogEnding::Case { number }) => tf(lang, "duty.became_case", &[("number", number.clone())]),
                    Some(LogEnding::Answered { .. }) => t(lang, "duty.answered"),
                    Some(LogEnding::CarriedOver { reason }) => tf(lang, "duty.carried", &[("reason", reason.clone())]),
                };
                let line = format!(
                    "#{} {} {} {} {} — {} [{}]",
                    e.id,
                    show(e.at, tz),
                    self.names.get(&e.clerk).cloned().unwrap_or_default(),
                    e.who,
                    e.what,
                    e.action,
                    ending
                );
                if e.ending.is_none() {
                    ListItem::new(Line::styled(line, cx.theme.focus()))
                } else {
                    ListItem::new(line)
                }
            })
            .collect();
        let mut state = ListState::default();
        if !self.entries.is_empty() {
            state.select(Some(self.selected));
        }
        frame.render_stateful_widget(
            List::new(items)
                .block(Block::default().borders(Borders::ALL).title(t(lang, "ui.log.title")))
                .highlight_style(cx.theme.selected())
                .highlight_symbol("▶ "),
            area,
            &mut state,
        );
        if let Some(p) = &self.prompt {
            super::prompt::render(cx, p, frame, area);
        }
    }
}
