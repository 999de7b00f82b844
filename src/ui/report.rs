//! The reports screen: a period's figures as tables, a bar chart of categories,
//! a sparkline of daily intake; other periods, chosen dates, one department.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Sparkline};

use super::component::{Component, Cx, Effect};
use super::form::{Field, Form};
use super::keymap::{Action, Scope};
use super::widgets::wrap::{wrap, wrap_labelled};
use crate::desk::ReportQuery;
use crate::domain::deadline::local_date;
use crate::report::{Period, PeriodName, Report};
use crate::words::t;
use crate::words::width::{pad, width};

/// The reports screen.
#[derive(Debug)]
pub struct ReportView {
    /// The period shown.
    pub period: PeriodName,
    /// The figures.
    pub report: Report,
    /// Scroll.
    pub scroll: u16,
    /// The farthest the figures scroll at the last frame's size.
    max_scroll: std::cell::Cell<u16>,
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
    let today = local_date(cx.desk.policy.timezone, cx.desk.now());
    let day = |text: &str| {
        crate::words::time::parse_day(text, chrono::Datelike::year(&today))
            .ok_or_else(|| crate::words::time::refused(words.lang, text))
    };
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
            max_scroll: std::cell::Cell::new(0),
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
            Scope::Report
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
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(self.max_scroll.get()),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10).min(self.max_scroll.get()),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = self.max_scroll.get(),
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
                    // Named by the period's first and last day (`until` is the day after).
                    name: format!(
                        "report-{}-{}.html",
                        r.period.from,
                        r.period.until.pred_opt().unwrap_or(r.period.until)
                    ),
                    contents: crate::report::render(
                        r,
                        cx.lang(),
                        crate::report::ReportFormat::Html,
                        &cx.desk.policy.organisation.name,
                    ),
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

/// The report's figures as lines `cols` wide: each section's heading, then
/// its items with their values, a long label's value wrapped under it.
fn text_lines(r: &Report, lang: crate::words::Lang, cols: u16) -> Vec<Line<'static>> {
    let cols = usize::from(cols).max(10);
    let rows = crate::report::rows(r, lang);
    let label_w = rows
        .iter()
        .map(|(_, item, _)| width(item))
        .max()
        .unwrap_or(0)
        .min(cols / 2);
    let mut out = Vec::new();
    let mut last = String::new();
    for (sec, item, val) in &rows {
        if *sec != last {
            if !last.is_empty() {
                out.push(Line::default());
            }
            out.push(Line::styled(sec.clone(), Style::default().add_modifier(Modifier::BOLD)));
            last.clone_from(sec);
        }
        let label = if width(item) > label_w {
            format!(" {item} ")
        } else {
            format!(" {} ", pad(item, label_w))
        };
        if width(&label) + 4 > cols {
            // The label on its own lines, the value under it.
            out.extend(wrap(item, cols - 1).into_iter().map(|l| Line::from(format!(" {l}"))));
            out.extend(wrap(val, cols - 3).into_iter().map(|l| Line::from(format!("   {l}"))));
        } else {
            out.extend(wrap_labelled(&label, val, cols).into_iter().map(Line::from));
        }
    }
    out.push(Line::default());
    out.push(Line::styled(
        t(lang, "report.sec.daily"),
        Style::default().add_modifier(Modifier::BOLD),
    ));
    out.push(Line::from(format!(" {}", crate::report::sparkline(&r.daily))));
    out
}

/// A bar chart of labelled counts, one bar a line, its labels whole.
fn bars<'a>(title: String, data: &'a [(String, u64)], rows: u16) -> BarChart<'a> {
    let bars: Vec<Bar<'_>> = data
        .iter()
        .take(usize::from(rows))
        .map(|(label, n)| Bar::default().value(*n).label(Line::from(label.clone())))
        .collect();
    BarChart::default()
        .block(Block::default().borders(Borders::ALL).title(title))
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
}

/// Draws the reports screen.
fn render(cx: &Cx<'_>, view: &ReportView, frame: &mut Frame<'_>, area: Rect) {
    let lang = cx.lang();
    let r = &view.report;
    let title = crate::report::title(r, lang);
    let wide = area.width >= 110;
    let [top, bottom] = if wide {
        Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(area)
    } else {
        [area, Rect::default()]
    };
    let [text_area, chart_area] = if wide {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(top)
    } else {
        [top, Rect::default()]
    };
    let block = Block::default().borders(Borders::ALL);
    let inner = block.inner(text_area);
    let mut lines = text_lines(r, lang, inner.width);
    // A title too long for the border (a filtered report on a narrow
    // terminal) is written whole above the figures instead.
    let block = if width(&title) <= usize::from(inner.width) {
        block.title(title)
    } else {
        let head = wrap(&title, usize::from(inner.width))
            .into_iter()
            .map(|l| Line::styled(l, Style::default().add_modifier(Modifier::BOLD)));
        lines.splice(0..0, head);
        block
    };
    let most = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height);
    view.max_scroll.set(most);
    frame.render_widget(
        Paragraph::new(lines).scroll((view.scroll.min(most), 0)).block(block),
        text_area,
    );
    if chart_area.width > 0 {
        let rows = chart_area.height.saturating_sub(2);
        frame.render_widget(bars(t(lang, "report.sec.category"), &r.by_category, rows), chart_area);
    }
    if bottom.width > 0 {
        let [spark, chart2] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);
        let data: Vec<u64> = r.daily.iter().map(|(_, n)| *n).collect();
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
        let overdue: Vec<(String, u64)> = r.depts.iter().map(|d| (d.dept.clone(), d.overdue_now)).collect();
        let rows = chart2.height.saturating_sub(2);
        frame.render_widget(bars(t(lang, "report.sec.dept_overdue"), &overdue, rows), chart2);
    }
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
}
