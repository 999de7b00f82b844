//! Printed pages read as a browser reads them (parsed, not searched as text):
//! the handover and the report as A4 pages with the organisation and page
//! numbers in the page header, tables with heading rows, lines to sign by
//! hand, the language following `--lang`; the visitor's receipt as an A5 page
//! and as text for an 80-column printer. Every field a clerk or visitor typed
//! prints as itself: markup in it is text, never an element.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use scraper::{ElementRef, Html, Selector};
use support::duty::*;
use support::*;

/// The organisation's name, with what would break out of HTML or a CSS string.
const ORG: &str = "仁<济>医院 & \"总院\"";
const ORG_PHONE: &str = "0571-8888 1234";
/// Typed text that would run or format if a page did not escape it.
const MARK: &str = "<script>alert('x')</script> & <b>粗</b>";

/// The admin keeps the organisation in the desk's policy.
fn organise(desk: &support::Desk) {
    let file = desk.path("organisation.toml");
    std::fs::write(
        &file,
        "[organisation]\nname = \"仁<济>医院 & \\\"总院\\\"\"\nphone = \"0571-8888 1234\"\n",
    )
    .unwrap();
    desk.ok(
        Some(ADMIN_PIN),
        &["policy", "apply", file.to_str().unwrap(), "--as", ADMIN],
    );
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// An element's text, as the page shows it.
fn text(e: ElementRef<'_>) -> String {
    e.text().collect::<String>()
}

/// The texts of every element `s` selects.
fn texts(doc: &Html, s: &str) -> Vec<String> {
    doc.select(&sel(s)).map(text).collect()
}

/// The texts of every element `s` selects under `e`.
fn texts_in(e: ElementRef<'_>, s: &str) -> Vec<String> {
    e.select(&sel(s)).map(text).collect()
}

/// The page's style sheet.
fn style(doc: &Html) -> String {
    texts(doc, "head style").concat()
}

/// The element after `e`, skipping text.
fn next(e: ElementRef<'_>) -> Option<ElementRef<'_>> {
    e.next_siblings().find_map(ElementRef::wrap)
}

/// What every page shares: a whole document in its language, titled, with
/// nothing typed turned into an element, and its paper in the style.
fn check_frame(doc: &Html, lang: &str, title: &str, paper: &str) {
    let root = doc.root_element();
    assert_eq!(root.value().name(), "html");
    assert_eq!(root.value().attr("lang"), Some(lang));
    assert_eq!(texts(doc, "head title"), [title]);
    assert_eq!(texts(doc, "body > h1"), [title]);
    assert!(doc.select(&sel("head meta[charset=utf-8]")).next().is_some());
    let css = style(doc);
    assert!(css.contains(&format!("@page{{size:{paper};margin:")), "{css}");
    assert!(
        doc.select(&sel("script, b, body style")).next().is_none(),
        "typed markup became an element"
    );
}

/// Every table has a heading row, and each of its rows as many cells as headings.
fn check_tables(doc: &Html) {
    let tables: Vec<_> = doc.select(&sel("table")).collect();
    assert!(!tables.is_empty());
    for table in tables {
        let heads = texts_in(table, "thead > tr > th");
        assert!(heads.len() >= 2, "{}", table.html());
        for row in table.select(&sel("tbody > tr")) {
            assert_eq!(row.select(&sel("th, td")).count(), heads.len(), "{}", row.html());
        }
    }
}

/// Each heading is kept with what follows it, and what follows is there.
fn check_headings(doc: &Html) {
    assert!(style(doc).contains("h2{") && style(doc).contains("break-after:avoid"));
    for h in doc.select(&sel("h2")) {
        let after = next(h).unwrap_or_else(|| panic!("nothing after {}", text(h)));
        assert!(
            ["table", "p", "ul"].contains(&after.value().name()),
            "{} is followed by {}",
            text(h),
            after.html()
        );
    }
}

/// The night handover with markup typed into every field a clerk types:
/// cautions, a checklist note, a case's summary and complainant, a log
/// entry, a question and its answer; signed by both at 07:50 and 07:58.
fn marked_handover() -> (support::Desk, i64) {
    let desk = night_desk();
    organise(&desk);
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    let summary = format!("{MARK} 药费");
    let n = desk.intake(&["--summary", &summary, "--name", "王<芳>", "--dept", "护理部"]);
    assert_eq!(n, "2026-000001");
    desk.ok(
        Some(OUT_PIN),
        &["duty", "log", "--as", OUT, "--who", MARK, "--what", MARK],
    );
    desk.ok(Some(OUT_PIN), &["duty", "resolve", "1", "--as", OUT, "--carry", MARK]);
    let id = desk.prepare();
    desk.ok(Some(OUT_PIN), &["handover", "prepare", "--as", OUT, "--cautions", MARK]);
    for item in ["钥匙", "对讲机", "登记本", "值班电话"] {
        desk.ok(Some(OUT_PIN), &format!("handover check {id} --as {OUT} --item {item}"));
    }
    let id_s = id.to_string();
    desk.ok(
        Some(OUT_PIN),
        &[
            "handover",
            "check",
            &id_s,
            "--as",
            OUT,
            "--item",
            "区域整洁",
            "--note",
            MARK,
        ],
    );
    desk.at("2026-03-03T07:50:00+08:00");
    desk.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
    desk.ok(
        Some(INC_PIN),
        &["handover", "ask", &id_s, "--as", INC, "--question", MARK],
    );
    desk.ok(
        Some(OUT_PIN),
        &[
            "handover",
            "answer",
            &id_s,
            "--as",
            OUT,
            "--question",
            "1",
            "--text",
            MARK,
        ],
    );
    desk.at("2026-03-03T07:58:00+08:00");
    desk.ok(Some(INC_PIN), &format!("handover accept {id} --as {INC}"));
    (desk, id)
}

#[test]
fn the_handover_prints_as_an_a4_page_of_tables_with_lines_to_sign_and_every_field_as_typed() {
    let (desk, id) = marked_handover();
    let html = desk.print(id, "html");
    let doc = Html::parse_document(&html);
    check_frame(&doc, "zh-CN", NIGHT_TITLE, "A4");
    check_tables(&doc);
    check_headings(&doc);

    // The organisation heads the page on screen, and every printed page's
    // header with the page number; its quotes and markup stay in the string.
    assert_eq!(texts(&doc, "p.organisation"), [ORG]);
    let css = style(&doc);
    assert!(css.contains("@top-left{content:\""), "{css}");
    assert!(
        css.contains("@top-right{content:\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\""),
        "{css}"
    );
    assert!(!css.contains('<') && !css.contains("\"总院"), "{css}");

    // Every field as typed.
    let h2 = |name: &str| {
        doc.select(&sel("h2"))
            .find(|h| text(*h).starts_with(name))
            .unwrap_or_else(|| panic!("no heading {name}"))
    };
    assert_eq!(text(next(h2("注意事项")).unwrap()), MARK);
    let checklist = next(h2("交接清单")).unwrap();
    assert_eq!(texts_in(checklist, "thead th"), ["项目", "已交接", "说明"]);
    let rows: Vec<Vec<String>> = checklist.select(&sel("tbody tr")).map(|r| texts_in(r, "td")).collect();
    assert_eq!(rows[0], ["钥匙", "☑", ""]);
    assert_eq!(rows[4], ["区域整洁", "☐", MARK]);

    // The cases: a table each with its headings, a case once in a section.
    let received = next(h2("本班受理（1）")).unwrap();
    assert_eq!(
        texts_in(received, "thead th"),
        ["案件编号", "状态", "负责人", "下一时限", "部门", "摘要"]
    );
    let row = texts_in(received, "tbody td");
    assert_eq!(row[0], "2026-000001");
    assert_eq!(row[2], "张小明");
    assert_eq!(row[4], "护理部");
    assert_eq!(row[5], format!("{MARK} 药费"));
    for table in doc.select(&sel("table.cases")) {
        let mut numbers = texts_in(table, "tbody td:first-child");
        let listed = numbers.len();
        numbers.dedup();
        assert_eq!(numbers.len(), listed, "{}", table.html());
    }
    let log = next(h2("未处理或移交下一班的值班记录（1）")).unwrap();
    assert_eq!(
        texts_in(log, "thead th"),
        ["时间", "来电/来访人", "事由", "处理", "移交下一班的原因"]
    );
    assert_eq!(texts_in(log, "tbody td")[1..], [MARK, MARK, "", MARK]);
    let thread = texts_in(next(h2("接班人提出的问题")).unwrap(), "li");
    assert_eq!(thread[0], MARK);
    assert!(
        thread[1].starts_with("↳ 张小明 ") && thread[1].ends_with(MARK),
        "{thread:?}"
    );

    // The signatures the desk recorded, each beside a blank to sign and date.
    let signs = doc.select(&sel("section.signs table")).next().unwrap();
    assert_eq!(
        texts_in(signs, "thead th"),
        ["", "姓名", "系统记录的签字时间", "手写签字", "日期"]
    );
    let rows: Vec<_> = signs.select(&sel("tbody tr")).collect();
    assert_eq!(
        rows.iter().map(|r| texts_in(*r, "th")).collect::<Vec<_>>(),
        [["交班人签字"], ["接班人签字"], ["审核人"]]
    );
    assert_eq!(texts_in(rows[0], "td"), ["张小明", "2026-03-03 07:50", "", ""]);
    assert_eq!(texts_in(rows[1], "td"), ["李静", "2026-03-03 07:58", "", ""]);
    assert_eq!(texts_in(rows[2], "td"), ["", "", "", ""]);
    for row in &rows {
        assert_eq!(row.select(&sel("td span.blank")).count(), 2);
    }

    // The text page ends with the same lines to sign.
    let text = desk.print(id, "text");
    assert!(
        text.trim_end().ends_with(
            "\n签字\n----\n交班人签字：__________  日期：__________\n\
             接班人签字：__________  日期：__________\n审核人：__________  日期：__________"
        ),
        "{text}"
    );

    // In English: the page's language, title and headings.
    let en = desk.ok(None, &format!("--lang en handover print {id} --format html"));
    let doc = Html::parse_document(&en);
    let title = "Shift handover · Night shift 2026-03-02 17:30 – 2026-03-03 08:00";
    check_frame(&doc, "en", title, "A4");
    assert!(style(&doc).contains("\"Page \" counter(page) \" of \" counter(pages)"));
    assert_eq!(
        texts_in(doc.select(&sel("table.cases")).next().unwrap(), "thead th"),
        ["Case", "State", "Owner", "Next due", "Department", "Summary"]
    );
    assert_eq!(
        texts(&doc, "section.signs tbody th"),
        ["Outgoing clerk's signature", "Incoming clerk's signature", "Reviewer"]
    );
}

#[test]
fn the_report_prints_its_summary_first_then_a_table_per_section_and_lines_for_who_made_and_checked_it() {
    let desk = support::Desk::new();
    organise(&desk);
    let dept = "<b>门诊</b> & \"急诊\"";
    desk.add_dept(dept);
    desk.intake(&["--summary", MARK, "--name", "王芳", "--dept", dept]);
    desk.intake(&["--summary", "候诊时间太长", "--name", "李四", "--dept", "护理部"]);
    let html = desk.ok(None, "report --period month --format html");
    let doc = Html::parse_document(&html);
    let title = "投诉与反馈统计 2026-09-01 至 2026-09-30";
    check_frame(&doc, "zh-CN", title, "A4");
    check_tables(&doc);
    check_headings(&doc);
    assert_eq!(texts(&doc, "p.organisation"), [ORG]);

    // The summary and the rates first, kept together on the first page.
    let h1 = doc.select(&sel("body > h1")).next().unwrap();
    let first = next(h1).unwrap();
    assert_eq!(first.value().attr("class"), Some("summary-page"));
    assert_eq!(texts_in(first, "h2"), ["概况", "“四个100%”与回访"]);
    assert!(style(&doc).contains(".summary-page{break-inside:avoid"));
    let summary = first.select(&sel("table")).next().unwrap();
    assert_eq!(texts_in(summary, "thead th"), ["项目", "数值"]);
    assert_eq!(texts_in(summary, "tbody tr:first-child > *"), ["受理总数", "2"]);

    // The departments' figures in columns; a department's name as typed.
    let depts = doc.select(&sel("table.depts")).next().unwrap();
    assert_eq!(
        texts_in(depts, "thead th"),
        ["部门", "受理", "按时答复", "压单", "催办", "属实"]
    );
    assert!(
        texts_in(depts, "tbody th").contains(&dept.to_string()),
        "{}",
        depts.html()
    );
    assert!(texts(&doc, "table.pairs tbody th").contains(&dept.to_string()));

    // Who made it, who checked it and when, by hand.
    let signs = doc.select(&sel("p.sign-line")).next().unwrap();
    assert_eq!(text(signs), "制表人：审核人：日期：");
    assert_eq!(signs.select(&sel("span.blank")).count(), 3);

    let en = desk.ok(None, "--lang en report --period month --format html");
    let doc = Html::parse_document(&en);
    check_frame(&doc, "en", "Complaints and feedback 2026-09-01 to 2026-09-30", "A4");
    assert_eq!(
        text(doc.select(&sel("p.sign-line")).next().unwrap()),
        "Prepared by: Checked by: Date: "
    );
}

/// The lines of a text receipt, each within the printer's 80 columns.
fn receipt_lines(receipt: &str) -> Vec<String> {
    let lines: Vec<String> = receipt.lines().map(str::to_string).collect();
    for line in &lines {
        assert!(casedesk::words::width::width(line) <= 80, "{line:?}\n{receipt}");
    }
    lines
}

/// The value of a labelled line of a text receipt, with its wrapped lines.
fn receipt_value(lines: &[String], label: &str) -> String {
    let at = lines
        .iter()
        .position(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label}: {lines:?}"));
    let first = lines[at][label.len()..].trim_start().to_string();
    let more = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim_start().to_string());
    std::iter::once(first).chain(more).collect()
}

#[test]
fn a_visitors_receipt_prints_in_80_columns_and_as_an_a5_page_with_only_what_the_visitor_told() {
    let desk = support::Desk::new();
    organise(&desk);
    let summary = format!("{MARK}{}", "候诊时间太长，".repeat(12));
    let n = desk.intake(&[
        "--summary",
        &summary,
        "--details",
        "内部细节不外传",
        "--staff",
        "某某医生",
        "--name",
        "王<芳>",
        "--promise",
        "2026-10-09",
    ]);
    let receipt = desk.ok(Some(CLERK_PIN), &["case", "receipt", &n, "--as", CLERK]);
    let lines = receipt_lines(&receipt);
    assert_eq!(lines[0].trim(), ORG);
    assert_eq!(lines[1].trim(), "受理回执");
    assert_eq!(receipt_value(&lines, "案件编号："), "2026-000001");
    assert_eq!(receipt_value(&lines, "受理时间："), "2026-09-30 10:00");
    assert_eq!(receipt_value(&lines, "类型："), "投诉");
    assert_eq!(receipt_value(&lines, "反映人："), "王<芳>");
    assert_eq!(receipt_value(&lines, "受理人："), "张小明");
    // Wrapped to the printer's width: at a space, or between Chinese characters.
    let unspaced = |s: &str| s.replace(' ', "");
    assert_eq!(unspaced(&receipt_value(&lines, "登记内容：")), unspaced(&summary));
    assert_eq!(receipt_value(&lines, "答复期限："), "2026-10-09");
    assert_eq!(receipt_value(&lines, "联系电话："), ORG_PHONE);
    let rule = "您反映的问题已登记。我们会在答复期限内给您答复，处理完毕后还会回访您。查询时请报案件编号。";
    assert!(receipt.replace('\n', "").contains(rule), "{receipt}");
    for internal in ["内部细节不外传", "某某医生"] {
        assert!(!receipt.contains(internal), "{receipt}");
    }

    let html = desk.ok(
        Some(CLERK_PIN),
        &["case", "receipt", &n, "--as", CLERK, "--format", "html"],
    );
    let doc = Html::parse_document(&html);
    check_frame(&doc, "zh-CN", "受理回执", "A5");
    assert_eq!(texts(&doc, "p.organisation"), [ORG]);
    assert_eq!(
        texts(&doc, "dl > dt"),
        [
            "案件编号",
            "受理时间",
            "类型",
            "反映人",
            "受理人",
            "登记内容",
            "答复期限",
            "联系电话"
        ]
    );
    assert_eq!(
        texts(&doc, "dl > dd"),
        [
            "2026-000001",
            "2026-09-30 10:00",
            "投诉",
            "王<芳>",
            "张小明",
            summary.as_str(),
            "2026-10-09",
            ORG_PHONE
        ]
    );
    assert_eq!(texts(&doc, "p.rule"), [rule]);
    for internal in ["内部细节不外传", "某某医生"] {
        assert!(!html.contains(internal), "{html}");
    }
    // --out writes the same page.
    let file = desk.path("回执.html");
    let out = desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "receipt",
            &n,
            "--as",
            CLERK,
            "--format",
            "html",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim_end(), html.trim_end());

    // In English.
    let en = desk.ok(Some(CLERK_PIN), &["--lang", "en", "case", "receipt", &n, "--as", CLERK]);
    let lines = receipt_lines(&en);
    assert_eq!(receipt_value(&lines, "Case number:"), "2026-000001");
    assert_eq!(receipt_value(&lines, "Reply by:"), "2026-10-09");
    let en = desk.ok(
        Some(CLERK_PIN),
        &["--lang", "en", "case", "receipt", &n, "--as", CLERK, "--format", "html"],
    );
    check_frame(&Html::parse_document(&en), "en", "Receipt", "A5");
}

