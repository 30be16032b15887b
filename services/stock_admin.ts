import type { Db } from "../db/db.ts";
import { likeContains } from "../lib/text.ts";
import { productRestock, SALES_WINDOW_DAYS, type SkuRestock } from "../domain/analytics/forecast.ts";
import { type SkuAxis, specsLabel } from "../domain/catalogue/skus.ts";

/** What the catalogue list shows: a name or id search, the archive instead of the live catalogue, a page. */
export interface StockFilter {
  q?: string;
  archived?: boolean;
  /** Only products at or below their low-stock threshold, or only those to restock now. */
  show?: "low" | "restock";
  /** A column to sort by instead of the restock ranking, and its direction. */
  sort?: "name" | "stock" | "sold" | "days" | "reorder";
  dir?: "asc" | "desc";
  page: number;
  pageSize: number;
}

/** The most products the catalogue list ranks at once (products needing a restock come first). */
const RANKED_LIMIT = 5000;

/** Units of each SKU sold in paid orders over the forecast's sales window (14 days), as a CTE named `sold`. */
const SOLD_PER_SKU = `sold AS (
  SELECT i.sku_id, sum(i.quantity)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id
   WHERE o.paid_at >= now() - interval '${SALES_WINDOW_DAYS} days' GROUP BY i.sku_id)`;

/** A live SKU's stock and sales as the forecast reads them. */
interface SkuStockRow {
  id: string;
  code: string;
  specs: Record<string, string>;
  sellable: number;
  threshold: number;
  sold14: number;
}

/** A SKU with its restock forecast (each SKU at its own 14-day sales rate and the product's lead time). */
export type SkuWithForecast = SkuStockRow & { label: string } & SkuRestock;

function forecastSkus(skus: SkuStockRow[], leadDays: number, axes: SkuAxis[] = []) {
  const restock = productRestock(skus.map((s) => ({
    sellable: s.sellable,
    unitsSold14d: s.sold14,
    leadTimeDays: leadDays,
    lowStockThreshold: s.threshold,
  })));
  const skusWithForecast: SkuWithForecast[] = skus.map((s, i) => ({
    ...s,
    id: String(s.id),
    specs: s.specs ?? {},
    label: specsLabel(s.specs ?? {}, axes),
    ...restock.skus[i],
  }));
  return { restock, skus: skusWithForecast };
}

