//! Settings, layered: built-in defaults, then the config file (`--config`/`WINK_CONFIG`), then
//! `WINK_*` environment variables, then command-line flags (clap reads flags and environment
//! together, flags first).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use wink_api::ApiConfig;
use wink_api::auth::KeyEncryptionKey;
use wink_api::auth::limits::AuthLimitsConfig;
use wink_api::writing::WritingConfig;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/wink-supplier.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS: u64 = 30;
/// A secret is read from the environment rather than a flag, where any user could see it in
/// the process list.
pub const KEY_ENCRYPTION_KEY_VAR: &str = "WINK_KEY_ENCRYPTION_KEY";

/// The config file: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub max_connections: Option<u32>,
    pub token_ttl_seconds: Option<i64>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub public_url: Option<String>,
    pub request_timeout_seconds: Option<u64>,
    pub body_limit_bytes: Option<usize>,
    /// ISO 4217 accounting currency of the offers' `internal…` amounts (default EUR).
    pub internal_currency: Option<String>,
    /// Encrypts the token-signing keys at rest: 32 bytes in base64 (`WINK_KEY_ENCRYPTION_KEY`
    /// wins over the file). Redacted in `Debug`.
    pub key_encryption_key: Option<KeyEncryptionKey>,
    /// How often each node re-reads the signing keys (default 1).
    pub key_reload_seconds: Option<u64>,
    /// Days before / after today at a property that requests may name (default 366 / 1096).
    pub date_window_past_days: Option<u32>,
    pub date_window_future_days: Option<u32>,
    /// `[auth_limits]`: failed-authentication limits and the secret-verification queue.
    pub auth_limits: Option<AuthLimitsConfig>,
    /// `[writing]`: an OpenAI-compatible chat-completions endpoint behind the writing help
    /// (`url`, `model`, `api_key_env`, `timeout_seconds`); none: the deterministic writer.
    pub writing: Option<WritingConfig>,
    /// How long a stopping server lets requests in flight finish (default 30).
    pub shutdown_timeout_seconds: Option<u64>,
    /// `[metrics]`: the Prometheus endpoint (off unless `listen` is set).
    pub metrics: Option<MetricsConfig>,
    /// `[media]`: where media files go (a folder or an S3-compatible bucket) and their limits.
    pub media: Option<wink_api::media::MediaConfig>,
    /// Folders of fonts for the characters the bundled ones lack (default: the system's font
    /// folders, such as /usr/share/fonts).
    pub font_dirs: Option<Vec<PathBuf>>,
    /// `[webhooks]`: `allow_private` (false), `timeout_seconds` (10), `rotation_overlap_hours` (24).
    pub webhooks: Option<wink_api::outbound::WebhooksConfig>,
    /// `[outbox]`: `max_attempts` (10), `backoff_base_ms` (5000), `backoff_cap_seconds` (3600),
    /// `poll_interval_ms` (1000), `batch` (32).
    pub outbox: Option<wink_api::outbound::OutboxConfig>,
    /// `[events]`: `retention_days` (30).
    pub events: Option<wink_api::outbound::EventsConfig>,
    /// `[smtp]`: the relay mail leaves through (`host`, `port`, `tls`, `username`, `password`,
    /// `from`, `reply_to`, `ca_file`, `timeout_seconds`); none: no mail is sent. The password
    /// also comes from `WINK_SMTP_PASSWORD`, which wins. Redacted in `Debug`.
    pub smtp: Option<wink_api::mail::MailConfig>,
}

/// `[metrics]` of the config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Address of the listener serving `GET /metrics` (e.g. `127.0.0.1:9464`), apart from the
    /// API's; metrics are off without it.
    pub listen: Option<String>,
}

impl FileConfig {
    /// The file at `path` (none: every key unset), with the secrets given in the environment.
    pub fn load(path: Option<&PathBuf>) -> anyhow::Result<FileConfig> {
        let mut config = match path {
            None => FileConfig::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading config file {}: {e}", path.display()))?;
                toml::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("config file {}: {e}", path.display()))?
            }
        };
        if let Ok(value) = std::env::var(KEY_ENCRYPTION_KEY_VAR) {
            config.key_encryption_key = Some(
                value
                    .parse()
                    .map_err(|e| anyhow::anyhow!("{KEY_ENCRYPTION_KEY_VAR}: {e}"))?,
            );
        }
        let password = std::env::var(wink_api::mail::config::PASSWORD_VAR).ok();
        config.smtp = config.smtp.map(|smtp| smtp.with_password_from(password));
        Ok(config)
    }
}

/// The database URL; its password never appears in logs or `Debug` output.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Everything `serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub database_url: DatabaseUrl,
    pub listen: String,
    pub max_connections: u32,
    pub api: ApiConfig,
    /// How long a stopping server lets requests in flight finish.
    pub shutdown_timeout: Duration,
    /// Where `GET /metrics` is served; none: metrics are off.
    pub metrics_listen: Option<String>,
}

