//! Confidentiality, end to end. One confidential complaint carries sentinel
//! values that appear nowhere else (name 甄密者, phone 13012345678, address
//! 秘密路77号). Everything anyone who may not see them gets — every command's
//! output and error, every export, report, worklist, handover page, every
//! screen rendered with ratatui's `TestBackend`, every draft — must hold none of
//! them (nor a recognisable fragment). The owner sees them, a supervisor only
//! after giving a reason, and each viewing is an event with its reason. An
//! anonymous complainant is never stored at all.
//!
//! Here the command line: every output and error, export, report, worklist
//! and handover page, for each role.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::confidential::*;

// ------------------------------------------------------------------ CLI

/// Runs `args` and files its standard output and error under a label; checks the exit code.
fn collect(site: &Site, who: Option<Who>, args: &[&str], code: i32, out: &mut Vec<(String, String)>) {
    let o = site.run(T1, who, args);
    let label = format!("[{}] casedesk {}", who.map_or("nobody", |w| w.name), args.join(" "));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(code), "{label}: {text}");
    out.push((label, text));
}

/// `--as NAME` when there is a viewer.
fn with_as<'a>(who: Option<Who>, args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    if let Some(w) = who {
        v.push("--as");
        v.push(w.name);
    }
    v
}

const LIST_FILTERS: &[&[&str]] = &[
    &[],
    &["--state", "feedback_given"],
    &["--state", "received"],
    &["--owner", "张小明"],
    &["--overdue"],
    &["--due-before", "2026-12-31"],
    &["--limit", "0"],
];

/// Searches that may only match where the viewer may see the complainant.
const SEARCHES: &[&str] = &[
    NAME,
    PHONE,
    "甄",
    "甄密",
    "12345678",
    "130-1234-5678",
    "秘密路",
    ADDRESS,
];

/// Every read-only output a viewer (or nobody) can get about the desk, except
/// lists and searches (`list_outputs`). `with_export`: include the exports
/// (a supervisor's export is allowed to hold the complainant).
fn read_outputs(site: &Site, who: Option<Who>, with_export: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in site.all_cases() {
        collect(site, who, &with_as(who, &["case", "show", &n]), 0, &mut out);
        collect(site, who, &with_as(who, &["case", "show", &n, "--json"]), 0, &mut out);
    }
    collect(
        site,
        who,
        &with_as(who, &["--lang", "en", "case", "show", &site.conf, "--json"]),
        0,
        &mut out,
    );
    collect(site, who, &with_as(who, &["visits"]), 0, &mut out);
    collect(site, who, &with_as(who, &["visits", "--json"]), 0, &mut out);
    if with_export {
        for format in ["json", "csv"] {
            collect(site, who, &with_as(who, &["export", "--format", format]), 0, &mut out);
        }
        // The sheet for people masks as the interchange file does.
        let sheet = ["export", "--format", "csv", "--sheet"];
        collect(site, who, &with_as(who, &sheet), 0, &mut out);
    }
    out
}

fn list_outputs(site: &Site, who: Option<Who>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for filter in LIST_FILTERS {
        for json in [false, true] {
            let mut args = vec!["case", "list"];
            args.extend_from_slice(filter);
            if json {
                args.push("--json");
            }
            collect(site, who, &with_as(who, &args), 0, &mut out);
        }
    }
    out
}

