//! Who complained: a named person, or nobody on record (anonymous).

use serde::{Deserialize, Serialize};

use super::{Actor, Role, StaffId};

/// Whether `viewer` may see the complainant of a case owned by `owner`: anyone
/// when the complainant is not confidential, else only the active owner or an
/// active supervisor (and they only with a recorded reason, which the caller asks for).
#[must_use]
pub fn may_see(viewer: Option<&Actor>, owner: StaffId, confidential: bool) -> bool {
    !confidential || viewer.is_some_and(|v| v.active && (v.role == Role::Supervisor || v.id == owner))
}

/// The complainant of a case. Anonymous means no identity is stored at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Complainant {
    /// Nothing about the person is kept.
    Anonymous,
    /// A person with whatever contact details they gave.
    Named {
        /// Name as given.
        name: String,
        /// Phone as given (display form).
        phone: Option<String>,
        /// Postal address.
        address: Option<String>,
        /// Patient, family, owner, tenant …
        relation: Option<String>,
    },
}

impl Complainant {
    /// Whether the desk has any way to reach the person for a return visit.
    #[must_use]
    pub fn has_contact(&self) -> bool {
        match self {
            Complainant::Anonymous => false,
            Complainant::Named { phone, address, .. } => {
                phone.as_deref().is_some_and(|p| !p.trim().is_empty())
                    || address.as_deref().is_some_and(|a| !a.trim().is_empty())
            }
        }
    }

    /// The phone number reduced to digits, for history and repeat detection.
    #[must_use]
    pub fn phone_key(&self) -> Option<String> {
        match self {
            Complainant::Named { phone: Some(p), .. } => normalize_phone(p),
            _ => None,
        }
    }

    /// Who the caller is, for their history and repeat detection: the
    /// phone's digits, else the name as given (trimmed). None for an
    /// anonymous complainant or a blank name.
    #[must_use]
    pub fn caller_key(&self) -> Option<String> {
        self.phone_key()
            .or_else(|| self.name().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string))
    }

    /// The name, if any.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        match self {
            Complainant::Named { name, .. } => Some(name),
            Complainant::Anonymous => None,
        }
    }
}

/// Reduces a phone number to its digits so `138-0013 8000`, `+86 13800138000`
/// and `13800138000` are the same caller; too few digits is not a number.
#[must_use]
pub fn normalize_phone(raw: &str) -> Option<String> {
    let mut digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    // Mainland mobile numbers are often written with the country code.
    if digits.len() == 13 && digits.starts_with("86") {
        digits.drain(..2);
    }
    if digits.len() == 15 && digits.starts_with("0086") {
        digits.drain(..4);
    }
    (digits.len() >= 5).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_normalised_to_digits() {
        assert_eq!(normalize_phone("138-0013 8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("+86 138 0013 8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("0755-8888 1234").as_deref(), Some("075588881234"));
        assert_eq!(normalize_phone("分机 12"), None);
    }

    #[test]
    fn anonymous_has_no_contact() {
        assert!(!Complainant::Anonymous.has_contact());
        let named = Complainant::Named {
            name: "王芳".into(),
            phone: None,
            address: None,
            relation: None,
        };
        assert!(!named.has_contact());
    }
}
