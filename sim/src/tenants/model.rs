//! Plain records stored per tenant: users, tickets, comments, organizations, groups, views, tokens.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// Ticket statuses in Zendesk's search order (new < open < pending < hold < solved < closed).
pub const STATUSES: [&str; 6] = ["new", "open", "pending", "hold", "solved", "closed"];
/// Ticket priorities in Zendesk's search order (low < normal < high < urgent).
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];
/// Ticket types.
pub const TICKET_TYPES: [&str; 4] = ["problem", "incident", "question", "task"];
/// User roles.
pub const ROLES: [&str; 3] = ["end-user", "agent", "admin"];

/// Rank of a status in [`STATUSES`], if valid.
pub fn status_rank(s: &str) -> Option<usize> {
    STATUSES.iter().position(|x| *x == s)
}

/// Rank of a priority in [`PRIORITIES`], if valid.
pub fn priority_rank(s: &str) -> Option<usize> {
    PRIORITIES.iter().position(|x| *x == s)
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub email: Option<String>,
    pub role: String,
    pub organization_id: Option<u64>,
    pub group_ids: Vec<u64>,
    pub default_group_id: Option<u64>,
    pub phone: Option<String>,
    pub verified: bool,
    pub active: bool,
    pub tags: Vec<String>,
    pub photo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn is_agent(&self) -> bool {
        self.role == "agent" || self.role == "admin"
    }
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: u64,
    pub audit_id: u64,
    pub author_id: u64,
    pub body: String,
    pub public: bool,
    pub channel: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Ticket {
    pub id: u64,
    pub external_id: Option<String>,
    pub subject: String,
    pub description: String,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub status: String,
    pub requester_id: u64,
    pub submitter_id: u64,
    pub assignee_id: Option<u64>,
    pub organization_id: Option<u64>,
    pub group_id: Option<u64>,
    pub tags: Vec<String>,
    pub custom_fields: Vec<Value>,
    pub channel: String,
    pub is_public: bool,
    pub due_at: Option<DateTime<Utc>>,
    pub comments: Vec<Comment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub solved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: u64,
    pub name: String,
    pub domain_names: Vec<String>,
    pub tags: Vec<String>,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub group_id: Option<u64>,
    pub external_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub default: bool,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who can see a view: everyone (`account`), one agent (`personal`) or a group (`shared`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewAccess {
    Account,
    Personal(u64),
    Shared(u64),
}

#[derive(Debug, Clone)]
pub struct View {
    pub id: u64,
    pub title: String,
    pub active: bool,
    pub position: u64,
    pub access: ViewAccess,
    pub conditions: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An account API token. Like Zendesk, tokens belong to the account: any active user's email
/// works with any active token. `created_for` remembers whose token it is (for rotation).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: u64,
    pub token: String,
    pub created_for: u64,
    pub active: bool,
}

/// A bearer (OAuth) access token.
#[derive(Debug, Clone)]
pub struct BearerToken {
    pub id: u64,
    pub token: String,
    pub user_id: u64,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
    pub client_id: Option<String>,
    /// The OAuth grant (authorization) this token came from, for revocation on code reuse.
    pub grant_id: Option<u64>,
}
