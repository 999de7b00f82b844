//! The app: which screen is in front, the screens below it, who is signed in.
//! Keys go to the screen in front; what it answers (an [`Effect`]) is carried
//! out here, in one place, which is also where every store error is shown.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::case_page::CasePage;
use super::component::{Component, Cx, Effect, Go};
use super::draft::{self, DraftWriter};
use super::handover::HandoverView;
use super::intake::Intake;
use super::keymap::{Action, Scope, lookup};
use super::log::LogList;
use super::log_entry::LogEntry;
use super::overlay::{Lock, Overlay};
use super::queue::Queue;
use super::report::ReportView;
use super::search::Search;
use super::setup::Setup;
use super::sign_in::{FirstRun, SignIn};
use super::theme::Theme;
use super::worklist::ListView;
use crate::desk::Desk;
use crate::domain::{Actor, Time};
use crate::store::StoreError;

/// What fills the screen.
#[derive(Debug)]
pub enum Screen {
    /// No desk yet: create it and its first admin.
    FirstRun(FirstRun),
    /// Pick your name, type your PIN.
    SignIn(SignIn),
    /// The queue (its state is [`App::queue`]: the top bar counts from it too).
    Queue,
    /// Recording a case.
    Intake(Box<Intake>),
    /// One case.
    Case(Box<CasePage>),
    /// Search.
    Search(Search),
    /// A quick duty-log entry.
    LogEntry(LogEntry),
    /// The duty-log list.
    Log(Box<LogList>),
    /// The shift handover.
    Handover(Box<HandoverView>),
    /// Reports and statistics.
    Report(Box<ReportView>),
    /// A worklist (return visits, replies to urge, past handovers).
    List(Box<ListView>),
    /// The desk's people and departments (admin).
    Setup(Box<Setup>),
    /// A call coming in.
    Call(Box<super::call::Call>),
}

/// The screen in front as a component (the queue's state lives in the app).
fn component<'a>(screen: &'a mut Screen, queue: &'a mut Queue) -> &'a mut dyn Component {
    match screen {
        Screen::FirstRun(s) => s,
        Screen::SignIn(s) => s,
        Screen::Queue => queue,
        Screen::Intake(s) => s.as_mut(),
        Screen::Case(s) => s.as_mut(),
        Screen::Search(s) => s,
        Screen::LogEntry(s) => s,
        Screen::Log(s) => s.as_mut(),
        Screen::Handover(s) => s.as_mut(),
        Screen::Report(s) => s.as_mut(),
        Screen::List(s) => s.as_mut(),
        Screen::Setup(s) => s.as_mut(),
        Screen::Call(s) => s.as_mut(),
    }
}

/// The screen in front, to draw.
#[must_use]
pub fn view<'a>(screen: &'a Screen, queue: &'a Queue) -> &'a dyn Component {
    match screen {
        Screen::FirstRun(s) => s,
        Screen::SignIn(s) => s,
        Screen::Queue => queue,
        Screen::Intake(s) => s.as_ref(),
        Screen::Case(s) => s.as_ref(),
        Screen::Search(s) => s,
        Screen::LogEntry(s) => s,
        Screen::Log(s) => s.as_ref(),
        Screen::Handover(s) => s.as_ref(),
        Screen::Report(s) => s.as_ref(),
        Screen::List(s) => s.as_ref(),
        Screen::Setup(s) => s.as_ref(),
        Screen::Call(s) => s.as_ref(),
    }
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
    /// Help, a question before leaving a form, or the screen lock, over everything.
    pub overlay: Option<Overlay>,
    /// A message for the clerk, and whether it is an error.
    pub message: Option<(String, bool)>,
    /// The queue.
    pub queue: Queue,
    /// Drafts on disk.
    pub drafts: DraftWriter,
    /// Colours.
    pub theme: Theme,
    /// Where pages saved from the screens go.
    pub files: Box<dyn Files>,
    /// SQLite's data version when last read.
    pub data_version: i64,
    /// The station (terminal) these screens are, for calls rung to it (`CASEDESK_STATION`).
    pub station: Option<String>,
    /// The newest ring seen: calls after it are shown.
    pub rings_seen: i64,
    /// Time since the last key.
    pub idle: Duration,
    /// Leave the loop.
    pub quit: bool,
}

