//! Scenarios of the monetization area. Each sets up its own property through the API (with the
//! target's client, whose account manages what it registers) and sells it through a direct
//! channel to that account (the API opens channels to the caller's own account only).
//!
//! - `bulk-365x20`: `PUT master-rate/{id}/rate/bulk` of 365 days, round-robin over the 20 master
//!   rates of a property with 20 room types and one rate plan; reports days written per second.
//! - `rate-update-365`: `PUT rate/update` (the keyed list, `update-rate-list`) of 365 items
//!   spread over the same 20 master rates (each request a different price, 18 or 19 dates of
//!   each master rate); reports day-cells written per second.
//! - `room-list-14n`: `POST sandbox/room/list` for a 14-night stay of two adults, in USD (a
//!   converted currency), with a promotion code and a booker's country, on a property with 20
//!   room types × 5 rate plans (100 master rates, a year of rates and rooms) and 10 promotions
//!   (some apply, some do not, one needs the code): 100 offers priced per request.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{Days, NaiveDate, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use super::Target;
use crate::load::{self, Report};

pub const NAMES: &[&str] = &["bulk-365x20", "rate-update-365", "room-list-14n"];

pub async fn run(
    target: &Target,
    name: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    match name {
        "bulk-365x20" => bulk(target, clients, duration).await,
        "rate-update-365" => rate_update(target, clients, duration).await,
        "room-list-14n" => room_list(target, clients, duration).await,
        other => anyhow::bail!("no monetization scenario {other:?}"),
    }
}

