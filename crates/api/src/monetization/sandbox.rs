//! Tag "Daily Rate", test availability: what each sales channel of the property is offered for a
//! stay, and why the rest is not. Every room type × rate plan (master rate) is quoted by the
//! domain's engine with the property's promotions, exactly as a test booking will be, and shown
//! in the property's, the internal and the requested currency (the `offers` module).

use axum::extract::State;
use wink_contract::{ChannelName, DescriptiveRoom, VerifyRatesRequest};

use crate::auth::PropertyContext;
use crate::distribution::sales_channel::entity_type;
use crate::error::{ApiError, Problems};
use crate::offers::channel::channel_of;
use crate::offers::priced::Priced;
use crate::offers::reasons::RoomAnswer;
use crate::offers::shopper::{booked_at, currencies};
use crate::offers::{self, Catalog, MAX_CONFIGURATIONS, Shopper};
use crate::state::AppState;
use crate::validation::ValidJson;

/// The property's sales channels, to pick the one to test availability with: one entry per
/// channel, named after its owner.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/channel/list",
    operation_id = "show-channels", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = Vec<ChannelName>), Problems))]
pub async fn show_channels(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<axum::Json<Vec<ChannelName>>, ApiError> {
    let channels = state.store.sales_channels(ctx.property.id).await?;
    let names = channels
        .iter()
        .map(|c| {
            Ok(ChannelName {
                property_identifier: c.property_id.to_string(),
                sub_type: entity_type(c)?,
                owner_identifier: Some(c.owner_account_id.to_string()),
                name: c.owner_name.clone(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(axum::Json(names))
}

/// Test availability for a sales channel (`channel.ownerIdentifier` names its owner): one entry
/// per room type, its offers for each rate plan and room configuration under
/// `accessibleAvailability[].priceConfigurations` (the cheapest as `bestPrice`), priced with the
/// property's promotions for the booker the request describes (`promotion`, `city`, `country`,
/// `continent`, `timezone`, `ipNumber`), and what is not offered with every reason under
/// `inaccessibleRatePlans` (the rate plan's rules), `inaccessibleMasterRates` (master rate or
/// room type switched off) and `inaccessibleAvailability` (calendar, rooms left, occupancy);
/// `map.codes` lists the reasons' machine codes. A promotion or bundle that did not apply to an
/// offered stay is listed under `inaccessibleRatePlans` with `map.kind` PROMOTION or BUNDLE and
/// why. The booking date is today at the property unless `bookingDate` is given. Amounts are in
/// the property's currency, the internal currency and `currency` (which needs a loaded
/// exchange rate).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sandbox/room/list",
    operation_id = "show-descriptive-inventory", tag = "Daily Rate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = VerifyRatesRequest,
    responses((status = 200, body = Vec<DescriptiveRoom>), Problems))]
pub async fn show_descriptive_inventory(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<VerifyRatesRequest>,
) -> Result<
    (
        [(axum::http::HeaderName, String); 1],
        axum::Json<Vec<DescriptiveRoom>>,
    ),
    ApiError,
> {
    let started = std::time::Instant::now();
    let req = &body.value;
    let now = state.now();
    let window = state.date_window(&ctx.property);
    let stay = offers::stay(&window, req.stay_start_date, req.stay_end_date, "");
    // The channel, the currencies and the catalog are read at once; their refusals are still
    // answered in the request's order (channel, currency, stay, then the rest of the request).
    let (channel, currencies, catalog) = tokio::join!(
        channel_of(&state, &ctx.property, req, ""),
        currencies(&state, &ctx.property, &req.currency, "/currency", now),
        async {
            match &stay {
                Ok(stay) => Catalog::load(&state.store, &ctx.property, stay)
                    .await
                    .map(Some),
                Err(_) => Ok(None),
            }
        },
    );
    let channel = channel?;
    let currencies = currencies?;
    let stay = stay?;
    crate::dates::within(
        &window,
        req.booking_date.map(|d| ("/bookingDate".to_string(), d)),
    )?;
    if req.room_configurations.len() > MAX_CONFIGURATIONS {
        return Err(ApiError::field(
            "/roomConfigurations",
            format!("at most {MAX_CONFIGURATIONS} room configurations"),
        ));
    }
    let requests = req
        .room_configurations
        .iter()
        .enumerate()
        .map(|(i, c)| offers::room_request(c, None, &format!("/roomConfigurations/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    let booker = offers::booker(req, "")?;
    let today = state.today_at(&ctx.property);
    let booked_on = req.booking_date.unwrap_or(today);
    let shopper = Shopper {
        booker,
        booked_at: booked_at(&ctx.property, booked_on, today, now),
        booked_on,
        rooms_in_booking: requests.iter().map(|r| r.quantity).sum(),
    };

    let catalog = catalog?
        .ok_or_else(|| ApiError::Internal("the catalog of a valid stay was not read".into()))?;
    let loaded = started.elapsed();
    let direct = channel.view.owner_account_id == ctx.property.account_id;
    let mut rooms = Vec::with_capacity(catalog.room_types().len());
    for room in catalog.room_types() {
        let mut answer = RoomAnswer::default();
        for master_rate in catalog.master_rates_of(room.id) {
            for (configuration, request) in req.room_configurations.iter().zip(&requests) {
                let ev = catalog.evaluate(master_rate, &stay, request, &shopper, &channel)?;
                match &ev.outcome {
                    Ok(quote) => {
                        let priced = Priced::new(&ev, quote, &currencies, "/currency")?;
                        let offer = priced.offer(&channel, direct, configuration, &stay);
                        answer.offered(&ev, quote, offer, &stay, &shopper);
                    }
                    Err(reasons) => answer.refused(&ev, reasons),
                }
            }
        }
        rooms.push(answer.into_wire(room)?);
    }
    // Where the time went, for integrators and benchmarks (Server-Timing, W3C): reading the
    // property's rates and rules, then pricing every offer and building the answer.
    let priced = started.elapsed() - loaded;
    let timing = format!(
        "read;dur={:.2}, price;dur={:.2}",
        loaded.as_secs_f64() * 1000.0,
        priced.as_secs_f64() * 1000.0
    );
    Ok((
        [(axum::http::HeaderName::from_static("server-timing"), timing)],
        axum::Json(rooms),
    ))
}
