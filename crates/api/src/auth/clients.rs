//! Accounts and their applications, as the administration commands, the demo and the tests
//! create them.

use uuid::Uuid;
use wink_store::Store;
use wink_store::accounts::{Account, Application};

use super::ALL_SCOPES;
use super::secret::{self, HashKey};
use crate::error::ApiError;

/// Managing-entity types an account may have (the contract's `EntityType` values).
pub fn is_entity_type(value: &str) -> bool {
    matches!(
        value,
        "TRIP_PAY"
            | "FACILITATOR"
            | "DIRECT"
            | "APPLICATION"
            | "HOTEL"
            | "TRAVELIKO"
            | "CORPORATE"
            | "TRAVEL_AGENT"
            | "INFLUENCER"
            | "BLOGGER"
            | "DESTINATION"
            | "CHANNEL_MANAGER"
            | "PROPERTY_MANAGEMENT_SYSTEM"
            | "CENTRAL_RESERVATION_SYSTEM"
            | "GOOGLE_HOTEL_API"
            | "MANAGEMENT_COMPANY"
            | "CHAIN"
            | "BRAND"
            | "EVENT_ORGANIZER"
            | "OTHER"
    )
}

pub async fn create_account(
    store: &Store,
    name: &str,
    entity_type: &str,
    email: Option<String>,
) -> Result<Account, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::field("name", "must not be empty"));
    }
    if !is_entity_type(entity_type) {
        return Err(ApiError::field(
            "type",
            format!("{entity_type} is not a managing-entity type"),
        ));
    }
    let account = Account {
        id: Uuid::new_v4(),
        name: name.to_string(),
        entity_type: entity_type.to_string(),
        email,
        created_at: wink_store::now(),
    };
    store.create_account(&account).await?;
    Ok(account)
}

/// Creates an application for `account` with `scopes` (all twelve when empty) and answers it with
/// its secret, which exists nowhere else: only its keyed hash (under `key`) is stored.
pub async fn create_application(
    store: &Store,
    key: &HashKey,
    account: Uuid,
    name: &str,
    scopes: &[String],
) -> Result<(Application, String), ApiError> {
    store.account(account).await?;
    let scopes: Vec<String> = if scopes.is_empty() {
        ALL_SCOPES.iter().map(|s| s.to_string()).collect()
    } else {
        scopes.to_vec()
    };
    if let Some(bad) = scopes.iter().find(|s| !ALL_SCOPES.contains(&s.as_str())) {
        return Err(ApiError::field(
            "scopes",
            format!(
                "unknown scope {bad}; the scopes are {}",
                ALL_SCOPES.join(", ")
            ),
        ));
    }
    let secret = secret::generate();
    let hash = key.hash(&secret);
    let app = Application {
        id: Uuid::new_v4(),
        account_id: account,
        name: name.to_string(),
        secret_hash: hash,
        scopes: scopes.join(" "),
        created_at: wink_store::now(),
        revoked_at: None,
    };
    store.create_application(&app).await?;
    Ok((app, secret))
}
