-- A withdrawal's Idempotency-Key reused with another amount is refused (422 idempotency_mismatch), as for orders.
ALTER TABLE withdrawals ADD COLUMN idempotency_fingerprint text;
