//! Tag "Affiliate": the accounts that sell the property (the owners of its sales channels; every
//! booking is made through one), with what their bookings add up to, and invitations to become
//! one.
//!
//! Decisions a client sees (docs/distribution-and-bookings.md, "Affiliates"):
//! - Figures count the bookings that hold (made, not cancelled; test bookings included, as they
//!   are this server's sales), like `booking/overview`: `bookings`, `totalPriceAmount` (their
//!   totals, summed exactly), `averageBookingAmount` (total per booking rounded half away from
//!   zero to the currency's minor unit, 0 without bookings), in the property's currency.
//! - An affiliate is listed from the moment its channel exists, with zero figures until it sells.
//! - The affiliate detail leaves out `managingEntity`: the contract requires a city, country and
//!   continent for it, which accounts on this server do not have. `total` names the affiliate
//!   (`typeName`, `typeIdentifier`); `byPropertyList` is the path's property (figures are per
//!   property, in its currency); `byCountryList` its country (ISO code), when the property has one.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use uuid::Uuid;
use wink_contract::{
    BooleanResponse, CompanyDetailsBookingSalesMetrics, DisplayCompanyWithSalesMetrics,
    DisplayCompanyWithSalesMetricsPage, EntityType, GroupedBookingSalesMetrics,
    GroupedBookingSalesMetricsType, InviteAffiliateRequest,
};
use wink_domain::money::Currency;
use wink_domain::sales_metrics::SalesMetrics;
use wink_domain::{email_address, invitation_limit};
use wink_store::affiliate_invitations::AFFILIATE_INVITATION;
use wink_store::affiliates::{Affiliate, columns as c};
use wink_store::notifications::Notification;

use crate::auth::PropertyContext;
use crate::error::{ApiError, Problems};
use crate::extract::{Path, id};
use crate::grid::{self, Field, GridState};
use crate::state::AppState;
use crate::validation::ValidJson;

/// The DisplayCompanyWithSalesMetrics fields the grid filters and sorts on, by wire name.
pub const FIELDS: &[Field] = &[
    Field::new("ownerIdentifier", c::OWNER),
    Field::new("ownerName", c::OWNER_NAME),
    Field::one_of("type", c::OWNER_TYPE, grid::ENTITY_TYPES),
    Field::new("bookings", c::BOOKINGS),
    Field::new("totalPriceAmount", c::TOTAL),
    Field::new("averageBookingAmount", c::AVERAGE),
    Field::new("currencyCode", c::CURRENCY),
];

/// Browse the property's affiliates with their sales: a page under the request's filter and
/// order (biggest `totalPriceAmount` first, then by name, when it gives none), in the page
/// envelope. Fields: `ownerIdentifier`, `ownerName`, `type`, `bookings`, `totalPriceAmount`,
/// `averageBookingAmount`, `currencyCode`; anything else is a 400 naming it; `group` is refused.
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/affiliate/grid",
    operation_id = "browse-affiliates", tag = "Affiliate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = GridState,
    responses((status = 200, body = DisplayCompanyWithSalesMetricsPage), Problems))]
