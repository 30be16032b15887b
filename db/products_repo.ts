import type { Db } from "./db.ts";

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
  low_stock_threshold: number;
  on_sale: boolean;
  sales_count: number;
  category_slug: string;
  category_zh: string;
  category_en: string;
}

/** A category. */
export interface CategoryRow {
  id: string;
  slug: string;
  name_zh: string;
  name_en: string;
}

const SELECT = `SELECT p.id, p.name, p.name_en, p.description, p.price, p.cost_price, p.stock, p.reserved,
  p.low_stock_threshold, p.on_sale, p.sales_count, c.slug AS category_slug, c.name_zh AS category_zh, c.name_en AS category_en
  FROM products p JOIN categories c ON c.id = p.category_id`;

/** Filters for listing products. */
export interface ProductFilter {
  q?: string;
  category?: string;
  onSaleOnly?: boolean;
  sort?: "popular" | "newest" | "price_asc" | "price_desc";
  limit: number;
  offset: number;
}

/** Lists products matching the filter, best matches and best sellers first, with the total count. */
export async function listProducts(db: Db, f: ProductFilter): Promise<{ items: ProductRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.onSaleOnly) where.push("p.on_sale");
  if (f.category) {
    params.push(f.category);
    where.push(`c.slug = $${params.length}`);
  }
  let rank = "";
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const like = `$${params.length}`;
    where.push(
      `(p.name ILIKE ${like} OR p.name_en ILIKE ${like} OR c.name_zh ILIKE ${like} OR c.name_en ILIKE ${like})`,
    );
    rank = `(CASE WHEN p.name ILIKE ${like} OR p.name_en ILIKE ${like} THEN 0 ELSE 1 END), `;
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const order = {
    popular: "p.sales_count DESC, p.id",
    newest: "p.created_at DESC, p.id DESC",
    price_asc: "p.price ASC, p.id",
    price_desc: "p.price DESC, p.id",
  }[f.sort ?? "popular"];
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM products p JOIN categories c ON c.id = p.category_id ${clause}`,
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
  return await db.query<CategoryRow>("SELECT id, slug, name_zh, name_en FROM categories ORDER BY sort, id");
}

/** Number of products. */
export async function countProducts(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM products");
  return row.n;
}
