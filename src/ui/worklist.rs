//! The worklists: return visits due, replies past due to urge, past handovers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState};

use super::component::{Component, Cx, Effect, Go};
use super::keymap::{Action, Scope};
use crate::domain::StepKind;
use crate::domain::deadline::local_date;
use crate::store::visits::{OverdueReply, VisitDue};
use crate::words::time::show;
use crate::words::{t, tf};

/// A worklist: return visits due, or replies to urge.
#[derive(Debug)]
pub enum Worklist {
    /// Visits to make.
    Visits(Vec<VisitDue>),
    /// Replies past due.
    Urges(Vec<OverdueReply>),
    /// Past handovers, newest first.
    Handovers(Vec<crate::domain::handover::Handover>),
}

/// A worklist screen.
#[derive(Debug)]
pub struct ListView {
    /// The list.
    pub list: Worklist,
    /// Selected row.
    pub selected: usize,
    /// Staff names, for past handovers.
    names: std::collections::HashMap<crate::domain::StaffId, String>,
}

impl ListView {
    /// The return visits due (read when opened).
    #[must_use]
    pub fn visits() -> Self {
        ListView {
            list: Worklist::Visits(Vec::new()),
            selected: 0,
            names: std::collections::HashMap::new(),
        }
    }

    /// The replies past due (read when opened).
    #[must_use]
    pub fn urges() -> Self {
        ListView {
            list: Worklist::Urges(Vec::new()),
            selected: 0,
            names: std::collections::HashMap::new(),
        }
    }

    /// Past handovers.
    #[must_use]
    pub fn handovers(list: Vec<crate::domain::handover::Handover>) -> Self {
        ListView {
            list: Worklist::Handovers(list),
            selected: 0,
            names: std::collections::HashMap::new(),
        }
    }

    fn len(&self) -> usize {
        match &self.list {
            Worklist::Visits(v) => v.len(),
            Worklist::Urges(u) => u.len(),
            Worklist::Handovers(h) => h.len(),
        }
    }

    fn number(&self) -> Option<String> {
        match &self.list {
            Worklist::Visits(v) => v.get(self.selected).map(|x| x.number.clone()),
            Worklist::Urges(u) => u.get(self.selected).map(|x| x.number.clone()),
            Worklist::Handovers(_) => None,
        }
    }
}

impl Component for ListView {
    fn scope(&self) -> Scope {
        Scope::Lists
    }

    fn on_action(&mut self, action: Action, _cx: &Cx<'_>) -> Effect {
        let n = self.len();
        match action {
            Action::Back => return Effect::Back,
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Open if matches!(self.list, Worklist::Handovers(_)) => {
                if let Worklist::Handovers(h) = &self.list
                    && let Some(x) = h.get(self.selected)
                {
                    return Effect::Go(Go::HandoverId(x.id));
                }
            }
            Action::Open => {
                if let Some(number) = self.number() {
                    return Effect::Go(Go::Case(number));
                }
            }
            Action::Step(kind @ (StepKind::Visit | StepKind::VisitFailed | StepKind::Urge)) => {
                if let Some(number) = self.number() {
                    return Effect::Go(Go::CaseStep(number, kind));
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn on_refresh(&mut self, cx: &Cx<'_>) -> Effect {
        let store = cx.desk.store();
        let read = match &self.list {
            Worklist::Visits(_) => crate::store::visits::worklist(store).map(Worklist::Visits),
            Worklist::Urges(_) => crate::store::visits::overdue_replies(store, cx.now).map(Worklist::Urges),
            Worklist::Handovers(_) => store.handovers(200).map(Worklist::Handovers),
        };
        let read = read.and_then(|list| Ok((list, store.staff_names()?)));
        match read {
            Ok((list, names)) => {
                self.list = list;
                self.names = names;
                self.selected = self.selected.min(self.len().saturating_sub(1));
                Effect::None
            }
            Err(e) => Effect::Fail(e),
        }
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// Draws a worklist.
fn render(cx: &Cx<'_>, view: &ListView, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let now = cx.now;
    let today = local_date(tz, now);
    let (title, items): (String, Vec<ListItem<'_>>) = match &view.list {
        Worklist::Visits(v) => (
            tf(lang, "ui.visits.title", &[("n", v.len().to_string())]),
            v.iter()
                .map(|x| {
                    let late = x.due < now;
                    let line = format!(
                        "{}{}  {}  {}  {}  {}  {}",
                        if late {
                            "⚠ "
                        } else if local_date(tz, x.due) == today {
                            "• "
                        } else {
                            "  "
                        },
                        x.number,
                        crate::words::width::pad(&t(lang, &format!("visits.kind.{}", x.kind)), 8),
                        show(x.due, tz),
                        x.complainant,
                        x.phone,
                        x.summary
                    );
                    if late {
                        ListItem::new(Line::styled(line, cx.theme.overdue()))
                    } else {
                        ListItem::new(line)
                    }
                })
                .collect(),
        ),
        Worklist::Handovers(_) => (String::new(), Vec::new()),
        Worklist::Urges(u) => (
            tf(lang, "ui.urges.title", &[("n", u.len().to_string())]),
            u.iter()
                .map(|x| {
                    ListItem::new(Line::styled(
                        format!(
                            "⚠ {}  {}  {}  {}  {}",
                            x.number,
                            crate::words::width::pad(&x.dept, 12),
                            show(x.due, tz),
                            tf(lang, "urges.urged", &[("n", x.urges.to_string())]),
                            x.summary
                        ),
                        cx.theme.overdue(),
                    ))
                })
                .collect(),
        ),
    };
    let (title, items) = match &view.list {
        Worklist::Handovers(list) => {
            let name = |id: crate::domain::StaffId| view.names.get(&id).cloned().unwrap_or_default();
            (
                t(lang, "ui.handover.history"),
                list.iter()
                    .map(|h| {
                        let state = crate::words::duty::handover_state(lang, h);
                        ListItem::new(format!(
                            "#{}  {} {}  {} → {}  [{}]",
                            h.id,
                            t(lang, h.shift.kind.label_key()),
                            show(h.shift.start, tz),
                            name(h.outgoing),
                            h.incoming.map_or_else(|| "—".into(), name),
                            state
                        ))
                    })
                    .collect(),
            )
        }
        _ => (title, items),
    };
    let mut state = ListState::default();
    if view.len() > 0 {
        state.select(Some(view.selected));
    }
    frame.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(cx.theme.selected())
            .highlight_symbol("▶ "),
        area,
        &mut state,
    );
}
