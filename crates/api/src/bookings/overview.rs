//! Tag "Booking": the sales overview and the filter lists (booked master rates, channel owners),
//! all read from the stored bookings.
//!
//! Decisions a client sees:
//! - The overview (`BY_PROPERTY`, the property's name and id) counts the bookings that hold:
//!   every booking made (test bookings included: they are this server's sales) and not
//!   cancelled. `totalPriceAmount` is their totals summed, `averageBookingAmount` the total per
//!   booking rounded to the currency's minor unit (0 without bookings), in the property's
//!   currency. Cancellations and their penalties are in the analytics.
//! - The lists name what the property's bookings (cancelled ones included) were made on, so a
//!   client can offer them as grid filters: `value` is what the grid filters on
//!   (`roomStay.roomRateIdentifier`, `customization.ownerIdentifier`), `label` the name it was
//!   last sold under (the newest booking's snapshot): "Room type - Rate plan" for master rates,
//!   "Owner name (CHANNEL_TYPE)" for owners. Sorted by label; `[]` without bookings.

use axum::extract::State;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{GroupedBookingSalesMetrics, GroupedBookingSalesMetricsType, KeyValuePair};
use wink_domain::money::Currency;
use wink_store::booking_queries::BookedBy;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::state::AppState;

/// The property's sales: how many bookings hold, what they cost in all and on average.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/overview",
    operation_id = "show-booking-overview", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = GroupedBookingSalesMetrics), Problems))]
pub async fn show_booking_overview(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<GroupedBookingSalesMetrics>, ApiError> {
    let sales = state.store.booking_sales(ctx.property.id).await?;
    let minor = Currency::parse(&ctx.property.currency)
        .map(|c| c.minor_units())
        .unwrap_or(2);
    let average = if sales.bookings == 0 {
        Decimal::ZERO
    } else {
        (sales.total / Decimal::from(sales.bookings))
            .round_dp_with_strategy(minor, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let number = |d: Decimal| d.to_f64().unwrap_or(0.0);
    Ok(axum::Json(GroupedBookingSalesMetrics {
        r#type: Some(GroupedBookingSalesMetricsType::ByProperty),
        type_name: Some(ctx.property.name.clone()),
        type_identifier: Some(ctx.property.id),
        bookings: Some(sales.bookings as i64),
        total_price_amount: Some(number(sales.total)),
        average_booking_amount: Some(number(average)),
        currency_code: Some(ctx.property.currency.clone()),
    }))
}

/// The master rates the property's bookings were made on: `value` the master rate,
/// `label` "Room type - Rate plan" as last sold.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/roomrate/list",
    operation_id = "show-active-master-rates", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<KeyValuePair>), Problems))]
pub async fn show_active_master_rates(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<KeyValuePair>>, ApiError> {
    let rows = state
        .store
        .booked(ctx.property.id, BookedBy::MasterRate)
        .await?;
    let pairs = rows
        .iter()
        .map(|(id, doc)| pair(id.to_string(), master_rate_label(&doc.0), *id))
        .collect();
    Ok(axum::Json(sorted(pairs)))
}

/// The sales channel owners (affiliates) whose channels the property's bookings came through:
/// `value` the owner, `label` "Owner name (CHANNEL_TYPE)" as last sold.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/booking/owner/list",
    operation_id = "show-active-affiliates", tag = "Booking",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<KeyValuePair>), Problems))]
pub async fn show_active_affiliates(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<KeyValuePair>>, ApiError> {
    let rows = state
        .store
        .booked(ctx.property.id, BookedBy::SalesChannel)
        .await?;
    let mut pairs = Vec::with_capacity(rows.len());
    for (channel, doc) in &rows {
        let owner = text(&doc.0, "/customization/ownerIdentifier").ok_or_else(|| {
            ApiError::Internal(format!(
                "sales channel {channel}: booking without its owner"
            ))
        })?;
        pairs.push(pair(owner, owner_label(&doc.0), *channel));
    }
    Ok(axum::Json(sorted(pairs)))
}

fn text(doc: &Value, pointer: &str) -> Option<String> {
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// "Room type - Rate plan" as sold.
pub fn master_rate_label(doc: &Value) -> Option<String> {
    text(doc, "/roomStay/roomRateInternalName")
}

/// The channel's owner name as sold.
pub fn owner_name(doc: &Value) -> Option<String> {
    text(doc, "/customization/ownerName")
}

fn owner_label(doc: &Value) -> Option<String> {
    let name = owner_name(doc)?;
    Some(match text(doc, "/customization/subType") {
        Some(kind) => format!("{name} ({kind})"),
        None => name,
    })
}

/// A pair whose label falls back on the id (labels are required and non-empty).
fn pair(value: String, label: Option<String>, id: Uuid) -> KeyValuePair {
    KeyValuePair {
        label: label.unwrap_or_else(|| id.to_string()),
        value,
    }
}

fn sorted(mut pairs: Vec<KeyValuePair>) -> Vec<KeyValuePair> {
    pairs.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));
    pairs
}
