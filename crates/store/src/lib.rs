//! Storage for wink-supplier: one [`Store`] in front of SQLite (the embedded default) or
//! PostgreSQL (the scale-out engine), with the same SQL and the same behaviour on both.
//!
//! Every query is written once and run on whichever engine the store was opened on (see
//! [`on_pool!`]); each engine has its own migrations folder because their column types differ.
//! Errors are storage-agnostic ([`StoreError`]), classified by `sqlx::error::ErrorKind`, never by
//! constraint name (SQLite does not report it).

/// Rooms of a room type still for sale on a night, from its `room_availability a` row (NULL
/// when there is none, as under a LEFT JOIN: none for sale): the capacity the hotel set less the
/// rooms its bookings hold, never below 0 (a capacity lowered under what is already sold leaves
/// those bookings alone and sells nothing more). A macro so that SQL constants can embed it.
macro_rules! rooms_left {
    () => {
        "(CASE WHEN a.capacity > a.sold THEN a.capacity - a.sold ELSE 0 END)"
    };
}

mod amount;
mod error;
mod pool;

pub mod accounts;
pub mod affiliate_invitations;
pub mod affiliates;
pub mod announcements;
pub mod ari_changes;
pub mod audit;
pub mod auth_revision;
pub mod backup;
pub mod booking_events;
pub mod booking_queries;
pub mod bookings;
pub mod caldav;
pub mod cancellation_policies;
pub mod channel_inventory;
pub mod channel_requests;
pub mod copy;
pub mod daily_rates;
pub mod events;
pub mod exchange_rates;
pub mod grid;
pub mod hash_keys;
pub mod idempotency;
pub mod inventory;
pub mod keys;
pub mod master_rates;
pub mod media;
pub mod notifications;
pub mod promotions;
pub mod properties;
pub mod rate_plans;
pub mod rate_providers;
pub mod rate_queries;
pub mod recognitions;
pub mod refunds;
pub mod reviews;
pub mod room_types;
pub mod sales_channels;
pub mod schedule_items;
pub mod webhooks;

pub use amount::Amount;
pub use error::StoreError;
pub use pool::{Engine, Store, StoreOptions};
pub use sqlx::types::Json;

/// `$first, $first+1, ...`: `count` bind placeholders (an `IN (...)` list, a row of values).
pub(crate) fn placeholders(count: usize, first: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($first, ...), (...)`: `rows` tuples of `width` consecutive placeholders from `$first`, for
/// a multi-row `VALUES` list.
pub(crate) fn value_rows(rows: usize, width: usize, first: usize) -> String {
    (0..rows)
        .map(|i| format!("({})", placeholders(width, first + i * width)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row's bookkeeping: every resource carries these, and a write that names a stale `version`
/// is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// The current time at the precision both engines store (microseconds: PostgreSQL's), so a
/// resource answered at creation is identical to the same resource read back later.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    stored_precision(chrono::Utc::now())
}

/// `at` at the precision both engines store (microseconds).
pub fn stored_precision(at: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    at.trunc_subsecs(6)
}
