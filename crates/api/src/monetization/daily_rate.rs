//! Tag "Daily Rate", reads, and the one mapping between stored daily rates and the contract's
//! `Rate` (used by every endpoint that answers rates), plus the checks every rate write shares.
//!
//! A daily rate is a master rate's price and restrictions for one date; `quantity` is its room
//! type's rooms still for sale that date, shared by all the room type's rate plans.
//!
//! Decisions a client sees:
//! - Every date of the requested range is answered, for every master rate in scope: a date never
//!   set is answered as a new one would be (open, unrestricted, without a price).
//! - A date without a price is not sold: it is answered with `rate` 0 (the contract requires a
//!   number) and `available: false`. `available` is `master && a price is set && quantity > 0`.
//! - `minLengthOfStay`/`maxLengthOfStay` are -1 when there is no limit (as the contract says);
//!   writes accept -1 or 0 for "no limit".
//! - `ttl` is the instant the night stops being sellable: the end of that date in the property's
//!   time zone, in UTC.
//! - Amounts are kept to 6 decimal places (rounded half away from zero).

use axum::extract::State;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use wink_contract::{DateRange as WireDateRange, Rate, VariableCharge as WireCharge};
use wink_domain::cancellation::start_of_day;
use wink_domain::date_window::check_cells;
use wink_domain::stay::DateRange;
use wink_store::daily_rates::RateView;
use wink_store::properties::PropertyRef;

use super::rules;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, from_document};
use crate::extract::{Path, id};
use crate::state::AppState;
use crate::validation::ValidJson;

/// The most rooms a room type can have for sale on a night, and the largest relative change.
pub const MAX_UNITS: i32 = 1_000_000;

/// The daily rates of one master rate over an inclusive date range (at most 732 days, both ends
/// within the server's date window around today at the property), by date.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}/rates/dates",
    operation_id = "show-all-master-rates-rates", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path), ("masterRateIdentifier" = Uuid, Path)),
    request_body = WireDateRange,
    responses((status = 200, body = Vec<Rate>), Problems))]
pub async fn show_all_master_rates_rates(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<WireDateRange>,
) -> Result<axum::Json<Vec<Rate>>, ApiError> {
    let master = state
        .store
        .master_rate(ctx.property.id, id(&ids.1)?)
        .await?;
    let range = requested_range(&state, &ctx, &body.value)?;
    let rows = state
        .store
        .rates(ctx.property.id, Some(master.id), range.start(), range.end())
        .await?;
    Ok(axum::Json(to_wire_list(&rows, &ctx.property)?))
}

/// The daily rates of every master rate of the property over an inclusive date range (at most
/// 732 days, both ends within the server's date window around today at the property), by master
/// rate (in the order of the master-rate list) then date. One answer holds at most 50,000 daily
/// rates (master rates × days): a longer range is a 400 naming `/endDate` with the most days
/// that fit.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/rates/dates",
    operation_id = "show-all-hotel-rates", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = WireDateRange,
    responses((status = 200, body = Vec<Rate>), Problems))]
pub async fn show_all_hotel_rates(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<WireDateRange>,
) -> Result<axum::Json<Vec<Rate>>, ApiError> {
    let range = requested_range(&state, &ctx, &body.value)?;
    let master_rates = state.store.master_rates(ctx.property.id).await?.len();
    check_cells(master_rates, range.len())?;
    let rows = state
        .store
        .rates(ctx.property.id, None, range.start(), range.end())
        .await?;
    Ok(axum::Json(to_wire_list(&rows, &ctx.property)?))
}

/// The calendar a read asks for: both ends within the date window, at most 732 days.
fn requested_range(
    state: &AppState,
    ctx: &PropertyContext,
    wire: &WireDateRange,
) -> Result<DateRange, ApiError> {
    crate::dates::within(
        &state.date_window(&ctx.property),
        [
            ("/startDate".to_string(), wire.start_date),
            ("/endDate".to_string(), wire.end_date),
        ],
    )?;
    Ok(DateRange::new(wire.start_date, wire.end_date)?)
}

/// Stored daily rates in their wire form.
pub fn to_wire_list(rows: &[RateView], property: &PropertyRef) -> Result<Vec<Rate>, ApiError> {
    let zone = crate::dates::zone(property);
    rows.iter().map(|r| to_wire(r, property, zone)).collect()
}

