//! Guest reviews and the property's responses.
//!
//! Guests write reviews on the platform, after their stay; the Supplier API has no operation that
//! creates one, so reviews arrive through [`Store::create_review`] (the platform's import, the
//! demo seed, tests). A booking has at most one review. The property responds (and approves the
//! guest's text and image for its profile) through the API; responding again replaces the
//! response.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use uuid::Uuid;

use crate::grid::{GridQuery, Sort, Sql, Value as Bound};
use crate::placeholders;
use crate::{Store, StoreError, bind_values, on_pool};

/// What the review grid can filter and sort on, over `reviews r`.
pub mod columns {
    use crate::grid::{Column, ColumnType::*};

    pub const ID: Column = Column::new("r.id", Uuid);
    pub const BOOKING: Column = Column::new("r.booking_id", Uuid);
    pub const REVIEW_DATE: Column = Column::new("r.review_date", Timestamp);
    /// The answers' mean to one decimal, as the answer shows it (NULL without answers).
    pub const AVERAGE_SCORE: Column = Column::per_engine(
        "(SELECT ROUND(AVG((a.v->>'value')::numeric), 1) FROM jsonb_array_elements(r.answers) AS a(v))",
        "(SELECT ROUND(AVG(json_extract(a.value, '$.value')), 1) FROM json_each(r.answers) a)",
        Decimal,
    )
    .nullable();
    pub const FIRST_NAME: Column = Column::new("r.guest_first_name", Text);
    pub const LAST_NAME: Column = Column::new("r.guest_last_name", Text);
    pub const EMAIL: Column = Column::new("r.guest_email", Text);
    pub const TEXT: Column = Column::new("r.review_text", Text).nullable();
    pub const MESSAGE: Column = Column::new("r.message_from_guest", Text).nullable();
    pub const RESPONSE: Column = Column::new("r.response_from_hotel", Text).nullable();
    pub const RESPONDED: Column = Column::new("(r.response_from_hotel IS NOT NULL)", Bool);
    pub const APPROVED_TEXT: Column = Column::new("r.approved_text", Bool);
    pub const APPROVED_IMAGE: Column = Column::new("r.approved_image", Bool);
    pub const ROOM_NUMBER: Column = Column::new("r.room_number", Text).nullable();
    pub const ROOM_RATING: Column = Column::new("r.room_rating", Integer).nullable();
    pub const CREATED: Column = Column::new("r.created_at", Timestamp);
    pub const UPDATED: Column = Column::new("r.updated_at", Timestamp);
}

/// Newest first when the client names no order.
pub const DEFAULT_ORDER: [Sort; 1] = [Sort {
    column: columns::REVIEW_DATE,
    descending: true,
}];

