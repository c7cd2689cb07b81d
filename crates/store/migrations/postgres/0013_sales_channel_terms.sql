-- The terms a property sets on a sales channel (the channel's PATCH): whether it sells through
-- it (`enabled`, already there), whether it refuses it (`blacklisted`), the share taken off every
-- night sold on it (`percent_discount`) and the share of a booking it earns (`commission`), both
-- fractions 0..1 with four decimals. `removed_at`: a channel removed while bookings point at it
-- is kept, marked, so those bookings stay whole; it sells nothing and is listed nowhere.
ALTER TABLE sales_channels ADD COLUMN blacklisted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sales_channels ADD COLUMN percent_discount NUMERIC(7, 4) NOT NULL DEFAULT 0;
ALTER TABLE sales_channels ADD COLUMN commission NUMERIC(7, 4) NOT NULL DEFAULT 0;
ALTER TABLE sales_channels ADD COLUMN removed_at TIMESTAMPTZ;

-- Promotions and bundles the property switched off on a channel (every other one applies there).
CREATE TABLE sales_channel_promotions_off (
    sales_channel_id UUID NOT NULL REFERENCES sales_channels (id) ON DELETE CASCADE,
    promotion_id     UUID NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    PRIMARY KEY (sales_channel_id, promotion_id)
);
CREATE INDEX sales_channel_promotions_off_promotion ON sales_channel_promotions_off (promotion_id);

CREATE TABLE sales_channel_bundles_off (
    sales_channel_id UUID NOT NULL REFERENCES sales_channels (id) ON DELETE CASCADE,
    bundle_id        UUID NOT NULL REFERENCES promotion_bundles (id) ON DELETE CASCADE,
    PRIMARY KEY (sales_channel_id, bundle_id)
);
CREATE INDEX sales_channel_bundles_off_bundle ON sales_channel_bundles_off (bundle_id);

-- "Does the channel have bookings?" when it is removed.
CREATE INDEX bookings_sales_channel ON bookings (sales_channel_id);
