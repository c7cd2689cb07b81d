//! Tag "Meeting Room": the property's meeting rooms. Handled by the generic inventory code (see the parent module):
//! this file names the kind's wire types, paths and operationIds.

use wink_contract::{MeetingRoom, UpsertMeetingRoomRequest};

inventory_kind! {
    kind: MeetingRoom,
    tag: "Meeting Room",
    one: "a meeting room",
    many: "meeting rooms",
    request: UpsertMeetingRoomRequest,
    response: MeetingRoom,
    removed: MeetingRoom,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/meeting-room",
    id: "meetingRoomIdentifier",
    create: create_meeting_room "create-meeting-room",
    list: show_meeting_rooms "show-meeting-rooms",
    pairs: show_meeting_room_pairs "show-meeting-room-pairs",
    show: show_meeting_room "show-meeting-room",
    update: update_meeting_room "update-meeting-room",
    remove: remove_meeting_room "remove-meeting-room",
    rules: {}
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::MeetingRoom, id),
    tag: "Meeting Room",
    response: MeetingRoom,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/meeting-room",
    id: "meetingRoomIdentifier",
    upload: upload_meeting_room_media "upload-meeting-room-media",
    remove: remove_multimedia_4 "remove-multimedia_4",
}
