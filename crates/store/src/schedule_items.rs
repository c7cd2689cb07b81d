//! Schedule items: what a booking reserved of an inventory item (meeting room, restaurant, spa,
//! place, attraction, activity), once or as a recurring series. The store keeps each item as
//! sent plus the span its occurrences lie in (`occurs_from`, `occurs_until`), so a list reads only
//! the items that can overlap its range; the occurrences themselves are worked out by
//! `wink_domain::schedule`.
//!
//! An inventory item with schedule items cannot be deleted (see `delete_inventory_item`);
//! deleting a series deletes the items that change its occurrences (`recurrence_id`).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::error::updated;
use crate::inventory::{Item, Kind};
use crate::{Store, StoreError, on_pool};

/// The kinds of inventory that have a schedule (every kind but add-ons).
pub const SCHEDULABLE: [Kind; 6] = [
    Kind::MeetingRoom,
    Kind::Restaurant,
    Kind::Spa,
    Kind::Activity,
    Kind::Attraction,
    Kind::Place,
];

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ScheduleItem {
    pub id: Uuid,
    pub property_id: Uuid,
    pub inventory_id: Uuid,
    pub booking_id: Uuid,
    /// The series whose occurrence this item changes.
    pub recurrence_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub start_zone: String,
    pub ends_at: DateTime<Utc>,
    pub end_zone: String,
    pub all_day: bool,
    pub recurrence_rule: Option<String>,
    pub recurrence_exceptions: Json<Vec<DateTime<Utc>>>,
    pub attendees: i32,
    /// No occurrence starts before this instant.
    pub occurs_from: DateTime<Utc>,
    /// No occurrence ends after this instant (`None`: the series goes on).
    pub occurs_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// An item with what its answers show of its booking and of the inventory item.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Scheduled {
    #[sqlx(flatten)]
    pub item: ScheduleItem,
    pub booking_code: String,
    pub guest_first_name: String,
    pub guest_last_name: String,
    pub guest_email: String,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub venue_name: String,
    /// The inventory item's stored document (its contact and address).
    pub venue: Json<Value>,
}

const SELECT: &str = "SELECT s.id, s.property_id, s.inventory_id, s.booking_id, s.recurrence_id,
        s.starts_at, s.start_zone, s.ends_at, s.end_zone, s.all_day, s.recurrence_rule,
        s.recurrence_exceptions, s.attendees, s.occurs_from, s.occurs_until, s.created_at,
        s.updated_at, s.version,
        b.code AS booking_code, b.guest_first_name, b.guest_last_name, b.guest_email,
        i.kind, i.name AS venue_name, i.document AS venue
    FROM schedule_items s
    JOIN bookings b ON b.id = s.booking_id
    JOIN inventory_items i ON i.id = s.inventory_id";

/// How many schedule items the inventory item `$1` has.
pub(crate) const SCHEDULE_ITEMS_OF: &str =
    "SELECT COUNT(*) FROM schedule_items WHERE inventory_id = $1";

