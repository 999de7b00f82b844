//! The handover screen (交接班): the shift's sections with their counts, each
//! case with where it stands, the checklist, the cautions, the question thread
//! and both signatures. The outgoing clerk prepares it and marks cases to hand
//! over; the incoming clerk reviews it, asks, and signs.

mod rows;

use std::cell::Cell;
use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListState, Paragraph};

pub use rows::Row;

use super::component::{Component, Cx, Effect, Go, HandoverChange, Write, Written};
use super::form::{Field, Form};
use super::keymap::{Action, Scope};
use super::prompt::{Prompt, PromptKind};
use super::widgets::wrap::wrap;
use crate::domain::StaffId;
use crate::store::brief::CaseBrief;
use crate::store::duty::HandoverRecord;
use crate::words::time::show;
use crate::words::{t, tf};

/// The handover screen.
#[derive(Debug)]
pub struct HandoverView {
    /// The handover and what it lists.
    pub record: HandoverRecord,
    /// The selected row (an index into [`HandoverView::rows`]).
    pub selected: usize,
    /// An open prompt.
    pub prompt: Option<Prompt>,
    /// What is shown, row by row.
    pub rows: Vec<Row>,
    /// Staff names.
    names: HashMap<StaffId, String>,
    /// Each listed case in brief (state, next deadline, phone, last step).
    briefs: HashMap<String, CaseBrief>,
    /// The first row drawn, kept between frames so the page stays put
    /// (coming back from a case finds the same place).
    offset: Cell<usize>,
}

impl HandoverView {
    /// The screen of `record` (its rows are read on the first refresh).
    #[must_use]
    pub fn new(record: HandoverRecord) -> Self {
        HandoverView {
            record,
            selected: 1,
            prompt: None,
            rows: Vec::new(),
            names: HashMap::new(),
            briefs: HashMap::new(),
            offset: Cell::new(0),
        }
    }

    /// The row under the cursor.
    #[must_use]
    pub fn current(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// Reads the cases' briefs and lays the rows out again, keeping the cursor
    /// on the same row where it still is.
    fn rebuild(&mut self, cx: &Cx<'_>) -> Result<(), crate::store::StoreError> {
        let before = self.current().cloned();
        let s = &self.record.sections;
        let numbers = [
            &s.due_next_shift,
            &s.overdue,
            &s.escalated,
            &s.visits_due,
            &s.received,
            &s.transfers,
            &s.handed_over,
        ]
        .into_iter()
        .flatten()
        .map(|r| r.number.as_str());
        self.briefs = cx.desk.store().case_briefs(numbers)?;
        self.rows = rows::rows(self, cx.lang());
        // The same row where it was, else where it went (a case may be listed
        // in several sections: the nearest one).
        if let Some(b) = before
            && self.rows.get(self.selected) != Some(&b)
            && let Some(i) = (0..self.rows.len())
                .filter(|&i| self.rows[i] == b)
                .min_by_key(|&i| i.abs_diff(self.selected))
        {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.settle(true);
        Ok(())
    }

    /// Moves the cursor off a heading: onward in `forward` direction, else back.
    fn settle(&mut self, forward: bool) {
        let ok = |i: usize| self.rows.get(i).is_some_and(Row::selectable);
        if ok(self.selected) {
            return;
        }
        let ahead = (self.selected..self.rows.len()).find(|&i| ok(i));
        let behind = (0..self.selected).rev().find(|&i| ok(i));
        self.selected = if forward { ahead.or(behind) } else { behind.or(ahead) }.unwrap_or(0);
    }

    fn write(&self, change: HandoverChange) -> Effect {
        Effect::Write(Write::Handover {
            id: self.record.handover.id,
            change,
        })
    }

    fn on_prompt_action(&mut self, action: Action) -> Effect {
        let Some((kind, text)) = super::prompt::on_action(&mut self.prompt, action) else {
            return Effect::None;
        };
        let change = match kind {
            PromptKind::Cautions => HandoverChange::Cautions(text),
            PromptKind::Explain(item) => HandoverChange::Check {
                item,
                ticked: false,
                note: Some(text),
            },
            PromptKind::Question => HandoverChange::Ask(text),
            PromptKind::Reply(question) => HandoverChange::Answer { question, text },
            PromptKind::Sign => HandoverChange::Sign { pin: text },
            PromptKind::Answer(_) | PromptKind::Carry(_) | PromptKind::ViewName => return Effect::None,
        };
        self.write(change)
    }

    /// The handover as a printed page beside the desk file.
    fn export(&self, cx: &Cx<'_>) -> Effect {
        let page = crate::print::handover::Context {
            names: &self.names,
            lang: cx.lang(),
            tz: cx.desk.policy.timezone,
            organisation: &cx.desk.policy.organisation.name,
        };
        let html = crate::print::handover::render(&self.record, &page, crate::print::PrintFormat::Html);
        Effect::SaveFile {
            name: format!("handover-{}.html", self.record.handover.id),
            contents: html,
        }
    }

    fn move_cursor(&mut self, action: Action) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => self.selected + 1,
            Action::PageUp => self.selected.saturating_sub(10),
            Action::PageDown => self.selected + 10,
            Action::Top => {
                // The first heading too.
                self.offset.set(0);
                0
            }
            _ => last,
        }
        .min(last);
        self.settle(matches!(action, Action::Down | Action::PageDown | Action::Top));
    }

