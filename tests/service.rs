//! The desk service (`casedesk serve`): clerks' commands and screens run
//! through its socket, and the clerk's own process never opens the desk file.
#![allow(clippy::unwrap_used)]

mod support;

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use casedesk::commands::console::Stream;
use casedesk::service::client::{Client, ClientError, Near};
use casedesk::words::Lang;
use serde_json::Value;
use support::pty::{Key, Tui};
use support::{ADMIN, ADMIN_PIN, BIN, CLERK, CLERK_PIN, Desk, OTHER, OTHER_PIN, T0, Words, expect_code};

/// A running `casedesk serve`, stopped (SIGTERM) and reaped when dropped.
struct Service {
    child: Child,
    socket: PathBuf,
    log: PathBuf,
}

impl Service {
    /// Serves `desk` on `desk.sock` in its dir, the service's clock at `now`
    /// (`None`: the real clock).
    fn start(desk: &Desk, now: Option<&str>) -> Service {
        let socket = desk.path("desk.sock");
        let log = desk.path("serve.log");
        let mut c = Command::new(BIN);
        c.args(["serve", "--socket"])
            .arg(&socket)
            .arg("--anchor-file")
            .arg(desk.path("anchors.txt"))
            .env_clear()
            .envs(desk.env_at(&desk.now()))
            .env_remove("CASEDESK_NOW")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        if let Some(now) = now {
            c.env("CASEDESK_NOW", support::desk::rfc3339(now));
        }
        let mut child = c.spawn().unwrap();
        let start = Instant::now();
        while !socket.exists() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("serve ended with {status}: {}", std::fs::read_to_string(&log).unwrap());
            }
            assert!(start.elapsed() < Duration::from_secs(30), "the service did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Service { child, socket, log }
    }

