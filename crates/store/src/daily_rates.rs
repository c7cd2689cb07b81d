//! Daily rates (a master rate's price and restrictions for one date) and room availability (a
//! room type's rooms still for sale on one night, shared by all its rate plans).
//!
//! Writes come as a list of [`RateChange`]s applied in order in ONE transaction: either every
//! change is stored or none. Reads answer each daily rate with its room type's units that date,
//! in one query however long the range.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::ari_changes::{self, Change, NUMBER_OF_UNITS, diff_rate};
use crate::{Amount, Store, StoreError, on_pool};

/// `rate_source` of rows no one named a source for.
pub const DEFAULT_RATE_SOURCE: &str = "TRAVELIKO";

/// One master rate's stored price and restrictions for a date (see the migration for the
/// meaning of each column).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct DailyRate {
    pub master_rate_id: Uuid,
    pub day: NaiveDate,
    pub rate: Option<Amount>,
    pub open: bool,
    pub closed_to_arrival: bool,
    pub closed_to_departure: bool,
    pub min_los: Option<i32>,
    pub max_los: Option<i32>,
    pub modifiers: Json<Value>,
    pub rate_source: String,
    pub updated_at: DateTime<Utc>,
}

impl DailyRate {
    /// A date no one has set yet: open, unrestricted, and without a price (so not sold).
    fn new(master_rate_id: Uuid, day: NaiveDate, now: DateTime<Utc>) -> DailyRate {
        DailyRate {
            master_rate_id,
            day,
            rate: None,
            open: true,
            closed_to_arrival: false,
            closed_to_departure: false,
            min_los: None,
            max_los: None,
            modifiers: Json(Value::Object(Map::new())),
            rate_source: DEFAULT_RATE_SOURCE.to_string(),
            updated_at: now,
        }
    }
}

/// A daily rate as answered: with its master rate's room type and rate plan, and `units`, the
/// room type's rooms still for sale that date (0 without an availability row).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct RateView {
    pub master_rate_id: Uuid,
    pub room_type_id: Uuid,
    pub rate_plan_id: Uuid,
    pub day: NaiveDate,
    pub rate: Option<Amount>,
    pub open: bool,
    pub closed_to_arrival: bool,
    pub closed_to_departure: bool,
    pub min_los: Option<i32>,
    pub max_los: Option<i32>,
    pub modifiers: Json<Value>,
    pub rate_source: String,
    pub units: i32,
}

impl RateView {
    /// A daily rate of a master rate of `room` and `plan`, with `units` rooms left.
    fn of(row: &DailyRate, room_type_id: Uuid, rate_plan_id: Uuid, units: i32) -> RateView {
        RateView {
            master_rate_id: row.master_rate_id,
            room_type_id,
            rate_plan_id,
            day: row.day,
            rate: row.rate,
            open: row.open,
            closed_to_arrival: row.closed_to_arrival,
            closed_to_departure: row.closed_to_departure,
            min_los: row.min_los,
            max_los: row.max_los,
            modifiers: row.modifiers.clone(),
            rate_source: row.rate_source.clone(),
            units,
        }
    }

    /// A date no one has set, as answered: a new row's settings with its room type's `units`.
    fn fresh(
        master_rate_id: Uuid,
        room_type_id: Uuid,
        rate_plan_id: Uuid,
        day: NaiveDate,
        units: i32,
    ) -> RateView {
        let fresh = DailyRate::new(master_rate_id, day, Utc::now());
        RateView {
            master_rate_id,
            room_type_id,
            rate_plan_id,
            day,
            rate: fresh.rate,
            open: fresh.open,
            closed_to_arrival: fresh.closed_to_arrival,
            closed_to_departure: fresh.closed_to_departure,
            min_los: fresh.min_los,
            max_los: fresh.max_los,
            modifiers: fresh.modifiers,
            rate_source: fresh.rate_source,
            units,
        }
    }
}

/// What a change sets on a daily rate; `None` keeps the stored value (a new row starts open,
/// unrestricted, without a price, from [`DEFAULT_RATE_SOURCE`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatePatch {
    pub rate: Option<Amount>,
    pub open: Option<bool>,
    pub closed_to_arrival: Option<bool>,
    pub closed_to_departure: Option<bool>,
    pub min_los: Option<i32>,
    pub max_los: Option<i32>,
    /// Keys of the `modifiers` document to set; the others are kept.
    pub modifiers: Map<String, Value>,
    pub rate_source: Option<String>,
}

