//! Sales channel requests: an owner (the account behind a requesting property) asks a supplier
//! property for a direct sales channel; the supplier rejects it, or accepts it by opening the
//! channel. The rules (who may ask when, what rejecting does) are `wink_domain::channel_request`;
//! this module stores the facts they need.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChannelRequest {
    pub id: Uuid,
    /// The property asked (the supplier).
    pub supplier_property_id: Uuid,
    /// The account that would own the channel: the one managing `requested_from`.
    pub owner_account_id: Uuid,
    /// The property the request was made from (the path's managing entity).
    pub requested_from: Uuid,
    pub request_type: String,
    pub introductory_message: String,
    /// REQUESTING, REJECTED or ACCEPTED.
    pub status: String,
    /// The application that made it.
    pub requested_by: Uuid,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A request with what its answers show of the supplier and the owner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChannelRequestView {
    pub id: Uuid,
    pub supplier_property_id: Uuid,
    pub supplier_name: String,
    pub owner_account_id: Uuid,
    pub owner_name: String,
    /// The owner's managing-entity type (the request's `subType`).
    pub owner_entity_type: String,
    pub request_type: String,
    pub introductory_message: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A property another account may ask for a channel: an active one.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Supplier {
    pub id: Uuid,
    pub account_id: Uuid,
}

/// What the domain needs to know before an owner asks a supplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestHistory {
    pub has_channel: bool,
    pub pending: bool,
    pub last_rejected_at: Option<DateTime<Utc>>,
}

const VIEW: &str =
    "SELECT r.id, r.supplier_property_id, p.name AS supplier_name, r.owner_account_id,
        a.name AS owner_name, a.entity_type AS owner_entity_type, r.request_type,
        r.introductory_message, r.status, r.created_at, r.updated_at, r.version
     FROM sales_channel_requests r
     JOIN properties p ON p.id = r.supplier_property_id
     JOIN accounts a ON a.id = r.owner_account_id";

/// A pending request whose owner already has a channel at the supplier is no longer pending: the
/// supplier opened the channel (and the request is marked ACCEPTED just after; this covers the
/// moment between the two writes).
const NO_CHANNEL_YET: &str = "NOT EXISTS (SELECT 1 FROM sales_channels c
     WHERE c.property_id = r.supplier_property_id AND c.owner_account_id = r.owner_account_id)";