    /// A clerk's command through the service: no desk file in the clerk's
    /// environment (it points nowhere), the clerk's clock at `now` if given.
    fn command(&self, desk: &Desk, now: Option<&str>, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Command {
        let mut c = Command::new(BIN);
        c.args(args.words())
            .env_clear()
            .env("HOME", desk.dir())
            .env("CASEDESK_SERVER", &self.socket)
            .env("CASEDESK_DB", desk.path("not-here/desk.db"))
            .current_dir(desk.dir())
            .stdin(Stdio::null());
        if let Some(now) = now {
            c.env("CASEDESK_NOW", support::desk::rfc3339(now));
        }
        if let Some(pin) = pin {
            c.env("CASEDESK_PIN", pin);
        }
        c
    }

    fn run(&self, desk: &Desk, now: Option<&str>, pin: Option<&str>, args: &(impl Words + ?Sized)) -> Output {
        self.command(desk, now, pin, args).output().unwrap()
    }

    #[track_caller]
    fn ok(&self, desk: &Desk, now: Option<&str>, pin: Option<&str>, args: &(impl Words + ?Sized)) -> String {
        let out = self.run(desk, now, pin, args);
        expect_code(&out, 0);
        String::from_utf8(out.stdout).unwrap()
    }

    /// SIGTERM, and how the service ended.
    fn stop(&mut self) -> std::process::ExitStatus {
        drop(Command::new("kill").arg(self.child.id().to_string()).status());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "the service did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            drop(Command::new("kill").arg(self.child.id().to_string()).status());
            std::thread::sleep(Duration::from_millis(200));
            drop(self.child.kill());
            drop(self.child.wait());
        }
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn two_clerks_take_a_case_from_intake_to_close_through_the_service() {
    let desk = Desk::new();
    desk.add_staff(OTHER, "clerk", OTHER_PIN);
    let service = Service::start(&desk, None);
    let t = |at: &str| Some(at.to_string());
    let (a, b) = (Some(CLERK_PIN), Some(OTHER_PIN));
    let n = service.ok(
        &desk,
        t("2026-09-30T10:00").as_deref(),
        a,
        "case new --as 张小明 --channel phone --kind complaint --summary 输液等了两个小时 \
         --name 王芳 --phone 13800138000 --dept 护理部",
    );
    let n = n.trim();
    assert_eq!(n, "2026-000001");
    // The other clerk sees it, owned by the first.
    let list = json(&service.ok(&desk, None, b, "case list --json --as 李静"));
    assert_eq!(list[0]["number"], n);
    assert_eq!(list[0]["owner"], CLERK);
    for (at, step) in [
        (
            "2026-09-30T10:05",
            format!("case assign {n} --as 张小明 --dept 护理部 --mode written"),
        ),
        (
            "2026-10-09T15:00",
            format!(
                "case reply {n} --as 张小明 --verdict justified --facts 确有其事 --responsible 当班护士 --measures 培训"
            ),
        ),
        (
            "2026-10-09T16:00",
            format!("case feedback {n} --as 张小明 --method phone --text 已告知"),
        ),
        (
            "2026-10-12T10:00",
            format!("case visit {n} --as 张小明 --method phone --satisfaction satisfied --comment 满意"),
        ),
        ("2026-10-12T10:30", format!("case close {n} --as 张小明")),
    ] {
        service.ok(&desk, Some(at), a, &step);
    }
    // The second clerk reads the closed case, its times the clerk's training clock.
    let c = json(&service.ok(&desk, None, b, &format!("case show {n} --json --as 李静")));
    assert_eq!(c["state"], "closed");
    assert_eq!(c["closed_at"], "2026-10-12T10:30:00+08:00");
    // A file asked for is written by the clerk's own process, theirs only.
    let out = desk.path("report.txt");
    service.ok(
        &desk,
        None,
        Some(ADMIN_PIN),
        &["report", "--as", ADMIN, "--out", out.to_str().unwrap()],
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().contains("受理"));
    // A file to apply is read by the clerk's process and sent.
    let policy = desk.path("policy-for-desk.toml");
    std::fs::write(&policy, "[deadlines]\nlate_entry_hours = 24\n").unwrap();
    let said = service.ok(
        &desk,
        None,
        Some(ADMIN_PIN),
        &["policy", "apply", policy.to_str().unwrap(), "--as", ADMIN],
    );
    assert!(!said.is_empty());
    assert!(
        service
            .ok(&desk, None, None, "policy")
            .contains("late_entry_hours = 24")
    );
    // Nothing was made where the clerk's environment pointed.
    assert!(!desk.path("not-here").exists());
}

#[test]
fn the_service_refuses_what_belongs_on_the_host_and_a_second_service() {
    let desk = Desk::new();
    let service = Service::start(&desk, None);
    let out = service.run(&desk, None, Some(ADMIN_PIN), &["backup", "x.db"]);
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("接待台账户"));
    assert!(!desk.path("x.db").exists());
    // A second service on the same socket does not start, and the first goes on.
    let second = Command::new(BIN)
        .args(["serve", "--socket"])
        .arg(&service.socket)
        .env_clear()
        .envs(desk.env_at(&desk.now()))
        .env_remove("CASEDESK_NOW")
        .output()
        .unwrap();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("已有接待台服务"));
    service.ok(&desk, None, None, "case list");
}

#[test]
fn a_real_desk_served_takes_no_clock_from_the_clerk() {
    let desk = Desk::empty();
    // A real desk: made without --training.
    let out = Command::new(BIN)
        .args(["init", "--admin", ADMIN])
        .env_clear()
        .envs(desk.env_at(&desk.now()))
        .env_remove("CASEDESK_NOW")
        .env("CASEDESK_NEW_PIN", ADMIN_PIN)
        .output()
        .unwrap();
    expect_code(&out, 0);
    let service = Service::start(&desk, None);
    let out = service.run(&desk, Some("2020-01-01T10:00"), None, "case list");
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("CASEDESK_NOW"));
    service.ok(&desk, None, None, "case list");
}

