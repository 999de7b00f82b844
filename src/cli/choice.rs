//! Choice flags (`--channel`, `--kind`, `--state` …): the codes the desk
//! stores, each shown in `--help` and offered by shell completion with its
//! label, and each also taken by the labels the screens show (`--kind 投诉`,
//! `--kind Complaint`). The labels come from the same assets as the screens'.
//! A value that is none of these reaches the command as typed, which refuses
//! it in the clerk's language.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::domain::step::Choices;
use crate::domain::{Channel, Kind, Origin, Role, Severity, State};
use crate::words::{Lang, t};

/// A closed list of codes, given by code or by label; parsed to the code.
#[derive(Clone, Debug)]
pub struct Choice {
    values: Vec<PossibleValue>,
}

impl Choice {
    /// The codes of `options` (code, label key), each described in `lang`
    /// and also taken by its Chinese and English labels.
    #[must_use]
    pub fn new(lang: Lang, options: &[(&'static str, String)]) -> Choice {
        let values = options
            .iter()
            .map(|(code, key)| {
                let mut value = PossibleValue::new(*code).help(t(lang, key));
                for label_lang in [Lang::Zh, Lang::En] {
                    let label = t(label_lang, key);
                    if label != *code && !label.is_empty() {
                        value = value.alias(label);
                    }
                }
                value
            })
            .collect();
        Choice { values }
    }

    /// The choice of the top-level or derived flag with id `id`, if it is one.
    #[must_use]
    pub fn of_flag(lang: Lang, id: &str) -> Option<Choice> {
        fn all<T: Copy>(
            values: &[T],
            code: fn(T) -> &'static str,
            key: fn(T) -> String,
        ) -> Vec<(&'static str, String)> {
            values.iter().map(|v| (code(*v), key(*v))).collect()
        }
        let options = match id {
            "channel" => all(Channel::ALL, Channel::code, Channel::label_key),
            "kind" => all(Kind::ALL, Kind::code, Kind::label_key),
            "severity" => all(Severity::ALL, Severity::code, Severity::label_key),
            "state" => all(State::ALL, State::code, State::label_key),
            "origin" => all(Origin::ALL, Origin::code, Origin::label_key),
            "role" => all(Role::ALL, Role::code, Role::label_key),
            "flag" => Choices::ManualFlag.options(),
            "lang" => vec![("zh", "help.lang.zh".to_string()), ("en", "help.lang.en".to_string())],
            _ => return None,
        };
        Some(Choice::new(lang, &options))
    }
}

impl TypedValueParser for Choice {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        let Some(text) = value.to_str() else {
            return PossibleValuesParser::new(self.values.clone()).parse_ref(cmd, arg, value);
        };
        // Anything else is passed on as given: the command refuses it in the
        // clerk's language, naming the codes it takes.
        Ok(self
            .values
            .iter()
            .find(|v| v.matches(text.trim(), true))
            .map_or_else(|| text.to_string(), |v| v.get_name().to_string()))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(choice: &Choice, text: &str) -> Option<String> {
        choice
            .parse_ref(&clap::Command::new("t"), None, OsStr::new(text))
            .ok()
            .filter(|code| choice.values.iter().any(|v| v.get_name() == code))
    }

    #[test]
    fn a_label_is_taken_for_its_code() {
        let kind = Choice::of_flag(Lang::Zh, "kind").unwrap();
        assert_eq!(parse(&kind, "投诉").as_deref(), Some("complaint"));
        assert_eq!(parse(&kind, "complaint").as_deref(), Some("complaint"));
        assert_eq!(
            parse(&kind, &t(Lang::En, "enum.kind.praise")).as_deref(),
            Some("praise")
        );
        assert_eq!(parse(&kind, "抱怨"), None);
        let channel = Choice::of_flag(Lang::En, "channel").unwrap();
        assert_eq!(
            parse(&channel, &t(Lang::Zh, "enum.channel.letter")).as_deref(),
            Some("letter")
        );
    }

    #[test]
    fn no_label_is_taken_by_two_codes() {
        for id in ["channel", "kind", "severity", "state", "origin", "role", "flag", "lang"] {
            let choice = Choice::of_flag(Lang::Zh, id).unwrap();
            for v in &choice.values {
                for name in v.get_name_and_aliases() {
                    let owners = choice.values.iter().filter(|o| o.matches(name, true)).count();
                    assert_eq!(owners, 1, "--{id} {name}");
                }
            }
        }
    }
}
