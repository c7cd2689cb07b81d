//! The ARI change ledger: every change of a night's price, restrictions or rooms for sale, with
//! its old and new value, when, and which client made it (migration 0023). Rows are appended by
//! the rate write (`Store::apply_rate_changes`) in its own transaction, in chunks like the write
//! itself, and never changed; a write that changes nothing appends nothing.
//!
//! The calendar as it stood at an instant is the stored calendar with every later change undone:
//! for each cell and field, the old value of its first change after that instant.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};
use sqlx::FromRow;
use uuid::Uuid;

use crate::daily_rates::{DailyRate, RateView};
use crate::events::{self, NewEvent};
use crate::{Amount, Store, StoreError, on_pool};

pub const RATE: &str = "rate";
pub const RATE_SOURCE: &str = "rateSource";
pub const MASTER: &str = "master";
pub const CLOSED_ON_ARRIVAL: &str = "closedOnArrival";
pub const CLOSED_ON_DEPARTURE: &str = "closedOnDeparture";
pub const MIN_LENGTH_OF_STAY: &str = "minLengthOfStay";
pub const MAX_LENGTH_OF_STAY: &str = "maxLengthOfStay";
/// A room type's capacity that night: rooms for sale in all, booked ones included.
pub const NUMBER_OF_UNITS: &str = "numberOfUnits";
/// The keys of a daily rate's `modifiers` document, each recorded as a field of its own.
pub const MODIFIERS: [&str; 3] = [
    "singleOccupancyRateModifier",
    "extraPaxRateModifier",
    "extraChildRateModifier",
];

/// The event a change of `field` is reported in.
pub fn event_type(field: &str) -> &'static str {
    match field {
        NUMBER_OF_UNITS => events::AVAILABILITY_CHANGED,
        MASTER | CLOSED_ON_ARRIVAL | CLOSED_ON_DEPARTURE | MIN_LENGTH_OF_STAY
        | MAX_LENGTH_OF_STAY => events::RESTRICTIONS_CHANGED,
        _ => events::RATES_CHANGED,
    }
}

/// One changed field of one cell, about to be appended.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub room_type_id: Uuid,
    /// `None` for [`NUMBER_OF_UNITS`], a room type's.
    pub master_rate_id: Option<Uuid>,
    pub day: NaiveDate,
    pub field: &'static str,
    pub old: Value,
    pub new: Value,
}

/// A change as recorded.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Recorded {
    pub id: i64,
    pub room_type_id: Uuid,
    pub master_rate_id: Option<Uuid>,
    pub day: NaiveDate,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub changed_at: DateTime<Utc>,
    pub client_id: Option<Uuid>,
}

/// A stay limit as recorded: -1 for "no limit" however it is stored (NULL or -1).
fn limit(v: Option<i32>) -> Value {
    json!(v.filter(|n| *n > 0).unwrap_or(-1))
}

fn rate(v: Option<Amount>) -> Value {
    match v {
        // The decimal's own digits: a JSON number that parses back to the same decimal.
        Some(a) => serde_json::from_str(&a.0.normalize().to_string()).unwrap_or(Value::Null),
        None => Value::Null,
    }
}

