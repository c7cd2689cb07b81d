//! Requests for a sales channel: an owner (the account behind a property) asks a supplier
//! property for a direct connection, and the supplier decides.
//!
//! A request is pending (`REQUESTING`) until the supplier rejects it (`REJECTED`) or accepts it by
//! opening a sales channel for the owner (`ACCEPTED`, a state the contract's enumeration does not
//! carry: an accepted request is the channel from then on, and is never answered as a request).
//! An owner has at most one pending request per supplier, none once it has a channel there, and
//! after a rejection it waits [`ASK_AGAIN_AFTER_DAYS`] days before asking that supplier again, so a
//! supplier's "no" is not answered by the same request the next minute.

use chrono::{DateTime, Duration, Utc};

/// Days an owner waits after a rejection before asking the same supplier again.
pub const ASK_AGAIN_AFTER_DAYS: i64 = 30;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Requesting,
    Rejected,
    Accepted,
}

impl RequestStatus {
    /// The stored (and, but for `ACCEPTED`, wire) name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Requesting => "REQUESTING",
            RequestStatus::Rejected => "REJECTED",
            RequestStatus::Accepted => "ACCEPTED",
        }
    }

    pub fn parse(text: &str) -> Option<RequestStatus> {
        match text {
            "REQUESTING" => Some(RequestStatus::Requesting),
            "REJECTED" => Some(RequestStatus::Rejected),
            "ACCEPTED" => Some(RequestStatus::Accepted),
            _ => None,
        }
    }
}

/// What is known of an owner and a supplier when the owner asks for a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct History {
    /// The supplier already sells through a channel of this owner.
    pub has_channel: bool,
    /// A request of this owner to this supplier is pending.
    pub pending: bool,
    /// When the supplier last rejected a request of this owner.
    pub last_rejected_at: Option<DateTime<Utc>>,
}

/// Why a new request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyConnected,
    AlreadyPending,
    /// Rejected recently: the owner may ask again from `from` on.
    RecentlyRejected {
        from: DateTime<Utc>,
    },
}

impl Refusal {
    pub fn sentence(&self) -> String {
        match self {
            Refusal::AlreadyConnected => {
                "the property already sells through a sales channel of your account".into()
            }
            Refusal::AlreadyPending => {
                "your account already has a pending request to this property".into()
            }
            Refusal::RecentlyRejected { from } => format!(
                "the property rejected your account's request; you may ask again from {}",
                from.to_rfc3339()
            ),
        }
    }
}

/// Whether the owner may ask the supplier for a channel at `now`.
pub fn may_request(history: &History, now: DateTime<Utc>) -> Result<(), Refusal> {
    if history.has_channel {
        return Err(Refusal::AlreadyConnected);
    }
    if history.pending {
        return Err(Refusal::AlreadyPending);
    }
    if let Some(rejected) = history.last_rejected_at {
        let from = rejected + Duration::days(ASK_AGAIN_AFTER_DAYS);
        if now < from {
            return Err(Refusal::RecentlyRejected { from });
        }
    }
    Ok(())
}

/// What rejecting a request in `status` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// A pending request becomes rejected.
    Reject,
    /// Already rejected: answered as it is (rejecting is idempotent).
    Unchanged,
}

/// An accepted request cannot be rejected: the channel is what to remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyAccepted;

pub fn reject(status: RequestStatus) -> Result<Reject, AlreadyAccepted> {
    match status {
        RequestStatus::Requesting => Ok(Reject::Reject),
        RequestStatus::Rejected => Ok(Reject::Unchanged),
        RequestStatus::Accepted => Err(AlreadyAccepted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 5, day, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_first_request_is_allowed() {
        assert_eq!(may_request(&History::default(), at(1)), Ok(()));
    }

    #[test]
    fn a_channel_or_a_pending_request_refuses_another() {
        let connected = History {
            has_channel: true,
            pending: true,
            ..History::default()
        };
        assert_eq!(
            may_request(&connected, at(1)),
            Err(Refusal::AlreadyConnected)
        );
        let pending = History {
            pending: true,
            ..History::default()
        };
        assert_eq!(may_request(&pending, at(1)), Err(Refusal::AlreadyPending));
    }

    #[test]
    fn a_rejection_waits_thirty_days() {
        let rejected = History {
            last_rejected_at: Some(at(1)),
            ..History::default()
        };
        let from = at(1) + Duration::days(30);
        assert_eq!(
            may_request(&rejected, at(2)),
            Err(Refusal::RecentlyRejected { from })
        );
        assert_eq!(
            may_request(&rejected, from - Duration::seconds(1)),
            Err(Refusal::RecentlyRejected { from })
        );
        assert_eq!(may_request(&rejected, from), Ok(()));
    }

    #[test]
    fn rejecting_is_idempotent_and_never_undoes_an_acceptance() {
        assert_eq!(reject(RequestStatus::Requesting), Ok(Reject::Reject));
        assert_eq!(reject(RequestStatus::Rejected), Ok(Reject::Unchanged));
        assert_eq!(reject(RequestStatus::Accepted), Err(AlreadyAccepted));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [
            RequestStatus::Requesting,
            RequestStatus::Rejected,
            RequestStatus::Accepted,
        ] {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RequestStatus::parse("requesting"), None);
    }
}
