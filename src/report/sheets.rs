//! The report as tables of figures for a spreadsheet: counts, rates with
//! their numerator and denominator, a row per department. An xlsx workbook
//! has a worksheet per section; the CSV has a row per figure, every number
//! in a column of its own.

use chrono::NaiveDate;

use super::{Ratio, Report};
use crate::print::sheet::{self, Cell, Sheet, SheetError};
use crate::words::{Lang, t, tf};

/// One figure of a section.
#[derive(Clone, Debug, PartialEq)]
enum Figure {
    /// A count.
    Count(u64),
    /// A figure with a fraction; `None` when there is nothing to count.
    Number(Option<f64>),
    /// How many of how many.
    Ratio(Ratio),
    /// A share in percent.
    Percent(Option<f64>),
    /// Words (a base's source).
    Text(String),
}

/// A section: its rows, each an item and a figure per measure.
struct Section {
    /// Its name (the CSV's first column).
    name: String,
    /// Its worksheet's name: short, as a tab has room for.
    tab: String,
    /// The heading of its item column.
    item: String,
    /// What each figure measures: one for most sections.
    measures: Vec<String>,
    /// The item (a day for daily intake) and its figures.
    rows: Vec<(Item, Vec<Figure>)>,
}

/// What a row is about.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Text(String),
    Day(NaiveDate),
}

fn sections(r: &Report, lang: Lang) -> Vec<Section> {
    let s = |k: &str| t(lang, k);
    let count = s("report.sheet.count");
    let items = |rows: &[(String, u64)]| -> Vec<(Item, Vec<Figure>)> {
        rows.iter()
            .map(|(k, v)| (Item::Text(k.clone()), vec![Figure::Count(*v)]))
            .collect()
    };
    let section = |key: &str, measures: Vec<String>, rows| Section {
        name: s(key),
        tab: s(&key.replace("report.sec.", "report.tab.")),
        item: s("report.col.item"),
        measures,
        rows,
    };
    let mut out = Vec::new();
    let summary = vec![
        ("report.total", Figure::Count(r.total)),
        ("report.closed", Figure::Count(r.closed)),
        ("report.overdue_now", Figure::Count(r.overdue_now)),
        ("report.urges", Figure::Count(r.urges)),
        ("report.late", Figure::Count(r.late.total)),
        (
            "report.avg_wd",
            Figure::Number(r.avg_wd_to_close.map(|x| (x * 10.0).round() / 10.0)),
        ),
    ];
    let summary = summary.into_iter().map(|(k, f)| (Item::Text(s(k)), vec![f])).collect();
    out.push(section("report.sec.summary", vec![s("report.col.value")], summary));
    let rates = [
        ("report.recorded", r.recorded),
        ("report.answered_in_time", r.answered_in_time),
        ("report.handled", r.handled),
        ("report.fed_back", r.fed_back),
        ("report.visit_rate", r.visit_rate),
        ("report.visit_coverage", r.visit_coverage),
        ("report.satisfaction", r.satisfaction),
        ("report.on_time", r.on_time),
        ("report.repeat_rate", r.repeat),
    ];
    let rates = rates
        .into_iter()
        .map(|(k, v)| (Item::Text(s(k)), vec![Figure::Ratio(v)]))
        .collect();
    out.push(section("report.sec.rates", vec![String::new()], rates));
    if let Some(rate) = &r.rate {
        out.push(rate_section(rate, lang));
    }
    for (key, list) in [
        ("report.sec.channel", &r.by_channel),
        ("report.sec.kind", &r.by_kind),
        ("report.sec.category", &r.by_category),
        ("report.sec.dept", &r.by_dept),
        ("report.sec.severity", &r.by_severity),
        ("report.sec.justified", &r.justified_by_category),
        ("report.sec.callers", &r.top_callers),
    ] {
        out.push(section(key, vec![count.clone()], items(list)));
    }
    out.push(dept_section(r, lang));
    if let Some(liable) = &r.responsibility {
        out.push(liable_section(&liable.depts, liable.penalties, true, lang));
        out.push(liable_section(&liable.persons, liable.penalties, false, lang));
    }
    let hot = r
        .hot_spots
        .iter()
        .map(|h| {
            (
                Item::Text(h.category.clone()),
                vec![Figure::Count(h.before), Figure::Count(h.now)],
            )
        })
        .collect();
    out.push(section(
        "report.sec.hot",
        vec![s("report.sheet.before"), s("report.sheet.now")],
        hot,
    ));
    // A person's row names them as the other formats do.
    let persons: Vec<(String, u64)> = super::rows(r, lang)
        .into_iter()
        .filter(|(sec, _, _)| *sec == s("report.sec.persons"))
        .map(|(_, item, _)| item)
        .zip(r.persons.iter().map(|p| p.complaints))
        .collect();
    out.push(section("report.sec.persons", vec![count.clone()], items(&persons)));
    if let Some(owners) = &r.by_owner {
        out.push(section("report.sec.owner", vec![count.clone()], items(owners)));
    }
    out.push(section(
        "report.sec.late_step",
        vec![count.clone()],
        items(&r.late.by_step),
    ));
    if let Some(clerks) = &r.late.by_clerk {
        out.push(section("report.sec.late_clerk", vec![count.clone()], items(clerks)));
    }
    let daily = r
        .daily
        .iter()
        .map(|(day, n)| (Item::Day(*day), vec![Figure::Count(*n)]))
        .collect();
    let mut daily = section("report.sec.daily", vec![count], daily);
    daily.item = s("report.sheet.day");
    out.push(daily);
    out
}

