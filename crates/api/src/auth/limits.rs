//! Limits on the endpoints that check a secret before anyone is authenticated: the OAuth 2.0
//! token, introspection and revocation endpoints (client secrets) and the calendar feed
//! (passkeys). A keyed hash costs a microsecond, but guessing must stay slow, and a secret still
//! under an earlier version's Argon2 hash costs tens of milliseconds of a core (and 19 MiB) per
//! check: without limits anyone could keep the server's cores busy.
//!
//! - Failed authentications count against the client (the client id, or the feed's property) and
//!   against the caller's address ([`wink_domain::throttle`]); a caller over either limit is
//!   answered 429 with `Retry-After` before any lookup or hash. Limits are per node, in memory.
//! - Verification waits in a bounded queue ([`secret::Verifier`]): a full queue, or no permit
//!   within a short bound, is answered 503 with `Retry-After` at once.
//! - An unknown client costs no hash at all (see [`secret::Verifier::verify`]).
//!
//! The address is the TCP peer's. `X-Forwarded-For` is read only when the peer is one of the
//! configured trusted proxies; otherwise anyone could name any address and escape the limit.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderName;
use axum::http::request::Parts;
use ipnet::IpNet;
use serde::Deserialize;
use uuid::Uuid;
use wink_domain::throttle::{FailureLimiter, Limit, Recorded};

use super::secret::{Busy, HashKey, Verified, Verifier};
use crate::state::AppState;

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The limits' settings (config file table `[auth_limits]`, every key optional).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthLimitsConfig {
    /// Failed authentications one client (or one calendar feed) may have per window.
    pub failures_per_client: u32,
    /// Failed authentications one address may have per window.
    pub failures_per_address: u32,
    pub window_seconds: u64,
    /// Keys (clients, addresses) each table tracks at most.
    pub max_tracked_keys: usize,
    /// Secret verifications waiting or running at most; more are answered 503 at once.
    pub verify_queue: usize,
    /// The longest a verification waits for a core before it is answered 503.
    pub verify_wait_ms: u64,
    /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<TrustedProxy>,
}

impl Default for AuthLimitsConfig {
    fn default() -> Self {
        AuthLimitsConfig {
            failures_per_client: 10,
            failures_per_address: 30,
            window_seconds: 60,
            max_tracked_keys: 100_000,
            verify_queue: 32,
            verify_wait_ms: 1_000,
            trusted_proxies: Vec::new(),
        }
    }
}

/// An address or range of a proxy in front of the server (`10.0.0.0/8`, `192.0.2.7`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TrustedProxy(pub IpNet);

impl FromStr for TrustedProxy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        IpNet::from_str(text)
            .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
            .map(TrustedProxy)
            .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range"))
    }
}

impl TryFrom<String> for TrustedProxy {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        text.parse()
    }
}

/// Who a secret claims to belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An OAuth client id.
    Client(Uuid),
    /// A property's calendar feed.
    CalendarFeed(Uuid),
}

/// The caller's address, as far as it can be known: the TCP peer, or the client a trusted proxy
/// names. `None` without either (in-process requests): all such callers share one limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        let trusted = &state.config.auth_limits.trusted_proxies;
        let forwarded = parts
            .headers
            .get_all(&X_FORWARDED_FOR)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        Ok(ClientAddress(
            peer.map(|peer| client_of(peer, &forwarded, trusted)),
        ))
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the nearest
/// `X-Forwarded-For` hop that is not a trusted proxy (hops are appended, so the right end is
/// nearest; entries left of an untrusted hop could be forged by it).
fn client_of(peer: IpAddr, forwarded: &[&str], trusted: &[TrustedProxy]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|t| t.0.contains(ip));
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    client
}

/// The key an address is limited by: IPv4 as is, IPv6 by its /64 (one host's allocation; an
/// attacker has a whole /64 to pick from).
fn address_key(address: ClientAddress) -> Option<IpAddr> {
    address.0.map(|ip| match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mask = u128::MAX << 64;
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
            }
        },
        v4 => v4,
    })
}

