//! The duty log (quick entry from anywhere, the list with its three endings)
//! and the handover screen (sections, checklist, cautions, both signatures).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::app::{App, Screen};
use super::form::{Field, Form};
use super::form_view::render_form;
use super::intake::Intake;
use super::keymap::Action;
use crate::domain::handover::{DutyLogEntry, HandoverError, LogEnding};
use crate::domain::{Channel, Time};
use crate::i18n::{t, tf};
use crate::store::duty::{DutyError, HandoverRecord};
use crate::timeparse::show;

/// What a small prompt over the log or the handover is for.
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
    /// The PIN that signs.
    Sign,
}

/// A small form over a screen.
#[derive(Debug)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// Its field.
    pub form: Form,
}

/// The duty-log list.
#[derive(Debug, Default)]
pub struct LogList {
    /// Entries, newest first.
    pub entries: Vec<DutyLogEntry>,
    /// Selected entry.
    pub selected: usize,
    /// An open prompt.
    pub prompt: Option<Prompt>,
}

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
}

impl HandoverView {
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
}

/// The quick entry form.
#[must_use]
pub fn log_entry_form(lang: crate::i18n::Lang) -> Form {
    let channels = Channel::ALL
        .iter()
        .map(|c| (t(lang, &c.label_key()), c.code().to_string()))
        .collect();
    Form::new(vec![
        Field::choice("channel", "field.channel", channels),
        Field::text("who", "ui.log.who", ""),
        Field::text("what", "ui.log.what", ""),
        Field::text("action", "ui.log.action", ""),
    ])
}

impl App {
    fn duty_error(&mut self, e: &DutyError) -> String {
        match e {
            DutyError::Rule(r) => crate::commands::handover_message(self.desk.lang, r),
            DutyError::Store(s) => crate::messages::store(self.desk.lang, s),
            DutyError::NotFound(id) => tf(self.desk.lang, "handover.not_found", &[("id", id.to_string())]),
        }
    }

    /// Opens the quick duty-log entry over any screen.
    pub fn open_log_entry(&mut self) {
        if self.user.is_none() {
            return;
        }
        let form = log_entry_form(self.desk.lang);
        self.back
            .push(std::mem::replace(&mut self.screen, Screen::LogEntry(form)));
    }

    /// Keys in the quick entry.
    pub fn apply_log_entry(&mut self, action: Action, now: Time) {
        let lang = self.desk.lang;
        let Screen::LogEntry(form) = &mut self.screen else {
            return;
        };
        match action {
            Action::Save => {
                let Some(user) = self.user.clone() else { return };
                let channel = form
                    .choice("channel")
                    .and_then(|c| Channel::parse(&c).ok())
                    .unwrap_or(Channel::Phone);
                let (who, what, act) = (form.text("who"), form.text("what"), form.text("action"));
                match self.desk.store.log_add(&user, channel, &who, &what, &act, now) {
                    Ok(e) => {
                        self.go_back(now);
                        self.note(tf(lang, "ui.log.added", &[("id", e.id.to_string())]));
                        if let Screen::Log(list) = &mut self.screen {
                            list.entries = self.desk.store.log_entries(false, 200).unwrap_or_default();
                        }
                    }
                    Err(e) => form.error = Some(crate::messages::store(lang, &e)),
                }
            }
            Action::Back => {
                let has_text = form.has_text();
                self.back_from_form(has_text, now);
            }
            other => {
                form.apply(other);
            }
        }
    }

    /// Opens the duty-log list.
    pub fn open_log(&mut self) {
        let entries = self.desk.store.log_entries(false, 200).unwrap_or_default();
        let list = LogList {
            entries,
            ..LogList::default()
        };
        self.back
            .push(std::mem::replace(&mut self.screen, Screen::Log(Box::new(list))));
    }

