//! Request bodies are checked against the schema our own OpenAPI document publishes for the
//! operation, before any handler sees them: the schemas come from the contract (see
//! `tools/gen-contract.py`), so what the document promises is exactly what is enforced, and every
//! offending field is named in the 400 problem.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, MatchedPath, Request};
use axum::http::{Method, header};
use jsonschema::error::ValidationErrorKind;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wink_contract::FieldError;

use crate::error::ApiError;
use crate::state::AppState;

/// One compiled validator per (method, route) that takes a JSON body.
pub struct Validators {
    by_route: HashMap<(Method, String), jsonschema::Validator>,
}

impl Validators {
    /// Compiles the request-body schema of every operation in `doc` (our OpenAPI document).
    pub fn from_openapi(doc: &Value) -> Result<Self, String> {
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut by_route = HashMap::new();
        for (path, item) in doc
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Some(schema) = op.pointer("/requestBody/content/application~1json/schema")
                else {
                    continue;
                };
                let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                    continue;
                };
                // `#/components/schemas/X` resolves against this wrapper's root, which carries
                // only the schemas this body reaches: with every component in every validator
                // the server held ~120 MB of schema copies at rest (160 MB resident, now 41).
                let components = reachable(schema, &schemas);
                let root = json!({ "components": { "schemas": components }, "allOf": [schema] });
                let validator = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&root)
                    .map_err(|e| {
                        format!("request schema of {method} {path} does not compile: {e}")
                    })?;
                by_route.insert((method, path.clone()), validator);
            }
        }
        Ok(Validators { by_route })
    }
}

/// The component schemas `schema` refers to (`#/components/schemas/…`), directly or through
/// other components.
fn reachable(
    schema: &Value,
    schemas: &serde_json::Map<String, Value>,
) -> serde_json::Map<String, Value> {
    fn refs<'a>(value: &'a Value, into: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            if let Some(name) = r.strip_prefix("#/components/schemas/") {
                                into.push(name);
                            }
                        }
                        _ => refs(v, into),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
            _ => {}
        }
    }
    let mut found = serde_json::Map::new();
    let mut pending = Vec::new();
    refs(schema, &mut pending);
    while let Some(name) = pending.pop() {
        if found.contains_key(name) {
            continue;
        }
        if let Some(component) = schemas.get(name) {
            found.insert(name.to_string(), component.clone());
            refs(component, &mut pending);
        }
    }
    found
}

impl Validators {
    /// Every schema violation of `body` for the operation, each naming its field.
    pub fn check(&self, method: &Method, route: &str, body: &Value) -> Vec<FieldError> {
        let Some(validator) = self.by_route.get(&(method.clone(), route.to_string())) else {
            return Vec::new();
        };
        let mut errors: Vec<FieldError> = validator
            .iter_errors(body)
            .map(|e| {
                let mut field = e.instance_path().as_str().to_string();
                if let ValidationErrorKind::Required { property } = e.kind() {
                    field = format!("{field}/{}", property.as_str().unwrap_or_default());
                }
                if field.is_empty() {
                    field = "/".into();
                }
                FieldError {
                    field,
                    message: e.to_string(),
                }
            })
            .collect();
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        errors.dedup();
        errors
    }
}

/// A JSON request body that passed the operation's schema, deserialized into `T`.
///
/// `version` is the resource version the client says it read, when the body carries a `version`
/// field (the contract's update requests do not declare one, but clients that echo a resource back
/// send it): a stale one is refused.
#[derive(Debug)]
pub struct ValidJson<T> {
    pub value: T,
    pub version: Option<i64>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for ValidJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let method = request.method().clone();
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_string())
            .unwrap_or_default();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| ApiError::PayloadTooLarge)?;
        let body: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::field("/", format!("the body is not valid JSON: {e}")))?;
        let errors = state.validators.check(&method, &route, &body);
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        let version =
            match body.get("version") {
                None => None,
                Some(v) => Some(v.as_i64().filter(|v| *v >= 0).ok_or_else(|| {
                    ApiError::field("/version", "must be a non-negative integer")
                })?),
            };
        let value =
            serde_json::from_value(body).map_err(|e| ApiError::field("/", e.to_string()))?;
        Ok(ValidJson { value, version })
    }
}
