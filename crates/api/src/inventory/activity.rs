//! Tag "Activity": activities the property offers its guests. Handled by the generic inventory code (see the parent module):
//! this file names the kind's wire types, paths and operationIds.

use wink_contract::{Activity, UpsertActivityRequest};

inventory_kind! {
    kind: Activity,
    tag: "Activity",
    one: "an activity",
    many: "activities",
    request: UpsertActivityRequest,
    response: Activity,
    removed: Activity,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/activity",
    id: "activityIdentifier",
    create: create_activity "create-activity",
    list: show_activities "show-activities",
    pairs: show_activity_pairs "show-activity-pairs",
    show: show_activity "show-activity",
    update: update_activity "update-activity",
    remove: remove_activity "remove-activity",
    rules: {}
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::Activity, id),
    tag: "Activity",
    response: Activity,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/experience/activity",
    id: "activityIdentifier",
    upload: upload_activity_media "upload-activity-media",
}
