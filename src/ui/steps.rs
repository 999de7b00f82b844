//! One small form per lifecycle step; the engine decides, the clerk reads why in plain words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Screen};
use super::form::{Field, Form, coded};
use super::form_view::render_form;
use super::keymap::{Action, StepKind};
use crate::domain::{
    AssignMode, Command, DeadlineKind, FeedbackMethod, Flag, Satisfaction, StaffId, Time, Verdict, VisitMethod,
};
use crate::i18n::{Lang, t, tf};
use crate::timeparse::{DateOnly, parse_time};

/// A step form open over a case.
#[derive(Debug)]
pub struct Step {
    /// Which step.
    pub kind: StepKind,
    /// Its fields (none for a plain confirmation).
    pub form: Form,
}

impl App {
    fn step_fields(&self, kind: StepKind) -> Vec<Field> {
        let lang = self.desk.lang;
        let depts: Vec<(String, String)> = self
            .desk
            .store
            .departments()
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.name, d.id.0.to_string()))
            .collect();
        match kind {
            StepKind::Promise => vec![Field::text("at", "ui.step.at", "")],
            StepKind::Answer => vec![Field::area("text", "ui.step.answer", 3)],
            StepKind::Refer => vec![
                Field::choice("dept", "field.department", depts),
                Field::text("text", "ui.step.told", ""),
            ],
            StepKind::Assign => vec![
                Field::choice("dept", "field.department", depts),
                Field::choice(
                    "mode",
                    "field.assign_mode",
                    coded(lang, AssignMode::ALL, AssignMode::code, AssignMode::label_key),
                ),
            ],
            StepKind::Urge => vec![
                Field::text("whom", "ui.step.whom", ""),
                Field::text("method", "ui.step.method", ""),
                Field::text("note", "field.note", ""),
                Field::text("answer", "ui.step.dept_answer", ""),
                Field::text("promised", "ui.step.promised", ""),
            ],
            StepKind::Extend => vec![
                Field::text("to", "ui.step.to", ""),
                Field::text("reason", "field.reason", ""),
            ],
            StepKind::Pause | StepKind::Escalate | StepKind::Reopen | StepKind::Withdraw => {
                vec![Field::text("reason", "field.reason", "")]
            }
            StepKind::Resume | StepKind::Review => vec![Field::text("note", "field.note", "")],
            StepKind::Reply => vec![
                Field::choice(
                    "verdict",
                    "field.verdict",
                    coded(lang, Verdict::ALL, Verdict::code, Verdict::label_key),
                ),
                Field::area("facts", "field.facts", 3),
                Field::text("responsible", "field.responsible", ""),
                Field::text("measures", "field.measures", ""),
            ],
            StepKind::Feedback => vec![
                Field::choice(
                    "method",
                    "field.feedback_method",
                    coded(
                        lang,
                        FeedbackMethod::ALL,
                        FeedbackMethod::code,
                        FeedbackMethod::label_key,
                    ),
                ),
                Field::area("text", "field.text", 3),
            ],
            StepKind::Visit => vec![
                Field::choice(
                    "method",
                    "field.visit_method",
                    coded(lang, VisitMethod::ALL, VisitMethod::code, VisitMethod::label_key),
                ),
                Field::choice(
                    "satisfaction",
                    "field.satisfaction",
                    coded(lang, Satisfaction::ALL, Satisfaction::code, Satisfaction::label_key),
                ),
                Field::text("attitude", "ui.step.attitude", ""),
                Field::text("speed", "ui.step.speed", ""),
                Field::text("result", "ui.step.result", ""),
                Field::text("comment", "ui.step.comment", ""),
            ],
            StepKind::VisitFailed => vec![Field::text("note", "field.note", "")],
            StepKind::Flag => vec![
                Field::choice(
                    "flag",
                    "field.flag",
                    [Flag::Dispute, Flag::Media]
                        .iter()
                        .map(|f| (t(lang, &f.label_key()), f.code().to_string()))
                        .collect(),
                ),
                Field::text("reason", "field.reason", ""),
            ],
            StepKind::Transfer => {
                let me = self.user.as_ref().map(|u| u.id);
                let staff = self
                    .desk
                    .store
                    .staff()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|s| s.actor.active && Some(s.actor.id) != me)
                    .map(|s| (s.actor.name, s.actor.id.0.to_string()))
                    .collect();
                vec![
                    Field::choice("to", "ui.step.transfer_to", staff),
                    Field::text("reason", "field.reason", ""),
                ]
            }
            StepKind::FollowUp => vec![
                Field::choice(
                    "method",
                    "field.visit_method",
                    coded(lang, VisitMethod::ALL, VisitMethod::code, VisitMethod::label_key),
                ),
                Field::choice(
                    "satisfaction",
                    "field.satisfaction",
                    coded(lang, Satisfaction::ALL, Satisfaction::code, Satisfaction::label_key),
                ),
                Field::text("comment", "ui.step.comment", ""),
            ],
            StepKind::Accept | StepKind::Close | StepKind::Archive => Vec::new(),
            StepKind::Reveal => vec![Field::text("reason", "field.reason", "")],
        }
    }

    /// Opens the form of a step on the case page.
    pub fn open_step(&mut self, kind: StepKind, _now: Time) {
        let fields = self.step_fields(kind);
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
        let lang = self.desk.lang;
        let Some(actor) = self.user.clone() else { return };
        let tz = self.desk.policy.timezone;
        let Screen::Case(page) = &mut self.screen else { return };
        let Some(step) = &mut page.step else { return };
        if step.kind == StepKind::Reveal {
            let reason = step.form.text("reason");
            let number = page.record.case.number().to_string();
            let may = crate::store::list::may_see_complainant(Some(&actor), page.record.case.owner.0, true);
            if !may {
                step.form.error = Some(crate::messages::rule(lang, &crate::domain::RuleError::NotOwner));
                return;
            }
            match self.desk.store.record_confidential_view(&actor, &number, &reason, now) {
                Ok(()) => {
                    if let Screen::Case(page) = &mut self.screen {
                        page.revealed = true;
                        page.step = None;
                    }
                }
                Err(e) => {
                    let text = crate::messages::store(lang, &e);
                    if let Screen::Case(page) = &mut self.screen
                        && let Some(step) = &mut page.step
                    {
                        step.form.error = Some(text);
                    }
                }
            }
            return;
        }
        let command = match build(step, lang, now, tz) {
            Ok(c) => c,
            Err(e) => {
                step.form.error = Some(e);
                return;
            }
        };
        let command = match command {
            Command::Transfer { to, reason } => match self.desk.store.staff_by_id(to.id) {
                Ok(Some(a)) => Command::Transfer { to: a, reason },
                _ => Command::Transfer { to, reason },
            },
            other => other,
        };
        let number = page.record.case.number().to_string();
        let version = page.record.version;
        let ctx = crate::domain::Context {
            now,
            actor: &actor,
            policy: &self.desk.policy,
            calendar: &self.desk.calendar,
        };
        let result = self.desk.store.execute(&ctx, &number, Some(version), &command);
        let Screen::Case(page) = &mut self.screen else { return };
        match result {
            Ok(record) => {
                page.set_record(record, &self.desk.store);
                page.step = None;
                let done = tf(
                    lang,
                    "ui.step.done",
                    &[
                        ("action", t(lang, &format!("action.{}", command.code()))),
                        ("state", t(lang, &page.record.case.state.label_key())),
                    ],
                );
                self.note(done);
                self.reload_queue(now);
            }
            Err(e) => {
                // The typed text stays; a conflict also shows what changed meanwhile.
                let mut text = crate::messages::store(lang, &e);
                if matches!(e, crate::store::StoreError::Conflict { .. })
                    && let Ok(fresh) = self.desk.store.case(&number)
                {
                    // Both versions: what the clerk typed stays in the form, and the
                    // other clerk's change is named.
                    let last = self.desk.store.events(fresh.id).ok().and_then(|ev| ev.last().cloned());
                    let names = self.desk.store.staff_names().unwrap_or_default();
                    let theirs = last.map_or_else(String::new, |ev| {
                        format!(
                            "{} {}",
                            names.get(&ev.actor).cloned().unwrap_or_default(),
                            t(lang, &format!("event.{}", ev.body.kind_code()))
                        )
                    });
                    text.push_str(&format!(
                        " {}",
                        tf(
                            lang,
                            "ui.step.conflict_now",
                            &[("state", t(lang, &fresh.case.state.label_key())), ("theirs", theirs)]
                        )
                    ));
                    page.set_record(fresh, &self.desk.store);
                }
                if let Some(step) = &mut page.step {
                    step.form.error = Some(text);
                }
            }
        }
    }
}

