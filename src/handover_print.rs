//! The printed handover: text, Markdown or HTML, Chinese intact.

use std::collections::HashMap;

use chrono_tz::Tz;

use crate::domain::StaffId;
use crate::domain::handover::LogEnding;
use crate::store::CaseRow;
use crate::store::duty::HandoverRecord;
use crate::words::time::show;
use crate::words::{Lang, t, tf};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PrintFormat {
    /// Plain text.
    Text,
    /// Markdown.
    Md,
    /// A printable HTML page.
    Html,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The document.
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
    let mut doc = Doc::new(format);
    doc.title(&tf(
        lang,
        "print.title",
        &[
            ("shift", t(lang, h.shift.kind.label_key())),
            ("start", show(h.shift.start, tz)),
            ("end", show(h.shift.end, tz)),
        ],
    ));
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
                r.next_due.map(|d| show(d, tz)).unwrap_or_else(|| "—".into()),
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
    doc.heading(&t(lang, "print.questions"));
    if h.questions.is_empty() {
        doc.line("—");
    }
    for q in &h.questions {
        doc.item(q);
    }
    doc.finish()
}

struct Doc {
    format: PrintFormat,
    out: String,
    in_list: bool,
}

impl Doc {
    fn new(format: PrintFormat) -> Self {
        let mut out = String::new();
        if format == PrintFormat::Html {
            out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>交接班记录</title>\n<style>body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em}h1{font-size:1.4em}h2{font-size:1.1em;border-bottom:1px solid #999;margin-top:1.2em}li{margin:.2em 0}@media print{body{margin:1cm}}</style></head><body>\n");
        }
        Self {
            format,
            out,
            in_list: false,
        }
    }
    fn close_list(&mut self) {
        if self.in_list && self.format == PrintFormat::Html {
            self.out.push_str("</ul>\n");
        }
        self.in_list = false;
    }
    fn title(&mut self, s: &str) {
        match self.format {
            PrintFormat::Text => self
                .out
                .push_str(&format!("{s}\n{}\n", "=".repeat(crate::words::width::width(s)))),
            PrintFormat::Md => self.out.push_str(&format!("# {s}\n\n")),
            PrintFormat::Html => self.out.push_str(&format!("<h1>{}</h1>\n", esc(s))),
        }
    }
    fn heading(&mut self, s: &str) {
        self.close_list();
        match self.format {
            PrintFormat::Text => self
                .out
                .push_str(&format!("\n{s}\n{}\n", "-".repeat(crate::words::width::width(s)))),
            PrintFormat::Md => self.out.push_str(&format!("\n## {s}\n\n")),
            PrintFormat::Html => self.out.push_str(&format!("<h2>{}</h2>\n", esc(s))),
        }
    }
    fn line(&mut self, s: &str) {
        self.close_list();
        match self.format {
            PrintFormat::Text => self.out.push_str(&format!("{s}\n")),
            PrintFormat::Md => self.out.push_str(&format!("{s}  \n")),
            PrintFormat::Html => self.out.push_str(&format!("<p>{}</p>\n", esc(s))),
        }
    }
    fn item(&mut self, s: &str) {
        match self.format {
            PrintFormat::Text => self.out.push_str(&format!("  · {s}\n")),
            PrintFormat::Md => self.out.push_str(&format!("- {s}\n")),
            PrintFormat::Html => {
                if !self.in_list {
                    self.out.push_str("<ul>\n");
                    self.in_list = true;
                }
                self.out.push_str(&format!("<li>{}</li>\n", esc(s)));
            }
        }
    }
    fn finish(mut self) -> String {
        self.close_list();
        if self.format == PrintFormat::Html {
            self.out.push_str("</body></html>\n");
        }
        self.out
    }
}
