//! Intake (登记) at the speed of a phone call: every field one key away, a
//! caller's earlier cases as soon as the phone number is typed, a draft on
//! every change.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::component::{Component, Cx, Effect, Write, Written};
use super::form::{Field, Form, coded};
use super::form_view::render_form;
use super::keymap::{Action, Scope};
use crate::domain::handover::DutyLogEntry;
use crate::domain::{
    Channel, Complainant, Flag, IntakeForm, Kind, Origin, Severity, Time, complainant::normalize_phone,
};
use crate::store::{CaseFilter, CaseRow, StoreError};
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
    /// The duty-log entry this case comes from; saving it ends the entry.
    pub from_log: Option<i64>,
}

/// The choices of the intake form that come from the desk.
fn choices(cx: &Cx<'_>) -> Result<[Vec<(String, String)>; 2], StoreError> {
    let lang = cx.lang();
    let store = cx.desk.store();
    let none = (t(lang, "ui.form.none"), String::new());
    let mut depts = vec![none.clone()];
    depts.extend(store.departments()?.into_iter().map(|d| (d.name, d.id.0.to_string())));
    let mut cats = vec![none];
    cats.extend(store.categories()?.into_iter().map(|c| {
        let label = if lang == Lang::Zh { c.name_zh } else { c.name_en };
        (label, c.id.0.to_string())
    }));
    Ok([depts, cats])
}

impl Intake {
    /// An empty form with good defaults (received = now, phone, complaint, minor).
    #[must_use]
    pub fn new(cx: &Cx<'_>) -> Self {
        let lang = cx.lang();
        let (read, error) = match choices(cx) {
            Ok(c) => (c, None),
            Err(e) => (Default::default(), Some(cx.words().store(&e))),
        };
        let [depts, cats] = read;
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
            Field::text("address", "ui.intake.address", ""),
            Field::toggle("anonymous", "ui.intake.anonymous", false),
            Field::toggle("confidential", "ui.intake.confidential", false),
            Field::choice("dept", "field.department", depts),
            // Anyone of the people directory (a name or job number), a desk
            // account, or a name typed freely (recorded as unlisted).
            Field::text("subject", "ui.intake.staff", ""),
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
        let mut form = Form::new(fields);
        form.error = error;
        let mut intake = Self {
            form,
            history: Vec::new(),
            looked_up: None,
            from_log: None,
        };
        intake.label_by_kind();
        intake
    }

    /// The form for a call coming in: the caller's phone filled in, their
    /// earlier cases looked up.
    #[must_use]
    pub fn for_caller(cx: &Cx<'_>, phone: &str) -> Self {
        let mut intake = Intake::new(cx);
        intake.form.set_text("phone", phone);
        intake.look_up(cx);
        intake
    }

    /// The form prefilled from a duty-log entry; saving it ends the entry.
    #[must_use]
    pub fn from_log(cx: &Cx<'_>, entry: &DutyLogEntry) -> Self {
        let mut intake = Intake::new(cx);
        let (name, phone) = split_who(&entry.who);
        intake.form.set_text("name", &name);
        intake.form.set_text("phone", &phone);
        intake.form.set_text("summary", &entry.what);
        intake.form.set_text("details", &entry.action);
        intake.from_log = Some(entry.id);
        intake.form.dirty = true;
        intake.look_up(cx);
        intake
    }

    /// The complainant's and the subject's labels follow the kind: an inquiry
    /// has an inquirer, a praise a person praised.
    fn label_by_kind(&mut self) {
        let kind = self
            .form
            .choice("kind")
            .and_then(|c| Kind::parse(&c).ok())
            .unwrap_or(Kind::Complaint);
        self.form.relabel("name", crate::words::person_key(kind));
        self.form.relabel("subject", crate::words::subject_key(kind));
    }

    /// After every change: keep the draft, look up the caller.
    fn changed(&mut self, cx: &Cx<'_>) -> Effect {
        self.label_by_kind();
        let draft = if self.form.dirty {
            Effect::SaveDraft(self.form.to_draft())
        } else {
            Effect::None
        };
        draft.then(self.look_up(cx))
    }

    /// The caller's earlier cases, when the phone typed is a new one.
    fn look_up(&mut self, cx: &Cx<'_>) -> Effect {
        let phone = normalize_phone(&self.form.text("phone"));
        if phone == self.looked_up {
            return Effect::None;
        }
        self.looked_up.clone_from(&phone);
        let Some(key) = phone else {
            self.history.clear();
            return Effect::None;
        };
        let filter = CaseFilter {
            caller_key: Some(key),
            limit: 20,
            ..CaseFilter::default()
        };
        match cx.desk.store().list(&filter, cx.user) {
            Ok(rows) => {
                self.history = rows;
                self.offer_name();
                Effect::None
            }
            Err(e) => {
                self.history.clear();
                Effect::Fail(e)
            }
        }
    }

    /// A known caller's name, from their latest case, goes into an empty name field.
    fn offer_name(&mut self) {
        if !self.form.text("name").is_empty() {
            return;
        }
        if let Some(name) = self.known_name() {
            self.form.set_text("name", &name);
        }
    }

    /// The name the caller gave last time, when the clerk may see it.
    fn known_name(&self) -> Option<String> {
        self.history
            .iter()
            .filter_map(|r| r.complainant.clone())
            .find(|n| !n.trim().is_empty() && !n.contains('*'))
    }

