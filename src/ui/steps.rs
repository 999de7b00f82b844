//! One small form per lifecycle step; the engine decides, the clerk reads why in plain words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Screen};
use super::form::{Field, Form};
use super::form_view::render_form;
use super::keymap::Action;
use crate::domain::step::Input;
use crate::domain::{StepKind, Time};
use crate::words::t;

/// What a form over a case asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepForm {
    /// A lifecycle step.
    Step(StepKind),
    /// A reason to see a confidential complainant (the viewing is recorded).
    Reveal,
}

impl StepForm {
    /// The i18n key of the form's title.
    #[must_use]
    pub fn title_key(self) -> String {
        match self {
            StepForm::Step(kind) => kind.action_key(),
            StepForm::Reveal => "action.reveal".to_string(),
        }
    }
}

/// A step form open over a case.
#[derive(Debug)]
pub struct Step {
    /// Which step.
    pub kind: StepForm,
    /// Its fields (none for a plain confirmation).
    pub form: Form,
}

impl App {
    /// The form's fields for a step, from the step's description.
    fn step_fields(&mut self, kind: StepKind) -> Vec<Field> {
        let lang = self.desk.lang;
        let mut fields = Vec::new();
        for f in kind.fields().iter().filter(|f| !f.cli_only) {
            fields.push(match f.input {
                Input::Line | Input::Time | Input::Rating => Field::text(f.name, f.label, ""),
                Input::Lines(height) => Field::area(f.name, f.label, height),
                Input::Choice(choices) => Field::choice(
                    f.name,
                    f.label,
                    choices
                        .options()
                        .into_iter()
                        .map(|(code, key)| (t(lang, &key), code.to_string()))
                        .collect(),
                ),
                Input::Dept => Field::choice(f.name, f.label, self.department_choices()),
                Input::Staff => Field::choice(f.name, f.label, self.colleague_choices()),
            });
        }
        fields
    }

    /// Departments to choose from, by name.
    fn department_choices(&mut self) -> Vec<(String, String)> {
        match self.desk.store().departments() {
            Ok(list) => list.into_iter().map(|d| (d.name.clone(), d.name)).collect(),
            Err(e) => {
                self.fail(&e);
                Vec::new()
            }
        }
    }

    /// Other active staff to hand a case to, by name.
    fn colleague_choices(&mut self) -> Vec<(String, String)> {
        let me = self.user.as_ref().map(|u| u.id);
        match self.desk.store().staff() {
            Ok(list) => list
                .into_iter()
                .filter(|s| s.actor.active && Some(s.actor.id) != me)
                .map(|s| (s.actor.name.clone(), s.actor.name))
                .collect(),
            Err(e) => {
                self.fail(&e);
                Vec::new()
            }
        }
    }

    /// Opens the form of a step on the case page.
    pub fn open_step(&mut self, kind: StepKind, _now: Time) {
        let fields = self.step_fields(kind);
        self.open_step_form(StepForm::Step(kind), fields);
    }

    /// Opens the form asking why a confidential complainant is looked at.
    pub fn open_reveal(&mut self) {
        self.open_step_form(StepForm::Reveal, vec![Field::text("reason", "field.reason", "")]);
    }

    fn open_step_form(&mut self, kind: StepForm, fields: Vec<Field>) {
        if let Screen::Case(page) = &mut self.screen {
            page.step = Some(Step {
                kind,
                form: Form::new(fields),
            });
        }
    }

    /// Keys in an open step form.
    pub fn apply_step(&mut self, action: Action, now: Time) {
        let Screen::Case(page) = &mut self.screen else { return };
        let Some(step) = &mut page.step else { return };
        match action {
            Action::Save => self.run_step(now),
            Action::Newline
                if step.form.fields.is_empty()
                    || step.form.focus + 1 == step.form.fields.len() && !step.form.typing_multiline() =>
            {
                self.run_step(now);
            }
            Action::Back => {
                let has_text = step.form.has_text();
                self.back_from_form(has_text, now);
            }
            other => {
                step.form.apply(other);
            }
        }
    }

