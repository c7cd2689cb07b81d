//! The sales channel an offer is made to, loaded once per request: the channel a test names,
//! its terms (the domain's [`ChannelTerms`]) and the promotions and bundles the property switched
//! off on it. `Catalog::evaluate` applies all of it in one place (see [`Channel`]).

use std::collections::HashSet;

use uuid::Uuid;
use wink_contract::VerifyRatesRequest;
use wink_domain::channel::{ChannelTerms, Fraction};
use wink_store::properties::PropertyRef;
use wink_store::sales_channels::SalesChannelView;

use crate::error::{ApiError, StoreResultExt};
use crate::state::AppState;

/// A sales channel as offers on it are made: what the property decided about it.
///
/// Everything a channel excludes or changes is here, read once per request, and applied by
/// `Catalog::evaluate` only: its switched-off promotions and bundles (`switched_off`, given to
/// the promotions' engine) and its terms (`terms`: whether it sells at all, its discount, via
/// `wink_domain::pricing::on_channel`) and the master rates whose channel-inventory record is
/// switched off on it (`withheld`).
pub struct Channel {
    pub view: SalesChannelView,
    pub terms: ChannelTerms,
    /// Promotions and bundles that do not apply on the channel.
    pub switched_off: Vec<Uuid>,
    /// Master rates not offered on the channel (their channel-inventory record is off).
    pub withheld: HashSet<Uuid>,
}

impl Channel {
    pub async fn load(state: &AppState, view: SalesChannelView) -> Result<Channel, ApiError> {
        let off = state.store.switched_off(view.id).await?;
        let withheld = state.store.master_rates_withheld_from(view.id).await?;
        let share = |value: rust_decimal::Decimal| {
            Fraction::new(value).ok_or_else(|| {
                ApiError::Internal(format!("sales channel {} has a share out of 0..1", view.id))
            })
        };
        let terms = ChannelTerms {
            id: view.id,
            name: view.owner_name.clone(),
            enabled: view.enabled,
            blacklisted: view.blacklisted,
            discount: share(view.percent_discount.0)?,
            commission: share(view.commission.0)?,
        };
        Ok(Channel {
            terms,
            switched_off: off.promotions.into_iter().chain(off.bundles).collect(),
            withheld: withheld.into_iter().collect(),
            view,
        })
    }
}

/// The sales channel a test names: `channel.propertyIdentifier` must be the path's property and
/// `channel.ownerIdentifier` the owner of one of its channels. `prefix` is where the channel sits
/// in the body (`""` or `"/query"`). A channel that does not sell is still found: what it is
/// offered says why not.
pub async fn channel_of(
    state: &AppState,
    property: &PropertyRef,
    req: &VerifyRatesRequest,
    prefix: &str,
) -> Result<Channel, ApiError> {
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
    let view = state
        .store
        .sales_channel_of_owner(property.id, owner)
        .await
        .not_found_as(no_channel)?;
    Channel::load(state, view).await
}