#[test]
fn the_reply_date_is_the_promised_one_else_the_departments_and_an_empty_organisation_is_left_off() {
    let desk = support::Desk::new();
    let n = desk.intake(&["--summary", "候诊时间太长", "--name", "王芳"]);
    let receipt = |n: &str| receipt_lines(&desk.ok(Some(CLERK_PIN), &["case", "receipt", n, "--as", CLERK]));
    let lines = receipt(&n);
    // No organisation in the policy: no name over the title, no phone line.
    assert_eq!(lines[0].trim(), "受理回执");
    assert!(!lines.iter().any(|l| l.starts_with("联系电话")), "{lines:?}");
    assert_eq!(receipt_value(&lines, "答复期限："), "另行告知");
    // A written assignment: the department replies within 3 working days
    // (National Day: Saturday 10 October is a make-up working day).
    desk.ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as {CLERK} --dept 护理部 --mode written"),
    );
    assert_eq!(receipt_value(&receipt(&n), "答复期限："), "2026-10-10");
    // A reply time told to the visitor wins.
    desk.ok(
        Some(CLERK_PIN),
        &format!("case promise {n} --as {CLERK} --at 2026-10-12T15:00"),
    );
    assert_eq!(receipt_value(&receipt(&n), "答复期限："), "2026-10-12 15:00");

    let html = desk.ok(
        Some(CLERK_PIN),
        &["case", "receipt", &n, "--as", CLERK, "--format", "html"],
    );
    let doc = Html::parse_document(&html);
    assert!(doc.select(&sel("p.organisation")).next().is_none());
    assert!(!style(&doc).contains("@top-left"), "{html}");
    assert!(!texts(&doc, "dt").contains(&"联系电话".to_string()));
}

