//! Start to the signed-in queue, and the open desk's memory, measured on the
//! real binary in a real pseudo-terminal on a demo desk of
//! `CASEDESK_BENCH_CASES` cases (default 100000), warm and with the desk's
//! file (and its write-ahead log, if one was left) dropped from the operating
//! system's cache (cold; the program's own binary stays cached).
//!
//! Two spans are machine time: start → sign-in screen drawn, and Enter on the
//! PIN → queue drawn (it includes checking the PIN, argon2 by design). Their
//! sum is "start to first drawn screen"; the clerk's typing in between is not
//! counted. Resident memory is read from `/proc` once the queue is drawn, and
//! its peak once five PageDowns and a search (its results drawn) are done.
//!
//!     cargo bench --bench startup
//!     CASEDESK_BENCH_CASES=1000000 cargo bench --bench startup
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use support::{cases, desk_paths, evict};

const BIN: &str = env!("CARGO_BIN_EXE_casedesk");
const WAIT: Duration = Duration::from_secs(30);

struct Sample {
    to_sign_in: Duration,
    to_queue: Duration,
    rss_kib: u64,
    peak_kib: u64,
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not: then one quick round.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = cases();
    let paths = desk_paths(n);
    let home = tempfile::tempdir().unwrap();
    let rounds = if quick { 1 } else { 10 };
    let mut warm = Vec::new();
    let mut cold = Vec::new();
    // One start first, so "warm" means warm.
    run(&paths, home.path());
    for _ in 0..rounds {
        warm.push(run(&paths, home.path()));
    }
    for _ in 0..rounds {
        evict(&paths.db);
        cold.push(run(&paths, home.path()));
    }
    println!("startup at {n} cases ({rounds} runs each; median / p95 / max)");
    for (name, samples) in [("warm", &warm), ("cold", &cold)] {
        let span = |f: &dyn Fn(&Sample) -> Duration| {
            let mut v: Vec<f64> = samples.iter().map(|s| f(s).as_secs_f64() * 1000.0).collect();
            v.sort_by(f64::total_cmp);
            format!("{:.1} / {:.1} / {:.1} ms", pct(&v, 50), pct(&v, 95), pct(&v, 100))
        };
        println!("  {name}: start → sign-in screen   {}", span(&|s| s.to_sign_in));
        println!("  {name}: PIN Enter → queue        {}", span(&|s| s.to_queue));
        println!(
            "  {name}: start to first screen    {}",
            span(&|s| s.to_sign_in + s.to_queue)
        );
    }
    let rss = warm.iter().chain(&cold).map(|s| s.rss_kib).max().unwrap_or(0);
    let peak = warm.iter().chain(&cold).map(|s| s.peak_kib).max().unwrap_or(0);
    println!(
        "  resident memory: {:.1} MB with the queue open; peak {:.1} MB after paging and a search",
        rss as f64 / 1024.0,
        peak as f64 / 1024.0
    );
}

fn pct(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) * p).div_ceil(100);
    sorted[i.min(sorted.len() - 1)]
}

/// One start of the desk: sign in as 张小明, page, search, read memory, quit.
fn run(paths: &casedesk::paths::Paths, home: &std::path::Path) -> Sample {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.env("CASEDESK_DB", &paths.db);
    cmd.env("CASEDESK_POLICY", &paths.policy);
    cmd.env("CASEDESK_CALENDAR", &paths.calendar);
    cmd.env("TERM", "xterm-256color");
    cmd.env("CASEDESK_LANG", "zh");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let pid = child.process_id().unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZero::new(30).unwrap(),
        std::num::NonZero::new(100).unwrap(),
        0,
    )));
    let reading = {
        let parser = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        })
    };
    let wait_until = |what: &str, drawn: &dyn Fn(&str) -> bool| {
        let began = Instant::now();
        loop {
            if drawn(&parser.lock().unwrap().screen().contents()) {
                return Instant::now();
            }
            assert!(began.elapsed() < WAIT, "{what} did not appear");
            std::thread::sleep(Duration::from_micros(200));
        }
    };
    let wait_for = |text: &str| wait_until(&format!("{text:?}"), &|screen| screen.contains(text));
    let mut send = |bytes: &[u8]| {
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
    };
    let signed_in_screen = wait_for("登录（输入姓名或拼音首字母");
    send(b"zxm");
    wait_for("姓名： zxm");
    send(b"\r");
    send(casedesk::demo::DEMO_PIN.as_bytes());
    wait_for("PIN： ••••");
    let enter = Instant::now();
    send(b"\r");
    let queue = wait_for("工作台 · 我的");
    let rss_kib = status(pid, "VmRSS:");
    // Page through the queue and search, then read the peak.
    for _ in 0..5 {
        send(b"\x1b[6~");
    }
    send("/护士".as_bytes());
    // Keys are handled in order: once the search box shows 护士 with its
    // results, the paging and the search are done.
    wait_until("the search for 护士", &|screen| {
        screen.contains("找到") && screen.lines().any(|l| l.trim_matches(['│', ' ']) == "护士")
    });
    let peak_kib = status(pid, "VmHWM:");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(pair.master);
    reading.join().unwrap();
    Sample {
        to_sign_in: signed_in_screen - start,
        to_queue: queue - enter,
        rss_kib,
        peak_kib,
    }
}

/// A field of `/proc/PID/status`, in KiB.
fn status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}
