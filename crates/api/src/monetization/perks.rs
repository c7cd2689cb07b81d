//! Perks offered with a master rate (PATCH `master-rate/{id}/perks`, tag "Master Rate"), and
//! wink-supplier's catalogue of them.
//!
//! The platform keeps its perks in a catalogue of its own; this server has its own, below:
//! common hotel perks, each with a stable code (the wire's `identifier`, what `perkTypes`
//! sends), an English name and description, a `level` (0 standard, higher more valuable) and
//! whether it is `guaranteed` (promised at booking) or given when the property can (upgrades
//! and early or late times depend on the day's occupancy). `sort` is the perk's place in the
//! catalogue, from 1. Perks are descriptive: they change no price, restriction or
//! cancellation term. (There is deliberately no "flexible cancellation" perk: cancellation
//! terms are the rate plan's policy, which the penalty engine applies; a perk claiming
//! otherwise would promise what is not enforced.)
//!
//! Setting perks replaces them all: an unknown code is a 400 naming `/perkTypes/N`, a code
//! sent twice counts once, no `perkTypes` (or none left) clears them. The master rate's
//! version goes up by one; `If-Match` or the body's `version` refuse a stale write. Perks are
//! answered in catalogue order, and appear in the master rate's show and list answers.

use axum::extract::State;
use wink_contract::{
    MasterRate as WireMasterRate, PerkLightweight, SetMasterRatePerkRequest, SimpleDescription,
};

use super::master_rate;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch, Path, id};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// One perk of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perk {
    pub code: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub level: i32,
    pub guaranteed: bool,
}

const fn perk(
    code: &'static str,
    name: &'static str,
    description: &'static str,
    level: i32,
    guaranteed: bool,
) -> Perk {
    Perk {
        code,
        name,
        description,
        level,
        guaranteed,
    }
}

/// The perks a master rate can offer, in display order.
pub const CATALOGUE: [Perk; 14] = [
    perk(
        "FREE_WIFI",
        "Free Wi-Fi",
        "Wireless internet for every guest throughout the stay, at no charge.",
        0,
        true,
    ),
    perk(
        "FREE_PARKING",
        "Free parking",
        "One parking space for the length of the stay, at no charge.",
        0,
        true,
    ),
    perk(
        "WELCOME_DRINK",
        "Welcome drink",
        "A drink for each guest on arrival.",
        0,
        true,
    ),
    perk(
        "FREE_BREAKFAST",
        "Free breakfast",
        "Breakfast for every guest of the room on each morning of the stay.",
        1,
        true,
    ),
    perk(
        "BOTTLE_OF_WINE",
        "Bottle of wine",
        "A bottle of wine waiting in the room on arrival.",
        1,
        true,
    ),
    perk(
        "EARLY_CHECKIN",
        "Early check-in",
        "Check in before the standard time when the room is ready.",
        1,
        false,
    ),
    perk(
        "LATE_CHECKOUT",
        "Late check-out",
        "Check out after the standard time when the room is not needed.",
        1,
        false,
    ),
    perk(
        "DINING_CREDIT",
        "Dining credit",
        "A credit to spend in the property's restaurants and bars during the stay.",
        2,
        true,
    ),
    perk(
        "SPA_CREDIT",
        "Spa credit",
        "A credit to spend at the property's spa during the stay.",
        2,
        true,
    ),
    perk(
        "AIRPORT_TRANSFER",
        "Airport transfer",
        "Transport between the airport and the property, once each way.",
        2,
        true,
    ),
    perk(
        "ROOM_UPGRADE",
        "Room upgrade",
        "An upgrade to a better room category at check-in, when one is free.",
        2,
        false,
    ),
    perk(
        "GUARANTEED_UPGRADE",
        "Guaranteed room upgrade",
        "An upgrade to the next room category, confirmed with the booking.",
        3,
        true,
    ),
    perk(
        "LOUNGE_ACCESS",
        "Club lounge access",
        "Access to the club lounge for every guest of the room throughout the stay.",
        3,
        true,
    ),
    perk(
        "PRIVATE_DINNER",
        "Private dinner",
        "A set dinner for two, served privately once during the stay.",
        3,
        true,
    ),
];

