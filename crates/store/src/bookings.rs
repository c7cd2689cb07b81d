//! Bookings, and the reads that price a stay.
//!
//! A booking takes its rooms with one conditional update per night inside its own transaction
//! (`capacity - sold >= quantity`, adding to `sold`), nights in date order, so two bookings can never both take the last room
//! on either engine and never deadlock each other; the nights it took are recorded, and cancelling
//! gives exactly those back in the same transaction as the status change.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryFutureExt;
use futures_util::future::{try_join, try_join3, try_join4};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::cancellation_policies::CancellationPolicy;
use crate::idempotency::{Receipt, keep_receipt};
use crate::notifications::Notification;
use crate::rate_plans::PolicyException;
use crate::room_types::RoomType;
use crate::{Amount, Store, StoreError, on_pool};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Booking {
    pub id: Uuid,
    pub property_id: Uuid,
    /// Unique, human-friendly.
    pub code: String,
    /// `NORMAL` or `TEST`.
    pub creation: String,
    /// The wire's `bookingStatus`.
    pub status: String,
    pub sales_channel_id: Uuid,
    pub master_rate_id: Uuid,
    pub room_type_id: Uuid,
    pub rate_plan_id: Uuid,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    /// Identical rooms booked.
    pub quantity: i32,
    pub currency: String,
    /// All rooms, nights and fees.
    pub total: Amount,
    /// The first night of every room.
    pub first_night: Amount,
    pub guest_first_name: String,
    pub guest_last_name: String,
    pub guest_email: String,
    /// Lower-cased "first last", email and code, one per line: what `search` matches.
    pub search_text: String,
    /// The application that made the booking.
    pub booked_by: Uuid,
    /// The booking-time snapshot (see the migration).
    pub document: Json<Value>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<Uuid>,
    pub cancellation_type: Option<String>,
    pub cancel_reason: Option<String>,
    pub penalty: Option<Amount>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub(crate) const COLUMNS: &str = "id, property_id, code, creation, status, sales_channel_id, master_rate_id, room_type_id, rate_plan_id, arrival, departure, quantity, currency, total, first_night, guest_first_name, guest_last_name, guest_email, search_text, booked_by, document, cancelled_at, cancelled_by, cancellation_type, cancel_reason, penalty, created_at, updated_at, version";

/// What a cancellation records.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancellation {
    pub at: DateTime<Utc>,
    pub by: Uuid,
    pub cancellation_type: String,
    pub reason: String,
    pub penalty: Amount,
    /// Recorded in the outbox when this call cancels the booking (the guest's cancellation
    /// mail), in the cancellation's transaction.
    pub notice: Option<Notification>,
}

/// Which bookings a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BookingFilter {
    /// Only this stored status.
    pub status: Option<String>,
    /// Only bookings that are not cancelled.
    pub active: bool,
    /// Case-insensitive substring of the guest's "first last" name, email or the booking code.
    pub search: Option<String>,
}

/// What a booking's quote was made of, checked again inside the booking's transaction: a change
/// committed between the quote and the booking refuses the booking instead of selling it at a
/// price or under restrictions no longer offered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotedFrom {
    /// The booked master rate's daily rates (price, stop-sell, arrival and length-of-stay
    /// restrictions) from arrival to departure, as the quote read them.
    pub nights: Vec<NightRow>,
}

/// What became of a booking's insert.
#[derive(Debug, Clone, PartialEq)]
pub enum Booked {
    // Boxed: a booking row is large and the other outcome carries nothing.
    Stored(Box<Booking>),
    /// Another booking holds the code: nothing was done; ask again with another code.
    CodeTaken,
    /// Too few rooms were left on this night (other bookings took them since the quote):
    /// nothing was done.
    SoldOut(NaiveDate),
}

