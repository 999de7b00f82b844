//! The duty desk of the `handover*` tests: the night clerk 张小明 who hands
//! over, the day clerk 李静 who takes over, the night shift of Monday 2 March
//! 2026, and the duty-log and handover commands as the clerks run them.

use super::{CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, at};

/// The night clerk who hands over.
pub const OUT: &str = CLERK;
pub const OUT_PIN: &str = CLERK_PIN;
/// The day clerk who takes over.
pub const INC: &str = OTHER;
pub const INC_PIN: &str = OTHER_PIN;
/// Monday 2 March 2026, 20:00 at the desk: the night shift 17:30–08:00.
pub const NIGHT: &str = "2026-03-02T20:00:00+08:00";
pub const NIGHT_TITLE: &str = "交接班记录 · 夜班 2026-03-02 17:30 – 2026-03-03 08:00";
pub const CHECKLIST: [&str; 5] = ["钥匙", "对讲机", "登记本", "值班电话", "区域整洁"];

/// Admin 管理员, department 护理部, clerks 张小明 and 李静; the clock at 20:00 on a Monday.
pub fn night_desk() -> Desk {
    let desk = Desk::new_at(NIGHT);
    desk.add_staff(INC, "clerk", INC_PIN);
    desk
}

/// The duty log and the handover, as the clerks run them.
pub trait Duty {
    /// `duty who`, one trimmed line per person.
    fn who(&self) -> Vec<String>;
    /// `duty log` by 张小明; returns the id printed.
    fn log(&self, who: &str, what: &str) -> i64;
    /// 张小明 prepares his handover; returns its id.
    fn prepare(&self) -> i64;
    /// 张小明 ticks every item of the default checklist.
    fn tick_all(&self, id: i64);
    /// Prepared, ticked and signed by 张小明; returns the id.
    fn signed_out(&self) -> i64;
    fn print(&self, id: i64, format: &str) -> String;
    /// The ending of duty-log entry `id` as stored (JSON), if any.
    fn ending(&self, id: i64) -> Option<String>;
}

impl Duty for Desk {
    fn who(&self) -> Vec<String> {
        self.ok(None, "duty who")
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    }

    #[track_caller]
    fn log(&self, who: &str, what: &str) -> i64 {
        let out = self.ok(
            Some(OUT_PIN),
            &["duty", "log", "--as", OUT, "--who", who, "--what", what],
        );
        out.trim().parse().unwrap()
    }

    #[track_caller]
    fn prepare(&self) -> i64 {
        let out = self.ok(Some(OUT_PIN), &format!("handover prepare --as {OUT}"));
        out.trim().parse().unwrap()
    }

    #[track_caller]
    fn tick_all(&self, id: i64) {
        for item in CHECKLIST {
            self.ok(Some(OUT_PIN), &format!("handover check {id} --as {OUT} --item {item}"));
        }
    }

    #[track_caller]
    fn signed_out(&self) -> i64 {
        let id = self.prepare();
        self.tick_all(id);
        let out = self.ok(Some(OUT_PIN), &format!("handover sign {id} --as {OUT}"));
        assert_eq!(out, format!("交接班 #{id}：交班人已签字，等待接班人审阅签收\n"));
        id
    }

    #[track_caller]
    fn print(&self, id: i64, format: &str) -> String {
        self.ok(None, &format!("handover print {id} --format {format}"))
    }

    fn ending(&self, id: i64) -> Option<String> {
        self.sql()
            .query_row("SELECT ending FROM duty_log WHERE id = ?", [id], |r| r.get(0))
            .unwrap()
    }
}

/// Unix seconds of an RFC 3339 instant.
pub fn secs(s: &str) -> i64 {
    at(s).timestamp()
}

/// The Markdown print cut into its `## ` sections: heading and the `- ` items under it
/// (trailing blanks of an item, left by empty fields, cut off).
pub fn md_sections(md: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in md.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push((h.to_string(), Vec::new()));
        } else if let (Some(item), Some(last)) = (line.strip_prefix("- "), out.last_mut()) {
            last.1.push(item.trim_end().to_string());
        }
    }
    out
}

/// The section whose heading starts with `prefix` (e.g. "已超时案件（").
#[track_caller]
pub fn section(md: &str, prefix: &str) -> (String, Vec<String>) {
    md_sections(md)
        .into_iter()
        .find(|(h, _)| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("no section {prefix} in\n{md}"))
}

/// The case numbers of a section's items, in order.
pub fn numbers(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|i| i.split("  ").next().unwrap().to_string())
        .collect()
}

/// The desk at 20:00 on the night of 2 March: five cases by 张小明, one duty-log entry open.
///
/// - 000001 received, acknowledgement due tonight
/// - 000002 assigned to 护理部 in writing
/// - 000003 severity major: level 2
/// - 000004 a letter dated 24 February: overdue, not received this shift
/// - 000005 promised in three days, offered to 李静
pub fn known_desk() -> Desk {
    let desk = night_desk();
    desk.ok(Some(OUT_PIN), &format!("duty start --as {OUT}"));
    assert_eq!(desk.intake("--summary 护士态度生硬 --name 王芳"), "2026-000001");
    assert_eq!(
        desk.intake("--summary 候诊时间太长 --name 李四 --dept 护理部"),
        "2026-000002"
    );
    desk.ok(
        Some(OUT_PIN),
        &format!("case assign 2026-000002 --as {OUT} --dept 护理部 --mode written"),
    );
    assert_eq!(
        desk.intake("--summary 患者跌倒受伤 --name 赵六 --severity major"),
        "2026-000003"
    );
    assert_eq!(
        desk.intake("--summary 上周来信未回复 --name 钱七 --received-at 2026-02-24"),
        "2026-000004"
    );
    assert_eq!(
        desk.intake("--summary 停车收费不合理 --name 孙八 --promise +3d"),
        "2026-000005"
    );
    desk.ok(
        Some(OUT_PIN),
        &format!("case transfer 2026-000005 --as {OUT} --to {INC} --reason 交接班移交"),
    );
    desk.log("王先生", "询问门诊时间");
    desk
}