/// The last sort key: unique, so pages never overlap.
const TIEBREAK: Sort = Sort {
    column: columns::ID,
    descending: false,
};

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct Review {
    pub id: Uuid,
    pub property_id: Uuid,
    pub booking_id: Uuid,
    pub guest_first_name: String,
    pub guest_last_name: String,
    pub guest_email: String,
    pub review_date: DateTime<Utc>,
    /// The contract's `ReviewAnswer` list (question, category, sort, value 0–10).
    pub answers: Json<Value>,
    pub message_from_guest: Option<String>,
    pub review_text: Option<String>,
    pub image_identifier: Option<String>,
    pub room_number: Option<String>,
    pub room_rating: Option<i32>,
    /// Ids of the users who liked the review.
    pub likes: Json<Value>,
    pub approved_text: bool,
    pub approved_image: bool,
    pub response_from_hotel: Option<String>,
    /// The application that responded.
    pub responded_by: Option<Uuid>,
    pub responded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What a response sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewResponse {
    pub text: String,
    pub approved_text: bool,
    pub approved_image: bool,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

const COLUMNS: &str = "id, property_id, booking_id, guest_first_name, guest_last_name, guest_email, review_date, answers, message_from_guest, review_text, image_identifier, room_number, room_rating, likes, approved_text, approved_image, response_from_hotel, responded_by, responded_at, created_at, updated_at, version";

/// [`COLUMNS`] with each name prefixed by a table alias (`r.`).
fn prefixed(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{alias}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Stores a guest's review of booking `r.booking_id`, which must be a booking of
    /// `r.property_id` ([`StoreError::NotFound`] otherwise) without a review yet
    /// ([`StoreError::Conflict`]).
    pub async fn create_review(&self, r: &Review) -> Result<(), StoreError> {
        let insert = format!(
            "INSERT INTO reviews ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)"
        );
        let outcome = on_pool!(&self.write, pool => async {
            let mut tx = pool.begin().await?;
            let booking: Option<(Uuid,)> = sqlx::query_as(
                "SELECT id FROM bookings WHERE id = $1 AND property_id = $2")
                .bind(r.booking_id).bind(r.property_id).fetch_optional(&mut *tx).await?;
            if booking.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query(&insert)
                .bind(r.id).bind(r.property_id).bind(r.booking_id)
                .bind(&r.guest_first_name).bind(&r.guest_last_name).bind(&r.guest_email)
                .bind(r.review_date).bind(&r.answers).bind(&r.message_from_guest).bind(&r.review_text)
                .bind(&r.image_identifier).bind(&r.room_number).bind(r.room_rating).bind(&r.likes)
                .bind(r.approved_text).bind(r.approved_image).bind(&r.response_from_hotel)
                .bind(r.responded_by).bind(r.responded_at)
                .bind(r.created_at).bind(r.updated_at).bind(r.version)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        }.await);
        match outcome {
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict(
                "the booking already has a review".into(),
            )),
            other => other,
        }
    }

    pub async fn review(&self, property: Uuid, id: Uuid) -> Result<Review, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM reviews WHERE property_id = $1 AND id = $2");
        on_pool!(&self.read, p => sqlx::query_as::<_, Review>(&sql)
            .bind(property).bind(id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)
    }

    /// Sets the property's response to review `id`, at version `expected` when given (a stale one
    /// is [`StoreError::Stale`]); answers the review as stored.
    pub async fn respond_to_review(
        &self,
        property: Uuid,
        id: Uuid,
        expected: Option<i64>,
        response: &ReviewResponse,
    ) -> Result<Review, StoreError> {
        let changed = on_pool!(&self.write, p => sqlx::query(
            "UPDATE reviews SET response_from_hotel = $4, approved_text = $5, approved_image = $6,
                responded_by = $7, responded_at = $8, updated_at = $8, version = version + 1
             WHERE property_id = $1 AND id = $2 AND ($3 IS NULL OR version = $3)")
            .bind(property).bind(id).bind(expected)
            .bind(&response.text).bind(response.approved_text).bind(response.approved_image)
            .bind(response.by).bind(response.at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        let review = self.review(property, id).await?;
        if changed == 0 {
            return Err(StoreError::Stale {
                current: review.version,
            });
        }
        Ok(review)
    }

    /// How many reviews the property has.
    pub async fn review_count(&self, property: Uuid) -> Result<u64, StoreError> {
        let (n,): (i64,) = on_pool!(&self.read, p => sqlx::query_as(
            "SELECT COUNT(*) FROM reviews WHERE property_id = $1")
            .bind(property).fetch_one(p).await)?;
        Ok(n.max(0) as u64)
    }

    /// A page of the property's reviews under `query` (newest first when it names no order),
    /// and how many match in all.
    pub async fn review_grid(
        &self,
        property: Uuid,
        query: &GridQuery,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Review>, u64), StoreError> {
        let filtered = |sql: &mut Sql| {
            sql.push(" FROM reviews r WHERE r.property_id = ")
                .bind(Bound::Uuid(property));
            if let Some(filter) = &query.filter {
                sql.push(" AND (").condition(filter).push(")");
            }
        };
        let mut count = Sql::new(self.engine());
        count.push("SELECT COUNT(*)");
        filtered(&mut count);
        let mut page = Sql::new(self.engine());
        page.push(&format!("SELECT {}", prefixed("r.")));
        filtered(&mut page);
        page.order_and_page(&query.sort, &DEFAULT_ORDER, TIEBREAK, limit, offset);
        let (rows, total) = on_pool!(&self.read, p => {
            let rows: Vec<Review> = bind_values!(sqlx::query_as(page.text()), page.binds())
                .fetch_all(p).await?;
            let (total,): (i64,) = bind_values!(sqlx::query_as(count.text()), count.binds())
                .fetch_one(p).await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows, total.max(0) as u64))
    }

    /// The reviews of these bookings.
    pub async fn booking_reviews(&self, bookings: &[Uuid]) -> Result<Vec<Review>, StoreError> {
        if bookings.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM reviews WHERE booking_id IN ({})",
            placeholders(bookings.len(), 1)
        );
        Ok(on_pool!(&self.read, p => {
            let mut q = sqlx::query_as::<_, Review>(&sql);
            for id in bookings {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?)
    }
}
