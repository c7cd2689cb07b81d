//! Calendar sync: one credential per property for its iCalendar feed, and the bookings the feed
//! shows. The passkey itself is never stored, only its hash; regenerating it replaces the hash,
//! so the old passkey stops working at once.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::bookings::{Booking, COLUMNS as BOOKING_COLUMNS};
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CaldavCredential {
    /// Stable across regenerations.
    pub id: Uuid,
    pub property_id: Uuid,
    /// The passkey's keyed hash (`$hmac-sha256$…`), or the Argon2id PHC string an earlier
    /// version stored (replaced on its first use).
    pub passkey_hash: String,
    /// The application that generated the current passkey.
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str = "id, property_id, passkey_hash, created_by, created_at, updated_at, version";

impl Store {
    /// The property's credential, if one was ever generated.
    pub async fn caldav_credential(
        &self,
        property: Uuid,
    ) -> Result<Option<CaldavCredential>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM caldav_credentials WHERE property_id = $1");
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, CaldavCredential>(&sql)
            .bind(property).fetch_optional(p).await)?,
        )
    }

    /// Creates the property's credential with `passkey_hash`, or replaces the hash of the existing
    /// one (its id stays, its version goes up).
    pub async fn rotate_caldav_passkey(
        &self,
        property: Uuid,
        passkey_hash: &str,
        by: Uuid,
        at: DateTime<Utc>,
    ) -> Result<CaldavCredential, StoreError> {
        let sql = format!(
            "INSERT INTO caldav_credentials ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5, 1)
             ON CONFLICT (property_id) DO UPDATE SET passkey_hash = excluded.passkey_hash,
                created_by = excluded.created_by, updated_at = excluded.updated_at,
                version = caldav_credentials.version + 1
             RETURNING {COLUMNS}"
        );
        Ok(
            on_pool!(&self.write, p => sqlx::query_as::<_, CaldavCredential>(&sql)
            .bind(Uuid::new_v4()).bind(property).bind(passkey_hash).bind(by).bind(at)
            .fetch_one(p).await)?,
        )
    }

    /// Replaces the stored hash of the property's passkey by `new` (the same passkey, hashed
    /// anew), unless it is no longer `old`; answers whether it did. Not a change of the
    /// credential: its version stays.
    pub async fn rehash_caldav_passkey(
        &self,
        property: Uuid,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(&self.write, p => sqlx::query(
            "UPDATE caldav_credentials SET passkey_hash = $3 WHERE property_id = $1 AND passkey_hash = $2")
            .bind(property).bind(old).bind(new)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done > 0)
    }

    /// The property's bookings that depart on or after `departing_from`, by arrival: what its
    /// calendar feed shows (cancelled ones too, so calendars remove them).
    pub async fn calendar_bookings(
        &self,
        property: Uuid,
        departing_from: NaiveDate,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings WHERE property_id = $1 AND departure >= $2
             ORDER BY arrival, created_at, id"
        );
        Ok(on_pool!(&self.read, p => sqlx::query_as::<_, Booking>(&sql)
            .bind(property).bind(departing_from).fetch_all(p).await)?)
    }
}
