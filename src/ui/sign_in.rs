//! First run (create the desk and its admin) and sign-in (name by typing, PIN masked).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::app::{App, Screen};
use super::form::{Field, Form};
use super::keymap::Action;
use super::widgets::input::{Input, InputView};
use super::widgets::picker::{Choice, Picker};
use crate::desk::Desk;
use crate::domain::Time;
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
        let staff = desk.store().staff().unwrap_or_default();
        let choices = staff
            .into_iter()
            .filter(|s| s.actor.active && s.has_pin)
            .map(|s| Choice::new(s.actor.name.clone(), s.actor.name))
            .collect();
        Self {
            names: Picker::new(choices),
            pin: Input::masked(),
            on_pin: false,
            error: None,
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

/// The first-run form.
#[must_use]
pub fn first_run_form() -> Form {
    Form::new(vec![
        Field::text("admin", "ui.first_run.admin", ""),
        Field::secret("pin", "ui.first_run.pin"),
        Field::secret("pin2", "ui.first_run.pin2"),
    ])
}

impl App {
    /// Keys on the first-run and sign-in screens.
    pub fn apply_sign_in(&mut self, action: Action, now: Time) {
        let lang = self.desk.lang;
        let words = self.desk.words();
        match &mut self.screen {
            Screen::FirstRun(form) => match action {
                Action::Save => self.create_desk(now),
                Action::Newline if form.focus + 1 == form.fields.len() => self.create_desk(now),
                Action::Back => self.quit = true,
                other => {
                    form.apply(other);
                }
            },
            Screen::SignIn(s) => match action {
                Action::Up => s.names.move_by(-1),
                Action::Down => s.names.move_by(1),
                Action::NextField | Action::PrevField => s.on_pin = !s.on_pin,
                Action::Backspace if s.on_pin => s.pin.backspace(),
                Action::Backspace => {
                    let mut f = s.names.filter.clone();
                    f.pop();
                    s.names.set_filter(&f);
                }
                Action::Back if s.on_pin => s.on_pin = false,
                Action::Back => self.quit = true,
                Action::Newline | Action::Save if !s.on_pin && s.names.current().is_some() => s.on_pin = true,
                Action::Newline | Action::Save if !s.on_pin => {}
                Action::Newline | Action::Save => {
                    let Some(name) = s.names.current().map(|c| c.value.clone()) else {
                        s.error = Some(t(lang, "ui.sign_in.pick_name"));
                        return;
                    };
                    let pin = s.pin.text().to_string();
                    s.pin.clear();
                    match self.desk.sign_in(&name, &pin) {
                        Ok(actor) => self.signed_in(actor, now),
                        Err(e) => {
                            let text = words.store(&e);
                            if let Screen::SignIn(s) = &mut self.screen {
                                s.error = Some(text);
                            }
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn create_desk(&mut self, now: Time) {
        let lang = self.desk.lang;
        let words = self.desk.words();
        let Screen::FirstRun(form) = &mut self.screen else {
            return;
        };
        let admin = form.text("admin");
        let pin = form.text("pin");
        if admin.is_empty() {
            form.error = Some(words.rule(&crate::domain::RuleError::Required { field: "name" }));
            return;
        }
        if pin != form.text("pin2") {
            form.error = Some(t(lang, "cli.pin_mismatch"));
            return;
        }
        match self.desk.init_desk(&admin, &pin) {
            Ok(actor) => self.signed_in(actor, now),
            Err(e) => form.error = Some(words.store(&e)),
        }
    }
}

/// Draws the sign-in screen.
pub fn render(app: &App, s: &SignIn, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let theme = app.theme;
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
    let pin_label = t(lang, "ui.sign_in.pin");
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
