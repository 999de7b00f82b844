//! The handover screen's rows: every section with its count, each case with
//! where it stands, the cautions, the open duty-log entries and the question
//! thread; and how each row is drawn at the terminal's width.

use ratatui::text::{Line, Span};
use ratatui::widgets::ListItem;

use super::HandoverView;
use crate::domain::handover::LogEnding;
use crate::store::CaseRow;
use crate::ui::component::Cx;
use crate::words::time::show;
use crate::words::width::width;
use crate::words::{Lang, t, tf};

/// One row of the handover screen; the cursor stops on every row but headings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// A section's heading, with how many items it holds.
    Heading(String),
    /// A checklist item, by index.
    Item(usize),
    /// A listed case.
    Case(Box<CaseRow>),
    /// One line of the cautions.
    Caution(String),
    /// An open (or carried-over) duty-log entry, by index in the section.
    Log(usize),
    /// A note or a correction of the shift, by index in the section.
    Note(usize),
    /// A question of the incoming clerk, by index.
    Question(usize),
    /// An answer of the outgoing clerk: the question's index and the answer's.
    Answer(usize, usize),
    /// Nothing in the section.
    Nothing,
}

impl Row {
    /// The cursor skips headings.
    #[must_use]
    pub fn selectable(&self) -> bool {
        !matches!(self, Row::Heading(_))
    }
}

/// The rows of `view`'s handover, in order: checklist, cases handed over with
/// it, the case sections, cautions, open duty-log entries, questions.
#[must_use]
pub fn rows(view: &HandoverView, lang: Lang) -> Vec<Row> {
    let h = &view.record.handover;
    let s = &view.record.sections;
    let mut out = Vec::new();
    let done = h.checklist.iter().filter(|c| c.settled()).count();
    out.push(Row::Heading(tf(
        lang,
        "ui.handover.checklist",
        &[("done", done.to_string()), ("n", h.checklist.len().to_string())],
    )));
    out.extend((0..h.checklist.len()).map(Row::Item));
    // Before the outgoing signature the marked cases are listed live; after
    // it, as frozen with the sections.
    let handed: Vec<CaseRow> = if s.handed_over.is_empty() {
        h.hand_over.iter().filter_map(|n| find(s, n)).cloned().collect()
    } else {
        s.handed_over.clone()
    };
    let mut sections = vec![
        ("print.due_next_shift", &s.due_next_shift),
        ("print.overdue", &s.overdue),
        ("print.escalated", &s.escalated),
        ("print.visits_due", &s.visits_due),
        ("print.received", &s.received),
        ("print.transfers", &s.transfers),
    ];
    if !h.hand_over.is_empty() {
        sections.insert(0, ("print.handed_over", &handed));
    }
    for (key, list) in sections {
        out.push(Row::Heading(tf(lang, key, &[("n", list.len().to_string())])));
        if list.is_empty() {
            out.push(Row::Nothing);
        }
        out.extend(list.iter().cloned().map(|r| Row::Case(Box::new(r))));
    }
    let cautions: Vec<&str> = h.cautions.lines().filter(|l| !l.trim().is_empty()).collect();
    out.push(Row::Heading(tf(
        lang,
        "ui.handover.cautions",
        &[("n", cautions.len().to_string())],
    )));
    if cautions.is_empty() {
        out.push(Row::Nothing);
    }
    out.extend(cautions.into_iter().map(|l| Row::Caution(l.to_string())));
    out.push(Row::Heading(tf(
        lang,
        "print.open_log",
        &[("n", s.open_log.len().to_string())],
    )));
    if s.open_log.is_empty() {
        out.push(Row::Nothing);
    }
    out.extend((0..s.open_log.len()).map(Row::Log));
    out.push(Row::Heading(tf(
        lang,
        "print.notes",
        &[("n", s.notes.len().to_string())],
    )));
    if s.notes.is_empty() {
        out.push(Row::Nothing);
    }
    out.extend((0..s.notes.len()).map(Row::Note));
    out.push(Row::Heading(tf(
        lang,
        "ui.handover.questions",
        &[
            ("n", h.questions.len().to_string()),
            ("answered", answered(view).to_string()),
        ],
    )));
    if h.questions.is_empty() {
        out.push(Row::Nothing);
    }
    for q in 0..h.questions.len() {
        out.push(Row::Question(q));
        out.extend(
            h.answers
                .iter()
                .enumerate()
                .filter(|(_, a)| a.question == q)
                .map(|(i, _)| Row::Answer(q, i)),
        );
    }
    out
}

/// How many questions have an answer.
fn answered(view: &HandoverView) -> usize {
    let h = &view.record.handover;
    (0..h.questions.len())
        .filter(|q| h.answers_to(*q).next().is_some())
        .count()
}

/// A case's list line in any section.
fn find<'a>(s: &'a crate::store::duty::Sections, number: &str) -> Option<&'a CaseRow> {
    [
        &s.due_next_shift,
        &s.overdue,
        &s.escalated,
        &s.visits_due,
        &s.received,
        &s.transfers,
    ]
    .into_iter()
    .flatten()
    .find(|r| r.number == number)
}

