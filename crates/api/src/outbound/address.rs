//! Where webhooks may go: never, unless `[webhooks] allow_private` says so, to an address of
//! the server's own network (loopback, private, link-local such as a cloud's metadata service at
//! 169.254.169.254, carrier-grade NAT, unique-local IPv6, unspecified, multicast), so that a
//! subscription cannot make the server call into the network it runs in.
//!
//! The check is on the addresses a name resolves to, inside the HTTP client's resolver: the
//! connection goes to exactly the addresses checked (a name cannot resolve to a public address
//! for the check and to a private one for the connection). A URL naming an address directly
//! skips the resolver and is checked by [`refused_host`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A destination the configuration does not allow.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} is a loopback, private or link-local address; refused (set [webhooks] allow_private = true to allow it)"
)]
pub struct Refused(pub IpAddr);

/// Whether `ip` is on the public internet as far as a webhook is concerned.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT; 0.0.0.0/8, "this network".
                || (a == 100 && (64..128).contains(&b))
                || a == 0)
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || v6.is_unique_local()
                    || v6.is_unicast_link_local())
            }
        },
    }
}

/// The refusal of `host` (a URL's host, IPv6 in brackets) when it is an address that is not public and private
/// addresses are not allowed; `None` for names (the resolver checks them) and allowed addresses.
pub fn refused_host(host: &str, allow_private: bool) -> Option<Refused> {
    // An IPv6 address comes in brackets (`[::1]`).
    let ip: IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    (!allow_private && !is_public(ip)).then_some(Refused(ip))
}

/// The system resolver, refusing names that resolve to any address that is not public.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl GuardedResolver {
    pub fn shared(allow_private: bool) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver { allow_private })
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                // Any private address refuses the name: the client could pick it.
                return Err(Box::new(Refused(bad.ip())) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The refusal `error` (a request's) came from, if it did, as its message.
pub fn refusal(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(refused) = e.downcast_ref::<Refused>() {
            return Some(refused.to_string());
        }
        cause = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.215.14",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "100.128.0.1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn address_hosts_are_checked_names_are_left_to_the_resolver() {
        let host = |u: &str| {
            reqwest::Url::parse(u)
                .unwrap()
                .host_str()
                .unwrap()
                .to_string()
        };
        assert!(refused_host(&host("http://127.0.0.1:9/x"), false).is_some());
        assert!(refused_host(&host("http://127.0.0.1:9/x"), true).is_none());
        assert!(refused_host(&host("http://[::1]/x"), false).is_some());
        assert!(refused_host(&host("http://localhost/x"), false).is_none());
        assert!(refused_host(&host("http://8.8.8.8/x"), false).is_none());
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let refused = GuardedResolver {
            allow_private: false,
        }
        .resolve("localhost".parse().unwrap())
        .await;
        let error = refused.err().expect("refused");
        assert!(refusal(error.as_ref()).is_some(), "{error}");
        let allowed = GuardedResolver {
            allow_private: true,
        }
        .resolve("localhost".parse().unwrap())
        .await;
        assert!(allowed.is_ok());
    }
}