impl App {
    /// The app on a desk: first run when it has no admin, else sign-in.
    pub fn new(desk: Desk) -> App {
        let folder = draft::folder(desk.store().path());
        let initialized = desk.store().is_initialized();
        let mut message = desk.warning.clone().map(|w| (w, true));
        let screen = match initialized {
            Ok(true) => Screen::SignIn(SignIn::new(&desk)),
            Ok(false) => Screen::FirstRun(FirstRun::new()),
            Err(e) => {
                message = Some((desk.words().store(&e), true));
                Screen::SignIn(SignIn::new(&desk))
            }
        };
        let data_version = desk.store().data_version().unwrap_or(0);
        let files: Box<dyn Files> = Box::new(BesideDesk(folder_of(&desk)));
        App {
            desk,
            screen,
            back: Vec::new(),
            user: None,
            overlay: None,
            message,
            queue: Queue::default(),
            drafts: DraftWriter::start(folder),
            theme: Theme::from_env(),
            files,
            data_version,
            station: None,
            rings_seen: 0,
            idle: Duration::ZERO,
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
        if matches!(self.overlay, Some(Overlay::Lock(_))) {
            return Scope::Lock;
        }
        view(&self.screen, &self.queue).scope()
    }

    /// Handles one key press at `now`.
    pub fn handle_key(&mut self, ev: KeyEvent, now: Time) {
        self.idle = Duration::ZERO;
        match self.overlay {
            Some(Overlay::Help { page }) => {
                // ↓ and PageDown turn the page, ↑ and PageUp go back; any other key closes.
                self.overlay = match ev.code {
                    KeyCode::Down | KeyCode::PageDown | KeyCode::Char(' ') => Some(Overlay::Help { page: page + 1 }),
                    KeyCode::Up | KeyCode::PageUp if page > 0 => Some(Overlay::Help { page: page - 1 }),
                    _ => None,
                };
                return;
            }
            Some(Overlay::ConfirmLeave) => {
                self.overlay = None;
                if matches!(ev.code, KeyCode::Char('y' | 'Y')) {
                    self.leave(now);
                }
                return;
            }
            Some(Overlay::ConfirmPrepare(_)) => {
                self.overlay = None;
                if matches!(ev.code, KeyCode::Char('y' | 'Y')) {
                    self.go(Go::HandoverPrepare, now);
                }
                return;
            }
            _ => {}
        }
        let scope = self.scope();
        match lookup(scope, &ev) {
            Some(action) => self.apply(action, now),
            None => {
                if let KeyCode::Char(c) = ev.code
                    && (ev.modifiers - KeyModifiers::SHIFT).is_empty()
                    && scope.types_text()
                {
                    self.type_text(&c.to_string(), now);
                }
            }
        }
    }

    /// Pasted text goes into the focused field.
    pub fn paste(&mut self, text: &str, now: Time) {
        self.idle = Duration::ZERO;
        if self.scope().types_text() {
            self.type_text(text, now);
        }
    }

    /// Time passes: lock when idle too long, follow other terminals' changes.
    pub fn tick(&mut self, elapsed: Duration, now: Time) {
        self.idle += elapsed;
        let limit = Duration::from_secs(u64::from(self.desk.policy.security.idle_lock_minutes) * 60);
        if self.user.is_some() && !self.locked() && limit > Duration::ZERO && self.idle >= limit {
            self.lock_screen();
        }
        let version = self.desk.store().data_version().unwrap_or(self.data_version);
        if version != self.data_version {
            self.data_version = version;
            self.refresh(now);
            self.answer_rings(now);
        }
    }

    /// The screen is locked, waiting for the PIN.
    #[must_use]
    pub fn locked(&self) -> bool {
        matches!(self.overlay, Some(Overlay::Lock(_)))
    }

    /// Re-reads what the screen shows, keeping the clerk's place.
    pub fn refresh(&mut self, now: Time) {
        if self.user.is_none() {
            return;
        }
        // The queue is read for the top bar's counts whatever the screen; on
        // the queue itself that read is the screen's.
        self.reload_queue(now);
        if !matches!(self.screen, Screen::Queue) {
            let effect = self.on_screen(now, |screen, cx| screen.on_refresh(cx));
            self.perform(effect, now);
        }
    }

    /// Reads the queue and the top bar's counts again.
    pub fn reload_queue(&mut self, now: Time) {
        let cx = Cx {
            desk: &self.desk,
            user: self.user.as_ref(),
            now,
            theme: self.theme,
        };
        let effect = self.queue.on_refresh(&cx);
        self.perform(effect, now);
    }

    fn cx(&self, now: Time) -> Cx<'_> {
        Cx {
            desk: &self.desk,
            user: self.user.as_ref(),
            now,
            theme: self.theme,
        }
    }

