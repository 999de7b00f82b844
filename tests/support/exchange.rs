//! Desks and export files for the import tests: an empty desk (its admin
//! only) copied for every import, and a small source desk with cases of many
//! shapes built through the command line, exported as JSON and CSV.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use casedesk::cli::Format;
use casedesk::domain::{Actor, Role};
use casedesk::exchange::{ImportOptions, export};
use casedesk::paths::Paths;
use casedesk::words::Lang;
use serde_json::Value;
use tempfile::TempDir;

use super::{ADMIN, Desk, T0, at};

/// After every step of the source desk: when the import tests move it.
pub const MOVED_AT: &str = "2026-10-10T12:00:00+08:00";

/// How the import tests move the source desk to an empty one: at
/// [`MOVED_AT`], adding the staff it names (the empty desk has its admin only).
pub fn moving() -> ImportOptions {
    ImportOptions {
        masked_ok: false,
        create_staff: true,
        now: at(MOVED_AT),
    }
}

pub struct Fixture {
    pub _dir: TempDir,
    /// A desk with only its admin, checkpointed: copied for every import.
    pub empty: PathBuf,
    pub admin: Actor,
    /// A small desk with cases of many shapes.
    pub source: Desk,
    pub json: String,
    pub csv: String,
    pub doc: Value,
}

pub fn paths_for(db: &Path) -> Paths {
    let dir = db.parent().unwrap();
    Paths {
        db: db.to_path_buf(),
        policy: dir.join("no-policy.toml"),
        calendar: dir.join("no-calendar.toml"),
    }
}

pub fn open(db: &Path) -> casedesk::desk::Desk {
    casedesk::desk::Desk::open(&paths_for(db), Lang::Zh, false).unwrap()
}

