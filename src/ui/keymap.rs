//! Keys become named actions. One table drives key handling, the footer and the help screen:
//! a key shown in help is a key that works.

pub use crate::domain::StepKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while typing.
    Global,
    /// The queue (工作台).
    Queue,
    /// A case's page.
    Case,
    /// Any form (intake, a step, sign-in).
    Form,
    /// Search as you type.
    Search,
    /// The duty log.
    Log,
    /// The shift handover.
    Handover,
    /// The return-visit worklist (V).
    Visits,
    /// The replies to urge (U).
    Urges,
    /// Past handovers.
    History,
    /// Reports and statistics.
    Report,
    /// Signing in: pick a name, type the PIN.
    SignIn,
    /// The locked screen, waiting for the PIN.
    Lock,
    /// The desk's people and departments (admin).
    Setup,
    /// A call coming in: the caller's earlier cases.
    Call,
    /// The saved views' picker over the queue.
    Views,
}

impl Scope {
    /// Every scope, in the order help lists them after the screen in front.
    pub const ALL: [Scope; 16] = [
        Scope::Global,
        Scope::Queue,
        Scope::Case,
        Scope::Form,
        Scope::Search,
        Scope::Visits,
        Scope::Urges,
        Scope::Report,
        Scope::Log,
        Scope::Handover,
        Scope::History,
        Scope::SignIn,
        Scope::Lock,
        Scope::Setup,
        Scope::Call,
        Scope::Views,
    ];

    /// Keys without a binding are typed as text here, and the editing keys
    /// (←, →, Home, End, Backspace, Del) edit it.
    #[must_use]
    pub fn types_text(self) -> bool {
        matches!(self, Scope::Form | Scope::Search | Scope::SignIn | Scope::Lock)
    }
}

/// Everything a key can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Leave the program (drafts are kept).
    Quit,
    /// Show every key.
    Help,
    /// Back to the screen below, or close what is open.
    Back,
    /// Lock the screen.
    Lock,
    /// Search as you type.
    Search,
    /// Record a new case.
    NewCase,
    /// Save the form.
    Save,
    /// The quick phrases of the focused text field (常用语).
    Phrases,
    /// One row or field up.
    Up,
    /// One row or field down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// To the first row.
    Top,
    /// To the last row.
    Bottom,
    /// Open the selected row.
    Open,
    /// The next field.
    NextField,
    /// The previous field.
    PrevField,
    /// The cursor one character left.
    Left,
    /// The cursor one character right.
    Right,
    /// The cursor to the start of the field.
    Home,
    /// The cursor to the end of the field.
    End,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// A new line in a multi-line field, else the next field (or save on the last).
    Newline,
    /// The queue: my cases.
    FilterMine,
    /// The queue: all open cases.
    FilterAll,
    /// The queue: overdue cases.
    FilterOverdue,
    /// The queue: escalated cases.
    FilterEscalated,
    /// The queue: the next state.
    FilterState,
    /// Quick duty-log entry (from anywhere).
    LogEntry,
    /// The duty-log list.
    OpenLog,
    /// The shift handover.
    OpenHandover,
    /// Duty log: the entry became a case.
    LogToCase,
    /// Duty log: answered as an inquiry.
    LogAnswered,
    /// Duty log: carried over.
    LogCarry,
    /// Handover: tick or untick the selected checklist item.
    Tick,
    /// Handover: explain the selected item.
    Explain,
    /// Handover: write the cautions.
    Cautions,
    /// Handover: note a question (incoming).
    Question,
    /// Handover: sign with the PIN.
    Sign,
    /// Handover: answer the selected question (outgoing).
    AnswerQuestion,
    /// Handover: hand the selected case over with the handover, or no longer (outgoing).
    HandOver,
    /// Handover: export the printable document.
    Export,
    /// The reports screen.
    OpenReport,
    /// The return-visit worklist.
    OpenVisits,
    /// The overdue list to urge.
    OpenUrges,
    /// Reports: the next period.
    NextPeriod,
    /// Handover: past handovers.
    History,
    /// Reports: the next department (or all).
    NextDept,
    /// Reports: a period of chosen dates.
    CustomPeriod,
    /// A lifecycle step on the open case.
    Step(StepKind),
    /// See a confidential complainant, giving a reason (recorded).
    Reveal,
    /// Case: save the visitor's receipt (回执) as a printable page.
    Receipt,
    /// Open the case's next linked case (Esc comes back; again, the one after).
    OpenLinked,
    /// Case: link it to another case.
    Link,
    /// Case: join a batch incident.
    JoinBatch,
    /// The desk's people and departments (admin).
    OpenSetup,
    /// Setup: add a department.
    AddDepartment,
    /// Setup: add a staff member.
    AddStaff,
    /// Setup: deactivate or reactivate the selected staff member.
    StaffActive,
    /// The queue's view: change a part, save it, pick or recall a saved one.
    View(ViewKey),
}