impl Form {
    /// Whether the focused field is multi-line (Enter adds a line there).
    #[must_use]
    pub fn typing_multiline(&self) -> bool {
        matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(super::form::FieldKind::Text(i)) if i.multiline)
    }
}

/// The engine's command from a step form.
fn build(step: &Step, lang: Lang, now: Time, tz: chrono_tz::Tz) -> Result<Command, String> {
    let f = &step.form;
    let time = |name: &str| -> Result<Time, String> {
        parse_time(&f.text(name), now, tz, DateOnly::EndOfDay)
            .map_err(|e| tf(lang, "cli.bad_time", &[("value", e.to_string())]))
    };
    let opt_time = |name: &str| -> Result<Option<Time>, String> { f.opt(name).map(|_| time(name)).transpose() };
    let id = |name: &str| f.choice(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let rating = |name: &str| -> Result<Option<u8>, String> {
        f.opt(name)
            .map(|v| {
                v.parse::<u8>()
                    .map_err(|_| crate::messages::rule(lang, &crate::domain::RuleError::Rating))
            })
            .transpose()
    };
    let code = |name: &str| f.choice(name).unwrap_or_default();
    Ok(match step.kind {
        StepKind::Promise => Command::Promise { at: time("at")? },
        StepKind::Answer => Command::Answer { text: f.text("text") },
        StepKind::Refer => Command::Refer {
            dept: crate::domain::DeptId(id("dept")),
            text: f.text("text"),
        },
        StepKind::Assign => Command::Assign {
            dept: crate::domain::DeptId(id("dept")),
            mode: AssignMode::parse(&code("mode")).unwrap_or(AssignMode::Written),
        },
        StepKind::Urge => Command::Urge {
            deadline: None::<DeadlineKind>,
            whom: f.opt("whom"),
            method: f.opt("method"),
            note: f.text("note"),
            answer: f.opt("answer"),
            promised_at: opt_time("promised")?,
        },
        StepKind::Extend => Command::Extend {
            deadline: None,
            to: time("to")?,
            reason: f.text("reason"),
        },
        StepKind::Pause => Command::Pause {
            reason: f.text("reason"),
        },
        StepKind::Resume => Command::Resume { reason: f.opt("note") },
        StepKind::Reply => Command::Reply {
            verdict: Verdict::parse(&code("verdict")).unwrap_or(Verdict::Unjustified),
            facts: f.text("facts"),
            responsible: f.opt("responsible"),
            measures: f.opt("measures"),
        },
        StepKind::Review => Command::Review { note: f.opt("note") },
        StepKind::Feedback => Command::Feedback {
            method: FeedbackMethod::parse(&code("method")).unwrap_or(FeedbackMethod::Phone),
            text: f.text("text"),
        },
        StepKind::Visit => Command::Visit {
            method: VisitMethod::parse(&code("method")).unwrap_or(VisitMethod::Phone),
            satisfaction: Satisfaction::parse(&code("satisfaction")).unwrap_or(Satisfaction::Satisfied),
            attitude: rating("attitude")?,
            speed: rating("speed")?,
            result: rating("result")?,
            comment: f.opt("comment"),
        },
        StepKind::VisitFailed => Command::VisitFailed { note: f.opt("note") },
        StepKind::Escalate => Command::Escalate {
            reason: f.text("reason"),
        },
        StepKind::Flag => Command::Flag {
            flag: Flag::parse(&code("flag")).unwrap_or(Flag::Dispute),
            reason: f.opt("reason"),
        },
        StepKind::Transfer => Command::Transfer {
            to: crate::domain::Actor {
                id: StaffId(id("to")),
                name: String::new(),
                role: crate::domain::Role::Clerk,
                active: false,
            },
            reason: f.text("reason"),
        },
        StepKind::Accept => Command::Accept,
        StepKind::Reopen => Command::Reopen {
            reason: f.text("reason"),
        },
        StepKind::Close => Command::Close,
        StepKind::Withdraw => Command::Withdraw {
            reason: f.text("reason"),
        },
        StepKind::FollowUp => Command::FollowUp {
            method: VisitMethod::parse(&code("method")).unwrap_or(VisitMethod::Phone),
            satisfaction: Satisfaction::parse(&code("satisfaction")).ok(),
            comment: f.opt("comment"),
        },
        StepKind::Archive | StepKind::Reveal => Command::Archive,
    })
}

/// Draws a step form as a box over the case page.
pub fn render(app: &App, step: &Step, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
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
    let title = t(lang, &format!("action.{}", step.kind.code()));
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