/// Breaks `parts` into lines of at most `cols` columns after `indent`, a part never split.
fn flow(indent: &str, parts: &[String], cols: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line = indent.to_string();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        if width(&line) > width(indent) && width(&line) + 2 + width(p) > cols {
            lines.push(Line::from(std::mem::replace(&mut line, indent.to_string())));
        }
        if width(&line) > width(indent) {
            line.push_str("  ");
        }
        line.push_str(p);
    }
    lines.push(Line::from(line));
    lines
}

/// The rows drawn as list items, `cols` wide.
#[must_use]
pub fn items(view: &HandoverView, cx: &Cx<'_>, cols: usize) -> Vec<ListItem<'static>> {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let h = &view.record.handover;
    let s = &view.record.sections;
    let name = |id| view.names.get(&id).cloned().unwrap_or_default();
    view.rows
        .iter()
        .map(|row| match row {
            Row::Heading(text) => ListItem::new(Line::from(Span::styled(text.clone(), cx.theme.focus()))),
            Row::Item(i) => {
                let c = &h.checklist[*i];
                let mark = if c.ticked { "[x]" } else { "[ ]" };
                let note = c.note.as_ref().map(|n| format!("（{n}）")).unwrap_or_default();
                ListItem::new(format!("{mark} {}{note}", c.item))
            }
            Row::Case(r) => ListItem::new(case_lines(view, cx, r, cols)),
            Row::Caution(text) => ListItem::new(
                crate::ui::widgets::wrap::wrap(text, cols.saturating_sub(4))
                    .into_iter()
                    .map(|l| Line::from(format!("  {l}")))
                    .collect::<Vec<_>>(),
            ),
            Row::Log(i) => {
                let e = &s.open_log[*i];
                let ending = match &e.ending {
                    Some(LogEnding::CarriedOver { reason }) => tf(lang, "duty.carried", &[("reason", reason.clone())]),
                    _ => t(lang, "duty.open"),
                };
                let parts = [
                    format!("#{} {}", e.id, show(e.at, tz)),
                    e.who.clone(),
                    e.what.clone(),
                    e.action.clone(),
                    format!("[{ending}]"),
                ];
                ListItem::new(flow("  ", &parts, cols))
            }
            Row::Note(i) => {
                let n = &s.notes[*i];
                let parts = [
                    n.number.clone(),
                    show(n.at, tz),
                    n.who.clone(),
                    crate::words::events::shift_note_text(cx.words(), &n.body, n.confidential),
                ];
                ListItem::new(flow("  ", &parts, cols))
            }
            Row::Question(q) => ListItem::new(
                crate::ui::widgets::wrap::wrap_labelled(
                    &format!("{}. ", q + 1),
                    &h.questions[*q],
                    cols.saturating_sub(3),
                )
                .into_iter()
                .map(|l| Line::from(format!("? {l}")))
                .collect::<Vec<_>>(),
            ),
            Row::Answer(_, a) => {
                let a = &h.answers[*a];
                let label = tf(
                    lang,
                    "ui.handover.answer_by",
                    &[("name", name(h.outgoing)), ("at", show(a.at, tz))],
                );
                ListItem::new(
                    crate::ui::widgets::wrap::wrap_labelled(&label, &a.text, cols.saturating_sub(6))
                        .into_iter()
                        .map(|l| Line::from(format!("   ↳ {l}")))
                        .collect::<Vec<_>>(),
                )
            }
            Row::Nothing => ListItem::new("  —"),
        })
        .collect()
}

/// A case: its number, state, owner and summary; then its next deadline and
/// when it is due, the caller's phone and the last step taken.
fn case_lines(view: &HandoverView, cx: &Cx<'_>, r: &CaseRow, cols: usize) -> Vec<Line<'static>> {
    let lang = cx.lang();
    let tz = cx.desk.policy.timezone;
    let brief = view.briefs.get(&r.number);
    let state = brief.map_or_else(
        || {
            crate::domain::State::parse(&r.state)
                .map(|s| t(lang, &s.label_key()))
                .unwrap_or_default()
        },
        |b| t(lang, &b.state.label_key()),
    );
    let marked = view.record.handover.hand_over.contains(&r.number);
    let mut first = vec![
        r.number.clone(),
        format!("[{state}]"),
        r.owner.clone(),
        crate::words::width::truncate(&r.summary, cols.saturating_sub(4).max(10)),
    ];
    if marked {
        first.insert(1, t(lang, "ui.handover.marked"));
    }
    let mut lines = flow("  ", &first, cols);
    let Some(b) = brief else { return lines };
    let due = match b.next_deadline {
        Some((kind, due)) => {
            let text = tf(
                lang,
                "ui.handover.due",
                &[("deadline", t(lang, &kind.label_key())), ("due", show(due, tz))],
            );
            if due <= cx.now { format!("⚠ {text}") } else { text }
        }
        None => t(lang, "ui.handover.nothing_due"),
    };
    let phone = b
        .phone
        .as_ref()
        .map(|p| tf(lang, "ui.handover.phone", &[("phone", p.clone())]))
        .unwrap_or_default();
    let last = b.last_step.map_or_else(String::new, |(code, at, by)| {
        tf(
            lang,
            "ui.handover.last_step",
            &[
                ("step", t(lang, &format!("event.{code}"))),
                ("at", show(at, tz)),
                ("name", view.names.get(&by).cloned().unwrap_or_default()),
            ],
        )
    });
    lines.extend(flow("      ", &[due, phone, last], cols));
    lines
}