    /// Runs `f` on the screen in front, with what it may read.
    fn on_screen<R>(&mut self, now: Time, f: impl FnOnce(&mut dyn Component, &Cx<'_>) -> R) -> R {
        let cx = Cx {
            desk: &self.desk,
            user: self.user.as_ref(),
            now,
            theme: self.theme,
        };
        f(component(&mut self.screen, &mut self.queue), &cx)
    }

    fn lock_screen(&mut self) {
        self.overlay = Some(Overlay::Lock(Lock::default()));
        self.drafts.flush();
    }

    /// Applies an action: global ones here, the rest to the screen in front.
    pub fn apply(&mut self, action: Action, now: Time) {
        if self.locked() {
            self.apply_lock(action, now);
            return;
        }
        let effect = match action {
            Action::Help => {
                self.overlay = Some(Overlay::Help { page: 0 });
                Effect::None
            }
            Action::Lock if self.user.is_some() => {
                self.lock_screen();
                Effect::None
            }
            Action::Quit => Effect::Quit,
            Action::LogEntry if !matches!(self.screen, Screen::LogEntry(_)) => Effect::Go(Go::LogEntry),
            _ => self.on_screen(now, |screen, cx| screen.on_action(action, cx)),
        };
        self.perform(effect, now);
    }

    fn type_text(&mut self, text: &str, now: Time) {
        if let Some(Overlay::Lock(lock)) = &mut self.overlay {
            lock.pin.insert(text);
            return;
        }
        let effect = self.on_screen(now, |screen, cx| screen.on_text(text, cx));
        self.perform(effect, now);
    }

    fn apply_lock(&mut self, action: Action, now: Time) {
        let Some(Overlay::Lock(lock)) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Backspace => lock.pin.backspace(),
            Action::Newline | Action::Save => {
                let pin = lock.pin.text().to_string();
                lock.pin.clear();
                let Some(user) = self.user.clone() else { return };
                match self.desk.sign_in(&user.name, &pin) {
                    Ok(_) => {
                        self.overlay = None;
                        self.refresh(now);
                    }
                    Err(e) => {
                        let text = self.desk.words().store(&e);
                        if let Some(Overlay::Lock(lock)) = &mut self.overlay {
                            lock.error = Some(text);
                        }
                    }
                }
            }
            Action::Back => {
                // Someone else takes the terminal: sign out; drafts stay on disk.
                self.drafts.flush();
                self.overlay = None;
                self.message = None;
                self.user = None;
                self.back.clear();
                self.screen = Screen::SignIn(SignIn::new(&self.desk));
            }
            _ => {}
        }
    }