impl Store {
    /// Stores a booking, its notifications, its `booking.created` event and (with an
    /// Idempotency-Key) its answer, and takes
    /// `quantity` rooms of its room type for every night of `arrival ..< departure`, all in one
    /// transaction. A night without enough rooms left is [`Booked::SoldOut`]; refused with
    /// [`StoreError::Conflict`]: a room type, rate plan or master rate removed or disabled since
    /// the quote, daily rates changed since the quote (`quoted`). Either way nothing is changed.
    pub async fn create_booking(
        &self,
        b: &Booking,
        quoted: &QuotedFrom,
        notes: &[Notification],
        receipt: Option<&Receipt>,
    ) -> Result<Booked, StoreError> {
        let nights: Vec<NaiveDate> = b
            .arrival
            .iter_days()
            .take_while(|day| *day < b.departure)
            .collect();
        let insert = format!(
            "INSERT INTO bookings ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
             ON CONFLICT (code) DO NOTHING"
        );
        // One statement reads the booking's parents and the stay's daily rates, locking them
        // (PostgreSQL) so that a deletion or a rate change waits for this booking and then counts
        // it, or this booking waits for it and finds the change. PostgreSQL locks the rows of
        // each result row in the order of the FROM list: the property (a status switch), the room
        // type, the rate plan, the master rate (the order a deletion takes them: the parent row,
        // then its master rates by cascade), then the daily rates, so no writer and this booking
        // can wait for each other. SQLite has one writer and needs no locks.
        let stay = format!(
            "SELECT p.status, r.enabled AS plan_enabled, m.enabled AS rate_enabled,
                d.master_rate_id, d.day, d.rate, d.open, d.closed_to_arrival, d.closed_to_departure, d.min_los, d.max_los,
                d.modifiers, d.rate_source
             FROM properties p
             JOIN room_types t ON t.id = $2 AND t.property_id = p.id
             JOIN rate_plans r ON r.id = $3 AND r.property_id = p.id
             JOIN master_rates m ON m.id = $4 AND m.property_id = p.id AND m.room_type_id = t.id AND m.rate_plan_id = r.id
             JOIN daily_rates d ON d.master_rate_id = m.id AND d.day >= $5 AND d.day <= $6
             WHERE p.id = $1 ORDER BY d.day{}",
            self.write.for_share()
        );
        // The nights it holds, in one statement.
        let night_rows: Vec<String> = (0..nights.len())
            .map(|i| format!("($1, $2, ${}, $3)", i + 4))
            .collect();
        let insert_nights = format!(
            "INSERT INTO booking_nights (booking_id, room_type_id, day, quantity) VALUES {}",
            night_rows.join(", ")
        );
        let quoted_nights: Vec<&NightRow> = quoted
            .nights
            .iter()
            .filter(|n| {
                n.master_rate_id == b.master_rate_id && n.day >= b.arrival && n.day <= b.departure
            })
            .collect();
        let mut stored = b.clone();
        stored.search_text = search_text(
            &stored.guest_first_name,
            &stored.guest_last_name,
            &stored.guest_email,
            &stored.code,
        );
        on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let now_rates: Vec<StayCheckRow> = sqlx::query_as(&stay)
                .bind(b.property_id).bind(b.room_type_id).bind(b.rate_plan_id).bind(b.master_rate_id)
                .bind(b.arrival).bind(b.departure)
                .fetch_all(&mut *tx).await?;
            // Every quoted stay has a daily rate per night: no row means a parent or the rates
            // went away.
            let Some(first) = now_rates.first() else {
                return Err(StoreError::Conflict("the room type, rate plan, master rate or daily rates of the offer were removed; quote again".into()));
            };
            if first.status != "ACTIVE" {
                return Err(StoreError::Conflict("the property is not active: it sells nothing until its status is ACTIVE".into()));
            }
            if !(first.plan_enabled && first.rate_enabled) {
                return Err(StoreError::Conflict("the rate plan or master rate of the offer was disabled; quote again".into()));
            }
            if now_rates.len() != quoted_nights.len() || now_rates.iter().zip(&quoted_nights).any(|(now, then)| now.night != **then) {
                return Err(StoreError::Conflict("the rates or restrictions of the stay changed since it was quoted; quote again".into()));
            }
            for day in &nights {
                let taken = sqlx::query(
                    "UPDATE room_availability SET sold = sold + $3, updated_at = $4
                     WHERE room_type_id = $1 AND day = $2 AND capacity - sold >= $3")
                    .bind(b.room_type_id).bind(day).bind(b.quantity).bind(b.created_at)
                    .execute(&mut *tx).await?.rows_affected();
                if taken == 0 {
                    // Dropping the transaction rolls back the nights already taken.
                    return Ok(Booked::SoldOut(*day));
                }
            }
            let inserted = sqlx::query(&insert)
                .bind(stored.id).bind(stored.property_id).bind(&stored.code).bind(&stored.creation).bind(&stored.status)
                .bind(stored.sales_channel_id).bind(stored.master_rate_id).bind(stored.room_type_id).bind(stored.rate_plan_id)
                .bind(stored.arrival).bind(stored.departure).bind(stored.quantity).bind(&stored.currency)
                .bind(stored.total).bind(stored.first_night)
                .bind(&stored.guest_first_name).bind(&stored.guest_last_name).bind(&stored.guest_email).bind(&stored.search_text)
                .bind(stored.booked_by).bind(&stored.document)
                .bind(stored.cancelled_at).bind(stored.cancelled_by).bind(&stored.cancellation_type).bind(&stored.cancel_reason).bind(stored.penalty)
                .bind(stored.created_at).bind(stored.updated_at).bind(stored.version)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if !inserted {
                return Ok(Booked::CodeTaken);
            }
            if !nights.is_empty() {
                let mut insert = sqlx::query(&insert_nights)
                    .bind(stored.id).bind(stored.room_type_id).bind(stored.quantity);
                for day in &nights {
                    insert = insert.bind(day);
                }
                insert.execute(&mut *tx).await?;
            }
            let note_insert = crate::notifications::INSERT;
            for n in notes {
                sqlx::query(note_insert)
                    .bind(n.id).bind(n.property_id).bind(n.booking_id).bind(&n.kind).bind(&n.recipient)
                    .bind(n.requested_by).bind(n.requested_at).bind(n.sent_at)
                    .execute(&mut *tx).await?;
            }
            if let Some(receipt) = receipt {
                keep_receipt!(tx, receipt);
            }
            crate::record_event!(tx, &crate::booking_events::created(&stored))?;
            tx.commit().await?;
        });
        Ok(Booked::Stored(Box::new(stored)))
    }
}