    /// The engine's intake form from what was typed, or why not.
    fn intake_form(&self, cx: &Cx<'_>) -> Result<IntakeForm, String> {
        let f = &self.form;
        let (lang, tz, now) = (cx.lang(), cx.desk.policy.timezone, cx.now);
        let time = |name: &str, d: DateOnly| -> Result<Option<Time>, String> {
            f.opt(name)
                .map(|v| parse_time(&v, now, tz, d).map_err(|e| crate::words::time::refused(lang, &e.0)))
                .transpose()
        };
        let promise = time("promise", DateOnly::EndOfDay)?;
        let received = time("received", DateOnly::StartOfDay)?;
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
                address: f.opt("address"),
                relation: f.opt("relation"),
            }
        };
        let channel = f
            .choice("channel")
            .and_then(|c| Channel::parse(&c).ok())
            .unwrap_or(Channel::Phone);
        let mut form = IntakeForm {
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
            subject_staff: None,
            subject_person: None,
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
        // The person typed, found in the directory (an ambiguous name lists
        // its people by job number; what was typed stays in the form).
        cx.desk
            .fill_subject(&mut form, &f.text("subject"))
            .map_err(|e| cx.words().store(&e))?;
        Ok(form)
    }
}

impl Component for Intake {
    fn scope(&self) -> Scope {
        Scope::Form
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        match action {
            Action::Save => match self.intake_form(cx) {
                Ok(form) => Effect::Write(Write::Intake {
                    form: Box::new(form),
                    from_log: self.from_log,
                }),
                Err(e) => {
                    self.form.error = Some(e);
                    Effect::None
                }
            },
            Action::Back => Effect::Leave {
                typed: self.form.has_text(),
            },
            other if self.form.apply(other) => self.changed(cx),
            _ => Effect::None,
        }
    }

    fn on_text(&mut self, text: &str, cx: &Cx<'_>) -> Effect {
        let whole = self.form.type_text(text);
        let effect = self.changed(cx);
        if whole { effect } else { effect.then(Effect::FieldLimit) }
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::Case(record)) => {
                let number = record.case.number().to_string();
                Effect::ShowCase(record).then(Effect::Note(tf(cx.lang(), "cli.case_created", &[("number", number)])))
            }
            Ok(_) => Effect::None,
            Err(text) => {
                self.form.error = Some(text);
                Effect::None
            }
        }
    }

    fn on_leave(&mut self) -> Effect {
        Effect::DiscardDraft.then(Effect::Back)
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        self.look_up(cx)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// Who called, as a duty-log entry wrote it (`钱先生 13600009999`), split into
/// a name and a phone: the phone is the run of digits (with `+ - ( )` and
/// spaces) of at least 7 digits; the rest is the name.
fn split_who(who: &str) -> (String, String) {
    let phone_char = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || "+-() （）".contains(c);
    let mut best: Option<(usize, usize)> = None;
    let mut start = None;
    let chars: Vec<(usize, char)> = who.char_indices().collect();
    for (i, &(at, c)) in chars.iter().enumerate() {
        if phone_char(c) {
            start.get_or_insert(at);
        }
        let ends = !phone_char(c) || i + 1 == chars.len();
        if ends && let Some(from) = start.take() {
            let to = if phone_char(c) { at + c.len_utf8() } else { at };
            let digits = who[from..to]
                .chars()
                .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
                .count();
            if digits >= 7 {
                best = Some((from, to));
            }
        }
    }
    match best {
        Some((from, to)) => {
            let name = format!("{} {}", who[..from].trim(), who[to..].trim());
            let name = name
                .trim()
                .trim_matches(|c: char| "，,:：".contains(c))
                .trim()
                .to_string();
            (name, who[from..to].trim().to_string())
        }
        None => (who.trim().to_string(), String::new()),
    }
}

/// Draws the intake screen.
fn render(cx: &Cx<'_>, intake: &Intake, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
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
    render_form(&intake.form, lang, cx.theme, frame, inner);
    if history_area.height == 0 {
        return;
    }
    let title = match (intake.history.is_empty(), intake.known_name()) {
        (true, _) => t(lang, "ui.intake.history"),
        (false, Some(name)) => tf(
            lang,
            "ui.intake.history_known",
            &[("n", intake.history.len().to_string()), ("name", name)],
        ),
        (false, None) => tf(lang, "ui.intake.history_n", &[("n", intake.history.len().to_string())]),
    };
    let window = cx.desk.policy.escalation.repeat_window_days;
    let recent = intake
        .history
        .iter()
        .filter(|r| {
            (crate::store::list::from_secs(crate::store::secs(r.received_at))
                + chrono::Duration::days(i64::from(window)))
                > cx.now
        })
        .count();
    let mut lines: Vec<Line<'_>> = Vec::new();
    if recent + 1 >= usize::try_from(cx.desk.policy.escalation.repeat_caller_cases).unwrap_or(3) {
        lines.push(Line::from(Span::styled(
            tf(lang, "ui.intake.repeat_warning", &[("n", recent.to_string())]),
            cx.theme.overdue(),
        )));
    }
    for r in &intake.history {
        let day = r.received_at.with_timezone(&cx.desk.policy.timezone).format("%Y-%m-%d");
        lines.push(Line::from(format!(
            "{day} {} {} {}",
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

#[cfg(test)]
mod tests {
    use super::split_who;

    #[test]
    fn who_called_is_split_into_a_name_and_a_phone() {
        let split = |w: &str| {
            let (n, p) = split_who(w);
            (n, p)
        };
        assert_eq!(split("钱先生 13600009999"), ("钱先生".into(), "13600009999".into()));
        assert_eq!(split("13600009999 钱先生"), ("钱先生".into(), "13600009999".into()));
        assert_eq!(
            split("钱先生，电话 136-0000-9999"),
            ("钱先生，电话".into(), "136-0000-9999".into())
        );
        assert_eq!(split("3床家属"), ("3床家属".into(), String::new()));
        assert_eq!(split("钱先生"), ("钱先生".into(), String::new()));
    }
}