impl RatePatch {
    fn apply(&self, row: &mut DailyRate, now: DateTime<Utc>) {
        if let Some(rate) = self.rate {
            row.rate = Some(rate);
        }
        if let Some(open) = self.open {
            row.open = open;
        }
        if let Some(v) = self.closed_to_arrival {
            row.closed_to_arrival = v;
        }
        if let Some(v) = self.closed_to_departure {
            row.closed_to_departure = v;
        }
        if let Some(v) = self.min_los {
            row.min_los = Some(v);
        }
        if let Some(v) = self.max_los {
            row.max_los = Some(v);
        }
        if !self.modifiers.is_empty() {
            if !row.modifiers.0.is_object() {
                row.modifiers.0 = Value::Object(Map::new());
            }
            if let Value::Object(doc) = &mut row.modifiers.0 {
                for (key, value) in &self.modifiers {
                    doc.insert(key.clone(), value.clone());
                }
            }
        }
        if let Some(source) = &self.rate_source {
            row.rate_source = source.clone();
        }
        row.updated_at = now;
    }
}

/// What a change does to the room type's availability that date. Changes are to the night's
/// capacity (rooms for sale in all, including those bookings already hold): rooms left are the
/// capacity less what is sold, so no write here can sell again a room a booking holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitsChange {
    Keep,
    /// The capacity becomes exactly this many: rooms left are this less what is sold (0 when
    /// as many or more are already sold).
    Set(i32),
    /// The capacity (and so the rooms left) changes by this much; refused when rooms left would
    /// go below 0. With a key, applied once per key and property: a repeat of the key changes
    /// nothing.
    Add {
        delta: i32,
        idempotency_key: Option<String>,
    },
}

/// One date of one master rate to write.
#[derive(Debug, Clone, PartialEq)]
pub struct RateChange {
    pub master_rate_id: Uuid,
    pub room_type_id: Uuid,
    pub day: NaiveDate,
    pub patch: RatePatch,
    pub units: UnitsChange,
}

const VIEW: &str = concat!(
    "SELECT d.master_rate_id, m.room_type_id, m.rate_plan_id, d.day, d.rate, d.open, d.closed_to_arrival,
        d.closed_to_departure, d.min_los, d.max_los, d.modifiers, d.rate_source, ",
    rooms_left!(),
    " AS units
     FROM master_rates m
     JOIN daily_rates d ON d.master_rate_id = m.id
     LEFT JOIN room_availability a ON a.room_type_id = m.room_type_id AND a.day = d.day"
);

/// Each night's rooms left of the room types at `room_availability a`.
const UNITS: &str = concat!(
    "SELECT a.room_type_id, a.day, ",
    rooms_left!(),
    " AS units FROM room_availability a"
);

const DAILY_COLUMNS: &str = "master_rate_id, day, rate, open, closed_to_arrival, closed_to_departure, min_los, max_los, modifiers, rate_source, updated_at";

/// Dates per `IN (...)` read (binds: one each).
const READ_CHUNK: usize = 1_000;

/// Rows per multi-row write: at most 11 binds each, 11,000 in all, within both engines' limits
/// (SQLite 32,766, PostgreSQL 65,535), so a year of one master rate is one statement.
const WRITE_CHUNK: usize = 1_000;

