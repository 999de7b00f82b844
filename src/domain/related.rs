//! What ties a case to others and to papers: links to other cases (a
//! duplicate, the same incident, a follow-up), the batch incidents it joined
//! (one outage, many callers), and the files attached to it (a scanned
//! letter, a photo, a bill). Each is an event on the case; [`Related`] is
//! what those events made.

use serde::{Deserialize, Serialize};

use super::kinds::code_enum;
use super::{Case, Event, EventBody, StaffId, Time, error::RuleError};

code_enum!(
    /// How two cases are linked, seen from the case that holds the link.
    LinkRelation, "link" {
        Duplicate = "duplicate", SameIncident = "same_incident",
        FollowUp = "follow_up", FollowedBy = "followed_by",
    }
);

impl LinkRelation {
    /// The same link seen from the other case.
    #[must_use]
    pub fn inverse(self) -> LinkRelation {
        match self {
            LinkRelation::FollowUp => LinkRelation::FollowedBy,
            LinkRelation::FollowedBy => LinkRelation::FollowUp,
            same => same,
        }
    }
}

/// A link to another case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The other case's number.
    pub other: String,
    /// How it is linked, from this case.
    pub relation: LinkRelation,
    /// Why.
    pub reason: String,
    /// Who linked them.
    pub by: StaffId,
    /// When.
    pub at: Time,
}

/// A batch incident the case joined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The batch's number.
    pub batch: String,
    /// Its title.
    pub title: String,
    /// When the case joined it.
    pub at: Time,
}

/// A file kept with the case; the bytes are in the desk, by their SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The attachment's number on this case, from 1.
    pub n: u32,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The file's name as given.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Its type, checked by content.
    pub mime: String,
    /// Who attached it.
    pub by: StaffId,
    /// When.
    pub at: Time,
}

/// Links, batch memberships and attachments, as the case's events made them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// Links to other cases, oldest first.
    pub links: Vec<Link>,
    /// Batch incidents joined, oldest first.
    pub batches: Vec<Membership>,
    /// Files attached, oldest first.
    pub attachments: Vec<Attachment>,
}

impl Related {
    /// Takes in one event (the others change nothing here).
    pub fn apply(&mut self, event: &Event) {
        match &event.body {
            EventBody::Linked {
                other,
                relation,
                reason,
            } => self.links.push(Link {
                other: other.clone(),
                relation: *relation,
                reason: reason.clone(),
                by: event.actor,
                at: event.at,
            }),
            EventBody::JoinedBatch { batch, title } => self.batches.push(Membership {
                batch: batch.clone(),
                title: title.clone(),
                at: event.at,
            }),
            EventBody::Attached {
                sha256,
                name,
                size,
                mime,
            } => {
                let n = u32::try_from(self.attachments.len()).unwrap_or(u32::MAX - 1) + 1;
                self.attachments.push(Attachment {
                    n,
                    sha256: sha256.clone(),
                    name: name.clone(),
                    size: *size,
                    mime: mime.clone(),
                    by: event.actor,
                    at: event.at,
                });
            }
            _ => {}
        }
    }
}

/// Links `case` to `other`: never to itself, never twice the same way.
pub(crate) fn link(
    case: &Case,
    other: &str,
    relation: LinkRelation,
    reason: &str,
) -> Result<Vec<EventBody>, RuleError> {
    let other = other.trim();
    if other.is_empty() {
        return Err(RuleError::Required { field: "other" });
    }
    if other == case.number() {
        return Err(RuleError::SelfLink);
    }
    if case
        .related
        .links
        .iter()
        .any(|l| l.other == other && l.relation == relation)
    {
        return Err(RuleError::AlreadyLinked {
            other: other.to_string(),
            relation,
        });
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RuleError::Required { field: "reason" });
    }
    Ok(vec![EventBody::Linked {
        other: other.to_string(),
        relation,
        reason: reason.to_string(),
    }])
}

/// `case` joins batch incident `batch`: an open case, once.
pub(crate) fn join_batch(case: &Case, batch: &str, title: &str) -> Result<Vec<EventBody>, RuleError> {
    if case.is_closed() {
        return Err(RuleError::Closed);
    }
    if case.related.batches.iter().any(|b| b.batch == batch) {
        return Err(RuleError::AlreadyInBatch {
            batch: batch.to_string(),
        });
    }
    Ok(vec![EventBody::JoinedBatch {
        batch: batch.to_string(),
        title: title.to_string(),
    }])
}

