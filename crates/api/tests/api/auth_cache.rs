//! The per-node cache of authentication and ownership answers (`wink_api::auth::cache`): a
//! change made through one node is refused by another node on the same database within the
//! documented bound, on either engine. Two `App`s, each with its own store (its own pools), as two
//! servers would be.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use tower::ServiceExt;
use wink_api::App;
use wink_api::auth::cache::STALENESS_BOUND;
use wink_store::{Store, StoreOptions};

use crate::bookings::Shop;
use crate::on_both_engines;
use crate::support::{Persona, TestApp, base, token_time};

/// How long a test waits for the other node before it fails: the bound, and room for a slow
/// machine to run the poll.
const GIVE_UP: Duration = Duration::from_secs(2);

/// Another node on the test's database: its own store and pools, the same configuration.
async fn other_node(app: &TestApp) -> App {
    let mut options = StoreOptions::new(&app.url);
    options.max_connections = 4;
    let store = Store::open(&options).await.expect("open the store again");
    wink_api::build_with_clock(
        store,
        app.state.config.as_ref().clone(),
        app.state.clock.clone(),
    )
    .await
    .expect("build the other node")
}

async fn status(node: &App, method: Method, path: &str, token: &str) -> StatusCode {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    node.router.clone().oneshot(request).await.unwrap().status()
}

async fn token_status(node: &App, p: &Persona) -> StatusCode {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/oauth2/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::AUTHORIZATION,
            format!(
                "Basic {}",
                STANDARD.encode(format!("{}:{}", p.client_id, p.secret))
            ),
        )
        .body(Body::from("grant_type=client_credentials"))
        .unwrap();
    node.router.clone().oneshot(request).await.unwrap().status()
}

/// Asks `check` until it answers `wanted`; fails after [`GIVE_UP`]. Answers how long it took.
async fn until<F, Fut>(what: &str, wanted: StatusCode, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = StatusCode>,
{
    let started = Instant::now();
    loop {
        let got = check().await;
        if got == wanted {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < GIVE_UP,
            "{what}: still {got} after {GIVE_UP:?} (bound {STALENESS_BOUND:?})"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_revocation_on_one_node_is_refused_by_the_other_within_the_bound(app: TestApp) {
    let b = other_node(&app).await;
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let list = format!("{}/facility/room-type/list", base(property));
    // Node B holds the token as usable (asked twice: the second answer comes from memory).
    for _ in 0..2 {
        assert_eq!(
            status(&b, Method::GET, &list, &p.token).await,
            StatusCode::OK
        );
    }

    // The token revoked through node A (RFC 7009): refused by A at once, by B within the bound.
    let revoke = Request::builder()
        .method(Method::POST)
        .uri("/oauth2/revoke")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(
            header::AUTHORIZATION,
            format!(
                "Basic {}",
                STANDARD.encode(format!("{}:{}", p.client_id, p.secret))
            ),
        )
        .body(Body::from(format!("token={}", p.token)))
        .unwrap();
    assert_eq!(app.send(revoke).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&list, &p.token).await.status,
        StatusCode::UNAUTHORIZED
    );
    until("revoked token on node B", StatusCode::UNAUTHORIZED, || {
        status(&b, Method::GET, &list, &p.token)
    })
    .await;

    // The application revoked (as `wink-supplier app revoke` does, through node A's store): its
    // other tokens and its secret are refused by B within the bound.
    let (token, _) = app
        .state
        .tokens
        .issue(p.client_id, p.account_id, "inventory.read", token_time())
        .unwrap();
    for _ in 0..2 {
        assert_eq!(status(&b, Method::GET, &list, &token).await, StatusCode::OK);
        assert_eq!(token_status(&b, &p).await, StatusCode::OK);
    }
    app.store
        .revoke_application(p.client_id, token_time())
        .await
        .unwrap();
    assert_eq!(
        app.get(&list, &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    until(
        "revoked application's token on node B",
        StatusCode::UNAUTHORIZED,
        || status(&b, Method::GET, &list, &token),
    )
    .await;
    until(
        "revoked application's secret on node B",
        StatusCode::UNAUTHORIZED,
        || token_status(&b, &p),
    )
    .await;
}

async fn a_rate_provider_removed_on_one_node_loses_the_property_on_the_other(app: TestApp) {
    let b = other_node(&app).await;
    let s = Shop::new(&app, 5).await;
    let manager = app.persona(&[]).await;
    let channel_manager = format!("{}/channel-manager", s.root());
    let rates = format!("{}/master-rate/list", s.root());
    let set = |value: String| json!({ "rateProvider": { "value": value, "label": "CM" } });

    assert_eq!(
        status(&b, Method::GET, &rates, &manager.token).await,
        StatusCode::NOT_FOUND
    );
    let r = app
        .patch(
            &channel_manager,
            &s.p.token,
            &set(manager.account_id.to_string()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // Granting is seen within the bound too (nothing negative is held for long).
    until("granted rate provider on node B", StatusCode::OK, || {
        status(&b, Method::GET, &rates, &manager.token)
    })
    .await;
    assert_eq!(
        status(&b, Method::GET, &rates, &manager.token).await,
        StatusCode::OK
    );

    let r = app
        .patch(&channel_manager, &s.p.token, &set("NONE".into()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        app.get(&rates, &manager.token).await.status,
        StatusCode::NOT_FOUND
    );
    until(
        "removed rate provider on node B",
        StatusCode::NOT_FOUND,
        || status(&b, Method::GET, &rates, &manager.token),
    )
    .await;
    // The owner still reaches it everywhere.
    assert_eq!(
        status(&b, Method::GET, &rates, &s.p.token).await,
        StatusCode::OK
    );
}

async fn a_property_status_change_reaches_the_other_node_within_the_bound(app: TestApp) {
    let b = other_node(&app).await;
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let held = b
        .state
        .auth_cache
        .property_ref(property)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.status, "ACTIVE");
    assert_eq!(held.account_id, p.account_id);

    let r = app
        .patch(
            &format!("{}/property/status", base(property)),
            &p.token,
            &json!({ "status": "INACTIVE" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let started = Instant::now();
    loop {
        let held = b
            .state
            .auth_cache
            .property_ref(property)
            .await
            .unwrap()
            .unwrap();
        if held.status == "INACTIVE" {
            break;
        }
        assert!(
            started.elapsed() < GIVE_UP,
            "node B still holds the property ACTIVE"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Node A, which made the change, knows at once.
    let here = app
        .state
        .auth_cache
        .property_ref(property)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(here.status, "INACTIVE");
}

on_both_engines!(
    a_revocation_on_one_node_is_refused_by_the_other_within_the_bound,
    a_rate_provider_removed_on_one_node_loses_the_property_on_the_other,
    a_property_status_change_reaches_the_other_node_within_the_bound,
);
