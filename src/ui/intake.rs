//! Intake (登记) at the speed of a phone call: every field one key away, a
//! caller's earlier cases as soon as the phone number is typed, a draft on
//! every change.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::{App, CasePage, Screen};
use super::draft::DraftData;
use super::form::{Field, Form, coded};
use super::form_view::render_form;
use super::keymap::Action;
use crate::domain::{
    Channel, Complainant, Flag, IntakeForm, Kind, Origin, Severity, Time, complainant::normalize_phone,
};
use crate::store::{CaseFilter, CaseRow};
use crate::words::time::{DateOnly, parse_time};
use crate::words::{Lang, t, tf};

/// The intake screen's state.
#[derive(Debug)]
pub struct Intake {
    /// The form.
    pub form: Form,
    /// The caller's earlier cases (by phone).
    pub history: Vec<CaseRow>,
    /// The phone the history was looked up for.
    pub looked_up: Option<String>,
    /// The duty-log entry this case comes from; saving ends it.
    pub from_log: Option<i64>,
}

impl Intake {
    /// An empty form with good defaults (received = now, phone, complaint, minor).
    #[must_use]
    pub fn new(app: &App) -> Self {
        let lang = app.desk.lang;
        let _words = app.desk.words();
        let store = app.desk.store();
        let none = (t(lang, "ui.form.none"), String::new());
        let mut depts = vec![none.clone()];
        depts.extend(
            store
                .departments()
                .unwrap_or_default()
                .into_iter()
                .map(|d| (d.name, d.id.0.to_string())),
        );
        let mut staff = vec![none.clone()];
        staff.extend(
            store
                .staff()
                .unwrap_or_default()
                .into_iter()
                .map(|s| (s.actor.name, s.actor.id.0.to_string())),
        );
        let mut cats = vec![none];
        cats.extend(store.categories().unwrap_or_default().into_iter().map(|c| {
            let label = if lang == Lang::Zh { c.name_zh } else { c.name_en };
            (label, c.id.0.to_string())
        }));
        let fields = vec![
            Field::choice(
                "channel",
                "field.channel",
                coded(lang, Channel::ALL, Channel::code, Channel::label_key),
            ),
            Field::choice(
                "kind",
                "field.kind",
                coded(lang, Kind::ALL, Kind::code, Kind::label_key),
            ),
            Field::text("phone", "ui.intake.phone", ""),
            Field::text("name", "ui.intake.name", ""),
            Field::text("relation", "ui.intake.relation", ""),
            Field::toggle("anonymous", "ui.intake.anonymous", false),
            Field::toggle("confidential", "ui.intake.confidential", false),
            Field::choice("dept", "field.department", depts),
            Field::choice("staff", "ui.intake.staff", staff),
            Field::choice("category", "field.category", cats),
            Field::choice(
                "severity",
                "field.severity",
                coded(lang, Severity::ALL, Severity::code, Severity::label_key),
            ),
            Field::text("summary", "field.summary", ""),
            Field::area("details", "field.details", 4),
            Field::text("promise", "ui.intake.promise", ""),
            Field::text("received", "ui.intake.received", ""),
        ];
        Self {
            form: Form::new(fields),
            history: Vec::new(),
            looked_up: None,
            from_log: None,
        }
    }

    /// The form as a draft left it.
    #[must_use]
    pub fn from_draft(app: &App, data: &DraftData) -> Self {
        let mut i = Self::new(app);
        i.form.load_draft(data);
        i.form.dirty = true;
        i
    }
}

impl App {
    /// After every change: save the draft, look up the caller.
    pub fn intake_changed(&mut self, _now: Time) {
        let Screen::Intake(intake) = &mut self.screen else {
            return;
        };
        if let Some(u) = &self.user
            && intake.form.dirty
        {
            self.drafts.save(u.id, intake.form.to_draft());
        }
        let phone = normalize_phone(&intake.form.text("phone"));
        if phone != intake.looked_up {
            intake.looked_up.clone_from(&phone);
            intake.history = match phone {
                Some(key) => self
                    .desk
                    .store()
                    .list(
                        &CaseFilter {
                            caller_key: Some(key),
                            limit: 20,
                            ..CaseFilter::default()
                        },
                        self.user.as_ref(),
                    )
                    .unwrap_or_default(),
                None => Vec::new(),
            };
        }
    }

    /// Keys on the intake screen.
    pub fn apply_intake(&mut self, action: Action, now: Time) {
        let Screen::Intake(intake) = &mut self.screen else {
            return;
        };
        match action {
            Action::Save => self.save_intake(now),
            Action::Back => {
                let has_text = intake.form.has_text();
                self.back_from_form(has_text, now);
            }
            other => {
                if intake.form.apply(other) {
                    self.intake_changed(now);
                }
            }
        }
    }

