//! Reads over a property's bookings for the grid, the CSV report, the sales overview, the
//! filter lists and the analytics, all from the same stored facts (`bookings`), and a bulk
//! import for benchmarks.
//!
//! Every read is scoped to one property and to bookings that were made ([`SCOPE`]: not failed,
//! never initialised only); cancelled bookings are included unless a read says otherwise.
//!
//! A booking row carries its snapshot document (several KB), which on SQLite lives in the row
//! itself: reads that touch many bookings are written to be answered from the indexes of
//! migration 0006 (the grid's count and order, the sales, the groups, the analytics), and a grid
//! page sorts identifiers first and reads the full rows of that page only.

use std::collections::HashMap;
use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use serde_json::Value as JsonValue;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::bookings::Booking;
use crate::grid::{Column, ColumnType, GridQuery, Sort, Sql, Value, cell};
use crate::{Amount, Store, StoreError, bind_values, on_pool};

/// The bookings every read covers, besides the property: those that were made (a failed attempt,
/// whatever its `creation`, has one of these statuses). On `status` only, which the indexes of
/// migration 0006 carry, so it never costs a read of the row.
const SCOPE: &str = "b.status NOT IN ('INITIALIZED', 'PAYMENT_FAILED', 'FAILED')";

/// What the grid and the report can filter, sort and show, over `bookings b`.
pub mod columns {
    use super::{Column, ColumnType::*};

    pub const ID: Column = Column::new("b.id", Uuid);
    pub const CODE: Column = Column::new("b.code", Text);
    pub const STATUS: Column = Column::new("b.status", Text);
    pub const CREATION: Column = Column::new("b.creation", Text);
    pub const CREATED_AT: Column = Column::new("b.created_at", Timestamp);
    pub const UPDATED_AT: Column = Column::new("b.updated_at", Timestamp);
    pub const VERSION: Column = Column::new("b.version", Integer);
    /// Whether the booking was cancelled (it keeps `cancelled_at` whatever happens next).
    pub const CANCELLED: Column = Column::new("b.cancelled_at IS NOT NULL", Bool);
    pub const CANCELLED_AT: Column = Column::new("b.cancelled_at", Timestamp).nullable();
    pub const CANCELLATION_TYPE: Column = Column::new("b.cancellation_type", Text).nullable();
    pub const CANCEL_REASON: Column = Column::new("b.cancel_reason", Text).nullable();
    pub const PENALTY: Column = Column::new("b.penalty", Decimal).nullable();
    pub const GUEST_FIRST_NAME: Column = Column::new("b.guest_first_name", Text);
    pub const GUEST_LAST_NAME: Column = Column::new("b.guest_last_name", Text);
    pub const GUEST_EMAIL: Column = Column::new("b.guest_email", Text);
    pub const ARRIVAL: Column = Column::new("b.arrival", Date);
    pub const DEPARTURE: Column = Column::new("b.departure", Date);
    pub const QUANTITY: Column = Column::new("b.quantity", Integer);
    /// Nights of the stay.
    pub const NIGHTS: Column = Column::per_engine(
        "b.departure - b.arrival",
        "CAST(julianday(b.departure) - julianday(b.arrival) AS INTEGER)",
        Integer,
    );
    pub const TOTAL: Column = Column::new("b.total", Decimal);
    /// What the property keeps: the penalty once cancelled, the total before.
    pub const NET: Column = Column::new("COALESCE(b.penalty, b.total)", Decimal);
    pub const CURRENCY: Column = Column::new("b.currency", Text);
    pub const SALES_CHANNEL: Column = Column::new("b.sales_channel_id", Uuid);
    pub const OWNER: Column = Column::new(
        "(SELECT sc.owner_account_id FROM sales_channels sc WHERE sc.id = b.sales_channel_id)",
        Uuid,
    );
    pub const MASTER_RATE: Column = Column::new("b.master_rate_id", Uuid);
    pub const ROOM_TYPE: Column = Column::new("b.room_type_id", Uuid);
    pub const RATE_PLAN: Column = Column::new("b.rate_plan_id", Uuid);
    // Names as sold, from the booking-time snapshot.
    pub const OWNER_NAME: Column = Column::per_engine(
        "b.document #>> '{customization,ownerName}'",
        "json_extract(b.document, '$.customization.ownerName')",
        Text,
    )
    .nullable();
    pub const CHANNEL_TYPE: Column = Column::per_engine(
        "b.document #>> '{customization,subType}'",
        "json_extract(b.document, '$.customization.subType')",
        Text,
    )
    .nullable();
    pub const CHANNEL_NAME: Column = Column::per_engine(
        "b.document #>> '{customization,name}'",
        "json_extract(b.document, '$.customization.name')",
        Text,
    )
    .nullable();
    pub const ROOM_TYPE_NAME: Column = Column::per_engine(
        "b.document #>> '{roomStay,room,name}'",
        "json_extract(b.document, '$.roomStay.room.name')",
        Text,
    )
    .nullable();
    pub const RATE_PLAN_NAME: Column = Column::per_engine(
        "b.document #>> '{roomStay,ratePlan,name}'",
        "json_extract(b.document, '$.roomStay.ratePlan.name')",
        Text,
    )
    .nullable();
    pub const MASTER_RATE_NAME: Column = Column::per_engine(
        "b.document #>> '{roomStay,roomRateInternalName}'",
        "json_extract(b.document, '$.roomStay.roomRateInternalName')",
        Text,
    )
    .nullable();
}