impl Store {
    pub async fn booking(&self, property: Uuid, id: Uuid) -> Result<Booking, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM bookings WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, p => sqlx::query_as::<_, Booking>(&sql).bind(property).bind(id).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// A page of the property's bookings, newest first, and how many match in all.
    pub async fn bookings(
        &self,
        property: Uuid,
        filter: &BookingFilter,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Booking>, u64), StoreError> {
        const WHERE: &str = "WHERE property_id = $1 AND ($2 IS NULL OR status = $2)
            AND ($3 = FALSE OR status <> 'CANCELLED') AND ($4 IS NULL OR search_text LIKE $4 ESCAPE '\\')";
        let pattern = filter.search.as_deref().map(like_pattern);
        let list = format!(
            "SELECT {COLUMNS} FROM bookings {WHERE} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
        );
        let count = format!("SELECT COUNT(*) FROM bookings {WHERE}");
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = on_pool!(&self.read, p => {
            let rows = sqlx::query_as::<_, Booking>(&list)
                .bind(property).bind(&filter.status).bind(filter.active).bind(&pattern)
                .bind(i64::from(limit)).bind(offset)
                .fetch_all(p).await?;
            let (total,): (i64,) = sqlx::query_as(&count)
                .bind(property).bind(&filter.status).bind(filter.active).bind(&pattern)
                .fetch_one(p).await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows, total.max(0) as u64))
    }

