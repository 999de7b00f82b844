//! The handover screen (交接班): the shift's sections, the checklist, the
//! cautions and questions, and both signatures.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::component::{Component, Cx, Effect, Go, HandoverChange, Write, Written};
use super::form::{Field, Form};
use super::keymap::{Action, Scope};
use super::prompt::{Prompt, PromptKind};
use crate::domain::StaffId;
use crate::domain::handover::LogEnding;
use crate::store::duty::HandoverRecord;
use crate::words::time::show;
use crate::words::{t, tf};

/// One selectable line of the handover screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoverLine {
    /// A checklist item, by index.
    Item(usize),
    /// A case, by number.
    Case(String),
}

/// The handover screen.
#[derive(Debug)]
pub struct HandoverView {
    /// The handover and what it lists.
    pub record: HandoverRecord,
    /// Selected line.
    pub selected: usize,
    /// An open prompt.
    pub prompt: Option<Prompt>,
    /// Staff names.
    names: HashMap<StaffId, String>,
    /// As last drawn: the rows after the last selectable one (cautions, open
    /// log entries, questions), which the cursor also moves through.
    tail: std::cell::Cell<usize>,
}

impl HandoverView {
    /// The screen of `record`.
    #[must_use]
    pub fn new(record: HandoverRecord) -> Self {
        HandoverView {
            record,
            selected: 0,
            prompt: None,
            names: HashMap::new(),
            tail: std::cell::Cell::new(0),
        }
    }

