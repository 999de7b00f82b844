//! A visitor's receipt (受理回执): the case's number, when it was received
//! and by whom, what was recorded, the promised reply date, the desk's phone
//! and the promise of a reply and a return visit. Only what the visitor told
//! the desk: never the person complained about, the details or a note.
//! As an A5 page, or as text of at most 80 columns for a receipt printer.

use chrono_tz::Tz;
use maud::html;

use super::page::{Letterhead, Paper, page, shown};
use crate::domain::policy::Organisation;
use crate::domain::{Case, DeadlineKind, Time};
use crate::words::width::{width, wrap};
use crate::words::{Lang, t};

/// The receipt's formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReceiptFormat {
    /// Text of at most 80 columns, for a receipt printer.
    Text,
    /// An A5 HTML page.
    Html,
}

/// The columns of the text receipt.
pub const COLUMNS: usize = 80;

/// What a receipt says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The case's number.
    pub number: String,
    /// The case's kind (complaint, suggestion …), as its label key.
    pub kind_key: String,
    /// When it was received.
    pub received_at: Time,
    /// The clerk who owns it.
    pub owner: String,
    /// The visitor's name, when they gave one and the one printing may see it.
    pub visitor: Option<String>,
    /// What was recorded: the case's summary.
    pub summary: String,
    /// The reply promised by: the promised-reply clock, else the department reply clock.
    pub reply_by: Option<Time>,
    /// The organisation's name and phone.
    pub organisation: Organisation,
}

impl Receipt {
    /// The receipt of `case`, owned by `owner`; `visitor` is the visitor's
    /// name if it may be printed.
    #[must_use]
    pub fn of(case: &Case, owner: String, visitor: Option<String>, organisation: &Organisation) -> Receipt {
        let promised = case.clock(DeadlineKind::PromisedReply).map(|d| d.due);
        // Several departments each have a clock: the reply is due when the last one is.
        let department = case
            .deadlines
            .values()
            .filter(|d| d.kind == DeadlineKind::DepartmentReply)
            .map(|d| d.due)
            .max();
        Receipt {
            number: case.number().to_string(),
            kind_key: case.intake.kind.label_key(),
            received_at: case.intake.received_at,
            owner,
            visitor: visitor.filter(|v| !v.trim().is_empty()),
            summary: case.intake.summary.clone(),
            reply_by: promised.or(department),
            organisation: organisation.clone(),
        }
    }

    /// The receipt's lines: label and value, the empty ones left out.
    fn fields(&self, lang: Lang, tz: Tz) -> Vec<(String, String)> {
        let reply_by = self
            .reply_by
            .map_or_else(|| t(lang, "receipt.reply_unset"), |at| day_or_time(at, tz));
        let rows = [
            ("receipt.number", Some(self.number.clone())),
            ("receipt.received", Some(crate::words::time::show(self.received_at, tz))),
            ("receipt.kind", Some(t(lang, &self.kind_key))),
            ("receipt.visitor", self.visitor.clone()),
            ("receipt.owner", Some(self.owner.clone())),
            ("receipt.summary", Some(self.summary.clone())),
            ("receipt.reply_by", Some(reply_by)),
            ("receipt.phone", Some(self.organisation.phone.clone())),
        ];
        rows.into_iter()
            .filter_map(|(key, value)| value.filter(|v| !v.is_empty()).map(|v| (t(lang, key), v)))
            .collect()
    }
}

/// A due time as a visitor reads it: the day alone when it is the day's
/// end, else the day and the time.
fn day_or_time(at: Time, tz: Tz) -> String {
    use chrono::Timelike;
    let local = at.with_timezone(&tz);
    if local.hour() == 23 && local.minute() == 59 {
        local.format("%Y-%m-%d").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The receipt in `format`.
#[must_use]
pub fn render(r: &Receipt, lang: Lang, tz: Tz, format: ReceiptFormat) -> String {
    match format {
        ReceiptFormat::Text => text(r, lang, tz),
        ReceiptFormat::Html => html_page(r, lang, tz),
    }
}

/// The A5 page.
fn html_page(r: &Receipt, lang: Lang, tz: Tz) -> String {
    let title = t(lang, "receipt.title");
    let head = Letterhead {
        lang,
        title: &title,
        organisation: &r.organisation.name,
    };
    let body = html! {
        dl {
            @for (label, value) in r.fields(lang, tz) {
                dt { (label) }
                dd { (shown(&value)) }
            }
        }
        p.rule { (t(lang, "receipt.rule")) }
        p.sign-line {
            span { (t(lang, "receipt.stamp")) (t(lang, "print.colon")) (super::page::blank()) }
            span { (t(lang, "print.col.date")) (t(lang, "print.colon")) (super::page::blank()) }
        }
    };
    page(&head, Paper::A5, &body)
}

/// The text form: centred heads, then each label with its value wrapped
/// under itself, the promise last; no line over [`COLUMNS`].
fn text(r: &Receipt, lang: Lang, tz: Tz) -> String {
    let visible = |s: &str| crate::words::visible(s).into_owned();
    let centred = |s: &str| {
        let s = visible(s);
        let w = width(&s);
        if w >= COLUMNS {
            wrap(&s, COLUMNS).join("\n")
        } else {
            format!("{}{s}", " ".repeat((COLUMNS - w) / 2))
        }
    };
    let mut out = Vec::new();
    if !r.organisation.name.is_empty() {
        out.push(centred(&r.organisation.name));
    }
    out.push(centred(&t(lang, "receipt.title")));
    out.push("=".repeat(COLUMNS));
    let fields: Vec<_> = r
        .fields(lang, tz)
        .into_iter()
        .map(|(label, value)| (format!("{label}{}", t(lang, "print.colon")), visible(&value)))
        .collect();
    let label_w = fields.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    for (label, value) in &fields {
        for (i, line) in wrap(value, COLUMNS - label_w).into_iter().enumerate() {
            let head = if i == 0 {
                crate::words::width::pad(label, label_w)
            } else {
                " ".repeat(label_w)
            };
            out.push(format!("{head}{line}").trim_end().to_string());
        }
    }
    out.push("-".repeat(COLUMNS));
    out.extend(wrap(&t(lang, "receipt.rule"), COLUMNS));
    out.push(String::new());
    let colon = t(lang, "print.colon");
    out.push(format!(
        "{}{colon}__________    {}{colon}__________",
        t(lang, "receipt.stamp"),
        t(lang, "print.col.date")
    ));
    let mut text = out.join("\n");
    text.push('\n');
    text
}
