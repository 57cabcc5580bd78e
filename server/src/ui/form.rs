//! The connect form, generic over connectors: config fields from the spec's `config`,
//! credential fields from each auth scheme's `fields`, one button per OAuth scheme (when a
//! client is configured). Parses what comes back ([`Submission`]) and builds the view
//! ([`FormView`]) that keeps what the user typed — except secret fields, never echoed.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde_json::{Map, Value, json};
use toolwire_spec::{AuthScheme, ConnectorSpec};

use crate::error::ServerError;

/// Largest accepted form body (16 KiB: a few fields).
pub const FORM_LIMIT: usize = 16 * 1024;

/// An `application/x-www-form-urlencoded` body of at most [`FORM_LIMIT`] bytes.
pub struct UiForm(pub Vec<(String, String)>);

impl UiForm {
    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for UiForm {
    type Rejection = super::PageError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let ct = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !ct.starts_with("application/x-www-form-urlencoded") {
            return Err(ServerError::InvalidRequest(
                "expected a form (application/x-www-form-urlencoded)".into(),
            )
            .into());
        }
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > FORM_LIMIT) {
            return Err(ServerError::BodyTooLarge { limit: FORM_LIMIT }.into());
        }
        let bytes = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| ServerError::BodyTooLarge { limit: FORM_LIMIT })?;
        Ok(UiForm(
            url::form_urlencoded::parse(&bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }
}

/// What the user chose and typed.
pub struct Submission {
    /// The auth scheme (the pressed button).
    pub scheme: String,
    /// True for OAuth schemes.
    pub oauth: bool,
    /// Config values (`config.<name>`).
    pub config: Map<String, Value>,
    /// Credential fields of the scheme (`<scheme>.<field>`), trimmed.
    pub credentials: Vec<(String, String)>,
    /// Non-secret values to show again (by input name).
    pub keep: Map<String, Value>,
}

impl Submission {
    /// Reads the form against the spec.
    pub fn parse(spec: &ConnectorSpec, form: &UiForm) -> Result<Self, ServerError> {
        let field_schemes: Vec<&String> = spec
            .auth
            .iter()
            .filter(|(_, s)| s.fields().is_some())
            .map(|(n, _)| n)
            .collect();
        let scheme = match form.get("scheme") {
            Some(s) => s.to_string(),
            None if field_schemes.len() == 1 => field_schemes[0].clone(),
            None => {
                return Err(ServerError::InvalidRequest(
                    "choose how to connect (press one of the buttons)".into(),
                ));
            }
        };
        let auth = spec.auth.get(&scheme).ok_or_else(|| {
            ServerError::InvalidRequest(format!(
                "{} has no way to connect named `{scheme}`",
                spec.title
            ))
        })?;
        let mut keep = Map::new();
        let mut config = Map::new();
        for name in spec.config.keys() {
            let key = format!("config.{name}");
            let v = form.get(&key).unwrap_or_default().to_string();
            keep.insert(key, json!(v));
            config.insert(name.clone(), json!(v));
        }
        let mut credentials = Vec::new();
        for (s_name, s) in &spec.auth {
            for (f_name, f) in s.fields().into_iter().flatten() {
                let key = format!("{s_name}.{f_name}");
                let v = form.get(&key).unwrap_or_default().trim().to_string();
                if !f.secret {
                    keep.insert(key, json!(v));
                }
                if *s_name == scheme {
                    credentials.push((f_name.clone(), v));
                }
            }
        }
        Ok(Submission {
            scheme,
            oauth: matches!(auth, AuthScheme::Oauth2AuthorizationCode { .. }),
            config,
            credentials,
            keep,
        })
    }
}

/// An error to show on the form: a message and, when it is about one config field, that field.
pub struct FormError {
    /// Heading.
    pub heading: String,
    /// What is wrong and what to do.
    pub message: String,
    /// Stable code.
    pub code: &'static str,
    /// The input name the error is about (`config.subdomain`).
    pub field: Option<String>,
}

impl FormError {
    /// From any error (runtime messages never hold secrets).
    pub fn from_error(e: &ServerError, vendor: &str) -> Self {
        let (heading, field) = match e {
            ServerError::Runtime(r) => match r.as_ref() {
                toolwire_runtime::Error::InvalidConfig { field, .. } => (
                    format!("Check your {vendor} address"),
                    Some(format!("config.{field}")),
                ),
                toolwire_runtime::Error::InvalidCredentials { .. } => {
                    (format!("{vendor} did not accept these credentials"), None)
                }
                _ if e.http_status().is_server_error() => {
                    (format!("We could not reach {vendor}"), None)
                }
                _ => ("We could not connect".to_string(), None),
            },
            _ => ("We could not connect".to_string(), None),
        };
        FormError {
            heading,
            message: e.to_string(),
            code: e.code(),
            field,
        }
    }
}

/// Everything the connect template needs besides the link and CSRF token.
pub struct FormView<'a> {
    /// The connector.
    pub spec: &'a ConnectorSpec,
    /// Values to put back into inputs (by input name).
    pub values: Map<String, Value>,
    /// Show OAuth buttons.
    pub oauth_enabled: bool,
    /// The error, if the last attempt failed.
    pub error: Option<FormError>,
    /// Why the page is shown again (REVOKED / EXPIRED ... status message).
    pub notice: Option<(String, String)>,
}

