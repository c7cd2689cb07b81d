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

ALTER TABLE signing_keys ALTER COLUMN private_key_pem DROP NOT NULL;
ALTER TABLE signing_keys ADD COLUMN private_key_sealed BYTEA;
ALTER TABLE signing_keys ADD COLUMN generation BIGINT;

UPDATE signing_keys SET generation = numbered.generation
FROM (SELECT kid, ROW_NUMBER() OVER (ORDER BY created_at, kid) AS generation FROM signing_keys) AS numbered
WHERE signing_keys.kid = numbered.kid;

ALTER TABLE signing_keys ALTER COLUMN generation SET NOT NULL;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_generation_key UNIQUE (generation);
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_private_key_once
    CHECK ((private_key_pem IS NULL) <> (private_key_sealed IS NULL));
