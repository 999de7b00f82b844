//! The reports screen (tables, a bar chart, a sparkline of daily intake), the
//! return-visit worklist and the overdue list to urge.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, List, ListItem, ListState, Paragraph, Sparkline};

use super::app::{App, Screen};
use super::keymap::Action;
use crate::domain::StepKind;
use crate::domain::Time;
use crate::domain::deadline::local_date;
use crate::report::{PeriodName, Report};
use crate::store::visits::{OverdueReply, VisitDue};
use crate::words::time::show;
use crate::words::{t, tf};

/// The reports screen.
#[derive(Debug)]
pub struct ReportView {
    /// The period shown.
    pub period: PeriodName,
    /// The figures.
    pub report: Report,
    /// Scroll.
    pub scroll: u16,
    /// Only this department.
    pub dept: Option<String>,
    /// Chosen dates (first, last) instead of a named period.
    pub custom: Option<(String, String)>,
    /// The form for chosen dates, while open.
    pub prompt: Option<super::form::Form>,
}

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
}

impl ListView {
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

const PERIODS: [PeriodName; 6] = [
    PeriodName::Today,
    PeriodName::Week,
    PeriodName::Month,
    PeriodName::Quarter,
    PeriodName::LastQuarter,
    PeriodName::Year,
];

impl App {
    fn make_report(
        &mut self,
        period: PeriodName,
        dept: Option<&str>,
        custom: Option<&(String, String)>,
    ) -> Option<Report> {
        let args = crate::cli::ReportArgs {
            period: custom.is_none().then_some(period),
            quarterly: false,
            from: custom.map(|c| c.0.clone()),
            to: custom.map(|c| c.1.clone()),
            dept: dept.map(str::to_string),
            category: None,
            kind: None,
            channel: None,
            format: crate::report::ReportFormat::Text,
            out: None,
            actor: None,
            names: false,
        };
        match crate::commands::make_report(&mut self.desk, &args) {
            Ok(r) => Some(r),
            Err(f) => {
                self.message = Some((f.message, true));
                None
            }
        }
    }

    /// Opens the reports screen (this month).
    pub fn open_report(&mut self) {
        if let Some(report) = self.make_report(PeriodName::Month, None, None) {
            let view = ReportView {
                period: PeriodName::Month,
                report,
                scroll: 0,
                dept: None,
                custom: None,
                prompt: None,
            };
            self.back
                .push(std::mem::replace(&mut self.screen, Screen::Report(Box::new(view))));
        }
    }

