//! The shift's words: handover refusals and a handover's state, as the command
//! line, the screens and the printed page all say them.

use super::{Lang, t, tf};
use crate::domain::handover::{Handover, HandoverError};

/// A handover rule refusal in the clerk's language.
#[must_use]
pub fn handover_refusal(lang: Lang, e: &HandoverError) -> String {
    match e {
        HandoverError::Signed => t(lang, "handover.signed"),
        HandoverError::OutgoingSigned => t(lang, "handover.outgoing_signed"),
        HandoverError::NotReady => t(lang, "handover.not_ready"),
        HandoverError::NotOutgoing => t(lang, "handover.not_outgoing"),
        HandoverError::SamePerson => t(lang, "handover.same_person"),
        HandoverError::OpenLog(n) => tf(lang, "handover.open_log", &[("n", n.to_string())]),
        HandoverError::Unchecked(items) => tf(lang, "handover.unchecked", &[("items", items.join("、"))]),
        HandoverError::NoItem(i) => tf(lang, "handover.no_item", &[("item", i.clone())]),
        HandoverError::Inactive => t(lang, "rule.inactive"),
        HandoverError::SameShift => t(lang, "handover.same_shift"),
        HandoverError::NoQuestion(n) => tf(lang, "handover.no_question", &[("n", n.to_string())]),
        HandoverError::NotYourCase(n) => tf(lang, "handover.not_your_case", &[("number", n.clone())]),
        HandoverError::Empty => t(lang, "handover.empty"),
        HandoverError::ControlCharacter(code) => tf(lang, "handover.control_character", &[("code", code.clone())]),
    }
}

/// Where a handover stands: signed by both, waiting for the incoming clerk, or a draft.
#[must_use]
pub fn handover_state(lang: Lang, h: &Handover) -> String {
    if h.is_signed() {
        t(lang, "handover.state_signed")
    } else if h.outgoing_signed_at.is_some() {
        t(lang, "handover.state_waiting")
    } else {
        t(lang, "handover.state_draft")
    }
}
