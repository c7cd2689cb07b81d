//! The property's inventories besides guest rooms: add-ons, spas, restaurants, meeting rooms,
//! places, attractions and activities. They differ only in their descriptive content, so they
//! share one table: each item has its [`Kind`], its name, and the request it was written with
//! (`document`). An item is only ever found under its own kind: every query names it.
//!
//! What refers to an item: promotions naming an add-on (`promotion_add_ons`, written with the
//! promotion) and schedule items (`schedule_items`). An item still referenced cannot be
//! deleted. An add-on may itself name a rate plan (`rate_plan_id`); that rate plan cannot be
//! deleted while it does (see `delete_rate_plan`).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::promotions::{User, named};
use crate::schedule_items::SCHEDULE_ITEMS_OF;
use crate::{Store, StoreError, on_pool};

/// The kinds of inventory this table holds; stored as the contract's InventoryType value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    AddOn,
    Spa,
    Restaurant,
    MeetingRoom,
    Place,
    Attraction,
    Activity,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::AddOn,
        Kind::Spa,
        Kind::Restaurant,
        Kind::MeetingRoom,
        Kind::Place,
        Kind::Attraction,
        Kind::Activity,
    ];

    /// The stored value: the contract's InventoryType value.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::AddOn => "ADD_ON",
            Kind::Spa => "SPA",
            Kind::Restaurant => "RESTAURANT",
            Kind::MeetingRoom => "MEETING_ROOM",
            Kind::Place => "PLACE",
            Kind::Attraction => "ATTRACTION",
            Kind::Activity => "ACTIVITY",
        }
    }

    /// How refusals name an item of this kind.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::AddOn => "add-on",
            Kind::Spa => "spa",
            Kind::Restaurant => "restaurant",
            Kind::MeetingRoom => "meeting room",
            Kind::Place => "place",
            Kind::Attraction => "attraction",
            Kind::Activity => "activity",
        }
    }
}

/// A stored value that is no [`Kind`].
#[derive(Debug, thiserror::Error)]
#[error("unknown inventory kind {0}")]
pub struct UnknownKind(String);

impl TryFrom<String> for Kind {
    type Error = UnknownKind;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or(UnknownKind(value))
    }
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Item {
    pub id: Uuid,
    pub property_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub name: String,
    /// An add-on's rate plan (the rate plan whose guests may buy it).
    pub rate_plan_id: Option<Uuid>,
    /// The kind's upsert request as received, after validation.
    pub document: Json<Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

const COLUMNS: &str =
    "id, property_id, kind, name, rate_plan_id, document, created_at, updated_at, version";

/// Promotions naming the add-on `$1`, oldest first.
const PROMOTIONS_USING: &str = "SELECT p.id, p.name FROM promotions p WHERE p.id IN (
        SELECT promotion_id FROM promotion_add_ons WHERE add_on_id = $1)
    ORDER BY p.created_at, p.id";

/// Add-ons restricted to the rate plan `$1`, oldest first.
pub(crate) const ADD_ONS_USING_RATE_PLAN: &str = "SELECT id, name FROM inventory_items
    WHERE rate_plan_id = $1 ORDER BY created_at, id";

impl Store {
    /// Stores a new item.
    pub async fn create_inventory_item(&self, item: &Item) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO inventory_items (id, property_id, kind, name, rate_plan_id, document, created_at, updated_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(item.id).bind(item.property_id).bind(item.kind.as_str()).bind(&item.name)
            .bind(item.rate_plan_id).bind(&item.document).bind(item.created_at).bind(item.updated_at)
            .bind(item.version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The property's items of one kind, oldest first.
    pub async fn inventory_items(
        &self,
        property: Uuid,
        kind: Kind,
    ) -> Result<Vec<Item>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM inventory_items WHERE property_id = $1 AND kind = $2 ORDER BY created_at, id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Item>(&sql).bind(property).bind(kind.as_str()).fetch_all(pool).await)?,
        )
    }

    /// One item of the property, of this kind ([`StoreError::NotFound`] for any other).
    pub async fn inventory_item(
        &self,
        property: Uuid,
        kind: Kind,
        id: Uuid,
    ) -> Result<Item, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM inventory_items WHERE property_id = $1 AND kind = $2 AND id = $3"
        );
        on_pool!(&self.read, pool => sqlx::query_as::<_, Item>(&sql).bind(property).bind(kind.as_str()).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Replaces an item's content. With `expected_version`, refuses ([`StoreError::Stale`]) when
    /// the stored version differs; the version goes up by one.
    pub async fn update_inventory_item(
        &self,
        item: &Item,
        expected_version: Option<i64>,
    ) -> Result<Item, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE inventory_items SET name = $4, rate_plan_id = $5, document = $6, updated_at = $7, version = version + 1
             WHERE property_id = $1 AND kind = $2 AND id = $3 AND ($8 IS NULL OR version = $8)")
            .bind(item.property_id).bind(item.kind.as_str()).bind(item.id).bind(&item.name)
            .bind(item.rate_plan_id).bind(&item.document).bind(item.updated_at).bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(
            changed,
            || self.inventory_item(item.property_id, item.kind, item.id),
            |i| i.version,
        )
        .await
    }

    /// Deletes an item. Refused ([`StoreError::Conflict`], naming them) while promotions name it,
    /// or while it has schedule items (saying how many).
    pub async fn delete_inventory_item(
        &self,
        property: Uuid,
        kind: Kind,
        id: Uuid,
    ) -> Result<Item, StoreError> {
        let existing = self.inventory_item(property, kind, id).await?;
        let deleted = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let promotions: Vec<User> = sqlx::query_as(PROMOTIONS_USING)
                .bind(id).fetch_all(&mut *tx).await?;
            if !promotions.is_empty() {
                return Err(StoreError::Conflict(format!(
                    "the {} is still named by promotion(s) {}; change or delete them first",
                    kind.noun(),
                    named(&promotions)
                )));
            }
            let (scheduled,): (i64,) = sqlx::query_as(SCHEDULE_ITEMS_OF)
                .bind(id).fetch_one(&mut *tx).await?;
            if scheduled > 0 {
                return Err(StoreError::Conflict(format!(
                    "the {} still has {scheduled} schedule item(s); delete them first",
                    kind.noun()
                )));
            }
            let n = sqlx::query("DELETE FROM inventory_items WHERE property_id = $1 AND kind = $2 AND id = $3")
                .bind(property).bind(kind.as_str()).bind(id).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }

    /// Promotions that name the item (only add-ons can be named), oldest first.
    pub async fn promotions_using_inventory_item(&self, id: Uuid) -> Result<Vec<User>, StoreError> {
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, User>(PROMOTIONS_USING).bind(id).fetch_all(pool).await)?,
        )
    }
}
