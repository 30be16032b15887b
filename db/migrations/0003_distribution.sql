-- The distribution engine: plans, programme, team figures, double-entry ledger, commissions,
-- withdrawals, settlement statements, notifications.

CREATE TABLE commission_plans (
  version integer PRIMARY KEY,
  plan jsonb NOT NULL,
  created_by bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER commission_plans_append_only BEFORE UPDATE OR DELETE ON commission_plans
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

ALTER TABLE users ADD COLUMN rank text NOT NULL DEFAULT 'standard' CHECK (rank IN ('standard', 'silver', 'gold'));
CREATE INDEX users_ranked_idx ON users (id) WHERE rank <> 'standard';

CREATE TABLE distributor_applications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  contact text NOT NULL,
  channels text NOT NULL,
  experience text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decision_reason text,
  decided_by bigint REFERENCES users (id),
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX distributor_applications_status_idx ON distributor_applications (status, id);

CREATE TABLE rank_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  from_rank text NOT NULL,
  to_rank text NOT NULL,
  reason text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- Team figures, maintained incrementally: members per tier, and per day sales per tier.
CREATE TABLE team_counts (
  ancestor_id bigint NOT NULL REFERENCES users (id),
  depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 3),
  members integer NOT NULL DEFAULT 0,
  PRIMARY KEY (ancestor_id, depth)
);
CREATE TABLE team_daily (
  ancestor_id bigint NOT NULL REFERENCES users (id),
  depth smallint NOT NULL CHECK (depth BETWEEN 0 AND 3), -- 0: the member's own purchases
  day date NOT NULL,
  sales numeric(20, 2) NOT NULL DEFAULT 0,
  orders integer NOT NULL DEFAULT 0,
  new_members integer NOT NULL DEFAULT 0,
  PRIMARY KEY (ancestor_id, day, depth)
);

-- Double-entry ledger: accounts, transactions (with a natural key so each is posted once) and
-- entries (append-only; each transaction sums to zero).
CREATE TABLE ledger_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id bigint REFERENCES users (id),
  kind text NOT NULL,
  balance numeric(20, 2) NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (owner_id, kind)
);
CREATE TABLE ledger_transactions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, ref)
);
CREATE TABLE ledger_entries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
  account_id bigint NOT NULL REFERENCES ledger_accounts (id),
  amount numeric(20, 2) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_tx_idx ON ledger_entries (transaction_id);
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE commission_lines (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  order_item_id bigint NOT NULL REFERENCES order_items (id),
  beneficiary_id bigint NOT NULL REFERENCES users (id),
  buyer_id bigint NOT NULL REFERENCES users (id),
  tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
  plan_version integer NOT NULL REFERENCES commission_plans (version),
  rate numeric(10, 6) NOT NULL,
  base numeric(20, 2) NOT NULL,
  amount numeric(20, 2) NOT NULL CHECK (amount > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_item_id, beneficiary_id, tier)
);
CREATE INDEX commission_lines_beneficiary_idx ON commission_lines (beneficiary_id, id DESC);
CREATE INDEX commission_lines_order_idx ON commission_lines (order_id);
CREATE TRIGGER commission_lines_append_only BEFORE UPDATE OR DELETE ON commission_lines
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE commission_releases (
  commission_line_id bigint PRIMARY KEY REFERENCES commission_lines (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE commission_reversals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  commission_line_id bigint NOT NULL REFERENCES commission_lines (id),
  refund_id bigint NOT NULL REFERENCES refunds (id),
  amount numeric(20, 2) NOT NULL CHECK (amount > 0),
  from_account text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (commission_line_id, refund_id)
);
CREATE TRIGGER commission_releases_append_only BEFORE UPDATE OR DELETE ON commission_releases
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER commission_reversals_append_only BEFORE UPDATE OR DELETE ON commission_reversals
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE withdrawals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  amount numeric(20, 2) NOT NULL CHECK (amount > 0),
  fee numeric(20, 2) NOT NULL,
  tax numeric(20, 2) NOT NULL,
  net numeric(20, 2) NOT NULL,
  status text NOT NULL CHECK (status IN ('requested', 'paid', 'rejected')),
  idempotency_key text NOT NULL,
  payout_ref text,
  decided_by bigint REFERENCES users (id),
  decision_note text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX withdrawals_status_idx ON withdrawals (status, id);
CREATE INDEX withdrawals_user_idx ON withdrawals (user_id, id DESC);

CREATE TABLE settlement_periods (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  closed_by bigint REFERENCES users (id),
  closed_at timestamptz NOT NULL DEFAULT now(),
  -- The statement covers ledger entries with ids after the previous period's watermark up to this one.
  watermark bigint NOT NULL,
  UNIQUE (starts_at),
  CHECK (ends_at > starts_at)
);
CREATE TABLE statements (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_id bigint NOT NULL REFERENCES settlement_periods (id),
  user_id bigint NOT NULL REFERENCES users (id),
  opening numeric(20, 2) NOT NULL,
  credits numeric(20, 2) NOT NULL,
  reversals numeric(20, 2) NOT NULL,
  withdrawals numeric(20, 2) NOT NULL,
  tax numeric(20, 2) NOT NULL,
  closing numeric(20, 2) NOT NULL,
  lines jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (period_id, user_id)
);
CREATE TRIGGER statements_append_only BEFORE UPDATE OR DELETE ON statements
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER settlement_periods_append_only BEFORE UPDATE OR DELETE ON settlement_periods
  FOR EACH ROW EXECUTE FUNCTION forbid_change();

CREATE TABLE notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  kind text NOT NULL,
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('important', 'normal')),
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

-- Member moves are manager actions, recorded; they change the tree for future orders only.
CREATE TABLE member_moves (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES users (id),
  from_upline bigint REFERENCES users (id),
  to_upline bigint REFERENCES users (id),
  actor_id bigint NOT NULL REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);

-- Business events the distribution engine has processed, so each is applied exactly once.
CREATE TABLE distribution_events (
  kind text NOT NULL,
  ref text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, ref)
);

ALTER TABLE sessions ADD COLUMN reauth_at timestamptz NOT NULL DEFAULT now();
