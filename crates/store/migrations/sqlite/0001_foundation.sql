-- Accounts own applications (OAuth2 clients) and manage properties. An account is also a managing
-- entity of its own: a sales channel's owner is an account (a travel agent, a corporate, ...).
CREATE TABLE accounts (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    email        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE applications (
    id           BLOB PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES accounts (id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX applications_account ON applications (account_id);

-- Ed25519 keys that sign access tokens; every node verifies with any key that is not retired.
CREATE TABLE signing_keys (
    kid             TEXT PRIMARY KEY,
    private_key_pem TEXT NOT NULL,
    public_key      BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    retired_at      TEXT
);

-- Revoked access tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        BLOB PRIMARY KEY,
    expires_at TEXT NOT NULL
);

CREATE TABLE properties (
    id            BLOB PRIMARY KEY,
    account_id    BLOB NOT NULL REFERENCES accounts (id),
    registered_by BLOB NOT NULL,
    name          TEXT NOT NULL,
    currency      TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    url_name      TEXT NOT NULL UNIQUE,
    hotel_code    TEXT NOT NULL UNIQUE,
    unique_code   TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL,
    lead_id       TEXT NOT NULL,
    document      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX properties_account ON properties (account_id);

CREATE TABLE room_types (
    id                 BLOB PRIMARY KEY,
    property_id        BLOB NOT NULL REFERENCES properties (id),
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
    document           TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX room_types_property ON room_types (property_id);