impl Store {
    /// The property's inventory item `id` if it is of a kind that has a schedule
    /// ([`StoreError::NotFound`] otherwise).
    pub async fn schedulable_item(&self, property: Uuid, id: Uuid) -> Result<Item, StoreError> {
        let kinds = SCHEDULABLE
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT id, property_id, kind, name, rate_plan_id, document, created_at, updated_at, version
             FROM inventory_items WHERE property_id = $1 AND id = $2 AND kind IN ({kinds})"
        );
        on_pool!(&self.read, pool => sqlx::query_as::<_, Item>(&sql).bind(property).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Stores a new item (its inventory item, booking and series must exist: a
    /// [`StoreError::Conflict`] otherwise).
    pub async fn create_schedule_item(&self, s: &ScheduleItem) -> Result<(), StoreError> {
        on_pool!(&self.write, pool => sqlx::query(
            "INSERT INTO schedule_items (id, property_id, inventory_id, booking_id, recurrence_id,
                starts_at, start_zone, ends_at, end_zone, all_day, recurrence_rule,
                recurrence_exceptions, attendees, occurs_from, occurs_until, created_at, updated_at,
                version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)")
            .bind(s.id).bind(s.property_id).bind(s.inventory_id).bind(s.booking_id)
            .bind(s.recurrence_id).bind(s.starts_at).bind(&s.start_zone).bind(s.ends_at)
            .bind(&s.end_zone).bind(s.all_day).bind(&s.recurrence_rule)
            .bind(&s.recurrence_exceptions).bind(s.attendees).bind(s.occurs_from)
            .bind(s.occurs_until).bind(s.created_at).bind(s.updated_at).bind(s.version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// One item of the inventory item `inventory` of the property.
    pub async fn schedule_item(
        &self,
        property: Uuid,
        inventory: Uuid,
        id: Uuid,
    ) -> Result<Scheduled, StoreError> {
        let sql =
            format!("{SELECT} WHERE s.property_id = $1 AND s.inventory_id = $2 AND s.id = $3");
        on_pool!(&self.read, pool => sqlx::query_as::<_, Scheduled>(&sql).bind(property).bind(inventory).bind(id).fetch_optional(pool).await)?
            .ok_or(StoreError::NotFound)
    }

    /// The items of `inventory` whose occurrences may overlap `[from, to)` (a superset: the
    /// caller keeps the occurrences that do), by first occurrence.
    pub async fn schedule_items_between(
        &self,
        property: Uuid,
        inventory: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Scheduled>, StoreError> {
        let sql = format!(
            "{SELECT} WHERE s.property_id = $1 AND s.inventory_id = $2 AND s.occurs_from < $4
                AND (s.occurs_until IS NULL OR s.occurs_until >= $3)
             ORDER BY s.occurs_from, s.id"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Scheduled>(&sql).bind(property).bind(inventory).bind(from).bind(to).fetch_all(pool).await)?,
        )
    }

    /// Replaces an item's timing and attendees (its rule, exceptions, booking and series stay).
    /// With `expected_version`, refuses ([`StoreError::Stale`]) when the stored version differs;
    /// the version goes up by one.
    pub async fn update_schedule_item(
        &self,
        s: &ScheduleItem,
        expected_version: Option<i64>,
    ) -> Result<Scheduled, StoreError> {
        let changed = on_pool!(&self.write, pool => sqlx::query(
            "UPDATE schedule_items SET starts_at = $4, start_zone = $5, ends_at = $6, end_zone = $7,
                all_day = $8, attendees = $9, occurs_from = $10, occurs_until = $11,
                updated_at = $12, version = version + 1
             WHERE property_id = $1 AND inventory_id = $2 AND id = $3 AND ($13 IS NULL OR version = $13)")
            .bind(s.property_id).bind(s.inventory_id).bind(s.id).bind(s.starts_at)
            .bind(&s.start_zone).bind(s.ends_at).bind(&s.end_zone).bind(s.all_day)
            .bind(s.attendees).bind(s.occurs_from).bind(s.occurs_until).bind(s.updated_at)
            .bind(expected_version)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        updated(
            changed,
            || self.schedule_item(s.property_id, s.inventory_id, s.id),
            |found| found.item.version,
        )
        .await
    }

    /// Deletes an item (and the items that change occurrences of it) and answers it as it was.
    pub async fn delete_schedule_item(
        &self,
        property: Uuid,
        inventory: Uuid,
        id: Uuid,
    ) -> Result<Scheduled, StoreError> {
        let existing = self.schedule_item(property, inventory, id).await?;
        let deleted = on_pool!(&self.write, pool => sqlx::query(
            "DELETE FROM schedule_items WHERE property_id = $1 AND inventory_id = $2 AND id = $3")
            .bind(property).bind(inventory).bind(id)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(existing)
    }
}