/// Why a secret was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Too many failed authentications for the client or the address: retry after this long.
    TooMany(Duration),
    /// Too many verifications in progress on this node: retry shortly.
    Busy,
}

impl Refused {
    /// `Retry-After` in whole seconds, at least 1.
    pub fn retry_after_secs(&self) -> u64 {
        match self {
            Refused::TooMany(wait) => wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            Refused::Busy => 1,
        }
        .max(1)
    }
}

/// The limits of one server.
#[derive(Debug)]
pub struct AuthLimits {
    by_subject: Mutex<FailureLimiter<Subject>>,
    by_address: Mutex<FailureLimiter<Option<IpAddr>>>,
    verifier: Verifier,
    /// Whether a full table was reported since it last had room (one warning per episode).
    full_reported: AtomicBool,
}

impl AuthLimits {
    pub fn new(config: &AuthLimitsConfig, key: std::sync::Arc<HashKey>) -> AuthLimits {
        let window = Duration::from_secs(config.window_seconds.max(1));
        let limit = |failures| Limit { failures, window };
        let capacity = config.max_tracked_keys;
        AuthLimits {
            by_subject: Mutex::new(FailureLimiter::new(
                limit(config.failures_per_client),
                capacity,
            )),
            by_address: Mutex::new(FailureLimiter::new(
                limit(config.failures_per_address),
                capacity,
            )),
            verifier: Verifier::new(
                key,
                config.verify_queue,
                Duration::from_millis(config.verify_wait_ms),
            ),
            full_reported: AtomicBool::new(false),
        }
    }

    pub fn verifier(&self) -> &Verifier {
        &self.verifier
    }

    /// Admits an authentication attempt of `subject` (when the caller named a well-formed one)
    /// from `address`, or says how long to wait. Call before looking anything up. The attempt
    /// counts as a failure from now on, until it succeeds: concurrent attempts cannot all slip in
    /// before the first one fails.
    pub fn attempt(
        &self,
        subject: Option<Subject>,
        address: ClientAddress,
    ) -> Result<Attempt<'_>, Refused> {
        let now = Instant::now();
        let address = address_key(address);
        // Always subject, then address: one lock order.
        let mut by_subject = lock(&self.by_subject);
        let mut by_address = lock(&self.by_address);
        let wait = subject
            .and_then(|s| by_subject.retry_after(&s, now))
            .max(by_address.retry_after(&address, now));
        if let Some(wait) = wait {
            return Err(Refused::TooMany(wait));
        }
        let mut outcomes = vec![by_address.record_failure(&address, now)];
        if let Some(subject) = subject {
            outcomes.push(by_subject.record_failure(&subject, now));
        }
        drop((by_subject, by_address));
        self.report_full(outcomes.contains(&Recorded::Untracked));
        Ok(Attempt {
            limits: self,
            subject,
            address,
        })
    }

    /// Takes back an attempt's failure: it succeeded, or was never tried.
    fn refund(&self, subject: Option<Subject>, address: Option<IpAddr>) {
        let now = Instant::now();
        if let Some(subject) = subject {
            lock(&self.by_subject).refund(&subject, now);
        }
        lock(&self.by_address).refund(&address, now);
    }

    fn report_full(&self, full: bool) {
        if !full {
            self.full_reported.store(false, Ordering::Relaxed);
        } else if !self.full_reported.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "authentication limits: a table is full of limited keys; new keys are not \
                 limited until room is made (raise auth_limits.max_tracked_keys?)"
            );
        }
    }
}

/// The limiters stay usable if a thread panicked holding one: their state is a map of instants,
/// never left half-updated.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An admitted attempt, counted as a failure unless it succeeds. Dropped unfinished (the client
/// went away during the verification, storage failed) it stays counted: its cost was paid.
#[derive(Debug)]
pub struct Attempt<'a> {
    limits: &'a AuthLimits,
    subject: Option<Subject>,
    address: Option<IpAddr>,
}

