import type { Db } from "./db.ts";
import type { SkuAxis } from "../domain/catalogue/skus.ts";

/** A product row joined with its category. */
export interface ProductRow {
  id: string;
  name: string;
  name_en: string;
  description: string;
  price: string;
  cost_price: string;
  stock: number;
  reserved: number;
  archived_at: Date | string | null;
  low_stock_threshold: number;
  /** Days a restock takes to arrive. */
  restock_lead_days: number;
  on_sale: boolean;
  sales_count: number;
  category_slug: string;
  category_zh: string;
  category_en: string;
  brand: string | null;
  specs: Record<string, string>;
  featured: boolean;
  flash_price: string | null;
  flash_ends_at: Date | null;
  flash_limit: number | null;
  /** Specification axes in display order, e.g. `[{ name: "颜色", values: ["红", "蓝"] }]` (empty: one SKU). */
  sku_axes: SkuAxis[];
  /** The live SKUs in display order. */
  skus: SkuRow[];
  /** On sale and inside its scheduled shelf time. */
  on_shelf: boolean;
  /** When its picture was uploaded (null: the generated art is shown). */
  image_at?: Date | string | null;
}

export type { SkuAxis };

/** A live SKU as product reads carry it. */
export interface SkuRow {
  id: string;
  code: string;
  specs: Record<string, string>;
  price: string;
  cost_price: string;
  stock: number;
  reserved: number;
  low_stock_threshold: number;
  image_url: string | null;
}

/** The live SKUs of `p` as a JSON array (`SkuRow`s), in display order. */
export const SKUS_JSON =
  `coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id::text, 'code', s.code, 'specs', s.specs,
    'price', s.price::text, 'cost_price', s.cost_price::text, 'stock', s.stock, 'reserved', s.reserved,
    'low_stock_threshold', s.low_stock_threshold, 'image_url', s.image_url) ORDER BY s.sort, s.id)
  FROM product_skus s WHERE s.product_id = p.id AND s.archived_at IS NULL), '[]'::jsonb)`;

/** A category. */
export interface CategoryRow {
  id: string;
  slug: string;
  name_zh: string;
  name_en: string;
  parent_id: string | null;
  /** An emoji standing for the category (chips, mini-program grids). */
  icon: string;
}

const SELECT = `SELECT p.id, p.name, p.name_en, p.description, p.price, p.cost_price, p.stock, p.reserved,
  p.low_stock_threshold, p.restock_lead_days, p.on_sale, p.sales_count, c.slug AS category_slug, c.name_zh AS category_zh, c.name_en AS category_en,
  b.name AS brand, p.specs, p.featured, p.archived_at, fs.price AS flash_price, fs.ends_at AS flash_ends_at, fs.per_person_limit AS flash_limit,
  p.sku_axes, ${SKUS_JSON} AS skus,
  (p.on_sale AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now()) AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())) AS on_shelf,
  (SELECT pi.uploaded_at FROM product_images pi WHERE pi.product_id = p.id) AS image_at
  FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
  LEFT JOIN LATERAL (SELECT price, ends_at, per_person_limit FROM promotions pr WHERE pr.product_id = p.id AND pr.starts_at <= now()
                      AND pr.ends_at > now() ORDER BY pr.price LIMIT 1) fs ON true`;

/** Products visible to shoppers: on sale and inside their scheduled shelf time. */
const ON_SHELF =
  "p.on_sale AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now()) AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())";

/** Filters for listing products. */
export interface ProductFilter {
  q?: string;
  category?: string;
  onSaleOnly?: boolean;
  brand?: string;
  minPrice?: string;
  maxPrice?: string;
  featured?: boolean;
  /** Only these products (the caller puts them in its own order). */
  ids?: string[];
  sort?: "popular" | "newest" | "price_asc" | "price_desc";
  limit: number;
  offset: number;
}

/** Lists products matching the filter, best matches and best sellers first, with the total count. */
export async function listProducts(db: Db, f: ProductFilter): Promise<{ items: ProductRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  where.push("p.archived_at IS NULL"); // archived products are kept for their orders, never listed
  if (f.onSaleOnly) where.push(ON_SHELF);
  if (f.featured) where.push("p.featured");
  if (f.ids) {
    params.push(f.ids.join(","));
    where.push(`p.id = ANY(string_to_array($${params.length}, ',')::bigint[])`);
  }
  if (f.brand) {
    params.push(f.brand);
    where.push(`b.name = $${params.length}`);
  }
  if (f.minPrice) {
    params.push(f.minPrice);
    where.push(`p.price >= $${params.length}`);
  }
  if (f.maxPrice) {
    params.push(f.maxPrice);
    where.push(`p.price <= $${params.length}`);
  }
  if (f.category) {
    params.push(f.category);
    where.push(`c.slug = $${params.length}`);
  }
  let rank = "";
  const tokens = (f.q ?? "").split(/\s+/).filter(Boolean).slice(0, 5);
  if (tokens.length) {
    // Every word must match the Chinese or English name, the brand or the category; names rank first.
    const nameHits: string[] = [];
    for (const token of tokens) {
      params.push(`%${token.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
      const like = `$${params.length}`;
      where.push(
        `(p.name ILIKE ${like} OR p.name_en ILIKE ${like} OR coalesce(b.name, '') ILIKE ${like} OR c.name_zh ILIKE ${like} OR c.name_en ILIKE ${like})`,
      );
      nameHits.push(`(CASE WHEN p.name ILIKE ${like} OR p.name_en ILIKE ${like} THEN 0 ELSE 1 END)`);
    }
    rank = `${nameHits.join(" + ")}, `;
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const order = {
    popular: "p.sales_count DESC, p.id",
    newest: "p.created_at DESC, p.id DESC",
    price_asc: "p.price ASC, p.id",
    price_desc: "p.price DESC, p.id",
  }[f.sort ?? "popular"];
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM products p JOIN categories c ON c.id = p.category_id
       LEFT JOIN brands b ON b.id = p.brand_id ${clause}`,
    params,
  );
  const items = await db.query<ProductRow>(
    `${SELECT} ${clause} ORDER BY ${rank}${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { items, total };
}

/** One product by id. */
export async function findProduct(db: Db, id: string): Promise<ProductRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const rows = await db.query<ProductRow>(`${SELECT} WHERE p.id = $1`, [id]);
  return rows[0];
}

/** All categories in display order. */
export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return await db.query<CategoryRow>(
    "SELECT id, slug, name_zh, name_en, parent_id, icon FROM categories ORDER BY sort, id",
  );
}

/** Brands that have products on shelf. */
export async function listBrands(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT DISTINCT b.name FROM brands b JOIN products p ON p.brand_id = b.id WHERE p.on_sale ORDER BY b.name",
  );
  return rows.map((r) => r.name);
}

/** Number of products. */
export async function countProducts(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM products");
  return row.n;
}

/** The next moment a promotion starts or ends or a product's shelf time begins or ends, or null. */
export async function nextScheduledChange(db: Db): Promise<Date | null> {
  const [row] = await db.query<{ at: Date | null }>(
    `SELECT least(
       (SELECT min(starts_at) FROM promotions WHERE starts_at > now()),
       (SELECT min(ends_at) FROM promotions WHERE ends_at > now()),
       (SELECT min(on_shelf_at) FROM products WHERE on_shelf_at > now() AND archived_at IS NULL),
       (SELECT min(off_shelf_at) FROM products WHERE off_shelf_at > now() AND archived_at IS NULL)) AS at`,
  );
  return row?.at ? new Date(row.at) : null;
}
