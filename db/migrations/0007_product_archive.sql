-- Products are archived, never deleted: orders, stock movements and commission lines keep pointing at them.
ALTER TABLE products ADD COLUMN archived_at timestamptz;
CREATE INDEX products_live_idx ON products (id) WHERE archived_at IS NULL;
