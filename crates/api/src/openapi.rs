//! Our OpenAPI document: generated from the routes (utoipa), completed with the security scheme
//! and each operation's scope from the contract's table, and published at `/openapi.json`. The
//! same document is what request bodies are validated against.

use crate::auth::ALL_SCOPES;
use serde_json::{Map, Value, json};
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, OpenApi};

pub const SECURITY_SCHEME: &str = "oauth2ClientCredentials";

const DESCRIPTION: &str = "\
The Supplier API of the Wink travel platform, self-hosted: register a property, describe its rooms, \
price and restrict what it sells, distribute it to sales channels and reconcile the bookings that come back.

Authenticate with OAuth 2.0 client credentials: `POST /oauth2/token` with HTTP Basic \
`client_id:client_secret` and `grant_type=client_credentials` returns a bearer token carrying your \
application's scopes. Errors are RFC 9457 problem details (`application/problem+json`); a rejected \
request names each offending field in `errors`. Every resource carries `version` and an `ETag`: send \
it back in `If-Match` (or as `version` in the body) and a stale write is refused instead of lost.";

/// Turns the router's generated document into the published one. Panics when a route claims an
/// operationId the contract table does not have, or has under another method or path: such a
/// route would escape the scope check, so the server must not start with it.
pub fn document(mut api: OpenApi) -> Value {
    api.info = InfoBuilder::new()
        .title("wink-supplier")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(DESCRIPTION))
        .build();
    let scheme = SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(
        ClientCredentials::new(
            "/oauth2/token",
            Scopes::from_iter(
                ALL_SCOPES
                    .iter()
                    .map(|s| (s.to_string(), scope_description(s))),
            ),
        ),
    )]));
    let passkey = SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Basic)
            .description(Some(
                "Calendar feeds: HTTP Basic with the CalDAV passkey issued by caldav/auth",
            ))
            .build(),
    );
    let components = api
        .components
        .take()
        .unwrap_or_else(|| ComponentsBuilder::new().build());
    let mut components = components;
    components.add_security_scheme(SECURITY_SCHEME, scheme);
    components.add_security_scheme("caldavPasskey", passkey);
    api.components = Some(components);

    let mut doc = serde_json::to_value(&api).expect("the OpenAPI document serializes");
    apply_scopes(&mut doc);
    strip_null(&mut doc);
    doc
}

fn scope_description(scope: &str) -> String {
    let (family, action) = scope.split_once('.').unwrap_or((scope, ""));
    let what = match family {
        "inventory" => "inventory and rates",
        "booking" => "bookings",
        "marketing" => "promotions and sales channels",
        _ => "property content",
    };
    let verb = match action {
        "read" => "Read",
        "write" => "Create and change",
        _ => "Delete",
    };
    format!("{verb} {what}")
}

/// Sets each operation's security requirement from the table (the contract's, or the extensions').
fn apply_scopes(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let Some(id) = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            let Some(entry) = crate::auth::operation(&id) else {
                assert!(
                    !path.starts_with("/api/"),
                    "route {method} {path} has operationId {id}, which is neither in the contract table nor an extension"
                );
                continue;
            };
            assert!(
                entry.path == path && entry.method.eq_ignore_ascii_case(method),
                "route {method} {path} claims operationId {id}, which the contract declares as {} {}",
                entry.method,
                entry.path
            );
            let security = match entry.scope {
                // Alternatives are alternative requirements (any one suffices).
                Some(scope) => Value::Array(
                    scope
                        .split(crate::auth::SCOPE_ALTERNATIVES)
                        .map(|s| json!({ SECURITY_SCHEME: [s] }))
                        .collect(),
                ),
                None => json!([{ "caldavPasskey": [] }]),
            };
            op.as_object_mut()
                .expect("operation object")
                .insert("security".into(), security);
        }
    }
}

/// The server never sends `null` and never accepts it: an absent field means "not set", as the
/// contract's schemas (which do not allow null) say. utoipa marks `Option` fields nullable; undo it.
fn strip_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            for key in ["oneOf", "anyOf"] {
                if let Some(Value::Array(options)) = map.get_mut(key) {
                    options.retain(|o| o != &json!({"type": "null"}));
                    if options.len() == 1 {
                        let only = options.remove(0);
                        map.remove(key);
                        if let Value::Object(inner) = only {
                            merge_into(map, inner);
                        }
                    }
                }
            }
            for v in map.values_mut() {
                strip_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}

fn merge_into(map: &mut Map<String, Value>, inner: Map<String, Value>) {
    for (k, v) in inner {
        map.entry(k).or_insert(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_stripped_from_types_and_unions() {
        let mut v = json!({
            "a": {"type": ["string", "null"], "format": "uuid"},
            "b": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/X"}], "description": "d"},
            "c": {"oneOf": [{"type": "null"}, {"$ref": "#/x"}, {"$ref": "#/y"}]}
        });
        strip_null(&mut v);
        assert_eq!(v["a"], json!({"type": "string", "format": "uuid"}));
        assert_eq!(
            v["b"],
            json!({"$ref": "#/components/schemas/X", "description": "d"})
        );
        assert_eq!(v["c"]["oneOf"].as_array().unwrap().len(), 2);
    }
}
