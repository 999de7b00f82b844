//! A view of the queue in words: its parts as a clerk reads them in the
//! queue's title and `view list`, and why a name or number was refused.

use super::{Lang, t, tf};
use crate::domain::view::{DueBy, Sort, View, ViewError, Whose};

/// The view's parts joined: "我的", "全部未结", "已超时", or "我的 · 今日到期 · 最新在前".
/// A view of one part reads as the queue's quick filter of that part does.
#[must_use]
pub fn describe(lang: Lang, view: &View) -> String {
    let mut parts = Vec::new();
    if view.whose == Whose::Mine {
        parts.push(t(lang, "ui.filter.mine"));
    }
    if let Some(state) = view.state {
        parts.push(t(lang, &state.label_key()));
    }
    if view.overdue {
        parts.push(t(lang, "ui.filter.overdue"));
    }
    if view.escalated {
        parts.push(t(lang, "ui.filter.escalated"));
    }
    if view.due != DueBy::Any {
        parts.push(t(lang, &view.due.label_key()));
    }
    if parts.is_empty() {
        parts.push(t(lang, "ui.filter.all"));
    }
    if view.sort != Sort::Urgent {
        parts.push(t(lang, &view.sort.label_key()));
    }
    parts.join(" · ")
}

/// A saved view's name and parts: "今晚到期：我的 · 今日到期".
#[must_use]
pub fn named(lang: Lang, name: &str, view: &View) -> String {
    tf(
        lang,
        "view.named",
        &[("name", name.to_string()), ("view", describe(lang, view))],
    )
}

/// Why a saved view's name or number was refused.
#[must_use]
pub fn error(lang: Lang, e: &ViewError) -> String {
    match e {
        ViewError::NameEmpty => t(lang, "view.name_empty"),
        ViewError::NameTooLong { max } => tf(lang, "view.name_too_long", &[("max", max.to_string())]),
        ViewError::NameNotOneLine => t(lang, "view.name_not_one_line"),
        ViewError::SlotOutOfRange { given, max } => tf(
            lang,
            "view.slot_out_of_range",
            &[("given", given.clone()), ("max", max.to_string())],
        ),
    }
}

/// What saving a view came to, a line each: saved or replaced, and under
/// which number; the view that gave its number up, if one did.
#[must_use]
pub fn saved(lang: Lang, name: &str, view: &View, saved: &crate::store::views::Saved) -> Vec<String> {
    let name = name.trim().to_string();
    let key = match (saved.replaced, saved.slot) {
        (false, Some(_)) => "view.saved",
        (false, None) => "view.saved_no_slot",
        (true, Some(_)) => "view.replaced",
        (true, None) => "view.replaced_no_slot",
    };
    let slot = saved.slot.map(|n| n.to_string()).unwrap_or_default();
    let mut lines = vec![tf(
        lang,
        key,
        &[
            ("name", name.clone()),
            ("view", describe(lang, view)),
            ("slot", slot.clone()),
        ],
    )];
    if let Some(other) = &saved.took_from {
        lines.push(tf(
            lang,
            "view.slot_taken",
            &[("other", other.clone()), ("slot", slot), ("name", name)],
        ));
    }
    lines
}