    /// Signed in: the queue, and any draft waiting from last time.
    pub fn signed_in(&mut self, actor: Actor, now: Time) {
        self.note(self.desk.words().tf("ui.welcome", &[("name", actor.name.clone())]));
        let staff = actor.id;
        // A read-only desk cannot record the shift: its notice says why.
        if self.desk.store().is_read_only() {
            if let Some(w) = self.desk.warning.clone() {
                self.note(w);
            }
        } else if let Err(e) = self.desk.join_shift(&actor) {
            self.fail(&e);
        }
        // The incoming clerk is told at once that a handover waits for them.
        if let Ok(Some(h)) = self.desk.handovers_waiting_for(&actor).map(|w| w.into_iter().next()) {
            let words = self.desk.words();
            let outgoing = self.desk.store().staff_by_id(h.outgoing).ok().flatten();
            self.note(words.tf(
                "ui.handover.waiting_for_you",
                &[
                    ("name", actor.name.clone()),
                    ("id", h.id.to_string()),
                    ("outgoing", outgoing.map(|a| a.name).unwrap_or_default()),
                    ("shift", words.t(h.shift.kind.label_key())),
                ],
            ));
        }
        self.user = Some(actor);
        // Calls rung before signing in are not this clerk's to answer.
        self.rings_seen = self.desk.store().last_ring().unwrap_or(self.rings_seen);
        self.back.clear();
        self.screen = Screen::Queue;
        self.queue.clear_view();
        self.reload_queue(now);
        if let Some(data) = draft::load(self.drafts.folder(), staff) {
            let mut intake = Intake::new(&self.cx(now));
            intake.form.load_draft(&data);
            intake.form.dirty = true;
            self.open(Screen::Intake(Box::new(intake)), now);
            self.note(self.desk.words().t("ui.draft_restored"));
        }
    }

    /// Opens a screen over the current one; it reads what it shows first.
    pub(super) fn open(&mut self, screen: Screen, now: Time) {
        // A message belongs to the screen it was said on.
        self.message = None;
        self.back.push(std::mem::replace(&mut self.screen, screen));
        let effect = self.on_screen(now, |screen, cx| screen.on_refresh(cx));
        self.perform(effect, now);
    }

    /// Back to the previous screen (the queue at the bottom).
    pub fn go_back(&mut self, now: Time) {
        self.message = None;
        self.screen = self.back.pop().unwrap_or(Screen::Queue);
        self.refresh(now);
    }

    /// Leaves the screen in front (after the clerk confirmed, if they had typed).
    fn leave(&mut self, now: Time) {
        let effect = component(&mut self.screen, &mut self.queue).on_leave();
        self.perform(effect, now);
    }

    /// Carries out what a screen asked for.
    pub fn perform(&mut self, effect: Effect, now: Time) {
        match effect {
            Effect::None => {}
            Effect::Note(text) => self.note(text),
            Effect::Error(text) => self.message = Some((text, true)),
            Effect::Fail(e) => self.fail(&e),
            Effect::Go(go) => self.go(go, now),
            Effect::ShowCase(record) => {
                // Just recorded: the clerk typed the complainant, so it is shown.
                self.message = None;
                self.screen = Screen::Case(Box::new(CasePage::new(*record, true)));
                let effect = self.on_screen(now, |screen, cx| screen.on_refresh(cx));
                self.perform(effect, now);
            }
            Effect::Back => self.go_back(now),
            Effect::Leave { typed: true } => self.overlay = Some(Overlay::ConfirmLeave),
            Effect::Leave { typed: false } => self.leave(now),
            Effect::Write(write) => {
                let result = super::write::perform(&mut self.desk, self.user.as_ref(), write);
                let (result, also) = match result {
                    Ok((written, also)) => (Ok(written), also),
                    Err(text) => (Err(text), Effect::None),
                };
                if result.is_ok() {
                    self.reload_queue(now);
                }
                let effect = self.on_screen(now, |screen, cx| screen.on_written(result, cx));
                self.perform(effect, now);
                self.perform(also, now);
            }
            Effect::SaveFile { name, contents } => match self.files.save(&name, contents.as_bytes()) {
                Ok(path) => self.note(
                    self.desk
                        .words()
                        .tf("ui.handover.exported", &[("path", path.display().to_string())]),
                ),
                Err(e) => self.message = Some((format!("{name}: {e}"), true)),
            },
            Effect::SaveDraft(data) => {
                if let Some(u) = &self.user {
                    self.drafts.save(u.id, data);
                }
                // Written in the background: a failure shows at the next keystroke.
                if self.drafts.take_failure() {
                    let folder = self.drafts.folder().display().to_string();
                    self.message = Some((self.desk.words().tf("ui.draft.not_saved", &[("path", folder)]), true));
                }
            }
            Effect::DiscardDraft => {
                if let Some(u) = &self.user {
                    self.drafts.discard(u.id);
                }
            }
            Effect::SignedIn(actor) => self.signed_in(actor, now),
            Effect::FieldLimit => self.message = Some((self.desk.words().t("ui.field_limit"), true)),
            Effect::Quit => {
                self.drafts.flush();
                self.quit = true;
            }
            Effect::Many(effects) => {
                for e in effects {
                    self.perform(e, now);
                }
            }
        }
    }