/// One input to render.
struct Input<'a> {
    name: String,
    label: &'a str,
    help: &'a str,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
    placeholder: Option<&'a str>,
    secret: bool,
}

impl FormView<'_> {
    fn input(&self, i: Input<'_>) -> Value {
        let id = format!("f-{}", i.name.replace(['.', ' '], "-"));
        let error = self
            .error
            .as_ref()
            .filter(|e| e.field.as_deref() == Some(i.name.as_str()))
            .map(|e| e.message.clone());
        let mut describedby = Vec::new();
        if !i.help.is_empty() {
            describedby.push(format!("{id}-help"));
        }
        if error.is_some() {
            describedby.push(format!("{id}-error"));
        }
        let value = if i.secret {
            json!("")
        } else {
            self.values.get(&i.name).cloned().unwrap_or(json!(""))
        };
        json!({"id": id, "name": i.name, "label": i.label, "help": i.help,
               "help_id": format!("{id}-help"), "error": error, "error_id": format!("{id}-error"),
               "describedby": describedby.join(" "), "type": i.kind,
               "autocomplete": i.autocomplete, "required": i.required,
               "placeholder": i.placeholder, "value": value})
    }

    /// The template context.
    pub fn context(
        &self,
        identifier: &str,
        action: &str,
        csrf: &str,
        expires: &chrono::DateTime<chrono::Utc>,
    ) -> Value {
        let config: Vec<Value> = self
            .spec
            .config
            .iter()
            .map(|(n, c)| {
                self.input(Input {
                    name: format!("config.{n}"),
                    label: &c.title,
                    help: c.description.trim(),
                    kind: "text",
                    autocomplete: "off",
                    required: true,
                    placeholder: c.example.as_deref(),
                    secret: false,
                })
            })
            .collect();
        let mut schemes = Vec::new();
        let mut oauth = Vec::new();
        for (name, s) in &self.spec.auth {
            match s.fields() {
                Some(fields) => {
                    let fields: Vec<Value> = fields
                        .iter()
                        .map(|(f, d)| {
                            let (kind, autocomplete) = match (d.secret, d.format.as_deref()) {
                                (true, _) => ("password", "off"),
                                (false, Some("email")) => ("email", "email"),
                                _ => ("text", "off"),
                            };
                            self.input(Input {
                                name: format!("{name}.{f}"),
                                label: &d.title,
                                help: d.description.trim(),
                                kind,
                                autocomplete,
                                required: false,
                                placeholder: None,
                                secret: d.secret,
                            })
                        })
                        .collect();
                    schemes.push(json!({"name": name, "legend": s.title(),
                        "button": format!("Connect with {}", s.title()),
                        "button_id": format!("connect-{name}"), "fields": fields}));
                }
                None if self.oauth_enabled
                    && matches!(s, AuthScheme::Oauth2AuthorizationCode { .. }) =>
                {
                    oauth.push(json!({"name": name, "title": s.title(),
                        "button_id": format!("connect-{name}")}));
                }
                None => {}
            }
        }
        json!({
            "title": format!("Connect your {}", self.spec.title),
            "vendor": self.spec.title,
            "identifier": identifier,
            "action": action,
            "csrf": csrf,
            "config": config,
            "schemes": schemes,
            "oauth": oauth,
            "error": self.error.as_ref().map(|e| json!({"heading": e.heading, "message": e.message, "code": e.code})),
            "notice": self.notice.as_ref().map(|(h, t)| json!({"heading": h, "text": t})),
            "expires_at": expires.to_rfc3339(),
            "expires_at_text": expires.format("%Y-%m-%d %H:%M UTC").to_string(),
        })
    }
}
