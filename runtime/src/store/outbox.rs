//! The status-event outbox: one row per status change, written in the transaction that makes
//! the change (so one event per change however many replicas saw it), then claimed with a
//! lease by a dispatcher, delivered at least once in order per account, marked delivered or
//! dropped, and pruned after a retention period.
//!
//! Claiming takes, per account, only its oldest pending event (a later event waits until the
//! earlier one is delivered or dropped), and only when it is due and not leased by a live
//! claim. On PostgreSQL concurrent claimers skip each other's rows (`FOR UPDATE SKIP LOCKED`);
//! SQLite runs the claim as one write statement, which its single writer serialises. A claim
//! counts as an attempt, so a replica killed mid-delivery still moves the row towards its
//! attempt limit; its expired lease makes the row claimable again. A dispatcher that stops
//! gracefully hands its claims back at once ([`Store::release_outbox`]).

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::rows::parse_status;
use super::ts::{Ts, now};
use super::{AccountStatus, Backend, StatusChange, Store, StoreError};

/// One status change, as broadcast in-process and delivered as a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEvent {
    /// Stable delivery id: the same in the in-process event, the webhook body and every retry;
    /// receivers de-duplicate on it.
    pub event_id: Uuid,
    /// Account id.
    pub account_id: Uuid,
    /// Connection.
    pub connection: String,
    /// Host app's identifier.
    pub identifier: String,
    /// Previous status.
    pub from: AccountStatus,
    /// New status.
    pub to: AccountStatus,
    /// Machine reason.
    pub reason: Option<String>,
    /// Human, actionable message.
    pub message: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Where an outbox row is in its delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutboxState {
    /// Waiting for (another) attempt.
    Pending,
    /// A receiver accepted it.
    Delivered,
    /// Given up (attempts exhausted, or the receiver refused it for good).
    Dropped,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Dropped => "dropped",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "pending" => Ok(Self::Pending),
            "delivered" => Ok(Self::Delivered),
            "dropped" => Ok(Self::Dropped),
            _ => Err(StoreError::Corrupt {
                table: "status_outbox",
                detail: "unknown delivery state",
            }),
        }
    }
}

/// One outbox row: the event and its delivery bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Order of the row (per account, the delivery order).
    pub seq: i64,
    /// The event.
    pub event: StatusEvent,
    /// Where its delivery is.
    pub state: OutboxState,
    /// Attempts started so far (claims).
    pub attempts: u32,
    /// Not before this time is it claimed again.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed (never a secret: a status code or a transport error kind).
    pub last_error: Option<String>,
}

/// The columns of `status_outbox`, in [`OutboxRow`] order.
macro_rules! outbox_columns {
    () => {
        "seq, event_id, account_id, connection, identifier, from_status, to_status, reason, \
         message, at, state, attempts, next_attempt_at, last_error"
    };
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    seq: i64,
    event_id: Uuid,
    account_id: Uuid,
    connection: String,
    identifier: String,
    from_status: String,
    to_status: String,
    reason: Option<String>,
    message: Option<String>,
    at: Ts,
    state: String,
    attempts: i64,
    next_attempt_at: Ts,
    last_error: Option<String>,
}

impl TryFrom<OutboxRow> for OutboxEntry {
    type Error = StoreError;
    fn try_from(r: OutboxRow) -> Result<Self, StoreError> {
        Ok(OutboxEntry {
            seq: r.seq,
            event: StatusEvent {
                event_id: r.event_id,
                account_id: r.account_id,
                connection: r.connection,
                identifier: r.identifier,
                from: parse_status("status_outbox", &r.from_status)?,
                to: parse_status("status_outbox", &r.to_status)?,
                reason: r.reason,
                message: r.message,
                at: r.at.0,
            },
            state: OutboxState::parse(&r.state)?,
            attempts: u32::try_from(r.attempts.max(0)).unwrap_or(u32::MAX),
            next_attempt_at: r.next_attempt_at.0,
            last_error: r.last_error,
        })
    }
}

/// The event a status change makes (a fresh delivery id).
pub(crate) fn event_for(
    account_id: Uuid,
    connection: &str,
    identifier: &str,
    from: &str,
    change: &StatusChange,
    at: Ts,
) -> Result<StatusEvent, StoreError> {
    Ok(StatusEvent {
        event_id: Uuid::new_v4(),
        account_id,
        connection: connection.to_string(),
        identifier: identifier.to_string(),
        from: parse_status("accounts", from)?,
        to: change.status,
        reason: Some(change.reason.clone()),
        message: change.message.clone(),
        at: at.0,
    })
}