#[test]
fn a_confidential_visitors_name_is_on_the_receipt_only_for_the_owner_or_a_supervisor_giving_a_reason() {
    let desk = support::Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    desk.add_staff(SUPERVISOR, "supervisor", SUPERVISOR_PIN);
    let n = desk.intake(&["--summary", "候诊时间太长", "--name", "甄某某", "--confidential"]);
    let receipt = |who: &str, pin: &str, extra: &[&str]| {
        let mut args = vec!["case", "receipt", n.as_str(), "--as", who];
        args.extend(extra);
        desk.ok(Some(pin), &args)
    };
    for printed in [
        receipt(OTHER, OTHER_PIN, &[]),
        receipt(SUPERVISOR, SUPERVISOR_PIN, &[]),
        receipt(OTHER, OTHER_PIN, &["--format", "html"]),
    ] {
        assert!(!printed.contains("甄某某") && !printed.contains("反映人"), "{printed}");
        // The rest of the receipt is there.
        assert!(printed.contains("候诊时间太长"), "{printed}");
    }
    assert!(receipt(CLERK, CLERK_PIN, &[]).contains("反映人：  甄某某"));
    let by_supervisor = receipt(SUPERVISOR, SUPERVISOR_PIN, &["--reason", "来访人要求补打回执"]);
    assert!(by_supervisor.contains("甄某某"), "{by_supervisor}");
    let views: i64 = desk
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'confidential_viewed' AND body LIKE '%来访人要求补打回执%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(views, 1, "the supervisor's viewing is recorded with its reason");
}