/// Every field of a daily rate as the ledger records it.
fn rate_fields(row: &DailyRate) -> [(&'static str, Value); 10] {
    let modifier = |key: &str| row.modifiers.0.get(key).cloned().unwrap_or(Value::Null);
    [
        (RATE, rate(row.rate)),
        (RATE_SOURCE, json!(row.rate_source)),
        (MODIFIERS[0], modifier(MODIFIERS[0])),
        (MODIFIERS[1], modifier(MODIFIERS[1])),
        (MODIFIERS[2], modifier(MODIFIERS[2])),
        (MASTER, json!(row.open)),
        (CLOSED_ON_ARRIVAL, json!(row.closed_to_arrival)),
        (CLOSED_ON_DEPARTURE, json!(row.closed_to_departure)),
        (MIN_LENGTH_OF_STAY, limit(row.min_los)),
        (MAX_LENGTH_OF_STAY, limit(row.max_los)),
    ]
}

/// The fields of a daily rate that differ between `old` and `new`, appended to `out`; answers
/// whether any did.
pub(crate) fn diff_rate(
    room_type_id: Uuid,
    old: &DailyRate,
    new: &DailyRate,
    out: &mut Vec<Change>,
) -> bool {
    let before = out.len();
    for ((field, old_value), (_, new_value)) in rate_fields(old).into_iter().zip(rate_fields(new)) {
        if old_value != new_value {
            out.push(Change {
                room_type_id,
                master_rate_id: Some(new.master_rate_id),
                day: new.day,
                field,
                old: old_value,
                new: new_value,
            });
        }
    }
    out.len() > before
}

/// Rows per multi-row insert of changes: 6 binds each, plus 3 shared (SQLite allows 32,766,
/// PostgreSQL 65,535).
pub(crate) const CHUNK: usize = 2_000;

/// Appends `rows` changes of `$1` (property) at `$2` (instant) by `$3` (client); per row, from
/// `$4`: room type, master rate, day, field, old value, new value.
pub(crate) fn insert_sql(rows: usize) -> String {
    let values = crate::value_rows(rows, 6, 4);
    format!(
        "INSERT INTO ari_changes (property_id, changed_at, client_id, room_type_id, master_rate_id, day, field, old_value, new_value)
         SELECT $1, $2, $3, v.column1, v.column2, v.column3, v.column4, v.column5, v.column6 FROM (VALUES {values}) AS v"
    )
}

/// One event per kind of change (`rates.changed`, `restrictions.changed`,
/// `availability.changed`) that `changes` hold, each carrying only its changed cells:
/// `{"cells": [{"masterRateIdentifier"?, "roomTypeIdentifier", "date", "changes": {field: {"old", "new"}}}]}`.
pub(crate) fn events_of(property: Uuid, changes: &[Change], at: DateTime<Utc>) -> Vec<NewEvent> {
    type Cell = (Option<Uuid>, Uuid, NaiveDate);
    let mut by_type: BTreeMap<&'static str, BTreeMap<Cell, Map<String, Value>>> = BTreeMap::new();
    for c in changes {
        by_type
            .entry(event_type(c.field))
            .or_default()
            .entry((c.master_rate_id, c.room_type_id, c.day))
            .or_default()
            .insert(c.field.to_string(), json!({ "old": c.old, "new": c.new }));
    }
    events::EVENT_TYPES
        .iter()
        .filter_map(|kind| {
            let cells = by_type.remove(kind)?;
            let cells: Vec<Value> = cells
                .into_iter()
                .map(|((master, room, day), fields)| {
                    let mut cell =
                        json!({ "roomTypeIdentifier": room, "date": day, "changes": fields });
                    if let Some(master) = master {
                        cell["masterRateIdentifier"] = json!(master);
                    }
                    cell
                })
                .collect();
            Some(NewEvent::new(property, kind, json!({ "cells": cells }), at))
        })
        .collect()
}

/// Which changes a history read answers.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Only this master rate's daily-rate changes.
    pub master_rate: Option<Uuid>,
    /// Only this room type's (its master rates' and its rooms').
    pub room_type: Option<Uuid>,
    /// Nights from `start` to `end` inclusive.
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

const RECORDED: &str =
    "id, room_type_id, master_rate_id, day, field, old_value, new_value, changed_at, client_id";

/// A stored calendar cell (one master rate's night) as it stood at an instant, with its room
/// type's capacity that night.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAsOf {
    pub master_rate_id: Uuid,
    pub room_type_id: Uuid,
    pub rate_plan_id: Uuid,
    pub day: NaiveDate,
    pub rate: Option<rust_decimal::Decimal>,
    pub fields: Map<String, Value>,
}

impl Store {
    /// The property's recorded changes matching `filter`, in the order they were appended, after
    /// the change numbered `after`, at most `limit`.
    pub async fn ari_changes(
        &self,
        property: Uuid,
        filter: &HistoryFilter,
        after: i64,
        limit: u32,
    ) -> Result<Vec<Recorded>, StoreError> {
        let sql = format!(
            "SELECT {RECORDED} FROM ari_changes WHERE property_id = $1 AND id > $2
               AND ($3 IS NULL OR master_rate_id = $3) AND ($4 IS NULL OR room_type_id = $4)
               AND ($5 IS NULL OR day >= $5) AND ($6 IS NULL OR day <= $6)
             ORDER BY id LIMIT $7"
        );
        Ok(
            on_pool!(&self.read, pool => sqlx::query_as::<_, Recorded>(&sql)
            .bind(property).bind(after).bind(filter.master_rate).bind(filter.room_type)
            .bind(filter.start).bind(filter.end).bind(i64::from(limit))
            .fetch_all(pool).await)?,
        )
    }