    /// Cancels a booking, gives back every night it holds and records its `notice` and
    /// `booking.cancelled`, in one transaction. Answers the booking as stored afterwards and whether this call cancelled it:
    /// a booking that was already cancelled (also by a concurrent call) is answered unchanged,
    /// and nothing is recorded.
    pub async fn cancel_booking(
        &self,
        property: Uuid,
        id: Uuid,
        c: &Cancellation,
    ) -> Result<(Booking, bool), StoreError> {
        let read = format!("SELECT {COLUMNS} FROM bookings WHERE property_id = $1 AND id = $2");
        let cancelled = on_pool!(&self.write, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE bookings SET status = 'CANCELLED', cancelled_at = $3, cancelled_by = $4, cancellation_type = $5,
                    cancel_reason = $6, penalty = $7, updated_at = $3, version = version + 1
                 WHERE property_id = $1 AND id = $2 AND status <> 'CANCELLED'")
                .bind(property).bind(id).bind(c.at).bind(c.by).bind(&c.cancellation_type).bind(&c.reason).bind(c.penalty)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 1 {
                let nights: Vec<(Uuid, NaiveDate, i32)> = sqlx::query_as(
                    "SELECT room_type_id, day, quantity FROM booking_nights WHERE booking_id = $1 ORDER BY day")
                    .bind(id).fetch_all(&mut *tx).await?;
                for (room_type, day, quantity) in nights {
                    // Imported bookings (`import_bookings`) took nothing and give nothing back.
                    sqlx::query("UPDATE room_availability SET sold = sold - $3, updated_at = $4 WHERE room_type_id = $1 AND day = $2 AND sold >= $3")
                        .bind(room_type).bind(day).bind(quantity).bind(c.at)
                        .execute(&mut *tx).await?;
                }
                if let Some(n) = &c.notice {
                    sqlx::query(crate::notifications::INSERT)
                        .bind(n.id).bind(n.property_id).bind(n.booking_id).bind(&n.kind).bind(&n.recipient)
                        .bind(n.requested_by).bind(n.requested_at).bind(n.sent_at)
                        .execute(&mut *tx).await?;
                }
                let cancelled: Booking = sqlx::query_as(&read)
                    .bind(property).bind(id).fetch_one(&mut *tx).await?;
                crate::record_event!(tx, &crate::booking_events::cancelled(&cancelled, c))?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(changed == 1)
        })?;
        Ok((self.booking(property, id).await?, cancelled))
    }

