-- The property's other inventories: add-ons, spas, restaurants, meeting rooms, places,
-- attractions and activities, in one table (they differ only in their descriptive content).
--
-- What each column means:
-- - kind: the contract's InventoryType value of the item (ADD_ON, SPA, RESTAURANT, MEETING_ROOM,
--   PLACE, ATTRACTION, ACTIVITY). An item is only ever found under its own kind's paths.
-- - name: the request's `name`, trimmed (lists, pairs and refusals show it).
-- - document: the kind's upsert request as received, after validation (name trimmed). Media
--   references (`multimedias`) are kept as sent; this server stores no media files.
-- - rate_plan_id: an add-on's `ratePlanIdentifier` (the rate plan whose guests may buy it), NULL
--   for every other kind and for add-ons not restricted to a rate plan. A rate plan an add-on
--   names cannot be deleted (the delete is refused naming the add-ons; the foreign key is the
--   safety net).
-- - promotion_add_ons: a promotion's `addOnIdentifiers` as rows, so an add-on a promotion names
--   cannot be deleted under it and its usage can be counted.

CREATE TABLE inventory_items (
    id           UUID PRIMARY KEY,
    property_id  UUID NOT NULL REFERENCES properties (id),
    kind         TEXT NOT NULL CHECK (kind IN ('ADD_ON', 'SPA', 'RESTAURANT', 'MEETING_ROOM', 'PLACE', 'ATTRACTION', 'ACTIVITY')),
    name         TEXT NOT NULL,
    rate_plan_id UUID REFERENCES rate_plans (id),
    document     JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX inventory_items_property_kind ON inventory_items (property_id, kind, created_at);
CREATE INDEX inventory_items_rate_plan ON inventory_items (rate_plan_id);

CREATE TABLE promotion_add_ons (
    promotion_id UUID NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    add_on_id    UUID NOT NULL REFERENCES inventory_items (id),
    PRIMARY KEY (promotion_id, add_on_id)
);
CREATE INDEX promotion_add_ons_add_on ON promotion_add_ons (add_on_id);