/// One row of the keymap.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    /// Where it works.
    pub scope: Scope,
    /// The key.
    pub key: Key,
    /// What it does.
    pub action: Action,
    /// i18n key of its description.
    pub help: &'static str,
    /// Shown in the footer.
    pub footer: bool,
}

const fn b(scope: Scope, key: Key, action: Action, help: &'static str, footer: bool) -> Binding {
    Binding {
        scope,
        key,
        action,
        help,
        footer,
    }
}

use Action as A;
use Scope as S;
use StepKind as K;
use ViewKey as W;

/// The whole keymap.
pub const BINDINGS: &[Binding] = &[
    b(S::Global, Key::ctrl('l'), A::Lock, "ui.key.lock", false),
    b(S::Global, Key::plain(KeyCode::F(1)), A::Help, "ui.key.help", false),
    b(S::Global, Key::ctrl('c'), A::Quit, "ui.key.quit", false),
    b(
        S::Global,
        Key::plain(KeyCode::F(2)),
        A::LogEntry,
        "ui.key.log_entry",
        false,
    ),
    b(S::Queue, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::Queue, Key::ch('/'), A::Search, "ui.key.search", true),
    b(S::Queue, Key::ch('n'), A::NewCase, "ui.key.new_case", true),
    b(S::Queue, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Queue, Key::ch('q'), A::Quit, "ui.key.quit", true),
    b(S::Queue, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Queue, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(S::Queue, Key::ch('k'), A::Up, "ui.key.up", false),
    b(S::Queue, Key::ch('j'), A::Down, "ui.key.down", false),
    b(
        S::Queue,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Queue,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        false,
    ),
    b(S::Queue, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Queue, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Queue, Key::ch('1'), A::FilterMine, "ui.key.filter_mine", true),
    b(S::Queue, Key::ch('2'), A::FilterAll, "ui.key.filter_all", true),
    b(S::Queue, Key::ch('3'), A::FilterOverdue, "ui.key.filter_overdue", true),
    b(
        S::Queue,
        Key::ch('4'),
        A::FilterEscalated,
        "ui.key.filter_escalated",
        true,
    ),
    b(S::Queue, Key::ch('5'), A::FilterState, "ui.key.filter_state", true),
    b(S::Queue, Key::ch('L'), A::OpenLog, "ui.key.open_log", true),
    b(S::Queue, Key::ch('H'), A::OpenHandover, "ui.key.open_handover", true),
    b(S::Queue, Key::ch('V'), A::OpenVisits, "ui.key.open_visits", true),
    b(S::Queue, Key::ch('U'), A::OpenUrges, "ui.key.open_urges", false),
    b(S::Queue, Key::ch('S'), A::OpenReport, "ui.key.open_report", true),
    b(S::Queue, Key::ch('D'), A::OpenSetup, "ui.key.open_setup", false),
    b(S::Queue, Key::ch('w'), A::View(W::Whose), "view.key_whose", false),
    b(S::Queue, Key::ch('o'), A::View(W::Overdue), "view.key_overdue", false),
    b(S::Queue, Key::ch('e'), A::View(W::Escalated), "view.key_esc", false),
    b(S::Queue, Key::ch('t'), A::View(W::State), "view.key_state", false),
    b(S::Queue, Key::ch('d'), A::View(W::Due), "view.key_due", false),
    b(S::Queue, Key::ch('s'), A::View(W::Sort), "view.key_sort", false),
    b(S::Queue, Key::ctrl('s'), A::View(W::Save), "view.key_save", false),
    b(S::Queue, Key::ch('v'), A::View(W::Picker), "view.key_picker", false),
    b(S::Queue, Key::alt('1'), A::View(W::Recall(1)), "view.key_recall", false),
    b(S::Queue, Key::alt('2'), A::View(W::Recall(2)), "view.key_recall", false),
    b(S::Queue, Key::alt('3'), A::View(W::Recall(3)), "view.key_recall", false),
    b(S::Queue, Key::alt('4'), A::View(W::Recall(4)), "view.key_recall", false),
    b(S::Queue, Key::alt('5'), A::View(W::Recall(5)), "view.key_recall", false),
    b(S::Queue, Key::alt('6'), A::View(W::Recall(6)), "view.key_recall", false),
    b(S::Queue, Key::alt('7'), A::View(W::Recall(7)), "view.key_recall", false),
    b(S::Queue, Key::alt('8'), A::View(W::Recall(8)), "view.key_recall", false),
    b(S::Queue, Key::alt('9'), A::View(W::Recall(9)), "view.key_recall", false),
    b(S::Views, Key::plain(KeyCode::Enter), A::Open, "view.recalled_key", true),
    b(S::Views, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Views, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(S::Views, Key::ch('x'), A::View(W::Remove), "view.key_remove", true),
    b(S::Views, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Setup, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::Setup, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Call, Key::ch('n'), A::NewCase, "ui.key.call_new", true),
    b(S::Call, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Call, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Call, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Call, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(S::Setup, Key::ch('d'), A::AddDepartment, "ui.key.add_dept", true),
    b(S::Setup, Key::ch('s'), A::AddStaff, "ui.key.add_staff", true),
    b(S::Setup, Key::ch('x'), A::StaffActive, "ui.key.staff_active", true),
    b(S::Setup, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Setup, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(S::Case, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::Case, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Case, Key::ch('/'), A::Search, "ui.key.search", false),
    b(S::Case, Key::ch('n'), A::NewCase, "ui.key.new_case", false),
    b(S::Case, Key::plain(KeyCode::Up), A::Up, "ui.key.scroll_up", false),
    b(S::Case, Key::plain(KeyCode::Down), A::Down, "ui.key.scroll_down", false),
    b(S::Case, Key::plain(KeyCode::PageUp), A::PageUp, "ui.key.page_up", false),
    b(
        S::Case,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        false,
    ),
    b(S::Case, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Case, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Case, Key::ch('m'), A::Step(K::Promise), "action.promise", false),
    b(S::Case, Key::ch('o'), A::Step(K::Answer), "action.answer", false),
    b(S::Case, Key::ch('g'), A::Step(K::Refer), "action.refer", false),
    b(S::Case, Key::ch('a'), A::Step(K::Assign), "action.assign", true),
    b(S::Case, Key::ch('u'), A::Step(K::Urge), "action.urge", true),
    b(S::Case, Key::ch('e'), A::Step(K::Extend), "action.extend", false),
    b(S::Case, Key::ch('p'), A::Step(K::Pause), "action.pause", false),
    b(S::Case, Key::ch('P'), A::Step(K::Resume), "action.resume", false),
    b(S::Case, Key::ch('r'), A::Step(K::Reply), "action.reply", true),
    b(S::Case, Key::ch('K'), A::Step(K::Review), "action.review", false),
    b(S::Case, Key::ch('L'), A::Step(K::Release), "action.release", false),
    b(S::Case, Key::ch('Q'), A::Step(K::Quality), "action.quality", false),
    b(S::Case, Key::ch('f'), A::Step(K::Feedback), "action.feedback", true),
    b(S::Case, Key::ch('v'), A::Step(K::Visit), "action.visit", true),
    b(
        S::Case,
        Key::ch('x'),
        A::Step(K::VisitFailed),
        "action.visit_failed",
        false,
    ),
    b(S::Case, Key::ch('E'), A::Step(K::Escalate), "action.escalate", false),
    b(S::Case, Key::ch('F'), A::Step(K::Flag), "action.flag", false),
    b(S::Case, Key::ch('t'), A::Step(K::Transfer), "action.transfer", false),
    b(S::Case, Key::ch('A'), A::Step(K::Accept), "action.accept", false),
    b(S::Case, Key::ch('R'), A::Step(K::Reopen), "action.reopen", false),
    b(S::Case, Key::ch('c'), A::Step(K::Close), "action.close", true),
    b(S::Case, Key::ch('W'), A::Step(K::Withdraw), "action.withdraw", false),
    b(S::Case, Key::ch('y'), A::Step(K::FollowUp), "action.follow_up", false),
    b(S::Case, Key::ch('Z'), A::Step(K::Archive), "action.archive", false),
    b(S::Case, Key::ch('i'), A::Reveal, "action.reveal", false),
    b(S::Case, Key::ch('h'), A::Receipt, "ui.key.receipt", false),
    b(S::Case, Key::ch('J'), A::OpenLinked, "ui.key.open_linked", false),
    b(S::Case, Key::ch('l'), A::Link, "action.link", false),
    b(S::Case, Key::ch('B'), A::JoinBatch, "action.join_batch", false),
    b(S::Case, Key::ch('b'), A::Step(K::Note), "action.note", false),
    b(S::Case, Key::ch('C'), A::Step(K::Correct), "action.correct", false),
    b(S::Form, Key::ctrl('s'), A::Save, "ui.key.save", true),
    b(S::Form, Key::ctrl('p'), A::Phrases, "ui.key.phrases", false),
    b(S::Form, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(
        S::Form,
        Key::plain(KeyCode::Tab),
        A::NextField,
        "ui.key.next_field",
        true,
    ),
    b(
        S::Form,
        Key::plain(KeyCode::BackTab),
        A::PrevField,
        "ui.key.prev_field",
        false,
    ),
    b(S::Form, Key::plain(KeyCode::Up), A::Up, "ui.key.choice_up", true),
    b(S::Form, Key::plain(KeyCode::Down), A::Down, "ui.key.choice_down", false),
    b(
        S::Form,
        Key::plain(KeyCode::Enter),
        A::Newline,
        "ui.key.enter_field",
        false,
    ),
    b(S::Log, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Log, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Log, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(S::Log, Key::ch('c'), A::LogToCase, "ui.key.log_to_case", true),
    b(S::Log, Key::ch('a'), A::LogAnswered, "ui.key.log_answered", true),
    b(S::Log, Key::ch('o'), A::LogCarry, "ui.key.log_carry", true),
    b(S::Log, Key::ch('n'), A::LogEntry, "ui.key.log_entry", true),
    b(S::Log, Key::ch('?'), A::Help, "ui.key.help", false),
    b(S::Handover, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Handover, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Handover, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::Handover,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Handover,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        false,
    ),
    b(S::Handover, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Handover, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Handover, Key::ch(' '), A::Tick, "ui.key.tick", true),
    b(S::Handover, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Handover, Key::ch('x'), A::Explain, "ui.key.explain", false),
    b(S::Handover, Key::ch('w'), A::Cautions, "ui.key.cautions", true),
    b(S::Handover, Key::ch('?'), A::Help, "ui.key.help", false),
    b(S::Handover, Key::ch('k'), A::Question, "ui.key.question", true),
    b(
        S::Handover,
        Key::ch('a'),
        A::AnswerQuestion,
        "ui.key.answer_question",
        true,
    ),
    b(S::Handover, Key::ch('t'), A::HandOver, "ui.key.hand_over", true),
    b(S::Handover, Key::ch('s'), A::Sign, "ui.key.sign", true),
    b(S::Handover, Key::ch('e'), A::Export, "ui.key.export", false),
    b(S::Handover, Key::ch('h'), A::History, "ui.key.history", false),
    b(S::Visits, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Visits, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Visits, Key::ch('v'), A::Step(K::Visit), "action.visit", true),
    b(
        S::Visits,
        Key::ch('x'),
        A::Step(K::VisitFailed),
        "action.visit_failed",
        true,
    ),
    b(
        S::Visits,
        Key::plain(KeyCode::Tab),
        A::NextField,
        "ui.key.next_section",
        true,
    ),
    b(S::Visits, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Visits, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::Visits,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Visits,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        true,
    ),
    b(S::Visits, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Visits, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Visits, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::Urges, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Urges, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Urges, Key::ch('u'), A::Step(K::Urge), "action.urge", true),
    b(S::Urges, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Urges, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::Urges,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Urges,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        true,
    ),
    b(S::Urges, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Urges, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Urges, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::History, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::History, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::History, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::History, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::History,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::History,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        true,
    ),
    b(S::History, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::History, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::History, Key::ch('?'), A::Help, "ui.key.help", true),
    b(S::Report, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Report, Key::ch('p'), A::NextPeriod, "ui.key.next_period", true),
    b(S::Report, Key::ch('c'), A::CustomPeriod, "ui.key.custom_period", true),
    b(S::Report, Key::ch('d'), A::NextDept, "ui.key.next_dept", true),
    b(S::Report, Key::ch('e'), A::Export, "ui.key.export", true),
    b(S::Report, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Report, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::Report,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Report,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        false,
    ),
    b(S::Report, Key::plain(KeyCode::Home), A::Top, "ui.key.top", false),
    b(S::Report, Key::plain(KeyCode::End), A::Bottom, "ui.key.bottom", false),
    b(S::Report, Key::ch('?'), A::Help, "ui.key.help", true),
    b(
        S::SignIn,
        Key::plain(KeyCode::Enter),
        A::Newline,
        "ui.key.sign_in_next",
        true,
    ),
    b(
        S::SignIn,
        Key::plain(KeyCode::Tab),
        A::NextField,
        "ui.key.name_or_pin",
        true,
    ),
    b(
        S::SignIn,
        Key::plain(KeyCode::BackTab),
        A::PrevField,
        "ui.key.name_or_pin",
        false,
    ),
    b(S::SignIn, Key::plain(KeyCode::Up), A::Up, "ui.key.pick_name", true),
    b(S::SignIn, Key::plain(KeyCode::Down), A::Down, "ui.key.pick_name", false),
    b(S::SignIn, Key::ctrl('s'), A::Save, "ui.key.sign_in_next", false),
    b(
        S::SignIn,
        Key::plain(KeyCode::Esc),
        A::Back,
        "ui.key.sign_in_back",
        true,
    ),
    b(S::Lock, Key::plain(KeyCode::Enter), A::Newline, "ui.key.unlock", true),
    b(S::Lock, Key::ctrl('s'), A::Save, "ui.key.unlock", false),
    b(S::Lock, Key::plain(KeyCode::Esc), A::Back, "ui.key.switch_user", true),
    b(S::Search, Key::plain(KeyCode::Esc), A::Back, "ui.key.back", true),
    b(S::Search, Key::plain(KeyCode::Enter), A::Open, "ui.key.open", true),
    b(S::Search, Key::plain(KeyCode::Up), A::Up, "ui.key.up", false),
    b(S::Search, Key::plain(KeyCode::Down), A::Down, "ui.key.down", false),
    b(
        S::Search,
        Key::plain(KeyCode::PageUp),
        A::PageUp,
        "ui.key.page_up",
        false,
    ),
    b(
        S::Search,
        Key::plain(KeyCode::PageDown),
        A::PageDown,
        "ui.key.page_down",
        true,
    ),
];

/// Editing keys inside any text field (not shown in the footer).
const EDITING: &[(KeyCode, Action)] = &[
    (KeyCode::Left, A::Left),
    (KeyCode::Right, A::Right),
    (KeyCode::Home, A::Home),
    (KeyCode::End, A::End),
    (KeyCode::Backspace, A::Backspace),
    (KeyCode::Delete, A::Delete),
];

/// The action a key asks for in `scope`, if any (global bindings first).
#[must_use]
pub fn lookup(scope: Scope, ev: &KeyEvent) -> Option<Action> {
    let found = BINDINGS
        .iter()
        .filter(|b| b.scope == Scope::Global)
        .chain(BINDINGS.iter().filter(|b| b.scope == scope))
        .find(|b| b.key.matches(ev))
        .map(|b| b.action);
    found.or_else(|| {
        if scope.types_text() && ev.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE {
            EDITING.iter().find(|(k, _)| *k == ev.code).map(|(_, a)| *a)
        } else {
            None
        }
    })
}

/// Bindings of `scope` for the footer.
pub fn footer(scope: Scope) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.scope == scope && b.footer)
}

mod key;
#[cfg(test)]
mod tests;
mod view_key;
pub use key::Key;
pub use view_key::ViewKey;
