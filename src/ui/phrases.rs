//! The quick-phrase picker (常用语): Ctrl-P in a step's text field lists the
//! phrases of that field's use, filtered as the clerk types (text or pinyin
//! initials); Enter inserts the chosen one at the cursor, its `{name}`,
//! `{number}`, `{dept}` and `{due}` filled in from the case.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::component::Cx;
use super::form::{FieldKind, Form};
use super::keymap::Action;
use super::widgets::picker::{Choice, Picker};
use crate::domain::StepKind;
use crate::domain::phrase::{Fill, PhraseUse, fill};
use crate::store::StoreError;

/// The phrases offered for one text field of a step form.
#[derive(Debug)]
pub struct Phrases {
    /// What they are for.
    pub use_: PhraseUse,
    /// The form field they go into.
    pub field: usize,
    /// The phrases, placeholders filled, filtered by what is typed.
    pub picker: Picker<String>,
}

/// Why no picker opens.
#[derive(Debug)]
pub enum NoPhrases {
    /// The focused field takes no phrases.
    NotHere,
    /// None of that use kept yet.
    None(PhraseUse),
    /// The store failed.
    Store(StoreError),
}

impl Phrases {
    /// The picker for `form`'s focused field of step `kind`, filled from `with`.
    pub fn open(kind: StepKind, form: &Form, with: &Fill, cx: &Cx<'_>) -> Result<Phrases, NoPhrases> {
        let field = form.fields.get(form.focus).ok_or(NoPhrases::NotHere)?;
        if !matches!(&field.kind, FieldKind::Text(i) if !i.masked) {
            return Err(NoPhrases::NotHere);
        }
        let use_ = PhraseUse::of_field(kind, field.name).ok_or(NoPhrases::NotHere)?;
        let phrases = cx.desk.store().phrases(Some(use_)).map_err(NoPhrases::Store)?;
        if phrases.is_empty() {
            return Err(NoPhrases::None(use_));
        }
        let choices = phrases
            .iter()
            .map(|p| {
                let text = fill(&p.text, with);
                Choice::new(text.clone(), text)
            })
            .collect();
        Ok(Phrases {
            use_,
            field: form.focus,
            picker: Picker::new(choices),
        })
    }

    /// A key while the picker is open: `true` when it closes (inserted or left).
    pub fn on_action(&mut self, action: Action, form: &mut Form) -> bool {
        match action {
            Action::Newline | Action::Save => {
                if let Some(text) = self.picker.current().map(|c| c.value.clone())
                    && let Some(FieldKind::Text(input)) = form.fields.get_mut(self.field).map(|f| &mut f.kind)
                {
                    input.insert(&text);
                    form.dirty = true;
                }
                true
            }
            Action::Back => true,
            Action::Up => {
                self.picker.move_by(-1);
                false
            }
            Action::Down => {
                self.picker.move_by(1);
                false
            }
            Action::Backspace => {
                let mut f = self.picker.filter.clone();
                f.pop();
                self.picker.set_filter(&f);
                false
            }
            _ => false,
        }
    }

    /// Text typed while the picker is open filters it.
    pub fn on_text(&mut self, text: &str) {
        let f = format!("{}{}", self.picker.filter, text.trim());
        self.picker.set_filter(&f);
    }
}

/// Draws the picker over the lower part of the step form's box.
pub fn render(cx: &Cx<'_>, phrases: &Phrases, frame: &mut Frame<'_>, area: Rect) {
    let words = cx.words();
    let h = area.height.min(12);
    if h < 4 {
        return;
    }
    let rect = Rect::new(area.x, area.y + area.height - h, area.width, h);
    frame.render_widget(Clear, rect);
    let title = words.tf(
        "ui.phrase.title",
        &[
            ("use", words.t(&phrases.use_.label_key())),
            ("filter", phrases.picker.filter.clone()),
        ],
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, cx.theme.focus()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let cols = usize::from(inner.width.saturating_sub(2)).max(4);
    let list_h = inner.height.saturating_sub(1);
    let items: Vec<ListItem<'_>> = phrases
        .picker
        .visible()
        .iter()
        .map(|c| ListItem::new(crate::words::width::truncate(&c.label.replace('\n', " ⏎ "), cols)))
        .collect();
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(words.t("ui.phrase.no_match"), cx.theme.dim())),
            Rect::new(inner.x, inner.y, inner.width, 1),
        );
    } else {
        let mut state = ListState::default();
        state.select(Some(phrases.picker.selected));
        frame.render_stateful_widget(
            List::new(items)
                .highlight_style(cx.theme.selected())
                .highlight_symbol("▶ "),
            Rect::new(inner.x, inner.y, inner.width, list_h),
            &mut state,
        );
    }
    frame.render_widget(
        Paragraph::new(Line::styled(words.t("ui.phrase.hint"), cx.theme.dim())),
        Rect::new(inner.x, inner.y + list_h, inner.width, 1),
    );
}
