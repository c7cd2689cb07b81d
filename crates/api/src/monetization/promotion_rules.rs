//! Promotions and promotion bundles as the contract sends them, turned into the domain's
//! [`Promotion`] and [`Bundle`], ONCE: the promotion endpoints validate requests through these
//! functions, and pricing reads the stored documents back through the same ones, so a quote
//! and the endpoint that accepted the promotion obey one reading.
//!
//! - [`promotion`] / [`bundle`]: an upsert request → the domain's value, validated
//!   (`Promotion::validate`, `Bundle::validate`); errors name the field as a JSON pointer.
//! - [`stored_promotion`] / [`stored_bundle`]: a stored row (`Store::promotions`,
//!   `Store::bundles`; its `document` is the request as accepted) → the domain's value, ready
//!   for `wink_domain::pricing::quote_with_offers` (`Offers::promotions` / `Offers::bundles`).
//!   An unreadable row is an internal error. Pass disabled ones too (they never apply), and
//!   bundles that can never apply (`isValid: false`): `Bundle::check` refuses those by itself,
//!   since no stay meets all their items.
//!
//! What these functions do NOT check, because it needs the store: that the master rates,
//! rate plans, add-ons and bundle items named belong to the property. The endpoints check
//! those before storing.

use std::net::IpAddr;

use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;
use wink_contract::{
    DowPatternGroup, PricingType as WirePricingType, RateModifierType,
    UpsertSpecialRateBundleRequest, UpsertSpecialRateRequest,
};
use wink_domain::error::DomainError;
use wink_domain::promotion::{
    AdvanceBooking, Bundle, BundleOverride, City, IpRange, LengthOfStay, Period, PricingType,
    Promotion, PromotionKind, Qualifiers, RoomRange,
};

use super::rules;
use crate::error::ApiError;

