//! The queue's view keys: a part of the view changed, the view saved, a
//! saved view picked or recalled by its number.

/// What a view key asks of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKey {
    /// Mine, then all.
    Whose,
    /// Only overdue cases, or not.
    Overdue,
    /// Only escalated cases, or not.
    Escalated,
    /// The next state (any, then each open state).
    State,
    /// Due by: any, today, this shift.
    Due,
    /// The order: most urgent, newest, oldest first.
    Sort,
    /// Save the view under a name.
    Save,
    /// The saved views' picker.
    Picker,
    /// Recall the saved view of this number.
    Recall(u8),
    /// Remove the picker's selected view.
    Remove,
}
