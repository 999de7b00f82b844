//! The printed handover (交接班记录): the shift, both signatures, cautions,
//! the checklist, the cases and log entries handed over, the questions; as
//! text or Markdown here, as an A4 page in [`html`].

use std::collections::HashMap;

use chrono_tz::Tz;

use super::{Doc, PrintFormat};
use crate::domain::StaffId;
use crate::domain::handover::LogEnding;
use crate::store::CaseRow;
use crate::store::duty::HandoverRecord;
use crate::words::time::show;
use crate::words::{Lang, t, tf};

mod html;

/// What a printed handover is read with: the names of the desk's staff, the
/// page's language, the desk's time zone and its organisation's name.
pub struct Context<'a> {
    /// Staff names by id.
    pub names: &'a HashMap<StaffId, String>,
    /// The page's language.
    pub lang: Lang,
    /// The desk's time zone.
    pub tz: Tz,
    /// The organisation's name ("" = none).
    pub organisation: &'a str,
}

impl Context<'_> {
    /// A member of staff's name.
    fn name(&self, id: StaffId) -> String {
        crate::words::events::staff_name(self.names, id)
    }
}

/// The printed handover.
#[must_use]
pub fn render(record: &HandoverRecord, cx: &Context<'_>, format: PrintFormat) -> String {
    match format {
        PrintFormat::Html => html::page(record, cx),
        PrintFormat::Text => text(record, cx, false),
        PrintFormat::Md => text(record, cx, true),
    }
}

/// The page's title: the shift and its times.
fn title(record: &HandoverRecord, cx: &Context<'_>) -> String {
    let shift = &record.handover.shift;
    tf(
        cx.lang,
        "print.title",
        &[
            ("shift", t(cx.lang, shift.kind.label_key())),
            ("start", show(shift.start, cx.tz)),
            ("end", show(shift.end, cx.tz)),
        ],
    )
}

/// The case sections, each with its heading's key; a case is listed once
/// in a section however the lists were gathered.
fn case_sections(record: &HandoverRecord) -> Vec<(&'static str, Vec<&CaseRow>)> {
    let s = &record.sections;
    let mut out = vec![
        ("print.due_next_shift", &s.due_next_shift),
        ("print.overdue", &s.overdue),
        ("print.escalated", &s.escalated),
        ("print.visits_due", &s.visits_due),
        ("print.received", &s.received),
        ("print.transfers", &s.transfers),
    ];
    if !record.handover.hand_over.is_empty() || !s.handed_over.is_empty() {
        out.push(("print.handed_over", &s.handed_over));
    }
    out.into_iter()
        .map(|(key, rows)| {
            let mut seen = std::collections::HashSet::new();
            (key, rows.iter().filter(|r| seen.insert(r.number.as_str())).collect())
        })
        .collect()
}

/// A case row's state in words.
fn state(lang: Lang, row: &CaseRow) -> String {
    crate::domain::State::parse(&row.state)
        .map(|x| t(lang, &x.label_key()))
        .unwrap_or_default()
}

/// Why a log entry was carried over, if it was.
fn carried(ending: Option<&LogEnding>) -> String {
    match ending {
        Some(LogEnding::CarriedOver { reason }) => reason.clone(),
        _ => String::new(),
    }
}