/// The grid's last sort key: unique, so pages never overlap or skip a row.
const TIEBREAK: Sort = Sort {
    column: columns::ID,
    descending: false,
};

/// Newest first, when the client names no order.
pub const NEWEST_FIRST: [Sort; 2] = [
    Sort {
        column: columns::CREATED_AT,
        descending: true,
    },
    Sort {
        column: columns::ID,
        descending: true,
    },
];

/// The sales of a property: bookings that hold (not cancelled) and what they cost in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sales {
    pub bookings: u64,
    pub total: Decimal,
}

/// What the booked-things lists are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookedBy {
    MasterRate,
    SalesChannel,
    RoomType,
}

impl BookedBy {
    fn column(self) -> &'static str {
        match self {
            BookedBy::MasterRate => "master_rate_id",
            BookedBy::SalesChannel => "sales_channel_id",
            BookedBy::RoomType => "room_type_id",
        }
    }
}

/// One booking as the analytics count it.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct BookingFact {
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub total: Amount,
    pub penalty: Option<Amount>,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub quantity: i32,
    pub sales_channel_id: Uuid,
    pub room_type_id: Uuid,
}

/// Rows per multi-row INSERT of the import (29 binds each: under both engines' limits).
const IMPORT_CHUNK: usize = 100;

impl Store {
    /// Appends ` FROM bookings b WHERE ...`: the property's bookings under `query`'s filter.
    fn booking_scope(sql: &mut Sql, property: Uuid, query: &GridQuery) {
        sql.push(" FROM bookings b WHERE b.property_id = ")
            .bind(Value::Uuid(property))
            .push(" AND ")
            .push(SCOPE);
        if let Some(filter) = &query.filter {
            sql.push(" AND ").condition(filter);
        }
    }

    /// A page of a property's bookings under `query` (newest first when it names no order), and
    /// how many match in all.
    pub async fn booking_grid(
        &self,
        property: Uuid,
        query: &GridQuery,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Booking>, u64), StoreError> {
        let mut count = Sql::new(self.engine());
        count.push("SELECT COUNT(*)");
        Store::booking_scope(&mut count, property, query);
        // The page's identifiers first (sorting keys, not documents), then those rows.
        let mut page = Sql::new(self.engine());
        page.push("SELECT b.id");
        Store::booking_scope(&mut page, property, query);
        page.order_by(&sort_with_tiebreak(&query.sort, &NEWEST_FIRST));
        page.push(" LIMIT ")
            .bind(Value::Integer(i64::from(limit)))
            .push(" OFFSET ")
            .bind(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
        let (ids, total) = on_pool!(&self.read, p => {
            let ids: Vec<(Uuid,)> = bind_values!(sqlx::query_as(page.text()), page.binds())
                .fetch_all(p).await?;
            let (total,): (i64,) = bind_values!(sqlx::query_as(count.text()), count.binds())
                .fetch_one(p).await?;
            Ok::<_, sqlx::Error>((ids, total))
        })?;
        let mut rows = Vec::with_capacity(ids.len());
        if !ids.is_empty() {
            // By id alone (the primary key): with the property too, SQLite may pick the
            // property's index and scan every booking. The ids are the property's already.
            let mut read = Sql::new(self.engine());
            read.push("SELECT b.* FROM bookings b WHERE b.id IN (");
            for (i, (id,)) in ids.iter().enumerate() {
                if i > 0 {
                    read.push(", ");
                }
                read.bind(Value::Uuid(*id));
            }
            read.push(")");
            let mut found: HashMap<Uuid, Booking> = on_pool!(&self.read, p =>
                bind_values!(sqlx::query_as::<_, Booking>(read.text()), read.binds()).fetch_all(p).await)?
                .into_iter()
                .filter(|b| b.property_id == property)
                .map(|b| (b.id, b))
                .collect();
            rows.extend(ids.iter().filter_map(|(id,)| found.remove(id)));
        }
        Ok((rows, total.max(0) as u64))
    }

    /// Every booking of the property under `query` (newest first when it names no order), as
    /// the values of `select`, handed to `emit` in batches of up to `batch` rows as they are read
    /// (one query, rows streamed from the database: memory holds one batch). Stops early, without
    /// error, when `emit` answers false (the reader went away). Answers how many rows were handed.
    pub async fn booking_report<F, Fut>(
        &self,
        property: Uuid,
        query: &GridQuery,
        select: &[Column],
        batch: usize,
        mut emit: F,
    ) -> Result<u64, StoreError>
    where
        F: FnMut(Vec<Vec<Option<Value>>>) -> Fut + Send,
        Fut: Future<Output = bool> + Send,
    {
        let mut sql = Sql::new(self.engine());
        sql.push("SELECT ");
        for (i, column) in select.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.select(column);
        }
        Store::booking_scope(&mut sql, property, query);
        sql.order_by(&sort_with_tiebreak(&query.sort, &NEWEST_FIRST));
        let batch = batch.max(1);
        let types: Vec<ColumnType> = select.iter().map(|c| c.ty).collect();
        let sent = on_pool!(&self.read, p => {
            let mut rows = bind_values!(sqlx::query(sql.text()), sql.binds()).fetch(p);
            let mut buffer = Vec::with_capacity(batch);
            let mut sent = 0u64;
            let mut open = true;
            while let Some(row) = rows.try_next().await? {
                let mut cells = Vec::with_capacity(types.len());
                for (i, ty) in types.iter().enumerate() {
                    cells.push(cell(&row, i, *ty)?);
                }
                buffer.push(cells);
                if buffer.len() == batch {
                    sent += buffer.len() as u64;
                    if !emit(std::mem::replace(&mut buffer, Vec::with_capacity(batch))).await {
                        open = false;
                        break;
                    }
                }
            }
            if open && !buffer.is_empty() {
                sent += buffer.len() as u64;
                emit(buffer).await;
            }
            Ok::<_, sqlx::Error>(sent)
        })?;
        Ok(sent)
    }

