//! Printed pages: text, Markdown or HTML, Chinese intact. The handover is
//! one ([`handover`]), a visitor's receipt another ([`receipt`]); a text or
//! Markdown page is written through [`Doc`], an HTML page from a template
//! ([`page`]) that escapes every value as it writes it. Sheets for people
//! (xlsx, a CSV sheet) are written through [`sheet`].

pub mod handover;
pub mod page;
pub mod receipt;
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

/// A printed page being written as plain text or Markdown: a title,
/// headings, lines and list items. (HTML pages are templates: [`page`].)
pub(crate) struct Doc {
    markdown: bool,
    out: String,
}

impl Doc {
    /// An empty page, in Markdown or else plain text.
    pub(crate) fn new(markdown: bool) -> Self {
        Self {
            markdown,
            out: String::new(),
        }
    }
    /// `s` as the page shows typed text: control characters visible,
    /// Markdown's and HTML's marks escaped in Markdown.
    fn shown(&self, s: &str) -> String {
        if self.markdown {
            crate::words::terminal::markdown(s)
        } else {
            crate::words::visible(s).into_owned()
        }
    }
    /// The page's title.
    pub(crate) fn title(&mut self, s: &str) {
        let s = &self.shown(s);
        if self.markdown {
            self.out.push_str(&format!("# {s}\n\n"));
        } else {
            self.out
                .push_str(&format!("{s}\n{}\n", "=".repeat(crate::words::width::width(s))));
        }
    }
    /// A section heading.
    pub(crate) fn heading(&mut self, s: &str) {
        let s = &self.shown(s);
        if self.markdown {
            self.out.push_str(&format!("\n## {s}\n\n"));
        } else {
            self.out
                .push_str(&format!("\n{s}\n{}\n", "-".repeat(crate::words::width::width(s))));
        }
    }
    /// A line of text.
    pub(crate) fn line(&mut self, s: &str) {
        let s = &self.shown(s);
        self.out.push_str(s);
        self.out.push_str(if self.markdown { "  \n" } else { "\n" });
    }
    /// An item of a list.
    pub(crate) fn item(&mut self, s: &str) {
        let s = &self.shown(s);
        self.out
            .push_str(&format!("{}{s}\n", if self.markdown { "- " } else { "  · " }));
    }
    /// The page.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}
