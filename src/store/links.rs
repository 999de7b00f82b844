//! Links between cases: one event on each case, written in one transaction.

use super::cases::{CaseRecord, execute_in, load, whole_seconds};
use super::{Result, Store};
use crate::domain::{Command, Context, LinkRelation};

impl Store {
    /// Links case `a` to case `b` as `relation` (from `a`), and `b` back to
    /// `a` as its inverse: both cases must exist and the rules take both
    /// steps, or nothing is written.
    pub fn link(
        &mut self,
        ctx: &Context<'_>,
        a: &str,
        b: &str,
        relation: LinkRelation,
        reason: &str,
    ) -> Result<(CaseRecord, CaseRecord)> {
        let ctx = &whole_seconds(ctx);
        self.transaction(|tx| {
            // Both exist before either is written (a missing one is named).
            load(tx, a)?;
            load(tx, b)?;
            let here = Command::Link {
                other: b.to_string(),
                relation,
                reason: reason.to_string(),
            };
            let there = Command::Link {
                other: a.to_string(),
                relation: relation.inverse(),
                reason: reason.to_string(),
            };
            let first = execute_in(tx, ctx, a, None, &here, None)?;
            let second = execute_in(tx, ctx, b, None, &there, None)?;
            Ok((first, second))
        })
    }
}
