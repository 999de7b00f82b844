//! casedesk: the complaint and feedback desk of a hospital, service centre or telecom branch.

pub mod domain;
pub mod store;
