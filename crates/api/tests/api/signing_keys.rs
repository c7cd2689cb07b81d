//! Token-signing keys: rotation, retirement, encryption at rest, one first key however many nodes
//! boot together, and nodes picking up keys made elsewhere.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use wink_api::auth::signing_keys;
use wink_api::auth::{KeyEncryptionKey, TokenAuthority};
use wink_api::{ApiConfig, App};
use wink_store::keys::PrivateKey;
use wink_store::{Store, StoreOptions};

use crate::on_both_engines;
use crate::support::{TestApp, base, token_time};

fn kek(byte: u8) -> KeyEncryptionKey {
    STANDARD.encode([byte; 32]).parse().unwrap()
}

/// The kid in a token's header.
fn kid_of(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

async fn jwks_kids(app: &TestApp) -> Vec<String> {
    let r = app
        .call(
            axum::http::Method::GET,
            "/.well-known/jwks.json",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    r.json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

/// Another node on the test's database.
async fn node(app: &TestApp, config: ApiConfig) -> anyhow::Result<App> {
    wink_api::build(app.store.clone(), config).await
}

async fn rotation_signs_with_the_new_key_and_old_tokens_still_verify(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let path = format!("{}/facility/room-type/list", base(property));
    let first = kid_of(&p.token);
    assert_eq!(jwks_kids(&app).await, vec![first.clone()]);

    let second = signing_keys::rotate(&app.store, None).await.unwrap();
    assert_ne!(second, first);
    app.state.tokens.reload().await.unwrap();

    let (token, _) = app
        .state
        .tokens
        .issue(p.client_id, p.account_id, "inventory.read", token_time())
        .unwrap();
    assert_eq!(kid_of(&token), second);
    assert_eq!(app.get(&path, &token).await.status, StatusCode::OK);
    assert_eq!(app.get(&path, &p.token).await.status, StatusCode::OK);
    let mut kids = jwks_kids(&app).await;
    kids.sort();
    let mut both = vec![first, second];
    both.sort();
    assert_eq!(kids, both);
}

async fn a_retired_key_stops_signing_and_verifies_until_its_tokens_expired(app: TestApp) {
    let p = app.persona(&[]).await;
    let property = app.property(&p).await;
    let path = format!("{}/facility/room-type/list", base(property));
    let tokens = &app.state.tokens;
    let issue = || {
        tokens
            .issue(p.client_id, p.account_id, "inventory.read", token_time())
            .unwrap()
            .0
    };
    let oldest = kid_of(&p.token);
    let middle = signing_keys::rotate(&app.store, None).await.unwrap();
    tokens.reload().await.unwrap();
    let by_middle = issue();
    assert_eq!(kid_of(&by_middle), middle);
    let newest = signing_keys::rotate(&app.store, None).await.unwrap();

    // The middle key retired now: its tokens verify until they expire. The oldest retired long
    // enough ago that every token it signed has expired: gone.
    let config = ApiConfig::default();
    let lifetime = signing_keys::lifetime(config.token_ttl_seconds, config.key_reload_interval);
    let now = token_time();
    signing_keys::retire(&app.store, &middle, now)
        .await
        .unwrap();
    let long_ago = now - lifetime.token_ttl - lifetime.grace - chrono::Duration::seconds(1);
    signing_keys::retire(&app.store, &oldest, long_ago)
        .await
        .unwrap();
    tokens.reload().await.unwrap();

    assert_eq!(kid_of(&issue()), newest);
    assert_eq!(app.get(&path, &by_middle).await.status, StatusCode::OK);
    app.get(&path, &p.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let mut kids = jwks_kids(&app).await;
    kids.sort();
    let mut live = vec![middle.clone(), newest.clone()];
    live.sort();
    assert_eq!(kids, live);

    // The last key not retired cannot be retired, and a key is retired once.
    let refused = signing_keys::retire(&app.store, &newest, token_time())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("rotate first"), "{refused}");
    assert!(
        signing_keys::retire(&app.store, &middle, token_time())
            .await
            .is_err()
    );
    let listed = signing_keys::list(&app.store, lifetime, token_time())
        .await
        .unwrap();
    let states: Vec<(&str, &str)> = listed
        .iter()
        .map(|k| (k.kid.as_str(), k.state.label()))
        .collect();
    assert_eq!(
        states,
        vec![
            (newest.as_str(), "signing"),
            (middle.as_str(), "retired"),
            (oldest.as_str(), "expired")
        ]
    );
}

async fn private_keys_are_encrypted_at_rest_with_a_key_encryption_key(app: TestApp) {
    // The test app started without a key-encryption key: its key is in clear.
    let p = app.persona(&[]).await;
    let keys = app.store.signing_keys().await.unwrap();
    let PrivateKey::Clear(pem) = &keys[0].private_key else {
        panic!("expected a key in clear, found {:?}", keys[0].private_key);
    };
    let seed = ed25519_dalek::SigningKey::from_pkcs8_pem(pem)
        .unwrap()
        .to_bytes();

    // A node with a key-encryption key seals it on start, and keeps using it.
    let config = ApiConfig {
        key_encryption_key: Some(kek(7)),
        ..Default::default()
    };
    let sealed_node = node(&app, config.clone()).await.unwrap();
    assert!(sealed_node.state.tokens.verify(&p.token).await.is_some());
    signing_keys::rotate(&app.store, config.key_encryption_key.as_ref())
        .await
        .unwrap();
    let keys = app.store.signing_keys().await.unwrap();
    assert_eq!(keys.len(), 2);
    for key in &keys {
        let PrivateKey::Sealed(sealed) = &key.private_key else {
            panic!("key {} is still in clear", key.kid);
        };
        assert!(!sealed.windows(seed.len()).any(|w| w == seed));
        assert!(
            !sealed
                .windows(16)
                .any(|w| pem.as_bytes().windows(16).any(|p| p == w))
        );
    }
    sealed_node.state.tokens.reload().await.unwrap();
    let (token, _) = sealed_node
        .state
        .tokens
        .issue(p.client_id, p.account_id, "inventory.read", token_time())
        .unwrap();
    assert_eq!(kid_of(&token), keys[0].kid);
    assert!(sealed_node.state.tokens.verify(&token).await.is_some());
}

async fn a_wrong_key_encryption_key_is_an_error_on_load(app: TestApp) {
    let right = ApiConfig {
        key_encryption_key: Some(kek(7)),
        ..Default::default()
    };
    node(&app, right).await.unwrap();
    let wrong = ApiConfig {
        key_encryption_key: Some(kek(8)),
        ..Default::default()
    };
    let e = node(&app, wrong.clone()).await.err().unwrap().to_string();
    assert!(e.contains("key_encryption_key is not the one"), "{e}");
    let e = node(&app, ApiConfig::default())
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("encrypted: configure key_encryption_key"), "{e}");
    // Nor can a key be added with the wrong one.
    assert!(
        signing_keys::rotate(&app.store, wrong.key_encryption_key.as_ref())
            .await
            .is_err()
    );
    assert_eq!(app.store.signing_keys().await.unwrap().len(), 1);
}

async fn concurrent_first_boot_creates_exactly_one_key(app: TestApp) {
    // Eight nodes, each with its own connections, start at the same instant on a database no node
    // has started on yet (an empty keys table); several rounds, as a race may hide in one.
    const NODES: usize = 8;
    let mut options = StoreOptions::new(app.url.clone());
    options.max_connections = 2;
    let mut nodes = Vec::new();
    for _ in 0..NODES {
        nodes.push(Store::connect(&options).await.unwrap());
    }
    let config = ApiConfig::default();
    for round in 0..5 {
        wipe_keys(&app).await;
        assert!(app.store.signing_keys().await.unwrap().is_empty());
        let together = std::sync::Arc::new(tokio::sync::Barrier::new(NODES));
        let started: Vec<_> = nodes
            .iter()
            .map(|store| {
                let (store, config, together) = (store.clone(), config.clone(), together.clone());
                tokio::spawn(async move {
                    together.wait().await;
                    TokenAuthority::load(&store, &config).await
                })
            })
            .collect();
        let mut kids = Vec::new();
        for node in started {
            let authority = node.await.unwrap().expect("every node starts");
            kids.push(authority.signing_kid().unwrap());
        }
        let keys = app.store.signing_keys().await.unwrap();
        assert_eq!(keys.len(), 1, "round {round}: {keys:?}");
        assert!(
            kids.iter().all(|k| *k == keys[0].kid),
            "round {round}: {kids:?}"
        );
    }
}

/// Empties the keys table, as on a database no node has started on yet.
async fn wipe_keys(app: &TestApp) {
    match app.engine {
        wink_store::Engine::Sqlite => {
            let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query("DELETE FROM signing_keys")
                .execute(&mut c)
                .await
                .unwrap();
        }
        wink_store::Engine::Postgres => {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(&app.url)
                .await
                .unwrap();
            sqlx::query("DELETE FROM signing_keys")
                .execute(&mut c)
                .await
                .unwrap();
        }
    }
}

async fn a_key_made_by_another_node_is_picked_up_within_the_reload_interval(app: TestApp) {
    let every = Duration::from_millis(100);
    let config = ApiConfig {
        key_reload_interval: every,
        ..Default::default()
    };
    let here = node(&app, config.clone()).await.unwrap();
    let first = here.state.tokens.signing_kid().unwrap();

    // "Another node" rotates through the store.
    let rotated = signing_keys::rotate(&app.store, None).await.unwrap();
    let started = Instant::now();
    while here.state.tokens.signing_kid().as_deref() != Some(rotated.as_str()) {
        assert!(
            started.elapsed() < every * 20,
            "not reloaded after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(every / 4).await;
    }
    let jwks = here.state.tokens.jwks();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert!(kids.contains(&first.as_str()) && kids.contains(&rotated.as_str()));
}

async fn a_token_of_an_unknown_kid_reloads_once_at_most(app: TestApp) {
    // Both nodes reload rarely: only a token's unknown kid makes this one look.
    let config = ApiConfig {
        key_reload_interval: Duration::from_secs(3600),
        ..Default::default()
    };
    let here = node(&app, config.clone()).await.unwrap();
    let there = node(&app, config).await.unwrap();
    let p = app.persona(&[]).await;
    let issue = |node: &App| {
        node.state
            .tokens
            .issue(p.client_id, p.account_id, "inventory.read", token_time())
            .unwrap()
            .0
    };

    let second = signing_keys::rotate(&app.store, None).await.unwrap();
    there.state.tokens.reload().await.unwrap();
    let token = issue(&there);
    assert_eq!(kid_of(&token), second);
    assert!(here.state.tokens.verify(&token).await.is_some());
    assert_eq!(here.state.tokens.signing_kid(), Some(second));

    // Another key at once: within the rate limit this node does not look again.
    let third = signing_keys::rotate(&app.store, None).await.unwrap();
    there.state.tokens.reload().await.unwrap();
    let token = issue(&there);
    assert_eq!(kid_of(&token), third);
    assert!(here.state.tokens.verify(&token).await.is_none());
    tokio::time::sleep(wink_api::auth::token::UNKNOWN_KID_RELOAD_EVERY).await;
    assert!(here.state.tokens.verify(&token).await.is_some());
}

on_both_engines!(
    rotation_signs_with_the_new_key_and_old_tokens_still_verify,
    a_retired_key_stops_signing_and_verifies_until_its_tokens_expired,
    private_keys_are_encrypted_at_rest_with_a_key_encryption_key,
    a_wrong_key_encryption_key_is_an_error_on_load,
    concurrent_first_boot_creates_exactly_one_key,
    a_key_made_by_another_node_is_picked_up_within_the_reload_interval,
    a_token_of_an_unknown_kid_reloads_once_at_most,
);