/// One stored daily rate in its wire form (see the module's decisions).
pub fn to_wire(row: &RateView, property: &PropertyRef, zone: Tz) -> Result<Rate, ApiError> {
    let modifier = |key: &str| -> Result<Option<WireCharge>, ApiError> {
        match row.modifiers.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => from_document(
                &format!("daily rate {key}"),
                format_args!("{} {}", row.master_rate_id, row.day),
                v,
            )
            .map(Some),
        }
    };
    let limit = |v: Option<i32>| rules::stay_limit(v).map_or(-1, |n| n as i32);
    let rate = row.rate.map(|a| a.0.normalize());
    Ok(Rate {
        id: None,
        hotel_identifier: property.id,
        rate_source: row.rate_source.clone(),
        rate_plan_identifier: row.rate_plan_id,
        guest_room_identifier: row.room_type_id,
        rate: rate.unwrap_or(Decimal::ZERO),
        currency_code: property.currency.clone(),
        master: row.open,
        closed_on_arrival: row.closed_to_arrival,
        closed_on_departure: row.closed_to_departure,
        day: Some(row.day.day() as i32),
        month: Some(row.day.month() as i32),
        year: Some(row.day.year()),
        quantity: Some(row.units),
        min_length_of_stay: Some(limit(row.min_los)),
        max_length_of_stay: Some(limit(row.max_los)),
        single_occupancy_rate_modifier: modifier(rules::SINGLE_OCCUPANCY)?,
        extra_pax_rate_modifier: modifier(rules::EXTRA_ADULT)?,
        extra_child_rate_modifier: modifier(rules::EXTRA_CHILD)?,
        ttl: end_of(zone, row.day),
        available: Some(row.open && rate.is_some() && row.units > 0),
    })
}

/// The instant `date` ends at the property: the start of the next day there.
fn end_of(zone: Tz, date: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    match date.succ_opt() {
        Some(next) => start_of_day(zone, next),
        None => chrono::DateTime::<chrono::Utc>::MAX_UTC,
    }
}

/// Refusals of a part of a request, re-rooted under `prefix` (e.g. `/3/value`).
pub fn under(prefix: &str, e: ApiError) -> ApiError {
    match e {
        ApiError::Invalid(mut fields) => {
            for f in &mut fields {
                f.field = format!("{prefix}{}", f.field);
            }
            ApiError::Invalid(fields)
        }
        other => other,
    }
}

/// A nightly rate from a request: zero or more, at most the domain's input bound, kept to 6
/// decimal places. `field` is its JSON pointer.
pub fn amount(value: Decimal, field: &str) -> Result<wink_store::Amount, ApiError> {
    wink_domain::money::check_input_amount("rate", value)
        .map_err(|e| ApiError::field(field, e.message().to_string()))?;
    Ok(wink_store::Amount(value.round_dp(6).normalize()))
}

/// A length-of-stay limit from a request: -1 or 0 mean "no limit" (stored as -1), otherwise at
/// least 1 night. `field` is its JSON pointer.
fn stay_limit(value: Option<i32>, field: &str) -> Result<Option<i32>, ApiError> {
    match value {
        None => Ok(None),
        Some(v) if v < -1 => Err(ApiError::field(
            field,
            "must be -1 (no limit) or a number of nights",
        )),
        Some(v) if v <= 0 => Ok(Some(-1)),
        Some(v) => Ok(Some(v)),
    }
}

/// Checked length-of-stay limits (min, max) of a request; pointers are relative (`/minLengthOfStay`).
pub fn stay_limits(
    min: Option<i32>,
    max: Option<i32>,
) -> Result<(Option<i32>, Option<i32>), ApiError> {
    let min = stay_limit(min, "/minLengthOfStay")?;
    let max = stay_limit(max, "/maxLengthOfStay")?;
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > 0
        && hi > 0
        && hi < lo
    {
        return Err(ApiError::field(
            "/maxLengthOfStay",
            format!("{hi} is less than minLengthOfStay {lo}"),
        ));
    }
    Ok((min, max))
}

/// The modifiers a request sets, checked (`rules::charge`) and kept as sent, under the keys of
/// the `modifiers` document; pointers are relative (`/extraPaxRateModifier/percent`).
pub fn modifiers(
    single: &Option<WireCharge>,
    extra_adult: &Option<WireCharge>,
    extra_child: &Option<WireCharge>,
    currency: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for (key, wire) in [
        (rules::SINGLE_OCCUPANCY, single),
        (rules::EXTRA_ADULT, extra_adult),
        (rules::EXTRA_CHILD, extra_child),
    ] {
        if let Some(wire) = wire {
            rules::charge(wire, key, currency)?;
            let value =
                serde_json::to_value(wire).map_err(|e| ApiError::Internal(e.to_string()))?;
            out.insert(key.to_string(), value);
        }
    }
    Ok(out)
}
