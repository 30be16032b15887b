-- Row locks taken in a CTE and then updated by the same statement deadlock under READ COMMITTED when
-- another transaction updates the row in between: the UPDATE meets the row version of its snapshot,
-- queues for that version's tuple lock, while the next waiter holds that tuple lock and waits for this
-- transaction (seen on one hot SKU with 16 buyers: "while locking updated version of tuple").
-- The sums trigger therefore locks the products in id order by one statement and updates them by the
-- next, whose snapshot already sees the versions it holds. Same sums, same lock order (LOCK_ORDER.md).
CREATE OR REPLACE FUNCTION product_skus_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('sharemall.sku_sum_off', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM products p WHERE p.id IN (SELECT product_id FROM new_skus) ORDER BY p.id FOR NO KEY UPDATE;
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sales_count)::int AS sold
        FROM new_skus GROUP BY product_id
    )
    UPDATE products p SET stock = p.stock + d.stock, reserved = p.reserved + d.reserved,
           sales_count = p.sales_count + d.sold, updated_at = now()
      FROM d WHERE p.id = d.product_id AND (d.stock <> 0 OR d.reserved <> 0 OR d.sold <> 0);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM 1 FROM products p
      WHERE p.id IN (
        SELECT product_id FROM (SELECT product_id, stock, reserved, sales_count AS sold FROM new_skus
                                UNION ALL SELECT product_id, -stock, -reserved, -sales_count FROM old_skus) x
         GROUP BY product_id HAVING sum(stock) <> 0 OR sum(reserved) <> 0 OR sum(sold) <> 0)
      ORDER BY p.id FOR NO KEY UPDATE;
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sold)::int AS sold
        FROM (SELECT product_id, stock, reserved, sales_count AS sold FROM new_skus
              UNION ALL SELECT product_id, -stock, -reserved, -sales_count FROM old_skus) x
       GROUP BY product_id
    )
    UPDATE products p SET stock = p.stock + d.stock, reserved = p.reserved + d.reserved,
           sales_count = p.sales_count + d.sold, updated_at = now()
      FROM d WHERE p.id = d.product_id AND (d.stock <> 0 OR d.reserved <> 0 OR d.sold <> 0);
  ELSE
    PERFORM 1 FROM products p WHERE p.id IN (SELECT product_id FROM old_skus) ORDER BY p.id FOR NO KEY UPDATE;
    WITH d AS (
      SELECT product_id, sum(stock)::int AS stock, sum(reserved)::int AS reserved, sum(sales_count)::int AS sold
        FROM old_skus GROUP BY product_id
    )
    UPDATE products p SET stock = p.stock - d.stock, reserved = p.reserved - d.reserved,
           sales_count = p.sales_count - d.sold, updated_at = now()
      FROM d WHERE p.id = d.product_id AND (d.stock <> 0 OR d.reserved <> 0 OR d.sold <> 0);
  END IF;
  RETURN NULL;
END $$;
