//! The app state and the one place where actions change it.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::draft::{self, DraftWriter};
use super::form::Form;
use super::intake::Intake;
use super::keymap::{Action, Scope, lookup};
use super::queue::{Queue, QuickFilter};
use super::sign_in::{SignIn, first_run_form};
use super::steps::Step;
use super::theme::Theme;
use super::widgets::input::Input;
use crate::desk::Desk;
use crate::domain::{Actor, Time};
use crate::store::{CaseFilter, CaseRecord, CaseRow, StoreError};
use crate::words::{t, tf};

/// A case's page.
#[derive(Debug)]
pub struct CasePage {
    /// The case as last read (its version is what a step is based on).
    pub record: CaseRecord,
    /// Timeline scroll.
    pub scroll: u16,
    /// An open step form.
    pub step: Option<Step>,
    /// A confidential complainant was shown (the viewing is recorded).
    pub revealed: bool,
    /// The timeline, read with the record (not on every frame).
    pub events: Vec<crate::domain::Event>,
    /// Staff names by id, for the timeline.
    pub names: std::collections::HashMap<crate::domain::StaffId, String>,
    /// Department names by id.
    pub depts: std::collections::HashMap<crate::domain::DeptId, String>,
}

impl CasePage {
    /// A page for `record`, with its timeline and the names it shows.
    #[must_use]
    pub fn new(record: CaseRecord, revealed: bool, store: &crate::store::Store) -> Self {
        let mut page = CasePage {
            record,
            scroll: 0,
            step: None,
            revealed,
            events: Vec::new(),
            names: std::collections::HashMap::new(),
            depts: std::collections::HashMap::new(),
        };
        page.load(store);
        page
    }

    /// Shows a newer read of the case.
    pub fn set_record(&mut self, record: CaseRecord, store: &crate::store::Store) {
        self.record = record;
        self.load(store);
    }

    fn load(&mut self, store: &crate::store::Store) {
        self.events = store.events(self.record.id).unwrap_or_default();
        self.names = store.staff_names().unwrap_or_default();
        self.depts = store
            .departments()
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
    }
}

/// Search as you type.
#[derive(Debug, Default)]
pub struct Search {
    /// The query.
    pub input: Input,
    /// Matches.
    pub results: Vec<CaseRow>,
    /// Selected match.
    pub selected: usize,
}

/// What fills the screen.
#[derive(Debug)]
pub enum Screen {
    /// No desk yet: create it and its first admin.
    FirstRun(Form),
    /// Pick your name, type your PIN.
    SignIn(SignIn),
    /// The queue.
    Queue,
    /// Recording a case.
    Intake(Box<Intake>),
    /// One case.
    Case(Box<CasePage>),
    /// Search.
    Search(Search),
    /// A quick duty-log entry.
    LogEntry(Form),
    /// The duty-log list.
    Log(Box<super::duty::LogList>),
    /// The shift handover.
    Handover(Box<super::duty::HandoverView>),
    /// Reports and statistics.
    Report(Box<super::reports::ReportView>),
    /// A worklist (return visits, replies to urge).
    List(Box<super::reports::ListView>),
}

/// The screen lock: the terminal is shared.
#[derive(Debug, Default)]
pub struct Lock {
    /// PIN being typed.
    pub pin: Input,
    /// Why unlocking failed.
    pub error: Option<String>,
}

/// The whole app.
#[derive(Debug)]
pub struct App {
    /// The desk.
    pub desk: Desk,
    /// The current screen.
    pub screen: Screen,
    /// Screens to go back to.
    pub back: Vec<Screen>,
    /// Who is signed in.
    pub user: Option<Actor>,
    /// The help overlay is open.
    pub help: bool,
    /// Leaving a form with text asks first.
    pub confirm_leave: bool,
    /// Locked, waiting for the PIN.
    pub lock: Option<Lock>,
    /// A message for the clerk, and whether it is an error.
    pub message: Option<(String, bool)>,
    /// The queue.
    pub queue: Queue,
    /// Drafts on disk.
    pub drafts: DraftWriter,
    /// Colours.
    pub theme: Theme,
    /// SQLite's data version when last read.
    pub data_version: i64,
    /// Time since the last key.
    pub idle: Duration,
    /// Who is on duty, and whether their shift ended without a signed handover.
    pub on_duty: Vec<(String, bool)>,
    /// Leave the loop.
    pub quit: bool,
}