    /// The key on the selected row: open, tick, explain, answer, hand over.
    fn on_row(&mut self, action: Action) -> Effect {
        let h = &self.record.handover;
        match (action, self.current().cloned()) {
            (Action::Open, Some(Row::Case(r))) => Effect::Go(Go::Case(r.number.clone())),
            (Action::Open, Some(Row::Note(i))) => match self.record.sections.notes.get(i) {
                Some(n) => Effect::Go(Go::Case(n.number.clone())),
                None => Effect::None,
            },
            (Action::Tick, Some(Row::Item(i))) => {
                let c = h.checklist[i].clone();
                self.write(HandoverChange::Check {
                    item: c.item,
                    ticked: !c.ticked,
                    note: None,
                })
            }
            (Action::Explain, Some(Row::Item(i))) => {
                let item = h.checklist[i].item.clone();
                self.prompt = Some(Prompt::text(PromptKind::Explain(item), "ui.handover.explain", ""));
                Effect::None
            }
            (Action::AnswerQuestion, Some(Row::Question(q) | Row::Answer(q, _))) => {
                self.prompt = Some(Prompt::area(PromptKind::Reply(q), "ui.handover.answer", "", 3));
                Effect::None
            }
            (Action::HandOver, Some(Row::Case(r))) => {
                let on = !h.hand_over.contains(&r.number);
                self.write(HandoverChange::HandOver {
                    number: r.number.clone(),
                    on,
                })
            }
            _ => Effect::None,
        }
    }
}

impl Component for HandoverView {
    fn scope(&self) -> Scope {
        if self.prompt.is_some() {
            Scope::Form
        } else {
            Scope::Handover
        }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if self.prompt.is_some() {
            return self.on_prompt_action(action);
        }
        match action {
            Action::Back => Effect::Back,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                self.move_cursor(action);
                Effect::None
            }
            Action::Cautions => {
                let current = self.record.handover.cautions.clone();
                self.prompt = Some(Prompt::area(PromptKind::Cautions, "print.cautions", &current, 4));
                Effect::None
            }
            Action::Question => {
                self.prompt = Some(Prompt::text(PromptKind::Question, "ui.handover.question", ""));
                Effect::None
            }
            Action::Sign => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Sign,
                    form: Form::new(vec![Field::secret("text", "ui.sign_in.pin")]),
                });
                Effect::None
            }
            Action::History => Effect::Go(Go::Handovers),
            Action::Export => self.export(cx),
            Action::AnswerQuestion if !matches!(self.current(), Some(Row::Question(_) | Row::Answer(..))) => {
                Effect::Error(t(cx.lang(), "ui.handover.pick_question"))
            }
            Action::HandOver if !matches!(self.current(), Some(Row::Case(_))) => {
                Effect::Error(t(cx.lang(), "ui.handover.pick_case"))
            }
            other => self.on_row(other),
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.prompt.as_mut().map(|p| &mut p.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::Handover(record)) => {
                self.record = *record;
                self.prompt = None;
                self.rebuild(cx).map_or_else(Effect::Fail, |()| Effect::None)
            }
            Ok(_) => Effect::None,
            Err(text) => match &mut self.prompt {
                Some(p) => {
                    p.form.error = Some(text);
                    Effect::None
                }
                None => Effect::Error(text),
            },
        }
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        let store = cx.desk.store();
        match store
            .staff_names()
            .and_then(|names| Ok((names, cx.desk.handover(self.record.handover.id)?)))
        {
            Ok((names, record)) => {
                self.names = names;
                self.record = record;
                self.rebuild(cx).map_or_else(Effect::Fail, |()| Effect::None)
            }
            Err(e) => Effect::Fail(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// The handover's heading lines under its title, wrapped to `cols`: who hands
/// over to whom and where it stands, and a warning once the shift is over.
fn head_lines(cx: &Cx<'_>, view: &HandoverView, cols: usize) -> Vec<Line<'static>> {
    let lang = cx.lang();
    let h = &view.record.handover;
    let name = |id: StaffId| view.names.get(&id).cloned().unwrap_or_default();
    let colon = if lang == crate::words::Lang::En { ": " } else { "：" };
    let who = format!(
        "{}{colon}{}  {}{colon}{}  [{}]",
        t(lang, "print.outgoing"),
        name(h.outgoing),
        t(lang, "print.incoming"),
        h.incoming.map_or_else(|| "—".into(), name),
        crate::words::duty::handover_state(lang, h)
    );
    let mut lines: Vec<Line<'static>> = wrap(&who, cols).into_iter().map(Line::from).collect();
    if cx.now >= h.shift.end && !h.is_signed() {
        let warning = t(lang, "ui.handover.overdue_warning");
        lines.extend(
            wrap(&warning, cols)
                .into_iter()
                .map(|l| Line::styled(l, cx.theme.overdue())),
        );
    }
    lines
}

/// Draws the handover screen.
fn render(cx: &Cx<'_>, view: &HandoverView, frame: &mut Frame<'_>, area: Rect) {
    // The title, then who and where it stands (and the warning), wrapped.
    let h = &view.record.handover;
    let tz = cx.desk.policy.timezone;
    let lang = cx.lang();
    let title = tf(
        lang,
        "print.title",
        &[
            ("shift", t(lang, h.shift.kind.label_key())),
            ("start", show(h.shift.start, tz)),
            ("end", show(h.shift.end, tz)),
        ],
    );
    let lines = head_lines(cx, view, usize::from(area.width));
    let rows = u16::try_from(lines.len()).unwrap_or(1).saturating_add(1);
    let [head, body] = Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::TOP).title(title)),
        head,
    );
    let items = rows::items(view, cx, usize::from(body.width.saturating_sub(2)));
    let mut state = ListState::default().with_offset(view.offset.get());
    state.select(Some(view.selected));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(cx.theme.selected())
            .highlight_symbol("▶ "),
        body,
        &mut state,
    );
    view.offset.set(state.offset());
    if let Some(p) = &view.prompt {
        super::prompt::render(cx, p, frame, area);
    }
}