pub async fn browse_affiliates(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<GridState>,
) -> Result<axum::Json<DisplayCompanyWithSalesMetricsPage>, ApiError> {
    let grid = grid::parse(&body.value, FIELDS, "", &state.date_window(&ctx.property))?;
    let (rows, total) = state
        .store
        .affiliate_grid(ctx.property.id, &grid.query, grid.take, grid.skip)
        .await?;
    let owners: Vec<Uuid> = rows.iter().map(|a| a.owner_id).collect();
    let sales = sales_by_owner(&state, ctx.property.id, &owners).await?;
    let currency = currency(&ctx.property.currency)?;
    let content = rows
        .iter()
        .map(|a| {
            let m = sales.get(&a.owner_id).copied().unwrap_or_default();
            Ok(DisplayCompanyWithSalesMetrics {
                owner_identifier: Some(a.owner_id),
                r#type: Some(entity_type(a)?),
                owner_name: Some(a.owner_name.clone()),
                bookings: Some(m.bookings as i64),
                total_price_amount: Some(number(m.total)),
                average_booking_amount: Some(number(m.average(currency))),
                currency_code: Some(ctx.property.currency.clone()),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let meta = grid.page(content.len(), total);
    Ok(axum::Json(DisplayCompanyWithSalesMetricsPage {
        content,
        first: meta.first,
        last: meta.last,
        number: meta.number,
        number_of_elements: meta.number_of_elements,
        size: meta.size,
        total_elements: meta.total_elements,
        total_pages: meta.total_pages,
    }))
}

/// One affiliate of the property (an owner of one of its sales channels) with its sales; any
/// other id is 404.
#[utoipa::path(get, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/affiliate/{affiliateManagingEntityIdentifier}",
    operation_id = "show-affiliate", tag = "Affiliate",
    params(("managingEntityIdentifier" = Uuid, Path), ("affiliateManagingEntityIdentifier" = Uuid, Path)),
    responses((status = 200, body = CompanyDetailsBookingSalesMetrics), Problems))]
pub async fn show_affiliate(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
) -> Result<axum::Json<CompanyDetailsBookingSalesMetrics>, ApiError> {
    let affiliate = state.store.affiliate(ctx.property.id, id(&ids.1)?).await?;
    let m = sales_by_owner(&state, ctx.property.id, &[affiliate.owner_id])
        .await?
        .remove(&affiliate.owner_id)
        .unwrap_or_default();
    let currency = currency(&ctx.property.currency)?;
    let group = |kind, name: String, identifier: Option<Uuid>| GroupedBookingSalesMetrics {
        r#type: Some(kind),
        type_name: Some(name),
        type_identifier: identifier,
        bookings: Some(m.bookings as i64),
        total_price_amount: Some(number(m.total)),
        average_booking_amount: Some(number(m.average(currency))),
        currency_code: Some(ctx.property.currency.clone()),
    };
    let property = state.store.property(ctx.property.id).await?;
    let country = property
        .document
        .0
        .pointer("/addressLocal/countryCode")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    Ok(axum::Json(CompanyDetailsBookingSalesMetrics {
        managing_entity: None,
        total: Some(group(
            GroupedBookingSalesMetricsType::ByTotal,
            affiliate.owner_name.clone(),
            Some(affiliate.owner_id),
        )),
        by_property_list: vec![group(
            GroupedBookingSalesMetricsType::ByProperty,
            ctx.property.name.clone(),
            Some(ctx.property.id),
        )],
        by_country_list: country
            .map(|code| group(GroupedBookingSalesMetricsType::ByCountry, code, None))
            .into_iter()
            .collect(),
    }))
}

/// Record an e-mail inviting `affiliateName` at `affiliateEmail` to become an affiliate of the
/// property, replies to `hotelEmail`. Nothing is delivered by this server: the invitation waits in
/// the notification outbox (kind AFFILIATE_INVITATION) for the deployment's mail relay. At most
/// one invitation to an address per property in 24 hours, and 20 per property in 24 hours;
/// beyond, nothing is recorded and the answer is `success: false` saying why, with
/// `Retry-After` (seconds).
#[utoipa::path(post, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/sales/affiliate/invite",
    operation_id = "invite-affiliate", tag = "Affiliate",
    params(("managingEntityIdentifier" = Uuid, Path)),
    request_body = InviteAffiliateRequest,
    responses((status = 200, body = BooleanResponse,
        description = "`success` true: recorded in the outbox. `success` false: not sent, over a \
            limit (the message says which); `Retry-After` gives the seconds to wait."), Problems))]
