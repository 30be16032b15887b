-- Foundation: members, referral closure, sessions, login throttling, outbox events, audit log, catalogue.

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  password_hash text NOT NULL,
  role text NOT NULL DEFAULT 'shopper' CHECK (role IN ('shopper', 'distributor', 'manager')),
  referral_code text NOT NULL UNIQUE,
  upline_id bigint REFERENCES users (id),
  level text NOT NULL DEFAULT 'ordinary' CHECK (level IN ('ordinary', 'silver', 'gold', 'diamond')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (upline_id IS NULL OR upline_id <> id)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_upline_idx ON users (upline_id);
CREATE INDEX users_created_idx ON users (created_at DESC);

-- Up to three tiers of uplines per member, so "my uplines" and "my downline to depth 3" are index lookups.
CREATE TABLE referral_paths (
  ancestor_id bigint NOT NULL REFERENCES users (id),
  descendant_id bigint NOT NULL REFERENCES users (id),
  depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 3),
  PRIMARY KEY (ancestor_id, depth, descendant_id)
);
CREATE UNIQUE INDEX referral_paths_descendant_key ON referral_paths (descendant_id, depth);

CREATE TABLE sessions (
  id text PRIMARY KEY, -- SHA-256 of the cookie token; the token itself is never stored
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- The outbox: written in the same transaction as the change it describes; ids are allocated under
-- a transaction-scoped advisory lock so they become visible in order.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  rooms text[] NOT NULL,
  data jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_rooms_idx ON events USING gin (rooms);

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id bigint REFERENCES users (id),
  action text NOT NULL,
  target text NOT NULL,
  ip text,
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE categories (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_id bigint NOT NULL REFERENCES categories (id),
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  price numeric(20, 2) NOT NULL CHECK (price >= 0),
  cost_price numeric(20, 2) NOT NULL DEFAULT 0 CHECK (cost_price >= 0),
  stock integer NOT NULL CHECK (stock >= 0),
  reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
  low_stock_threshold integer NOT NULL DEFAULT 10 CHECK (low_stock_threshold >= 0),
  on_sale boolean NOT NULL DEFAULT true,
  sales_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_on_sale_idx ON products (on_sale, sales_count DESC);
