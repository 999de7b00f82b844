//! The demo's vocabulary (`assets/demo.toml`) and its dice: a seeded
//! generator, so the same seed makes the same desk.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The demo's names and texts.
pub(super) const VOCAB: &str = include_str!("../../assets/demo.toml");

/// The vocabulary of `assets/demo.toml` (each field is the file's key of that name).
#[derive(Debug, Deserialize)]
pub(super) struct Vocab {
    pub(super) surnames: Vec<String>,
    pub(super) given_names: Vec<String>,
    pub(super) relations: Vec<String>,
    pub(super) departments: Vec<VocabDept>,
    pub(super) clerks: VocabClerks,
    pub(super) categories: BTreeMap<String, BTreeMap<String, Vec<Text>>>,
    pub(super) responses: Responses,
    pub(super) shifts: Shifts,
    /// Quick phrases (常用语) by use: what an admin would keep.
    #[serde(default)]
    pub(super) phrases: BTreeMap<String, Vec<String>>,
}

/// The week of shifts behind the demo desk: what was logged, cautioned, asked and answered.
#[derive(Debug, Deserialize)]
pub(super) struct Shifts {
    /// Duty-log entries: who, what, what was done.
    pub(super) log_entries: Vec<[String; 3]>,
    /// Answers that close an entry as an inquiry.
    pub(super) answers: Vec<String>,
    /// Why an entry is carried over.
    pub(super) carry_reasons: Vec<String>,
    /// Cautions (注意事项).
    pub(super) cautions: Vec<String>,
    /// The incoming clerk's questions, and the outgoing clerk's answers (same order).
    pub(super) questions: Vec<String>,
    pub(super) replies: Vec<String>,
    /// A checklist item sometimes explained rather than ticked, and why.
    pub(super) explained: String,
    pub(super) explanations: Vec<String>,
}

/// A department, its phone and the people it employs.
#[derive(Debug, Deserialize)]
pub(super) struct VocabDept {
    pub(super) name: String,
    pub(super) phone: String,
    pub(super) staff: Vec<String>,
}

/// The desk's own accounts.
#[derive(Debug, Deserialize)]
pub(super) struct VocabClerks {
    pub(super) clerks: Vec<String>,
    pub(super) supervisors: Vec<String>,
    pub(super) admin: String,
}

/// A case's summary and details.
#[derive(Debug, Deserialize)]
pub(super) struct Text {
    pub(super) summary: String,
    pub(super) details: String,
}

/// What staff write as a case moves along.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub(super) struct Responses {
    pub(super) answers_on_spot: Vec<String>,
    pub(super) facts: Vec<String>,
    pub(super) responsible: Vec<String>,
    pub(super) measures: Vec<String>,
    pub(super) feedback_texts: Vec<String>,
    pub(super) visit_comments_satisfied: Vec<String>,
    pub(super) visit_comments_unsatisfied: Vec<String>,
    pub(super) urge_notes: Vec<String>,
    pub(super) escalation_reasons: Vec<String>,
    pub(super) reopen_reasons: Vec<String>,
    pub(super) pause_reasons: Vec<String>,
    pub(super) extend_reasons: Vec<String>,
    pub(super) transfer_reasons: Vec<String>,
    pub(super) withdraw_reasons: Vec<String>,
    pub(super) refer_texts: Vec<String>,
    pub(super) addresses: Vec<String>,
}

/// A small deterministic generator (splitmix64): the same seed gives the same desk.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    /// The next number.
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n`.
    pub(super) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    /// True `percent` times in a hundred.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// One of `items`, if any.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
    /// One of `items`, or an empty text.
    pub(super) fn text(&mut self, items: &[String]) -> String {
        self.pick(items).cloned().unwrap_or_default()
    }
}

/// A made-up name: a surname and given names.
pub(super) fn person_name(rng: &mut Rng, vocab: &Vocab) -> String {
    format!("{}{}", rng.text(&vocab.surnames), rng.text(&vocab.given_names))
}
