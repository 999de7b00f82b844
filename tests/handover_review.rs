//! The handover review screen without a terminal: the night clerk told at
//! sign-in that a handover waits, the top bar saying so until it is signed,
//! every section counted, each case with its state, next deadline, phone and
//! last step, Enter and Esc keeping the place, `H` never making a handover by
//! itself; and the screen drawn at 120×35, 80×24 and 60×20 in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use casedesk::desk::Desk;
use casedesk::domain::handover::LogEnding;
use casedesk::domain::{Actor, Channel, Complainant, Role};
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::app::Screen;
use casedesk::ui::handover::Row;
use casedesk::ui::keymap::Action;
use casedesk::ui::overlay::Overlay;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::{at, plain_form};

/// The day clerk prepares at 16:50 and signs at 17:05; the night clerk arrives at 17:10.
const PREPARED: &str = "2026-03-02T16:50:00+08:00";
const ARRIVED: &str = "2026-03-02T17:10:00+08:00";

struct Review {
    _dir: tempfile::TempDir,
    app: App,
    day: Actor,
}

/// The day shift of 2 March handed over by 张小明 (three cases, one handed
/// over, one confidential, a call carried over, two cautions), signed; 李静
/// (PIN 3333) signs in for the night.
fn review(lang: Lang) -> Review {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = Desk::open(&paths, lang, true).unwrap();
    desk.fixed_now = Some(at("2026-03-02T09:00:00+08:00"));
    let admin = desk.init_desk("管理员", "111111").unwrap();
    let day = desk.add_staff(&admin, "张小明", Role::Clerk, None, "2222").unwrap();
    desk.add_staff(&admin, "李静", Role::Clerk, None, "3333").unwrap();
    desk.join_shift(&day).unwrap();
    desk.intake(&day, plain_form("夜间病房太吵，护士站无人应答")).unwrap();
    let mut secret = plain_form("反映医生收红包");
    secret.confidential = true;
    secret.complainant = Complainant::Named {
        name: "保密人".into(),
        phone: Some("13912345678".into()),
        address: None,
        relation: None,
    };
    desk.intake(&day, secret).unwrap();
    let mut later = plain_form("停车收费不合理");
    later.promised_reply_at = Some(at("2026-03-03T12:00:00+08:00"));
    desk.intake(&day, later).unwrap();
    desk.fixed_now = Some(at(PREPARED));
    let call = desk
        .log_add(&day, Channel::Phone, "钱先生", "询问探视时间", "明天再来电")
        .unwrap();
    desk.log_resolve(
        &day,
        call.id,
        &LogEnding::CarriedOver {
            reason: "需问护理部".into(),
        },
    )
    .unwrap();
    let id = desk.handover_prepare(&day).unwrap().handover.id;
    desk.handover_update(id, "handover_cautions", &day, |h, _| {
        h.set_cautions(&day, "3床家属情绪激动，来电请耐心解释\n对讲机2号电量不足")
    })
    .unwrap();
    desk.handover_mark(id, &day, "2026-000001", true).unwrap();
    desk.fixed_now = Some(at("2026-03-02T17:05:00+08:00"));
    desk.handover_update(id, "handover_signed_out", &day, |h, open| {
        for item in h.checklist.clone() {
            h.check(&day, &item.item, true, None)?;
        }
        h.sign_outgoing(&day, open, at("2026-03-02T17:05:00+08:00"))
    })
    .unwrap();
    desk.fixed_now = Some(at(ARRIVED));
    let mut app = App::new(desk);
    app.theme = casedesk::ui::theme::Theme { color: false };
    let mut r = Review { _dir: dir, app, day };
    r.typed("lj");
    r.key(KeyCode::Enter);
    r.typed("3333");
    r.key(KeyCode::Enter);
    assert!(matches!(r.app.screen, Screen::Queue), "{:?}", r.app.message);
    r
}

