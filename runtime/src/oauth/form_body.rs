//! The body of a token endpoint's answer as JSON, whatever its encoding: some endpoints answer
//! `application/x-www-form-urlencoded` (`access_token=...&scope=repo&token_type=bearer`) unless
//! asked for JSON, so a form answer (by its content type, or a non-JSON body that reads as
//! one) becomes an object of its pairs, with integer values (`expires_in`) as numbers.

use serde_json::{Map, Value};

/// Reads the answer's body; `Null` when it is neither JSON nor a form.
pub(crate) async fn token_body(response: reqwest::Response) -> Value {
    let form_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let bytes = response.bytes().await.unwrap_or_default();
    parse(&bytes, form_type)
}

/// JSON first (unless the content type says form), then form pairs.
pub(crate) fn parse(bytes: &[u8], form_type: bool) -> Value {
    if !form_type && let Ok(json) = serde_json::from_slice::<Value>(bytes) {
        return json;
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() || !text.contains('=') || text.starts_with(['{', '[', '<']) {
        return Value::Null;
    }
    let map: Map<String, Value> = url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| {
            let value = match v.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => Value::String(v.into_owned()),
            };
            (k.into_owned(), value)
        })
        .collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_form_answer_reads_as_the_json_one_would() {
        let body = b"access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cread%3Auser&token_type=bearer&expires_in=28800&refresh_token=ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498";
        assert_eq!(
            parse(body, true),
            json!({
                "access_token": "gho_16C7e42F292c6912E7710c838347Ae178B4a",
                "scope": "repo,read:user",
                "token_type": "bearer",
                "expires_in": 28800,
                "refresh_token": "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498"
            })
        );
        // Without the content type, a body that is not JSON is still read as a form.
        assert_eq!(
            parse(
                b"error=bad_verification_code&error_description=The+code+is+wrong",
                false
            )["error"],
            "bad_verification_code"
        );
    }

    #[test]
    fn json_stays_json_and_junk_is_null() {
        assert_eq!(
            parse(br#"{"access_token":"x"}"#, false),
            json!({"access_token": "x"})
        );
        assert_eq!(parse(b"<html>oops</html>", false), Value::Null);
        assert_eq!(parse(b"", true), Value::Null);
    }
}
