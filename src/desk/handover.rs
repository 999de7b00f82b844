//! The handover review through the desk's door: which handover a clerk sees,
//! the questions and answers, the cases handed over with a handover and the
//! incoming signature that moves them.

use super::Desk;
use crate::domain::handover::{Handover, HandoverError};
use crate::domain::{Actor, Command};
use crate::store::StoreError;
use crate::store::duty::{DutyError, HandoverRecord};
use crate::words::Words;

type Result<T> = std::result::Result<T, StoreError>;

/// What the incoming signature came to: the handover, and each case handed
/// over with it that could not be moved, with why.
#[derive(Debug)]
pub struct TakenOver {
    /// The handover, signed.
    pub record: HandoverRecord,
    /// Cases now the incoming clerk's.
    pub moved: Vec<String>,
    /// Cases that stayed with their owner, and the desk's refusal.
    pub refused: Vec<(String, StoreError)>,
}

impl TakenOver {
    /// What the signature moved, in words: one line for the cases now the
    /// incoming clerk's, one per case that stayed with its owner and why.
    #[must_use]
    pub fn lines(&self, words: Words) -> Vec<String> {
        let mut out = Vec::new();
        if !self.moved.is_empty() {
            out.push(words.tf(
                "handover.moved",
                &[("n", self.moved.len().to_string()), ("numbers", self.moved.join("、"))],
            ));
        }
        for (number, e) in &self.refused {
            out.push(words.tf(
                "handover.not_moved",
                &[("number", number.clone()), ("why", words.store(e))],
            ));
        }
        out
    }
}

impl Desk {
    /// `actor`'s handover of the shift they are on, else their latest one not
    /// yet taken over, if they have prepared one (nothing is made).
    pub fn handover_current(&self, actor: &Actor) -> Result<Option<HandoverRecord>> {
        let store = self.store();
        match store.handover_current(actor, &self.policy, self.now())? {
            Some(record) => Ok(Some(record)),
            None => store.handover_unsigned(actor, &self.policy, self.now()),
        }
    }

    /// The handovers waiting for `actor` to review and sign (they are on the next shift).
    pub fn handovers_waiting_for(&self, actor: &Actor) -> Result<Vec<Handover>> {
        self.store().handovers_waiting_for(actor)
    }

    /// The incoming clerk notes a question on handover `id`.
    pub fn handover_ask(
        &mut self,
        id: i64,
        actor: &Actor,
        question: &str,
    ) -> std::result::Result<HandoverRecord, DutyError> {
        self.handover_update(id, "handover_question", actor, |h, _| h.ask(actor, question))
    }

    /// The outgoing clerk answers question `question` (from 0) of handover `id`.
    pub fn handover_answer(
        &mut self,
        id: i64,
        actor: &Actor,
        question: usize,
        text: &str,
    ) -> std::result::Result<HandoverRecord, DutyError> {
        let now = self.now();
        self.handover_update(id, "handover_answer", actor, |h, _| {
            h.answer(actor, question, text, now)
        })
    }

    /// The outgoing clerk marks case `number` to be handed over with handover
    /// `id` (`on`), or no longer. Only their own open cases are handed over.
    pub fn handover_mark(
        &mut self,
        id: i64,
        actor: &Actor,
        number: &str,
        on: bool,
    ) -> std::result::Result<HandoverRecord, DutyError> {
        let own_open = if on {
            let record = self.store().case(number)?;
            record.case.owner == actor.id && !record.case.is_closed()
        } else {
            true
        };
        self.handover_update(id, "handover_hand_over", actor, |h, _| {
            h.hand_over(actor, number, on, own_open)
        })
    }

    /// The incoming clerk signs handover `id`: the outgoing clerk is off duty,
    /// and each case handed over with it is transferred to the incoming clerk
    /// (by the outgoing clerk, who offered it) and accepted, both on the case's
    /// timeline. A case that cannot move (closed meanwhile, owned by someone
    /// else now) stays with its owner and is named in the outcome.
    pub fn handover_accept(&mut self, id: i64, actor: &Actor) -> std::result::Result<TakenOver, DutyError> {
        let duty = self.store().duty_of(actor.id)?;
        let now = self.now();
        let record = self.handover_update(id, "handover_signed_in", actor, |h, _| {
            h.may_take_over(duty.as_ref())?;
            h.sign_incoming(actor, now)
        })?;
        let h = &record.handover;
        let outgoing = self
            .store()
            .staff_by_id(h.outgoing)?
            .ok_or(DutyError::Rule(HandoverError::NotOutgoing))?;
        let reason = self.words().tf("handover.transfer_reason", &[("id", id.to_string())]);
        let (mut moved, mut refused) = (Vec::new(), Vec::new());
        for number in h.hand_over.clone() {
            let offer = Command::Transfer {
                to: actor.clone(),
                reason: reason.clone(),
            };
            let done = self
                .execute(&outgoing, &number, None, &offer)
                .and_then(|_| self.execute(actor, &number, None, &Command::Accept));
            match done {
                Ok(_) => moved.push(number),
                Err(e) => refused.push((number, e)),
            }
        }
        let record = self.handover(id)?;
        Ok(TakenOver { record, moved, refused })
    }
}
