//! A step's values as typed (on the command line or in a form) checked against
//! its description and made into the engine's command: times parsed in the
//! desk's zone, departments and staff found by name, codes checked.

use super::Desk;
use crate::domain::step::{Field, Input, Value};
use crate::domain::{Command, Correctable, RuleError, StepKind, StepValues, UnknownCode};
use crate::store::StoreError;
use crate::words::Words;
use crate::words::time::{BadTime, DateOnly, parse_time};

/// Why the values typed for a step make no command.
#[derive(Debug, thiserror::Error)]
pub enum StepInputError {
    /// A time the desk does not understand.
    #[error(transparent)]
    Time(#[from] BadTime),
    /// A code not in the field's list.
    #[error("{0:?}")]
    Code(UnknownCode),
    /// A rating that is not a number.
    #[error("rating")]
    Rating,
    /// A required field left empty.
    #[error("{} is required", .0.name)]
    Missing(&'static Field),
    /// A name the desk does not know, or the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl StepInputError {
    /// What to tell the clerk.
    #[must_use]
    pub fn message(&self, words: Words) -> String {
        match self {
            StepInputError::Time(e) => crate::words::time::refused(words.lang, &e.0),
            StepInputError::Code(e) => words.tf(
                "cli.bad_value",
                &[
                    ("what", words.t(&format!("field.{}", e.what))),
                    ("given", e.given.clone()),
                    ("known", e.known.join(", ")),
                ],
            ),
            StepInputError::Rating => words.rule(&RuleError::Rating),
            StepInputError::Missing(field) => words.tf("rule.required", &[("field", words.t(field.label))]),
            StepInputError::Store(e) => words.store(e),
        }
    }
}

impl Desk {
    /// The command for step `kind` from what was typed into its fields
    /// (`typed(name)`: `None` when the field was not offered or given). A blank
    /// time, rating, choice or name counts as not given; text is kept as typed.
    pub fn step_command(
        &self,
        kind: StepKind,
        typed: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, StepInputError> {
        let mut values = StepValues::default();
        for field in kind.fields() {
            let Some(text) = typed(field.name) else { continue };
            let value = match field.input {
                Input::Line | Input::Lines(_) => Some(Value::Text(text)),
                _ if text.trim().is_empty() => None,
                Input::Time => Some(Value::Time(parse_time(
                    &text,
                    self.now(),
                    self.policy.timezone,
                    DateOnly::EndOfDay,
                )?)),
                Input::Rating => Some(Value::Rating(text.trim().parse().map_err(|_| StepInputError::Rating)?)),
                Input::Choice(choices) => Some(Value::Code(choices.check(&text).map_err(StepInputError::Code)?)),
                Input::Dept => Some(Value::Dept(self.resolve_dept(text.trim())?.id)),
                Input::Staff => Some(Value::Staff(self.resolve_staff(text.trim())?)),
            };
            if let Some(value) = value {
                values.set(field.name, value);
            }
        }
        let mut command = kind.command(&values).map_err(StepInputError::Missing)?;
        // A correction of the category or the department names one the desk knows.
        if let Command::Correct {
            field,
            value,
            category,
            dept,
            ..
        } = &mut command
            && !value.trim().is_empty()
        {
            match field {
                Correctable::Category => *category = Some(self.resolve_category(value.trim())?.id),
                Correctable::Dept => *dept = Some(self.resolve_dept(value.trim())?.id),
                _ => {}
            }
        }
        Ok(command)
    }
}
