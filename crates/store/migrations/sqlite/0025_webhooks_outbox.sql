-- Webhook subscriptions of a property and their deliveries (the webhook queue of the outbox),
-- and the delivery state of the notifications outbox (the e-mail queue).
--
-- A delivery row is written by record_event! in the transaction of the change its event
-- reports, one per active subscription of the property that asked for the event's type, with
-- the subscription's next sequence number (`last_seq`, held by that transaction like the
-- property's event counter). It carries its own copy of the event, so the event feed's
-- retention never takes a pending delivery's body away.
CREATE TABLE webhook_subscriptions (
    id                    BLOB PRIMARY KEY,
    property_id           BLOB NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
    url                   TEXT NOT NULL,
    -- The event types, each between commas (",booking.created,rates.changed,"): matched with
    -- LIKE by record_event!, the same on both engines.
    event_types           TEXT NOT NULL,
    active                BOOLEAN NOT NULL,
    -- whsec_ and the base64 key; the previous one signs too until previous_secret_until.
    secret                TEXT NOT NULL,
    previous_secret       TEXT,
    previous_secret_until TEXT,
    last_seq              INTEGER NOT NULL,
    created_by            BLOB NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    version               INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_property ON webhook_subscriptions (property_id);

CREATE TABLE webhook_deliveries (
    id              BLOB PRIMARY KEY,
    subscription_id BLOB NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    event_id        BLOB NOT NULL,
    event_seq       INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    -- PENDING, DELIVERED or DEAD.
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    -- A worker's claim: its lease id, until when (past it, another worker may take the row).
    lease           BLOB,
    leased_until    TEXT,
    last_error      TEXT,
    done_at         TEXT,
    UNIQUE (subscription_id, seq)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, seq) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';

-- A notification is pending while sent_at and dead_at are NULL; due at next_attempt_at (NULL:
-- at once).
ALTER TABLE notifications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN next_attempt_at TEXT;
ALTER TABLE notifications ADD COLUMN lease BLOB;
ALTER TABLE notifications ADD COLUMN leased_until TEXT;
ALTER TABLE notifications ADD COLUMN last_error TEXT;
ALTER TABLE notifications ADD COLUMN dead_at TEXT;
