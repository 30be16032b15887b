-- SKUs (规格): a product has specification axes and one or more SKUs, each with its own code, specs,
-- price, cost, stock, reservations, low-stock threshold and picture. A product without axes has exactly
-- one SKU with specs {}. products.stock / reserved / sales_count stay as the sums over the product's SKUs,
-- kept by the statement triggers below (so every reader of products keeps working); nothing writes them
-- directly any more: stock changes are SKU writes (LOCK_ORDER.md: SKUs in id order, then products).

ALTER TABLE products ADD COLUMN sku_axes jsonb NOT NULL DEFAULT '[]'::jsonb;

CREATE TABLE product_skus (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL REFERENCES products (id),
  code text NOT NULL,
  specs jsonb NOT NULL DEFAULT '{}'::jsonb,
  price numeric(20, 2) NOT NULL CHECK (price >= 0),
  cost_price numeric(20, 2) NOT NULL DEFAULT 0 CHECK (cost_price >= 0),
  stock integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
  reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
  low_stock_threshold integer NOT NULL DEFAULT 10 CHECK (low_stock_threshold >= 0),
  sales_count integer NOT NULL DEFAULT 0,
  image_url text,
  sort integer NOT NULL DEFAULT 0,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_skus_product_idx ON product_skus (product_id, sort, id);
CREATE UNIQUE INDEX product_skus_code_idx ON product_skus (product_id, code) WHERE archived_at IS NULL;
CREATE UNIQUE INDEX product_skus_specs_idx ON product_skus (product_id, specs) WHERE archived_at IS NULL;

-- One SKU per existing product, with its stock, reservations and sales.
INSERT INTO product_skus (product_id, code, specs, price, cost_price, stock, reserved, low_stock_threshold, sales_count)
SELECT id, 'P' || id::text, '{}'::jsonb, price, cost_price, stock, reserved, low_stock_threshold, sales_count
  FROM products ORDER BY id;

ALTER TABLE order_items
  ADD COLUMN sku_id bigint REFERENCES product_skus (id),
  ADD COLUMN specs jsonb NOT NULL DEFAULT '{}'::jsonb;
UPDATE order_items i SET sku_id = s.id FROM product_skus s WHERE s.product_id = i.product_id;
ALTER TABLE order_items ALTER COLUMN sku_id SET NOT NULL;
CREATE INDEX order_items_sku_idx ON order_items (sku_id);

ALTER TABLE stock_movements ADD COLUMN sku_id bigint REFERENCES product_skus (id);
ALTER TABLE stock_movements DISABLE TRIGGER stock_movements_append_only;
UPDATE stock_movements m SET sku_id = s.id FROM product_skus s WHERE s.product_id = m.product_id;
ALTER TABLE stock_movements ENABLE TRIGGER stock_movements_append_only;
CREATE INDEX stock_movements_sku_idx ON stock_movements (sku_id, id);

ALTER TABLE cart_items ADD COLUMN sku_id bigint REFERENCES product_skus (id);
UPDATE cart_items c SET sku_id = s.id FROM product_skus s WHERE s.product_id = c.product_id;
ALTER TABLE cart_items ALTER COLUMN sku_id SET NOT NULL;
ALTER TABLE cart_items DROP CONSTRAINT cart_items_pkey;
ALTER TABLE cart_items ADD PRIMARY KEY (user_id, sku_id);

-- products.stock / reserved / sales_count follow their SKUs by deltas, one statement per SKU statement,
-- products locked in id order after the SKU rows (which the SKU statement locked first).
CREATE FUNCTION product_skus_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('sharemall.sku_sum_off', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sales_count)::int AS sold
        FROM new_skus GROUP BY product_id
    ),
    l AS (SELECT p.id FROM products p WHERE p.id IN (SELECT product_id FROM d) ORDER BY p.id FOR NO KEY UPDATE)
    UPDATE products p SET stock = p.stock + d.stock, reserved = p.reserved + d.reserved,
           sales_count = p.sales_count + d.sold, updated_at = now()
      FROM d, l WHERE p.id = d.product_id AND l.id = p.id AND (d.stock <> 0 OR d.reserved <> 0 OR d.sold <> 0);
  ELSIF TG_OP = 'UPDATE' THEN
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sold)::int AS sold
        FROM (SELECT product_id, stock, reserved, sales_count AS sold FROM new_skus
              UNION ALL SELECT product_id, -stock, -reserved, -sales_count FROM old_skus) x
       GROUP BY product_id
    ),
    c AS (SELECT * FROM d WHERE stock <> 0 OR reserved <> 0 OR sold <> 0),
    l AS (SELECT p.id FROM products p WHERE p.id IN (SELECT product_id FROM c) ORDER BY p.id FOR NO KEY UPDATE)
    UPDATE products p SET stock = p.stock + c.stock, reserved = p.reserved + c.reserved,
           sales_count = p.sales_count + c.sold, updated_at = now()
      FROM c, l WHERE p.id = c.product_id AND l.id = p.id;
  ELSE
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sales_count)::int AS sold
        FROM old_skus GROUP BY product_id
    ),
    l AS (SELECT p.id FROM products p WHERE p.id IN (SELECT product_id FROM d) ORDER BY p.id FOR NO KEY UPDATE)
    UPDATE products p SET stock = p.stock - d.stock, reserved = p.reserved - d.reserved,
           sales_count = p.sales_count - d.sold, updated_at = now()
      FROM d, l WHERE p.id = d.product_id AND l.id = p.id AND (d.stock <> 0 OR d.reserved <> 0 OR d.sold <> 0);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER product_skus_sum_insert AFTER INSERT ON product_skus
  REFERENCING NEW TABLE AS new_skus FOR EACH STATEMENT EXECUTE FUNCTION product_skus_sum();
CREATE TRIGGER product_skus_sum_update AFTER UPDATE ON product_skus
  REFERENCING OLD TABLE AS old_skus NEW TABLE AS new_skus FOR EACH STATEMENT EXECUTE FUNCTION product_skus_sum();
CREATE TRIGGER product_skus_sum_delete AFTER DELETE ON product_skus
  REFERENCING OLD TABLE AS old_skus FOR EACH STATEMENT EXECUTE FUNCTION product_skus_sum();

-- A product inserted by any path gets its single SKU at once (specs {}), carrying the stock it was
-- inserted with (already counted in the product row, so the sum trigger stands aside).
CREATE FUNCTION products_default_sku() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('sharemall.sku_sum_off', 'on', true);
  INSERT INTO product_skus (product_id, code, specs, price, cost_price, stock, reserved, low_stock_threshold, sales_count)
  VALUES (NEW.id, 'P' || NEW.id::text, '{}'::jsonb, NEW.price, NEW.cost_price, NEW.stock, NEW.reserved,
          NEW.low_stock_threshold, NEW.sales_count);
  PERFORM set_config('sharemall.sku_sum_off', '', true);
  RETURN NULL;
END $$;
CREATE TRIGGER products_default_sku AFTER INSERT ON products FOR EACH ROW EXECUTE FUNCTION products_default_sku();
