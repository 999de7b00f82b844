//! The report as an A4 page: the summary and the rates first, kept on the
//! first page; then a table per section with its heading row, the
//! departments' figures in columns; lines for who made it, who checked it
//! and when, to fill in by hand.

use maud::{Markup, html};

use super::Report;
use crate::print::page::{Letterhead, Paper, blank, page, shown};
use crate::words::{Lang, t};

/// The page; `organisation` heads it ("" = none).
#[must_use]
pub fn html(r: &Report, lang: Lang, organisation: &str) -> String {
    let title = super::title(r, lang);
    let rows = super::rows(r, lang);
    let first = [t(lang, "report.sec.summary"), t(lang, "report.sec.rates")];
    let depts = t(lang, "report.sec.depts");
    let mut sections: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    for (sec, item, value) in &rows {
        match sections.last_mut() {
            Some((last, items)) if *last == sec.as_str() => items.push((item, value)),
            _ => sections.push((sec, vec![(item, value)])),
        }
    }
    let (summary, rest): (Vec<_>, Vec<_>) = sections
        .into_iter()
        .partition(|(sec, _)| first.iter().any(|f| f == sec));
    let body = html! {
        section.summary-page {
            @for (sec, items) in &summary { (table(lang, sec, items)) }
        }
        @for (sec, items) in &rest {
            @if *sec == depts { (dept_table(r, lang)) } @else { (table(lang, sec, items)) }
        }
        (signs(lang))
    };
    let head = Letterhead {
        lang,
        title: &title,
        organisation,
    };
    page(&head, Paper::A4, &body)
}

/// A section: its heading, then its items and values under a heading row.
fn table(lang: Lang, sec: &str, items: &[(&str, &str)]) -> Markup {
    html! {
        h2 { (shown(sec)) }
        table.pairs {
            thead { tr { th { (t(lang, "report.col.item")) } th { (t(lang, "report.col.value")) } } }
            tbody {
                @for (item, value) in items {
                    tr { th { (shown(item)) } td { (shown(value)) } }
                }
            }
        }
    }
}

/// The departments' figures, a column each.
fn dept_table(r: &Report, lang: Lang) -> Markup {
    let cols = ["dept", "cases", "on_time", "overdue", "urges", "justified"];
    html! {
        h2 { (t(lang, "report.sec.depts")) }
        table.depts {
            thead { tr { @for c in cols { th { (t(lang, &format!("report.col.{c}"))) } } } }
            tbody {
                @for d in &r.depts {
                    tr {
                        th { (shown(&d.dept)) }
                        td.num { (d.cases) }
                        td.num { (d.on_time.text()) }
                        td.num { (d.overdue_now) }
                        td.num { (d.urges) }
                        td.num { (d.justified) }
                    }
                }
            }
        }
    }
}

/// Who made the report, who checked it, and when: filled in by hand.
fn signs(lang: Lang) -> Markup {
    html! {
        p.sign-line.signs {
            @for key in ["report.sign.maker", "report.sign.reviewer", "print.col.date"] {
                span { (t(lang, key)) (t(lang, "print.colon")) (blank()) }
            }
        }
    }
}
