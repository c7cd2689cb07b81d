-- The ARI change ledger (issue 14): every change of a night's price, restrictions or rooms for
-- sale, appended in the transaction of the write that made it, never updated or deleted (its
-- rows go only with their property). One row per changed field of a cell:
--
-- - master_rate_id: the master rate whose daily rate changed; NULL for the room type's rooms
--   (field numberOfUnits), which all its master rates share. room_type_id is always set.
-- - field: the contract's name of what changed (rate, rateSource, the three *RateModifier keys,
--   master, closedOnArrival, closedOnDeparture, minLengthOfStay, maxLengthOfStay,
--   numberOfUnits: the night's capacity, booked rooms included).
-- - old_value / new_value: JSON text (a decimal number for rate, -1 for "no limit", null for
--   "not set"); text, not JSONB: the ledger is written far more than it is read.
-- - client_id: the OAuth client (application) whose request made the change; NULL when it was
--   made without one (the CLI, demo data).
-- - id orders a property's changes as they were appended.
CREATE TABLE ari_changes (
    id             BIGSERIAL PRIMARY KEY,
    property_id    UUID NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    room_type_id   UUID NOT NULL,
    master_rate_id UUID,
    day            DATE NOT NULL,
    field          TEXT NOT NULL,
    old_value      TEXT NOT NULL,
    new_value      TEXT NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL,
    client_id      UUID
);
CREATE INDEX ari_changes_master_rate ON ari_changes (master_rate_id, day);
CREATE INDEX ari_changes_room_type ON ari_changes (room_type_id, day);
CREATE INDEX ari_changes_property ON ari_changes (property_id);
