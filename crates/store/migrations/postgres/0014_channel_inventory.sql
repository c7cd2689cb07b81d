-- Channel inventory: what each sales channel of a property is offered, one record per channel x
-- inventory item (a master rate, i.e. room type x rate plan, or an add-on, spa, restaurant,
-- meeting room, place, attraction or activity).
--
-- Records are derived: every pair exists while both sides exist, enabled and at version 1, with
-- an identifier computed from the pair (wink_domain::channel_inventory::record_id). A row here
-- holds a record's state once it has been toggled (id = that derived identifier), so a channel
-- or an item created by any path has its records at once, and nothing has to be written then.
-- Deleting the channel or the item (a room type or rate plan deletes its master rates) deletes
-- its rows with it.
-- - master_rate_id / inventory_item_id: the item, exactly one of them.
-- - enabled: FALSE withholds the item from that channel only (a master rate is then neither
--   offered nor bookable there).

CREATE TABLE channel_inventory (
    id                UUID PRIMARY KEY,
    property_id       UUID NOT NULL REFERENCES properties (id),
    sales_channel_id  UUID NOT NULL REFERENCES sales_channels (id) ON DELETE CASCADE,
    master_rate_id    UUID REFERENCES master_rates (id) ON DELETE CASCADE,
    inventory_item_id UUID REFERENCES inventory_items (id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL,
    CHECK ((master_rate_id IS NULL) <> (inventory_item_id IS NULL))
);
CREATE INDEX channel_inventory_channel_master_rate ON channel_inventory (sales_channel_id, master_rate_id);
CREATE INDEX channel_inventory_channel_item ON channel_inventory (sales_channel_id, inventory_item_id);
CREATE INDEX channel_inventory_master_rate ON channel_inventory (master_rate_id);
CREATE INDEX channel_inventory_item ON channel_inventory (inventory_item_id);