impl App {
    /// The app on a desk: first run when it has no admin, else sign-in.
    pub fn new(desk: Desk) -> App {
        let folder = draft::folder(desk.store().path());
        let initialized = desk.store().is_initialized().unwrap_or(false);
        let screen = if initialized {
            Screen::SignIn(SignIn::new(&desk))
        } else {
            Screen::FirstRun(first_run_form())
        };
        let data_version = desk.store().data_version().unwrap_or(0);
        let message = desk.warning.clone().map(|w| (w, true));
        App {
            desk,
            screen,
            back: Vec::new(),
            user: None,
            help: false,
            confirm_leave: false,
            lock: None,
            message,
            queue: Queue::default(),
            drafts: DraftWriter::start(folder),
            theme: Theme::from_env(),
            data_version,
            idle: Duration::ZERO,
            on_duty: Vec::new(),
            quit: false,
        }
    }

    /// Shows a store error in the clerk's language.
    pub fn fail(&mut self, e: &StoreError) {
        self.message = Some((self.desk.words().store(e), true));
    }

    /// Shows a note.
    pub fn note(&mut self, text: String) {
        self.message = Some((text, false));
    }

    /// The scope keys are looked up in.
    #[must_use]
    pub fn scope(&self) -> Scope {
        if self.lock.is_some() {
            return Scope::Form;
        }
        match &self.screen {
            Screen::FirstRun(_) | Screen::SignIn(_) | Screen::Intake(_) | Screen::LogEntry(_) => Scope::Form,
            Screen::Log(l) if l.prompt.is_some() => Scope::Form,
            Screen::Log(_) => Scope::Log,
            Screen::Handover(h) if h.prompt.is_some() => Scope::Form,
            Screen::Handover(_) => Scope::Handover,
            Screen::Report(r) if r.prompt.is_some() => Scope::Form,
            Screen::Report(_) | Screen::List(_) => Scope::Lists,
            Screen::Queue => Scope::Queue,
            Screen::Case(page) if page.step.is_some() => Scope::Form,
            Screen::Case(_) => Scope::Case,
            Screen::Search(_) => Scope::Search,
        }
    }

    /// Handles one key press at `now`.
    pub fn handle_key(&mut self, ev: KeyEvent, now: Time) {
        self.idle = Duration::ZERO;
        if self.help {
            self.help = false;
            return;
        }
        if self.confirm_leave {
            self.confirm_leave = false;
            if matches!(ev.code, KeyCode::Char('y' | 'Y')) {
                self.leave_form(now);
            }
            return;
        }
        let scope = self.scope();
        match lookup(scope, &ev) {
            Some(action) => self.apply(action, now),
            None => {
                if let KeyCode::Char(c) = ev.code
                    && (ev.modifiers - KeyModifiers::SHIFT).is_empty()
                    && matches!(scope, Scope::Form | Scope::Search)
                {
                    self.type_text(&c.to_string(), now);
                }
            }
        }
    }

    /// Pasted text goes into the focused field.
    pub fn paste(&mut self, text: &str, now: Time) {
        self.idle = Duration::ZERO;
        if matches!(self.scope(), Scope::Form | Scope::Search) {
            self.type_text(text, now);
        }
    }

    /// Time passes: lock when idle too long, follow other terminals' changes.
    pub fn tick(&mut self, elapsed: Duration, now: Time) {
        self.idle += elapsed;
        let limit = Duration::from_secs(u64::from(self.desk.policy.security.idle_lock_minutes) * 60);
        if self.user.is_some() && self.lock.is_none() && limit > Duration::ZERO && self.idle >= limit {
            self.lock_screen();
        }
        let version = self.desk.store().data_version().unwrap_or(self.data_version);
        if version != self.data_version {
            self.data_version = version;
            self.refresh(now);
        }
    }

    /// Re-reads what the screen shows, keeping the clerk's place.
    pub fn refresh(&mut self, now: Time) {
        if self.user.is_none() {
            return;
        }
        self.reload_queue(now);
        if let Screen::Case(page) = &mut self.screen
            && page.step.is_none()
            && let Ok(r) = self.desk.store().case(page.record.case.number())
        {
            page.set_record(r, self.desk.store());
        }
    }

    fn lock_screen(&mut self) {
        self.help = false;
        self.lock = Some(Lock::default());
        self.drafts.flush();
    }

