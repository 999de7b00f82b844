//! The frame of every printed HTML page: the paper and its margins, the
//! organisation's name and the page numbers in each page's header, the
//! page's language and title. Pages are maud templates: every value written
//! into one is escaped as it is written, so typed text prints as itself.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::words::{Lang, t};

/// The paper a page is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    /// A4 portrait: handovers and reports, numbered pages.
    A4,
    /// A5 portrait: a visitor's receipt, one page.
    A5,
}

/// What heads a printed page.
#[derive(Clone, Copy, Debug)]
pub struct Letterhead<'a> {
    /// The page's language (its `lang`, its words).
    pub lang: Lang,
    /// The page's title: the browser tab's and the first heading's.
    pub title: &'a str,
    /// The organisation's name from the policy; "" leaves it off.
    pub organisation: &'a str,
}

/// Typed text as a printed page shows it: control characters made visible
/// (the template escapes the markup).
#[must_use]
pub fn shown(s: &str) -> String {
    crate::words::visible(s).into_owned()
}

/// The whole page: `body` under the letterhead, on `paper`.
#[must_use]
pub fn page(head: &Letterhead<'_>, paper: Paper, body: &Markup) -> String {
    let lang = match head.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                title { (shown(head.title)) }
                style { (PreEscaped(style(head, paper))) }
            }
            body {
                @if !head.organisation.is_empty() {
                    p.organisation { (shown(head.organisation)) }
                }
                h1 { (shown(head.title)) }
                (body)
            }
        }
    };
    let mut out = markup.into_string();
    out.push('\n');
    out
}

/// A line left blank to write on by hand (a signature, a date).
#[must_use]
pub fn blank() -> Markup {
    html! { span.blank {} }
}

/// The page's style. Chromium (131 and later) prints `@page` margin boxes:
/// the organisation on the left of every page's header, the page number on
/// its right.
fn style(head: &Letterhead<'_>, paper: Paper) -> String {
    let (size, margin, numbers) = match paper {
        Paper::A4 => ("A4", "18mm 16mm 16mm 16mm", true),
        Paper::A5 => ("A5", "12mm 12mm 12mm 12mm", false),
    };
    // A margin box does not inherit the body's font.
    let margin_box = format!("font-family:{FONTS};font-size:8.5pt;color:#444;");
    let mut boxes = String::new();
    if !head.organisation.is_empty() {
        boxes.push_str(&format!(
            "@top-left{{content:{};{margin_box}}}",
            css_string(&crate::words::visible_line(head.organisation))
        ));
    }
    if numbers {
        boxes.push_str(&format!(
            "@top-right{{content:{};{margin_box}}}",
            page_numbers(head.lang)
        ));
    }
    format!(
        "@page{{size:{size};margin:{margin};{boxes}}}\nbody{{font-family:{FONTS}}}\n{COMMON}{}",
        if paper == Paper::A5 { A5 } else { "" }
    )
}

/// Chinese first: a CJK font's Latin letters sit well beside its characters.
const FONTS: &str =
    "\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif";

const COMMON: &str = "\
body{font-size:10pt;line-height:1.45;color:#000;margin:0}
@media screen{body{max-width:180mm;margin:2em auto;padding:0 1em}}
@media print{.organisation{display:none}}
.organisation{text-align:center;margin:0 0 .2em;color:#444}
h1{font-size:15pt;text-align:center;margin:0 0 .8em}
h2{font-size:11pt;margin:1.1em 0 .35em;padding-bottom:.1em;border-bottom:1px solid #000;break-after:avoid;page-break-after:avoid}
p{margin:.25em 0;white-space:pre-wrap}
ul{margin:.25em 0;padding-left:1.4em}
table{width:100%;border-collapse:collapse;margin:.2em 0 .6em;font-size:9.5pt}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
th,td{border:1px solid #777;padding:2px 5px;text-align:left;vertical-align:top}
th{background:#eee;font-weight:bold;-webkit-print-color-adjust:exact;print-color-adjust:exact}
td.num{text-align:right;white-space:nowrap}
tbody th{background:none;font-weight:normal}
.signs tbody th{font-weight:bold;white-space:nowrap;vertical-align:middle}
table.pairs{table-layout:fixed}
table.pairs th:first-child{width:62%}
table.cases,table.log{table-layout:fixed}
table.cases th:nth-child(1){width:15%}
table.cases th:nth-child(2),table.cases th:nth-child(3){width:9%}
table.cases th:nth-child(4){width:17%}
table.cases th:nth-child(5){width:14%}
table.log th:nth-child(1){width:17%}
table.log th:nth-child(2){width:14%}
table.checklist th:nth-child(1){width:30%}
table.checklist th:nth-child(2){width:12%}
table.depts thead th:not(:first-child){text-align:right}
td.nowrap{white-space:nowrap}
.signs{break-inside:avoid;page-break-inside:avoid;margin-top:1.2em}
.signs td{height:11mm;vertical-align:middle}
.blank{display:inline-block;min-width:32mm;border-bottom:1px solid #000;height:1.1em;vertical-align:bottom}
.sign-line{margin-top:1.6em;display:flex;gap:8mm;flex-wrap:wrap}
.summary-page{break-inside:avoid;page-break-inside:avoid}
";

const A5: &str = "\
body{font-size:10.5pt}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35em 1em;margin:.6em 0}
dt{font-weight:bold}
dd{margin:0;white-space:pre-wrap}
.rule{margin-top:1em;padding:.5em .7em;border:1px solid #000}
";

/// "Page 2 of 5" as CSS content: the words' literal parts quoted, the two
/// numbers Chromium's page counters.
fn page_numbers(lang: Lang) -> String {
    let words = t(lang, "print.page_of");
    let mut parts = Vec::new();
    let mut rest = words.as_str();
    while let Some(at) = rest.find('{') {
        let Some(end) = rest[at..].find('}') else { break };
        let name = &rest[at + 1..at + end];
        if !rest[..at].is_empty() {
            parts.push(css_string(&rest[..at]));
        }
        parts.push(format!("counter({name})"));
        rest = &rest[at + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(css_string(rest));
    }
    parts.join(" ")
}

/// `s` as a quoted CSS string inside a `<style>` element: anything but
/// letters, digits, spaces and non-ASCII text written as a hex escape, so no
/// quote ends the string and no `</style>` ends the element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' || (!c.is_ascii() && !c.is_control()) {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:06x}", u32::from(c)));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_leave_their_quotes_or_the_style_element() {
        assert_eq!(css_string("第一医院 A"), "\"第一医院 A\"");
        let s = css_string("a\"b</style><script>\\");
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>']), "{s}");
        assert_eq!(
            s,
            "\"a\\000022b\\00003c\\00002fstyle\\00003e\\00003cscript\\00003e\\00005c\""
        );
    }

    #[test]
    fn page_numbers_name_both_counters_in_the_pages_language() {
        assert_eq!(
            page_numbers(Lang::En),
            "\"Page \" counter(page) \" of \" counter(pages)"
        );
        let zh = page_numbers(Lang::Zh);
        assert!(zh.contains("counter(page)") && zh.contains("counter(pages)"), "{zh}");
    }
}
