//! Channel inventory: what a sales channel is offered, one record per channel × inventory item
//! (a master rate, i.e. room type × rate plan, or an add-on, spa, restaurant, meeting room,
//! place, attraction or activity). A record exists exactly while both sides exist; its
//! identifier is derived from the pair, so it is the same on every node and every read, without
//! a row having to be written when a channel or an item appears.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What the derivation hashes before the pair, so these ids cannot collide with another use of
/// the same scheme.
const PURPOSE: &[u8] = b"wink-supplier channel inventory\0";

/// The identifier of the record of `inventory` (a master rate or an item) on `channel`: a
/// version 8 UUID from the SHA-256 of the pair (RFC 9562, appendix B.2's name-based scheme).
pub fn record_id(channel: Uuid, inventory: Uuid) -> Uuid {
    let digest = Sha256::new()
        .chain_update(PURPOSE)
        .chain_update(channel.as_bytes())
        .chain_update(inventory.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_pair_always_has_the_same_id() {
        let (c, i) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(record_id(c, i), record_id(c, i));
        assert_eq!(record_id(c, i).get_version_num(), 8);
    }

    #[test]
    fn the_pair_is_ordered_and_every_side_counts() {
        let (c, i, other) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        assert_ne!(record_id(c, i), record_id(i, c));
        assert_ne!(record_id(c, i), record_id(c, other));
        assert_ne!(record_id(c, i), record_id(other, i));
    }

    #[test]
    fn pinned_value() {
        // Record ids are answered to clients and stored as the toggled rows' keys: a change of
        // the derivation would orphan every stored toggle, so the derivation is pinned.
        assert_eq!(
            record_id(Uuid::nil(), Uuid::max()).to_string(),
            "402f1551-fdf9-8a4f-8b60-ca035581a1c4"
        );
    }
}
