//! Extension "ARI history": the ledger of every change of a night's price, restrictions or rooms
//! for sale (who changed what, from what to what, and when), and the calendar as it stood at an
//! instant. Written by the rate writes themselves (`wink_store::ari_changes`); read here.
//!
//! Decisions a client sees:
//! - Changes are listed in the order they were made, a page at a time: `after` is the `id` of
//!   the last change already read (`next` of the previous page, absent on the last one).
//! - Each change is one field of one cell, named as the contract names it (`rate`, `master`,
//!   `closedOnArrival`, `minLengthOfStay`, `extraPaxRateModifier`...); `numberOfUnits` is a
//!   room type's capacity that night (rooms for sale in all, booked ones included), shared by
//!   its master rates, so it has no `masterRateIdentifier`. -1 is "no limit", null "not set".
//! - `clientIdentifier` is the OAuth client whose request made the change (absent for changes
//!   made without one, e.g. from the command line).
//! - The calendar `asOf` an instant answers every field as the ledger says it was then; rooms
//!   held by bookings are not part of it. Dates default to 31 nights from today at the property,
//!   `asOf` to now.

use axum::extract::State;
use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use wink_store::ari_changes::{CellAsOf, HistoryFilter, Recorded};

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::Query;
use crate::state::AppState;

/// Most changes per page (and the default: 100).
const MAX_PAGE: u32 = 1_000;
/// Most nights of a calendar `asOf`.
const MAX_NIGHTS: u64 = 366;

/// One changed field of one night.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AriChange {
    /// Orders the property's changes; pass the last one read as `after`.
    pub id: i64,
    /// The master rate whose daily rate changed (absent for `numberOfUnits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_rate_identifier: Option<Uuid>,
    pub room_type_identifier: Uuid,
    pub date: NaiveDate,
    /// What changed, by its contract name.
    pub field: String,
    #[schema(value_type = Object)]
    pub old_value: Value,
    #[schema(value_type = Object)]
    pub new_value: Value,
    pub changed_at: DateTime<Utc>,
    /// The OAuth client (application) whose request made the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_identifier: Option<Uuid>,
}

/// A page of changes.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AriHistoryPage {
    pub changes: Vec<AriChange>,
    /// `after` for the next page; absent when this page is the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}

/// One master rate's night as it stood at an instant.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AriCalendarNight {
    pub master_rate_identifier: Uuid,
    pub room_type_identifier: Uuid,
    pub rate_plan_identifier: Uuid,
    pub date: NaiveDate,
    /// The nightly price; absent when none was set (the night was not sold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    pub rate_source: String,
    pub master: bool,
    pub closed_on_arrival: bool,
    pub closed_on_departure: bool,
    /// -1: no limit.
    pub min_length_of_stay: i64,
    /// -1: no limit.
    pub max_length_of_stay: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub single_occupancy_rate_modifier: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub extra_pax_rate_modifier: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub extra_child_rate_modifier: Option<Value>,
    /// The room type's capacity that night (booked rooms included).
    pub number_of_units: i64,
}

/// The calendar as it stood at `asOf`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AriCalendarAsOf {
    /// The instant asked for (absent when none was: the calendar as it stands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<DateTime<Utc>>,
    pub nights: Vec<AriCalendarNight>,
}

/// Which changes to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct HistoryParams {
    /// Only this master rate's changes.
    pub master_rate_identifier: Option<String>,
    /// Only this room type's changes (its master rates' and its rooms').
    pub room_type_identifier: Option<String>,
    /// Nights from this date (YYYY-MM-DD).
    pub start_date: Option<String>,
    /// Nights until this date, inclusive.
    pub end_date: Option<String>,
    /// The `id` of the last change already read.
    pub after: Option<String>,
    /// Changes per page, 1 to 1000 (100).
    pub limit: Option<String>,
}

/// Which calendar to answer.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct CalendarParams {
    /// The instant (RFC 3339); now when absent.
    pub as_of: Option<String>,
    /// Only this master rate (all of the property's when absent).
    pub master_rate_identifier: Option<String>,
    /// The first night (today at the property when absent).
    pub start_date: Option<String>,
    /// The last night, inclusive (30 nights after the first when absent; at most 366 nights).
    pub end_date: Option<String>,
}

fn parse<T: std::str::FromStr>(
    value: &Option<String>,
    field: &str,
    expected: &str,
) -> Result<Option<T>, ApiError> {
    value
        .as_deref()
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| ApiError::field(field, format!("must be {expected}")))
        })
        .transpose()
}

/// A master rate of the property named by a query parameter.
async fn master_rate(
    state: &AppState,
    ctx: &PropertyContext,
    raw: &Option<String>,
) -> Result<Option<wink_store::master_rates::MasterRate>, ApiError> {
    let Some(id) = parse::<Uuid>(raw, "masterRateIdentifier", "a UUID")? else {
        return Ok(None);
    };
    let masters = state.store.master_rates(ctx.property.id).await?;
    match masters.into_iter().find(|m| m.id == id) {
        Some(m) => Ok(Some(m)),
        None => Err(ApiError::field(
            "masterRateIdentifier",
            "is not a master rate of this property",
        )),
    }
}

