//! The printed handover (交接班记录): the shift, both signatures, cautions,
//! the checklist, the cases and log entries handed over, the questions.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::{Doc, PrintFormat};
use crate::domain::StaffId;
use crate::domain::handover::LogEnding;
use crate::store::CaseRow;
use crate::store::duty::HandoverRecord;
use crate::words::time::show;
use crate::words::{Lang, t, tf};

/// The printed handover.
#[must_use]
pub fn render(
    record: &HandoverRecord,
    names: &HashMap<StaffId, String>,
    lang: Lang,
    tz: Tz,
    format: PrintFormat,
) -> String {
    let h = &record.handover;
    let s = &record.sections;
    let name = |id: StaffId| names.get(&id).cloned().unwrap_or_else(|| format!("#{}", id.0));
    let mut doc = Doc::new(format, "交接班记录");
    doc.title(&tf(
        lang,
        "print.title",
        &[
            ("shift", t(lang, h.shift.kind.label_key())),
            ("start", show(h.shift.start, tz)),
            ("end", show(h.shift.end, tz)),
        ],
    ));
    signatures(&mut doc, record, &name, lang, tz);
    doc.heading(&t(lang, "print.cautions"));
    doc.line(if h.cautions.is_empty() { "—" } else { &h.cautions });
    doc.heading(&t(lang, "print.checklist"));
    for c in &h.checklist {
        let mark = if c.ticked { "☑" } else { "☐" };
        doc.item(&format!(
            "{mark} {}{}",
            c.item,
            c.note.as_ref().map(|n| format!("（{n}）")).unwrap_or_default()
        ));
    }
    let cases = |doc: &mut Doc, key: &str, rows: &[CaseRow]| {
        doc.heading(&tf(lang, key, &[("n", rows.len().to_string())]));
        if rows.is_empty() {
            doc.line("—");
        }
        for r in rows {
            let state = crate::domain::State::parse(&r.state)
                .map(|x| t(lang, &x.label_key()))
                .unwrap_or_default();
            doc.item(&format!(
                "{}  {}  {}  {}  {}  {}",
                r.number,
                state,
                r.owner,
                r.next_due.map_or_else(|| "—".into(), |d| show(d, tz)),
                r.dept.clone().unwrap_or_default(),
                r.summary
            ));
        }
    };
    cases(&mut doc, "print.due_next_shift", &s.due_next_shift);
    cases(&mut doc, "print.overdue", &s.overdue);
    cases(&mut doc, "print.escalated", &s.escalated);
    cases(&mut doc, "print.visits_due", &s.visits_due);
    cases(&mut doc, "print.received", &s.received);
    cases(&mut doc, "print.transfers", &s.transfers);
    if !h.hand_over.is_empty() || !s.handed_over.is_empty() {
        cases(&mut doc, "print.handed_over", &s.handed_over);
    }
    doc.heading(&tf(lang, "print.open_log", &[("n", s.open_log.len().to_string())]));
    if s.open_log.is_empty() {
        doc.line("—");
    }
    for e in &s.open_log {
        let ending = match &e.ending {
            Some(LogEnding::CarriedOver { reason }) => reason.clone(),
            _ => String::new(),
        };
        doc.item(&format!(
            "{}  {}  {}  {} {}",
            show(e.at, tz),
            e.who,
            e.what,
            e.action,
            ending
        ));
    }
    notes(&mut doc, &s.notes, lang, tz);
    doc.heading(&t(lang, "print.questions"));
    if h.questions.is_empty() {
        doc.line("—");
    }
    // The thread: each question, then the outgoing clerk's answers to it.
    for (i, q) in h.questions.iter().enumerate() {
        doc.item(q);
        for a in h.answers_to(i) {
            doc.item(&tf(
                lang,
                "print.answer",
                &[
                    ("name", name(h.outgoing)),
                    ("at", show(a.at, tz)),
                    ("text", a.text.clone()),
                ],
            ));
        }
    }
    doc.finish()
}

/// Who handed over and who took over, when each signed, and the audit
/// chain's head when the handover was signed: on paper, out of reach of
/// anyone who could rewrite the desk file (`casedesk check --anchors`).
fn signatures(doc: &mut Doc, record: &HandoverRecord, name: &dyn Fn(StaffId) -> String, lang: Lang, tz: Tz) {
    let h = &record.handover;
    doc.line(&format!("{}：{}", t(lang, "print.outgoing"), name(h.outgoing)));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.outgoing_signed"),
        h.outgoing_signed_at
            .map_or_else(|| t(lang, "print.not_signed"), |x| show(x, tz))
    ));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.incoming"),
        h.incoming.map_or_else(|| t(lang, "print.not_signed"), name)
    ));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.incoming_signed"),
        h.incoming_signed_at
            .map_or_else(|| t(lang, "print.not_signed"), |x| show(x, tz))
    ));
    if let Some(a) = &record.anchor {
        doc.line(&format!(
            "{}：{}",
            t(lang, "print.anchor"),
            tf(
                lang,
                "print.anchor_value",
                &[("events", a.events.to_string()), ("hash", a.hex())]
            )
        ));
    }
}

/// The notes and corrections recorded on cases during the shift.
fn notes(doc: &mut Doc, notes: &[crate::store::duty::ShiftNote], lang: Lang, tz: Tz) {
    doc.heading(&tf(lang, "print.notes", &[("n", notes.len().to_string())]));
    if notes.is_empty() {
        doc.line("—");
    }
    let words = crate::words::Words { lang, tz };
    for n in notes {
        doc.item(&format!(
            "{}  {}  {}  {}",
            n.number,
            show(n.at, tz),
            n.who,
            crate::words::events::shift_note_text(words, &n.body, n.confidential)
        ));
    }
}
