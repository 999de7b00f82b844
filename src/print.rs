//! Printed pages: text, Markdown or HTML, Chinese intact. The handover is
//! one ([`handover`]); a page is written through [`Doc`].

pub mod handover;
pub mod sheet;

/// The formats of a printed page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PrintFormat {
    /// Plain text.
    Text,
    /// Markdown.
    Md,
    /// A printable HTML page.
    Html,
}

/// `s` with HTML's special characters escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `s` as the page's format shows typed text: control characters visible
/// (text, Markdown), Markdown's and HTML's marks escaped (Markdown), HTML's
/// special characters escaped (HTML).
fn shown(format: PrintFormat, s: &str) -> String {
    match format {
        PrintFormat::Text => crate::words::visible(s).into_owned(),
        PrintFormat::Md => crate::words::terminal::markdown(s),
        PrintFormat::Html => esc(&crate::words::visible(s)),
    }
}

/// A printed page being written: a title, headings, lines and list items,
/// as text, Markdown or HTML.
pub(crate) struct Doc {
    format: PrintFormat,
    out: String,
    in_list: bool,
}

impl Doc {
    /// An empty page; in HTML, `html_title` names the browser's tab.
    pub(crate) fn new(format: PrintFormat, html_title: &str) -> Self {
        let mut out = String::new();
        if format == PrintFormat::Html {
            out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
            out.push_str(&esc(html_title));
            out.push_str("</title>\n<style>body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:2em}h1{font-size:1.4em}h2{font-size:1.1em;border-bottom:1px solid #999;margin-top:1.2em}li{margin:.2em 0}@media print{body{margin:1cm}}</style></head><body>\n");
        }
        Self {
            format,
            out,
            in_list: false,
        }
    }
    /// Ends a list under way.
    fn close_list(&mut self) {
        if self.in_list && self.format == PrintFormat::Html {
            self.out.push_str("</ul>\n");
        }
        self.in_list = false;
    }
    /// The page's title.
    pub(crate) fn title(&mut self, s: &str) {
        let s = &shown(self.format, s);
        match self.format {
            PrintFormat::Text => self
                .out
                .push_str(&format!("{s}\n{}\n", "=".repeat(crate::words::width::width(s)))),
            PrintFormat::Md => self.out.push_str(&format!("# {s}\n\n")),
            PrintFormat::Html => self.out.push_str(&format!("<h1>{s}</h1>\n")),
        }
    }
    /// A section heading.
    pub(crate) fn heading(&mut self, s: &str) {
        self.close_list();
        let s = &shown(self.format, s);
        match self.format {
            PrintFormat::Text => self
                .out
                .push_str(&format!("\n{s}\n{}\n", "-".repeat(crate::words::width::width(s)))),
            PrintFormat::Md => self.out.push_str(&format!("\n## {s}\n\n")),
            PrintFormat::Html => self.out.push_str(&format!("<h2>{s}</h2>\n")),
        }
    }
    /// A line of text.
    pub(crate) fn line(&mut self, s: &str) {
        self.close_list();
        let s = &shown(self.format, s);
        match self.format {
            PrintFormat::Text => self.out.push_str(&format!("{s}\n")),
            PrintFormat::Md => self.out.push_str(&format!("{s}  \n")),
            PrintFormat::Html => self.out.push_str(&format!("<p>{s}</p>\n")),
        }
    }
    /// An item of a list.
    pub(crate) fn item(&mut self, s: &str) {
        let s = &shown(self.format, s);
        match self.format {
            PrintFormat::Text => self.out.push_str(&format!("  · {s}\n")),
            PrintFormat::Md => self.out.push_str(&format!("- {s}\n")),
            PrintFormat::Html => {
                if !self.in_list {
                    self.out.push_str("<ul>\n");
                    self.in_list = true;
                }
                self.out.push_str(&format!("<li>{s}</li>\n"));
            }
        }
    }
    /// The page, closed.
    pub(crate) fn finish(mut self) -> String {
        self.close_list();
        if self.format == PrintFormat::Html {
            self.out.push_str("</body></html>\n");
        }
        self.out
    }
}