/// The departments' table: a row per department, a figure per measure.
fn dept_section(r: &Report, lang: Lang) -> Section {
    let s = |k: &str| t(lang, k);
    let rows = r
        .depts
        .iter()
        .map(|d| {
            let figures = vec![
                Figure::Count(d.cases),
                Figure::Ratio(d.on_time),
                Figure::Count(d.overdue_now),
                Figure::Count(d.urges),
                Figure::Count(d.justified),
            ];
            (Item::Text(d.dept.clone()), figures)
        })
        .collect();
    let measures = ["cases", "on_time", "overdue", "urges", "justified"];
    Section {
        name: s("report.sec.depts"),
        tab: s("report.tab.depts"),
        item: s("report.sheet.dept.dept"),
        measures: measures.iter().map(|m| s(&format!("report.sheet.dept.{m}"))).collect(),
        rows,
    }
}

/// Graded responsibility per department (`dept`) or per person: replies by
/// tier, with a penalty table the yuan, points and joint liability, and for
/// departments the late replies (压单).
fn liable_section(lines: &[super::Liable], penalties: bool, dept: bool, lang: Lang) -> Section {
    let s = |k: &str| t(lang, k);
    let mut measures = vec!["light", "medium", "severe"];
    if penalties {
        measures.extend(["yuan", "points", "joint_yuan"]);
    }
    if dept {
        measures.extend(["late_replies", "late_days"]);
        if penalties {
            measures.push("late_yuan");
        }
    }
    let rows = lines
        .iter()
        .map(|l| {
            let figures = measures
                .iter()
                .map(|m| {
                    Figure::Count(match *m {
                        "light" => l.light,
                        "medium" => l.medium,
                        "severe" => l.severe,
                        "yuan" => l.yuan,
                        "points" => l.points,
                        "joint_yuan" => l.joint_yuan,
                        "late_replies" => l.late_replies,
                        "late_days" => l.late_days,
                        _ => l.late_yuan,
                    })
                })
                .collect();
            (Item::Text(l.name.clone()), figures)
        })
        .collect();
    let (key, name) = if dept {
        ("liable_dept", "name_dept")
    } else {
        ("liable_person", "name_person")
    };
    Section {
        name: s(&format!("report.sec.{key}")),
        tab: s(&format!("report.tab.{key}")),
        item: s(&format!("report.sheet.liable.{name}")),
        measures: measures
            .iter()
            .map(|m| s(&format!("report.sheet.liable.{m}")))
            .collect(),
        rows,
    }
}

/// The rates per 10,000 and per million: the base (or why there is none),
/// then each count with its share and rates.
fn rate_section(rate: &super::Rate, lang: Lang) -> Section {
    let s = |k: &str| t(lang, k);
    let measures = [
        "count",
        "share",
        "per_10k",
        "per_million",
        "note",
        "previous_count",
        "previous_per_10k",
    ]
    .iter()
    .map(|m| s(&format!("report.sheet.per.{m}")))
    .collect();
    // The base's row says where it came from, as the text report does.
    let note = super::render::rate_rows(rate, lang)
        .into_iter()
        .next()
        .map(|(_, v)| v)
        .unwrap_or_default();
    let mut rows = vec![(
        Item::Text(rate.base_label.clone()),
        vec![
            rate.base.map_or(Figure::Number(None), Figure::Count),
            Figure::Percent(None),
            Figure::Number(None),
            Figure::Number(None),
            Figure::Text(note),
            rate.previous_base.map_or(Figure::Number(None), Figure::Count),
            Figure::Number(None),
        ],
    )];
    for line in rate.lines.iter().filter(|l| l.per_10k.is_some()) {
        rows.push((
            Item::Text(line.item.clone()),
            vec![
                Figure::Count(line.count),
                Figure::Percent(line.share),
                Figure::Number(line.per_10k),
                Figure::Number(line.per_million),
                Figure::Text(String::new()),
                line.previous_count.map_or(Figure::Number(None), Figure::Count),
                Figure::Number(line.previous_per_10k),
            ],
        ));
    }
    Section {
        name: s("report.sec.rate"),
        tab: s("report.tab.rate"),
        item: s("report.col.item"),
        measures,
        rows,
    }
}

