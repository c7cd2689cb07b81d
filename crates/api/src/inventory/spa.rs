//! Tag "Spa": the property's spas. Handled by the generic inventory code (see the parent module):
//! this file names the kind's wire types, paths and operationIds.

use wink_contract::{Spa, UpsertSpaRequest};

inventory_kind! {
    kind: Spa,
    tag: "Spa",
    one: "a spa",
    many: "spas",
    request: UpsertSpaRequest,
    response: Spa,
    removed: Spa,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/spa",
    id: "spaIdentifier",
    create: create_spa "create-spa",
    list: show_spas "show-spas",
    pairs: show_spa_pairs "show-spa-pairs",
    show: show_spa "show-spa",
    update: update_spa "update-spa",
    remove: remove_spa "remove-spa",
    rules: {}
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::Spa, id),
    tag: "Spa",
    response: Spa,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/spa",
    id: "spaIdentifier",
    upload: upload_spa_media "upload-spa-media",
    remove: delete_multimedia "delete-multimedia",
}
