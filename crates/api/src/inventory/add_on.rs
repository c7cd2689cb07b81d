//! Tag "Add-On": what a guest can buy with a stay (a transfer, a dinner, a spa treatment...).
//! Handled by the generic inventory code (see the parent module): this file names the kind's
//! wire types, paths and operationIds, and its rules of its own:
//! - an add-on is offered either to the guests of one rate plan (`ratePlanIdentifier`, a rate plan
//!   of the property, shown as `ratePlan` in answers) or in date ranges (`dateRanges`), not both;
//! - no date range ends before it starts.
//!
//! Promotions may name add-ons (`addOnIdentifiers`); an add-on a promotion names cannot be
//! deleted. A delete answers the contract's `RemoveEntryResponse`. There is no pair list.

use wink_contract::{AddOn, RemoveEntryResponse, UpsertAddOnRequest};

inventory_kind! {
    kind: AddOn,
    tag: "Add-On",
    one: "an add-on",
    many: "add-ons",
    request: UpsertAddOnRequest,
    response: AddOn,
    removed: RemoveEntryResponse,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/add-on",
    id: "addOnIdentifier",
    create: create_add_on "create-add-on",
    list: show_add_ons "show-add-ons",
    show: show_add_on "show-add-on",
    update: update_add_on "update-add-on",
    remove: remove_add_on "remove-add-on",
    rules: {
        fn rules(&self) -> Result<(), ApiError> {
            if self.rate_plan_identifier.is_some() && !self.date_ranges.is_empty() {
                return Err(ApiError::field(
                    "/dateRanges",
                    "an add-on is restricted to a rate plan or to date ranges, not both",
                ));
            }
            for (i, range) in self.date_ranges.iter().enumerate() {
                if range.end_date < range.start_date {
                    return Err(ApiError::field(
                        format!("/dateRanges/{i}/endDate"),
                        format!("must not be before startDate ({})", range.start_date),
                    ));
                }
            }
            Ok(())
        }

        fn rate_plan(&self) -> Option<uuid::Uuid> {
            self.rate_plan_identifier
        }

        fn dates(&self) -> Vec<(String, chrono::NaiveDate)> {
            let ranges = self.date_ranges.iter().enumerate();
            ranges
                .flat_map(|(i, r)| {
                    [
                        (format!("/dateRanges/{i}/startDate"), r.start_date),
                        (format!("/dateRanges/{i}/endDate"), r.end_date),
                    ]
                })
                .collect()
        }
    }
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::AddOn, id),
    tag: "Add-On",
    response: AddOn,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/add-on",
    id: "addOnIdentifier",
    upload: upload_binary_add_on_media "upload-binary-add-on-media",
    remove: remove_multimedia_1 "remove-multimedia_1",
}

/// Add a medium by reference.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/add-on/{addOnIdentifier}/multimedia",
    operation_id = "add-multimedia", tag = "Add-On",
    summary = "Add a medium by reference",
    description = "A file of this server (its URL as `identifier`, of this property) or a reference kept elsewhere. It gets a new `multimediaIdentifier`.",
    params(("managingEntityIdentifier" = uuid::Uuid, Path), ("addOnIdentifier" = uuid::Uuid, Path)),
    request_body = wink_contract::SimpleMultimedia,
    responses((status = 200, body = AddOn), Problems))]
pub async fn add_multimedia(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String)>,
    body: ValidJson<wink_contract::SimpleMultimedia>,
) -> Result<Resource<AddOn>, ApiError> {
    let item = wink_store::media::ItemRef::Inventory(
        wink_store::inventory::Kind::AddOn,
        crate::extract::id(&ids.1)?,
    );
    crate::inventory::media::add(&state, &ctx, item, body.value).await
}

/// Update a medium's metadata.
#[utoipa::path(patch, path = "/api/managing-entity/{managingEntityIdentifier}/extranet/add-on/{addOnIdentifier}/multimedia/{multimediaIdentifier}",
    operation_id = "update-add-on-multimedia", tag = "Add-On",
    summary = "Update a medium's metadata",
    description = "For a file of this server, `identifier`, `type`, `width` and `height` stay the file's.",
    params(("managingEntityIdentifier" = uuid::Uuid, Path), ("addOnIdentifier" = uuid::Uuid, Path), ("multimediaIdentifier" = uuid::Uuid, Path)),
    request_body = wink_contract::SimpleMultimedia,
    responses((status = 200, body = AddOn), Problems))]
pub async fn update_add_on_multimedia(
    State(state): State<AppState>,
    ctx: PropertyContext,
    Path(ids): Path<(String, String, String)>,
    body: ValidJson<wink_contract::SimpleMultimedia>,
) -> Result<Resource<AddOn>, ApiError> {
    let item = wink_store::media::ItemRef::Inventory(
        wink_store::inventory::Kind::AddOn,
        crate::extract::id(&ids.1)?,
    );
    crate::inventory::media::update(&state, &ctx, item, &ids.2, body.value).await
}
