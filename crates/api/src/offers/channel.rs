//! The sales channel an offer is made to: the one a test names, and its terms.

use uuid::Uuid;
use wink_contract::VerifyRatesRequest;
use wink_store::properties::PropertyRef;
use wink_store::sales_channels::SalesChannelView;

use crate::error::{ApiError, StoreResultExt};
use crate::state::AppState;

/// The sales channel a test names: `channel.propertyIdentifier` must be the path's property and
/// `channel.ownerIdentifier` the owner of one of its channels. `prefix` is where the channel sits
/// in the body (`""` or `"/query"`).
pub async fn channel_of(
    state: &AppState,
    property: &PropertyRef,
    req: &VerifyRatesRequest,
    prefix: &str,
) -> Result<SalesChannelView, ApiError> {
    if req.channel.property_identifier != property.id.to_string() {
        return Err(ApiError::field(
            format!("{prefix}/channel/propertyIdentifier"),
            "must be the property in the path",
        ));
    }
    let field = format!("{prefix}/channel/ownerIdentifier");
    let owner = req.channel.owner_identifier.as_deref().ok_or_else(|| {
        ApiError::field(&field, "required: the owner of the sales channel to test")
    })?;
    let no_channel = || ApiError::field(&field, "the property has no sales channel for this owner");
    let owner = Uuid::parse_str(owner).map_err(|_| no_channel())?;
    state
        .store
        .sales_channel_of_owner(property.id, owner)
        .await
        .not_found_as(no_channel)
}
