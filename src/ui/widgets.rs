//! Small widgets: text input, the type-to-filter picker, wrapped text and table columns that fit.

pub mod columns;
pub mod input;
pub mod picker;
pub mod wrap;
