//! User-visible strings, per language, from `assets/i18n/*.toml`.
//!
//! Chinese is the default; English is second. A test fails when a key is
//! missing in either language or used in code but defined in neither.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language the desk speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Parses `zh`, `zh-CN`, `en`, `en_US.UTF-8` …; anything else is `None`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("zh") {
            Some(Lang::Zh)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The code `parse` reads back: `zh`, `en`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

const ZH: &str = include_str!("../../assets/i18n/zh.toml");
const EN: &str = include_str!("../../assets/i18n/en.toml");
/// The command line's `--help`, kept apart from the screens' words.
const HELP_ZH: &str = include_str!("../../assets/i18n/help.zh.toml");
const HELP_EN: &str = include_str!("../../assets/i18n/help.en.toml");

/// A language's texts, read the first time one is asked for: a command
/// reads only its own language (Chinese also as the fallback of a missing key).
fn table(lang: Lang) -> &'static HashMap<String, String> {
    static ZH_TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN_TABLE: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        Lang::Zh => ZH_TABLE.get_or_init(|| flatten(&[ZH, HELP_ZH])),
        Lang::En => EN_TABLE.get_or_init(|| flatten(&[EN, HELP_EN])),
    }
}

/// Flattens the nested TOML tables of `texts` into dotted keys.
fn flatten(texts: &[&str]) -> HashMap<String, String> {
    fn walk(prefix: &str, value: &toml::Value, out: &mut HashMap<String, String>) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            toml::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }
    let mut out = HashMap::new();
    for text in texts {
        if let Ok(value) = toml::from_str::<toml::Value>(text) {
            walk("", &value, &mut out);
        }
    }
    out
}

/// The text for `key`; a missing key shows itself (tests make sure none is missing).
#[must_use]
pub fn t(lang: Lang, key: &str) -> String {
    table(lang)
        .get(key)
        .or_else(|| table(Lang::Zh).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// The text for `key` in `lang` itself, if it has one (no fallback).
#[must_use]
pub fn find(lang: Lang, key: &str) -> Option<String> {
    table(lang).get(key).cloned()
}

/// The text for `key` with `{name}` placeholders filled in.
#[must_use]
pub fn tf(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut text = t(lang, key);
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Every key of a language (for tests and tools).
#[must_use]
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys: Vec<String> = table(lang).keys().cloned().collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh = keys(Lang::Zh);
        let en = keys(Lang::En);
        assert!(!zh.is_empty());
        let missing_en: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let missing_zh: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh.toml: {missing_zh:?}");
    }

    #[test]
    fn every_enum_value_has_a_label() {
        let mut wanted: Vec<String> = Vec::new();
        wanted.extend(Channel::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Kind::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Origin::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Severity::ALL.iter().map(|v| v.label_key()));
        wanted.extend(State::ALL.iter().map(|v| v.label_key()));
        wanted.extend(AssignMode::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Verdict::ALL.iter().map(|v| v.label_key()));
        wanted.extend(FeedbackMethod::ALL.iter().map(|v| v.label_key()));
        wanted.extend(VisitMethod::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Satisfaction::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Role::ALL.iter().map(|v| v.label_key()));
        wanted.extend(Flag::ALL.iter().map(|v| v.label_key()));
        wanted.extend(DeadlineKind::ALL.iter().map(|v| v.label_key()));
        wanted.extend(crate::domain::LinkRelation::ALL.iter().map(|v| v.label_key()));
        for lang in [Lang::Zh, Lang::En] {
            let have = keys(lang);
            let missing: Vec<_> = wanted.iter().filter(|k| !have.contains(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
        }
    }

    /// Scans the sources for `t(…, "key")` / `tf(…, "key"` / `msg!("key"` and checks each key exists.
    #[test]
    fn every_key_used_in_code_exists() {
        let mut used = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, _) in text.match_indices("\"") {
                        let rest = &text[i + 1..];
                        let Some(end) = rest.find('"') else { continue };
                        let lit = &rest[..end];
                        let before = &text[..i];
                        let call = before.trim_end().ends_with(',') || before.trim_end().ends_with('(');
                        let is_key = lit.contains('.')
                            && !lit.ends_with('.')
                            && lit
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c.is_ascii_digit())
                            && [
                                "cli.",
                                "rule.",
                                "store.",
                                "gate.",
                                "event.",
                                "ui.",
                                "field.",
                                "action.",
                                "exemption.",
                                "cause.",
                                "transfer.",
                                "duty.",
                                "handover.",
                                "print.",
                                "report.",
                                "visits.",
                                "urges.",
                                "enum.",
                            ]
                            .iter()
                            .any(|p| lit.starts_with(p));
                        if call && is_key {
                            used.push((lit.to_string(), path.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(used.len() > 20, "the scan found too few keys: {used:?}");
        for lang in [Lang::Zh, Lang::En] {
            let have = keys(lang);
            let missing: Vec<_> = used.iter().filter(|(k, _)| !have.contains(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks keys used in code: {missing:?}");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, "cli.case_created", &[("number", "2026-000001".into())]),
            "Case 2026-000001 recorded"
        );
    }
}
