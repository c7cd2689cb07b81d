//! Master rates: one per room type x rate plan, the unit daily rates and restrictions are set on.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

/// Opens a master rate (enabled, no perks) for a room type and a rate plan. Run inside the
/// transaction that creates either of them, so the pair never exists without its master rate.
/// Binds: id, property id, room type id, rate plan id, creation time.
pub(crate) const INSERT_MASTER_RATE: &str = "INSERT INTO master_rates (id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, TRUE, '[]', $5, $5, 1)";

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MasterRate {
    pub id: Uuid,
    pub property_id: Uuid,
    pub room_type_id: Uuid,
    pub rate_plan_id: Uuid,
    pub enabled: bool,
    /// Codes of the perks offered with it (the API's perk catalogue), in the order set.
    pub perks: Json<Vec<String>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str =
    "id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at, version";

/// The order master rates are listed and their rates answered in.
pub(crate) const ORDER: &str = "created_at, id";

impl Store {
    /// The property's master rates, oldest first.
    pub async fn master_rates(&self, property: Uuid) -> Result<Vec<MasterRate>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM master_rates WHERE property_id = $1 ORDER BY {ORDER}");
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, MasterRate>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    pub async fn master_rate(&self, property: Uuid, id: Uuid) -> Result<MasterRate, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM master_rates WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, MasterRate>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Enables or disables a master rate. With `expected_version`, refuses
    /// ([`StoreError::Stale`]) when the stored version differs; the version goes up by one.
    pub async fn toggle_master_rate(
        &self,
        property: Uuid,
        id: Uuid,
        enabled: bool,
        now: DateTime<Utc>,
        expected_version: Option<i64>,
    ) -> Result<MasterRate, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE master_rates SET enabled = $3, updated_at = $4, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($5 IS NULL OR version = $5)")
            .bind(property).bind(id).bind(enabled).bind(now).bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(changed, || self.master_rate(property, id), |m| m.version).await
    }

    /// Replaces the perks offered with a master rate. With `expected_version`, refuses
    /// ([`StoreError::Stale`]) when the stored version differs; the version goes up by one.
    pub async fn set_master_rate_perks(
        &self,
        property: Uuid,
        id: Uuid,
        perks: &[String],
        now: DateTime<Utc>,
        expected_version: Option<i64>,
    ) -> Result<MasterRate, StoreError> {
        let perks = Json(perks.to_vec());
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE master_rates SET perks = $3, updated_at = $4, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($5 IS NULL OR version = $5)")
            .bind(property).bind(id).bind(&perks).bind(now).bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(changed, || self.master_rate(property, id), |m| m.version).await
    }
}