pub async fn invite_affiliate(
    State(state): State<AppState>,
    ctx: PropertyContext,
    body: ValidJson<InviteAffiliateRequest>,
) -> Result<Response, ApiError> {
    let req = &body.value;
    let affiliate_email = req.affiliate_email.trim();
    let hotel_email = req.hotel_email.trim();
    let name = req.affiliate_name.trim();
    let mut problems = Vec::new();
    for (field, address) in [
        ("/affiliateEmail", affiliate_email),
        ("/hotelEmail", hotel_email),
    ] {
        if let Err(why) = email_address::check(address) {
            problems.push(wink_contract::FieldError {
                field: field.into(),
                message: why.into(),
            });
        }
    }
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        problems.push(wink_contract::FieldError {
            field: "/affiliateName".into(),
            message: "must be 1 to 200 characters, without line breaks or control characters"
                .into(),
        });
    }
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let note = Notification {
        id: Uuid::new_v4(),
        property_id: ctx.property.id,
        booking_id: None,
        kind: AFFILIATE_INVITATION.into(),
        recipient: affiliate_email.into(),
        requested_by: ctx.caller.client_id,
        requested_at: state.now(),
        sent_at: None,
    };
    let details = json!({
        "affiliateName": name,
        "replyTo": hotel_email,
        "propertyName": ctx.property.name,
    });
    let outcome = state
        .store
        .record_invitation_if(
            &note,
            &details,
            invitation_limit::counted_since(note.requested_at),
            |recorded| invitation_limit::check(recorded, affiliate_email, note.requested_at),
        )
        .await?;
    // Over a limit the invitation is not sent, which the contract's answer can say ("whether the
    // invitation was sent"): 200 with `success: false`, why, and `Retry-After`. The contract
    // documents no 429 for this operation.
    let (success, message, retry_after) = match outcome {
        Ok(()) => (
            true,
            format!(
                "the invitation for {affiliate_email} is recorded in the outbox at {}; it is \
                 mailed from there when the server's SMTP relay is configured",
                note.requested_at.to_rfc3339()
            ),
            None,
        ),
        Err(invitation_limit::Limited::Recipient {
            retry_after_seconds,
        }) => (
            false,
            format!(
                "not sent: {affiliate_email} was invited to this property less than {} hours \
                 ago; retry after {retry_after_seconds} seconds",
                invitation_limit::WINDOW_HOURS
            ),
            Some(retry_after_seconds),
        ),
        Err(invitation_limit::Limited::Property {
            retry_after_seconds,
        }) => (
            false,
            format!(
                "not sent: the property already sent {} invitations in {} hours; retry after \
                 {retry_after_seconds} seconds",
                invitation_limit::MAX_PER_PROPERTY,
                invitation_limit::WINDOW_HOURS
            ),
            Some(retry_after_seconds),
        ),
    };
    let body = axum::Json(BooleanResponse {
        success: Some(success),
        message: Some(message),
    });
    let mut response = body.into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    Ok(response)
}

/// The exact sales of these owners at the property.
async fn sales_by_owner(
    state: &AppState,
    property: Uuid,
    owners: &[Uuid],
) -> Result<HashMap<Uuid, SalesMetrics>, ApiError> {
    let mut out: HashMap<Uuid, SalesMetrics> = HashMap::new();
    for (owner, total, count) in state.store.affiliate_sales(property, owners).await? {
        out.entry(owner).or_default().add(total, count);
    }
    Ok(out)
}

fn currency(code: &str) -> Result<Currency, ApiError> {
    Currency::parse(code)
        .map_err(|_| ApiError::Internal(format!("the property's currency {code:?} is unknown")))
}

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn entity_type(a: &Affiliate) -> Result<EntityType, ApiError> {
    serde_json::from_value(Value::String(a.owner_type.clone())).map_err(|_| {
        ApiError::Internal(format!(
            "account {} has an unknown entity type {:?}",
            a.owner_id, a.owner_type
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_types_are_the_contracts() {
        for t in grid::ENTITY_TYPES {
            assert!(
                serde_json::from_value::<EntityType>(json!(t)).is_ok(),
                "{t}"
            );
        }
        assert_eq!(grid::ENTITY_TYPES.len(), 20);
    }

    #[test]
    fn field_names_are_unique() {
        let mut names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FIELDS.len());
    }
}
