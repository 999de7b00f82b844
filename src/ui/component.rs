//! A screen is a component: it owns its state, handles its own keys and says
//! what should happen next as an [`Effect`], and draws itself from `&self`.
//! Screens read the desk through [`Cx`] (a `&Desk`, which cannot write); every
//! write they want is an [`Effect::Write`], carried out by the app in one place,
//! and its outcome comes back to the screen that asked.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::keymap::{Action, Scope};
use super::theme::Theme;
use crate::desk::Desk;
use crate::domain::handover::{DutyLogEntry, LogEnding};
use crate::domain::{Actor, Channel, Command, IntakeForm, Time};
use crate::store::duty::HandoverRecord;
use crate::store::{CaseRecord, StoreError};
use crate::words::{Lang, Words};

/// What a screen may look at while it handles a key or draws: the desk (to read),
/// who is signed in, the time and the colours.
#[derive(Clone, Copy)]
pub struct Cx<'a> {
    /// The desk, to read from.
    pub desk: &'a Desk,
    /// Who is signed in.
    pub user: Option<&'a Actor>,
    /// Now.
    pub now: Time,
    /// Colours.
    pub theme: Theme,
}

impl Cx<'_> {
    /// The clerk's language.
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.desk.lang
    }

    /// The desk's words (language and time zone).
    #[must_use]
    pub fn words(&self) -> Words {
        self.desk.words()
    }
}

/// A screen to open; the app reads what it needs to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Go {
    /// A case's page, by number.
    Case(String),
    /// A case's page with a step's form open on it.
    CaseStep(String, crate::domain::StepKind),
    /// A new intake.
    NewCase,
    /// A new intake with the caller's phone filled in (a call coming in).
    NewCaseFrom(String),
    /// An intake prefilled from a duty-log entry; saving it ends the entry.
    CaseFromLog(DutyLogEntry),
    /// Search.
    Search,
    /// The quick duty-log entry.
    LogEntry,
    /// The duty-log list.
    Log,
    /// The handover waiting for me, else my own (offered, not made, when there is none).
    Handover,
    /// Prepares my handover of my shift (made if new) and opens it.
    HandoverPrepare,
    /// A handover, by id.
    HandoverId(i64),
    /// Past handovers.
    Handovers,
    /// Reports.
    Report,
    /// The return-visit worklist.
    Visits,
    /// The overdue replies to urge.
    Urges,
    /// The desk's people and departments (admin).
    Setup,
}

/// A change to a handover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoverChange {
    /// The cautions.
    Cautions(String),
    /// A checklist item ticked or not, with a note when not.
    Check {
        /// The item.
        item: String,
        /// Ticked.
        ticked: bool,
        /// Why not.
        note: Option<String>,
    },
    /// A question of the incoming clerk.
    Ask(String),
    /// The outgoing clerk's answer to question `question` (from 0).
    Answer {
        /// Which question.
        question: usize,
        /// The answer.
        text: String,
    },
    /// Hands case `number` over with the handover (`on`), or no longer.
    HandOver {
        /// The case.
        number: String,
        /// Hand it over.
        on: bool,
    },
    /// Signs the handover with the PIN (out or in, whichever is mine).
    Sign {
        /// The signer's PIN.
        pin: String,
    },
}

/// A write a screen asks for.
#[derive(Debug)]
pub enum Write {
    /// A lifecycle step on a case, based on the version the screen shows.
    Step {
        /// Case number.
        number: String,
        /// The version read.
        version: i64,
        /// The step.
        command: Command,
    },
    /// Case `number` linked to case `other`.
    Link {
        /// This case.
        number: String,
        /// The other case.
        other: String,
        /// How, from this case.
        relation: crate::domain::LinkRelation,
        /// Why.
        reason: String,
    },
    /// Case `number` joins batch incident `batch`.
    JoinBatch {
        /// The case.
        number: String,
        /// The batch's number.
        batch: String,
    },
    /// Looking at a confidential complainant, with the reason.
    Reveal {
        /// Case number.
        number: String,
        /// Why.
        reason: String,
    },
    /// A new case, perhaps ending a duty-log entry.
    Intake {
        /// The form.
        form: Box<IntakeForm>,
        /// The duty-log entry it comes from.
        from_log: Option<i64>,
    },
    /// A new duty-log entry.
    LogAdd {
        /// How it came in.
        channel: Channel,
        /// Who.
        who: String,
        /// What.
        what: String,
        /// What was done.
        action: String,
    },
    /// Ends a duty-log entry.
    LogResolve {
        /// The entry.
        id: i64,
        /// How.
        ending: LogEnding,
    },
    /// Changes a handover.
    Handover {
        /// The handover.
        id: i64,
        /// The change.
        change: HandoverChange,
    },
    /// Signs in.
    SignIn {
        /// Who.
        name: String,
        /// Their PIN.
        pin: String,
    },
    /// A new department (admin).
    AddDepartment {
        /// Its name.
        name: String,
        /// How to reach it.
        phone: Option<String>,
    },
    /// A new staff member with a PIN (admin).
    AddStaff {
        /// Their name.
        name: String,
        /// Their role.
        role: crate::domain::Role,
        /// Their department.
        dept: Option<crate::domain::DeptId>,
        /// Their PIN.
        pin: String,
    },
    /// A staff member deactivated or reactivated (admin).
    StaffActive {
        /// Who.
        name: String,
        /// Active from now on.
        active: bool,
    },
    /// Saves the queue's view as one of my own, by name.
    SaveView {
        /// Its name.
        name: String,
        /// Its parts.
        view: crate::domain::view::View,
    },
    /// Removes one of my saved views.
    RemoveView {
        /// Its name.
        name: String,
    },
    /// Creates the desk's first admin.
    InitDesk {
        /// The admin's name.
        name: String,
        /// The PIN.
        pin: String,
    },
}