    /// Keys in the duty-log list.
    pub fn apply_log(&mut self, action: Action, now: Time) {
        let lang = self.desk.lang;
        let Screen::Log(list) = &mut self.screen else { return };
        if let Some(prompt) = &mut list.prompt {
            match action {
                Action::Save | Action::Newline => {
                    let text = prompt.form.text("text");
                    let ending = match prompt.kind {
                        PromptKind::Answer(_) => LogEnding::Answered { text },
                        _ => LogEnding::CarriedOver { reason: text },
                    };
                    let id = match prompt.kind {
                        PromptKind::Answer(id) | PromptKind::Carry(id) => id,
                        _ => return,
                    };
                    let Some(user) = self.user.clone() else { return };
                    match self.desk.store.log_resolve(&user, id, &ending, now) {
                        Ok(()) => {
                            list.prompt = None;
                            list.entries = self.desk.store.log_entries(false, 200).unwrap_or_default();
                            self.note(tf(lang, "duty.resolved", &[("id", id.to_string())]));
                        }
                        Err(e) => prompt.form.error = Some(crate::messages::store(lang, &e)),
                    }
                }
                Action::Back => list.prompt = None,
                other => {
                    prompt.form.apply(other);
                }
            }
            return;
        }
        let current = list
            .entries
            .get(list.selected)
            .filter(|e| e.ending.is_none())
            .map(|e| e.id);
        match action {
            Action::Back => self.go_back(now),
            Action::Up => list.selected = list.selected.saturating_sub(1),
            Action::Down => list.selected = (list.selected + 1).min(list.entries.len().saturating_sub(1)),
            Action::LogEntry => self.open_log_entry(),
            Action::LogAnswered | Action::LogCarry => {
                if let Some(id) = current {
                    let (kind, label) = if action == Action::LogAnswered {
                        (PromptKind::Answer(id), "ui.step.answer")
                    } else {
                        (PromptKind::Carry(id), "field.reason")
                    };
                    list.prompt = Some(Prompt {
                        kind,
                        form: Form::new(vec![Field::text("text", label, "")]),
                    });
                } else {
                    self.note(t(lang, "ui.log.pick_open"));
                }
            }
            Action::LogToCase => {
                let Some(entry) = list.entries.get(list.selected).filter(|e| e.ending.is_none()).cloned() else {
                    self.note(t(lang, "ui.log.pick_open"));
                    return;
                };
                // The intake form opens prefilled; saving it ends the entry.
                let mut intake = Intake::new(self);
                intake.form.set_text("name", &entry.who);
                intake.form.set_text("summary", &entry.what);
                intake.form.set_text("details", &entry.action);
                intake.from_log = Some(entry.id);
                self.back
                    .push(std::mem::replace(&mut self.screen, Screen::Intake(Box::new(intake))));
                self.intake_changed(now);
            }
            _ => {}
        }
    }

    /// Opens the handover: the one waiting for me to review, else my own.
    pub fn open_handover(&mut self, now: Time) {
        let Some(me) = self.user.clone() else { return };
        let policy = self.desk.policy.clone();
        let waiting = self.desk.store.handovers_waiting().unwrap_or_default();
        let for_review = waiting.into_iter().find_map(|id| {
            self.desk
                .store
                .handover(id, &policy, now)
                .ok()
                .filter(|r| r.handover.outgoing != me.id)
        });
        let record = match for_review {
            Some(r) => Ok(r),
            None => self.desk.store.handover_prepare(&me, &policy, now),
        };
        match record {
            Ok(record) => {
                let view = HandoverView {
                    record,
                    selected: 0,
                    prompt: None,
                };
                self.back
                    .push(std::mem::replace(&mut self.screen, Screen::Handover(Box::new(view))));
            }
            Err(e) => self.fail(&e),
        }
    }

    fn update_handover(
        &mut self,
        now: Time,
        kind: &str,
        change: impl FnOnce(
            &mut crate::domain::handover::Handover,
            usize,
            &crate::domain::Actor,
        ) -> Result<(), HandoverError>,
    ) -> Result<(), String> {
        let Some(me) = self.user.clone() else { return Ok(()) };
        let Screen::Handover(view) = &self.screen else {
            return Ok(());
        };
        let id = view.record.handover.id;
        let policy = self.desk.policy.clone();
        match self
            .desk
            .store
            .handover_update(id, &policy, now, kind, &me, |h, open| change(h, open, &me))
        {
            Ok(_) => {
                let fresh = self.desk.store.handover(id, &policy, now);
                if let (Screen::Handover(view), Ok(r)) = (&mut self.screen, fresh) {
                    view.record = r;
                }
                Ok(())
            }
            Err(e) => Err(self.duty_error(&e)),
        }
    }