pub fn checkpoint(desk: &casedesk::desk::Desk) {
    desk.store()
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

/// Runs the real program on `desk` at `now` (to build the source desk as a
/// clerk would); it must succeed. An empty `pin` sets none.
#[track_caller]
pub fn cli(desk: &Desk, now: &str, pin: &str, new_pin: Option<&str>, args: &[&str]) -> String {
    let mut c = desk.cmd_at(now, Some(pin).filter(|p| !p.is_empty()), args);
    if let Some(p) = new_pin {
        c.env("CASEDESK_NEW_PIN", p);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "casedesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn build_source(db: &Desk) {
    let admin = |args: &[&str]| cli(db, T0, "111111", None, args);
    cli(
        db,
        T0,
        "111111",
        Some("111111"),
        &["init", "--admin", ADMIN, "--training"],
    );
    admin(&["dept", "add", "--as", ADMIN, "--name", "护理部", "--phone", "8001"]);
    admin(&["dept", "add", "--as", ADMIN, "--name", "门诊部"]);
    admin(&[
        "category",
        "add",
        "--as",
        ADMIN,
        "--code",
        "parking",
        "--name",
        "停车",
        "--name-en",
        "Parking",
    ]);
    for (name, role, pin) in [
        ("张小明", "clerk", "2222"),
        ("李静", "clerk", "3333"),
        ("陈主管", "supervisor", "444444"),
    ] {
        cli(
            db,
            T0,
            "111111",
            Some(pin),
            &["staff", "add", "--as", ADMIN, "--name", name, "--role", role],
        );
    }
    cli(
        db,
        T0,
        "111111",
        Some("5555"),
        &[
            "staff",
            "add",
            "--as",
            ADMIN,
            "--name",
            "赵护士",
            "--role",
            "clerk",
            "--dept",
            "护理部",
        ],
    );
    let clerk = |now: &str, args: &[&str]| cli(db, now, "2222", None, args).trim().to_string();
    let new = |args: &[&str]| {
        let mut a = vec!["case", "new", "--as", "张小明"];
        a.extend_from_slice(args);
        clerk(T0, &a)
    };
    // 1: the README's complaint, all the way to closed.
    let n1 = new(&[
        "--channel",
        "phone",
        "--kind",
        "complaint",
        "--summary",
        "夜班护士态度生硬",
        "--details",
        "患者家属反映夜间呼叫护士无人应答。",
        "--name",
        "王芳",
        "--phone",
        "13800138000",
        "--dept",
        "护理部",
        "--category",
        "attitude",
        "--promise",
        "2026-10-09",
    ]);
    clerk(
        T0,
        &[
            "case",
            "assign",
            &n1,
            "--as",
            "张小明",
            "--dept",
            "护理部",
            "--mode",
            "written",
        ],
    );
    // Typing mistakes of the intake corrected (a phone, a category of this
    // desk's own, the department): retraced on import, named not numbered.
    for (field, value) in [
        ("complainant.phone", "13900139000"),
        ("category", "parking"),
        ("dept", "门诊部"),
    ] {
        clerk(
            T0,
            &[
                "case",
                "correct",
                &n1,
                "--as",
                "张小明",
                "--field",
                field,
                "--value",
                value,
                "--reason",
                "录入错误",
            ],
        );
    }
    let t1 = "2026-10-08T15:00:00+08:00";
    clerk(
        t1,
        &[
            "case",
            "reply",
            &n1,
            "--as",
            "张小明",
            "--verdict",
            "justified",
            "--facts",
            "当晚呼叫器故障",
            "--responsible",
            "当班护士",
            "--measures",
            "每班检查呼叫器",
        ],
    );
    clerk(
        t1,
        &[
            "case",
            "feedback",
            &n1,
            "--as",
            "张小明",
            "--method",
            "phone",
            "--text",
            "已说明",
        ],
    );
    let t2 = "2026-10-09T09:30:00+08:00";
    clerk(
        t2,
        &[
            "case",
            "visit",
            &n1,
            "--as",
            "张小明",
            "--method",
            "phone",
            "--satisfaction",
            "satisfied",
            "--attitude",
            "5",
            "--speed",
            "4",
            "--result",
            "5",
            "--comment",
            "满意",
        ],
    );
    clerk(t2, &["case", "close", &n1, "--as", "张小明"]);
    // 2: anonymous praise answered on the spot.
    let n2 = new(&[
        "--channel",
        "online",
        "--kind",
        "praise",
        "--summary",
        "感谢门诊部",
        "--anonymous",
    ]);
    clerk(T0, &["case", "answer", &n2, "--as", "张小明", "--text", "已转达"]);
    // 3: a confidential, major complaint about a named member of staff, flagged a dispute.
    let n3 = new(&[
        "--channel",
        "visit",
        "--kind",
        "complaint",
        "--summary",
        "手术后并发症",
        "--name",
        "李四",
        "--phone",
        "139-0000-1111",
        "--address",
        "北京路 1 号",
        "--relation",
        "家属",
        "--confidential",
        "--dept",
        "护理部",
        "--staff",
        "赵护士",
        "--category",
        "attitude",
        "--severity",
        "major",
    ]);
    clerk(
        T0,
        &[
            "case",
            "flag",
            &n3,
            "--as",
            "张小明",
            "--flag",
            "dispute",
            "--reason",
            "家属要求鉴定",
        ],
    );
    clerk(
        T0,
        &[
            "case",
            "assign",
            &n3,
            "--as",
            "张小明",
            "--dept",
            "门诊部",
            "--mode",
            "phone",
        ],
    );
    clerk(
        T0,
        &[
            "case",
            "urge",
            &n3,
            "--as",
            "张小明",
            "--note",
            "请尽快答复",
            "--whom",
            "主任",
            "--promised",
            "+2d",
        ],
    );
    // 4: an inquiry handed to another clerk, paused and resumed, extended.
    let n4 = new(&[
        "--channel",
        "letter",
        "--kind",
        "inquiry",
        "--summary",
        "停车收费标准",
        "--name",
        "周五",
        "--category",
        "parking",
    ]);
    clerk(
        T0,
        &[
            "case",
            "assign",
            &n4,
            "--as",
            "张小明",
            "--dept",
            "门诊部",
            "--mode",
            "written",
        ],
    );
    clerk(T0, &["case", "pause", &n4, "--as", "张小明", "--reason", "等待材料"]);
    clerk(
        "2026-10-09T10:00:00+08:00",
        &["case", "resume", &n4, "--as", "张小明", "--reason", "材料已到"],
    );
    clerk(
        "2026-10-09T10:00:00+08:00",
        &[
            "case",
            "extend",
            &n4,
            "--as",
            "张小明",
            "--to",
            "2026-10-30",
            "--reason",
            "需要财务处核实",
        ],
    );
    clerk(
        "2026-10-09T10:00:00+08:00",
        &[
            "case",
            "transfer",
            &n4,
            "--as",
            "张小明",
            "--to",
            "李静",
            "--reason",
            "交接班",
        ],
    );
    cli(
        db,
        "2026-10-09T10:05:00+08:00",
        "3333",
        None,
        &["case", "accept", &n4, "--as", "李静"],
    );
    // 5: a suggestion referred to a department, with a back-dated receipt.
    let n5 = new(&[
        "--channel",
        "phone",
        "--kind",
        "suggestion",
        "--summary",
        "建议增加引导标识",
        "--details",
        "含 \"引号\", 逗号,\n和换行",
        "--name",
        "吴六",
        "--phone",
        "13900001111",
        "--received-at",
        "2026-09-29 16:00",
        "--origin",
        "internal",
    ]);
    clerk(
        T0,
        &[
            "case",
            "refer",
            &n5,
            "--as",
            "张小明",
            "--dept",
            "门诊部",
            "--text",
            "请致电 8002",
        ],
    );
    // 6: escalated by hand, still received.
    let n6 = new(&[
        "--channel",
        "phone",
        "--kind",
        "repair",
        "--summary",
        "病房空调不制冷",
        "--name",
        "郑七",
        "--phone",
        "13700001234",
        "--severity",
        "important",
    ]);
    clerk(T0, &["case", "escalate", &n6, "--as", "张小明", "--reason", "高温天气"]);
    // 6 follows up 4 (both cases get a link), and joins a batch incident.
    let t6 = "2026-10-09T11:00:00+08:00";
    clerk(
        t6,
        &[
            "case",
            "link",
            &n6,
            &n4,
            "--as",
            "张小明",
            "--rel",
            "follow_up",
            "--reason",
            "同一病区",
        ],
    );
    clerk(
        t6,
        &["case", "batch", "new", "--as", "张小明", "--title", "病区空调故障"],
    );
    clerk(t6, &["case", "batch", "join", "B2026-001", &n6, "--as", "张小明"]);
}

pub fn supervisor_of(desk: &mut casedesk::desk::Desk) -> Actor {
    // Confidential complainants are exported in full only for a supervisor. An
    // imported desk has none who is active, so its admin looks in that role.
    let mut viewer = desk
        .store()
        .staff_by_name("陈主管")
        .or_else(|_| desk.store().staff_by_name(ADMIN))
        .unwrap();
    viewer.role = Role::Supervisor;
    viewer.active = true;
    viewer
}

pub fn export_text(desk: &mut casedesk::desk::Desk, format: Format) -> String {
    let viewer = supervisor_of(desk);
    let mut out = Vec::new();
    export(desk, format, &mut out, Some(&viewer), &|_, _| {}).unwrap();
    String::from_utf8(out).unwrap()
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.db");
        let mut desk = casedesk::desk::Desk::open(&paths_for(&empty), Lang::Zh, true).unwrap();
        desk.fixed_now = Some(at(T0));
        let admin = desk.init_desk(ADMIN, "111111").unwrap();
        desk.set_training(&admin, true).unwrap();
        checkpoint(&desk);
        drop(desk);
        let source = Desk::empty();
        build_source(&source);
        let mut desk = open(&source.db());
        let json = export_text(&mut desk, Format::Json);
        let csv = export_text(&mut desk, Format::Csv);
        let doc = serde_json::from_str(&json).unwrap();
        Fixture {
            _dir: dir,
            empty,
            admin,
            source,
            json,
            csv,
            doc,
        }
    })
}

