//! Tag "Channel Manager": the property's rate provider, another account whose clients may read
//! and write the property's rates, restrictions and availability (the operations of
//! [`crate::auth::RATE_PROVIDER_OPERATIONS`], checked in the one auth path) and nothing else.

use axum::extract::State;
use wink_contract::{KeyValuePair, Property as WireProperty, UpdateChannelManagerRequest};
use wink_domain::rate_provider::{self, Choice};
use wink_store::rate_providers::RateProvider;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems, StoreResultExt};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Set the property's rate provider: `rateProvider.value` is the account's id (`label` the name
/// to show for it), or `NONE` to remove the provider. Answers the property (`rateProvider` absent
/// when it has none).
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/channel-manager",
    operation_id = "update-channel-manager", tag = "Channel Manager",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpdateChannelManagerRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_channel_manager(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpdateChannelManagerRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, None);
    let request = &body.value.rate_provider;
    let choice = rate_provider::choose(&request.value, ctx.property.account_id)
        .map_err(|refusal| ApiError::field("/rateProvider/value", refusal.sentence()))?;
    let provider = match choice {
        Choice::Remove => None,
        Choice::Set(account) => {
            state
                .store
                .account(account)
                .await
                .not_found_as(|| ApiError::field("/rateProvider/value", "no such account"))?;
            let label = request.label.trim();
            if label.is_empty() {
                return Err(ApiError::field("/rateProvider/label", "must not be blank"));
            }
            Some(RateProvider {
                property_id: ctx.property.id,
                account_id: account,
                label: label.to_string(),
                set_by: ctx.caller.client_id,
                created_at: state.now(),
            })
        }
    };
    state
        .store
        .set_rate_provider(
            ctx.property.id,
            provider.as_ref(),
            expected.version(),
            state.now(),
        )
        .await
        .map_err(|e| expected.refuse(e))?;
    let property = state.store.property(ctx.property.id).await?;
    super::record::answer(&state.store, property).await
}

/// The property answer's `rateProvider`: the provider's account id and the name the owner gave
/// it; absent when the property has none.
pub fn rate_provider_pair(provider: Option<RateProvider>) -> Option<KeyValuePair> {
    provider.map(|p| KeyValuePair {
        value: p.account_id.to_string(),
        label: p.label,
    })
}
