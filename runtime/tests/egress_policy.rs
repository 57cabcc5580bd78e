//! The egress policy through the real account path: a GitHub Enterprise Server account whose
//! host is an IP literal, `localhost`, a private, link-local or loopback address is refused
//! when it is created (`INVALID_CONFIG` naming the config field), with nothing stored; a normal
//! public name is accepted; and an operator who allows private egress may use one.

use serde_json::{Map, Value, json};
use toolwire_runtime::{Credentials, MasterKey, Store, Toolwire};

async fn runtime(dir: &std::path::Path, allow_private: bool) -> Toolwire {
    Toolwire::builder()
        .store(Store::sqlite(dir.join("t.db")).await.unwrap())
        .master_key(MasterKey::generate())
        .connector_file(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../connectors/github.yaml"
        ))
        .allow_private_egress(allow_private)
        .build()
        .await
        .unwrap()
}

fn config(api_root: &str) -> Map<String, Value> {
    json!({"api_root": api_root}).as_object().unwrap().clone()
}

fn token() -> Credentials {
    Credentials::from_fields([("token", "ghp_egress_canary_0000000000000000000000")])
}

#[tokio::test]
async fn private_and_local_enterprise_hosts_are_refused_at_account_creation() {
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), false).await;
    for (i, host) in [
        "10.0.0.1/api/v3",
        "169.254.169.254/api/v3",
        "127.0.0.1/api/v3",
        "https://192.168.1.20/api/v3",
        "localhost/api/v3",
        "[::1]/api/v3",
        "git.localhost/api/v3",
    ]
    .iter()
    .enumerate()
    {
        let identifier = format!("user_{i}");
        let err = tw
            .accounts()
            .import_credentials("github", &identifier, &config(host), Some("token"), token())
            .await
            .expect_err(host);
        assert_eq!(err.code(), "INVALID_CONFIG", "{host}: {err}");
        assert!(
            err.to_string().contains("api_root") || err.to_string().contains("GitHub API address"),
            "{host}: the error names the field: {err}"
        );
        assert!(
            tw.accounts()
                .get("github", &identifier)
                .await
                .unwrap()
                .is_none(),
            "{host}: nothing is stored"
        );
    }
}

#[tokio::test]
async fn a_public_enterprise_host_is_accepted_and_private_ones_when_the_operator_allows() {
    let dir = tempfile::tempdir().unwrap();
    let tw = runtime(dir.path(), false).await;
    tw.accounts()
        .import_credentials(
            "github",
            "public",
            &config("https://GitHub.Example.com/api/v3"),
            Some("token"),
            token(),
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let open = runtime(dir.path(), true).await;
    open.accounts()
        .import_credentials(
            "github",
            "lab",
            &config("10.0.0.1/api/v3"),
            Some("token"),
            token(),
        )
        .await
        .unwrap();
}
