//! The `toolwire` binary: spec check, keys generate, demo --once.

use std::process::Command;

fn toolwire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_toolwire"))
}

fn workspace(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn spec_check_broken_spec_fails_with_locations() {
    let out = toolwire()
        .args([
            "spec",
            "check",
            &workspace("spec/tests/fixtures/broken_zendesk.yaml"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let located = stderr.lines().filter(|l| {
        let mut parts = l.split(':');
        parts
            .next()
            .is_some_and(|f| f.ends_with("broken_zendesk.yaml"))
            && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
            && parts.next().is_some_and(|n| n.parse::<u32>().is_ok())
    });
    assert!(
        located.count() >= 2,
        "every problem as file:line:column: {stderr}"
    );
}

#[test]
fn spec_check_reports_an_unknown_key_and_a_meaning_problem_together() {
    let source = std::fs::read_to_string(workspace("connectors/zendesk.yaml")).unwrap();
    let broken = source
        .replacen(
            "title: Zendesk Support\n",
            "title: Zendesk Support\nbogus: 1\n",
            1,
        )
        .replacen(
            "path: \"/users/{user_id}.json\"",
            "path: \"/users/{usr_id}.json\"",
            1,
        );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two_problems.yaml");
    std::fs::write(&file, broken).unwrap();
    let out = toolwire()
        .args(["spec", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| {
        std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .position(|l| l.contains(needle))
            .unwrap()
            + 1
    };
    for (line, message, hint) in [
        (
            line_of("bogus: 1"),
            "unknown key `bogus`",
            "hint: remove it",
        ),
        (
            line_of("{usr_id}"),
            "path parameter `{usr_id}` is not an input of `zendesk_user_get`",
            "hint: add `usr_id`",
        ),
    ] {
        let prefix = format!("{}:{line}:", file.display());
        let found = stderr
            .lines()
            .position(|l| {
                l.strip_prefix(&prefix)
                    .and_then(|rest| rest.split_once(": "))
                    .is_some_and(|(column, m)| column.parse::<u32>().is_ok() && m == message)
            })
            .unwrap_or_else(|| panic!("{prefix}<column>: {message}: {stderr}"));
        let next = stderr.lines().nth(found + 1).unwrap_or_default();
        assert!(next.trim_start().starts_with(hint), "{stderr}");
    }
}

#[test]
fn spec_check_good_spec_passes() {
    let out = toolwire()
        .args(["spec", "check", &workspace("connectors/zendesk.yaml")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn keys_generate_prints_the_key_last() {
    let out = toolwire().args(["keys", "generate"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let key = stdout.lines().last().unwrap();
    assert!(
        toolwire_runtime::MasterKey::from_base64(key).is_ok(),
        "{stdout}"
    );
}

#[test]
fn demo_once_tells_the_whole_story() {
    let dir = tempfile::tempdir().unwrap();
    let out = toolwire()
        .args(["demo", "--once", "--connectors", &workspace("connectors")])
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("TOOLWIRE_MASTER_KEY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let revoked = stdout.find("REVOKED").expect("REVOKED is shown");
    assert!(
        stdout[revoked..].contains("ACTIVE"),
        "ACTIVE after REVOKED: {stdout}"
    );
    assert!(stdout.contains("sla_watch"));
}

#[test]
fn tools_schemas_prints_every_tool_in_each_format() {
    for (format, name_at) in [
        ("mcp", "/name"),
        ("openai", "/function/name"),
        ("anthropic", "/name"),
    ] {
        let out = toolwire()
            .args([
                "tools",
                "schemas",
                &workspace("connectors/zendesk.yaml"),
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let tools: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let tools = tools.as_array().unwrap();
        assert_eq!(tools.len(), 14, "{format}");
        assert!(
            tools
                .iter()
                .any(|t| t.pointer(name_at) == Some(&serde_json::json!("zendesk_search_tickets"))),
            "{format}"
        );
    }
}

#[test]
fn tools_list_names_every_tool() {
    let out = toolwire()
        .args(["tools", "list", &workspace("connectors/zendesk.yaml")])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("zendesk_")).count(),
        14,
        "{stdout}"
    );
}

#[test]
fn mcp_refuses_a_bad_identifier_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [" acme", "", "a\nb"] {
        let out = toolwire()
            .args(["mcp", "--identifier", bad, "--connectors"])
            .arg(workspace("connectors"))
            .arg("--data-dir")
            .arg(dir.path())
            .env_remove("TOOLWIRE_MASTER_KEY")
            .env_remove("TOOLWIRE_DATABASE_URL")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains("the identifier must"), "{bad:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{bad:?}: no server started");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing opened in the data directory"
    );
}

#[test]
fn serve_takes_an_audit_retention_of_at_least_one_day() {
    let help = toolwire().args(["serve", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--audit-retention-days <DAYS>"), "{text}");
    assert!(text.contains("TOOLWIRE_AUDIT_RETENTION_DAYS"), "{text}");
    for (bad, how) in [("0", "flag"), ("x", "env")] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = toolwire();
        cmd.arg("serve").arg("--data-dir").arg(dir.path());
        if how == "flag" {
            cmd.args(["--audit-retention-days", bad]);
        } else {
            cmd.env("TOOLWIRE_AUDIT_RETENTION_DAYS", bad);
        }
        let out = cmd.stdin(std::process::Stdio::null()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(
            stderr.contains("--audit-retention-days"),
            "{bad:?}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing opened in the data directory"
        );
    }
}
