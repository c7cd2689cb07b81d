use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use wink_store::Store;

use crate::auth::TokenAuthority;
use crate::validation::Validators;

/// Settings of the HTTP API (the CLI fills them from flags, environment and config file).
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `iss` of the access tokens.
    pub issuer: String,
    /// `aud` of the access tokens: a token for another audience is refused.
    pub audience: String,
    pub token_ttl_seconds: i64,
    /// A request that takes longer is answered 503 (and its transaction rolled back).
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit_bytes: usize,
    /// The URL clients reach this server at (for discovery documents and links); when unset,
    /// `http://` and the listen address. Never taken from a request's Host header, which the
    /// caller writes.
    pub public_url: Option<String>,
    /// The address the server listens on (the CLI sets it once bound).
    pub listen_address: Option<SocketAddr>,
    /// The accounting currency offers also show their amounts in (`internal…` fields), an ISO 4217
    /// code; EUR unless configured.
    pub internal_currency: String,
    /// Encrypts the signing keys' private halves at rest; without it they are stored in clear.
    pub key_encryption_key: Option<crate::auth::KeyEncryptionKey>,
    /// How often each node re-reads the signing keys (a rotation or retirement elsewhere takes
    /// effect here within this time).
    pub key_reload_interval: Duration,
    /// How many days before today at the property a request may name a date (see
    /// `wink_domain::date_window`); an earlier date is a 400 naming its field.
    pub date_window_past_days: u32,
    /// How many days after today at the property a request may name a date.
    pub date_window_future_days: u32,
    /// Limits on failed authentications and on secret verifications in progress.
    pub auth_limits: crate::auth::limits::AuthLimitsConfig,
    /// The optional language model behind the writing help (none: the deterministic writer).
    pub writing: Option<crate::writing::WritingConfig>,
    /// Whether requests are timed for the metrics (see [`crate::metrics`]); off by default.
    pub metrics: bool,
    /// Folders searched (recursively, in this order) for fonts that have the characters the
    /// bundled ones lack (CJK...), in documents such as the booking confirmation PDF.
    pub font_dirs: Vec<std::path::PathBuf>,
    /// Where media files go and how large they may be (`[media]`).
    pub media: crate::media::MediaConfig,
    /// Webhook deliveries: private addresses, timeout, secret rotation (`[webhooks]`).
    pub webhooks: crate::outbound::WebhooksConfig,
    /// The delivery worker's retries and polling (`[outbox]`).
    pub outbox: crate::outbound::OutboxConfig,
    /// The event feed's retention (`[events]`).
    pub events: crate::outbound::EventsConfig,
    /// The SMTP relay mail leaves through (`[smtp]`); none: no mail is sent, the outbox keeps
    /// the notifications.
    pub smtp: Option<crate::mail::MailConfig>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            issuer: "wink-supplier".into(),
            audience: "wink-supplier-api".into(),
            token_ttl_seconds: 900,
            request_timeout: Duration::from_secs(30),
            body_limit_bytes: 2 * 1024 * 1024,
            public_url: None,
            listen_address: None,
            internal_currency: wink_domain::fx::DEFAULT_INTERNAL_CURRENCY.into(),
            key_encryption_key: None,
            key_reload_interval: Duration::from_secs(1),
            date_window_past_days: wink_domain::date_window::DEFAULT_DAYS_BACK,
            date_window_future_days: wink_domain::date_window::DEFAULT_DAYS_AHEAD,
            auth_limits: Default::default(),
            writing: None,
            metrics: false,
            font_dirs: crate::fonts::system_font_dirs(),
            media: Default::default(),
            webhooks: Default::default(),
            outbox: Default::default(),
            events: Default::default(),
            smtp: None,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub tokens: Arc<TokenAuthority>,
    pub validators: Arc<Validators>,
    pub config: Arc<ApiConfig>,
    /// The internal currency and the newest exchange rates loaded (cached, see `fx`).
    pub fx: Arc<crate::fx::FxRates>,
    /// This node's answers to "is this token usable", "whose is this property" (see
    /// [`crate::auth::cache`]).
    pub auth_cache: Arc<crate::auth::cache::AuthCache>,
    /// The deployment's key for hashing client secrets and passkeys.
    pub hash_key: Arc<crate::auth::secret::HashKey>,
    /// This node's failed-authentication counts and secret-verification queue.
    pub auth_limits: Arc<crate::auth::limits::AuthLimits>,
    /// Where handlers get the current time (see [`crate::clock`]).
    pub clock: Arc<dyn crate::clock::Clock>,
    /// Writes the writing help's suggestions (see [`crate::writing`]).
    pub writer: Arc<crate::writing::Writer>,
    /// This node's counters and histograms (see [`crate::metrics`]).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The server's shutdown, for work that must end cleanly when it stops (see
    /// [`crate::server`]).
    pub shutdown: crate::server::Shutdown,
    /// The fonts documents are set in (bundled, then `font_dirs`).
    pub fonts: Arc<crate::fonts::Fonts>,
    /// Where media files' bytes live (see [`crate::media::storage`]).
    pub media: crate::media::MediaStorage,
    /// Sends the notification outbox's e-mails (see [`crate::outbound::MailSender`]); none: they
    /// stay in the outbox.
    pub mailer: Option<Arc<dyn crate::outbound::MailSender>>,
}

impl AppState {
    /// The current instant, at the precision both engines store (see [`wink_store::now`]).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        wink_store::stored_precision(self.clock.now())
    }

    /// Today's date at `property`.
    pub fn today_at(&self, property: &wink_store::properties::PropertyRef) -> chrono::NaiveDate {
        self.today_in(crate::dates::zone(property))
    }

    /// Today's date in `zone`.
    pub fn today_in(&self, zone: chrono_tz::Tz) -> chrono::NaiveDate {
        self.clock.now().with_timezone(&zone).date_naive()
    }

    /// The dates a request about `property` may name: the configured window around its today.
    pub fn date_window(
        &self,
        property: &wink_store::properties::PropertyRef,
    ) -> wink_domain::DateWindow {
        crate::dates::window(&self.config, self.today_at(property))
    }

    /// The base URL of this server, without a trailing slash: `public_url`, else the listen
    /// address (`localhost` for a wildcard address such as 0.0.0.0).
    pub fn public_base_url(&self) -> String {
        if let Some(url) = &self.config.public_url {
            return url.trim_end_matches('/').to_string();
        }
        match self.config.listen_address {
            Some(address) if address.ip().is_unspecified() => {
                format!("http://localhost:{}", address.port())
            }
            Some(address) => format!("http://{address}"),
            None => "http://localhost".into(),
        }
    }
}
