//! The person complained about need not have a desk account (issue 18, point
//! 4): the organisation's people are a directory of their own (name,
//! department, job number), imported from CSV, listed and added by an admin;
//! a case's subject is anyone in it (by name or job number; an ambiguous name
//! is said, with its people's job numbers), a desk account, or a free name
//! kept as unlisted. Recusal still holds for a desk user who is the subject;
//! reports count complaints per person. On fixed dates, through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::{Value, json};
use support::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, SUPERVISOR, SUPERVISOR_PIN, expect_code};

/// November 2026, a Tuesday morning.
const NOV: &str = "2026-11-10T10:00:00+08:00";

const STAFF_CSV: &str = "姓名,部门,工号\n孙丽,护理部,N0012\n张伟,护理部,N0031\n张伟,急诊科,E0007\n王师傅,总务科,\n";

/// A desk with 护理部 and 急诊科, the clerk, another clerk and a supervisor,
/// and the directory of [`STAFF_CSV`].
fn desk() -> Desk {
    let desk = Desk::new_at(NOV);
    desk.add_dept("急诊科");
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    std::fs::write(desk.path("staff.csv"), STAFF_CSV).unwrap();
    let out = desk.ok(Some(ADMIN_PIN), &["people", "import", "staff.csv", "--as", ADMIN]);
    assert_eq!(out.trim(), "人员名录已导入：新增 4 人，更新 0 人，未变 0 人。");
    desk
}

/// `people list --json`.
fn directory(desk: &Desk, extra: &[&str]) -> Value {
    let mut args = vec!["people", "list", "--json"];
    args.extend(extra);
    serde_json::from_str(&desk.ok(None, &args)).unwrap()
}

fn complaint(desk: &Desk, summary: &str, extra: &[&str]) -> String {
    let mut args = vec!["--summary", summary, "--name", "王芳", "--phone", "13800138000"];
    args.extend(extra);
    desk.intake(&args)
}

