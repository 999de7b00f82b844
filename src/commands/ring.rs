//! `casedesk ring PHONE`: a call coming in, for a phone system's or a
//! softphone's hook (or typed by the clerk). No one signs in: a ring only
//! tells screens of a call; what they show, they show to whoever is signed
//! in there.

use super::{Failure, Outcome};
use crate::desk::{Desk, Reached, RingFor};
use crate::words::{t, tf};

/// Rings the screens `to` names (else the clerks on duty) with a call from `phone`.
pub fn ring(desk: &mut Desk, phone: &str, to: &RingFor) -> Outcome {
    let lang = desk.lang;
    let words = desk.words();
    let reached = desk.ring(phone, to).map_err(|e| Failure::store(words, &e))?;
    let phone = crate::words::visible(phone.trim()).into_owned();
    match reached {
        Reached::Station(station) => out!(
            "{}",
            tf(lang, "cli.ring.station", &[("phone", phone), ("station", station)])
        ),
        Reached::Clerk(name) => out!("{}", tf(lang, "cli.ring.clerk", &[("phone", phone), ("name", name)])),
        Reached::OnDuty(names) if names.is_empty() => super::warn(&tf(lang, "cli.ring.nobody", &[("phone", phone)])),
        Reached::OnDuty(names) => out!(
            "{}",
            tf(
                lang,
                "cli.ring.on_duty",
                &[("phone", phone), ("names", names.join(&t(lang, "cli.ring.sep")))]
            )
        ),
    }
    Ok(())
}