/// The history of the property's rates, restrictions and availability: every change of a field
/// of a night, oldest first, a page at a time, narrowed to a master rate or a room type and a
/// range of nights.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/ari/history",
    operation_id = "show-ari-history", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), HistoryParams),
    responses((status = 200, body = AriHistoryPage), Problems))]
pub async fn show_ari_history(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(params): Query<HistoryParams>,
) -> Result<axum::Json<AriHistoryPage>, ApiError> {
    let master = master_rate(&state, &ctx, &params.master_rate_identifier).await?;
    let room_type = parse::<Uuid>(&params.room_type_identifier, "roomTypeIdentifier", "a UUID")?;
    let start = parse::<NaiveDate>(&params.start_date, "startDate", "a date (YYYY-MM-DD)")?;
    let end = parse::<NaiveDate>(&params.end_date, "endDate", "a date (YYYY-MM-DD)")?;
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(ApiError::field("endDate", "must not be before startDate"));
    }
    let after = parse::<i64>(&params.after, "after", "the id of a change")?.unwrap_or(0);
    let limit = parse::<u32>(&params.limit, "limit", "a number from 1 to 1000")?.unwrap_or(100);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::field("limit", "must be a number from 1 to 1000"));
    }
    let filter = HistoryFilter {
        master_rate: master.map(|m| m.id),
        room_type,
        start,
        end,
    };
    // One more than asked: whether another page follows.
    let mut rows = state
        .store
        .ari_changes(ctx.property.id, &filter, after, limit + 1)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(axum::Json(AriHistoryPage {
        changes: rows.into_iter().map(change).collect(),
        next,
    }))
}

fn change(r: Recorded) -> AriChange {
    let value = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
    AriChange {
        id: r.id,
        master_rate_identifier: r.master_rate_id,
        room_type_identifier: r.room_type_id,
        date: r.day,
        old_value: value(&r.old_value),
        new_value: value(&r.new_value),
        field: r.field,
        changed_at: r.changed_at,
        client_identifier: r.client_id,
    }
}

/// The calendar of the property's master rates (or one) as it stood at an instant (`asOf`):
/// prices, restrictions and each room type's capacity, by master rate then night, rebuilt from
/// the ARI history.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/ari/history/calendar",
    operation_id = "show-ari-calendar-as-of", tag = "Extensions",
    params(("managingEntityIdentifier" = Uuid, Path), CalendarParams),
    responses((status = 200, body = AriCalendarAsOf), Problems))]
pub async fn show_ari_calendar_as_of(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Query(params): Query<CalendarParams>,
) -> Result<axum::Json<AriCalendarAsOf>, ApiError> {
    let asked = parse::<DateTime<Utc>>(&params.as_of, "asOf", "an RFC 3339 instant")?;
    let as_of = asked.unwrap_or_else(|| state.now());
    let master = master_rate(&state, &ctx, &params.master_rate_identifier).await?;
    let start = parse::<NaiveDate>(&params.start_date, "startDate", "a date (YYYY-MM-DD)")?
        .unwrap_or_else(|| state.today_at(&ctx.property));
    let end = parse::<NaiveDate>(&params.end_date, "endDate", "a date (YYYY-MM-DD)")?
        .unwrap_or_else(|| start + Days::new(30));
    if end < start {
        return Err(ApiError::field("endDate", "must not be before startDate"));
    }
    if (end - start).num_days() as u64 >= MAX_NIGHTS {
        return Err(ApiError::field(
            "endDate",
            format!("at most {MAX_NIGHTS} nights from startDate"),
        ));
    }
    let cells = state
        .store
        .calendar_as_of(ctx.property.id, master.map(|m| m.id), start, end, as_of)
        .await?;
    Ok(axum::Json(AriCalendarAsOf {
        as_of: asked,
        nights: cells.into_iter().map(night).collect(),
    }))
}

fn night(c: CellAsOf) -> AriCalendarNight {
    let field = |name: &str| c.fields.get(name).cloned().unwrap_or(Value::Null);
    let flag = |name: &str| field(name).as_bool().unwrap_or(false);
    let number = |name: &str| field(name).as_i64().unwrap_or(-1);
    let object = |name: &str| Some(field(name)).filter(|v| !v.is_null());
    use wink_store::ari_changes as f;
    AriCalendarNight {
        master_rate_identifier: c.master_rate_id,
        room_type_identifier: c.room_type_id,
        rate_plan_identifier: c.rate_plan_id,
        date: c.day,
        rate: c.rate,
        rate_source: field(f::RATE_SOURCE)
            .as_str()
            .unwrap_or_default()
            .to_string(),
        master: flag(f::MASTER),
        closed_on_arrival: flag(f::CLOSED_ON_ARRIVAL),
        closed_on_departure: flag(f::CLOSED_ON_DEPARTURE),
        min_length_of_stay: number(f::MIN_LENGTH_OF_STAY),
        max_length_of_stay: number(f::MAX_LENGTH_OF_STAY),
        single_occupancy_rate_modifier: object(f::MODIFIERS[0]),
        extra_pax_rate_modifier: object(f::MODIFIERS[1]),
        extra_child_rate_modifier: object(f::MODIFIERS[2]),
        number_of_units: field(f::NUMBER_OF_UNITS).as_i64().unwrap_or(0),
    }
}