/// What a write came to.
#[derive(Debug)]
pub enum Written {
    /// The case as it is now.
    Case(Box<CaseRecord>),
    /// Done; nothing to show but a note.
    Done,
    /// The new duty-log entry.
    LogEntry(DutyLogEntry),
    /// The handover as it is now.
    Handover(Box<HandoverRecord>),
    /// Signed in.
    SignedIn(Actor),
}

/// What should happen after a key.
#[derive(Debug, Default)]
pub enum Effect {
    /// Nothing more.
    #[default]
    None,
    /// A note in the status line.
    Note(String),
    /// An error in the status line.
    Error(String),
    /// A store error, put into words by the app.
    Fail(StoreError),
    /// Opens a screen over this one.
    Go(Go),
    /// Shows this case's page in place of the screen in front (a case just recorded).
    ShowCase(Box<CaseRecord>),
    /// Back to the screen below.
    Back,
    /// Leaves a form (asking first when something was typed).
    Leave {
        /// Something was typed.
        typed: bool,
    },
    /// A write through the desk; its outcome comes back to this screen.
    Write(Write),
    /// Saves a file that leaves the desk (a printed page), then says where.
    SaveFile {
        /// The file's name; the folder is the app's (see [`super::app::Files`]).
        name: String,
        /// What.
        contents: String,
    },
    /// Keeps what the intake form holds as a draft.
    SaveDraft(super::draft::DraftData),
    /// Drops the intake draft (the case was saved, or the clerk left the form).
    DiscardDraft,
    /// Someone signed in (or created the desk): the queue, and any draft of theirs.
    SignedIn(Actor),
    /// Says that typed text was cut at the field's limit.
    FieldLimit,
    /// Leaves the program.
    Quit,
    /// Several effects, in order.
    Many(Vec<Effect>),
}

impl Effect {
    /// `self`, then `next`.
    #[must_use]
    pub fn then(self, next: Effect) -> Effect {
        match (self, next) {
            (Effect::None, e) | (e, Effect::None) => e,
            (Effect::Many(mut v), e) => {
                v.push(e);
                Effect::Many(v)
            }
            (a, b) => Effect::Many(vec![a, b]),
        }
    }
}

/// Text typed into a form, if one is open; [`Effect::FieldLimit`] when the field's limit cut it.
#[must_use]
pub fn typed_into(form: Option<&mut super::form::Form>, text: &str) -> Effect {
    match form.map(|form| form.type_text(text)) {
        Some(false) => Effect::FieldLimit,
        _ => Effect::None,
    }
}

/// A screen.
pub trait Component {
    /// Where its keys are looked up.
    fn scope(&self) -> Scope;

    /// An action on this screen.
    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect;

    /// Typed or pasted text ([`Effect::FieldLimit`] when a field's limit cut it).
    fn on_text(&mut self, _text: &str, _cx: &Cx<'_>) -> Effect {
        Effect::None
    }

    /// What a write this screen asked for came to (the error in words).
    fn on_written(&mut self, _result: Result<Written, String>, _cx: &Cx<'_>) -> Effect {
        Effect::None
    }

    /// The clerk leaves the screen (Esc, or confirmed after typing).
    fn on_leave(&mut self) -> Effect {
        Effect::Back
    }

    /// The desk changed (another terminal, or a write): read what is shown again.
    fn on_refresh(&mut self, _cx: &Cx<'_>) -> Effect {
        Effect::None
    }

    /// Draws itself.
    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>);
}
