//! [`Status`]: an account status on the wire — the runtime's
//! [`AccountStatus`](toolwire_runtime::AccountStatus), serialized by name (`PENDING_AUTH`,
//! `ACTIVE`, ...) and documented as the OpenAPI enum `AccountStatus` made from
//! [`AccountStatus::ALL`], so the document cannot drift from the runtime.

use std::borrow::Cow;

use serde::Serialize;
use toolwire_runtime::AccountStatus;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// An account status (serialized as the runtime's name for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Status(pub AccountStatus);

impl utoipa::PartialSchema for Status {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An account status."))
            .enum_values(Some(AccountStatus::ALL.iter().map(|s| s.as_str())))
            .into()
    }
}

impl utoipa::ToSchema for Status {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AccountStatus")
    }
}
