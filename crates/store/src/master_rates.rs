//! Master rates: one per room type x rate plan, the unit daily rates and restrictions are set on.

/// Opens a master rate (enabled, no perks) for a room type and a rate plan. Run inside the
/// transaction that creates either of them, so the pair never exists without its master rate.
/// Binds: id, property id, room type id, rate plan id, creation time.
pub(crate) const INSERT_MASTER_RATE: &str = "INSERT INTO master_rates (id, property_id, room_type_id, rate_plan_id, enabled, perks, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, TRUE, '[]', $5, $5, 1)";
