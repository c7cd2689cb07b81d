use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A resource in a response, with its `ETag` (the resource's `version`) so a client can send it
/// back in `If-Match`.
pub struct Resource<T> {
    pub status: StatusCode,
    pub body: T,
    pub version: i64,
}

impl<T> Resource<T> {
    pub fn ok(body: T, version: i64) -> Self {
        Resource {
            status: StatusCode::OK,
            body,
            version,
        }
    }

    pub fn created(body: T, version: i64) -> Self {
        Resource {
            status: StatusCode::CREATED,
            body,
            version,
        }
    }
}

impl<T: Serialize> IntoResponse for Resource<T> {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", self.version)) {
            response.headers_mut().insert(header::ETAG, tag);
        }
        response
    }
}