    /// Applies an action: the one place the state changes.
    pub fn apply(&mut self, action: Action, now: Time) {
        if self.lock.is_some() {
            self.apply_lock(action, now);
            return;
        }
        match action {
            Action::Help => self.help = true,
            Action::Lock if self.user.is_some() => self.lock_screen(),
            Action::Quit => self.quit(),
            Action::LogEntry if !matches!(self.screen, Screen::LogEntry(_)) => self.open_log_entry(),
            _ => match &self.screen {
                Screen::FirstRun(_) | Screen::SignIn(_) => self.apply_sign_in(action, now),
                Screen::Queue => self.apply_queue(action, now),
                Screen::Intake(_) => self.apply_intake(action, now),
                Screen::Case(_) => self.apply_case(action, now),
                Screen::Search(_) => self.apply_search(action, now),
                Screen::LogEntry(_) => self.apply_log_entry(action, now),
                Screen::Log(_) => self.apply_log(action, now),
                Screen::Handover(_) => self.apply_handover(action, now),
                Screen::Report(_) | Screen::List(_) => self.apply_lists(action, now),
            },
        }
    }

    fn quit(&mut self) {
        self.drafts.flush();
        self.quit = true;
    }

    fn type_text(&mut self, text: &str, now: Time) {
        if let Some(lock) = &mut self.lock {
            lock.pin.insert(text);
            return;
        }
        let lang = self.desk.lang;
        let _words = self.desk.words();
        let mut cut = false;
        match &mut self.screen {
            Screen::FirstRun(form) => cut = !form.type_text(text),
            Screen::SignIn(s) => s.type_text(text),
            Screen::Intake(intake) => {
                cut = !intake.form.type_text(text);
                self.intake_changed(now);
            }
            Screen::Case(page) => {
                if let Some(step) = &mut page.step {
                    cut = !step.form.type_text(text);
                }
            }
            Screen::Search(s) => {
                s.input.insert(text);
                self.run_search();
            }
            Screen::LogEntry(form) => cut = !form.type_text(text),
            Screen::Log(l) => {
                if let Some(p) = &mut l.prompt {
                    cut = !p.form.type_text(text);
                }
            }
            Screen::Handover(h) => {
                if let Some(p) = &mut h.prompt {
                    cut = !p.form.type_text(text);
                }
            }
            Screen::Report(r) => {
                if let Some(form) = &mut r.prompt {
                    cut = !form.type_text(text);
                }
            }
            Screen::Queue | Screen::List(_) => {}
        }
        if cut {
            self.message = Some((t(lang, "ui.field_limit"), true));
        }
    }

    fn apply_lock(&mut self, action: Action, now: Time) {
        let Some(lock) = &mut self.lock else { return };
        match action {
            Action::Backspace => lock.pin.backspace(),
            Action::Newline | Action::Save => {
                let pin = lock.pin.text().to_string();
                lock.pin.clear();
                let Some(user) = self.user.clone() else { return };
                match self.desk.sign_in(&user.name, &pin) {
                    Ok(_) => {
                        self.lock = None;
                        self.refresh(now);
                    }
                    Err(e) => {
                        let text = self.desk.words().store(&e);
                        if let Some(lock) = &mut self.lock {
                            lock.error = Some(text);
                        }
                    }
                }
            }
            Action::Back => {
                // Someone else takes the terminal: sign out; drafts stay on disk.
                self.drafts.flush();
                self.lock = None;
                self.user = None;
                self.back.clear();
                self.screen = Screen::SignIn(SignIn::new(&self.desk));
            }
            _ => {}
        }
    }

    /// Signed in: the queue, and any draft waiting from last time.
    pub fn signed_in(&mut self, actor: Actor, now: Time) {
        self.note(tf(self.desk.lang, "ui.welcome", &[("name", actor.name.clone())]));
        let staff = actor.id;
        if let Err(e) = self.desk.join_shift(&actor) {
            self.fail(&e);
        }
        self.user = Some(actor);
        self.back.clear();
        self.screen = Screen::Queue;
        self.reload_queue(now);
        if let Some(data) = draft::load(self.drafts.folder(), staff) {
            let intake = Intake::from_draft(self, &data);
            self.back
                .push(std::mem::replace(&mut self.screen, Screen::Intake(Box::new(intake))));
            self.intake_changed(now);
            self.note(t(self.desk.lang, "ui.draft_restored"));
        }
    }

    fn apply_queue(&mut self, action: Action, now: Time) {
        match action {
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Top | Action::Bottom => {
                self.move_in_queue(action, now);
            }
            Action::Open => {
                if let Some(number) = self.queue.rows.get(self.queue.selected).map(|r| r.number.clone()) {
                    self.open_case(&number);
                }
            }
            Action::NewCase => self.new_case(now),
            Action::Search => self.open_search(),
            Action::OpenLog => self.open_log(),
            Action::OpenHandover => self.open_handover(now),
            Action::OpenReport => self.open_report(),
            Action::OpenVisits => self.open_list(true, now),
            Action::OpenUrges => self.open_list(false, now),
            Action::FilterMine
            | Action::FilterAll
            | Action::FilterOverdue
            | Action::FilterEscalated
            | Action::FilterState => {
                self.queue.filter = match action {
                    Action::FilterMine => QuickFilter::Mine,
                    Action::FilterAll => QuickFilter::All,
                    Action::FilterOverdue => QuickFilter::Overdue,
                    Action::FilterEscalated => QuickFilter::Escalated,
                    _ => self.queue.filter.next_state(),
                };
                self.queue_from_top(now);
            }
            _ => {}
        }
    }

