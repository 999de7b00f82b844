//! A case's page as a component: what the case is, its running deadlines and
//! its timeline, and one key per step, each opening the step's form.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::component::{Component, Cx, Effect, Go, Write, Written};
use super::keymap::{Action, Scope};
use super::steps::{Step, StepForm};
use crate::domain::StepKind;
use crate::store::CaseRecord;
use std::collections::HashMap;

pub use super::case_view::CasePage;

impl CasePage {
    /// A page for `record`; its timeline and names are read when it is opened.
    #[must_use]
    pub fn new(record: CaseRecord, revealed: bool) -> Self {
        CasePage {
            record,
            scroll: 0,
            step: None,
            revealed,
            events: Vec::new(),
            names: HashMap::new(),
            depts: HashMap::new(),
            categories: HashMap::new(),
            view: std::cell::Cell::new((0, 0)),
            links: Vec::new(),
            next_link: 0,
        }
    }

    /// Shows a newer read of the case, with its timeline and the names it shows.
    fn set_record(&mut self, record: CaseRecord, cx: &Cx<'_>) -> Effect {
        self.record = record;
        self.links = cx.desk.link_views(&self.record.case, cx.user);
        let store = cx.desk.store();
        let read = (|| {
            self.events = store.events(self.record.id)?;
            self.names = store.staff_names()?;
            self.depts = store.departments()?.into_iter().map(|d| (d.id, d.name)).collect();
            let zh = cx.lang() == crate::words::Lang::Zh;
            self.categories = store
                .categories()?
                .into_iter()
                .map(|c| (c.id, if zh { c.name_zh } else { c.name_en }))
                .collect();
            Ok(())
        })();
        match read {
            Ok(()) => Effect::None,
            Err(e) => Effect::Fail(e),
        }
    }

    /// Reads the case again.
    fn reread(&mut self, cx: &Cx<'_>) -> Effect {
        match cx.desk.store().case(self.record.case.number()) {
            Ok(record) => self.set_record(record, cx),
            Err(e) => Effect::Fail(e),
        }
    }

    /// Opens the form of a step, or says at once why the step is not the clerk's.
    pub fn open_step(&mut self, kind: StepKind, cx: &Cx<'_>) -> Effect {
        if let Some(me) = cx.user
            && let Err(e) = crate::domain::may_take(&self.record.case, kind, me)
        {
            let words = cx.words();
            let owner = crate::words::events::staff_name(&self.names, self.record.case.owner);
            return Effect::Error(format!(
                "{} {}",
                words.rule(&e),
                words.tf("ui.case.owner_is", &[("name", owner)])
            ));
        }
        match super::steps::fields(kind, &self.record.case, cx) {
            Ok(fields) => {
                self.step = Some(Step::new(StepForm::Step(kind), fields));
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    /// Opens the next linked case, in the order the page lists them.
    fn open_linked(&mut self, cx: &Cx<'_>) -> Effect {
        let Some(link) = self.links.get(self.next_link % self.links.len().max(1)) else {
            return Effect::Note(cx.words().t("ui.case.no_links"));
        };
        self.next_link += 1;
        Effect::Go(Go::Case(link.link.other.clone()))
    }

    /// Scrolls the page, within what the last drawing showed.
    fn scroll_by(&mut self, action: Action) {
        let (rows, max) = self.view.get();
        let page = rows.saturating_sub(2).max(1);
        let at = self.scroll.min(max);
        self.scroll = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at.saturating_add(1).min(max),
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => at.saturating_add(page).min(max),
            Action::Top => 0,
            Action::Bottom => max,
            _ => at,
        };
    }

    /// Keys in an open step form.
    fn on_step_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        let Some(step) = &mut self.step else {
            return Effect::None;
        };
        match action {
            Action::Save => self.save_step(cx),
            Action::Newline
                if step.form.fields.is_empty()
                    || step.form.focus + 1 == step.form.fields.len() && !step.form.typing_multiline() =>
            {
                self.save_step(cx)
            }
            Action::Back => Effect::Leave {
                typed: step.form.has_text(),
            },
            other => {
                step.form.apply(other);
                Effect::None
            }
        }
    }

    /// The step's values made into a command and written, or why not.
    fn save_step(&mut self, cx: &Cx<'_>) -> Effect {
        let Some(step) = &mut self.step else {
            return Effect::None;
        };
        let number = self.record.case.number().to_string();
        match step.kind {
            StepForm::Reveal => {
                if !crate::domain::complainant::may_see(cx.user, self.record.case.owner, true) {
                    step.form.error = Some(cx.words().rule(&crate::domain::RuleError::NotOwner));
                    return Effect::None;
                }
                Effect::Write(Write::Reveal {
                    number,
                    reason: step.form.text("reason"),
                })
            }
            StepForm::Step(kind) => match cx.desk.step_command(kind, |name| step.form.value(name)) {
                Ok(command) => Effect::Write(Write::Step {
                    number,
                    version: self.record.version,
                    command,
                }),
                Err(e) => {
                    step.form.error = Some(e.message(cx.words()));
                    Effect::None
                }
            },
        }
    }
}

impl Component for CasePage {
    fn scope(&self) -> Scope {
        if self.step.is_some() { Scope::Form } else { Scope::Case }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if self.step.is_some() {
            return self.on_step_action(action, cx);
        }
        match action {
            Action::Back => Effect::Back,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                self.scroll_by(action);
                Effect::None
            }
            Action::Search => Effect::Go(Go::Search),
            Action::NewCase => Effect::Go(Go::NewCase),
            Action::Step(kind) => self.open_step(kind, cx),
            Action::OpenLinked => self.open_linked(cx),
            Action::Reveal => {
                self.step = Some(Step::new(
                    StepForm::Reveal,
                    vec![super::form::Field::text("reason", "field.reason", "")],
                ));
                Effect::None
            }
            _ => Effect::None,
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.step.as_mut().map(|s| &mut s.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        let kind = self.step.as_ref().map(|s| s.kind);
        match (result, kind) {
            (Ok(Written::Case(record)), Some(StepForm::Step(kind))) => {
                let words = cx.words();
                let done = words.tf(
                    "ui.step.done",
                    &[
                        ("action", words.t(&kind.action_key())),
                        ("state", words.t(&record.case.state.label_key())),
                    ],
                );
                self.step = None;
                self.set_record(*record, cx).then(Effect::Note(done))
            }
            (Ok(_), Some(StepForm::Reveal)) => {
                self.revealed = true;
                self.step = None;
                Effect::None
            }
            (Ok(_), _) => Effect::None,
            (Err(text), _) => {
                // What was typed stays; a case changed meanwhile is shown as it is now.
                if let Some(step) = &mut self.step {
                    step.form.error = Some(text);
                }
                match cx.desk.store().case(self.record.case.number()) {
                    Ok(fresh) if fresh.version != self.record.version => self.set_record(fresh, cx),
                    _ => Effect::None,
                }
            }
        }
    }

    fn on_leave(&mut self) -> Effect {
        if self.step.take().is_some() {
            Effect::None
        } else {
            Effect::Back
        }
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        // An open form is based on the version the clerk read: it stays.
        if self.step.is_some() && !self.events.is_empty() {
            return Effect::None;
        }
        self.reread(cx)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        super::case_view::render(cx, self, frame, area);
    }
}
