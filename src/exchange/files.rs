//! The files cases keep, in the JSON export: after the cases, each file's
//! bytes once, base64, by its SHA-256, so an import brings them back. An
//! export made without a supervisor leaves out the files of confidential
//! cases (a scanned letter names its writer), as it masks their complainants.

use std::collections::HashSet;
use std::io::Write;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::ImportError;
use crate::domain::{Event, EventBody};
use crate::store::Store;

/// Which files the export leaves out.
#[derive(Debug, Default)]
pub(super) struct Withheld {
    /// Files of masked confidential cases.
    masked: HashSet<String>,
    /// Files any other case has too: those are written.
    open: HashSet<String>,
}

impl Withheld {
    /// Takes note of a case's files; `masked`: the case's complainant is masked.
    pub(super) fn note(&mut self, events: &[Event], masked: bool) {
        for e in events {
            if let EventBody::Attached { sha256, .. } = &e.body {
                if masked {
                    self.masked.insert(sha256.clone());
                } else {
                    self.open.insert(sha256.clone());
                }
            }
        }
    }

    fn leaves_out(&self, sha256: &str) -> bool {
        self.masked.contains(sha256) && !self.open.contains(sha256)
    }
}

/// Writes `,"attachments": [...]` (the JSON's last field), one file at a time.
pub(super) fn write(store: &Store, out: &mut dyn Write, withheld: &Withheld) -> Result<(), ImportError> {
    let io = |e: std::io::Error| ImportError::Io(e.to_string());
    write!(out, ",\n  \"attachments\": [").map_err(io)?;
    let mut first = true;
    store.each_attachment(|sha256, mime, bytes| -> Result<(), ImportError> {
        if withheld.leaves_out(sha256) {
            return Ok(());
        }
        out.write_all(if first { b"\n    " } else { b",\n    " }).map_err(io)?;
        first = false;
        let file = json!({"sha256": sha256, "mime": mime, "base64": STANDARD.encode(bytes)});
        serde_json::to_writer(&mut *out, &file).map_err(|e| ImportError::Io(e.to_string()))
    })?;
    write!(out, "\n  ]").map_err(io)
}

/// The files of an export's `attachments`: (SHA-256, type, bytes), each
/// checked against its SHA-256.
pub(super) fn read(doc: &Value) -> Result<Vec<(String, String, Vec<u8>)>, ImportError> {
    let mut files = Vec::new();
    for (n, f) in doc
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let text = |key: &str| f.get(key).and_then(Value::as_str).unwrap_or("");
        let bad = |why: &str| ImportError::Format(format!("attachment {}: {why}", n + 1));
        let bytes = STANDARD.decode(text("base64")).map_err(|e| bad(&e.to_string()))?;
        let sha256 = crate::store::attachments::sha256_hex(&bytes);
        if sha256 != text("sha256") {
            return Err(bad("its bytes do not match its sha256"));
        }
        files.push((sha256, text("mime").to_string(), bytes));
    }
    Ok(files)
}
