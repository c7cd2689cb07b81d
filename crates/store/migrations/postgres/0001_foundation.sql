-- Accounts own applications (OAuth2 clients) and manage properties. An account is also a managing
-- entity of its own: a sales channel's owner is an account (a travel agent, a corporate, ...).
CREATE TABLE accounts (
    id           UUID PRIMARY KEY,
    name         TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    email        TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE applications (
    id           UUID PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX applications_account ON applications (account_id);

-- Ed25519 keys that sign access tokens; every node verifies with any key that is not retired.
CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    private_key_pem TEXT NOT NULL,
    public_key      BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    retired_at      TIMESTAMPTZ
);

-- Revoked access tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        UUID PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE properties (
    id            UUID PRIMARY KEY,
    account_id    UUID NOT NULL REFERENCES accounts (id),
    registered_by UUID NOT NULL,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    url_name      TEXT NOT NULL UNIQUE,
    hotel_code    TEXT NOT NULL UNIQUE,
    unique_code   TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    lead_id       TEXT NOT NULL,
    document      JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX properties_account ON properties (account_id);

CREATE TABLE room_types (
    id                 UUID PRIMARY KEY,
    property_id        UUID NOT NULL REFERENCES properties (id),
    name               TEXT NOT NULL,
    quantity           INTEGER NOT NULL,
    active             BOOLEAN NOT NULL,
    bookable           BOOLEAN NOT NULL,
    min_occupancy      INTEGER NOT NULL,
    max_occupancy      INTEGER NOT NULL,
    max_adults         INTEGER NOT NULL,
    max_children       INTEGER NOT NULL,
    included_adults    INTEGER NOT NULL,
    included_children  INTEGER NOT NULL,
    document           JSONB NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX room_types_property ON room_types (property_id);

CREATE TABLE cancellation_policies (
    id                    UUID PRIMARY KEY,
    property_id           UUID NOT NULL REFERENCES properties (id),
    refundable            BOOLEAN NOT NULL,
    free_cancellation     TEXT,
    refundable_charge     TEXT,
    no_show_charge        TEXT,
    non_refundable_charge TEXT,
    non_refundable_deadline TEXT,
    after_deadline_charge TEXT,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    version               BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cancellation_policies_property ON cancellation_policies (property_id);

CREATE TABLE rate_plans (
    id                      UUID PRIMARY KEY,
    property_id             UUID NOT NULL REFERENCES properties (id),
    name                    TEXT NOT NULL,
    enabled                 BOOLEAN NOT NULL,
    cancellation_policy_id  UUID NOT NULL REFERENCES cancellation_policies (id),
    document                JSONB NOT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    version                 BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX rate_plans_property ON rate_plans (property_id);
CREATE INDEX rate_plans_policy ON rate_plans (cancellation_policy_id);

-- Date-bound overrides of a rate plan's cancellation policy.
CREATE TABLE rate_plan_policy_exceptions (
    rate_plan_id           UUID NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    cancellation_policy_id UUID NOT NULL REFERENCES cancellation_policies (id),
    start_date             DATE NOT NULL,
    end_date               DATE NOT NULL,
    PRIMARY KEY (rate_plan_id, position)
);
CREATE INDEX rate_plan_policy_exceptions_policy ON rate_plan_policy_exceptions (cancellation_policy_id);

-- One master rate per room type x rate plan, created and removed with them.
CREATE TABLE master_rates (
    id            UUID PRIMARY KEY,
    property_id   UUID NOT NULL REFERENCES properties (id),
    room_type_id  UUID NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    rate_plan_id  UUID NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    enabled       BOOLEAN NOT NULL,
    perks         JSONB NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    UNIQUE (room_type_id, rate_plan_id)
);
CREATE INDEX master_rates_property ON master_rates (property_id);

-- A master rate's price and restrictions for one date.
CREATE TABLE daily_rates (
    master_rate_id      UUID NOT NULL REFERENCES master_rates (id) ON DELETE CASCADE,
    day                 DATE NOT NULL,
    rate                NUMERIC(20, 6),
    open                BOOLEAN NOT NULL,
    closed_to_arrival   BOOLEAN NOT NULL,
    closed_to_departure BOOLEAN NOT NULL,
    min_los             INTEGER,
    max_los             INTEGER,
    modifiers           JSONB NOT NULL,
    rate_source         TEXT NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (master_rate_id, day)
);

-- Rooms of a room type still for sale on one night, shared by all its rate plans. A booking takes
-- a unit with one conditional update per night, so the count can never go below zero.
CREATE TABLE room_availability (
    room_type_id UUID NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    day          DATE NOT NULL,
    units        INTEGER NOT NULL CHECK (units >= 0),
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (room_type_id, day)
);

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

CREATE TABLE bookings (
    id               UUID PRIMARY KEY,
    property_id      UUID NOT NULL REFERENCES properties (id),
    code             TEXT NOT NULL UNIQUE,
    sales_channel_id UUID NOT NULL REFERENCES sales_channels (id),
    master_rate_id   UUID NOT NULL,
    room_type_id     UUID NOT NULL,
    rate_plan_id     UUID NOT NULL,
    arrival          DATE NOT NULL,
    departure        DATE NOT NULL,
    quantity         INTEGER NOT NULL,
    status           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    total            NUMERIC(20, 6) NOT NULL,
    guest_name       TEXT NOT NULL,
    test             BOOLEAN NOT NULL,
    document         JSONB NOT NULL,
    cancelled_at     TIMESTAMPTZ,
    penalty          NUMERIC(20, 6),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
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
