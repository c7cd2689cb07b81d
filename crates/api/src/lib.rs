//! The HTTP API of wink-supplier.
//!
//! A request's way: [`router::app`]'s layers (request id, access log, panic guard, timeout,
//! `Wink-Version`, compression) → [`auth::require_token`] (bearer JWT, the operation's scope from
//! the contract's table) → the handler, whose [`auth::PropertyContext`] checks the property in the
//! path against the caller's account → [`validation::ValidJson`] for the body → domain rules →
//! store → wire type. Every error is an [`error::ApiError`], answered as problem details.

pub mod auth;
pub mod clock;
pub mod dates;
pub mod error;
pub mod extract;
pub mod fonts;
pub mod fx;
pub mod grid;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod outbound;
pub mod request_id;
pub mod response;
pub mod router;
pub mod server;
pub mod state;
pub mod validation;
pub mod writing;

mod csv_safety;
pub mod mail;
mod markup;
pub mod media;
mod middleware;
pub mod reference_page;
mod root;
mod system;

mod bookings;
mod distribution;
mod experiences;
mod facilities;
mod inventory;
mod monetization;
mod offers;
mod property;

use std::sync::Arc;

use axum::Router;
use serde_json::Value;
use wink_store::Store;

pub use state::{ApiConfig, AppState};

/// A ready-to-serve application.
pub struct App {
    pub router: Router,
    pub state: AppState,
    /// The published OpenAPI document.
    pub openapi: Arc<Value>,
}

/// Assembles the application on an opened (and migrated) store, on the system's clock.
pub async fn build(store: Store, config: ApiConfig) -> anyhow::Result<App> {
    build_with_clock(store, config, Arc::new(clock::SystemClock)).await
}

/// Assembles the application on `clock` (tests put the server at a chosen instant).
pub async fn build_with_clock(
    store: Store,
    config: ApiConfig,
    clock: Arc<dyn clock::Clock>,
) -> anyhow::Result<App> {
    let tokens = auth::TokenAuthority::load(&store, &config)
        .await
        .map_err(|e| anyhow::anyhow!("loading the signing keys: {e}"))?;
    let tokens = Arc::new(tokens);
    tokens.spawn_reloader();
    let (api, api_doc) = router::api().split_for_parts();
    let (oauth, oauth_doc) = router::without_token().split_for_parts();
    let mut doc = api_doc;
    doc.merge(oauth_doc);
    let doc = Arc::new(openapi::document(doc));
    let validators = validation::Validators::from_openapi(&doc).map_err(|e| anyhow::anyhow!(e))?;
    let fx = fx::FxRates::new(&config.internal_currency).map_err(|e| anyhow::anyhow!(e))?;
    let hash_key = auth::secret::HashKey::load(&store, config.key_encryption_key.as_ref())
        .await
        .map_err(|e| anyhow::anyhow!("loading the secret-hashing key: {e}"))?;
    let hash_key = Arc::new(hash_key);
    let auth_limits = auth::limits::AuthLimits::new(&config.auth_limits, hash_key.clone());
    let auth_cache = auth::cache::AuthCache::start(&store).await;
    let writer = writing::Writer::new(config.writing.as_ref()).map_err(|e| anyhow::anyhow!(e))?;
    let fonts = Arc::new(fonts::Fonts::new(config.font_dirs.clone()));
    let media = media::MediaStorage::open(&config.media)?;
    let mailer = config
        .smtp
        .as_ref()
        .map(mail::Mailer::new)
        .transpose()
        .map_err(|e| anyhow::anyhow!(e))?
        .map(|m| Arc::new(m) as Arc<dyn outbound::MailSender>);
    let state = AppState {
        store,
        tokens,
        validators: Arc::new(validators),
        config: Arc::new(config),
        fx: Arc::new(fx),
        auth_cache,
        hash_key,
        auth_limits: Arc::new(auth_limits),
        clock,
        writer: Arc::new(writer),
        metrics: Arc::new(metrics::Metrics::new(&doc)),
        shutdown: server::Shutdown::default(),
        fonts,
        media,
        mailer,
    };
    let router = router::app(state.clone(), api, oauth, doc.clone());
    Ok(App {
        router,
        state,
        openapi: doc,
    })
}

/// The OpenAPI document alone, without a database (for `wink-supplier openapi` and the snapshot).
pub fn openapi_document() -> Value {
    let (_, mut doc) = router::api().split_for_parts();
    let (_, oauth_doc) = router::without_token().split_for_parts();
    doc.merge(oauth_doc);
    openapi::document(doc)
}
