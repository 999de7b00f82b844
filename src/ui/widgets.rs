//! Small widgets: text input and the type-to-filter picker.

pub mod input;
pub mod picker;
pub mod wrap;
