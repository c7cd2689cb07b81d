//! HEAD is GET without a body (RFC 9110 §9.3.2): the same authentication, status and headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::on_both_engines;
use crate::support::{TestApp, TestResponse, base};

async fn send(app: &TestApp, method: Method, path: &str, token: Option<&str>) -> TestResponse {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The HEAD answer has the GET's status and headers (bar the per-request id) and no body.
async fn same_as_get(app: &TestApp, path: &str, token: Option<&str>, status: StatusCode) {
    let get = send(app, Method::GET, path, token).await;
    let head = send(app, Method::HEAD, path, token).await;
    assert_eq!(get.status, status, "GET {path}: {}", get.json);
    assert_eq!(head.status, status, "HEAD {path}: {}", head.json);
    assert!(head.bytes.is_empty(), "HEAD {path} has a body");
    for name in [
        header::CONTENT_TYPE,
        header::WWW_AUTHENTICATE,
        header::ETAG,
        header::CACHE_CONTROL,
    ] {
        assert_eq!(
            get.headers.get(&name),
            head.headers.get(&name),
            "{name} of HEAD {path}"
        );
    }
    if let Some(length) = head.headers.get(header::CONTENT_LENGTH) {
        assert_eq!(
            length.to_str().unwrap(),
            get.bytes.len().to_string(),
            "HEAD {path} announces the GET's length"
        );
    }
}

async fn head_is_get_without_a_body(app: TestApp) {
    let persona = app.persona(&[]).await;
    let property = app.property(&persona).await;
    let list = format!("{}/facility/room-type/list", base(property));
    let token = Some(persona.token.as_str());

    same_as_get(&app, "/health", None, StatusCode::OK).await;
    same_as_get(&app, "/.well-known/jwks.json", None, StatusCode::OK).await;
    same_as_get(&app, "/openapi.json", None, StatusCode::OK).await;
    same_as_get(&app, &list, None, StatusCode::UNAUTHORIZED).await;
    same_as_get(&app, &list, token, StatusCode::OK).await;
    same_as_get(
        &app,
        &format!("{}/facility/room-type/list", base(uuid::Uuid::new_v4())),
        token,
        StatusCode::NOT_FOUND,
    )
    .await;
    // The calendar feed authenticates itself (HTTP Basic): without credentials, 401 either way.
    same_as_get(
        &app,
        &format!("/api/cal/property/{property}/booking/list"),
        None,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // A token without the operation's scope is refused on HEAD as on GET.
    let other = app.persona(&["booking.read"]).await;
    same_as_get(&app, &list, Some(&other.token), StatusCode::FORBIDDEN).await;
}

on_both_engines!(head_is_get_without_a_body);
