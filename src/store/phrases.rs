//! Quick phrases (常用语) in the store: an admin adds, imports and removes
//! them, each change an audit event; anyone signed in lists them.

use rusqlite::params;

use super::audit::append;
use super::staff::desk_event;
use super::{Result, Store, StoreError, secs};
use crate::domain::phrase::{Phrase, PhraseUse};
use crate::domain::{Actor, Time};

fn phrase(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

impl Store {
    /// The phrases still offered, of `use_` when given, oldest first.
    pub fn phrases(&self, use_: Option<PhraseUse>) -> Result<Vec<Phrase>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, use, text FROM phrases WHERE removed_at IS NULL AND (?1 IS NULL OR use = ?1) ORDER BY use, id",
        )?;
        let rows = stmt.query_map([use_.map(PhraseUse::code)], phrase)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, code, text) = row?;
            // A use this desk does not know (a newer desk's) is not offered.
            if let Ok(use_) = PhraseUse::parse(&code) {
                out.push(Phrase { id, use_, text });
            }
        }
        Ok(out)
    }

    /// Adds phrases (checked by the desk) in one transaction, with one audit
    /// event: `phrase_added` for one, `phrases_imported` naming `source` for a file's.
    pub fn add_phrases(
        &mut self,
        by: &Actor,
        phrases: &[(PhraseUse, String)],
        source: Option<&str>,
        now: Time,
    ) -> Result<Vec<i64>> {
        self.transaction(|tx| {
            let mut ids = Vec::new();
            for (use_, text) in phrases {
                tx.prepare_cached("INSERT INTO phrases (use, text, added_by, added_at) VALUES (?, ?, ?, ?)")?
                    .execute(params![use_.code(), text, by.id.0, secs(now)])?;
                ids.push(tx.last_insert_rowid());
            }
            let (kind, body) = match (source, phrases) {
                (None, [(use_, text)]) => (
                    "phrase_added",
                    serde_json::json!({"kind": "phrase_added", "id": ids[0], "use": use_.code(), "text": text}),
                ),
                _ => (
                    "phrases_imported",
                    serde_json::json!({"kind": "phrases_imported", "file": source, "added": ids.len()}),
                ),
            };
            let body = body.to_string();
            append(tx, &[desk_event(kind, by.id, now, &body)])?;
            Ok(ids)
        })
    }

    /// Stops offering phrase `id` (its row stays, for the audit); returns it.
    pub fn remove_phrase(&mut self, by: &Actor, id: i64, now: Time) -> Result<Phrase> {
        self.transaction(|tx| {
            let found = tx
                .prepare_cached("SELECT id, use, text FROM phrases WHERE id = ? AND removed_at IS NULL")?
                .query_row([id], phrase);
            let (id, code, text) = match found {
                Ok(row) => row,
                Err(rusqlite::Error::QueryReturnedNoRows) => return Err(StoreError::NoPhrase(id)),
                Err(e) => return Err(e.into()),
            };
            tx.prepare_cached("UPDATE phrases SET removed_at = ? WHERE id = ?")?
                .execute(params![secs(now), id])?;
            let body = serde_json::json!({"kind": "phrase_removed", "id": id, "use": code, "text": text}).to_string();
            append(tx, &[desk_event("phrase_removed", by.id, now, &body)])?;
            let use_ = PhraseUse::parse(&code).map_err(|e| StoreError::Damaged(format!("{e:?}")))?;
            Ok(Phrase { id, use_, text })
        })
    }
}
