//! Quick phrases (常用语): texts an admin keeps for each use, offered in that
//! step's text fields, with `{name}`, `{number}`, `{dept}` and `{due}` filled
//! in from the case.

use serde::{Deserialize, Serialize};

use super::kinds::code_enum;
use super::{RuleError, StepKind};

code_enum!(
    /// What a phrase is for: the text fields of one kind of step.
    PhraseUse, "phrase_use" {
        Feedback = "feedback", Urge = "urge", Visit = "visit", Reply = "reply", Note = "note", Answer = "answer",
    }
);

impl PhraseUse {
    /// The phrases offered in `field` of step `kind`, if any: a feedback's
    /// text, an urge's note and the department's answer, a visit's or
    /// follow-up's comment, a reply's facts and measures, a note, an answer.
    #[must_use]
    pub fn of_field(kind: StepKind, field: &str) -> Option<PhraseUse> {
        Some(match (kind, field) {
            (StepKind::Feedback, "text") => PhraseUse::Feedback,
            (StepKind::Urge, "note" | "answer") => PhraseUse::Urge,
            (StepKind::Visit | StepKind::FollowUp, "comment") => PhraseUse::Visit,
            (StepKind::Reply, "facts" | "measures") => PhraseUse::Reply,
            (StepKind::Note, "text") => PhraseUse::Note,
            (StepKind::Answer, "text") => PhraseUse::Answer,
            _ => return None,
        })
    }
}

/// Longest phrase, in characters.
pub const PHRASE_MAX: usize = 500;

/// One phrase as the desk keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    /// Its id (what `phrase remove` names).
    pub id: i64,
    /// What it is for.
    #[serde(rename = "use")]
    pub use_: PhraseUse,
    /// The text, placeholders and all.
    pub text: String,
}

/// A phrase's text as the desk keeps it: trimmed, present, within its length,
/// free of control characters but line breaks (a phrase may run to lines).
pub fn phrase_text(text: &str) -> Result<String, RuleError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RuleError::Required { field: "phrase" });
    }
    if let Some(c) = super::text::first_control(text) {
        return Err(RuleError::ControlCharacter {
            field: "phrase".into(),
            code: super::text::code_point(c),
        });
    }
    let len = text.chars().count();
    if len > PHRASE_MAX {
        return Err(RuleError::TooLong {
            field: "phrase",
            len,
            max: PHRASE_MAX,
        });
    }
    Ok(text.to_string())
}

/// What a phrase's placeholders are filled with, from the case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fill {
    /// `{name}`: the complainant's name as the clerk may see it.
    pub name: String,
    /// `{number}`: the case number.
    pub number: String,
    /// `{dept}`: the department complained about (or assigned).
    pub dept: String,
    /// `{due}`: the reply's due time, as the desk shows times.
    pub due: String,
}

/// The phrase with its placeholders filled; an unknown `{…}` stays as typed.
#[must_use]
pub fn fill(text: &str, with: &Fill) -> String {
    text.replace("{name}", &with.name)
        .replace("{number}", &with.number)
        .replace("{dept}", &with.dept)
        .replace("{due}", &with.due)
}

/// Why a line of a phrase file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadLine {
    /// A use the desk does not know (or none, when the file gives no `--use`).
    Use(super::UnknownCode),
    /// The text breaks a rule (blank, too long, a control character).
    Text(RuleError),
}