    /// Opens a case's page over the current screen.
    pub fn open_case(&mut self, number: &str) {
        match self.desk.store().case(number) {
            Ok(record) => {
                // The owner sees their confidential complainant; the viewing is recorded.
                let mut revealed = false;
                if record.case.intake.confidential
                    && let Some(u) = self.user.clone()
                    && u.id == record.case.owner
                {
                    let _now = self.desk.now();
                    let reason = t(self.desk.lang, "cli.show.owner_view");
                    revealed = self.desk.record_confidential_view(&u, number, &reason).is_ok();
                }
                let page = Screen::Case(Box::new(CasePage::new(record, revealed, self.desk.store())));
                self.back.push(std::mem::replace(&mut self.screen, page));
            }
            Err(e) => self.fail(&e),
        }
    }

    fn new_case(&mut self, now: Time) {
        let intake = Intake::new(self);
        self.back
            .push(std::mem::replace(&mut self.screen, Screen::Intake(Box::new(intake))));
        self.intake_changed(now);
    }

    fn open_search(&mut self) {
        let screen = Screen::Search(Search::default());
        self.back.push(std::mem::replace(&mut self.screen, screen));
    }

    /// Back to the previous screen (the queue at the bottom).
    pub fn go_back(&mut self, now: Time) {
        self.screen = self.back.pop().unwrap_or(Screen::Queue);
        self.refresh(now);
    }

    /// Leaves a form, dropping what was typed (after the clerk confirmed).
    fn leave_form(&mut self, now: Time) {
        match &mut self.screen {
            Screen::Case(page) if page.step.is_some() => page.step = None,
            Screen::LogEntry(_) => self.go_back(now),
            Screen::Intake(_) => {
                if let Some(u) = &self.user {
                    self.drafts.discard(u.id);
                }
                self.go_back(now);
            }
            _ => self.go_back(now),
        }
    }

    fn apply_search(&mut self, action: Action, now: Time) {
        let Screen::Search(s) = &mut self.screen else { return };
        match action {
            Action::Back => self.go_back(now),
            Action::Up => s.selected = s.selected.saturating_sub(1),
            Action::Down => s.selected = (s.selected + 1).min(s.results.len().saturating_sub(1)),
            Action::Open => {
                if let Some(n) = s.results.get(s.selected).map(|r| r.number.clone()) {
                    self.open_case(&n);
                }
            }
            Action::Backspace => {
                s.input.backspace();
                self.run_search();
            }
            Action::Left => s.input.move_by(-1),
            Action::Right => s.input.move_by(1),
            Action::Home => s.input.home_end(false),
            Action::End => s.input.home_end(true),
            Action::Delete => {
                s.input.delete();
                self.run_search();
            }
            _ => {}
        }
    }

    fn run_search(&mut self) {
        let Screen::Search(s) = &mut self.screen else { return };
        let q = s.input.text().trim().to_string();
        if q.is_empty() {
            s.results.clear();
            return;
        }
        let filter = CaseFilter {
            search: Some(q),
            limit: 50,
            ..CaseFilter::default()
        };
        match self.desk.store().list(&filter, self.user.as_ref()) {
            Ok(rows) => {
                s.results = rows;
                s.selected = 0;
            }
            Err(e) => self.fail(&e),
        }
    }

    fn apply_case(&mut self, action: Action, now: Time) {
        let Screen::Case(page) = &mut self.screen else { return };
        if page.step.is_some() {
            self.apply_step(action, now);
            return;
        }
        match action {
            Action::Back => self.go_back(now),
            Action::Up => page.scroll = page.scroll.saturating_sub(1),
            Action::Down => page.scroll = page.scroll.saturating_add(1),
            Action::Search => self.open_search(),
            Action::NewCase => self.new_case(now),
            Action::Step(kind) => self.open_step(kind, now),
            Action::Reveal => self.open_reveal(),
            _ => {}
        }
    }

    /// Leaving a form with typed text asks first.
    pub fn back_from_form(&mut self, has_text: bool, now: Time) {
        if has_text {
            self.confirm_leave = true;
        } else {
            self.leave_form(now);
        }
    }
}