/**
 * The catalogue with stock and the restock forecast worked out per SKU (a product is due when any of its
 * SKUs is, and low when any SKU is at or below its threshold): products to restock now first, then low
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
      on_sale: boolean;
      restock_lead_days: number;
      sku_axes: SkuAxis[];
      skus: SkuStockRow[];
    }
  >(
    `WITH ${SOLD_PER_SKU},
     p AS (SELECT p.id, p.name, p.price, p.on_sale, p.restock_lead_days, p.sku_axes FROM products p
            WHERE ${where.join(" AND ")} ORDER BY p.id LIMIT ${RANKED_LIMIT})
     SELECT p.id, p.name, p.price, p.on_sale, p.restock_lead_days, p.sku_axes,
            coalesce(jsonb_agg(jsonb_build_object('id', s.id::text, 'code', s.code, 'specs', s.specs,
                                                  'sellable', s.stock - s.reserved, 'threshold', s.low_stock_threshold,
                                                  'sold14', coalesce(x.n, 0))
                               ORDER BY s.sort, s.id) FILTER (WHERE s.id IS NOT NULL), '[]'::jsonb) AS skus
       FROM p LEFT JOIN product_skus s ON s.product_id = p.id AND s.archived_at IS NULL
       LEFT JOIN sold x ON x.sku_id = s.id
      GROUP BY p.id, p.name, p.price, p.on_sale, p.restock_lead_days, p.sku_axes ORDER BY p.id`,
    params,
  );
  const ranked = rows.map((r) => {
    const { restock, skus } = forecastSkus(r.skus, r.restock_lead_days, r.sku_axes);
    return {
      id: String(r.id),
      name: r.name,
      price: r.price,
      sellable: skus.reduce((n, s) => n + s.sellable, 0),
      low: restock.low,
      onSale: r.on_sale,
      sold14: skus.reduce((n, s) => n + s.sold14, 0),
      leadDays: r.restock_lead_days,
      dailyRate: restock.dailyRate,
      daysLeft: restock.daysLeft,
      restockNow: restock.restockNow,
      suggestedReorder: restock.suggestedReorder,
      skusToRestock: restock.skusToRestock,
      skusLow: restock.skusLow,
      skuCount: skus.length,
      skus,
    };
  }).filter((r) => filter.show === "low" ? r.low : filter.show === "restock" ? r.restockNow : true)
    .sort((a, b) =>
      Number(b.restockNow) - Number(a.restockNow) || Number(b.low) - Number(a.low) || Number(a.id) - Number(b.id)
    );
  if (filter.sort) {
    const key = filter.sort;
    const sign = filter.dir === "desc" ? -1 : 1;
    const value = (r: (typeof ranked)[number]) =>
      key === "name"
        ? r.name
        : key === "stock"
        ? r.sellable
        : key === "sold"
        ? r.sold14
        : key === "reorder"
        ? r.suggestedReorder
        : r.daysLeft ?? Infinity;
    ranked.sort((a, b) => {
      const va = value(a), vb = value(b);
      const order = typeof va === "string" ? va.localeCompare(String(vb), "zh-CN") : va - (vb as number);
      return sign * (Number.isNaN(order) ? 0 : order) || Number(a.id) - Number(b.id);
    });
  }
  const start = (filter.page - 1) * filter.pageSize;
  return { rows: ranked.slice(start, start + filter.pageSize), total: ranked.length };
}

/** One product's live SKUs with their restock forecast (the console's product page). */
export async function productForecast(db: Db, productId: string) {
  const [row] = await db.query<{ restock_lead_days: number; sku_axes: SkuAxis[]; skus: SkuStockRow[] }>(
    `WITH ${SOLD_PER_SKU}
     SELECT p.restock_lead_days, p.sku_axes,
            coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id::text, 'code', s.code, 'specs', s.specs,
                                                          'sellable', s.stock - s.reserved,
                                                          'threshold', s.low_stock_threshold, 'sold14', coalesce(x.n, 0))
                                       ORDER BY s.sort, s.id)
                        FROM product_skus s LEFT JOIN sold x ON x.sku_id = s.id
                       WHERE s.product_id = p.id AND s.archived_at IS NULL), '[]'::jsonb) AS skus
       FROM products p WHERE p.id = $1`,
    [/^\d{1,18}$/.test(productId) ? productId : "0"],
  );
  if (!row) return null;
  const { restock, skus } = forecastSkus(row.skus, row.restock_lead_days, row.sku_axes);
  const { skus: _, ...summary } = restock;
  return { leadDays: row.restock_lead_days, summary, skus };
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

/**
 * Live SKUs of products on sale at or below their low-stock threshold, lowest first, each with its restock
 * forecast (days of cover and suggested reorder at its own 14-day rate): the console's stock alerts.
 */
export async function lowStockSkus(db: Db, limit = 20) {
  const rows = await db.query<
    SkuStockRow & { product_id: string; name: string; restock_lead_days: number; sku_axes: SkuAxis[] }
  >(
    `WITH ${SOLD_PER_SKU}
     SELECT s.id::text, s.code, s.specs, s.stock - s.reserved AS sellable, s.low_stock_threshold AS threshold,
            coalesce(x.n, 0) AS sold14, p.id::text AS product_id, p.name, p.restock_lead_days, p.sku_axes
       FROM product_skus s JOIN products p ON p.id = s.product_id LEFT JOIN sold x ON x.sku_id = s.id
      WHERE p.on_sale AND p.archived_at IS NULL AND s.archived_at IS NULL AND s.stock - s.reserved <= s.low_stock_threshold
      ORDER BY s.stock - s.reserved, s.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => {
    const [sku] = forecastSkus([r], r.restock_lead_days, r.sku_axes).skus;
    return { ...sku, productId: String(r.product_id), name: r.name, leadDays: r.restock_lead_days };
  });
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
