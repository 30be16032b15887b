-- Personal data at rest: phones, addresses and ID numbers are sealed with AES-256-GCM under a named key
-- (`v2:<key id>:<iv>:<ciphertext>`, see lib/crypto_box.ts); keyed hashes (HMAC) make phones and recipient
-- names searchable without storing them. The clear columns of earlier versions stay readable until the
-- app (at start, in the background) or `deno task rotate-keys` has sealed them, and are then emptied.
ALTER TABLE users
  ADD COLUMN phone_enc text,
  ADD COLUMN phone_hash text,
  -- Set when a member's personal data was erased (they can no longer sign in or earn commission).
  ADD COLUMN erased_at timestamptz;
CREATE INDEX users_phone_hash_idx ON users (phone_hash) WHERE phone_hash IS NOT NULL;

-- The address book: everything in data_enc (JSON { name, phone, line1, city, postcode }).
ALTER TABLE addresses
  ADD COLUMN data_enc text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ALTER COLUMN name DROP NOT NULL,
  ALTER COLUMN phone DROP NOT NULL,
  ALTER COLUMN line1 DROP NOT NULL,
  ALTER COLUMN city DROP NOT NULL;

-- Orders: `address` keeps only what staff filter by in clear ({ city, phoneLast4 }); the delivery address
-- itself is in address_enc; phone_hash and name_hash find an order by the full phone or the recipient.
ALTER TABLE orders
  ADD COLUMN address_enc text,
  ADD COLUMN phone_hash text,
  ADD COLUMN name_hash text;
CREATE INDEX orders_phone_hash_idx ON orders (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX orders_name_hash_idx ON orders (name_hash) WHERE name_hash IS NOT NULL;
