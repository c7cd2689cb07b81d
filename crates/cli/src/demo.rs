//! `serve --demo`: on an empty database, a demo property with everything the API can show, created
//! through the API itself (in process), so the demo data obeys exactly the rules clients meet.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Utc;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;
use wink_api::App;
use wink_api::auth::{ALL_SCOPES, clients};

/// Calls the application in process with a bearer token.
struct Client<'a> {
    app: &'a App,
    token: String,
}

impl Client<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(&v)?)
            }
            None => Body::empty(),
        };
        let response = self.app.router.clone().oneshot(request.body(body)?).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let value: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        if !(status.is_success() || status == StatusCode::CREATED) {
            anyhow::bail!("demo seeding: {method} {path} answered {status}: {value}");
        }
        Ok(value)
    }

    /// Uploads `files` (name, bytes) as the multipart part `field`.
    async fn upload(
        &self,
        path: &str,
        field: &str,
        files: &[(&str, Vec<u8>)],
    ) -> anyhow::Result<Value> {
        let boundary = format!("demo-{}", Uuid::new_v4().simple());
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))?;
        let response = self.app.router.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            anyhow::bail!(
                "demo seeding: upload to {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// A small picture of one colour (a real PNG, generated).
fn picture(rgb: [u8; 3]) -> Vec<u8> {
    wink_domain::media::samples::solid_png(64, 48, rgb)
}

pub async fn seed(app: &App) -> anyhow::Result<()> {
    let store = &app.state.store;
    if !store.is_empty().await? {
        eprintln!(
            "wink-supplier: the database already holds data; the demo was not seeded (create a client with `wink-supplier app create`)"
        );
        return Ok(());
    }
    // A sample day of ECB-format exchange rates (plausible, NOT live rates) so offers can be asked
    // for in other currencies; an operator loads the real daily file with `fx load`.
    crate::fx::load(
        store,
        include_str!("../assets/eurofxref-sample.xml"),
        "eurofxref-sample.xml (demo sample, not live rates)",
    )
    .await?;
    let err = |e: wink_api::error::ApiError| anyhow::anyhow!("demo seeding: {e}");
    let account = clients::create_account(
        store,
        "Demo Hotels Co.",
        "MANAGEMENT_COMPANY",
        Some("owner@demo-hotels.example".into()),
    )
    .await
    .map_err(err)?;
    let scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
    let (application, secret) =
        clients::create_application(store, &app.state.hash_key, account.id, "demo", &scopes)
            .await
            .map_err(err)?;
    let (token, _) = app
        .state
        .tokens
        .issue(application.id, account.id, &scopes.join(" "), Utc::now())
        .map_err(err)?;
    let client = Client { app, token };

    let property = client
        .call(
            Method::POST,
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            Some(property_body()),
        )
        .await?;
    let property_id = property["id"].as_str().unwrap_or_default().to_string();
    let base = format!("/api/managing-entity/{property_id}/extranet");
    for (method, path, body) in record_bodies() {
        client
            .call(method, &format!("{base}/property/{path}"), Some(body))
            .await?;
    }
    let mut rooms = Vec::new();
    for (room, price, units) in [
        (room_body("Deluxe King", 10, 2, 1, "3500"), 3500, 8),
        (room_body("Family Suite", 4, 4, 2, "6000"), 6000, 3),
    ] {
        let created = client
            .call(
                Method::POST,
                &format!("{base}/facility/room-type"),
                Some(room),
            )
            .await?;
        rooms.push((
            created["id"].as_str().unwrap_or_default().to_string(),
            price,
            units,
        ));
    }
    let policy = client
        .call(
            Method::POST,
            &format!("{base}/cancellation-policy"),
            Some(policy_body()),
        )
        .await?;
    let policy_id = policy["id"].as_str().unwrap_or_default().to_string();
    client
        .call(
            Method::POST,
            &format!("{base}/rate-plan"),
            Some(rate_plan_body(&policy_id)),
        )
        .await?;

    // A year of rates and availability on every master rate.
    let today = Utc::now().date_naive();
    let last = today + chrono::Days::new(364);
    let master_rates = client
        .call(Method::GET, &format!("{base}/master-rate/list"), None)
        .await?;
    for master in master_rates.as_array().into_iter().flatten() {
        let room = master["roomType"]["identifier"]
            .as_str()
            .unwrap_or_default();
        let (_, price, units) = rooms
            .iter()
            .find(|(id, _, _)| id == room)
            .cloned()
            .unwrap_or_default();
        let body = json!({
            "startDate": today, "endDate": last, "rateSource": "TRAVELIKO", "master": true,
            "closedOnArrival": false, "closedOnDeparture": false,
            "rate": { "amount": price, "currency": "THB" }, "numberOfUnits": units, "minLengthOfStay": 1
        });
        let id = master["id"].as_str().unwrap_or_default();
        client
            .call(
                Method::PUT,
                &format!("{base}/master-rate/{id}/rate/bulk"),
                Some(body),
            )
            .await?;
    }

    // A travel agency sells the property.
    let agency = clients::create_account(
        store,
        "Andaman Travel Co.",
        "TRAVEL_AGENT",
        Some("desk@andaman-travel.example".into()),
    )
    .await
    .map_err(err)?;
    // Stored directly: a travel agency has no property to ask from (requests are made from a
    // property), and the API opens channels only to the caller's own account or to an account
    // that asked, so that no one can learn another account's name by naming its id.
    let now = wink_store::now();
    store
        .create_sales_channel(&wink_store::sales_channels::SalesChannel {
            id: Uuid::new_v4(),
            property_id: property_id
                .parse()
                .map_err(|e| anyhow::anyhow!("demo seeding: property id {property_id}: {e}"))?,
            owner_account_id: agency.id,
            enabled: true,
            created_at: now,
            updated_at: now,
            version: 1,
        })
        .await
        .map_err(|e| anyhow::anyhow!("demo seeding: the agency's channel: {e}"))
        .map(|_| ())?;

    // A few test bookings through the channel; the last one is cancelled.
    let guests = [
        ("Anna", "Berg", "anna.berg@example.com", 7, 2, 2),
        ("Kenji", "Sato", "kenji.sato@example.com", 14, 3, 3),
        ("Maria", "Lopez", "maria.lopez@example.com", 30, 1, 1),
    ];
    let mut last_booking = String::new();
    let mut booking_ids: Vec<String> = Vec::new();
    for (first, last_name, email, in_days, nights, adults) in guests {
        let arrival = today + chrono::Days::new(in_days);
        let query = json!({
            "channel": { "propertyIdentifier": property_id, "subType": "TRAVEL_AGENT", "ownerIdentifier": agency.id, "name": agency.name },
            "stayStartDate": arrival, "stayEndDate": arrival + chrono::Days::new(nights),
            "roomConfigurations": [{ "adults": adults, "quantity": 1 }], "currency": "THB"
        });
        let rooms = client
            .call(
                Method::POST,
                &format!("{base}/sandbox/room/list"),
                Some(query.clone()),
            )
            .await?;
        let offer = rooms
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|room| {
                room["accessibleAvailability"]
                    .as_array()
                    .into_iter()
                    .flatten()
            })
            .flat_map(|a| a["priceConfigurations"].as_array().into_iter().flatten())
            .next()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("demo seeding: no offer for a stay from {arrival}"))?;
        let guest = json!({ "firstName": first, "lastName": last_name, "email": email });
        let request = json!({ "query": query, "room": offer, "notification": { "booker": guest } });
        let booking = client
            .call(
                Method::POST,
                &format!("{base}/sandbox/booking"),
                Some(request),
            )
            .await?;
        last_booking = booking["id"].as_str().unwrap_or_default().to_string();
        booking_ids.push(last_booking.clone());
    }
    let cancel = json!({ "cancellationType": "CANCELLATION", "reason": "Guest changed plans" });
    client
        .call(
            Method::PATCH,
            &format!("{base}/booking/{last_booking}/cancel"),
            Some(cancel),
        )
        .await?;

    // Promotions, a bundle of two of them, and perks on the first master rate.
    let mut promotion_ids = Vec::new();
    for body in promotion_bodies() {
        let created = client
            .call(Method::POST, &format!("{base}/promotion"), Some(body))
            .await?;
        promotion_ids.push(created["id"].as_str().unwrap_or_default().to_string());
    }
    let bundle = json!({
        "name": "Early weekend escape", "enabled": true,
        "itemIdentifiers": [promotion_ids[0], promotion_ids[2]],
        "modifierOverride": { "type": "PERCENTAGE", "percent": 0.2 },
        "type": "DISCOUNT", "pricingType": "PER_NIGHT",
        "descriptions": [{ "description": "Book a weekend 30 days ahead: 20 % off its Friday and Saturday nights.", "language": "en" }]
    });
    client
        .call(
            Method::POST,
            &format!("{base}/promotion-bundle"),
            Some(bundle),
        )
        .await?;
    if let Some(first) = master_rates.as_array().and_then(|list| list.first()) {
        let id = first["id"].as_str().unwrap_or_default();
        client
            .call(
                Method::PATCH,
                &format!("{base}/master-rate/{id}/perks"),
                Some(json!({ "perkTypes": ["FREE_WIFI", "FREE_BREAKFAST", "LATE_CHECKOUT"] })),
            )
            .await?;
    }
    // Calendar sync: the feed's passkey (the feed reads it with HTTP Basic, user = property id).
    let caldav = client
        .call(Method::GET, &format!("{base}/caldav/auth/regen"), None)
        .await?;
    // Guest reviews of the first two bookings. Reviews are written on the platform (there is no
    // supplier operation for it), so the demo stores them directly.
    let property_uuid: Uuid = property_id.parse()?;
    let reviews = [
        (
            &booking_ids[0],
            guests[0],
            "Lovely pool, very helpful staff. Breakfast could start earlier.",
            true,
        ),
        (
            &booking_ids[1],
            guests[1],
            "Spotless room and a quiet night in the middle of the city.",
            false,
        ),
    ];
    for (booking, (first, last_name, email, _, _, _), text, image) in reviews {
        let review = demo_review(
            property_uuid,
            booking.parse()?,
            (first, last_name, email),
            text,
            image,
        );
        store
            .create_review(&review)
            .await
            .map_err(|e| anyhow::anyhow!("demo seeding: review: {e}"))?;
    }
    // The property's recognitions and announcements (one current, one always shown, one
    // upcoming).
    for body in recognition_bodies() {
        client
            .call(
                Method::POST,
                &format!("{base}/property/recognition"),
                Some(body),
            )
            .await?;
    }
    for body in announcement_bodies(today) {
        client
            .call(Method::POST, &format!("{base}/announcement"), Some(body))
            .await?;
    }
    // One item of each other kind of inventory, and a promotion on the add-on (it applies with
    // the promotion code SPA only, so it changes no room price the demo shows).
    let mut add_on = String::new();
    let mut meeting_room = String::new();
    for (path, body) in inventory_bodies() {
        let created = client
            .call(Method::POST, &format!("{base}/{path}"), Some(body))
            .await?;
        let id = created["id"].as_str().unwrap_or_default().to_string();
        // A picture kept by the server beside the reference the item was created with, so it
        // has one to remove.
        client
            .upload(
                &format!("{base}/{path}/{id}/multimedia"),
                "files",
                &[("picture.png", picture([46, 139, 87]))],
            )
            .await?;
        match path {
            "add-on" => add_on = id,
            "facility/meeting-room" => meeting_room = id,
            _ => {}
        }
    }
    // The first guest's stand-up in the meeting room, every morning of the stay at 09:00 in
    // Phuket (UTC+7 all year: 02:00 UTC), a recurring schedule item.
    let (_, _, _, in_days, nights, _) = guests[0];
    let start = (today + chrono::Days::new(in_days))
        .and_hms_opt(2, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let standup = json!({
        "start": start, "end": start + chrono::TimeDelta::minutes(30),
        "startTimezone": "Asia/Bangkok", "endTimezone": "Asia/Bangkok", "isAllDay": false,
        "type": "MEETING_ROOM", "attendees": 2, "bookingIdentifier": booking_ids[0],
        "recurrenceRule": format!("FREQ=DAILY;COUNT={nights}")
    });
    client
        .call(
            Method::POST,
            &format!("{base}/schedule/{meeting_room}"),
            Some(standup),
        )
        .await?;
    let package = json!({
        "name": "Spa package", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_STAY",
        "modifier": { "type": "PERCENTAGE", "percent": 0.2 },
        "descriptions": [{ "description": "20 % off the sunset massage with the code SPA.", "language": "en" }],
        "promotionRateQualifiers": [{ "promotion": "SPA" }],
        "addOnIdentifiers": [add_on]
    });
    client
        .call(Method::POST, &format!("{base}/promotion"), Some(package))
        .await?;
    // A neighbouring hotel's account asks the property for a direct sales channel: pending until
    // the property opens the channel (accepting it) or rejects it.
    let neighbour = clients::create_account(
        store,
        "Samui Villas Ltd.",
        "HOTEL",
        Some("sales@samui-villas.example".into()),
    )
    .await
    .map_err(err)?;
    let (neighbour_app, _) =
        clients::create_application(store, &app.state.hash_key, neighbour.id, "demo", &scopes)
            .await
            .map_err(err)?;
    let (neighbour_token, _) = app
        .state
        .tokens
        .issue(
            neighbour_app.id,
            neighbour.id,
            &scopes.join(" "),
            Utc::now(),
        )
        .map_err(err)?;
    let neighbour_client = Client {
        app,
        token: neighbour_token,
    };
    let mut villa = property_body();
    villa["name"] = json!("Samui Beach Villas");
    villa["accountEmail"] = json!("sales@samui-villas.example");
    let villa = neighbour_client
        .call(
            Method::POST,
            &format!("/api/property?leadId={}", Uuid::new_v4()),
            Some(villa),
        )
        .await?;
    let villa_id = villa["id"].as_str().unwrap_or_default();
    let ask = json!({
        "requestType": "DIRECT_CONNECTION", "supplierIdentifier": property_id,
        "introductoryMessage": "Our villa guests ask for a beach resort nearby; we would like to sell your rooms."
    });
    neighbour_client
        .call(
            Method::POST,
            &format!("/api/managing-entity/{villa_id}/extranet/sales-channel/request"),
            Some(ask),
        )
        .await?;
    // Pictures kept by the server: two in the gallery, the general manager's, one more per room
    // type.
    client
        .upload(
            &format!("{base}/property/multimedia/upload"),
            "files",
            &[
                ("beach.png", picture([70, 130, 180])),
                ("lobby.png", picture([210, 180, 140])),
            ],
        )
        .await?;
    client
        .upload(
            &format!("{base}/property/multimedia/general-manager/upload"),
            "file",
            &[("manager.png", picture([112, 128, 144]))],
        )
        .await?;
    for (room, _, _) in &rooms {
        client
            .upload(
                &format!("{base}/facility/room-type/{room}/multimedia"),
                "files",
                &[("room.png", picture([205, 133, 63]))],
            )
            .await?;
    }
    println!("WINK_CLIENT_ID={}", application.id);
    println!("WINK_CLIENT_SECRET={secret}");
    println!("WINK_MANAGING_ENTITY={property_id}");
    println!(
        "WINK_CALDAV_PASSKEY={}",
        caldav["passkey"].as_str().unwrap_or_default()
    );
    Ok(())
}