#[test]
fn an_import_reads_either_header_updates_by_job_number_and_lists_by_department() {
    let desk = desk();
    let all = directory(&desk, &[]);
    assert_eq!(all.as_array().unwrap().len(), 4);
    assert_eq!(
        directory(&desk, &["--dept", "护理部"]),
        json!([
            {"name": "孙丽", "dept": "护理部", "job_number": "N0012"},
            {"name": "张伟", "dept": "护理部", "job_number": "N0031"},
        ])
    );
    // An English header, any column order; 孙丽 moved and was renamed, a new
    // person, 王师傅 again (same name and department, no job number).
    std::fs::write(
        desk.path("update.csv"),
        "\u{feff}job_number,name,dept\nN0012,孙丽华,急诊科\nL0003,刘洋,检验科\n,王师傅,总务科\n",
    )
    .unwrap();
    let out = desk.ok(Some(ADMIN_PIN), &["people", "import", "update.csv", "--as", ADMIN]);
    assert_eq!(out.trim(), "人员名录已导入：新增 1 人，更新 1 人，未变 1 人。");
    assert_eq!(
        directory(&desk, &["--dept", "急诊科"]),
        json!([
            {"name": "孙丽华", "dept": "急诊科", "job_number": "N0012"},
            {"name": "张伟", "dept": "急诊科", "job_number": "E0007"},
        ])
    );
    let text = desk.ok(None, &["people", "list", "--dept", "检验科"]);
    assert!(text.contains("刘洋") && text.contains("L0003"), "{text}");
    // The import is in the audit log, and check still passes.
    let kinds: Vec<String> = desk
        .sql()
        .prepare("SELECT kind FROM events WHERE case_id IS NULL AND kind LIKE 'people%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["people_imported", "people_imported"]);
    desk.ok(None, &["check"]);
}

#[test]
fn bad_rows_are_named_by_their_line_and_nothing_is_imported() {
    let desk = Desk::new_at(NOV);
    std::fs::write(
        desk.path("bad.csv"),
        "name,dept,job_number\n,护理部,N1\n李红,护理部,N2\n赵六,,N3\n钱七,护理部,N2\n",
    )
    .unwrap();
    let err = desk.fails(Some(ADMIN_PIN), &["people", "import", "bad.csv", "--as", ADMIN], 2);
    assert!(err.contains("3 行有问题"), "{err}");
    assert!(err.contains("第 2 行：请填写姓名"), "{err}");
    assert!(err.contains("第 4 行：请填写部门"), "{err}");
    assert!(err.contains("第 5 行：工号 N2 在第 3 行已出现过"), "{err}");
    assert_eq!(desk.count("people"), 0, "all or nothing");
    // A header that is not one, in English.
    std::fs::write(desk.path("head.csv"), "name,dept,phone\n李红,护理部,123\n").unwrap();
    let out = desk
        .cmd(Some(ADMIN_PIN), &["people", "import", "head.csv", "--as", ADMIN])
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    expect_code(&out, 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 1: Unknown heading 'phone'"), "{err}");
    // A file saved by Excel in GBK: said plainly, nothing read.
    std::fs::write(desk.path("gbk.csv"), b"\xd0\xd5\xc3\xfb,\xb2\xbf\xc3\xc5\n").unwrap();
    let err = desk.fails(Some(ADMIN_PIN), &["people", "import", "gbk.csv", "--as", ADMIN], 2);
    assert!(err.contains("不是 UTF-8 编码") && err.contains("CSV UTF-8"), "{err}");
    assert_eq!(desk.count("people"), 0);
}

#[test]
fn an_admin_adds_one_person_and_a_job_number_is_one_persons() {
    let desk = desk();
    let out = desk.ok(
        Some(ADMIN_PIN),
        &[
            "people",
            "add",
            "--name",
            "刘洋",
            "--dept",
            "检验科",
            "--job-number",
            "L0003",
            "--as",
            ADMIN,
        ],
    );
    assert_eq!(out.trim(), "已加入人员名录：刘洋（检验科，L0003）");
    let err = desk.fails(
        Some(ADMIN_PIN),
        &[
            "people",
            "add",
            "--name",
            "刘洋",
            "--dept",
            "检验科",
            "--job-number",
            "N0012",
            "--as",
            ADMIN,
        ],
        2,
    );
    assert!(err.contains("工号 N0012 已属于人员名录中的 孙丽（护理部）"), "{err}");
    let err = desk.fails(
        Some(CLERK_PIN),
        &["people", "add", "--name", "周八", "--dept", "检验科", "--as", CLERK],
        3,
    );
    assert!(err.contains("管理员"), "{err}");
    let err = desk.fails(
        Some(ADMIN_PIN),
        &["people", "add", "--name", " ", "--dept", "检验科", "--as", ADMIN],
        2,
    );
    assert!(err.contains("请填写姓名"), "{err}");
    assert_eq!(directory(&desk, &["--dept", "检验科"]).as_array().unwrap().len(), 1);
}

#[test]
fn the_subject_is_found_by_name_or_job_number_and_takes_its_department() {
    let desk = desk();
    let by_name = complaint(&desk, "态度生硬", &["--staff", "孙丽", "--dept", "护理部"]);
    let case = desk.show(&by_name);
    assert_eq!(
        case["subject_person"],
        json!({"name": "孙丽", "listed": true, "job_number": "N0012", "dept": "护理部"})
    );
    assert_eq!(case["subject_staff"], Value::Null, "孙丽 has no desk account");
    // By job number, with no department given: the person's becomes the case's.
    let by_job = complaint(&desk, "抢救室等候太久", &["--staff", "E0007"]);
    let case = desk.show(&by_job);
    assert_eq!(case["subject_person"]["name"], "张伟");
    assert_eq!(case["subject_person"]["job_number"], "E0007");
    assert_eq!(case["dept"], "急诊科");
    let text = desk.ok(None, &["case", "show", &by_job]);
    assert!(text.contains("被投诉人 急诊科 / 张伟（工号 E0007）"), "{text}");
}

#[test]
fn an_ambiguous_name_is_said_with_its_people_and_the_department_tells_them_apart() {
    let desk = desk();
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "x",
            "--name",
            "王芳",
            "--staff",
            "张伟",
        ],
        2,
    );
    assert!(
        err.contains(
            "人员名录中有 2 位“张伟”，请用工号指明是哪一位：张伟（急诊科，工号 E0007）；张伟（护理部，工号 N0031）"
        ),
        "{err}"
    );
    assert_eq!(desk.count("cases"), 0, "nothing recorded, no number used");
    let n = complaint(&desk, "夜班态度差", &["--staff", "张伟", "--dept", "护理部"]);
    assert_eq!(desk.show(&n)["subject_person"]["job_number"], "N0031");
    let out = desk
        .cmd(
            Some(CLERK_PIN),
            &[
                "case",
                "new",
                "--as",
                CLERK,
                "--channel",
                "phone",
                "--kind",
                "complaint",
                "--summary",
                "x",
                "--name",
                "王芳",
                "--staff",
                "张伟",
            ],
        )
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    expect_code(&out, 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("2 people called '张伟'; say which by job number"), "{err}");
    assert!(err.contains("张伟 (急诊科, job number E0007)"), "{err}");
}

