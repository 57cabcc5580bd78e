//! `toolwire spec test`: the notes example's cassettes pass (exit 0, one `ok` line each); a
//! cassette whose request differs fails (non-zero exit, `FAIL` and the diff naming it); a bad
//! cassette file is refused with located problems.

use std::process::Command;

fn toolwire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_toolwire"))
}

fn workspace(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

const NOTES: &str = "examples/connector-yaml/connectors/notes.yaml";

#[test]
fn spec_test_passes_the_example_cassettes() {
    let out = toolwire()
        .args(["spec", "test", &workspace(NOTES)])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("ok   note_create")),
        "{stdout}"
    );
    assert!(stdout.contains("5 passed, 0 failed"), "{stdout}");
}

#[test]
fn spec_test_fails_on_a_different_request_and_names_the_cassette() {
    let good = std::fs::read_to_string(workspace(
        "examples/connector-yaml/connectors/cassettes/notes.yaml",
    ))
    .unwrap();
    let bad = good.replace("path: /api/notes/99", "path: /api/notes/98");
    assert_ne!(good, bad);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.yaml");
    std::fs::write(&file, bad).unwrap();
    let out = toolwire()
        .args(["spec", "test", &workspace(NOTES), "--cassettes"])
        .arg(&file)
        .output()
        .unwrap();
    // A failed replay has its own exit code and stable code, apart from bad usage (2).
    assert_eq!(out.status.code(), Some(8));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAIL note_missing"), "{stdout}");
    assert!(
        stdout.contains("exchange 1: expected GET /api/notes/98, got GET /api/notes/99"),
        "{stdout}"
    );
    assert!(stdout.contains("4 passed, 1 failed"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note_missing"), "{stderr}");
    assert!(stderr.contains("CASSETTES_FAILED"), "{stderr}");
}

#[test]
fn spec_test_refuses_a_bad_cassette_file_with_locations() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.yaml");
    std::fs::write(
        &file,
        "spec_version: 1\nconnector: notez\ncassettes:\n  - name: x\n    steps: []\n",
    )
    .unwrap();
    let out = toolwire()
        .args(["spec", "test", &workspace(NOTES), "--cassettes"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.yaml:2:12: `connector: notez` but the spec is `notes`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("notes.yaml:4:5: a cassette lacks the required key `source`"),
        "{stderr}"
    );
    assert!(stderr.contains("notes.yaml:5:12: no steps"), "{stderr}");
}
