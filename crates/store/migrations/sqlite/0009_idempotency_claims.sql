-- Idempotency claims carry the id of the request that holds them, so a request whose claim was
-- taken over can no longer complete it (its transaction is refused instead of answering twice).
-- `replaceable`: the claim may be taken over once abandoned, because its operation either stores
-- its answer in the transaction of its work (an unfinished claim then proves nothing was done)
-- or is harmless to repeat. Other claims are never taken over.
ALTER TABLE idempotency_keys ADD COLUMN claim_id BLOB;
ALTER TABLE idempotency_keys ADD COLUMN replaceable BOOLEAN NOT NULL DEFAULT FALSE;
