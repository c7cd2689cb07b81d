//! Tag "Test Booking": book an offer of the test-availability list, for real, as a test.
//!
//! The server never trusts the offer it is sent: it identifies the master rate, the room
//! configuration and the stay, re-prices them with the same engine and the same data as the list,
//! refuses (409) a stay that is no longer offered and a price that changed, and takes the rooms
//! atomically (one conditional update per night in the booking's transaction).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use uuid::Uuid;
use wink_contract::{
    BookingDetails, BookingItinerary, BookingItineraryRoomConfiguration,
    BookingItineraryRoomConfigurationChild, BookingRoomStayDetails, BookingTestRequest,
    BookingUser, BookingUserSession, CustomMonetaryAmount, CustomizationLightweight, GuestUser,
    RoomConfigurationPrice,
};
use wink_domain::occupancy::RoomRequest;
use wink_domain::pricing::{Quote, SentAmount, listed_price_agrees};
use wink_domain::stay::Stay;
use wink_domain::unavailable::Unavailable;
use wink_store::Json as DbJson;
use wink_store::bookings::{Booked, Booking, QuotedFrom};

use super::booking_answer::{self, Snapshot};
use crate::auth::PropertyContext;
use crate::distribution::sales_channel::entity_type;
use crate::error::{ApiError, Problems};
use crate::idempotency::Keyed;
use crate::metrics::BookingOutcome;
use crate::offers::channel::{Channel, channel_of};
use crate::offers::priced::Priced;
use crate::offers::shopper::currencies;
use crate::offers::wire::{guest_room_lightweight, rate_plan_of_offer};
use crate::offers::{self, Catalog, Evaluation, Shopper};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Book an offer of `sandbox/room/list` as a test booking (`creation` TEST, status
/// TEST_PAYMENT_SUCCEEDED). `room` is identified by `room.roomRateIdentifier` (the master rate),
/// `room.configuration` and the query's stay; `quantity` rooms are booked (default: the
/// configuration's). The server prices the stay again: a stay no longer offered is refused with
/// 409 listing why, and so is an offer whose `sourceTotal` (or `price.sourceTotal`) is no longer
/// the price. Rooms are taken atomically: 409 "sold out on D" when another booking took the last
/// one first. `notification.booker` is the guest.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/booking",
    operation_id = "create-test-booking", tag = "Test Booking",
    params(("managingEntityIdentifier" = Uuid, Path),
        ("Idempotency-Key" = Option<String>, Header,
            description = "Up to 255 characters: a retry with the same key and body answers the first answer")),
    request_body = BookingTestRequest,
    responses((status = 201, body = BookingDetails),
        (status = 422, description = "The Idempotency-Key was used for another request.",
            body = wink_contract::ProblemDetail, content_type = "application/problem+json"),
        Problems))]
pub async fn create_test_booking(
    State(state): State<AppState>,
    ctx: PropertyContext,
    keyed: Keyed,
    body: ValidJson<BookingTestRequest>,
) -> Result<Response, ApiError> {
    let req = &body.value;
    let query = &req.query;
    let channel = channel_of(&state, &ctx.property, query, "/query").await?;
    let now = state.now();
    let currencies = currencies(
        &state,
        &ctx.property,
        &query.currency,
        "/query/currency",
        now,
    )
    .await?;
    let today = state.today_at(&ctx.property);
    let asked = asked(&state, &ctx, req, &channel, today)?;

    let catalog = Catalog::load(&state.store, &ctx.property, &asked.stay).await?;
    let master_rate = catalog
        .master_rate(asked.master_rate_id)
        .ok_or_else(unknown_master_rate)?;
    // Priced as the list priced it, for the booker the query describes, booked now.
    let shopper = Shopper {
        booker: offers::booker(query, "/query")?,
        booked_at: now,
        booked_on: today,
        rooms_in_booking: asked.request.quantity,
    };
    let ev = catalog.evaluate(master_rate, &asked.stay, &asked.request, &shopper, &channel)?;
    let quote = ev.outcome.as_ref().map_err(|reasons| {
        if reasons
            .iter()
            .any(|r| matches!(r, Unavailable::NotEnoughUnits { .. }))
        {
            state.metrics.booking(BookingOutcome::Unavailable);
        }
        let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        ApiError::Conflict(format!("the stay is not offered: {}", reasons.join("; ")))
    })?;
    check_sent_price(&req.room, quote, &ctx.property.currency)?;
    let priced = Priced::new(&ev, quote, &currencies, "/query/currency")?;
    let snapshot = sold(&ev, &priced, req, &asked, &channel, ctx.caller.client_id)?;
    let row = booking_row(&ctx, &ev, quote, &asked, &snapshot, channel.view.id, now)?;
    let quoted = catalog.quoted_from(master_rate.id);
    store_with_fresh_code(&state, &ctx, &keyed, req, row, &quoted, today).await
}

/// What the request asks to book, checked against its query: the stay (within the server's
/// dates), the room configuration and quantity, the master rate and the guest.
struct Asked {
    stay: Stay,
    request: RoomRequest,
    master_rate_id: Uuid,
    guest: BookingUser,
}

