//! Channel inventory: one record per sales channel × inventory item of a property (a master
//! rate, or an add-on, spa, restaurant, meeting room, place, attraction or activity).
//!
//! Records are derived, not stored: a query pairs every channel of the property with every
//! item, so a channel or an item has its records as soon as it exists, whatever created it, and
//! loses them when it is deleted. The table `channel_inventory` holds the state of a record once
//! it has been toggled (`enabled`, `updated_at`, `version`), under the record's identifier,
//! which the caller derives from the pair (the API's `wink_domain::channel_inventory`); its rows
//! go with the channel or the item (foreign keys, ON DELETE CASCADE). A record never toggled is
//! enabled, at version 1, last updated when it appeared (the later of its two sides' creation).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use crate::grid::{Column, ColumnType, Comparison, Condition, GridQuery, Sort, Sql, Value};
use crate::{Store, StoreError, bind_values, on_pool};

/// A channel-inventory record with what its answers show of the channel and the item.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Record {
    pub sales_channel_id: Uuid,
    /// The contract's InventoryType value: GUEST_ROOM for a master rate, else the item's kind.
    pub kind: String,
    /// The master rate or the item.
    pub inventory_id: Uuid,
    /// A master rate's "room type - rate plan", an item's name.
    pub name: String,
    /// A master rate's room type's rooms; 0 for other items (this server keeps no count of them).
    pub quantity: i64,
    /// Whether the item itself can be sold now: a master rate enabled, its room type active and
    /// bookable, its rate plan enabled. Other items are described, not sold: false.
    pub sellable: bool,
    /// The record's own switch: whether the channel is offered the item.
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl Record {
    pub fn is_master_rate(&self) -> bool {
        self.kind == GUEST_ROOM
    }
}

/// The kind of a master rate's records.
pub const GUEST_ROOM: &str = "GUEST_ROOM";

/// Every record of the property `$n` (bound twice, once per branch), as `r`: a channel's pairs
/// with the master rates, then with the other items.
const RECORDS: &str = "SELECT c.id AS sales_channel_id, c.created_at AS channel_created_at,
        c.owner_account_id AS owner_id, a.name AS owner_name, a.entity_type AS owner_type,
        'GUEST_ROOM' AS kind, 0 AS kind_rank, m.id AS inventory_id,
        rt.name || ' - ' || rp.name AS name, m.created_at AS item_created_at,
        rt.quantity AS quantity, (m.enabled AND rt.active AND rt.bookable AND rp.enabled) AS sellable,
        o.enabled AS toggled_enabled, o.updated_at AS toggled_at, o.version AS toggled_version
    FROM sales_channels c
    JOIN accounts a ON a.id = c.owner_account_id
    JOIN master_rates m ON m.property_id = c.property_id
    JOIN room_types rt ON rt.id = m.room_type_id
    JOIN rate_plans rp ON rp.id = m.rate_plan_id
    LEFT JOIN channel_inventory o ON o.sales_channel_id = c.id AND o.master_rate_id = m.id
    WHERE c.removed_at IS NULL AND c.property_id = ";

const ITEMS: &str = "
    UNION ALL
    SELECT c.id, c.created_at, c.owner_account_id, a.name, a.entity_type,
        i.kind, CASE i.kind WHEN 'ADD_ON' THEN 1 WHEN 'MEETING_ROOM' THEN 2 WHEN 'RESTAURANT' THEN 3
            WHEN 'SPA' THEN 4 WHEN 'ATTRACTION' THEN 5 WHEN 'PLACE' THEN 6 ELSE 7 END,
        i.id, i.name, i.created_at, 0, FALSE,
        o.enabled, o.updated_at, o.version
    FROM sales_channels c
    JOIN accounts a ON a.id = c.owner_account_id
    JOIN inventory_items i ON i.property_id = c.property_id
    LEFT JOIN channel_inventory o ON o.sales_channel_id = c.id AND o.inventory_item_id = i.id
    WHERE c.removed_at IS NULL AND c.property_id = ";

/// The columns a grid may filter and sort channel-inventory records on (over `r`, the records).
pub mod columns {
    use super::{Column, ColumnType::*};

