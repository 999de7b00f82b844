//! The reports screen: a period's figures as tables, a bar chart of categories,
//! a sparkline of daily intake; other periods, chosen dates, one department.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};

use super::component::{Component, Cx, Effect};
use super::form::{Field, Form};
use super::keymap::{Action, Scope};
use crate::desk::ReportQuery;
use crate::domain::deadline::local_date;
use crate::report::{Period, PeriodName, Report};
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
    pub prompt: Option<Form>,
}

const PERIODS: [PeriodName; 6] = [
    PeriodName::Today,
    PeriodName::Week,
    PeriodName::Month,
    PeriodName::Quarter,
    PeriodName::LastQuarter,
    PeriodName::Year,
];

/// The report of a named period or chosen dates, for one department or all.
fn make(
    cx: &Cx<'_>,
    period: PeriodName,
    dept: Option<&str>,
    custom: Option<&(String, String)>,
) -> Result<Report, String> {
    let words = cx.words();
    let day = |text: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| words.tf("cli.bad_time", &[("value", text.to_string())]))
    };
    let today = local_date(cx.desk.policy.timezone, cx.desk.now());
    let period = match custom {
        Some((from, to)) => {
            let last = day(to)?;
            Period {
                from: day(from)?,
                until: last.succ_opt().unwrap_or(last),
            }
        }
        None => Period::named(period, today),
    };
    let query = ReportQuery {
        dept: dept.map(str::to_string),
        ..ReportQuery::of(period)
    };
    cx.desk.report(&query).map_err(|e| words.store(&e))
}

impl ReportView {
    /// This month's report of the whole desk.
    pub fn open(cx: &Cx<'_>) -> Result<Self, String> {
        Ok(ReportView {
            period: PeriodName::Month,
            report: make(cx, PeriodName::Month, None, None)?,
            scroll: 0,
            dept: None,
            custom: None,
            prompt: None,
        })
    }

    fn on_prompt_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        let Some(form) = &mut self.prompt else {
            return Effect::None;
        };
        match action {
            Action::Save => {
                let dates = (form.text("from"), form.text("to"));
                match make(cx, self.period, self.dept.as_deref(), Some(&dates)) {
                    Ok(r) => {
                        self.report = r;
                        self.custom = Some(dates);
                        self.prompt = None;
                        self.scroll = 0;
                    }
                    Err(e) => form.error = Some(e),
                }
            }
            Action::Back => self.prompt = None,
            other => {
                form.apply(other);
            }
        }
        Effect::None
    }
}

impl Component for ReportView {
    fn scope(&self) -> Scope {
        if self.prompt.is_some() {
            Scope::Form
        } else {
            Scope::Lists
        }
    }

    fn on_action(&mut self, action: Action, cx: &Cx<'_>) -> Effect {
        if self.prompt.is_some() {
            return self.on_prompt_action(action, cx);
        }
        match action {
            Action::Back => return Effect::Back,
            Action::CustomPeriod => {
                let p = self.report.period;
                let last = p.until.pred_opt().unwrap_or(p.until);
                self.prompt = Some(Form::new(vec![
                    Field::text("from", "ui.report.from", &p.from.to_string()),
                    Field::text("to", "ui.report.to", &last.to_string()),
                ]));
            }
            Action::NextDept => {
                let names: Vec<String> = match cx.desk.store().departments() {
                    Ok(list) => list.into_iter().map(|d| d.name).collect(),
                    Err(e) => return Effect::Fail(e),
                };
                let next = match &self.dept {
                    None => names.first().cloned(),
                    Some(cur) => names
                        .iter()
                        .position(|n| n == cur)
                        .and_then(|i| names.get(i + 1))
                        .cloned(),
                };
                match make(cx, self.period, next.as_deref(), self.custom.as_ref()) {
                    Ok(r) => {
                        self.report = r;
                        self.dept = next;
                        self.scroll = 0;
                    }
                    Err(e) => return Effect::Error(e),
                }
            }
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::NextPeriod => {
                let i = PERIODS
                    .iter()
                    .position(|p| *p == self.period)
                    .map_or(0, |i| (i + 1) % PERIODS.len());
                let period = PERIODS[i];
                match make(cx, period, self.dept.as_deref(), None) {
                    Ok(r) => {
                        self.period = period;
                        self.report = r;
                        self.custom = None;
                        self.scroll = 0;
                    }
                    Err(e) => return Effect::Error(e),
                }
            }
            Action::Export => {
                let r = &self.report;
                return Effect::SaveFile {
                    path: cx
                        .desk
                        .store()
                        .path()
                        // Named by the period's first and last day (`until` is the day after).
                        .with_file_name(format!(
                            "report-{}-{}.html",
                            r.period.from,
                            r.period.until.pred_opt().unwrap_or(r.period.until)
                        )),
                    contents: crate::report::render(r, cx.lang(), crate::report::ReportFormat::Html),
                };
            }
            _ => {}
        }
        Effect::None
    }

    fn on_text(&mut self, text: &str, _cx: &Cx<'_>) -> Effect {
        super::component::typed_into(self.prompt.as_mut(), text)
    }

    fn draw(&self, frame: &mut Frame<'_>, area: Rect, cx: &Cx<'_>) {
        render(cx, self, frame, area);
    }
}

/// Draws the reports screen.
fn render(cx: &Cx<'_>, view: &ReportView, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
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
        super::form_view::render_form(form, lang, cx.theme, frame, inner);
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
