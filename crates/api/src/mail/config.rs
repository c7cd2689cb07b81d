//! `[smtp]` of the config file: the relay the server hands its mail to.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

/// The environment variable that holds the relay's password; it wins over the file's
/// `password` (a secret kept out of a file that may be shared or checked in).
pub const PASSWORD_VAR: &str = "WINK_SMTP_PASSWORD";

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain text (a relay on the same host or network only); port 25 by default.
    None,
    /// Plain text upgraded with STARTTLS, refused if the relay does not offer it; port 587.
    #[default]
    Starttls,
    /// TLS from the first byte ("implicit TLS", SMTPS); port 465.
    Tls,
}

impl TlsMode {
    pub fn default_port(self) -> u16 {
        match self {
            TlsMode::None => 25,
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
        }
    }
}

/// A password; never shown in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Password(pub String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The config file's `[smtp]` table. Without it the server sends no mail and the outbox keeps
/// every notification.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The relay's host name (checked against its certificate with TLS).
    pub host: String,
    /// The relay's port; by default the one of `tls` (25, 587 or 465).
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub tls: TlsMode,
    /// The user to authenticate as (PLAIN or LOGIN, whichever the relay offers); none: no
    /// authentication.
    #[serde(default)]
    pub username: Option<String>,
    /// The user's password (`WINK_SMTP_PASSWORD` wins over it).
    #[serde(default)]
    pub password: Option<Password>,
    /// The sender of every mail, e.g. `Sunrise Hotels <bookings@sunrise.example>`.
    pub from: String,
    /// Where replies go when the mail names nobody better (a booking's mails reply to the
    /// property's reservations e-mail, an invitation to the address that sent it).
    #[serde(default)]
    pub reply_to: Option<String>,
    /// A PEM file of the certificate authority that signed the relay's certificate, trusted
    /// beside the public ones (a relay inside a company's network).
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// How long one exchange with the relay may take before the delivery is retried later.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_timeout() -> u64 {
    30
}

impl MailConfig {
    /// The port connected to: `port`, else the TLS mode's.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(self.tls.default_port())
    }

    /// This configuration with the password of `PASSWORD_VAR` when `value` holds one.
    pub fn with_password_from(mut self, value: Option<String>) -> MailConfig {
        if let Some(password) = value.filter(|p| !p.is_empty()) {
            self.password = Some(Password(password));
        }
        self
    }
}