/// Searches for the sentinels: the JSON list must be empty, and no text either.
fn search_outputs(site: &Site, who: Option<Who>, failures: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for term in SEARCHES {
        for json in [false, true] {
            let mut args = vec!["case", "list", "--search", term];
            if json {
                args.push("--json");
            }
            let args = with_as(who, &args);
            let o = site.run(T1, who, &args);
            let label = format!("[{}] casedesk {}", who.map_or("nobody", |w| w.name), args.join(" "));
            assert!(o.status.success(), "{label}: {}", String::from_utf8_lossy(&o.stderr));
            let stdout = String::from_utf8_lossy(&o.stdout).to_string();
            if json {
                let rows: Vec<Value> = serde_json::from_str(&stdout).unwrap();
                if !rows.is_empty() {
                    let numbers: Vec<&str> = rows.iter().filter_map(|r| r["number"].as_str()).collect();
                    failures.push(format!("{label}: found {numbers:?} (must find nothing)"));
                }
            } else if !stdout.trim().is_empty() {
                failures.push(format!("{label}: found\n    {}", stdout.trim()));
            }
            out.push((label, format!("{stdout}\n{}", String::from_utf8_lossy(&o.stderr))));
        }
    }
    out
}

/// Outputs that do not depend on who asks: handovers, urges, the duty log.
fn shared_outputs(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for format in ["text", "md", "html"] {
        collect(
            site,
            None,
            &["handover", "print", &site.handover, "--format", format],
            0,
            &mut out,
        );
    }
    collect(site, None, &["handover", "print", "--format", "text"], 0, &mut out);
    let file = site.desk.dir().join("handover.html");
    let file_s = file.to_str().unwrap().to_string();
    collect(
        site,
        None,
        &[
            "handover",
            "print",
            &site.handover,
            "--format",
            "html",
            "--out",
            &file_s,
        ],
        0,
        &mut out,
    );
    out.push(("handover print --out".into(), std::fs::read_to_string(&file).unwrap()));
    collect(site, None, &["handover", "list", "--json"], 0, &mut out);
    collect(site, None, &["handover", "list"], 0, &mut out);
    collect(site, None, &["urges"], 0, &mut out);
    collect(site, None, &["urges", "--json"], 0, &mut out);
    collect(site, None, &["duty", "list", "--json"], 0, &mut out);
    collect(site, None, &["duty", "who"], 0, &mut out);
    out
}

/// Reports: every format, periods holding the cases, a few filters; with and
/// without a (non-`--names`) viewer; `--out` files too.
fn report_outputs(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let periods: &[&[&str]] = &[
        &["--period", "year"],
        &["--period", "last-quarter"],
        &["--quarterly"],
        &["--from", "2026-09-01", "--to", "2026-10-31"],
        &["--period", "year", "--dept", "护理部"],
        &["--period", "year", "--category", "attitude"],
        &["--period", "year", "--kind", "complaint", "--channel", "phone"],
    ];
    for p in periods {
        for format in ["text", "json", "csv", "html"] {
            let mut args = vec!["report", "--format", format];
            args.extend_from_slice(p);
            collect(site, None, &args, 0, &mut out);
        }
    }
    for who in [CLERK, ADMIN, SUP] {
        let args = ["report", "--period", "year", "--format", "json", "--as", who.name];
        collect(site, Some(who), &args, 0, &mut out);
    }
    for format in ["csv", "html"] {
        let file = site.desk.dir().join(format!("report.{format}"));
        let f = file.to_str().unwrap().to_string();
        collect(
            site,
            None,
            &["report", "--period", "year", "--format", format, "--out", &f],
            0,
            &mut out,
        );
        out.push((
            format!("report --out {format}"),
            std::fs::read_to_string(&file).unwrap(),
        ));
    }
    out
}

