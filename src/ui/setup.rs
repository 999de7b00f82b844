//! The desk's people and departments (人员与部门), for the admin: a fresh
//! desk gets its departments and its clerks here, without the command line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::component::{Component, Cx, Effect, Write, Written};
use super::form::{Field, Form, coded};
use super::form_view::render_form;
use super::keymap::{Action, Scope};
use crate::domain::{DeptId, Role};
use crate::store::directory::Department;
use crate::store::staff::StaffMember;
use crate::words::width::truncate;
use crate::words::{Lang, t, tf};

/// What is being added.
#[derive(Debug)]
pub enum Adding {
    /// A department: its name and phone.
    Department(Form),
    /// A staff member: name, role, department, PIN twice.
    Staff(Form),
}

impl Adding {
    fn form(&self) -> &Form {
        match self {
            Adding::Department(f) | Adding::Staff(f) => f,
        }
    }

    fn form_mut(&mut self) -> &mut Form {
        match self {
            Adding::Department(f) | Adding::Staff(f) => f,
        }
    }
}

/// The screen's state.
#[derive(Debug, Default)]
pub struct Setup {
    /// The departments, as read.
    pub depts: Vec<Department>,
    /// The staff, as read.
    pub staff: Vec<StaffMember>,
    /// The selected staff row.
    pub selected: usize,
    /// The form open over the lists.
    pub adding: Option<Adding>,
}

impl Setup {
    /// Reads the departments and the staff.
    fn read(&mut self, cx: &Cx<'_>) -> Effect {
        let store = cx.desk.store();
        match (store.departments(), store.staff()) {
            (Ok(depts), Ok(staff)) => {
                self.depts = depts;
                self.staff = staff;
                self.selected = self.selected.min(self.staff.len().saturating_sub(1));
                Effect::None
            }
            (Err(e), _) | (_, Err(e)) => Effect::Fail(e),
        }
    }

    fn department_form() -> Form {
        Form::new(vec![
            Field::text("name", "ui.setup.dept_name", ""),
            Field::text("phone", "ui.setup.dept_phone", ""),
        ])
    }

    fn staff_form(&self, lang: Lang) -> Form {
        let mut depts = vec![(t(lang, "ui.form.none"), String::new())];
        depts.extend(self.depts.iter().map(|d| (d.name.clone(), d.id.0.to_string())));
        Form::new(vec![
            Field::text("name", "ui.setup.staff_name", ""),
            Field::choice(
                "role",
                "field.role",
                coded(lang, Role::ALL, Role::code, Role::label_key),
            ),
            Field::choice("dept", "field.department", depts),
            Field::secret("pin", "ui.setup.pin"),
            Field::secret("pin2", "ui.first_run.pin2"),
        ])
    }

    /// What saving the open form writes, or why not (shown on the form).
    fn save(&mut self, cx: &Cx<'_>) -> Effect {
        let words = cx.words();
        let Some(adding) = self.adding.as_mut() else {
            return Effect::None;
        };
        let write = match adding {
            Adding::Department(form) => Write::AddDepartment {
                name: form.text("name"),
                phone: form.opt("phone"),
            },
            Adding::Staff(form) => {
                let (pin, pin2) = (form.text("pin"), form.text("pin2"));
                let role = form
                    .choice("role")
                    .and_then(|r| Role::parse(&r).ok())
                    .unwrap_or(Role::Clerk);
                if let Err(e) = crate::store::staff::check_pin(&pin, role) {
                    form.error = Some(words.store(&e));
                    return Effect::None;
                }
                if pin != pin2 {
                    form.error = Some(words.t("cli.pin_mismatch"));
                    return Effect::None;
                }
                Write::AddStaff {
                    name: form.text("name"),
                    role,
                    dept: form.choice("dept").and_then(|d| d.parse().ok()).map(DeptId),
                    pin,
                }
            }
        };
        if let Some(e) = required(adding.form(), words) {
            adding.form_mut().error = Some(e);
            return Effect::None;
        }
        Effect::Write(write)
    }

    fn toggle_active(&self) -> Effect {
        match self.staff.get(self.selected) {
            Some(s) => Effect::Write(Write::StaffActive {
                name: s.actor.name.clone(),
                active: !s.actor.active,
            }),
            None => Effect::None,
        }
    }
}

/// A name is needed.
fn required(form: &Form, words: crate::words::Words) -> Option<String> {
    form.text("name")
        .is_empty()
        .then(|| words.rule(&crate::domain::RuleError::Required { field: "name" }))
}

