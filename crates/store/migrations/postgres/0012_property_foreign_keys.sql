-- Defence in depth: the database itself refuses a row that points at another property's row.
-- Every reference from a property's row to another property-owned row is a foreign key on
-- (property_id, parent id) to the parent's UNIQUE (property_id, id), replacing the foreign key
-- on the parent id alone. Tables that link two property-owned rows without a property of their
-- own (a rate plan's policy exceptions, a promotion's master rates, rate plans and add-ons, a
-- bundle's items) get a property_id, taken from their first parent.
--
-- Not covered, on purpose: rows with a single parent and no property of their own (daily_rates,
-- room_availability, booking_nights, booking_refunds): their property IS their parent's, so they
-- cannot disagree with it, and the first two are the largest, hottest tables. A booking's
-- master_rate_id, room_type_id and rate_plan_id are a snapshot that outlives the rate plan or
-- room type (a cancelled booking does not block their deletion), so they have no foreign key.
--
-- Adding a foreign key checks the rows already stored: a database that holds a row of one
-- property pointing at another's refuses the migration instead of carrying it along.

ALTER TABLE cancellation_policies ADD CONSTRAINT cancellation_policies_property_id UNIQUE (property_id, id);
ALTER TABLE room_types ADD CONSTRAINT room_types_property_id UNIQUE (property_id, id);
ALTER TABLE rate_plans ADD CONSTRAINT rate_plans_property_id UNIQUE (property_id, id);
ALTER TABLE master_rates ADD CONSTRAINT master_rates_property_id UNIQUE (property_id, id);
ALTER TABLE inventory_items ADD CONSTRAINT inventory_items_property_id UNIQUE (property_id, id);
ALTER TABLE promotions ADD CONSTRAINT promotions_property_id UNIQUE (property_id, id);
ALTER TABLE promotion_bundles ADD CONSTRAINT promotion_bundles_property_id UNIQUE (property_id, id);
ALTER TABLE sales_channels ADD CONSTRAINT sales_channels_property_id UNIQUE (property_id, id);
ALTER TABLE bookings ADD CONSTRAINT bookings_property_id UNIQUE (property_id, id);

-- The link tables' property, from their first parent.
ALTER TABLE rate_plan_policy_exceptions ADD COLUMN property_id UUID;
UPDATE rate_plan_policy_exceptions e SET property_id = r.property_id FROM rate_plans r WHERE r.id = e.rate_plan_id;
ALTER TABLE rate_plan_policy_exceptions ALTER COLUMN property_id SET NOT NULL;

ALTER TABLE promotion_master_rates ADD COLUMN property_id UUID;
UPDATE promotion_master_rates l SET property_id = p.property_id FROM promotions p WHERE p.id = l.promotion_id;
ALTER TABLE promotion_master_rates ALTER COLUMN property_id SET NOT NULL;

ALTER TABLE promotion_rate_plans ADD COLUMN property_id UUID;
UPDATE promotion_rate_plans l SET property_id = p.property_id FROM promotions p WHERE p.id = l.promotion_id;
ALTER TABLE promotion_rate_plans ALTER COLUMN property_id SET NOT NULL;

ALTER TABLE promotion_add_ons ADD COLUMN property_id UUID;
UPDATE promotion_add_ons l SET property_id = p.property_id FROM promotions p WHERE p.id = l.promotion_id;
ALTER TABLE promotion_add_ons ALTER COLUMN property_id SET NOT NULL;

ALTER TABLE promotion_bundle_items ADD COLUMN property_id UUID;
UPDATE promotion_bundle_items i SET property_id = b.property_id FROM promotion_bundles b WHERE b.id = i.bundle_id;
ALTER TABLE promotion_bundle_items ALTER COLUMN property_id SET NOT NULL;

ALTER TABLE rate_plans DROP CONSTRAINT rate_plans_cancellation_policy_id_fkey,
    ADD CONSTRAINT rate_plans_cancellation_policy_fk FOREIGN KEY (property_id, cancellation_policy_id)
        REFERENCES cancellation_policies (property_id, id);

ALTER TABLE rate_plan_policy_exceptions DROP CONSTRAINT rate_plan_policy_exceptions_rate_plan_id_fkey,
    DROP CONSTRAINT rate_plan_policy_exceptions_cancellation_policy_id_fkey,
    ADD CONSTRAINT rate_plan_policy_exceptions_rate_plan_fk FOREIGN KEY (property_id, rate_plan_id)
        REFERENCES rate_plans (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT rate_plan_policy_exceptions_policy_fk FOREIGN KEY (property_id, cancellation_policy_id)
        REFERENCES cancellation_policies (property_id, id);

ALTER TABLE master_rates DROP CONSTRAINT master_rates_room_type_id_fkey,
    DROP CONSTRAINT master_rates_rate_plan_id_fkey,
    ADD CONSTRAINT master_rates_room_type_fk FOREIGN KEY (property_id, room_type_id)
        REFERENCES room_types (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT master_rates_rate_plan_fk FOREIGN KEY (property_id, rate_plan_id)
        REFERENCES rate_plans (property_id, id) ON DELETE CASCADE;

ALTER TABLE inventory_items DROP CONSTRAINT inventory_items_rate_plan_id_fkey,
    ADD CONSTRAINT inventory_items_rate_plan_fk FOREIGN KEY (property_id, rate_plan_id)
        REFERENCES rate_plans (property_id, id);

ALTER TABLE promotion_master_rates DROP CONSTRAINT promotion_master_rates_promotion_id_fkey,
    DROP CONSTRAINT promotion_master_rates_master_rate_id_fkey,
    ADD CONSTRAINT promotion_master_rates_promotion_fk FOREIGN KEY (property_id, promotion_id)
        REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT promotion_master_rates_master_rate_fk FOREIGN KEY (property_id, master_rate_id)
        REFERENCES master_rates (property_id, id);

ALTER TABLE promotion_rate_plans DROP CONSTRAINT promotion_rate_plans_promotion_id_fkey,
    DROP CONSTRAINT promotion_rate_plans_rate_plan_id_fkey,
    ADD CONSTRAINT promotion_rate_plans_promotion_fk FOREIGN KEY (property_id, promotion_id)
        REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT promotion_rate_plans_rate_plan_fk FOREIGN KEY (property_id, rate_plan_id)
        REFERENCES rate_plans (property_id, id);

ALTER TABLE promotion_add_ons DROP CONSTRAINT promotion_add_ons_promotion_id_fkey,
    DROP CONSTRAINT promotion_add_ons_add_on_id_fkey,
    ADD CONSTRAINT promotion_add_ons_promotion_fk FOREIGN KEY (property_id, promotion_id)
        REFERENCES promotions (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT promotion_add_ons_add_on_fk FOREIGN KEY (property_id, add_on_id)
        REFERENCES inventory_items (property_id, id);

ALTER TABLE promotion_bundle_items DROP CONSTRAINT promotion_bundle_items_bundle_id_fkey,
    DROP CONSTRAINT promotion_bundle_items_promotion_id_fkey,
    ADD CONSTRAINT promotion_bundle_items_bundle_fk FOREIGN KEY (property_id, bundle_id)
        REFERENCES promotion_bundles (property_id, id) ON DELETE CASCADE,
    ADD CONSTRAINT promotion_bundle_items_promotion_fk FOREIGN KEY (property_id, promotion_id)
        REFERENCES promotions (property_id, id);

ALTER TABLE bookings DROP CONSTRAINT bookings_sales_channel_id_fkey,
    ADD CONSTRAINT bookings_sales_channel_fk FOREIGN KEY (property_id, sales_channel_id)
        REFERENCES sales_channels (property_id, id);

ALTER TABLE notifications DROP CONSTRAINT notifications_booking_id_fkey,
    ADD CONSTRAINT notifications_booking_fk FOREIGN KEY (property_id, booking_id)
        REFERENCES bookings (property_id, id);

ALTER TABLE reviews DROP CONSTRAINT reviews_booking_id_fkey,
    ADD CONSTRAINT reviews_booking_fk FOREIGN KEY (property_id, booking_id)
        REFERENCES bookings (property_id, id);
