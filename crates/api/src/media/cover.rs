//! Images this server draws itself, served without a token (they end up in `<img>` tags and
//! emails): `GET /media/property/{id}/cover.svg?sig=…`, a cover card with the property's name,
//! which bookings answer as their `hotelImageUrl`. Not part of the contract's operations.
//!
//! The card shows the property's name, so the URL is a capability: `sig` is an Ed25519
//! signature of the property id by the server's token signing key (`kid.signature`), written
//! only into answers for callers who may see the property. Without it, or with one for another
//! property, the answer is 404, as for a property that does not exist. It does not expire, so
//! a link kept in a booking or an e-mail keeps working; retiring the signing key revokes every
//! link it signed (answers written afterwards carry the new key's).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::error::ApiError;
use crate::markup::escape;
use crate::state::AppState;

/// The URL of the property's cover card, signed (see the module's documentation).
pub fn cover_url(state: &AppState, property: Uuid) -> String {
    format!(
        "{}/media/property/{property}/cover.svg?sig={}",
        state.public_base_url(),
        // Without a signing key (every key retired) the link is unsigned and answers 404.
        state
            .tokens
            .sign_detached(&cover_message(property))
            .unwrap_or_default()
    )
}

/// What `sig` signs: the purpose, then the property.
fn cover_message(property: Uuid) -> Vec<u8> {
    [
        b"wink-supplier cover card\0".as_slice(),
        property.as_bytes(),
    ]
    .concat()
}

/// The property's cover card; 404 for anything that is not a property or not signed for it.
pub(super) async fn cover(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    // base64url and `.` need no percent-decoding.
    let signed = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("sig="))
        .unwrap_or_default();
    if !state.tokens.verify_detached(&cover_message(id), signed) {
        return Err(ApiError::NotFound);
    }
    let property = state.store.property_ref(id).await?;
    let mut response = svg(&property.name).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    // An SVG opened directly is a document: allow it nothing but its own inline style.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(response)
}

/// A 1200×630 card (the usual social-preview size) with the name, wrapped on two lines at most.
pub fn svg(name: &str) -> String {
    let lines = wrap(name, 28, 2);
    let first_y = if lines.len() == 1 { 335 } else { 300 };
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            format!(
                r##"<text x="600" y="{}" text-anchor="middle" font-family="Georgia, 'Times New Roman', serif" font-size="64" fill="#ffffff">{}</text>"##,
                first_y + 80 * i,
                escape(line)
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" role="img" aria-label="{label}"><title>{label}</title><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1f3b57"/><stop offset="1" stop-color="#3f6f8f"/></linearGradient></defs><rect width="1200" height="630" fill="url(#g)"/><rect x="40" y="40" width="1120" height="550" fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="2"/>{text}</svg>"##,
        label = escape(name),
    )
}

/// Words of `text` in lines of about `width` characters, at most `max` lines (the last one
/// ending in "…" when the text does not fit).
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
        .into_iter()
        .map(|l| {
            if l.chars().count() > width + 8 {
                let cut: String = l.chars().take(width).collect();
                format!("{cut}…")
            } else {
                l
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_wrapped() {
        let card = svg("Tom & Jerry's <Inn>");
        assert!(card.contains("Tom &amp; Jerry&apos;s &lt;Inn&gt;"));
        assert!(!card.contains("<Inn>"));
        assert_eq!(
            wrap("The Grand Budapest Hotel of Somewhere Far Away", 28, 2).len(),
            2
        );
        assert_eq!(wrap("Short", 28, 2), ["Short"]);
        let long = wrap(
            "one two three four five six seven eight nine ten eleven twelve",
            10,
            2,
        );
        assert_eq!(long.len(), 2);
        assert!(long[1].ends_with('…'));
    }
}
