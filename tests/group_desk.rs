//! A desk shared by the OS accounts of a group without the desk service
//! (`init --group NAME`). Without root, the group is the user's own primary
//! group: what is tested is the modes, the group, and where drafts go.

#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};

use serde_json::Value;
use support::{ADMIN, ADMIN_PIN, Desk, expect_code};

/// The name and id of this user's primary group.
fn own_group() -> (String, u32) {
    let out = std::process::Command::new("id").arg("-gn").output().unwrap();
    let name = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let out = std::process::Command::new("id").arg("-g").output().unwrap();
    let gid = String::from_utf8(out.stdout).unwrap().trim().parse().unwrap();
    (name, gid)
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_group_desk_is_the_group_s_and_drafts_stay_in_each_user_s_folder() {
    let desk = Desk::empty();
    let (group, gid) = own_group();
    let out = desk
        .cmd(None, &["init", "--admin", ADMIN, "--training", "--group", &group])
        .env("CASEDESK_NEW_PIN", ADMIN_PIN)
        .output()
        .unwrap();
    expect_code(&out, 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2770"));
    assert_eq!(mode(desk.dir()), 0o2770);
    assert_eq!(mode(&desk.db()), 0o660);
    assert_eq!(mode(&desk.path("backups")), 0o2770);
    for path in [desk.dir().to_path_buf(), desk.db(), desk.path("backups")] {
        assert_eq!(std::fs::metadata(&path).unwrap().gid(), gid, "{}", path.display());
    }
    // The desk works as before, and a file it makes in its folder is the group's.
    desk.ok(Some(ADMIN_PIN), &["dept", "add", "--as", ADMIN, "--name", "护理部"]);
    desk.ok(None, &["backup", &desk.path("copy.db").display().to_string()]);
    assert_eq!(std::fs::metadata(desk.path("copy.db")).unwrap().gid(), gid);

    // Drafts: not beside the shared desk, but in the user's own data folder.
    let paths: Value = serde_json::from_str(&desk.ok(None, &["paths", "--json"])).unwrap();
    let drafts = paths["drafts"].as_str().unwrap();
    let home = desk.dir().join(".local/share/casedesk/drafts").display().to_string();
    assert!(drafts.starts_with(&home), "{drafts}");
}

#[test]
fn an_unknown_group_is_refused_before_a_desk_is_made() {
    let desk = Desk::empty();
    let out = desk
        .cmd(None, &["init", "--admin", ADMIN, "--group", "no-such-group-here"])
        .env("CASEDESK_NEW_PIN", ADMIN_PIN)
        .output()
        .unwrap();
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-group-here"));
    assert!(!desk.db().exists());
}

#[test]
fn a_private_desk_keeps_its_drafts_beside_it() {
    let desk = Desk::new();
    assert_eq!(mode(&desk.db()), 0o600);
    let paths: Value = serde_json::from_str(&desk.ok(None, &["paths", "--json"])).unwrap();
    assert_eq!(paths["drafts"], desk.path("desk.db.drafts").display().to_string());
}

/// A draft that cannot be written (its folder taken by a file here; on a
/// shared desk, a folder of someone else's) is told on the screen at once.
#[test]
fn a_draft_that_cannot_be_saved_is_told_on_the_screen() {
    let desk = Desk::new();
    std::fs::write(desk.path("desk.db.drafts"), "not a folder").unwrap();
    let mut tui = support::pty::Tui::spawn(&desk, 120, 30, &[support::BIN]);
    tui.sign_in();
    tui.start_intake("13900139000", "李梅", "候诊时间过长");
    tui.send("x");
    tui.wait_for("草稿无法保存");
}
