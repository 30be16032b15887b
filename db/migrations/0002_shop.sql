-- The shop: brands, specs, scheduled shelves, promotions, coupons, carts, addresses, orders,
-- payments, refunds, stock movements, points, member spend, idempotency and scheduled work.

CREATE TABLE brands (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

ALTER TABLE products
  ADD COLUMN brand_id bigint REFERENCES brands (id),
  ADD COLUMN specs jsonb NOT NULL DEFAULT '{}'::jsonb,
  ADD COLUMN featured boolean NOT NULL DEFAULT false,
  ADD COLUMN on_shelf_at timestamptz,
  ADD COLUMN off_shelf_at timestamptz;
CREATE INDEX products_brand_idx ON products (brand_id);

ALTER TABLE users
  ADD COLUMN total_spent numeric(20, 2) NOT NULL DEFAULT 0,
  ADD COLUMN points_balance integer NOT NULL DEFAULT 0 CHECK (points_balance >= 0);

CREATE TABLE promotions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  price numeric(20, 2) NOT NULL CHECK (price >= 0),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  per_person_limit integer CHECK (per_person_limit > 0),
  CHECK (ends_at > starts_at)
);
CREATE INDEX promotions_product_idx ON promotions (product_id, ends_at);

CREATE TABLE coupons (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('amount_off', 'percent_off')),
  value numeric(20, 4) NOT NULL CHECK (value > 0),
  min_subtotal numeric(20, 2),
  starts_at timestamptz,
  ends_at timestamptz,
  new_members_only boolean NOT NULL DEFAULT false,
  product_ids bigint[] NOT NULL DEFAULT '{}',
  category_ids bigint[] NOT NULL DEFAULT '{}',
  per_member_limit integer CHECK (per_member_limit > 0),
  created_by bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
  user_id bigint NOT NULL REFERENCES users (id),
  product_id bigint NOT NULL REFERENCES products (id),
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);

CREATE TABLE addresses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  name text NOT NULL,
  phone text NOT NULL,
  line1 text NOT NULL,
  city text NOT NULL,
  postcode text,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_user_idx ON addresses (user_id);

CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL UNIQUE,
  user_id bigint NOT NULL REFERENCES users (id),
  status text NOT NULL,
  subtotal numeric(20, 2) NOT NULL,
  discount numeric(20, 2) NOT NULL,
  points_used integer NOT NULL DEFAULT 0,
  points_discount numeric(20, 2) NOT NULL,
  shipping numeric(20, 2) NOT NULL,
  total numeric(20, 2) NOT NULL CHECK (total >= 0),
  coupon_id bigint REFERENCES coupons (id),
  address jsonb NOT NULL,
  referrer_id bigint REFERENCES users (id),
  idempotency_key text NOT NULL,
  expires_at timestamptz NOT NULL,
  carrier text,
  tracking_number text,
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_idx ON orders (user_id, id DESC);
CREATE INDEX orders_status_idx ON orders (status, expires_at);

CREATE TABLE order_items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  product_id bigint NOT NULL REFERENCES products (id),
  name text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  list_price numeric(20, 2) NOT NULL,
  unit_price numeric(20, 2) NOT NULL,
  subtotal numeric(20, 2) NOT NULL,
  discount numeric(20, 2) NOT NULL,
  points_discount numeric(20, 2) NOT NULL,
  line_total numeric(20, 2) NOT NULL CHECK (line_total >= 0),
  cost_price numeric(20, 2) NOT NULL,
  promotion_id bigint REFERENCES promotions (id)
);
CREATE INDEX order_items_order_idx ON order_items (order_id);
CREATE INDEX order_items_product_idx ON order_items (product_id);

CREATE TABLE order_transitions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  from_status text,
  to_status text NOT NULL,
  actor_id bigint REFERENCES users (id),
  actor text NOT NULL, -- buyer, manager, system, provider
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_transitions_order_idx ON order_transitions (order_id, id);
CREATE TRIGGER order_transitions_append_only BEFORE UPDATE OR DELETE ON order_transitions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE stock_movements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  on_hand_delta integer NOT NULL,
  reserved_delta integer NOT NULL,
  reason text NOT NULL, -- reserve, release, sell, refund_return, adjust, create
  order_id bigint REFERENCES orders (id),
  actor_id bigint REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_product_idx ON stock_movements (product_id, id);
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE payments (
  id text PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  provider text NOT NULL,
  amount numeric(20, 2) NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_order_idx ON payments (order_id);

CREATE TABLE payment_events (
  event_id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  status text NOT NULL,
  amount numeric(20, 2) NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE provider_refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  amount numeric(20, 2) NOT NULL CHECK (amount >= 0),
  reason text NOT NULL,
  refund_id bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refunds (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  user_id bigint NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('refund', 'return', 'exchange')),
  status text NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
  reason text NOT NULL,
  amount numeric(20, 2) NOT NULL CHECK (amount >= 0),
  shipping_refund numeric(20, 2) NOT NULL DEFAULT 0,
  previous_status text NOT NULL,
  decided_by bigint REFERENCES users (id),
  decision_note text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_order_idx ON refunds (order_id);
CREATE INDEX refunds_status_idx ON refunds (status, id);

CREATE TABLE refund_items (
  refund_id bigint NOT NULL REFERENCES refunds (id),
  order_item_id bigint NOT NULL REFERENCES order_items (id),
  quantity integer NOT NULL CHECK (quantity > 0),
  amount numeric(20, 2) NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (refund_id, order_item_id)
);

CREATE TABLE coupon_redemptions (
  coupon_id bigint NOT NULL REFERENCES coupons (id),
  user_id bigint NOT NULL REFERENCES users (id),
  order_id bigint NOT NULL REFERENCES orders (id) UNIQUE,
  released boolean NOT NULL DEFAULT false,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coupon_redemptions_user_idx ON coupon_redemptions (coupon_id, user_id);

CREATE TABLE points_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  delta integer NOT NULL,
  reason text NOT NULL, -- earn, spend, spend_return, reverse, expire
  order_id bigint REFERENCES orders (id),
  expires_at timestamptz,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_user_idx ON points_ledger (user_id, id);
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE level_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  from_level text NOT NULL,
  to_level text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- Link attribution: visits with ?ref=CODE.
CREATE TABLE referral_visits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referrer_id bigint NOT NULL REFERENCES users (id),
  product_id bigint REFERENCES products (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_visits_referrer_idx ON referral_visits (referrer_id, at);

CREATE SEQUENCE order_number_seq;
ALTER TABLE orders ALTER COLUMN number SET DEFAULT
  to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('order_number_seq')::text, 8, '0');
