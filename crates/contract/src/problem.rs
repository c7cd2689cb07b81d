use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// RFC 9457 problem details: the body of every error response (`application/problem+json`).
///
/// `type` and `instance` are URIs as the contract requires: `type` names the kind of problem,
/// `instance` is `urn:uuid:<request id>` so a support request can quote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProblemDetail {
    #[serde(rename = "type")]
    #[schema(format = Uri)]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Uri)]
    pub instance: Option<String>,
    /// One entry per offending field of a rejected request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One field of a request that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Where the value is: a JSON pointer into the body (`/room/adults`), or the name of a path,
    /// query or header parameter.
    pub field: String,
    pub message: String,
}