impl Component for Setup {
    fn scope(&self) -> Scope {
        if self.adding.is_some() {
            Scope::Form
        } else {
            Scope::Setup
        }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if let Some(adding) = self.adding.as_mut() {
            return match action {
                Action::Save => self.save(cx),
                Action::Back => Effect::Leave {
                    typed: adding.form().has_text(),
                },
                Action::Newline if adding.form().focus + 1 == adding.form().fields.len() => self.save(cx),
                other => {
                    adding.form_mut().apply(other);
                    Effect::None
                }
            };
        }
        match action {
            Action::Back => Effect::Back,
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Effect::None
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(self.staff.len().saturating_sub(1));
                Effect::None
            }
            Action::AddDepartment => {
                self.adding = Some(Adding::Department(Self::department_form()));
                Effect::None
            }
            Action::AddStaff => {
                self.adding = Some(Adding::Staff(self.staff_form(cx.lang())));
                Effect::None
            }
            Action::StaffActive => self.toggle_active(),
            _ => Effect::None,
        }
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.adding.as_mut().map(Adding::form_mut), text)
    }

    fn on_written(&mut self, result: Result<Written, String>, cx: &Cx<'_>) -> Effect {
        match result {
            Ok(_) => {
                let note = match self.adding.take() {
                    Some(Adding::Department(f)) => tf(cx.lang(), "ui.setup.dept_added", &[("name", f.text("name"))]),
                    Some(Adding::Staff(f)) => tf(cx.lang(), "ui.setup.staff_added", &[("name", f.text("name"))]),
                    None => t(cx.lang(), "ui.setup.changed"),
                };
                self.read(cx).then(Effect::Note(note))
            }
            Err(text) => {
                match self.adding.as_mut() {
                    Some(a) => a.form_mut().error = Some(text),
                    None => return Effect::Error(text),
                }
                Effect::None
            }
        }
    }

    fn on_leave(&mut self) -> Effect {
        if self.adding.take().is_some() {
            Effect::None
        } else {
            Effect::Back
        }
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        self.read(cx)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(self, frame, area, cx);
    }
}

/// Draws the two lists side by side (one above the other when narrow), and
/// the form over them.
fn render(s: &Setup, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
    let lang = cx.lang();
    let [depts_area, staff_area] = if area.width >= 90 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(2)]).areas(area)
    } else {
        let h = u16::try_from(s.depts.len().clamp(1, 6) + 2).unwrap_or(8);
        Layout::vertical([Constraint::Length(h), Constraint::Fill(1)]).areas(area)
    };
    let depts: Vec<ListItem<'_>> = if s.depts.is_empty() {
        vec![ListItem::new(Span::styled(
            t(lang, "ui.setup.no_depts"),
            cx.theme.dim(),
        ))]
    } else {
        s.depts.iter().map(|d| ListItem::new(dept_line(d))).collect()
    };
    frame.render_widget(
        List::new(depts).block(Block::default().borders(Borders::ALL).title(tf(
            lang,
            "ui.setup.depts",
            &[("n", s.depts.len().to_string())],
        ))),
        depts_area,
    );
    let name_w = usize::from(staff_area.width.saturating_sub(4)).min(40) / 2;
    let items: Vec<ListItem<'_>> = s
        .staff
        .iter()
        .map(|m| ListItem::new(staff_line(m, &s.depts, lang, name_w)))
        .collect();
    let mut state = ListState::default();
    state.select((!s.staff.is_empty()).then_some(s.selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(tf(
                lang,
                "ui.setup.staff",
                &[("n", s.staff.len().to_string())],
            )))
            .highlight_style(cx.theme.selected()),
        staff_area,
        &mut state,
    );
    if let Some(adding) = &s.adding {
        let title = match adding {
            Adding::Department(_) => t(lang, "ui.setup.add_dept"),
            Adding::Staff(_) => t(lang, "ui.setup.add_staff"),
        };
        let h = u16::try_from(adding.form().fields.len() + 4)
            .unwrap_or(9)
            .min(area.height);
        let w = area.width.min(64);
        let at = Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h);
        frame.render_widget(Clear, at);
        let block = Block::default().borders(Borders::ALL).title(title);
        let inner = block.inner(at);
        frame.render_widget(block, at);
        render_form(adding.form(), lang, cx.theme, frame, inner);
    } else if s.depts.is_empty() || s.staff.len() < 2 {
        let hint = Rect::new(
            area.x + 1,
            area.y + area.height.saturating_sub(2),
            area.width.saturating_sub(2),
            1,
        );
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(t(lang, "ui.setup.hint"), cx.theme.dim())))
                .wrap(Wrap { trim: true }),
            hint,
        );
    }
}

fn dept_line(d: &Department) -> String {
    match &d.phone {
        Some(phone) => format!("{}  {phone}", d.name),
        None => d.name.clone(),
    }
}

fn staff_line(m: &StaffMember, depts: &[Department], lang: Lang, name_w: usize) -> String {
    let dept = m
        .dept
        .and_then(|id| depts.iter().find(|d| d.id == id))
        .map_or_else(String::new, |d| d.name.clone());
    let mut line = format!(
        "{}  {}  {}",
        crate::words::width::pad(&truncate(&m.actor.name, name_w), name_w),
        t(lang, &m.actor.role.label_key()),
        dept
    );
    if !m.actor.active {
        line.push_str(&format!("  {}", t(lang, "ui.setup.inactive")));
    } else if !m.has_pin {
        line.push_str(&format!("  {}", t(lang, "ui.setup.no_pin")));
    }
    line
}
