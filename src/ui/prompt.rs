//! A small one-field form over a list (the log's endings, the handover's
//! cautions, questions, notes and signature).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear};

use super::component::Cx;
use super::form::{Field, Form};
use super::form_view::render_form;
use super::keymap::Action;

/// What a small prompt is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// The answer that closes a log entry.
    Answer(i64),
    /// Why a log entry is carried over.
    Carry(i64),
    /// Why a checklist item is not ticked.
    Explain(String),
    /// The cautions.
    Cautions,
    /// A question of the incoming clerk.
    Question,
    /// The outgoing clerk's answer to a question (by index).
    Reply(usize),
    /// The PIN that signs.
    Sign,
    /// The name to save the queue's view under.
    ViewName,
}

/// A small form over a screen.
#[derive(Debug)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// Its field.
    pub form: Form,
}

impl Prompt {
    /// A prompt of one text field labelled `label`, holding `value`.
    #[must_use]
    pub fn text(kind: PromptKind, label: &'static str, value: &str) -> Self {
        Prompt {
            kind,
            form: Form::new(vec![Field::text("text", label, value)]),
        }
    }
}

impl Prompt {
    /// A prompt of several lines labelled `label`, holding `value`: Enter starts
    /// a new line, Ctrl-S submits.
    #[must_use]
    pub fn area(kind: PromptKind, label: &'static str, value: &str, height: u16) -> Self {
        let mut form = Form::new(vec![Field::area("text", label, height)]);
        form.set_text("text", value);
        Prompt { kind, form }
    }
}

/// Keys in the open prompt of `slot`: the prompt's kind and its text when it is
/// submitted (Enter or Ctrl-S); Esc closes it; other keys edit it.
pub fn on_action(slot: &mut Option<Prompt>, action: Action) -> Option<(PromptKind, String)> {
    let prompt = slot.as_mut()?;
    match action {
        Action::Newline if prompt.form.typing_multiline() => {
            prompt.form.apply(Action::Newline);
            None
        }
        Action::Save | Action::Newline => Some((prompt.kind.clone(), prompt.form.text("text"))),
        Action::Back => {
            *slot = None;
            None
        }
        other => {
            prompt.form.apply(other);
            None
        }
    }
}

/// Draws a prompt in the middle of `area`, clearing what it covers.
pub fn render(cx: &Cx<'_>, prompt: &Prompt, frame: &mut Frame<'_>, area: Rect) {
    let w = area.width.min(70);
    // The fields, the border and a line for why a save was refused.
    let rows: u16 = prompt.form.fields.iter().map(|f| f.height).sum();
    let h = (rows + 3).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w,
        h,
    );
    // One column more on each side: a wide character straddling the edge would eat the border.
    frame.render_widget(
        Clear,
        Rect::new(rect.x.saturating_sub(1), rect.y, rect.width + 2, rect.height).intersection(area),
    );
    let block = Block::default().borders(Borders::ALL);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    render_form(&prompt.form, cx.lang(), cx.theme, frame, inner);
}
