//! Tag "Daily Rate": a page of one master rate's STORED daily rates under the contract's State,
//! through the grid engine (`crate::grid`), answered with the one Rate mapping
//! (`daily_rate::to_wire`). Unlike the calendar reads, dates never set are not listed.
//!
//! Fields (the Rate's wire names, plus `date`, the night the rate is for, as the Rate has only
//! `day`/`month`/`year`): `date`, `rate` (0 for a date without a price), `master`,
//! `closedOnArrival`, `closedOnDeparture`, `minLengthOfStay`, `maxLengthOfStay` (-1: no limit),
//! `quantity` (the room type's rooms left), `rateSource`, `available`. Default order: by date.

use axum::extract::State;
use wink_contract::RatePage;
use wink_store::rate_queries::columns as c;

use super::daily_rate::to_wire;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::grid::{self, Field, GridState};
use crate::state::AppState;
use crate::validation::ValidJson;

pub const FIELDS: &[Field] = &[
    Field::new("date", c::DAY),
    Field::new("rate", c::RATE),
    Field::new("master", c::OPEN),
    Field::new("closedOnArrival", c::CLOSED_TO_ARRIVAL),
    Field::new("closedOnDeparture", c::CLOSED_TO_DEPARTURE),
    Field::new("minLengthOfStay", c::MIN_LOS),
    Field::new("maxLengthOfStay", c::MAX_LOS),
    Field::new("quantity", c::UNITS),
    Field::new("rateSource", c::RATE_SOURCE),
    Field::new("available", c::AVAILABLE),
];

/// A page of the master rate's stored daily rates, filtered and sorted by the request's State
/// (by date when it names no order). Fields: `date` (YYYY-MM-DD), `rate`, `master`,
/// `closedOnArrival`, `closedOnDeparture`, `minLengthOfStay`, `maxLengthOfStay`, `quantity`,
/// `rateSource`, `available`; anything else is a 400 naming it.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}/rate/grid",
    operation_id = "show-daily-rates-page", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path), ("masterRateIdentifier" = Uuid, Path)),
    request_body = GridState,
    responses((status = 200, body = RatePage), Problems))]
pub async fn show_daily_rates_page(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<GridState>,
) -> Result<axum::Json<RatePage>, ApiError> {
    let master = state
        .store
        .master_rate(ctx.property.id, id(&ids.1)?)
        .await?;
    let grid = grid::parse(&body.value, FIELDS, "", &state.date_window(&ctx.property))?;
    let (rows, total) = state
        .store
        .daily_rate_grid(
            ctx.property.id,
            master.id,
            &grid.query,
            grid.take,
            grid.skip,
        )
        .await?;
    let zone = crate::dates::zone(&ctx.property);
    let content = rows
        .iter()
        .map(|r| to_wire(r, &ctx.property, zone))
        .collect::<Result<Vec<_>, _>>()?;
    let meta = grid.page(content.len(), total);
    Ok(axum::Json(RatePage {
        content,
        first: meta.first,
        last: meta.last,
        number: meta.number,
        number_of_elements: meta.number_of_elements,
        size: meta.size,
        total_elements: meta.total_elements,
        total_pages: meta.total_pages,
    }))
}
