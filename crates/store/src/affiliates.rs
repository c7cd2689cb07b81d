//! Affiliates of a property: the accounts that own its sales channels (every booking is made
//! through one), with what their bookings that hold (made, not cancelled) add up to.
//!
//! The grid filters and sorts on the sums the database computes (on SQLite a decimal sum is a
//! double, exact enough to order money); the figures answered are summed exactly here from the
//! bookings' stored totals, grouped by total ([`Store::affiliate_sales`]).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::FromRow;
use uuid::Uuid;

use crate::grid::{GridQuery, Sort, Sql, Value};
use crate::{Amount, Store, StoreError, bind_values, on_pool};

/// Made bookings (see `booking_queries`) that hold.
const HOLDING: &str =
    "b.status NOT IN ('INITIALIZED', 'PAYMENT_FAILED', 'FAILED') AND b.cancelled_at IS NULL";

/// What the affiliate grid can filter and sort on, over the derived table `af` (one row per
/// sales channel of the property).
pub mod columns {
    use crate::grid::{Column, ColumnType::*};

    pub const OWNER: Column = Column::new("af.owner_id", Uuid);
    pub const OWNER_NAME: Column = Column::new("af.owner_name", Text);
    pub const OWNER_TYPE: Column = Column::new("af.owner_type", Text);
    pub const BOOKINGS: Column = Column::new("af.bookings", Integer);
    pub const TOTAL: Column = Column::new("af.total", Decimal);
    /// Unrounded: the answer rounds it to the currency's minor unit.
    /// SQLite's sum may be an integer: divided as a double there, not truncated.
    pub const AVERAGE: Column = Column::per_engine(
        "CASE WHEN af.bookings = 0 THEN 0 ELSE af.total / af.bookings END",
        "CASE WHEN af.bookings = 0 THEN 0 ELSE CAST(af.total AS REAL) / af.bookings END",
        Decimal,
    );
    pub const CURRENCY: Column = Column::new("af.currency", Text);
    pub const SINCE: Column = Column::new("af.since", Timestamp);
}

/// Biggest sellers first, then by name, when the client names no order.
pub const DEFAULT_ORDER: [Sort; 2] = [
    Sort {
        column: columns::TOTAL,
        descending: true,
    },
    Sort {
        column: columns::OWNER_NAME,
        descending: false,
    },
];

/// The last sort key: unique (one channel per owner), so pages never overlap.
const TIEBREAK: Sort = Sort {
    column: columns::OWNER,
    descending: false,
};

/// An affiliate as the grid and the detail show it (the figures come from
/// [`Store::affiliate_sales`]).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Affiliate {
    pub owner_id: Uuid,
    pub owner_name: String,
    /// The owner's managing-entity type.
    pub owner_type: String,
    /// When its channel was opened.
    pub since: DateTime<Utc>,
}

impl Store {
    /// Appends ` FROM (...) af`: the property's channel owners with their bookings' count and sum.
    fn affiliate_table(sql: &mut Sql, property: Uuid) {
        sql.push(
            " FROM (SELECT c.owner_account_id AS owner_id, a.name AS owner_name,
                a.entity_type AS owner_type, c.created_at AS since, p.currency AS currency,
                COALESCE(s.bookings, 0) AS bookings, COALESCE(s.total, 0) AS total
             FROM sales_channels c
             JOIN accounts a ON a.id = c.owner_account_id
             JOIN properties p ON p.id = c.property_id
             LEFT JOIN (SELECT b.sales_channel_id AS channel_id, COUNT(*) AS bookings, SUM(b.total) AS total
                 FROM bookings b WHERE b.property_id = ",
        )
        .bind(Value::Uuid(property))
        .push(&format!(
            " AND {HOLDING} GROUP BY b.sales_channel_id) s ON s.channel_id = c.id
             WHERE c.property_id = "
        ))
        .bind(Value::Uuid(property))
        .push(") af");
    }

    /// A page of the property's affiliates under `query` (biggest sellers first when it names
    /// no order), and how many match in all.
    pub async fn affiliate_grid(
        &self,
        property: Uuid,
        query: &GridQuery,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Affiliate>, u64), StoreError> {
        let filtered = |sql: &mut Sql| {
            Store::affiliate_table(sql, property);
            if let Some(filter) = &query.filter {
                sql.push(" WHERE ").condition(filter);
            }
        };
        let mut count = Sql::new(self.engine());
        count.push("SELECT COUNT(*)");
        filtered(&mut count);
        let mut page = Sql::new(self.engine());
        page.push("SELECT af.owner_id, af.owner_name, af.owner_type, af.since");
        filtered(&mut page);
        page.order_and_page(&query.sort, &DEFAULT_ORDER, TIEBREAK, limit, offset);
        let (rows, total) = on_pool!(&self.read, p => {
            let rows: Vec<Affiliate> = bind_values!(sqlx::query_as(page.text()), page.binds())
                .fetch_all(p).await?;
            let (total,): (i64,) = bind_values!(sqlx::query_as(count.text()), count.binds())
                .fetch_one(p).await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows, total.max(0) as u64))
    }

    /// The owner of one of the property's sales channels; `NotFound` for any other account.
    pub async fn affiliate(&self, property: Uuid, owner: Uuid) -> Result<Affiliate, StoreError> {
        let mut sql = Sql::new(self.engine());
        sql.push("SELECT af.owner_id, af.owner_name, af.owner_type, af.since");
        Store::affiliate_table(&mut sql, property);
        sql.push(" WHERE af.owner_id = ").bind(Value::Uuid(owner));
        on_pool!(&self.read, p => bind_values!(sqlx::query_as::<_, Affiliate>(sql.text()), sql.binds())
            .fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// The bookings that hold of each of these owners' channels at the property, grouped by
    /// total: `(owner, total, how many)`, to be summed exactly by the caller.
    pub async fn affiliate_sales(
        &self,
        property: Uuid,
        owners: &[Uuid],
    ) -> Result<Vec<(Uuid, Decimal, u64)>, StoreError> {
        if owners.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(self.engine());
        sql.push(
            "SELECT c.owner_account_id, b.total, COUNT(*) FROM bookings b
             JOIN sales_channels c ON c.id = b.sales_channel_id WHERE b.property_id = ",
        )
        .bind(Value::Uuid(property))
        .push(&format!(" AND {HOLDING} AND c.owner_account_id IN ("));
        for (i, owner) in owners.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Value::Uuid(*owner));
        }
        sql.push(") GROUP BY c.owner_account_id, b.total");
        let rows: Vec<(Uuid, Amount, i64)> = on_pool!(&self.read, p =>
            bind_values!(sqlx::query_as(sql.text()), sql.binds()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(owner, total, n)| (owner, total.0, n.max(0) as u64))
            .collect())
    }
}