#[test]
fn a_free_name_is_kept_and_shown_unlisted() {
    let desk = desk();
    let n = complaint(&desk, "维修工迟到", &["--staff", "赵师傅", "--dept", "护理部"]);
    let case = desk.show(&n);
    assert_eq!(
        case["subject_person"],
        json!({"name": "赵师傅", "listed": false, "job_number": null, "dept": "护理部"})
    );
    let text = desk.ok(None, &["case", "show", &n]);
    assert!(text.contains("护理部 / 赵师傅（未登记）"), "{text}");
    let out = desk
        .command(None, &["case", "show", &n])
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("赵师傅 (unlisted)"), "{text}");
}

#[test]
fn a_desk_account_as_the_subject_still_works_and_is_recused() {
    let desk = desk();
    // 李静 uses the desk and is not in the directory: the account, listed.
    let n = complaint(&desk, "接待员态度差", &["--staff", OTHER]);
    let case = desk.show(&n);
    assert_eq!(case["subject_staff"], OTHER);
    assert_eq!(case["subject_person"]["name"], OTHER);
    assert_eq!(case["subject_person"]["listed"], true);
    let err = desk.fails(
        Some(OTHER_PIN),
        &["case", "note", &n, "--as", OTHER, "--text", "我来看看"],
        3,
    );
    assert!(err.contains("回避"), "{err}");
    // The clerk cannot record a complaint about themself.
    let err = desk.fails(
        Some(CLERK_PIN),
        &[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "complaint",
            "--summary",
            "x",
            "--name",
            "王芳",
            "--staff",
            CLERK,
        ],
        3,
    );
    assert!(err.contains("回避"), "{err}");
    // Nor transfer a case to the person it is about.
    let err = desk.fails(
        Some(CLERK_PIN),
        &["case", "transfer", &n, "--as", CLERK, "--to", OTHER, "--reason", "换班"],
        3,
    );
    assert!(err.contains("李静"), "{err}");
}

#[test]
fn a_person_of_the_directory_who_also_uses_the_desk_is_recused() {
    let desk = desk();
    // 李静 is in the directory too (a nurse who also takes calls at the desk).
    desk.ok(
        Some(ADMIN_PIN),
        &[
            "people",
            "add",
            "--name",
            OTHER,
            "--dept",
            "护理部",
            "--job-number",
            "N0099",
            "--as",
            ADMIN,
        ],
    );
    let n = complaint(&desk, "护士态度差", &["--staff", "N0099"]);
    let case = desk.show(&n);
    assert_eq!(case["subject_staff"], OTHER, "linked to her account by name");
    assert_eq!(case["subject_person"]["job_number"], "N0099");
    desk.fails(Some(OTHER_PIN), &["case", "note", &n, "--as", OTHER, "--text", "x"], 3);
    // A free name that is a desk user's, though typed by hand: recused by name.
    let m = complaint(&desk, "又是她", &["--staff", " 李静 "]);
    desk.fails(Some(OTHER_PIN), &["case", "note", &m, "--as", OTHER, "--text", "x"], 3);
    // The supervisor, not the subject, may act.
    desk.ok(
        Some(SUPERVISOR_PIN),
        &["case", "note", &n, "--as", SUPERVISOR, "--text", "已转护理部"],
    );
}

