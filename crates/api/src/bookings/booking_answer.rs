//! A stored booking and its wire forms: the answers the booking endpoints give.
//!
//! What was sold is a snapshot taken at booking time (`Snapshot`, the row's `document`): the room
//! stay with its room type, rate plan, nightly prices, fees and the cancellation policy in force,
//! the channel, the guest and the itinerary. Later changes to the room type, rate plan, policy or
//! channel never change a booking. The row's columns carry what changes (status, cancellation,
//! penalty) and what queries need. The property (`hotel`) is read live: it is who the booking is
//! with, not what was sold.
//!
//! Decisions visible on the wire:
//! - `groupIdentifier` is the booking's own id (one room stay per booking).
//! - `hotelImageUrl` is this server's cover card of the property (`GET /media/property/{id}/cover.svg`,
//!   with the signature that makes it viewable without a token, see `media`).
//! - `cancellable` is true while the booking holds its rooms and the departure date (property-local)
//!   has not come.
//! - `financialBreakdown`: `sourceAmount` is the booking total; once cancelled,
//!   `sourceAmountRefundModifier` is what the cancellation gives back and `netSourceAmount` the
//!   penalty kept (before: 0 and the total). `metadata.cancellationPenalty` states the penalty as
//!   an amount. The internal and display amounts are the same figures in the server's accounting
//!   currency and in the currency the booking was made in, at the booking's own quotes.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::{
    Booking as WireBooking, BookingCancellation, BookingCancellationCancellationType,
    BookingCancellationCancellerType, BookingCreation, BookingDetails, BookingRoomStayDetails,
    BookingStatus as WireStatus, BookingStatusTransition, BookingUser, BookingUserSession,
    CustomizationLightweight, FinancialBreakdown, GeoJsonPoint, PropertyAggregateLightweight,
    ReportingDailyRate, UpsertCancellationPolicyRequest,
};
use wink_domain::channel::Fraction;
use wink_domain::money::{Currency, Money};
use wink_domain::{BookingState, BookingStatus, CancellationPolicy, PenaltySchedule, Refunds};
use wink_store::Store;
use wink_store::bookings::Booking;
use wink_store::notifications::Notification;
use wink_store::properties::{Property, PropertyRef};
use wink_store::refunds::Refund;
use wink_store::reviews::Review;

use crate::error::{ApiError, from_document};
use crate::monetization::rules;
use crate::state::AppState;

/// What was sold, as it was at booking time.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub room_stay: BookingRoomStayDetails,
    pub customization: CustomizationLightweight,
    pub user: BookingUser,
    pub user_session: BookingUserSession,
    #[serde(default)]
    pub reporting_daily_rate_list: Vec<ReportingDailyRate>,
    /// The sales channel's commission when it was booked (a share, 0.15 = 15 %), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission: Option<Decimal>,
}

impl Snapshot {
    pub fn of(row: &Booking) -> Result<Snapshot, ApiError> {
        from_document("booking snapshot", row.id, &row.document.0)
    }
}

/// A stored booking's state in the lifecycle's terms: its `bookingStatus`, the cancellation type
/// recorded when it was called off (NO_SHOW makes it a no-show) and its refund requests.
pub fn state(row: &Booking, refunds: &[Refund]) -> Result<BookingState, ApiError> {
    let pending = refunds
        .iter()
        .any(|r| r.booking_id == row.id && r.status == wink_store::refunds::PENDING);
    BookingState::from_wire(
        &row.status,
        row.cancellation_type.as_deref(),
        Refunds {
            pending,
            ..Refunds::default()
        },
    )
    .ok_or_else(|| {
        ApiError::Internal(format!(
            "booking {} has status {} (cancellation {:?}), which the lifecycle does not know",
            row.id, row.status, row.cancellation_type
        ))
    })
}

