//! First run (create the desk and its admin) and sign-in (name by typing, PIN masked).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::component::{Component, Cx, Effect, Write, Written};
use super::form::{Field, Form};
use super::keymap::{Action, Scope};
use super::widgets::input::{Input, InputView};
use super::widgets::picker::{Choice, Picker};
use crate::desk::Desk;
use crate::words::t;

/// The sign-in screen.
#[derive(Debug)]
pub struct SignIn {
    /// Staff who may sign in, filtered by typing (pinyin initials work).
    pub names: Picker<String>,
    /// The PIN.
    pub pin: Input,
    /// Typing the PIN rather than the name.
    pub on_pin: bool,
    /// Why the last try failed.
    pub error: Option<String>,
}

impl SignIn {
    /// Lists the active staff who have a PIN.
    #[must_use]
    pub fn new(desk: &Desk) -> Self {
        let (staff, error) = match desk.store().staff() {
            Ok(staff) => (staff, None),
            Err(e) => (Vec::new(), Some(desk.words().store(&e))),
        };
        let choices = staff
            .into_iter()
            .filter(|s| s.actor.active && s.has_pin)
            .map(|s| Choice::new(s.actor.name.clone(), s.actor.name))
            .collect();
        Self {
            names: Picker::new(choices),
            pin: Input::masked(),
            on_pin: false,
            error,
        }
    }

    /// Typed text goes to the name filter or the PIN.
    pub fn type_text(&mut self, text: &str) {
        if self.on_pin {
            self.pin.insert(text);
        } else {
            let f = format!("{}{}", self.names.filter, text);
            self.names.set_filter(&f);
        }
    }
}

impl Component for SignIn {
    fn scope(&self) -> Scope {
        Scope::SignIn
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        match action {
            Action::Up => self.names.move_by(-1),
            Action::Down => self.names.move_by(1),
            Action::NextField | Action::PrevField => self.on_pin = !self.on_pin,
            Action::Backspace if self.on_pin => self.pin.backspace(),
            Action::Backspace => {
                let mut f = self.names.filter.clone();
                f.pop();
                self.names.set_filter(&f);
            }
            Action::Back if self.on_pin => self.on_pin = false,
            Action::Back => return Effect::Quit,
            Action::Newline | Action::Save if !self.on_pin && self.names.current().is_some() => self.on_pin = true,
            Action::Newline | Action::Save if !self.on_pin => {}
            Action::Newline | Action::Save => {
                let Some(name) = self.names.current().map(|c| c.value.clone()) else {
                    self.error = Some(t(cx.lang(), "ui.sign_in.pick_name"));
                    return Effect::None;
                };
                let pin = self.pin.text().to_string();
                self.pin.clear();
                return Effect::Write(Write::SignIn { name, pin });
            }
            _ => {}
        }
        Effect::None
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        self.type_text(text);
        Effect::None
    }