/// The handover as plain text or Markdown.
fn text(record: &HandoverRecord, cx: &Context<'_>, markdown: bool) -> String {
    let (lang, tz) = (cx.lang, cx.tz);
    let h = &record.handover;
    let s = &record.sections;
    let mut doc = Doc::new(markdown);
    doc.title(&title(record, cx));
    signatures(&mut doc, record, cx);
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
    for (key, rows) in case_sections(record) {
        doc.heading(&tf(lang, key, &[("n", rows.len().to_string())]));
        if rows.is_empty() {
            doc.line("—");
        }
        for r in rows {
            doc.item(&format!(
                "{}  {}  {}  {}  {}  {}",
                r.number,
                state(lang, r),
                r.owner,
                r.next_due.map_or_else(|| "—".into(), |d| show(d, tz)),
                r.dept.clone().unwrap_or_default(),
                r.summary
            ));
        }
    }
    doc.heading(&tf(lang, "print.open_log", &[("n", s.open_log.len().to_string())]));
    if s.open_log.is_empty() {
        doc.line("—");
    }
    for e in &s.open_log {
        doc.item(&format!(
            "{}  {}  {}  {} {}",
            show(e.at, tz),
            e.who,
            e.what,
            e.action,
            carried(e.ending.as_ref())
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
            doc.item(&answer(cx, record, a));
        }
    }
    // Lines to sign and date by hand, as on the HTML page.
    doc.heading(&t(lang, "print.signatures"));
    let colon = t(lang, "print.colon");
    for key in ["print.sign_outgoing", "print.sign_incoming", "print.sign_reviewer"] {
        doc.line(&format!(
            "{}{colon}__________  {}{colon}__________",
            t(lang, key),
            t(lang, "print.col.date")
        ));
    }
    doc.finish()
}

/// An answer to a question, with who gave it and when.
fn answer(cx: &Context<'_>, record: &HandoverRecord, a: &crate::domain::handover::Answer) -> String {
    tf(
        cx.lang,
        "print.answer",
        &[
            ("name", cx.name(record.handover.outgoing)),
            ("at", show(a.at, cx.tz)),
            ("text", a.text.clone()),
        ],
    )
}

/// When a signature was recorded, or that it is not yet.
fn signed(cx: &Context<'_>, at: Option<crate::domain::Time>) -> String {
    at.map_or_else(|| t(cx.lang, "print.not_signed"), |x| show(x, cx.tz))
}

/// The audit chain's head when the handover was signed: on paper, out of
/// reach of anyone who could rewrite the desk file (`casedesk check --anchors`).
fn anchor(record: &HandoverRecord, lang: Lang) -> Option<String> {
    record.anchor.as_ref().map(|a| {
        format!(
            "{}：{}",
            t(lang, "print.anchor"),
            tf(
                lang,
                "print.anchor_value",
                &[("events", a.events.to_string()), ("hash", a.hex())]
            )
        )
    })
}

/// Who handed over and who took over, when each signed, and the audit chain's head.
fn signatures(doc: &mut Doc, record: &HandoverRecord, cx: &Context<'_>) {
    let h = &record.handover;
    let lang = cx.lang;
    doc.line(&format!("{}：{}", t(lang, "print.outgoing"), cx.name(h.outgoing)));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.outgoing_signed"),
        signed(cx, h.outgoing_signed_at)
    ));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.incoming"),
        h.incoming.map_or_else(|| t(lang, "print.not_signed"), |id| cx.name(id))
    ));
    doc.line(&format!(
        "{}：{}",
        t(lang, "print.incoming_signed"),
        signed(cx, h.incoming_signed_at)
    ));
    if let Some(line) = anchor(record, lang) {
        doc.line(&line);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::handover::{Handover, Shift, ShiftKind};
    use crate::store::duty::Sections;

    fn row(number: &str) -> CaseRow {
        let at = chrono::DateTime::from_timestamp(1_772_452_800, 0).unwrap_or_default();
        CaseRow {
            number: number.into(),
            received_at: at,
            state: "received".into(),
            kind: "complaint".into(),
            severity: "minor".into(),
            level: 0,
            flags: vec![],
            summary: "候诊时间太长".into(),
            dept: None,
            owner: "张小明".into(),
            complainant: None,
            next_due: None,
        }
    }

    #[test]
    fn a_case_gathered_twice_into_a_section_is_listed_once() {
        let at = chrono::DateTime::from_timestamp(1_772_452_800, 0).unwrap_or_default();
        let record = HandoverRecord {
            handover: Handover {
                id: 1,
                shift: Shift {
                    kind: ShiftKind::Night,
                    start: at,
                    end: at,
                },
                outgoing: StaffId(2),
                incoming: None,
                cautions: String::new(),
                checklist: vec![],
                questions: vec![],
                answers: vec![],
                hand_over: vec![],
                outgoing_signed_at: None,
                incoming_signed_at: None,
            },
            sections: Sections {
                received: vec![row("2026-000001"), row("2026-000002"), row("2026-000001")],
                ..Sections::default()
            },
            anchor: None,
        };
        let names = HashMap::new();
        let cx = Context {
            names: &names,
            lang: Lang::Zh,
            tz: chrono_tz::Asia::Shanghai,
            organisation: "",
        };
        let md = render(&record, &cx, PrintFormat::Md);
        assert!(md.contains("## 本班受理（2）\n"), "{md}");
        assert_eq!(md.matches("2026-000001").count(), 1, "{md}");
        let html = render(&record, &cx, PrintFormat::Html);
        assert_eq!(html.matches("2026-000001").count(), 1, "{html}");
    }
}