/// The booking's money in its three currencies: source (the property's), internal (the server's
/// accounting currency) and display (the one the booking was made in). The totals are the ones
/// the booking was sold at (its snapshot); refund and penalty amounts, decided in the property's
/// currency, are converted with the quotes the booking was made with and rounded once to each
/// currency's minor unit.
fn financial_breakdown(
    row: &Booking,
    snapshot: &Snapshot,
    total: Decimal,
    refund: Decimal,
    net: Decimal,
) -> FinancialBreakdown {
    let stay = &snapshot.room_stay;
    let convert =
        |quote: Option<&wink_contract::QuoteLightweight>, amount: Decimal| -> (String, Decimal) {
            match quote.filter(|q| q.source == row.currency) {
                Some(q) => {
                    let rounded = Currency::parse(&q.target)
                        .map(|c| Money::new(amount * q.exchange_rate, c).round().amount)
                        .unwrap_or(amount * q.exchange_rate);
                    (q.target.clone(), rounded.normalize())
                }
                None => (row.currency.clone(), amount),
            }
        };
    let internal_quote = stay.price.source_to_internal_currency_quote.as_ref();
    let display_quote = stay.price.source_to_user_currency_quote.as_ref();
    let sold = |amount: &Option<wink_contract::CustomMonetaryAmount>, quote| match amount {
        Some(a) => (a.currency.clone(), a.amount.normalize()),
        None => convert(quote, total),
    };
    let (internal_currency, internal_total) = sold(&stay.internal_total, internal_quote);
    let (display_currency, display_total) =
        sold(&stay.user_specified_currency_total, display_quote);
    let mut breakdown = FinancialBreakdown {
        source_currency: Some(row.currency.clone()),
        internal_currency: Some(internal_currency),
        display_currency: Some(display_currency),
        source_amount: Some(total),
        internal_amount: Some(internal_total),
        display_amount: Some(display_total),
        source_amount_refund_modifier: Some(refund),
        internal_amount_refund_modifier: Some(convert(internal_quote, refund).1),
        display_amount_refund_modifier: Some(convert(display_quote, refund).1),
        net_source_amount: Some(net),
        net_internal_amount: Some(convert(internal_quote, net).1),
        net_display_amount: Some(convert(display_quote, net).1),
        ..Default::default()
    };
    // The channel's commission: its share of what the property keeps (the total, or the
    // penalty once cancelled), rounded once (the domain's `Fraction::of`); the property's net
    // is the rest. Converted like the other amounts.
    let share = snapshot.commission.and_then(Fraction::new);
    let currency = Currency::parse(&row.currency).ok();
    if let (Some(share), Some(currency)) = (share.filter(|s| !s.is_zero()), currency) {
        let commission = share.of(Money::new(net, currency)).amount.normalize();
        let kept = (net - commission).normalize();
        let b = &mut breakdown;
        b.commissionable_total_source_amount = Some(net);
        b.commissionable_total_internal_amount = Some(convert(internal_quote, net).1);
        b.commissionable_total_display_amount = Some(convert(display_quote, net).1);
        b.total_fees_and_commissions_source_amount = Some(commission);
        b.total_fees_and_commissions_internal_amount = Some(convert(internal_quote, commission).1);
        b.total_fees_and_commissions_display_amount = Some(convert(display_quote, commission).1);
        b.net_commissionable_total_source_amount = Some(kept);
        b.net_commissionable_total_internal_amount = Some(convert(internal_quote, kept).1);
        b.net_commissionable_total_display_amount = Some(convert(display_quote, kept).1);
    }
    breakdown
}

/// A stored booking's status in the lifecycle's terms.
pub fn status(row: &Booking) -> Result<BookingStatus, ApiError> {
    Ok(state(row, &[])?.status)
}

/// What the booking answers show besides the booking row: its refund requests, the notifications
/// recorded for it and its guest's review.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub refunds: Vec<Refund>,
    pub notifications: Vec<Notification>,
    pub review: Option<Review>,
}

