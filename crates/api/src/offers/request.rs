//! What a test-availability or test-booking request asks for, read from the wire: the stay, the
//! room configurations and the booker the promotions' qualifiers are checked against. Every
//! refusal names the field (JSON pointer) it is about.

use std::net::IpAddr;

use chrono::NaiveDate;
use wink_contract::{RoomConfiguration, VerifyRatesRequest};
use wink_domain::DateWindow;
use wink_domain::occupancy::RoomRequest;
use wink_domain::promotion::Booker;
use wink_domain::stay::Stay;

use crate::error::ApiError;

/// Room configurations one request may ask for: every configuration is quoted with every master
/// rate of the property, so the number bounds the work of a request.
pub const MAX_CONFIGURATIONS: usize = 10;

/// Children one room configuration may list (the sum of their `quantity`): far above any room.
pub const MAX_CHILDREN: i64 = 50;
/// What the request says about the booker, for the promotions' qualifiers: the code entered
/// (`promotion`), where they are (`continent`, `country`, `city`, `timezone`; a field of its own
/// wins over the same fact inside `city`) and their `ipNumber`. `prefix` is where the query sits
/// in the body (`""` or `"/query"`).
pub fn booker(req: &VerifyRatesRequest, prefix: &str) -> Result<Booker, ApiError> {
    let given = |v: Option<&String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let city = req.city.as_ref();
    let country = req.country.as_ref();
    let ip = match given(req.ip_number.as_ref()) {
        Some(text) => Some(text.parse::<IpAddr>().map_err(|_| {
            ApiError::field(
                format!("{prefix}/ipNumber"),
                format!("`{text}` is not an IPv4 or IPv6 address"),
            )
        })?),
        None => None,
    };
    Ok(Booker {
        promotion_codes: given(req.promotion.as_ref()).into_iter().collect(),
        continent: given(req.continent.as_ref())
            .or_else(|| given(country.and_then(|c| c.continent_code.as_ref())))
            .or_else(|| given(city.map(|c| &c.continent_code))),
        country: given(country.and_then(|c| c.country_iso_code.as_ref()))
            .or_else(|| given(city.map(|c| &c.country_iso_code))),
        city_geo_name_id: given(city.map(|c| &c.geo_name_id)),
        city_name: given(city.map(|c| &c.city_name)),
        time_zone: given(req.timezone.as_ref()).or_else(|| given(city.map(|c| &c.timezone))),
        ip,
    })
}

/// The guests of a wire room configuration, refused under `pointer` (e.g.
/// `/roomConfigurations/0`) when they cannot be a booking: no adult, a child older than a child,
/// absurd counts. `quantity` overrides the configuration's own.
pub fn room_request(
    configuration: &RoomConfiguration,
    quantity: Option<i32>,
    pointer: &str,
) -> Result<RoomRequest, ApiError> {
    let children: i64 = configuration
        .children
        .iter()
        .map(|c| i64::from(c.quantity.max(0)))
        .sum();
    if children > MAX_CHILDREN {
        return Err(ApiError::field(
            format!("{pointer}/children"),
            format!("at most {MAX_CHILDREN} children per room configuration"),
        ));
    }
    let mut ages = Vec::new();
    for (i, child) in configuration.children.iter().enumerate() {
        let age = u32::try_from(child.age).map_err(|_| {
            ApiError::field(
                format!("{pointer}/children/{i}/age"),
                "must not be negative",
            )
        })?;
        ages.extend(std::iter::repeat_n(age, child.quantity.max(0) as usize));
    }
    let adults = u32::try_from(configuration.adults)
        .map_err(|_| ApiError::field(format!("{pointer}/adults"), "must not be negative"))?;
    let quantity = quantity.or(configuration.quantity).unwrap_or(1);
    let quantity = u32::try_from(quantity)
        .map_err(|_| ApiError::field(format!("{pointer}/quantity"), "must be at least 1"))?;
    RoomRequest::new(adults, ages, quantity)
        .map_err(|e| ApiError::field(format!("{pointer}/{}", e.field()), e.message().to_string()))
}

/// A stay from the wire's arrival and departure, both within `window` (the server's dates, see
/// `crate::dates`), refused under `pointer` + `/stayStartDate` or `/stayEndDate`.
pub fn stay(
    window: &DateWindow,
    start: NaiveDate,
    end: NaiveDate,
    pointer: &str,
) -> Result<Stay, ApiError> {
    crate::dates::within(
        window,
        [
            (format!("{pointer}/stayStartDate"), start),
            (format!("{pointer}/stayEndDate"), end),
        ],
    )?;
    Stay::new(start, end)
        .map_err(|e| ApiError::field(format!("{pointer}/stayEndDate"), e.message().to_string()))
}
