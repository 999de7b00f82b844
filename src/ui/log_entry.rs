//! The quick duty-log entry (值班记录), from any screen: channel, who, what,
//! what was done.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

use super::component::{Component, Cx, Effect, Write, Written};
use super::form::{Field, Form};
use super::form_view::render_form;
use super::keymap::{Action, Scope};
use crate::domain::Channel;
use crate::words::{Lang, t};

/// The quick entry.
#[derive(Debug)]
pub struct LogEntry {
    /// Its form.
    pub form: Form,
}

impl LogEntry {
    /// An empty entry.
    #[must_use]
    pub fn new(lang: Lang) -> Self {
        let channels = Channel::ALL
            .iter()
            .map(|c| (t(lang, &c.label_key()), c.code().to_string()))
            .collect();
        LogEntry {
            form: Form::new(vec![
                Field::choice("channel", "field.channel", channels),
                Field::text("who", "ui.log.who", ""),
                Field::text("what", "ui.log.what", ""),
                Field::text("action", "ui.log.action", ""),
            ]),
        }
    }
}

impl Component for LogEntry {
    fn scope(&self) -> Scope {
        Scope::Form
    }

    fn on_action(&mut self, action: Action, _cx: &Cx<'_>) -> Effect {
        let form = &mut self.form;
        match action {
            Action::Save => Effect::Write(Write::LogAdd {
                channel: form
                    .choice("channel")
                    .and_then(|c| Channel::parse(&c).ok())
                    .unwrap_or(Channel::Phone),
                who: form.text("who"),
                what: form.text("what"),
                action: form.text("action"),
            }),
            Action::Back => Effect::Leave { typed: form.has_text() },
            other => {
                form.apply(other);
                Effect::None
            }
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(Some(&mut self.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::LogEntry(e)) => {
                Effect::Back.then(Effect::Note(cx.words().tf("ui.log.added", &[("id", e.id.to_string())])))
            }
            Ok(_) => Effect::Back,
            Err(text) => {
                self.form.error = Some(text);
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t(cx.lang(), "ui.log.entry_title"));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        render_form(&self.form, cx.lang(), cx.theme, frame, inner);
    }
}
