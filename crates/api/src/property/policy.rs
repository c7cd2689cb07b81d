//! Tag "Policy": the property's house rules (check-in and check-out times, children, pets,
//! internet, parking). Until one is created, reading answers the defaults; a property has one
//! policy, created once and then replaced.

use axum::extract::State;
use wink_contract::{
    CustomMonetaryAmount, Property as WireProperty, PropertyPolicy,
    PropertyPolicyInternetAvailability,
};
use wink_domain::money::Currency;
use wink_domain::property_record::{PolicyTerms, check_policy};

use super::record::{Content, edit};
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

const PATH: &str =
    "/api/managing-entity/{managingEntityIdentifier}/extranet/property/policy/property";

/// The policy of a property that has not set one: check-in from 14:00, check-out by 12:00,
/// children welcome, no pets, no internet or parking promised.
pub fn default_policy() -> PropertyPolicy {
    PropertyPolicy {
        children_allowed: true,
        children_minimum_age: None,
        internet_availability: PropertyPolicyInternetAvailability::No,
        internet_connection_type: None,
        internet_connection_location: None,
        parking_availability: PropertyPolicyInternetAvailability::No,
        parking_access: None,
        pets_allowed: false,
        pet_max_weight_in_kilos: None,
        pet_charge: None,
        check_out_time: "12:00".into(),
        check_in_time: "14:00".into(),
    }
}

/// Show the property's policy, or the defaults while it has none.
#[utoipa::path(get, path = PATH, operation_id = "show-property-policy", tag = "Policy",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property")),
    responses((status = 200, body = PropertyPolicy), Problems))]
pub async fn show_property_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
) -> Result<Resource<PropertyPolicy>, ApiError> {
    let property = state.store.property(ctx.property.id).await?;
    let content = Content::of(&property)?;
    Ok(Resource::ok(
        content.policy.unwrap_or_else(default_policy),
        property.version,
    ))
}

/// Create the property's policy. A property has one: a second create is refused (400), replace
/// it with `PUT` instead.
#[utoipa::path(post, path = PATH, operation_id = "create-policy", tag = "Policy",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = PropertyPolicy,
    responses((status = 201, body = WireProperty), Problems))]
pub async fn create_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<PropertyPolicy>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let policy = checked(&ctx, body.value)?;
    let mut answer = edit(&state, &ctx, expected, |_, content| {
        if content.policy.is_some() {
            return Err(ApiError::BadRequest(
                "the property already has a policy: replace it with PUT".into(),
            ));
        }
        content.policy = Some(policy.clone());
        Ok(())
    })
    .await?;
    answer.status = axum::http::StatusCode::CREATED;
    Ok(answer)
}

/// Replace the property's policy (creating it when there is none).
#[utoipa::path(put, path = PATH, operation_id = "update-property-policy", tag = "Policy",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = PropertyPolicy,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_property_policy(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<PropertyPolicy>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let policy = checked(&ctx, body.value)?;
    edit(&state, &ctx, expected, |_, content| {
        content.policy = Some(policy.clone());
        Ok(())
    })
    .await
}

/// The policy as stored: checked by the domain's rules, times in `HH:MM`, the pet charge in the
/// property's currency.
fn checked(ctx: &PropertyContext, mut policy: PropertyPolicy) -> Result<PropertyPolicy, ApiError> {
    let currency = Currency::parse(&ctx.property.currency)
        .map_err(|e| ApiError::Internal(format!("property {} currency: {e:?}", ctx.property.id)))?;
    let terms = PolicyTerms {
        check_in_time: &policy.check_in_time,
        check_out_time: &policy.check_out_time,
        children_allowed: policy.children_allowed,
        children_minimum_age: policy.children_minimum_age,
        pets_allowed: policy.pets_allowed,
        pet_max_weight_in_kilos: policy.pet_max_weight_in_kilos,
        pet_charge: policy
            .pet_charge
            .as_ref()
            .map(|c| (c.amount, c.currency.as_str())),
    };
    let ok = check_policy(&terms, currency).map_err(ApiError::from_domain)?;
    policy.check_in_time = ok.check_in_time;
    policy.check_out_time = ok.check_out_time;
    policy.pet_charge = ok.pet_charge.map(|m| CustomMonetaryAmount {
        amount: m.amount,
        currency: m.currency.code().to_string(),
    });
    Ok(policy)
}