#[test]
fn h_on_the_case_page_saves_the_receipt_beside_the_desk() {
    use casedesk::domain::Role;
    use casedesk::paths::Paths;
    use casedesk::ui::App;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    const NOW: &str = "2026-03-02T09:00:00+08:00";
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    };
    let mut desk = casedesk::desk::Desk::open(&paths, casedesk::words::Lang::Zh, true).unwrap();
    desk.fixed_now = Some(at(NOW));
    let admin = desk.init_desk(ADMIN, ADMIN_PIN).unwrap();
    let clerk = desk.add_staff(&admin, CLERK, Role::Clerk, None, CLERK_PIN).unwrap();
    let number = desk.intake(&clerk, plain_form(MARK)).unwrap().case.number().to_string();
    let mut app = App::new(desk);
    app.signed_in(clerk, at(NOW));
    app.open_case(&number, None, at(NOW));
    app.handle_key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE), at(NOW));
    let file = dir.path().join(format!("receipt-{number}.html"));
    let message = app.message.clone().unwrap().0;
    assert!(message.contains(&file.display().to_string()), "{message}");
    let doc = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
    check_frame(&doc, "zh-CN", "受理回执", "A5");
    assert_eq!(texts(&doc, "dl > dd")[0], number);
    assert!(texts(&doc, "dl > dd").contains(&MARK.to_string()));
    assert!(texts(&doc, "dl > dd").contains(&"王芳".to_string()));
}