/// Steps on the confidential case that `who` may not take: refused (exit 3),
/// and the refusal names nobody.
fn refusals(site: &Site, who: Who) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let n = site.conf.as_str();
    let steps: Vec<Vec<&str>> = vec![
        vec!["case", "close", n, "--as", who.name],
        vec![
            "case",
            "visit",
            n,
            "--as",
            who.name,
            "--method",
            "phone",
            "--satisfaction",
            "satisfied",
        ],
        vec!["case", "visit-failed", n, "--as", who.name, "--note", "无人接听"],
        vec!["case", "urge", n, "--as", who.name, "--note", "请尽快回复"],
        vec![
            "case",
            "feedback",
            n,
            "--as",
            who.name,
            "--method",
            "phone",
            "--text",
            "再次告知",
        ],
        vec![
            "case", "transfer", n, "--as", who.name, "--to", "李静", "--reason", "交接",
        ],
        vec!["case", "escalate", n, "--as", who.name, "--reason", "再升级"],
        vec!["case", "reopen", n, "--as", who.name, "--reason", "不满意"],
        vec!["case", "withdraw", n, "--as", who.name, "--reason", "撤诉"],
        vec!["case", "accept", n, "--as", who.name],
    ];
    for s in &steps {
        collect(site, Some(who), s, 3, &mut out);
    }
    // A report with names is for supervisors only.
    collect(
        site,
        Some(who),
        &["report", "--period", "year", "--as", who.name, "--names"],
        3,
        &mut out,
    );
    out
}

fn check_all(failures: &mut Vec<String>, outputs: &[(String, String)]) {
    for (label, text) in outputs {
        check(failures, label, text);
    }
}

