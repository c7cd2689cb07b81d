//! OAuth2 client credentials, token checks, and the route table: every declared operation refuses
//! a missing token (401), a token without its scope (403) and another account's token (404).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::bookings::{Shop, day};
use crate::cancellation_policies::create;
use crate::fixtures;
use crate::on_both_engines;
use crate::reviews::review_of;
use crate::support::{Persona, TestApp, base, token_time};
use wink_api::auth::ALL_SCOPES;

async fn token_request(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &str,
) -> crate::support::TestResponse {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/oauth2/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        request = request.header(
            header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        );
    }
    app.send(request.body(Body::from(form.to_string())).unwrap())
        .await
}

async fn form_post(
    app: &TestApp,
    path: &str,
    persona: &Persona,
    form: &str,
) -> crate::support::TestResponse {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::AUTHORIZATION,
            format!(
                "Basic {}",
                STANDARD.encode(format!("{}:{}", persona.client_id, persona.secret))
            ),
        )
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(request).await
}

async fn client_credentials(app: TestApp) {
    let p = app.persona(&["inventory.read", "booking.read"]).await;
    let id = p.client_id.to_string();

    // Basic auth, all granted scopes.
    let r = token_request(
        &app,
        Some((&id, &p.secret)),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(r.json["token_type"], "Bearer");
    assert_eq!(r.json["scope"], "inventory.read booking.read");
    assert!(r.json["expires_in"].as_i64().unwrap() > 0);
    let token = r.json["access_token"].as_str().unwrap().to_string();
    assert_signed_by_published_key(&app, &token).await;

    // The token works on its own account's resources, within its scopes.
    let owner = app.persona_of(p.account_id, &[]).await;
    let own = app.property(&owner).await;
    let rooms = format!("{}/facility/room-type", base(own));
    let created = app
        .post(&rooms, &owner.token, &fixtures::room_type("Deluxe", 5))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let r = app.get(&format!("{rooms}/list"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json[0]["id"], created.json["id"]);
    let r = app
        .post(&rooms, &token, &fixtures::room_type("Not mine to add", 1))
        .await;
    r.problem(StatusCode::FORBIDDEN);
    let r = app.get(&format!("{rooms}/list"), &token).await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);

    // And not on another account's.
    let property = app.property(&app.persona(&[]).await).await;
    let r = app
        .get(
            &format!("{}/facility/room-type/list", base(property)),
            &token,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a token of another account sees no property"
    );

    // Narrowed scope; client_secret_post.
    let r = token_request(
        &app,
        None,
        &format!(
            "grant_type=client_credentials&scope=booking.read&client_id={id}&client_secret={}",
            p.secret
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["scope"], "booking.read");

    // A scope the application was not granted.
    let r = token_request(
        &app,
        Some((&id, &p.secret)),
        "grant_type=client_credentials&scope=inventory.write",
    )
    .await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_scope"))
    );

    // Wrong secret, unknown client, no credentials: invalid_client with a Basic challenge.
    for basic in [
        Some((id.as_str(), "wrong")),
        Some(("00000000-0000-0000-0000-000000000000", "x")),
        None,
    ] {
        let r = token_request(&app, basic, "grant_type=client_credentials").await;
        assert_eq!(
            (r.status, r.json["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("invalid_client")),
            "{basic:?}"
        );
        assert!(
            r.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Basic")
        );
    }

    // Other grants.
    let r = token_request(&app, Some((&id, &p.secret)), "grant_type=password").await;
    assert_eq!(r.json["error"], "unsupported_grant_type");
    let r = token_request(&app, Some((&id, &p.secret)), "scope=x").await;
    assert_eq!(r.json["error"], "invalid_request");

    // A revoked application can neither get tokens nor use the ones it has.
    app.store
        .revoke_application(p.client_id, token_time())
        .await
        .unwrap();
    let r = token_request(
        &app,
        Some((&id, &p.secret)),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(r.json["error"], "invalid_client");
    let r = app
        .get(
            &format!("{}/facility/room-type/list", base(property)),
            &token,
        )
        .await;
    r.problem(StatusCode::UNAUTHORIZED);
}

async fn forged_and_stale_tokens_are_refused(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let path = format!("{}/facility/room-type/list", base(property));
    assert_eq!(app.get(&path, &p.token).await.status, StatusCode::OK);

    let claims = app.state.tokens.verify(&p.token).await.unwrap();
    let payload = |c: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(c).unwrap());
    let claims_json = serde_json::to_value(&claims).unwrap();
    let parts: Vec<&str> = p.token.split('.').collect();

    // alg: none, and an HMAC token "signed" with the public key.
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        payload(&claims_json)
    );
    let hs = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        parts[1],
        parts[2]
    );
    // Claims changed under the original signature.
    let mut more = claims_json.clone();
    more["scope"] = json!(
        "inventory.read inventory.write inventory.remove booking.read booking.write booking.remove marketing.read marketing.write marketing.remove content.read content.write content.remove"
    );
    let tampered = format!("{}.{}.{}", parts[0], payload(&more), parts[2]);
    for bad in [none, hs, tampered, "not-a-jwt".to_string(), String::new()] {
        let r = app.get(&path, &bad).await;
        let body = r.problem(StatusCode::UNAUTHORIZED);
        assert!(
            r.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        assert_eq!(body["type"], "urn:wink-supplier:problem:unauthorized");
    }

    // Another audience, and an expired token, each properly signed.
    let other = wink_api::auth::TokenAuthority::load(
        &app.store,
        &wink_api::ApiConfig {
            audience: "someone-else".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (foreign, _) = other
        .issue(p.client_id, p.account_id, &claims.scope, token_time())
        .unwrap();
    app.get(&path, &foreign)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let (expired, _) = app
        .state
        .tokens
        .issue(
            p.client_id,
            p.account_id,
            &claims.scope,
            token_time() - Duration::hours(2),
        )
        .unwrap();
    app.get(&path, &expired)
        .await
        .problem(StatusCode::UNAUTHORIZED);

    // Introspection: active, then revoked (RFC 7009: 200 even for nonsense).
    let r = form_post(
        &app,
        "/oauth2/introspect",
        &p,
        &format!("token={}", p.token),
    )
    .await;
    assert_eq!(r.json["active"], true, "{}", r.json);
    assert_eq!(r.json["client_id"], p.client_id.to_string());
    let r = form_post(&app, "/oauth2/revoke", &p, "token=garbage").await;
    assert_eq!(r.status, StatusCode::OK);
    let r = form_post(&app, "/oauth2/revoke", &p, &format!("token={}", p.token)).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = form_post(
        &app,
        "/oauth2/introspect",
        &p,
        &format!("token={}", p.token),
    )
    .await;
    assert_eq!(r.json, json!({"active": false}));
    app.get(&path, &p.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    // Another account can neither see nor revoke someone's token.
    let q = app.persona(&[]).await;
    let r = form_post(
        &app,
        "/oauth2/introspect",
        &q,
        &format!("token={}", q.token),
    )
    .await;
    assert_eq!(r.json["active"], true);
    let r = form_post(
        &app,
        "/oauth2/introspect",
        &p,
        &format!("token={}", q.token),
    )
    .await;
    assert_eq!(r.json, json!({"active": false}));
}

/// `token` is an EdDSA JWT whose `kid` names a key of the published JWKS, and whose signature
/// verifies with that key's public half (checked here with ed25519 directly, not through the
/// server's own verifier).
async fn assert_signed_by_published_key(app: &TestApp, token: &str) {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let jwks = app
        .call(Method::GET, "/.well-known/jwks.json", None, None)
        .await;
    assert_eq!(jwks.status, StatusCode::OK);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "EdDSA");
    let kid = header["kid"].as_str().expect("a kid");
    let keys = jwks.json["keys"].as_array().unwrap();
    let key = keys
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap_or_else(|| panic!("kid {kid} not in the JWKS {}", jwks.json));
    let x: [u8; 32] = URL_SAFE_NO_PAD
        .decode(key["x"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let public = VerifyingKey::from_bytes(&x).unwrap();
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    public
        .verify(signed.as_bytes(), &signature)
        .expect("the signature verifies with the published key");
    // A changed payload does not.
    let tampered = format!("{}.{}x", parts[0], parts[1]);
    assert!(public.verify(tampered.as_bytes(), &signature).is_err());
    // Another key of the set (if any) does not verify it either.
    for other in keys.iter().filter(|k| k["kid"] != kid) {
        let x: [u8; 32] = URL_SAFE_NO_PAD
            .decode(other["x"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let other = VerifyingKey::from_bytes(&x).unwrap();
        assert!(other.verify(signed.as_bytes(), &signature).is_err());
    }
}

async fn discovery_documents(app: TestApp) {
    let r = app
        .call(Method::GET, "/.well-known/jwks.json", None, None)
        .await;
    let key = &r.json["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["crv"].as_str(),
            key["alg"].as_str()
        ),
        (Some("OKP"), Some("Ed25519"), Some("EdDSA"))
    );
    let r = app
        .call(
            Method::GET,
            "/.well-known/oauth-authorization-server",
            None,
            None,
        )
        .await;
    assert_eq!(
        r.json["grant_types_supported"],
        json!(["client_credentials"])
    );
    assert!(
        r.json["token_endpoint"]
            .as_str()
            .unwrap()
            .ends_with("/oauth2/token")
    );
}

/// Paths outside `/api/` that are public by design: the authorization server's own endpoints
/// (discovery documents, and token endpoints that authenticate the client with HTTP Basic).
const PUBLIC_PATHS: [&str; 5] = [
    "/.well-known/jwks.json",
    "/.well-known/oauth-authorization-server",
    "/oauth2/introspect",
    "/oauth2/revoke",
    "/oauth2/token",
];

/// The owner's resources, one per kind of path parameter, so every URL names real ids.
struct Owned {
    shop: Shop,
    ids: HashMap<&'static str, String>,
}

impl Owned {
    async fn new(app: &TestApp) -> Owned {
        let shop = Shop::new(app, 3).await;
        let root = shop.root();
        let token = shop.p.token.clone();
        let mut ids = HashMap::from([
            ("roomTypeIdentifier", shop.room.clone()),
            ("ratePlanIdentifier", shop.plan.clone()),
            ("cancellationPolicyIdentifier", shop.policy.clone()),
            ("masterRateIdentifier", shop.master.clone()),
            ("salesChannelIdentifier", shop.channel.clone()),
        ]);
        for (param, kind, path) in [
            ("addOnIdentifier", "add-on", "add-on"),
            ("spaIdentifier", "spa", "facility/spa"),
            ("restaurantIdentifier", "restaurant", "facility/restaurant"),
            (
                "meetingRoomIdentifier",
                "meeting-room",
                "facility/meeting-room",
            ),
            ("placeIdentifier", "place", "experience/place"),
            (
                "attractionIdentifier",
                "attraction",
                "experience/attraction",
            ),
            ("activityIdentifier", "activity", "experience/activity"),
        ] {
            let id = create(
                app,
                &format!("{root}/{path}"),
                &token,
                &fixtures::inventory(kind, "Owned"),
            )
            .await;
            ids.insert(param, id);
        }
        let promotion = create(
            app,
            &format!("{root}/promotion"),
            &token,
            &fixtures::promotion("Owned"),
        )
        .await;
        let second = create(
            app,
            &format!("{root}/promotion"),
            &token,
            &fixtures::promotion("Owned too"),
        )
        .await;
        let bundle = create(
            app,
            &format!("{root}/promotion-bundle"),
            &token,
            &fixtures::bundle("Owned", &[&promotion, &second]),
        )
        .await;
        // A channel-inventory record (the master rate on the channel) and its item.
        let records = app
            .get(&format!("{root}/sales/inventory/list"), &token)
            .await;
        assert_eq!(records.status, StatusCode::OK, "{}", records.json);
        let record = &records.json[0];
        ids.insert("inventoryIdentifier", record["id"].as_str().unwrap().into());
        ids.insert(
            "inventoryTypeIdentifier",
            record["inventoryIdentifier"].as_str().unwrap().into(),
        );
        ids.insert("rateModifierIdentifier", promotion);
        ids.insert("rateModifierBundleIdentifier", bundle);
        let query = shop.query(day(5), day(7), 2);
        let offer = shop.offer(app, &query).await;
        let r = shop
            .book(
                app,
                &shop.booking_request(&query, &offer, ("Ann", "Lee", "ann.lee@example.com")),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let booking: Uuid = r.json["id"].as_str().unwrap().parse().unwrap();
        let review = review_of(app, shop.property, booking, false);
        app.store.create_review(&review).await.unwrap();
        ids.insert("bookingIdentifier", booking.to_string());
        // The shop's travel agent is an affiliate; another account's property asks for a channel.
        ids.insert("affiliateManagingEntityIdentifier", shop.agent.to_string());
        let neighbour = app.persona(&[]).await;
        let their = app.property(&neighbour).await;
        let asked = app
            .post(
                &format!("{}/sales-channel/request", base(their)),
                &neighbour.token,
                &json!({ "requestType": "DIRECT_CONNECTION", "supplierIdentifier": shop.property,
                         "introductoryMessage": "Hello" }),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.json);
        ids.insert(
            "salesChannelRequestIdentifier",
            asked.json["id"].as_str().unwrap().to_string(),
        );
        ids.insert("reviewIdentifier", review.id.to_string());
        // A recognition (its create answers the property) and an announcement.
        let r = app
            .post(
                &format!("{root}/property/recognition"),
                &token,
                &json!({ "category": "AWARD", "type": "STAR_RATING", "provider": "Owned", "rating": 4 }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        let recognition = r.json["recognitionList"][0]["identifier"].as_str().unwrap();
        ids.insert("recognitionIdentifier", recognition.to_string());
        ids.insert("category", "AWARD".to_string());
        let announcement = create(
            app,
            &format!("{root}/announcement"),
            &token,
            &json!({ "descriptions": [{ "name": "Owned", "description": "Owned", "language": "en" }] }),
        )
        .await;
        ids.insert("announcementIdentifier", announcement);
        // A schedule item of the meeting room, for that booking.
        let room = ids["meetingRoomIdentifier"].clone();
        let item = create(
            app,
            &format!("{root}/schedule/{room}"),
            &token,
            &json!({ "start": "2026-03-16T09:00:00Z", "end": "2026-03-16T10:00:00Z",
                     "startTimezone": "Europe/Berlin", "endTimezone": "Europe/Berlin",
                     "isAllDay": false, "type": "MEETING_ROOM", "attendees": 4,
                     "bookingIdentifier": booking, "recurrenceRule": "FREQ=WEEKLY" }),
        )
        .await;
        // `{inventoryIdentifier}` names a channel-inventory record under `sales/`, and the
        // scheduled item under `schedule/`.
        ids.insert("schedule/inventoryIdentifier", room);
        ids.insert("identifier", item);
        // A medium of the gallery: `{multimediaIdentifier}` of every media path.
        let r = app
            .post(
                &format!("{root}/property/multimedia"),
                &token,
                &json!({ "multimediaIdentifier": Uuid::new_v4(), "identifier": "owned/lobby",
                         "type": "IMAGE", "source": "CLOUDINARY", "sort": 1, "width": 800, "height": 600 }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
        ids.insert(
            "multimediaIdentifier",
            r.json["multimedias"][0]["multimediaIdentifier"]
                .as_str()
                .unwrap()
                .to_string(),
        );
        // A webhook subscription (a public URL: nothing is delivered here).
        let webhook = create(
            app,
            &format!("/api/managing-entity/{}/webhooks", shop.property),
            &token,
            &json!({ "url": "https://example.com/hooks", "eventTypes": ["booking.created"] }),
        )
        .await;
        ids.insert("webhookIdentifier", webhook);
        Owned { shop, ids }
    }

    /// `template` with `property` and the owner's sub-resource ids; an unknown parameter fails
    /// the test rather than being guessed.
    fn path(&self, template: &str, property: Uuid) -> String {
        let mut out = String::new();
        for segment in template.split('/').skip(1) {
            out.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("managingEntityIdentifier") => out.push_str(&property.to_string()),
                Some(param) => {
                    let scheduled = format!("schedule/{param}");
                    let key = if template.contains("/extranet/schedule/")
                        && self.ids.contains_key(scheduled.as_str())
                    {
                        scheduled.as_str()
                    } else {
                        param
                    };
                    out.push_str(self.ids.get(key).unwrap_or_else(|| {
                        panic!("no owned resource for {{{param}}} in {template}")
                    }))
                }
                None => out.push_str(segment),
            }
        }
        out
    }
}

/// Every operation of the served document, plus HEAD for every GET: without a token (401), with
/// a token lacking its scope (403), and with another account's token (404) both on the owner's
/// property and on the stranger's own property naming the owner's sub-resources. Reads answer
/// the owner 2xx on the same URLs; writes are refused to the stranger, and every read answers
/// the owner the same afterwards (nothing changed).
async fn every_operation_enforces_auth(app: TestApp) {
    let owned = Owned::new(&app).await;
    let owner = &owned.shop.p;
    let property = owned.shop.property;
    let root = owned.shop.root();
    // The calendar feed needs a passkey; the caldav/auth read needs one to exist.
    let regen = format!("{root}/caldav/auth/regen");
    let r = app.get(&regen, &owner.token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let stranger = app.persona(&[]).await;
    let elsewhere = app.property(&stranger).await;

    let served = app.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    let doc = served.json;
    let mut unscoped: HashMap<String, Persona> = HashMap::new();
    let mut declared = 0;
    let mut checked = 0;
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            assert!(
                PUBLIC_PATHS.contains(&path.as_str()),
                "{path} is outside /api/ and not a known public endpoint"
            );
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_string();
            declared += 1;
            if method == "get" {
                declared += 1; // and its HEAD
            }
            if op["security"][0].get("caldavPasskey").is_some() {
                assert_eq!(id, "caldav", "only the calendar feed uses the passkey");
                continue;
            }
            // Alternative requirements (any one suffices) are several entries.
            let alternatives: Vec<&'static str> = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .map(|req| {
                    let declared = req["oauth2ClientCredentials"][0]
                        .as_str()
                        .unwrap_or_else(|| panic!("{id} declares no OAuth2 scope"));
                    ALL_SCOPES
                        .iter()
                        .copied()
                        .find(|s| *s == declared)
                        .unwrap_or_else(|| panic!("{id} declares an unknown scope {declared}"))
                })
                .collect();
            let scope = alternatives.join("|");
            if !unscoped.contains_key(&scope) {
                let others: Vec<&str> = ALL_SCOPES
                    .iter()
                    .copied()
                    .filter(|s| !alternatives.contains(s))
                    .collect();
                unscoped.insert(
                    scope.clone(),
                    app.persona_of(owner.account_id, &others).await,
                );
            }
            let op = Operation {
                id,
                method: Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                template: path.clone(),
                query: required_query(op),
                scope,
                body: op.get("requestBody").map(|_| json!({})),
            };
            if op.method == Method::GET {
                reads.push(op);
            } else {
                writes.push(op);
            }
        }
    }

    let mut before = Vec::new();
    for op in &reads {
        for method in [Method::GET, Method::HEAD] {
            let url = check(
                &app,
                &owned,
                &stranger,
                elsewhere,
                op,
                method.clone(),
                &unscoped[&op.scope],
            )
            .await;
            let r = app
                .call(method.clone(), &url, Some(&owner.token), None)
                .await;
            assert!(
                r.status.is_success(),
                "{method} {} as the owner: {} {}",
                op.id,
                r.status,
                r.json
            );
            if method == Method::GET && !op.template.contains("/caldav/auth") {
                // JSON answers compared (a PDF carries its creation time; the booking it prints is
                // compared through show-hotel-booking).
                before.push((op.id.clone(), url, r.json));
            }
            checked += 1;
        }
    }
    for op in &writes {
        check(
            &app,
            &owned,
            &stranger,
            elsewhere,
            op,
            op.method.clone(),
            &unscoped[&op.scope],
        )
        .await;
        checked += 1;
    }
    for (id, url, json) in before {
        let r = app.get(&url, &owner.token).await;
        assert!(r.json == json, "{id} changed under the stranger's writes");
    }

    // The calendar feed: HTTP Basic with the property's passkey, never a token.
    // (The sweep regenerated the owner's passkey.)
    let passkey = app.get(&regen, &owner.token).await.json["passkey"]
        .as_str()
        .unwrap()
        .to_string();
    let feed = format!("/api/cal/property/{property}/booking/list");
    let basic = |user: &str, password: &str| {
        format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
    };
    let stranger_key = app
        .get(
            &format!("{}/caldav/auth/regen", base(elsewhere)),
            &stranger.token,
        )
        .await
        .json["passkey"]
        .as_str()
        .unwrap()
        .to_string();
    for method in [Method::GET, Method::HEAD] {
        let with = |auth: Option<String>| {
            let mut request = Request::builder().method(method.clone()).uri(&feed);
            if let Some(auth) = auth {
                request = request.header(header::AUTHORIZATION, auth);
            }
            app.send(request.body(Body::empty()).unwrap())
        };
        let r = with(None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} caldav");
        assert!(method != Method::HEAD || r.bytes.is_empty());
        let r = with(Some(format!("Bearer {}", owner.token))).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} caldav, a token"
        );
        for (user, key) in [
            (elsewhere.to_string(), stranger_key.clone()),
            (property.to_string(), stranger_key.clone()),
        ] {
            let r = with(Some(basic(&user, &key))).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} caldav, another property's passkey"
            );
        }
        let r = with(Some(basic(&property.to_string(), &passkey))).await;
        assert_eq!(r.status, StatusCode::OK, "{method} caldav, its passkey");
        checked += 1;
    }

    assert_eq!(
        checked, declared,
        "checked {checked} of {declared} operations (HEAD included)"
    );
}

/// One operation's refusals; answers the owner's URL.
async fn check(
    app: &TestApp,
    owned: &Owned,
    stranger: &Persona,
    elsewhere: Uuid,
    op: &Operation,
    method: Method,
    unscoped: &Persona,
) -> String {
    let property = owned.shop.property;
    let url = owned.path(&op.template, property) + &op.query;
    let id = format!("{method} {}", op.id);
    let body = op.body.as_ref();
    let r = app.call(method.clone(), &url, None, body).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{id} without a token");
    if method == Method::HEAD {
        assert!(r.bytes.is_empty(), "{id} without a token has a body");
    }
    let r = app
        .call(method.clone(), &url, Some(&unscoped.token), body)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{id} without {}", op.scope);
    if method != Method::HEAD {
        let first = op.scope.split('|').next().unwrap();
        assert!(r.json["detail"].as_str().unwrap().contains(first));
    }
    if op.template.contains("{managingEntityIdentifier}") {
        let r = app
            .call(method.clone(), &url, Some(&stranger.token), body)
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{id} with another account's token: {}",
            r.json
        );
        // The stranger's own property, naming the owner's sub-resources. A request body is
        // validated before the sub-resource is looked up, so the `{}` bodies sent here would
        // only meet a 400: this check runs where there is no body.
        // (`{category}` names a value, not a sub-resource: their own list of it is theirs.)
        let sub_resources =
            op.template.matches('{').count() - op.template.matches("{category}").count();
        if sub_resources > 1 && body.is_none() {
            let theirs = owned.path(&op.template, elsewhere) + &op.query;
            let r = app
                .call(method.clone(), &theirs, Some(&stranger.token), body)
                .await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "{id} on another property naming the owner's ids: {}",
                r.json
            );
        }
    }
    url
}

struct Operation {
    id: String,
    method: Method,
    template: String,
    /// The operation's required query parameters with sample values (`?a=1&b=2`, or empty).
    query: String,
    /// The scope, or its alternatives joined by `|`.
    scope: String,
    body: Option<Value>,
}

/// A value for each required query parameter `op` declares, so the owner's read succeeds; an
/// unknown one fails the test rather than being guessed.
fn required_query(op: &Value) -> String {
    let pairs: Vec<String> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| {
            let name = p["name"].as_str().unwrap();
            let value = match name {
                // The schedule list's range.
                "start" => "2026-03-01",
                "end" => "2026-03-31",
                "leadId" => "9c2e7f1a-4b8d-4e3c-a5f6-2d9b1e0c7a43",
                "multimediaIdentifiers" => "3c6b1a5d-8e2f-4a0b-9c7d-6e4f0a8b2c51",
                other => panic!("no sample value for the required query parameter {other}"),
            };
            format!("{name}={value}")
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

async fn platform_headers(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let path = format!("{}/facility/room-type/list", base(property));
    let with = |name: &'static str, value: &'static str| {
        Request::builder()
            .uri(path.clone())
            .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
            .header(name, value)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        app.send(with("wink-version", "2.0")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.send(with("accept", "application/json")).await.status,
        StatusCode::OK
    );
    assert_eq!(app.send(with("accept", "*/*")).await.status, StatusCode::OK);
    let r = app.send(with("wink-version", "1.0")).await;
    assert_eq!(r.invalid_fields(), ["Wink-Version"]);
    // Accept never refuses: the operation's one representation is sent (content_negotiation.rs).
    assert_eq!(
        app.send(with("accept", "text/html")).await.status,
        StatusCode::OK
    );
    // Every response carries a request id; a problem quotes it.
    let r = app
        .call(
            Method::GET,
            "/api/managing-entity/x/extranet/nothing",
            None,
            None,
        )
        .await;
    let id = r.headers["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(
        r.problem(StatusCode::NOT_FOUND)["instance"],
        format!("urn:uuid:{id}")
    );
    let r = app.call(Method::PATCH, "/oauth2/token", None, None).await;
    r.problem(StatusCode::METHOD_NOT_ALLOWED);
}

on_both_engines!(
    client_credentials,
    forged_and_stale_tokens_are_refused,
    discovery_documents,
    every_operation_enforces_auth,
    platform_headers
);
