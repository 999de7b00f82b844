//! The real `casedesk` binary in a real pseudo-terminal: keys go in as the bytes a
//! terminal sends, the screen is read back through a terminal parser (`vt100`),
//! because the raw output interleaves cursor moves between wide characters.
//!
//! Every test makes its own desk in a temp dir with an explicit environment and a
//! fixed clock; every child is killed and reaped when its harness is dropped, also
//! when a test fails half-way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::pty::{EXIT_WAIT, Key, Tui, WAIT, cpu_ticks, created_number};
use support::{BIN, CLERK, Desk};

#[test]
fn whole_case_loop_in_the_terminal() {
    let desk = Desk::new();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for(&format!("{CLERK}，您好"));
    tui.wait_for("工作台 · 我的（0）");

    // Intake, typed in Chinese; choices by pinyin initials.
    tui.send("n");
    tui.wait_for("登记新案件");
    tui.keys(Key::Tab, 2);
    tui.send("13800138000");
    tui.wait_for("电话      13800138000");
    tui.key(Key::Tab);
    tui.send("王芳");
    tui.wait_for("投诉人    王芳");
    tui.keys(Key::Tab, 5); // relation, address, anonymous, confidential, department
    tui.send("hl");
    tui.wait_for("部门      ‹ 护理部 ›  [hl]");
    tui.keys(Key::Tab, 2); // subject staff, category
    tui.send("fwtd");
    tui.wait_for("分类      ‹ 服务态度 ›  [fwtd]");
    tui.keys(Key::Tab, 2); // severity, summary
    tui.send("护士态度差");
    tui.wait_for("摘要      护士态度差");
    tui.key(Key::CtrlS);
    tui.wait_for("已登记案件 ");
    let number = created_number(&tui.screen());
    assert_eq!(number.len(), "2026-000001".len(), "case number {number:?}");
    tui.wait_for(&format!("{number}  [已受理]"));
    tui.wait_for("投诉人 王芳  13800138000");
    tui.wait_for("被投诉人 护理部 / —   分类 服务态度");
    tui.wait_for("负责人 张小明   首接人 张小明");

    // Assign to the department, in writing.
    tui.send("a");
    tui.wait_for("交办方式");
    tui.key(Key::Tab);
    tui.send("sm");
    tui.wait_for("‹ 书面交办 ›  [sm]");
    tui.key(Key::Enter); // Enter on the last field submits
    tui.wait_for("交办完成，当前状态：已交办");
    tui.wait_for(&format!("{number}  [已交办]"));

    // The department's reply: justified, so it needs the responsible party and measures.
    tui.send("r");
    tui.wait_for("调查情况");
    tui.wait_for("‹ 属实 ›");
    tui.key(Key::Tab);
    tui.send("当班护士语气生硬");
    tui.wait_for("当班护士语气生硬");
    tui.key(Key::CtrlS);
    tui.wait_for("投诉属实（或部分属实）时须填写");
    tui.key(Key::Tab);
    tui.send("当班护士");
    tui.key(Key::Tab);
    tui.send("加强服务培训");
    tui.wait_for("加强服务培训");
    // Measures take several lines: Enter starts a new one, Ctrl-S saves.
    tui.key(Key::Enter);
    tui.send("每月抽查");
    tui.wait_for("每月抽查");
    tui.key(Key::CtrlS);
    tui.wait_for("登记部门答复完成，当前状态：已处理");

    // Feedback to the complainant (a multi-line field: Ctrl-S submits).
    tui.send("f");
    tui.wait_for("反馈方式");
    tui.key(Key::Tab);
    tui.send("已电话告知调查结果");
    tui.wait_for("已电话告知调查结果");
    tui.key(Key::CtrlS);
    tui.wait_for("反馈完成，当前状态：已反馈");

    // Return visit: satisfied.
    tui.send("v");
    tui.wait_for("满意度");
    tui.key(Key::Tab);
    tui.send("my");
    tui.wait_for("‹ 满意 ›  [my]");
    tui.key(Key::CtrlS);
    tui.wait_for("回访完成，当前状态：已回访");

    // Close.
    tui.send("c");
    tui.wait_for("按 Enter 或 Ctrl-S 确认");
    tui.key(Key::Enter);
    tui.wait_for("结案完成，当前状态：已结案");
    tui.wait_for(&format!("{number}  [已结案]"));

    // Back to the queue, then find the case again by two characters of its summary.
    tui.key(Key::Esc);
    tui.wait_for("工作台 · 我的");
    tui.send("/");
    tui.wait_for("输入编号、摘要");
    tui.send("态度");
    tui.wait_for("找到 1 件");
    tui.wait_for(&format!("{number} 已结案 王芳   护理部 护士态度差"));
    tui.key(Key::Enter);
    tui.wait_for(&format!("{number}  [已结案]"));
    tui.wait_for("摘要 护士态度差");

    tui.key(Key::CtrlC);
    let status = tui.wait_exit(EXIT_WAIT).expect("still running 2 s after Ctrl-C");
    assert!(status.success(), "exit status {status:?}");

    // The command line sees what the screens did.
    let case = desk.show(&number);
    assert_eq!(case["state"], "closed", "{case:#}");
    assert_eq!(case["summary"], "护士态度差");
    assert_eq!(case["complainant"]["name"], "王芳");
    assert_eq!(case["complainant"]["phone"], "13800138000");
    assert_eq!(case["assigned_dept"], "护理部");
    assert_eq!(case["category"], "attitude");
    let kinds: Vec<&str> = case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "assigned",
            "replied",
            "feedback_given",
            "return_visited",
            "closed"
        ]
    );
    let events = case["events"].as_array().unwrap();
    assert_eq!(events[1]["mode"], "written");
    assert_eq!(events[2]["verdict"], "justified");
    assert_eq!(events[2]["responsible"], "当班护士");
    assert_eq!(events[2]["measures"], "加强服务培训\n每月抽查");
    assert_eq!(events[4]["satisfaction"], "satisfied");
}