impl Extras {
    /// The extras of each of `bookings` (three queries, whatever their number).
    pub async fn load(store: &Store, bookings: &[Uuid]) -> Result<HashMap<Uuid, Extras>, ApiError> {
        let mut by_booking: HashMap<Uuid, Extras> = HashMap::new();
        for refund in store.booking_refunds(bookings).await? {
            by_booking
                .entry(refund.booking_id)
                .or_default()
                .refunds
                .push(refund);
        }
        for note in store.booking_notifications(bookings).await? {
            if let Some(id) = note.booking_id {
                by_booking.entry(id).or_default().notifications.push(note);
            }
        }
        for review in store.booking_reviews(bookings).await? {
            let id = review.booking_id;
            by_booking.entry(id).or_default().review = Some(review);
        }
        Ok(by_booking)
    }

    /// The extras of one booking.
    pub async fn of(store: &Store, booking: Uuid) -> Result<Extras, ApiError> {
        Ok(Extras::load(store, &[booking])
            .await?
            .remove(&booking)
            .unwrap_or_default())
    }

    /// Puts them into a booking answer: the latest refund request as `refund` (`hasRefunds` when
    /// there is one), the notifications as `metadata.notifications`, the review as `review`.
    fn apply(&self, details: &mut BookingDetails) {
        if let Some(latest) = self.refunds.last() {
            details.refund = Some(super::refund::wire_refund(latest));
        }
        details.has_refunds = Some(!self.refunds.is_empty());
        if !self.notifications.is_empty() {
            details.metadata.insert(
                "notifications".into(),
                super::resend::notifications_json(&self.notifications),
            );
        }
        details.review = self.review.as_ref().map(super::review::lightweight);
    }
}

/// Whether the booking can still be cancelled on `today` (property-local).
pub fn cancellable(row: &Booking, today: NaiveDate) -> Result<bool, ApiError> {
    Ok(status(row)?.cancellable(row.arrival, row.departure, today))
}

fn money(row: &Booking, amount: Decimal) -> Result<Money, ApiError> {
    let currency = Currency::parse(&row.currency)
        .map_err(|e| ApiError::Internal(format!("booking {} currency: {e:?}", row.id)))?;
    Ok(Money::new(amount, currency))
}

/// The cancellation policy in force when the booking was made, and the dated penalty schedule it
/// gives the booking (deadlines in the property's zone).
pub fn schedule(
    row: &Booking,
    zone: Tz,
) -> Result<(CancellationPolicy, PenaltySchedule), ApiError> {
    let snapshot = Snapshot::of(row)?;
    let wire = snapshot
        .room_stay
        .active_cancellation_policy
        .ok_or_else(|| {
            ApiError::Internal(format!("booking {} has no cancellation policy", row.id))
        })?;
    let request: UpsertCancellationPolicyRequest = from_document(
        "booking cancellation policy",
        row.id,
        &serde_json::to_value(&wire).unwrap_or(Value::Null),
    )?;
    let policy = rules::policy(&request)
        .map_err(|e| ApiError::Internal(format!("booking {} policy invalid: {e:?}", row.id)))?;
    let schedule = policy.schedule(
        row.arrival,
        zone,
        row.created_at,
        money(row, row.total.0)?,
        money(row, row.first_night.0)?,
    );
    Ok((policy, schedule))
}

/// The property as bookings show it.
pub fn hotel(property: &Property) -> PropertyAggregateLightweight {
    let doc = &property.document.0;
    let int = |pointer: &str| {
        doc.pointer(pointer)
            .and_then(Value::as_i64)
            .and_then(|v| i32::try_from(v).ok())
    };
    let location: Option<GeoJsonPoint> = doc
        .get("location")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    PropertyAggregateLightweight {
        hotel_identifier: Some(property.id),
        name: Some(property.name.clone()),
        url_name: Some(property.url_name.clone()),
        unique_id: property.unique_code.clone(),
        star_rating: int("/profile/hotelStars").filter(|s| (0..=6).contains(s)),
        location,
        currency_code: Some(property.currency.clone()),
        number_of_rooms: int("/profile/numberOfRooms"),
        ..Default::default()
    }
}

