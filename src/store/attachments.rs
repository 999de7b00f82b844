//! Files kept with cases (附件): the bytes once, by their SHA-256, in the
//! desk's own file, so a backup and a restore carry them; each attachment
//! an event on its case.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::cases::{CaseRecord, execute_in, whole_seconds};
use super::{Result, Store, StoreError};
use crate::domain::related::AttachedFile;
use crate::domain::{Command, Context};

/// The SHA-256 of `bytes`, hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Store {
    /// Keeps `bytes` (of type `mime`, as sniffed) with case `number` under
    /// `name`; the rules check the size, type and name first.
    pub fn attach(
        &mut self,
        ctx: &Context<'_>,
        number: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<CaseRecord> {
        let ctx = &whole_seconds(ctx);
        let file = AttachedFile {
            sha256: sha256_hex(bytes),
            name: name.to_string(),
            size: bytes.len() as u64,
            mime: mime.to_string(),
        };
        self.transaction(|tx| {
            let record = execute_in(tx, ctx, number, None, &Command::Attach(file.clone()), None)?;
            keep_bytes(tx, &file.sha256, mime, bytes)?;
            Ok(record)
        })
    }

    /// The bytes of the file with this SHA-256 (hex); `None` when the desk
    /// lacks them (a case imported from an export that left them out).
    pub fn attachment_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let key = hex::decode(sha256).map_err(|e| StoreError::Damaged(e.to_string()))?;
        Ok(self
            .conn
            .prepare_cached("SELECT bytes FROM attachments WHERE sha256 = ?")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Hands `visit` every file the desk keeps, one at a time: (SHA-256 hex,
    /// type, bytes), for an export.
    pub fn each_attachment<E: From<StoreError>>(
        &self,
        mut visit: impl FnMut(&str, &str, &[u8]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, mime, bytes FROM attachments ORDER BY id")
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let sha: Vec<u8> = row.get(0).map_err(StoreError::from)?;
            let mime: String = row.get(1).map_err(StoreError::from)?;
            let bytes: Vec<u8> = row.get(2).map_err(StoreError::from)?;
            visit(&hex::encode(sha), &mime, &bytes)?;
        }
        Ok(())
    }
}

/// Stores a file's bytes unless the desk has them already.
pub(crate) fn keep_bytes(tx: &rusqlite::Transaction<'_>, sha256: &str, mime: &str, bytes: &[u8]) -> Result<()> {
    let key = hex::decode(sha256).map_err(|e| StoreError::Damaged(e.to_string()))?;
    tx.prepare_cached("INSERT OR IGNORE INTO attachments (sha256, size, mime, bytes) VALUES (?, ?, ?, ?)")?
        .execute(params![key, bytes.len() as i64, mime, bytes])?;
    Ok(())
}
