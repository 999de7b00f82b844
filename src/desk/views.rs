//! Saved views through the desk: a clerk's own views of the queue, saved and
//! removed at the desk's time, and the cases a view shows now.

use super::Desk;
use crate::domain::view::View;
use crate::domain::{Actor, StaffId};
use crate::store::views::{Saved, SavedView, ViewAt};
use crate::store::{CaseRow, QueuePage, StoreError};

type Result<T> = std::result::Result<T, StoreError>;

impl Desk {
    /// Saves `view` as `by`'s own view `name`, under number `slot` (else as
    /// the store picks).
    pub fn save_view(&mut self, by: &Actor, name: &str, view: &View, slot: Option<u8>) -> Result<Saved> {
        let now = self.now();
        self.store.save_view(by, name, view, slot, now)
    }

    /// Removes `by`'s own view `name`.
    pub fn remove_view(&mut self, by: &Actor, name: &str) -> Result<SavedView> {
        let now = self.now();
        self.store.remove_view(by, name, now)
    }

    /// Where `view` stands for clerk `me` at `now`: the bound of its "due
    /// by" part from the policy's day and shifts.
    #[must_use]
    pub fn view_at(&self, view: &View, me: StaffId, now: crate::domain::Time) -> ViewAt {
        ViewAt {
            me,
            now,
            due_before: view.due_before(&self.policy, now),
        }
    }

    /// Up to `limit` cases `view` shows `me` now, from its first, in its order.
    pub fn view_cases(&self, view: &View, me: StaffId, limit: usize) -> Result<Vec<CaseRow>> {
        let at = self.view_at(view, me, self.now());
        self.store.view_page(view, at, QueuePage::First, limit)
    }
}
