-- The shop's clock in SQL. A transaction may say what time it is (`sharemall.clock`, set with
-- set_config(..., true) by db/history_db.ts while the demo history is written at its own moments);
-- otherwise it is the real time, as before. The columns that record when something happened default
-- to shop_now(), so the history that the real services write lands on the days it describes
-- instead of being backdated afterwards. New tables that record a moment use shop_now() too.

CREATE FUNCTION shop_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(current_setting('sharemall.clock', true), '')::timestamptz, now())
$$;

-- The outbox records when each event was written (clock_timestamp(), see 0011): the same, by the clock.
CREATE FUNCTION shop_clock_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(current_setting('sharemall.clock', true), '')::timestamptz, clock_timestamp())
$$;

ALTER TABLE events ALTER COLUMN at SET DEFAULT shop_clock_timestamp();

ALTER TABLE addresses ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE addresses ALTER COLUMN updated_at SET DEFAULT shop_now();
ALTER TABLE audit_log ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE commission_lines ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE commission_plans ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE commission_releases ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE commission_reversals ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE coupon_claims ALTER COLUMN claimed_at SET DEFAULT shop_now();
ALTER TABLE coupon_redemptions ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE coupons ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE daily_visitors ALTER COLUMN first_seen_at SET DEFAULT shop_now();
ALTER TABLE distribution_events ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE distributor_applications ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE ledger_entries ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE ledger_transactions ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE level_changes ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE member_moves ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE notifications ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE order_transitions ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE orders ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE orders ALTER COLUMN number SET DEFAULT
  to_char(shop_now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('order_number_seq')::text, 8, '0');
ALTER TABLE payment_events ALTER COLUMN received_at SET DEFAULT shop_now();
ALTER TABLE payments ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE payments ALTER COLUMN updated_at SET DEFAULT shop_now();
ALTER TABLE points_ledger ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE product_skus ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE product_skus ALTER COLUMN updated_at SET DEFAULT shop_now();
ALTER TABLE products ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE products ALTER COLUMN updated_at SET DEFAULT shop_now();
ALTER TABLE provider_refunds ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE rank_changes ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE referral_visits ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE refunds ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE settlement_periods ALTER COLUMN closed_at SET DEFAULT shop_now();
ALTER TABLE statements ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE stock_movements ALTER COLUMN at SET DEFAULT shop_now();
ALTER TABLE users ALTER COLUMN created_at SET DEFAULT shop_now();
ALTER TABLE withdrawals ALTER COLUMN created_at SET DEFAULT shop_now();
