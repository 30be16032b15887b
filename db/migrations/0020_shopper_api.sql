-- The shopper API: category icons and parents, claimable coupons with their claims, and the
-- after-sales kinds of the contract (refund_only, return_refund, exchange).

ALTER TABLE categories
  ADD COLUMN parent_id bigint REFERENCES categories (id),
  ADD COLUMN icon text NOT NULL DEFAULT '🛍️';
UPDATE categories SET icon = CASE slug
  WHEN 'beauty' THEN '💄' WHEN 'food' THEN '🍎' WHEN 'baby' THEN '🍼' WHEN 'home' THEN '🏠'
  WHEN 'digital' THEN '📱' WHEN 'apparel' THEN '👕' WHEN 'sports' THEN '⚽' WHEN 'health' THEN '💊'
  WHEN 'care' THEN '🧴' ELSE icon END;

-- A claimable coupon is collected by members (领券) before use; `total_limit` caps how many claims it
-- gives out, `claimed_count` counts them (updated in the claim's transaction, so it never passes the cap).
ALTER TABLE coupons
  ADD COLUMN claimable boolean NOT NULL DEFAULT false,
  ADD COLUMN total_limit integer CHECK (total_limit > 0),
  ADD COLUMN claimed_count integer NOT NULL DEFAULT 0 CHECK (claimed_count >= 0);
ALTER TABLE coupons ADD CONSTRAINT coupons_claims_within_limit
  CHECK (total_limit IS NULL OR claimed_count <= total_limit);
CREATE INDEX coupons_claimable_idx ON coupons (id) WHERE claimable;

-- One claim per member and coupon. Checkout marks it used (`used_at`, `order_id`); cancelling or
-- expiry of that unpaid order gives it back (both null again).
CREATE TABLE coupon_claims (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  coupon_id bigint NOT NULL REFERENCES coupons (id),
  user_id bigint NOT NULL REFERENCES users (id),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  order_id bigint REFERENCES orders (id),
  UNIQUE (user_id, coupon_id),
  CHECK ((used_at IS NULL) = (order_id IS NULL))
);
CREATE INDEX coupon_claims_order_idx ON coupon_claims (order_id) WHERE order_id IS NOT NULL;

ALTER TABLE refunds DROP CONSTRAINT refunds_kind_check;
UPDATE refunds SET kind = CASE kind WHEN 'refund' THEN 'refund_only' WHEN 'return' THEN 'return_refund' ELSE kind END;
ALTER TABLE refunds ADD CONSTRAINT refunds_kind_check CHECK (kind IN ('refund_only', 'return_refund', 'exchange'));
