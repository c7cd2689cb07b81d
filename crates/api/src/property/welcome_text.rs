//! Tag "Welcome Text": the property's short and long texts per language (the answer's
//! `descriptions`).

use axum::extract::State;
use wink_contract::{Property as WireProperty, UpsertWelcomeTextRequest};
use wink_domain::property_record::{check_texts, merge_by_language};

use super::record::edit;
use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Expected, IfMatch};
use crate::response::Resource;
use crate::state::AppState;
use crate::validation::ValidJson;

/// Save welcome texts: the texts of each language the request names replace that language's;
/// other languages keep theirs.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/property/welcome-text",
    operation_id = "update-welcome-text", tag = "Welcome Text",
    params(("managingEntityIdentifier" = uuid::Uuid, Path, description = "The property"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version the change is based on")),
    request_body = UpsertWelcomeTextRequest,
    responses((status = 200, body = WireProperty), Problems))]
pub async fn update_welcome_text(
    State(state): State<AppState>,
    ctx: PropertyContext,
    if_match: Option<IfMatch>,
    body: ValidJson<UpsertWelcomeTextRequest>,
) -> Result<Resource<WireProperty>, ApiError> {
    let expected = Expected::new(if_match, body.version);
    let incoming = body.value.list;
    let keys: Vec<(&str, &str)> = incoming
        .iter()
        .map(|t| (t.language.as_str(), t.name.as_str()))
        .collect();
    check_texts("/list", &keys)?;
    for (i, t) in incoming.iter().enumerate() {
        if t.description.trim().is_empty() {
            return Err(ApiError::field(
                format!("/list/{i}/description"),
                "must not be blank",
            ));
        }
    }
    edit(&state, &ctx, expected, |row, content| {
        let stored = match &content.welcome_texts {
            Some(texts) => texts.clone(),
            None => super::record::registered_texts(row)?,
        };
        content.welcome_texts = Some(merge_by_language(&stored, &incoming, |t| {
            t.language.as_str()
        }));
        Ok(())
    })
    .await
}
