//! Tag "Daily Rate", writes: a date range of one master rate at once, or a keyed list of dates.
//! Either request is applied whole in one transaction, or not at all.
//!
//! Decisions a client sees:
//! - Fields left out keep what is stored; a date set for the first time starts open, without
//!   restrictions and without a price (so it is not sold until a `rate` is sent).
//! - `numberOfUnits` / `quantity` set, and `deltaQuantity` changes, the ROOM TYPE's capacity that
//!   date, shared by all its rate plans (at most 1,000,000): the rooms for sale in all, booked
//!   ones included. Every rate answers `quantity` = capacity less the rooms bookings hold (never
//!   below 0), so a write made from a read that a booking has since made stale never sells that
//!   booking's room again (docs/decisions.md, "Inventory").
//! - `deltaQuantity` with an `idempotencyKey` is applied once per key and property; a repeat of
//!   the key leaves availability as it is (the item's other fields, which are absolute, are still
//!   written) and still answers 200. A change that would leave fewer than 0 rooms is refused
//!   (409) and nothing of the request is applied. A key is remembered 24 hours, like an
//!   `Idempotency-Key`: after that its reuse is a new change (expired keys are purged now and
//!   then).
//! - The keyed list answers the resulting rate of each distinct key, in the order of the request.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use uuid::Uuid;
use wink_contract::{Rate, UpsertBulkRateRequest, UpsertIndividualRateRequestWrapper};
use wink_domain::stay::DateRange;
use wink_store::daily_rates::{DEFAULT_RATE_SOURCE, RateChange, RatePatch, RateView, UnitsChange};

use super::daily_rate::{self, MAX_UNITS, under};
use crate::auth::PropertyContext;
use crate::dates;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::state::AppState;
use crate::validation::ValidJson;

/// Longest `rateSource` / `idempotencyKey` accepted.
const MAX_TEXT: usize = 200;

/// Set one master rate's rates and restrictions, and its room type's availability, for every
/// date from `startDate` to `endDate` inclusive (at most 732 days, each within the server's date
/// window around today at the property). Answers the resulting rates.
#[utoipa::path(put, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}/rate/bulk",
    operation_id = "bulk-update-rate", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path), ("masterRateIdentifier" = Uuid, Path)),
    request_body = UpsertBulkRateRequest,
    responses((status = 200, body = Vec<Rate>), Problems))]
pub async fn bulk_update_rate(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<UpsertBulkRateRequest>,
) -> Result<axum::Json<Vec<Rate>>, ApiError> {
    let property = &ctx.property;
    let master = state.store.master_rate(property.id, id(&ids.1)?).await?;
    let req = &body.value;
    dates::within(
        &state.date_window(property),
        [
            ("/startDate".to_string(), req.start_date),
            ("/endDate".to_string(), req.end_date),
        ],
    )?;
    let range = DateRange::new(req.start_date, req.end_date)?;
    let rate = match &req.rate {
        None => None,
        Some(r) if r.currency != property.currency => {
            return Err(ApiError::field(
                "/rate/currency",
                format!("must be the property's currency, {}", property.currency),
            ));
        }
        Some(r) => Some(daily_rate::amount(r.amount, "/rate/amount")?),
    };
    let (min_los, max_los) =
        daily_rate::stay_limits(req.min_length_of_stay, req.max_length_of_stay)?;
    let modifiers = daily_rate::modifiers(
        &req.single_occupancy_rate_modifier,
        &req.extra_pax_rate_modifier,
        &req.extra_child_rate_modifier,
        &property.currency,
    )?;
    let source = req.rate_source.trim();
    if source.len() > MAX_TEXT {
        return Err(ApiError::field(
            "/rateSource",
            format!("must be at most {MAX_TEXT} characters"),
        ));
    }
    let units = match req.number_of_units {
        None => UnitsChange::Keep,
        Some(n) if (0..=MAX_UNITS).contains(&n) => UnitsChange::Set(n),
        Some(_) => {
            return Err(ApiError::field(
                "/numberOfUnits",
                format!("must be between 0 and {MAX_UNITS}"),
            ));
        }
    };
    let patch = RatePatch {
        rate,
        open: Some(req.master),
        closed_to_arrival: Some(req.closed_on_arrival),
        closed_to_departure: Some(req.closed_on_departure),
        min_los,
        max_los,
        modifiers,
        rate_source: Some(if source.is_empty() {
            DEFAULT_RATE_SOURCE.to_string()
        } else {
            source.to_string()
        }),
    };
    let changes: Vec<RateChange> = range
        .days()
        .map(|day| RateChange {
            master_rate_id: master.id,
            room_type_id: master.room_type_id,
            day,
            patch: patch.clone(),
            units: units.clone(),
        })
        .collect();
    let rows = apply(&state, &ctx, &changes).await?;
    Ok(axum::Json(daily_rate::to_wire_list(&rows, property)?))
}