    fn on_written(&mut self, result: Result<Written, String>, _cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::SignedIn(actor)) => Effect::SignedIn(actor),
            Ok(_) => Effect::None,
            Err(text) => {
                self.error = Some(text);
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// The first run: the desk's first admin and their PIN.
#[derive(Debug)]
pub struct FirstRun {
    /// The form.
    pub form: Form,
}

impl FirstRun {
    /// The empty form.
    #[must_use]
    pub fn new() -> Self {
        FirstRun {
            form: Form::new(vec![
                Field::text("admin", "ui.first_run.admin", ""),
                Field::secret("pin", "ui.first_run.pin"),
                Field::secret("pin2", "ui.first_run.pin2"),
            ]),
        }
    }

    fn create(&mut self, cx: &Cx<'_>) -> Effect {
        let words = cx.words();
        let form = &mut self.form;
        let admin = form.text("admin");
        let pin = form.text("pin");
        if admin.is_empty() {
            form.error = Some(words.rule(&crate::domain::RuleError::Required { field: "name" }));
            return Effect::None;
        }
        if let Err(e) = crate::store::staff::check_pin(&pin, crate::domain::Role::Admin) {
            form.error = Some(words.store(&e));
            return Effect::None;
        }
        if pin != form.text("pin2") {
            form.error = Some(words.t("cli.pin_mismatch"));
            return Effect::None;
        }
        Effect::Write(Write::InitDesk { name: admin, pin })
    }
}

impl Default for FirstRun {
    fn default() -> Self {
        Self::new()
    }
}

impl Component for FirstRun {
    fn scope(&self) -> Scope {
        Scope::Form
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        match action {
            Action::Save => self.create(cx),
            Action::Newline if self.form.focus + 1 == self.form.fields.len() => self.create(cx),
            // Leaving the first run leaves the program: ask when something was typed.
            Action::Back => Effect::Leave { typed: self.form.dirty },
            Action::Up => {
                self.form.apply(Action::PrevField);
                Effect::None
            }
            Action::Down => {
                self.form.apply(Action::NextField);
                Effect::None
            }
            other => {
                self.form.apply(other);
                Effect::None
            }
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(Some(&mut self.form), text)
    }

    fn on_leave(&mut self) -> Effect {
        Effect::Quit
    }

    fn on_written(&mut self, result: Result<Written, String>, _cx: &Cx<'_>) -> Effect {
        match result {
            Ok(Written::SignedIn(actor)) => Effect::SignedIn(actor),
            Ok(_) => Effect::None,
            Err(text) => {
                self.form.error = Some(text);
                Effect::None
            }
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        let lang = cx.lang();
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t(lang, "ui.first_run.title"));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [intro, rest] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
        frame.render_widget(
            Paragraph::new(t(lang, "ui.first_run.intro")).wrap(Wrap { trim: true }),
            intro,
        );
        super::form_view::render_form(&self.form, lang, cx.theme, frame, rest);
    }
}

/// Draws the sign-in screen.
fn render(cx: &Cx<'_>, s: &SignIn, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let theme = cx.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t(lang, "ui.sign_in.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 6 {
        return;
    }
    let line = |y: u16| Rect::new(inner.x + 1, inner.y + y, inner.width.saturating_sub(2), 1);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                t(lang, "ui.sign_in.name"),
                if s.on_pin { theme.dim() } else { theme.focus() },
            ),
            Span::raw(" "),
            Span::raw(s.names.filter.clone()),
        ])),
        line(0),
    );
    // The PIN is asked for a named account, so a wrong one is seen to count against it.
    let pin_label = match s.names.current() {
        Some(c) if s.on_pin => crate::words::tf(lang, "ui.sign_in.pin_for", &[("name", c.label.clone())]),
        _ => t(lang, "ui.sign_in.pin"),
    };
    let label_w = u16::try_from(crate::words::width::width(&pin_label) + 1).unwrap_or(6);
    frame.render_widget(
        Paragraph::new(Span::styled(
            pin_label,
            if s.on_pin { theme.focus() } else { theme.dim() },
        )),
        line(1),
    );
    let pin_area = Rect::new(line(1).x + label_w, line(1).y, line(1).width.saturating_sub(label_w), 1);
    frame.render_widget(
        InputView {
            input: &s.pin,
            style: ratatui::style::Style::default(),
            from_top: false,
        },
        pin_area,
    );
    if let Some(e) = &s.error {
        frame.render_widget(Paragraph::new(Span::styled(e.clone(), theme.error())), line(2));
    }
    let list_area = Rect::new(
        inner.x + 1,
        inner.y + 3,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(3),
    );
    let items: Vec<ListItem<'_>> = s
        .names
        .visible()
        .iter()
        .map(|c| ListItem::new(format!("{}  ({})", c.label, c.initials)))
        .collect();
    let mut state = ListState::default();
    state.select(Some(s.names.selected));
    frame.render_stateful_widget(
        List::new(items)
            .highlight_style(theme.selected())
            .highlight_symbol("▶ "),
        list_area,
        &mut state,
    );
    if s.on_pin {
        frame.set_cursor_position(s.pin.cursor_position(pin_area));
    } else {
        let w = u16::try_from(
            crate::words::width::width(&t(lang, "ui.sign_in.name")) + 1 + crate::words::width::width(&s.names.filter),
        )
        .unwrap_or(0);
        frame.set_cursor_position((line(0).x + w.min(line(0).width.saturating_sub(1)), line(0).y));
    }
}