/// The catalogue entry of a code, and its `sort` (its place in the catalogue, from 1).
fn find(code: &str) -> Option<(usize, &'static Perk)> {
    CATALOGUE
        .iter()
        .enumerate()
        .find(|(_, p)| p.code == code)
        .map(|(i, p)| (i + 1, p))
}

/// The perks of stored codes in their wire form, in catalogue order. A code no longer in the
/// catalogue is no longer offered, so it is left out.
pub fn lightweight(codes: &[String]) -> Vec<PerkLightweight> {
    let mut found: Vec<(usize, &Perk)> = codes.iter().filter_map(|c| find(c)).collect();
    found.sort_by_key(|(sort, _)| *sort);
    found.dedup_by_key(|(sort, _)| *sort);
    found
        .into_iter()
        .map(|(sort, p)| PerkLightweight {
            identifier: p.code.to_string(),
            guaranteed: p.guaranteed,
            level: p.level,
            descriptions: vec![SimpleDescription {
                name: p.name.to_string(),
                description: p.description.to_string(),
                language: "en".to_string(),
                ..SimpleDescription::default()
            }],
            sort: sort as i32,
        })
        .collect()
}

/// The codes of a request, checked against the catalogue, without repeats, in catalogue order.
fn codes(sent: &[String]) -> Result<Vec<String>, ApiError> {
    let mut found = Vec::with_capacity(sent.len());
    for (i, code) in sent.iter().enumerate() {
        let Some((sort, perk)) = find(code) else {
            let known: Vec<&str> = CATALOGUE.iter().map(|p| p.code).collect();
            return Err(ApiError::field(
                format!("/perkTypes/{i}"),
                format!(
                    "`{code}` is not a perk of this server; known perks: {}",
                    known.join(", ")
                ),
            ));
        };
        found.push((sort, perk.code.to_string()));
    }
    found.sort();
    found.dedup();
    Ok(found.into_iter().map(|(_, code)| code).collect())
}

/// Replace the perks offered with a master rate.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/master-rate/{masterRateIdentifier}/perks",
    operation_id = "set-perks", tag = "Master Rate",
    params(("managingEntityIdentifier" = String, Path), ("masterRateIdentifier" = String, Path),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = SetMasterRatePerkRequest,
    responses((status = 200, body = WireMasterRate), Problems))]
pub async fn set_perks(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    if_match: Option<IfMatch>,
    body: ValidJson<SetMasterRatePerkRequest>,
) -> Result<Resource<WireMasterRate>, ApiError> {
    let master_id = id(&ids.1)?;
    state.store.master_rate(ctx.property.id, master_id).await?;
    let codes = codes(&body.value.perk_types)?;
    let expected = Expected::new(if_match, body.version);
    let master = state
        .store
        .set_master_rate_perks(
            ctx.property.id,
            master_id,
            &codes,
            state.now(),
            expected.version(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    let wire = master_rate::wire_of(&state.store, &master).await?;
    Ok(Resource::ok(wire, master.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_unique_codes_and_readable_text() {
        for (i, p) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[..i].iter().all(|q| q.code != p.code),
                "{}",
                p.code
            );
            assert!(p.code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            assert!(!p.name.is_empty() && p.description.ends_with('.'));
        }
    }

    #[test]
    fn codes_are_checked_collapsed_and_ordered() {
        let sent = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            codes(&sent(&["LATE_CHECKOUT", "FREE_WIFI", "LATE_CHECKOUT"])).unwrap(),
            ["FREE_WIFI", "LATE_CHECKOUT"]
        );
        let e = codes(&sent(&["FREE_WIFI", "free_wifi"])).unwrap_err();
        assert!(matches!(e, ApiError::Invalid(ref f) if f[0].field == "/perkTypes/1"));
        let wire = lightweight(&sent(&["SPA_CREDIT", "GONE", "FREE_WIFI"]));
        assert_eq!(
            wire.iter()
                .map(|p| (p.identifier.as_str(), p.sort))
                .collect::<Vec<_>>(),
            [("FREE_WIFI", 1), ("SPA_CREDIT", 9)]
        );
        assert_eq!(wire[1].descriptions[0].language, "en");
    }
}
