//! Linked cases, batch incidents and attachments through the case engine's
//! public API (issue 20, points 3 and 4): each is an event on the case, kept
//! by `Case::apply` in `case.related`; the rules refuse a link to itself, the
//! same link twice, a second membership, a closed case joining a batch, a
//! file too large, of an unknown type or misnamed, and the same file twice.

#![allow(clippy::unwrap_used)]

mod support;

use casedesk::domain::related::{AttachedFile, FileType};
use casedesk::domain::{Command, EventBody, LinkRelation, Policy, RuleError};
use support::domain::*;

const T: &str = "2026-03-02T10:00:00+08:00";

fn link(other: &str, relation: LinkRelation) -> Command {
    Command::Link {
        other: other.to_string(),
        relation,
        reason: "同一户重复来电".to_string(),
    }
}

fn pdf(name: &str, size: u64) -> Command {
    Command::Attach(AttachedFile {
        sha256: "ab".repeat(32),
        name: name.to_string(),
        size,
        mime: "application/pdf".to_string(),
    })
}

#[test]
fn a_link_is_kept_on_the_case_once_and_never_to_itself() {
    let mut desk = Desk::open(form(), T);
    let me = desk.case.number().to_string();
    assert_eq!(
        desk.refuse(&owner(), T, link(&me, LinkRelation::Duplicate)),
        RuleError::SelfLink
    );
    // Any colleague may link a case, as any may leave a note.
    desk.run(&other(), T, link("2026-000009", LinkRelation::Duplicate));
    let l = &desk.case.related.links[0];
    assert_eq!(
        (l.other.as_str(), l.relation, l.by),
        ("2026-000009", LinkRelation::Duplicate, other().id)
    );
    assert!(matches!(
        desk.refuse(&owner(), T, link("2026-000009", LinkRelation::Duplicate)),
        RuleError::AlreadyLinked {
            relation: LinkRelation::Duplicate,
            ..
        }
    ));
    // The same two cases may be linked another way too.
    desk.run(&owner(), T, link("2026-000009", LinkRelation::SameIncident));
    assert_eq!(desk.case.related.links.len(), 2);
    let blank = Command::Link {
        other: "2026-000010".into(),
        relation: LinkRelation::FollowUp,
        reason: "  ".into(),
    };
    assert_eq!(desk.refuse(&owner(), T, blank), RuleError::Required { field: "reason" });
    // The person complained about may not touch the case, links included.
    assert_eq!(
        desk.refuse(&subject(), T, link("2026-000011", LinkRelation::Duplicate)),
        RuleError::Recusal
    );
}

#[test]
fn a_follow_up_reads_as_followed_by_from_the_other_case() {
    assert_eq!(LinkRelation::FollowUp.inverse(), LinkRelation::FollowedBy);
    assert_eq!(LinkRelation::FollowedBy.inverse(), LinkRelation::FollowUp);
    assert_eq!(LinkRelation::SameIncident.inverse(), LinkRelation::SameIncident);
}

#[test]
fn a_case_joins_a_batch_once_and_only_while_open() {
    let mut desk = Desk::open(form(), T);
    let join = Command::JoinBatch {
        batch: "B2026-001".into(),
        title: "3号楼停水".into(),
    };
    let events = desk.run(&owner(), T, join.clone());
    assert!(matches!(&events[0].body, EventBody::JoinedBatch { batch, .. } if batch == "B2026-001"));
    assert_eq!(desk.case.related.batches[0].title, "3号楼停水");
    assert!(matches!(
        desk.refuse(&owner(), T, join),
        RuleError::AlreadyInBatch { batch } if batch == "B2026-001"
    ));
    desk.handle_to_close();
    let later = Command::JoinBatch {
        batch: "B2026-002".into(),
        title: "停电".into(),
    };
    assert_eq!(
        desk.refuse(&owner(), "2026-03-20T10:00:00+08:00", later),
        RuleError::Closed
    );
}

#[test]
fn an_attachment_is_checked_for_size_type_and_name_and_kept_once() {
    let mut desk = Desk::open(form(), T);
    let max = Policy::builtin().unwrap().attachments.max_mb;
    assert_eq!(max, 10);
    assert_eq!(
        desk.refuse(&owner(), T, pdf("信.pdf", u64::from(max) * 1024 * 1024 + 1)),
        RuleError::AttachmentTooLarge { max_mb: max }
    );
    assert!(matches!(
        desk.refuse(&owner(), T, pdf("信.png", 10)),
        RuleError::AttachmentName { expected } if expected == ".pdf"
    ));
    let exe = Command::Attach(AttachedFile {
        sha256: "cd".repeat(32),
        name: "x.exe".into(),
        size: 10,
        mime: "application/x-msdownload".into(),
    });
    assert_eq!(desk.refuse(&owner(), T, exe), RuleError::AttachmentType);
    desk.run(&other(), T, pdf("投诉信.PDF", 2048));
    let a = &desk.case.related.attachments[0];
    assert_eq!(
        (a.n, a.name.as_str(), a.size, a.by),
        (1, "投诉信.PDF", 2048, other().id)
    );
    assert!(matches!(
        desk.refuse(&owner(), T, pdf("again.pdf", 2048)),
        RuleError::AlreadyAttached { name } if name == "投诉信.PDF"
    ));
    // A closed case still takes a paper that turns up later.
    desk.handle_to_close();
    let photo = Command::Attach(AttachedFile {
        sha256: "ef".repeat(32),
        name: "现场.jpg".into(),
        size: 100,
        mime: "image/jpeg".into(),
    });
    desk.run(&owner(), "2026-03-20T10:00:00+08:00", photo);
    assert_eq!(desk.case.related.attachments[1].n, 2);
}

#[test]
fn a_file_is_known_by_its_content_not_its_name() {
    assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
    assert_eq!(FileType::sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), Some(FileType::Jpeg));
    assert_eq!(FileType::sniff(b"GIF89a\x01\0"), Some(FileType::Gif));
    assert_eq!(FileType::sniff(b"II*\0\x08\0"), Some(FileType::Tiff));
    assert_eq!(FileType::sniff("来电记录：停水三天\n".as_bytes()), Some(FileType::Text));
    assert_eq!(FileType::sniff(b"PK\x03\x04"), None, "a zip (or .docx) is not kept");
    assert_eq!(FileType::sniff(b"\0\0\0\0"), None);
}
