//! The inventory audit: a room type's stored counters beside the bookings that hold its rooms,
//! read in one statement (one consistent snapshot on either engine). For every night the rooms
//! counted as sold must be the rooms held by bookings that are not cancelled, and rooms left
//! plus those held is the capacity (unless the capacity was lowered under what is sold); a
//! difference means rooms were lost or sold twice.

use chrono::NaiveDate;
use sqlx::FromRow;
use uuid::Uuid;

use crate::{Store, StoreError, on_pool};

#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct NightAudit {
    pub day: NaiveDate,
    /// Rooms still for sale (capacity less sold, never below 0).
    pub units: i32,
    /// Rooms for sale in all that night, as the hotel set them.
    pub capacity: i32,
    /// Rooms counted as sold (the stored counter bookings add to).
    pub sold: i32,
    /// Rooms held that night by bookings that are not cancelled (from `booking_nights`).
    pub held: i64,
}

impl Store {
    /// Every night of `room_type` from `first` to `last` (inclusive) that has a counter.
    pub async fn availability_audit(
        &self,
        room_type: Uuid,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<NightAudit>, StoreError> {
        Ok(
            on_pool!(&self.read, p => sqlx::query_as::<_, NightAudit>(concat!(
            "SELECT a.day, ", rooms_left!(), " AS units, a.capacity, a.sold,
                CAST(COALESCE((SELECT SUM(n.quantity) FROM booking_nights n JOIN bookings b ON b.id = n.booking_id
                     WHERE n.room_type_id = a.room_type_id AND n.day = a.day AND b.cancelled_at IS NULL), 0) AS BIGINT) AS held
             FROM room_availability a
             WHERE a.room_type_id = $1 AND a.day >= $2 AND a.day <= $3 ORDER BY a.day"))
            .bind(room_type).bind(first).bind(last).fetch_all(p).await)?,
        )
    }
}
