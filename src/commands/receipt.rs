//! `case receipt`: the visitor's receipt (回执), as text for a receipt
//! printer or an A5 page.

use super::{Failure, Outcome, sign_in};
use crate::cli::ReceiptArgs;
use crate::desk::Desk;
use crate::domain::Complainant;
use crate::domain::complainant::may_see;
use crate::print::receipt::{Receipt, render};

/// Prints the receipt of case `number`. The visitor's name is on it when
/// `case show` would show it to the one printing: a confidential visitor's
/// only to the owner, or to a supervisor giving a reason (recorded).
pub fn receipt(desk: &mut Desk, args: &ReceiptArgs) -> Outcome {
    let (lang, words) = (desk.lang, desk.words());
    let err = |e: crate::store::StoreError| Failure::store(words, &e);
    let actor = sign_in(desk, &args.actor)?;
    let record = desk.store().case(&args.number).map_err(err)?;
    let case = &record.case;
    let visitor = match &case.intake.complainant {
        Complainant::Named { name, .. } => Some(name.clone()),
        Complainant::Anonymous => None,
    };
    let visitor = if case.intake.confidential && visitor.is_some() {
        let viewer = super::show::looking(desk, &record, Some(actor), args.reason.as_deref())?;
        visitor.filter(|_| may_see(viewer.as_ref(), case.owner, true))
    } else {
        visitor
    };
    let names = desk.store().staff_names().map_err(err)?;
    let owner = crate::words::events::staff_name(&names, case.owner);
    let receipt = Receipt::of(case, owner, visitor, &desk.policy.organisation);
    let text = render(&receipt, lang, desk.policy.timezone, args.format);
    match &args.out {
        Some(path) => {
            super::console::write_file(path, text.as_bytes()).map_err(|e| super::file_failure(lang, path, &e))?;
        }
        None => out!("{}", text.trim_end()),
    }
    Ok(())
}