    /// The selectable lines: checklist items, then every listed case.
    #[must_use]
    pub fn lines(&self) -> Vec<HandoverLine> {
        let s = &self.record.sections;
        let mut out: Vec<HandoverLine> = (0..self.record.handover.checklist.len())
            .map(HandoverLine::Item)
            .collect();
        for rows in [
            &s.due_next_shift,
            &s.overdue,
            &s.escalated,
            &s.visits_due,
            &s.received,
            &s.transfers,
        ] {
            out.extend(rows.iter().map(|r| HandoverLine::Case(r.number.clone())));
        }
        out
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
            PromptKind::Sign => HandoverChange::Sign { pin: text },
            PromptKind::Answer(_) | PromptKind::Carry(_) => return Effect::None,
        };
        self.write(change)
    }

    /// The handover as a printed page beside the desk file.
    fn export(&self, cx: &Cx<'_>) -> Effect {
        let html = crate::print::handover::render(
            &self.record,
            &self.names,
            cx.lang(),
            cx.desk.policy.timezone,
            crate::print::PrintFormat::Html,
        );
        Effect::SaveFile {
            path: cx
                .desk
                .store()
                .path()
                .with_file_name(format!("handover-{}.html", self.record.handover.id)),
            contents: html,
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
        let lines = self.lines();
        let current = lines.get(self.selected).cloned();
        let item = |i: usize| self.record.handover.checklist[i].clone();
        match action {
            Action::Back => return Effect::Back,
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                // Past the last case, the cursor goes on through the rows below it.
                let last = (lines.len() + self.tail.get()).saturating_sub(1);
                self.selected = match action {
                    Action::Up => self.selected.saturating_sub(1),
                    Action::Down => self.selected + 1,
                    Action::PageUp => self.selected.saturating_sub(10),
                    Action::PageDown => self.selected + 10,
                    Action::Top => 0,
                    _ => last,
                }
                .min(last);
            }
            Action::Open => {
                if let Some(HandoverLine::Case(n)) = current {
                    return Effect::Go(Go::Case(n));
                }
            }
            Action::Tick => {
                if let Some(HandoverLine::Item(i)) = current {
                    let c = item(i);
                    return self.write(HandoverChange::Check {
                        item: c.item,
                        ticked: !c.ticked,
                        note: None,
                    });
                }
            }
            Action::Explain => {
                if let Some(HandoverLine::Item(i)) = current {
                    self.prompt = Some(Prompt::text(
                        PromptKind::Explain(item(i).item),
                        "ui.handover.explain",
                        "",
                    ));
                }
            }
            Action::Cautions => {
                let current = self.record.handover.cautions.clone();
                self.prompt = Some(Prompt::area(PromptKind::Cautions, "print.cautions", &current, 4));
            }
            Action::Question => {
                self.prompt = Some(Prompt::text(PromptKind::Question, "ui.handover.question", ""));
            }
            Action::Sign => {
                self.prompt = Some(Prompt {
                    kind: PromptKind::Sign,
                    form: Form::new(vec![Field::secret("text", "ui.sign_in.pin")]),
                });
            }
            Action::History => return Effect::Go(Go::Handovers),
            Action::Export => return self.export(cx),
            _ => {}
        }
        Effect::None
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.prompt.as_mut().map(|p| &mut p.form), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, _cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::Handover(record)) => {
                self.record = *record;
                self.prompt = None;
                Effect::None
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
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// Draws the handover screen.
/// The handover's heading: the shift, who hands over to whom, where it stands.
fn render_head(cx: &Cx<'_>, view: &HandoverView, frame: &mut Frame<'_>, head: Rect) {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let h = &view.record.handover;
    let name = |id: crate::domain::StaffId| view.names.get(&id).cloned().unwrap_or_default();
    let state = crate::words::duty::handover_state(lang, h);
    let title = tf(
        lang,
        "print.title",
        &[
            ("shift", t(lang, h.shift.kind.label_key())),
            ("start", show(h.shift.start, tz)),
            ("end", show(h.shift.end, tz)),
        ],
    );
    let mut head_lines = vec![Line::from(format!(
        "{}：{}  {}：{}  [{}]",
        t(lang, "print.outgoing"),
        name(h.outgoing),
        t(lang, "print.incoming"),
        h.incoming.map_or_else(|| "—".into(), name),
        state
    ))];
    if cx.now >= h.shift.end && !h.is_signed() {
        head_lines.push(Line::styled(t(lang, "ui.handover.overdue_warning"), cx.theme.overdue()));
    }
    frame.render_widget(
        Paragraph::new(head_lines).block(Block::default().borders(Borders::TOP).title(title)),
        head,
    );
}

fn render(cx: &Cx<'_>, view: &HandoverView, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let h = &view.record.handover;
    let s = &view.record.sections;
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_head(cx, view, frame, head);
    let mut items: Vec<ListItem<'_>> = Vec::new();
    for c in &h.checklist {
        let mark = if c.ticked { "[x]" } else { "[ ]" };
        items.push(ListItem::new(format!(
            "{mark} {}{}",
            c.item,
            c.note.as_ref().map(|n| format!("（{n}）")).unwrap_or_default()
        )));
    }
    let mut headers: Vec<(usize, String)> = vec![(0, t(lang, "print.checklist"))];
    for (key, rows) in [
        ("print.due_next_shift", &s.due_next_shift),
        ("print.overdue", &s.overdue),
        ("print.escalated", &s.escalated),
        ("print.visits_due", &s.visits_due),
        ("print.received", &s.received),
        ("print.transfers", &s.transfers),
    ] {
        headers.push((items.len(), tf(lang, key, &[("n", rows.len().to_string())])));
        for r in rows {
            items.push(ListItem::new(format!(
                "  {}  {}  {}  {}",
                r.number,
                r.owner,
                r.next_due.map_or_else(|| "—".into(), |d| show(d, tz)),
                r.summary
            )));
        }
    }
    // Section headings are drawn into the list as non-selectable lines.
    let mut all: Vec<ListItem<'_>> = Vec::new();
    let mut map = Vec::new();
    let mut hi = headers.into_iter().peekable();
    for (i, item) in items.into_iter().enumerate() {
        while let Some((at, text)) = hi.peek().cloned() {
            if at == i {
                all.push(ListItem::new(Line::from(Span::styled(text, cx.theme.focus()))));
                hi.next();
            } else {
                break;
            }
        }
        map.push(all.len());
        all.push(item);
    }
    for (_, text) in hi {
        all.push(ListItem::new(Line::from(Span::styled(text, cx.theme.focus()))));
    }
    all.push(ListItem::new(format!(
        "{}：{}",
        t(lang, "print.cautions"),
        if h.cautions.is_empty() { "—" } else { &h.cautions }
    )));
    all.push(ListItem::new(Line::from(Span::styled(
        tf(lang, "print.open_log", &[("n", s.open_log.len().to_string())]),
        cx.theme.focus(),
    ))));
    for e in &s.open_log {
        let ending = match &e.ending {
            Some(LogEnding::CarriedOver { reason }) => tf(lang, "duty.carried", &[("reason", reason.clone())]),
            _ => t(lang, "duty.open"),
        };
        all.push(ListItem::new(format!(
            "  #{} {} {} {} [{}]",
            e.id,
            show(e.at, tz),
            e.who,
            e.what,
            ending
        )));
    }
    for q in &h.questions {
        all.push(ListItem::new(format!("? {q}")));
    }
    let after = map.last().map_or(0, |m| m + 1);
    view.tail.set(all.len() - after);
    let row = map
        .get(view.selected)
        .copied()
        .unwrap_or_else(|| (after + view.selected - map.len()).min(all.len().saturating_sub(1)));
    let mut state = ListState::default();
    state.select(Some(row));
    frame.render_stateful_widget(
        List::new(all)
            .highlight_style(cx.theme.selected())
            .highlight_symbol("▶ "),
        body,
        &mut state,
    );
    if let Some(p) = &view.prompt {
        super::prompt::render(cx, p, frame, area);
    }
}