/// Inserts the outbox row of `$event` (a [`StatusEvent`]) inside transaction `$tx`, due now.
macro_rules! insert_outbox {
    ($tx:expr, $event:expr) => {{
        let event: &$crate::store::StatusEvent = $event;
        let at = $crate::store::ts::Ts::new(event.at);
        sqlx::query(
            "INSERT INTO status_outbox (event_id, account_id, connection, identifier, \
             from_status, to_status, reason, message, at, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(event.event_id)
        .bind(event.account_id)
        .bind(event.connection.as_str())
        .bind(event.identifier.as_str())
        .bind(event.from.as_str())
        .bind(event.to.as_str())
        .bind(event.reason.as_deref())
        .bind(event.message.as_deref())
        .bind(at)
        .execute(&mut *$tx)
        .await?
    }};
}
pub(crate) use insert_outbox;

/// The claim statement: each account's oldest pending row, when due and not leased.
fn claim_sql(backend: Backend) -> String {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    format!(
        "UPDATE status_outbox SET claimed_until = $1, claimed_by = $2, attempts = attempts + 1 \
         WHERE seq IN (SELECT o.seq FROM status_outbox o \
           WHERE o.state = 'pending' AND o.next_attempt_at <= $3 \
             AND (o.claimed_until IS NULL OR o.claimed_until < $3) \
             AND NOT EXISTS (SELECT 1 FROM status_outbox p WHERE p.account_id = o.account_id \
                             AND p.state = 'pending' AND p.seq < o.seq) \
           ORDER BY o.seq LIMIT $4{lock}) \
         RETURNING {}",
        outbox_columns!()
    )
}

impl Store {
    /// Claims up to `limit` due events for `owner` until `now + lease`: per account only the
    /// oldest pending one. Counts an attempt on each. Oldest first.
    pub async fn claim_outbox(
        &self,
        owner: Uuid,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        let at = now();
        let until = at + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::MAX);
        let sql = claim_sql(self.backend());
        let rows: Vec<OutboxRow> = on_pool!(self, |pool| {
            sqlx::query_as(sql.as_str())
                .bind(Ts::new(until))
                .bind(owner)
                .bind(Ts::new(at))
                .bind(i64::from(limit.max(1)))
                .fetch_all(pool)
                .await?
        });
        let mut claimed = rows
            .into_iter()
            .map(OutboxEntry::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        claimed.sort_by_key(|e| e.seq);
        Ok(claimed)
    }

    /// Marks a claimed event delivered (whoever holds it now: delivered is delivered).
    pub async fn outbox_delivered(&self, seq: i64) -> Result<(), StoreError> {
        self.finish_outbox(seq, OutboxState::Delivered, None).await
    }

    /// Marks a claimed event dropped, with why.
    pub async fn outbox_dropped(&self, seq: i64, error: &str) -> Result<(), StoreError> {
        self.finish_outbox(seq, OutboxState::Dropped, Some(error))
            .await
    }

    async fn finish_outbox(
        &self,
        seq: i64,
        state: OutboxState,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE status_outbox SET state = $2, done_at = $3, claimed_until = NULL, \
                 claimed_by = NULL, last_error = COALESCE($4, last_error) \
                 WHERE seq = $1 AND state = 'pending'",
            )
            .bind(seq)
            .bind(state.as_str())
            .bind(Ts::new(now()))
            .bind(error)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Schedules another attempt of an event `owner` claimed, at `next_attempt_at`, recording
    /// why this one failed. Nothing happens when the claim passed to someone else meanwhile.
    pub async fn outbox_retry_at(
        &self,
        seq: i64,
        owner: Uuid,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE status_outbox SET next_attempt_at = $3, last_error = $4, \
                 claimed_until = NULL, claimed_by = NULL \
                 WHERE seq = $1 AND claimed_by = $2 AND state = 'pending'",
            )
            .bind(seq)
            .bind(owner)
            .bind(Ts::new(next_attempt_at))
            .bind(error)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// Hands back every claim `owner` still holds (a dispatcher stopping), so the rows are
    /// claimable at once rather than when their lease ends. Attempts already counted stay
    /// counted; delivered or dropped rows are untouched. Returns how many were released.
    pub async fn release_outbox(&self, owner: Uuid) -> Result<u64, StoreError> {
        let released = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE status_outbox SET claimed_until = NULL, claimed_by = NULL \
                 WHERE claimed_by = $1 AND state = 'pending'",
            )
            .bind(owner)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(released)
    }

    /// Deletes up to `batch` rows delivered or dropped before `done_before`, or written before
    /// `any_before` whatever their state (an event too old to matter). Returns how many.
    pub async fn prune_outbox(
        &self,
        done_before: DateTime<Utc>,
        any_before: DateTime<Utc>,
        batch: u32,
    ) -> Result<u64, StoreError> {
        let deleted = on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM status_outbox WHERE seq IN (SELECT seq FROM status_outbox \
                 WHERE done_at < $1 OR at < $2 ORDER BY seq LIMIT $3)",
            )
            .bind(Ts::new(done_before))
            .bind(Ts::new(any_before))
            .bind(i64::from(batch.max(1)))
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted)
    }

    /// The outbox, oldest first (at most `limit` rows), for operators and tests.
    pub async fn list_outbox(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        let rows: Vec<OutboxRow> = on_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT ",
                outbox_columns!(),
                " FROM status_outbox ORDER BY seq LIMIT $1"
            ))
            .bind(i64::from(limit.max(1)))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(OutboxEntry::try_from).collect()
    }
}
