-- Sales channels and bookings.

-- A property (the supplier) sells to an owner: another account on this server (a travel agent, a
-- corporate, the property's own booking engine...). One channel per owner per property.
CREATE TABLE sales_channels (
    id               UUID PRIMARY KEY,
    property_id      UUID NOT NULL REFERENCES properties (id),
    owner_account_id UUID NOT NULL REFERENCES accounts (id),
    enabled          BOOLEAN NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1,
    UNIQUE (property_id, owner_account_id)
);

-- One room stay (one master rate, `quantity` identical rooms) sold through a sales channel.
-- - status: the wire's bookingStatus (TEST_PAYMENT_SUCCEEDED, CANCELLED, ...); creation: NORMAL or
--   TEST.
-- - total: what the stay costs, all rooms, nights and fees; first_night: the first night of every
--   room (what a FIRST_NIGHT cancellation charge takes). Both in `currency`, the property's.
-- - search_text: lower-cased "first last", email and code, one per line (the list's `search`).
-- - document: the booking-time snapshot (room, rate plan, nightly prices, fees, the cancellation
--   policy in force, the channel, the guest, the itinerary): later changes to any of them do not
--   change a booking.
-- - cancelled_*: set once, when the booking is cancelled; penalty is what cancelling cost.
CREATE TABLE bookings (
    id                UUID PRIMARY KEY,
    property_id       UUID NOT NULL REFERENCES properties (id),
    code              TEXT NOT NULL UNIQUE,
    creation          TEXT NOT NULL,
    status            TEXT NOT NULL,
    sales_channel_id  UUID NOT NULL REFERENCES sales_channels (id),
    master_rate_id    UUID NOT NULL,
    room_type_id      UUID NOT NULL,
    rate_plan_id      UUID NOT NULL,
    arrival           DATE NOT NULL,
    departure         DATE NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    currency          TEXT NOT NULL,
    total             NUMERIC(20, 6) NOT NULL,
    first_night       NUMERIC(20, 6) NOT NULL,
    guest_first_name  TEXT NOT NULL,
    guest_last_name   TEXT NOT NULL,
    guest_email       TEXT NOT NULL,
    search_text       TEXT NOT NULL,
    booked_by         UUID NOT NULL,
    document          JSONB NOT NULL,
    cancelled_at      TIMESTAMPTZ,
    cancelled_by      UUID,
    cancellation_type TEXT,
    cancel_reason     TEXT,
    penalty           NUMERIC(20, 6),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX bookings_property_created ON bookings (property_id, created_at);

-- The nights a booking holds, so cancelling gives back exactly what was taken and the counters
-- can be recounted from the bookings.
CREATE TABLE booking_nights (
    booking_id   UUID NOT NULL REFERENCES bookings (id),
    room_type_id UUID NOT NULL,
    day          DATE NOT NULL,
    quantity     INTEGER NOT NULL,
    PRIMARY KEY (booking_id, day)
);
CREATE INDEX booking_nights_room_day ON booking_nights (room_type_id, day);