#[test]
fn sighup_mid_intake_keeps_the_draft() {
    let desk = Desk::new();
    let staff = desk.staff_id(CLERK);
    let draft = desk.draft_file(staff);
    let summary = "夜班呼叫无人应答";
    let details = "家属反映护士站长时间无人";
    {
        let mut tui = Tui::signed_in(&desk);
        tui.start_intake("13900139000", "李梅", summary);
        tui.send(details);
        tui.wait_for(&format!("详情      {details}"));

        let pid = tui.pid().to_string();
        let kill = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
        assert!(kill.success(), "kill -HUP {pid}: {kill}");
        let status = tui
            .wait_exit(EXIT_WAIT)
            .unwrap_or_else(|| panic!("still running 2 s after SIGHUP; screen:\n{}", tui.screen()));
        // Ended by its own hand (the handler ran, the draft was flushed), not by the signal.
        assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    }

    let text =
        std::fs::read_to_string(&draft).unwrap_or_else(|e| panic!("no draft at {} after SIGHUP: {e}", draft.display()));
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["summary"], summary, "{text}");
    assert_eq!(data["details"], details, "{text}");
    assert_eq!(data["phone"], "13900139000", "{text}");
    assert_eq!(data["name"], "李梅", "{text}");

    // Next sign-in: the form comes back as it was left.
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("已恢复上次未保存的登记草稿");
    tui.wait_for("登记新案件");
    tui.wait_for(&format!("摘要      {summary}"));
    tui.wait_for(&format!("详情      {details}"));
    // The focused channel's list of choices covers the fields below it: move on to the phone.
    tui.keys(Key::Tab, 2);
    tui.wait_for("电话      13900139000");
    tui.wait_for("投诉人    李梅");

    // Saving it records the case and removes the draft.
    tui.key(Key::CtrlS);
    tui.wait_for("已登记案件 ");
    let number = created_number(&tui.screen());
    let start = Instant::now();
    while draft.exists() {
        assert!(start.elapsed() < WAIT, "draft still on disk after saving the case");
        std::thread::sleep(Duration::from_millis(20));
    }
    tui.key(Key::CtrlC);
    assert!(tui.wait_exit(EXIT_WAIT).is_some(), "still running after Ctrl-C");
    let case = desk.show(&number);
    assert_eq!(case["summary"], summary);
    assert_eq!(case["details"], details);
}

#[test]
fn quit_restores_the_terminal() {
    let desk = Desk::new();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("q 退出");
    assert!(
        tui.seen().parser.screen().alternate_screen(),
        "the desk is not on the alternate screen"
    );
    tui.send("q");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after q; screen:\n{}", tui.screen()));
    assert!(status.success(), "exit status {status:?}");
    tui.wait_output_closed();
    let raw = tui.raw();
    let leave = b"\x1b[?1049l";
    assert!(
        raw.windows(leave.len()).any(|w| w == leave),
        "the output never leaves the alternate screen; its last bytes: {:?}",
        String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..])
    );
    let seen = tui.seen();
    let screen = seen.parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is left hidden");
    assert!(!screen.bracketed_paste(), "bracketed paste is left on");
}

/// Hangs up the terminal of a signed-in desk; the program must leave within 2 s.
fn hang_up_and_expect_exit(mut tui: Tui, pid: u32) {
    tui.wait_for("工作台 · 我的");
    let idle_start = cpu_ticks(pid);
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(pid);
    let idle = idle_start.zip(before).map(|(a, b)| b.saturating_sub(a));
    tui.hang_up();
    if tui.wait_exit(EXIT_WAIT).is_none() {
        let used = before.zip(cpu_ticks(pid)).map(|(a, b)| b.saturating_sub(a));
        panic!(
            "casedesk (pid {pid}) still running 2 s after its terminal closed; CPU clock ticks \
             it used meanwhile: {used:?}, and in 0.5 s idle before: {idle:?} (100 a second is \
             a busy loop)"
        );
    }
}