impl Store {
    /// The active property `id`, as a supplier another account may ask; `NotFound` for any other
    /// id (unknown or not active), alike.
    pub async fn visible_supplier(&self, id: Uuid) -> Result<Supplier, StoreError> {
        on_pool!(&self.read, p => sqlx::query_as::<_, Supplier>(
            "SELECT id, account_id FROM properties WHERE id = $1 AND status = 'ACTIVE'")
            .bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Whether `owner` has a channel at `supplier`, a pending request to it, and when `supplier`
    /// last rejected one of its requests.
    pub async fn channel_request_history(
        &self,
        supplier: Uuid,
        owner: Uuid,
    ) -> Result<RequestHistory, StoreError> {
        on_pool!(&self.read, p => {
            let (channels,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM sales_channels WHERE property_id = $1 AND owner_account_id = $2")
                .bind(supplier).bind(owner).fetch_one(p).await?;
            let (pending,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM sales_channel_requests
                 WHERE supplier_property_id = $1 AND owner_account_id = $2 AND status = 'REQUESTING'")
                .bind(supplier).bind(owner).fetch_one(p).await?;
            let rejected: Option<(DateTime<Utc>,)> = sqlx::query_as(
                "SELECT decided_at FROM sales_channel_requests
                 WHERE supplier_property_id = $1 AND owner_account_id = $2 AND status = 'REJECTED'
                 ORDER BY decided_at DESC LIMIT 1")
                .bind(supplier).bind(owner).fetch_optional(p).await?;
            Ok::<_, sqlx::Error>(RequestHistory {
                has_channel: channels > 0,
                pending: pending > 0,
                last_rejected_at: rejected.map(|(t,)| t),
            })
        })
        .map_err(StoreError::from)
    }

    /// Stores a new pending request. A second pending request of the same owner to the same
    /// supplier (two racing requests) is a [`StoreError::Conflict`].
    pub async fn create_channel_request(&self, r: &ChannelRequest) -> Result<(), StoreError> {
        on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO sales_channel_requests (id, supplier_property_id, owner_account_id, requested_from,
                request_type, introductory_message, status, requested_by, decided_at, decided_by,
                created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
            .bind(r.id).bind(r.supplier_property_id).bind(r.owner_account_id).bind(r.requested_from)
            .bind(&r.request_type).bind(&r.introductory_message).bind(&r.status).bind(r.requested_by)
            .bind(r.decided_at).bind(r.decided_by).bind(r.created_at).bind(r.updated_at).bind(r.version)
            .execute(p).await.map(|r| r.rows_affected()))
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(
                "your account already has a pending request to this property".into(),
            ),
            other => other,
        })?;
        Ok(())
    }

    /// The requests awaiting `supplier`'s decision, oldest first.
    pub async fn pending_channel_requests(
        &self,
        supplier: Uuid,
    ) -> Result<Vec<ChannelRequestView>, StoreError> {
        let sql = format!(
            "{VIEW} WHERE r.supplier_property_id = $1 AND r.status = 'REQUESTING' AND {NO_CHANNEL_YET}
             ORDER BY r.created_at, r.id"
        );
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, ChannelRequestView>(&sql)
            .bind(supplier).fetch_all(p).await)?,
        )
    }

    /// A request made to `supplier` (whatever its status); `NotFound` for any other.
    pub async fn channel_request(
        &self,
        supplier: Uuid,
        id: Uuid,
    ) -> Result<ChannelRequestView, StoreError> {
        let sql = format!("{VIEW} WHERE r.supplier_property_id = $1 AND r.id = $2");
        on_pool!(&self.read, p => sqlx::query_as::<_, ChannelRequestView>(&sql)
            .bind(supplier).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Rejects a pending request of `supplier` found at `version`: the version goes up by one.
    /// A request that is no longer pending at that version (accepted or rejected meanwhile) is
    /// [`StoreError::Stale`] with the version it is at.
    pub async fn reject_channel_request(
        &self,
        supplier: Uuid,
        id: Uuid,
        version: i64,
        at: DateTime<Utc>,
        by: Uuid,
    ) -> Result<ChannelRequestView, StoreError> {
        let changed = on_pool!(&self.write, p => sqlx::query(
            "UPDATE sales_channel_requests
             SET status = 'REJECTED', decided_at = $1, decided_by = $2, updated_at = $1, version = version + 1
             WHERE supplier_property_id = $3 AND id = $4 AND status = 'REQUESTING' AND version = $5")
            .bind(at).bind(by).bind(supplier).bind(id).bind(version)
            .execute(p).await.map(|r| r.rows_affected()))?;
        crate::error::updated(
            changed,
            || self.channel_request(supplier, id),
            |r| r.version,
        )
        .await
    }

    /// Whether `owner` has a request pending at `supplier` (one the supplier may accept by
    /// opening a channel for the owner).
    pub async fn has_pending_channel_request(
        &self,
        supplier: Uuid,
        owner: Uuid,
    ) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT COUNT(*) FROM sales_channel_requests
             WHERE supplier_property_id = $1 AND owner_account_id = $2 AND status = 'REQUESTING'")
            .bind(supplier).bind(owner).fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// Marks `owner`'s pending request to `supplier` ACCEPTED (the supplier opened its channel).
    /// Answers whether there was one.
    pub async fn accept_channel_request(
        &self,
        supplier: Uuid,
        owner: Uuid,
        at: DateTime<Utc>,
        by: Uuid,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(&self.write, p => sqlx::query(
            "UPDATE sales_channel_requests
             SET status = 'ACCEPTED', decided_at = $1, decided_by = $2, updated_at = $1, version = version + 1
             WHERE supplier_property_id = $3 AND owner_account_id = $4 AND status = 'REQUESTING'")
            .bind(at).bind(by).bind(supplier).bind(owner)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(changed > 0)
    }
}