impl ServeConfig {
    pub fn resolve(
        file: FileConfig,
        database_url: Option<String>,
        listen: Option<String>,
    ) -> ServeConfig {
        let defaults = ApiConfig::default();
        let metrics_listen = file.metrics.and_then(|m| m.listen);
        let database_url = database_url
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        ServeConfig {
            shutdown_timeout: Duration::from_secs(
                file.shutdown_timeout_seconds
                    .unwrap_or(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS),
            ),
            database_url: DatabaseUrl(database_url.clone()),
            listen: listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.into()),
            max_connections: file.max_connections.unwrap_or(16),
            api: ApiConfig {
                issuer: file.issuer.unwrap_or(defaults.issuer),
                audience: file.audience.unwrap_or(defaults.audience),
                token_ttl_seconds: file.token_ttl_seconds.unwrap_or(defaults.token_ttl_seconds),
                request_timeout: file
                    .request_timeout_seconds
                    .map(Duration::from_secs)
                    .unwrap_or(defaults.request_timeout),
                body_limit_bytes: file.body_limit_bytes.unwrap_or(defaults.body_limit_bytes),
                public_url: file.public_url.or(defaults.public_url),
                // Known once `serve` has bound the listener.
                listen_address: None,
                internal_currency: file.internal_currency.unwrap_or(defaults.internal_currency),
                key_encryption_key: file.key_encryption_key,
                key_reload_interval: file
                    .key_reload_seconds
                    .map(|s| Duration::from_secs(s.max(1)))
                    .unwrap_or(defaults.key_reload_interval),
                date_window_past_days: file
                    .date_window_past_days
                    .unwrap_or(defaults.date_window_past_days),
                date_window_future_days: file
                    .date_window_future_days
                    .unwrap_or(defaults.date_window_future_days),
                auth_limits: file.auth_limits.unwrap_or(defaults.auth_limits),
                writing: file.writing.or(defaults.writing),
                metrics: metrics_listen.is_some(),
                font_dirs: file.font_dirs.unwrap_or(defaults.font_dirs),
                media: media_config(file.media.unwrap_or(defaults.media), &database_url),
                webhooks: file.webhooks.unwrap_or(defaults.webhooks),
                outbox: file.outbox.unwrap_or(defaults.outbox),
                events: file.events.unwrap_or(defaults.events),
                smtp: file.smtp.or(defaults.smtp),
            },
            metrics_listen,
        }
    }
}