/// Set rates, restrictions and availability date by date, each item naming its property, room
/// type, rate plan and date (within the server's date window around today at the property).
/// Every item is checked before anything is written; all are applied in one transaction.
#[utoipa::path(put, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/rate/update",
    operation_id = "update-rate-list", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = Vec<UpsertIndividualRateRequestWrapper>,
    responses((status = 200, body = Vec<Rate>), Problems))]
pub async fn update_rate_list(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<Vec<UpsertIndividualRateRequestWrapper>>,
) -> Result<axum::Json<Vec<Rate>>, ApiError> {
    let property = &ctx.property;
    if body.value.is_empty() {
        // The contract's answer is a non-empty list of rates: an empty request has none to give.
        return Err(ApiError::field("/", "send at least one rate to update"));
    }
    let masters = state.store.master_rates(property.id).await?;
    let rooms: HashSet<Uuid> = state
        .store
        .room_types(property.id)
        .await?
        .iter()
        .map(|r| r.id)
        .collect();
    let plans: HashSet<Uuid> = state
        .store
        .rate_plans(property.id)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    let by_pair: HashMap<(Uuid, Uuid), &wink_store::master_rates::MasterRate> = masters
        .iter()
        .map(|m| ((m.room_type_id, m.rate_plan_id), m))
        .collect();
    let mut changes = Vec::with_capacity(body.value.len());
    let mut problems = Vec::new();
    let window = state.date_window(property);
    let keyed_dates = body.value.iter().enumerate();
    if let Err(ApiError::Invalid(fields)) = dates::within(
        &window,
        keyed_dates.map(|(i, item)| (format!("/{i}/key/date"), item.key.date)),
    ) {
        problems.extend(fields);
    }
    for (i, item) in body.value.iter().enumerate() {
        let key = &item.key;
        let master = if key.hotel_identifier != property.id {
            Err(ApiError::field(
                format!("/{i}/key/hotelIdentifier"),
                "must be the property of the path",
            ))
        } else if let Some(m) = by_pair.get(&(key.guest_room_identifier, key.rate_plan_identifier))
        {
            Ok(*m)
        } else if !rooms.contains(&key.guest_room_identifier) {
            Err(ApiError::field(
                format!("/{i}/key/guestRoomIdentifier"),
                "is not a room type of this property",
            ))
        } else if !plans.contains(&key.rate_plan_identifier) {
            Err(ApiError::field(
                format!("/{i}/key/ratePlanIdentifier"),
                "is not a rate plan of this property",
            ))
        } else {
            Err(ApiError::field(
                format!("/{i}/key/ratePlanIdentifier"),
                "has no master rate with this room type",
            ))
        };
        let change = master.and_then(|m| {
            item_change(m, item, &property.currency).map_err(|e| under(&format!("/{i}/value"), e))
        });
        match change {
            Ok(c) => changes.push(c),
            Err(ApiError::Invalid(fields)) => problems.extend(fields),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let rows = apply(&state, &ctx, &changes).await?;
    Ok(axum::Json(daily_rate::to_wire_list(&rows, property)?))
}

/// The change one keyed item asks for; pointers relative to its `value`.
fn item_change(
    master: &wink_store::master_rates::MasterRate,
    item: &UpsertIndividualRateRequestWrapper,
    currency: &str,
) -> Result<RateChange, ApiError> {
    let v = &item.value;
    if let Some(code) = &v.currency_code
        && code != currency
    {
        return Err(ApiError::field(
            "/currencyCode",
            format!("must be the property's currency, {currency}"),
        ));
    }
    let rate = v.rate.map(|r| daily_rate::amount(r, "/rate")).transpose()?;
    let (min_los, max_los) = daily_rate::stay_limits(v.min_length_of_stay, v.max_length_of_stay)?;
    let modifiers = daily_rate::modifiers(
        &v.single_occupancy_rate_modifier,
        &v.extra_pax_rate_modifier,
        &v.extra_child_rate_modifier,
        currency,
    )?;
    let units = match (v.quantity, v.delta_quantity) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "/deltaQuantity",
                "send quantity or deltaQuantity, not both",
            ));
        }
        (Some(q), None) if (0..=MAX_UNITS).contains(&q) => UnitsChange::Set(q),
        (Some(_), None) => {
            return Err(ApiError::field(
                "/quantity",
                format!("must be between 0 and {MAX_UNITS}"),
            ));
        }
        (None, Some(d)) if (-MAX_UNITS..=MAX_UNITS).contains(&d) => {
            let key = match v.idempotency_key.as_deref().map(str::trim) {
                None => None,
                Some(k) if k.is_empty() || k.len() > MAX_TEXT => {
                    return Err(ApiError::field(
                        "/idempotencyKey",
                        format!("must be 1 to {MAX_TEXT} characters"),
                    ));
                }
                Some(k) => Some(k.to_string()),
            };
            UnitsChange::Add {
                delta: d,
                idempotency_key: key,
            }
        }
        (None, Some(_)) => {
            return Err(ApiError::field(
                "/deltaQuantity",
                format!("must be between -{MAX_UNITS} and {MAX_UNITS}"),
            ));
        }
        (None, None) => UnitsChange::Keep,
    };
    Ok(RateChange {
        master_rate_id: master.id,
        room_type_id: master.room_type_id,
        day: item.key.date,
        patch: RatePatch {
            rate,
            open: v.master,
            closed_to_arrival: v.closed_on_arrival,
            closed_to_departure: v.closed_on_departure,
            min_los,
            max_los,
            modifiers,
            rate_source: None,
        },
        units,
    })
}

/// Applies `changes` now, recorded in the ARI history as the caller's client's, and answers the
/// resulting rate of each distinct key in the order of the changes (as the transaction left
/// them: no second read). `deltaQuantity` keys are kept as long as `Idempotency-Key`s; about one
/// write in 64 that carries keys also purges every property's expired keys, so the table does
/// not grow forever.
async fn apply(
    state: &AppState,
    ctx: &PropertyContext,
    changes: &[RateChange],
) -> Result<Vec<RateView>, ApiError> {
    let now = state.now();
    let expired_before = now - crate::idempotency::retention();
    let rows = state
        .store
        .apply_rate_changes(
            ctx.property.id,
            changes,
            now,
            expired_before,
            Some(ctx.caller.client_id),
        )
        .await?;
    let keyed = changes.iter().any(|c| {
        matches!(
            &c.units,
            UnitsChange::Add {
                idempotency_key: Some(_),
                ..
            }
        )
    });
    if keyed && rand::random::<u8>() < 4 {
        let store = state.store.clone();
        tokio::spawn(async move {
            if let Err(e) = store.purge_rate_idempotency_keys(expired_before).await {
                tracing::warn!(error = %e, "purging expired rate idempotency keys");
            }
        });
    }
    Ok(rows)
}
