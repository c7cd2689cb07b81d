//! The API reference page works without internet access (its script is served from the binary),
//! and `/` leads browsers to it and API clients to an index.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::on_both_engines;
use crate::support::{TestApp, TestResponse};

/// The vendored bundle, read independently of the server's `include_bytes!`.
const VENDORED_BUNDLE: &[u8] = include_bytes!("../../assets/scalar/standalone.js");

/// What Chromium sends when it navigates to a page.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> TestResponse {
    let mut request = Request::builder().method(Method::GET).uri(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn header(r: &TestResponse, name: header::HeaderName) -> &str {
    r.headers
        .get(&name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Every value of `attribute="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!("{attribute}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            &rest[..rest.find('"').expect("attribute closes")]
        })
        .collect()
}

async fn reference_page_names_only_local_urls(app: TestApp) {
    let r = get(&app, "/scalar", Some(BROWSER_ACCEPT)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(header(&r, header::CONTENT_TYPE).starts_with("text/html"));
    let html = String::from_utf8(r.bytes.clone()).unwrap();

    // Any absolute URL in the page, in markup or script, would be a request leaving the machine.
    let external: Vec<&str> = html
        .match_indices("://")
        .map(|(at, _)| &html[at.saturating_sub(10)..(at + 60).min(html.len())])
        .collect();
    assert!(
        external.is_empty(),
        "external reference in /scalar: {external:?}"
    );
    let scripts = attribute_values(&html, "src");
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    assert!(scripts[0].starts_with("/scalar/"), "{scripts:?}");
    for url in attribute_values(&html, "href").into_iter().chain(scripts) {
        // A path on this server; `//host/…` would be another host.
        assert!(url.starts_with('/') && !url.starts_with("//"), "{url}");
    }
    // Scalar fetches its fonts from its CDN unless told not to.
    assert!(html.contains("withDefaultFonts: false"));
    // The page opens with the document's client-credentials scheme chosen, token URL included.
    assert!(html.contains(r#"preferredSecurityScheme: "oauth2ClientCredentials""#));
    assert!(html.contains("tokenUrl: origin + '/oauth2/token'"));
    assert!(html.contains("url: origin + '/openapi.json'"));
}

async fn bundle_is_the_embedded_file_cached_for_a_year(app: TestApp) {
    let page = get(&app, "/scalar", None).await;
    let html = String::from_utf8(page.bytes.clone()).unwrap();
    let src = attribute_values(&html, "src")[0].to_string();

    let r = get(&app, &src, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let content_type = header(&r, header::CONTENT_TYPE);
    assert_eq!(
        content_type.split(';').next().unwrap().trim(),
        "application/javascript"
    );
    assert_eq!(
        header(&r, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(
        r.bytes == VENDORED_BUNDLE,
        "served bytes differ from the vendored file"
    );
    // Immutable is only honest when the URL changes with the bytes.
    assert!(
        src.contains(wink_api::reference_page::SCALAR_VERSION),
        "{src}"
    );
    // The page itself is revalidated, so an upgraded server's new bundle URL is picked up.
    assert_eq!(header(&page, header::CACHE_CONTROL), "no-cache");
}

async fn root_sends_browsers_to_the_reference_page(app: TestApp) {
    let r = get(&app, "/", Some(BROWSER_ACCEPT)).await;
    assert!(
        r.status == StatusCode::SEE_OTHER || r.status == StatusCode::FOUND,
        "{}",
        r.status
    );
    assert_eq!(header(&r, header::LOCATION), "/scalar");
    assert_eq!(header(&r, header::VARY), "Accept");
}

async fn root_answers_api_clients_with_an_index(app: TestApp) {
    for accept in [Some("application/json"), Some("*/*"), None] {
        let r = get(&app, "/", accept).await;
        assert_eq!(r.status, StatusCode::OK, "{accept:?}");
        assert!(header(&r, header::CONTENT_TYPE).starts_with("application/json"));
        assert_eq!(header(&r, header::VARY), "Accept");
        let links = &r.json["links"];
        assert_eq!(links["openapi"], "/openapi.json");
        assert_eq!(links["reference"], "/scalar");
        assert_eq!(links["token"], "/oauth2/token");
        assert_eq!(links["health"], "/health");
        assert_eq!(links["ready"], "/ready");
    }

    // Every link leads somewhere: the readable ones answer 200, the token endpoint asks for
    // client credentials rather than not existing.
    let index = get(&app, "/", Some("application/json")).await.json;
    for (name, href) in index["links"].as_object().unwrap() {
        let href = href.as_str().unwrap();
        if name == "token" {
            let r = app.call(Method::POST, href, None, None).await;
            assert_ne!(r.status, StatusCode::NOT_FOUND, "{href}");
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{href}");
        } else {
            assert_eq!(get(&app, href, None).await.status, StatusCode::OK, "{href}");
        }
    }
}

async fn root_and_reference_are_not_operations_of_the_contract(app: TestApp) {
    let doc = get(&app, "/openapi.json", None).await.json;
    let paths = doc["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for ours in ["/", "/health", "/ready", "/openapi.json"] {
        assert!(!paths.contains_key(ours), "{ours} is in /openapi.json");
    }
    assert!(!paths.keys().any(|p| p.starts_with("/scalar")));
}

on_both_engines!(
    reference_page_names_only_local_urls,
    bundle_is_the_embedded_file_cached_for_a_year,
    root_sends_browsers_to_the_reference_page,
    root_answers_api_clients_with_an_index,
    root_and_reference_are_not_operations_of_the_contract,
);