fn item_cell(item: &Item) -> Cell {
    match item {
        Item::Text(s) => Cell::Text(s.clone()),
        Item::Day(d) => Cell::Date(*d),
    }
}

/// A rate in percent, as exact as its counts allow (the text shows one decimal).
fn percent(r: Ratio) -> Cell {
    #[allow(clippy::cast_precision_loss)]
    if r.den == 0 {
        Cell::Empty
    } else {
        Cell::Percent(r.num as f64 * 100.0 / r.den as f64)
    }
}

/// The report as an xlsx workbook: the title first, then a worksheet per
/// section, a rate as its numerator, denominator and percentage.
pub fn workbook(r: &Report, lang: Lang) -> Result<Vec<u8>, SheetError> {
    let mut sheets = Vec::new();
    for (i, sec) in sections(r, lang).into_iter().enumerate() {
        let mut headings = vec![sec.item.clone()];
        for (m, figure) in sec
            .measures
            .iter()
            .zip(sec.rows.first().map(|r| &r.1).into_iter().flatten())
        {
            if let Figure::Ratio(_) = figure {
                let named = |key: &str| {
                    if m.is_empty() {
                        t(lang, key)
                    } else {
                        tf(lang, &format!("{key}_of"), &[("m", m.clone())])
                    }
                };
                headings.extend([
                    named("report.sheet.num"),
                    named("report.sheet.den"),
                    named("report.sheet.rate"),
                ]);
            } else {
                headings.push(m.clone());
            }
        }
        // An empty section still names its columns.
        if sec.rows.is_empty() {
            headings.truncate(1);
            headings.extend(sec.measures.iter().filter(|m| !m.is_empty()).cloned());
        }
        let mut sheet = Sheet::new(sec.tab, headings);
        if i == 0 {
            // The title first, so the file says what it covers.
            let title = Cell::Text(sheet::cut(lang, &super::title(r, lang)));
            sheet.rows.push(vec![Cell::Text(t(lang, "report.col.title")), title]);
        }
        for (item, figures) in &sec.rows {
            let mut row = vec![item_cell(item)];
            for f in figures {
                match f {
                    Figure::Count(n) => row.push(Cell::Count(*n)),
                    Figure::Number(x) => row.push(x.map_or(Cell::Empty, Cell::Number)),
                    Figure::Percent(x) => row.push(x.map_or(Cell::Empty, Cell::Percent)),
                    Figure::Text(s) if s.is_empty() => row.push(Cell::Empty),
                    Figure::Text(s) => row.push(Cell::Text(sheet::cut(lang, s))),
                    Figure::Ratio(v) => row.extend([Cell::Count(v.num), Cell::Count(v.den), percent(*v)]),
                }
            }
            sheet.rows.push(row);
        }
        sheets.push(sheet);
    }
    sheet::workbook(&sheets)
}

/// The report as one CSV table: section, item, value, numerator,
/// denominator, rate (%) — a row per figure, a department's figures each a
/// row of their own (the section then names the measure).
#[must_use]
pub fn csv(r: &Report, lang: Lang) -> String {
    let headings = ["section", "item", "value", "num", "den", "rate"]
        .iter()
        .map(|c| t(lang, &format!("report.col.{c}")))
        .collect();
    let mut table = Sheet::new(String::new(), headings);
    let title = Cell::Text(sheet::cut(lang, &super::title(r, lang)));
    table.rows.push(vec![
        Cell::Text(t(lang, "report.sec.report")),
        Cell::Text(t(lang, "report.col.title")),
        title,
    ]);
    for sec in sections(r, lang) {
        for (item, figures) in &sec.rows {
            for (m, f) in sec.measures.iter().zip(figures) {
                // A row of several figures writes those it has (a base has no rate).
                let empty = matches!(f, Figure::Number(None) | Figure::Percent(None))
                    || matches!(f, Figure::Text(s) if s.is_empty());
                if empty && sec.measures.len() > 1 {
                    continue;
                }
                let name = if sec.measures.len() == 1 {
                    sec.name.clone()
                } else {
                    tf(
                        lang,
                        "report.sheet.measure",
                        &[("sec", sec.name.clone()), ("m", m.clone())],
                    )
                };
                let mut row = vec![Cell::Text(name), item_cell(item)];
                match f {
                    Figure::Count(n) => row.push(Cell::Count(*n)),
                    Figure::Number(x) => row.push(x.map_or(Cell::Empty, Cell::Number)),
                    Figure::Text(s) => row.push(Cell::Text(sheet::cut(lang, s))),
                    Figure::Percent(x) => {
                        row.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
                        row.push(x.map_or(Cell::Empty, Cell::Percent));
                    }
                    Figure::Ratio(v) => row.extend([Cell::Empty, Cell::Count(v.num), Cell::Count(v.den), percent(*v)]),
                }
                table.rows.push(row);
            }
        }
    }
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = sheet::write_csv(&table, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
