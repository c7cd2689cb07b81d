//! Tag "Restaurant": the property's restaurants. Handled by the generic inventory code (see the
//! parent module): this file names the kind's wire types, paths and operationIds, and its one
//! rule of its own: the largest table does not seat more than the restaurant.

use wink_contract::{Restaurant, UpsertRestaurantRequest};

inventory_kind! {
    kind: Restaurant,
    tag: "Restaurant",
    one: "a restaurant",
    many: "restaurants",
    request: UpsertRestaurantRequest,
    response: Restaurant,
    removed: Restaurant,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/restaurant",
    id: "restaurantIdentifier",
    create: create_restaurant "create-restaurant",
    list: show_restaurants "show-restaurants",
    pairs: show_restaurant_pairs "show-restaurant-pairs",
    show: show_restaurant "show-restaurant",
    update: update_restaurant "update-restaurant",
    remove: remove_restaurant "remove-restaurant",
    rules: {
        fn rules(&self) -> Result<(), ApiError> {
            if self.max_single_party > self.max_seating_capacity {
                return Err(ApiError::field(
                    "/maxSingleParty",
                    format!(
                        "must not be more than maxSeatingCapacity ({})",
                        self.max_seating_capacity
                    ),
                ));
            }
            Ok(())
        }
    }
}

crate::inventory::media::item_media! {
    item: |id| wink_store::media::ItemRef::Inventory(wink_store::inventory::Kind::Restaurant, id),
    tag: "Restaurant",
    response: Restaurant,
    path: "/api/managing-entity/{managingEntityIdentifier}/extranet/facility/restaurant",
    id: "restaurantIdentifier",
    upload: upload_restaurant_media "upload-restaurant-media",
    remove: remove_multimedia_3 "remove-multimedia_3",
}
