//! Applying a correction (更正) to the intake it fixes; the rule that
//! decides one lives in `command/correct.rs`.

use super::event::Received;
use super::{Complainant, Correctable, EventBody};

impl Received {
    /// Applies a correction to the intake it fixes.
    pub fn correct(&mut self, body: &EventBody) {
        let intake = self;
        let EventBody::Corrected {
            field,
            new,
            category,
            dept,
            ..
        } = body
        else {
            return;
        };
        let slot = match (&mut intake.complainant, field) {
            (_, Correctable::Summary) => {
                intake.summary = new.clone().unwrap_or_default();
                return;
            }
            (_, Correctable::Details) => {
                intake.details = new.clone().unwrap_or_default();
                return;
            }
            (_, Correctable::Category) => {
                intake.category = *category;
                return;
            }
            (_, Correctable::Dept) => {
                intake.dept = *dept;
                return;
            }
            (Complainant::Anonymous, _) => return,
            (Complainant::Named { name, .. }, Correctable::ComplainantName) => {
                name.clone_from(&new.clone().unwrap_or_default());
                return;
            }
            (Complainant::Named { phone, .. }, Correctable::ComplainantPhone) => phone,
            (Complainant::Named { address, .. }, Correctable::ComplainantAddress) => address,
            (Complainant::Named { relation, .. }, Correctable::ComplainantRelation) => relation,
        };
        slot.clone_from(new);
    }
}