    /// The calendar of the property's master rates (or `master` only) from `start` to `end`
    /// inclusive as it stood at `at`: every field of every cell (`rate`, `rateSource`, the
    /// modifiers, the restrictions, and the room type's `numberOfUnits`) as the ledger says it
    /// was, by master rate then date. Rooms held by bookings are not part of it.
    pub async fn calendar_as_of(
        &self,
        property: Uuid,
        master: Option<Uuid>,
        start: NaiveDate,
        end: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<Vec<CellAsOf>, StoreError> {
        let now = self.rates(property, master, start, end).await?;
        let capacity_sql = "SELECT a.room_type_id, a.day, a.capacity FROM room_availability a
             JOIN room_types t ON t.id = a.room_type_id
             WHERE t.property_id = $1 AND a.day >= $2 AND a.day <= $3";
        let later_sql = format!(
            "SELECT {RECORDED} FROM ari_changes WHERE property_id = $1 AND changed_at > $2
               AND day >= $3 AND day <= $4 AND ($5 IS NULL OR master_rate_id IS NULL OR master_rate_id = $5)
             ORDER BY id"
        );
        let (capacity, later) = on_pool!(&self.read, pool => {
            let capacity: Vec<(Uuid, NaiveDate, i32)> = sqlx::query_as(capacity_sql)
                .bind(property).bind(start).bind(end).fetch_all(pool).await?;
            let later = sqlx::query_as::<_, Recorded>(&later_sql)
                .bind(property).bind(at).bind(start).bind(end).bind(master)
                .fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((capacity, later))
        })?;
        let capacity: HashMap<(Uuid, NaiveDate), i32> = capacity
            .into_iter()
            .map(|(room, day, n)| ((room, day), n))
            .collect();
        // The first change after `at` of each (cell, field) holds the value it had at `at`.
        let mut undone: HashMap<(Option<Uuid>, Uuid, NaiveDate, String), Value> = HashMap::new();
        for r in later {
            let key = (r.master_rate_id, r.room_type_id, r.day, r.field);
            undone
                .entry(key)
                .or_insert_with(|| serde_json::from_str(&r.old_value).unwrap_or(Value::Null));
        }
        Ok(now
            .into_iter()
            .map(|view| as_of(view, &capacity, &undone))
            .collect())
    }
}

/// One cell of today's calendar with every later change undone.
fn as_of(
    view: RateView,
    capacity: &HashMap<(Uuid, NaiveDate), i32>,
    undone: &HashMap<(Option<Uuid>, Uuid, NaiveDate, String), Value>,
) -> CellAsOf {
    let row = DailyRate {
        master_rate_id: view.master_rate_id,
        day: view.day,
        rate: view.rate,
        open: view.open,
        closed_to_arrival: view.closed_to_arrival,
        closed_to_departure: view.closed_to_departure,
        min_los: view.min_los,
        max_los: view.max_los,
        modifiers: view.modifiers.clone(),
        rate_source: view.rate_source.clone(),
        updated_at: DateTime::<Utc>::MIN_UTC,
    };
    let mut fields = Map::new();
    for (field, value) in rate_fields(&row) {
        let key = (
            Some(view.master_rate_id),
            view.room_type_id,
            view.day,
            field.to_string(),
        );
        fields.insert(
            field.to_string(),
            undone.get(&key).cloned().unwrap_or(value),
        );
    }
    let units = capacity
        .get(&(view.room_type_id, view.day))
        .copied()
        .unwrap_or(0);
    let key = (
        None,
        view.room_type_id,
        view.day,
        NUMBER_OF_UNITS.to_string(),
    );
    fields.insert(
        NUMBER_OF_UNITS.to_string(),
        undone.get(&key).cloned().unwrap_or(json!(units)),
    );
    let rate = fields.get(RATE).and_then(|v| match v {
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    });
    CellAsOf {
        master_rate_id: view.master_rate_id,
        room_type_id: view.room_type_id,
        rate_plan_id: view.rate_plan_id,
        day: view.day,
        rate,
        fields,
    }
}