    /// Opens a worklist.
    pub fn open_list(&mut self, visits: bool, now: Time) {
        let list = if visits {
            crate::store::visits::worklist(self.desk.store()).map(Worklist::Visits)
        } else {
            crate::store::visits::overdue_replies(self.desk.store(), now).map(Worklist::Urges)
        };
        match list {
            Ok(list) => {
                let view = ListView { list, selected: 0 };
                self.back
                    .push(std::mem::replace(&mut self.screen, Screen::List(Box::new(view))));
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Keys on the reports screen and the worklists.
    pub fn apply_lists(&mut self, action: Action, now: Time) {
        let lang = self.desk.lang;
        let _words = self.desk.words();
        match &mut self.screen {
            Screen::Report(view) if view.prompt.is_some() => {
                let Some(form) = &mut view.prompt else { return };
                match action {
                    Action::Save => {
                        let dates = (form.text("from"), form.text("to"));
                        let (period, dept) = (view.period, view.dept.clone());
                        match self.make_report(period, dept.as_deref(), Some(&dates)) {
                            Some(r) => {
                                if let Screen::Report(view) = &mut self.screen {
                                    view.report = r;
                                    view.custom = Some(dates);
                                    view.prompt = None;
                                }
                            }
                            None => {
                                let msg = self.message.take().map(|m| m.0);
                                if let Screen::Report(view) = &mut self.screen
                                    && let Some(form) = &mut view.prompt
                                {
                                    form.error = msg;
                                }
                            }
                        }
                    }
                    Action::Back => view.prompt = None,
                    other => {
                        form.apply(other);
                    }
                }
            }
            Screen::Report(view) => match action {
                Action::Back => self.go_back(now),
                Action::CustomPeriod => {
                    let (from, to) = (
                        view.report.period.from,
                        view.report.period.until.pred_opt().unwrap_or(view.report.period.until),
                    );
                    view.prompt = Some(super::form::Form::new(vec![
                        super::form::Field::text("from", "ui.report.from", &from.to_string()),
                        super::form::Field::text("to", "ui.report.to", &to.to_string()),
                    ]));
                }
                Action::NextDept => {
                    let names: Vec<String> = self
                        .desk
                        .store()
                        .departments()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|d| d.name)
                        .collect();
                    let next = match &view.dept {
                        None => names.first().cloned(),
                        Some(cur) => names
                            .iter()
                            .position(|n| n == cur)
                            .and_then(|i| names.get(i + 1))
                            .cloned(),
                    };
                    let (period, custom) = (view.period, view.custom.clone());
                    if let Some(r) = self.make_report(period, next.as_deref(), custom.as_ref())
                        && let Screen::Report(view) = &mut self.screen
                    {
                        view.report = r;
                        view.dept = next;
                    }
                }
                Action::Up => view.scroll = view.scroll.saturating_sub(1),
                Action::Down => view.scroll = view.scroll.saturating_add(1),
                Action::NextPeriod => {
                    let i = PERIODS
                        .iter()
                        .position(|p| *p == view.period)
                        .map_or(0, |i| (i + 1) % PERIODS.len());
                    let period = PERIODS[i];
                    let dept = view.dept.clone();
                    if let Some(r) = self.make_report(period, dept.as_deref(), None)
                        && let Screen::Report(view) = &mut self.screen
                    {
                        view.period = period;
                        view.report = r;
                        view.custom = None;
                    }
                }
                Action::Export => {
                    let html = crate::report::render(&view.report, lang, crate::report::ReportFormat::Html);
                    let path = self.desk.store().path().with_file_name(format!(
                        "report-{}-{}.html",
                        view.report.period.from, view.report.period.until
                    ));
                    match std::fs::write(&path, html) {
                        Ok(()) => self.note(tf(
                            lang,
                            "ui.handover.exported",
                            &[("path", path.display().to_string())],
                        )),
                        Err(e) => self.message = Some((e.to_string(), true)),
                    }
                }
                _ => {}
            },
            Screen::List(view) => {
                let n = view.len();
                match action {
                    Action::Back => self.go_back(now),
                    Action::Up => view.selected = view.selected.saturating_sub(1),
                    Action::Down => view.selected = (view.selected + 1).min(n.saturating_sub(1)),
                    Action::Open if matches!(view.list, Worklist::Handovers(_)) => {
                        let id = match &view.list {
                            Worklist::Handovers(h) => h.get(view.selected).map(|x| x.id),
                            _ => None,
                        };
                        if let Some(id) = id {
                            let policy = self.desk.policy.clone();
                            match self.desk.store().handover(id, &policy, now) {
                                Ok(record) => {
                                    let v = super::duty::HandoverView {
                                        record,
                                        selected: 0,
                                        prompt: None,
                                    };
                                    self.back
                                        .push(std::mem::replace(&mut self.screen, Screen::Handover(Box::new(v))));
                                }
                                Err(e) => self.fail(&e),
                            }
                        }
                    }
                    Action::Open | Action::Step(StepKind::Visit | StepKind::VisitFailed | StepKind::Urge) => {
                        if let Some(number) = view.number() {
                            self.open_case(&number);
                            if let Action::Step(kind) = action {
                                self.open_step(kind, now);
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Draws the reports screen.
pub fn render_report(app: &App, view: &ReportView, frame: &mut Frame<'_>, area: Rect) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let r = &view.report;
    let title = tf(
        lang,
        "report.title",
        &[
            ("from", r.period.from.to_string()),
            ("until", r.period.until.pred_opt().unwrap_or(r.period.until).to_string()),
        ],
    );
    let [top, bottom] = Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(area);
    let [text_area, chart_area] = if area.width >= 110 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(top)
    } else {
        [top, Rect::default()]
    };
    let text = crate::report::render(r, lang, crate::report::ReportFormat::Text);
    let lines: Vec<Line<'_>> = text.lines().skip(2).map(|l| Line::from(l.to_string())).collect();
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((view.scroll, 0))
            .block(Block::default().borders(Borders::ALL).title(title)),
        text_area,
    );
    let bars: Vec<Bar<'_>> = r
        .by_category
        .iter()
        .take(8)
        .map(|(label, n)| {
            Bar::default()
                .value(*n)
                .label(Line::from(crate::words::width::truncate(label, 6)))
        })
        .collect();
    let chart = BarChart::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(t(lang, "report.sec.category")),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(6)
        .bar_gap(1);
    if chart_area.width > 0 {
        frame.render_widget(chart, chart_area);
    }
    let data: Vec<u64> = r.daily.iter().map(|(_, n)| *n).collect();
    let [spark, chart2] = if bottom.width >= 100 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom)
    } else {
        [bottom, Rect::default()]
    };
    frame.render_widget(
        Sparkline::default()
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(t(lang, "report.sec.daily")),
            )
            .data(&data)
            .style(Style::default()),
        spark,
    );
    if let Some(form) = &view.prompt {
        let w = area.width.min(50);
        let rect = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + area.height / 3,
            w,
            5.min(area.height),
        );
        frame.render_widget(ratatui::widgets::Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(t(lang, "ui.key.custom_period"));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        super::form_view::render_form(form, lang, app.theme, frame, inner);
    }
    if chart2.width > 0 {
        let dept_bars: Vec<Bar<'_>> = r
            .depts
            .iter()
            .take(8)
            .map(|d| {
                Bar::default()
                    .value(d.overdue_now)
                    .label(Line::from(crate::words::width::truncate(&d.dept, 6)))
            })
            .collect();
        frame.render_widget(
            BarChart::default()
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(t(lang, "report.overdue_now")),
                )
                .data(BarGroup::default().bars(&dept_bars))
                .bar_width(6)
                .bar_gap(1),
            chart2,
        );
    }
}

/// Draws a worklist.
pub fn render_list(app: &App, view: &ListView, frame: &mut Frame<'_>, area: Rect, now: Time) {
    let lang = app.desk.lang;
    let _words = app.desk.words();
    let tz = app.desk.policy.timezone;
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
                        ListItem::new(Line::styled(line, app.theme.overdue()))
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
                        app.theme.overdue(),
                    ))
                })
                .collect(),
        ),
    };
    let (title, items) = match &view.list {
        Worklist::Handovers(list) => {
            let names = app.desk.store().staff_names().unwrap_or_default();
            let name = |id: crate::domain::StaffId| names.get(&id).cloned().unwrap_or_default();
            (
                t(lang, "ui.handover.history"),
                list.iter()
                    .map(|h| {
                        let state = if h.is_signed() {
                            t(lang, "handover.state_signed")
                        } else if h.outgoing_signed_at.is_some() {
                            t(lang, "handover.state_waiting")
                        } else {
                            t(lang, "handover.state_draft")
                        };
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
            .highlight_style(app.theme.selected())
            .highlight_symbol("▶ "),
        area,
        &mut state,
    );
}
