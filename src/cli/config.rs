//! The user's `config.toml` (beside the policy file): the language and the
//! desk service's socket. Like the policy file, it is read strictly: a key
//! it does not know or a value it cannot take is refused by name, since a
//! misspelt key would otherwise be ignored without a word.

use std::path::{Path, PathBuf};

use crate::paths::Paths;
use crate::words::{Lang, t, tf};

/// The keys `config.toml` takes, in the order its message lists them.
pub const KEYS: [&str; 2] = ["lang", "server"];

/// What `config.toml` says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `lang = "zh"` or `"en"`.
    pub lang: Option<Lang>,
    /// `server = "PATH"`: the desk service's socket.
    pub server: Option<PathBuf>,
}

/// A `config.toml` that cannot be taken, in words for the clerk.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Where the user's `config.toml` is.
    #[must_use]
    pub fn path(paths: &Paths) -> PathBuf {
        paths.policy.with_file_name("config.toml")
    }

    /// The user's `config.toml`; empty when there is none. Messages in English.
    pub fn read(paths: &Paths) -> Result<Config, ConfigError> {
        Config::read_in(paths, Lang::En)
    }

    /// The user's `config.toml`; empty when there is none; messages in `lang`.
    pub fn read_in(paths: &Paths, lang: Lang) -> Result<Config, ConfigError> {
        let path = Config::path(paths);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path, lang),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError(tf(
                lang,
                "cli.file_unreadable",
                &[("path", path.display().to_string()), ("error", e.to_string())],
            ))),
        }
    }

    /// `text`, the contents of the file at `path`.
    pub fn parse(text: &str, path: &Path, lang: Lang) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let refuse = |key: &str, args: &[(&str, String)]| {
            let mut all = vec![("path", file.clone()), ("keys", KEYS.join(", "))];
            all.extend(args.iter().cloned());
            ConfigError(tf(lang, key, &all))
        };
        let table: toml::Table =
            toml::from_str(text).map_err(|e| refuse("cli.config.syntax", &[("error", e.message().to_string())]))?;
        let mut config = Config::default();
        for (key, value) in &table {
            let text = value.as_str();
            match key.as_str() {
                "lang" => {
                    let lang_code = text.and_then(Lang::parse).ok_or_else(|| {
                        refuse(
                            "cli.config.bad_value",
                            &[
                                ("key", key.clone()),
                                ("value", value.to_string()),
                                ("known", "zh, en".into()),
                            ],
                        )
                    })?;
                    config.lang = Some(lang_code);
                }
                "server" => {
                    let socket = text.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                        refuse(
                            "cli.config.bad_value",
                            &[
                                ("key", key.clone()),
                                ("value", value.to_string()),
                                ("known", t(lang, "cli.config.a_path")),
                            ],
                        )
                    })?;
                    config.server = Some(PathBuf::from(socket));
                }
                other => return Err(refuse("cli.config.unknown_key", &[("key", other.to_string())])),
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, lang: Lang) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/home/a/.config/casedesk/config.toml"), lang)
    }

    #[test]
    fn the_known_keys_are_taken() {
        let c = parse("lang = \"en\"\nserver = \"/run/casedesk.sock\"\n", Lang::Zh).unwrap();
        assert_eq!(c.lang, Some(Lang::En));
        assert_eq!(c.server, Some(PathBuf::from("/run/casedesk.sock")));
        assert_eq!(parse("", Lang::Zh).unwrap(), Config::default());
    }

    #[test]
    fn an_unknown_key_is_named_with_the_file_and_the_keys() {
        let e = parse("langauge = \"en\"\n", Lang::Zh).unwrap_err().0;
        assert!(
            e.contains("langauge") && e.contains("config.toml") && e.contains("lang, server"),
            "{e}"
        );
        let e = parse("langauge = \"en\"\n", Lang::En).unwrap_err().0;
        assert!(e.contains("Unknown key"), "{e}");
    }

    #[test]
    fn a_bad_value_is_named() {
        let e = parse("lang = \"fr\"\n", Lang::En).unwrap_err().0;
        assert!(e.contains("\"fr\"") && e.contains("zh, en"), "{e}");
        let e = parse("server = 3\n", Lang::Zh).unwrap_err().0;
        assert!(e.contains("server") && e.contains('3'), "{e}");
        let e = parse("lang = \n", Lang::Zh).unwrap_err().0;
        assert!(e.contains("config.toml"), "{e}");
    }
}