#[test]
fn the_service_sweeps_overdue_cases_by_itself() {
    let desk = Desk::new();
    let n = desk.intake("--summary 化验单迟迟不出 --name 刘伟 --dept 护理部");
    desk.ok(
        Some(CLERK_PIN),
        &format!("case assign {n} --as 张小明 --dept 护理部 --mode phone"),
    );
    // Three weeks on, nobody has run a sweep: the service does, as `system`.
    let service = Service::start(&desk, Some("2026-10-20T10:00"));
    let start = Instant::now();
    loop {
        let c = json(&service.ok(&desk, None, None, &format!("case show {n} --json")));
        let by_system = c["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "escalated" && e["actor"] == "system");
        if by_system {
            assert!(c["level"].as_u64().unwrap() >= 1);
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no sweep: {c}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // After its sweep the service wrote the chain's head to its anchor file,
    // which `check` on the host holds the desk to.
    let anchors = std::fs::read_to_string(desk.path("anchors.txt")).unwrap();
    assert!(
        anchors
            .lines()
            .any(|l| l.split_whitespace().count() >= 2 && !l.starts_with('#'))
    );
    desk.ok(
        None,
        &["check", "--anchors", desk.path("anchors.txt").to_str().unwrap()],
    );
    // Through the service, anchor files are the host's business.
    let out = service.run(&desk, None, None, &["check", "--anchors", "anchors.txt"]);
    expect_code(&out, 2);
}

/// The clerk's end in memory: what was printed, how often a PIN was asked.
#[derive(Default)]
struct Captured {
    pin: Option<String>,
    out: String,
    err: String,
    asked: usize,
}

impl Near for Captured {
    fn line(&mut self, stream: Stream, text: &str) -> std::io::Result<()> {
        let to = if stream == Stream::Out {
            &mut self.out
        } else {
            &mut self.err
        };
        to.push_str(text);
        to.push('\n');
        Ok(())
    }

    fn pin(&mut self, _var: &str, _prompt: &str) -> Option<String> {
        self.asked += 1;
        self.pin.clone()
    }

    fn read(&mut self, _path: &Path) -> std::io::Result<Option<Vec<u8>>> {
        Ok(None)
    }

    fn write(&mut self, _path: &Path, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_signed_in_connection_is_not_asked_for_the_pin_again_until_the_account_is_closed() {
    let desk = Desk::new();
    let service = Service::start(&desk, None);
    let mut client = Client::connect(&service.socket, Lang::Zh).unwrap();
    let mut near = Captured {
        pin: Some(CLERK_PIN.into()),
        ..Captured::default()
    };
    let new = "case new --as 张小明 --channel phone --kind inquiry --summary 问门诊时间 --name 赵敏".words();
    assert_eq!(client.run(&new, Lang::Zh, None, &mut near).unwrap(), 0, "{}", near.err);
    assert_eq!(client.run(&new, Lang::Zh, None, &mut near).unwrap(), 0, "{}", near.err);
    assert_eq!(near.asked, 1, "signed in once for the connection");
    assert_eq!(near.out.lines().collect::<Vec<_>>(), ["2026-000001", "2026-000002"]);
    // Another name on the same connection is asked for.
    let other = "case list --as 管理员".words();
    near.pin = Some("000000".into());
    assert_ne!(client.run(&other, Lang::Zh, None, &mut near).unwrap(), 0);
    assert_eq!(near.asked, 2);
    // Deactivated elsewhere: the connection's sign-in no longer counts.
    service.ok(
        &desk,
        None,
        Some(ADMIN_PIN),
        "staff deactivate --name 张小明 --as 管理员",
    );
    near.err.clear();
    let code = client.run(&new, Lang::Zh, None, &mut near).unwrap();
    assert_ne!(code, 0);
    assert!(!near.err.is_empty());
}

#[test]
fn a_client_of_another_protocol_version_is_told_so_in_both_languages() {
    use casedesk::service::wire::{Down, Up, recv, send};
    let desk = Desk::new();
    let service = Service::start(&desk, None);
    let mut stream = std::os::unix::net::UnixStream::connect(&service.socket).unwrap();
    send(
        &mut stream,
        &Up::Hello {
            protocol: 999,
            version: "9.9.9".into(),
        },
    )
    .unwrap();
    match recv::<Down>(&mut stream).unwrap() {
        Some(Down::Refused { message, code }) => {
            assert_eq!(code, 2);
            assert!(
                message.contains("协议 999") && message.contains("protocol 999"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // And a service that is not there says how to find out why.
    match Client::connect(&desk.path("none.sock"), Lang::En) {
        Err(ClientError::Unreachable(m)) => assert!(m.contains("systemctl status casedesk"), "{m}"),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("connected to nothing"),
    }
}

#[test]
fn the_screens_through_the_service_refresh_when_another_terminal_writes_and_end_when_it_stops() {
    let desk = Desk::new();
    let mut service = Service::start(&desk, None);
    let socket = service.socket.display().to_string();
    let mut tui = Tui::spawn_with(
        &desk,
        100,
        30,
        &[BIN],
        &[("CASEDESK_SERVER", &socket), ("CASEDESK_DB", "/nonexistent/desk.db")],
        desk.dir(),
    );
    tui.sign_in();
    service.ok(
        &desk,
        None,
        Some(CLERK_PIN),
        "case new --as 张小明 --channel visit --kind complaint --summary 挂号窗口排队太久 --name 李四",
    );
    tui.wait_for("挂号窗口排队太久");
    tui.key(Key::Enter);
    tui.wait_for("首接人 张小明");
    // The service stops: the screen says so and the terminal is given back.
    assert!(service.stop().success());
    tui.wait_for("接待台服务正在停止");
    assert!(tui.wait_exit(Duration::from_secs(10)).is_some());
    assert!(std::fs::read_to_string(&service.log).unwrap().contains("已停止"));
}

#[test]
fn a_page_saved_from_the_screens_through_the_service_lands_in_the_clerks_folder() {
    let desk = Desk::new();
    desk.add_staff(support::SUPERVISOR, "supervisor", support::SUPERVISOR_PIN);
    let service = Service::start(&desk, None);
    let socket = service.socket.display().to_string();
    let mine = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_with(
        &desk,
        100,
        30,
        &[BIN],
        &[("CASEDESK_SERVER", &socket), ("CASEDESK_DB", "/nonexistent/desk.db")],
        mine.path(),
    );
    tui.wait_for("登录（输入姓名或拼音首字母");
    tui.send("czg");
    tui.key(Key::Enter);
    tui.send(support::SUPERVISOR_PIN);
    tui.key(Key::Enter);
    tui.wait_for("陈主管（主管）");
    tui.send("S");
    tui.send("e");
    tui.wait_for("已导出");
    let saved: Vec<PathBuf> = std::fs::read_dir(mine.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}\n{}", tui.screen());
    assert!(saved[0].file_name().unwrap().to_string_lossy().starts_with("report-"));
    let mode = std::fs::metadata(&saved[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&saved[0]).unwrap().contains("<html"));
    // Nothing was left beside the desk file.
    let beside = std::fs::read_dir(desk.dir())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html"))
        .count();
    assert_eq!(beside, 0);
}

/// Whether this test runs as root (who can act as another OS user).
fn root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
}

#[test]
fn a_clerk_who_cannot_open_the_file_works_through_the_service_and_not_without_it() {
    if !root() {
        eprintln!("skipped: acting as another OS user needs root (setpriv)");
        return;
    }
    let nobody = |args: &[&str]| {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
            .args(args);
        c
    };
    if !nobody(&["--version"]).output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: the test binary cannot be run as nobody here");
        return;
    }
    let desk = Desk::new();
    let service = Service::start(&desk, None);
    // The desk's folder can be passed through but not read; the file is the
    // service account's alone; the socket is open to the clerk.
    std::fs::set_permissions(desk.dir(), std::fs::Permissions::from_mode(0o711)).unwrap();
    std::fs::set_permissions(&service.socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let mode = std::fs::metadata(desk.db()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the service keeps the desk file private");
    let home = tempfile::tempdir().unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = |server: bool| {
        let mut c = nobody(&[
            "case",
            "new",
            "--as",
            CLERK,
            "--channel",
            "phone",
            "--kind",
            "inquiry",
            "--summary",
            "问路",
            "--name",
            "赵敏",
        ]);
        c.env_clear()
            .env("HOME", home.path())
            .env("CASEDESK_PIN", CLERK_PIN)
            .current_dir(home.path())
            .stdin(Stdio::null());
        if server {
            c.env("CASEDESK_SERVER", &service.socket);
        } else {
            c.env("CASEDESK_DB", desk.db());
        }
        c.output().unwrap()
    };
    let through = run(true);
    expect_code(&through, 0);
    assert_eq!(String::from_utf8_lossy(&through.stdout).trim(), "2026-000001");
    let direct = run(false);
    assert_ne!(direct.status.code(), Some(0), "opened the desk file directly");
    assert_eq!(direct.stdout, b"", "no case number without a case");
    let listed = desk.list("");
    assert_eq!(listed.len(), 1);
}

#[test]
fn the_shipped_systemd_unit_starts_the_service_with_flags_it_has() {
    use clap::Parser as _;
    let unit =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/systemd/casedesk.service")).unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = exec.split_whitespace();
    assert!(words.next().unwrap().ends_with("/casedesk"));
    let cli = casedesk::cli::Cli::try_parse_from(std::iter::once("casedesk").chain(words)).unwrap();
    assert!(matches!(cli.command, Some(casedesk::cli::Cmd::Serve(_))));
    // The service account alone has the file; the group reaches the socket.
    for line in [
        "User=casedesk",
        "StateDirectoryMode=0700",
        "RuntimeDirectoryMode=0750",
        "UMask=0077",
    ] {
        assert!(unit.lines().any(|l| l == line), "{line}");
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("assets/systemd/casedesk.service"));
}

/// A workbook asked for through the service lands whole in the clerk's own
/// file; without `--out` it is refused (the clerk's end is told text lines).
#[test]
fn an_xlsx_through_the_service_lands_in_the_clerks_file() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let desk = Desk::new();
    desk.intake("--summary 夜班护士态度生硬 --name 王芳 --phone 075588886666");
    let service = Service::start(&desk, None);
    let file = desk.path("cases.xlsx");
    let said = service.ok(
        &desk,
        None,
        None,
        &["export", "--format", "xlsx", "--out", file.to_str().unwrap()],
    );
    assert!(said.contains("已导出 1 个案件"), "{said}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&file).unwrap())).unwrap();
    let rows: Vec<Vec<Data>> = book
        .worksheet_range("案件")
        .unwrap()
        .rows()
        .map(<[Data]>::to_vec)
        .collect();
    assert!(rows[1].contains(&Data::String("075588886666".into())), "{rows:?}");
    for args in [["export", "--format", "xlsx"], ["report", "--format", "xlsx"]] {
        let out = service.run(&desk, None, None, &args);
        expect_code(&out, 2);
        assert!(String::from_utf8_lossy(&out.stderr).contains("--out"), "{out:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_dash_through_the_service_is_the_clerk_s_own_standard_input_and_output() {
    let desk = Desk::new();
    let number = desk.intake(&["--name", "李女士", "--summary", "经服务导出的案件"]);
    let service = Service::start(&desk, None);
    let export = service.ok(&desk, None, None, &["export", "--out", "-"]);
    assert!(
        export.contains(&number) && export.trim_start().starts_with('{'),
        "{export}"
    );
    assert!(!desk.path("-").exists());

    let other = Desk::new();
    let other_service = Service::start(&other, None);
    let mut child = other_service
        .command(&other, None, Some(ADMIN_PIN), &["import", "-", "--as", ADMIN])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), export.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    expect_code(&out, 0);
    assert_eq!(other.show(&number)["summary"], "经服务导出的案件");
}

#[test]
fn a_file_is_attached_and_taken_out_on_the_clerks_side_of_the_service() {
    let desk = Desk::new();
    let n = desk.intake("--summary 水费账单多收 --name 王芳");
    let service = Service::start(&desk, Some(T0));
    // Relative paths are the clerk's: the service's own folder is elsewhere.
    let letter = b"%PDF-1.4\n% a scanned bill\n%%EOF\n";
    std::fs::write(desk.path("账单.pdf"), letter).unwrap();
    let out = service.ok(
        &desk,
        Some(T0),
        Some(CLERK_PIN),
        &["case", "attach", &n, "账单.pdf", "--as", CLERK],
    );
    assert!(out.contains("附件 #1"), "{out}");
    service.ok(
        &desk,
        Some(T0),
        None,
        &["case", "attachment", &n, "1", "--out", "taken.pdf"],
    );
    assert_eq!(std::fs::read(desk.path("taken.pdf")).unwrap(), letter);
    // Opening needs the clerk's own viewer: refused through the service, saying how.
    let out = service.run(&desk, Some(T0), None, &["case", "attachment", &n, "1", "--open"]);
    expect_code(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
}