    fn run_step(&mut self, now: Time) {
        let Some(actor) = self.user.clone() else { return };
        let Screen::Case(page) = &self.screen else { return };
        let Some(step) = &page.step else { return };
        let number = page.record.case.number().to_string();
        let version = page.record.version;
        let kind = match step.kind {
            StepForm::Reveal => {
                let reason = step.form.text("reason");
                self.reveal(&actor, &number, &reason);
                return;
            }
            StepForm::Step(kind) => kind,
        };
        let words = self.desk.words();
        let command = match self.desk.step_command(kind, |name| step.form.value(name)) {
            Ok(c) => c,
            Err(e) => return self.step_error(e.message(words)),
        };
        match self.desk.execute(&actor, &number, Some(version), &command) {
            Ok(record) => {
                let done = words.tf(
                    "ui.step.done",
                    &[
                        ("action", words.t(&kind.action_key())),
                        ("state", words.t(&record.case.state.label_key())),
                    ],
                );
                if let Screen::Case(page) = &mut self.screen {
                    page.set_record(record, self.desk.store());
                    page.step = None;
                }
                self.note(done);
                self.reload_queue(now);
            }
            Err(e) => {
                // The typed text stays; a conflict also shows what changed meanwhile.
                let mut text = words.store(&e);
                if matches!(e, crate::store::StoreError::Conflict { .. }) {
                    text.push_str(&self.conflict_note(&number));
                }
                self.step_error(text);
            }
        }
    }

    /// Records the viewing of a confidential complainant and shows them.
    fn reveal(&mut self, actor: &crate::domain::Actor, number: &str, reason: &str) {
        let Screen::Case(page) = &self.screen else { return };
        if !crate::domain::complainant::may_see(Some(actor), page.record.case.owner, true) {
            return self.step_error(self.desk.words().rule(&crate::domain::RuleError::NotOwner));
        }
        match self.desk.record_confidential_view(actor, number, reason) {
            Ok(()) => {
                if let Screen::Case(page) = &mut self.screen {
                    page.revealed = true;
                    page.step = None;
                }
            }
            Err(e) => self.step_error(self.desk.words().store(&e)),
        }
    }

    /// Shows why the open step form was refused; what was typed stays.
    fn step_error(&mut self, text: String) {
        if let Screen::Case(page) = &mut self.screen
            && let Some(step) = &mut page.step
        {
            step.form.error = Some(text);
        }
    }

    /// After a conflict: the case as it is now, and who changed it, named.
    fn conflict_note(&mut self, number: &str) -> String {
        let words = self.desk.words();
        let Ok(fresh) = self.desk.store().case(number) else {
            return String::new();
        };
        let last = self
            .desk
            .store()
            .events(fresh.id)
            .ok()
            .and_then(|ev| ev.last().cloned());
        let names = self.desk.store().staff_names().unwrap_or_default();
        let theirs = last.map_or_else(String::new, |ev| {
            format!(
                "{} {}",
                names.get(&ev.actor).cloned().unwrap_or_default(),
                words.t(&format!("event.{}", ev.body.kind_code()))
            )
        });
        let note = format!(
            " {}",
            words.tf(
                "ui.step.conflict_now",
                &[("state", words.t(&fresh.case.state.label_key())), ("theirs", theirs)]
            )
        );
        if let Screen::Case(page) = &mut self.screen {
            page.set_record(fresh, self.desk.store());
        }
        note
    }
}

impl Form {
    /// Whether the focused field is multi-line (Enter adds a line there).
    #[must_use]
    pub fn typing_multiline(&self) -> bool {
        matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(super::form::FieldKind::Text(i)) if i.multiline)
    }
}

/// Draws a step form as a box over the case page.
pub fn render(app: &App, step: &Step, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    // Room under the fields for a choice's list of matches.
    let has_choice = step
        .form
        .fields
        .iter()
        .any(|f| matches!(f.kind, super::form::FieldKind::Choice(_)));
    let rows: u16 = step.form.fields.iter().map(|f| f.height).sum::<u16>() + 4 + if has_choice { 8 } else { 0 };
    let h = rows.min(area.height);
    let w = area.width.min(76);
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h);
    // One column more on each side: a wide character straddling the edge would eat the border.
    frame.render_widget(
        Clear,
        Rect::new(rect.x.saturating_sub(1), rect.y, rect.width + 2, rect.height).intersection(area),
    );
    let title = t(lang, &step.kind.title_key());
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    if step.form.fields.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::raw(t(lang, "ui.step.confirm"))),
            Rect::new(inner.x, inner.y, inner.width, 1),
        );
        if let Some(e) = &step.form.error {
            frame.render_widget(
                Paragraph::new(Span::styled(e.clone(), app.theme.error())).wrap(ratatui::widgets::Wrap { trim: true }),
                Rect::new(inner.x, inner.y + 1, inner.width, inner.height.saturating_sub(1)),
            );
        }
    } else {
        render_form(&step.form, lang, app.theme, frame, inner);
    }
}