fn asked(
    state: &AppState,
    ctx: &PropertyContext,
    req: &BookingTestRequest,
    channel: &Channel,
    today: NaiveDate,
) -> Result<Asked, ApiError> {
    let (query, room) = (&req.query, &req.room);
    let window = state.date_window(&ctx.property);
    let stay = offers::stay(
        &window,
        query.stay_start_date,
        query.stay_end_date,
        "/query",
    )?;
    if room.start_date != stay.arrival() {
        return Err(ApiError::field(
            "/room/startDate",
            "must be the query's stayStartDate",
        ));
    }
    if room.end_date != stay.departure() {
        return Err(ApiError::field(
            "/room/endDate",
            "must be the query's stayEndDate",
        ));
    }
    if query.booking_date.is_some_and(|d| d != today) {
        return Err(ApiError::field(
            "/query/bookingDate",
            format!("a booking is made today at the property ({today})"),
        ));
    }
    if room.channel_inventory_identifier != channel.view.id.to_string() {
        return Err(ApiError::field(
            "/room/channelInventoryIdentifier",
            "must be the sales channel of the query's channel owner",
        ));
    }
    let guest = req.notification.booker.clone().ok_or_else(|| {
        ApiError::field(
            "/notification/booker",
            "required: the guest the booking is for",
        )
    })?;
    if req.quantity.is_some_and(|q| q < 1) {
        return Err(ApiError::field("/quantity", "at least one room"));
    }
    let request = offers::room_request(&room.configuration, req.quantity, "/room/configuration")?;
    let master_rate_id =
        Uuid::parse_str(&room.room_rate_identifier).map_err(|_| unknown_master_rate())?;
    Ok(Asked {
        stay,
        request,
        master_rate_id,
        guest,
    })
}

fn unknown_master_rate() -> ApiError {
    ApiError::field(
        "/room/roomRateIdentifier",
        "no such master rate at this property",
    )
}

/// The client's figures, if sent, must still be the price of the offer as listed (its
/// configuration's rooms): the rule is the domain's (`listed_price_agrees`).
fn check_sent_price(
    room: &RoomConfigurationPrice,
    quote: &Quote,
    currency: &str,
) -> Result<(), ApiError> {
    let listed = u32::try_from(room.configuration.quantity.unwrap_or(1)).unwrap_or(1);
    fn sent(amount: &Option<CustomMonetaryAmount>) -> Option<SentAmount<'_>> {
        amount.as_ref().map(|a| SentAmount {
            amount: a.amount,
            currency: a.currency.as_str(),
        })
    }
    listed_price_agrees(
        quote,
        listed,
        sent(&room.source_total),
        sent(&room.price.source_total),
    )
    .map_err(|now| {
        ApiError::Conflict(format!(
            "the price changed: the stay now costs {} {currency} for {listed} room(s); quote again",
            now.amount.normalize(),
        ))
    })
}

/// The booking's snapshot of what was sold: the room stay with its nightly prices in three
/// currencies, the channel, the guest and the itinerary.
fn sold(
    ev: &Evaluation,
    priced: &Priced,
    req: &BookingTestRequest,
    asked: &Asked,
    channel: &Channel,
    client: Uuid,
) -> Result<Snapshot, ApiError> {
    let terms = &channel.terms;
    let channel = &channel.view;
    let (stay, request, booker) = (&asked.stay, &asked.request, &asked.guest);
    let quote = priced.quote;
    let [total, internal_total, user_total] = priced.totals();
    let children: Vec<BookingItineraryRoomConfigurationChild> = req
        .room
        .configuration
        .children
        .iter()
        .map(|c| BookingItineraryRoomConfigurationChild {
            quantity: Some(c.quantity),
            age: Some(c.age),
        })
        .collect();
    let guests = request.guests() as i32;
    Ok(Snapshot {
        room_stay: BookingRoomStayDetails {
            room: guest_room_lightweight(ev.room)?,
            adults: request.adults as i32,
            children: request.children() as i32,
            quantity: Some(quote.quantity as i32),
            price: priced.booking_stay_rate(),
            room_rate_identifier: ev.master_rate.id,
            room_rate_internal_name: ev.master_rate_name(),
            rate_plan: rate_plan_of_offer(ev.plan),
            extra_charges: priced.extra_charges(),
            active_cancellation_policy: Some(ev.policy.wire.clone()),
            guest_user: Some(GuestUser {
                user_identifier: booker.user_identifier,
                first_name: booker.first_name.clone(),
                last_name: booker.last_name.clone(),
                email: booker.email.clone(),
                telephone: booker.telephone.clone(),
                ..Default::default()
            }),
            start_date: stay.arrival(),
            end_date: stay.departure(),
            room_nights: Some(i64::from(stay.night_count())),
            rate_source: priced.rate_source(),
            source_total: Some(total),
            internal_total: Some(internal_total),
            guests: Some(guests),
            user_specified_currency_total: Some(user_total.clone()),
            ..Default::default()
        },
        customization: CustomizationLightweight {
            identifier: channel.id,
            name: channel.owner_name.clone(),
            user_identifier: client,
            owner_identifier: channel.owner_account_id,
            owner_name: channel.owner_name.clone(),
            sub_type: entity_type(channel)?,
            ..Default::default()
        },
        user: booker.clone(),
        user_session: BookingUserSession {
            itinerary: BookingItinerary {
                start_date: stay.arrival(),
                end_date: Some(stay.departure()),
                nights: Some(stay.night_count() as i32),
                items: vec![BookingItineraryRoomConfiguration {
                    adults: request.adults as i32,
                    children,
                }],
                rooms: Some(quote.quantity as i32),
                guests: Some(guests.saturating_mul(quote.quantity as i32)),
                children: Some((request.children() * quote.quantity) as i32),
                ..Default::default()
            },
            currency: Some(user_total.currency),
            promotional_codes: quote.promotion_codes.clone(),
            ..Default::default()
        },
        reporting_daily_rate_list: priced.reporting_nights(),
        commission: terms.commissionable().then(|| terms.commission.value()),
    })
}