impl Review {
    fn now(&self) -> casedesk::domain::Time {
        self.app.desk.now()
    }
    fn key(&mut self, code: KeyCode) {
        let now = self.now();
        self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), now);
    }
    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    fn render(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, self.now()))
            .unwrap();
        t
    }
    /// The screen as text, wide characters' blank cells left out.
    fn text(&self, w: u16, h: u16) -> String {
        let t = self.render(w, h);
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| {
                let mut line = String::new();
                let mut skip = 0;
                for x in 0..w {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let s = buf[(x, y)].symbol();
                    skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
                    line.push_str(s);
                }
                line.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
    /// The night clerk asks a question and the day clerk answers it in another terminal.
    fn ask_and_answer(&mut self) {
        self.typed("k");
        self.typed("3床家属几点来？");
        self.key(KeyCode::Enter);
        let Screen::Handover(view) = &self.app.screen else {
            panic!()
        };
        let id = view.record.handover.id;
        let day = self.day.clone();
        self.app.desk.handover_answer(id, &day, 0, "晚上七点左右").unwrap();
        // Another terminal's write shows at the next tick; here, the same
        // connection wrote it, so the refresh is asked for.
        let now = self.now();
        self.app.refresh(now);
    }

    /// Moves down to the `nth` case row (from 1).
    fn down_to_case(&mut self, nth: usize) {
        let mut seen = 0;
        for _ in 0..100 {
            self.key(KeyCode::Down);
            let Screen::Handover(view) = &self.app.screen else {
                panic!()
            };
            if matches!(view.current(), Some(Row::Case(_))) {
                seen += 1;
                if seen == nth {
                    return;
                }
            }
        }
        panic!("no case #{nth}");
    }
}

#[test]
fn the_night_clerk_is_told_at_sign_in_and_the_top_bar_says_so_until_signed() {
    let mut r = review(Lang::Zh);
    let (message, _) = r.app.message.clone().unwrap();
    assert_eq!(message, "欢迎，李静。张小明 的白班交接班 #1 等待你审阅签收：按 H 打开");
    assert!(r.text(120, 35).lines().next().unwrap().contains("⚑ 交接班 #1 待你签收"));
    r.typed("H");
    let Screen::Handover(view) = &r.app.screen else {
        panic!("{:?}", r.app.message)
    };
    assert_eq!(view.record.handover.id, 1);
    r.typed("s");
    r.typed("3333");
    r.key(KeyCode::Enter);
    let (message, _) = r.app.message.clone().unwrap();
    assert_eq!(
        message,
        "交接班 #1：接班人已签收，交班人下班  1 件案件已移交给接班人：2026-000001"
    );
    let top = r.text(120, 35);
    assert!(!top.lines().next().unwrap().contains('⚑'), "{top}");
}

#[test]
fn each_section_says_how_many_it_holds_and_each_case_where_it_stands() {
    let mut r = review(Lang::Zh);
    r.typed("H");
    r.ask_and_answer();
    let Screen::Handover(view) = &r.app.screen else {
        panic!()
    };
    let headings: Vec<&str> = view
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Heading(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        [
            "交接清单（5/5）",
            "随交接班移交的案件（1）",
            "下一班到期的未结案件（2）",
            "已超时案件（0）",
            "已升级案件（0）",
            "待回访（0）",
            "本班受理（3）",
            "待接收的移交（0）",
            "注意事项（2 条）",
            "未处理或移交下一班的值班记录（1）",
            "本班备注与更正（0）",
            "接班人提出的问题（1 个，已答复 1 个）",
        ]
    );
    let screen = r.text(120, 35);
    assert!(
        screen.contains("2026-000001  [随交接移交]  [已受理]  张小明  夜间病房太吵，护士站无人应答"),
        "{screen}"
    );
    assert!(
        screen.contains("告知答复时间 截止 2026-03-02 23:59  电话 13800138000  最近：受理登记 2026-03-02 09:00 张小明"),
        "{screen}"
    );
    // A confidential complainant's phone is masked in the review.
    assert!(!screen.contains("13912345678"), "{screen}");
    assert!(screen.contains("电话 ***"), "{screen}");
}

#[test]
fn enter_opens_the_case_and_esc_comes_back_to_the_same_place() {
    let mut r = review(Lang::Zh);
    r.typed("H");
    r.down_to_case(3);
    let Screen::Handover(view) = &r.app.screen else {
        panic!()
    };
    let Some(Row::Case(case)) = view.current().cloned() else {
        panic!("{:?}", view.current())
    };
    let (selected, before) = (view.selected, r.text(80, 24));
    r.key(KeyCode::Enter);
    let Screen::Case(page) = &r.app.screen else {
        panic!("{:?}", r.app.message)
    };
    assert_eq!(page.record.case.number(), case.number);
    r.key(KeyCode::Esc);
    let Screen::Handover(view) = &r.app.screen else {
        panic!()
    };
    assert_eq!(view.selected, selected);
    assert_eq!(r.text(80, 24), before);
}

#[test]
fn every_section_is_reachable_at_every_size() {
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        let mut r = review(Lang::Zh);
        r.typed("H");
        r.ask_and_answer();
        r.key(KeyCode::Home);
        let mut seen = String::new();
        for _ in 0..40 {
            seen.push_str(&r.text(w, h));
            r.key(KeyCode::PageDown);
        }
        for text in [
            "交接清单",
            "随交接班移交的案件",
            "本班受理（3）",
            "待接收的移交（0）",
            "注意事项（2 条）",
            "对讲机2号电量不足",
            "询问探视时间",
            "3床家属几点来？",
            "晚上七点左右",
        ] {
            assert!(seen.contains(text), "{w}×{h}: {text} never shown");
        }
        r.key(KeyCode::End);
        assert!(
            r.text(w, h).contains("晚上七点左右"),
            "{w}×{h}: End shows the last answer"
        );
    }
}