    /// Opens the screen `go` names, reading what it needs.
    fn go(&mut self, go: Go, now: Time) {
        let cx = self.cx(now);
        let screen = match go {
            Go::Case(number) => return self.open_case(&number, None, now),
            Go::CaseStep(number, kind) => return self.open_case(&number, Some(kind), now),
            Go::NewCase => Screen::Intake(Box::new(Intake::new(&cx))),
            Go::NewCaseFrom(phone) => Screen::Intake(Box::new(Intake::for_caller(&cx, &phone))),
            Go::CaseFromLog(entry) => Screen::Intake(Box::new(Intake::from_log(&cx, &entry))),
            Go::Search => Screen::Search(Search::default()),
            Go::LogEntry if self.user.is_some() => Screen::LogEntry(LogEntry::new(cx.lang())),
            Go::LogEntry => return,
            Go::Log => Screen::Log(Box::default()),
            Go::Handover => match self.handover_to_open() {
                Ok(Some(view)) => Screen::Handover(Box::new(view)),
                Ok(None) => return self.offer_handover(),
                Err(e) => return self.fail(&e),
            },
            Go::HandoverPrepare => match self.user.clone().map(|me| self.desk.handover_prepare(&me)) {
                Some(Ok(record)) => Screen::Handover(Box::new(HandoverView::new(record))),
                Some(Err(e)) => return self.fail(&e),
                None => return,
            },
            Go::HandoverId(id) => match self.desk.handover(id) {
                Ok(record) => Screen::Handover(Box::new(HandoverView::new(record))),
                Err(e) => return self.fail(&e),
            },
            Go::Handovers => match self.desk.store().handovers(200) {
                Ok(list) => Screen::List(Box::new(ListView::handovers(list))),
                Err(e) => return self.fail(&e),
            },
            Go::Report => match ReportView::open(&cx) {
                Ok(view) => Screen::Report(Box::new(view)),
                Err(text) => return self.message = Some((text, true)),
            },
            Go::Visits => Screen::List(Box::new(ListView::visits())),
            Go::Urges => Screen::List(Box::new(ListView::urges())),
            Go::Setup if self.user.as_ref().is_some_and(|u| u.role == crate::domain::Role::Admin) => {
                Screen::Setup(Box::default())
            }
            Go::Setup => {
                let text = self
                    .desk
                    .words()
                    .rule(&crate::domain::RuleError::Role(crate::domain::Role::Admin));
                return self.message = Some((text, true));
            }
        };
        self.open(screen, now);
    }

    /// The handover waiting for me to review, else my own of my shift; none
    /// when I have not prepared one (`H` never makes one by itself).
    fn handover_to_open(&mut self) -> Result<Option<HandoverView>, StoreError> {
        let Some(me) = self.user.clone() else {
            return Err(StoreError::Rule(crate::domain::RuleError::Inactive));
        };
        let record = match self.desk.handovers_waiting_for(&me)?.first() {
            Some(h) => Some(self.desk.handover(h.id)?),
            None => self.desk.handover_current(&me)?,
        };
        Ok(record.map(HandoverView::new))
    }