    /// Everything the pricing engine reads for a property and the dates `first ..= last`: room
    /// types, rate plans, cancellation policies and their exceptions, master rates, daily rates
    /// and availability. Rates are read up to `last` (a stay's departure, for closed-to-departure),
    /// availability up to the night before it.
    pub async fn stay_inputs(
        &self,
        property: Uuid,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<StayInputs, StoreError> {
        // The seven reads are independent: run on as many read connections at once, a stay's
        // inputs take about as long as the largest (the daily rates) instead of the sum.
        let inputs = on_pool!(&self.read, p => {
            let rate_plans = sqlx::query_as::<_, RatePlanRow>(
                "SELECT id, name, enabled, cancellation_policy_id, document FROM rate_plans WHERE property_id = $1 ORDER BY created_at, id")
                .bind(property).fetch_all(p);
            let policies = sqlx::query_as::<_, CancellationPolicy>(
                "SELECT id, property_id, refundable, free_cancellation, refundable_charge, no_show_charge, non_refundable_charge,
                    non_refundable_deadline, after_deadline_charge, created_at, updated_at, version
                 FROM cancellation_policies WHERE property_id = $1")
                .bind(property).fetch_all(p);
            let exceptions = sqlx::query_as::<_, PolicyException>(
                "SELECT e.rate_plan_id, e.position, e.cancellation_policy_id, e.start_date, e.end_date
                 FROM rate_plan_policy_exceptions e JOIN rate_plans r ON r.id = e.rate_plan_id
                 WHERE r.property_id = $1 ORDER BY e.rate_plan_id, e.position")
                .bind(property).fetch_all(p);
            let master_rates = sqlx::query_as::<_, MasterRateRow>(
                "SELECT id, room_type_id, rate_plan_id, enabled FROM master_rates WHERE property_id = $1 ORDER BY created_at, id")
                .bind(property).fetch_all(p);
            let nights = sqlx::query_as::<_, NightRow>(
                "SELECT d.master_rate_id, d.day, d.rate, d.open, d.closed_to_arrival, d.closed_to_departure, d.min_los, d.max_los,
                    d.modifiers, d.rate_source
                 FROM daily_rates d JOIN master_rates m ON m.id = d.master_rate_id
                 WHERE m.property_id = $1 AND d.day >= $2 AND d.day <= $3 ORDER BY d.master_rate_id, d.day")
                .bind(property).bind(first).bind(last).fetch_all(p);
            let availability = sqlx::query_as::<_, AvailabilityRow>(concat!(
                "SELECT a.room_type_id, a.day, ", rooms_left!(), " AS units
                 FROM room_availability a JOIN room_types t ON t.id = a.room_type_id
                 WHERE t.property_id = $1 AND a.day >= $2 AND a.day < $3 ORDER BY a.room_type_id, a.day"))
                .bind(property).bind(first).bind(last).fetch_all(p);
            let rules = try_join4(rate_plans, policies, exceptions, master_rates).map_err(StoreError::from);
            let rows = try_join(nights, availability).map_err(StoreError::from);
            let ((rate_plans, policies, exceptions, master_rates), (nights, availability), room_types) =
                try_join3(rules, rows, self.room_types(property)).await?;
            Ok::<_, StoreError>(StayInputs { room_types, rate_plans, policies, exceptions, master_rates, nights, availability })
        })?;
        Ok(inputs)
    }
}

/// What `search` is matched against.
pub fn search_text(first: &str, last: &str, email: &str, code: &str) -> String {
    format!("{first} {last}\n{email}\n{code}").to_lowercase()
}

/// A LIKE pattern matching `needle` anywhere, case-insensitively (the stored text is lower
/// case), with LIKE's own wildcards taken literally.
fn like_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for ch in needle.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// Everything the pricing engine reads for a stay (see [`Store::stay_inputs`]).
#[derive(Debug, Clone, Default)]
pub struct StayInputs {
    pub room_types: Vec<RoomType>,
    pub rate_plans: Vec<RatePlanRow>,
    pub policies: Vec<CancellationPolicy>,
    pub exceptions: Vec<PolicyException>,
    pub master_rates: Vec<MasterRateRow>,
    pub nights: Vec<NightRow>,
    pub availability: Vec<AvailabilityRow>,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct RatePlanRow {
    pub id: Uuid,
    pub name: String,
    pub enabled: bool,
    pub cancellation_policy_id: Uuid,
    /// The UpsertRatePlanRequest as received.
    pub document: Json<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MasterRateRow {
    pub id: Uuid,
    pub room_type_id: Uuid,
    pub rate_plan_id: Uuid,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct NightRow {
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
}

/// A night of the booked stay as its transaction reads it again, with its parents' switches.
#[derive(FromRow)]
struct StayCheckRow {
    status: String,
    plan_enabled: bool,
    rate_enabled: bool,
    #[sqlx(flatten)]
    night: NightRow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct AvailabilityRow {
    pub room_type_id: Uuid,
    pub day: NaiveDate,
    /// Rooms left for sale: the night's capacity less what is sold, never below 0.
    pub units: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("Doe"), "%doe%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn search_text_holds_name_email_and_code() {
        assert_eq!(
            search_text("Ann", "Lee", "Ann@X.example", "AB12-CD34"),
            "ann lee\nann@x.example\nab12-cd34"
        );
    }
}