/// Media files of the folder backend go beside the SQLite database (`data/media` by default),
/// unless `[media] directory` says otherwise.
fn media_config(
    mut media: wink_api::media::MediaConfig,
    database_url: &str,
) -> wink_api::media::MediaConfig {
    if media.directory.is_none() {
        let file = database_url
            .strip_prefix("sqlite://")
            .or_else(|| database_url.strip_prefix("sqlite:"))
            .map(|p| p.split('?').next().unwrap_or(p));
        let beside = file
            .and_then(|f| std::path::Path::new(f).parent().map(|d| d.join("media")))
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("data/media"));
        media.directory = Some(beside);
    }
    media
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/wink"),
            "postgres://app:***@db:5432/wink"
        );
        assert_eq!(redact("postgres://app@db/wink"), "postgres://app@db/wink");
        assert_eq!(
            format!("{:?}", DatabaseUrl("postgres://a:b@h/d".into())),
            "postgres://a:***@h/d"
        );
    }

    #[test]
    fn flags_and_env_win_over_the_file() {
        let file = FileConfig {
            database_url: Some("sqlite://file.db".into()),
            listen: Some("0.0.0.0:1".into()),
            token_ttl_seconds: Some(60),
            ..Default::default()
        };
        let c = ServeConfig::resolve(file, Some("postgres://x@y/z".into()), None);
        assert_eq!(c.database_url.0, "postgres://x@y/z");
        assert_eq!(c.listen, "0.0.0.0:1");
        assert_eq!(c.api.token_ttl_seconds, 60);
        assert_eq!(c.api.internal_currency, "EUR");
    }

    #[test]
    fn the_key_encryption_key_comes_from_the_file_and_never_shows() {
        let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        let file: FileConfig = toml::from_str(&format!(
            "key_encryption_key = \"{secret}\"\nkey_reload_seconds = 3"
        ))
        .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert!(c.api.key_encryption_key.is_some());
        assert_eq!(c.api.key_reload_interval, Duration::from_secs(3));
        let shown = format!("{c:?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("KeyEncryptionKey(***)"));
        let err = toml::from_str::<FileConfig>("key_encryption_key = \"c2hvcnQ=\"").unwrap_err();
        assert!(err.to_string().contains("32 bytes"), "{err}");
    }

    #[test]
    fn the_date_window_comes_from_the_file() {
        let file: FileConfig =
            toml::from_str("date_window_past_days = 30\ndate_window_future_days = 400").unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert_eq!(c.api.date_window_past_days, 30);
        assert_eq!(c.api.date_window_future_days, 400);
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert_eq!(c.api.date_window_past_days, 366);
        assert_eq!(c.api.date_window_future_days, 1096);
    }

    #[test]
    fn shutdown_and_metrics_come_from_the_file() {
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert_eq!(c.shutdown_timeout, Duration::from_secs(30));
        assert_eq!(c.metrics_listen, None);
        assert!(!c.api.metrics);
        let file: FileConfig =
            toml::from_str("shutdown_timeout_seconds = 5\n[metrics]\nlisten = \"127.0.0.1:9464\"")
                .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert_eq!(c.shutdown_timeout, Duration::from_secs(5));
        assert_eq!(c.metrics_listen.as_deref(), Some("127.0.0.1:9464"));
        assert!(c.api.metrics);
        assert!(toml::from_str::<FileConfig>("[metrics]\nport = 1").is_err());
    }

    #[test]
    fn outbound_settings_come_from_the_file_tables() {
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert!(!c.api.webhooks.allow_private);
        assert_eq!(c.api.webhooks.timeout_seconds, 10);
        assert_eq!(c.api.outbox.max_attempts, 10);
        assert_eq!(c.api.events.retention_days, 30);
        let file: FileConfig = toml::from_str(
            "[webhooks]\nallow_private = true\n[outbox]\nmax_attempts = 3\n[events]\nretention_days = 7",
        )
        .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert!(c.api.webhooks.allow_private);
        assert_eq!(c.api.webhooks.rotation_overlap_hours, 24);
        assert_eq!(c.api.outbox.max_attempts, 3);
        assert_eq!(c.api.outbox.backoff_base_ms, 5000);
        assert_eq!(c.api.events.retention_days, 7);
        assert!(toml::from_str::<FileConfig>("[outbox]\nattempts = 3").is_err());
    }

    #[test]
    fn the_internal_currency_comes_from_the_file() {
        let file: FileConfig = toml::from_str("internal_currency = \"USD\"").unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert_eq!(c.api.internal_currency, "USD");
    }

    #[test]
    fn the_writing_endpoint_comes_from_the_file_table() {
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert_eq!(c.api.writing, None);
        let file: FileConfig = toml::from_str(
            "[writing]\nurl = \"http://127.0.0.1:11434/v1/chat/completions\"\nmodel = \"m\"\napi_key_env = \"WINK_WRITING_KEY\"",
        )
        .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        let writing = c.api.writing.unwrap();
        assert_eq!(writing.model, "m");
        assert_eq!(writing.api_key_env.as_deref(), Some("WINK_WRITING_KEY"));
        assert_eq!(writing.timeout_seconds, 10);
        assert!(toml::from_str::<FileConfig>("[writing]\nurl = \"http://x\"").is_err());
        assert!(
            toml::from_str::<FileConfig>(
                "[writing]\nurl = \"http://x\"\nmodel = \"m\"\nkey = \"k\""
            )
            .is_err()
        );
    }

    #[test]
    fn smtp_comes_from_the_file_table_and_its_password_never_shows() {
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert_eq!(c.api.smtp, None);
        let file: FileConfig = toml::from_str(
            "[smtp]\nhost = \"mail.example.com\"\nusername = \"wink\"\npassword = \"s3cret\"\nfrom = \"Bookings <bookings@example.com>\"",
        )
        .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        let smtp = c.api.smtp.clone().unwrap();
        assert_eq!(smtp.tls, wink_api::mail::TlsMode::Starttls);
        assert_eq!(smtp.port(), 587);
        assert_eq!(smtp.timeout_seconds, 30);
        assert!(!format!("{c:?}").contains("s3cret"));
        let env = smtp.with_password_from(Some("from-env".into()));
        assert_eq!(env.password.map(|p| p.0).as_deref(), Some("from-env"));
        let tls: FileConfig = toml::from_str(
            "[smtp]\nhost = \"h\"\ntls = \"tls\"\nport = 2465\nfrom = \"a@b.example\"",
        )
        .unwrap();
        let smtp = tls.smtp.unwrap();
        assert_eq!(
            (smtp.tls, smtp.port()),
            (wink_api::mail::TlsMode::Tls, 2465)
        );
        assert!(
            toml::from_str::<FileConfig>(
                "[smtp]\nhost = \"h\"\nfrom = \"a@b.example\"\ntls = \"ssl\""
            )
            .is_err()
        );
        assert!(toml::from_str::<FileConfig>("[smtp]\nhost = \"h\"").is_err());
    }

    #[test]
    fn auth_limits_come_from_the_file_table() {
        let c = ServeConfig::resolve(FileConfig::default(), None, None);
        assert_eq!(c.api.auth_limits, AuthLimitsConfig::default());
        let file: FileConfig = toml::from_str(
            "[auth_limits]\nfailures_per_client = 3\ntrusted_proxies = [\"10.0.0.0/8\", \"::1\"]",
        )
        .unwrap();
        let c = ServeConfig::resolve(file, None, None);
        assert_eq!(c.api.auth_limits.failures_per_client, 3);
        assert_eq!(c.api.auth_limits.failures_per_address, 30);
        assert_eq!(c.api.auth_limits.trusted_proxies.len(), 2);
        let bad = toml::from_str::<FileConfig>("[auth_limits]\ntrusted_proxies = [\"proxy\"]");
        assert!(bad.unwrap_err().to_string().contains("CIDR"));
        assert!(toml::from_str::<FileConfig>("[auth_limits]\nfailures = 3").is_err());
    }
}