/// The booking's row: what queries read (status, stay, guest, totals) beside the snapshot. Its
/// code is drawn when it is stored.
fn booking_row(
    ctx: &PropertyContext,
    ev: &Evaluation,
    quote: &Quote,
    asked: &Asked,
    snapshot: &Snapshot,
    sales_channel_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Booking, ApiError> {
    let document = serde_json::to_value(snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
    let guest = &asked.guest;
    Ok(Booking {
        id: Uuid::new_v4(),
        property_id: ctx.property.id,
        code: String::new(),
        creation: "TEST".into(),
        status: "TEST_PAYMENT_SUCCEEDED".into(),
        sales_channel_id,
        master_rate_id: ev.master_rate.id,
        room_type_id: ev.room.id,
        rate_plan_id: ev.plan.id,
        arrival: asked.stay.arrival(),
        departure: asked.stay.departure(),
        quantity: quote.quantity as i32,
        currency: ctx.property.currency.clone(),
        total: quote.total.amount.into(),
        first_night: quote.first_night_charge().amount.into(),
        guest_first_name: guest.first_name.clone(),
        guest_last_name: guest.last_name.clone(),
        guest_email: guest.email.clone(),
        search_text: String::new(),
        booked_by: ctx.caller.client_id,
        document: DbJson(document),
        cancelled_at: None,
        cancelled_by: None,
        cancellation_type: None,
        cancel_reason: None,
        penalty: None,
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// Stores the booking under a fresh code (a clash draws another). The answer is rendered before
/// the booking commits and stored with it (with an Idempotency-Key): nothing after the commit
/// can fail, or be lost, for a retry to redo.
async fn store_with_fresh_code(
    state: &AppState,
    ctx: &PropertyContext,
    keyed: &Keyed,
    req: &BookingTestRequest,
    mut row: Booking,
    quoted: &QuotedFrom,
    today: NaiveDate,
) -> Result<Response, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    let cover = crate::media::cover_url(state, property.id);
    for _ in 0..CODE_ATTEMPTS {
        row.code = booking_code();
        let notes = super::resend::for_new_booking(
            &row,
            &property,
            &req.notification,
            ctx.caller.client_id,
        );
        let extras = booking_answer::Extras {
            notifications: notes.clone(),
            ..Default::default()
        };
        let body = booking_answer::details_with(&row, &property, &cover, today, &extras)?;
        let answer = keyed.answer(Resource::created(body, row.version)).await?;
        let booked = state
            .store
            .create_booking(&row, quoted, &notes, answer.receipt.as_ref())
            .await?;
        match booked {
            Booked::Stored(_) => {
                state.metrics.booking(BookingOutcome::Made);
                return Ok(answer.into_response());
            }
            Booked::SoldOut(day) => {
                state.metrics.booking(BookingOutcome::Unavailable);
                return Err(ApiError::Conflict(format!("sold out on {day}")));
            }
            Booked::CodeTaken => {}
        }
    }
    Err(ApiError::Internal(format!(
        "no free booking code after {CODE_ATTEMPTS} attempts"
    )))
}

/// How many codes a booking tries before giving up (a clash is a one-in-10^12 event).
const CODE_ATTEMPTS: usize = 8;

/// Letters and digits nobody misreads (no I, O, 0 or 1).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A booking code a guest can read out on the phone: `WB-` and two groups of four, e.g.
/// `WB-7KQ2-M9XD` (32^8 ≈ 10^12 codes; the store retries on the rare clash).
pub fn booking_code() -> String {
    let mut rng = rand::thread_rng();
    let mut group = || -> String {
        (0..4)
            .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
            .collect()
    };
    format!("WB-{}-{}", group(), group())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booking_codes_are_readable() {
        let code = booking_code();
        assert_eq!(code.len(), 12);
        assert!(code.starts_with("WB-"));
        assert_eq!(&code[7..8], "-");
        assert!(
            code.chars()
                .filter(|c| *c != '-')
                .skip(2)
                .all(|c| CODE_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(booking_code(), booking_code());
    }
}