/// The domain's promotion for an upsert request, with the property's `currency` (a FIXED
/// modifier must be in it). Repeated master-rate, rate-plan and add-on identifiers count once.
/// Refuses, naming the field: a blank name, a modifier out of range (a percentage is a fraction:
/// 0.1 = 10 %; a discount is at most 1), a FIXED modifier in another currency, contradictory
/// qualifiers (a maximum below its minimum, periods ending before they start, a country that is
/// no ISO code, an unknown continent or time zone, an IP range that is not one...).
pub fn promotion(
    id: Uuid,
    req: &UpsertSpecialRateRequest,
    currency: &str,
) -> Result<Promotion, ApiError> {
    let promotion = Promotion {
        id,
        name: req.name.trim().to_string(),
        enabled: req.enabled,
        kind: kind(req.r#type),
        modifier: rules::charge(&req.modifier, "modifier", currency)?,
        pricing_type: pricing_type(req.pricing_type)?,
        qualifiers: qualifiers(req)?,
        master_rate_ids: distinct(&req.master_rate_identifiers),
        rate_plan_ids: distinct(&req.rate_plan_identifiers),
        add_on_ids: distinct(&req.add_on_identifiers),
    };
    promotion.validate().map_err(pointer)?;
    Ok(promotion)
}

/// The domain's bundle for an upsert request, with the property's `currency` (a FIXED
/// `modifierOverride` must be in it). Refuses, naming the field: a blank name, fewer than two
/// distinct items, a `modifierOverride` without its `type` or `pricingType`, or out of range.
/// `type` and `pricingType` without a `modifierOverride` mean nothing and are ignored.
pub fn bundle(
    id: Uuid,
    req: &UpsertSpecialRateBundleRequest,
    currency: &str,
) -> Result<Bundle, ApiError> {
    let modifier = req
        .modifier_override
        .as_ref()
        .map(|m| rules::charge(m, "modifierOverride", currency))
        .transpose()?;
    let modifier_override = BundleOverride::from_contract(
        modifier,
        req.r#type.map(kind),
        req.pricing_type.map(pricing_type).transpose()?,
    )
    .map_err(pointer)?;
    let bundle = Bundle {
        id,
        name: req.name.trim().to_string(),
        enabled: req.enabled,
        items: req.item_identifiers.clone(),
        modifier_override,
    };
    bundle.validate().map_err(pointer)?;
    Ok(bundle)
}

/// A stored promotion (its document is the accepted request) as the domain's.
pub fn stored_promotion(
    row: &wink_store::promotions::Promotion,
    currency: &str,
) -> Result<Promotion, ApiError> {
    let req: UpsertSpecialRateRequest = stored(&row.document.0, "promotion", row.id)?;
    promotion(row.id, &req, currency).map_err(|e| corrupt("promotion", row.id, e))
}

/// A stored bundle (its document is the accepted request) as the domain's.
pub fn stored_bundle(
    row: &wink_store::promotions::Bundle,
    currency: &str,
) -> Result<Bundle, ApiError> {
    let req: UpsertSpecialRateBundleRequest = stored(&row.document.0, "promotion bundle", row.id)?;
    bundle(row.id, &req, currency).map_err(|e| corrupt("promotion bundle", row.id, e))
}

fn stored<T: serde::de::DeserializeOwned>(
    document: &Value,
    what: &str,
    id: Uuid,
) -> Result<T, ApiError> {
    crate::error::from_document(what, id, document)
}

fn corrupt(what: &str, id: Uuid, e: ApiError) -> ApiError {
    match e {
        ApiError::Internal(m) => ApiError::Internal(m),
        other => ApiError::Internal(format!("stored {what} {id} no longer valid: {other:?}")),
    }
}

/// A domain refusal with its field as a JSON pointer: the domain writes
/// `stayDateRateQualifiers[1].expireDate`, the API `/stayDateRateQualifiers/1/expireDate`.
fn pointer(e: DomainError) -> ApiError {
    let field = e
        .field()
        .replace('[', ".")
        .replace(']', "")
        .replace('.', "/");
    ApiError::field(format!("/{field}"), e.message().to_string())
}

fn kind(wire: RateModifierType) -> PromotionKind {
    match wire {
        RateModifierType::Premium => PromotionKind::Premium,
        RateModifierType::Discount => PromotionKind::Discount,
    }
}

fn pricing_type(wire: WirePricingType) -> Result<PricingType, ApiError> {
    serde_json::from_value(Value::String(wire.as_str().to_string())).map_err(|_| {
        ApiError::field(
            "/pricingType",
            format!("{} is not supported", wire.as_str()),
        )
    })
}

/// Identifiers in their first order, each once.
fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// A count the contract sends as a signed integer.
fn count(value: i64, field: impl FnOnce() -> String) -> Result<u32, ApiError> {
    u32::try_from(value).map_err(|_| ApiError::field(field(), "must be between 0 and 4294967295"))
}

fn days(wire: &DowPatternGroup) -> Option<wink_domain::DaysOfWeek> {
    rules::days(&Some(wire.clone()))
}

/// Every date a promotion request names (its stay and sell periods and blackout dates), with its
/// JSON pointer, for the server's date window.
pub fn dates(req: &UpsertSpecialRateRequest) -> Vec<(String, NaiveDate)> {
    let periods = [
        (
            "stayDateRateQualifiers",
            req.stay_date_rate_qualifiers
                .iter()
                .map(|p| (p.effective_date, p.expire_date))
                .collect::<Vec<_>>(),
        ),
        (
            "sellDateRateQualifiers",
            req.sell_date_rate_qualifiers
                .iter()
                .map(|p| (p.effective_date, p.expire_date))
                .collect(),
        ),
        (
            "blackoutDates",
            req.blackout_dates
                .iter()
                .map(|p| (p.effective_date, p.expire_date))
                .collect(),
        ),
    ];
    let mut out = Vec::new();
    for (list, items) in periods {
        for (i, (effective, expire)) in items.into_iter().enumerate() {
            out.push((format!("/{list}/{i}/effectiveDate"), effective));
            out.push((format!("/{list}/{i}/expireDate"), expire));
        }
    }
    out
}

fn qualifiers(req: &UpsertSpecialRateRequest) -> Result<Qualifiers, ApiError> {
    let period = |effective, expire| Period::new(effective, expire);
    let mut q = Qualifiers {
        stay_dates: req
            .stay_date_rate_qualifiers
            .iter()
            .map(|p| period(p.effective_date, p.expire_date))
            .collect(),
        sell_dates: req
            .sell_date_rate_qualifiers
            .iter()
            .map(|p| period(p.effective_date, p.expire_date))
            .collect(),
        blackout_dates: req
            .blackout_dates
            .iter()
            .map(|p| period(p.effective_date, p.expire_date))
            .collect(),
        available_days: req
            .available_days_of_week_rate_qualifier
            .as_ref()
            .and_then(|q| days(&q.days_of_week)),
        arrival_days: req
            .arrival_days_of_week_rate_qualifier
            .as_ref()
            .and_then(|q| days(&q.days_of_week)),
        departure_days: req
            .departure_days_of_week_rate_qualifier
            .as_ref()
            .and_then(|q| days(&q.days_of_week)),
        required_days: req
            .required_days_of_week_rate_qualifier
            .as_ref()
            .and_then(|q| days(&q.days_of_week)),
        prepay: req.prepay_rate_qualifier.as_ref().map(|q| q.prepay),
        refundable: req.refundable_rate_qualifier.as_ref().map(|q| q.refundable),
        promotion_codes: req
            .promotion_rate_qualifiers
            .iter()
            .map(|q| q.promotion.clone())
            .collect(),
        continents: req
            .continent_rate_qualifiers
            .iter()
            .map(|q| q.continent.clone())
            .collect(),
        time_zones: req
            .timezone_rate_qualifiers
            .iter()
            .map(|q| q.timezone.clone())
            .collect(),
        cities: req
            .city_rate_qualifiers
            .iter()
            .map(|q| City {
                geo_name_id: q.city.geo_name_id.clone(),
                name: q.city.city_name.clone(),
                country: q.city.country_iso_code.clone(),
            })
            .collect(),
        ..Qualifiers::default()
    };
    if let Some(a) = &req.advance_booking_rate_qualifier {
        let field = |name: &str| format!("/advanceBookingRateQualifier/{name}");
        q.advance_booking = Some(AdvanceBooking {
            min_days: count(a.min_advance_booking_offset.unwrap_or(0).into(), || {
                field("minAdvanceBookingOffset")
            })?,
            max_days: count(a.max_advance_booking_offset.unwrap_or(0).into(), || {
                field("maxAdvanceBookingOffset")
            })?,
        });
    }
    if let Some(l) = &req.last_minute_rate_qualifier {
        q.last_minute_seconds = Some(u64::try_from(l.seconds).map_err(|_| {
            ApiError::field("/lastMinuteRateQualifier/seconds", "must not be negative")
        })?);
    }
    if let Some(l) = &req.length_of_stay_rate_qualifier {
        q.length_of_stay = Some(LengthOfStay {
            min_los: count(l.min_los.into(), || {
                "/lengthOfStayRateQualifier/minLOS".into()
            })?,
            max_los: count(l.max_los.into(), || {
                "/lengthOfStayRateQualifier/maxLOS".into()
            })?,
        });
    }
    if let Some(r) = &req.room_range_rate_qualifier {
        q.room_range = Some(RoomRange {
            min_rooms: count(r.min_rooms.into(), || {
                "/roomRangeRateQualifier/minRooms".into()
            })?,
            max_rooms: r
                .max_rooms
                .map(|m| count(m.into(), || "/roomRangeRateQualifier/maxRooms".into()))
                .transpose()?,
        });
    }
    for (i, c) in req.country_rate_qualifiers.iter().enumerate() {
        let code = c.country.country_iso_code.clone().ok_or_else(|| {
            ApiError::field(
                format!("/countryRateQualifiers/{i}/country/countryIsoCode"),
                "is required: bookers are matched by ISO 3166 country code",
            )
        })?;
        q.countries.push(code);
    }
    for (i, r) in req.ip_range_rate_qualifiers.iter().enumerate() {
        let ip = |text: &str, name: &str| {
            text.trim().parse::<IpAddr>().map_err(|_| {
                ApiError::field(
                    format!("/ipRangeRateQualifiers/{i}/{name}"),
                    format!("`{text}` is not an IPv4 or IPv6 address"),
                )
            })
        };
        q.ip_ranges.push(IpRange {
            start: ip(&r.start_ip_range, "startIPRange")?,
            end: ip(&r.end_ip_range, "endIPRange")?,
        });
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(extra: Value) -> UpsertSpecialRateRequest {
        let mut body = json!({
            "name": " Early bird ", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_NIGHT",
            "modifier": { "type": "PERCENTAGE", "percent": 0.15 },
            "descriptions": [{ "description": "Book early", "language": "en" }]
        });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        serde_json::from_value(body).unwrap()
    }

    fn field(e: ApiError) -> String {
        match e {
            ApiError::Invalid(fields) => fields[0].field.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_full_promotion_reads_every_qualifier() {
        let master = Uuid::from_u128(7);
        let req = request(json!({
            "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 30 },
            "lastMinuteRateQualifier": { "seconds": 86400 },
            "lengthOfStayRateQualifier": { "minLOS": 2, "maxLOS": 0 },
            "roomRangeRateQualifier": { "minRooms": 1, "maxRooms": 4 },
            "prepayRateQualifier": { "prepay": true },
            "countryRateQualifiers": [{ "country": { "countryIsoCode": "TH" } }],
            "ipRangeRateQualifiers": [{ "startIPRange": "10.0.0.0", "endIPRange": "10.0.0.255" }],
            "stayDateRateQualifiers": [{ "effectiveDate": "2026-12-01", "expireDate": "2026-12-31" }],
            "availableDaysOfWeekRateQualifier": { "daysOfWeek": { "sat": true, "sun": true } },
            "masterRateIdentifiers": [master, master]
        }));
        let p = promotion(Uuid::from_u128(1), &req, "THB").unwrap();
        assert_eq!(p.name, "Early bird");
        assert_eq!(p.kind, PromotionKind::Discount);
        assert_eq!(p.pricing_type, PricingType::PerNight);
        assert_eq!(p.master_rate_ids, [master]);
        assert_eq!(p.qualifiers.advance_booking.unwrap().min_days, 30);
        assert_eq!(p.qualifiers.last_minute_seconds, Some(86400));
        assert_eq!(p.qualifiers.countries, ["TH"]);
        assert_eq!(p.qualifiers.prepay, Some(true));
        assert!(p.qualifiers.available_days.unwrap().is_set());
        assert_eq!(p.qualifiers.room_range.unwrap().max_rooms, Some(4));
    }

    #[test]
    fn refusals_name_the_field_as_a_pointer() {
        let cases = [
            (
                json!({ "stayDateRateQualifiers": [
                    { "effectiveDate": "2026-12-01", "expireDate": "2026-12-31" },
                    { "effectiveDate": "2026-12-01", "expireDate": "2026-11-30" }] }),
                "/stayDateRateQualifiers/1/expireDate",
            ),
            (
                json!({ "lengthOfStayRateQualifier": { "minLOS": 5, "maxLOS": 2 } }),
                "/lengthOfStayRateQualifier/maxLOS",
            ),
            (
                json!({ "modifier": { "type": "PERCENTAGE", "percent": 1.5 } }),
                "/modifier/percent",
            ),
            (
                json!({ "modifier": { "type": "FIXED", "fixedAmount": { "amount": 5, "currency": "EUR" } } }),
                "/modifier/fixedAmount/currency",
            ),
            (
                json!({ "ipRangeRateQualifiers": [{ "startIPRange": "10.0.0.1", "endIPRange": "nope" }] }),
                "/ipRangeRateQualifiers/0/endIPRange",
            ),
            (
                json!({ "countryRateQualifiers": [{ "country": { "countryName": "Thailand" } }] }),
                "/countryRateQualifiers/0/country/countryIsoCode",
            ),
            (
                json!({ "roomRangeRateQualifier": { "minRooms": 1, "maxRooms": -2 } }),
                "/roomRangeRateQualifier/maxRooms",
            ),
            (json!({ "name": "  " }), "/name"),
        ];
        for (extra, expected) in cases {
            let e = promotion(Uuid::nil(), &request(extra.clone()), "THB").unwrap_err();
            assert_eq!(field(e), expected, "{extra}");
        }
    }

    #[test]
    fn bundles() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let req = |extra: Value| -> UpsertSpecialRateBundleRequest {
            let mut body = json!({ "name": "Pair", "enabled": true, "itemIdentifiers": [a, b] });
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            serde_json::from_value(body).unwrap()
        };
        let plain = bundle(Uuid::nil(), &req(json!({ "type": "PREMIUM" })), "THB").unwrap();
        assert_eq!(plain.modifier_override, None);
        assert_eq!(plain.items, [a, b]);
        let over = json!({ "modifierOverride": { "type": "PERCENTAGE", "percent": 0.2 } });
        assert_eq!(
            field(bundle(Uuid::nil(), &req(over.clone()), "THB").unwrap_err()),
            "/type"
        );
        let mut full = over;
        full["type"] = json!("DISCOUNT");
        full["pricingType"] = json!("PER_STAY");
        let with = bundle(Uuid::nil(), &req(full), "THB").unwrap();
        assert_eq!(
            with.modifier_override.unwrap().pricing_type,
            PricingType::PerStay
        );
        let twice = req(json!({ "itemIdentifiers": [a, a] }));
        assert_eq!(
            field(bundle(Uuid::nil(), &twice, "THB").unwrap_err()),
            "/itemIdentifiers"
        );
    }
}