#[test]
fn reports_count_complaints_per_person_names_only_for_a_supervisor() {
    let desk = desk();
    complaint(&desk, "态度生硬", &["--staff", "N0012"]);
    complaint(&desk, "又不理人", &["--staff", "孙丽"]);
    complaint(&desk, "维修慢", &["--staff", "赵师傅", "--dept", "急诊科"]);
    complaint(&desk, "接待员态度", &["--staff", OTHER]);
    // A praise is not a complaint about a person.
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "praise",
            "--summary",
            "护士很好",
            "--name",
            "王芳",
            "--staff",
            "N0031",
        ],
    );
    let report: Value = serde_json::from_str(&desk.ok(None, &["report", "--format", "json"])).unwrap();
    assert_eq!(
        report["persons"],
        json!([
            {"name": "孙**", "job_number": null, "dept": "护理部", "listed": true, "complaints": 2},
            {"name": "李**", "job_number": null, "dept": null, "listed": true, "complaints": 1},
            {"name": "赵**", "job_number": null, "dept": "急诊科", "listed": false, "complaints": 1},
        ])
    );
    let text = desk.ok(None, &["report"]);
    assert!(text.contains("被投诉人员（投诉件数）"), "{text}");
    assert!(
        text.contains("孙**（护理部）") && text.contains("赵**（急诊科，未登记）"),
        "{text}"
    );
    assert!(
        !text.contains("孙丽") && !text.contains("N0012"),
        "names are not published: {text}"
    );
    let named = desk.ok(Some(SUPERVISOR_PIN), &["report", "--as", SUPERVISOR, "--names"]);
    assert!(named.contains("孙丽（护理部，工号 N0012） 2"), "{named}");
    assert!(named.contains("赵师傅（急诊科，未登记）"), "{named}");
    for format in ["csv", "html"] {
        let page = desk.ok(None, &["report", "--format", format]);
        assert!(
            page.contains("被投诉人员（投诉件数）") && page.contains("赵**（急诊科，未登记）"),
            "{format}: {page}"
        );
    }
    let out = desk
        .command(None, &["report"])
        .env("CASEDESK_LANG", "en")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("People complained about") && text.contains("赵** (急诊科, unlisted)"),
        "{text}"
    );
}

