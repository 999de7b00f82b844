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
                let mut step = Step::new(StepForm::Step(kind), fields);
                if kind == StepKind::Feedback
                    && let Some(text) = self.reply_as_feedback()
                {
                    step.form.set_text("text", &text);
                }
                self.step = Some(step);
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    /// The visitor's receipt as an A5 page beside the desk file; a
    /// confidential visitor's name only once revealed to the one printing.
    fn receipt(&self, cx: &Cx<'_>) -> Effect {
        let case = &self.record.case;
        let visitor = match &case.intake.complainant {
            crate::domain::Complainant::Named { name, .. }
                if !case.intake.confidential
                    || self.revealed && crate::domain::complainant::may_see(cx.user, case.owner, true) =>
            {
                Some(name.clone())
            }
            _ => None,
        };
        let owner = crate::words::events::staff_name(&self.names, case.owner);
        let policy = &cx.desk.policy;
        let receipt = crate::print::receipt::Receipt::of(case, owner, visitor, &policy.organisation);
        Effect::SaveFile {
            name: format!("receipt-{}.html", case.number()),
            contents: crate::print::receipt::render(
                &receipt,
                cx.lang(),
                policy.timezone,
                crate::print::receipt::ReceiptFormat::Html,
            ),
        }
    }

    /// Opens the quick phrases of the focused text field, or says why there are none.
    fn open_phrases(&mut self, cx: &Cx<'_>) -> Effect {
        use super::phrases::{NoPhrases, Phrases};
        let with = phrase_fill(self, cx);
        let Some(step) = &mut self.step else {
            return Effect::None;
        };
        let StepForm::Step(kind) = step.kind else {
            return Effect::None;
        };
        let words = cx.words();
        match Phrases::open(kind, &step.form, &with, cx) {
            Ok(p) => {
                step.phrases = Some(p);
                Effect::None
            }
            Err(NoPhrases::NotHere) => Effect::Error(words.t("ui.phrase.not_here")),
            Err(NoPhrases::None(u)) => Effect::Error(words.tf("ui.phrase.none", &[("use", words.t(&u.label_key()))])),
            Err(NoPhrases::Store(e)) => Effect::Fail(e),
        }
    }

    /// The feedback's text starts from the department's latest reply (facts
    /// and measures), for the clerk to tell in their own words.
    fn reply_as_feedback(&self) -> Option<String> {
        self.events.iter().rev().find_map(|e| match &e.body {
            crate::domain::EventBody::Replied { facts, measures, .. } => Some(match measures {
                Some(m) if !m.trim().is_empty() => format!("{facts}\n{m}"),
                _ => facts.clone(),
            }),
            _ => None,
        })
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
        if let Some(p) = &mut step.phrases {
            if p.on_action(action, &mut step.form) {
                step.phrases = None;
            }
            return Effect::None;
        }
        match action {
            Action::Phrases => self.open_phrases(cx),
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
            StepForm::Link => {
                match crate::domain::LinkRelation::parse(&step.form.value("relation").unwrap_or_default()) {
                    Ok(relation) => Effect::Write(Write::Link {
                        number,
                        other: step.form.text("other"),
                        relation,
                        reason: step.form.text("reason"),
                    }),
                    Err(e) => {
                        step.form.error = Some(e.to_string());
                        Effect::None
                    }
                }
            }
            StepForm::JoinBatch => Effect::Write(Write::JoinBatch {
                number,
                batch: step.form.text("batch"),
            }),
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

/// What a case fills into a phrase: the complainant's name as the clerk may
/// see it (else a plain word for them), the number, the department and the
/// reply's due time.
#[must_use]
pub fn phrase_fill(page: &CasePage, cx: &Cx<'_>) -> crate::domain::phrase::Fill {
    let case = &page.record.case;
    let i = &case.intake;
    let visible =
        !i.confidential || (page.revealed && crate::domain::complainant::may_see(cx.user, case.owner, i.confidential));
    let name = match &i.complainant {
        crate::domain::Complainant::Named { name, .. } if visible => name.clone(),
        _ => cx.words().t("ui.phrase.someone"),
    };
    let dept = case
        .assignment
        .map(|a| a.0)
        .or(i.dept)
        .and_then(|d| page.depts.get(&d).cloned())
        .unwrap_or_default();
    // The department's reply due, else the reply promised, else the next clock.
    let due = case
        .deadlines
        .values()
        .filter(|d| d.is_running() && d.kind == crate::domain::DeadlineKind::DepartmentReply)
        .map(|d| d.due)
        .min()
        .or_else(|| case.running_promise())
        .or_else(|| case.next_due())
        .map(|t| cx.words().time(t))
        .unwrap_or_default();
    crate::domain::phrase::Fill {
        name,
        number: case.number().to_string(),
        dept,
        due,
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
            Action::Receipt => self.receipt(cx),
            Action::OpenLinked => self.open_linked(cx),
            Action::Link => {
                let lang = cx.lang();
                let relations = crate::domain::LinkRelation::ALL
                    .iter()
                    .filter(|r| **r != crate::domain::LinkRelation::FollowedBy)
                    .map(|r| (crate::words::t(lang, &r.label_key()), r.code().to_string()))
                    .collect();
                let fields = vec![
                    super::form::Field::text("other", "ui.link.other", ""),
                    super::form::Field::choice("relation", "ui.link.relation", relations),
                    super::form::Field::text("reason", "field.reason", ""),
                ];
                self.step = Some(Step::new(StepForm::Link, fields));
                Effect::None
            }
            Action::JoinBatch => {
                let fields = vec![super::form::Field::text("batch", "ui.link.batch", "")];
                self.step = Some(Step::new(StepForm::JoinBatch, fields));
                Effect::None
            }
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
        if let Some(p) = self.step.as_mut().and_then(|s| s.phrases.as_mut()) {
            p.on_text(text);
            return Effect::None;
        }
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
            (Ok(Written::Case(record)), Some(StepForm::Link | StepForm::JoinBatch)) => {
                self.step = None;
                let done = cx.words().t("ui.link.done");
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
