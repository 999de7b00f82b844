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

/// Longest phone number the desk keeps, in characters as typed.
pub const PHONE_MAX: usize = 30;
/// Longest name, relation, in characters.
pub const NAME_MAX: usize = 50;
/// Longest address, in characters.
pub const ADDRESS_MAX: usize = 200;

/// A phone number as typed, full-width digits and marks made half-width
/// (`１３８` → `138`), or `None` when it holds anything but digits, spaces,
/// `-`, `+`, brackets and `/` (`不知道`, `abc`, `137O0007777` with a letter O).
#[must_use]
pub fn clean_phone(raw: &str) -> Option<String> {
    let half: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c),
            '＋' => '+',
            '－' | '—' => '-',
            '（' => '(',
            '）' => ')',
            '　' => ' ',
            other => other,
        })
        .collect();
    half.chars()
        .all(|c| c.is_ascii_digit() || " -+()/".contains(c))
        .then_some(half)
        .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
}

/// Reduces a phone number to its digits so `138-0013 8000`, `+86 13800138000`
/// and `13800138000` are the same caller; too few digits is not a number.
#[must_use]
pub fn normalize_phone(raw: &str) -> Option<String> {
    let raw = clean_phone(raw).unwrap_or_else(|| raw.to_string());
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
        assert_eq!(
            normalize_phone("１３８００１３８０００").as_deref(),
            Some("13800138000")
        );
    }

    #[test]
    fn a_phone_is_digits_and_the_marks_around_them() {
        assert_eq!(
            clean_phone(" ＋86 １３８－0013（8000） ").as_deref(),
            Some("+86 138-0013(8000)")
        );
        for bad in ["不知道", "abc", "137O0007777", "", " - "] {
            assert_eq!(clean_phone(bad), None, "{bad}");
        }
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
