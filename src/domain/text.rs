//! What typed text may hold: no control characters but tabs and line breaks.
//! A control character in a summary or a name would act on the terminal that
//! later prints it (clear the screen, write the clipboard, overwrite a line),
//! so the desk refuses it wherever text comes in: the command line, the
//! screens and an import.

use super::{Command, Complainant, RuleError};

/// Whether `c` is a control character the desk refuses in typed text: the C0
/// controls but tab and line feed, DEL, and the C1 controls.
#[must_use]
pub fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// The first control character of `text` the desk refuses, if any.
#[must_use]
pub fn first_control(text: &str) -> Option<char> {
    text.chars().find(|&c| is_control(c))
}

/// Every text typed into `command` (given or not), with its field's code.
fn typed(command: &Command) -> Vec<(&'static str, Option<&str>)> {
    match command {
        Command::Intake { form, .. } => {
            let mut texts = vec![
                ("summary", Some(form.summary.as_str())),
                ("details", Some(form.details.as_str())),
            ];
            if let Complainant::Named {
                name,
                phone,
                address,
                relation,
            } = &form.complainant
            {
                texts.extend([
                    ("complainant", Some(name.as_str())),
                    ("phone", phone.as_deref()),
                    ("address", address.as_deref()),
                    ("relation", relation.as_deref()),
                ]);
            }
            if let Some(person) = &form.subject_person {
                texts.push(("subject_person", Some(person.name.as_str())));
            }
            texts
        }
        Command::Answer { text }
        | Command::Refer { text, .. }
        | Command::Note { text }
        | Command::Quality { text, .. }
        | Command::Feedback { text, .. } => {
            vec![("text", Some(text.as_str()))]
        }
        Command::Urge {
            whom,
            method,
            note,
            answer,
            ..
        } => vec![
            ("note", Some(note.as_str())),
            ("whom", whom.as_deref()),
            ("method", method.as_deref()),
            ("answer", answer.as_deref()),
        ],
        Command::Correct { value, reason, .. } => {
            vec![("value", Some(value.as_str())), ("reason", Some(reason.as_str()))]
        }
        Command::Extend { reason, .. }
        | Command::Pause { reason }
        | Command::Escalate { reason }
        | Command::Transfer { reason, .. }
        | Command::Reopen { reason }
        | Command::Release { reason, .. }
        | Command::Withdraw { reason } => vec![("reason", Some(reason.as_str()))],
        Command::Resume { reason } | Command::Flag { reason, .. } | Command::Promise { reason, .. } => {
            vec![("reason", reason.as_deref())]
        }
        Command::Reply {
            facts,
            responsible,
            measures,
            ..
        } => vec![
            ("facts", Some(facts.as_str())),
            ("responsible", responsible.as_deref()),
            ("measures", measures.as_deref()),
        ],
        Command::Review { note } | Command::VisitFailed { note } => vec![("note", note.as_deref())],
        Command::Visit { comment, .. } | Command::FollowUp { comment, .. } => vec![("comment", comment.as_deref())],
        Command::Assign { .. } | Command::Accept | Command::Close | Command::Archive => Vec::new(),
        Command::Link { other, reason, .. } => vec![("other", Some(other.as_str())), ("reason", Some(reason.as_str()))],
        Command::JoinBatch { batch, title } => vec![("batch", Some(batch.as_str())), ("title", Some(title.as_str()))],
        Command::Attach(file) => vec![("name", Some(file.name.as_str()))],
    }
}

/// Refuses a command whose typed text holds a control character, naming the
/// field and the character: the rule every way in (the command line, the
/// screens) meets in [`crate::domain::decide`].
pub fn refuse_controls(command: &Command) -> Result<(), RuleError> {
    for (field, text) in typed(command) {
        if let Some(c) = text.and_then(first_control) {
            return Err(RuleError::ControlCharacter {
                field: field.to_string(),
                code: code_point(c),
            });
        }
    }
    Ok(())
}

/// Refuses stored events (an import's) holding a control character in any
/// text: the field's name and the character, else nothing.
#[must_use]
pub fn control_in_event(event: &serde_json::Value) -> Option<(String, String)> {
    fn walk(key: &str, v: &serde_json::Value) -> Option<(String, String)> {
        match v {
            serde_json::Value::String(s) => first_control(s).map(|c| (key.to_string(), code_point(c))),
            serde_json::Value::Array(items) => items.iter().find_map(|i| walk(key, i)),
            serde_json::Value::Object(m) => m.iter().find_map(|(k, v)| walk(k, v)),
            _ => None,
        }
    }
    walk("", event)
}

/// A character as `U+001B`.
#[must_use]
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_line_breaks_are_text_other_controls_are_not() {
        assert_eq!(first_control("两行\n\t文字"), None);
        for bad in [
            "\u{1b}]52;c;eA==\u{7}",
            "\u{1b}[2J",
            "a\rb",
            "\u{0}",
            "\u{7f}",
            "\u{9b}1m",
        ] {
            assert!(first_control(bad).is_some(), "{bad:?}");
        }
    }
}