/// The booking as the test-booking endpoint answers it (with the nightly list), with its
/// [`Extras`].
pub fn details_with(
    row: &Booking,
    property: &Property,
    hotel_image_url: &str,
    today: NaiveDate,
    extras: &Extras,
) -> Result<BookingDetails, ApiError> {
    let mut details = bare_details(row, property, hotel_image_url, today)?;
    extras.apply(&mut details);
    Ok(details)
}

fn bare_details(
    row: &Booking,
    property: &Property,
    hotel_image_url: &str,
    today: NaiveDate,
) -> Result<BookingDetails, ApiError> {
    let snapshot = Snapshot::of(row)?;
    let domain_status = status(row)?;
    let wire_status: WireStatus = serde_json::from_value(Value::String(row.status.clone()))
        .map_err(|_| ApiError::Internal(format!("booking {} status {}", row.id, row.status)))?;
    let creation = match row.creation.as_str() {
        "TEST" => BookingCreation::Test,
        _ => BookingCreation::Normal,
    };
    let plan = &snapshot.room_stay.rate_plan;
    let total = row.total.0.normalize();
    let penalty = row.penalty.map(|p| p.0.normalize());
    let refund = penalty.map_or(Decimal::ZERO, |p| (total - p).normalize());
    let net = penalty.unwrap_or(total);
    let financial = financial_breakdown(row, &snapshot, total, refund, net);
    let commission_percent = snapshot
        .commission
        .and_then(Fraction::new)
        .map(Fraction::percent);
    let mut metadata = BTreeMap::new();
    if let Some(p) = penalty {
        metadata.insert(
            "cancellationPenalty".to_string(),
            json!({ "amount": p, "currency": row.currency }),
        );
    }
    let booked_status = if creation == BookingCreation::Test {
        WireStatus::TestPaymentSucceeded
    } else {
        WireStatus::PaymentSucceeded
    };
    let mut history = vec![BookingStatusTransition {
        from_status: WireStatus::Initialized,
        to_status: booked_status,
        timestamp: row.created_at,
        actor: Some(row.booked_by.to_string()),
        reason: None,
    }];
    let cancellation = match row.cancelled_at {
        Some(at) => {
            history.push(BookingStatusTransition {
                from_status: booked_status,
                to_status: WireStatus::Cancelled,
                timestamp: at,
                actor: row.cancelled_by.map(|u| u.to_string()),
                reason: row.cancel_reason.clone(),
            });
            Some(BookingCancellation {
                cancelled_on: at,
                canceller_type: BookingCancellationCancellerType::Hotel,
                cancellation_type: row.cancellation_type.as_ref().and_then(|t| {
                    serde_json::from_value::<BookingCancellationCancellationType>(Value::String(
                        t.clone(),
                    ))
                    .ok()
                }),
                canceller_user_identifier: row.cancelled_by,
                cancel_reason: row.cancel_reason.clone(),
                group_refund_notified: None,
            })
        }
        None => None,
    };
    let food = plan.breakfast || plan.brunch || plan.lunch || plan.dinner || plan.all_inclusive;
    Ok(BookingDetails {
        id: Some(row.id),
        created_date: Some(row.created_at),
        last_update: Some(row.updated_at),
        version: Some(row.version),
        creation,
        group_identifier: row.id,
        customization: snapshot.customization,
        booking_code: row.code.clone(),
        user: Some(snapshot.user),
        user_session: snapshot.user_session,
        hotel: hotel(property),
        hotel_image_url: hotel_image_url.to_string(),
        metadata,
        rate_source: snapshot.room_stay.rate_source.clone(),
        has_breakfast: Some(plan.breakfast),
        has_brunch: Some(plan.brunch),
        has_lunch: Some(plan.lunch),
        has_dinner: Some(plan.dinner),
        has_all_inclusive: Some(plan.all_inclusive),
        has_all_inclusive_plus_alcohol: Some(plan.all_inclusive_plus_alcohol),
        has_food: Some(food),
        room_stay: Some(snapshot.room_stay),
        booking_status: Some(wire_status),
        cancellation,
        status_history: history,
        financial_breakdown: Some(financial),
        original_commissions_in_percent: commission_percent,
        total_commissions_in_percent: commission_percent,
        cancellable: Some(cancellable(row, today)?),
        cancelled: Some(domain_status.is_cancelled()),
        reporting_daily_rate_list: snapshot.reporting_daily_rate_list,
        ..Default::default()
    })
}

