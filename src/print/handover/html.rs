//! The handover as an A4 page: tables with column headings, headings kept
//! with what follows them, and a table to sign and date by hand beside the
//! signature times the desk recorded.

use maud::{Markup, html};

use super::{Context, HandoverRecord, anchor, answer, carried, case_sections, signed, state, title};
use crate::print::page::{Letterhead, Paper, blank, page as sheet, shown};
use crate::words::time::show;
use crate::words::{t, tf};

/// The whole page.
pub(super) fn page(record: &HandoverRecord, cx: &Context<'_>) -> String {
    let title = title(record, cx);
    let head = Letterhead {
        lang: cx.lang,
        title: &title,
        organisation: cx.organisation,
    };
    let body = html! {
        (people(record, cx))
        (cautions(record, cx))
        (checklist(record, cx))
        (cases(record, cx))
        (log(record, cx))
        (notes(record, cx))
        (questions(record, cx))
        (signatures(record, cx))
    };
    sheet(&head, Paper::A4, &body)
}

/// A column heading in the page's language.
fn col(cx: &Context<'_>, key: &str) -> String {
    t(cx.lang, &format!("print.col.{key}"))
}

/// Who handed over and who took over.
fn people(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let h = &record.handover;
    let incoming = h
        .incoming
        .map_or_else(|| t(cx.lang, "print.not_signed"), |id| cx.name(id));
    let colon = t(cx.lang, "print.colon");
    html! {
        p {
            (t(cx.lang, "print.outgoing")) (colon) (shown(&cx.name(h.outgoing)))
            "　　" (t(cx.lang, "print.incoming")) (colon) (shown(&incoming))
        }
    }
}

fn cautions(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let c = &record.handover.cautions;
    html! {
        h2 { (t(cx.lang, "print.cautions")) }
        p { @if c.is_empty() { "—" } @else { (shown(c)) } }
    }
}

fn checklist(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    html! {
        h2 { (t(cx.lang, "print.checklist")) }
        table.checklist {
            thead { tr { th { (col(cx, "item")) } th { (col(cx, "done")) } th { (col(cx, "note")) } } }
            tbody {
                @for c in &record.handover.checklist {
                    tr {
                        td { (shown(&c.item)) }
                        td { @if c.ticked { "☑" } @else { "☐" } }
                        td { (shown(c.note.as_deref().unwrap_or(""))) }
                    }
                }
            }
        }
    }
}

fn cases(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    html! {
        @for (key, rows) in case_sections(record) {
            h2 { (tf(cx.lang, key, &[("n", rows.len().to_string())])) }
            @if rows.is_empty() {
                p { "—" }
            } @else {
                table.cases {
                    thead {
                        tr {
                            @for c in ["number", "state", "owner", "next_due", "dept", "summary"] {
                                th { (col(cx, c)) }
                            }
                        }
                    }
                    tbody {
                        @for r in rows {
                            tr {
                                td.nowrap { (shown(&r.number)) }
                                td.nowrap { (state(cx.lang, r)) }
                                td.nowrap { (shown(&r.owner)) }
                                td.nowrap { (r.next_due.map_or_else(|| "—".into(), |d| show(d, cx.tz))) }
                                td { (shown(r.dept.as_deref().unwrap_or(""))) }
                                td { (shown(&r.summary)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn log(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let entries = &record.sections.open_log;
    html! {
        h2 { (tf(cx.lang, "print.open_log", &[("n", entries.len().to_string())])) }
        @if entries.is_empty() {
            p { "—" }
        } @else {
            table.log {
                thead {
                    tr {
                        @for c in ["at", "who", "what", "action", "carried"] {
                            th { (col(cx, c)) }
                        }
                    }
                }
                tbody {
                    @for e in entries {
                        tr {
                            td.nowrap { (show(e.at, cx.tz)) }
                            td { (shown(&e.who)) }
                            td { (shown(&e.what)) }
                            td { (shown(&e.action)) }
                            td { (shown(&carried(e.ending.as_ref()))) }
                        }
                    }
                }
            }
        }
    }
}

/// The notes and corrections recorded on cases during the shift.
fn notes(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let notes = &record.sections.notes;
    let words = crate::words::Words {
        lang: cx.lang,
        tz: cx.tz,
    };
    html! {
        h2 { (tf(cx.lang, "print.notes", &[("n", notes.len().to_string())])) }
        @if notes.is_empty() {
            p { "—" }
        } @else {
            table.notes {
                thead {
                    tr {
                        @for c in ["number", "at", "by", "entry"] {
                            th { (col(cx, c)) }
                        }
                    }
                }
                tbody {
                    @for n in notes {
                        tr {
                            td.nowrap { (shown(&n.number)) }
                            td.nowrap { (show(n.at, cx.tz)) }
                            td { (shown(&n.who)) }
                            td { (shown(&crate::words::events::shift_note_text(words, &n.body, n.confidential))) }
                        }
                    }
                }
            }
        }
    }
}

/// The incoming clerk's questions, each followed by its answers.
fn questions(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let h = &record.handover;
    html! {
        h2 { (t(cx.lang, "print.questions")) }
        @if h.questions.is_empty() {
            p { "—" }
        } @else {
            ul {
                @for (i, q) in h.questions.iter().enumerate() {
                    li { (shown(q)) }
                    @for a in h.answers_to(i) {
                        li { (shown(&answer(cx, record, a))) }
                    }
                }
            }
        }
    }
}

/// The signatures the desk recorded, each beside a blank to sign and date
/// by hand; the reviewer's row is for the paper only. Then the audit chain's head.
fn signatures(record: &HandoverRecord, cx: &Context<'_>) -> Markup {
    let h = &record.handover;
    let rows = [
        (
            "print.sign_outgoing",
            cx.name(h.outgoing),
            signed(cx, h.outgoing_signed_at),
        ),
        (
            "print.sign_incoming",
            h.incoming.map(|id| cx.name(id)).unwrap_or_default(),
            signed(cx, h.incoming_signed_at),
        ),
        ("print.sign_reviewer", String::new(), String::new()),
    ];
    html! {
        section.signs {
            h2 { (t(cx.lang, "print.signatures")) }
            table {
                thead {
                    tr {
                        th {}
                        @for c in ["name", "recorded", "signature", "date"] {
                            th { (col(cx, c)) }
                        }
                    }
                }
                tbody {
                    @for (key, name, at) in &rows {
                        tr {
                            th { (t(cx.lang, key)) }
                            td { (shown(name)) }
                            td.nowrap { (at) }
                            td { (blank()) }
                            td { (blank()) }
                        }
                    }
                }
            }
            @if let Some(line) = anchor(record, cx.lang) {
                p { (line) }
            }
        }
    }
}
