//! Bad usage told in the clerk's language. clap's own messages are English;
//! for the mistakes a clerk makes most (a missing or unknown flag, a bad
//! value, a command that is not there) a Chinese desk says it in Chinese,
//! with the usage line and where to read more. Others keep clap's words.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::words::{Lang, t, tf};

/// One piece of an error's context as text.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => Some(list.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(list) => Some(list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The message for `e` in `lang`, if it is one the desk words itself.
#[must_use]
pub fn in_words(e: &clap::Error, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let arg = || context(e, ContextKind::InvalidArg).unwrap_or_default();
    let mut text = match e.kind() {
        ErrorKind::MissingRequiredArgument => tf(lang, "cli.usage.missing", &[("args", arg())]),
        ErrorKind::UnknownArgument => tf(lang, "cli.usage.unknown_arg", &[("arg", arg())]),
        ErrorKind::InvalidSubcommand => tf(
            lang,
            "cli.usage.unknown_command",
            &[(
                "command",
                context(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            )],
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut text = tf(
                lang,
                "cli.usage.bad_value",
                &[
                    ("arg", arg()),
                    ("value", context(e, ContextKind::InvalidValue).unwrap_or_default()),
                ],
            );
            if let Some(valid) = context(e, ContextKind::ValidValue) {
                text.push_str(&tf(lang, "cli.usage.valid", &[("values", valid)]));
            }
            text
        }
        ErrorKind::ArgumentConflict => tf(
            lang,
            "cli.usage.conflict",
            &[
                ("arg", arg()),
                ("other", context(e, ContextKind::PriorArg).unwrap_or_default()),
            ],
        ),
        _ => return None,
    };
    let suggested = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue));
    if let Some(s) = suggested {
        text.push_str(&tf(lang, "cli.usage.did_you_mean", &[("suggestion", s)]));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.find("casedesk").map_or(usage, |at| &usage[at..]);
        text.push_str(&format!("\n\n{}{usage}", t(lang, "help.usage")));
    }
    text.push_str(&format!("\n\n{}", t(lang, "cli.usage.more")));
    Some(text)
}

/// Ends the program for a command line that could not be taken: help and
/// version as clap prints them, bad usage in the clerk's language (exit 2).
pub fn exit(e: &clap::Error, lang: Lang) -> ! {
    match in_words(e, lang) {
        Some(text) => {
            // What was typed is echoed: its control characters shown, not acted on.
            eprintln!("{}", crate::words::visible(&text));
            std::process::exit(2)
        }
        None => e.exit(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(args: &[&str]) -> clap::Error {
        super::super::command(Lang::Zh)
            .try_get_matches_from(args)
            .err()
            .unwrap()
    }

    #[test]
    fn a_clerk_s_usual_mistakes_are_told_in_chinese() {
        let e = error(&["casedesk", "case", "new", "--as", "张小明"]);
        let text = in_words(&e, Lang::Zh).unwrap();
        assert!(
            text.starts_with("缺少必填的参数") && text.contains("--channel"),
            "{text}"
        );
        assert!(text.contains("用法：casedesk case new"), "{text}");
        let text = in_words(&error(&["casedesk", "dept", "lsit"]), Lang::Zh).unwrap();
        assert!(text.contains("lsit") && text.contains("list"), "{text}");
        let text = in_words(&error(&["casedesk", "staff", "list", "--jsno"]), Lang::Zh).unwrap();
        assert!(text.contains("--jsno") && text.contains("--json"), "{text}");
        let text = in_words(&error(&["casedesk", "completions", "tcsh"]), Lang::Zh).unwrap();
        assert!(text.contains("tcsh") && text.contains("bash"), "{text}");
        assert!(in_words(&error(&["casedesk", "dept", "lsit"]), Lang::En).is_none());
    }
}