#[test]
fn h_offers_to_prepare_a_handover_and_makes_none_by_itself() {
    let mut r = review(Lang::Zh);
    // The night clerk signs the day's handover, then presses H for her own.
    r.typed("H");
    r.typed("s");
    r.typed("3333");
    r.key(KeyCode::Enter);
    r.key(KeyCode::Esc);
    r.typed("H");
    let Some(Overlay::ConfirmPrepare(text)) = &r.app.overlay else {
        panic!("{:?} {:?}", r.app.overlay, r.app.message)
    };
    assert!(text.contains("夜班 2026-03-02 17:30 – 2026-03-03 08:00"), "{text}");
    assert!(r.text(80, 24).contains("现在准备交班吗"));
    r.typed("n");
    assert!(matches!(r.app.screen, Screen::Queue));
    assert_eq!(r.app.desk.store().handovers(10).unwrap().len(), 1, "nothing made");
    r.typed("H");
    r.typed("y");
    let Screen::Handover(view) = &r.app.screen else {
        panic!()
    };
    assert_eq!(view.record.handover.id, 2);
    assert_eq!(view.record.handover.shift.start, at("2026-03-02T17:30:00+08:00"));
}

#[test]
fn the_outgoing_clerk_marks_a_case_to_hand_over_with_t() {
    let mut r = review(Lang::Zh);
    // 张小明 signs in again (still on the day shift) for a handover of his own.
    r.app.desk.fixed_now = Some(at("2026-03-02T17:12:00+08:00"));
    let day = r.day.clone();
    let now = r.now();
    r.app.signed_in(day, now);
    r.typed("H");
    let Screen::Handover(view) = &r.app.screen else {
        panic!("{:?}", r.app.message)
    };
    assert_eq!(view.record.handover.id, 1, "his handover still waiting");
    let text = r.text(120, 35);
    assert!(text.contains("[待接班签收]"), "{text}");
    // Signed already: marking another case is refused in words.
    r.down_to_case(2);
    r.typed("t");
    let (message, error) = r.app.message.clone().unwrap();
    assert!(error, "{message}");
    assert_eq!(message, "交班人已签字，只能由接班人审阅签收。");
}

#[test]
fn the_handover_review_at_three_sizes_in_both_languages() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let mut r = review(lang);
        r.typed("H");
        r.ask_and_answer();
        let now = r.now();
        r.app.apply(Action::Top, now);
        for (w, h) in [(120, 35), (80, 24), (60, 20)] {
            insta::assert_snapshot!(format!("review_{tag}_{w}x{h}"), r.text(w, h));
        }
        r.app.apply(Action::Bottom, now);
        insta::assert_snapshot!(format!("review_{tag}_80x24_end"), r.text(80, 24));
    }
}