/// The intake screen's subject field takes a name or job number of the
/// directory, or any name: an ambiguous name is said on the form with its
/// people, and what was typed stays; a free name is saved as unlisted.
#[test]
fn the_intake_forms_subject_is_anyone_of_the_directory_or_a_free_name() {
    use casedesk::domain::subject::person_entry;
    use casedesk::ui::app::Screen;
    use casedesk::ui::keymap::Action;
    use crossterm::event::KeyCode;
    let mut s = support::screen::Screens::staffed(casedesk::words::Lang::Zh);
    let admin = s.app.desk.resolve_staff(ADMIN).unwrap();
    let people = [("张伟", "护理部", "N0031"), ("张伟", "急诊科", "E0007")]
        .map(|(n, d, j)| person_entry(n, d, Some(j)).unwrap());
    s.app.desk.import_people(&admin, &people, "test").unwrap();
    s.sign_in("zxm", CLERK_PIN);
    s.typed("n");
    s.keys(KeyCode::Tab, 3); // … to the name
    s.typed("王芳");
    s.keys(KeyCode::Tab, 6); // … to the person complained about
    s.typed("张伟");
    s.keys(KeyCode::Tab, 3); // … to the summary
    s.typed("夜班态度生硬");
    s.act(Action::Save);
    let Screen::Intake(intake) = &s.app.screen else {
        panic!("the form stays open: {:?}", s.app.message)
    };
    let error = intake.form.error.clone().unwrap_or_default();
    assert!(
        error.contains("2 位“张伟”") && error.contains("工号 N0031") && error.contains("工号 E0007"),
        "{error}"
    );
    assert_eq!(intake.form.text("subject"), "张伟", "what was typed stays");
    assert_eq!(intake.form.text("summary"), "夜班态度生硬");
    for (w, h) in [(120, 35), (80, 24), (60, 20)] {
        let screen = s.text(w, h).join("\n");
        assert!(
            screen.contains("E0007"),
            "the candidates are on the screen at {w}×{h}:\n{screen}"
        );
    }
    // The job number tells them apart.
    s.keys(KeyCode::BackTab, 3);
    s.keys(KeyCode::Backspace, 2);
    s.typed("N0031");
    s.act(Action::Save);
    let Screen::Case(page) = &s.app.screen else {
        panic!("saved: {:?}", s.app.message)
    };
    let person = page.record.case.intake.subject_person.clone().unwrap();
    assert_eq!(
        (person.name.as_str(), person.job_number.as_deref()),
        ("张伟", Some("N0031"))
    );
    assert!(s.text(80, 24).join("\n").contains("张伟（工号 N0031）"));
    // A free name.
    s.act(Action::Back);
    s.typed("n");
    s.keys(KeyCode::Tab, 3);
    s.typed("李四");
    s.keys(KeyCode::Tab, 6);
    s.typed("修理工老周");
    s.keys(KeyCode::Tab, 3);
    s.typed("报修三天没人来");
    s.act(Action::Save);
    let Screen::Case(page) = &s.app.screen else {
        panic!("saved: {:?}", s.app.message)
    };
    assert!(!page.record.case.intake.subject_person.as_ref().unwrap().listed);
    let screen = s.text(120, 35).join("\n");
    assert!(screen.contains("修理工老周（未登记）"), "{screen}");
}

/// Export and import move the directory with the desk: a desk that lacks its
/// people gains them (the desk's own are kept).
#[test]
fn export_and_import_move_the_people_directory() {
    let from = desk();
    complaint(&from, "维修慢", &["--staff", "王师傅", "--dept", "护理部"]);
    let file = from.path("desk.json");
    from.ok(None, &["export", "--format", "json", "--out", file.to_str().unwrap()]);
    let to = Desk::new_at(NOV);
    to.ok(
        Some(ADMIN_PIN),
        &[
            "people",
            "add",
            "--name",
            "孙丽",
            "--dept",
            "护理部",
            "--job-number",
            "N0012",
            "--as",
            ADMIN,
        ],
    );
    to.ok(Some(ADMIN_PIN), &["import", file.to_str().unwrap(), "--as", ADMIN]);
    assert_eq!(directory(&to, &[]), directory(&from, &[]));
    let case = to.show("2026-000001");
    assert_eq!(case["subject_person"]["name"], "王师傅");
    assert_eq!(case["subject_person"]["listed"], true);
}

/// A case recorded before the people directory names only a desk account:
/// the report counts it under that account's name, listed, in the case's
/// department.
#[test]
fn a_case_from_before_the_directory_is_counted_under_its_desk_account() {
    let desk = desk();
    let n = complaint(&desk, "接待员态度差", &["--staff", OTHER, "--dept", "护理部"]);
    // What the row of a case recorded before migration 13 holds.
    desk.sql()
        .execute(
            "UPDATE cases SET subject_name = NULL, subject_job = NULL, subject_dept = NULL, subject_listed = NULL
             WHERE number = ?",
            [&n],
        )
        .unwrap();
    let named = desk.ok(
        Some(SUPERVISOR_PIN),
        &["report", "--as", SUPERVISOR, "--names", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&named).unwrap();
    assert_eq!(
        report["persons"],
        json!([{"name": OTHER, "job_number": null, "dept": "护理部", "listed": true, "complaints": 1}])
    );
}