    /// No handover of my shift yet: asks whether to prepare one, naming the shift.
    fn offer_handover(&mut self) {
        let Some(me) = self.user.clone() else { return };
        let words = self.desk.words();
        let tz = self.desk.policy.timezone;
        let shift = match self.desk.store().duty_of(me.id) {
            Ok(duty) => crate::domain::handover::shift_at(
                &self.desk.policy,
                duty.map_or_else(|| self.desk.now(), |d| d.shift_start),
            ),
            Err(e) => return self.fail(&e),
        };
        let text = words.tf(
            "ui.handover.offer_prepare",
            &[
                ("shift", words.t(shift.kind.label_key())),
                ("start", crate::words::time::show(shift.start, tz)),
                ("end", crate::words::time::show(shift.end, tz)),
            ],
        );
        self.overlay = Some(Overlay::ConfirmPrepare(text));
    }

    /// Opens a case's page over the current screen, with a step's form if asked.
    pub fn open_case(&mut self, number: &str, step: Option<crate::domain::StepKind>, now: Time) {
        let record = match self.desk.store().case(number) {
            Ok(record) => record,
            Err(e) => return self.fail(&e),
        };
        // The owner sees their confidential complainant; the viewing is recorded.
        let mut revealed = false;
        if record.case.intake.confidential
            && let Some(u) = self.user.clone()
            && u.id == record.case.owner
        {
            let reason = self.desk.words().t("cli.show.owner_view");
            revealed = self.desk.record_confidential_view(&u, number, &reason).is_ok();
        }
        self.open(Screen::Case(Box::new(CasePage::new(record, revealed))), now);
        if let (Some(kind), Screen::Case(page)) = (step, &mut self.screen) {
            let cx = Cx {
                desk: &self.desk,
                user: self.user.as_ref(),
                now,
                theme: self.theme,
            };
            let effect = page.open_step(kind, &cx);
            self.perform(effect, now);
        }
    }
}

impl App {
    /// Calls rung since the last look that are for these screens: the
    /// newest opens its page over whatever is in front (a form stays below
    /// it, its draft kept; Esc goes back to it).
    pub fn answer_rings(&mut self, now: crate::domain::Time) {
        let Some(me) = self.user.as_ref().map(|u| u.id) else {
            return;
        };
        let (newest, mine) = match self.desk.rings_for(self.rings_seen, me, self.station.as_deref()) {
            Ok(found) => found,
            Err(e) => return self.fail(&e),
        };
        self.rings_seen = newest;
        let Some(ring) = mine.into_iter().last() else { return };
        let cx = Cx {
            desk: &self.desk,
            user: self.user.as_ref(),
            now,
            theme: self.theme,
        };
        match super::call::Call::new(ring, &cx) {
            Ok(call) => self.open(Screen::Call(Box::new(call)), now),
            Err(e) => self.fail(&e),
        }
    }
}

/// Where the screens save a page (a handover, a report) for the clerk.
pub trait Files: std::fmt::Debug + Send {
    /// Saves `bytes` as `name` (the clerk's own, 0600); where it went.
    fn save(&mut self, name: &str, bytes: &[u8]) -> std::io::Result<std::path::PathBuf>;
}

/// Pages saved beside the desk file, by the clerk's own process.
#[derive(Debug)]
struct BesideDesk(std::path::PathBuf);

impl Files for BesideDesk {
    fn save(&mut self, name: &str, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
        let path = self.0.join(name);
        crate::paths::write_private(&path, bytes)?;
        Ok(path)
    }
}

fn folder_of(desk: &Desk) -> std::path::PathBuf {
    desk.store()
        .path()
        .parent()
        .map_or_else(|| std::path::PathBuf::from("."), std::path::Path::to_path_buf)
}