/// A phrase file's phrases: one a line, `use,text` (or `use<TAB>text`; the
/// use a code, or its label in `labels`), or only the text when `all` names
/// the use of every line. Blank lines, lines starting with `#` and a header
/// line (`use,text` / `用途,内容`) are skipped. The first bad line is named
/// by its number (from 1); nothing is taken from a file with one.
pub fn parse_file(
    text: &str,
    all: Option<PhraseUse>,
    labels: &dyn Fn(PhraseUse) -> Vec<String>,
) -> Result<Vec<(PhraseUse, String)>, (usize, BadLine)> {
    let mut out = Vec::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || (i == 0 && matches!(line, "use,text" | "用途,内容")) {
            continue;
        }
        let (use_, body) = if let Some(u) = all {
            (u, line)
        } else {
            let (head, body) = line.split_once([',', '\t', '，']).unwrap_or((line, ""));
            let head = head.trim();
            let found = PhraseUse::ALL
                .iter()
                .copied()
                .find(|u| u.code() == head || labels(*u).iter().any(|l| l == head));
            let Some(u) = found else {
                let bad = PhraseUse::parse(head).err().unwrap_or_else(unknown);
                return Err((i + 1, BadLine::Use(bad)));
            };
            (u, body)
        };
        out.push((use_, phrase_text(body).map_err(|e| (i + 1, BadLine::Text(e)))?));
    }
    Ok(out)
}

fn unknown() -> super::UnknownCode {
    super::UnknownCode {
        what: "phrase_use",
        given: String::new(),
        known: PhraseUse::ALL.iter().map(|u| u.code()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_from_the_case_and_unknown_ones_stay() {
        let with = Fill {
            name: "王芳".into(),
            number: "2026-000001".into(),
            dept: "护理部".into(),
            due: "2026-10-09 23:59".into(),
        };
        assert_eq!(
            fill("{name}您好，您反映的{number}已转{dept}，{due}前答复。{other}", &with),
            "王芳您好，您反映的2026-000001已转护理部，2026-10-09 23:59前答复。{other}"
        );
    }

    #[test]
    fn a_phrase_is_trimmed_present_short_and_plain() {
        assert_eq!(phrase_text("  已转相关科室处理 ").as_deref(), Ok("已转相关科室处理"));
        assert_eq!(phrase_text("第一行\n第二行").as_deref(), Ok("第一行\n第二行"));
        assert_eq!(phrase_text(" "), Err(RuleError::Required { field: "phrase" }));
        assert!(matches!(
            phrase_text("a\u{1b}[2J"),
            Err(RuleError::ControlCharacter { .. })
        ));
        assert!(matches!(phrase_text(&"字".repeat(501)), Err(RuleError::TooLong { .. })));
    }

    #[test]
    fn a_file_gives_one_phrase_a_line_by_code_or_label() {
        let labels = |u: PhraseUse| {
            if u == PhraseUse::Feedback {
                vec!["反馈".to_string()]
            } else {
                vec![]
            }
        };
        let file =
            "\u{feff}用途,内容\n# 反馈用语\nfeedback,{name}您好，已处理\n\n反馈，电话已告知\nurge\t请今日内答复\n";
        assert_eq!(
            parse_file(file, None, &labels),
            Ok(vec![
                (PhraseUse::Feedback, "{name}您好，已处理".into()),
                (PhraseUse::Feedback, "电话已告知".into()),
                (PhraseUse::Urge, "请今日内答复".into()),
            ])
        );
        assert!(matches!(
            parse_file("feedback,好\n催办,x", None, &labels),
            Err((2, BadLine::Use(_)))
        ));
        assert!(matches!(
            parse_file("feedback, ", None, &labels),
            Err((1, BadLine::Text(_)))
        ));
        assert_eq!(
            parse_file("已转科室,请稍候", Some(PhraseUse::Note), &labels),
            Ok(vec![(PhraseUse::Note, "已转科室,请稍候".into())])
        );
    }

    #[test]
    fn each_use_is_offered_in_its_steps_text_fields() {
        assert_eq!(
            PhraseUse::of_field(StepKind::Feedback, "text"),
            Some(PhraseUse::Feedback)
        );
        assert_eq!(PhraseUse::of_field(StepKind::Reply, "measures"), Some(PhraseUse::Reply));
        assert_eq!(
            PhraseUse::of_field(StepKind::FollowUp, "comment"),
            Some(PhraseUse::Visit)
        );
        assert_eq!(PhraseUse::of_field(StepKind::Reply, "responsible"), None);
    }
}