impl Attempt<'_> {
    /// Whether `secret` matches `stored` (`None`: nothing to match, nothing computed). Only a
    /// mismatch stays counted against the client and the address.
    pub async fn verify(self, secret: &str, stored: Option<&str>) -> Result<Verified, Refused> {
        match self.limits.verifier.verify(secret, stored).await {
            Ok(Verified::No) => Ok(Verified::No),
            Ok(found) => {
                self.limits.refund(self.subject, self.address);
                Ok(found)
            }
            Err(Busy) => {
                self.limits.refund(self.subject, self.address);
                Err(Refused::Busy)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies() {
        let trusted = vec!["10.0.0.0/8".parse().unwrap(), "192.0.2.7".parse().unwrap()];
        // Not a trusted peer: its header is ignored.
        assert_eq!(
            client_of(ip("203.0.113.9"), &["198.51.100.1"], &trusted),
            ip("203.0.113.9")
        );
        // A trusted peer: the nearest untrusted hop, whatever is forged left of it.
        assert_eq!(
            client_of(
                ip("10.1.2.3"),
                &["1.1.1.1", "198.51.100.1", "192.0.2.7"],
                &trusted
            ),
            ip("198.51.100.1")
        );
        // A trusted peer without a usable header is the best we know.
        assert_eq!(client_of(ip("10.1.2.3"), &[], &trusted), ip("10.1.2.3"));
        assert_eq!(
            client_of(ip("10.1.2.3"), &["not an address"], &trusted),
            ip("10.1.2.3")
        );
        // Nothing trusted: the peer.
        assert_eq!(
            client_of(ip("10.1.2.3"), &["198.51.100.1"], &[]),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn trusted_proxies_parse() {
        assert!("10.0.0.0/8".parse::<TrustedProxy>().is_ok());
        assert!(" ::1 ".parse::<TrustedProxy>().is_ok());
        assert!("example.org".parse::<TrustedProxy>().is_err());
    }

    #[test]
    fn ipv6_addresses_are_limited_by_their_64() {
        let a = address_key(ClientAddress(Some(ip("2001:db8:1:2::1"))));
        let b = address_key(ClientAddress(Some(ip("2001:db8:1:2:ffff::9"))));
        let c = address_key(ClientAddress(Some(ip("2001:db8:1:3::1"))));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            address_key(ClientAddress(Some(ip("::ffff:192.0.2.1")))),
            Some(ip("192.0.2.1"))
        );
    }

    #[tokio::test]
    async fn failures_count_against_client_and_address() {
        let limits = AuthLimits::new(
            &AuthLimitsConfig {
                failures_per_client: 2,
                failures_per_address: 3,
                ..Default::default()
            },
            std::sync::Arc::new(HashKey::from([7; 32])),
        );
        let client = Some(Subject::Client(Uuid::new_v4()));
        let here = ClientAddress(Some(ip("192.0.2.1")));
        let there = ClientAddress(Some(ip("192.0.2.2")));
        for _ in 0..2 {
            let attempt = limits.attempt(client, here).unwrap();
            assert_eq!(attempt.verify("x", None).await, Ok(Verified::No));
        }
        // The client is limited from anywhere.
        let wait = limits.attempt(client, there).unwrap_err();
        assert_eq!(wait.retry_after_secs(), 30);
        // The address has one failure left, for any other client.
        let other = Some(Subject::Client(Uuid::new_v4()));
        let attempt = limits.attempt(other, here).unwrap();
        assert_eq!(attempt.verify("x", None).await, Ok(Verified::No));
        assert!(limits.attempt(None, here).is_err());
        assert!(limits.attempt(other, there).is_ok());
        assert_eq!(limits.verifier().checks(), 0);
    }
}
