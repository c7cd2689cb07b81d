//! Tag "Attraction": attractions the property shows its guests. Handled by the generic inventory code (see the parent module):
//! this file names the kind's wire types, paths and operationIds.

use wink_contract::{Attraction, UpsertAttractionRequest};

inventory_kind! {
    kind: Attraction,
    tag: "Attraction",
    one: "an attraction",
    many: "attractions",
    request: UpsertAttractionRequest,
    response: Attraction,
    removed: Attraction,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/attraction",
    id: "attractionIdentifier",
    create: create_attraction "create-attraction",
    list: show_attractions "show-attractions",
    pairs: show_attraction_pairs "show-attraction-pairs",
    show: show_attraction "show-attraction",
    update: update_attraction "update-attraction",
    remove: remove_attraction "remove-attraction",
    rules: {}
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::Attraction, id),
    tag: "Attraction",
    response: Attraction,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/attraction",
    id: "attractionIdentifier",
    upload: upload_attraction_media "upload-attraction-media",
}