    /// Keys on the handover screen.
    pub fn apply_handover(&mut self, action: Action, now: Time) {
        let lang = self.desk.lang;
        let Screen::Handover(view) = &mut self.screen else {
            return;
        };
        if let Some(prompt) = &mut view.prompt {
            match action {
                Action::Save | Action::Newline => {
                    let kind = prompt.kind.clone();
                    let text = prompt.form.text("text");
                    let result = match kind {
                        PromptKind::Cautions => {
                            self.update_handover(now, "handover_cautions", |h, _, me| h.set_cautions(me, &text))
                        }
                        PromptKind::Explain(item) => self.update_handover(now, "handover_checked", |h, _, me| {
                            h.check(me, &item, false, Some(&text))
                        }),
                        PromptKind::Question => {
                            self.update_handover(now, "handover_question", |h, _, me| h.ask(me, &text))
                        }
                        PromptKind::Sign => self.sign_handover(&text, now),
                        PromptKind::Answer(_) | PromptKind::Carry(_) => Ok(()),
                    };
                    if let Screen::Handover(view) = &mut self.screen {
                        match result {
                            Ok(()) => view.prompt = None,
                            Err(e) => {
                                if let Some(p) = &mut view.prompt {
                                    p.form.error = Some(e);
                                }
                            }
                        }
                    }
                }
                Action::Back => view.prompt = None,
                other => {
                    prompt.form.apply(other);
                }
            }
            return;
        }
        let lines = view.lines();
        let current = lines.get(view.selected).cloned();
        match action {
            Action::Back => self.go_back(now),
            Action::Up => view.selected = view.selected.saturating_sub(1),
            Action::Down => view.selected = (view.selected + 1).min(lines.len().saturating_sub(1)),
            Action::Open => {
                if let Some(HandoverLine::Case(n)) = current {
                    self.open_case(&n);
                }
            }
            Action::Tick => {
                if let Some(HandoverLine::Item(i)) = current {
                    let item = view.record.handover.checklist[i].item.clone();
                    let ticked = !view.record.handover.checklist[i].ticked;
                    if let Err(e) =
                        self.update_handover(now, "handover_checked", |h, _, me| h.check(me, &item, ticked, None))
                    {
                        self.message = Some((e, true));
                    }
                }
            }
            Action::Explain => {
                if let Some(HandoverLine::Item(i)) = current {
                    let item = view.record.handover.checklist[i].item.clone();
                    view.prompt = Some(Prompt {
                        kind: PromptKind::Explain(item),
                        form: Form::new(vec![Field::text("text", "ui.handover.explain", "")]),
                    });
                }
            }
            Action::Cautions => {
                let current = view.record.handover.cautions.clone();
                view.prompt = Some(Prompt {
                    kind: PromptKind::Cautions,
                    form: Form::new(vec![Field::text("text", "print.cautions", &current)]),
                });
            }
            Action::Question => {
                view.prompt = Some(Prompt {
                    kind: PromptKind::Question,
                    form: Form::new(vec![Field::text("text", "ui.handover.question", "")]),
                });
            }
            Action::Sign => {
                view.prompt = Some(Prompt {
                    kind: PromptKind::Sign,
                    form: Form::new(vec![Field::secret("text", "ui.sign_in.pin")]),
                });
            }
            Action::History => match self.desk.store.handovers(200) {
                Ok(list) => {
                    let view = super::reports::ListView {
                        list: super::reports::Worklist::Handovers(list),
                        selected: 0,
                    };
                    self.back
                        .push(std::mem::replace(&mut self.screen, Screen::List(Box::new(view))));
                }
                Err(e) => self.fail(&e),
            },
            Action::Export => {
                let names = self.desk.store.staff_names().unwrap_or_default();
                let html = crate::print::handover::render(
                    &view.record,
                    &names,
                    lang,
                    self.desk.policy.timezone,
                    crate::print::PrintFormat::Html,
                );
                let path = self
                    .desk
                    .store
                    .path()
                    .with_file_name(format!("handover-{}.html", view.record.handover.id));
                match std::fs::write(&path, html) {
                    Ok(()) => self.note(tf(
                        lang,
                        "ui.handover.exported",
                        &[("path", path.display().to_string())],
                    )),
                    Err(e) => self.message = Some((e.to_string(), true)),
                }
            }
            _ => {}
        }
    }

    fn sign_handover(&mut self, pin: &str, now: Time) -> Result<(), String> {
        let Some(me) = self.user.clone() else { return Ok(()) };
        if let Err(e) = self.desk.store.sign_in(&me.name, pin, now, &self.desk.policy.security) {
            return Err(crate::messages::store(self.desk.lang, &e));
        }
        let Screen::Handover(view) = &self.screen else {
            return Ok(());
        };
        let outgoing = view.record.handover.outgoing == me.id;
        let lang = self.desk.lang;
        let id = view.record.handover.id;
        if outgoing {
            self.update_handover(now, "handover_signed_out", |h, open, me| h.sign_outgoing(me, open, now))?;
            self.note(tf(lang, "handover.signed_out", &[("id", id.to_string())]));
        } else {
            self.update_handover(now, "handover_signed_in", |h, _, me| h.sign_incoming(me, now))?;
            self.note(tf(lang, "handover.signed_in", &[("id", id.to_string())]));
        }
        Ok(())
    }
}

