//! Room types (the contract's guest rooms). Creating one opens a master rate with every rate plan
//! of its property; deleting one removes its master rates, rates and availability with it.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct RoomType {
    pub id: Uuid,
    pub property_id: Uuid,
    pub name: String,
    /// Physical rooms of this type.
    pub quantity: i32,
    pub active: bool,
    pub bookable: bool,
    pub min_occupancy: i32,
    pub max_occupancy: i32,
    pub max_adults: i32,
    pub max_children: i32,
    pub included_adults: i32,
    pub included_children: i32,
    /// The descriptive content as the client sent it.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str = "id, property_id, name, quantity, active, bookable, min_occupancy, max_occupancy, max_adults, max_children, included_adults, included_children, document, created_at, updated_at, version";

impl Store {
    /// Stores a new room type and a master rate for it with each of the property's rate plans.
    pub async fn create_room_type(&self, r: &RoomType) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO room_types (id, property_id, name, quantity, active, bookable, min_occupancy, max_occupancy, max_adults, max_children, included_adults, included_children, document, created_at, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
                .bind(r.id).bind(r.property_id).bind(&r.name).bind(r.quantity).bind(r.active).bind(r.bookable)
                .bind(r.min_occupancy).bind(r.max_occupancy).bind(r.max_adults).bind(r.max_children)
                .bind(r.included_adults).bind(r.included_children).bind(&r.document)
                .bind(r.created_at).bind(r.updated_at).bind(r.version)
                .execute(&mut *tx).await?;
            let plans: Vec<(Uuid,)> = sqlx::query_as("SELECT id FROM rate_plans WHERE property_id = $1 ORDER BY created_at, id")
                .bind(r.property_id).fetch_all(&mut *tx).await?;
            for (plan,) in plans {
                sqlx::query(crate::master_rates::INSERT_MASTER_RATE)
                    .bind(Uuid::new_v4()).bind(r.property_id).bind(r.id).bind(plan).bind(r.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Stores `copy`, a copy of the room type `source` of the same property, with a master rate
    /// (enabled, no perks, no daily rates) for each rate plan `source` has one with, in one
    /// transaction. [`StoreError::NotFound`] when `source` is gone.
    pub async fn duplicate_room_type(
        &self,
        source: Uuid,
        copy: &RoomType,
    ) -> Result<(), StoreError> {
        let r = copy;
        // The source is locked (PostgreSQL) so that it cannot be deleted while its master rates
        // are copied.
        let lock = format!(
            "SELECT id FROM room_types WHERE property_id = $1 AND id = $2{}",
            self.write.for_share()
        );
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            if sqlx::query(&lock).bind(r.property_id).bind(source).fetch_optional(&mut *tx).await?.is_none() {
                return Err(StoreError::NotFound);
            }
            let plans: Vec<(Uuid,)> = sqlx::query_as(
                "SELECT rate_plan_id FROM master_rates WHERE property_id = $1 AND room_type_id = $2 ORDER BY created_at, id")
                .bind(r.property_id).bind(source).fetch_all(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO room_types (id, property_id, name, quantity, active, bookable, min_occupancy, max_occupancy, max_adults, max_children, included_adults, included_children, document, created_at, updated_at, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
                .bind(r.id).bind(r.property_id).bind(&r.name).bind(r.quantity).bind(r.active).bind(r.bookable)
                .bind(r.min_occupancy).bind(r.max_occupancy).bind(r.max_adults).bind(r.max_children)
                .bind(r.included_adults).bind(r.included_children).bind(&r.document)
                .bind(r.created_at).bind(r.updated_at).bind(r.version)
                .execute(&mut *tx).await?;
            for (plan,) in plans {
                sqlx::query(crate::master_rates::INSERT_MASTER_RATE)
                    .bind(Uuid::new_v4()).bind(r.property_id).bind(r.id).bind(plan).bind(r.created_at)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(())
    }

    pub async fn room_types(&self, property: Uuid) -> Result<Vec<RoomType>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM room_types WHERE property_id = $1 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, RoomType>(&sql).bind(property).fetch_all(pool).await)?,
        )
    }

    pub async fn room_type(&self, property: Uuid, id: Uuid) -> Result<RoomType, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM room_types WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, pool => sqlx::query_as::<_, RoomType>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Replaces a room type's content. With `expected_version`, refuses (Conflict) when the stored
    /// version differs; the version goes up by one either way.
    pub async fn update_room_type(
        &self,
        r: &RoomType,
        expected_version: Option<i64>,
    ) -> Result<RoomType, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE room_types SET name = $3, quantity = $4, active = $5, bookable = $6, min_occupancy = $7, max_occupancy = $8,
                max_adults = $9, max_children = $10, included_adults = $11, included_children = $12, document = $13,
                updated_at = $14, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($15 IS NULL OR version = $15)")
            .bind(r.property_id).bind(r.id).bind(&r.name).bind(r.quantity).bind(r.active).bind(r.bookable)
            .bind(r.min_occupancy).bind(r.max_occupancy).bind(r.max_adults).bind(r.max_children)
            .bind(r.included_adults).bind(r.included_children).bind(&r.document).bind(r.updated_at).bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(
            changed,
            || self.room_type(r.property_id, r.id),
            |r| r.version,
        )
        .await
    }

    /// Deletes a room type with its master rates, daily rates and availability. Refused while a
    /// booking that is not cancelled still holds one of its nights today or later, or while a
    /// promotion names one of its master rates.
    pub async fn delete_room_type(
        &self,
        property: Uuid,
        id: Uuid,
        today: chrono::NaiveDate,
    ) -> Result<RoomType, StoreError> {
        let existing = self.room_type(property, id).await?;
        // The row is locked before bookings are counted: a booking locks it (FOR SHARE) in its
        // own transaction, so either the booking commits first and is counted here, or it waits
        // and then finds the room type gone.
        let lock = format!(
            "SELECT id FROM room_types WHERE property_id = $1 AND id = $2{}",
            self.write.for_update()
        );
        let deleted = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            if sqlx::query(&lock).bind(property).bind(id).fetch_optional(&mut *tx).await?.is_none() {
                return Err(StoreError::NotFound);
            }
            let (held,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM booking_nights n JOIN bookings b ON b.id = n.booking_id
                 WHERE n.room_type_id = $1 AND n.day >= $2 AND b.status <> 'CANCELLED'")
                .bind(id).bind(today).fetch_one(&mut *tx).await?;
            if held > 0 {
                return Err(StoreError::Conflict(format!("the room type still has {held} booked night(s) from {today} on; cancel those bookings first")));
            }
            let promotions: Vec<crate::promotions::User> = sqlx::query_as(crate::promotions::USING_ROOM_TYPE)
                .bind(id).fetch_all(&mut *tx).await?;
            if !promotions.is_empty() {
                return Err(crate::promotions::named_by_promotions("room type", &promotions));
            }
            let n = sqlx::query("DELETE FROM room_types WHERE property_id = $1 AND id = $2")
                .bind(property).bind(id).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
