//! What can stand over every screen: the help, a question before leaving a
//! form, and the screen lock. One at a time, and each clears what it covers.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::component::Cx;
use super::widgets::input::{Input, InputView};

/// An overlay.
#[derive(Debug)]
pub enum Overlay {
    /// Every key, by where it works, the screen in front's first; a page of them.
    Help {
        /// The page shown.
        page: usize,
    },
    /// Leave the form and drop what was typed? (y/n)
    ConfirmLeave,
    /// No handover of my shift yet: prepare one? (y/n) The question, in words.
    ConfirmPrepare(String),
    /// The terminal is locked until the signed-in clerk's PIN is typed.
    Lock(Lock),
}

/// The screen lock: the terminal is shared.
#[derive(Debug, Default)]
pub struct Lock {
    /// PIN being typed.
    pub pin: Input,
    /// Why unlocking failed.
    pub error: Option<String>,
}

/// Draws the question before leaving a form.
pub fn render_confirm_leave(cx: &Cx<'_>, frame: &mut Frame<'_>, body: Rect) {
    let w = body.width.min(50);
    let rect = Rect::new(body.x + (body.width - w) / 2, body.y + body.height / 2, w, 3);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(cx.words().t("ui.confirm_leave")).block(Block::default().borders(Borders::ALL)),
        rect,
    );
}

/// Draws a yes/no question over the middle of the body, wrapped to fit.
pub fn render_question(text: &str, frame: &mut Frame<'_>, body: Rect) {
    let w = body.width.min(60);
    let lines = super::widgets::wrap::wrap(text, usize::from(w.saturating_sub(2))).len();
    let h = u16::try_from(lines).unwrap_or(1).saturating_add(2).min(body.height);
    let rect = Rect::new(
        body.x + (body.width - w) / 2,
        body.y + body.height.saturating_sub(h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(text.to_string())
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL)),
        rect,
    );
}

/// Draws the lock over the whole body.
pub fn render_lock(cx: &Cx<'_>, lock: &Lock, frame: &mut Frame<'_>, area: Rect) {
    let words = cx.words();
    let name = cx.user.map(|u| u.name.clone()).unwrap_or_default();
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(words.t("ui.lock.title"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    frame.render_widget(
        Paragraph::new(words.tf("ui.lock.text", &[("name", name)])).wrap(Wrap { trim: true }),
        Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), 2),
    );
    let pin = Rect::new(inner.x + 1, inner.y + 2, inner.width.saturating_sub(2).min(20), 1);
    frame.render_widget(
        InputView {
            input: &lock.pin,
            style: ratatui::style::Style::default(),
            from_top: false,
        },
        pin,
    );
    frame.set_cursor_position(lock.pin.cursor_position(pin));
    if let Some(e) = &lock.error {
        frame.render_widget(
            Paragraph::new(Span::styled(e.clone(), cx.theme.error())),
            Rect::new(inner.x + 1, inner.y + 3, inner.width.saturating_sub(2), 1),
        );
    }
}