/// Notes for colleagues and corrections are the desk's own: never on the
/// visitor's receipt (its summary is the corrected one, the old text gone),
/// always on the handover page.
#[test]
fn notes_and_corrections_stay_off_the_receipt_and_go_into_the_handover() {
    let desk = support::Desk::new();
    let n = desk.intake(&["--summary", "候诊时间太常", "--name", "王芳", "--phone", "13900139000"]);
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "note",
            &n,
            "--as",
            CLERK,
            "--text",
            "家属情绪激动，回访前先联系护士长",
        ],
    );
    desk.ok(
        Some(CLERK_PIN),
        &[
            "case",
            "correct",
            &n,
            "--as",
            CLERK,
            "--field",
            "summary",
            "--value",
            "候诊时间太长",
            "--reason",
            "错别字",
        ],
    );
    for format in ["text", "html"] {
        let receipt = desk.ok(
            Some(CLERK_PIN),
            &["case", "receipt", &n, "--as", CLERK, "--format", format],
        );
        assert!(receipt.contains("候诊时间太长"), "{receipt}");
        for private in ["家属情绪激动", "候诊时间太常", "错别字"] {
            assert!(
                !receipt.contains(private),
                "{format} receipt shows {private}:\n{receipt}"
            );
        }
    }
    let handover = desk.ok(Some(CLERK_PIN), &["handover", "prepare", "--as", CLERK]);
    assert!(!handover.is_empty());
    let page = desk.ok(None, &["handover", "print", "--format", "html"]);
    assert!(page.contains("家属情绪激动") && page.contains("错别字"), "{page}");
}
