//! One small form per lifecycle step; the engine decides, the clerk reads why in plain words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::component::Cx;
use super::form::{Field, Form};
use super::form_view::render_form;
use crate::domain::step::Input;
use crate::domain::{Case, StepKind};
use crate::store::StoreError;
use crate::words::t;

/// What a form over a case asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepForm {
    /// A lifecycle step.
    Step(StepKind),
    /// A reason to see a confidential complainant (the viewing is recorded).
    Reveal,
    /// A link to another case.
    Link,
    /// Joining a batch incident.
    JoinBatch,
}

impl StepForm {
    /// The i18n key of the form's title.
    #[must_use]
    pub fn title_key(self) -> String {
        match self {
            StepForm::Step(kind) => kind.action_key(),
            StepForm::Reveal => "action.reveal".to_string(),
            StepForm::Link => "action.link".to_string(),
            StepForm::JoinBatch => "action.join_batch".to_string(),
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
    /// The quick phrases open over a text field (Ctrl-P).
    pub phrases: Option<super::phrases::Phrases>,
}

impl Step {
    /// A form of `fields` for `kind`.
    #[must_use]
    pub fn new(kind: StepForm, fields: Vec<Field>) -> Self {
        Step {
            kind,
            form: Form::new(fields),
            phrases: None,
        }
    }
}

/// A step's form fields for `case`, made from the step's description;
/// departments and colleagues to choose from are read from the desk. The
/// department a reply, an urge, an extension or a release is about is one of
/// those still to reply, and is asked only when there are several.
pub fn fields(kind: StepKind, case: &Case, cx: &Cx<'_>) -> Result<Vec<Field>, StoreError> {
    let lang = cx.lang();
    let mut fields = Vec::new();
    let pending: Vec<crate::domain::DeptId> = case.pending_departments().map(|t| t.dept).collect();
    for f in kind.fields().iter().filter(|f| kind.offers(f, case)) {
        if f.input == Input::Dept && kind != StepKind::Assign && kind != StepKind::Refer {
            if !f.required && pending.len() < 2 {
                continue;
            }
            let names = cx.desk.store().dept_names()?;
            let choices = pending
                .iter()
                .filter_map(|d| names.get(d))
                .map(|n| (n.clone(), n.clone()))
                .collect();
            fields.push(Field::choice(f.name, f.label, choices));
            continue;
        }
        fields.push(match f.input {
            Input::Line | Input::Time | Input::Rating => Field::text(f.name, f.label, ""),
            Input::Lines(height) => Field::area(f.name, f.label, height),
            Input::Choice(choices) => Field::choice(
                f.name,
                f.label,
                // A choice that may be left out offers "by the rules" first (blank = not given).
                (!f.required)
                    .then(|| (t(lang, "ui.step.by_rules"), String::new()))
                    .into_iter()
                    .chain(
                        choices
                            .options()
                            .into_iter()
                            .map(|(code, key)| (t(lang, &key), code.to_string())),
                    )
                    .collect(),
            ),
            Input::Dept => Field::choice(
                f.name,
                f.label,
                cx.desk
                    .store()
                    .departments()?
                    .into_iter()
                    .map(|d| (d.name.clone(), d.name))
                    .collect(),
            ),
            Input::Staff => {
                let me = cx.user.map(|u| u.id);
                let colleagues = cx
                    .desk
                    .store()
                    .staff()?
                    .into_iter()
                    .filter(|s| s.actor.active && Some(s.actor.id) != me)
                    .map(|s| (s.actor.name.clone(), s.actor.name))
                    .collect();
                Field::choice(f.name, f.label, colleagues)
            }
        });
    }
    Ok(fields)
}

impl Form {
    /// Whether the focused field is multi-line (Enter adds a line there).
    #[must_use]
    pub fn typing_multiline(&self) -> bool {
        matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(super::form::FieldKind::Text(i)) if i.multiline)
    }
}

/// Draws a step form as a box over the case page.
pub fn render(cx: &Cx<'_>, step: &Step, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    // Room under the fields for a choice's list of matches.
    let has_choice = step
        .form
        .fields
        .iter()
        .any(|f| matches!(f.kind, super::form::FieldKind::Choice(_)));
    let w = area.width.min(76);
    // Room for the refusal's lines too (a new promise's reason, a name …).
    let error = step.form.error.as_deref().map_or(0, |e| {
        u16::try_from(super::widgets::wrap::wrap(e, usize::from(w.saturating_sub(2).max(1))).len()).unwrap_or(1)
    });
    let rows: u16 = step.form.fields.iter().map(|f| f.height).sum::<u16>() + 4 + error + if has_choice { 8 } else { 0 };
    let h = rows.min(area.height);
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h);
    // One column more on each side: a wide character straddling the edge would eat the border.
    frame.render_widget(
        Clear,
        Rect::new(rect.x.saturating_sub(1), rect.y, rect.width + 2, rect.height).intersection(area),
    );
    let title = crate::words::heading(lang, &step.kind.title_key());
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
                Paragraph::new(Span::styled(e.clone(), cx.theme.error())).wrap(ratatui::widgets::Wrap { trim: true }),
                Rect::new(inner.x, inner.y + 1, inner.width, inner.height.saturating_sub(1)),
            );
        }
    } else {
        render_form(&step.form, lang, cx.theme, frame, inner);
    }
    if let Some(p) = &step.phrases {
        super::phrases::render(cx, p, frame, inner);
    }
}