    /// How many of the property's bookings hold (are not cancelled) and what they cost in all.
    /// Summed exactly: the database groups equal totals, the sum is decimal.
    pub async fn booking_sales(&self, property: Uuid) -> Result<Sales, StoreError> {
        let sql = format!(
            "SELECT b.total, COUNT(*) FROM bookings b
             WHERE b.property_id = $1 AND {SCOPE} AND b.cancelled_at IS NULL GROUP BY b.total"
        );
        let groups: Vec<(Amount, i64)> = on_pool!(&self.read, p => sqlx::query_as(&sql)
            .bind(property).fetch_all(p).await)?;
        Ok(groups
            .into_iter()
            .fold(Sales::default(), |mut sales, (total, n)| {
                let n = n.max(0) as u64;
                sales.bookings += n;
                sales.total += total.0 * Decimal::from(n);
                sales
            }))
    }

    /// The master rates, sales channels or room types the property's bookings were made on, each
    /// with the snapshot of its newest booking (what it was last sold as).
    pub async fn booked(
        &self,
        property: Uuid,
        by: BookedBy,
    ) -> Result<Vec<(Uuid, Json<JsonValue>)>, StoreError> {
        let key = by.column();
        // The groups and their newest booking's time, from an index; then one row per group.
        let groups = format!(
            "SELECT b.{key}, MAX(b.created_at) FROM bookings b
             WHERE b.property_id = $1 AND {SCOPE} GROUP BY b.{key}"
        );
        let newest = format!(
            "SELECT b.document FROM bookings b
             WHERE b.property_id = $1 AND b.created_at = $2 AND b.{key} = $3 AND {SCOPE}
             ORDER BY b.id DESC LIMIT 1"
        );
        Ok(on_pool!(&self.read, p => {
            let groups: Vec<(Uuid, DateTime<Utc>)> = sqlx::query_as(&groups)
                .bind(property).fetch_all(p).await?;
            let mut out = Vec::with_capacity(groups.len());
            for (id, at) in groups {
                let (document,): (Json<JsonValue>,) = sqlx::query_as(&newest)
                    .bind(property).bind(at).bind(id).fetch_one(p).await?;
                out.push((id, document));
            }
            Ok::<_, sqlx::Error>(out)
        })?)
    }