/// The answers of `rows`, bookings of `property`, each with its [`Extras`]: what show, list, grid,
/// cancel and refund answer (the extras in three queries, whatever the number of rows).
pub async fn answers(
    state: &AppState,
    property: &PropertyRef,
    rows: &[Booking],
) -> Result<Vec<WireBooking>, ApiError> {
    let stored = state.store.property(property.id).await?;
    let cover = crate::media::cover_url(state, property.id);
    let today = state.today_at(property);
    let ids: Vec<_> = rows.iter().map(|row| row.id).collect();
    let mut extras = Extras::load(&state.store, &ids).await?;
    rows.iter()
        .map(|row| {
            let extras = extras.remove(&row.id).unwrap_or_default();
            wire_with(row, &stored, &cover, today, &extras)
        })
        .collect()
}

/// The answer of one booking of `property` (see [`answers`]).
pub async fn answer(
    state: &AppState,
    property: &PropertyRef,
    row: &Booking,
) -> Result<WireBooking, ApiError> {
    let mut one = answers(state, property, std::slice::from_ref(row)).await?;
    one.pop()
        .ok_or_else(|| ApiError::Internal(format!("booking {} has no answer", row.id)))
}

/// The booking as the booking endpoints answer it: the same, in the contract's `Booking` shape
/// (whose room stay price has no nightly list; the nights are in `reportingDailyRateList`), with
/// its [`Extras`].
pub fn wire_with(
    row: &Booking,
    property: &Property,
    hotel_image_url: &str,
    today: NaiveDate,
    extras: &Extras,
) -> Result<WireBooking, ApiError> {
    let details = details_with(row, property, hotel_image_url, today, extras)?;
    let value = serde_json::to_value(details).map_err(|e| ApiError::Internal(e.to_string()))?;
    from_document("booking (as Booking)", row.id, &value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use wink_store::Json;

    fn row(status: &str, arrival: &str, departure: &str) -> Booking {
        let now = Utc::now();
        Booking {
            id: Uuid::new_v4(),
            property_id: Uuid::new_v4(),
            code: "WB-AAAA-BBBB".into(),
            creation: "TEST".into(),
            status: status.into(),
            sales_channel_id: Uuid::new_v4(),
            master_rate_id: Uuid::new_v4(),
            room_type_id: Uuid::new_v4(),
            rate_plan_id: Uuid::new_v4(),
            arrival: arrival.parse().unwrap(),
            departure: departure.parse().unwrap(),
            quantity: 1,
            currency: "THB".into(),
            total: Decimal::from(1000).into(),
            first_night: Decimal::from(500).into(),
            guest_first_name: "Ann".into(),
            guest_last_name: "Lee".into(),
            guest_email: "ann@example.com".into(),
            search_text: String::new(),
            booked_by: Uuid::new_v4(),
            document: Json(Value::Null),
            cancelled_at: None,
            cancelled_by: None,
            cancellation_type: None,
            cancel_reason: None,
            penalty: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn cancellable_until_the_departure_date() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let booked = row("TEST_PAYMENT_SUCCEEDED", "2030-05-10", "2030-05-12");
        assert!(cancellable(&booked, day("2030-05-01")).unwrap());
        assert!(
            cancellable(&booked, day("2030-05-11")).unwrap(),
            "during the stay"
        );
        assert!(
            !cancellable(&booked, day("2030-05-12")).unwrap(),
            "departure day"
        );
        let cancelled = row("CANCELLED", "2030-05-10", "2030-05-12");
        assert!(!cancellable(&cancelled, day("2030-05-01")).unwrap());
        assert!(status(&row("SOMETHING", "2030-05-10", "2030-05-12")).is_err());
        assert_eq!(status(&cancelled).unwrap(), BookingStatus::Cancelled);
    }
}
