-- Like Stripe: an Idempotency-Key reused with a different body is refused. Orders remember a
-- fingerprint (SHA-256 of the canonical request) of the request that created them.
ALTER TABLE orders ADD COLUMN idempotency_fingerprint text;