impl Store {
    /// The calendar of every master rate of the property (or of `master` only) from `start` to
    /// `end` inclusive, by master rate (as listed) then date: EVERY date of the range, a date no
    /// one has set answered as a new row would be (open, unrestricted, no price, so not sold),
    /// with its room type's units. The contract requires these lists to be non-empty, and a
    /// calendar with holes would make every client fill them in itself.
    ///
    /// Three queries whatever the length of the range: master rates, daily rates, availability.
    pub async fn rates(
        &self,
        property: Uuid,
        master: Option<Uuid>,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<RateView>, StoreError> {
        let order = "ORDER BY m.created_at, m.id, d.day";
        let (masters, rows, units) = on_pool!(&self.read, pool => {
            let masters: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
                "SELECT id, room_type_id, rate_plan_id FROM master_rates
                 WHERE property_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY created_at, id")
                .bind(property).bind(master).fetch_all(pool).await?;
            let sql = format!("{VIEW} WHERE m.property_id = $1 AND ($2 IS NULL OR m.id = $2) AND d.day >= $3 AND d.day <= $4 {order}");
            let rows = sqlx::query_as::<_, RateView>(&sql)
                .bind(property).bind(master).bind(start).bind(end).fetch_all(pool).await?;
            let units: Vec<(Uuid, NaiveDate, i32)> = sqlx::query_as(
                &format!("{UNITS} JOIN room_types t ON t.id = a.room_type_id
                 WHERE t.property_id = $1 AND a.day >= $2 AND a.day <= $3"))
                .bind(property).bind(start).bind(end).fetch_all(pool).await?;
            Ok::<_, sqlx::Error>((masters, rows, units))
        })?;
        let (units, mut stored) = by_key(units, rows);
        let days: Vec<NaiveDate> = start.iter_days().take_while(|d| *d <= end).collect();
        let mut calendar = Vec::with_capacity(masters.len() * days.len());
        for (master_rate_id, room_type_id, rate_plan_id) in masters {
            for day in &days {
                let view = stored.remove(&(master_rate_id, *day)).unwrap_or_else(|| {
                    let units = units.get(&(room_type_id, *day)).copied().unwrap_or(0);
                    RateView::fresh(master_rate_id, room_type_id, rate_plan_id, *day, units)
                });
                calendar.push(view);
            }
        }
        Ok(calendar)
    }

    /// The daily rates at these (master rate, date) keys, in the order of the keys, each once;
    /// keys of master rates that are not the property's are left out. Reads exactly these
    /// dates, however far apart: never the calendar between them.
    pub async fn rates_at(
        &self,
        property: Uuid,
        keys: &[(Uuid, NaiveDate)],
    ) -> Result<Vec<RateView>, StoreError> {
        let mut seen = HashSet::new();
        let keys: Vec<(Uuid, NaiveDate)> =
            keys.iter().copied().filter(|k| seen.insert(*k)).collect();
        let days = days_by_master(keys.iter().copied());
        let (masters, rows, units) = on_pool!(&self.read, pool => {
            let masters: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
                "SELECT id, room_type_id, rate_plan_id FROM master_rates WHERE property_id = $1")
                .bind(property).fetch_all(pool).await?;
            let room_of: HashMap<Uuid, Uuid> = masters.iter().map(|(m, room, _)| (*m, *room)).collect();
            let mut rows: Vec<RateView> = Vec::new();
            let mut units: Vec<(Uuid, NaiveDate, i32)> = Vec::new();
            for (master, days) in &days {
                let Some(room) = room_of.get(master) else { continue };
                for chunk in days.chunks(READ_CHUNK) {
                    let sql = format!("{VIEW} WHERE m.property_id = $1 AND m.id = $2 AND d.day IN ({})", crate::placeholders(chunk.len(), 3));
                    let mut query = sqlx::query_as::<_, RateView>(&sql).bind(property).bind(*master);
                    for day in chunk {
                        query = query.bind(*day);
                    }
                    rows.extend(query.fetch_all(pool).await?);
                    let sql = format!("{UNITS} WHERE a.room_type_id = $1 AND a.day IN ({})", crate::placeholders(chunk.len(), 2));
                    let mut query = sqlx::query_as::<_, (Uuid, NaiveDate, i32)>(&sql).bind(*room);
                    for day in chunk {
                        query = query.bind(*day);
                    }
                    units.extend(query.fetch_all(pool).await?);
                }
            }
            Ok::<_, sqlx::Error>((masters, rows, units))
        })?;
        let masters: HashMap<Uuid, (Uuid, Uuid)> = masters
            .into_iter()
            .map(|(m, room, plan)| (m, (room, plan)))
            .collect();
        let (units, mut stored) = by_key(units, rows);
        Ok(keys
            .iter()
            .filter_map(|&(master, day)| {
                let (room, plan) = *masters.get(&master)?;
                Some(stored.remove(&(master, day)).unwrap_or_else(|| {
                    let n = units.get(&(room, day)).copied().unwrap_or(0);
                    RateView::fresh(master, room, plan, day, n)
                }))
            })
            .collect())
    }

    /// Forgets every `deltaQuantity` idempotency key first used before `before`; answers how
    /// many.
    pub async fn purge_rate_idempotency_keys(
        &self,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Ok(on_pool!(&self.write, p => sqlx::query(
            "DELETE FROM rate_idempotency_keys WHERE created_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()))?)
    }

    /// Applies `changes` in order, in one transaction: every change or none, and answers the
    /// resulting daily rate of each distinct (master rate, date) in the order they first appear.
    /// A `deltaQuantity` idempotency key first used before `keys_expire_before` is forgotten:
    /// its reuse applies.
    ///
    /// Each changed field of each cell is appended to the ARI ledger (`ari_changes`) with
    /// `client`, and each kind of change (rates, restrictions, availability) is recorded as one
    /// event carrying the changed cells, in the same transaction. Cells a change leaves as they
    /// were are not written, recorded or reported. Statements are batched: per master rate one
    /// lock and one read of its dates, then one multi-row statement per table for the whole
    /// request (in chunks within both engines' bind limits), never one per cell.
    ///
    /// Refused with [`StoreError::NotFound`] when a master rate is not the property's (or no
    /// longer exists), and with [`StoreError::Conflict`] when a relative change would leave a
    /// room type fewer than 0 rooms on a date.
    pub async fn apply_rate_changes(
        &self,
        property: Uuid,
        changes: &[RateChange],
        now: DateTime<Utc>,
        keys_expire_before: DateTime<Utc>,
        client: Option<Uuid>,
    ) -> Result<Vec<RateView>, StoreError> {
        // Each master rate's dates, to read what is stored at exactly those dates (never the
        // calendar between the first and the last: two dates years apart are two rows).
        let days = days_by_master(changes.iter().map(|c| (c.master_rate_id, c.day)));
        let mut order: Vec<(Uuid, NaiveDate)> = Vec::new();
        let mut seen = HashSet::new();
        for c in changes {
            if seen.insert((c.master_rate_id, c.day)) {
                order.push((c.master_rate_id, c.day));
            }
        }
        let lock = self.write.for_update();
        let answer = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            // Lock the master rates (in a fixed order) so concurrent writers of the same dates
            // queue instead of overwriting each other's read-modify-write.
            let mut masters: HashMap<Uuid, (Uuid, Uuid)> = HashMap::new();
            let mut stored: HashMap<(Uuid, NaiveDate), DailyRate> = HashMap::new();
            for (master, days) in &days {
                let locked: Option<(Uuid, Uuid)> = sqlx::query_as(
                    "UPDATE master_rates SET enabled = enabled WHERE id = $1 AND property_id = $2
                     RETURNING room_type_id, rate_plan_id")
                    .bind(*master).bind(property).fetch_optional(&mut *tx).await?;
                let Some(pair) = locked else {
                    return Err(StoreError::NotFound);
                };
                masters.insert(*master, pair);
                for chunk in days.chunks(READ_CHUNK) {
                    let sql = format!(
                        "SELECT {DAILY_COLUMNS} FROM daily_rates WHERE master_rate_id = $1 AND day IN ({})",
                        crate::placeholders(chunk.len(), 2)
                    );
                    let mut query = sqlx::query_as::<_, DailyRate>(&sql).bind(*master);
                    for day in chunk {
                        query = query.bind(*day);
                    }
                    let rows = query.fetch_all(&mut *tx).await?;
                    stored.extend(rows.into_iter().map(|r| ((r.master_rate_id, r.day), r)));
                }
            }
            let room_of = |master: &Uuid| masters[master].0;
            // The resulting rows; those that differ from what is stored are written once.
            let mut result: HashMap<(Uuid, NaiveDate), DailyRate> = HashMap::new();
            for c in changes {
                let key = (c.master_rate_id, c.day);
                let row = result.entry(key).or_insert_with(|| {
                    stored.get(&key).cloned().unwrap_or_else(|| DailyRate::new(c.master_rate_id, c.day, now))
                });
                c.patch.apply(row, now);
            }
            let mut ledger: Vec<Change> = Vec::new();
            let mut changed: Vec<(Uuid, NaiveDate)> = Vec::new();
            for key in &order {
                let new = &result[key];
                let fresh;
                let old = match stored.get(key) {
                    Some(old) => old,
                    None => {
                        fresh = DailyRate::new(key.0, key.1, now);
                        &fresh
                    }
                };
                if diff_rate(room_of(&key.0), old, new, &mut ledger) {
                    changed.push(*key);
                }
            }
            for chunk in changed.chunks(WRITE_CHUNK) {
                let sql = upsert_rates_sql(chunk.len());
                let mut query = sqlx::query(&sql);
                for key in chunk {
                    let r = &result[key];
                    query = query.bind(r.master_rate_id).bind(r.day).bind(r.rate).bind(r.open)
                        .bind(r.closed_to_arrival).bind(r.closed_to_departure).bind(r.min_los).bind(r.max_los)
                        .bind(r.modifiers.clone()).bind(r.rate_source.clone()).bind(r.updated_at);
                }
                query.execute(&mut *tx).await?;
            }
            // Availability: the nights whose capacity a change sets or moves get a row (0 rooms,
            // as no row means), then every night the request touches is read (and on
            // PostgreSQL locked, so a booking waits instead of changing `sold` under us).
            let mut to_set: Vec<(Uuid, NaiveDate)> = changes.iter()
                .filter(|c| c.units != UnitsChange::Keep)
                .map(|c| (room_of(&c.master_rate_id), c.day)).collect();
            to_set.sort_unstable();
            to_set.dedup();
            for chunk in to_set.chunks(WRITE_CHUNK) {
                let values: Vec<String> = (0..chunk.len())
                    .map(|i| format!("(${}, ${}, 0, 0, $1)", 2 + 2 * i, 3 + 2 * i))
                    .collect();
                let sql = format!(
                    "INSERT INTO room_availability (room_type_id, day, capacity, sold, updated_at) VALUES {}
                     ON CONFLICT (room_type_id, day) DO NOTHING", values.join(", "));
                let mut query = sqlx::query(&sql).bind(now);
                for (room, day) in chunk {
                    query = query.bind(*room).bind(*day);
                }
                query.execute(&mut *tx).await?;
            }
            let nights = days_by_master(changes.iter().map(|c| (room_of(&c.master_rate_id), c.day)));
            let mut units: HashMap<(Uuid, NaiveDate), (i32, i32)> = HashMap::new();
            for (room, days) in &nights {
                for chunk in days.chunks(READ_CHUNK) {
                    let sql = format!(
                        "SELECT day, capacity, sold FROM room_availability WHERE room_type_id = $1 AND day IN ({}) ORDER BY day{lock}",
                        crate::placeholders(chunk.len(), 2)
                    );
                    let mut query = sqlx::query_as::<_, (NaiveDate, i32, i32)>(&sql).bind(*room);
                    for day in chunk {
                        query = query.bind(*day);
                    }
                    for (day, capacity, sold) in query.fetch_all(&mut *tx).await? {
                        units.insert((*room, day), (capacity, sold));
                    }
                }
            }
            // The changes in their order: what is sold is locked, so a decrease can be checked
            // here against it, as the booking's own conditional update would.
            let before: HashMap<(Uuid, NaiveDate), i32> = units.iter().map(|(k, (c, _))| (*k, *c)).collect();
            for c in changes {
                let night = (room_of(&c.master_rate_id), c.day);
                match &c.units {
                    UnitsChange::Keep => {}
                    UnitsChange::Set(n) => {
                        if let Some(u) = units.get_mut(&night) {
                            u.0 = *n;
                        }
                    }
                    UnitsChange::Add { delta, idempotency_key } => {
                        if let Some(key) = idempotency_key {
                            let fresh = sqlx::query(
                                "INSERT INTO rate_idempotency_keys (property_id, idempotency_key, created_at) VALUES ($1, $2, $3)
                                 ON CONFLICT (property_id, idempotency_key) DO UPDATE SET created_at = excluded.created_at
                                 WHERE rate_idempotency_keys.created_at < $4")
                                .bind(property).bind(key.as_str()).bind(now).bind(keys_expire_before)
                                .execute(&mut *tx).await?.rows_affected();
                            if fresh == 0 {
                                continue;
                            }
                        }
                        let Some(u) = units.get_mut(&night) else { continue };
                        if *delta < 0 && u.0 + delta < u.1 {
                            return Err(StoreError::Conflict(format!(
                                "a change of {delta} would leave room type {} with fewer than 0 rooms on {}",
                                night.0, night.1
                            )));
                        }
                        u.0 += delta;
                    }
                }
            }
            let mut capacities: Vec<((Uuid, NaiveDate), i32)> = Vec::new();
            for night in &to_set {
                let (Some(old), Some((new, _))) = (before.get(night), units.get(night)) else { continue };
                if old != new {
                    capacities.push((*night, *new));
                    ledger.push(Change {
                        room_type_id: night.0,
                        master_rate_id: None,
                        day: night.1,
                        field: NUMBER_OF_UNITS,
                        old: (*old).into(),
                        new: (*new).into(),
                    });
                }
            }
            for chunk in capacities.chunks(WRITE_CHUNK) {
                let sql = set_units_sql(chunk.len());
                let mut query = sqlx::query(&sql).bind(now);
                for ((room, day), capacity) in chunk {
                    query = query.bind(*room).bind(*day).bind(*capacity);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in ledger.chunks(ari_changes::CHUNK) {
                let sql = ari_changes::insert_sql(chunk.len());
                let mut query = sqlx::query(&sql).bind(property).bind(now).bind(client);
                for c in chunk {
                    query = query.bind(c.room_type_id).bind(c.master_rate_id).bind(c.day)
                        .bind(c.field).bind(c.old.to_string()).bind(c.new.to_string());
                }
                query.execute(&mut *tx).await?;
            }
            for event in ari_changes::events_of(property, &ledger, now) {
                crate::record_event!(tx, &event)?;
            }
            tx.commit().await?;
            order.iter().map(|key| {
                let (room, plan) = masters[&key.0];
                let n = units.get(&(room, key.1)).map_or(0, |(c, s)| (c - s).max(0));
                RateView::of(&result[key], room, plan, n)
            }).collect::<Vec<RateView>>()
        });
        Ok(answer)
    }
}

/// Each master rate's distinct dates, in order (master rates in a fixed order, so writers lock
/// them in the same order).
fn days_by_master(keys: impl Iterator<Item = (Uuid, NaiveDate)>) -> BTreeMap<Uuid, Vec<NaiveDate>> {
    let mut days: BTreeMap<Uuid, Vec<NaiveDate>> = BTreeMap::new();
    for (master, day) in keys {
        days.entry(master).or_default().push(day);
    }
    for list in days.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    days
}

/// An upsert of the capacity of `rows` availability rows (binds: `$1` the time, then per row
/// room type, day, capacity). What is sold is never written here: bookings keep their rooms.
fn set_units_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| {
            let b = 2 + i * 3;
            format!("(${}, ${}, ${}, 0, $1)", b, b + 1, b + 2)
        })
        .collect();
    format!(
        "INSERT INTO room_availability (room_type_id, day, capacity, sold, updated_at) VALUES {}
         ON CONFLICT (room_type_id, day) DO UPDATE SET capacity = excluded.capacity, updated_at = excluded.updated_at",
        values.join(", ")
    )
}

/// An upsert of `rows` daily rates (11 binds per row, the columns of [`DAILY_COLUMNS`]).
fn upsert_rates_sql(rows: usize) -> String {
    format!(
        "INSERT INTO daily_rates ({DAILY_COLUMNS}) VALUES {}
         ON CONFLICT (master_rate_id, day) DO UPDATE SET rate = excluded.rate, open = excluded.open,
            closed_to_arrival = excluded.closed_to_arrival, closed_to_departure = excluded.closed_to_departure,
            min_los = excluded.min_los, max_los = excluded.max_los, modifiers = excluded.modifiers,
            rate_source = excluded.rate_source, updated_at = excluded.updated_at",
        crate::value_rows(rows, 11, 1)
    )
}

/// Rooms left by (room type, night) and stored rates by (master rate, day), for filling a
/// calendar or a list of keys with defaults where nothing is stored.
#[allow(clippy::type_complexity)]
fn by_key(
    units: Vec<(Uuid, NaiveDate, i32)>,
    rows: Vec<RateView>,
) -> (
    HashMap<(Uuid, NaiveDate), i32>,
    HashMap<(Uuid, NaiveDate), RateView>,
) {
    let units = units
        .into_iter()
        .map(|(room, day, n)| ((room, day), n))
        .collect();
    let stored = rows
        .into_iter()
        .map(|r| ((r.master_rate_id, r.day), r))
        .collect();
    (units, stored)
}