/// A fresh copy of the empty desk: the files, and the desk opened through the library.
pub struct Fresh {
    pub site: Desk,
    pub desk: casedesk::desk::Desk,
}

pub fn fresh() -> Fresh {
    let f = fixture();
    let site = Desk::empty();
    std::fs::copy(&f.empty, site.db()).unwrap();
    let desk = open(&site.db());
    Fresh { site, desk }
}

/// Everything an import may touch, to see that a refused one touched nothing.
pub fn snapshot(desk: &casedesk::desk::Desk) -> Vec<(String, i64)> {
    [
        "SELECT COUNT(*) FROM cases",
        "SELECT COUNT(*) FROM events",
        "SELECT COUNT(*) FROM staff",
        "SELECT COUNT(*) FROM departments",
        "SELECT COUNT(*) FROM categories",
        "SELECT COUNT(*) FROM complainants",
        "SELECT COALESCE(SUM(last), 0) FROM case_counters",
    ]
    .into_iter()
    .map(|q| {
        (
            q.to_string(),
            desk.store().conn().query_row(q, [], |r| r.get(0)).unwrap(),
        )
    })
    .chain([("search entries".to_string(), search_entries(desk))])
    .collect()
}

/// Entries in every part of the search index.
pub fn search_entries(desk: &casedesk::desk::Desk) -> i64 {
    let conn = desk.store().conn();
    let parts = casedesk::store::search::parts(conn).unwrap();
    parts
        .into_iter()
        .map(|p| {
            let table = casedesk::store::search::part_table(p);
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get::<_, i64>(0))
                .unwrap()
        })
        .sum()
}

pub fn cases_in(desk: &casedesk::desk::Desk) -> i64 {
    desk.store()
        .conn()
        .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
        .unwrap()
}

pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

pub fn csv_text(rows: &[Vec<String>], bom: bool, quoted: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    if quoted {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        for r in rows {
            w.write_record(r).unwrap();
        }
        out.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    } else {
        // Careless hand-made CSV: no quoting at all.
        for r in rows {
            out.push_str(&r.join(","));
            out.push('\n');
        }
    }
    out
}