    fn save_intake(&mut self, now: Time) {
        let lang = self.desk.lang;
        let words = self.desk.words();
        let Some(actor) = self.user.clone() else { return };
        let Screen::Intake(intake) = &mut self.screen else {
            return;
        };
        let f = &intake.form;
        let tz = self.desk.policy.timezone;
        let time = |name: &str, d: DateOnly| -> Result<Option<Time>, String> {
            f.opt(name)
                .map(|v| parse_time(&v, now, tz, d).map_err(|e| tf(lang, "cli.bad_time", &[("value", e.to_string())])))
                .transpose()
        };
        let (promise, received) = match (
            time("promise", DateOnly::EndOfDay),
            time("received", DateOnly::StartOfDay),
        ) {
            (Ok(p), Ok(r)) => (p, r),
            (Err(e), _) | (_, Err(e)) => {
                intake.form.error = Some(e);
                return;
            }
        };
        let id = |name: &str| {
            f.choice(name)
                .filter(|v| !v.is_empty())
                .and_then(|v| v.parse::<i64>().ok())
        };
        let complainant = if f.toggle("anonymous") {
            Complainant::Anonymous
        } else {
            Complainant::Named {
                name: f.text("name"),
                phone: f.opt("phone"),
                address: None,
                relation: f.opt("relation"),
            }
        };
        let channel = f
            .choice("channel")
            .and_then(|c| Channel::parse(&c).ok())
            .unwrap_or(Channel::Phone);
        let form = IntakeForm {
            number: String::new(),
            received_at: received,
            channel,
            kind: f
                .choice("kind")
                .and_then(|c| Kind::parse(&c).ok())
                .unwrap_or(Kind::Complaint),
            origin: Origin::of_channel(channel),
            complainant,
            confidential: f.toggle("confidential"),
            dept: id("dept").map(crate::domain::DeptId),
            subject_staff: id("staff").map(crate::domain::StaffId),
            category: id("category").map(crate::domain::CategoryId),
            severity: f
                .choice("severity")
                .and_then(|c| Severity::parse(&c).ok())
                .unwrap_or(Severity::Minor),
            summary: f.text("summary"),
            details: f.text("details"),
            promised_reply_at: promise,
            flags: Vec::<Flag>::new(),
        };
        let from_log = intake.from_log;
        match self.desk.intake(&actor, form) {
            Ok(record) => {
                self.drafts.discard(actor.id);
                let number = record.case.number().to_string();
                if let Some(id) = from_log {
                    let ending = crate::domain::handover::LogEnding::Case { number: number.clone() };
                    if let Err(e) = self.desk.log_resolve(&actor, id, &ending) {
                        self.fail(&e);
                    }
                    // Back goes to the log, not to the form.
                    if let Some(Screen::Log(list)) = self.back.last_mut() {
                        list.entries = self.desk.store().log_entries(false, 200).unwrap_or_default();
                    }
                }
                self.screen = Screen::Case(Box::new(CasePage::new(record, true, self.desk.store())));
                self.reload_queue(now);
                self.note(tf(lang, "cli.case_created", &[("number", number)]));
            }
            Err(e) => {
                let text = words.store(&e);
                if let Screen::Intake(intake) = &mut self.screen {
                    intake.form.error = Some(text);
                }
            }
        }
    }
}

/// Draws the intake screen.
pub fn render(app: &App, intake: &Intake, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let side = area.width >= 100;
    let [form_area, history_area] = if side {
        Layout::horizontal([Constraint::Fill(3), Constraint::Fill(2)]).areas(area)
    } else {
        let h = if intake.history.is_empty() { 0 } else { 4 };
        let [a, b] = Layout::vertical([Constraint::Fill(1), Constraint::Length(h)]).areas(area);
        [a, b]
    };
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.intake.title"));
    let inner = block.inner(form_area);
    frame.render_widget(block, form_area);
    render_form(&intake.form, lang, app.theme, frame, inner);
    if history_area.height == 0 {
        return;
    }
    let title = if intake.history.is_empty() {
        t(lang, "ui.intake.history")
    } else {
        tf(lang, "ui.intake.history_n", &[("n", intake.history.len().to_string())])
    };
    let window = app.desk.policy.escalation.repeat_window_days;
    let recent = intake
        .history
        .iter()
        .filter(|r| {
            (crate::store::list::from_secs(crate::store::secs(r.received_at))
                + chrono::Duration::days(i64::from(window)))
                > app.desk.now()
        })
        .count();
    let mut lines: Vec<Line<'_>> = Vec::new();
    if recent + 1 >= usize::try_from(app.desk.policy.escalation.repeat_caller_cases).unwrap_or(3) {
        lines.push(Line::from(Span::styled(
            tf(lang, "ui.intake.repeat_warning", &[("n", recent.to_string())]),
            app.theme.overdue(),
        )));
    }
    for r in &intake.history {
        lines.push(Line::from(format!(
            "{} {} {}",
            r.number,
            crate::domain::State::parse(&r.state)
                .map(|s| t(lang, &s.label_key()))
                .unwrap_or_default(),
            r.summary
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        history_area,
    );
}