/// Nobody, another clerk and the admin: nothing of the complainant, anywhere
/// on the command line; refusals name nobody; asking with a reason changes nothing.
#[test]
fn cli_never_shows_it_to_nobody_another_clerk_or_the_admin() {
    let site = seed();
    let failures = std::thread::scope(|s| {
        let jobs: Vec<_> = [None, Some(CLERK), Some(ADMIN)]
            .into_iter()
            .map(|who| {
                let site = &site;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    let mut outs = read_outputs(site, who, true);
                    outs.extend(list_outputs(site, who));
                    outs.extend(search_outputs(site, who, &mut failures));
                    if let Some(w) = who {
                        outs.extend(refusals(site, w));
                        // A reason does not open it to someone who may not see it.
                        collect(
                            site,
                            Some(w),
                            &["case", "show", &site.conf, "--as", w.name, "--reason", REASON],
                            0,
                            &mut outs,
                        );
                        collect(
                            site,
                            Some(w),
                            &["case", "show", &site.conf, "--json", "--as", w.name, "--reason", REASON],
                            0,
                            &mut outs,
                        );
                    }
                    check_all(&mut failures, &outs);
                    (outs.len(), failures)
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut n = 0;
        for j in jobs {
            let (count, f) = j.join().unwrap();
            n += count;
            all.extend(f);
        }
        let mut outs = shared_outputs(&site);
        outs.extend(report_outputs(&site));
        check_all(&mut all, &outs);
        assert!(n + outs.len() > 150, "only {} outputs were checked", n + outs.len());
        all
    });
    assert_no_failures("command line", &failures);
    // The masked forms are what they show.
    let shown: Value = serde_json::from_str(&site.ok(T1, None, &["case", "show", &site.conf, "--json"])).unwrap();
    assert_eq!(shown["complainant"], serde_json::json!({"confidential": true}));
    assert_eq!(shown["confidential"], true);
    let report = site.ok(T1, None, &["report", "--period", "year", "--format", "json"]);
    assert!(
        report.contains("130****5678"),
        "the repeat caller is listed, masked:\n{report}"
    );
    // Nobody who may not see it was recorded as having seen it.
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// A supervisor who gives no reason sees the case as everyone else does, and
/// nothing is recorded; reports without `--names` name nobody.
#[test]
fn cli_a_supervisor_without_a_reason_gets_the_masked_case() {
    let site = seed();
    let mut failures = Vec::new();
    let mut outs = Vec::new();
    for n in site.all_cases() {
        collect(&site, Some(SUP), &["case", "show", &n, "--as", SUP.name], 0, &mut outs);
        collect(
            &site,
            Some(SUP),
            &["case", "show", &n, "--json", "--as", SUP.name],
            0,
            &mut outs,
        );
    }
    for format in ["text", "json", "csv", "html"] {
        collect(
            &site,
            Some(SUP),
            &["report", "--period", "year", "--format", format, "--as", SUP.name],
            0,
            &mut outs,
        );
    }
    // Steps a supervisor may take say what was done, not who complained.
    collect(
        &site,
        Some(SUP),
        &["case", "urge", &site.conf, "--as", SUP.name, "--note", "请护理部说明"],
        0,
        &mut outs,
    );
    collect(
        &site,
        Some(SUP),
        &["case", "close", &site.conf, "--as", SUP.name],
        3,
        &mut outs,
    );
    check_all(&mut failures, &outs);
    assert_no_failures("supervisor without a reason", &failures);
    let stderr = &outs[0].1;
    assert!(
        stderr.contains("--reason"),
        "the supervisor is told a reason is needed: {stderr}"
    );
    assert!(site.views().is_empty(), "no reason, no viewing: {:?}", site.views());
}

/// The supervisor's lists, searches and return-visit worklist, without a reason.
#[test]
fn cli_a_supervisor_without_a_reason_lists_and_searches_masked() {
    let site = seed();
    let mut failures = Vec::new();
    let mut outs = list_outputs(&site, Some(SUP));
    outs.extend(search_outputs(&site, Some(SUP), &mut failures));
    collect(&site, Some(SUP), &["visits", "--as", SUP.name], 0, &mut outs);
    collect(&site, Some(SUP), &["visits", "--json", "--as", SUP.name], 0, &mut outs);
    check_all(&mut failures, &outs);
    assert_no_failures("supervisor lists without a reason", &failures);
    assert!(site.views().is_empty(), "{:?}", site.views());
}

/// The owner sees the complainant (each viewing recorded as handling the case);
/// a supervisor sees it with a reason (recorded with the reason); a supervisor's
/// export and `--names` report carry it.
#[test]
fn cli_the_owner_and_a_supervisor_with_a_reason_see_it_and_are_recorded() {
    let site = seed();
    let text = site.ok(T1, Some(OWNER), &["case", "show", &site.conf, "--as", OWNER.name]);
    for s in [NAME, PHONE, ADDRESS] {
        assert!(text.contains(s), "the owner sees {s}:\n{text}");
    }
    let json: Value = serde_json::from_str(&site.ok(
        T1,
        Some(OWNER),
        &["case", "show", &site.conf, "--json", "--as", OWNER.name],
    ))
    .unwrap();
    assert_eq!(json["complainant"]["name"], NAME);
    assert_eq!(json["complainant"]["phone"], PHONE);
    assert_eq!(json["complainant"]["address"], ADDRESS);
    let views = site.views();
    assert_eq!(views.len(), 2, "{views:?}");
    assert!(
        views
            .iter()
            .all(|(w, c, r)| w == OWNER.name && *c == site.conf && !r.is_empty()),
        "{views:?}"
    );
    // The owner finds the caller by name and phone.
    for term in [NAME, PHONE] {
        let rows: Vec<Value> = serde_json::from_str(&site.ok(
            T1,
            Some(OWNER),
            &["case", "list", "--json", "--search", term, "--as", OWNER.name],
        ))
        .unwrap();
        let numbers: Vec<&str> = rows.iter().filter_map(|r| r["number"].as_str()).collect();
        assert!(numbers.contains(&site.conf.as_str()), "{term}: {numbers:?}");
    }

    // A supervisor with a reason.
    let text = site.ok(
        T1,
        Some(SUP),
        &["case", "show", &site.conf, "--as", SUP.name, "--reason", REASON],
    );
    assert!(text.contains(NAME) && text.contains(PHONE), "{text}");
    let json: Value = serde_json::from_str(&site.ok(
        T1,
        Some(SUP),
        &[
            "case", "show", &site.conf, "--json", "--as", SUP.name, "--reason", REASON,
        ],
    ))
    .unwrap();
    assert_eq!(json["complainant"]["name"], NAME);
    let views = site.views();
    let sup: Vec<_> = views.iter().filter(|(w, _, _)| w == SUP.name).collect();
    assert_eq!(sup.len(), 2, "{views:?}");
    assert!(sup.iter().all(|(_, c, r)| *c == site.conf && r == REASON), "{views:?}");
    // The events table holds them with the supervisor as actor and the reason in the body.
    let n: i64 = site
        .sql()
        .query_row(
            "SELECT COUNT(*) FROM events WHERE kind = 'confidential_viewed' AND actor_id = ?1
               AND case_id IS NULL AND body LIKE '%' || ?2 || '%'",
            rusqlite::params![site.staff_id(SUP.name), REASON],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 2);
    // An empty reason is no reason.
    let masked = site.ok(
        T1,
        Some(SUP),
        &["case", "show", &site.conf, "--as", SUP.name, "--reason", "  "],
    );
    assert!(leaks(&masked).is_empty(), "{masked}");
    assert_eq!(site.views().len(), 4);

    // A supervisor's export and a supervisor's report with names carry it.
    let export = site.ok(T1, Some(SUP), &["export", "--format", "csv", "--as", SUP.name]);
    assert!(export.contains(NAME) && export.contains(PHONE), "{export}");
    let report = site.ok(
        T1,
        Some(SUP),
        &[
            "report", "--period", "year", "--format", "json", "--as", SUP.name, "--names",
        ],
    );
    assert!(report.contains(NAME), "{report}");
}

/// An anonymous complainant is not stored, and shows as anonymous everywhere.
#[test]
fn an_anonymous_complainant_is_never_stored_and_shows_as_anonymous() {
    let site = seed();
    let db = site.sql();
    let id: Option<i64> = db
        .query_row("SELECT complainant_id FROM cases WHERE number = ?", [&site.anon], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(id, None, "the anonymous case has no complainant row");
    // Every complainant row belongs to a named case: none was made for it.
    let orphans: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM complainants p WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.complainant_id = p.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let names: Vec<String> = db
        .prepare("SELECT name FROM complainants")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        names.iter().all(|n| n == NAME || n == "王大妈" || n == "赵先生"),
        "{names:?}"
    );
    let body: String = db
        .query_row(
            "SELECT e.body FROM events e JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.kind = 'received'",
            [&site.anon],
            |r| r.get(0),
        )
        .unwrap();
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["complainant"], serde_json::json!({"type": "anonymous"}), "{body}");

    for who in [None, Some(OWNER), Some(CLERK), Some(ADMIN)] {
        let json: Value =
            serde_json::from_str(&site.ok(T1, who, &with_as(who, &["case", "show", &site.anon, "--json"]))).unwrap();
        assert_eq!(json["complainant"], serde_json::json!({"anonymous": true}), "{who:?}");
        let text = site.ok(T1, who, &with_as(who, &["case", "show", &site.anon]));
        let line = text.lines().find(|l| l.starts_with("投诉人")).unwrap_or_default();
        assert!(line.contains("匿名"), "{who:?}: {text}");
        let rows: Vec<Value> =
            serde_json::from_str(&site.ok(T1, who, &with_as(who, &["case", "list", "--json"]))).unwrap();
        let row = rows.iter().find(|r| r["number"] == site.anon.as_str()).unwrap();
        assert_eq!(row["complainant"], Value::Null, "{who:?}");
    }
    let export: Value = serde_json::from_str(&site.ok(T1, None, &["export", "--format", "json"])).unwrap();
    let case = export["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == site.anon.as_str())
        .unwrap();
    assert_eq!(
        case["events"][0]["complainant"],
        serde_json::json!({"type": "anonymous"})
    );
    let csv = site.ok(T1, Some(SUP), &["export", "--format", "csv", "--as", SUP.name]);
    let line = csv.lines().find(|l| l.starts_with(&site.anon)).unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    assert_eq!((fields[9], fields[10]), ("", ""), "{line}");
    let visits = site.ok(T1, Some(OWNER), &["visits", "--json", "--as", OWNER.name]);
    assert!(!visits.contains(&site.anon), "nobody to visit: {visits}");
}
