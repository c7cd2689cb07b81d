-- Client secrets and calendar passkeys are hashed with HMAC-SHA-256 under one key per deployment
-- (not a slow password hash: the server generates them with 256 random bits). The key is made
-- by the first node that starts, kept here so every node agrees on it, and sealed with the
-- key-encryption key when one is configured (exactly one of key_clear, key_sealed is set, as for
-- the signing keys).
CREATE TABLE hash_keys (
    name        TEXT PRIMARY KEY,
    key_clear   BLOB,
    key_sealed  BLOB,
    created_at  TEXT NOT NULL,
    CHECK ((key_clear IS NULL) <> (key_sealed IS NULL))
);

-- One row (id 1) counting the changes that decide whether a request is authenticated and which
-- property it may reach: application and token revocations, a property's status or time zone,
-- its rate provider, a client secret re-hashed. Each such change moves it in its own
-- transaction; every node polls it and drops what it keeps in memory when it moved (see the
-- API's auth::cache). No row until the first change.
CREATE TABLE auth_revisions (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL
);