    pub const SALES_CHANNEL: Column = Column::new("r.sales_channel_id", Uuid);
    pub const OWNER: Column = Column::new("r.owner_id", Uuid);
    pub const OWNER_NAME: Column = Column::new("r.owner_name", Text);
    pub const OWNER_TYPE: Column = Column::new("r.owner_type", Text);
    pub const KIND: Column = Column::new("r.kind", Text);
    pub const INVENTORY: Column = Column::new("r.inventory_id", Uuid);
    pub const NAME: Column = Column::new("r.name", Text);
    pub const QUANTITY: Column = Column::new("r.quantity", Integer);
    pub const ENABLED: Column = Column::new("COALESCE(r.toggled_enabled, TRUE)", Bool);
    pub const BOOKABLE: Column =
        Column::new("(COALESCE(r.toggled_enabled, TRUE) AND r.sellable)", Bool);
    /// When the record appeared: the later of the channel's and the item's creation.
    pub const CREATED_AT: Column = Column::new(
        "CASE WHEN r.channel_created_at > r.item_created_at THEN r.channel_created_at ELSE r.item_created_at END",
        Timestamp,
    );
    pub const UPDATED_AT: Column = Column::new(
        "COALESCE(r.toggled_at, CASE WHEN r.channel_created_at > r.item_created_at THEN r.channel_created_at ELSE r.item_created_at END)",
        Timestamp,
    );
    pub const VERSION: Column = Column::new("COALESCE(r.toggled_version, 1)", Integer);
    /// Guest rooms first, then add-ons, meeting rooms, restaurants, spas, attractions, places,
    /// activities (the default order's first key).
    pub const KIND_RANK: Column = Column::new("r.kind_rank", Integer);
    pub const ITEM_CREATED_AT: Column = Column::new("r.item_created_at", Timestamp);
    pub const CHANNEL_CREATED_AT: Column = Column::new("r.channel_created_at", Timestamp);
}

use columns as c;

/// The default order (by kind, each item's records together, oldest item and channel first),
/// also the tiebreak after a client's order: the pair is unique, so pages are stable.
const ORDER: [Sort; 5] = [
    Sort {
        column: c::KIND_RANK,
        descending: false,
    },
    Sort {
        column: c::ITEM_CREATED_AT,
        descending: false,
    },
    Sort {
        column: c::INVENTORY,
        descending: false,
    },
    Sort {
        column: c::CHANNEL_CREATED_AT,
        descending: false,
    },
    Sort {
        column: c::SALES_CHANNEL,
        descending: false,
    },
];

/// A page of records: `limit` of them after `offset`.
#[derive(Debug, Clone, Copy)]
struct Page {
    limit: u32,
    offset: u64,
}

impl Store {
    /// `FROM (records of the property) r WHERE filter`.
    fn channel_inventory_scope(sql: &mut Sql, property: Uuid, filter: Option<&Condition>) {
        sql.push(" FROM (")
            .push(RECORDS)
            .bind(Value::Uuid(property))
            .push(ITEMS)
            .bind(Value::Uuid(property))
            .push(") r");
        if let Some(filter) = filter {
            sql.push(" WHERE ").condition(filter);
        }
    }