#[test]
fn closed_pty_does_not_spin() {
    let desk = Desk::new();
    // casedesk leads the terminal's session, so the kernel also sends it SIGHUP.
    let tui = Tui::signed_in(&desk);
    let pid = tui.pid();
    hang_up_and_expect_exit(tui, pid);
}

#[test]
fn closed_pty_does_not_spin_when_started_from_a_shell() {
    let desk = Desk::new();
    // The shell leads the session (and survives the hang-up to wait for casedesk);
    // casedesk runs as its child on the same terminal, like `sh -c 'cd desk && casedesk'`.
    let script = r#"exec 3<&0; trap "" HUP; "$0" <&3 3<&- & echo "casedesk-pid:$!"; wait $!"#;
    let mut tui = Tui::spawn(&desk, 100, 30, &["sh", "-c", script, BIN]);
    tui.sign_in();
    let raw = String::from_utf8_lossy(&tui.raw()).into_owned();
    let pid: u32 = raw
        .split("casedesk-pid:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("the shell printed casedesk's pid");
    tui.inner = Some(pid);
    // The shell exits when casedesk does.
    hang_up_and_expect_exit(tui, pid);
}

#[test]
fn small_terminal_says_so() {
    let desk = Desk::new();
    let mut tui = Tui::start(&desk, 40, 10);
    tui.wait_for("终端窗口太小");
    // Let the program reach its event loop: a resize in the moment after the first
    // frame is lost (see `resize_right_after_the_first_frame_is_not_lost`).
    std::thread::sleep(Duration::from_millis(300));
    tui.resize(100, 30);
    tui.wait_for("登录（输入姓名或拼音首字母");
    tui.wait_gone("终端窗口太小");
    // And the screen works at its new size.
    tui.sign_in();
}

#[test]
fn resize_right_after_the_first_frame_is_not_lost() {
    let desk = Desk::new();
    for attempt in 1..=20 {
        let mut tui = Tui::start(&desk, 40, 10);
        let start = Instant::now();
        while !tui.screen().contains("终端窗口太小") {
            assert!(start.elapsed() < WAIT, "no first frame:\n{}", tui.screen());
            std::thread::sleep(Duration::from_micros(200));
        }
        tui.resize(100, 30);
        let start = Instant::now();
        while !tui.screen().contains("登录（输入姓名或拼音首字母") {
            assert!(
                start.elapsed() < EXIT_WAIT,
                "attempt {attempt}: resized to 100×30 right after the first frame, still drawn \
                 for 40×10 two seconds later:\n{}",
                tui.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_panic_restores_the_terminal_and_keeps_the_draft() {
    let desk = Desk::new();
    let mut tui = Tui::signed_in(&desk);
    tui.wait_for("q 退出");
    tui.send("n");
    tui.wait_for("登记新案件");
    for _ in 0..12 {
        tui.key(Key::Tab);
    }
    tui.send("崩溃前输入的摘要");
    tui.wait_for("崩溃前输入的摘要");
    // F12 panics when fault injection is on.
    tui.send("\x1b[24~");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after the panic; screen:\n{}", tui.screen()));
    assert!(!status.success(), "a panic must not exit 0: {status:?}");
    tui.wait_output_closed();
    let raw = tui.raw();
    let leave = b"\x1b[?1049l";
    assert!(
        raw.windows(leave.len()).any(|w| w == leave),
        "the terminal was not restored"
    );
    assert!(
        !tui.seen().parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    let drafts = desk.dir().join("desk.db.drafts");
    let text: String = std::fs::read_dir(&drafts)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(text.contains("崩溃前输入的摘要"), "{text}");
}

#[test]
fn sigterm_mid_intake_restores_the_terminal_and_keeps_the_draft() {
    let desk = Desk::new();
    let draft = desk.draft_file(desk.staff_id(CLERK));
    let mut tui = Tui::signed_in(&desk);
    tui.send("n");
    tui.wait_for("登记新案件");
    tui.keys(Key::Tab, 12);
    tui.send("终止前的摘要");
    tui.wait_for("摘要      终止前的摘要");
    let pid = tui.pid().to_string();
    let kill = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(kill.success(), "kill -TERM {pid}: {kill}");
    let status = tui
        .wait_exit(EXIT_WAIT)
        .unwrap_or_else(|| panic!("still running 2 s after SIGTERM; screen:\n{}", tui.screen()));
    assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    tui.wait_output_closed();
    assert!(
        !tui.seen().parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    let text = std::fs::read_to_string(&draft).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["summary"], "终止前的摘要", "{text}");
}
