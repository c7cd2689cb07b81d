-- Cancellation policies, rate plans, master rates, daily rates and availability.
--
-- What each column means (the pricing and booking code reads these tables too):
-- - cancellation_policies: the contract's enum strings as sent (NULL = field not sent).
-- - rate_plans.document: the UpsertRatePlanRequest as received, after validation; the columns
--   beside it are what queries need. Its exceptions are rows of rate_plan_policy_exceptions.
-- - daily_rates: one master rate's price and restrictions for one date. rate NULL = no price, the
--   night is not sold; open = the wire's `master` (false is a stop-sell); min_los/max_los NULL or
--   -1 = no limit (the wire's -1); modifiers = object with the optional keys
--   singleOccupancyRateModifier, extraPaxRateModifier, extraChildRateModifier, each a contract
--   VariableCharge; rate_source = the wire's rateSource (TRAVELIKO unless a channel manager set it).
-- - room_availability: rooms of a room type still for sale on a night; no row = 0.

CREATE TABLE cancellation_policies (
    id                    BLOB PRIMARY KEY,
    property_id           BLOB NOT NULL REFERENCES properties (id),
    refundable            BOOLEAN NOT NULL,
    free_cancellation     TEXT,
    refundable_charge     TEXT,
    no_show_charge        TEXT,
    non_refundable_charge TEXT,
    non_refundable_deadline TEXT,
    after_deadline_charge TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cancellation_policies_property ON cancellation_policies (property_id);

CREATE TABLE rate_plans (
    id                      BLOB PRIMARY KEY,
    property_id             BLOB NOT NULL REFERENCES properties (id),
    name                    TEXT NOT NULL,
    enabled                 BOOLEAN NOT NULL,
    cancellation_policy_id  BLOB NOT NULL REFERENCES cancellation_policies (id),
    document                TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rate_plans_property ON rate_plans (property_id);
CREATE INDEX rate_plans_policy ON rate_plans (cancellation_policy_id);

-- Date-bound overrides of a rate plan's cancellation policy.
CREATE TABLE rate_plan_policy_exceptions (
    rate_plan_id           BLOB NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    position               INTEGER NOT NULL,
    cancellation_policy_id BLOB NOT NULL REFERENCES cancellation_policies (id),
    start_date             TEXT NOT NULL,
    end_date               TEXT NOT NULL,
    PRIMARY KEY (rate_plan_id, position)
);
CREATE INDEX rate_plan_policy_exceptions_policy ON rate_plan_policy_exceptions (cancellation_policy_id);

-- One master rate per room type x rate plan, created and removed with them.
CREATE TABLE master_rates (
    id            BLOB PRIMARY KEY,
    property_id   BLOB NOT NULL REFERENCES properties (id),
    room_type_id  BLOB NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    rate_plan_id  BLOB NOT NULL REFERENCES rate_plans (id) ON DELETE CASCADE,
    enabled       BOOLEAN NOT NULL,
    perks         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (room_type_id, rate_plan_id)
);
CREATE INDEX master_rates_property ON master_rates (property_id);
CREATE INDEX master_rates_rate_plan ON master_rates (rate_plan_id);

-- A master rate's price and restrictions for one date.
CREATE TABLE daily_rates (
    master_rate_id      BLOB NOT NULL REFERENCES master_rates (id) ON DELETE CASCADE,
    day                 TEXT NOT NULL,
    rate                TEXT,
    open                BOOLEAN NOT NULL,
    closed_to_arrival   BOOLEAN NOT NULL,
    closed_to_departure BOOLEAN NOT NULL,
    min_los             INTEGER,
    max_los             INTEGER,
    modifiers           TEXT NOT NULL,
    rate_source         TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (master_rate_id, day)
);

-- Rooms of a room type still for sale on one night, shared by all its rate plans. A booking takes
-- a unit with one conditional update per night, so the count can never go below zero.
CREATE TABLE room_availability (
    room_type_id BLOB NOT NULL REFERENCES room_types (id) ON DELETE CASCADE,
    day          TEXT NOT NULL,
    units        INTEGER NOT NULL CHECK (units >= 0),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (room_type_id, day)
);

-- Idempotency keys of relative availability changes (update-rate-list `deltaQuantity` with an
-- `idempotencyKey`): a key is applied once per property; a repeat is a no-op.
CREATE TABLE rate_idempotency_keys (
    property_id     BLOB NOT NULL REFERENCES properties (id),
    idempotency_key TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (property_id, idempotency_key)
);
