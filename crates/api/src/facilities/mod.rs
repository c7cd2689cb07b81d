//! Area "facilities": the guest rooms a property sells.

pub mod guest_room;
