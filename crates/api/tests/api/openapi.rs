//! The published OpenAPI document is snapshotted in the repository, so any change to the API's
//! surface shows up in review. Regenerate with `UPDATE_SNAPSHOTS=1 cargo test -p wink-api --test api openapi`.

use std::path::PathBuf;

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json")
}

#[test]
fn openapi_document_matches_the_snapshot() {
    let doc = serde_json::to_string_pretty(&wink_api::openapi_document()).unwrap() + "\n";
    let path = snapshot_path();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &doc).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == doc,
        "the OpenAPI document changed; review the change and run `UPDATE_SNAPSHOTS=1 cargo test -p wink-api --test api openapi` to accept it"
    );
}

#[test]
fn every_contract_route_declares_its_scope() {
    let doc = wink_api::openapi_document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let entry = wink_api::auth::operation(id).unwrap_or_else(|| {
                panic!("{id} is neither in the contract table nor an extension")
            });
            let extension = wink_api::auth::EXTENSION_OPERATIONS.contains(entry);
            let tag = op["tags"][0].as_str();
            assert_eq!(
                extension,
                tag == Some(wink_api::auth::EXTENSIONS_TAG),
                "{id}: extensions, and only they, carry the extensions' tag"
            );
            assert_eq!(
                (entry.method.to_lowercase(), entry.path),
                (method.clone(), path.as_str())
            );
            let declared = &op["security"][0];
            match entry.scope {
                // Alternatives (`a|b`) are alternative requirements, one scope each.
                Some(scope) => {
                    let listed: Vec<&str> = op["security"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r["oauth2ClientCredentials"][0].as_str().unwrap())
                        .collect();
                    assert_eq!(listed.join("|"), scope, "{id}");
                }
                None => assert!(declared.get("caldavPasskey").is_some(), "{id}"),
            }
        }
    }
}

/// The route table serves exactly the operations the contract crate generates types for
/// (`crates/contract/operations.txt`) and the extensions: none missing, none extra.
#[test]
fn served_operations_are_those_of_operations_txt() {
    let listed: std::collections::BTreeSet<String> =
        include_str!("../../../contract/operations.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
    let doc = wink_api::openapi_document();
    let served: std::collections::BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/api/"))
        .flat_map(|(_, item)| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str().map(str::to_string))
        .collect();
    let listed = listed
        .into_iter()
        .chain(
            wink_api::auth::EXTENSION_OPERATIONS
                .iter()
                .map(|op| op.id.to_string()),
        )
        .collect();
    assert_eq!(served, listed);
}
