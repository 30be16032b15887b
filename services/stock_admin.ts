import type { Db } from "../db/db.ts";
import { likeContains } from "../lib/text.ts";
import { restockForecast } from "../domain/analytics/forecast.ts";

/** What the catalogue list shows: a name or id search, the archive instead of the live catalogue, a page. */
export interface StockFilter {
  q?: string;
  archived?: boolean;
  /** Only products at or below their low-stock threshold, or only those to restock now. */
  show?: "low" | "restock";
  /** A column to sort by instead of the restock ranking, and its direction. */
  sort?: "name" | "stock" | "sold" | "days";
  dir?: "asc" | "desc";
  page: number;
  pageSize: number;
}

/** The most products the catalogue list ranks at once (products needing a restock come first). */
const RANKED_LIMIT = 5000;

/**
 * The catalogue with stock and the restock forecast: products to restock now first, then low
 * stock, then by id; a page of it and how many match.
 */
export async function stockOverview(db: Db, filter: StockFilter) {
  const params: unknown[] = [];
  const where = [filter.archived ? "p.archived_at IS NOT NULL" : "p.archived_at IS NULL"];
  if (filter.q) {
    params.push(filter.q, likeContains(filter.q));
    where.push(`(p.name ILIKE $2 OR p.name_en ILIKE $2 OR p.id::text = $1)`);
  }
  const rows = await db.query<
    {
      id: string;
      name: string;
      price: string;
      stock: number;
      reserved: number;
      low_stock_threshold: number;
      on_sale: boolean;
      restock_lead_days: number;
      sold14: number;
    }
  >(
    `WITH sold AS (
       SELECT i.product_id, sum(i.quantity)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.paid_at >= now() - interval '14 days' GROUP BY i.product_id)
     SELECT p.id, p.name, p.price, p.stock, p.reserved, p.low_stock_threshold, p.on_sale, p.restock_lead_days,
            coalesce(s.n, 0) AS sold14
       FROM products p LEFT JOIN sold s ON s.product_id = p.id
      WHERE ${where.join(" AND ")} ORDER BY p.id LIMIT ${RANKED_LIMIT}`,
    params,
  );
  const ranked = rows.map((r) => {
    const sellable = r.stock - r.reserved;
    const forecast = restockForecast({ stock: sellable, unitsSold14d: r.sold14, leadTimeDays: r.restock_lead_days });
    return {
      id: String(r.id),
      name: r.name,
      price: r.price,
      sellable,
      threshold: r.low_stock_threshold,
      low: sellable <= r.low_stock_threshold,
      onSale: r.on_sale,
      sold14: r.sold14,
      leadDays: r.restock_lead_days,
      ...forecast,
    };
  }).filter((r) => filter.show === "low" ? r.low : filter.show === "restock" ? r.restockNow : true)
    .sort((a, b) =>
      Number(b.restockNow) - Number(a.restockNow) || Number(b.low) - Number(a.low) || Number(a.id) - Number(b.id)
    );
  if (filter.sort) {
    const key = filter.sort;
    const sign = filter.dir === "desc" ? -1 : 1;
    const value = (r: (typeof ranked)[number]) =>
      key === "name" ? r.name : key === "stock" ? r.sellable : key === "sold" ? r.sold14 : r.daysLeft ?? Infinity;
    ranked.sort((a, b) => {
      const va = value(a), vb = value(b);
      const order = typeof va === "string" ? va.localeCompare(String(vb), "zh-CN") : va - (vb as number);
      return sign * order || Number(a.id) - Number(b.id);
    });
  }
  const start = (filter.page - 1) * filter.pageSize;
  return { rows: ranked.slice(start, start + filter.pageSize), total: ranked.length };
}

/** Image types accepted for product pictures, by their magic bytes. */
export function sniffImage(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/webp" | null {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (String.fromCharCode(...bytes.slice(0, 4)) === "RIFF" && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") {
    return "image/webp";
  }
  return null;
}

/** Products on sale at or below their low-stock threshold, lowest first (the console's stock alerts). */
export function lowStockProducts(db: Db, limit = 20) {
  return db.query<{ id: string; name: string; sellable: number; low_stock_threshold: number }>(
    `SELECT id, name, stock - reserved AS sellable, low_stock_threshold FROM products
      WHERE on_sale AND stock - reserved <= low_stock_threshold ORDER BY stock - reserved, id LIMIT $1`,
    [limit],
  );
}

/** The live catalogue (archived products left out) in the import template's columns, with stock figures. */
export function catalogueExportRows(db: Db) {
  return db.query<Record<string, string | number | boolean | null>>(
    `SELECT p.name, p.name_en, c.slug AS category, b.name AS brand, p.price, p.cost_price, p.stock, p.low_stock_threshold,
            p.on_sale, p.restock_lead_days, p.reserved
       FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
      WHERE p.archived_at IS NULL
      ORDER BY p.id`,
  );
}

/**
 * The live catalogue one row per live SKU, in the import template's columns plus `skuCode`, `specs` and
 * `reserved`: price, cost, stock and threshold are the SKU's, so the file re-imports as products with SKUs.
 */
export function skuExportRows(db: Db) {
  return db.query<Record<string, string | number | boolean | null> & { specs: Record<string, string> }>(
    `SELECT p.name, p.name_en, c.slug AS category, b.name AS brand, s.price, s.cost_price, s.stock, s.low_stock_threshold,
            p.on_sale, p.restock_lead_days, s.code, s.specs, s.reserved
       FROM product_skus s JOIN products p ON p.id = s.product_id JOIN categories c ON c.id = p.category_id
       LEFT JOIN brands b ON b.id = p.brand_id
      WHERE p.archived_at IS NULL AND s.archived_at IS NULL
      ORDER BY p.id, s.sort, s.id`,
  );
}
