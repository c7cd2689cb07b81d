//! Rules of webhook subscriptions: which scope each event type needs, and which secrets sign a
//! delivery while a secret is being rotated.

use chrono::{DateTime, Utc};

/// The scope a caller needs to receive (or read in the event feed) events of `event_type`:
/// booking events are `booking.read`'s, rates, availability and restrictions (ARI) events
/// `inventory.read`'s, as the operations that read the same data require. `None`: not an event
/// type.
pub fn scope_of(event_type: &str) -> Option<&'static str> {
    let (family, _) = event_type.split_once('.')?;
    match family {
        "booking" => Some("booking.read"),
        "rates" | "availability" | "restrictions" => Some("inventory.read"),
        _ => None,
    }
}

/// The scopes of `event_types` that `has` does not grant, in the order first named, each once.
pub fn missing_scopes<'a>(
    event_types: impl IntoIterator<Item = &'a str>,
    has: impl Fn(&str) -> bool,
) -> Vec<&'static str> {
    let mut missing = Vec::new();
    for scope in event_types.into_iter().filter_map(scope_of) {
        if !has(scope) && !missing.contains(&scope) {
            missing.push(scope);
        }
    }
    missing
}

/// The secrets that sign a delivery made at `now`: the current one, and the one it replaced
/// until the rotation's overlap ends, so a receiver that still checks with the old secret keeps
/// accepting deliveries while it is updated (each gives one `v1,` signature).
pub fn signing_secrets<'a>(
    current: &'a str,
    previous: Option<(&'a str, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> Vec<&'a str> {
    let mut secrets = vec![current];
    if let Some((old, until)) = previous
        && now < until
    {
        secrets.push(old);
    }
    secrets
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn families_map_to_the_scopes_that_read_them() {
        assert_eq!(scope_of("booking.created"), Some("booking.read"));
        assert_eq!(scope_of("booking.refund_requested"), Some("booking.read"));
        assert_eq!(scope_of("rates.changed"), Some("inventory.read"));
        assert_eq!(scope_of("availability.changed"), Some("inventory.read"));
        assert_eq!(scope_of("restrictions.changed"), Some("inventory.read"));
        assert_eq!(scope_of("content.changed"), None);
        assert_eq!(scope_of("booking"), None);
    }

    #[test]
    fn missing_scopes_are_named_once() {
        let only_inventory = |s: &str| s == "inventory.read";
        assert_eq!(
            missing_scopes(
                ["booking.created", "rates.changed", "booking.cancelled"],
                only_inventory
            ),
            ["booking.read"]
        );
        assert!(missing_scopes(["rates.changed"], only_inventory).is_empty());
    }

    #[test]
    fn the_old_secret_signs_until_the_overlap_ends() {
        let until = Utc.with_ymd_and_hms(2026, 6, 18, 0, 0, 0).unwrap();
        let before = until - chrono::Duration::seconds(1);
        assert_eq!(
            signing_secrets("new", Some(("old", until)), before),
            ["new", "old"]
        );
        assert_eq!(signing_secrets("new", Some(("old", until)), until), ["new"]);
        assert_eq!(signing_secrets("new", None, before), ["new"]);
    }
}
