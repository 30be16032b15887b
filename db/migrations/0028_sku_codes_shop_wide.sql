-- SKU codes are unique in the whole shop, not just within a product (the SKU CSV export, ERP lookups and
-- scanners name a SKU by its code alone), compared without case as the console compares them. A live
-- code that another product's SKU already carried (possible before this migration) is renamed first:
-- the later SKU gets its id appended ("P112" → "P112-#345"), so the index can be built.
UPDATE product_skus s SET code = s.code || '-#' || s.id::text, updated_at = now()
 WHERE s.archived_at IS NULL
   AND EXISTS (SELECT 1 FROM product_skus o
                WHERE o.archived_at IS NULL AND lower(o.code) = lower(s.code) AND o.id < s.id);
CREATE UNIQUE INDEX product_skus_code_shop_idx ON product_skus (lower(code)) WHERE archived_at IS NULL;
