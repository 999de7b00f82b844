//! Links between cases, batch incidents and attachments, through the desk's
//! rules like every other step.

use super::Desk;
use crate::domain::related::FileType;
use crate::domain::{Actor, Command, LinkRelation, RuleError};
use crate::store::batches::Batch;
use crate::store::{CaseRecord, StoreError};

type Result<T> = std::result::Result<T, StoreError>;

/// What a batch's step did on one member case: its number, and the case as
/// written or why the rules refused.
pub type MemberDone = (String, Result<CaseRecord>);

impl Desk {
    /// Links case `a` to case `b` as `relation`; `b` gets the inverse link.
    pub fn link(
        &mut self,
        actor: &Actor,
        a: &str,
        b: &str,
        relation: LinkRelation,
        reason: &str,
    ) -> Result<(CaseRecord, CaseRecord)> {
        self.with_rules(actor, |store, ctx| store.link(ctx, a, b, relation, reason))
    }

    /// Opens a batch incident.
    pub fn open_batch(&mut self, actor: &Actor, title: &str) -> Result<Batch> {
        self.with_rules(actor, |store, ctx| store.open_batch(ctx, title))
    }

    /// Case `number` joins batch `batch`.
    pub fn join_batch(&mut self, actor: &Actor, batch: &str, number: &str) -> Result<CaseRecord> {
        self.with_rules(actor, |store, ctx| store.join_batch(ctx, batch, number))
    }

    /// Runs `command` (the department's reply, the feedback) on every member
    /// case of batch `batch`, each in its own transaction through the rules:
    /// each member's result, in the order they joined. A refusal on one
    /// member leaves the others done.
    pub fn batch_step(&mut self, actor: &Actor, batch: &str, command: &Command) -> Result<(Batch, Vec<MemberDone>)> {
        let found = self.store.batch(batch)?;
        let mut results = Vec::with_capacity(found.members.len());
        for number in &found.members {
            let done = self.execute(actor, number, None, command);
            results.push((number.clone(), done));
        }
        Ok((found, results))
    }

    /// Keeps file `bytes` named `name` with case `number`: its type is read
    /// from its content, and the rules check size, type and name.
    pub fn attach(&mut self, actor: &Actor, number: &str, name: &str, bytes: &[u8]) -> Result<CaseRecord> {
        let max_mb = self.policy.attachments.max_mb;
        // Said before the bytes are looked at: a huge file is refused for its size.
        if bytes.len() as u64 > u64::from(max_mb) * 1024 * 1024 {
            return Err(RuleError::AttachmentTooLarge { max_mb }.into());
        }
        let kind = FileType::sniff(bytes).ok_or(RuleError::AttachmentType)?;
        self.with_rules(actor, |store, ctx| store.attach(ctx, number, name, kind.mime(), bytes))
    }
}

/// A link as a viewer may read it: the other case's state and summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkView {
    /// The link.
    pub link: crate::domain::related::Link,
    /// Where the other case stands (`None`: not on this desk).
    pub state: Option<crate::domain::State>,
    /// Its summary; `None` when it is confidential and the viewer may not see it.
    pub summary: Option<String>,
}

impl Desk {
    /// The links of `case`, each with the other case's state and, for who may
    /// see it, its summary (a confidential case's only for its owner and
    /// supervisors).
    #[must_use]
    pub fn link_views(&self, case: &crate::domain::Case, viewer: Option<&Actor>) -> Vec<LinkView> {
        case.related
            .links
            .iter()
            .map(|link| {
                let other = self.store.case(&link.other).ok();
                LinkView {
                    link: link.clone(),
                    state: other.as_ref().map(|o| o.case.state),
                    summary: other
                        .filter(|o| {
                            crate::domain::complainant::may_see(viewer, o.case.owner, o.case.intake.confidential)
                        })
                        .map(|o| o.case.intake.summary.clone()),
                }
            })
            .collect()
    }
}
