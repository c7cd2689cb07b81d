//! Sales channels: a property (the supplier) sells to an owner, another account on this server.
//! One channel per owner per property.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SalesChannel {
    pub id: Uuid,
    pub property_id: Uuid,
    pub owner_account_id: Uuid,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A channel with what its answers show of the property and the owner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SalesChannelView {
    pub id: Uuid,
    pub property_id: Uuid,
    pub property_name: String,
    pub owner_account_id: Uuid,
    pub owner_name: String,
    /// The owner's managing-entity type (the channel's `subType`).
    pub owner_entity_type: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const VIEW: &str = "SELECT c.id, c.property_id, p.name AS property_name, c.owner_account_id, a.name AS owner_name,
        a.entity_type AS owner_entity_type, c.enabled, c.created_at, c.updated_at, c.version
     FROM sales_channels c JOIN properties p ON p.id = c.property_id JOIN accounts a ON a.id = c.owner_account_id";

impl Store {
    /// Stores a new channel. A second channel for the same owner and property is a
    /// [`StoreError::Conflict`]; the owner must exist (checked by the caller, enforced here too).
    pub async fn create_sales_channel(&self, c: &SalesChannel) -> Result<(), StoreError> {
        let inserted = on_pool!(&self.write, p => sqlx::query(
            "INSERT INTO sales_channels (id, property_id, owner_account_id, enabled, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (property_id, owner_account_id) DO NOTHING")
            .bind(c.id).bind(c.property_id).bind(c.owner_account_id).bind(c.enabled)
            .bind(c.created_at).bind(c.updated_at).bind(c.version)
            .execute(p).await.map(|r| r.rows_affected()))?;
        if inserted == 0 {
            return Err(StoreError::Conflict(
                "the property already has a sales channel for this owner".into(),
            ));
        }
        Ok(())
    }

    /// The property's channels, oldest first.
    pub async fn sales_channels(
        &self,
        property: Uuid,
    ) -> Result<Vec<SalesChannelView>, StoreError> {
        let sql = format!("{VIEW} WHERE c.property_id = $1 ORDER BY c.created_at, c.id");
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).fetch_all(p).await)?,
        )
    }

    pub async fn sales_channel(
        &self,
        property: Uuid,
        id: Uuid,
    ) -> Result<SalesChannelView, StoreError> {
        let sql = format!("{VIEW} WHERE c.property_id = $1 AND c.id = $2");
        on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).bind(id).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// The property's channel to `owner`.
    pub async fn sales_channel_of_owner(
        &self,
        property: Uuid,
        owner: Uuid,
    ) -> Result<SalesChannelView, StoreError> {
        let sql = format!("{VIEW} WHERE c.property_id = $1 AND c.owner_account_id = $2");
        on_pool!(&self.read, p => sqlx::query_as::<_, SalesChannelView>(&sql).bind(property).bind(owner).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }
}