/// A file kept with `case`: within the policy's size, of a known type whose
/// name agrees, and not the same file twice.
pub(crate) fn attach(case: &Case, file: &AttachedFile, max_mb: u32) -> Result<Vec<EventBody>, RuleError> {
    let name = file.name.trim();
    if name.is_empty() {
        return Err(RuleError::Required { field: "name" });
    }
    if file.size > u64::from(max_mb) * 1024 * 1024 {
        return Err(RuleError::AttachmentTooLarge { max_mb });
    }
    let kind = FileType::from_mime(&file.mime).ok_or(RuleError::AttachmentType)?;
    if !kind.named(name) {
        return Err(RuleError::AttachmentName {
            expected: kind
                .extensions()
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(" / "),
        });
    }
    if let Some(kept) = case.related.attachments.iter().find(|a| a.sha256 == file.sha256) {
        return Err(RuleError::AlreadyAttached {
            name: kept.name.clone(),
        });
    }
    Ok(vec![EventBody::Attached {
        sha256: file.sha256.clone(),
        name: name.to_string(),
        size: file.size,
        mime: kind.mime().to_string(),
    }])
}

/// A file to attach, as the rules see it (the bytes stay with the store).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachedFile {
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The file's name.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// Its type, from [`FileType::sniff`].
    pub mime: String,
}

code_enum!(
    /// The kinds of file a case may keep.
    FileType, "file_type" {
        Pdf = "pdf", Png = "png", Jpeg = "jpeg", Gif = "gif", Webp = "webp", Tiff = "tiff", Text = "text",
    }
);

impl FileType {
    /// The MIME type.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Tiff => "image/tiff",
            FileType::Text => "text/plain",
        }
    }

    /// The type of a MIME name.
    #[must_use]
    pub fn from_mime(mime: &str) -> Option<FileType> {
        FileType::ALL.iter().copied().find(|t| t.mime() == mime)
    }

    /// The names' endings this type goes by.
    #[must_use]
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Gif => &["gif"],
            FileType::Webp => &["webp"],
            FileType::Tiff => &["tif", "tiff"],
            FileType::Text => &["txt", "text", "log", "csv"],
        }
    }

    /// Whether `name` ends the way this type's files do.
    #[must_use]
    pub fn named(self, name: &str) -> bool {
        name.rsplit_once('.')
            .is_some_and(|(_, ext)| self.extensions().contains(&ext.to_lowercase().as_str()))
    }

    /// The type of `bytes`, from their first bytes (plain text: valid UTF-8
    /// without control characters but line breaks and tabs); `None` for any
    /// other file.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        const MAGIC: &[(&[u8], FileType)] = &[
            (b"%PDF-", FileType::Pdf),
            (b"\x89PNG\r\n\x1a\n", FileType::Png),
            (b"\xff\xd8\xff", FileType::Jpeg),
            (b"GIF87a", FileType::Gif),
            (b"GIF89a", FileType::Gif),
            (b"II*\0", FileType::Tiff),
            (b"MM\0*", FileType::Tiff),
        ];
        if let Some((_, t)) = MAGIC.iter().find(|(m, _)| bytes.starts_with(m)) {
            return Some(*t);
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Some(FileType::Webp);
        }
        let text = std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)).ok()?;
        (!text.is_empty() && !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
            .then_some(FileType::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileType::Png));
        assert_eq!(FileType::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(FileType::Webp));
        assert_eq!(FileType::sniff("投诉信：停水三天".as_bytes()), Some(FileType::Text));
        assert_eq!(FileType::sniff(b"MZ\x90\0\x03"), None);
        assert_eq!(FileType::sniff(b""), None);
    }

    #[test]
    fn a_name_must_agree_with_its_type() {
        assert!(FileType::Jpeg.named("照片.JPG"));
        assert!(!FileType::Pdf.named("letter.png"));
        assert!(!FileType::Text.named("README"));
    }

    #[test]
    fn a_follow_up_is_followed_by_from_the_other_side() {
        assert_eq!(LinkRelation::FollowUp.inverse(), LinkRelation::FollowedBy);
        assert_eq!(LinkRelation::Duplicate.inverse(), LinkRelation::Duplicate);
    }
}
