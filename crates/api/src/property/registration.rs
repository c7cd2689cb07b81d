//! Tag "Registration": `POST /api/property`.

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use wink_contract::{IntelligentPropertyRegistrationRequest, Property as WireProperty};
use wink_domain::money::Currency;
use wink_store::Json as DbJson;
use wink_store::properties::Property;

use super::{codes, record, time_zone};
use crate::auth::Caller;
use crate::error::{ApiError, Problems, StoreErrorExt};
use crate::extract::Query;
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationParams {
    /// The lead the property comes from. Leads live in the platform's lead service, which this
    /// server does not run: the id is recorded with the property for traceability.
    #[serde(rename = "leadId")]
    #[param(rename = "leadId", required = true)]
    lead_id: Option<String>,
}

/// Register a property.
///
/// The property is managed by the caller's account from then on; its time zone comes from
/// `location`, its currency from `currencyCode`.
#[utoipa::path(post, path = "/api/property", operation_id = "register-property", tag = "Registration",
    params(RegistrationParams),
    request_body = IntelligentPropertyRegistrationRequest,
    responses((status = 201, body = WireProperty), Problems))]
pub async fn register_property(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<RegistrationParams>,
    body: ValidJson<IntelligentPropertyRegistrationRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let lead_id = params
        .lead_id
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| {
            ApiError::field(
                "leadId",
                "the lead the property is registered from is required",
            )
        })?;
    let request = body.value;
    let currency = Currency::parse_field(&request.currency_code, "currencyCode")?;
    let zone = time_zone::at(&request.location, "/location")?;
    if !(0..=6).contains(&request.profile.hotel_stars) {
        return Err(ApiError::field(
            "/profile/hotelStars",
            "must be between 0 and 6",
        ));
    }
    if request.profile.number_of_rooms < 0 {
        return Err(ApiError::field(
            "/profile/numberOfRooms",
            "must not be negative",
        ));
    }
    let now = state.now();
    let (longitude, latitude) = time_zone::lng_lat(&request.location).unzip();
    let document = serde_json::to_value(&request).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut property = Property {
        id: Uuid::new_v4(),
        account_id: caller.account_id,
        registered_by: caller.client_id,
        name: request.name.trim().to_string(),
        currency: currency.code().to_string(),
        time_zone: zone.name().to_string(),
        url_name: String::new(),
        hotel_code: String::new(),
        unique_code: String::new(),
        status: "ACTIVE".into(),
        lead_id,
        document: DbJson(document),
        longitude,
        latitude,
        content: DbJson(serde_json::json!({})),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    // The codes are unique across the server; on the rare clash, draw new ones.
    for attempt in 0..5 {
        property.url_name = codes::url_name(&property.name, attempt);
        property.hotel_code = codes::hotel_code(&property.name);
        property.unique_code = codes::unique_code();
        match state.store.create_property(&property).await {
            Ok(()) => {
                let version = property.version;
                let parts = record::Parts::load(&state.store, property).await?;
                return Ok(Resource::created(record::to_wire(&parts)?, version));
            }
            Err(e) if e.is_conflict() && attempt < 4 => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Unavailable(
        "could not allocate unique codes for the property".into(),
    ))
}
