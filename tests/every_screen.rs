//! Every screen at every size, in a real terminal: the program in a pty is
//! taken to each screen (queue, case page, a step form, intake, search, the
//! duty log and its entry, the handover and its history, reports, the
//! return-visit and urge lists, help, the lock, sign-in, first run, people and
//! departments) and the terminal is resized under it — 120×35, 80×24, 60×20
//! and back — with real resize events. At each size the screen must still be
//! whole: the top bar, what the screen is about, and its footer's keys.
//! The desk's cases have long details and long names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::pty::{Key, Tui};
use support::{ADMIN_PIN, CLERK_PIN, Desk};

const SIZES: [(u16, u16); 4] = [(120, 35), (80, 24), (60, 20), (120, 35)];

const LONG_NAME: &str = "欧阳买买提·艾力江";
const LONG_DETAILS: &str = "患者家属反映夜间输液时呼叫护士无人应答，等了二十多分钟才有人来，家属情绪激动，要求科室给出说法并改进夜班人员安排，同时希望医院公开处理结果，并对当班护士进行批评教育，避免类似情况再次发生。";

/// The clerk's desk: a case that is overdue, one waiting for its return
/// visit, and one just in, all with long names and details.
fn desk() -> Desk {
    let desk = Desk::new();
    let with = |summary: &str, received: &str| {
        desk.intake(&[
            "--summary",
            summary,
            "--details",
            LONG_DETAILS,
            "--name",
            LONG_NAME,
            "--phone",
            "13800138000",
            "--dept",
            "护理部",
            "--received-at",
            received,
        ])
    };
    let overdue = with("夜间呼叫无人应答，家属要求说法", "2026-09-21 09:00");
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "assign",
            &overdue,
            "--as",
            support::CLERK,
            "--dept",
            "护理部",
            "--mode",
            "phone",
        ],
    );
    let visit = with("门诊分诊护士态度生硬", "2026-09-29 09:00");
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "answer",
            &visit,
            "--as",
            support::CLERK,
            "--text",
            "已当场解释并致歉",
        ],
    );
    with("停车场收费标准不清楚", "2026-09-30 08:00");
    desk
}

/// What is wrong with `screen` at `w`×`h`, if anything: the top bar, and a
/// footer with keys on the last rows.
fn fault(screen: &str, top_bar: bool) -> Option<&'static str> {
    let rows: Vec<&str> = screen.lines().collect();
    // The top bar: the program's name, or (when narrow) who is signed in and the counts.
    if top_bar
        && !rows
            .first()
            .is_some_and(|r| ["casedesk", "全台", "未登录", "（"].iter().any(|k| r.contains(k)))
    {
        return Some("no top bar");
    }
    let footer = rows
        .iter()
        .rev()
        .find(|r| !r.trim().is_empty())
        .copied()
        .unwrap_or_default();
    if !["Esc", "Enter", "Ctrl", "?", "y/n"].iter().any(|k| footer.contains(k)) {
        return Some("no footer with keys");
    }
    if screen.contains("太小") {
        return Some("too small");
    }
    None
}

/// The screen at every size: its top bar, `marker`, and a footer with keys.
fn at_every_size(tui: &mut Tui, what: &str, marker: &str, top_bar: bool) {
    for (w, h) in SIZES {
        tui.resize(w, h);
        tui.wait_for(marker);
        // The program redraws after the resize event: give it its moment.
        let start = std::time::Instant::now();
        let mut screen = tui.screen();
        while fault(&screen, top_bar).is_some() && start.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(50));
            screen = tui.screen();
        }
        if let Some(fault) = fault(&screen, top_bar) {
            panic!("{what} at {w}×{h}: {fault}\n{screen}");
        }
        assert!(screen.contains(marker), "{what} at {w}×{h}: {marker} gone\n{screen}");
    }
}

/// Esc (alone: nothing follows it for a moment), then `then` shows.
fn back(tui: &mut Tui, then: &str) {
    tui.key(Key::Esc);
    std::thread::sleep(std::time::Duration::from_millis(300));
    tui.wait_for(then);
}

#[test]
fn every_screen_of_the_clerk_survives_every_size() {
    let desk = desk();
    let mut tui = Tui::start(&desk, 120, 35);
    at_every_size(&mut tui, "sign-in", "登录", true);
    tui.sign_in();
    tui.wait_for("工作台");
    at_every_size(&mut tui, "queue", "工作台", true);

    tui.key(Key::Enter);
    at_every_size(&mut tui, "case page", "首接人", true);
    // The long name whole (waited for: the last resize's frame may still be drawing).
    tui.wait_for(LONG_NAME);
    tui.send("u");
    at_every_size(&mut tui, "urge form", "催办对象", true);
    back(&mut tui, "首接人");
    back(&mut tui, "工作台");

    tui.send("n");
    at_every_size(&mut tui, "intake", "登记新案件", true);
    back(&mut tui, "工作台");

    tui.send("/");
    tui.send("护士");
    at_every_size(&mut tui, "search", "护士", true);
    back(&mut tui, "工作台");

    tui.send("L");
    at_every_size(&mut tui, "duty log", "值班记录", true);
    back(&mut tui, "工作台");
    tui.key(Key::F2);
    at_every_size(&mut tui, "duty-log entry", "值班记录（F2）", true);
    back(&mut tui, "工作台");

    tui.send("H");
    at_every_size(&mut tui, "handover", "交接", true);
    back(&mut tui, "工作台");

    tui.send("S");
    at_every_size(&mut tui, "report", "统计", true);
    back(&mut tui, "工作台");
    tui.send("V");
    at_every_size(&mut tui, "return visits", "回访清单", true);
    back(&mut tui, "工作台");
    tui.send("U");
    at_every_size(&mut tui, "urges", "待催办", true);
    back(&mut tui, "工作台");

    tui.send("?");
    at_every_size(&mut tui, "help", "帮助", true);
    back(&mut tui, "工作台");
    tui.key(Key::CtrlL);
    at_every_size(&mut tui, "lock", "PIN", true);
}

#[test]
fn first_run_and_the_admins_screens_survive_every_size() {
    let fresh = Desk::empty();
    let mut tui = Tui::start(&fresh, 120, 35);
    at_every_size(&mut tui, "first run", "新建接待台", true);
    drop(tui);

    let desk = desk();
    let mut tui = Tui::start(&desk, 120, 35);
    tui.wait_for("登录");
    tui.send("gly");
    tui.key(Key::Enter);
    tui.send(ADMIN_PIN);
    tui.key(Key::Enter);
    tui.wait_for("工作台");
    tui.send("D");
    at_every_size(&mut tui, "people and departments", "人员（", true);
    tui.send("s");
    at_every_size(&mut tui, "adding a person", "添加人员", true);
}
