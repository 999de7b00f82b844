//! A filtered report says what it covers in its title, in every format the
//! command line writes: text, HTML, CSV and JSON; the whole desk's does not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::desk::Desk;

/// A desk with two complaints, one about 护理部, at `T0` (September 2026).
fn desk() -> Desk {
    let desk = Desk::new();
    desk.add_dept("收费处");
    desk.intake("--summary 护士态度差 --name 王芳 --phone 13800138000 --dept 护理部");
    desk.intake("--summary 收费多收 --name 李雷 --phone 13900139000 --dept 收费处");
    desk
}

const PERIOD: &str = "--from 2026-09-01 --to 2026-09-30";

#[test]
fn a_department_report_names_its_department_in_every_format() {
    let desk = desk();
    let text = desk.ok(None, &format!("report {PERIOD} --dept 护理部"));
    let title = text.lines().next().unwrap();
    assert_eq!(title, "投诉与反馈统计 2026-09-01 至 2026-09-30 · 部门：护理部");
    let html = desk.ok(None, &format!("report {PERIOD} --dept 护理部 --format html"));
    assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
    assert!(html.contains(&format!("<title>{title}</title>")));
    let csv = desk.ok(None, &format!("report {PERIOD} --dept 护理部 --format csv"));
    let second = csv.lines().nth(1).unwrap();
    assert_eq!(second, format!("报表,标题,{title},,,"), "the title is the first row");
    let json = desk.json_at(
        &desk.now(),
        None,
        &format!("report {PERIOD} --dept 护理部 --format json"),
    );
    assert_eq!(json["title"], title);
    assert_eq!(json["filter"]["dept"], "护理部");
    assert_eq!(json["total"], 1, "only 护理部's case is counted");
}

#[test]
fn kind_and_channel_filters_are_named_and_the_whole_desk_is_not() {
    let desk = desk();
    let json = desk.json_at(
        &desk.now(),
        None,
        &format!("report {PERIOD} --kind complaint --channel phone --format json"),
    );
    assert_eq!(
        json["title"],
        "投诉与反馈统计 2026-09-01 至 2026-09-30 · 类型：投诉 · 渠道：电话"
    );
    assert_eq!(json["filter"]["kind"], "complaint");
    assert_eq!(json["filter"]["channel"], "phone");
    let whole = desk.json_at(&desk.now(), None, &format!("report {PERIOD} --format json"));
    assert_eq!(whole["title"], "投诉与反馈统计 2026-09-01 至 2026-09-30");
    assert!(whole["filter"]["dept"].is_null());
    let english = desk.ok(None, &format!("--lang en report {PERIOD} --dept 护理部"));
    let title = english.lines().next().unwrap();
    assert!(title.ends_with(" · department: 护理部"), "{title}");
}
