//! The ringing phone (`casedesk ring PHONE`): the caller's earlier cases, open
//! ones first, with the repeat warning; `n` records a new case with the phone
//! filled in, Enter opens the case selected.

use std::cell::Cell as Remembered;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::component::{Component, Cx, Effect, Go};
use super::keymap::{Action, Scope};
use super::widgets::columns::{Column, draw_rows, scroll};
use crate::domain::State;
use crate::domain::complainant::normalize_phone;
use crate::store::rings::Ring;
use crate::store::{CaseFilter, CaseRow, StoreError};
use crate::words::{t, tf};

/// Earlier cases shown at most.
const SHOWN: usize = 200;

/// A call coming in, and what the desk knows of the caller.
#[derive(Debug)]
pub struct Call {
    /// The ring.
    pub ring: Ring,
    /// The caller's earlier cases this clerk may see: open ones first, then newest first.
    pub cases: Vec<CaseRow>,
    /// The caller's cases within the repeat window (all of them, seen or not).
    pub in_window: u32,
    /// Selected case.
    pub selected: usize,
    offset: Remembered<usize>,
}

impl Call {
    /// Looks the caller up.
    pub fn new(ring: Ring, cx: &Cx<'_>) -> Result<Call, StoreError> {
        let key = normalize_phone(&ring.phone);
        let (mut cases, in_window) = match &key {
            Some(key) => {
                let filter = CaseFilter {
                    caller_key: Some(key.clone()),
                    limit: SHOWN,
                    ..CaseFilter::default()
                };
                let days = cx.desk.policy.escalation.repeat_window_days;
                let since = cx.now - chrono::Duration::days(i64::from(days));
                let store = cx.desk.store();
                (store.list(&filter, cx.user)?, store.caller_cases_since(key, since)?)
            }
            None => (Vec::new(), 0),
        };
        // Open cases first (a caller chasing one is the likeliest); each group newest first.
        cases.sort_by(|a, b| {
            (a.state == State::Closed.code())
                .cmp(&(b.state == State::Closed.code()))
                .then(b.received_at.cmp(&a.received_at))
        });
        Ok(Call {
            ring,
            cases,
            in_window,
            selected: 0,
            offset: Remembered::new(0),
        })
    }

    /// This call would make the caller a repeat caller (the policy's count within its window).
    #[must_use]
    pub fn repeat(&self, cases_make_repeat: u32) -> bool {
        self.in_window + 1 >= cases_make_repeat
    }
}

impl Component for Call {
    fn scope(&self) -> Scope {
        Scope::Call
    }

    fn on_action(&mut self, action: Action, _cx: &Cx<'_>) -> Effect {
        match action {
            Action::Back => Effect::Back,
            Action::NewCase => Effect::Go(Go::NewCaseFrom(self.ring.phone.clone())),
            Action::Open => self
                .cases
                .get(self.selected)
                .map_or(Effect::None, |c| Effect::Go(Go::Case(c.number.clone()))),
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Effect::None
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(self.cases.len().saturating_sub(1));
                Effect::None
            }
            _ => Effect::None,
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(self, frame, area, cx);
    }
}

/// The call's lines above the list: who is calling, for whom, and the repeat warning.
fn heading(call: &Call, cx: &Cx<'_>) -> Vec<Line<'static>> {
    let lang = cx.lang();
    let at = crate::words::time::show(call.ring.at, cx.desk.policy.timezone);
    let mut lines = vec![Line::styled(
        tf(
            lang,
            "ui.call.from",
            &[
                ("phone", crate::words::visible(&call.ring.phone).into_owned()),
                ("at", at),
            ],
        ),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    let escalation = &cx.desk.policy.escalation;
    if call.repeat(escalation.repeat_caller_cases) {
        lines.push(Line::styled(
            tf(
                lang,
                "ui.call.repeat",
                &[
                    ("days", escalation.repeat_window_days.to_string()),
                    ("n", call.in_window.to_string()),
                ],
            ),
            cx.theme.error(),
        ));
    }
    let open = call.cases.iter().filter(|c| c.state != State::Closed.code()).count();
    lines.push(Line::raw(if call.cases.is_empty() {
        t(lang, "ui.call.none")
    } else {
        tf(
            lang,
            "ui.call.cases",
            &[("n", call.cases.len().to_string()), ("open", open.to_string())],
        )
    }));
    lines
}

fn render(call: &Call, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
    let lang = cx.lang();
    let head = heading(call, cx);
    let inner_width = area.width.saturating_sub(2).max(1);
    // Each heading line wraps at the box's width; the box has its border.
    let height: u16 = head
        .iter()
        .map(|l| {
            u16::try_from(crate::words::width::width(&l.to_string()).div_ceil(usize::from(inner_width)))
                .unwrap_or(1)
                .max(1)
        })
        .sum::<u16>()
        + 2;
    let [top, list] = Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(head)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(t(lang, "ui.call.title"))),
        top,
    );
    let block = Block::default().borders(Borders::ALL).title(t(lang, "ui.call.earlier"));
    let inner = block.inner(list);
    let rows_fit = usize::from(inner.height.saturating_sub(1)).max(1);
    let first = scroll(call.offset.get(), call.selected, rows_fit);
    call.offset.set(first);
    let columns = vec![
        Column::new(t(lang, "ui.col.number"), 12, 10),
        Column::new(t(lang, "ui.col.state"), 14, 6),
        Column::new(t(lang, "ui.col.received"), 11, 3),
        Column::new(t(lang, "ui.col.dept"), 12, 4),
        Column::fill(t(lang, "ui.col.summary"), 10),
    ];
    let tz = cx.desk.policy.timezone;
    let cells: Vec<Vec<String>> = call
        .cases
        .iter()
        .skip(first)
        .take(rows_fit)
        .map(|r| {
            vec![
                r.number.clone(),
                State::parse(&r.state)
                    .map(|x| t(lang, &x.label_key()))
                    .unwrap_or_default(),
                crate::words::time::show(r.received_at, tz).chars().take(10).collect(),
                r.dept.clone().unwrap_or_default(),
                r.summary.clone(),
            ]
        })
        .collect();
    let selected = (!call.cases.is_empty()).then(|| call.selected - first);
    draw_rows(frame, list, block, (&columns, &cells), selected, cx.theme.selected());
}
