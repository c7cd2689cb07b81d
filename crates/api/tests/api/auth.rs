//! OAuth2 client credentials, token checks, and the route table: every declared operation refuses
//! a missing token (401), a token without its scope (403) and another account's token (404).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::on_both_engines;
use crate::support::{Persona, TestApp, base};

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

    // The token works.
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
        .revoke_application(p.client_id, Utc::now())
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
        .issue(p.client_id, p.account_id, &claims.scope, Utc::now())
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
            Utc::now() - Duration::hours(2),
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

/// Every operation of the published document, called without a token, with a token lacking its
/// scope, and with another account's token.
async fn every_operation_enforces_auth(app: TestApp) {
    let owner = app.persona(&[]).await;
    let property = app.property(&owner).await;
    let stranger = app.persona(&[]).await;
    let doc = wink_api::openapi_document();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(scope) = op["security"][0]["oauth2ClientCredentials"][0].as_str() else {
                continue;
            };
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let concrete = concrete_path(path, property);
            let body = op.get("requestBody").map(|_| json!({}));
            let id = op["operationId"].as_str().unwrap();

            let r = app
                .call(method.clone(), &concrete, None, body.as_ref())
                .await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{id} without a token: {}",
                r.json
            );

            let others: Vec<&str> = wink_api::auth::ALL_SCOPES
                .iter()
                .copied()
                .filter(|s| *s != scope)
                .collect();
            let unscoped = app.persona_of(owner.account_id, &others).await;
            let r = app
                .call(
                    method.clone(),
                    &concrete,
                    Some(&unscoped.token),
                    body.as_ref(),
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{id} without {scope}: {}",
                r.json
            );
            assert!(r.json["detail"].as_str().unwrap().contains(scope));

            if path.contains("{managingEntityIdentifier}") {
                let r = app
                    .call(
                        method.clone(),
                        &concrete,
                        Some(&stranger.token),
                        body.as_ref(),
                    )
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::NOT_FOUND,
                    "{id} with another account's token: {}",
                    r.json
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 7, "only {checked} operations checked");
}

fn concrete_path(template: &str, property: Uuid) -> String {
    let mut out = String::new();
    for segment in template.split('/').skip(1) {
        out.push('/');
        if segment == "{managingEntityIdentifier}" {
            out.push_str(&property.to_string());
        } else if segment.starts_with('{') {
            out.push_str(&Uuid::new_v4().to_string());
        } else {
            out.push_str(segment);
        }
    }
    out
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
    let r = app.send(with("accept", "text/html")).await;
    assert_eq!(r.invalid_fields(), ["Accept"]);
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