/// Draws the quick entry.
pub fn render_entry(app: &App, form: &Form, frame: &mut Frame<'_>, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t(app.desk.lang, "ui.log.entry_title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    render_form(form, app.desk.lang, app.theme, frame, inner);
}

fn prompt_box(app: &App, prompt: &Prompt, frame: &mut Frame<'_>, area: Rect) {
    let w = area.width.min(70);
    let h = 4.min(area.height);
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
    render_form(&prompt.form, app.desk.lang, app.theme, frame, inner);
}

/// Draws the duty-log list.
pub fn render_log(app: &App, list: &LogList, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let tz = app.desk.policy.timezone;
    let names = app.desk.store.staff_names().unwrap_or_default();
    let items: Vec<ListItem<'_>> = list
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
                names.get(&e.clerk).cloned().unwrap_or_default(),
                e.who,
                e.what,
                e.action,
                ending
            );
            if e.ending.is_none() {
                ListItem::new(Line::styled(line, app.theme.focus()))
            } else {
                ListItem::new(line)
            }
        })
        .collect();
    let mut state = ListState::default();
    if !list.entries.is_empty() {
        state.select(Some(list.selected));
    }
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(t(lang, "ui.log.title")))
            .highlight_style(app.theme.selected())
            .highlight_symbol("▶ "),
        area,
        &mut state,
    );
    if let Some(p) = &list.prompt {
        prompt_box(app, p, frame, area);
    }
}

/// Draws the handover screen.
pub fn render_handover(app: &App, view: &HandoverView, frame: &mut Frame<'_>, area: Rect, now: Time) {
    let lang = app.desk.lang;
    let tz = app.desk.policy.timezone;
    let h = &view.record.handover;
    let s = &view.record.sections;
    let names = app.desk.store.staff_names().unwrap_or_default();
    let name = |id: crate::domain::StaffId| names.get(&id).cloned().unwrap_or_default();
    let state = if h.is_signed() {
        t(lang, "handover.state_signed")
    } else if h.outgoing_signed_at.is_some() {
        t(lang, "handover.state_waiting")
    } else {
        t(lang, "handover.state_draft")
    };
    let title = tf(
        lang,
        "print.title",
        &[
            ("shift", t(lang, h.shift.kind.label_key())),
            ("start", show(h.shift.start, tz)),
            ("end", show(h.shift.end, tz)),
        ],
    );
    let [head, body] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    let mut head_lines = vec![Line::from(format!(
        "{}：{}  {}：{}  [{}]",
        t(lang, "print.outgoing"),
        name(h.outgoing),
        t(lang, "print.incoming"),
        h.incoming.map_or_else(|| "—".into(), name),
        state
    ))];
    if now >= h.shift.end && !h.is_signed() {
        head_lines.push(Line::styled(
            t(lang, "ui.handover.overdue_warning"),
            app.theme.overdue(),
        ));
    }
    frame.render_widget(
        Paragraph::new(head_lines).block(Block::default().borders(Borders::TOP).title(title)),
        head,
    );
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
                r.next_due.map(|d| show(d, tz)).unwrap_or_else(|| "—".into()),
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
                all.push(ListItem::new(Line::from(Span::styled(text, app.theme.focus()))));
                hi.next();
            } else {
                break;
            }
        }
        map.push(all.len());
        all.push(item);
    }
    for (_, text) in hi {
        all.push(ListItem::new(Line::from(Span::styled(text, app.theme.focus()))));
    }
    all.push(ListItem::new(format!(
        "{}：{}",
        t(lang, "print.cautions"),
        if h.cautions.is_empty() { "—" } else { &h.cautions }
    )));
    all.push(ListItem::new(Line::from(Span::styled(
        tf(lang, "print.open_log", &[("n", s.open_log.len().to_string())]),
        app.theme.focus(),
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
    let mut state = ListState::default();
    state.select(map.get(view.selected).copied());
    frame.render_stateful_widget(
        List::new(all)
            .highlight_style(app.theme.selected())
            .highlight_symbol("▶ "),
        body,
        &mut state,
    );
    if let Some(p) = &view.prompt {
        prompt_box(app, p, frame, area);
    }
}