    async fn select_channel_inventory(
        &self,
        property: Uuid,
        filter: Option<&Condition>,
        sort: &[Sort],
        page: Option<Page>,
    ) -> Result<Vec<Record>, StoreError> {
        let mut sql = Sql::new(self.engine());
        sql.push("SELECT ");
        let selected = [
            (c::SALES_CHANNEL, "sales_channel_id"),
            (c::KIND, "kind"),
            (c::INVENTORY, "inventory_id"),
            (c::NAME, "name"),
            (c::QUANTITY, "quantity"),
            (Column::new("r.sellable", ColumnType::Bool), "sellable"),
            (c::ENABLED, "enabled"),
            (c::CREATED_AT, "created_at"),
            (c::UPDATED_AT, "updated_at"),
            (c::VERSION, "version"),
        ];
        for (i, (column, alias)) in selected.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.select(column).push(" AS ").push(alias);
        }
        Store::channel_inventory_scope(&mut sql, property, filter);
        let mut order: Vec<Sort> = sort.to_vec();
        order.extend(
            ORDER
                .iter()
                .filter(|s| !sort.iter().any(|o| o.column == s.column)),
        );
        sql.order_by(&order);
        if let Some(page) = page {
            sql.push(" LIMIT ")
                .bind(Value::Integer(i64::from(page.limit)))
                .push(" OFFSET ")
                .bind(Value::Integer(
                    i64::try_from(page.offset).unwrap_or(i64::MAX),
                ));
        }
        Ok(on_pool!(&self.read, p =>
            bind_values!(sqlx::query_as::<_, Record>(sql.text()), sql.binds()).fetch_all(p).await)?)
    }

    /// Every channel-inventory record of the property, in the default order.
    pub async fn channel_inventory(&self, property: Uuid) -> Result<Vec<Record>, StoreError> {
        self.select_channel_inventory(property, None, &[], None)
            .await
    }

    /// A page of the property's records under a grid query, and how many match in all.
    pub async fn channel_inventory_grid(
        &self,
        property: Uuid,
        query: &GridQuery,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Record>, u64), StoreError> {
        let mut count = Sql::new(self.engine());
        count.push("SELECT COUNT(*)");
        Store::channel_inventory_scope(&mut count, property, query.filter.as_ref());
        let (total,): (i64,) = on_pool!(&self.read, p =>
            bind_values!(sqlx::query_as(count.text()), count.binds()).fetch_one(p).await)?;
        let rows = self
            .select_channel_inventory(
                property,
                query.filter.as_ref(),
                &query.sort,
                Some(Page { limit, offset }),
            )
            .await?;
        Ok((rows, total.max(0) as u64))
    }

    /// The records of one item (a master rate or another item) of the property, one per
    /// channel, oldest channel first. An item of another property has none.
    pub async fn channel_inventory_of_item(
        &self,
        property: Uuid,
        inventory: Uuid,
    ) -> Result<Vec<Record>, StoreError> {
        let filter = Condition::Compare {
            column: c::INVENTORY,
            op: Comparison::Eq,
            value: Value::Uuid(inventory),
            ignore_case: false,
        };
        self.select_channel_inventory(property, Some(&filter), &[], None)
            .await
    }

    /// The record of `inventory` on `channel`, both of the property.
    pub async fn channel_inventory_record(
        &self,
        property: Uuid,
        channel: Uuid,
        inventory: Uuid,
    ) -> Result<Record, StoreError> {
        let filter = Condition::All(vec![
            Condition::Compare {
                column: c::SALES_CHANNEL,
                op: Comparison::Eq,
                value: Value::Uuid(channel),
                ignore_case: false,
            },
            Condition::Compare {
                column: c::INVENTORY,
                op: Comparison::Eq,
                value: Value::Uuid(inventory),
                ignore_case: false,
            },
        ]);
        self.select_channel_inventory(property, Some(&filter), &[], None)
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)
    }

    /// The (channel, item) pairs of the property's records: what record identifiers are
    /// derived from, to find a record by its identifier.
    pub async fn channel_inventory_pairs(
        &self,
        property: Uuid,
    ) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
        Ok(on_pool!(&self.read, p => sqlx::query_as::<_, (Uuid, Uuid)>(
            "SELECT c.id, m.id FROM sales_channels c JOIN master_rates m ON m.property_id = c.property_id
             WHERE c.removed_at IS NULL AND c.property_id = $1
             UNION ALL
             SELECT c.id, i.id FROM sales_channels c JOIN inventory_items i ON i.property_id = c.property_id
             WHERE c.removed_at IS NULL AND c.property_id = $1")
            .bind(property).fetch_all(p).await)?)
    }

    /// Switches the record `id` (of `inventory` on `channel`) on or off; its version goes up by
    /// one on every toggle, also one that repeats the current state. With `expected_version`,
    /// refuses ([`StoreError::Stale`]) when the record is at another version (a record never
    /// toggled is at 1). One statement, so concurrent toggles of a record are applied one after
    /// the other and the last one's state stays.
    #[allow(clippy::too_many_arguments)]
    pub async fn toggle_channel_inventory(
        &self,
        property: Uuid,
        id: Uuid,
        channel: Uuid,
        inventory: Uuid,
        master_rate: bool,
        enabled: bool,
        now: DateTime<Utc>,
        expected_version: Option<i64>,
    ) -> Result<Record, StoreError> {
        let (master_rate_id, item_id) = if master_rate {
            (Some(inventory), None)
        } else {
            (None, Some(inventory))
        };
        // RETURNING: the answer is this toggle's own result, even when another toggle of the
        // record commits before the record is read back.
        let applied: Option<(bool, DateTime<Utc>, i64)> = on_pool!(&self.write, p => sqlx::query_as(
            "INSERT INTO channel_inventory (id, property_id, sales_channel_id, master_rate_id, inventory_item_id, enabled, updated_at, version)
             SELECT $1, $2, $3, $4, $5, $6, $7, 2 WHERE ($8 IS NULL OR $8 = 1)
             ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at,
                version = channel_inventory.version + 1
             WHERE ($8 IS NULL OR channel_inventory.version = $8)
             RETURNING enabled, updated_at, version")
            .bind(id).bind(property).bind(channel).bind(master_rate_id).bind(item_id)
            .bind(enabled).bind(now).bind(expected_version)
            .fetch_optional(p).await)?;
        let mut record = self
            .channel_inventory_record(property, channel, inventory)
            .await?;
        match applied {
            Some((enabled, updated_at, version)) => {
                record.enabled = enabled;
                record.updated_at = updated_at;
                record.version = version;
                Ok(record)
            }
            None => Err(StoreError::Stale {
                current: record.version,
            }),
        }
    }

    /// The master rates withheld from a channel (their record switched off): neither offered
    /// nor bookable there.
    pub async fn master_rates_withheld_from(&self, channel: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let rows: Vec<(Uuid,)> = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT master_rate_id FROM channel_inventory
             WHERE sales_channel_id = $1 AND master_rate_id IS NOT NULL AND enabled = FALSE")
            .bind(channel).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

impl Store {
    /// The stored rate of every night from `from` to `to` (both included) of the property's
    /// master rates that has a rate and is open for sale (not stop-sold), as (master rate, rate).
    pub async fn open_rates_between(
        &self,
        property: Uuid,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<(Uuid, crate::Amount)>, StoreError> {
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, (Uuid, crate::Amount)>(
            "SELECT d.master_rate_id, d.rate FROM daily_rates d JOIN master_rates m ON m.id = d.master_rate_id
             WHERE m.property_id = $1 AND d.day >= $2 AND d.day <= $3 AND d.rate IS NOT NULL AND d.open")
            .bind(property).bind(from).bind(to).fetch_all(p).await)?,
        )
    }
}
