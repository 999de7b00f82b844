//! casedesk: the complaint and feedback desk of a hospital, service centre or telecom branch.

pub mod cli;
pub mod commands;
pub mod demo;
pub mod desk;
pub mod domain;
pub mod exchange;
pub mod paths;
pub mod print;
pub mod report;
pub mod service;
pub mod store;
pub mod ui;
pub mod words;
