//! The README's worked example runs as printed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

fn example() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- example:start -->").expect("example start marker");
    let end = readme.find("<!-- example:end -->").expect("example end marker");
    let block = &readme[start..end];
    let code_start = block.find("```sh\n").expect("sh block") + 6;
    let code_end = block[code_start..].find("```").expect("block end") + code_start;
    block[code_start..code_end].to_string()
}

#[test]
fn readme_worked_example_runs_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_casedesk"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-euo")
        .arg("pipefail")
        .arg("-c")
        .arg(example())
        .current_dir(dir.path())
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env_remove("CASEDESK_DB")
        .env_remove("CASEDESK_PIN")
        .env_remove("CASEDESK_LANG")
        .env_remove("CASEDESK_POLICY")
        .env_remove("CASEDESK_CALENDAR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "example failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.lines().any(|l| l == "2026-000001"), "{stdout}");
    assert!(
        stdout.contains(r#""department_reply": "2026-10-10T23:59:59+08:00""#),
        "{stdout}"
    );
    assert!(stdout.contains("refused, exit 3"), "{stdout}");
    assert!(stderr.contains("尚未回访"), "{stderr}");
    assert!(stdout.contains(r#""state": "closed""#), "{stdout}");
    assert!(stdout.contains("检查通过"), "{stdout}");
    assert!(dir.path().join("example-desk.db").exists());
}
