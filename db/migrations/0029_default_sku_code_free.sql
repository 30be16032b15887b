-- A new product's single SKU gets the code 'P<product id>' (0019); when a manager already gave that code
-- to another live SKU (codes are unique shop-wide, without case: 0028), it gets the first free
-- 'P<product id>-<n>' (n = 2, 3, …) instead of failing the product's insert.
CREATE OR REPLACE FUNCTION products_default_sku() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  candidate text := 'P' || NEW.id::text;
  n int := 1;
BEGIN
  WHILE EXISTS (SELECT 1 FROM product_skus WHERE archived_at IS NULL AND lower(code) = lower(candidate)) LOOP
    n := n + 1;
    candidate := 'P' || NEW.id::text || '-' || n::text;
  END LOOP;
  PERFORM set_config('sharemall.sku_sum_off', 'on', true);
  INSERT INTO product_skus (product_id, code, specs, price, cost_price, stock, reserved, low_stock_threshold, sales_count)
  VALUES (NEW.id, candidate, '{}'::jsonb, NEW.price, NEW.cost_price, NEW.stock, NEW.reserved,
          NEW.low_stock_threshold, NEW.sales_count);
  PERFORM set_config('sharemall.sku_sum_off', '', true);
  RETURN NULL;
END $$;
