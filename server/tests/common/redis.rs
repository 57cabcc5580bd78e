//! The test Redis: `TOOLWIRE_TEST_REDIS_URL`, else `redis://127.0.0.1:6379` when something
//! answers there; `None` (and a loud `SKIPPED` line) otherwise. Tests keep apart through a
//! key prefix of their own ([`prefix`]).

use std::time::Duration;

pub async fn url(test: &str) -> Option<String> {
    if let Ok(url) = std::env::var("TOOLWIRE_TEST_REDIS_URL") {
        return Some(url);
    }
    let answers = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect("127.0.0.1:6379"),
    )
    .await
    .is_ok_and(|c| c.is_ok());
    if answers {
        Some("redis://127.0.0.1:6379".into())
    } else {
        eprintln!("SKIPPED {test} (set TOOLWIRE_TEST_REDIS_URL or start redis-server)");
        None
    }
}

/// A key prefix no other test uses.
pub fn prefix() -> String {
    format!("toolwire-test:{}:", uuid::Uuid::new_v4().simple())
}
