-- Signing keys: encrypted at rest, rotated and retired by the operator, one first key however
-- many nodes boot together.
--
-- What each column means:
-- - private_key_pem: the PKCS#8 PEM of the private key in clear. Only for keys created while no
--   key-encryption key was configured; a node that has one encrypts them on start and clears it.
-- - private_key_sealed: nonce (12 bytes) followed by the ChaCha20-Poly1305 encryption of the PEM
--   under the configured key-encryption key, the kid as associated data. Exactly one of the two
--   is set.
-- - generation: 1 for the first key, one more for each key after it; the newest key not retired
--   signs. It is unique, so two nodes creating "the next key" at once cannot both succeed: this is
--   what makes a first boot of several nodes on an empty database create exactly one key.
-- - retired_at: when the operator retired the key; it signs nothing from then on and verifies
--   until every token it signed has expired.
--
-- SQLite cannot drop a NOT NULL constraint: the table is rebuilt, existing keys keep their kid and
-- get generations in the order they were created.

CREATE TABLE signing_keys_new (
    kid                TEXT PRIMARY KEY,
    private_key_pem    TEXT,
    private_key_sealed BLOB,
    public_key         BLOB NOT NULL,
    generation         INTEGER NOT NULL UNIQUE,
    created_at         TEXT NOT NULL,
    retired_at         TEXT,
    CHECK ((private_key_pem IS NULL) <> (private_key_sealed IS NULL))
);

INSERT INTO signing_keys_new (kid, private_key_pem, public_key, generation, created_at, retired_at)
SELECT kid, private_key_pem, public_key, ROW_NUMBER() OVER (ORDER BY created_at, kid), created_at, retired_at
FROM signing_keys;

DROP TABLE signing_keys;
ALTER TABLE signing_keys_new RENAME TO signing_keys;
