//! Tag "Test Booking": book an offer of the test-availability list, for real, as a test.
//!
//! The server never trusts the offer it is sent: it identifies the master rate, the room
//! configuration and the stay, re-prices them with the same engine and the same data as the list,
//! refuses (409) a stay that is no longer offered and a price that changed, and takes the rooms
//! atomically (one conditional update per night in the booking's transaction).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use rust_decimal::Decimal;
use uuid::Uuid;
use wink_contract::{
    BookingDetails, BookingItinerary, BookingItineraryRoomConfiguration,
    BookingItineraryRoomConfigurationChild, BookingRoomStayDetails, BookingTestRequest,
    BookingUserSession, CustomMonetaryAmount, CustomizationLightweight, GuestUser,
};
use wink_store::Json as DbJson;
use wink_store::bookings::{Booked, Booking};

use super::booking_answer::{self, Snapshot};
use crate::auth::PropertyContext;
use crate::distribution::offers::{self, Catalog, Shopper};
use crate::distribution::priced::Priced;
use crate::distribution::sales_channel::entity_type;
use crate::error::{ApiError, Problems};
use crate::idempotency::Keyed;
use crate::monetization::sandbox::{channel_of, currencies};
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
    let room = &req.room;
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
    let today = state.today_at(&ctx.property);
    if query.booking_date.is_some_and(|d| d != today) {
        return Err(ApiError::field(
            "/query/bookingDate",
            format!("a booking is made today at the property ({today})"),
        ));
    }
    if room.channel_inventory_identifier != channel.id.to_string() {
        return Err(ApiError::field(
            "/room/channelInventoryIdentifier",
            "must be the sales channel of the query's channel owner",
        ));
    }
    let booker = req.notification.booker.clone().ok_or_else(|| {
        ApiError::field(
            "/notification/booker",
            "required: the guest the booking is for",
        )
    })?;
    if req.quantity.is_some_and(|q| q < 1) {
        return Err(ApiError::field("/quantity", "at least one room"));
    }
    let request = offers::room_request(&room.configuration, req.quantity, "/room/configuration")?;
    let unknown_rate = || {
        ApiError::field(
            "/room/roomRateIdentifier",
            "no such master rate at this property",
        )
    };
    let master_rate_id = Uuid::parse_str(&room.room_rate_identifier).map_err(|_| unknown_rate())?;

    let catalog = Catalog::load(&state.store, &ctx.property, &stay).await?;
    let master_rate = catalog
        .master_rate(master_rate_id)
        .ok_or_else(unknown_rate)?;
    // CHANNEL INVENTORY hook (lead: move into the offers module's channel terms on merge).
    let offered = state
        .store
        .is_master_rate_offered_on(channel.id, master_rate.id);
    if !offered.await? {
        let reason = crate::distribution::channel_inventory::WITHHELD;
        return Err(ApiError::Conflict(format!(
            "the stay is not offered: {reason}"
        )));
    }
    // Priced as the list priced it, for the booker the query describes, booked now.
    let shopper = Shopper {
        booker: offers::booker(query, "/query")?,
        booked_at: now,
        booked_on: today,
        rooms_in_booking: request.quantity,
    };
    let ev = catalog.evaluate(master_rate, &stay, &request, &shopper)?;
    let quote = match &ev.outcome {
        Ok(quote) => quote,
        Err(reasons) => {
            let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
            return Err(ApiError::Conflict(format!(
                "the stay is not offered: {}",
                reasons.join("; ")
            )));
        }
    };

    // The client's figures are those of the offer as listed: its configuration's rooms.
    let listed = u32::try_from(room.configuration.quantity.unwrap_or(1)).unwrap_or(1);
    let per_rooms = |amount: Decimal| amount * Decimal::from(listed);
    let changed = |sent: &Option<CustomMonetaryAmount>, now: Decimal| {
        sent.as_ref()
            .is_some_and(|s| s.amount != now || s.currency != ctx.property.currency)
    };
    let priced = Priced::new(&ev, quote, &currencies, "/query/currency")?;
    let stay_price = priced.source_stay_total() / Decimal::from(quote.quantity);
    if changed(&room.source_total, per_rooms(quote.room_total.amount))
        || changed(&room.price.source_total, per_rooms(stay_price))
    {
        return Err(ApiError::Conflict(format!(
            "the price changed: the stay now costs {} {} for {listed} room(s); quote again",
            per_rooms(quote.room_total.amount).normalize(),
            ctx.property.currency
        )));
    }

    let [total, internal_total, user_total] = priced.totals();
    let children: Vec<BookingItineraryRoomConfigurationChild> = room
        .configuration
        .children
        .iter()
        .map(|c| BookingItineraryRoomConfigurationChild {
            quantity: Some(c.quantity),
            age: Some(c.age),
        })
        .collect();
    let guests = request.guests() as i32;
    let snapshot = Snapshot {
        room_stay: BookingRoomStayDetails {
            room: offers::guest_room_lightweight(ev.room)?,
            adults: request.adults as i32,
            children: request.children() as i32,
            quantity: Some(quote.quantity as i32),
            price: priced.booking_stay_rate(),
            room_rate_identifier: master_rate.id,
            room_rate_internal_name: ev.master_rate_name(),
            rate_plan: offers::rate_plan_of_offer(ev.plan),
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
            user_identifier: ctx.caller.client_id,
            owner_identifier: channel.owner_account_id,
            owner_name: channel.owner_name.clone(),
            sub_type: entity_type(&channel)?,
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
    };
    let document =
        serde_json::to_value(&snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
    let row = Booking {
        id: Uuid::new_v4(),
        property_id: ctx.property.id,
        code: String::new(),
        creation: "TEST".into(),
        status: "TEST_PAYMENT_SUCCEEDED".into(),
        sales_channel_id: channel.id,
        master_rate_id: master_rate.id,
        room_type_id: ev.room.id,
        rate_plan_id: ev.plan.id,
        arrival: stay.arrival(),
        departure: stay.departure(),
        quantity: quote.quantity as i32,
        currency: ctx.property.currency.clone(),
        total: quote.total.amount.into(),
        first_night: quote.first_night_charge().amount.into(),
        guest_first_name: booker.first_name.clone(),
        guest_last_name: booker.last_name.clone(),
        guest_email: booker.email.clone(),
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
    };
    let property = state.store.property(ctx.property.id).await?;
    let quoted = catalog.quoted_from(master_rate.id);
    let cover = crate::media::cover_url(&state, property.id);
    let mut row = row;
    // The answer is rendered before the booking commits and stored with it (with an
    // Idempotency-Key): nothing after the commit can fail, or be lost, for a retry to redo.
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
            .create_booking(&row, &quoted, &notes, answer.receipt.as_ref())
            .await?;
        if let Booked::Stored(_) = booked {
            return Ok(answer.into_response());
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