    /// Hands `each` every booking of the property made or cancelled at `since` or later, as read
    /// (streamed: memory holds one row).
    pub async fn booking_facts<F>(
        &self,
        property: Uuid,
        since: DateTime<Utc>,
        mut each: F,
    ) -> Result<(), StoreError>
    where
        F: FnMut(BookingFact) + Send,
    {
        // Made since, or made before and cancelled since: each half from its own index.
        const FACTS: &str =
            "SELECT b.created_at, b.cancelled_at, b.total, b.penalty, b.arrival, b.departure,
                b.quantity, b.sales_channel_id, b.room_type_id FROM bookings b";
        let sql = format!(
            "{FACTS} WHERE b.property_id = $1 AND {SCOPE} AND b.created_at >= $2
             UNION ALL
             {FACTS} WHERE b.property_id = $1 AND {SCOPE} AND b.cancelled_at >= $2 AND b.created_at < $2"
        );
        on_pool!(&self.read, p => {
            let mut rows = sqlx::query_as::<_, BookingFact>(&sql).bind(property).bind(since).fetch(p);
            while let Some(fact) = rows.try_next().await? {
                each(fact);
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Refreshes the planner's statistics of the booking tables (and, on PostgreSQL, their
    /// visibility map, which index-only reads need) after a bulk import; routine upkeep
    /// (autovacuum) does the same in its own time.
    pub async fn refresh_booking_statistics(&self) -> Result<(), StoreError> {
        let statements: &[&str] = match self.engine() {
            crate::Engine::Postgres => &[
                "VACUUM (ANALYZE) bookings",
                "VACUUM (ANALYZE) booking_nights",
            ],
            crate::Engine::Sqlite => &["ANALYZE bookings", "ANALYZE booking_nights"],
        };
        for sql in statements {
            on_pool!(&self.write, p => sqlx::query(sql).execute(p).await.map(|_| ()))?;
        }
        Ok(())
    }

    /// Stores bookings as history, in one transaction, with their nights: FOR BENCHMARKS AND
    /// IMPORTS ONLY. Unlike [`Store::create_booking`] it takes no availability and retries no
    /// booking code (a clash is a [`StoreError::Conflict`]).
    pub async fn import_bookings(&self, bookings: &[Booking]) -> Result<(), StoreError> {
        const COLUMNS: &str = "id, property_id, code, creation, status, sales_channel_id, master_rate_id, room_type_id, rate_plan_id, arrival, departure, quantity, currency, total, first_night, guest_first_name, guest_last_name, guest_email, search_text, booked_by, document, cancelled_at, cancelled_by, cancellation_type, cancel_reason, penalty, created_at, updated_at, version";
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            for chunk in bookings.chunks(IMPORT_CHUNK) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|r| {
                        let cols: Vec<String> = (1..=29).map(|c| format!("${}", r * 29 + c)).collect();
                        format!("({})", cols.join(", "))
                    })
                    .collect();
                let sql = format!("INSERT INTO bookings ({COLUMNS}) VALUES {}", rows.join(", "));
                let mut q = sqlx::query(&sql);
                for b in chunk {
                    q = q.bind(b.id).bind(b.property_id).bind(&b.code).bind(&b.creation).bind(&b.status)
                        .bind(b.sales_channel_id).bind(b.master_rate_id).bind(b.room_type_id).bind(b.rate_plan_id)
                        .bind(b.arrival).bind(b.departure).bind(b.quantity).bind(&b.currency)
                        .bind(b.total).bind(b.first_night)
                        .bind(&b.guest_first_name).bind(&b.guest_last_name).bind(&b.guest_email).bind(&b.search_text)
                        .bind(b.booked_by).bind(&b.document)
                        .bind(b.cancelled_at).bind(b.cancelled_by).bind(&b.cancellation_type).bind(&b.cancel_reason).bind(b.penalty)
                        .bind(b.created_at).bind(b.updated_at).bind(b.version);
                }
                q.execute(&mut *tx).await?;
                let nights: Vec<(Uuid, Uuid, NaiveDate, i32)> = chunk
                    .iter()
                    .flat_map(|b| {
                        b.arrival
                            .iter_days()
                            .take_while(move |d| *d < b.departure)
                            .map(move |d| (b.id, b.room_type_id, d, b.quantity))
                    })
                    .collect();
                for part in nights.chunks(200) {
                    let values: Vec<String> = (0..part.len())
                        .map(|r| format!("(${}, ${}, ${}, ${})", r * 4 + 1, r * 4 + 2, r * 4 + 3, r * 4 + 4))
                        .collect();
                    let sql = format!(
                        "INSERT INTO booking_nights (booking_id, room_type_id, day, quantity) VALUES {}",
                        values.join(", ")
                    );
                    let mut q = sqlx::query(&sql);
                    for (booking, room_type, day, quantity) in part {
                        q = q.bind(*booking).bind(*room_type).bind(*day).bind(*quantity);
                    }
                    q.execute(&mut *tx).await?;
                }
            }
            tx.commit().await
        })?;
        Ok(())
    }
}

/// The client's order (or `default` when it names none), then the unique tiebreak.
fn sort_with_tiebreak(sort: &[Sort], default: &[Sort]) -> Vec<Sort> {
    let mut out: Vec<Sort> = if sort.is_empty() {
        default.to_vec()
    } else {
        sort.to_vec()
    };
    if !out.iter().any(|s| s.column == TIEBREAK.column) {
        out.push(TIEBREAK);
    }
    out
}