/// Sends `body` and answers the JSON of a successful response.
async fn call(
    target: &Target,
    method: Method,
    url: &str,
    body: Option<&Value>,
) -> anyhow::Result<Value> {
    let mut request = target
        .http
        .request(method.clone(), url)
        .bearer_auth(&target.token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let r = request.send().await?;
    let status = r.status();
    let text = r.text().await?;
    anyhow::ensure!(status.is_success(), "{method} {url}: {status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn id(value: &Value) -> anyhow::Result<String> {
    value["id"]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("no id in {value}"))
}

/// A property of the target's account, set up through the API.
struct Property {
    base: String,
    id: String,
    master_rates: Vec<String>,
    /// (room type, rate plan) of each master rate, in the same order: the keyed list's keys.
    pairs: Vec<(String, String)>,
    owner: String,
    /// The channel's `subType`: the owner's managing-entity type.
    sub_type: String,
}

impl Property {
    /// Registers a property with `room_types` room types and `plans` rate plans (each with a
    /// policy of its own), sold through a direct channel to the account that registered it.
    async fn create(target: &Target, room_types: usize, plans: usize) -> anyhow::Result<Property> {
        let created = call(
            target,
            Method::POST,
            &format!("{}/api/property?leadId={}", target.base_url, Uuid::new_v4()),
            Some(&property_body()),
        )
        .await?;
        let property = id(&created)?;
        let owner = created["ownerIdentifier"]
            .as_str()
            .context("no ownerIdentifier in the registered property")?
            .to_string();
        let base = format!(
            "{}/api/managing-entity/{property}/extranet",
            target.base_url
        );
        for i in 0..room_types {
            call(
                target,
                Method::POST,
                &format!("{base}/facility/room-type"),
                Some(&room_type_body(&format!("Room type {i:02}"))),
            )
            .await?;
        }
        for i in 0..plans {
            let policy = call(
                target,
                Method::POST,
                &format!("{base}/cancellation-policy"),
                Some(&policy_body(i)),
            )
            .await?;
            call(
                target,
                Method::POST,
                &format!("{base}/rate-plan"),
                Some(&rate_plan_body(&format!("Plan {i}"), &id(&policy)?, i)),
            )
            .await?;
        }
        let list = call(
            target,
            Method::GET,
            &format!("{base}/master-rate/list"),
            None,
        )
        .await?;
        let list = list.as_array().context("master-rate/list is not a list")?;
        let master_rates = list.iter().map(id).collect::<anyhow::Result<Vec<_>>>()?;
        let pairs = list
            .iter()
            .map(|m| {
                let room = m["roomType"]["identifier"].as_str();
                let plan = m["ratePlan"]["identifier"].as_str();
                match (room, plan) {
                    (Some(r), Some(p)) => Ok((r.to_string(), p.to_string())),
                    _ => anyhow::bail!("no room type or rate plan in {m}"),
                }
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        anyhow::ensure!(
            master_rates.len() == room_types * plans,
            "expected {} master rates, got {}",
            room_types * plans,
            master_rates.len()
        );
        let channel = call(
            target,
            Method::POST,
            &format!("{base}/sales/account"),
            Some(&json!({ "ownerIdentifier": owner, "supplierIdentifier": property })),
        )
        .await?;
        let sub_type = channel["subType"]
            .as_str()
            .context("no subType in the sales channel")?
            .to_string();
        Ok(Property {
            base,
            id: property,
            master_rates,
            pairs,
            owner,
            sub_type,
        })
    }

    fn bulk_url(&self, master_rate: &str) -> String {
        format!("{}/master-rate/{master_rate}/rate/bulk", self.base)
    }
}

/// A year of prices and rooms from today, the same every day.
fn year(price: u32) -> Value {
    let today = Utc::now().date_naive();
    json!({
        "startDate": today, "endDate": today + Days::new(364), "rateSource": "TRAVELIKO",
        "master": true, "closedOnArrival": false, "closedOnDeparture": false,
        "rate": { "amount": price, "currency": "THB" }, "numberOfUnits": 10
    })
}

async fn bulk(target: &Target, clients: usize, duration: Duration) -> anyhow::Result<Vec<Report>> {
    let property = Property::create(target, 20, 1).await?;
    let urls: Arc<Vec<String>> = Arc::new(
        property
            .master_rates
            .iter()
            .map(|m| property.bulk_url(m))
            .collect(),
    );
    let bodies: Arc<Vec<Value>> = Arc::new((0..20).map(|i| year(2000 + i * 10)).collect());
    let (http, token) = (target.http.clone(), target.token.clone());
    let mut report = load::run(
        "PUT master-rate/{id}/rate/bulk (365 days x 20 master rates)",
        clients,
        duration,
        move |client, i| {
            let (http, token, urls, bodies) =
                (http.clone(), token.clone(), urls.clone(), bodies.clone());
            async move {
                let n = (client * 7 + i) % urls.len();
                match http
                    .put(&urls[n])
                    .bearer_auth(&token)
                    .json(&bodies[(n + i) % bodies.len()])
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        },
    )
    .await;
    report.name = format!(
        "{}: {:.0} days written/s",
        report.name,
        report.per_second() * 365.0
    );
    Ok(vec![report])
}

/// Keyed lists of 365 items over every master rate: request `r` sets, for each of the 365 days
/// from today, the master rate `(day + r) % count` to a price of its own (so every request
/// changes what it writes) and 10 rooms.
async fn rate_update(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let property = Property::create(target, 20, 1).await?;
    let today = Utc::now().date_naive();
    let count = property.pairs.len();
    let bodies: Arc<Vec<Value>> = Arc::new(
        (0..count)
            .map(|r| {
                let items: Vec<Value> = (0..365u64)
                    .map(|d| {
                        let (room, plan) = &property.pairs[(d as usize + r) % count];
                        json!({
                            "key": { "hotelIdentifier": property.id, "ratePlanIdentifier": plan,
                                     "guestRoomIdentifier": room, "date": today + Days::new(d) },
                            "value": { "rate": 2000 + r * 10, "currencyCode": "THB", "quantity": 10,
                                       "master": true }
                        })
                    })
                    .collect();
                Value::Array(items)
            })
            .collect(),
    );
    let url = Arc::new(format!("{}/rate/update", property.base));
    let (http, token) = (target.http.clone(), target.token.clone());
    let mut report = load::run(
        "PUT rate/update (365 keyed days over 20 master rates)",
        clients,
        duration,
        move |client, i| {
            let (http, token, url, bodies) =
                (http.clone(), token.clone(), url.clone(), bodies.clone());
            async move {
                let body = &bodies[(client * 7 + i) % bodies.len()];
                match http
                    .put(url.as_str())
                    .bearer_auth(&token)
                    .json(body)
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                }
            }
        },
    )
    .await;
    report.name = format!(
        "{}: {:.0} days written/s",
        report.name,
        report.per_second() * 365.0
    );
    Ok(vec![report])
}

async fn room_list(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Vec<Report>> {
    let property = Property::create(target, 20, 5).await?;
    for (i, master_rate) in property.master_rates.iter().enumerate() {
        call(
            target,
            Method::PUT,
            &property.bulk_url(master_rate),
            Some(&year(1800 + (i as u32 % 20) * 50)),
        )
        .await?;
    }
    let today = Utc::now().date_naive();
    for body in promotions(today) {
        call(
            target,
            Method::POST,
            &format!("{}/promotion", property.base),
            Some(&body),
        )
        .await?;
    }
    let arrival = today + Days::new(30);
    let query = Arc::new(json!({
        "channel": { "propertyIdentifier": property.id, "subType": property.sub_type,
                     "ownerIdentifier": property.owner, "name": "Bench channel" },
        "stayStartDate": arrival, "stayEndDate": arrival + Days::new(14),
        "roomConfigurations": [{ "adults": 2, "quantity": 1 }],
        "currency": "USD", "promotion": "BENCH",
        "country": { "countryIsoCode": "DE" }, "continent": "EU"
    }));
    let url = format!("{}/sandbox/room/list", property.base);
    // Check the answer once: every master rate offered, with promotions applied.
    let answer = call(target, Method::POST, &url, Some(&query)).await?;
    let offers: Vec<&Value> = answer
        .as_array()
        .context("room/list is not a list")?
        .iter()
        .flat_map(|room| {
            room["accessibleAvailability"][0]["priceConfigurations"]
                .as_array()
                .into_iter()
                .flatten()
        })
        .collect();
    anyhow::ensure!(
        offers.len() == 100,
        "expected 100 offers, got {}",
        offers.len()
    );
    anyhow::ensure!(
        offers
            .iter()
            .all(|o| o["price"]["sourcePromotionalModifier"].is_number()),
        "a discount should apply to every offer"
    );
    let (http, token) = (target.http.clone(), target.token.clone());
    Ok(vec![
        load::run(
            "POST sandbox/room/list (14 nights, 100 master rates, 10 promotions, USD)",
            clients,
            duration,
            move |_, _| {
                let (http, token, url, query) =
                    (http.clone(), token.clone(), url.clone(), query.clone());
                async move {
                    match http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(query.as_ref())
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                        _ => false,
                    }
                }
            },
        )
        .await,
    ])
}

/// Ten promotions: discounts and premiums with qualifiers the benchmark's booker meets or not.
fn promotions(today: NaiveDate) -> Vec<Value> {
    let promotion = |name: &str, kind: &str, modifier: Value, pricing: &str, extra: Value| {
        let mut body = json!({
            "name": name, "type": kind, "modifier": modifier, "enabled": true, "pricingType": pricing,
            "descriptions": [{ "description": format!("{name} (benchmark)"), "language": "en" }]
        });
        body.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().cloned().unwrap_or_default());
        body
    };
    let percent = |p: f64| json!({ "type": "PERCENTAGE", "percent": p });
    let fixed =
        |a: u32| json!({ "type": "FIXED", "fixedAmount": { "amount": a, "currency": "THB" } });
    let period = |from: u64, to: u64| json!([{ "effectiveDate": today + Days::new(from), "expireDate": today + Days::new(to) }]);
    vec![
        promotion(
            "Early bird",
            "DISCOUNT",
            percent(0.1),
            "PER_NIGHT",
            json!({ "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 14 } }),
        ),
        promotion(
            "Long stay",
            "DISCOUNT",
            percent(0.15),
            "PER_NIGHT",
            json!({ "lengthOfStayRateQualifier": { "minLOS": 7, "maxLOS": 0 } }),
        ),
        promotion(
            "Member code",
            "DISCOUNT",
            percent(0.12),
            "PER_NIGHT",
            json!({ "promotionRateQualifiers": [{ "promotion": "BENCH" }] }),
        ),
        promotion(
            "Thai residents",
            "DISCOUNT",
            percent(0.2),
            "PER_NIGHT",
            json!({ "countryRateQualifiers": [{ "country": { "countryIsoCode": "TH" } }] }),
        ),
        promotion(
            "Last minute",
            "DISCOUNT",
            percent(0.25),
            "PER_NIGHT",
            json!({ "lastMinuteRateQualifier": { "seconds": 172800 } }),
        ),
        promotion(
            "Festival weeks",
            "PREMIUM",
            percent(0.05),
            "PER_NIGHT",
            json!({ "stayDateRateQualifiers": period(35, 40) }),
        ),
        promotion(
            "Weekend nights",
            "PREMIUM",
            fixed(150),
            "PER_NIGHT",
            json!({ "availableDaysOfWeekRateQualifier": { "daysOfWeek": { "fri": true, "sat": true } } }),
        ),
        promotion(
            "Welcome drink",
            "PREMIUM",
            fixed(300),
            "PER_STAY",
            json!({}),
        ),
        promotion(
            "Europe sale",
            "DISCOUNT",
            fixed(2000),
            "PER_STAY",
            json!({ "continentRateQualifiers": [{ "continent": "EU" }], "sellDateRateQualifiers": period(0, 60) }),
        ),
        promotion(
            "Spring blackout",
            "DISCOUNT",
            percent(0.3),
            "PER_NIGHT",
            json!({ "blackoutDates": period(0, 400) }),
        ),
    ]
}

fn property_body() -> Value {
    json!({
        "accountEmail": "bench@wink-supplier.example",
        "accountPhoneNumber": "+6676123456",
        "name": "Benchmark Hotel",
        "currencyCode": "THB",
        "address": { "address1": "1 Sukhumvit Road", "cityGeoNameId": "1609350", "postalCode": "10110" },
        "location": { "type": "Point", "coordinates": [100.5018, 13.7563] },
        "reservation": { "email": "reservations@wink-supplier.example" },
        "revenue": {},
        "marketing": {},
        "profile": { "architecture": "MODERN", "hotelStars": 4, "locationCategory": "CITY", "numberOfRooms": 200, "propertyClass": "HOTEL", "segment": "UPSCALE" }
    })
}

fn room_type_body(name: &str) -> Value {
    // Two literals: one would exceed the json! macro's default recursion limit.
    let mut body = json!({
        "name": name,
        "active": true, "bookable": true, "commissionable": true, "featuredInd": false,
        "composite": false, "compositeCount": 0, "quantity": 10,
        "minOccupancy": 1, "maxOccupancy": 3, "maxAdultOccupancy": 3, "maxChildOccupancy": 2,
        "includedAdultOccupancy": 2, "includedChildOccupancy": 0,
        "maxCribs": 1, "maxRollaways": 0, "bathroomCount": 1, "livingRoomCount": 0,
        "nonSmoking": true, "sharedRoomInd": false, "size": 32
    });
    let more = json!({
        "pricePoint": "THREE", "roomCategory": "ROOM", "roomClassificationCode": "DELUXE",
        "roomArchitectureCode": "ROOM", "roomLocationCode": "CITY", "roomViewCode": "CITY",
        "address": {}, "location": {},
        "baseRate": { "amount": 2000, "currency": "THB" },
        "minRate": { "amount": 1000, "currency": "THB" },
        "descriptions": [{ "name": name, "description": "A quiet room.", "language": "en" }],
        "multimedias": [{ "multimediaIdentifier": Uuid::new_v4(), "identifier": "rooms/bench", "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 800, "height": 600 }],
        "bedroomConfigurationList": [{ "identifier": Uuid::new_v4(), "name": "Bedroom", "bedroomList": [{ "type": "MASTER", "bedList": [{ "bedTypeCode": "KING", "quantity": 1 }] }] }]
    });
    if let (Some(body), Value::Object(more)) = (body.as_object_mut(), more) {
        body.extend(more);
    }
    body
}

fn policy_body(i: usize) -> Value {
    if i.is_multiple_of(2) {
        json!({
            "refundable": true,
            "advanceCancellationFreeOfCharge": "TWO_DAYS_BEFORE_ARRIVAL",
            "refundableCancellationCharge": "FIFTY_PERCENT",
            "noShowCharge": "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE"
        })
    } else {
        json!({
            "refundable": false,
            "nonRefundableCancellationCharge": "TEN_PERCENT",
            "nonRefundableDeadline": "SEVEN_DAYS_BEFORE_ARRIVAL",
            "nonRefundableAfterDeadlineCancellationCharge": "ONE_HUNDRED_PERCENT"
        })
    }
}

fn rate_plan_body(name: &str, policy: &str, i: usize) -> Value {
    json!({
        "name": name,
        "prepaid": !i.is_multiple_of(2), "enabled": true,
        "breakfast": i.is_multiple_of(2), "brunch": false, "lunch": false, "dinner": false,
        "allInclusive": false, "allInclusivePlusAlcohol": false, "loyaltyPointsAccrue": false,
        "minLOS": 1, "maxLOS": 30,
        "ratePlanLevelFees": [{
            "descriptions": [{ "description": "City tax", "language": "en" }],
            "fixedAmount": { "amount": 50, "currency": "THB" },
            "type": "PER_STAY"
        }],
        "extraPaxRateModifier": { "type": "FIXED", "fixedAmount": { "amount": 500, "currency": "THB" } },
        "cancellationPolicyIdentifier": policy
    })
}