fn property_body() -> Value {
    json!({
        "accountEmail": "owner@demo-hotels.example",
        "accountPhoneNumber": "+6676123456",
        "name": "Demo Beach Resort",
        "legalName": "Demo Beach Resort Co., Ltd.",
        "currencyCode": "THB",
        "address": { "address1": "12 Beach Road", "cityGeoNameId": "1151254", "postalCode": "83150", "state": "Phuket" },
        "addressLocal": { "city": "Phuket", "countryCode": "TH" },
        "location": { "type": "Point", "coordinates": [98.2960, 7.8961] },
        "website": "https://demo-beach-resort.example",
        "reservation": { "firstName": "Somchai", "lastName": "Dee", "email": "reservations@demo-hotels.example", "phoneNumber": "+6676123457" },
        "revenue": { "email": "revenue@demo-hotels.example" },
        "marketing": { "email": "marketing@demo-hotels.example" },
        "descriptions": [{ "name": "Demo Beach Resort", "description": "A quiet resort on the west coast of Phuket, a short walk from the beach.", "language": "en" }],
        "profile": { "architecture": "MODERN", "hotelStars": 4, "locationCategory": "BEACH", "numberOfRooms": 14, "propertyClass": "RESORT", "segment": "UPSCALE" }
    })
}

/// What the owner writes about the property after registration: house rules, social networks,
/// lifestyles, the general manager and the reservation desk.
fn record_bodies() -> [(Method, &'static str, Value); 5] {
    [
        (
            Method::POST,
            "policy/property",
            json!({
                "checkInTime": "14:00", "checkOutTime": "11:00",
                "childrenAllowed": true, "childrenMinimumAge": 3,
                "petsAllowed": true, "petMaxWeightInKilos": 8,
                "petCharge": { "amount": 500, "currency": "THB" },
                "internetAvailability": "YES", "internetConnectionType": "WIFI",
                "internetConnectionLocation": "ENTIRE_PROPERTY",
                "parkingAvailability": "YES", "parkingAccess": "PRIVATE"
            }),
        ),
        (
            Method::PATCH,
            "social-networks",
            json!({ "list": [
                { "type": "INSTAGRAM", "location": "https://instagram.com/demobeachresort" },
                { "type": "FACEBOOK", "location": "https://facebook.com/demobeachresort" }
            ] }),
        ),
        (
            Method::PUT,
            "lifestyles",
            json!({ "list": ["LIFESTYLE_BEACH", "LIFESTYLE_RELAX", "LIFESTYLE_FAMILY"] }),
        ),
        (
            Method::PATCH,
            "general-manager",
            json!({
                "name": "Malee Suksawat",
                "descriptions": [{ "language": "en", "description": "Malee has run the resort since it opened and knows every reef on the coast." }]
            }),
        ),
        (
            Method::PATCH,
            "contact-info",
            json!({
                "reservationsContact": { "firstName": "Somchai", "lastName": "Dee", "email": "reservations@demo-hotels.example", "phoneNumber": "+6676123457" },
                "revenueContact": { "email": "revenue@demo-hotels.example" },
                "marketingContact": { "email": "marketing@demo-hotels.example" },
                "reservationDeskStartTime": "07:00", "reservationDeskEndTime": "22:00"
            }),
        ),
    ]
}

fn policy_body() -> Value {
    json!({
        "refundable": true,
        "advanceCancellationFreeOfCharge": "THREE_DAYS_BEFORE_ARRIVAL",
        "refundableCancellationCharge": "FIFTY_PERCENT",
        "noShowCharge": "ONE_HUNDRED_PERCENT_OF_TOTAL_CHARGE"
    })
}

fn rate_plan_body(policy: &str) -> Value {
    json!({
        "name": "Best Available Rate",
        "prepaid": false, "enabled": true,
        "breakfast": true, "brunch": false, "lunch": false, "dinner": false,
        "allInclusive": false, "allInclusivePlusAlcohol": false, "loyaltyPointsAccrue": false,
        "maxLOS": 30,
        "ratePlanLevelFees": [{
            "descriptions": [{ "description": "Resort fee", "language": "en" }],
            "fixedAmount": { "amount": 200, "currency": "THB" },
            "type": "PER_STAY"
        }],
        "extraPaxRateModifier": { "type": "FIXED", "fixedAmount": { "amount": 800, "currency": "THB" } },
        "extraChildRateModifier": { "type": "PERCENTAGE", "percent": 0.25 },
        "cancellationPolicyIdentifier": policy
    })
}

fn room_body(
    name: &str,
    quantity: u32,
    max_occupancy: u32,
    max_children: u32,
    base: &str,
) -> Value {
    json!({
        "name": name,
        "active": true,
        "bookable": true,
        "commissionable": true,
        "featuredInd": false,
        "composite": false,
        "compositeCount": 0,
        "quantity": quantity,
        "minOccupancy": 1,
        "maxOccupancy": max_occupancy,
        "maxAdultOccupancy": max_occupancy.min(3),
        "maxChildOccupancy": max_children,
        "includedAdultOccupancy": 2,
        "includedChildOccupancy": 0,
        "maxCribs": 1,
        "maxRollaways": 0,
        "bathroomCount": 1,
        "livingRoomCount": 0,
        "nonSmoking": true,
        "sharedRoomInd": false,
        "size": 38.5,
        "pricePoint": "THREE",
        "roomCategory": "ROOM",
        "roomClassificationCode": "DELUXE",
        "roomArchitectureCode": "ROOM",
        "roomLocationCode": "GARDEN",
        "roomViewCode": "SEA",
        "address": {},
        "location": { "type": "Point", "coordinates": [98.2960, 7.8961] },
        "baseRate": { "amount": base.parse::<f64>().unwrap_or(0.0), "currency": "THB" },
        "minRate": { "amount": 1000, "currency": "THB" },
        "descriptions": [{ "name": name, "description": format!("{name}: air-conditioned, with a balcony and a rain shower."), "language": "en" }],
        "multimedias": [{
            "multimediaIdentifier": Uuid::new_v4(),
            "identifier": format!("demo/{}", name.to_lowercase().replace(' ', "-")),
            "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 1600, "height": 1067
        }],
        "bedroomConfigurationList": [{
            "identifier": Uuid::new_v4(),
            "name": "Main bedroom",
            "bedroomList": [{ "type": "MASTER", "bedList": [{ "bedTypeCode": "KING", "quantity": 1 }] }]
        }]
    })
}

/// An early-booker discount, a last-minute discount and a weekend premium.
fn promotion_bodies() -> [Value; 3] {
    let description = |text: &str| json!([{ "description": text, "language": "en" }]);
    [
        json!({
            "name": "Early booker", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_NIGHT",
            "modifier": { "type": "PERCENTAGE", "percent": 0.15 },
            "descriptions": description("Book at least 30 days ahead: 15 % off every night."),
            "advanceBookingRateQualifier": { "minAdvanceBookingOffset": 30 }
        }),
        json!({
            "name": "Last minute", "type": "DISCOUNT", "enabled": true, "pricingType": "PER_NIGHT",
            "modifier": { "type": "PERCENTAGE", "percent": 0.1 },
            "descriptions": description("Book within 3 days of arrival: 10 % off every night."),
            "lastMinuteRateQualifier": { "seconds": 3 * 24 * 3600 }
        }),
        json!({
            "name": "Weekend premium", "type": "PREMIUM", "enabled": true, "pricingType": "PER_NIGHT",
            "modifier": { "type": "PERCENTAGE", "percent": 0.1 },
            "descriptions": description("Friday and Saturday nights are 10 % dearer."),
            "availableDaysOfWeekRateQualifier": { "daysOfWeek": { "fri": true, "sat": true } }
        }),
    ]
}

/// An add-on, a spa, a restaurant, a meeting room, a place, an attraction and an activity, each
/// with its collection path (under the property's `extranet`).
fn inventory_bodies() -> [(&'static str, Value); 7] {
    let item = |name: &str, description: &str, own: Value| {
        let mut body = json!({
            "name": name,
            "active": true, "bookable": true, "commissionable": true, "featuredInd": false,
            "pricePoint": "THREE",
            "address": { "address1": "12 Beach Road", "city": "Phuket", "countryCode": "TH" },
            "location": { "type": "Point", "coordinates": [98.2960, 7.8961] },
            "descriptions": [{ "name": name, "description": description, "language": "en" }],
            "multimedias": [{
                "multimediaIdentifier": Uuid::new_v4(),
                "identifier": format!("demo/{}", name.to_lowercase().replace(' ', "-")),
                "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 1600, "height": 1067
            }]
        });
        for (k, v) in own.as_object().into_iter().flatten() {
            body[k] = v.clone();
        }
        body
    };
    let offer = |name: &str, pricing: &str, base: u32, discounted: u32| {
        json!([{
            "identifier": Uuid::new_v4(), "name": name,
            "descriptions": [{ "name": name, "description": name, "language": "en" }],
            "pricingType": pricing,
            "basePrice": { "amount": base, "currency": "THB" },
            "discountedPrice": { "amount": discounted, "currency": "THB" },
            "minPax": 1, "maxPax": 2
        }])
    };
    [
        (
            "add-on",
            item(
                "Sunset massage",
                "A one-hour Thai massage on the beach deck at sunset.",
                json!({
                    "numberOfUnits": 6, "mandatory": false,
                    "transactionalInventoryList": offer("Sunset massage", "PER_PERSON", 1800, 1500)
                }),
            ),
        ),
        (
            "facility/spa",
            item(
                "Andaman Spa",
                "Four treatment rooms, a sauna and a steam room.",
                json!({
                    "opens": "10:00", "closes": "21:00", "amenities": ["SAUNA", "STEAM_ROOM"],
                    "transactionalInventoryList": offer("Aromatherapy", "PER_PERSON", 2500, 2200)
                }),
            ),
        ),
        (
            "facility/restaurant",
            item(
                "Sea Breeze",
                "Thai and seafood dishes on the terrace above the beach.",
                json!({
                    "maxSeatingCapacity": 60, "maxSingleParty": 12,
                    "offerBreakfast": true, "offerBrunch": false, "offerLunch": true, "offerDinner": true,
                    "opens": "07:00", "closes": "22:30"
                }),
            ),
        ),
        (
            "facility/meeting-room",
            item(
                "Coral Room",
                "A daylight meeting room for up to 30 people.",
                json!({
                    "meetingRoomCapacity": 30, "meetingRoomTypeCode": "1", "dedicatedInd": false,
                    "irregular": false, "area": 54, "height": 3.2, "width": 6, "length": 9
                }),
            ),
        ),
        (
            "experience/place",
            item(
                "Old Phuket Town",
                "Sino-Portuguese shophouses, cafés and the Sunday walking street.",
                json!({ "refPointCategoryCode": "16" }),
            ),
        ),
        (
            "experience/attraction",
            item(
                "Big Buddha",
                "The 45-metre marble Buddha on Nakkerd hill, with views over the bay.",
                json!({ "attractionCategoryCode": "101" }),
            ),
        ),
        (
            "experience/activity",
            item(
                "Island hopping",
                "A day by longtail boat to the Phi Phi islands, lunch included.",
                json!({
                    "recreationCategoryCode": "01",
                    "transactionalInventoryList": offer("Day trip", "PER_PERSON", 3200, 2900)
                }),
            ),
        ),
    ]
}

fn recognition_bodies() -> [Value; 3] {
    [
        json!({ "category": "THIRD_PARTY_REVIEW", "type": "NUMERIC_RATING", "provider": "Guest reviews",
                "rating": 9.1, "maxRating": 10 }),
        json!({ "category": "PUBLICATION", "type": "STAR_RATING", "provider": "Andaman Travel Guide",
                "rating": 4.5, "date": "2025-11-02" }),
        json!({ "category": "AWARD", "type": "PERCENT_RATING", "provider": "Green Stay Awards",
                "rating": 92, "date": "2025-09-15", "officialAppointmentInd": true }),
    ]
}

fn announcement_bodies(today: chrono::NaiveDate) -> [Value; 3] {
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let text = |en: &str| json!([{ "name": "Notice", "description": en, "language": "en" }]);
    [
        json!({ "startDate": day(-1), "endDate": day(30), "showTitle": true,
                "descriptions": text("The rooftop pool is being retiled: the garden pool stays open.") }),
        json!({ "showAlways": true, "showTitle": false,
                "descriptions": text("Free airport transfers for stays of five nights or more.") }),
        json!({ "startDate": day(60), "endDate": day(90), "showTitle": true,
                "descriptions": text("Loy Krathong dinner on the beach: book at the front desk.") }),
    ]
}

/// A guest's review of a demo booking: scores from 7 to 10 on four questions.
fn demo_review(
    property: Uuid,
    booking: Uuid,
    guest: (&str, &str, &str),
    text: &str,
    image: bool,
) -> wink_store::reviews::Review {
    let now = wink_store::now();
    let answers: Vec<Value> = [("SERVICE", 10), ("COMFORT", 9), ("LOCATION", 9), ("VALUE", 7)]
        .iter()
        .enumerate()
        .map(|(i, (category, value))| {
            json!({ "questionIdentifier": Uuid::new_v4(), "category": category, "sort": i + 1, "value": value })
        })
        .collect();
    wink_store::reviews::Review {
        id: Uuid::new_v4(),
        property_id: property,
        booking_id: booking,
        guest_first_name: guest.0.into(),
        guest_last_name: guest.1.into(),
        guest_email: guest.2.into(),
        review_date: now,
        answers: wink_store::Json(Value::Array(answers)),
        message_from_guest: Some("Thank you for a lovely stay!".into()),
        review_text: Some(text.into()),
        image_identifier: image.then(|| "demo/reviews/pool".to_string()),
        room_number: Some("204".into()),
        room_rating: Some(9),
        likes: wink_store::Json(json!([])),
        approved_text: false,
        approved_image: false,
        response_from_hotel: None,
        responded_by: None,
        responded_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}
