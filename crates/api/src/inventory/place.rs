//! Tag "Place": places of interest the property shows its guests. Handled by the generic inventory code (see the parent module):
//! this file names the kind's wire types, paths and operationIds.

use wink_contract::{Place, UpsertPlaceRequest};

inventory_kind! {
    kind: Place,
    tag: "Place",
    one: "a place",
    many: "places",
    request: UpsertPlaceRequest,
    response: Place,
    removed: Place,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/place",
    id: "placeIdentifier",
    create: create_place "create-place",
    list: show_places "show-places",
    pairs: show_place_pairs "show-place-pairs",
    show: show_place "show-place",
    update: update_place "update-place",
    remove: remove_place "remove-place",
    rules: {}
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::Place, id),
    tag: "Place",
    response: Place,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/place",
    id: "placeIdentifier",
    upload: upload_place_media "upload-place-media",
}
