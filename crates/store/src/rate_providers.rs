//! A property's rate provider (the contract's channel manager): the one other account whose
//! clients may read and write the property's rates, restrictions and availability.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RateProvider {
    pub property_id: Uuid,
    pub account_id: Uuid,
    /// The name the owner gave the provider.
    pub label: String,
    /// The application that set it.
    pub set_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// The property's rate provider, if it has one.
    pub async fn rate_provider(&self, property: Uuid) -> Result<Option<RateProvider>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, RateProvider>(
            "SELECT property_id, account_id, label, set_by, created_at FROM property_rate_providers WHERE property_id = $1")
            .bind(property).fetch_optional(pool).await)?,
        )
    }

    /// Makes `p.account_id` the property's rate provider, in place of any other.
    pub async fn set_rate_provider(&self, p: &RateProvider) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO property_rate_providers (property_id, account_id, label, set_by, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (property_id) DO UPDATE SET account_id = excluded.account_id,
                label = excluded.label, set_by = excluded.set_by, created_at = excluded.created_at")
            .bind(p.property_id).bind(p.account_id).bind(&p.label).bind(p.set_by).bind(p.created_at)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes the property's rate provider (nothing when it has none).
    pub async fn remove_rate_provider(&self, property: Uuid) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query("DELETE FROM property_rate_providers WHERE property_id = $1")
            .bind(property).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
